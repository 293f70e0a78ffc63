import { errorChain, type Logger, silentLogger, sleep } from "../shared/index.ts";
import { hasRc, TpmError } from "./errors.ts";
import { RC_LAYER, type TpmPort } from "./port.ts";
import { RC } from "./structures/constants.ts";

export interface QueueOptions {
  /** Whole-operation limit; a TPM that does not answer by then is given up on. */
  timeoutMs?: number;
  /** Attempts per TPM command when the TPM answers RETRY/YIELDED/TESTING. */
  attempts?: number;
  /** First back-off delay; doubles per attempt. */
  retryDelayMs?: number;
  log?: Logger;
  /**
   * Opens a new connection after the current one was lost (an operation
   * timed out, or the TCTI failed). Without it a lost connection stays lost.
   */
  reconnect?: () => Promise<TpmPort>;
  /** Runs first on a new connection: stale handles flushed, persistent keys re-opened. */
  restore?: (tpm: TpmPort) => Promise<void>;
  /** Reconnect attempts before the TPM is declared lost (default 6). */
  reconnectAttempts?: number;
  /** Delay before the second attempt; doubles per attempt (default 500 ms). */
  reconnectDelayMs?: number;
  /** Called once when reconnecting gave up; the process should exit for its supervisor. */
  onLost?: (e: TpmError) => void;
  /** Called after each replaced connection with the running count. */
  onReconnected?: (reconnects: number) => void;
  /** Called when an operation ends, with its label, how it ended and how long it ran (metrics). */
  onOperation?: (operation: string, result: "ok" | "error" | "timeout", ms: number) => void;
  /** Called before a TPM command is sent again after RETRY/YIELDED/TESTING (metrics). */
  onRetry?: (command: string) => void;
}

const TRANSIENT = [RC.RETRY, RC.YIELDED, RC.TESTING];

/** The connection, not the command, failed: ESAPI contexts do not recover from this. */
export function isConnectionFailure(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  // A TCTI-layer code: the link to the TPM failed, not a command.
  if ("layer" in e && (e as { layer: unknown }).layer === RC_LAYER.TCTI) return true;
  return e instanceof Error && e.message.startsWith("TPM worker failed");
}

/**
 * The single owner of the ESAPI context. Operations (each a short sequence of
 * TPM commands, e.g. start session -> policy -> unseal -> flush) run one at a
 * time in arrival order, so sessions and transient handles of two callers
 * never interleave. A timed-out operation leaves the context in an unknown
 * state, so the queue refuses further work (the owner should reopen).
 */
export class TpmQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private closed: TpmError | undefined;
  /** Set when the connection must be replaced before the next operation. */
  private stale: TpmError | undefined;
  /** Set when reconnecting gave up; every later operation fails with it. */
  private lost: TpmError | undefined;
  private readonly timeoutMs: number;
  private port: TpmPort;
  private retrying: TpmPort;
  private readonly log: Logger;
  private readonly opts: QueueOptions;
  private readonly closing = new AbortController();
  /** Connections replaced so far (status and tests). */
  reconnects = 0;

  constructor(port: TpmPort, opts: QueueOptions = {}) {
    this.port = port;
    this.opts = opts;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.log = opts.log ?? silentLogger;
    this.retrying = this.wrap(port);
  }

  private wrap(port: TpmPort): TpmPort {
    return withRetry(port, this.opts.attempts ?? 6, this.opts.retryDelayMs ?? 20, this.log, this.opts.onRetry);
  }

  /** Marks the connection unusable and ends it; a worker-backed port ends its thread, so a stuck call cannot come back. */
  private drop(cause: TpmError): void {
    this.stale ??= cause;
    this.port.close().catch(() => undefined);
  }

  private async replaceConnection(): Promise<void> {
    const { reconnect } = this.opts;
    if (!reconnect) throw this.stale!;
    const attempts = this.opts.reconnectAttempts ?? 6;
    const firstDelay = this.opts.reconnectDelayMs ?? 500;
    let last: unknown = this.stale;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.closed) throw this.closed;
      let port: TpmPort | undefined;
      try {
        port = await reconnect();
        const retrying = this.wrap(port);
        await this.opts.restore?.(retrying);
        this.port = port;
        this.retrying = retrying;
        this.stale = undefined;
        this.reconnects++;
        this.log.info("TPM connection replaced", { attempt, reconnects: this.reconnects });
        this.opts.onReconnected?.(this.reconnects);
        return;
      } catch (e) {
        last = e;
        await port?.close().catch(() => undefined);
        this.log.warn("TPM reconnect failed", { attempt, of: attempts, error: errorChain(e) });
        if (attempt < attempts) await sleep(firstDelay * 2 ** (attempt - 1), this.closing.signal);
      }
    }
    this.lost = new TpmError("tpm.lost", `TPM unusable: ${attempts} reconnect attempts failed (${errorChain(last)})`, { cause: last });
    this.log.error("TPM lost; giving up", { attempts });
    this.opts.onLost?.(this.lost);
    throw this.lost;
  }

  run<T>(label: string, op: (tpm: TpmPort) => Promise<T>): Promise<T> {
    const exec = async (): Promise<T> => {
      if (this.closed) throw this.closed;
      if (this.lost) throw this.lost;
      if (this.stale) await this.replaceConnection();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let outcome: "ok" | "error" | "timeout" = "error";
      const started = performance.now();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          outcome = "timeout";
          const err = new TpmError("tpm.timeout", `TPM operation ${label} did not finish within ${this.timeoutMs} ms`);
          this.log.error("TPM operation timed out; replacing the TPM connection", { operation: label, timeoutMs: this.timeoutMs });
          this.drop(err);
          reject(err);
        }, this.timeoutMs);
      });
      try {
        const value = await Promise.race([op(this.retrying), timeout]);
        outcome = "ok";
        return value;
      } catch (e) {
        if (!this.stale && isConnectionFailure(e)) {
          this.log.error("TPM connection failed; replacing it", { operation: label, error: errorChain(e) });
          this.drop(new TpmError("tpm.connection", `TPM connection failed during ${label}`, { cause: e }));
        }
        throw e;
      } finally {
        clearTimeout(timer);
        this.opts.onOperation?.(label, outcome, performance.now() - started);
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
    this.closed ??= new TpmError("tpm.closed", "TPM connection closed");
    this.closing.abort();
    const closing = Promise.race([this.tail, grace]).then(() => {
      clearTimeout(timer);
      return this.port.close();
    });
    this.tail = closing.catch(() => undefined);
    await closing;
  }
}

/** Wraps every port method so transient TPM warnings are retried with back-off. */
export function withRetry(port: TpmPort, attempts: number, delayMs: number, log: Logger, onRetry?: (command: string) => void): TpmPort {
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
            onRetry?.(String(prop));
            await sleep(delayMs * 2 ** (attempt - 1));
          }
        }
      };
    },
  });
}
