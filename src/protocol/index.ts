export { controllerCertHash, deviceCertHash, registerSenderCert } from "./cert-hash.ts";
export { type CodecName, codec } from "./codec.ts";
export { openEnvelope, unwrapEnvelope } from "./envelope-open.ts";
export { type SealOptions, sealEnvelope } from "./envelope-seal.ts";
export { type SigningCert, verifyEnvelope } from "./envelope-verify.ts";
export { EnvelopeError, type EnvelopeErrorKind, ProtocolError, type ProtocolErrorKind } from "./errors.ts";
export {
  type AttestGPSCoordinates,
  AttestGPSInput,
  type AttestPolicyPcrList,
  type AttestStorageKeys,
  type AttestStorageKeysResp,
  AttestStorageKeysResponseCode,
  type AttestVersionInfo,
  AttestVersionType,
  type AttestVolumeKey,
  type AttestVolumeKeyData,
  AttestVolumeKeyType,
  AttestVolumeKeyVersion,
  type TpmEventDigest,
  type TpmEventLogEntry,
  TpmHashAlgo,
  type TpmPCRValue,
  type ZAttestNonceResp,
  type ZAttestQuote,
  type ZAttestQuoteResp,
  type ZAttestReq,
  ZAttestReqType,
  type ZAttestResponse,
  ZAttestResponseCode,
  ZAttestRespType,
} from "./messages/attest.ts";
export type { AuthBody, AuthContainer } from "./messages/auth.ts";
export { type EnumValue, type MessageInit, type Timestamp, timestampFromDate, timestampToDate } from "./messages/base.ts";
export { type ZCert, type ZCertAttr, type ZCertMetaData, ZCertMetaDataType, ZCertType, type ZControllerCert } from "./messages/certs.ts";
export {
  type CipherBlock,
  type CipherContext,
  type EncryptionBlock,
  EncryptionScheme,
  HashAlgorithm,
  KeyExchangeScheme,
} from "./messages/common.ts";
export type { BootstrapConfig, ConfigItem, ConfigRequest, ConfigResponse, EdgeDevConfig, UUIDandVersion } from "./messages/config.ts";
export {
  type AttestationInfo,
  AttestationState,
  type DataSecAtRest,
  DataSecAtRestStatus,
  type ErrorInfo,
  HwSecurityModuleStatus,
  MaintenanceModeReason,
  PCRStatus,
  type SecurityInfo,
  type VaultInfo,
  type ZInfoDevice,
  type ZInfoManufacturer,
  type ZInfoMsg,
  ZInfoTypes,
} from "./messages/info.ts";
export type { ZRegisterMsg } from "./messages/register.ts";
export type { UuidRequest, UuidResponse } from "./messages/uuid.ts";
export { type DecodeOptions, MAX_MESSAGE_BYTES, type MessageCodec } from "./wire.ts";
