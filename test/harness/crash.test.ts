import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findAtomicTempFiles, LogTail, tpmResidue } from "./crash.ts";
import { startSwtpm } from "./swtpm.ts";

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), "ea-crash-harness-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("LogTail", () => {
  test("reads only lines appended after its offset, across partial writes and non-JSON output", () => {
    const f = join(dir(), "agent.log");
    writeFileSync(f, `${JSON.stringify({ msg: "earlier boot" })}\n`);
    const tail = new LogTail(f);
    appendFileSync(f, `${JSON.stringify({ msg: "sealing vault key", pcrs: "0,1" })}\n{"msg":"half`);
    expect(tail.poll().map((l) => l.msg)).toEqual(["sealing vault key"]);
    appendFileSync(f, ` done"}\npanic: not json\n`);
    expect(tail.poll().map((l) => l.msg)).toEqual(["half done", "panic: not json"]);
    expect(tail.find("earlier boot")).toEqual([]);
    expect(tail.find("sealing vault key")[0]!.pcrs).toBe("0,1");
  });

  test("waits for a message, and gives up when told to stop", async () => {
    const f = join(dir(), "agent.log");
    const tail = new LogTail(f);
    setTimeout(() => appendFileSync(f, `${JSON.stringify({ msg: "config applied" })}\n`), 50);
    expect((await tail.waitForMsg("config applied", 5000))?.msg).toBe("config applied");
    expect(await tail.waitForMsg("never", 5000, () => true)).toBeUndefined();
  });
});

describe("findAtomicTempFiles", () => {
  test("finds temp-file names at any depth without following symlinks", () => {
    const root = dir();
    const outside = dir();
    writeFileSync(join(outside, ".x.0123456789ab.tmp"), "");
    mkdirSync(join(root, "persist/status/zedclient/OnboardingStatus"), { recursive: true });
    writeFileSync(join(root, "persist/status/zedclient/OnboardingStatus/.global.json.a1b2c3d4e5f6.tmp"), "");
    writeFileSync(join(root, "persist/status/.uuid.tmp"), "");
    writeFileSync(join(root, ".agent.toml.0123456789ab.tmp"), "");
    symlinkSync(outside, join(root, "persist/linked"));
    expect(findAtomicTempFiles(root)).toEqual([".agent.toml.0123456789ab.tmp", "persist/status/zedclient/OnboardingStatus/.global.json.a1b2c3d4e5f6.tmp"]);
  });
});

describe("tpmResidue", () => {
  test("reports a transient object a client left in swtpm, and nothing once it is flushed", async () => {
    const sw = await startSwtpm();
    try {
      expect(tpmResidue(sw)).toEqual({ transient: [], sessions: [] });
      sw.tool(["tpm2_createprimary", "-C", "o", "-c", join(dir(), "primary.ctx")]);
      expect(tpmResidue(sw).transient).toHaveLength(1);
      sw.flushTools();
      expect(tpmResidue(sw)).toEqual({ transient: [], sessions: [] });
    } finally {
      await sw.stop();
    }
  });
});
