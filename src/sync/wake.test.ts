import { describe, expect, test } from "bun:test";
import { Waker } from "./wake.ts";

describe("Waker", () => {
  test("ends a sleep early when woken", async () => {
    const w = new Waker();
    const t0 = performance.now();
    const p = w.wait(10_000);
    w.wake();
    expect(await p).toBe("woken");
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test("remembers a wake that came while nobody slept", async () => {
    const w = new Waker();
    w.wake();
    expect(await w.wait(10_000)).toBe("woken");
    expect(await w.wait(5)).toBe("timer");
  });

  test("collapses wakes that arrive before the sleeper resumes", async () => {
    const w = new Waker();
    const p = w.wait(10_000);
    w.wake();
    w.wake();
    await p;
    expect(await w.wait(5)).toBe("timer");
  });

  test("returns when aborted", async () => {
    const w = new Waker();
    const ac = new AbortController();
    const p = w.wait(10_000, ac.signal);
    ac.abort();
    expect(await p).toBe("aborted");
    expect(await w.wait(10_000, ac.signal)).toBe("aborted");
  });
});
