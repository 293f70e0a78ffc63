import { Backoff } from "../../shared/index.ts";
import type { PushError } from "./errors.ts";

/**
 * Retry-After as RFC 9110 §10.2.3 has it: delay-seconds or an HTTP-date.
 * Returns milliseconds from `now`, or undefined when absent or unreadable
 * (then the agent's own backoff applies).
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  // Only the IMF-fixdate and its obsolete forms carry a weekday and "GMT"; a bare number-like string is not a date.
  if (!/GMT$/.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export interface RetryOptions {
  initialMs: number;
  maxMs: number;
  /** The longest Retry-After honoured as given; a longer one is cut to this (a verifier must not park the device for days). */
  maxRetryAfterMs?: number;
  /** The shortest wait of any kind: a Retry-After of 0 repeated by a busy verifier must not turn the loop into a busy loop. */
  minMs?: number;
  random?: () => number;
}

/**
 * How long the push loop waits before its next try after a failure: the
 * verifier's Retry-After when it gave one (plus up to 10% so a fleet told
 * the same moment does not return in lockstep), otherwise capped
 * exponential backoff with jitter. `succeeded` resets the backoff.
 */
export class RetryPolicy {
  private readonly backoff: Backoff;
  private readonly maxRetryAfterMs: number;
  readonly minMs: number;
  private readonly random: () => number;

  constructor(opts: RetryOptions) {
    this.random = opts.random ?? Math.random;
    this.backoff = new Backoff(opts.initialMs, opts.maxMs, 0.2, this.random);
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 3_600_000;
    this.minMs = opts.minMs ?? 1000;
  }

  /** The wait after `error`; every call without a Retry-After grows the backoff. */
  delayAfter(error: Pick<PushError, "retryAfterMs"> | undefined): number {
    const ra = error?.retryAfterMs;
    if (ra !== undefined) {
      const base = Math.max(this.minMs, Math.min(ra, this.maxRetryAfterMs));
      return Math.round(base + this.random() * 0.1 * base);
    }
    return Math.max(this.minMs, this.backoff.next());
  }

  succeeded(): void {
    this.backoff.reset();
  }

  get failures(): number {
    return this.backoff.attempts;
  }
}
