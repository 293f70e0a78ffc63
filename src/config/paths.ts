import { deviceLayout } from "../state/index.ts";
import type { AgentConfig } from "./schema.ts";
import { defaultConfig } from "./defaults.ts";

/**
 * The status socket the agent listens on and the CLI connects to. The
 * default path follows the device root, so an agent run under another root
 * (tests, the demo) keeps its socket there; an explicit setting is taken as is.
 */
export function statusSocketPath(cfg: AgentConfig): string {
  return cfg.status.socket === defaultConfig().status.socket ? deviceLayout(cfg.root).run.statusSocket : cfg.status.socket;
}
