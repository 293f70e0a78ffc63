import type { EnvelopeKey } from "../controller/index.ts";
import { bytesEqual, errorChain, type Logger } from "../shared/index.ts";
import { type Disposition, dispositionFor, retryDelay, tickerDelay } from "./deferred-policy.ts";
import { SyncError } from "./errors.ts";
import type { ControllerPoster } from "./ports.ts";
import { type QueueItem, QueueStore, type StoredItem } from "./queue-store.ts";
import { Waker } from "./wake.ts";

/** What happened to one send attempt, as reported to `onResult`. */
export type DeliveryResult =
  | { outcome: "delivered"; status: number }
  /** refused with a retriable status; held back for `retryInMs` */
  | { outcome: "retry"; status: number; attempts: number; retryInMs: number }
  /** refused for good (other 4xx); the item is gone */
  | { outcome: "dropped"; status: number }
  /** no usable answer (transport error or unexpected status); kept, the pass ended */
  | { outcome: "deferred"; status?: number; error?: string };

export interface QueueStatus {
  pending: { key: string; action: string; bytes: number; attempts: number; retryAt?: string }[];
  delivered: number;
  dropped: number;
  lastResult?: { key: string; action: string; at: string } & DeliveryResult;
}

export interface DeferredQueueDeps {
  /** /persist/status/edge-agent/info-queue */
  dir: string;
  client: ControllerPoster;
  /** the key every queued request is signed with */
  deviceKey: EnvelopeKey;
  /** per-item and ticker back-off bounds (EVE: 1 min, 15 min) */
  minMs: number;
  maxMs: number;
  log: Logger;
  now?: () => number;
  random?: () => number;
  /** every attempt's outcome; e.g. a dropped `attest` item means the controller refused the device certs */
  onResult?: (item: QueueItem, result: DeliveryResult) => void;
}

interface Entry {
  item: StoredItem;
  attempts: number;
  retryAt: number;
}

/** How long an empty queue sleeps before looking again; enqueue wakes it anyway. */
const IDLE_MS = 24 * 3600_000;
/** A message refused this often is called out at warn level (EVE: every 20th refusal). */
const WARN_EVERY = 20;

/**
 * Reliable delivery of device reports with EVE's deferred-queue semantics
 * (docs/protocol.md#deferred-queue): one item per key, newest wins, sent in enqueue order;
 * retriable refusals are held back per item and moved behind their peers;
 * a pass stops at the first unanswered send; items persist across restarts.
 */
export class DeferredQueue {
  private entries: Entry[] = [];
  private nextSeq = 0;
  private passing: Promise<void> | undefined;
  private readonly waker = new Waker();
  private readonly store: QueueStore;
  private readonly now: () => number;
  private counters = { delivered: 0, dropped: 0 };
  private last: QueueStatus["lastResult"];

  constructor(private readonly deps: DeferredQueueDeps) {
    this.now = deps.now ?? Date.now;
    this.store = new QueueStore(deps.dir, deps.log);
    for (const item of this.store.loadAll()) this.entries.push({ item, attempts: 0, retryAt: 0 });
    this.nextSeq = this.entries.reduce((m, e) => Math.max(m, e.item.seq + 1), 0);
    if (this.entries.length) deps.log.info("deferred items restored", { count: this.entries.length });
  }

  get size(): number {
    return this.entries.length;
  }

  get status(): QueueStatus {
    return {
      pending: this.entries.map((e) => ({
        key: e.item.key,
        action: e.item.action,
        bytes: e.item.payload.length,
        attempts: e.attempts,
        ...(e.retryAt > this.now() ? { retryAt: new Date(e.retryAt).toISOString() } : {}),
      })),
      ...this.counters,
      ...(this.last ? { lastResult: { ...this.last } } : {}),
    };
  }

  /** Queues (or replaces) the item for its key, persists it and wakes the sender. */
  enqueue(item: QueueItem): void {
    if (!QueueStore.validAction(item.action)) throw new SyncError("queue.action", `invalid action ${JSON.stringify(item.action)}`);
    const i = this.entries.findIndex((e) => e.item.key === item.key);
    const old = this.entries[i];
    // The same bytes again are the same message: keep its retry state rather than resetting the back-off.
    if (old && old.item.action === item.action && bytesEqual(old.item.payload, item.payload)) {
      this.kick();
      return;
    }
    const entry: Entry = { item: { ...item, payload: item.payload.slice(), seq: old ? old.item.seq : this.nextSeq++ }, attempts: 0, retryAt: 0 };
    if (old) this.entries[i] = entry;
    else this.entries.push(entry);
    try {
      this.store.write(entry.item);
    } catch (e) {
      // Still deliverable during this run; only a restart before delivery would lose it.
      this.deps.log.error("cannot persist deferred item", { key: item.key, error: errorChain(e) });
    }
    this.kick();
  }

