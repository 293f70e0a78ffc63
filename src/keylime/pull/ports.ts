/**
 * What the pull server needs from the rest of the agent, kept to the
 * smallest shape so the routes can be exercised on their own and the TPM
 * side can change without touching them.
 */

/** Keylime's names for the TPM algorithms in use (accept lists of the tenant and verifier). */
export interface KeylimeAlgorithms {
  hash: "sha256";
  sign: "rsassa" | "ecdsa";
  /** The EK's algorithm; API >= 2.5 spells it "rsa2048"/"ecc256". */
  enc: "rsa" | "ecc";
}

export interface QuoteRequest {
  /** extraData: the nonce's ASCII bytes. */
  nonce: Uint8Array;
  /** PCRs of the mask; PCR 16 is always added. */
  pcrs: number[];
  /** Extended into PCR 16 right after its reset: H(transport public key PEM). */
  bind: Uint8Array;
}

/**
 * The TPM side: one job on the TPM queue that resets PCR 16, extends it
 * with `bind`, quotes pcrs ∪ {16} with the Keylime AK and reads those PCRs,
 * so no other TPM user can extend PCR 16 between the reset and the quote.
 * Returns Keylime's quote string ("r" b64(TPMS_ATTEST) ":" b64(TPMT_SIGNATURE) ":" b64(pcrblob)).
 */
export interface PullQuoter {
  readonly algorithms: KeylimeAlgorithms;
  /** The AK's persistent handle, shown in agent/info. */
  readonly akHandle: number;
  quote(req: QuoteRequest): Promise<string>;
}

/** What registration settled: the UUID the registrar knows, and the certificate it holds as mtls_cert. */
export interface PullIdentity {
  uuid: string;
  /** PEM certificate and key the HTTPS listener presents; absent when mTLS is off. */
  tls?: { certPem: string; keyPem: string };
}
