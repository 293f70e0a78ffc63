export type { AgentConfig, Timers, TpmMode } from "./schema.ts";
export { defaultConfig, DEFAULT_CONFIG_FILE } from "./defaults.ts";
export { loadConfig, ConfigError, type LoadOptions } from "./load.ts";
export { statusSocketPath } from "./paths.ts";
