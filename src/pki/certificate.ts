import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CertificatePolicies,
  CRLDistributionPoints,
  DirectoryString,
  ExtendedKeyUsage,
  type GeneralName,
  GeneralNames,
  id_ad_caIssuers,
  id_ad_caRepository,
  id_ad_ocsp,
  id_ad_timeStamping,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_certificatePolicies,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_ce_issuerAltName,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_pe_authorityInfoAccess,
  KeyUsage,
  type Name,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  type Time,
} from "@peculiar/asn1-x509";
import { bytesAfterFirstElement } from "./der.ts";
import { PkiError } from "./errors.ts";
import { decodePem } from "./pem.ts";
import { publicKeyFromParsedSpki } from "./public-key.ts";
import type { PublicKeyInfo } from "./signature.ts";

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

// Bit order of the KeyUsage BIT STRING (RFC 5280 4.2.1.3); KeyUsage.toNumber() reports bit n as 1 << n.
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

/** OID to the short attribute names a Name's text uses (RFC 4514 and the usual extras), as @peculiar/x509 names them. */
const NAME_LABELS: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.6": "C",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "E",
  "2.5.4.42": "G",
  "2.5.4.43": "I",
  "2.5.4.4": "SN",
  "2.5.4.12": "T",
};

const hex = (b: ArrayBuffer | Uint8Array): string => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString("hex");

