import type { AttestationStatus } from "../attestation/index.ts";
import { AttestationState, DataSecAtRestStatus, HwSecurityModuleStatus, type MaintenanceModeReason, PCRStatus } from "../protocol/index.ts";
import { bootTimeFromUptime, type DeviceInfoSource, fileSha256, type HardwareFacts, readHostFacts } from "../sync/index.ts";
import { DATASEC_STATUS, PCR_STATUS, type VaultStatus } from "../vault/index.ts";

export interface InfoInputs {
  uuid: () => string | undefined;
  serial?: string;
  hsm: { status: "ENABLED" | "DISABLED" | "NOTFOUND"; info?: string };
  rootCertPath: string;
  attestation: () => AttestationStatus | undefined;
  vault: () => VaultStatus | undefined;
  maintenance: () => number[];
}

const HSM = {
  ENABLED: HwSecurityModuleStatus.ENABLED,
  DISABLED: HwSecurityModuleStatus.DISABLED,
  NOTFOUND: HwSecurityModuleStatus.NOTFOUND,
} as const;

/**
 * The device info report's view of the agent's components, read fresh each
 * report, except the machine and its DMI identity: firmware data that cannot
 * change while the system runs, read once rather than eight files per report.
 */
export function deviceInfoSource(inp: InfoInputs): DeviceInfoSource {
  const bootTime = bootTimeFromUptime();
  let hardware: HardwareFacts | undefined;
  return {
    deviceUuid: inp.uuid,
    hardware() {
      if (!hardware) {
        const host = readHostFacts();
        hardware = { ...host, manufacturer: { ...host.manufacturer, ...(inp.serial ? { serialNumber: inp.serial } : {}) } };
      }
      return { ...hardware, manufacturer: { ...hardware.manufacturer } };
    },
    bootTime: () => bootTime,
    hsm: () => ({ status: HSM[inp.hsm.status], info: inp.hsm.info ?? "" }),
    vault() {
      const v = inp.vault();
      if (!v) return { status: DataSecAtRestStatus.DATASEC_AT_REST_UNKNOWN, pcrStatus: PCRStatus.PCR_UNKNOWN };
      return {
        status: DATASEC_STATUS[v.status],
        pcrStatus: PCR_STATUS[v.pcrStatus],
        ...(v.error ? { error: { description: v.error, ...(v.errorAt ? { at: new Date(v.errorAt) } : {}) } } : {}),
      };
    },
    rootCaSha256: () => fileSha256(inp.rootCertPath),
    attestation() {
      const a = inp.attestation();
      if (!a) return { state: AttestationState.ATTESTATION_STATE_UNSPECIFIED };
      return {
        state: a.stateNumber as AttestationState,
        ...(a.lastError ? { error: { description: a.lastError.message, at: new Date(a.lastError.at) } } : {}),
      };
    },
    maintenance() {
      const reasons = inp.maintenance() as MaintenanceModeReason[];
      return { active: reasons.length > 0, reasons };
    },
  };
}
