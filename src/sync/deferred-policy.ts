/**
 * The deferred queue's rules (eve controllerconn/deferred.go,
 * docs/protocol.md#deferred-queue), kept pure so they can be tested without time passing.
 */

export type Disposition =
  /** accepted: the item leaves the queue */
  | "delivered"
  /** refused for now: keep it, hold it back with a growing delay */
  | "retry"
  /** refused for good: the same bytes would be refused again */
  | "dropped"
  /** no usable answer: keep it and end this pass, the rest would fare the same */
  | "stop";

/** 2xx and 304 are EVE's successes (send.go). */
export function isDelivered(status: number): boolean {
  return (status >= 200 && status < 300) || status === 304;
}

/**
 * Statuses after which the identical payload can still be accepted: server
 * trouble, rate limits, timeouts, and auth refusals that EVE cures elsewhere
 * (a 403 restarts attestation, a cert problem refetches controller certs).
 */
export function isRetriable(status: number): boolean {
  return status === 401 || status === 403 || status === 407 || status === 408 || status === 429 || (status >= 500 && status < 600);
}

export function dispositionFor(status: number): Disposition {
  if (isDelivered(status)) return "delivered";
  if (status >= 400 && status < 600) return isRetriable(status) ? "retry" : "dropped";
  return "stop";
}

/** Per-item hold-back after the n-th refusal (n >= 1): min, 2 x min, ... capped at max. */
export function retryDelay(attempts: number, minMs: number, maxMs: number): number {
  const doublings = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(maxMs, minMs * 2 ** doublings);
}

/**
 * Queue-level ticker while items are pending: min doubling to max, with
 * noise of +-min/2 (EVE: 1 min..15 min, +-30 s) so devices that lost the
 * controller together do not return in step.
 */
export function tickerDelay(tick: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(Math.max(tick, 0), 30));
  const noise = (random() * 2 - 1) * (minMs / 2);
  return Math.max(0, Math.round(base + noise));
}
