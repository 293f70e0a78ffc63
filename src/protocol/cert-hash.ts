import { sha256, toBase64, utf8 } from "../shared/index.ts";
import { EnvelopeError } from "./errors.ts";
import { HashAlgorithm } from "./messages/common.ts";

/**
 * senderCertHash of a device-signed envelope: SHA-256 over the certificate's
 * DER (docs/protocol.md#signing-a-request), always the full 32 bytes.
 */
export function deviceCertHash(certDer: Uint8Array): Uint8Array {
  return sha256(certDer);
}

/**
 * senderCert of the /register envelope: base64 (standard alphabet, padded)
 * of the whole onboarding PEM file, carried as the bytes of that text
 * (docs/protocol.md#register-envelope). ZRegisterMsg.pemCert uses the same form.
 */
export function registerSenderCert(pemFileBytes: Uint8Array): Uint8Array {
  return utf8.encode(toBase64(pemFileBytes));
}

/**
 * Hash of a certificate as carried in ZCert.certHash and controller
 * envelopes: SHA-256 over the PEM bytes exactly as delivered, truncated to 16
 * bytes for HASH_ALGORITHM_SHA256_16BYTES. Device cert uploads (ATTEST_REQ_CERT)
 * use the same rule with the 16-byte variant.
 */
export function controllerCertHash(pemBytes: Uint8Array, algo: number): Uint8Array {
  const full = sha256(pemBytes);
  if (algo === HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES) return full;
  if (algo === HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES) return full.slice(0, 16);
  throw new EnvelopeError("envelope.algo", `hash algorithm ${algo} is not a SHA-256 variant`);
}
