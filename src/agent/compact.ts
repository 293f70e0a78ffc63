import { dlopen, FFIType } from "bun:ffi";
import { readFileSync } from "node:fs";

/** madvise(2) advice: reclaim these pages now (Linux 5.4). */
const MADV_PAGEOUT = 21;

export interface Compaction {
  /** Read-only file mappings advised. */
  mappings: number;
  /** Their size (not all of it was resident). */
  bytes: number;
  /** Set when the kernel refused the advice (before 5.4: EINVAL), which changes nothing else. */
  refused?: boolean;
}

/**
 * The read-only file mappings of /proc/self/maps (the executable's code and
 * constant data, the libraries'): the only pages handed to MADV_PAGEOUT.
 * Writable or anonymous memory is never touched, so no data can be lost;
 * a reclaimed code page is read back from the file the next time it runs.
 */
export function readOnlyFileMappings(maps: string): { start: number; length: number }[] {
  const out: { start: number; length: number }[] = [];
  for (const line of maps.split("\n")) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (r-[-x]p) [0-9a-f]+ \S+ (\d+)\s+(\/.*)$/.exec(line);
    if (!m || m[4] === "0") continue;
    const start = Number.parseInt(m[1]!, 16);
    out.push({ start, length: Number.parseInt(m[2]!, 16) - start });
  }
  return out;
}

/**
 * Hands the code and constants the boot ran back to the kernel. A boot runs
 * code that an idle agent never runs again (onboarding, key creation,
 * certificate building, the first TLS handshakes): about half of the
 * executable's pages it touched. They stay mapped and resident until memory
 * runs short, and count in the agent's RSS meanwhile. MADV_PAGEOUT reclaims
 * them now (pages another process also maps are left alone by the kernel);
 * what the agent runs later comes back from the page cache or the file, once.
 * Android compacts its cached apps the same way.
 */
export function pageOutBootCode(): Compaction {
  const mappings = readOnlyFileMappings(readFileSync("/proc/self/maps", "utf8"));
  const libc = dlopen("libc.so.6", { madvise: { args: [FFIType.u64, FFIType.u64, FFIType.i32], returns: FFIType.i32 } });
  try {
    let bytes = 0;
    let refused = false;
    for (const { start, length } of mappings) {
      if (libc.symbols.madvise(start, length, MADV_PAGEOUT) !== 0) refused = true;
      bytes += length;
    }
    return { mappings: mappings.length, bytes, ...(refused ? { refused } : {}) };
  } finally {
    libc.close();
  }
}
