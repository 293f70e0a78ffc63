import { AgentError } from "../shared/index.ts";
import { RC_LAYER, type TpmRcLike } from "./port.ts";

/** Narrowing for errors raised by the native layer (compares fields, never text). */
export function isTpmRc(e: unknown): e is TpmRcLike {
  return typeof e === "object" && e !== null && (e as { kind?: unknown }).kind === "tpm.rc" && typeof (e as { rc?: unknown }).rc === "number";
}

/** True when `e` is a TPM-layer return code equal to `code` (RC.* value). */
export function hasRc(e: unknown, code: number): boolean {
  return isTpmRc(e) && (e.layer === RC_LAYER.TPM || e.layer === RC_LAYER.RESMGR_TPM) && e.code === code;
}

export type TpmErrorKind =
  | "tpm.unavailable"
  | "tpm.timeout"
  | "tpm.closed"
  | "tpm.connection"
  | "tpm.lost"
  | "tpm.key-missing"
  | "tpm.key-mismatch"
  | "tpm.cleared"
  | "tpm.input"
  | "tpm.sealing-refused"
  | "tpm.operation";

/** A failed TPM operation; the TSS return code (if any) is the cause. */
export class TpmError extends AgentError {
  constructor(kind: TpmErrorKind, message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}

/**
 * Unseal refused because the PCRs the vault key is sealed to moved. `changed`
 * lists the PCR indexes whose current value differs from the seal-time value.
 */
export class PcrMismatchError extends AgentError {
  readonly changed: number[];
  constructor(changed: number[], options?: { cause?: unknown }) {
    super("tpm.pcr-mismatch", `PCR mismatch: ${changed.length > 0 ? changed.join(", ") : "policy failed but no PCR differs from the sealed values"}`, options);
    this.changed = changed;
  }
}
