/**
 * Capped exponential backoff with jitter. EVE's onboarding ticker doubles
 * from 1 s to 600 s; jitter keeps a fleet that lost its controller at the
 * same moment from coming back in lockstep.
 */
export class Backoff {
  private attempt = 0;
  constructor(
    private readonly initialMs = 1000,
    private readonly maxMs = 600_000,
    private readonly jitter = 0.2,
    private readonly random: () => number = Math.random,
  ) {}

  /** Delay before the next attempt; grows with every call until reset. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const spread = base * this.jitter;
    return Math.max(0, Math.round(base - spread + this.random() * 2 * spread));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}

/** Resolves after `ms` or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** A uniformly random duration in [lo, hi] x base, as EVE spreads its timers. */
export function spread(baseMs: number, lo: number, hi: number, random: () => number = Math.random): number {
  return Math.round(baseMs * (lo + (hi - lo) * random()));
}
