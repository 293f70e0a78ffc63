import { describe, expect, test } from "bun:test";
import { sha256 } from "@noble/hashes/sha2.js";
import { policyPcrDigest } from "./policy.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("policyPcrDigest", () => {
  test("hashes old digest, command code, selection and PCR digest in that order", () => {
    const values = new Map([
      [0, new Uint8Array(32)],
      [7, new Uint8Array(32).fill(1)],
    ]);
    const pcrDigest = sha256(new Uint8Array([...values.get(0)!, ...values.get(7)!]));
    const expected = sha256(new Uint8Array([...new Uint8Array(32), 0, 0, 1, 0x7f, 0, 0, 0, 1, 0, 0x0b, 3, 0x81, 0, 0, ...pcrDigest]));
    expect(hex(policyPcrDigest([7, 0], values))).toBe(hex(expected));
  });
  test("throws when a selected PCR has no value", () => {
    expect(() => policyPcrDigest([3], new Map())).toThrow(RangeError);
  });
});
