/**
 * The push loop's part of the status document's `keylime` section. Counts
 * and times only: the bearer token, challenges and evidence never appear.
 */
export interface KeylimePushStatus {
  verifier: string;
  state: "authenticating" | "negotiating" | "collecting" | "submitting" | "waiting" | "retrying" | "stopped";
  /** PoP sessions that passed, and those the verifier evaluated "fail" (agent not enrolled there yet, or proof refused). */
  sessions: number;
  sessionsFailed: number;
  lastSession?: "pass" | "fail";
  /** When the bearer token in use expires, as the verifier said (it extends it on every passed attestation without saying). */
  tokenExpiresAt?: string;
  /** Capabilities accepted (201) and evidence accepted for verification (202). */
  attestationsCreated: number;
  evidenceSubmitted: number;
  /** Evidence the verifier refused as malformed or not what it asked for (400/422 on the evidence). */
  evidenceRejected: number;
  lastAttestationIndex?: number;
  lastEvidenceAt?: string;
  /** PCRs of the SHA-256 bank the verifier chose for the last quote. */
  lastPcrs?: number[];
  /** The verifier's verdict on the last evidence, when an answer carried one. */
  lastVerdict?: "pass" | "fail";
  lastVerdictAt?: string;
  nextAttemptAt?: string;
  lastError?: { kind: string; message: string; at: string; status?: number };
}
