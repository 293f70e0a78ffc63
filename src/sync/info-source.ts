import type { AttestationState, DataSecAtRestStatus, HwSecurityModuleStatus, MaintenanceModeReason, PCRStatus, ZInfoManufacturer } from "../protocol/index.ts";

/** A failure as the controller is told about it (ErrorInfo). */
export interface ErrorReport {
  description: string;
  at?: Date;
}

/** Facts about the machine; `readHostFacts` and `readManufacturerInfo` gather them on Linux. */
export interface HardwareFacts {
  manufacturer: Partial<ZInfoManufacturer>;
  /** uname machine, e.g. x86_64 (EVE fills machineArch and cpuArch from it) */
  machineArch: string;
  cpuArch: string;
  ncpu: number;
  /** total memory in MB, as EVE reports it */
  memoryMB: number;
  hostName: string;
}

export interface HsmReport {
  status: HwSecurityModuleStatus;
  /** "<vendor>-<model>, FW Version <x>" or empty */
  info: string;
}

/** The one vault EVE reports, "Application Data Store". */
export interface VaultReport {
  status: DataSecAtRestStatus;
  pcrStatus: PCRStatus;
  /** e.g. the mismatching-PCR text after an unseal failure */
  error?: ErrorReport;
}

export interface AttestationReport {
  state: AttestationState;
  error?: ErrorReport;
}

export interface MaintenanceReport {
  active: boolean;
  reasons: MaintenanceModeReason[];
}

/**
 * Everything the device info report needs, read fresh for every report. The
 * composition root implements it from the components that own each part, so
 * sync depends on none of them.
 */
export interface DeviceInfoSource {
  /** devId; while undefined (not onboarded) no report is made */
  deviceUuid(): string | undefined;
  hardware(): HardwareFacts;
  bootTime(): Date | undefined;
  lastRebootReason?(): string | undefined;
  hsm(): HsmReport;
  vault(): VaultReport;
  /** SHA-256 of /config/root-certificate.pem */
  rootCaSha256(): Uint8Array | undefined;
  attestation(): AttestationReport;
  maintenance(): MaintenanceReport;
}
