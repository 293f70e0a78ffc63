import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { AgentError } from "../shared/index.ts";

export class StateError extends AgentError {
  readonly path: string;
  constructor(kind: "corrupt" | "io", path: string, message: string, options?: { cause?: unknown }) {
    super(`state.${kind}`, `${path}: ${message}`, options);
    this.path = path;
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// `.NAME.<12 hex>.tmp`: the leading dot keeps it out of listings that skip
// hidden files, the random part lets two writers of one file not collide.
const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** The temp file writeFileAtomic writes before renaming it over `path`. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
}

/** Whether `name` (a base name) has exactly the shape of writeFileAtomic's temp files. */
export function isAtomicTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Writes a file so that a crash at any instant leaves either the old or the
 * new content, never a torn file: temp file in the same directory, fsync,
 * rename over the target, fsync the directory so the rename itself survives.
 * With `durable: false` the directory is not fsynced: still never torn, but
 * a power loss may undo the rename (old content, or no file where there was
 * none), for files where that is harmless (a queued report the next boot
 * sends anew), as removeFile's `durable: false`.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, mode = 0o600, opts: { durable?: boolean } = {}): void {
  writeFilesAtomic([{ path, data }], mode, opts);
}

/**
 * writeFileAtomic, unless `path` already holds exactly these bytes with this
 * mode: then the file is left alone (no temp file, no fsync), which is the
 * state the write would have made. For records rewritten on every boot with
 * what they mostly already say (the onboarding result). Returns whether it wrote.
 */
export function writeFileAtomicIfChanged(path: string, data: Uint8Array | string, mode = 0o600): boolean {
  try {
    const st = statSync(path);
    const want = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (st.isFile() && (st.mode & 0o7777) === (mode & ~process.umask()) && st.size === want.length && want.equals(readFileSync(path))) return false;
  } catch {
    // Missing or unreadable: write it.
  }
  writeFileAtomic(path, data, mode);
  return true;
}

/**
 * writeFileAtomic for the files one step writes together: each file is still
 * replaced whole (its own temp file, fsync, rename), but each directory is
 * fsynced once after all renames, which is what makes them durable. A crash
 * in between leaves each file old or new on its own, so use it only where
 * any such mix is valid (both copies of a checkpoint).
 */
export function writeFilesAtomic(files: readonly { path: string; data: Uint8Array | string }[], mode = 0o600, opts: { durable?: boolean } = {}): void {
  const temps: string[] = [];
  const cleanup = () => {
    for (const t of temps) {
      try {
        unlinkSync(t);
      } catch {}
    }
  };
  for (const { path, data } of files) {
    try {
      temps.push(writeTemp(path, data, mode));
    } catch (e) {
      cleanup();
      throw e;
    }
  }
  const dirs = new Set<string>();
  for (const [i, { path }] of files.entries()) {
    try {
      renameSync(temps[i]!, path);
      dirs.add(dirname(path));
    } catch (e) {
      cleanup();
      throw new StateError("io", path, "atomic rename failed", { cause: e });
    }
  }
  if (opts.durable === false) return;
  for (const dir of dirs) {
    try {
      fsyncDir(dir);
    } catch (e) {
      throw new StateError("io", dir, "atomic rename failed", { cause: e });
    }
  }
}

/** The new content in its fsynced temp file next to `path`; returns the temp file's path. */
function writeTemp(path: string, data: Uint8Array | string, mode: number): string {
  const dir = dirname(path);
  const tmp = tempPathFor(path);
  let fd: number;
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(tmp, "w", mode);
  } catch (e) {
    throw new StateError("io", path, "cannot create temp file", { cause: e });
  }
  try {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {}
    throw new StateError("io", path, "atomic write failed", { cause: e });
  }
  closeSync(fd);
  return tmp;
}

export function readFileIfExists(path: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StateError("io", path, "read failed", { cause: e });
  }
}

/**
 * Removes `path` and fsyncs its directory so the removal survives a power
 * loss. With `durable: false` the directory is not fsynced: for files whose
 * return after a power loss is harmless (a delivered queue item, which is
 * then sent again, as after a crash between its delivery and its removal).
 */
export function removeFile(path: string, opts: { durable?: boolean } = {}): void {
  try {
    unlinkSync(path);
    if (opts.durable !== false) fsyncDir(dirname(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new StateError("io", path, "remove failed", { cause: e });
  }
}

/**
 * Reads a file and validates it with `parse`. A file that exists but fails
 * validation is reported as corrupt (never silently used or ignored).
 */
export function readValidated<T>(path: string, parse: (data: Uint8Array) => T): T | undefined {
  const data = readFileIfExists(path);
  if (data === undefined) return undefined;
  try {
    return parse(data);
  } catch (e) {
    throw new StateError("corrupt", path, `invalid content: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * A checkpoint kept as primary plus `.bak`, as EVE does for controller certs
 * and the last config. Writing refreshes the primary; the backup is created
 * on first write and then only refreshed by `promoteBackup`.
 */
export interface CheckpointRead<T> {
  value: T;
  from: "primary" | "backup";
  /** Set when the primary was present but invalid. */
  primaryError?: StateError;
}

export function readCheckpoint<T>(path: string, parse: (data: Uint8Array) => T): CheckpointRead<T> | undefined {
  let primaryError: StateError | undefined;
  try {
    const v = readValidated(path, parse);
    if (v !== undefined) return { value: v, from: "primary" };
  } catch (e) {
    if (!(e instanceof StateError)) throw e;
    primaryError = e;
  }
  const b = readValidated(`${path}.bak`, parse);
  if (b !== undefined) return { value: b, from: "backup", ...(primaryError ? { primaryError } : {}) };
  if (primaryError) throw primaryError;
  return undefined;
}

export function writeCheckpoint(path: string, data: Uint8Array): void {
  const bak = `${path}.bak`;
  writeFilesAtomic(
    existsSync(bak)
      ? [{ path, data }]
      : [
          { path, data },
          { path: bak, data },
        ],
  );
}

export function refreshCheckpointBackup(path: string): void {
  const cur = readFileIfExists(path);
  if (cur !== undefined) writeFileAtomic(`${path}.bak`, cur);
}
