export { codec, type CodecName } from "./codec.ts";
export { MAX_MESSAGE_BYTES, type MessageCodec, type DecodeOptions } from "./wire.ts";
export { ProtocolError, EnvelopeError, type ProtocolErrorKind, type EnvelopeErrorKind } from "./errors.ts";
export { sealEnvelope, type SealOptions } from "./envelope-seal.ts";
export { openEnvelope, unwrapEnvelope } from "./envelope-open.ts";
export { verifyEnvelope, type SigningCert } from "./envelope-verify.ts";
export { deviceCertHash, registerSenderCert, controllerCertHash } from "./cert-hash.ts";

export { type EnumValue, type MessageInit, type Timestamp, timestampFromDate, timestampToDate } from "./messages/base.ts";
export {
  HashAlgorithm,
  KeyExchangeScheme,
  EncryptionScheme,
  type CipherContext,
  type CipherBlock,
  type EncryptionBlock,
} from "./messages/common.ts";
export type { AuthBody, AuthContainer } from "./messages/auth.ts";
export { ZCertType, ZCertMetaDataType, type ZCert, type ZCertAttr, type ZCertMetaData, type ZControllerCert } from "./messages/certs.ts";
export type { ZRegisterMsg } from "./messages/register.ts";
export type { UuidRequest, UuidResponse } from "./messages/uuid.ts";
export {
  ZAttestReqType,
  ZAttestRespType,
  TpmHashAlgo,
  AttestGPSInput,
  AttestVersionType,
  ZAttestResponseCode,
  AttestVolumeKeyType,
  AttestVolumeKeyVersion,
  AttestStorageKeysResponseCode,
  type ZAttestReq,
  type ZAttestResponse,
  type ZAttestNonceResp,
  type ZAttestQuote,
  type ZAttestQuoteResp,
  type TpmPCRValue,
  type TpmEventDigest,
  type TpmEventLogEntry,
  type AttestGPSCoordinates,
  type AttestVersionInfo,
  type AttestVolumeKey,
  type AttestVolumeKeyData,
  type AttestPolicyPcrList,
  type AttestStorageKeys,
  type AttestStorageKeysResp,
} from "./messages/attest.ts";
export type { UUIDandVersion, ConfigItem, EdgeDevConfig, ConfigRequest, ConfigResponse, BootstrapConfig } from "./messages/config.ts";
export {
  ZInfoTypes,
  HwSecurityModuleStatus,
  AttestationState,
  DataSecAtRestStatus,
  PCRStatus,
  MaintenanceModeReason,
  type ZInfoMsg,
  type ZInfoDevice,
  type ZInfoManufacturer,
  type DataSecAtRest,
  type VaultInfo,
  type SecurityInfo,
  type AttestationInfo,
  type ErrorInfo,
} from "./messages/info.ts";
