import { describe, expect, test } from "bun:test";
import { renewalDue, retryDelayMs } from "./renew.ts";

describe("renewal policy", () => {
  const from = new Date("2026-01-01T00:00:00Z");
  const to = new Date("2026-01-11T00:00:00Z");
  test("threshold as a share of the lifetime or a time before expiry", () => {
    expect(renewalDue(from, to, { percent: 80 }).toISOString()).toBe("2026-01-09T00:00:00.000Z");
    expect(renewalDue(from, to, { seconds: 86400 }).toISOString()).toBe("2026-01-10T00:00:00.000Z");
  });
  test("retry as a share of the lifetime or a duration, never below a second", () => {
    expect(retryDelayMs(10 * 86400_000, { percent: 4 })).toBe(0.4 * 86400_000);
    expect(retryDelayMs(10_000, { seconds: 30 })).toBe(30_000);
    expect(retryDelayMs(10_000, { percent: 1 })).toBe(1000);
  });
});
