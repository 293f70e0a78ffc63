// A DeviceInfoSource with fixed, recognisable values for the info tests.
import { AttestationState, DataSecAtRestStatus, HwSecurityModuleStatus, MaintenanceModeReason, PCRStatus } from "../protocol/index.ts";
import type { DeviceInfoSource } from "./info-source.ts";

export function fixedInfoSource(uuid: string | undefined, over: Partial<DeviceInfoSource> = {}): DeviceInfoSource {
  return {
    deviceUuid: () => uuid,
    hardware: () => ({
      manufacturer: { manufacturer: "ACME", productName: "Box 1", biosVendor: "SeaBIOS" },
      machineArch: "x86_64",
      cpuArch: "x86_64",
      ncpu: 4,
      memoryMB: 2048,
      hostName: "edge-1",
    }),
    bootTime: () => new Date("2026-01-02T03:04:05.678Z"),
    lastRebootReason: () => "power on",
    hsm: () => ({ status: HwSecurityModuleStatus.ENABLED, info: "IBM-SW TPM, FW Version 8217.4131" }),
    vault: () => ({
      status: DataSecAtRestStatus.DATASEC_AT_REST_ERROR,
      pcrStatus: PCRStatus.PCR_ENABLED,
      error: { description: "unseal failed: PCR 7 mismatch", at: new Date("2026-01-02T03:05:00Z") },
    }),
    rootCaSha256: () => new Uint8Array(32).fill(7),
    attestation: () => ({ state: AttestationState.ATTESTATION_STATE_RESTART_WAIT, error: { description: "quote refused" } }),
    maintenance: () => ({
      active: true,
      reasons: [MaintenanceModeReason.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP, MaintenanceModeReason.MAINTENANCE_MODE_REASON_TPM_QUOTE_FAILURE],
    }),
    ...over,
  };
}
