import type { AuthContainer } from "./auth.ts";
import type { Timestamp } from "./base.ts";
import type { ZCert } from "./certs.ts";
import type { CipherContext } from "./common.ts";

/** org.lfedge.eve.config (config/devconfig.proto, config/devcommon.proto), docs/protocol.md#config. */

export interface UUIDandVersion {
  uuid: string;
  version: string;
}

export interface ConfigItem {
  key: string;
  value: string;
}

/** Top-level fields the agent reads; everything else is skipped on decode. */
export interface EdgeDevConfig {
  id?: UUIDandVersion;
  configItems: ConfigItem[];
  manufacturer: string;
  productName: string;
  cipherContexts: CipherContext[];
  controllercert_confighash: string;
  maintenance_mode: boolean;
  controller_epoch: number;
  global_profile: string;
  device_name: string;
  project_name: string;
  project_id: string;
  enterprise_name: string;
  enterprise_id: string;
  config_timestamp?: Timestamp;
}

export interface ConfigRequest {
  configHash: string;
  integrity_token: Uint8Array;
}

export interface ConfigResponse {
  config?: EdgeDevConfig;
  configHash: string;
}

export interface BootstrapConfig {
  /** its payload is an EdgeDevConfig, not a ConfigResponse */
  signed_config?: AuthContainer;
  controller_certs: ZCert[];
}
