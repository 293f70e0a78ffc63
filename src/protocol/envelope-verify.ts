import { type PublicKeyInfo, SignatureError, verifySha256Signature } from "../pki/index.ts";
import { bytesEqual } from "../shared/index.ts";
import { controllerCertHash } from "./cert-hash.ts";
import { clearPayload, openEnvelope } from "./envelope-open.ts";
import { EnvelopeError } from "./errors.ts";
import { HashAlgorithm } from "./messages/common.ts";
import type { DecodeOptions } from "./wire.ts";

/** The controller signing certificate an envelope is checked against. */
export interface SigningCert {
  /** ZCert.cert exactly as delivered: the hash is taken over these bytes verbatim */
  pem: Uint8Array;
  publicKey: PublicKeyInfo;
}

function checkSender(senderCertHash: Uint8Array, algo: number, pem: Uint8Array): void {
  if (senderCertHash.length !== 16 && senderCertHash.length !== 32) {
    throw new EnvelopeError("envelope.hash-size", `senderCertHash is ${senderCertHash.length} bytes, expected 16 or 32`);
  }
  if (algo !== HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES && algo !== HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES) {
    throw new EnvelopeError("envelope.algo", `envelope hash algorithm ${algo} is not supported`);
  }
  if (!bytesEqual(senderCertHash, controllerCertHash(pem, algo))) {
    throw new EnvelopeError("envelope.cert-miss", "envelope was signed by a certificate other than the current signing cert");
  }
}

async function checkSignature(key: PublicKeyInfo, payload: Uint8Array, signature: Uint8Array): Promise<void> {
  let ok: boolean;
  try {
    ok = await verifySha256Signature(key, payload, signature, "raw");
  } catch (e) {
    if (e instanceof SignatureError && e.kind === "signature.length") {
      throw new EnvelopeError("envelope.signature-length", e.message, { cause: e });
    }
    throw new EnvelopeError("envelope.signature", `envelope signature is unusable: ${(e as Error).message}`, { cause: e });
  }
  if (!ok) throw new EnvelopeError("envelope.signature", "envelope signature does not verify");
}

/**
 * Checks a controller envelope the way EVE does (docs/protocol.md#verifying-controller-envelopes), in
 * EVE's order: hash size, algorithm, cert match, then the signature over
 * SHA-256(payload). Returns the payload only when all pass.
 */
export async function verifyEnvelope(bytes: Uint8Array, signingCert: SigningCert, opts?: DecodeOptions): Promise<Uint8Array> {
  const container = openEnvelope(bytes, opts);
  checkSender(container.senderCertHash, container.algo, signingCert.pem);
  const payload = clearPayload(container);
  await checkSignature(signingCert.publicKey, payload, container.signatureHash);
  return payload;
}
