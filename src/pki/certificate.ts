import { escapeNameValue, type KeyUsageName, keyUsageNames, NAME_LABELS, serialHex } from "./cert-text.ts";
import { bytesAfterFirstElement, DerCursor, type DerElement, NotPlainDer, TAG } from "./der.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import { decodePem } from "./pem.ts";
import { plainPublicKey } from "./public-key.ts";
import type { PublicKeyInfo } from "./signature.ts";

export type { KeyUsageName } from "./cert-text.ts";

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

/*
 * Two readings of one certificate. The plain one below walks the DER by hand
 * and knows a strict subset: DER lengths, v1/v3, the name strings and
 * extensions the agent's own and its controller's certificates carry. It is
 * what a boot runs, because asn1js and @peculiar's schema classes, run on the
 * ~8 certificates of a boot, cost it tens of milliseconds of CPU (plus
 * evaluating their modules). Whatever the plain reading does not know in
 * full (another string type, a SAN or policy to validate, BER) it leaves to
 * the schema reading (certificate-asn1.ts, loaded then), which has always
 * decided what is accepted: so the plain reading only ever accepts bytes the
 * schema one reads the same way (certificate-oracle.test.ts holds both to
 * @peculiar/x509's reading).
 */

/** Extensions the plain reading decodes itself; any other one the schema reading decodes sends the certificate there. */
const SCHEMA_DECODED = new Set([
  OID.subjectAltName,
  "2.5.29.18", // issuerAltName
  "2.5.29.31", // cRLDistributionPoints
  OID.certificatePolicies,
  "1.3.6.1.5.5.7.1.1", // authorityInfoAccess
]);

// Keeps a leading BOM, as the schema reading (decodeURIComponent) does.
const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function asciiText(bytes: Uint8Array): string {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) throw new NotPlainDer("non-ASCII byte in a PrintableString or IA5String");
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** A Name's text (RDNs in encoded order, as status and logs have always shown it) and its DER. */
function plainName(c: DerCursor, el: DerElement): { text: string; der: Uint8Array } {
  if (el.tag !== TAG.sequence) throw new NotPlainDer("Name is not a SEQUENCE");
  const rdns: string[] = [];
  const seq = c.inside(el);
  while (!seq.done) {
    const set = seq.inside(seq.next(TAG.set));
    const parts: string[] = [];
    do {
      const atv = set.inside(set.next(TAG.sequence));
      const type = atv.oid(atv.next(TAG.oid));
      const valueEl = atv.next();
      atv.finish();
      const bytes = atv.bytes(valueEl);
      // An empty value reads differently through the schema's string choice; leave it to that reading.
      if (bytes.length === 0) throw new NotPlainDer("empty attribute value");
      let value: string;
      if (valueEl.tag === TAG.utf8String) {
        try {
          value = utf8Strict.decode(bytes);
        } catch {
          throw new NotPlainDer("UTF8String is not UTF-8");
        }
      } else if (valueEl.tag === TAG.printableString || valueEl.tag === TAG.ia5String) {
        value = asciiText(bytes);
      } else {
        throw new NotPlainDer("another attribute value type");
      }
      parts.push(`${NAME_LABELS[type] ?? type}=${escapeNameValue(value)}`);
    } while (!set.done);
    rdns.push(parts.join("+"));
  }
  return { text: rdns.join(", "), der: c.whole(el) };
}

const DIGITS = /^\d+Z$/;

function plainTime(c: DerCursor): Date {
  const el = c.next();
  const text = asciiText(c.bytes(el));
  const n = (from: number, to: number) => Number(text.slice(from, to));
  let year: number;
  let rest: number;
  if (el.tag === TAG.utcTime && text.length === 13 && DIGITS.test(text)) {
    year = n(0, 2);
    year += year >= 50 ? 1900 : 2000;
    rest = 2;
  } else if (el.tag === TAG.generalizedTime && text.length === 15 && DIGITS.test(text)) {
    year = n(0, 4);
    if (year < 100) throw new NotPlainDer("year below 100");
    rest = 4;
  } else {
    throw new NotPlainDer("another time form");
  }
  const [month, day, hour, minute, second] = [0, 2, 4, 6, 8].map((o) => n(rest + o, rest + o + 2)) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) throw new NotPlainDer("time out of range");
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** AlgorithmIdentifier's OID (parameters, if any, are one element the agent does not read). */
function algorithmOid(c: DerCursor): string {
  const alg = c.inside(c.next(TAG.sequence));
  const oid = alg.oid(alg.next(TAG.oid));
  if (!alg.done) alg.next();
  alg.finish();
  return oid;
}

