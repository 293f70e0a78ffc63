import type { EnumValue } from "./base.ts";
import type { ZCert } from "./certs.ts";

/** org.lfedge.eve.attest (attest/attest.proto), docs/protocol.md#attest. */

export const ZAttestReqType = {
  ATTEST_REQ_NONE: 0,
  ATTEST_REQ_CERT: 1,
  ATTEST_REQ_NONCE: 2,
  ATTEST_REQ_QUOTE: 3,
  Z_ATTEST_REQ_TYPE_STORE_KEYS: 4,
} as const;
export type ZAttestReqType = EnumValue<typeof ZAttestReqType>;

export const ZAttestRespType = {
  ATTEST_RESP_NONE: 0,
  ATTEST_RESP_CERT: 1,
  ATTEST_RESP_NONCE: 2,
  ATTEST_RESP_QUOTE_RESP: 3,
  Z_ATTEST_RESP_TYPE_STORE_KEYS: 4,
} as const;
export type ZAttestRespType = EnumValue<typeof ZAttestRespType>;

export const TpmHashAlgo = {
  TPM_HASH_ALGO_INVALID: 0,
  TPM_HASH_ALGO_SHA1: 1,
  TPM_HASH_ALGO_SHA256: 2,
  TPM_HASH_ALGO_SHA512: 3,
} as const;
export type TpmHashAlgo = EnumValue<typeof TpmHashAlgo>;

export const AttestGPSInput = {
  ATTEST_GPS_INPUT_INVALID: 0,
  ATTEST_GPS_INPUT_PRESENT: 1,
  ATTEST_GPS_INPUT_ABSENT: 2,
} as const;
export type AttestGPSInput = EnumValue<typeof AttestGPSInput>;

export const AttestVersionType = {
  ATTEST_VERSION_TYPE_INVALID: 0,
  ATTEST_VERSION_TYPE_EVE: 1,
  ATTEST_VERSION_TYPE_FIRMWARE: 2,
  /** from the newer eve-api EVE vendors; send only when an origin file exists */
  ATTEST_VERSION_TYPE_EVE_ORIGIN: 3,
} as const;
export type AttestVersionType = EnumValue<typeof AttestVersionType>;

export const ZAttestResponseCode = {
  Z_ATTEST_RESPONSE_CODE_INVALID: 0,
  Z_ATTEST_RESPONSE_CODE_SUCCESS: 1,
  Z_ATTEST_RESPONSE_CODE_NONCE_MISMATCH: 2,
  Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND: 3,
  Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED: 4,
} as const;
export type ZAttestResponseCode = EnumValue<typeof ZAttestResponseCode>;

export const AttestVolumeKeyType = {
  ATTEST_VOLUME_KEY_TYPE_INVALID: 0,
  ATTEST_VOLUME_KEY_TYPE_VSK: 1,
} as const;
export type AttestVolumeKeyType = EnumValue<typeof AttestVolumeKeyType>;

export const AttestVolumeKeyVersion = {
  ATTEST_VOLUME_KEY_VERSION_LEGACY: 0,
  /** exists in the API; EVE neither produces nor consumes it */
  ATTEST_VOLUME_KEY_VERSION_V1: 1,
} as const;
export type AttestVolumeKeyVersion = EnumValue<typeof AttestVolumeKeyVersion>;

export const AttestStorageKeysResponseCode = {
  ATTEST_STORAGE_KEYS_RESPONSE_CODE_INVALID: 0,
  ATTEST_STORAGE_KEYS_RESPONSE_CODE_SUCCESS: 1,
  ATTEST_STORAGE_KEYS_RESPONSE_CODE_ITOKEN_MISMATCH: 2,
} as const;
export type AttestStorageKeysResponseCode = EnumValue<typeof AttestStorageKeysResponseCode>;

export interface ZAttestNonceResp {
  nonce: Uint8Array;
}

export interface TpmEventDigest {
  hash_algo: TpmHashAlgo;
  digest: Uint8Array;
}

export interface TpmEventLogEntry {
  index: number;
  pcr_index: number;
  event_type: number;
  digest?: TpmEventDigest;
  event_data_binary: Uint8Array;
  event_data_string: string;
  event_binary_size: number;
}

export interface AttestGPSCoordinates {
  gps_input: AttestGPSInput;
  latitude: number;
  longitude: number;
}

export interface AttestVersionInfo {
  version_type: AttestVersionType;
  version: string;
}

export interface TpmPCRValue {
  index: number;
  hash_algo: TpmHashAlgo;
  value: Uint8Array;
}

export interface ZAttestQuote {
  /** raw TPMS_ATTEST, no TPM2B size prefix */
  attestData: Uint8Array;
  /** ASN.1 DER ECDSA, unlike the raw r||s of envelopes */
  signature: Uint8Array;
  pcr_values: TpmPCRValue[];
  /** deprecated; EVE does not send it */
  event_log: TpmEventLogEntry[];
  versions: AttestVersionInfo[];
  gps_info?: AttestGPSCoordinates;
  /** gzip of the kernel's binary_bios_measurements */
  tpm_binary_event_log: Uint8Array;
}

export interface AttestPolicyPcrList {
  pcr_indices: number[];
  policy_id: number;
}

export interface AttestVolumeKey {
  key_type: AttestVolumeKeyType;
  /** an encoded AttestVolumeKeyData, opaque to the controller */
  key: Uint8Array;
  has_policy_pcr_list: boolean;
  policy_pcr_list?: AttestPolicyPcrList;
}

export interface AttestVolumeKeyData {
  encrypted_key: Uint8Array;
  digest_sha256: Uint8Array;
  version: AttestVolumeKeyVersion;
}

export interface ZAttestQuoteResp {
  response: ZAttestResponseCode;
  integrity_token: Uint8Array;
  keys: AttestVolumeKey[];
}

export interface AttestStorageKeys {
  integrity_token: Uint8Array;
  keys: AttestVolumeKey[];
}

export interface AttestStorageKeysResp {
  response: AttestStorageKeysResponseCode;
}

export interface ZAttestReq {
  reqType: ZAttestReqType;
  quote?: ZAttestQuote;
  certs: ZCert[];
  storage_keys?: AttestStorageKeys;
}

export interface ZAttestResponse {
  respType: ZAttestRespType;
  nonce?: ZAttestNonceResp;
  quoteResp?: ZAttestQuoteResp;
  storage_keys_resp?: AttestStorageKeysResp;
}
