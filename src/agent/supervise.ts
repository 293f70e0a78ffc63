import { AgentError, errorChain, type Logger } from "../shared/index.ts";

/** A long-running loop that stops when its signal aborts. */
export interface Service {
  name: string;
  run(signal: AbortSignal): Promise<void>;
}

export class ServiceFailedError extends AgentError {
  readonly service: string;
  constructor(service: string, cause: unknown) {
    super("agent.service-failed", `service ${service} failed: ${errorChain(cause)}`, { cause });
    this.service = service;
  }
}

/**
 * Runs services as one group under a child of `signal`. When one throws,
 * the others are aborted and awaited before the error surfaces, so whoever
 * restarts the group never starts a second copy of a loop that is still
 * winding down. Returns when `signal` aborts and every service has stopped.
 * Pass `group` to bind other work (controller requests) to the group's life.
 */
export async function runTogether(services: Service[], signal: AbortSignal, log: Logger, group = new AbortController()): Promise<void> {
  const onParentAbort = () => group.abort(signal.reason);
  if (signal.aborted) group.abort(signal.reason);
  else signal.addEventListener("abort", onParentAbort, { once: true });
  let failure: ServiceFailedError | undefined;
  try {
    await Promise.all(
      services.map(async (s) => {
        try {
          await s.run(group.signal);
        } catch (e) {
          if (group.signal.aborted) {
            // Errors while winding down are the abort itself, not a second failure.
            log.debug("service stopped", { service: s.name, error: errorChain(e) });
            return;
          }
          failure = new ServiceFailedError(s.name, e);
          log.error("service failed; stopping the others", { service: s.name, error: errorChain(e) });
          group.abort(failure);
        }
      }),
    );
  } finally {
    signal.removeEventListener("abort", onParentAbort);
  }
  if (failure && !signal.aborted) throw failure;
}
