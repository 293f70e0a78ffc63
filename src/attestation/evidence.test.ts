import { afterAll, describe, expect, test } from "bun:test";
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { gzippedEventLog, MAX_RAW_EVENT_LOG } from "./evidence.ts";

const dir = mkdtempSync(join(tmpdir(), "ea-evlog-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gzippedEventLog", () => {
  test("gzips a log of exactly the size limit", () => {
    const f = join(dir, "at-limit");
    const raw = new Uint8Array(MAX_RAW_EVENT_LOG).map((_, i) => i & 0xff);
    writeFileSync(f, raw);
    const out = gzippedEventLog(f);
    expect(out.skipped).toBeUndefined();
    expect(Buffer.from(gunzipSync(out.gz!)).equals(Buffer.from(raw))).toBe(true);
  });

  test("skips a log one byte over the limit", () => {
    const f = join(dir, "over");
    writeFileSync(f, new Uint8Array(MAX_RAW_EVENT_LOG + 1));
    expect(gzippedEventLog(f).skipped).toBe(`event log of ${MAX_RAW_EVENT_LOG + 1} bytes exceeds ${MAX_RAW_EVENT_LOG}`);
  });

  test("skips an 8 GiB file by its size without reading it", () => {
    // Sparse: takes no disk, but reading it whole would need 8 GiB of memory
    // (a whole-file read fails with ENOMEM).
    const f = join(dir, "huge");
    const fd = openSync(f, "w");
    ftruncateSync(fd, 8 * 1024 ** 3);
    closeSync(fd);
    expect(gzippedEventLog(f).skipped).toBe(`event log of ${8 * 1024 ** 3} bytes exceeds ${MAX_RAW_EVENT_LOG}`);
  });

  test("stops reading one byte past the limit when the file reports size 0 and never ends", () => {
    // /dev/zero stands in for securityfs, whose files also report size 0.
    expect(gzippedEventLog("/dev/zero").skipped).toBe(`event log exceeds ${MAX_RAW_EVENT_LOG} bytes`);
  });

  test("reports a missing log as skipped", () => {
    expect(gzippedEventLog(join(dir, "absent")).skipped).toContain("no event log");
  });

  test("reports a directory as unreadable instead of throwing", () => {
    expect(gzippedEventLog(dir).skipped).toMatch(/cannot be read/);
  });
});
