export { asn1 } from "./asn1-lib.ts";
export { buildName, ext, KeyUsageFlags, keyIdentifier, randomSerial } from "./cert-builder.ts";
export { certificateSpki, type KeyUsageName, type ParsedCert, parseCertificate, parseCertificatesPem } from "./certificate.ts";
export { type ChainOptions, type ChainWork, MAX_INTERMEDIATES, MAX_SIGNATURE_CHECKS, verifyChain } from "./chain.ts";
export { createDeviceCertificate, DEVICE_CERT_CN, type IssuedCertificate, type IssueParams, issueDeviceCertificate } from "./device-cert.ts";
export { PkiError, type PkiErrorKind } from "./errors.ts";
export { OID } from "./oids.ts";
export { decodePem, encodePem, type PemBlock } from "./pem.ts";
export { publicKeyFromSpki, spkiFromP256Point, spkiFromRsa } from "./public-key.ts";
export { type PublicKeyInfo, SignatureError, verifySha256Signature } from "./signature.ts";
export { generateSoftKey, type SoftKey, softKeyFromPem, softKeyToPem, softSigner } from "./soft-key.ts";
export { verifyIssuedBy } from "./verify-issued.ts";
// For the certificates service, which issues from CSRs with keys of any backend.
export { x509 } from "./x509-lib.ts";
