import { AgentError } from "../../shared/index.ts";

export type PullErrorKind =
  /** A query parameter or body the Keylime rules refuse (400). */
  | "keylime.pull.bad-request"
  /** A version segment this agent does not serve (400, the text the verifier renegotiates on). */
  | "keylime.pull.version"
  /** A body over its size cap (413). */
  | "keylime.pull.too-large"
  /** A body that is not JSON (415 for the media type). */
  | "keylime.pull.media-type"
  /** The U/V halves do not combine yet (400, Keylime's own text). */
  | "keylime.pull.no-key"
  /** The quote could not be made (500: the verifier retries on it). */
  | "keylime.pull.quote"
  /** The payload could not be decrypted or written. */
  | "keylime.pull.payload"
  /** The payload directory is not memory-backed, or not private. */
  | "keylime.pull.payload-dir"
  /** The HTTPS listener could not start (certificate, CA, port). */
  | "keylime.pull.listen";

const STATUS: Record<PullErrorKind, number> = {
  "keylime.pull.bad-request": 400,
  "keylime.pull.version": 400,
  "keylime.pull.too-large": 413,
  "keylime.pull.media-type": 415,
  "keylime.pull.no-key": 400,
  "keylime.pull.quote": 500,
  "keylime.pull.payload": 500,
  "keylime.pull.payload-dir": 500,
  "keylime.pull.listen": 500,
};

/**
 * An error of the pull server. `message` is what the peer reads in the
 * reply's `status`: fixed texts, never the input echoed back nor a cause.
 */
export class PullError extends AgentError {
  override readonly kind: PullErrorKind;
  constructor(kind: PullErrorKind, message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
    this.kind = kind;
  }

  get httpStatus(): number {
    return STATUS[this.kind];
  }
}
