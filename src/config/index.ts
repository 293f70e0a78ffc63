export type { AgentConfig, Timers, TpmMode, KeylimeConfig, KeylimeMode, KeylimeHashAlg, KeylimeSigningAlg, KeylimeEncryptionAlg } from "./schema.ts";
export { defaultConfig, defaultKeylimeConfig, DEFAULT_CONFIG_FILE } from "./defaults.ts";
export { loadConfig, ConfigError, type LoadOptions } from "./load.ts";
export { statusSocketPath } from "./paths.ts";
