import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { assertMemoryBacked } from "./payload-dir.ts";

test("the payload directory must be on tmpfs or ramfs, as stat -f reports it", () => {
  const shm = mkdtempSync(join("/dev/shm", "edge-agent-payload-"));
  // The work tree is on a disk (.tmp/ is ignored by git).
  const tmp = join(import.meta.dir, "..", "..", ".tmp");
  mkdirSync(tmp, { recursive: true });
  const disk = mkdtempSync(join(tmp, "payload-"));
  try {
    const fstype = (p: string) => spawnSync("stat", ["-f", "-c", "%T", p], { encoding: "utf8" }).stdout.trim();
    expect(fstype(shm)).toBe("tmpfs");
    expect(assertMemoryBacked(shm)).toBe("tmpfs");
    expect(fstype(disk)).not.toMatch(/^(tmpfs|ramfs)$/);
    expect(() => assertMemoryBacked(disk)).toThrow(/not memory-backed/);
    expect(() => assertMemoryBacked(join(disk, "missing"))).toThrow(/cannot be inspected/);
  } finally {
    rmSync(shm, { recursive: true, force: true });
    rmSync(disk, { recursive: true, force: true });
  }
});
