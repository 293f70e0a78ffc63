import type { KeylimeConfig, KeylimeMode as ModeName } from "../config/index.ts";
import type { Logger } from "../shared/index.ts";
import type { KeylimeMode } from "./agent.ts";
import { pushMode, type WireRecorder } from "./push/index.ts";

export interface ModeDeps {
  cfg: KeylimeConfig;
  log: Logger;
  /** The UEFI event log the agent offers (its eventLogPath). */
  eventLogPath?: string;
  /** The agent's wire dump: Keylime's exchanges are recorded as NNNN-keylime-<endpoint>. */
  wireDump?: WireRecorder;
  /** Per exchange with a Keylime service: endpoint, HTTP status (undefined: no answer), duration (metrics). */
  onExchange?: (endpoint: string, status: number | undefined, ms: number) => void;
}

/**
 * Where the pull server (API 2.x) and the push client (API 3.0) plug in: one
 * factory per mode. A mode without one registers and activates only.
 */
export const KEYLIME_MODES: Record<ModeName, ((deps: ModeDeps) => KeylimeMode) | undefined> = {
  pull: undefined,
  push: (d) => pushMode({ ...(d.eventLogPath ? { eventLogPath: d.eventLogPath } : {}), ...(d.wireDump ? { wireDump: d.wireDump } : {}), ...(d.onExchange ? { onExchange: d.onExchange } : {}) }),
};

export function keylimeMode(deps: ModeDeps): KeylimeMode | undefined {
  return KEYLIME_MODES[deps.cfg.mode]?.(deps);
}
