import { describe, expect, test } from "bun:test";
import { decodePcrSelection, encodePcrSelection } from "./pcr-selection.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("TPML_PCR_SELECTION codec", () => {
  test("encodes SHA-256 PCRs 0..15 as a 3-byte bitmap", () => {
    expect(hex(encodePcrSelection([{ hash: 0x000b, pcrs: Array.from({ length: 16 }, (_, i) => i) }]))).toBe("00000001000b03ffff00");
  });
  test("encodes EVE's vault set without 5 and 15", () => {
    expect(hex(encodePcrSelection([{ hash: 0x000b, pcrs: [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14] }]))).toBe("00000001000b03df7f00");
  });
  test("encodes an empty selection with a zero bitmap", () => {
    expect(hex(encodePcrSelection([{ hash: 0x000b, pcrs: [] }]))).toBe("00000001000b03000000");
  });
  test("round-trips PCR 23 and two banks when decoded", () => {
    const v = [
      { hash: 0x000b, pcrs: [0, 23] },
      { hash: 0x0004, pcrs: [7] },
    ];
    expect(decodePcrSelection(encodePcrSelection(v))).toEqual(v);
  });
  test("rejects a PCR index above 31 when encoding", () => {
    expect(() => encodePcrSelection([{ hash: 0x000b, pcrs: [32] }])).toThrow(expect.objectContaining({ kind: "tpm.codec.range" }));
  });
  test("rejects a sizeofSelect above 4 when decoding", () => {
    expect(() => decodePcrSelection(new Uint8Array([0, 0, 0, 1, 0, 0x0b, 5, 0, 0, 0, 0, 0]))).toThrow(expect.objectContaining({ kind: "tpm.codec.size" }));
  });
});
