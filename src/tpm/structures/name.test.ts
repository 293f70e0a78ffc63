import { describe, expect, test } from "bun:test";
import { sha256 } from "@noble/hashes/sha2.js";
import { isPrimaryObject } from "./name.ts";

const tpm2b = (hex: string) => {
  const b = Buffer.from(hex, "hex");
  return new Uint8Array([b.length >> 8, b.length & 0xff, ...b]);
};

// Name / Qualified Name pairs tpm2_readpublic reported on swtpm for an SRK
// primary (0x81000002), a key TPM2_Create'd under it, and an ECDH primary.
const SRK = {
  name: "000b51d34f7f388315d7a67f6bd129d6e9017dbb3b26dbca102ee422bdff6044157e",
  qn: "000b1a4168c6d5fb0a07056ba18739bd8193021a8757b905154b1adee492e3f849e3",
};
const CHILD = {
  name: "000b89a70009ee8c95396908a19c1b6a2d39c5933377f242005e7c6a78d6dcb7d79a",
  qn: "000b1182a1d57ac9f8358910e7a65257b34740ae8c6f75d0a062dd8f0740876b4dd4",
};
const ECDH_PRIMARY = {
  name: "000b382b614fc29f4b3205b943f01c5b37c1cf7128e67b9c5293eb85d16e61a9312a",
  qn: "000b0a9a5304c6b44c9815329d938db9f4c4f53b82e4ab6e74b60fa2d20e4f3ab5bf",
};

describe("isPrimaryObject", () => {
  test("recognises owner-hierarchy primaries by the qualified name the TPM reported", () => {
    expect(isPrimaryObject(tpm2b(SRK.name), tpm2b(SRK.qn))).toBe(true);
    expect(isPrimaryObject(tpm2b(ECDH_PRIMARY.name), tpm2b(ECDH_PRIMARY.qn))).toBe(true);
  });

  test("says a TPM2_Create'd child of the SRK is not a primary", () => {
    expect(isPrimaryObject(tpm2b(CHILD.name), tpm2b(CHILD.qn))).toBe(false);
    expect(Buffer.from(sha256(Buffer.from(SRK.qn + CHILD.name, "hex"))).toString("hex")).toBe(CHILD.qn.slice(4));
  });

  test("recognises primaries of the endorsement and platform hierarchies too", () => {
    for (const h of ["4000000b", "4000000c"]) {
      const qn = "000b" + Buffer.from(sha256(Buffer.from(h + CHILD.name, "hex"))).toString("hex");
      expect(isPrimaryObject(tpm2b(CHILD.name), tpm2b(qn))).toBe(true);
    }
  });

  test("assumes a primary when the name algorithm cannot be hashed", () => {
    expect(isPrimaryObject(tpm2b("0012" + CHILD.name.slice(4)), tpm2b("0012" + CHILD.qn.slice(4)))).toBe(true);
  });
});
