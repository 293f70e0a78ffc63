import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceEvidence } from "./device.ts";

const dir = mkdtempSync(join(tmpdir(), "edge-agent-push-device-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("device evidence for the push verifier", () => {
  test("boot time is /proc/stat's btime", () => {
    const stat = join(dir, "stat");
    writeFileSync(stat, "cpu  1 2 3\nintr 5\nctxt 9\nbtime 1796000646\nprocesses 7\n");
    expect(deviceEvidence(undefined, stat).bootTime().toISOString()).toBe(new Date(1796000646 * 1000).toISOString());
  });

  test("the UEFI log is the file's bytes; absent, empty or unset means none is offered", async () => {
    const log = join(dir, "binary_bios_measurements");
    writeFileSync(log, Buffer.from([0, 1, 2, 3]));
    expect([...(await deviceEvidence(log).uefiLog())!]).toEqual([0, 1, 2, 3]);
    expect(await deviceEvidence(join(dir, "missing")).uefiLog()).toBeUndefined();
    writeFileSync(join(dir, "empty"), "");
    expect(await deviceEvidence(join(dir, "empty")).uefiLog()).toBeUndefined();
    expect(await deviceEvidence(undefined).uefiLog()).toBeUndefined();
  });
});
