import { describe, expect, test } from "bun:test";
import { decodeAll, Reader, TpmCodecError, Writer } from "./wire.ts";

describe("Reader", () => {
  test("raises truncated when a field runs past the end", () => {
    expect(() => new Reader(new Uint8Array([0, 1, 2])).u32()).toThrow(expect.objectContaining({ kind: "tpm.codec.truncated" }));
  });
  test("raises size when a TPM2B exceeds its maximum", () => {
    expect(() => new Reader(new Uint8Array([0, 65, ...new Array(65).fill(0)])).tpm2b(64)).toThrow(expect.objectContaining({ kind: "tpm.codec.size" }));
  });
  test("raises trailing when bytes are left after the structure", () => {
    expect(() => decodeAll(new Uint8Array([0, 1, 9]), "x", (r) => r.u16())).toThrow(TpmCodecError);
  });
  test("raises trailing when a sized structure is shorter than its prefix", () => {
    expect(() => new Reader(new Uint8Array([0, 3, 1, 2, 3])).sized((r) => r.u16())).toThrow(expect.objectContaining({ kind: "tpm.codec.trailing" }));
  });
});

describe("Writer", () => {
  test("writes big-endian integers and size-prefixed structures", () => {
    const w = new Writer()
      .u8(1)
      .u16(0x0203)
      .u32(0x04050607)
      .u64(0x08090a0b0c0d0e0fn)
      .sized((i) => i.u16(0xbeef));
    expect(Buffer.from(w.finish()).toString("hex")).toBe("01020304050607" + "08090a0b0c0d0e0f" + "0002beef");
  });
  test("grows past its initial buffer when given large input", () => {
    const big = new Uint8Array(1000).fill(7);
    expect(new Writer().tpm2b(big).finish().length).toBe(1002);
  });
});
