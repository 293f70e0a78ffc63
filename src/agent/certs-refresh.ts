import type { ControllerCertStore, ControllerClient } from "../controller/index.ts";
import { AgentError, errorChain, type Logger, sleep, spread } from "../shared/index.ts";

export class CertRefreshError extends AgentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("certs.refresh", message, options);
  }
}

/**
 * zedagent's controller-cert upkeep (docs/protocol.md#controller-cert-refresh): refresh every
 * random 30-100 % of timer.cert.interval, 36-120 s while failing, and at once
 * when asked (cert miss, controllercert_confighash change).
 */
export class CertRefresher {
  private wake: (() => void) | undefined;
  private pending = false;
  lastRefresh: string | undefined;
  lastError: string | undefined;

  constructor(
    private readonly client: ControllerClient,
    private readonly certs: ControllerCertStore,
    private readonly intervalMs: number,
    private readonly log: Logger,
    private readonly onRefreshed: () => void = () => {},
  ) {}

  /** Fetch /certs as soon as possible. */
  requestNow(): void {
    this.pending = true;
    this.wake?.();
  }

  async refresh(): Promise<void> {
    const reply = await this.client.get("certs");
    if (reply.status !== 200) throw new CertRefreshError(`GET /certs answered ${reply.status}`);
    await this.certs.acceptResponse(reply.body);
    this.lastRefresh = new Date().toISOString();
    this.lastError = undefined;
    this.onRefreshed();
  }

  async run(signal: AbortSignal): Promise<void> {
    let failing = false;
    while (!signal.aborted) {
      const wait = failing ? Math.min(spread(1000, 36, 120), this.intervalMs) : spread(this.intervalMs, 0.3, 1);
      if (!this.pending) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          sleep(wait, signal).then(resolve);
        });
        this.wake = undefined;
      }
      if (signal.aborted) return;
      this.pending = false;
      try {
        await this.refresh();
        failing = false;
      } catch (e) {
        failing = true;
        this.lastError = errorChain(e);
        this.log.warn("controller cert refresh failed", { error: this.lastError });
      }
    }
  }
}
