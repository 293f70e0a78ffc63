import type { KeyObject } from "node:crypto";
// Leaves, not shared's index (which loads node:crypto and bun:ffi): `edge-agent check` reads keys with this file.
import { bytesEqual, utf8 } from "../shared/bytes.ts";
import type { P256Signer } from "../shared/signer.ts";
import { DerCursor, derElement, NotPlainDer, oidContent, TAG } from "./der.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import { decodePem, encodePem, type PemBlock } from "./pem.ts";

/** node:crypto, loaded on first use: `edge-agent check` reads a key with this file but derives its point with WebCrypto. */
function nodeCrypto(): typeof import("node:crypto") {
  return process.getBuiltinModule("node:crypto");
}

/** A P-256 key held in memory: the no-TPM fallback (docs/tpm.md#without-a-tpm). */
export interface SoftKey {
  /** 32-byte big-endian scalar. */
  readonly privateKey: Uint8Array;
  /** Uncompressed SEC1 point, 65 bytes. */
  readonly publicKey: Uint8Array;
}

/** The order of P-256's base point: a private scalar lies in [1, n). */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function inRange(scalar: Uint8Array): boolean {
  const d = BigInt(`0x${Buffer.from(scalar).toString("hex")}`);
  return d > 0n && d < P256_N;
}

/**
 * @noble's P-256, loaded on first use: evaluating its curves costs a start-up
 * milliseconds of CPU, and a TPM boot only reads the onboarding key (native
 * crypto and a range check do that) without signing with it in JavaScript.
 */
function p256(): typeof import("@noble/curves/nist.js")["p256"] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("@noble/curves/nist.js") as typeof import("@noble/curves/nist.js")).p256;
}

export function fromScalar(scalar: Uint8Array): SoftKey {
  if (scalar.length > 32) throw new PkiError("pki.key", `P-256 private key is ${scalar.length} bytes`);
  // Some encoders drop leading zero bytes of the scalar; restore the fixed width.
  const privateKey = new Uint8Array(32);
  privateKey.set(scalar, 32 - scalar.length);
  if (!inRange(privateKey)) throw new PkiError("pki.key", "P-256 private key is out of range");
  // The runtime's native point multiplication: @noble's first one builds its tables, tens of ms of a boot that
  // only loads a key. The range check above stays the one that decides.
  const ecdh = nodeCrypto().createECDH("prime256v1");
  ecdh.setPrivateKey(Buffer.from(privateKey));
  return { privateKey, publicKey: new Uint8Array(ecdh.getPublicKey(null, "uncompressed")) };
}

export function generateSoftKey(): SoftKey {
  // Uniform in [1, n) by rejection: a 256-bit draw falls outside with probability below 2^-32.
  let scalar: Uint8Array;
  do scalar = crypto.getRandomValues(new Uint8Array(32));
  while (!inRange(scalar));
  return fromScalar(scalar);
}

/**
 * EVE's on-disk form (tpmmgr soft path): a SEC1 ECPrivateKey with curve and
 * public key, but under the label `PRIVATE KEY`, which normally means PKCS#8.
 * The quirk is kept so the files stay interchangeable with EVE's: it writes
 * SEC1 there and reads SEC1 back, and need not understand real PKCS#8.
 */
export function softKeyToPem(key: SoftKey): Uint8Array {
  const sec1 = derElement(
    TAG.sequence,
    derElement(TAG.integer, Uint8Array.of(1)),
    derElement(TAG.octetString, key.privateKey),
    derElement(0xa0, derElement(TAG.oid, oidContent(OID.prime256v1))),
    derElement(0xa1, derElement(TAG.bitString, Uint8Array.of(0), key.publicKey)),
  );
  return utf8.encode(encodePem("PRIVATE KEY", sec1));
}

/** The fields of an ECPrivateKey (RFC 5915), however it was read. */
export interface Sec1Fields {
  readonly version: number;
  readonly privateKey: Uint8Array;
  readonly curve: string | undefined;
  readonly publicKey: Uint8Array | undefined;
}

/** The key an ECPrivateKey holds, checked: version, curve, scalar range, and the stored public key if any. */
export function keyFromSec1(sec1: Sec1Fields, curveFromOuter?: string): SoftKey {
  if (sec1.version !== 1) throw new PkiError("pki.key", `ECPrivateKey version ${sec1.version} is not 1`);
  const curve = sec1.curve ?? curveFromOuter;
  if (curve !== OID.prime256v1) throw new PkiError("pki.unsupported", `EC private key on curve ${curve ?? "(unnamed)"} is not P-256`);
  const key = fromScalar(sec1.privateKey);
  // The stored point as written (uncompressed) needs no decoding to be compared.
  if (sec1.publicKey && !bytesEqual(sec1.publicKey, key.publicKey)) {
    let stored: Uint8Array;
    try {
      stored = p256().Point.fromBytes(sec1.publicKey).toBytes(false);
    } catch (e) {
      throw new PkiError("pki.key", "public key stored with the private key is not a P-256 point", { cause: e });
    }
    if (!bytesEqual(stored, key.publicKey)) throw new PkiError("pki.key", "public key stored with the private key does not match it");
  }
  return key;
}