interface PlainExtensions {
  basicConstraints?: { ca: boolean; pathLength?: number };
  keyUsage?: KeyUsageName[];
  extKeyUsage?: string[];
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
  critical: string[];
}

function plainExtensions(c: DerCursor, el: DerElement): PlainExtensions {
  const out: PlainExtensions = { critical: [] };
  const list = c.inside(c.inside(el).next(TAG.sequence));
  if (list.done) throw new NotPlainDer("empty extensions");
  const seen = new Set<string>();
  while (!list.done) {
    const ext = list.inside(list.next(TAG.sequence));
    const id = ext.oid(ext.next(TAG.oid));
    let critical = false;
    if (ext.peekTag() === TAG.boolean) {
      critical = ext.boolean(ext.next());
      // DER leaves a FALSE default out; an explicit one is for the schema reading.
      if (!critical) throw new NotPlainDer("explicit critical FALSE");
    }
    const value = ext.bytes(ext.next(TAG.octetString));
    ext.finish();
    if (critical) out.critical.push(id);
    if (SCHEMA_DECODED.has(id)) throw new NotPlainDer(`extension ${id} is validated by the schema reading`);
    // First of each kind wins, as a lookup by kind always did; a repeated one of the decoded kinds goes to the schema reading.
    const decoded =
      id === OID.basicConstraints || id === OID.keyUsage || id === OID.extKeyUsage || id === OID.subjectKeyIdentifier || id === OID.authorityKeyIdentifier;
    if (!decoded) continue;
    if (seen.has(id)) throw new NotPlainDer("repeated extension");
    seen.add(id);
    const v = new DerCursor(value);
    const top = v.next();
    v.finish();
    if (id === OID.basicConstraints) {
      if (top.tag !== TAG.sequence) throw new NotPlainDer("basicConstraints");
      const bc = v.inside(top);
      let ca = false;
      if (bc.peekTag() === TAG.boolean) {
        ca = bc.boolean(bc.next());
        if (!ca) throw new NotPlainDer("explicit cA FALSE");
      }
      const pathLength = bc.done ? undefined : bc.smallUnsigned(bc.next(TAG.integer));
      bc.finish();
      out.basicConstraints = pathLength === undefined ? { ca } : { ca, pathLength };
    } else if (id === OID.keyUsage) {
      const bits = v.bytes(top);
      const unused = bits[0] ?? 8;
      if (top.tag !== TAG.bitString || bits.length < 2 || bits.length > 3 || unused > 7) throw new NotPlainDer("keyUsage");
      let n = 0;
      const total = (bits.length - 1) * 8 - unused;
      for (let i = 0; i < total; i++) if (bits[1 + (i >> 3)]! & (0x80 >> (i & 7))) n |= 1 << i;
      out.keyUsage = keyUsageNames(n);
    } else if (id === OID.extKeyUsage) {
      if (top.tag !== TAG.sequence) throw new NotPlainDer("extKeyUsage");
      const eku = v.inside(top);
      if (eku.done) throw new NotPlainDer("empty extKeyUsage");
      const purposes: string[] = [];
      while (!eku.done) purposes.push(eku.oid(eku.next(TAG.oid)));
      out.extKeyUsage = purposes;
    } else if (id === OID.subjectKeyIdentifier) {
      if (top.tag !== TAG.octetString) throw new NotPlainDer("subjectKeyIdentifier");
      out.subjectKeyId = v.bytes(top).slice();
    } else {
      if (top.tag !== TAG.sequence) throw new NotPlainDer("authorityKeyIdentifier");
      const aki = v.inside(top);
      // Only the key identifier ([0] IMPLICIT OCTET STRING); issuer names and serials are the schema reading's.
      if (!aki.done) {
        const keyId = aki.next(0x80);
        if (keyId.end > keyId.content) out.authorityKeyId = aki.bytes(keyId).slice();
      }
      aki.finish();
    }
  }
  return out;
}

