import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, unlinkSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { errorChain, type Logger } from "../shared/index.ts";
import { isAtomicTempName } from "./atomic.ts";
import type { DeviceLayout } from "./layout.ts";

/** Layout entries that name a directory; every other entry names a file. */
const DIR_ENTRIES = new Set(["dir", "certsDir", "vaultDir", "infoQueue"]);

/**
 * Every directory the agent writes with writeFileAtomic, derived from the
 * layout so a file added there is covered without touching this list. Only
 * these directories, never their subtrees: /persist also holds other
 * components' data (and on EVE application volumes) that is none of ours.
 */
export function agentStateDirs(layout: DeviceLayout): string[] {
  const dirs = new Set<string>();
  for (const section of [layout.config, layout.persist, layout.run]) {
    for (const [name, path] of Object.entries(section)) dirs.add(DIR_ENTRIES.has(name) ? path : dirname(path));
  }
  return [...dirs].sort();
}

/**
 * False when `dir` or any directory between the device root and it is a
 * symlink (or not a directory): removing through a link could delete files
 * somewhere the agent does not own.
 */
function reachableWithoutLinks(root: string, dir: string): boolean {
  const rel = relative(root, dir);
  if (rel === "" || rel.startsWith("..")) return false;
  let cur = root;
  for (const part of rel.split(sep)) {
    cur = join(cur, part);
    const st = lstatSync(cur, { throwIfNoEntry: false });
    if (!st || !st.isDirectory()) return false;
  }
  return true;
}

function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes temp files that writeFileAtomic left when the process died between
 * creating and renaming them (kill -9, power loss). The target file still
 * holds its previous content, so the temp file is only litter.
 *
 * Safe only while no other agent runs on this device root: writeFileAtomic
 * is synchronous, so inside this process no temp file outlives the call that
 * made it, but another process could be mid-write. main.ts calls this after
 * taking the single-instance lock.
 *
 * Only regular files whose name is exactly writeFileAtomic's pattern are
 * removed, only in the agent's own directories, never through a symlink.
 * Never throws: a file it cannot remove is logged and left. Returns the
 * removed paths.
 */
export function removeStaleTempFiles(layout: DeviceLayout, log: Logger): string[] {
  const removed: string[] = [];
  for (const dir of agentStateDirs(layout)) {
    let names: string[];
    try {
      if (!reachableWithoutLinks(layout.root, dir)) continue;
      names = readdirSync(dir);
    } catch (e) {
      log.warn("cannot look for stale temp files", { dir, error: errorChain(e) });
      continue;
    }
    let changed = false;
    for (const name of names) {
      if (!isAtomicTempName(name)) continue;
      const path = join(dir, name);
      try {
        if (!lstatSync(path).isFile()) continue;
        unlinkSync(path);
        removed.push(path);
        changed = true;
      } catch (e) {
        log.warn("cannot remove stale temp file", { file: path, error: errorChain(e) });
      }
    }
    if (changed) {
      try {
        syncDir(dir);
      } catch {
        // The removal stands either way; at worst the litter reappears after a power cut and goes next start.
      }
    }
  }
  if (removed.length > 0) log.warn("removed temp files left by an interrupted write", { files: removed.map((p) => relative(layout.root, p)) });
  return removed;
}
