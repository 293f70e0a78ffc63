import { describe, expect, test } from "bun:test";
import { dispositionFor, retryDelay, tickerDelay } from "./deferred-policy.ts";

describe("dispositionFor", () => {
  test.each([200, 201, 202, 204, 304])("delivers on %d", (s) => expect(dispositionFor(s)).toBe("delivered"));
  test.each([401, 403, 407, 408, 429, 500, 502, 503, 504])("retries on %d", (s) => expect(dispositionFor(s)).toBe("retry"));
  test.each([400, 404, 409, 410, 413, 422])("drops on %d", (s) => expect(dispositionFor(s)).toBe("dropped"));
  test.each([0, 101, 301, 302])("stops the pass on %d", (s) => expect(dispositionFor(s)).toBe("stop"));
});

describe("retryDelay", () => {
  test("doubles from min and stops at max", () => {
    expect([1, 2, 3, 4, 5, 6, 40].map((n) => retryDelay(n, 60_000, 900_000))).toEqual([60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
  });
});

describe("tickerDelay", () => {
  test("grows to max with noise of half the minimum", () => {
    expect(tickerDelay(0, 60_000, 900_000, () => 0.5)).toBe(60_000);
    expect(tickerDelay(0, 60_000, 900_000, () => 0)).toBe(30_000);
    expect(tickerDelay(0, 60_000, 900_000, () => 1)).toBe(90_000);
    expect(tickerDelay(3, 60_000, 900_000, () => 0.5)).toBe(480_000);
    expect(tickerDelay(10, 60_000, 900_000, () => 0.5)).toBe(900_000);
  });
});
