export type {
  AgentConfig,
  Timers,
  TpmMode,
  KeylimeConfig,
  KeylimeMode,
  KeylimeHashAlg,
  KeylimeSigningAlg,
  KeylimeEncryptionAlg,
  Principal,
  ServicesConfig,
  KeysConfig,
  CertsConfig,
  CertIssuance,
  IdentityConfig,
  RenewPoint,
} from "./schema.ts";
export { defaultConfig, defaultKeylimeConfig, DEFAULT_CONFIG_FILE } from "./defaults.ts";
export { loadConfig, reloadConfig, ConfigError, type LoadOptions } from "./load.ts";
export { ID_PATTERN, bareId, parseDuration, parseRenewPoint } from "./services.ts";
export { statusSocketPath, serviceSocketPath, type ServiceName } from "./paths.ts";
