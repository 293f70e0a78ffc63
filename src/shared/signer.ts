/**
 * The one interface both key backends (software file key, TPM key) implement,
 * so onboarding, envelopes and certificate issuance do not care where the
 * private key lives. It sits in shared because the layers below identity
 * (tpm makes one, pki and protocol sign with one, controller seals with one)
 * need it without depending on identity.
 */
export interface P256Signer {
  /** Uncompressed SEC1 P-256 public point (65 bytes, 0x04 || X || Y). */
  readonly publicKey: Uint8Array;
  /** ECDSA P-256 over a 32-byte SHA-256 digest; returns raw r||s (64 bytes). */
  sign(digest: Uint8Array): Promise<Uint8Array>;
  /**
   * ECDSA P-256 over SHA-256(message), in the same form as sign(). Offered
   * by a backend that hashes and signs natively in one call (the software
   * key), which spares a boot the curve arithmetic of sign() in JavaScript;
   * callers that have the message use it when present.
   */
  signMessage?(message: Uint8Array): Promise<Uint8Array>;
}
