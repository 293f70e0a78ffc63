import { dirname, join } from "node:path";
import { deviceLayout } from "../state/layout.ts";
import { defaultConfig } from "./defaults.ts";
import type { AgentConfig } from "./schema.ts";

/**
 * The status socket the agent listens on and the CLI connects to. The
 * default path follows the device root, so an agent run under another root
 * (tests, the demo) keeps its socket there; an explicit setting is taken as is.
 */
export function statusSocketPath(cfg: AgentConfig): string {
  return cfg.status.socket === defaultConfig().status.socket ? deviceLayout(cfg.root).run.statusSocket : cfg.status.socket;
}

export type ServiceName = "keys" | "certs" | "identity";

/** `keys.sock`, `certs.sock`, `identity.sock`: in `services.socketDir`, else beside the status socket in the agent's run directory. */
export function serviceSocketPath(cfg: AgentConfig, service: ServiceName): string {
  const dir = cfg.services.socketDir ?? dirname(deviceLayout(cfg.root).run.statusSocket);
  return join(dir, `${service}.sock`);
}
