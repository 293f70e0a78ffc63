import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { uptime } from "node:os";
import { type Logger, toBase64 } from "../../shared/index.ts";
import { ImaLog, type ImaSlice } from "./ima.ts";

/** A UEFI log is tens of KiB; anything past this is not one and is not sent. */
const MAX_EVENT_LOG_BYTES = 8 * 1024 * 1024;

export interface EvidenceOptions {
  /** The TCG binary event log (the agent's eventLogPath). */
  eventLogPath?: string;
  /** The kernel's ASCII IMA list; absent on kernels without IMA. */
  imaLogPath?: string;
  /** Seconds since the epoch at boot; /proc/stat's btime by default. */
  bootTime?: () => number;
  log: Logger;
}

/**
 * The logs that go with an integrity quote. A log that cannot be read is
 * left out (the verifier then judges the quote without it) and logged once
 * per kind of failure, not once per quote.
 */
export class Evidence {
  private readonly ima: ImaLog | undefined;
  private readonly warned = new Set<string>();
  readonly bootTime: number;

  constructor(private readonly opts: EvidenceOptions) {
    this.ima = opts.imaLogPath ? new ImaLog(opts.imaLogPath) : undefined;
    this.bootTime = (opts.bootTime ?? procBootTime)();
  }

  /** base64 of the binary UEFI log, sent when the mask names PCR 0 (as the rust agent does). */
  measuredBoot(): string | undefined {
    const path = this.opts.eventLogPath;
    if (!path) return undefined;
    try {
      const fd = openSync(path, "r");
      try {
        // securityfs files report size 0: read to EOF in chunks, up to the cap.
        const chunks: Buffer[] = [];
        let n = 0;
        for (;;) {
          const chunk = Buffer.allocUnsafe(64 * 1024);
          const r = readSync(fd, chunk, 0, chunk.length, null);
          if (r <= 0) break;
          chunks.push(chunk.subarray(0, r));
          n += r;
          if (n > MAX_EVENT_LOG_BYTES) {
            this.warnOnce("mb-size", "UEFI event log is larger than the cap; not sent", { path, maxBytes: MAX_EVENT_LOG_BYTES });
            return undefined;
          }
        }
        return n > 0 ? toBase64(Buffer.concat(chunks, n)) : undefined;
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      this.warnOnce("mb-read", "UEFI event log not readable; quotes go without it", { path, error: (e as Error).message }, e);
      return undefined;
    }
  }

  imaFrom(entry: number): ImaSlice | undefined {
    if (!this.ima) return undefined;
    try {
      return this.ima.read(entry);
    } catch (e) {
      this.warnOnce("ima-read", "IMA measurement list not readable; quotes go without it", { path: this.opts.imaLogPath, error: (e as Error).message }, e);
      return undefined;
    }
  }

  /** A missing file is the normal case of a kernel without IMA or a firmware without a log: debug, not warn. */
  private warnOnce(what: string, msg: string, fields: Record<string, unknown>, cause?: unknown): void {
    if (this.warned.has(what)) return;
    this.warned.add(what);
    if ((cause as NodeJS.ErrnoException | undefined)?.code === "ENOENT") this.opts.log.debug(msg, fields);
    else this.opts.log.warn(msg, fields);
  }
}

/** btime from /proc/stat: the boot time the verifier compares across partial IMA reads. */
export function procBootTime(): number {
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"));
    if (m) return Number(m[1]);
  } catch {}
  return Math.floor(Date.now() / 1000 - uptime());
}
