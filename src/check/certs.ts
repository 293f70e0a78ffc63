import { parseCertificatesPem } from "../pki/certificate.ts";
import { decodePem } from "../pki/pem.ts";
import { p256Pkcs8 } from "../pki/soft-key.ts";

/*
 * `edge-agent check` reads certificates and the onboarding key with the
 * pki's own readers, from their files rather than the pki's index (which
 * loads the certificate builder, asn1js and node:crypto). Their plain DER
 * readings load nothing more for the certificates and keys EVE writes; what
 * they leave to the schema readings loads those then, as on a boot.
 */

/** What the check shows of a certificate: its subject as the agent writes it (status, logs) and its lifetime. */
export interface CertFacts {
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

/** Subject and lifetime of every certificate in a PEM file, as the agent reads them; throws the pki's error for a file it refuses. */
export function readCertificates(pem: Uint8Array): CertFacts[] {
  return parseCertificatesPem(pem).map((c) => ({ subject: c.subject, notBefore: c.notBefore, notAfter: c.notAfter }));
}

async function p256PublicPoint(pkcs8: Uint8Array): Promise<Buffer> {
  const key = await crypto.subtle.importKey("pkcs8", new Uint8Array(pkcs8), { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
  const jwk = await crypto.subtle.exportKey("jwk", key);
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
}

/**
 * Whether the first certificate of `certPem` certifies the P-256 key in
 * `keyPem`. The runtime's WebCrypto derives the key's public point (the
 * pki's softKeyFromPem would load node:crypto for that); undefined when it
 * cannot say yes, and the pki then decides and words the answer.
 */
export async function keyMatchesCert(keyPem: Uint8Array, certPem: Uint8Array): Promise<true | undefined> {
  try {
    const block = decodePem(keyPem).find((b) => b.label === "PRIVATE KEY" || b.label === "EC PRIVATE KEY");
    const pkcs8 = block && p256Pkcs8(block);
    const key = parseCertificatesPem(certPem)[0]?.publicKey;
    if (!pkcs8 || key?.kind !== "ec" || key.curve !== "P-256") return undefined;
    return (await p256PublicPoint(pkcs8)).equals(key.point) ? true : undefined;
  } catch {
    return undefined;
  }
}
