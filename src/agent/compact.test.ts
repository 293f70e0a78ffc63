import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { cleanReadOnlyFileMappings, pageOutBootCode, readOnlyFileMappings, unmapIdleCode } from "./compact.ts";

const MAPS = [
  "00200000-01a39000 r--p 00000000 08:01 1234 /usr/bin/edge-agent",
  "01a40000-0684a000 r-xp 01838000 08:01 1234 /usr/bin/edge-agent",
  "06867000-06cc2000 rw-p 0665e000 08:01 1234 /usr/bin/edge-agent",
  "7f0000000000-7f0000100000 rw-p 00000000 00:00 0 ",
  "7f0000200000-7f0000201000 r--p 00000000 00:00 0 ",
  "7f0000300000-7f0000400000 r-xp 00000000 08:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6",
  "7f0000500000-7f0000501000 r--s 00000000 08:01 77 /dev/shm/x",
  "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]",
].join("\n");

describe("readOnlyFileMappings", () => {
  test("takes private read-only and executable file mappings only: never writable, anonymous or shared memory", () => {
    expect(readOnlyFileMappings(MAPS)).toEqual([
      { start: 0x200000, length: 0x1a39000 - 0x200000 },
      { start: 0x1a40000, length: 0x684a000 - 0x1a40000 },
      { start: 0x7f0000300000, length: 0x100000 },
    ]);
  });
});

describe("pageOutBootCode", () => {
  test("advises this process's own code mappings and the process keeps running them", () => {
    const own = readOnlyFileMappings(readFileSync("/proc/self/maps", "utf8"));
    const c = pageOutBootCode();
    expect(c.mappings).toBe(own.length);
    expect(c.bytes).toBe(own.reduce((n, m) => n + m.length, 0));
    expect(c.refused).toBeUndefined();
    // The code just handed back is read in again on use.
    expect([3, 1, 2].sort()).toEqual([1, 2, 3]);
  });
});

const SMAPS = [
  "00200000-01a39000 r--p 00000000 08:01 1234 /usr/bin/edge-agent",
  "Rss:                1024 kB",
  "Anonymous:             0 kB",
  "01a40000-0684a000 r-xp 01838000 08:01 1234 /usr/bin/edge-agent",
  "Rss:               15000 kB",
  "Anonymous:             0 kB",
  "06840000-06860000 r--p 0665e000 08:01 1234 /usr/bin/edge-agent",
  "Rss:                 128 kB",
  "Anonymous:           128 kB",
  "06867000-06cc2000 rw-p 0665e000 08:01 1234 /usr/bin/edge-agent",
  "Anonymous:             0 kB",
  "7f0000000000-7f0000100000 rw-p 00000000 00:00 0 ",
  "Anonymous:             0 kB",
  "7f0000200000-7f0000201000 r--p 00000000 00:00 0 ",
  "Anonymous:             0 kB",
  "7f0000300000-7f0000400000 r-xp 00000000 08:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6",
  "Anonymous:             0 kB",
  "7f0000500000-7f0000501000 r--s 00000000 08:01 77 /dev/shm/x",
  "Anonymous:             0 kB",
].join("\n");

describe("cleanReadOnlyFileMappings", () => {
  test("takes read-only file mappings without private copies: relocated constants, writable, anonymous and shared memory are left", () => {
    expect(cleanReadOnlyFileMappings(SMAPS)).toEqual([
      { start: 0x200000, length: 0x1a39000 - 0x200000 },
      { start: 0x1a40000, length: 0x684a000 - 0x1a40000 },
      { start: 0x7f0000300000, length: 0x100000 },
    ]);
  });
});

/** Resident kB of these mappings now. */
function residentKb(mappings: { start: number }[]): number {
  const starts = new Set(mappings.map((m) => m.start));
  let kb = 0;
  let counting = false;
  for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    const head = /^([0-9a-f]+)-/.exec(line);
    if (head) counting = starts.has(Number.parseInt(head[1]!, 16));
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && counting) kb += Number(rss[1]);
  }
  return kb;
}

describe("unmapIdleCode", () => {
  test("unmaps this process's clean code mappings, which it then runs again from the page cache", () => {
    const own = cleanReadOnlyFileMappings(readFileSync("/proc/self/smaps", "utf8"));
    expect(own.length).toBeGreaterThan(0);
    const before = residentKb(own);
    const c = unmapIdleCode();
    // Read right away: what the reading itself runs is mapped again, and under a loaded test run the runtime's other
    // threads (GC, JIT) fault some pages back in meanwhile; a call that unmapped nothing would leave all of it.
    expect(residentKb(own)).toBeLessThan(before * 0.75);
    expect(c.refused).toBeUndefined();
    expect(c.mappings).toBeGreaterThan(0);
    // Code unmapped just now maps again on use, and a relocated table kept its relocations.
    expect([3, 1, 2].sort()).toEqual([1, 2, 3]);
    expect(JSON.parse(JSON.stringify({ a: [1, "x"] }))).toEqual({ a: [1, "x"] });
    expect(Buffer.from("ok").toString("base64")).toBe("b2s=");
  });
});
