import type { HashAlgorithm, SignatureScheme, SignedAttest } from "./jsonapi.ts";

/**
 * What the push loop needs of the TPM. Every call goes through the agent's
 * one TPM queue (TpmManager), so these interleave with EVE's quotes, seals
 * and signatures without either side flushing the other's objects.
 */
export interface PushTpm {
  /** TPM2_Certify(object = AK, signing key = AK, qualifyingData = challenge): the proof of possession. */
  certifyAk(challenge: Uint8Array): Promise<SignedAttest>;
  /**
   * TPM2_Quote by the AK over `pcrs` of the SHA-256 bank with `challenge` as
   * qualifying data; `subjectData` is the PCR blob in the layout of the
   * pull-mode quote string (tpm2-tools' little-endian TPML_PCR_SELECTION and
   * TPML_DIGESTs), from which the verifier rebuilds `r<quote>:<sig>:<pcrs>`.
   */
  quote(challenge: Uint8Array, pcrs: number[]): Promise<SignedAttest & { subjectData: Uint8Array }>;
}

/** The attestation key as the verifier sees it; the registrar holds the same key from registration. */
export interface PushAk {
  keyAlgorithm: "rsa" | "ecc";
  keySize: number;
  /** TPM name: nameAlg (2 bytes) || digest of the TPMT_PUBLIC. */
  name: Uint8Array;
  /** TPMT_PUBLIC (no TPM2B size prefix). */
  publicArea: Uint8Array;
  hashAlgorithm: HashAlgorithm;
  signatureScheme: SignatureScheme;
}

/** Evidence the verifier may ask for besides the quote. */
export interface PushEvidenceSource {
  /** The raw TCG2 (UEFI) event log, or undefined when the platform exposes none. */
  uefiLog(): Promise<Uint8Array | undefined>;
  /** When the machine booted (the verifier tells reboots apart by it). */
  bootTime(): Date;
}
