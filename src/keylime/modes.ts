import type { KeylimeConfig, KeylimeMode as ModeName } from "../config/index.ts";
import type { WireDump } from "../controller/index.ts";
import type { Logger } from "../shared/index.ts";
import type { KeylimeMode } from "./agent.ts";
import { pullMode } from "./pull/index.ts";
import { pushMode } from "./push/index.ts";

export interface ModeDeps {
  cfg: KeylimeConfig;
  log: Logger;
  /** The TCG event log the agent attests with (the agent's eventLogPath). */
  eventLogPath?: string;
  /** The agent's wire dump: Keylime's exchanges are recorded as NNNN-keylime-<endpoint>. */
  wireDump?: WireDump;
  /** Per exchange with a Keylime service: endpoint, HTTP status (undefined: no answer), duration (metrics). */
  onExchange?: (endpoint: string, status: number | undefined, ms: number) => void;
}

/**
 * Where the pull server (API 2.x) and the push client (API 3.0) plug in: one
 * factory per mode. A mode without one registers and activates only.
 */
export const KEYLIME_MODES: Record<ModeName, ((deps: ModeDeps) => KeylimeMode) | undefined> = {
  pull: (d) => pullMode({ ...(d.eventLogPath ? { eventLogPath: d.eventLogPath } : {}), ...(d.wireDump ? { wireDump: d.wireDump } : {}) }),
  push: (d) =>
    pushMode({
      ...(d.eventLogPath ? { eventLogPath: d.eventLogPath } : {}),
      ...(d.wireDump ? { wireDump: d.wireDump } : {}),
      ...(d.onExchange ? { onExchange: d.onExchange } : {}),
    }),
};

export function keylimeMode(deps: ModeDeps): KeylimeMode | undefined {
  return KEYLIME_MODES[deps.cfg.mode]?.(deps);
}
