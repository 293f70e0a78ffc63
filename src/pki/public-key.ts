import { createPublicKey, type KeyObject } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import { AsnConvert } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { EcParameters, RsaPublicKey } from "./asn-schemas.ts";
import { unsignedIntegerContent } from "./der.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import type { PublicKeyInfo } from "./signature.ts";

const CURVES = {
  [OID.prime256v1]: { name: "P-256", bytes: 32 },
  [OID.secp384r1]: { name: "P-384", bytes: 48 },
} as const;

/**
 * The uncompressed SEC1 point of an EC SPKI, through the runtime's native key
 * import, which refuses a point that is not on the curve (as @noble's
 * Point.fromBytes did, at a fraction of its first-use cost on a boot).
 */
function uncompressedPoint(spkiDer: Uint8Array, bytes: number): Uint8Array {
  const jwk = createPublicKey({ key: Buffer.from(spkiDer), format: "der", type: "spki" }).export({ format: "jwk" });
  const x = Buffer.from(jwk.x ?? "", "base64url");
  const y = Buffer.from(jwk.y ?? "", "base64url");
  if (x.length !== bytes || y.length !== bytes) throw new Error("unexpected coordinate length");
  const point = new Uint8Array(1 + 2 * bytes);
  point[0] = 4;
  point.set(x, 1);
  point.set(y, 1 + bytes);
  return point;
}

function bitLength(bigEndian: Uint8Array): number {
  let i = 0;
  while (i < bigEndian.length && bigEndian[i] === 0) i++;
  if (i === bigEndian.length) return 0;
  return (bigEndian.length - i - 1) * 8 + (32 - Math.clz32(bigEndian[i]!));
}

/**
 * Reads an SPKI into the form the verifiers use. EC points are normalised to
 * the uncompressed encoding (and thereby checked to lie on the curve), so
 * comparing two points is a byte comparison.
 */
export function publicKeyFromSpki(spkiDer: Uint8Array): PublicKeyInfo {
  let spki: SubjectPublicKeyInfo;
  try {
    spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  } catch (e) {
    throw new PkiError("pki.parse", "SubjectPublicKeyInfo does not parse", { cause: e });
  }
  return publicKeyFromParsedSpki(spki, spkiDer);
}

/** publicKeyFromSpki for an SPKI already parsed (a certificate's), with its DER. */
export function publicKeyFromParsedSpki(spki: SubjectPublicKeyInfo, spkiDer: Uint8Array): PublicKeyInfo {
  const alg = spki.algorithm.algorithm;
  const keyBits = new Uint8Array(spki.subjectPublicKey);
  const der = new Uint8Array(spkiDer);
  if (alg === OID.ecPublicKey) {
    let curveOid: string;
    try {
      curveOid = AsnConvert.parse(spki.algorithm.parameters ?? new ArrayBuffer(0), EcParameters).namedCurve;
    } catch (e) {
      throw new PkiError("pki.unsupported", "EC key without a named curve", { cause: e });
    }
    const c = CURVES[curveOid as keyof typeof CURVES];
    if (!c) throw new PkiError("pki.unsupported", `EC curve ${curveOid} is not supported`);
    let point: Uint8Array;
    try {
      point = uncompressedPoint(der, c.bytes);
    } catch (e) {
      throw new PkiError("pki.parse", `${c.name} public key is not a point on the curve`, { cause: e });
    }
    return { kind: "ec", curve: c.name, point, spkiDer: der };
  }
  if (alg === OID.rsaEncryption) {
    let rsa: RsaPublicKey;
    try {
      rsa = AsnConvert.parse(keyBits, RsaPublicKey);
    } catch (e) {
      throw new PkiError("pki.parse", "RSA public key does not parse", { cause: e });
    }
    return { kind: "rsa", modulusBits: bitLength(new Uint8Array(rsa.modulus)), spkiDer: der };
  }
  throw new PkiError("pki.unsupported", `public key algorithm ${alg} is not supported`);
}

/** An uncompressed P-256 SEC1 point as a native public key; throws when it is not a point on the curve. */
export function p256PublicKeyObject(point: Uint8Array): KeyObject {
  if (point.length !== 65 || point[0] !== 4) throw new Error("not an uncompressed P-256 point");
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");
  return createPublicKey({ key: { kty: "EC", crv: "P-256", x: b64(point.subarray(1, 33)), y: b64(point.subarray(33, 65)) }, format: "jwk" });
}

/** SPKI DER for a P-256 public key given as a SEC1 point (compressed or not). */
export function spkiFromP256Point(point: Uint8Array): Uint8Array {
  if (point.length === 65 && point[0] === 4) {
    // The runtime's native import checks the point is on the curve, and its SPKI is the same DER.
    try {
      return new Uint8Array(p256PublicKeyObject(point).export({ type: "spki", format: "der" }));
    } catch (e) {
      throw new PkiError("pki.key", "not a P-256 point", { cause: e });
    }
  }
  let uncompressed: Uint8Array;
  try {
    uncompressed = p256.Point.fromBytes(point).toBytes(false);
  } catch (e) {
    throw new PkiError("pki.key", "not a P-256 point", { cause: e });
  }
  const spki = new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({
      algorithm: OID.ecPublicKey,
      parameters: AsnConvert.serialize(new EcParameters({ namedCurve: OID.prime256v1 })),
    }),
    subjectPublicKey: uncompressed.slice().buffer,
  });
  return new Uint8Array(AsnConvert.serialize(spki));
}

/**
 * SPKI DER for an RSA public key from its big-endian modulus and exponent
 * (as a TPM reports them; TPM2B_PUBLIC gives the exponent as 0 for 65537).
 */
export function spkiFromRsa(modulus: Uint8Array, exponent: Uint8Array | number = 65537): Uint8Array {
  if (modulus.length === 0 || bitLength(modulus) < 1024) throw new PkiError("pki.key", "RSA modulus is missing or too short");
  let e = exponent;
  if (typeof e === "number") {
    if (e === 0) e = 65537;
    e = Uint8Array.of(e >>> 24, (e >>> 16) & 0xff, (e >>> 8) & 0xff, e & 0xff);
  }
  const rsa = new RsaPublicKey({ modulus: unsignedIntegerContent(modulus), publicExponent: unsignedIntegerContent(e) });
  const spki = new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({ algorithm: OID.rsaEncryption, parameters: null }),
    subjectPublicKey: AsnConvert.serialize(rsa),
  });
  return new Uint8Array(AsnConvert.serialize(spki));
}
