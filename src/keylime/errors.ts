import { AgentError } from "../shared/index.ts";

export type KeylimeErrorKind =
  /** A quote string, PCR blob, mask or nonce that does not follow Keylime's format. */
  | "keylime.format"
  /** The registrar answered with something other than what its API promises. */
  | "keylime.protocol"
  /** The registrar refused us: 403 is the same UUID already held by another TPM. */
  | "keylime.refused"
  /** Network or TLS failure talking to a Keylime service. */
  | "keylime.unreachable"
  /** The TPM's EK does not match its EK certificate, or there is no certificate. */
  | "keylime.ek"
  /** The credential the registrar made does not activate with our EK and AK. */
  | "keylime.activation"
  /** The payload directory is missing or not memory-backed. */
  | "keylime.payload";

export class KeylimeError extends AgentError {
  constructor(kind: KeylimeErrorKind, message: string, options?: { cause?: unknown; status?: number }) {
    super(kind, message, options);
    if (options?.status !== undefined) this.status = options.status;
  }
  /** HTTP status from the peer, when the error is its answer. */
  status?: number;
}
