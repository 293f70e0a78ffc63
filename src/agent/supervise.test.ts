import { describe, expect, test } from "bun:test";
import { silentLogger, sleep } from "../shared/index.ts";
import { runTogether, type Service, ServiceFailedError } from "./supervise.ts";

/** A loop like the agent's: works in ticks, notices its signal only between ticks, then winds down slowly. */
function countingLoop(
  name: string,
  live: Map<string, number>,
  peak: Map<string, number>,
  opts: { failOnStart?: () => boolean; windDownMs?: number } = {},
): Service {
  return {
    name,
    async run(signal) {
      live.set(name, (live.get(name) ?? 0) + 1);
      peak.set(name, Math.max(peak.get(name) ?? 0, live.get(name)!));
      try {
        if (opts.failOnStart?.()) {
          await Bun.sleep(5);
          throw new Error(`${name} broke`);
        }
        while (!signal.aborted) await Bun.sleep(3);
        await Bun.sleep(opts.windDownMs ?? 0);
      } finally {
        live.set(name, live.get(name)! - 1);
      }
    },
  };
}

describe("runTogether", () => {
  test("a failing service stops the others and the group restarts with one copy of each loop", async () => {
    const live = new Map<string, number>();
    const peak = new Map<string, number>();
    let failures = 3;
    const services = () => [
      countingLoop("poller", live, peak, { windDownMs: 40 }),
      countingLoop("queue", live, peak, { windDownMs: 15 }),
      countingLoop("attestation", live, peak, { failOnStart: () => failures-- > 0 }),
    ];
    const stop = new AbortController();
    const errors: string[] = [];
    // The restart loop main.ts runs around the services.
    const supervisor = (async () => {
      while (!stop.signal.aborted) {
        try {
          await runTogether(services(), stop.signal, silentLogger);
        } catch (e) {
          expect(e).toBeInstanceOf(ServiceFailedError);
          errors.push((e as ServiceFailedError).service);
        }
      }
    })();
    while (errors.length < 3) await sleep(5);
    // Let the group that started after the last failure run for a while.
    await sleep(30);
    stop.abort();
    await supervisor;
    expect(errors).toEqual(["attestation", "attestation", "attestation"]);
    expect(peak.get("poller")).toBe(1);
    expect(peak.get("queue")).toBe(1);
    expect(peak.get("attestation")).toBe(1);
    expect([...live.values()].every((n) => n === 0)).toBe(true);
  });

  test("without a failure it returns once the parent aborts and every service has stopped", async () => {
    const live = new Map<string, number>();
    const peak = new Map<string, number>();
    const stop = new AbortController();
    const done = runTogether([countingLoop("a", live, peak, { windDownMs: 20 }), countingLoop("b", live, peak)], stop.signal, silentLogger);
    await sleep(20);
    stop.abort();
    await done;
    expect(live.get("a")).toBe(0);
    expect(live.get("b")).toBe(0);
  });

  test("aborts the group controller passed in, so work bound to it (requests in flight) ends with the group", async () => {
    const group = new AbortController();
    let sawAbort = false;
    const failing: Service = { name: "x", run: async () => Promise.reject(new Error("boom")) };
    const waiter: Service = {
      name: "request",
      run: () => new Promise<void>((resolve) => group.signal.addEventListener("abort", () => ((sawAbort = true), resolve()))),
    };
    await expect(runTogether([failing, waiter], new AbortController().signal, silentLogger, group)).rejects.toThrow("service x failed: boom");
    expect(sawAbort).toBe(true);
  });
});
