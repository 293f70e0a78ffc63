import { X509Certificate } from "node:crypto";
import type { Extension, Name } from "@peculiar/asn1-x509";
import { bufferSource, type P256Signer, sha256 } from "../shared/index.ts";
import { asn1 } from "./asn1-lib.ts";
import { DerCursor, derElement, NotPlainDer, oidContent, TAG, unsignedIntegerContent } from "./der.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import { p256PublicKeyObject } from "./public-key.ts";

/*
 * Certificates the agent signs itself, written as DER directly: the few
 * structures are fixed, and building them through @peculiar's schema classes
 * cost the boot that creates the device's certificates tens of milliseconds
 * of CPU. The signature is made by a P256Signer so the key may stay inside a
 * TPM. The certificates service (CSRs, other profiles) still works with
 * @peculiar's objects; it gets them parsed from the same DER (buildName, ext).
 */

/** KeyUsage bits as ext.keyUsage takes them: bit n of the BIT STRING is 1 << n (RFC 5280 4.2.1.3), as @peculiar's KeyUsageFlags. */
export const KeyUsageFlags = {
  digitalSignature: 1,
  nonRepudiation: 2,
  keyEncipherment: 4,
  dataEncipherment: 8,
  keyAgreement: 16,
  keyCertSign: 32,
  cRLSign: 64,
  encipherOnly: 128,
  decipherOnly: 256,
} as const;

// X.520 PrintableString alphabet; Go picks it whenever a value fits, else UTF8String.
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** A Name's DER from (attribute OID, value) pairs, one attribute per RDN, in the order given. */
export function nameDer(attributes: readonly (readonly [string, string])[]): Uint8Array {
  return derElement(
    TAG.sequence,
    ...attributes.map(([type, text]) =>
      derElement(
        TAG.set,
        derElement(
          TAG.sequence,
          derElement(TAG.oid, oidContent(type)),
          derElement(PRINTABLE.test(text) ? TAG.printableString : TAG.utf8String, new TextEncoder().encode(text)),
        ),
      ),
    ),
  );
}

/** nameDer as @peculiar's Name, for the certificates service. */
export function buildName(attributes: readonly (readonly [string, string])[]): Name {
  const { AsnConvert, Name } = asn1();
  return AsnConvert.parse(nameDer(attributes), Name);
}

/** A random positive serial of up to 128 bits, as EVE draws it (never zero, minimal DER INTEGER). */
export function randomSerial(): ArrayBuffer {
  let raw: Uint8Array;
  do raw = crypto.getRandomValues(new Uint8Array(16));
  while (raw.every((b) => b === 0));
  return unsignedIntegerContent(raw);
}

/**
 * RFC 7093 method 1 key identifier: the leftmost 160 bits of SHA-256 over
 * the subjectPublicKey bits. Only has to be stable and unique per key.
 */
export function keyIdentifier(spkiDer: Uint8Array): Uint8Array {
  let keyBits: Uint8Array;
  try {
    const top = new DerCursor(spkiDer);
    const spki = top.inside(top.next(TAG.sequence));
    spki.next(TAG.sequence);
    const bits = spki.bytes(spki.next(TAG.bitString));
    if (bits.length === 0) throw new NotPlainDer("empty BIT STRING");
    keyBits = bits.subarray(1);
  } catch (e) {
    if (!(e instanceof NotPlainDer)) throw e;
    const { AsnConvert, SubjectPublicKeyInfo } = asn1();
    keyBits = new Uint8Array(AsnConvert.parse(spkiDer, SubjectPublicKeyInfo).subjectPublicKey);
  }
  return sha256(keyBits).subarray(0, 20);
}

function extensionDer(extnID: string, critical: boolean, value: Uint8Array): Uint8Array {
  return derElement(
    TAG.sequence,
    derElement(TAG.oid, oidContent(extnID)),
    ...(critical ? [derElement(TAG.boolean, Uint8Array.of(0xff))] : []),
    derElement(TAG.octetString, value),
  );
}

/** A named-bit BIT STRING (KeyUsage) in DER: bit n of `bits` is 1 << n, trailing zero bits left out. */
function namedBits(bits: number): Uint8Array {
  if (bits === 0) return derElement(TAG.bitString, Uint8Array.of(0));
  const top = 31 - Math.clz32(bits);
  const out = new Uint8Array(1 + (top >> 3) + 1);
  out[0] = 7 - (top & 7);
  for (let i = 0; i <= top; i++) if (bits & (1 << i)) out[1 + (i >> 3)]! |= 0x80 >> (i & 7);
  return derElement(TAG.bitString, out);
}

