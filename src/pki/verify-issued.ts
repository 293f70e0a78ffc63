import { createPublicKey, X509Certificate } from "node:crypto";
import type { ParsedCert } from "./certificate.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";

/**
 * Signature algorithms accepted on certificates, with the key type each
 * needs. SHA-1 and MD5 are absent on purpose: Go's verifier, which EVE uses,
 * refuses them too.
 */
const ACCEPTED: Readonly<Record<string, "ec" | "rsa">> = {
  [OID.ecdsaWithSha256]: "ec",
  [OID.ecdsaWithSha384]: "ec",
  [OID.ecdsaWithSha512]: "ec",
  [OID.sha256WithRsa]: "rsa",
  [OID.sha384WithRsa]: "rsa",
  [OID.sha512WithRsa]: "rsa",
};

/**
 * Whether `issuer`'s key made the signature on `cert`. Names and validity are
 * not looked at here (that is the chain's job). Throws `pki.unsupported` for
 * an algorithm we refuse, so "refused" never reads as "wrong key".
 */
export async function verifyIssuedBy(cert: ParsedCert, issuer: ParsedCert): Promise<boolean> {
  const keyKind = ACCEPTED[cert.signatureAlgorithm];
  if (!keyKind) throw new PkiError("pki.unsupported", `signature algorithm ${cert.signatureAlgorithm} on ${cert.subject} is not accepted`);
  if (issuer.publicKey.kind !== keyKind) return false;
  try {
    // The runtime's native X.509 verify: the same check as @peculiar/x509's, without re-parsing the
    // certificate in JavaScript (asn1js) on every link of every chain.
    return new X509Certificate(cert.der).verify(createPublicKey({ key: Buffer.from(issuer.spkiDer), format: "der", type: "spki" }));
  } catch {
    // A signature that cannot even be decoded (bad DER, wrong length) is simply not a valid one.
    return false;
  }
}
