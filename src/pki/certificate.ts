import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { fromHex } from "../shared/index.ts";
import { PkiError } from "./errors.ts";
import { decodePem } from "./pem.ts";
import { publicKeyFromSpki } from "./public-key.ts";
import type { PublicKeyInfo } from "./signature.ts";
import { x509 } from "./x509-lib.ts";

export type KeyUsageName =
  | "digitalSignature"
  | "nonRepudiation"
  | "keyEncipherment"
  | "dataEncipherment"
  | "keyAgreement"
  | "keyCertSign"
  | "cRLSign"
  | "encipherOnly"
  | "decipherOnly";

// Bit order of the KeyUsage BIT STRING (RFC 5280 4.2.1.3); x509 reports bit n as 1 << n.
const KEY_USAGE_BITS: readonly KeyUsageName[] = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
];

/** What the agent needs to know about one X.509 certificate; plain data, safe to keep and compare. */
export interface ParsedCert {
  readonly der: Uint8Array;
  readonly version: number;
  readonly subject: string;
  readonly issuer: string;
  /** DER of the Name; chains are built by comparing these bytes, as Go's verifier does. */
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  /** Lowercase hex of the serial's magnitude, no leading zero bytes. */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Undefined when the certificate has no basicConstraints extension. */
  readonly basicConstraints: { readonly ca: boolean; readonly pathLength?: number } | undefined;
  readonly isCA: boolean;
  /** Undefined when absent, which means "no restriction". */
  readonly keyUsage: readonly KeyUsageName[] | undefined;
  /** Purpose OIDs; undefined when absent, which means "any purpose". */
  readonly extKeyUsage: readonly string[] | undefined;
  readonly subjectKeyId: Uint8Array | undefined;
  readonly authorityKeyId: Uint8Array | undefined;
  readonly criticalExtensions: readonly string[];
  /** OID of the algorithm the issuer signed with. */
  readonly signatureAlgorithm: string;
  readonly publicKey: PublicKeyInfo;
  readonly spkiDer: Uint8Array;
}

function serialHex(hex: string): string {
  const s = hex.toLowerCase().replace(/^(00)+/, "");
  return s === "" ? "00" : s;
}

export function parseCertificate(der: Uint8Array): ParsedCert {
  const bytes = new Uint8Array(der);
  let asn: Certificate;
  let cert: InstanceType<typeof x509.X509Certificate>;
  try {
    asn = AsnConvert.parse(bytes, Certificate);
    cert = new x509.X509Certificate(bytes);
  } catch (e) {
    if (e instanceof PkiError) throw e;
    throw new PkiError("pki.parse", "certificate does not parse", { cause: e });
  }
  try {
    const bc = cert.getExtension(x509.BasicConstraintsExtension);
    const ku = cert.getExtension(x509.KeyUsagesExtension);
    const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
    const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
    const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
    const spkiDer = new Uint8Array(cert.publicKey.rawData);
    const basicConstraints = bc ? (bc.pathLength === undefined ? { ca: bc.ca } : { ca: bc.ca, pathLength: bc.pathLength }) : undefined;
    return {
      der: bytes,
      version: asn.tbsCertificate.version + 1,
      subject: cert.subject,
      issuer: cert.issuer,
      subjectDer: new Uint8Array(cert.subjectName.toArrayBuffer()),
      issuerDer: new Uint8Array(cert.issuerName.toArrayBuffer()),
      serial: serialHex(cert.serialNumber),
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      basicConstraints,
      isCA: basicConstraints?.ca ?? false,
      keyUsage: ku ? KEY_USAGE_BITS.filter((_, bit) => (ku.usages & (1 << bit)) !== 0) : undefined,
      extKeyUsage: eku ? eku.usages.map(String) : undefined,
      subjectKeyId: ski ? fromHex(ski.keyId) : undefined,
      authorityKeyId: aki?.keyId ? fromHex(aki.keyId) : undefined,
      criticalExtensions: cert.extensions.filter((e) => e.critical).map((e) => e.type),
      signatureAlgorithm: asn.signatureAlgorithm.algorithm,
      publicKey: publicKeyFromSpki(spkiDer),
      spkiDer,
    };
  } catch (e) {
    if (e instanceof PkiError) throw e;
    throw new PkiError("pki.parse", `certificate ${cert.subject} has a malformed extension`, { cause: e });
  }
}

/** Every CERTIFICATE block of a PEM file, in file order; other blocks (keys) are skipped. */
export function parseCertificatesPem(pem: Uint8Array | string): ParsedCert[] {
  return decodePem(pem)
    .filter((b) => b.label === "CERTIFICATE")
    .map((b) => parseCertificate(b.der));
}
