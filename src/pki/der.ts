/**
 * Content octets of a DER INTEGER holding the unsigned big-endian `bytes`:
 * leading zeros dropped (DER wants the shortest form) and one 0x00 put back
 * when the top bit is set, so the value does not read as negative.
 */
export function unsignedIntegerContent(bytes: Uint8Array): ArrayBuffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const magnitude = bytes.subarray(start);
  const out = new Uint8Array(magnitude.length + ((magnitude[0] ?? 0) & 0x80 ? 1 : 0));
  out.set(magnitude, out.length - magnitude.length);
  return out.buffer;
}

/**
 * How many bytes follow the first DER element of `der` (0 when it fills the
 * buffer exactly, or when its header is too short to tell: the parser then
 * refuses it itself). The schema parser stops at the end of that element and
 * ignores the rest, while Go's x509.ParseCertificate refuses it: a byte
 * appended to a real certificate would be a second byte string that verifies
 * as the same certificate (found by fuzzing, test/fuzz/findings.test.ts).
 */
export function bytesAfterFirstElement(der: Uint8Array): number {
  if (der.length < 2) return 0;
  let length = der[1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || der.length < 2 + n) return 0;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[2 + i]!;
    header += n;
  }
  return Math.max(0, der.length - header - length);
}

/** One DER element of a buffer: its tag byte and where its content lies. */
export interface DerElement {
  readonly tag: number;
  readonly start: number;
  readonly content: number;
  readonly end: number;
}

/**
 * Thrown by the DER reader for anything outside the strict subset it knows
 * (indefinite or non-minimal lengths, high tag numbers, an element running
 * past its parent). Callers treat it as "not for the fast reading" and hand
 * the bytes to the schema parser, which then accepts or refuses them.
 */
export class NotPlainDer extends Error {}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Reads the elements inside one constructed element (or a whole buffer), in order. */
export class DerCursor {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  peekTag(): number | undefined {
    return this.pos < this.end ? this.buf[this.pos] : undefined;
  }

  /** The next element; `tag`, when given, must be its tag. */
  next(tag?: number): DerElement {
    const { buf, pos, end } = this;
    if (pos + 2 > end) throw new NotPlainDer("truncated element");
    const t = buf[pos]!;
    if ((t & 0x1f) === 0x1f) throw new NotPlainDer("high tag number");
    if (tag !== undefined && t !== tag) throw new NotPlainDer(`tag ${t} where ${tag} was expected`);
    let length = buf[pos + 1]!;
    let content = pos + 2;
    if (length & 0x80) {
      const n = length & 0x7f;
      if (n === 0 || n > 3 || content + n > end || buf[content] === 0) throw new NotPlainDer("length form");
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + buf[content + i]!;
      if (length < 0x80) throw new NotPlainDer("length not minimal");
      content += n;
    }
    const elEnd = content + length;
    if (elEnd > end) throw new NotPlainDer("element runs past its parent");
    this.pos = elEnd;
    return { tag: t, start: pos, content, end: elEnd };
  }

  /** A cursor over the content of `el` (an element read from this buffer). */
  inside(el: DerElement): DerCursor {
    return new DerCursor(this.buf, el.content, el.end);
  }

  /** Refuses anything left over: the fast reading knows every element it accepts. */
  finish(): void {
    if (this.pos !== this.end) throw new NotPlainDer("unexpected element");
  }

  bytes(el: DerElement): Uint8Array {
    return this.buf.subarray(el.content, el.end);
  }

  whole(el: DerElement): Uint8Array {
    return this.buf.subarray(el.start, el.end);
  }

  /** Dotted text of an OBJECT IDENTIFIER, minimal arcs below 2^49 only. */
  oid(el: DerElement): string {
    const { buf } = this;
    if (el.tag !== TAG.oid || el.end === el.content) throw new NotPlainDer("not an OBJECT IDENTIFIER");
    let text = "";
    let value = 0;
    let digits = 0;
    for (let i = el.content; i < el.end; i++) {
      const b = buf[i]!;
      if (digits === 0 && b === 0x80) throw new NotPlainDer("arc not minimal");
      if (++digits > 7) throw new NotPlainDer("arc too large");
      value = value * 128 + (b & 0x7f);
      if (b & 0x80) continue;
      if (text === "") text = value < 40 ? `0.${value}` : value < 80 ? `1.${value - 40}` : `2.${value - 80}`;
      else text += `.${value}`;
      value = 0;
      digits = 0;
    }
    if (digits !== 0) throw new NotPlainDer("OBJECT IDENTIFIER ends inside an arc");
    return text;
  }

  /** A DER BOOLEAN (0x00 or 0xff only). */
  boolean(el: DerElement): boolean {
    if (el.tag !== TAG.boolean || el.end - el.content !== 1) throw new NotPlainDer("not a BOOLEAN");
    const b = this.buf[el.content];
    if (b === 0xff) return true;
    if (b === 0x00) return false;
    throw new NotPlainDer("BOOLEAN not DER");
  }

  /** A minimal non-negative INTEGER small enough for a number. */
  smallUnsigned(el: DerElement): number {
    const { buf } = this;
    const n = el.end - el.content;
    if (el.tag !== TAG.integer || n === 0 || n > 4) throw new NotPlainDer("not a small INTEGER");
    const first = buf[el.content]!;
    if (first & 0x80 || (n > 1 && first === 0 && !(buf[el.content + 1]! & 0x80))) throw new NotPlainDer("INTEGER negative or not minimal");
    let v = 0;
    for (let i = el.content; i < el.end; i++) v = v * 256 + buf[i]!;
    return v;
  }
}

/** DER length octets for `n` content bytes. */
function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** One DER element from its tag and content parts. */
export function derElement(tag: number, ...parts: readonly Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const head = lengthOctets(length);
  const out = new Uint8Array(1 + head.length + length);
  out[0] = tag;
  out.set(head, 1);
  let at = 1 + head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** DER content of an OBJECT IDENTIFIER given as dotted text. */
export function oidContent(oid: string): Uint8Array {
  const arcs = oid.split(".").map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const groups = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) groups.unshift(0x80 | (x & 0x7f));
    out.push(...groups);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return Uint8Array.from(out);
}
