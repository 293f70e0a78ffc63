import { AgentError } from "../shared/index.ts";

export type VaultErrorKind =
  | "vault.locked"
  | "vault.not-open"
  | "vault.sealing-refused"
  | "vault.pcr-mismatch"
  | "vault.key-missing"
  | "vault.key-mismatch"
  | "vault.escrow-invalid"
  | "vault.escrow-unavailable"
  | "vault.tpm"
  | "vault.state"
  | "vault.name-invalid"
  | "vault.fscrypt"
  | FileErrorKind;

export type FileErrorKind = "vault.file-corrupt" | "vault.file-version" | "vault.file-wrong-key" | "vault.file-mode";

/** Messages never carry key bytes: only lengths, indexes, file names and kinds. */
export class VaultError extends AgentError {
  declare readonly kind: VaultErrorKind;
  constructor(kind: VaultErrorKind, message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}

/** The key is not available (PCR mismatch, no key yet, or closed): the store refuses every operation. */
export class VaultLockedError extends VaultError {
  constructor(reason: string) {
    super("vault.locked", `vault is locked: ${reason}`);
  }
}

/** A store file that cannot be used; `file` is the path on disk, `entry` the logical name asked for. */
export class VaultFileError extends VaultError {
  declare readonly kind: FileErrorKind;
  readonly file: string;
  readonly entry: string;
  constructor(kind: FileErrorKind, file: string, entry: string, reason: string, options?: { cause?: unknown }) {
    super(kind, `${file} (${entry}): ${reason}`, options);
    this.file = file;
    this.entry = entry;
  }
}

/** Kind-based checks so errors from a wrapped or fake TPM are recognised without importing its classes. */
export function pcrMismatchOf(e: unknown): number[] | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const { kind, changed } = e as { kind?: unknown; changed?: unknown };
  if (kind !== "tpm.pcr-mismatch" || !Array.isArray(changed)) return undefined;
  return changed.filter((x): x is number => typeof x === "number");
}

export function isSealingRefused(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { kind?: unknown }).kind === "tpm.sealing-refused";
}
