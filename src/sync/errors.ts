import { AgentError } from "../shared/index.ts";

export type SyncErrorKind =
  /** the controller answered /config with a status that carries no config */
  | "config.status"
  /** a 200 body whose Content-Type is not application/x-proto-binary (EVE ValidateProtoContentType) */
  | "config.content-type"
  /** a 2xx other than 304 with nothing in it */
  | "config.empty-body"
  /** no verified controller signing cert to check the envelope with */
  | "config.no-certs"
  /** the verified payload is not a ConfigResponse */
  | "config.decode"
  /** a ConfigResponse without its EdgeDevConfig */
  | "config.no-config"
  /** id.uuid is not a canonical UUID */
  | "config.uuid"
  /** the lastconfig checkpoint could not be used */
  | "config.checkpoint"
  /** the onConfig consumer threw */
  | "config.apply"
  /** a persisted queue entry failed validation */
  | "queue.corrupt"
  /** an action that is not a plain api/v2 path (caller bug) */
  | "queue.action"
  /** building the device info report failed */
  | "info.build";

/** A config, info or queue failure; `kind` says which rule was broken. */
export class SyncError extends AgentError {
  declare readonly kind: SyncErrorKind;
  constructor(kind: SyncErrorKind, message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}
