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
  /** What PCR 16 must have been extended with after its reset: H(transport public key PEM). */
  bind: Uint8Array;
}

/**
 * The TPM side: a quote with the Keylime AK over pcrs ∪ {16} whose PCR 16
 * holds H(0…0 ‖ bind), the PCR values read with it. How PCR 16 gets there
 * is the quoter's business (TpmPullQuoter binds once and checks every
 * quote). Returns Keylime's quote string
 * ("r" b64(TPMS_ATTEST) ":" b64(TPMT_SIGNATURE) ":" b64(pcrblob)).
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
