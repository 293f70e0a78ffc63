import { decodePem } from "../pki/pem.ts";

/** What the check shows of a certificate: its subject as the agent writes it (status, logs) and its lifetime. */
export interface CertFacts {
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

/*
 * `edge-agent check` reads the device's certificates for their lifetimes and
 * subjects. The agent's reader (src/pki: asn1js and @peculiar schemas) cost
 * the command most of its start, and node:crypto's X509Certificate costs it
 * several milliseconds of module loading (node:crypto pulls in node:stream),
 * a third of a compiled hello's whole run. So the check walks the DER itself
 * for the few fields it shows, checking the whole certificate's structure as
 * it goes, and hands anything it would not show exactly as the pki does (an
 * odd name, a time form other than the plain ones, a damaged or padded
 * certificate) to the pki, whose verdict and words then stand.
 */

interface Tlv {
  tag: number;
  content: number;
  end: number;
}

class NotPlain extends Error {}

function element(b: Uint8Array, at: number, limit: number): Tlv {
  if (at + 2 > limit) throw new NotPlain();
  const tag = b[at]!;
  if ((tag & 0x1f) === 0x1f) throw new NotPlain();
  let len = b[at + 1]!;
  let content = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    // DER: definite, shortest length form.
    if (n === 0 || n > 3 || content + n > limit || b[content] === 0) throw new NotPlain();
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[content++]!;
    if (len < 0x80) throw new NotPlain();
  }
  const end = content + len;
  if (end > limit) throw new NotPlain();
  return { tag, content, end };
}

/** The elements inside a constructed one, each checked to fit it exactly, and their own insides in turn. */
function children(b: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = t.content; at < t.end; ) {
    const c = element(b, at, t.end);
    if (c.tag & 0x20) children(b, c);
    out.push(c);
    at = c.end;
  }
  return out;
}

function want(t: Tlv | undefined, tag: number): Tlv {
  if (!t || t.tag !== tag) throw new NotPlain();
  return t;
}

const SEQUENCE = 0x30;
const SET = 0x31;

function oidText(b: Uint8Array, t: Tlv): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = t.content; i < t.end; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  const first = parts.shift() ?? 0;
  return [first < 80 ? Math.floor(first / 40) : 2, first < 80 ? first % 40 : first - 80, ...parts].join(".");
}

