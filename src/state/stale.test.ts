import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync as mkdtemp, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { createLogger } from "../shared/index.ts";
import { isAtomicTempName, tempPathFor, writeFileAtomic } from "./atomic.ts";
import { type DeviceLayout, deviceLayout } from "./layout.ts";
import { agentStateDirs, removeStaleTempFiles } from "./stale.ts";

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
function mkdtempSync(prefix: string): string {
  const d = mkdtemp(prefix);
  made.push(d);
  return d;
}

function device(): { layout: DeviceLayout; logs: Record<string, unknown>[]; log: ReturnType<typeof createLogger> } {
  const root = mkdtempSync(join(tmpdir(), "ea-stale-"));
  const logs: Record<string, unknown>[] = [];
  return { layout: deviceLayout(root), logs, log: createLogger({ level: "debug", write: (l) => logs.push(JSON.parse(l)) }) };
}

/** What a kill between writeFileAtomic's open and rename leaves: the target's old content plus a torn temp file. */
function interruptedWrite(target: string, old = "old"): string {
  writeFileAtomic(target, old);
  const tmp = tempPathFor(target);
  writeFileSync(tmp, "to");
  return tmp;
}

describe("isAtomicTempName", () => {
  test("accepts the names writeFileAtomic generates", () => {
    for (const f of ["uuid", "global.json", "controllercerts.bak", "YXR0ZXN0OnV1aWQ.json", "config.current.vault", ".hidden"]) {
      expect(isAtomicTempName(basename(tempPathFor(join("/x", f))))).toBe(true);
    }
  });

  test("rejects names that only look similar", () => {
    for (const n of [
      ".uuid.tmp",
      "uuid.0123456789ab.tmp",
      ".uuid.0123456789AB.tmp",
      ".uuid.0123456789a.tmp",
      ".uuid.0123456789abc.tmp",
      ".uuid.0123456789ab.tmp.bak",
      "..0123456789ab.tmp",
      ".0123456789ab.tmp",
      ".uuid.0123456789ab.TMP",
    ]) {
      expect(isAtomicTempName(n)).toBe(false);
    }
  });
});

describe("agentStateDirs", () => {
  test("names each folder the agent writes and nothing above them", () => {
    const { layout } = device();
    const rel = agentStateDirs(layout).map((d) => d.slice(layout.root.length + 1));
    expect(rel).toEqual([
      "config",
      "persist",
      "persist/certs",
      "persist/checkpoint",
      "persist/edge-agent/certs",
      "persist/edge-agent/keys",
      "persist/status",
      "persist/status/edge-agent/info-queue",
      "persist/status/zedclient/OnboardingStatus",
      "persist/vault",
      "run",
      "run/edge-agent",
      "run/edge-agent/keyd",
    ]);
  });
});