  remove(key: string): void {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.item.key !== key);
    if (this.entries.length !== before) this.forget(key);
  }

  /** Runs a pass as soon as possible. */
  kick(): void {
    this.waker.wake();
  }

  /** One pass over the due items, after any pass already running. */
  async flush(): Promise<void> {
    while (this.passing) await this.passing;
    this.passing = this.pass().finally(() => {
      this.passing = undefined;
    });
    await this.passing;
  }

  async run(signal: AbortSignal): Promise<void> {
    let tick = 0;
    while (!signal.aborted) {
      if (this.entries.length > 0) await this.flush();
      if (signal.aborted) return;
      if (this.entries.length === 0) {
        tick = 0;
        await this.waker.wait(IDLE_MS, signal);
      } else {
        await this.waker.wait(tickerDelay(tick++, this.deps.minMs, this.deps.maxMs, this.deps.random), signal);
      }
    }
  }

  private async pass(): Promise<void> {
    for (const entry of [...this.entries]) {
      if (!this.entries.includes(entry)) continue;
      if (entry.retryAt > this.now()) continue;
      if ((await this.send(entry)) === "stop") break;
    }
    // Held-back items go behind the rest so a payload the controller keeps refusing delays nothing.
    const now = this.now();
    this.entries = [...this.entries.filter((e) => e.retryAt <= now), ...this.entries.filter((e) => e.retryAt > now)];
  }

  private async send(entry: Entry): Promise<Disposition> {
    const { item } = entry;
    let status: number;
    try {
      status = (await this.deps.client.post(item.action, item.payload, this.deps.deviceKey)).status;
    } catch (e) {
      this.deps.log.debug("deferred send got no answer", { key: item.key, error: errorChain(e) });
      this.report(item, { outcome: "deferred", error: errorChain(e) });
      return "stop";
    }
    const disposition = dispositionFor(status);
    switch (disposition) {
      case "delivered":
        this.finish(entry);
        this.counters.delivered++;
        this.report(item, { outcome: "delivered", status });
        break;
      case "dropped":
        this.finish(entry);
        this.counters.dropped++;
        // Nothing re-sends this state later, so the loss must be visible.
        this.deps.log.error("controller refused a deferred item for good; dropped", { key: item.key, action: item.action, status });
        this.report(item, { outcome: "dropped", status });
        break;
      case "retry": {
        entry.attempts++;
        const retryInMs = retryDelay(entry.attempts, this.deps.minMs, this.deps.maxMs);
        entry.retryAt = this.now() + retryInMs;
        const level = entry.attempts % WARN_EVERY === 0 ? "warn" : "info";
        this.deps.log[level]("controller refused a deferred item; will retry", { key: item.key, status, attempts: entry.attempts, retryInMs });
        this.report(item, { outcome: "retry", status, attempts: entry.attempts, retryInMs });
        break;
      }
      case "stop":
        this.report(item, { outcome: "deferred", status });
        break;
    }
    return disposition;
  }

  /** Removes a sent entry, unless a newer item for its key arrived during the send. */
  private finish(entry: Entry): void {
    const i = this.entries.indexOf(entry);
    if (i < 0) return;
    this.entries.splice(i, 1);
    this.forget(entry.item.key);
  }

  private forget(key: string): void {
    try {
      this.store.remove(key);
    } catch (e) {
      this.deps.log.error("cannot remove delivered deferred item", { key, error: errorChain(e) });
    }
  }

  private report(item: StoredItem, result: DeliveryResult): void {
    this.last = { key: item.key, action: item.action, at: new Date(this.now()).toISOString(), ...result };
    try {
      this.deps.onResult?.({ key: item.key, action: item.action, payload: item.payload }, result);
    } catch (e) {
      this.deps.log.error("deferred result callback failed", { key: item.key, error: errorChain(e) });
    }
  }
}
