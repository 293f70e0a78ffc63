import { describe, expect, test } from "bun:test";
import { createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { CKR, ckrName } from "./constants.ts";
import { kindOfRv, Pkcs11Error } from "./errors.ts";
import { curveOf, ecdsaRawToDer, ecPoint, P256_PARAMS, rsaBits, spkiOf } from "./public-key.ts";

describe("public keys as tokens report them", () => {
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const point = Uint8Array.from([4, ...Buffer.from(jwk.x!, "base64url"), ...Buffer.from(jwk.y!, "base64url")]);

  test("CKA_EC_POINT as a DER OCTET STRING or bare, to the same uncompressed point; anything else refused", () => {
    expect(Buffer.from(ecPoint(Uint8Array.from([0x04, 0x41, ...point]), 32)).equals(Buffer.from(point))).toBe(true);
    expect(Buffer.from(ecPoint(point, 32)).equals(Buffer.from(point))).toBe(true);
    expect(() => ecPoint(point.subarray(0, 33), 32)).toThrow(Pkcs11Error);
    expect(() => ecPoint(Uint8Array.from([0x04, 0x21, 0x02, ...point.subarray(1, 33)]), 32)).toThrow(Pkcs11Error);
  });

  test("curves by their DER OID; an unknown one is pkcs11.mechanism", () => {
    expect(curveOf(P256_PARAMS)).toEqual({ curve: "P-256", size: 32 });
    expect(curveOf(Buffer.from("06052b81040022", "hex")).curve).toBe("P-384");
    const e = (() => {
      try {
        curveOf(Buffer.from("06032a0304", "hex"));
      } catch (x) {
        return x as Pkcs11Error;
      }
    })();
    expect(e?.kind).toBe("pkcs11.mechanism");
  });

  test("the SPKI made from the point and from RSA numbers is node's own", () => {
    expect(Buffer.from(spkiOf({ algorithm: "ec", curve: "P-256", point })).equals(publicKey.export({ format: "der", type: "spki" }))).toBe(true);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
    const r = rsa.export({ format: "jwk" });
    // Tokens may pad the modulus with a leading zero byte.
    const modulus = Uint8Array.from([0, ...Buffer.from(r.n!, "base64url")]);
    const exponent = Uint8Array.from(Buffer.from(r.e!, "base64url"));
    expect(rsaBits(modulus)).toBe(2048);
    expect(Buffer.from(spkiOf({ algorithm: "rsa", bits: 2048, modulus, exponent })).equals(rsa.export({ format: "der", type: "spki" }))).toBe(true);
  });

  test("raw r||s to DER: 200 signatures (high bits and leading zeros among them) verify in DER form", () => {
    const { privateKey, publicKey: pub } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const key = createPublicKey({ key: pub.export({ format: "der", type: "spki" }), format: "der", type: "spki" });
    let highBit = 0;
    for (let i = 0; i < 200; i++) {
      const data = Buffer.from(`m${i}`);
      const raw = sign("sha256", data, { key: privateKey, dsaEncoding: "ieee-p1363" });
      if (raw[0]! & 0x80 || raw[32]! & 0x80) highBit++;
      expect(verify("sha256", data, key, ecdsaRawToDer(raw))).toBe(true);
    }
    expect(highBit).toBeGreaterThan(0);
    // Leading zero bytes in r and s are dropped, and a high bit gets its 0x00.
    const raw = new Uint8Array(64);
    raw[31] = 1;
    raw[32] = 0x80;
    expect(Buffer.from(ecdsaRawToDer(raw)).toString("hex")).toBe("3026020101022100" + "80" + "00".repeat(31));
  });
});

describe("return values", () => {
  test("every named CKR maps to a kind of its group but the few that name no fault of a group, and names round-trip", () => {
    const unmapped = Object.entries(CKR)
      .filter(([, v]) => kindOfRv(v) === "pkcs11.operation")
      .map(([k]) => k);
    expect(unmapped.sort()).toEqual(["CANCEL", "FUNCTION_CANCELED", "FUNCTION_REJECTED", "NO_EVENT", "OK", "VENDOR_DEFINED"]);
    for (const [k, v] of Object.entries(CKR)) expect(ckrName(v)).toBe(`CKR_${k}`);
    expect([kindOfRv(CKR.PIN_INCORRECT), kindOfRv(CKR.PIN_LOCKED), kindOfRv(CKR.ATTRIBUTE_SENSITIVE), kindOfRv(CKR.SESSION_HANDLE_INVALID)]).toEqual([
      "pkcs11.pin",
      "pkcs11.pin-locked",
      "pkcs11.sensitive",
      "pkcs11.session",
    ]);
  });

  test("vendor-defined and unknown values keep their number", () => {
    expect(ckrName(0x80000012)).toBe("CKR_VENDOR_DEFINED+0x12");
    expect(ckrName(0x3f)).toBe("CKR_0x3f");
    const e = Pkcs11Error.fromRv("C_Sign", 0x80000012);
    expect([e.kind, e.ckr, e.fn, e.rv]).toEqual(["pkcs11.operation", "CKR_VENDOR_DEFINED+0x12", "C_Sign", 0x80000012]);
  });
});
