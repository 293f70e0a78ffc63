import { dlopen, FFIType } from "bun:ffi";
import { readFileSync } from "node:fs";

/** madvise(2) advice: reclaim these pages now (Linux 5.4). */
const MADV_PAGEOUT = 21;
/** madvise(2) advice: unmap these pages; file pages stay in the page cache. */
const MADV_DONTNEED = 4;

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
    const m = readOnlyFileMapping(line);
    if (m) out.push(m);
  }
  return out;
}

const MAPPING_LINE = /^([0-9a-f]+)-([0-9a-f]+) (\S+) [0-9a-f]+ \S+ (\d+)\s*(.*)$/;

/**
 * The range of one maps/smaps header line when it is a private read-only
 * mapping of a file (r--p or r-xp, a non-zero inode, a path), else
 * undefined; also undefined for a line that is no mapping header.
 */
function readOnlyFileMapping(line: string): { start: number; length: number } | undefined {
  const m = MAPPING_LINE.exec(line);
  if (!m || !/^r-[-x]p$/.test(m[3]!) || m[4] === "0" || !m[5]!.startsWith("/")) return undefined;
  const start = Number.parseInt(m[1]!, 16);
  return { start, length: Number.parseInt(m[2]!, 16) - start };
}

/**
 * The read-only file mappings of /proc/self/smaps that hold no private copy
 * of any page (`Anonymous: 0 kB`): every resident page of them is the file's
 * page-cache page itself, so unmapping one loses nothing and the next access
 * maps the same page again. A read-only mapping with private copies (a
 * library's relocated constants, written before they were made read-only) is
 * left out: MADV_DONTNEED would throw the relocations away.
 */
export function cleanReadOnlyFileMappings(smaps: string): { start: number; length: number }[] {
  const out: { start: number; length: number }[] = [];
  let current: { start: number; length: number } | undefined;
  for (const line of smaps.split("\n")) {
    if (MAPPING_LINE.test(line)) {
      current = readOnlyFileMapping(line);
      continue;
    }
    const anon = /^Anonymous:\s+(\d+) kB/.exec(line);
    if (anon && current) {
      if (anon[1] === "0") out.push(current);
      current = undefined;
    }
  }
  return out;
}

/**
 * Unmaps the code and constants that periodic work (a config poll, an info
 * report) read in: ~15 MB of the executable per poll (TLS, the envelope, the
 * TPM's signature, the JIT compiling what became hot), which would otherwise
 * stay mapped, and counted in the agent's RSS, until memory runs short. Unlike
 * the boot's page-out this keeps them in the page cache: the next poll runs
 * the same code and maps it again with minor faults, without reading the
 * executable from storage every minute; the kernel still reclaims them first
 * when memory is short, being clean and mapped by no one.
 */
export function unmapIdleCode(): Compaction {
  return advise(cleanReadOnlyFileMappings(readFileSync("/proc/self/smaps", "utf8")), MADV_DONTNEED);
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
  return advise(readOnlyFileMappings(readFileSync("/proc/self/maps", "utf8")), MADV_PAGEOUT);
}

/**
 * Opened on first use and kept: the settle runs after every poll and report,
 * and each dlopen through bun:ffi compiles its call stubs again.
 */
let madvise: ((start: number, length: number, advice: number) => number) | undefined;

function advise(mappings: { start: number; length: number }[], advice: number): Compaction {
  madvise ??= dlopen("libc.so.6", { madvise: { args: [FFIType.u64, FFIType.u64, FFIType.i32], returns: FFIType.i32 } }).symbols.madvise;
  let bytes = 0;
  let refused = false;
  for (const { start, length } of mappings) {
    if (madvise(start, length, advice) !== 0) refused = true;
    bytes += length;
  }
  return { mappings: mappings.length, bytes, ...(refused ? { refused } : {}) };
}