/** The pki's short names (NAME_LABELS in src/pki/certificate.ts); any other attribute goes to the pki. */
const LABELS: Readonly<Record<string, string>> = {
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

/** PrintableString, UTF8String, IA5String: the string kinds a plain name uses. */
const STRING_TAGS = new Set([0x13, 0x0c, 0x16]);
/** A value the pki shows as is: printable ASCII with nothing RFC 4514 escapes, no space or # in front, no space last. */
const PLAIN_VALUE = /^(?![ #])[\x20-\x7e]*$/;
const ESCAPED = /[,+"\\<>;]|[ ]$/;

function nameText(b: Uint8Array, name: Tlv): string {
  const parts: string[] = [];
  for (const rdn of children(b, name)) {
    const attrs = children(b, want(rdn, SET));
    // A multi-valued RDN: the pki's order and joining decide.
    if (attrs.length !== 1) throw new NotPlain();
    const [type, value] = children(b, want(attrs[0], SEQUENCE));
    const label = LABELS[oidText(b, want(type, 0x06))];
    if (!label || !value || !STRING_TAGS.has(value.tag)) throw new NotPlain();
    const text = Buffer.from(b.buffer, b.byteOffset + value.content, value.end - value.content).toString("latin1");
    if (!PLAIN_VALUE.test(text) || ESCAPED.test(text)) throw new NotPlain();
    parts.push(`${label}=${text}`);
  }
  if (parts.length === 0) throw new NotPlain();
  return parts.join(", ");
}

function timeOf(b: Uint8Array, t: Tlv): Date {
  const s = Buffer.from(b.buffer, b.byteOffset + t.content, t.end - t.content).toString("latin1");
  // RFC 5280 §4.1.2.5: UTCTime YYMMDDHHMMSSZ (50-99 are 19xx), GeneralizedTime YYYYMMDDHHMMSSZ.
  const m =
    t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : t.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : null;
  if (!m) throw new NotPlain();
  const [y, mo, d, h, mi, se] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  const year = t.tag === 0x17 ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, se));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) throw new NotPlain();
  return date;
}

interface Plain extends CertFacts {
  /** The uncompressed P-256 point of an EC P-256 key, else undefined. */
  p256Point: Uint8Array | undefined;
}

const OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1";
const OID_P256 = "1.2.840.10045.3.1.7";

function plainCertificate(der: Uint8Array): Plain {
  const cert = want(element(der, 0, der.length), SEQUENCE);
  // Bytes after the certificate: the pki refuses them, in its words.
  if (cert.end !== der.length) throw new NotPlain();
  const [tbs, sigAlg, sig, ...more] = children(der, cert);
  want(sigAlg, SEQUENCE);
  want(sig, 0x03);
  if (more.length > 0) throw new NotPlain();
  const fields = children(der, want(tbs, SEQUENCE));
  let i = fields[0]?.tag === 0xa0 ? 1 : 0;
  want(fields[i++], 0x02);
  want(fields[i++], SEQUENCE);
  want(fields[i++], SEQUENCE);
  const validity = children(der, want(fields[i++], SEQUENCE));
  const subject = want(fields[i++], SEQUENCE);
  const spki = want(fields[i++], SEQUENCE);
  for (const rest of fields.slice(i)) {
    if (rest.tag === 0xa3) {
      // Each extension's value is DER in an OCTET STRING: its structure is checked too.
      for (const ext of children(der, want(children(der, rest)[0], SEQUENCE))) {
        const value = children(der, want(ext, SEQUENCE)).at(-1);
        const inner = want(value, 0x04);
        const whole = element(der, inner.content, inner.end);
        if (whole.end !== inner.end) throw new NotPlain();
        if (whole.tag & 0x20) children(der, whole);
      }
    } else if (rest.tag !== 0x81 && rest.tag !== 0x82) throw new NotPlain();
  }
  if (validity.length !== 2) throw new NotPlain();
  const [alg, bits] = children(der, spki);
  const algParts = children(der, want(alg, SEQUENCE));
  const isP256 =
    algParts.length === 2 &&
    algParts[0]!.tag === 0x06 &&
    algParts[1]!.tag === 0x06 &&
    oidText(der, algParts[0]!) === OID_EC_PUBLIC_KEY &&
    oidText(der, algParts[1]!) === OID_P256;
  const key = want(bits, 0x03);
  const point = der.subarray(key.content + 1, key.end);
  return {
    subject: nameText(der, subject),
    notBefore: timeOf(der, validity[0]!),
    notAfter: timeOf(der, validity[1]!),
    p256Point: isP256 && der[key.content] === 0 && point.length === 65 && point[0] === 4 ? point : undefined,
  };
}

/** The plain reading of every certificate in a PEM file, or undefined where readCertificates asks the pki. */
function plainCertificates(pem: Uint8Array): Plain[] | undefined {
  try {
    return decodePem(pem)
      .filter((b) => b.label === "CERTIFICATE")
      .map((b) => plainCertificate(b.der));
  } catch {
    return undefined;
  }
}

/** The check's own reading alone (for tests): undefined where readCertificates asks the pki. */
export function plainCertificateFacts(pem: Uint8Array): CertFacts[] | undefined {
  return plainCertificates(pem)?.map(({ subject, notBefore, notAfter }) => ({ subject, notBefore, notAfter }));
}

/**
 * Subject and lifetime of every certificate in a PEM file: the check's own
 * reading where it is sure to match the pki's, else the pki's.
 */
export async function readCertificates(pem: Uint8Array): Promise<CertFacts[]> {
  const plain = plainCertificateFacts(pem);
  if (plain) return plain;
  const { parseCertificatesPem } = await import("../pki/index.ts");
  return parseCertificatesPem(pem).map((c) => ({ subject: c.subject, notBefore: c.notBefore, notAfter: c.notAfter }));
}

/** SEC1 ECPrivateKey wrapped as PKCS#8 for P-256, so WebCrypto imports it. */
const P256_ALGORITHM = Buffer.from("301306072a8648ce3d020106082a8648ce3d030107", "hex");

function derLength(n: number): Buffer {
  return Buffer.from(n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]);
}

/** SEC1 ECPrivateKey wrapped as PKCS#8 for P-256, so WebCrypto imports it. */
function pkcs8FromSec1(sec1: Uint8Array): Uint8Array {
  const octets = Buffer.concat([Buffer.from([0x04]), derLength(sec1.length), sec1]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x00]), P256_ALGORITHM, octets]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

async function p256PublicPoint(pkcs8: Uint8Array): Promise<Buffer> {
  const key = await crypto.subtle.importKey("pkcs8", new Uint8Array(pkcs8), { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
  const jwk = await crypto.subtle.exportKey("jwk", key);
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
}

/**
 * Whether the first certificate of `certPem` certifies the P-256 key in
 * `keyPem`, decided with the runtime's WebCrypto (which checks a key's
 * embedded public point against its scalar); undefined when it cannot say
 * yes, and the pki then decides and words the answer. The key is SEC1 or
 * PKCS#8, under either label, as EVE writes it (src/pki/soft-key.ts).
 */
export async function keyMatchesCert(keyPem: Uint8Array, certPem: Uint8Array): Promise<true | undefined> {
  try {
    const block = decodePem(keyPem).find((b) => b.label === "PRIVATE KEY" || b.label === "EC PRIVATE KEY");
    // Every certificate of the file must read plainly, as the pki would refuse the file for any one of them.
    const point = plainCertificates(certPem)?.[0]?.p256Point;
    if (!block || !point) return undefined;
    let derived: Buffer;
    if (block.label === "EC PRIVATE KEY") derived = await p256PublicPoint(pkcs8FromSec1(block.der));
    else derived = await p256PublicPoint(block.der).catch(() => p256PublicPoint(pkcs8FromSec1(block.der)));
    return derived.equals(point) ? true : undefined;
  } catch {
    return undefined;
  }
}
