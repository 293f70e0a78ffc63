import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { pageOutBootCode, readOnlyFileMappings } from "./compact.ts";

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
