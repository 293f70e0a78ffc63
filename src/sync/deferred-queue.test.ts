import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TransportError } from "../controller/index.ts";
import { utf8 } from "../shared/index.ts";
import { DeferredQueue, type DeferredQueueDeps, type DeliveryResult } from "./deferred-queue.ts";
import { dummyKey, recordingLogger, reply, ScriptedPoster } from "./sync.testkit.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sync-queue-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const MIN = 60_000;
const MAX = 900_000;
const ok = () => reply(201);
const noAnswer = () => {
  throw new TransportError("controller.refused", "connection refused");
};

function makeQueue(poster: ScriptedPoster, over: Partial<DeferredQueueDeps> = {}) {
  const clock = { t: 1_000_000 };
  const results: [string, DeliveryResult][] = [];
  const queue = new DeferredQueue({
    dir,
    client: poster,
    deviceKey: dummyKey,
    minMs: MIN,
    maxMs: MAX,
    log: recordingLogger(),
    now: () => clock.t,
    onResult: (item, r) => results.push([item.key, r]),
    ...over,
  });
  return { queue, clock, results };
}

const msg = (key: string, text = key, action = "info") => ({ key, action, payload: utf8.encode(text) });
const sent = (p: ScriptedPoster) => p.calls.map((c) => utf8.decode(c.payload));

