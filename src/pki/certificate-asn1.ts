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
import { escapeNameValue, hex, keyUsageNames, NAME_LABELS, serialHex } from "./cert-text.ts";
import type { ParsedCert } from "./certificate.ts";
import { PkiError } from "./errors.ts";
import { publicKeyFromParsedSpki } from "./public-key-asn1.ts";

/** The Name as text, RDNs in encoded order: the form status and logs have always shown (@peculiar/x509's). */
function nameText(name: Name): string {
  return name
    .map((rdn) =>
      rdn.map((a) => `${NAME_LABELS[a.type] ?? a.type}=${a.value.anyValue ? `#${hex(a.value.anyValue)}` : escapeNameValue(a.value.toString())}`).join("+"),
    )
    .join(", ");
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
    keyUsage: ku ? keyUsageNames(usageBits) : undefined,
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
 * The reading of a certificate through @peculiar/asn1-x509's schema: the
 * one the agent has always used, kept for the certificates the plain DER
 * reader (certificate.ts) leaves to it, those with a part outside its
 * strict subset. Loaded on first use only.
 */
export function readCertificateAsn1(bytes: Uint8Array): ParsedCert {
  let asn: Certificate;
  let subject: string;
  try {
    asn = AsnConvert.parse(bytes, Certificate);
    subject = nameText(asn.tbsCertificate.subject);
  } catch (e) {
    if (e instanceof PkiError) throw e;
    throw new PkiError("pki.parse", "certificate does not parse", { cause: e });
  }
  try {
    return readFacts(bytes, asn, subject);
  } catch (e) {
    if (e instanceof PkiError) throw e;
    throw new PkiError("pki.parse", `certificate ${subject} has a malformed extension`, { cause: e });
  }
}
