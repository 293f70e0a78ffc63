import type protobuf from "protobufjs/light";
import type * as attest from "./messages/attest.ts";
import type { AuthBody, AuthContainer } from "./messages/auth.ts";
import type { Timestamp } from "./messages/base.ts";
import type { ZCert, ZCertAttr, ZCertMetaData, ZControllerCert } from "./messages/certs.ts";
import type { CipherBlock, CipherContext, EncryptionBlock } from "./messages/common.ts";
import type * as config from "./messages/config.ts";
import type * as info from "./messages/info.ts";
import type { ZRegisterMsg } from "./messages/register.ts";
import type { UuidRequest, UuidResponse } from "./messages/uuid.ts";
import { descriptorRoot } from "./root.ts";
import { messageCodec } from "./wire.ts";

// The schema is fixed at build time, so one immutable root serves everyone;
// it is made on the first encode or decode, not when this module loads.
let schema: protobuf.Root | undefined;
const root = () => (schema ??= descriptorRoot());

const AUTH = "org.lfedge.eve.auth.";
const COMMON = "org.lfedge.eve.common.";
const CERTS = "org.lfedge.eve.certs.";
const ATTEST = "org.lfedge.eve.attest.";
const CONFIG = "org.lfedge.eve.config.";
const INFO = "org.lfedge.eve.info.";

/** One typed codec per declared message, keyed by its protobuf name. */
export const codec = {
  AuthBody: messageCodec<AuthBody>(root, `${AUTH}AuthBody`),
  AuthContainer: messageCodec<AuthContainer>(root, `${AUTH}AuthContainer`),

  CipherContext: messageCodec<CipherContext>(root, `${COMMON}CipherContext`),
  CipherBlock: messageCodec<CipherBlock>(root, `${COMMON}CipherBlock`),
  EncryptionBlock: messageCodec<EncryptionBlock>(root, `${COMMON}EncryptionBlock`),

  ZControllerCert: messageCodec<ZControllerCert>(root, `${CERTS}ZControllerCert`),
  ZCert: messageCodec<ZCert>(root, `${CERTS}ZCert`),
  ZCertAttr: messageCodec<ZCertAttr>(root, `${CERTS}ZCertAttr`),
  ZCertMetaData: messageCodec<ZCertMetaData>(root, `${CERTS}ZCertMetaData`),

  ZRegisterMsg: messageCodec<ZRegisterMsg>(root, "org.lfedge.eve.register.ZRegisterMsg"),

  UuidRequest: messageCodec<UuidRequest>(root, "org.lfedge.eve.uuid.UuidRequest"),
  UuidResponse: messageCodec<UuidResponse>(root, "org.lfedge.eve.uuid.UuidResponse"),

  ZAttestReq: messageCodec<attest.ZAttestReq>(root, `${ATTEST}ZAttestReq`),
  ZAttestResponse: messageCodec<attest.ZAttestResponse>(root, `${ATTEST}ZAttestResponse`),
  ZAttestNonceResp: messageCodec<attest.ZAttestNonceResp>(root, `${ATTEST}ZAttestNonceResp`),
  ZAttestQuote: messageCodec<attest.ZAttestQuote>(root, `${ATTEST}ZAttestQuote`),
  ZAttestQuoteResp: messageCodec<attest.ZAttestQuoteResp>(root, `${ATTEST}ZAttestQuoteResp`),
  TpmPCRValue: messageCodec<attest.TpmPCRValue>(root, `${ATTEST}TpmPCRValue`),
  TpmEventDigest: messageCodec<attest.TpmEventDigest>(root, `${ATTEST}TpmEventDigest`),
  TpmEventLogEntry: messageCodec<attest.TpmEventLogEntry>(root, `${ATTEST}TpmEventLogEntry`),
  AttestGPSCoordinates: messageCodec<attest.AttestGPSCoordinates>(root, `${ATTEST}AttestGPSCoordinates`),
  AttestVersionInfo: messageCodec<attest.AttestVersionInfo>(root, `${ATTEST}AttestVersionInfo`),
  AttestVolumeKey: messageCodec<attest.AttestVolumeKey>(root, `${ATTEST}AttestVolumeKey`),
  AttestVolumeKeyData: messageCodec<attest.AttestVolumeKeyData>(root, `${ATTEST}AttestVolumeKeyData`),
  AttestPolicyPcrList: messageCodec<attest.AttestPolicyPcrList>(root, `${ATTEST}AttestPolicyPcrList`),
  AttestStorageKeys: messageCodec<attest.AttestStorageKeys>(root, `${ATTEST}AttestStorageKeys`),
  AttestStorageKeysResp: messageCodec<attest.AttestStorageKeysResp>(root, `${ATTEST}AttestStorageKeysResp`),

  UUIDandVersion: messageCodec<config.UUIDandVersion>(root, `${CONFIG}UUIDandVersion`),
  ConfigItem: messageCodec<config.ConfigItem>(root, `${CONFIG}ConfigItem`),
  EdgeDevConfig: messageCodec<config.EdgeDevConfig>(root, `${CONFIG}EdgeDevConfig`),
  ConfigRequest: messageCodec<config.ConfigRequest>(root, `${CONFIG}ConfigRequest`),
  ConfigResponse: messageCodec<config.ConfigResponse>(root, `${CONFIG}ConfigResponse`),
  BootstrapConfig: messageCodec<config.BootstrapConfig>(root, `${CONFIG}BootstrapConfig`),

  ZInfoMsg: messageCodec<info.ZInfoMsg>(root, `${INFO}ZInfoMsg`),
  ZInfoDevice: messageCodec<info.ZInfoDevice>(root, `${INFO}ZInfoDevice`),
  ZInfoManufacturer: messageCodec<info.ZInfoManufacturer>(root, `${INFO}ZInfoManufacturer`),
  DataSecAtRest: messageCodec<info.DataSecAtRest>(root, `${INFO}DataSecAtRest`),
  VaultInfo: messageCodec<info.VaultInfo>(root, `${INFO}VaultInfo`),
  SecurityInfo: messageCodec<info.SecurityInfo>(root, `${INFO}SecurityInfo`),
  AttestationInfo: messageCodec<info.AttestationInfo>(root, `${INFO}AttestationInfo`),
  ErrorInfo: messageCodec<info.ErrorInfo>(root, `${INFO}ErrorInfo`),

  Timestamp: messageCodec<Timestamp>(root, "google.protobuf.Timestamp"),
} as const;

export type CodecName = keyof typeof codec;
