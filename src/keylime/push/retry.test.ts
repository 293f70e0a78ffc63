import { describe, expect, test } from "bun:test";
import { parseRetryAfter, RetryPolicy } from "./retry.ts";

describe("Retry-After", () => {
  const now = Date.parse("2026-11-29T20:35:18Z");

  test("delay-seconds, as Keylime sends it", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  test("an HTTP-date counts from now, a past one is now", () => {
    expect(parseRetryAfter("Sun, 29 Nov 2026 20:35:48 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sun, 29 Nov 2026 20:30:00 GMT", now)).toBe(0);
  });

  test("absent or unreadable values leave the choice to the backoff", () => {
    for (const v of [undefined, "", "soon", "-1", "1.5", "12345678901", "2026-11-29T20:35:48Z"]) expect(parseRetryAfter(v, now)).toBeUndefined();
  });
});

describe("RetryPolicy", () => {
  test("without Retry-After: doubling from initialMs, capped at maxMs, jitter within ±20%", () => {
    const lo = new RetryPolicy({ initialMs: 1000, maxMs: 8000, minMs: 0, random: () => 0 });
    const hi = new RetryPolicy({ initialMs: 1000, maxMs: 8000, minMs: 0, random: () => 0.999999 });
    const seq = (p: RetryPolicy) => Array.from({ length: 6 }, () => p.delayAfter(undefined));
    expect(seq(lo)).toEqual([800, 1600, 3200, 6400, 6400, 6400]);
    expect(seq(hi)).toEqual([1200, 2400, 4800, 9600, 9600, 9600]);
  });

  test("Retry-After is honoured (never shortened), spread upwards by at most 10%", () => {
    const p = new RetryPolicy({ initialMs: 1000, maxMs: 8000, random: () => 0.5 });
    expect(p.delayAfter({ retryAfterMs: 30_000 })).toBe(31_500);
    const low = new RetryPolicy({ initialMs: 1000, maxMs: 8000, random: () => 0 });
    expect(low.delayAfter({ retryAfterMs: 30_000 })).toBe(30_000);
    // A Retry-After does not grow the backoff: the verifier said when.
    expect(low.failures).toBe(0);
  });

  test("a huge Retry-After is cut to maxRetryAfterMs; Retry-After 0 still waits minMs", () => {
    const p = new RetryPolicy({ initialMs: 1000, maxMs: 8000, maxRetryAfterMs: 600_000, minMs: 1000, random: () => 0 });
    expect(p.delayAfter({ retryAfterMs: 86_400_000 })).toBe(600_000);
    expect(p.delayAfter({ retryAfterMs: 0 })).toBe(1000);
    const fast = new RetryPolicy({ initialMs: 10, maxMs: 100, minMs: 250, random: () => 0 });
    expect(fast.delayAfter(undefined)).toBe(250);
  });

  test("a success resets the backoff", () => {
    const p = new RetryPolicy({ initialMs: 1000, maxMs: 60_000, minMs: 0, random: () => 0.5 });
    p.delayAfter(undefined);
    p.delayAfter(undefined);
    expect(p.delayAfter(undefined)).toBe(4000);
    expect(p.failures).toBe(3);
    p.succeeded();
    expect(p.failures).toBe(0);
    expect(p.delayAfter(undefined)).toBe(1000);
  });
});