/** The plain DER reading; throws NotPlainDer for anything it leaves to the schema reading. */
function readPlain(bytes: Uint8Array): ParsedCert {
  const top = new DerCursor(bytes);
  const cert = top.inside(top.next(TAG.sequence));
  top.finish();
  const tbsEl = cert.next(TAG.sequence);
  const signatureAlgorithm = algorithmOid(cert);
  const sig = cert.bytes(cert.next(TAG.bitString));
  cert.finish();
  if (sig.length < 2 || sig[0] !== 0) throw new NotPlainDer("signature BIT STRING");

  const tbs = cert.inside(tbsEl);
  let version = 1;
  if (tbs.peekTag() === 0xa0) {
    const v = tbs.inside(tbs.next());
    const n = v.smallUnsigned(v.next(TAG.integer));
    v.finish();
    // An explicit v1 is BER, not DER; v2 would come with unique IDs.
    if (n !== 2) throw new NotPlainDer("version other than v3");
    version = 3;
  }
  const serialEl = tbs.next(TAG.integer);
  if (serialEl.end === serialEl.content) throw new NotPlainDer("empty serial");
  algorithmOid(tbs);
  const issuer = plainName(tbs, tbs.next());
  const validity = tbs.inside(tbs.next(TAG.sequence));
  const notBefore = plainTime(validity);
  const notAfter = plainTime(validity);
  validity.finish();
  const subject = plainName(tbs, tbs.next());
  const spkiDer = tbs.whole(tbs.next(TAG.sequence)).slice();
  const ext: PlainExtensions = tbs.done ? { critical: [] } : plainExtensions(tbs, tbs.next(0xa3));
  tbs.finish();
  const bc = ext.basicConstraints;
  return {
    der: bytes,
    version,
    subject: subject.text,
    issuer: issuer.text,
    subjectDer: subject.der.slice(),
    issuerDer: issuer.der.slice(),
    serial: serialHex(tbs.bytes(serialEl)),
    notBefore,
    notAfter,
    basicConstraints: bc,
    isCA: bc?.ca ?? false,
    keyUsage: ext.keyUsage,
    extKeyUsage: ext.extKeyUsage,
    subjectKeyId: ext.subjectKeyId,
    authorityKeyId: ext.authorityKeyId,
    criticalExtensions: ext.critical,
    signatureAlgorithm,
    publicKey: plainPublicKey(spkiDer),
    spkiDer,
  };
}

/** The plain reading alone, or undefined when it leaves the bytes to the schema reading (for tests that hold the two together). */
export function readCertificatePlain(der: Uint8Array): ParsedCert | undefined {
  try {
    return readPlain(new Uint8Array(der));
  } catch (e) {
    if (e instanceof NotPlainDer) return undefined;
    throw e;
  }
}

/** The schema reading, loaded on first use: a boot whose certificates all read plainly never evaluates it. */
function readSchema(bytes: Uint8Array): ParsedCert {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("./certificate-asn1.ts") as typeof import("./certificate-asn1.ts")).readCertificateAsn1(bytes);
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
  let facts: ParsedCert;
  try {
    facts = readPlain(bytes);
  } catch {
    // NotPlainDer, or anything else the plain reading trips on: the schema reading decides (tests hold the plain
    // reading to NotPlainDer alone through readCertificatePlain).
    facts = readSchema(bytes);
  }
  Object.freeze(facts);
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, facts);
  return facts;
}

/**
 * The SubjectPublicKeyInfo DER of a certificate, found by walking its
 * outer structure only: for a caller that just asks "does this (our own)
 * certificate still name this key?", without reading names, times and
 * extensions. Throws `pki.parse` when the structure is not plain DER.
 */
export function certificateSpki(der: Uint8Array): Uint8Array {
  try {
    const top = new DerCursor(der);
    const cert = top.inside(top.next(TAG.sequence));
    top.finish();
    const tbs = cert.inside(cert.next(TAG.sequence));
    cert.next(TAG.sequence);
    cert.next(TAG.bitString);
    cert.finish();
    if (tbs.peekTag() === 0xa0) tbs.next();
    for (const tag of [TAG.integer, TAG.sequence, TAG.sequence, TAG.sequence, TAG.sequence]) tbs.next(tag);
    return tbs.whole(tbs.next(TAG.sequence));
  } catch (e) {
    if (!(e instanceof NotPlainDer)) throw e;
    throw new PkiError("pki.parse", "certificate does not parse", { cause: e });
  }
}

/** Every CERTIFICATE block of a PEM file, in file order; other blocks (keys) are skipped. */
export function parseCertificatesPem(pem: Uint8Array | string): ParsedCert[] {
  return decodePem(pem)
    .filter((b) => b.label === "CERTIFICATE")
    .map((b) => parseCertificate(b.der));
}
