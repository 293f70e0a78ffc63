import { X509Certificate } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import type { Extension, Name } from "@peculiar/asn1-x509";
import { bufferSource, type P256Signer, sha256 } from "../shared/index.ts";
import { asn1 } from "./asn1-lib.ts";
import { DerCursor, NotPlainDer, TAG, unsignedIntegerContent } from "./der.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import { p256PublicKeyObject } from "./public-key.ts";

/*
 * Certificates the agent signs itself. The structures come from
 * @peculiar/asn1-x509; only the signature is ours, made by a P256Signer so
 * the key may stay inside a TPM.
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

/** A Name from (attribute OID, value) pairs, one attribute per RDN, in the order given. */
export function buildName(attributes: readonly (readonly [string, string])[]): Name {
  const { Name, AttributeValue, RelativeDistinguishedName, AttributeTypeAndValue } = asn1();
  return new Name(
    attributes.map(([type, text]) => {
      const value = PRINTABLE.test(text) ? new AttributeValue({ printableString: text }) : new AttributeValue({ utf8String: text });
      return new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value })]);
    }),
  );
}

export function nameFromDer(der: Uint8Array): Name {
  const { AsnConvert, Name } = asn1();
  return AsnConvert.parse(der, Name);
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

function extension(extnID: string, critical: boolean, value: unknown): Extension {
  const { Extension, OctetString, AsnConvert } = asn1();
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

export const ext = {
  /** Critical, as Go marks it. `usages` is a KeyUsageFlags bit mask. */
  keyUsage: (usages: number) => extension(OID.keyUsage, true, new (asn1().KeyUsage)(usages)),
  extKeyUsage: (purposes: readonly string[]) => extension(OID.extKeyUsage, false, new (asn1().ExtendedKeyUsage)([...purposes])),
  /** Critical, as Go marks it; cA false is encoded by omission (DER DEFAULT). */
  basicConstraints: (ca: boolean) => extension(OID.basicConstraints, true, new (asn1().BasicConstraints)({ cA: ca })),
  subjectKeyId: (id: Uint8Array) => extension(OID.subjectKeyIdentifier, false, new (asn1().SubjectKeyIdentifier)(id)),
  authorityKeyId: (id: Uint8Array) =>
    extension(OID.authorityKeyIdentifier, false, new (asn1().AuthorityKeyIdentifier)({ keyIdentifier: new (asn1().KeyIdentifier)(id) })),
};

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
  readonly issuer: Name;
  readonly subject: Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spkiDer: Uint8Array;
  readonly extensions: readonly Extension[];
}

/**
 * Builds the TBSCertificate, has `signer` sign SHA-256 of it and returns the
 * certificate DER. The result is checked against the signer's public key
 * before it is returned: a TPM that signs with the wrong key or returns
 * garbage must not leave a certificate on disk that nothing can verify.
 */
export async function signCertificate(fields: TbsFields, signer: P256Signer): Promise<Uint8Array> {
  const { AlgorithmIdentifier, AsnConvert, Certificate, Extensions, SubjectPublicKeyInfo, TBSCertificate, Validity, Version } = asn1();
  const algorithm = new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: fields.serial,
    signature: algorithm,
    issuer: fields.issuer,
    validity: new Validity({ notBefore: fields.notBefore, notAfter: fields.notAfter }),
    subject: fields.subject,
    subjectPublicKeyInfo: AsnConvert.parse(fields.spkiDer, SubjectPublicKeyInfo),
    extensions: new Extensions([...fields.extensions]),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const digest = sha256(tbsDer);
  const raw = await signer.sign(digest);
  if (raw.length !== 64) throw new PkiError("pki.sign", `signer returned ${raw.length} bytes, expected a 64-byte r||s`);
  if (!(await verifiesWith(signer.publicKey, tbsDer, raw))) {
    throw new PkiError("pki.sign", "signer's signature does not verify with its own public key");
  }
  const signature = p256.Signature.fromBytes(raw, "compact").toBytes("der");
  const cert = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: signature.slice().buffer });
  const der = new Uint8Array(AsnConvert.serialize(cert));
  // The signature was made over tbsDer, so it verifies on the encoded certificate only if that certificate
  // carries exactly tbsDer; the runtime's native X.509 checks that without parsing the DER again in JavaScript.
  if (!encodedCertVerifies(der, signer.publicKey)) {
    throw new PkiError("pki.sign", "encoded certificate does not contain the TBSCertificate that was signed");
  }
  return der;
}
