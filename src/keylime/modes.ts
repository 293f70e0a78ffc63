import type { KeylimeConfig, KeylimeMode as ModeName } from "../config/index.ts";
import type { Logger } from "../shared/index.ts";
import type { KeylimeMode } from "./agent.ts";

export interface ModeDeps {
  cfg: KeylimeConfig;
  log: Logger;
}

/**
 * Where the pull server (API 2.x) and the push client (API 3.0) plug in: one
 * factory per mode. A mode without one registers and activates only.
 */
export const KEYLIME_MODES: Record<ModeName, ((deps: ModeDeps) => KeylimeMode) | undefined> = {
  pull: undefined,
  push: undefined,
};

export function keylimeMode(deps: ModeDeps): KeylimeMode | undefined {
  return KEYLIME_MODES[deps.cfg.mode]?.(deps);
}
