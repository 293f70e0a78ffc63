import type { EnumValue } from "./base.ts";

/** org.lfedge.eve.common (evecommon/evecommon.proto, evecommon/acipherinfo.proto). */

export const HashAlgorithm = {
  HASH_ALGORITHM_INVALID: 0,
  /** first 16 bytes of SHA-256 */
  HASH_ALGORITHM_SHA256_16BYTES: 1,
  /** full 32-byte SHA-256 */
  HASH_ALGORITHM_SHA256_32BYTES: 2,
} as const;
export type HashAlgorithm = EnumValue<typeof HashAlgorithm>;

export const KeyExchangeScheme = {
  KEA_NONE: 0,
  KEA_ECDH: 1,
} as const;
export type KeyExchangeScheme = EnumValue<typeof KeyExchangeScheme>;

export const EncryptionScheme = {
  SA_NONE: 0,
  SA_AES_256_CFB: 1,
} as const;
export type EncryptionScheme = EnumValue<typeof EncryptionScheme>;

export interface CipherContext {
  contextId: string;
  hashScheme: HashAlgorithm;
  keyExchangeScheme: KeyExchangeScheme;
  encryptionScheme: EncryptionScheme;
  deviceCertHash: Uint8Array;
  controllerCertHash: Uint8Array;
}

export interface CipherBlock {
  cipherContextId: string;
  initialValue: Uint8Array;
  cipherData: Uint8Array;
  clearTextSha256: Uint8Array;
}

/** Field 9 (user) is not declared: its enum's values are not tabulated. */
export interface EncryptionBlock {
  dsAPIKey: string;
  dsPassword: string;
  wifiUserName: string;
  wifiPassword: string;
  protectedUserData: string;
  cellular_net_username: string;
  cellular_net_password: string;
  cluster_token: string;
  encrypted_data: string;
  cellular_net_attach_username: string;
  cellular_net_attach_password: string;
  gzip_registration_manifest_yaml: Uint8Array;
  scep_challenge_password: string;
}
