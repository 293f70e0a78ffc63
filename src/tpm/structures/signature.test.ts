import { describe, expect, test } from "bun:test";
import { p256 } from "@noble/curves/nist.js";
import { decodeSignature, ecdsaDer, ecdsaRaw, encodeSignature } from "./signature.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("TPMT_SIGNATURE codec", () => {
  const r = new Uint8Array(32).fill(0x81);
  const s = new Uint8Array(31).fill(0x22);
  const wire = new Uint8Array([0x00, 0x18, 0x00, 0x0b, 0x00, 32, ...r, 0x00, 31, ...s]);

  test("decodes an ECDSA signature and re-encodes it to the same bytes", () => {
    const sig = decodeSignature(wire);
    expect(sig.sigAlg).toBe("ecdsa");
    expect(hex(encodeSignature(sig))).toBe(hex(wire));
  });

  test("pads r and s to 32 bytes when producing raw r||s", () => {
    const sig = decodeSignature(wire);
    if (sig.sigAlg !== "ecdsa") throw new Error("not ecdsa");
    const raw = ecdsaRaw(sig);
    expect(raw.length).toBe(64);
    expect(hex(raw.subarray(32, 33))).toBe("00");
  });

  test("produces DER that noble parses back to the same r and s", () => {
    const sig = decodeSignature(wire);
    if (sig.sigAlg !== "ecdsa") throw new Error("not ecdsa");
    const der = ecdsaDer(sig);
    expect(hex(der.subarray(0, 5))).toBe("3044022100");
    expect(hex(p256.Signature.fromBytes(der, "der").toBytes("compact"))).toBe(hex(ecdsaRaw(sig)));
  });

  test("raises selector when the signature algorithm is unknown", () => {
    expect(() => decodeSignature(new Uint8Array([0x00, 0x99, 0, 0]))).toThrow(expect.objectContaining({ kind: "tpm.codec.selector" }));
  });

  test("raises trailing when a flipped size byte leaves bytes over", () => {
    const bad = new Uint8Array(wire);
    bad[bad.length - 32] = 30;
    expect(() => decodeSignature(bad)).toThrow(expect.objectContaining({ kind: "tpm.codec.trailing" }));
  });
});
