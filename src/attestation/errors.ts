import { AgentError } from "../shared/index.ts";

export class AttestError extends AgentError {
  constructor(kind: "attest.http" | "attest.response" | "attest.refused" | "attest.escrow", message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}