describe("removeStaleTempFiles", () => {
  test("removes an interrupted write's temp file in every folder the agent writes and keeps the targets", () => {
    const { layout, logs, log } = device();
    const targets = [
      layout.config.deviceCert,
      layout.config.tpmCredential,
      layout.persist.uuid,
      layout.persist.onboardingStatus,
      layout.persist.sealingPcrs,
      layout.persist.controllerCerts,
      `${layout.persist.lastConfig}.bak`,
      layout.persist.attestCert,
      join(layout.persist.vaultDir, "config.current.vault"),
      join(layout.persist.infoQueue, "YXR0ZXN0.json"),
      layout.run.integrityToken,
      layout.run.serviceKeyHandle,
    ];
    const temps = targets.map((t) => interruptedWrite(t));
    const removed = removeStaleTempFiles(layout, log);
    expect(removed.sort()).toEqual(temps.sort());
    for (const t of temps) expect(existsSync(t)).toBe(false);
    for (const t of targets) expect(readFileSync(t, "utf8")).toBe("old");
    const warn = logs.filter((l) => l.msg === "removed temp files left by an interrupted write");
    expect(warn).toHaveLength(1);
    expect((warn[0]!.files as string[]).sort()).toEqual(temps.map((t) => t.slice(layout.root.length + 1)).sort());
  });

  test("returns nothing and logs nothing on a clean device or one with no folders yet", () => {
    const { layout, logs, log } = device();
    expect(removeStaleTempFiles(layout, log)).toEqual([]);
    writeFileAtomic(layout.persist.uuid, "u");
    writeFileAtomic(layout.config.deviceCert, "c");
    expect(removeStaleTempFiles(layout, log)).toEqual([]);
    expect(logs).toEqual([]);
  });

  test("leaves files whose names differ from the temp pattern, directories and symlinks", () => {
    const { layout, log } = device();
    const status = dirname(layout.persist.uuid);
    mkdirSync(status, { recursive: true });
    const outside = mkdtempSync(join(tmpdir(), "ea-stale-outside-"));
    const victim = join(outside, "victim");
    writeFileSync(victim, "not ours");
    const keep = [".uuid.tmp", "uuid.0123456789ab.tmp", ".uuid.0123456789AB.tmp", ".uuid.0123456789ab.tmp.bak", "uuid", ".uuid.0123456789ab"];
    for (const n of keep) writeFileSync(join(status, n), "x");
    mkdirSync(join(status, ".dir.0123456789ab.tmp"));
    writeFileSync(join(status, ".dir.0123456789ab.tmp", "inner"), "x");
    symlinkSync(victim, join(status, ".link.0123456789ab.tmp"));
    symlinkSync(outside, join(status, ".dirlink.0123456789ab.tmp"));

    expect(removeStaleTempFiles(layout, log)).toEqual([]);
    expect(readdirSync(status).sort()).toEqual([...keep, ".dir.0123456789ab.tmp", ".link.0123456789ab.tmp", ".dirlink.0123456789ab.tmp"].sort());
    expect(readFileSync(victim, "utf8")).toBe("not ours");
  });

  test("does not look into other folders, subfolders of the agent's folders or the device root", () => {
    const { layout, log } = device();
    const elsewhere = [
      join(layout.root, ".agent.toml.0123456789ab.tmp"),
      join(layout.persist.dir, "containerd", ".meta.0123456789ab.tmp"),
      join(layout.persist.vaultDir, "volumes", ".disk.0123456789ab.tmp"),
      join(layout.persist.dir, "status", "zedclient", ".x.0123456789ab.tmp"),
    ];
    for (const f of elsewhere) {
      mkdirSync(dirname(f), { recursive: true });
      writeFileSync(f, "x");
    }
    expect(removeStaleTempFiles(layout, log)).toEqual([]);
    for (const f of elsewhere) expect(existsSync(f)).toBe(true);
  });

  test("never removes through a symlinked folder, at the folder itself or above it", () => {
    const { layout, log } = device();
    const outside = mkdtempSync(join(tmpdir(), "ea-stale-outside-"));
    // persist/vault -> outside: the agent's folder name, someone else's files.
    mkdirSync(layout.persist.dir, { recursive: true });
    const vaultTemp = join(outside, ".entry.vault.0123456789ab.tmp");
    writeFileSync(vaultTemp, "x");
    symlinkSync(outside, layout.persist.vaultDir);
    // persist/status/zedclient -> outside2, which holds OnboardingStatus/.
    const outside2 = mkdtempSync(join(tmpdir(), "ea-stale-outside-"));
    mkdirSync(join(outside2, "OnboardingStatus"));
    const onbTemp = join(outside2, "OnboardingStatus", ".global.json.0123456789ab.tmp");
    writeFileSync(onbTemp, "x");
    mkdirSync(join(layout.persist.dir, "status"));
    symlinkSync(outside2, join(layout.persist.dir, "status", "zedclient"));
    // A real folder next to them is still swept.
    const real = interruptedWrite(layout.persist.controllerCerts);

    expect(removeStaleTempFiles(layout, log)).toEqual([real]);
    expect(existsSync(vaultTemp)).toBe(true);
    expect(existsSync(onbTemp)).toBe(true);
  });

  test("skips an agent folder that is a file and carries on with the rest", () => {
    const { layout, log } = device();
    mkdirSync(dirname(layout.persist.vaultDir), { recursive: true });
    writeFileSync(layout.persist.vaultDir, "not a folder");
    const t = interruptedWrite(layout.persist.uuid);
    expect(removeStaleTempFiles(layout, log)).toEqual([t]);
    expect(readFileSync(layout.persist.vaultDir, "utf8")).toBe("not a folder");
  });
});
