import { statfsSync } from "node:fs";
import { KeylimeError } from "./errors.ts";

/** statfs f_type of the filesystems that never reach a disk (linux/magic.h). */
const MEMORY_FS: Record<number, string> = { 16914836: "tmpfs", 2240043254: "ramfs" };

/**
 * Keylime's payload holds secrets (the tenant's key and files): it may only
 * be decrypted where nothing is written to a disk. Throws unless `dir` is on
 * tmpfs or ramfs; returns the filesystem's name.
 */
export function assertMemoryBacked(dir: string): string {
  let type: number;
  try {
    type = Number(statfsSync(dir).type);
  } catch (e) {
    throw new KeylimeError("keylime.payload", `payload directory ${dir} cannot be inspected: ${(e as Error).message}`, { cause: e });
  }
  const fs = MEMORY_FS[type];
  if (!fs)
    throw new KeylimeError("keylime.payload", `payload directory ${dir} is not memory-backed (filesystem type 0x${type.toString(16)}); mount a tmpfs there`);
  return fs;
}
