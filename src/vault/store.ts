import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readFileIfExists, removeFile, writeFileAtomic } from "../state/index.ts";
import { VaultError, VaultLockedError } from "./errors.ts";
import { type DataKey, fileKeyId, openEntry, openPlainEntry, plainEntry, sealEntry } from "./file-format.ts";

/** Encrypted key/value files under /persist/vault; the API other components use. */
export interface VaultStore {
  put(name: string, data: Uint8Array): Promise<void>;
  /** undefined when there is no entry of that name. */
  get(name: string): Promise<Uint8Array | undefined>;
  /** false when there was no entry of that name. */
  delete(name: string): Promise<boolean>;
  /** Logical names, sorted. */
  list(): Promise<string[]>;
}

export type StoreAccess = { mode: "encrypted"; key: DataKey } | { mode: "plaintext" } | { mode: "locked"; reason: string };

const SUFFIX = ".vault";
// Names are identifiers chosen by code ("controller-certs"), not user data;
// keeping them filesystem-safe lets one file name map to one entry, and the
// leading character rule keeps them apart from atomic-write temp files.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkName(name: string): void {
  if (!NAME.test(name)) throw new VaultError("vault.name-invalid", `invalid vault entry name ${JSON.stringify(name).slice(0, 80)}`);
}

/**
 * A directory of entry files (see file-format.ts). `access` is asked on every
 * call, so an entry is never readable or writable while the vault is locked.
 */
export class DirVaultStore implements VaultStore {
  constructor(
    readonly dir: string,
    private readonly access: () => StoreAccess,
  ) {}

  private file(name: string): string {
    return join(this.dir, name + SUFFIX);
  }

  private open(): Exclude<StoreAccess, { mode: "locked" }> {
    const a = this.access();
    if (a.mode === "locked") throw new VaultLockedError(a.reason);
    return a;
  }

  async put(name: string, data: Uint8Array): Promise<void> {
    checkName(name);
    const a = this.open();
    const bytes = a.mode === "encrypted" ? await sealEntry(name, data, a.key) : plainEntry(name, data);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(this.file(name), bytes);
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    checkName(name);
    const a = this.open();
    const file = this.file(name);
    const bytes = readFileIfExists(file);
    if (bytes === undefined) return undefined;
    return a.mode === "encrypted" ? openEntry(bytes, file, name, a.key) : openPlainEntry(bytes, file, name);
  }

  async delete(name: string): Promise<boolean> {
    checkName(name);
    this.open();
    const file = this.file(name);
    if (readFileIfExists(file) === undefined) return false;
    removeFile(file);
    return true;
  }

  async list(): Promise<string[]> {
    this.open();
    return this.names();
  }

  private names(): string[] {
    let entries: string[];
    try {
      entries = readdirSync(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new VaultError("vault.state", `cannot list ${this.dir}`, { cause: e });
    }
    return entries
      .filter((f) => f.endsWith(SUFFIX))
      .map((f) => f.slice(0, -SUFFIX.length))
      .filter((n) => NAME.test(n))
      .sort();
  }

  /** For the manager, also while locked: whether any entry exists (data a new key would orphan). */
  hasEntries(): boolean {
    return this.names().length > 0;
  }

  /** For the manager, also while locked: the key ids entries claim, read from headers only. */
  keyIds(): Set<string> {
    const ids = new Set<string>();
    for (const n of this.names()) {
      const bytes = readFileIfExists(this.file(n));
      const id = bytes && fileKeyId(bytes, this.file(n), n);
      if (id) ids.add(id);
    }
    return ids;
  }

  /** Destroys every entry and leftover temp file (vault clean). */
  wipe(): number {
    let entries: string[];
    try {
      entries = readdirSync(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw new VaultError("vault.state", `cannot list ${this.dir}`, { cause: e });
    }
    for (const f of entries) rmSync(join(this.dir, f), { recursive: true, force: true });
    // Make the removals durable before a new key is sealed, so a crash cannot
    // bring back entries of the destroyed key next to the new one.
    const fd = openSync(this.dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return entries.length;
  }
}
