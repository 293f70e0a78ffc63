import { describe, expect, test } from "bun:test";
import type { AttestationStatus } from "../attestation/index.ts";
import type { ConfigPollStatus } from "../sync/index.ts";
import type { AgentEvent } from "./reactions.ts";
import { Settle } from "./settle.ts";

const attestation = (state: string): AgentEvent => ({ type: "attestation.status", status: { state } as AttestationStatus });
const config = { type: "config.received" } as AgentEvent;
const polled: AgentEvent = { type: "config.pollStatus", status: { polls: 2, checkpoint: { state: "not-needed" } } as ConfigPollStatus };
const queued: AgentEvent = { type: "info.queued" };

/** Feeds bursts of events, each followed by more than the settle delay; returns the collections' reasons. */
async function collections(bursts: AgentEvent[][], stop = false, trailMs = [60_000]): Promise<string[]> {
  const seen: string[] = [];
  const s = new Settle((reason) => seen.push(reason), 5, trailMs);
  for (const burst of bursts) {
    for (const e of burst) s.see(e);
    if (stop) s.stop();
    await Bun.sleep(40);
  }
  return seen;
}

describe("Settle", () => {
  test("collects once after attestation is Complete and a config arrived, in either order", async () => {
    expect(await collections([[attestation("Complete"), config]])).toEqual(["boot"]);
    expect(await collections([[config, attestation("Nonce"), attestation("Complete"), config, attestation("Complete")]])).toEqual(["boot"]);
  });

  test("does not collect while either is missing, whatever else happens", async () => {
    expect(
      await collections([
        [attestation("Complete"), attestation("Complete")],
        [polled, queued],
      ]),
    ).toEqual([]);
    expect(await collections([[config, attestation("Quote")], [polled]])).toEqual([]);
  });

  test("after the boot, collects once after each later burst of work", async () => {
    expect(await collections([[attestation("Complete"), config], [polled], [queued, polled, queued], []])).toEqual(["boot", "work", "work"]);
  });

  test("a stream of events does not put a due collection off", async () => {
    const seen: string[] = [];
    const s = new Settle((reason) => seen.push(reason), 30, [60_000]);
    s.see(attestation("Complete"));
    s.see(config);
    const end = performance.now() + 500;
    while (performance.now() < end) {
      s.see(polled);
      await Bun.sleep(5);
    }
    s.stop();
    // Every 30 ms at most, never zero: the events kept coming the whole time.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]).toBe("boot");
  });

  test("each collection is followed by more after the runtime's own work, unless new work comes first", async () => {
    // Trails 60 and 100 ms on, bursts 40 ms apart: the boot's trails give way to the poll's collection, whose trails run.
    const seen = await collections([[attestation("Complete"), config], [polled], [], [], [], []], false, [60, 100]);
    expect(seen).toEqual(["boot", "work", "trail", "trail"]);
  });

  test("does not collect once stopped", async () => {
    expect(await collections([[attestation("Complete"), config]], true)).toEqual([]);
  });
});
