import type { AttestationStatus } from "../attestation/index.ts";
import type { MaintenanceModeReason } from "../protocol/index.ts";
import type { VaultStatus } from "../vault/index.ts";

/** The parts of the device info report whose change sends a report at once (the rest waits for the periodic one). */
export interface InfoView {
  attestationState?: number;
  attestationError?: string;
  vaultStatus: VaultStatus["status"];
  vaultLocked: boolean;
  vaultError?: string;
  maintenance: readonly MaintenanceModeReason[];
}

export function infoView(attestation: AttestationStatus | undefined, vault: VaultStatus, maintenance: readonly MaintenanceModeReason[]): InfoView {
  return {
    ...(attestation ? { attestationState: attestation.stateNumber } : {}),
    ...(attestation?.lastError ? { attestationError: attestation.lastError.message } : {}),
    vaultStatus: vault.status,
    vaultLocked: vault.locked,
    ...(vault.error !== undefined ? { vaultError: vault.error } : {}),
    maintenance: [...maintenance],
  };
}

const SCALAR_FIELDS = ["attestationState", "attestationError", "vaultStatus", "vaultLocked", "vaultError"] as const;

export function sameInfoView(a: InfoView, b: InfoView): boolean {
  if (!SCALAR_FIELDS.every((k) => a[k] === b[k])) return false;
  return a.maintenance.length === b.maintenance.length && a.maintenance.every((r, i) => r === b.maintenance[i]);
}

/**
 * Decides when info goes out because what it reports changed, not on every
 * internal step. The first view is the baseline: the reporter sends its own
 * report at start.
 */
export class InfoTrigger {
  private last: InfoView | undefined;

  /** True when `view` differs from the last one seen (never for the first). */
  changed(view: InfoView): boolean {
    const prev = this.last;
    this.last = view;
    return prev !== undefined && !sameInfoView(prev, view);
  }
}
