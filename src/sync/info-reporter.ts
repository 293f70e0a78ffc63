import { codec } from "../protocol/index.ts";
import { AgentError, errorChain, type Logger, spread } from "../shared/index.ts";
import { SyncError } from "./errors.ts";
import { buildDeviceInfo } from "./info-message.ts";
import type { DeviceInfoSource } from "./info-source.ts";
import type { QueueItem } from "./queue-store.ts";
import { Waker } from "./wake.ts";

/** Where reports go: the DeferredQueue in production. */
export interface InfoSink {
  enqueue(item: QueueItem): void;
}

export type InfoReason = "start" | "change" | "periodic";

export interface InfoStatus {
  reports: number;
  lastReportAt?: string;
  lastReason?: InfoReason;
  lastError?: { kind: string; message: string; at: string };
}

export interface InfoReporterDeps {
  source: DeviceInfoSource;
  queue: InfoSink;
  /** timer.deviceinfo.interval; each wait is a random 80-120 % of it */
  intervalMs: number;
  log: Logger;
  now?: () => Date;
  random?: () => number;
}

/**
 * Device info cadence (docs/protocol.md#info-cadence): at start, on every trigger, and
 * periodically. Reports are queued under the device UUID, so a report still
 * waiting for the controller is replaced by the newer one, never duplicated.
 * Triggers that arrive while a report is being built collapse into one.
 */
export class InfoReporter {
  private readonly waker = new Waker();
  private readonly now: () => Date;
  private state: InfoStatus = { reports: 0 };

  constructor(private readonly deps: InfoReporterDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get status(): InfoStatus {
    return structuredClone(this.state);
  }

  /** Something the report shows changed (attestation, vault, maintenance, controller epoch ...). */
  trigger(): void {
    this.waker.wake();
  }

  async run(signal: AbortSignal): Promise<void> {
    this.reportNow("start");
    while (!signal.aborted) {
      const woke = await this.waker.wait(spread(this.deps.intervalMs, 0.8, 1.2, this.deps.random), signal);
      if (woke === "aborted") return;
      this.reportNow(woke === "woken" ? "change" : "periodic");
    }
  }

  /** Builds a report and queues it; false when there is nothing to send yet or building failed. */
  reportNow(reason: InfoReason): boolean {
    const at = this.now();
    let item: QueueItem;
    try {
      const msg = buildDeviceInfo(this.deps.source, at);
      if (!msg) {
        this.deps.log.debug("no device UUID yet; device info not sent", { reason });
        return false;
      }
      item = { key: msg.devId!, action: "info", payload: codec.ZInfoMsg.encode(msg) };
    } catch (e) {
      const err = e instanceof AgentError ? e : new SyncError("info.build", "building the device info report failed", { cause: e });
      this.state.lastError = { kind: err.kind, message: errorChain(err), at: at.toISOString() };
      this.deps.log.error("device info report not built", { reason, error: errorChain(err) });
      return false;
    }
    this.deps.queue.enqueue(item);
    this.state.reports++;
    this.state.lastReportAt = at.toISOString();
    this.state.lastReason = reason;
    this.deps.log.debug("device info queued", { reason, bytes: item.payload.length });
    return true;
  }
}
