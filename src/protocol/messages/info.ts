import type { EnumValue, Timestamp } from "./base.ts";

/** org.lfedge.eve.info (info/info.proto, info/common.proto), docs/protocol.md#info. */

export const ZInfoTypes = {
  ZiNop: 0,
  ZiDevice: 1,
  ZiApp: 3,
  ZiNetworkInstance: 6,
  ZiVolume: 7,
  ZiContentTree: 8,
  ZiBlobList: 9,
  ZiAppInstMetaData: 10,
  ZiHardware: 11,
  ZiEdgeview: 12,
  ZiLocation: 13,
  ZiPatchEnvelope: 14,
  ZiNTPSources: 16,
  ZiKubeCluster: 17,
  ZiKubeClusterUpdateStatus: 18,
} as const;
export type ZInfoTypes = EnumValue<typeof ZInfoTypes>;

export const HwSecurityModuleStatus = {
  UNKNOWN: 0,
  NOTFOUND: 1,
  DISABLED: 2,
  ENABLED: 3,
} as const;
export type HwSecurityModuleStatus = EnumValue<typeof HwSecurityModuleStatus>;

/** Same numbers as the attestation FSM states (docs/state-machines.md#attestation-states). */
export const AttestationState = {
  ATTESTATION_STATE_UNSPECIFIED: 0,
  ATTESTATION_STATE_NONCE_WAIT: 1,
  ATTESTATION_STATE_TPM_QUOTE_WAIT: 2,
  ATTESTATION_STATE_TPM_ESCROW_WAIT: 3,
  ATTESTATION_STATE_ATTEST_WAIT: 4,
  ATTESTATION_STATE_ATTEST_ESCROW_WAIT: 5,
  ATTESTATION_STATE_RESTART_WAIT: 6,
  ATTESTATION_STATE_COMPLETE: 7,
} as const;
export type AttestationState = EnumValue<typeof AttestationState>;

export const DataSecAtRestStatus = {
  DATASEC_AT_REST_UNKNOWN: 0,
  DATASEC_AT_REST_DISABLED: 1,
  DATASEC_AT_REST_ENABLED: 2,
  DATASEC_AT_REST_ERROR: 4,
} as const;
export type DataSecAtRestStatus = EnumValue<typeof DataSecAtRestStatus>;

export const PCRStatus = {
  PCR_UNKNOWN: 0,
  PCR_ENABLED: 1,
  PCR_DISABLED: 2,
} as const;
export type PCRStatus = EnumValue<typeof PCRStatus>;

export const MaintenanceModeReason = {
  MAINTENANCE_MODE_REASON_NONE: 0,
  MAINTENANCE_MODE_REASON_USER_REQUESTED: 1,
  MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP: 2,
  MAINTENANCE_MODE_REASON_LOW_DISK_SPACE: 3,
  MAINTENANCE_MODE_REASON_TPM_ENCRYPTION_FAILURE: 4,
  MAINTENANCE_MODE_REASON_TPM_QUOTE_FAILURE: 5,
  MAINTENANCE_MODE_REASON_EDGE_NODE_CERTS_REFUSED: 6,
} as const;
export type MaintenanceModeReason = EnumValue<typeof MaintenanceModeReason>;

/** severity (3) and entities (4) are not declared: their types are not tabulated. */
export interface ErrorInfo {
  description: string;
  timestamp?: Timestamp;
  retry_condition: string;
}

export interface ZInfoManufacturer {
  manufacturer: string;
  productName: string;
  version: string;
  serialNumber: string;
  UUID: string;
  compatible: string;
  biosVendor: string;
  biosVersion: string;
  biosReleaseDate: string;
}

export interface VaultInfo {
  name: string;
  status: DataSecAtRestStatus;
  vaultErr?: ErrorInfo;
  pcrStatus: PCRStatus;
}

export interface DataSecAtRest {
  status: DataSecAtRestStatus;
  info: string;
  vaultList: VaultInfo[];
}

export interface SecurityInfo {
  /** SHA-256 of /config/root-certificate.pem */
  sha_root_ca: Uint8Array;
  /** no longer set by EVE */
  sha_tls_root_ca: Uint8Array;
}

export interface AttestationInfo {
  state: AttestationState;
  error?: ErrorInfo;
}

/** The device report, limited to fields whose types the tables give. */
export interface ZInfoDevice {
  machineArch: string;
  cpuArch: string;
  platform: string;
  ncpu: number;
  memory: number;
  storage: number;
  powerCycleCounter: number;
  minfo?: ZInfoManufacturer;
  bootTime?: Timestamp;
  HostName: string;
  lastRebootReason: string;
  lastRebootTime?: Timestamp;
  restartCounter: number;
  HSMStatus: HwSecurityModuleStatus;
  HSMInfo: string;
  lastRebootStack: string;
  dataSecAtRestInfo?: DataSecAtRest;
  sec_info?: SecurityInfo;
  rebootConfigCounter: number;
  maintenance_mode: boolean;
  /** deprecated: the first of maintenance_mode_reasons */
  maintenance_mode_reason: MaintenanceModeReason;
  hardware_watchdog_present: boolean;
  reboot_inprogress: boolean;
  baseos_update_counter: number;
  local_profile: string;
  maintenance_mode_reasons: MaintenanceModeReason[];
  /** deprecated */
  dormant_time: string;
  shutdown_config_counter: number;
  attestation_info?: AttestationInfo;
  remote_access_disabled: boolean;
  device_name: string;
  enterprise_name: string;
  enterprise_id: string;
  project_name: string;
  project_id: string;
}

/** InfoContent is a oneof; only its dinfo member is declared. */
export interface ZInfoMsg {
  ztype: ZInfoTypes;
  devId: string;
  dinfo?: ZInfoDevice;
  atTimeStamp?: Timestamp;
}
