import { createPublicKey } from "node:crypto";
import type { AlgorithmIdentifier, Extension, Name } from "@peculiar/asn1-x509";
import {
  asn1,
  buildName,
  encodePem,
  ext,
  keyIdentifier,
  OID,
  type ParsedCert,
  parseCertificatesPem,
  randomSerial,
  spkiFromP256Point,
  spkiFromRsa,
  x509,
} from "../../pki/index.ts";
import { bytesEqual, concatBytes, sha256, utf8 } from "../../shared/index.ts";
import { ServicesError } from "../errors.ts";
import { ApiError } from "../http/routes.ts";
import type { KeyPair, PublicParts } from "../keys/types.ts";

const SHORT_NAMES: Record<string, string> = {
  CN: OID.commonName,
  O: OID.organizationName,
  OU: "2.5.4.11",
  C: OID.countryName,
  ST: OID.stateOrProvinceName,
  L: OID.localityName,
};

/** DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1): what an RSA PKCS#1 v1.5 signature wraps. */
const SHA256_DIGEST_INFO = Uint8Array.of(0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20);

export function spkiOf(pub: PublicParts): Uint8Array {
  return pub.kind === "ec" ? spkiFromP256Point(pub.point) : spkiFromRsa(pub.modulus, pub.exponent);
}

export function subjectName(attrs: Record<string, string>): Name {
  return buildName(Object.entries(attrs).map(([k, v]) => [SHORT_NAMES[k]!, v] as const));
}

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** Whether an SPKI (from a certificate or CSR) names this key, compared by value rather than by encoding. */
export function certifiesKey(spkiDer: Uint8Array, pub: PublicParts): boolean {
  let jwk: { kty?: string; crv?: string; x?: string; y?: string; n?: string; e?: string };
  try {
    jwk = createPublicKey({ key: Buffer.from(spkiDer), format: "der", type: "spki" }).export({ format: "jwk" });
  } catch {
    return false;
  }
  const b = (s: string | undefined) => stripZeros(new Uint8Array(Buffer.from(s ?? "", "base64url")));
  if (pub.kind === "ec") {
    return (
      jwk.kty === "EC" &&
      jwk.crv === "P-256" &&
      bytesEqual(concatBytes(Uint8Array.of(4), new Uint8Array(Buffer.from(jwk.x!, "base64url")), new Uint8Array(Buffer.from(jwk.y!, "base64url"))), pub.point)
    );
  }
  return jwk.kty === "RSA" && bytesEqual(b(jwk.n), stripZeros(pub.modulus)) && bytesEqual(b(jwk.e), stripZeros(pub.exponent));
}

function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

/** Signs SHA-256 of `tbs` with any key pair of the keys service; returns the signature algorithm and value. */
async function signTbs(tbsDer: Uint8Array, key: KeyPair): Promise<{ algorithm: AlgorithmIdentifier; signature: Uint8Array }> {
  const { AlgorithmIdentifier } = asn1();
  const digest = sha256(tbsDer);
  if (key.publicKey.kind === "ec" && key.signDigest) {
    return { algorithm: new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 }), signature: await key.signDigest(digest) };
  }
  if (key.publicKey.kind === "rsa" && key.rsaPkcs1) {
    return {
      algorithm: new AlgorithmIdentifier({ algorithm: OID.sha256WithRsa, parameters: null }),
      signature: await key.rsaPkcs1(concatBytes(SHA256_DIGEST_INFO, digest)),
    };
  }
  throw new ApiError(400, `key pair ${key.id} cannot sign certificates`);
}

function algorithmFor(key: KeyPair): AlgorithmIdentifier {
  const { AlgorithmIdentifier } = asn1();
  return key.publicKey.kind === "ec"
    ? new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 })
    : new AlgorithmIdentifier({ algorithm: OID.sha256WithRsa, parameters: null });
}

export interface Issuer {
  /** The issuer's chain, leaf first (its own certificate first). */
  chain: ParsedCert[];
  key: KeyPair;
}

export interface IssueRequest {
  subject: Name;
  spkiDer: Uint8Array;
  /** Extensions asked for (from the CSR); key identifiers are added when missing. */
  extensions: Extension[];
  lifetimeSeconds: number;
  now: Date;
  /** Absent: self-signed by `selfKey`. */
  issuer?: Issuer;
  selfKey?: KeyPair;
}

/**
 * A certificate as aziot-certd issues one: the requested subject and
 * extensions, a random serial, validity from now for the lifetime but never
 * past the issuer's, subject and authority key identifiers, signed by the
 * issuer's key through the keys service. Returns the PEM chain, leaf first:
 * the new certificate followed by the issuer's chain.
 */
