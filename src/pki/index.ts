export { PkiError, type PkiErrorKind } from "./errors.ts";
export { decodePem, encodePem, type PemBlock } from "./pem.ts";
export { verifySha256Signature, SignatureError, type PublicKeyInfo } from "./signature.ts";
export { publicKeyFromSpki, spkiFromP256Point, spkiFromRsa } from "./public-key.ts";
export { parseCertificate, parseCertificatesPem, type ParsedCert, type KeyUsageName } from "./certificate.ts";
export { verifyIssuedBy } from "./verify-issued.ts";
export { verifyChain, MAX_INTERMEDIATES, MAX_SIGNATURE_CHECKS, type ChainOptions, type ChainWork } from "./chain.ts";
export { createDeviceCertificate, issueDeviceCertificate, DEVICE_CERT_CN, type IssueParams, type IssuedCertificate } from "./device-cert.ts";
export { generateSoftKey, softKeyToPem, softKeyFromPem, softSigner, type SoftKey } from "./soft-key.ts";
// For the certificates service, which issues from CSRs with keys of any backend.
export { x509 } from "./x509-lib.ts";
export { randomSerial, keyIdentifier, ext, buildName } from "./cert-builder.ts";
export { OID } from "./oids.ts";