/** Extensions as DER, marked critical as Go marks them. */
export const extDer = {
  /** `usages` is a KeyUsageFlags bit mask. */
  keyUsage: (usages: number) => extensionDer(OID.keyUsage, true, namedBits(usages)),
  extKeyUsage: (purposes: readonly string[]) =>
    extensionDer(OID.extKeyUsage, false, derElement(TAG.sequence, ...purposes.map((p) => derElement(TAG.oid, oidContent(p))))),
  /** cA false is encoded by omission (DER DEFAULT). */
  basicConstraints: (ca: boolean) =>
    extensionDer(OID.basicConstraints, true, derElement(TAG.sequence, ...(ca ? [derElement(TAG.boolean, Uint8Array.of(0xff))] : []))),
  subjectKeyId: (id: Uint8Array) => extensionDer(OID.subjectKeyIdentifier, false, derElement(TAG.octetString, id)),
  authorityKeyId: (id: Uint8Array) => extensionDer(OID.authorityKeyIdentifier, false, derElement(TAG.sequence, derElement(0x80, id))),
};

/** extDer as @peculiar's Extension objects, for the certificates service. */
export const ext = {
  keyUsage: (usages: number) => asExtension(extDer.keyUsage(usages)),
  extKeyUsage: (purposes: readonly string[]) => asExtension(extDer.extKeyUsage(purposes)),
  basicConstraints: (ca: boolean) => asExtension(extDer.basicConstraints(ca)),
  subjectKeyId: (id: Uint8Array) => asExtension(extDer.subjectKeyId(id)),
  authorityKeyId: (id: Uint8Array) => asExtension(extDer.authorityKeyId(id)),
};

function asExtension(der: Uint8Array): Extension {
  const { AsnConvert, Extension } = asn1();
  return AsnConvert.parse(der, Extension);
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5); whole seconds. */
function timeDer(d: Date): Uint8Array {
  const iso = d.toISOString();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "");
  const utc = d.getUTCFullYear() <= 2049;
  return derElement(utc ? TAG.utcTime : TAG.generalizedTime, new TextEncoder().encode(`${utc ? digits.slice(2) : digits}Z`));
}

/** An r||s P-256 signature as DER ECDSA-Sig-Value. */
function ecdsaSigDer(raw: Uint8Array): Uint8Array {
  const int = (v: Uint8Array) => derElement(TAG.integer, new Uint8Array(unsignedIntegerContent(v)));
  return derElement(TAG.sequence, int(raw.subarray(0, 32)), int(raw.subarray(32)));
}

const ECDSA_WITH_SHA256 = derElement(TAG.sequence, derElement(TAG.oid, oidContent(OID.ecdsaWithSha256)));

/**
 * Whether `raw` (r||s) is a P-256 signature over SHA-256(data) by `point`, through the runtime's
 * native ECDSA (@noble's first verify builds its tables, tens of ms of the boot that creates the
 * device's certificates). A point that does not import is a signer that cannot have signed.
 */
async function verifiesWith(point: Uint8Array, data: Uint8Array, raw: Uint8Array): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey("raw", bufferSource(point), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    return await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, bufferSource(raw), bufferSource(data));
  } catch {
    return false;
  }
}

function encodedCertVerifies(der: Uint8Array, point: Uint8Array): boolean {
  try {
    return new X509Certificate(der).verify(p256PublicKeyObject(point));
  } catch {
    return false;
  }
}

export interface TbsFields {
  readonly serial: ArrayBuffer;
  /** DER of the Names. */
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spkiDer: Uint8Array;
  /** DER of each Extension (extDer). */
  readonly extensions: readonly Uint8Array[];
}

/**
 * Builds the TBSCertificate, has `signer` sign SHA-256 of it and returns the
 * certificate DER. The result is checked against the signer's public key
 * before it is returned: a TPM that signs with the wrong key or returns
 * garbage must not leave a certificate on disk that nothing can verify.
 */
export async function signCertificate(fields: TbsFields, signer: P256Signer): Promise<Uint8Array> {
  const tbsDer = derElement(
    TAG.sequence,
    derElement(0xa0, derElement(TAG.integer, Uint8Array.of(2))),
    derElement(TAG.integer, new Uint8Array(fields.serial)),
    ECDSA_WITH_SHA256,
    fields.issuerDer,
    derElement(TAG.sequence, timeDer(fields.notBefore), timeDer(fields.notAfter)),
    fields.subjectDer,
    fields.spkiDer,
    derElement(0xa3, derElement(TAG.sequence, ...fields.extensions)),
  );
  const digest = sha256(tbsDer);
  const raw = await signer.sign(digest);
  if (raw.length !== 64) throw new PkiError("pki.sign", `signer returned ${raw.length} bytes, expected a 64-byte r||s`);
  if (!(await verifiesWith(signer.publicKey, tbsDer, raw))) {
    throw new PkiError("pki.sign", "signer's signature does not verify with its own public key");
  }
  const der = derElement(TAG.sequence, tbsDer, ECDSA_WITH_SHA256, derElement(TAG.bitString, Uint8Array.of(0), ecdsaSigDer(raw)));
  // The signature was made over tbsDer, so it verifies on the encoded certificate only if that certificate
  // carries exactly tbsDer; the runtime's native X.509 checks that (and that the whole is a certificate it reads).
  if (!encodedCertVerifies(der, signer.publicKey)) {
    throw new PkiError("pki.sign", "encoded certificate does not contain the TBSCertificate that was signed");
  }
  return der;
}
