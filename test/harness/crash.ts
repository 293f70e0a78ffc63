/**
 * Helpers for crash tests: follow an agent's JSON log from a byte offset to
 * kill it at a logged step, find atomic-write temp files anywhere under a
 * device root, and list what a TPM still holds, and draw kill points from a seed.
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join, relative } from "node:path";
import { isAtomicTempName } from "../../src/state/index.ts";
import type { Swtpm } from "./swtpm.ts";

export type LogLine = { ts?: string; level?: string; component?: string; msg?: string } & Record<string, unknown>;

/**
 * Reads JSON log lines appended to `file` after `offset` (the file's size
 * when the process of interest was started, since restarts append to one
 * file). Lines that are not JSON (runtime crash output) are kept as `msg`.
 */
export class LogTail {
  private pos: number;
  private partial = "";
  readonly lines: LogLine[] = [];

  constructor(
    readonly file: string,
    offset = sizeOf(file),
  ) {
    this.pos = offset;
  }

  /** Reads whatever was appended since the last call; returns the new lines. */
  poll(): LogLine[] {
    let fd: number;
    try {
      fd = openSync(this.file, "r");
    } catch {
      return [];
    }
    const fresh: LogLine[] = [];
    try {
      const size = fstatSync(fd).size;
      if (size <= this.pos) return [];
      const buf = Buffer.alloc(size - this.pos);
      const n = readSync(fd, buf, 0, buf.length, this.pos);
      this.pos += n;
      const text = this.partial + buf.subarray(0, n).toString("utf8");
      const parts = text.split("\n");
      this.partial = parts.pop() ?? "";
      for (const p of parts) {
        if (!p.trim()) continue;
        let line: LogLine;
        try {
          line = JSON.parse(p) as LogLine;
        } catch {
          line = { msg: p };
        }
        fresh.push(line);
        this.lines.push(line);
      }
    } finally {
      closeSync(fd);
    }
    return fresh;
  }

  /** Lines so far (after a poll) whose message is `msg`. */
  find(msg: string): LogLine[] {
    this.poll();
    return this.lines.filter((l) => l.msg === msg);
  }

  /**
   * Polls every few milliseconds until a line with message `msg` appears and
   * returns it; undefined when `stop()` turns true first or time runs out.
   * The short interval is what lets a test kill the process close to the step.
   */
  async waitForMsg(msg: string, timeoutMs: number, stop: () => boolean = () => false): Promise<LogLine | undefined> {
    const deadline = Date.now() + timeoutMs;
    const seen = this.lines.find((l) => l.msg === msg);
    if (seen) return seen;
    while (Date.now() < deadline) {
      const hit = this.poll().find((l) => l.msg === msg);
      if (hit) return hit;
      if (stop()) return undefined;
      await Bun.sleep(3);
    }
    return undefined;
  }
}

function sizeOf(file: string): number {
  try {
    return lstatSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Every file under `root` (recursively, symlinks not followed) whose name has
 * the shape of writeFileAtomic's temp files; paths relative to `root`.
 */
export function findAtomicTempFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (isAtomicTempName(e.name)) out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

/**
 * Transient objects and loaded sessions in the TPM, read with tpm2-tools.
 * swtpm has no resource manager, so whatever a killed client left stays
 * until someone flushes it. Needs the TPM free (no agent connected).
 */
export function tpmResidue(sw: Swtpm): { transient: string[]; sessions: string[] } {
  const handles = (cap: string) => [...sw.tool(["tpm2_getcap", cap]).stdout.matchAll(/0x[0-9a-fA-F]{8}/g)].map((m) => m[0].toLowerCase());
  return { transient: handles("handles-transient"), sessions: handles("handles-loaded-session") };
}

/** mulberry32: kill points reproducible from the seed a crash test prints. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
