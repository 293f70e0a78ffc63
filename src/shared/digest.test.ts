import { describe, expect, test } from "bun:test";
import { digest, hkdf, hmac, sha1, sha256, sha384, sha512 } from "./digest.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const abc = new TextEncoder().encode("abc");

describe("native digests against published vectors", () => {
  test('SHA-1/256/384/512 of "abc" are FIPS 180-2\'s example values', () => {
    expect(hex(sha1(abc))).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(hex(sha256(abc))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hex(sha384(abc))).toBe("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
    expect(hex(sha512(abc))).toBe(
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    );
  });

  test("hashes only the bytes a subarray views, not its whole buffer", () => {
    const framed = new Uint8Array([0xff, 0xff, ...abc, 0xff]);
    expect(hex(digest("sha256", framed.subarray(2, 5)))).toBe(hex(sha256(abc)));
  });

  test("HMAC-SHA384 is RFC 4231 test case 2", () => {
    const tag = hmac("sha384", new TextEncoder().encode("Jefe"), new TextEncoder().encode("what do ya want for nothing?"));
    expect(hex(tag)).toBe("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649");
  });

  test("HKDF-SHA256 is RFC 5869 test cases 1 and 3 (empty salt and info)", () => {
    const okm = hkdf("sha256", bytes("0b".repeat(22)), bytes("000102030405060708090a0b0c"), bytes("f0f1f2f3f4f5f6f7f8f9"), 42);
    expect(hex(okm)).toBe("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    const empty = hkdf("sha256", bytes("0b".repeat(22)), new Uint8Array(0), new Uint8Array(0), 42);
    expect(hex(empty)).toBe("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  });
});
