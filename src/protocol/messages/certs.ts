import type { EnumValue } from "./base.ts";
import type { HashAlgorithm } from "./common.ts";

/** org.lfedge.eve.certs (certs/certs.proto), docs/protocol.md#controller-certificates. */

export const ZCertMetaDataType = {
  Z_CERT_META_DATA_TYPE_INVALID: 0,
  Z_CERT_META_DATA_TYPE_TPM2_PUBLIC: 1,
} as const;
export type ZCertMetaDataType = EnumValue<typeof ZCertMetaDataType>;

export const ZCertType = {
  CERT_TYPE_CONTROLLER_NONE: 0,
  CERT_TYPE_CONTROLLER_SIGNING: 1,
  CERT_TYPE_CONTROLLER_INTERMEDIATE: 2,
  CERT_TYPE_CONTROLLER_ECDH_EXCHANGE: 3,
  CERT_TYPE_DEVICE_ONBOARDING: 10,
  CERT_TYPE_DEVICE_RESTRICTED_SIGNING: 11,
  CERT_TYPE_DEVICE_ENDORSEMENT_RSA: 12,
  CERT_TYPE_DEVICE_ECDH_EXCHANGE: 13,
} as const;
export type ZCertType = EnumValue<typeof ZCertType>;

export interface ZCertMetaData {
  type: ZCertMetaDataType;
  meta_data: Uint8Array;
}

export interface ZCertAttr {
  is_mutable: boolean;
  is_tpm: boolean;
}

export interface ZCert {
  hashAlgo: HashAlgorithm;
  certHash: Uint8Array;
  type: ZCertType;
  /** PEM text, hashed verbatim by both sides */
  cert: Uint8Array;
  attributes?: ZCertAttr;
  meta_data_items: ZCertMetaData[];
}

export interface ZControllerCert {
  certs: ZCert[];
}