/**
 * An ECPrivateKey in plain DER with an explicit curve and an uncompressed
 * stored point, the form EVE, Go and openssl write; NotPlainDer for any
 * other form, which the schema reading then decides on. Its second element
 * being an OCTET STRING is also what tells it from PKCS#8.
 */
function plainSec1(der: Uint8Array): Sec1Fields {
  const top = new DerCursor(der);
  const seq = top.inside(top.next(TAG.sequence));
  top.finish();
  const version = seq.smallUnsigned(seq.next(TAG.integer));
  const privateKey = seq.bytes(seq.next(TAG.octetString)).slice();
  const params = seq.inside(seq.next(0xa0));
  const curve = params.oid(params.next(TAG.oid));
  params.finish();
  let publicKey: Uint8Array | undefined;
  if (!seq.done) {
    const wrap = seq.inside(seq.next(0xa1));
    const bits = wrap.bytes(wrap.next(TAG.bitString));
    wrap.finish();
    if (bits[0] !== 0 || bits.length !== 66 || bits[1] !== 4) throw new NotPlainDer("stored public key of another form");
    publicKey = bits.slice(1);
  }
  seq.finish();
  return { version, privateKey, curve, publicKey };
}

/**
 * A P-256 private key block as PKCS#8 DER, the form WebCrypto imports (it
 * derives the public point natively and refuses a stored one that does not
 * match): a plain SEC1 key on P-256 is wrapped, real PKCS#8 is passed as is
 * for WebCrypto to judge. Undefined for any other form, which only
 * softKeyFromPem reads. Reads the key without node:crypto.
 */
export function p256Pkcs8(block: PemBlock): Uint8Array | undefined {
  let sec1: Sec1Fields;
  try {
    sec1 = plainSec1(block.der);
  } catch (e) {
    if (!(e instanceof NotPlainDer)) throw e;
    return block.label === "PRIVATE KEY" ? block.der : undefined;
  }
  if (sec1.version !== 1 || sec1.curve !== OID.prime256v1 || sec1.privateKey.length !== 32) return undefined;
  const algorithm = derElement(TAG.sequence, derElement(TAG.oid, oidContent(OID.ecPublicKey)), derElement(TAG.oid, oidContent(OID.prime256v1)));
  return derElement(TAG.sequence, derElement(TAG.integer, Uint8Array.of(0)), algorithm, derElement(TAG.octetString, block.der));
}

/**
 * Reads a P-256 private key from PEM: EVE's SEC1-under-`PRIVATE KEY`, plain
 * `EC PRIVATE KEY` (SEC1, openssl's traditional form) and real PKCS#8
 * `PRIVATE KEY`. Under `PRIVATE KEY` the content decides which it is.
 */
export function softKeyFromPem(pem: Uint8Array | string): SoftKey {
  const block = decodePem(pem).find((b) => b.label === "PRIVATE KEY" || b.label === "EC PRIVATE KEY");
  if (!block) throw new PkiError("pki.pem", "no PRIVATE KEY or EC PRIVATE KEY block");
  let sec1: Sec1Fields | undefined;
  try {
    sec1 = plainSec1(block.der);
  } catch (e) {
    if (!(e instanceof NotPlainDer)) throw e;
  }
  if (sec1) return keyFromSec1(sec1);
  // PKCS#8 and the rarer SEC1 forms: the schema reading, loaded only for them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const asn1 = require("./soft-key-asn1.ts") as typeof import("./soft-key-asn1.ts");
  return asn1.softKeyFromBlockAsn1(block);
}

/**
 * The software P256Signer. Signs the given digest as is (no hashing) and
 * leaves S as it comes, like a TPM does, so both backends produce the same
 * kind of signature for the code above them.
 */
export function softSigner(key: SoftKey | Uint8Array): P256Signer {
  const { privateKey, publicKey } = key instanceof Uint8Array ? fromScalar(key) : key;
  let native: KeyObject | undefined;
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");
  return {
    publicKey,
    async sign(digest: Uint8Array): Promise<Uint8Array> {
      if (digest.length !== 32) throw new PkiError("pki.sign", `expected a 32-byte SHA-256 digest, got ${digest.length} bytes`);
      return p256().sign(digest, privateKey, { prehash: false, lowS: false });
    },
    // The runtime's native ECDSA: @noble's first signature builds its tables, tens of ms of a boot that signs
    // one /register envelope with the onboarding key. S is left as it comes here too.
    async signMessage(message: Uint8Array): Promise<Uint8Array> {
      native ??= nodeCrypto().createPrivateKey({
        key: { kty: "EC", crv: "P-256", d: b64(privateKey), x: b64(publicKey.subarray(1, 33)), y: b64(publicKey.subarray(33, 65)) },
        format: "jwk",
      });
      return new Uint8Array(nodeCrypto().sign("sha256", message, { key: native, dsaEncoding: "ieee-p1363" }));
    },
  };
}
