import { AgentError } from "../../shared/index.ts";

export type PushErrorKind =
  /** The verifier's answer is not the JSON:API document the protocol defines (bad JSON, missing or mistyped field, too large). */
  | "keylime.push.malformed"
  /** An HTTP status the step does not expect; `status` and the verifier's error details say which. */
  | "keylime.push.status"
  /** The bearer token was refused (401): a new PoP session is needed. */
  | "keylime.push.unauthorized"
  /** The PoP session ended with evaluation "fail" (agent not enrolled at the verifier, or a proof it did not accept). */
  | "keylime.push.auth-failed"
  /** The verifier asked for evidence the agent cannot produce (a PCR bank, scheme or log it does not have). */
  | "keylime.push.unsupported"
  /** No usable HTTPS answer: refused, timed out, TLS trust failure, aborted. */
  | "keylime.push.transport"
  /** The TPM could not certify or quote. */
  | "keylime.push.tpm";

/** What the verifier said went wrong, from a JSON:API `errors` array (details only, never our own request). */
export interface VerifierErrorDetail {
  status?: string;
  code?: string;
  title?: string;
  detail?: string;
}

export class PushError extends AgentError {
  declare readonly kind: PushErrorKind;
  /** The HTTP status, when the verifier answered. */
  readonly status: number | undefined;
  /** Seconds the verifier asked us to wait (Retry-After), when it said so. */
  readonly retryAfterMs: number | undefined;
  readonly details: VerifierErrorDetail[];

  constructor(kind: PushErrorKind, message: string, opts: { status?: number; retryAfterMs?: number; details?: VerifierErrorDetail[]; cause?: unknown } = {}) {
    super(kind, message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.details = opts.details ?? [];
  }
}