function escapeNameValue(v: string): string {
  return (
    v
      .replace(/([,+"\\<>;])/g, "\\$1")
      .replace(/^([ #])/, "\\$1")
      .replace(/([ ]$)/, "\\$1")
      // Only the first control character, as the text the agent has always shown (status, logs) had it.
      .replace(/([\r\n\t])/, (c) => `\\${hex(Buffer.from(c, "utf8")).toUpperCase()}`)
  );
}

/** The Name as text, RDNs in encoded order: the form status and logs have always shown (@peculiar/x509's). */
function nameText(name: Name): string {
  return name
    .map((rdn) =>
      rdn.map((a) => `${NAME_LABELS[a.type] ?? a.type}=${a.value.anyValue ? `#${hex(a.value.anyValue)}` : escapeNameValue(a.value.toString())}`).join("+"),
    )
    .join(", ");
}

/** Lowercase hex of the serial's magnitude, no leading zero bytes. */
function serialHex(raw: ArrayBuffer): string {
  const s = hex(raw).replace(/^(00)+/, "");
  return s === "" ? "00" : s;
}

/** An access location must be a name kind the agent could show; other ones make the extension malformed. */
function checkAccessLocation(gn: GeneralName): void {
  if (
    gn.dNSName !== undefined ||
    gn.rfc822Name !== undefined ||
    gn.iPAddress !== undefined ||
    gn.uniformResourceIdentifier !== undefined ||
    gn.registeredID !== undefined ||
    gn.directoryName !== undefined
  ) {
    return;
  }
  if (gn.otherName?.typeId === OID_GUID) {
    const guid = hex(AsnConvert.parse(gn.otherName.value, OctetString).buffer);
    if (!/^[0-9a-f]{32}$/i.test(guid)) throw new Error("GUID name is not 16 bytes");
    return;
  }
  if (gn.otherName?.typeId === OID_UPN) {
    AsnConvert.parse(gn.otherName.value, DirectoryString);
    return;
  }
  throw new Error("unsupported access location name");
}

const OID_GUID = "1.3.6.1.4.1.311.25.1";
const OID_UPN = "1.3.6.1.4.1.311.20.2.3";
const AIA_METHODS = new Set([id_ad_ocsp, id_ad_caIssuers, id_ad_timeStamping, id_ad_caRepository]);

/**
 * Extension values decoded on every read, so a certificate carrying a
 * malformed one is refused whether or not the agent uses it: the set a
 * certificate's reading has always decoded (@peculiar/x509's registered
 * extensions).
 */
const DECODED: Readonly<Record<string, (value: ArrayBuffer) => unknown>> = {
  [id_ce_basicConstraints]: (v) => AsnConvert.parse(v, BasicConstraints),
  [id_ce_keyUsage]: (v) => AsnConvert.parse(v, KeyUsage),
  [id_ce_extKeyUsage]: (v) => AsnConvert.parse(v, ExtendedKeyUsage),
  [id_ce_subjectKeyIdentifier]: (v) => AsnConvert.parse(v, SubjectKeyIdentifier),
  [id_ce_authorityKeyIdentifier]: (v) => AsnConvert.parse(v, AuthorityKeyIdentifier),
  [id_ce_subjectAltName]: (v) => AsnConvert.parse(v, SubjectAlternativeName),
  [id_ce_issuerAltName]: (v) => AsnConvert.parse(v, GeneralNames),
  [id_ce_cRLDistributionPoints]: (v) => AsnConvert.parse(v, CRLDistributionPoints),
  [id_ce_certificatePolicies]: (v) => AsnConvert.parse(v, CertificatePolicies),
  [id_pe_authorityInfoAccess]: (v) => {
    const aia = AsnConvert.parse(v, AuthorityInfoAccessSyntax);
    for (const d of aia) if (AIA_METHODS.has(d.accessMethod)) checkAccessLocation(d.accessLocation);
    return aia;
  },
};

function timeOf(t: Time, which: string): Date {
  const d = t.utcTime ?? t.generalTime;
  if (!d) throw new Error(`certificate has no ${which} time`);
  return d;
}

function readFacts(bytes: Uint8Array, asn: Certificate, subject: string): ParsedCert {
  const tbs = asn.tbsCertificate;
  // First of each kind wins, as a lookup by kind always did; every one is still decoded (DECODED).
  const first = new Map<string, unknown>();
  const criticalExtensions: string[] = [];
  for (const ext of tbs.extensions ?? []) {
    const decode = DECODED[ext.extnID];
    const value = decode?.(ext.extnValue.buffer);
    if (decode && !first.has(ext.extnID)) first.set(ext.extnID, value);
    if (ext.critical) criticalExtensions.push(ext.extnID);
  }
  const bc = first.get(id_ce_basicConstraints) as BasicConstraints | undefined;
  const ku = first.get(id_ce_keyUsage) as KeyUsage | undefined;
  const eku = first.get(id_ce_extKeyUsage) as ExtendedKeyUsage | undefined;
  const ski = first.get(id_ce_subjectKeyIdentifier) as SubjectKeyIdentifier | undefined;
  const aki = first.get(id_ce_authorityKeyIdentifier) as AuthorityKeyIdentifier | undefined;
  const basicConstraints = bc ? (bc.pathLenConstraint === undefined ? { ca: bc.cA } : { ca: bc.cA, pathLength: bc.pathLenConstraint }) : undefined;
  const usageBits = ku?.toNumber() ?? 0;
  const spkiDer = new Uint8Array(AsnConvert.serialize(tbs.subjectPublicKeyInfo));
  const akiBytes = aki?.keyIdentifier ? new Uint8Array(aki.keyIdentifier.buffer) : undefined;
  return {
    der: bytes,
    version: tbs.version + 1,
    subject,
    issuer: nameText(tbs.issuer),
    // Re-encoded from the parsed Name, as names have always been compared.
    subjectDer: new Uint8Array(AsnConvert.serialize(tbs.subject)),
    issuerDer: new Uint8Array(AsnConvert.serialize(tbs.issuer)),
    serial: serialHex(tbs.serialNumber),
    notBefore: timeOf(tbs.validity.notBefore, "notBefore"),
    notAfter: timeOf(tbs.validity.notAfter, "notAfter"),
    basicConstraints,
    isCA: basicConstraints?.ca ?? false,
    keyUsage: ku ? KEY_USAGE_BITS.filter((_, bit) => (usageBits & (1 << bit)) !== 0) : undefined,
    extKeyUsage: eku ? Array.from(eku, String) : undefined,
    subjectKeyId: ski ? new Uint8Array(ski.buffer) : undefined,
    authorityKeyId: akiBytes && akiBytes.length > 0 ? akiBytes : undefined,
    criticalExtensions,
    signatureAlgorithm: asn.signatureAlgorithm.algorithm,
    publicKey: publicKeyFromParsedSpki(tbs.subjectPublicKeyInfo, spkiDer),
    spkiDer,
  };
}

/**
 * Certificates read in this process, by their DER. A boot reads the same few
 * (device, onboarding, controller chain from its checkpoint and again from
 * /certs) several times; the facts are a pure function of the bytes.
 * Bounded, as /certs answers come from the network.
 */
const parsed = new Map<string, ParsedCert>();
const PARSED_MAX = 64;

/**
 * The facts of one DER certificate. The result may be shared with other
 * callers that read the same bytes: treat it (and its byte arrays) as
 * read-only, as its type says.
 */
export function parseCertificate(der: Uint8Array): ParsedCert {
  const bytes = new Uint8Array(der);
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const known = parsed.get(key);
  if (known) return known;
  const extra = bytesAfterFirstElement(bytes);
  if (extra > 0) throw new PkiError("pki.parse", `certificate has ${extra} bytes after its end`);
  let asn: Certificate;
  let subject: string;
  try {
    asn = AsnConvert.parse(bytes, Certificate);
    subject = nameText(asn.tbsCertificate.subject);
  } catch (e) {
    if (e instanceof PkiError) throw e;
    throw new PkiError("pki.parse", "certificate does not parse", { cause: e });
  }
  let facts: ParsedCert;
  try {
    facts = Object.freeze(readFacts(bytes, asn, subject));
  } catch (e) {
    if (e instanceof PkiError) throw e;
    throw new PkiError("pki.parse", `certificate ${subject} has a malformed extension`, { cause: e });
  }
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, facts);
  return facts;
}

/** Every CERTIFICATE block of a PEM file, in file order; other blocks (keys) are skipped. */
export function parseCertificatesPem(pem: Uint8Array | string): ParsedCert[] {
  return decodePem(pem)
    .filter((b) => b.label === "CERTIFICATE")
    .map((b) => parseCertificate(b.der));
}
