import { describe, expect, test } from "bun:test";
import { OBJ } from "./constants.ts";
import { decodePublic, encodePublic, encodeTpmtPublic } from "./public.ts";
import {
  AIK_TEMPLATE,
  DEVICE_KEY_CHILD_TEMPLATE,
  ECDH_KEY_CHILD_TEMPLATE,
  ECDH_KEY_TEMPLATE,
  EK_TEMPLATE,
  matchesTemplate,
  QUOTE_KEY_TEMPLATE,
  SRK_TEMPLATE,
} from "./templates.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("TPM2B_PUBLIC codec", () => {
  test("encodes the quote-key template to the TPM wire bytes", () => {
    // type ECC, nameAlg SHA256, attrs 0x00050472, empty policy, sym NULL,
    // scheme ECDSA/SHA256, curve P-256, kdf NULL, empty x and y.
    expect(hex(encodeTpmtPublic(QUOTE_KEY_TEMPLATE))).toBe("0023000b00050472" + "0000" + "0010" + "0018000b" + "0003" + "0010" + "0000" + "0000");
  });

  test("encodes the EK template with the TCG policy and AES-128-CFB", () => {
    const b = encodeTpmtPublic(EK_TEMPLATE);
    expect(hex(b.subarray(0, 8))).toBe("0001000b000300b2");
    expect(hex(b.subarray(8, 42))).toBe("0020837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");
    expect(hex(b.subarray(42, 58))).toBe("000600800043" + "0010" + "0800" + "00000000" + "0100");
    expect(b.length).toBe(58 + 256);
  });

  for (const [name, t] of [
    ["EK", EK_TEMPLATE],
    ["SRK", SRK_TEMPLATE],
    ["AIK", AIK_TEMPLATE],
    ["quote", QUOTE_KEY_TEMPLATE],
    ["ECDH", ECDH_KEY_TEMPLATE],
  ] as const) {
    test(`${name} template round-trips and matches itself when decoded`, () => {
      const wire = encodePublic(t);
      const back = decodePublic(wire);
      expect(hex(encodePublic(back))).toBe(hex(wire));
      expect(matchesTemplate(back, t)).toBe(true);
    });
  }

  test("tells TPM-created device and ECDH keys from EVE's primaries and from each other", () => {
    expect(matchesTemplate(DEVICE_KEY_CHILD_TEMPLATE, ECDH_KEY_TEMPLATE)).toBe(false);
    expect(matchesTemplate(ECDH_KEY_CHILD_TEMPLATE, ECDH_KEY_TEMPLATE)).toBe(false);
    expect(matchesTemplate(DEVICE_KEY_CHILD_TEMPLATE, ECDH_KEY_CHILD_TEMPLATE)).toBe(false);
    expect(DEVICE_KEY_CHILD_TEMPLATE.attributes & OBJ.decrypt).toBe(0);
    expect(ECDH_KEY_CHILD_TEMPLATE.attributes & OBJ.sign).toBe(0);
    for (const t of [DEVICE_KEY_CHILD_TEMPLATE, ECDH_KEY_CHILD_TEMPLATE])
      expect(t.attributes & (OBJ.fixedTPM | OBJ.fixedParent | OBJ.sensitiveDataOrigin)).toBe(OBJ.fixedTPM | OBJ.fixedParent | OBJ.sensitiveDataOrigin);
  });

  test("does not match another template when attributes differ", () => {
    expect(matchesTemplate(ECDH_KEY_TEMPLATE, QUOTE_KEY_TEMPLATE)).toBe(false);
    expect(matchesTemplate({ ...QUOTE_KEY_TEMPLATE, attributes: QUOTE_KEY_TEMPLATE.attributes ^ 0x400 }, QUOTE_KEY_TEMPLATE)).toBe(false);
  });

  test("raises selector when the public type is unknown", () => {
    expect(() => decodePublic(new Uint8Array([0, 10, 0, 0x25, 0, 0x0b, 0, 0, 0, 0, 0, 0]))).toThrow(expect.objectContaining({ kind: "tpm.codec.selector" }));
  });

  test("raises truncated when the RSA modulus is cut short", () => {
    const wire = encodePublic({ ...SRK_TEMPLATE, modulus: new Uint8Array(256) });
    const cut = wire.slice(0, wire.length - 10);
    cut[0] = (cut.length - 2) >> 8;
    cut[1] = (cut.length - 2) & 0xff;
    expect(() => decodePublic(cut)).toThrow(expect.objectContaining({ kind: "tpm.codec.truncated" }));
  });
});
