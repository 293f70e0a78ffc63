import { lstatSync, mkdirSync, readdirSync, type Stats, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { AgentError, type Logger, utf8 } from "../shared/index.ts";
import { writeNewPrivateFile } from "../state/index.ts";
import type { HttpRequest, HttpResponse } from "./transport.ts";

export class WireDumpError extends AgentError {
  constructor(kind: "wiredump.unsafe-dir" | "wiredump.write", message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}

/** What the status document shows about the dump: where it is and how full, or why it is off. */
export interface WireDumpState {
  dir: string;
  maxBytes: number;
  exchanges?: number;
  bytes?: number;
  error?: string;
}

export interface WireDumpOptions {
  /** Oldest exchanges are removed once the files together would exceed this. */
  maxBytes: number;
  log: Logger;
  /** Called with the current state after start and after every recorded exchange. */
  onState?: (state: WireDumpState) => void;
}

const FILE_RE = /^(\d+)-([A-Za-z0-9._-]+)\.(req|res|json)$/;
// O_EXCL already refuses any existing name, symlinks included; O_NOFOLLOW
// states the intent and covers platforms that treat a dangling link differently.
function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new WireDumpError("wiredump.unsafe-dir", `cannot inspect ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Makes sure `dir` is a directory only the agent's user can enter: created
 * 0700 when absent, refused when it is a symlink, owned by someone else or
 * open to group/others. An existing open directory is refused rather than
 * tightened, because whatever was dumped there may already have been read.
 */
export function prepareWireDumpDir(dir: string): void {
  let st = lstatIfExists(dir);
  if (!st) {
    try {
      mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
      mkdirSync(dir, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new WireDumpError("wiredump.unsafe-dir", `cannot create ${dir}: ${(e as Error).message}`, { cause: e });
      }
    }
    // Checked again below like any existing directory: someone may have won the race to the name.
    st = lstatSync(dir);
  }
  if (st.isSymbolicLink()) throw new WireDumpError("wiredump.unsafe-dir", `${dir} is a symbolic link; name a real directory`);
  if (!st.isDirectory()) throw new WireDumpError("wiredump.unsafe-dir", `${dir} exists and is not a directory`);
  const uid = process.geteuid?.() ?? 0;
  if (st.uid !== uid) throw new WireDumpError("wiredump.unsafe-dir", `${dir} is owned by uid ${st.uid}, not by the agent (uid ${uid})`);
  const mode = st.mode & 0o777;
  if (mode & 0o077) {
    throw new WireDumpError(
      "wiredump.unsafe-dir",
      `${dir} has mode 0${mode.toString(8)}, open to group or others; the dump holds the integrity token: name a new directory (the agent creates it 0700) or chmod 0700 an emptied one`,
    );
  }
}

interface Exchange {
  seq: number;
  files: string[];
  bytes: number;
}

/**
 * Writes every controller exchange as NNNN-<action>.{req,res,json} for
 * debugging (wireDumpDir / EDGE_AGENT_WIRE_DUMP). TLS protects the traffic
 * but the dump holds it in the clear, integrity token and escrow blob
 * included, so the directory is private to the agent's user and every file
 * is created 0600, exclusively, never through a symlink. The oldest
 * exchanges are removed to stay within `maxBytes`.
 *
 * A refused directory disables the dump instead of stopping the agent: the
 * dump is a debugging aid, and a device that stops attesting because of one
 * would be a worse outcome for its operator than a missing trace. The
 * refusal is logged once and stays visible in the status document.
 */
export class WireDump {
  private seq = 0;
  private readonly kept: Exchange[] = [];
  private total = 0;
  /** Why the dump is off; set once at start, never cleared. */
  readonly refused: WireDumpError | undefined;
  private lastError: string | undefined;

  constructor(
    private readonly dir: string,
    private readonly opts: WireDumpOptions,
  ) {
    try {
      prepareWireDumpDir(dir);
      this.scanExisting();
    } catch (e) {
      this.refused = e instanceof WireDumpError ? e : new WireDumpError("wiredump.unsafe-dir", `cannot use ${dir}: ${(e as Error).message}`, { cause: e });
      opts.log.error("wire dump disabled", { dir, error: `${this.refused.kind}: ${this.refused.message}` });
    }
    this.report();
  }

  get state(): WireDumpState {
    const base = { dir: this.dir, maxBytes: this.opts.maxBytes };
    if (this.refused) return { ...base, error: `${this.refused.kind}: ${this.refused.message}` };
    return { ...base, exchanges: this.kept.length, bytes: this.total, ...(this.lastError ? { error: this.lastError } : {}) };
  }

  /** Reserves the next sequence number at send time so files sort in send order. */
  begin(): number {
    return ++this.seq;
  }

  /** Never throws: a dump that cannot be written must not fail the exchange it records. */
  record(seq: number, action: string, req: HttpRequest, res: HttpResponse | undefined, error?: string): void {
    if (!this.refused) this.write(seq, action, req, res, error);
    // Reported every time so the status section shows the dump even after a
    // component republished the whole section.
    this.report();
  }

  private write(seq: number, action: string, req: HttpRequest, res: HttpResponse | undefined, error?: string): void {
    const name = `${String(seq).padStart(4, "0")}-${action.replace(/[^A-Za-z0-9._-]/g, "_")}`;
    const meta = {
      method: req.method,
      url: req.url.toString(),
      status: res?.status ?? null,
      requestHeaders: req.headers,
      responseHeaders: res?.headers ?? null,
      ...(error ? { error } : {}),
    };
    const parts: [string, Uint8Array][] = [
      [`${name}.req`, req.body ?? new Uint8Array()],
      [`${name}.res`, res?.body ?? new Uint8Array()],
      [`${name}.json`, utf8.encode(JSON.stringify(meta, null, 2) + "\n")],
    ];
    const bytes = parts.reduce((n, [, data]) => n + data.length, 0);
    // Room is made before writing, so the directory stays within the cap
    // unless one exchange alone is larger (that one is still kept: it is
    // the one being debugged).
    while (this.kept.length > 0 && this.total + bytes > this.opts.maxBytes) this.evictOldest();
    const written: string[] = [];
    try {
      for (const [file, data] of parts) {
        writeNewPrivateFile(join(this.dir, file), data);
        written.push(file);
      }
    } catch (e) {
      for (const f of written) removeQuietly(join(this.dir, f));
      const message = `wiredump.write: ${(e as Error).message}`;
      if (this.lastError === undefined) this.opts.log.error("wire dump write failed", { dir: this.dir, error: message });
      this.lastError = message;
      return;
    }
    this.lastError = undefined;
    this.insert({ seq, files: written, bytes });
  }

  /** Continues after the exchanges a previous run left, so names never collide and they count toward the cap. */
  private scanExisting(): void {
    const bySeq = new Map<number, Exchange>();
    for (const file of readdirSync(this.dir)) {
      const m = FILE_RE.exec(file);
      if (!m) continue;
      const seq = Number(m[1]);
      const st = lstatSync(join(this.dir, file));
      const ex = bySeq.get(seq) ?? { seq, files: [], bytes: 0 };
      ex.files.push(file);
      ex.bytes += st.isFile() ? st.size : 0;
      bySeq.set(seq, ex);
    }
    for (const ex of bySeq.values()) this.insert(ex);
    this.seq = this.kept.at(-1)?.seq ?? 0;
    while (this.kept.length > 0 && this.total > this.opts.maxBytes) this.evictOldest();
  }

  /** Keeps `kept` in sequence order: requests finish out of order. */
  private insert(ex: Exchange): void {
    let i = this.kept.length;
    while (i > 0 && this.kept[i - 1]!.seq > ex.seq) i--;
    this.kept.splice(i, 0, ex);
    this.total += ex.bytes;
  }

  private evictOldest(): void {
    const ex = this.kept.shift()!;
    for (const f of ex.files) removeQuietly(join(this.dir, f));
    this.total -= ex.bytes;
  }

  private report(): void {
    this.opts.onState?.(this.state);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {}
}
