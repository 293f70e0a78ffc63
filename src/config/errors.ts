import { AgentError } from "../shared/errors.ts";

export class ConfigError extends AgentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("config.invalid", message, options);
  }
}
