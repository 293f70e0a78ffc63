import { createPublicKey } from "node:crypto";
import { Pkcs11Error } from "./errors.ts";

/**
 * Public keys as tokens report them (CKA_EC_PARAMS / CKA_EC_POINT, or
 * CKA_MODULUS / CKA_PUBLIC_EXPONENT) turned into what callers use: the
 * uncompressed point, the RSA numbers, and a DER SubjectPublicKeyInfo to
 * compare with a certificate.
 */

export type Pkcs11PublicKey =
  | { algorithm: "ec"; curve: "P-256" | "P-384" | "P-521"; point: Uint8Array }
  | { algorithm: "rsa"; bits: number; modulus: Uint8Array; exponent: Uint8Array };

/** DER OBJECT IDENTIFIERs of the named curves (CKA_EC_PARAMS holds one). */
const CURVES: Array<{ curve: "P-256" | "P-384" | "P-521"; oid: string; size: number }> = [
  { curve: "P-256", oid: "06082a8648ce3d030107", size: 32 },
  { curve: "P-384", oid: "06052b81040022", size: 48 },
  { curve: "P-521", oid: "06052b81040023", size: 66 },
];

export const P256_PARAMS = Buffer.from(CURVES[0]!.oid, "hex");

export function curveOf(params: Uint8Array): { curve: "P-256" | "P-384" | "P-521"; size: number } {
  const hex = Buffer.from(params).toString("hex");
  const c = CURVES.find((x) => x.oid === hex);
  if (!c) throw new Pkcs11Error("pkcs11.mechanism", `EC key on an unsupported curve (CKA_EC_PARAMS ${hex.slice(0, 40)})`);
  return { curve: c.curve, size: c.size };
}

/**
 * CKA_EC_POINT is a DER OCTET STRING around the uncompressed point (v2.40);
 * some modules return the bare point. Either way the result is 04||X||Y.
 */
export function ecPoint(value: Uint8Array, size: number): Uint8Array {
  const raw = 1 + 2 * size;
  if (value.length === raw && value[0] === 0x04) return value.slice();
  if (value[0] === 0x04) {
    let len = value[1]!;
    let at = 2;
    if (len === 0x81) {
      len = value[2]!;
      at = 3;
    }
    if (len === raw && value.length === at + raw && value[at] === 0x04) return value.slice(at);
  }
  throw new Pkcs11Error("pkcs11.operation", "CKA_EC_POINT is not an uncompressed point of the key's curve");
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString("base64url");
const unsigned = (b: Uint8Array) => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
};

export function rsaBits(modulus: Uint8Array): number {
  const m = unsigned(modulus);
  return m.length === 0 ? 0 : (m.length - 1) * 8 + (32 - Math.clz32(m[0]!));
}

/** DER SubjectPublicKeyInfo of `key`. */
export function spkiOf(key: Pkcs11PublicKey): Uint8Array {
  const jwk =
    key.algorithm === "ec"
      ? (() => {
          const n = (key.point.length - 1) / 2;
          return { kty: "EC", crv: key.curve, x: b64u(key.point.subarray(1, 1 + n)), y: b64u(key.point.subarray(1 + n)) };
        })()
      : { kty: "RSA", n: b64u(unsigned(key.modulus)), e: b64u(unsigned(key.exponent)) };
  return new Uint8Array(createPublicKey({ key: jwk, format: "jwk" }).export({ type: "spki", format: "der" }));
}

/** Raw r||s (as CKM_ECDSA returns it) to the DER Ecdsa-Sig-Value X.509 and TLS carry. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length % 2 !== 0 || raw.length === 0) throw new Pkcs11Error("pkcs11.input", "ECDSA signature of odd length");
  const int = (b: Uint8Array) => {
    let v = unsigned(b);
    if (v[0]! & 0x80) v = Uint8Array.of(0, ...v);
    return Uint8Array.of(0x02, v.length, ...v);
  };
  const r = int(raw.subarray(0, raw.length / 2));
  const s = int(raw.subarray(raw.length / 2));
  const body = Uint8Array.of(...r, ...s);
  return body.length < 0x80 ? Uint8Array.of(0x30, body.length, ...body) : Uint8Array.of(0x30, 0x81, body.length, ...body);
}
