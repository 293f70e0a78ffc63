import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import { bytesAfterFirstElement } from "../pki/der.ts";
import { decodePem } from "../pki/pem.ts";

/** What the check shows of a certificate: its subject as the agent writes it (status, logs) and its lifetime. */
export interface CertFacts {
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

/** The runtime's short names whose pki label (src/pki/certificate.ts) is known to be the same attribute. */
const LABELS: Readonly<Record<string, string>> = {
  CN: "CN",
  L: "L",
  ST: "ST",
  O: "O",
  OU: "OU",
  C: "C",
  DC: "DC",
  emailAddress: "E",
};

/** A value the pki text shows as is: printable ASCII with nothing RFC 4514 escapes, no space or # in front, no space last. */
const PLAIN_VALUE = /^(?![ #])[\x20-\x7e]*$/;
const ESCAPED = /[,+"\\<>;]/;

/**
 * The native subject (one `label=value` line per attribute) in the pki's
 * text, or undefined when the two could differ (multi-valued RDNs, escapes,
 * labels the pki names by OID, non-ASCII): the caller then asks the pki.
 */
function subjectText(native: string): string | undefined {
  const parts: string[] = [];
  for (const line of native.split("\n")) {
    const eq = line.indexOf("=");
    const label = eq > 0 ? LABELS[line.slice(0, eq)] : undefined;
    const value = line.slice(eq + 1);
    if (!label || !PLAIN_VALUE.test(value) || ESCAPED.test(value) || value.endsWith(" ")) return undefined;
    parts.push(`${label}=${value}`);
  }
  return parts.length > 0 ? parts.join(", ") : undefined;
}

/**
 * Subject and lifetime of every certificate in a PEM file, read with the
 * runtime's X509Certificate (native) rather than the agent's ASN.1 reader,
 * whose libraries cost `edge-agent check` most of its start. A file the
 * native reader cannot show exactly as the pki does (a parse error, an odd
 * name, bytes after a certificate) goes to the pki reader, so its verdict and
 * message stay the agent's own.
 */
export async function readCertificates(pem: Uint8Array): Promise<CertFacts[]> {
  const native = nativeCertificates(pem);
  if (native) return native;
  const { parseCertificatesPem } = await import("../pki/index.ts");
  return parseCertificatesPem(pem).map((c) => ({ subject: c.subject, notBefore: c.notBefore, notAfter: c.notAfter }));
}

/** The native reading alone: undefined where readCertificates asks the pki. */
export function nativeCertificates(pem: Uint8Array): CertFacts[] | undefined {
  try {
    const out: CertFacts[] = [];
    for (const block of decodePem(pem)) {
      if (block.label !== "CERTIFICATE") continue;
      if (bytesAfterFirstElement(block.der) > 0) return undefined;
      const cert = new X509Certificate(block.der);
      const subject = subjectText(cert.subject);
      if (subject === undefined) return undefined;
      out.push({ subject, notBefore: cert.validFromDate, notAfter: cert.validToDate });
    }
    return out;
  } catch {
    return undefined;
  }
}

const spki = (k: KeyObject) => k.export({ format: "der", type: "spki" });

/**
 * Whether the first certificate of `certPem` certifies the P-256 key in
 * `keyPem`, decided natively; undefined when the native readers cannot say
 * yes (then the pki decides, and words the answer). The key is SEC1 or
 * PKCS#8, under either label, as EVE writes it (src/pki/soft-key.ts).
 */
export function nativeKeyMatchesCert(keyPem: Uint8Array, certPem: Uint8Array): true | undefined {
  try {
    const keyBlock = decodePem(keyPem).find((b) => b.label === "PRIVATE KEY" || b.label === "EC PRIVATE KEY");
    // Every certificate of the file must read natively, as the pki would refuse the file for any one of them.
    const certBlock = decodePem(certPem).find((b) => b.label === "CERTIFICATE");
    if (!keyBlock || !certBlock || !nativeCertificates(certPem)) return undefined;
    const der = Buffer.from(keyBlock.der);
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: der, format: "der", type: keyBlock.label === "EC PRIVATE KEY" ? "sec1" : "pkcs8" });
    } catch {
      key = createPrivateKey({ key: der, format: "der", type: "sec1" });
    }
    const certKey = new X509Certificate(certBlock.der).publicKey;
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1" || certKey.asymmetricKeyType !== "ec") return undefined;
    return spki(createPublicKey(key)).equals(spki(certKey)) ? true : undefined;
  } catch {
    return undefined;
  }
}
