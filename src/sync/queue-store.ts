import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { errorChain, fromBase64, type Logger, sha256, toBase64, toHex, utf8 } from "../shared/index.ts";
import { readFileIfExists, removeFile, writeFileAtomic } from "../state/index.ts";
import { SyncError } from "./errors.ts";

/** One message waiting for the controller. */
export interface QueueItem {
  /** newer items replace older ones with the same key, e.g. the device UUID or `attest:<uuid>` */
  key: string;
  /** api/v2 action under id/<uuid>/, e.g. "info" or "attest" */
  action: string;
  /** the marshalled request; the envelope is added at send time */
  payload: Uint8Array;
}

/** A QueueItem as stored: `seq` keeps enqueue order across restarts. */
export interface StoredItem extends QueueItem {
  seq: number;
}

const FORMAT = "edge-agent.deferred-item";
const VERSION = 1;
const SUFFIX = ".json";
// Actions land in the URL path; only plain path segments are accepted back from disk.
const ACTION_RE = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

interface ItemRecord {
  format: string;
  version: number;
  key: string;
  action: string;
  seq: number;
  payload: string;
  sha256: string;
}

/** base64url never contains "/", so any key makes a safe file name and decodes back to itself. */
function fileName(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url") + SUFFIX;
}

function keyFromFileName(name: string): string {
  return Buffer.from(name.slice(0, -SUFFIX.length), "base64url").toString("utf8");
}

function parse(name: string, data: Uint8Array): StoredItem {
  let r: Partial<ItemRecord>;
  try {
    r = JSON.parse(utf8.decode(data)) as Partial<ItemRecord>;
  } catch (e) {
    throw new SyncError("queue.corrupt", "not JSON", { cause: e });
  }
  if (typeof r !== "object" || r === null || r.format !== FORMAT || r.version !== VERSION) {
    throw new SyncError("queue.corrupt", "not a deferred item record of a known version");
  }
  if (typeof r.key !== "string" || r.key !== keyFromFileName(name)) throw new SyncError("queue.corrupt", "key does not match the file name");
  if (typeof r.action !== "string" || !ACTION_RE.test(r.action)) throw new SyncError("queue.corrupt", "action is missing or malformed");
  if (typeof r.seq !== "number" || !Number.isSafeInteger(r.seq) || r.seq < 0) throw new SyncError("queue.corrupt", "seq is not a non-negative integer");
  if (typeof r.payload !== "string" || typeof r.sha256 !== "string") throw new SyncError("queue.corrupt", "payload or digest missing");
  const payload = fromBase64(r.payload);
  if (toHex(sha256(payload)) !== r.sha256) throw new SyncError("queue.corrupt", "payload digest does not match");
  return { key: r.key, action: r.action, seq: r.seq, payload };
}

/**
 * The deferred queue on disk: one atomically written JSON file per key,
 * carrying a digest of the payload so a damaged file is noticed instead of
 * sent. Anything that fails validation is logged and deleted.
 */
export class QueueStore {
  constructor(
    readonly dir: string,
    private readonly log: Logger,
  ) {}

  static validAction(action: string): boolean {
    return ACTION_RE.test(action);
  }

  /** Every valid stored item, oldest first. */
  loadAll(): StoredItem[] {
    let names: string[];
    try {
      mkdirSync(this.dir, { recursive: true });
      names = readdirSync(this.dir);
    } catch (e) {
      this.log.error("deferred queue directory unreadable; starting empty", { dir: this.dir, error: errorChain(e) });
      return [];
    }
    const items: StoredItem[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      if (name.startsWith(".") && name.endsWith(".tmp")) {
        // Left by a write interrupted before its rename; the target still holds the previous version.
        this.tryRemove(path);
        continue;
      }
      if (!name.endsWith(SUFFIX)) continue;
      try {
        const data = readFileIfExists(path);
        if (data !== undefined) items.push(parse(name, data));
      } catch (e) {
        this.log.error("dropping corrupt deferred queue entry", { file: path, error: errorChain(e) });
        this.tryRemove(path);
      }
    }
    return items.sort((a, b) => a.seq - b.seq);
  }

  write(item: StoredItem): void {
    const record: ItemRecord = {
      format: FORMAT,
      version: VERSION,
      key: item.key,
      action: item.action,
      seq: item.seq,
      payload: toBase64(item.payload),
      sha256: toHex(sha256(item.payload)),
    };
    // Not made durable, as remove() is not: after a power loss the item may be the key's previous one or gone, never
    // torn, and each boot queues its own certificate upload and info report anyway; a boot's reports skip one fsync each.
    writeFileAtomic(join(this.dir, fileName(item.key)), JSON.stringify(record), 0o600, { durable: false });
  }

  /**
   * Not made durable: an item that comes back after a power loss is sent
   * again, which delivery is already prepared for (a crash between a send
   * and this removal does the same), and the boot's sends skip one fsync each.
   */
  remove(key: string): void {
    removeFile(join(this.dir, fileName(key)), { durable: false });
  }

  private tryRemove(path: string): void {
    try {
      removeFile(path);
    } catch (e) {
      this.log.warn("cannot remove deferred queue file", { file: path, error: errorChain(e) });
    }
  }
}
