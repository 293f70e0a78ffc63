import { AgentError } from "../../shared/index.ts";

/** A TPM structure that cannot be decoded (or encoded) as the spec lays it out. */
export class TpmCodecError extends AgentError {
  constructor(kind: "truncated" | "size" | "selector" | "trailing" | "range", message: string) {
    super(`tpm.codec.${kind}`, message);
  }
}

/** Big-endian writer for TPM wire structures (TPM 2.0 Part 1 §18: canonical form). */
export class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  u8(v: number): this {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  u64(v: bigint): this {
    return this.u32(Number((v >> 32n) & 0xffffffffn)).u32(Number(v & 0xffffffffn));
  }
  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  /** TPM2B: u16 size then the bytes. */
  tpm2b(b: Uint8Array): this {
    if (b.length > 0xffff) throw new TpmCodecError("size", `TPM2B of ${b.length} bytes`);
    return this.u16(b.length).bytes(b);
  }
  /** A TPM2B whose content is itself a structure (size prefix computed here). */
  sized(inner: (w: Writer) => void): this {
    const w = new Writer();
    inner(w);
    return this.tpm2b(w.finish());
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Big-endian reader; every over-read is a typed `truncated` error. */
export class Reader {
  private off = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly what = "structure",
  ) {}

  private need(n: number): void {
    if (this.off + n > this.buf.length) {
      throw new TpmCodecError("truncated", `${this.what}: need ${n} bytes at offset ${this.off}, have ${this.buf.length - this.off}`);
    }
  }
  u8(): number {
    this.need(1);
    return this.buf[this.off++]!;
  }
  u16(): number {
    this.need(2);
    const v = (this.buf[this.off]! << 8) | this.buf[this.off + 1]!;
    this.off += 2;
    return v;
  }
  u32(): number {
    return ((this.u16() << 16) | this.u16()) >>> 0;
  }
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.slice(this.off, this.off + n);
    this.off += n;
    return b;
  }
  tpm2b(max = 0xffff): Uint8Array {
    const n = this.u16();
    if (n > max) throw new TpmCodecError("size", `${this.what}: TPM2B size ${n} exceeds ${max}`);
    return this.bytes(n);
  }
  /** Reads a size-prefixed structure; the inner decoder must consume exactly `size` bytes. */
  sized<T>(inner: (r: Reader) => T): T {
    const body = this.tpm2b();
    const r = new Reader(body, this.what);
    const v = inner(r);
    r.end();
    return v;
  }
  get remaining(): number {
    return this.buf.length - this.off;
  }
  get offset(): number {
    return this.off;
  }
  end(): void {
    if (this.off !== this.buf.length) {
      throw new TpmCodecError("trailing", `${this.what}: ${this.buf.length - this.off} unexpected trailing bytes`);
    }
  }
}

export function decodeAll<T>(bytes: Uint8Array, what: string, f: (r: Reader) => T): T {
  const r = new Reader(bytes, what);
  const v = f(r);
  r.end();
  return v;
}

export function encode(f: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  f(w);
  return w.finish();
}