describe("DeferredQueue", () => {
  test("delivers in enqueue order and forgets delivered items", async () => {
    const poster = new ScriptedPoster([ok, ok, ok]);
    const { queue, results } = makeQueue(poster);
    queue.enqueue(msg("b"));
    queue.enqueue(msg("a"));
    queue.enqueue(msg("attest:x", "cert", "attest"));
    await queue.flush();
    expect(poster.calls.map((c) => c.action)).toEqual(["info", "info", "attest"]);
    expect(sent(poster)).toEqual(["b", "a", "cert"]);
    expect(results.map(([, r]) => r.outcome)).toEqual(["delivered", "delivered", "delivered"]);
    expect(queue.size).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("replaces an older item with the newer one for the same key, keeping its place", async () => {
    const poster = new ScriptedPoster([ok, ok]);
    const { queue } = makeQueue(poster);
    queue.enqueue(msg("dev", "old"));
    queue.enqueue(msg("other"));
    queue.enqueue(msg("dev", "new"));
    await queue.flush();
    expect(sent(poster)).toEqual(["new", "other"]);
  });

  test("holds back a refused item with a doubling delay and moves it behind its peers", async () => {
    const poster = new ScriptedPoster([() => reply(503), ok]);
    const { queue, clock, results } = makeQueue(poster);
    queue.enqueue(msg("a"));
    queue.enqueue(msg("b"));
    await queue.flush();
    expect(results).toEqual([
      ["a", { outcome: "retry", status: 503, attempts: 1, retryInMs: MIN }],
      ["b", { outcome: "delivered", status: 201 }],
    ]);
    expect(queue.status.pending).toMatchObject([{ key: "a", attempts: 1 }]);
    // Not due yet: nothing is sent.
    await queue.flush();
    expect(poster.calls).toHaveLength(2);
    clock.t += MIN;
    poster.push(() => reply(429));
    await queue.flush();
    expect(results.at(-1)).toEqual(["a", { outcome: "retry", status: 429, attempts: 2, retryInMs: 2 * MIN }]);
    clock.t += 2 * MIN;
    poster.push(ok);
    await queue.flush();
    expect(results.at(-1)).toEqual(["a", { outcome: "delivered", status: 201 }]);
    expect(queue.size).toBe(0);
  });

  test("drops an item the controller refuses for good and reports it", async () => {
    const poster = new ScriptedPoster([() => reply(409), ok]);
    const { queue, results } = makeQueue(poster);
    queue.enqueue(msg("attest:u", "certs", "attest"));
    queue.enqueue(msg("u"));
    await queue.flush();
    expect(results).toEqual([
      ["attest:u", { outcome: "dropped", status: 409 }],
      ["u", { outcome: "delivered", status: 201 }],
    ]);
    expect(queue.status).toMatchObject({ pending: [], delivered: 1, dropped: 1 });
    expect(readdirSync(dir)).toEqual([]);
  });

  test("stops the pass at the first send without an answer and keeps every item due", async () => {
    const poster = new ScriptedPoster([noAnswer]);
    const { queue, results } = makeQueue(poster);
    queue.enqueue(msg("a"));
    queue.enqueue(msg("b"));
    await queue.flush();
    expect(poster.calls).toHaveLength(1);
    expect(results[0]![1]).toMatchObject({ outcome: "deferred" });
    expect(queue.status.pending).toEqual([
      { key: "a", action: "info", bytes: 1, attempts: 0 },
      { key: "b", action: "info", bytes: 1, attempts: 0 },
    ]);
    poster.push(ok, ok);
    await queue.flush();
    expect(queue.size).toBe(0);
  });

  test("keeps the back-off when the same bytes are queued again, resets it for new bytes", async () => {
    const poster = new ScriptedPoster([() => reply(500)]);
    const { queue } = makeQueue(poster);
    queue.enqueue(msg("a", "v1"));
    await queue.flush();
    queue.enqueue(msg("a", "v1"));
    expect(queue.status.pending[0]!.attempts).toBe(1);
    queue.enqueue(msg("a", "v2"));
    expect(queue.status.pending[0]!.attempts).toBe(0);
    poster.push(ok);
    await queue.flush();
    expect(sent(poster)).toEqual(["v1", "v2"]);
  });

  test("keeps a newer item that arrived while the older one was being sent", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const poster = new ScriptedPoster([
      async () => {
        await gate;
        return reply(201);
      },
    ]);
    const { queue } = makeQueue(poster);
    queue.enqueue(msg("a", "old"));
    const pass = queue.flush();
    await Bun.sleep(5);
    queue.enqueue(msg("a", "new"));
    release();
    await pass;
    expect(queue.status.pending.map((p) => p.key)).toEqual(["a"]);
    poster.push(ok);
    await queue.flush();
    expect(sent(poster)).toEqual(["old", "new"]);
  });

  test("re-sends persisted items after a restart, in their original order", async () => {
    const first = makeQueue(new ScriptedPoster([noAnswer]));
    first.queue.enqueue(msg("x", "1"));
    first.queue.enqueue(msg("y", "2"));
    first.queue.enqueue(msg("x", "3"));
    await first.queue.flush();
    const poster = new ScriptedPoster([ok, ok]);
    const second = makeQueue(poster);
    expect(second.queue.size).toBe(2);
    second.queue.enqueue(msg("z", "4"));
    poster.push(ok);
    await second.queue.flush();
    expect(sent(poster)).toEqual(["3", "2", "4"]);
  });

  test("ignores a corrupt queue file and delivers the rest", async () => {
    makeQueue(new ScriptedPoster()).queue.enqueue(msg("good"));
    writeFileSync(join(dir, "Z2FyYmFnZQ.json"), "garbage");
    const log = recordingLogger();
    const poster = new ScriptedPoster([ok]);
    const { queue } = makeQueue(poster, { log });
    await queue.flush();
    expect(sent(poster)).toEqual(["good"]);
    expect(log.lines.some((l) => l.level === "error" && l.msg.includes("corrupt"))).toBe(true);
  });

  test("refuses an action that is not a path segment", () => {
    const { queue } = makeQueue(new ScriptedPoster());
    expect(() => queue.enqueue(msg("k", "x", "../certs"))).toThrow();
  });

  test("sends as soon as something is queued and retries on its ticker", async () => {
    const poster = new ScriptedPoster([noAnswer, noAnswer, ok]);
    const { queue } = makeQueue(poster, { now: Date.now, minMs: 20, maxMs: 40, random: () => 0.5 });
    const ac = new AbortController();
    const done = queue.run(ac.signal);
    queue.enqueue(msg("a"));
    await Bun.sleep(10);
    expect(poster.calls).toHaveLength(1);
    await Bun.sleep(120);
    expect(poster.calls).toHaveLength(3);
    expect(queue.size).toBe(0);
    ac.abort();
    await done;
  });
});
