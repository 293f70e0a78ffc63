import { AgentError } from "../shared/index.ts";

export type ServicesErrorKind = "services.socket" | "services.peercred" | "services.config" | "services.key" | "services.issue";

/** A failure of the services themselves (not a caller's bad request, which is an ApiError). */
export class ServicesError extends AgentError {
  constructor(kind: ServicesErrorKind, message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}
