import type { KeyObject } from "node:crypto";
import { DerCursor, derElement, NotPlainDer, oidContent, TAG, unsignedIntegerContent } from "./der.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import type { PublicKeyInfo } from "./signature.ts";

/**
 * node:crypto, loaded on first use: reading a certificate needs none of it,
 * and loading it costs a short command such as `edge-agent check` several
 * milliseconds (it pulls in node:stream).
 */
function nodeCrypto(): typeof import("node:crypto") {
  return process.getBuiltinModule("node:crypto");
}

/** The named curves the agent reads, with their field prime and b of y^2 = x^3 - 3x + b (SEC 2, FIPS 186-4 D.1.2). */
export const CURVES: Readonly<Record<string, { readonly name: "P-256" | "P-384"; readonly bytes: number; readonly p: bigint; readonly b: bigint }>> = {
  [OID.prime256v1]: {
    name: "P-256",
    bytes: 32,
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  },
  [OID.secp384r1]: {
    name: "P-384",
    bytes: 48,
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
  },
};

/**
 * Whether an uncompressed SEC1 point of the curve's size lies on it: both
 * coordinates in the field and the curve equation holding (SEC 1 3.2.2.1;
 * these curves have cofactor 1, so that is the whole public key check, and
 * the one the runtime's key import makes). Done here so reading a
 * certificate's key loads no node:crypto.
 */
export function onCurve(point: Uint8Array, c: (typeof CURVES)[string]): boolean {
  if (point.length !== 1 + 2 * c.bytes || point[0] !== 4) return false;
  const coordinate = (at: number) => BigInt(`0x${Buffer.from(point.buffer, point.byteOffset + at, c.bytes).toString("hex")}`);
  const x = coordinate(1);
  const y = coordinate(1 + c.bytes);
  if (x >= c.p || y >= c.p) return false;
  return (y * y - (x * x * x - 3n * x + c.b)) % c.p === 0n;
}

/**
 * The uncompressed SEC1 point of an EC SPKI, through the runtime's native key
 * import, which refuses a point that is not on the curve (as @noble's
 * Point.fromBytes did, at a fraction of its first-use cost on a boot).
 */
export function uncompressedPoint(spkiDer: Uint8Array, bytes: number): Uint8Array {
  const jwk = nodeCrypto()
    .createPublicKey({ key: Buffer.from(spkiDer), format: "der", type: "spki" })
    .export({ format: "jwk" });
  const x = Buffer.from(jwk.x ?? "", "base64url");
  const y = Buffer.from(jwk.y ?? "", "base64url");
  if (x.length !== bytes || y.length !== bytes) throw new Error("unexpected coordinate length");
  const point = new Uint8Array(1 + 2 * bytes);
  point[0] = 4;
  point.set(x, 1);
  point.set(y, 1 + bytes);
  return point;
}

export function bitLength(bigEndian: Uint8Array): number {
  let i = 0;
  while (i < bigEndian.length && bigEndian[i] === 0) i++;
  if (i === bigEndian.length) return 0;
  return (bigEndian.length - i - 1) * 8 + (32 - Math.clz32(bigEndian[i]!));
}

/** The schema reading (with asn1js and @peculiar's classes), loaded only for a key the plain reader leaves to it. */
function asn1Keys(): typeof import("./public-key-asn1.ts") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./public-key-asn1.ts");
}

/**
 * An SPKI whose every part is plain DER of a form the agent knows (a named
 * P-256/P-384 curve with an uncompressed point on it, or RSA); anything else
 * throws NotPlainDer and is left to the schema reading, which refuses it
 * with the right kind or reads it.
 */
export function plainPublicKey(spkiDer: Uint8Array): PublicKeyInfo {
  const top = new DerCursor(spkiDer);
  const spki = top.inside(top.next(TAG.sequence));
  top.finish();
  const algEl = spki.next(TAG.sequence);
  const keyEl = spki.next(TAG.bitString);
  spki.finish();
  const alg = spki.inside(algEl);
  const algorithm = alg.oid(alg.next(TAG.oid));
  const keyBits = spki.bytes(keyEl);
  if (keyBits[0] !== 0) throw new NotPlainDer("key BIT STRING with unused bits");
  const der = new Uint8Array(spkiDer);
  if (algorithm === OID.ecPublicKey) {
    const c = CURVES[alg.oid(alg.next(TAG.oid))];
    alg.finish();
    if (!c || keyBits.length !== 2 + 2 * c.bytes || keyBits[1] !== 4) throw new NotPlainDer("EC key of another form");
    const point = keyBits.slice(1);
    if (!onCurve(point, c)) throw new NotPlainDer("EC point not on the curve");
    return { kind: "ec", curve: c.name, point, spkiDer: der };
  }
  if (algorithm === OID.rsaEncryption) {
    if (!alg.done) alg.next(TAG.null);
    alg.finish();
    const bits = new DerCursor(keyBits, 1);
    const rsa = bits.inside(bits.next(TAG.sequence));
    bits.finish();
    const modulus = rsa.next(TAG.integer);
    rsa.next(TAG.integer);
    rsa.finish();
    return { kind: "rsa", modulusBits: bitLength(rsa.bytes(modulus)), spkiDer: der };
  }
  throw new NotPlainDer("another key algorithm");
}

/**
 * Reads an SPKI into the form the verifiers use. EC points are normalised to
 * the uncompressed encoding (and thereby checked to lie on the curve), so
 * comparing two points is a byte comparison.
 */
export function publicKeyFromSpki(spkiDer: Uint8Array): PublicKeyInfo {
  try {
    return plainPublicKey(spkiDer);
  } catch (e) {
    if (!(e instanceof NotPlainDer)) throw e;
  }
  return asn1Keys().publicKeyFromSpkiAsn1(spkiDer);
}

/** An uncompressed P-256 SEC1 point as a native public key; throws when it is not a point on the curve. */
export function p256PublicKeyObject(point: Uint8Array): KeyObject {
  if (point.length !== 65 || point[0] !== 4) throw new Error("not an uncompressed P-256 point");
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");
  return nodeCrypto().createPublicKey({ key: { kty: "EC", crv: "P-256", x: b64(point.subarray(1, 33)), y: b64(point.subarray(33, 65)) }, format: "jwk" });
}

/** SPKI DER for a P-256 public key given as a SEC1 point (compressed or not). */
export function spkiFromP256Point(point: Uint8Array): Uint8Array {
  let uncompressed = point;
  if (!(point.length === 65 && point[0] === 4)) {
    try {
      // Compressed points are rare (none on a boot): @noble decompresses them, loaded only then.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { p256 } = require("@noble/curves/nist.js") as typeof import("@noble/curves/nist.js");
      uncompressed = p256.Point.fromBytes(point).toBytes(false);
    } catch (e) {
      throw new PkiError("pki.key", "not a P-256 point", { cause: e });
    }
  }
  // The runtime's native import checks the point is on the curve, and its SPKI is the same DER.
  try {
    return new Uint8Array(p256PublicKeyObject(uncompressed).export({ type: "spki", format: "der" }));
  } catch (e) {
    throw new PkiError("pki.key", "not a P-256 point", { cause: e });
  }
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
  const integer = (v: Uint8Array) => derElement(TAG.integer, new Uint8Array(unsignedIntegerContent(v)));
  const rsaKey = derElement(TAG.sequence, integer(modulus), integer(e));
  const algorithm = derElement(TAG.sequence, derElement(TAG.oid, oidContent(OID.rsaEncryption)), derElement(TAG.null));
  return derElement(TAG.sequence, algorithm, derElement(TAG.bitString, Uint8Array.of(0), rsaKey));
}
