import type { CheckpointCopy } from "./config-checkpoint.ts";

export type ConfigSource = "controller" | "checkpoint";

export type PollOutcome =
  /** a new config went to onConfig */
  | "applied"
  /** 304, or a 200 carrying the remembered hash */
  | "unchanged"
  /** 403: the integrity token is missing or stale, attest first */
  | "forbidden"
  /** 404/400: the controller does not know this device (re-created?) */
  | "not-found"
  /** 503: controller upgrading */
  | "upgrading"
  /** any other status */
  | "failed"
  /** a 200 whose body failed the checks */
  | "invalid"
  /** the envelope names a signing cert other than the one held */
  | "cert-miss"
  /** no HTTP answer at all */
  | "unreachable";

export type CheckpointState =
  /** nothing decided yet */
  | "pending"
  /** the controller delivered a config before the checkpoint was needed */
  | "not-needed"
  /** no checkpoint on disk */
  | "none"
  | "used"
  /** present but failed verification; `reason` says why */
  | "refused"
  /** needed, but no controller cert is held yet to verify it with */
  | "waiting-for-certs";

/** What the status endpoint shows about config polling. */
export interface ConfigPollStatus {
  polls: number;
  lastPollAt?: string;
  lastOutcome?: PollOutcome;
  lastHttpStatus?: number;
  config?: { uuid: string; version: string; hash: string; source: ConfigSource; appliedAt: string };
  checkpoint: { state: CheckpointState; from?: CheckpointCopy; reason?: string };
  lastError?: { kind: string; message: string; at: string };
}
