import type { VaultError } from "./errors.ts";
import type { DataKey } from "./file-format.ts";
import type { VaultKey } from "./secret.ts";
import type { VaultStatus } from "./status.ts";

export type VaultState =
  | { phase: "closed" }
  | { phase: "plaintext" }
  | { phase: "unlocked"; key: VaultKey; dataKey: DataKey; sealedTo: number[] }
  /** `error` is why it locked; `rejected` the latest failed attempt to get out (shown after it). */
  | { phase: "locked"; error: VaultError; mismatching?: number[]; rejected?: VaultError };

export type LockedState = Extract<VaultState, { phase: "locked" }>;

export interface StatusInputs {
  state: VaultState;
  tpmEnabled: boolean;
  policyPcrs: number[];
  pcrStatus: VaultStatus["pcrStatus"];
  escrowPending: boolean;
  /** A problem worth showing while unlocked (escrow unavailable, re-seal failed). */
  notice?: { error: VaultError; at: string };
  lockedAt?: string;
  protection?: VaultStatus["protection"];
}

export function lockText(s: LockedState): string {
  return s.rejected ? `${s.error.message}; ${s.rejected.message}` : s.error.message;
}

/** The public status for a state; built from kinds and messages only, never from the key. */
export function statusOf(i: StatusInputs): VaultStatus {
  const s = i.state;
  const base = {
    policyPcrs: s.phase === "unlocked" ? s.sealedTo : i.policyPcrs,
    escrowPending: i.escrowPending,
    pcrStatus: i.pcrStatus,
    ...(i.protection ? { protection: i.protection } : {}),
  };
  switch (s.phase) {
    case "plaintext":
      return {
        status: "DISABLED",
        locked: false,
        pcrStatus: "DISABLED",
        policyPcrs: [],
        escrowPending: i.escrowPending,
        storeMode: "plaintext",
      };
    case "unlocked":
      return {
        ...base,
        status: "ENABLED",
        locked: false,
        storeMode: "encrypted",
        ...(i.notice ? { error: i.notice.error.message, errorKind: i.notice.error.kind, errorAt: i.notice.at } : {}),
      };
    case "locked":
      return {
        ...base,
        status: "ERROR",
        locked: true,
        storeMode: "encrypted",
        error: lockText(s),
        errorKind: (s.rejected ?? s.error).kind,
        ...(i.lockedAt ? { errorAt: i.lockedAt } : {}),
        ...(s.mismatching ? { mismatchingPcrs: s.mismatching } : {}),
      };
    case "closed":
      return {
        ...base,
        status: "ERROR",
        locked: true,
        storeMode: i.tpmEnabled ? "encrypted" : "plaintext",
        error: "vault is not open",
        errorKind: "vault.not-open",
      };
  }
}
