import { describe, expect, test } from "bun:test";
import { Backoff, spread } from "./backoff.ts";

describe("Backoff", () => {
  test("doubles from the initial delay and stops at the cap when jitter is off", () => {
    const b = new Backoff(1000, 600_000, 0);
    const seq = Array.from({ length: 12 }, () => b.next());
    expect(seq).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 512000, 600000, 600000]);
  });

  test("stays within the jitter band when jitter is on", () => {
    for (const r of [0, 0.5, 0.999]) {
      const b = new Backoff(1000, 600_000, 0.2, () => r);
      b.next();
      const d = b.next();
      expect(d).toBeGreaterThanOrEqual(1600);
      expect(d).toBeLessThanOrEqual(2400);
    }
  });

  test("starts over when reset", () => {
    const b = new Backoff(1000, 600_000, 0);
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(1000);
  });
});

describe("spread", () => {
  test("maps the random value onto the [lo, hi] fraction of the base", () => {
    expect(spread(60_000, 0.3, 1, () => 0)).toBe(18_000);
    expect(spread(60_000, 0.3, 1, () => 1)).toBe(60_000);
  });
});
