export { DEFAULT_CONFIG_FILE, defaultConfig, defaultKeylimeConfig } from "./defaults.ts";
export { ConfigError, type LoadOptions, loadConfig, reloadConfig } from "./load.ts";
export { type ServiceName, serviceSocketPath, statusSocketPath } from "./paths.ts";
export type {
  AgentConfig,
  CertIssuance,
  CertsConfig,
  IdentityConfig,
  KeylimeConfig,
  KeylimeEncryptionAlg,
  KeylimeHashAlg,
  KeylimeMode,
  KeylimeSigningAlg,
  KeysConfig,
  Principal,
  RenewPoint,
  ServicesConfig,
  Timers,
  TpmMode,
} from "./schema.ts";
export { bareId, ID_PATTERN, parseDuration, parseRenewPoint } from "./services.ts";
