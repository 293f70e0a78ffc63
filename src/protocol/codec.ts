import { TYPES } from "./codec.generated.ts";
import type * as attest from "./messages/attest.ts";
import type { AuthBody, AuthContainer } from "./messages/auth.ts";
import type { Timestamp } from "./messages/base.ts";
import type { ZCert, ZCertAttr, ZCertMetaData, ZControllerCert } from "./messages/certs.ts";
import type { CipherBlock, CipherContext, EncryptionBlock } from "./messages/common.ts";
import type * as config from "./messages/config.ts";
import type * as info from "./messages/info.ts";
import type { ZRegisterMsg } from "./messages/register.ts";
import type { UuidRequest, UuidResponse } from "./messages/uuid.ts";
import { staticCodec } from "./wire.ts";

// The codecs are generated at development time (scripts/gen-codec.ts), so a
// start builds no reflection types and compiles no functions.
const root = TYPES;

const AUTH = "org.lfedge.eve.auth.";
const COMMON = "org.lfedge.eve.common.";
const CERTS = "org.lfedge.eve.certs.";
const ATTEST = "org.lfedge.eve.attest.";
const CONFIG = "org.lfedge.eve.config.";
const INFO = "org.lfedge.eve.info.";

/** One typed codec per declared message, keyed by its protobuf name. */
export const codec = {
  AuthBody: staticCodec<AuthBody>(root, `${AUTH}AuthBody`),
  AuthContainer: staticCodec<AuthContainer>(root, `${AUTH}AuthContainer`),

  CipherContext: staticCodec<CipherContext>(root, `${COMMON}CipherContext`),
  CipherBlock: staticCodec<CipherBlock>(root, `${COMMON}CipherBlock`),
  EncryptionBlock: staticCodec<EncryptionBlock>(root, `${COMMON}EncryptionBlock`),

  ZControllerCert: staticCodec<ZControllerCert>(root, `${CERTS}ZControllerCert`),
  ZCert: staticCodec<ZCert>(root, `${CERTS}ZCert`),
  ZCertAttr: staticCodec<ZCertAttr>(root, `${CERTS}ZCertAttr`),
  ZCertMetaData: staticCodec<ZCertMetaData>(root, `${CERTS}ZCertMetaData`),

  ZRegisterMsg: staticCodec<ZRegisterMsg>(root, "org.lfedge.eve.register.ZRegisterMsg"),

  UuidRequest: staticCodec<UuidRequest>(root, "org.lfedge.eve.uuid.UuidRequest"),
  UuidResponse: staticCodec<UuidResponse>(root, "org.lfedge.eve.uuid.UuidResponse"),

  ZAttestReq: staticCodec<attest.ZAttestReq>(root, `${ATTEST}ZAttestReq`),
  ZAttestResponse: staticCodec<attest.ZAttestResponse>(root, `${ATTEST}ZAttestResponse`),
  ZAttestNonceResp: staticCodec<attest.ZAttestNonceResp>(root, `${ATTEST}ZAttestNonceResp`),
  ZAttestQuote: staticCodec<attest.ZAttestQuote>(root, `${ATTEST}ZAttestQuote`),
  ZAttestQuoteResp: staticCodec<attest.ZAttestQuoteResp>(root, `${ATTEST}ZAttestQuoteResp`),
  TpmPCRValue: staticCodec<attest.TpmPCRValue>(root, `${ATTEST}TpmPCRValue`),
  TpmEventDigest: staticCodec<attest.TpmEventDigest>(root, `${ATTEST}TpmEventDigest`),
  TpmEventLogEntry: staticCodec<attest.TpmEventLogEntry>(root, `${ATTEST}TpmEventLogEntry`),
  AttestGPSCoordinates: staticCodec<attest.AttestGPSCoordinates>(root, `${ATTEST}AttestGPSCoordinates`),
  AttestVersionInfo: staticCodec<attest.AttestVersionInfo>(root, `${ATTEST}AttestVersionInfo`),
  AttestVolumeKey: staticCodec<attest.AttestVolumeKey>(root, `${ATTEST}AttestVolumeKey`),
  AttestVolumeKeyData: staticCodec<attest.AttestVolumeKeyData>(root, `${ATTEST}AttestVolumeKeyData`),
  AttestPolicyPcrList: staticCodec<attest.AttestPolicyPcrList>(root, `${ATTEST}AttestPolicyPcrList`),
  AttestStorageKeys: staticCodec<attest.AttestStorageKeys>(root, `${ATTEST}AttestStorageKeys`),
  AttestStorageKeysResp: staticCodec<attest.AttestStorageKeysResp>(root, `${ATTEST}AttestStorageKeysResp`),

  UUIDandVersion: staticCodec<config.UUIDandVersion>(root, `${CONFIG}UUIDandVersion`),
  ConfigItem: staticCodec<config.ConfigItem>(root, `${CONFIG}ConfigItem`),
  EdgeDevConfig: staticCodec<config.EdgeDevConfig>(root, `${CONFIG}EdgeDevConfig`),
  ConfigRequest: staticCodec<config.ConfigRequest>(root, `${CONFIG}ConfigRequest`),
  ConfigResponse: staticCodec<config.ConfigResponse>(root, `${CONFIG}ConfigResponse`),
  BootstrapConfig: staticCodec<config.BootstrapConfig>(root, `${CONFIG}BootstrapConfig`),

  ZInfoMsg: staticCodec<info.ZInfoMsg>(root, `${INFO}ZInfoMsg`),
  ZInfoDevice: staticCodec<info.ZInfoDevice>(root, `${INFO}ZInfoDevice`),
  ZInfoManufacturer: staticCodec<info.ZInfoManufacturer>(root, `${INFO}ZInfoManufacturer`),
  DataSecAtRest: staticCodec<info.DataSecAtRest>(root, `${INFO}DataSecAtRest`),
  VaultInfo: staticCodec<info.VaultInfo>(root, `${INFO}VaultInfo`),
  SecurityInfo: staticCodec<info.SecurityInfo>(root, `${INFO}SecurityInfo`),
  AttestationInfo: staticCodec<info.AttestationInfo>(root, `${INFO}AttestationInfo`),
  ErrorInfo: staticCodec<info.ErrorInfo>(root, `${INFO}ErrorInfo`),

  Timestamp: staticCodec<Timestamp>(root, "google.protobuf.Timestamp"),
} as const;

export type CodecName = keyof typeof codec;
