import { type P256Signer, sha256 } from "../shared/index.ts";
import { codec } from "./codec.ts";
import { EnvelopeError } from "./errors.ts";
import { HashAlgorithm } from "./messages/common.ts";

export interface SealOptions {
  /** names the signing cert; 32 bytes for SHA256_32BYTES, 16 for SHA256_16BYTES */
  senderCertHash: Uint8Array;
  /** how senderCertHash was made; EVE always sends SHA256_32BYTES */
  algo?: number;
  /** only for /register: see registerSenderCert */
  senderCert?: Uint8Array;
}

const P256_RAW_SIGNATURE_BYTES = 64;

/**
 * Wraps a marshalled request in a signed AuthContainer as EVE's
 * AddAuthentication does (docs/protocol.md#signing-a-request): the signature covers
 * SHA-256 of the payload bytes only, as raw r||s.
 */
export async function sealEnvelope(payload: Uint8Array, signer: P256Signer, opts: SealOptions): Promise<Uint8Array> {
  const algo = opts.algo ?? HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES;
  const wantHashBytes = algo === HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES ? 32 : algo === HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES ? 16 : undefined;
  if (wantHashBytes === undefined) throw new EnvelopeError("envelope.algo", `hash algorithm ${algo} is not a SHA-256 variant`);
  if (opts.senderCertHash.length !== wantHashBytes) {
    throw new EnvelopeError("envelope.hash-size", `senderCertHash is ${opts.senderCertHash.length} bytes, algorithm ${algo} needs ${wantHashBytes}`);
  }
  const signature = signer.signMessage ? await signer.signMessage(payload) : await signer.sign(sha256(payload));
  if (signature.length !== P256_RAW_SIGNATURE_BYTES) {
    throw new EnvelopeError("envelope.signature-length", `signer returned ${signature.length} bytes, raw P-256 r||s is ${P256_RAW_SIGNATURE_BYTES}`);
  }
  return codec.AuthContainer.encode({
    // Always present, even for an empty payload: Go emits the empty AuthBody too.
    protectedPayload: { payload },
    algo,
    senderCertHash: opts.senderCertHash,
    signatureHash: signature,
    ...(opts.senderCert ? { senderCert: opts.senderCert } : {}),
  });
}
