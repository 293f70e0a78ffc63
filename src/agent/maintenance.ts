import { MaintenanceModeReason } from "../protocol/index.ts";

/** What maintenance mode is decided from; each field has one owner (vault, facts, attestation). */
export interface MaintenanceInputs {
  vaultLocked: boolean;
  /** The controller refused the edge-node certs and no upload was delivered since. */
  certsRefused: boolean;
  /** A verified config arrived this boot. */
  configOk: boolean;
  /** `kind` of attestation's last error, if any. */
  attestationErrorKind?: string;
}

/**
 * The maintenance-mode reasons the device reports. Refused certs count only
 * while config fetching succeeds, as in EVE (docs/state-machines.md#maintenance-reasons): a device
 * that reaches nobody has not been refused.
 */
export function maintenanceReasons(i: MaintenanceInputs): MaintenanceModeReason[] {
  const reasons: MaintenanceModeReason[] = [];
  if (i.vaultLocked) reasons.push(MaintenanceModeReason.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP);
  if (i.certsRefused && i.configOk) reasons.push(MaintenanceModeReason.MAINTENANCE_MODE_REASON_EDGE_NODE_CERTS_REFUSED);
  if (i.attestationErrorKind === "quote.tpm") reasons.push(MaintenanceModeReason.MAINTENANCE_MODE_REASON_TPM_QUOTE_FAILURE);
  return reasons;
}

/** The reason's protocol name (e.g. MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP), as the status shows it. */
export function maintenanceReasonName(r: number): string {
  return Object.entries(MaintenanceModeReason).find(([, v]) => v === r)?.[0] ?? String(r);
}
