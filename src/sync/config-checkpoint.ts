import type { SigningCert } from "../protocol/index.ts";
import { errorChain } from "../shared/index.ts";
import { readFileIfExists, refreshCheckpointBackup, writeCheckpoint } from "../state/index.ts";
import { type OpenedConfig, openConfigEnvelope } from "./config-envelope.ts";

export type CheckpointCopy = "primary" | "backup";

export type CheckpointLoad =
  | { kind: "used"; opened: OpenedConfig; from: CheckpointCopy; skipped?: string }
  | { kind: "none" }
  | { kind: "refused"; reason: string };

/** EVE's timer.test.baseimage.update default: how long a config must run before it becomes the fallback. */
export const DEFAULT_BACKUP_AFTER_MS = 600_000;

/**
 * /persist/checkpoint/lastconfig and its .bak, holding the full AuthContainer
 * of the last applied config so it can be re-verified on an offline boot.
 *
 * `.bak` is meant to hold a config the device has survived. It is written
 * with the first save ever, and afterwards copied from the primary only once
 * the current primary has been in place for `backupAfterMs` of this process's
 * life. A config that makes the agent crash sooner never reaches `.bak`; a
 * restart simply re-saves and restarts the clock. The poll loop calls
 * `refreshBackupIfSettled` after each poll, so no timer of its own is needed.
 */
export class ConfigCheckpoint {
  private savedAt: number | undefined;

  constructor(
    readonly path: string,
    private readonly backupAfterMs = DEFAULT_BACKUP_AFTER_MS,
  ) {}

  save(envelope: Uint8Array, now: Date): void {
    writeCheckpoint(this.path, envelope);
    this.savedAt = now.getTime();
  }

  /** Copies the primary over .bak once it has settled; true when it did. */
  refreshBackupIfSettled(now: Date): boolean {
    if (this.savedAt === undefined || now.getTime() - this.savedAt < this.backupAfterMs) return false;
    refreshCheckpointBackup(this.path);
    this.savedAt = undefined;
    return true;
  }

  /**
   * Reads the checkpoint and re-verifies it with the signing cert held now.
   * A copy that fails is skipped with its reason; `preferBackup` (after a
   * crash-type reboot) tries .bak first, as EVE does.
   */
  async load(signing: SigningCert, preferBackup = false): Promise<CheckpointLoad> {
    const copies: [CheckpointCopy, string][] = [
      ["primary", this.path],
      ["backup", `${this.path}.bak`],
    ];
    if (preferBackup) copies.reverse();
    const problems: string[] = [];
    for (const [which, path] of copies) {
      let bytes: Uint8Array | undefined;
      try {
        bytes = readFileIfExists(path);
      } catch (e) {
        problems.push(`${which}: ${errorChain(e)}`);
        continue;
      }
      if (bytes === undefined) continue;
      try {
        const opened = await openConfigEnvelope(bytes, signing);
        return { kind: "used", opened, from: which, ...(problems.length ? { skipped: problems.join("; ") } : {}) };
      } catch (e) {
        problems.push(`${which}: ${errorChain(e)}`);
      }
    }
    return problems.length ? { kind: "refused", reason: problems.join("; ") } : { kind: "none" };
  }
}
