import { type DataSecAtRest, DataSecAtRestStatus, PCRStatus, timestampFromDate, type VaultInfo } from "../protocol/index.ts";
import type { VaultErrorKind } from "./errors.ts";

/** What the status endpoint and info reports show; never key material. */
export interface VaultStatus {
  /** ENABLED: encrypted and unlocked; DISABLED: no TPM (plaintext store); ERROR: locked or broken. */
  status: "ENABLED" | "DISABLED" | "ERROR";
  locked: boolean;
  /** ENABLED when the TPM has a readable SHA-256 PCR bank. */
  pcrStatus: "ENABLED" | "DISABLED" | "UNKNOWN";
  /** The PCR set the key is (or will be) sealed to. */
  policyPcrs: number[];
  /** PCRs whose value moved since sealing, when that is why the vault is locked. */
  mismatchingPcrs?: number[];
  error?: string;
  errorKind?: VaultErrorKind;
  /** ISO time the current error was first seen. */
  errorAt?: string;
  /** An escrow blob is ready and the controller has not confirmed storing it. */
  escrowPending: boolean;
  /** "plaintext" only on a device without TPM: entries are written unencrypted (EVE: plain directory). */
  storeMode: "encrypted" | "plaintext";
  /**
   * With a TPM: "fscrypt" when the vault directory has its fscrypt policy
   * (names and contents ciphertext while locked, under the store's own
   * encryption), "store" when the store's encryption is all there is.
   */
  protection?: "fscrypt" | "store";
}

/** EVE's name for the one vault it reports. */
export const VAULT_NAME = "Application Data Store";

export const DATASEC_STATUS = {
  ENABLED: DataSecAtRestStatus.DATASEC_AT_REST_ENABLED,
  DISABLED: DataSecAtRestStatus.DATASEC_AT_REST_DISABLED,
  ERROR: DataSecAtRestStatus.DATASEC_AT_REST_ERROR,
} as const;

export const PCR_STATUS = { ENABLED: PCRStatus.PCR_ENABLED, DISABLED: PCRStatus.PCR_DISABLED, UNKNOWN: PCRStatus.PCR_UNKNOWN } as const;

/** ZInfoDevice.dataSecAtRestInfo for the info report (docs/protocol.md#vault-status-in-info). */
export function dataSecAtRestInfo(s: VaultStatus): DataSecAtRest {
  const detail = s.status === "DISABLED" ? "HSM is either absent or not in use" : (s.error ?? "");
  const vault: VaultInfo = {
    name: VAULT_NAME,
    status: DATASEC_STATUS[s.status],
    pcrStatus: PCR_STATUS[s.pcrStatus],
    ...(detail !== ""
      ? { vaultErr: { description: detail, retry_condition: "", ...(s.errorAt ? { timestamp: timestampFromDate(new Date(s.errorAt)) } : {}) } }
      : {}),
  };
  return { status: DATASEC_STATUS[s.status], info: detail, vaultList: [vault] };
}