export async function issueCertificate(req: IssueRequest): Promise<string> {
  const signer = req.issuer?.key ?? req.selfKey;
  if (!signer) throw new ApiError(400, "an issuer or a key of its own is needed");
  const issuerCert = req.issuer?.chain[0];
  if (issuerCert) {
    if (!certifiesKey(issuerCert.spkiDer, req.issuer!.key.publicKey)) throw new ApiError(400, "the issuer key does not match the issuer certificate");
    if (req.now.getTime() > issuerCert.notAfter.getTime()) throw new ApiError(400, `the issuer certificate expired at ${issuerCert.notAfter.toISOString()}`);
  } else if (!certifiesKey(req.spkiDer, signer.publicKey)) {
    throw new ApiError(400, "a self-signed certificate must certify its own key");
  }
  const notBefore = wholeSeconds(req.now.getTime());
  let notAfter = wholeSeconds(req.now.getTime() + req.lifetimeSeconds * 1000);
  if (issuerCert && notAfter.getTime() > issuerCert.notAfter.getTime()) notAfter = issuerCert.notAfter;
  const have = new Set(req.extensions.map((e) => e.extnID));
  const extensions = [...req.extensions];
  if (!have.has(OID.subjectKeyIdentifier)) extensions.push(ext.subjectKeyId(keyIdentifier(req.spkiDer)));
  if (!have.has(OID.authorityKeyIdentifier)) {
    const aki = issuerCert ? (issuerCert.subjectKeyId ?? keyIdentifier(issuerCert.spkiDer)) : keyIdentifier(req.spkiDer);
    extensions.push(ext.authorityKeyId(aki));
  }
  const { AsnConvert, Certificate, Extensions, Name, SubjectPublicKeyInfo, TBSCertificate, Validity, Version } = asn1();
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: randomSerial(),
    signature: algorithmFor(signer),
    issuer: issuerCert ? AsnConvert.parse(issuerCert.subjectDer, Name) : req.subject,
    validity: new Validity({ notBefore, notAfter }),
    subject: req.subject,
    subjectPublicKeyInfo: AsnConvert.parse(req.spkiDer, SubjectPublicKeyInfo),
    extensions: new Extensions(extensions),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const { algorithm, signature } = await signTbs(tbsDer, signer);
  const der = new Uint8Array(
    AsnConvert.serialize(new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: signature.slice().buffer })),
  );
  // A backend that signed with another key, or garbage, must not yield a certificate nothing can verify.
  const made = new x509.X509Certificate(der);
  const verifyKey = issuerCert ? new x509.X509Certificate(issuerCert.der).publicKey : made.publicKey;
  if (!(await made.verify({ publicKey: verifyKey, signatureOnly: true })))
    throw new ServicesError("services.issue", "the issued certificate does not verify with the issuer's key");
  return [encodePem("CERTIFICATE", der), ...(req.issuer?.chain ?? []).map((c) => encodePem("CERTIFICATE", c.der))].join("");
}

export interface ParsedCsr {
  subject: Name;
  spkiDer: Uint8Array;
  extensions: Extension[];
}

/** A PKCS#10 request in PEM (what aziot's clients send in `csr`) or base64 DER, its self-signature checked. */
export async function parseCsr(text: string): Promise<ParsedCsr> {
  let csr: InstanceType<typeof x509.Pkcs10CertificateRequest>;
  try {
    csr = new x509.Pkcs10CertificateRequest(text.includes("-----BEGIN") ? text : Buffer.from(text, "base64"));
  } catch {
    throw new ApiError(400, 'parameter "csr" is not a PKCS#10 certificate request');
  }
  let ok = false;
  try {
    ok = await csr.verify();
  } catch {
    ok = false;
  }
  if (!ok) throw new ApiError(400, 'parameter "csr" does not verify with its own public key');
  const { AsnConvert, Extension, Name } = asn1();
  return {
    subject: AsnConvert.parse(csr.subjectName.toArrayBuffer(), Name),
    spkiDer: new Uint8Array(csr.publicKey.rawData),
    extensions: csr.extensions.map((e) => AsnConvert.parse(e.rawData, Extension)),
  };
}

/** Every certificate of a PEM string, leaf first; 400 when there is none or one does not parse. */
export function parseChain(pem: string, what: string): ParsedCert[] {
  let chain: ParsedCert[];
  try {
    chain = parseCertificatesPem(utf8.encode(pem));
  } catch {
    throw new ApiError(400, `${what} is not a PEM certificate chain`);
  }
  if (chain.length === 0) throw new ApiError(400, `${what} holds no certificate`);
  return chain;
}
