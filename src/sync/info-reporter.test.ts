import { describe, expect, test } from "bun:test";
import { codec } from "../protocol/index.ts";
import { silentLogger } from "../shared/index.ts";
import { fixedInfoSource } from "./info.testkit.ts";
import { InfoReporter } from "./info-reporter.ts";
import type { QueueItem } from "./queue-store.ts";
import { TEST_UUID } from "./sync.testkit.ts";

function sink() {
  const items: QueueItem[] = [];
  return { items, enqueue: (i: QueueItem) => items.push(i) };
}

describe("InfoReporter", () => {
  test("queues the device info under the device UUID", () => {
    const q = sink();
    const r = new InfoReporter({ source: fixedInfoSource(TEST_UUID), queue: q, intervalMs: 600_000, log: silentLogger });
    expect(r.reportNow("change")).toBe(true);
    expect(q.items).toHaveLength(1);
    expect(q.items[0]!.key).toBe(TEST_UUID);
    expect(q.items[0]!.action).toBe("info");
    expect(codec.ZInfoMsg.decode(q.items[0]!.payload).devId).toBe(TEST_UUID);
    expect(r.status).toMatchObject({ reports: 1, lastReason: "change" });
  });

  test("queues nothing before onboarding", () => {
    const q = sink();
    const r = new InfoReporter({ source: fixedInfoSource(undefined), queue: q, intervalMs: 600_000, log: silentLogger });
    expect(r.reportNow("start")).toBe(false);
    expect(q.items).toHaveLength(0);
  });

  test("records a source failure instead of throwing", () => {
    const q = sink();
    const src = fixedInfoSource(TEST_UUID, {
      vault: () => {
        throw new Error("vault status unavailable");
      },
    });
    const r = new InfoReporter({ source: src, queue: q, intervalMs: 600_000, log: silentLogger });
    expect(r.reportNow("periodic")).toBe(false);
    expect(r.status.lastError).toMatchObject({ kind: "info.build" });
    expect(r.status.lastError!.message).toContain("vault status unavailable");
  });

  test("reports at start, on a trigger, and periodically", async () => {
    const q = sink();
    const reasons: string[] = [];
    const r = new InfoReporter({ source: fixedInfoSource(TEST_UUID), queue: q, intervalMs: 60, log: silentLogger, random: () => 0.5 });
    const ac = new AbortController();
    const done = r.run(ac.signal);
    reasons.push(r.status.lastReason!);
    await Bun.sleep(10);
    r.trigger();
    r.trigger();
    await Bun.sleep(5);
    reasons.push(r.status.lastReason!);
    expect(q.items).toHaveLength(2);
    await Bun.sleep(150);
    reasons.push(r.status.lastReason!);
    ac.abort();
    await done;
    expect(reasons).toEqual(["start", "change", "periodic"]);
    expect(q.items.length).toBeGreaterThanOrEqual(3);
  });
});
