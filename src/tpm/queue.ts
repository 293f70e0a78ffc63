import { sleep, type Logger, silentLogger } from "../shared/index.ts";
import { hasRc, TpmError } from "./errors.ts";
import { RC } from "./structures/constants.ts";
import type { TpmPort } from "./port.ts";

export interface QueueOptions {
  /** Whole-operation limit; a TPM that does not answer by then is given up on. */
  timeoutMs?: number;
  /** Attempts per TPM command when the TPM answers RETRY/YIELDED/TESTING. */
  attempts?: number;
  /** First back-off delay; doubles per attempt. */
  retryDelayMs?: number;
  log?: Logger;
}

const TRANSIENT = [RC.RETRY, RC.YIELDED, RC.TESTING];

/**
 * The single owner of the ESAPI context. Operations (each a short sequence of
 * TPM commands, e.g. start session -> policy -> unseal -> flush) run one at a
 * time in arrival order, so sessions and transient handles of two callers
 * never interleave. A timed-out operation leaves the context in an unknown
 * state, so the queue refuses further work (the owner should reopen).
 */
export class TpmQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private broken: TpmError | undefined;
  private readonly timeoutMs: number;
  private readonly retrying: TpmPort;
  private readonly log: Logger;

  constructor(
    private readonly port: TpmPort,
    opts: QueueOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.log = opts.log ?? silentLogger;
    this.retrying = withRetry(port, opts.attempts ?? 6, opts.retryDelayMs ?? 20, this.log);
  }

  run<T>(label: string, op: (tpm: TpmPort) => Promise<T>): Promise<T> {
    const exec = async (): Promise<T> => {
      if (this.broken) throw this.broken;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          this.broken = new TpmError("tpm.timeout", `TPM operation ${label} did not finish within ${this.timeoutMs} ms`);
          this.log.error("TPM operation timed out; closing the TPM connection", { operation: label, timeoutMs: this.timeoutMs });
          // A worker-backed port ends its thread here; the stuck call cannot be trusted to return.
          this.port.close().catch(() => undefined);
          reject(this.broken);
        }, this.timeoutMs);
      });
      try {
        return await Promise.race([op(this.retrying), timeout]);
      } finally {
        clearTimeout(timer);
      }
    };
    const result = this.tail.then(exec, exec);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Waits for queued work (at most `graceMs`: a stopping agent must not hang
   * on a TPM that stopped answering), then closes the port.
   */
  async close(graceMs = 2000): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    const closing = Promise.race([this.tail, grace]).then(() => {
      clearTimeout(timer);
      return this.port.close();
    });
    this.broken ??= new TpmError("tpm.closed", "TPM connection closed");
    this.tail = closing.catch(() => undefined);
    await closing;
  }
}

/** Wraps every port method so transient TPM warnings are retried with back-off. */
export function withRetry(port: TpmPort, attempts: number, delayMs: number, log: Logger): TpmPort {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== "function" || prop === "close") return v;
      return async (...args: unknown[]) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } catch (e) {
            if (attempt >= attempts || !TRANSIENT.some((c) => hasRc(e, c))) throw e;
            log.debug("TPM busy, retrying", { command: String(prop), attempt });
            await sleep(delayMs * 2 ** (attempt - 1));
          }
        }
      };
    },
  });
}
