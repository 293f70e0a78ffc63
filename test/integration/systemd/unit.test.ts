/**
 * images/edge-agent.service as systemd reads it, and the agent's side of the
 * Type=notify contract. No systemd runs PID 1 here, so the unit is checked
 * with `systemd-analyze verify` and `systemd-analyze security --offline`, and
 * the notify protocol with a listener standing in for systemd's socket while
 * the real agent process runs with NOTIFY_SOCKET and WATCHDOG_USEC set.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig, statusSocketPath } from "../../../src/config/index.ts";
import { type AgentProcess, startAgent } from "../../harness/agent.ts";
import { type NotifyListener, startNotifyListener } from "../../harness/notify-listener.ts";
import { run } from "../../harness/proc.ts";

const REPO = resolve(import.meta.dir, "../../..");
const UNIT = join(REPO, "images/edge-agent.service");
/** systemd-analyze security's scale: 0 (locked down) to 10 (exposed); below 2 it says "OK". */
const MAX_EXPOSURE = 2.0;

const work = mkdtempSync(join(tmpdir(), "edge-agent-systemd-"));
let agent: AgentProcess | undefined;
let listener: NotifyListener | undefined;
afterAll(async () => {
  await agent?.stop(true);
  await listener?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function ensureSystemdAnalyze(): Promise<void> {
  if ((await run(["sh", "-c", "command -v systemd-analyze"])).code === 0) return;
  if (process.getuid?.() !== 0) throw new Error("systemd unit test needs systemd-analyze: apt-get install systemd");
  const r = await run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "systemd"], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    timeoutMs: 300_000,
  });
  if (r.code !== 0) throw new Error(`apt-get install systemd failed: ${r.stderr.slice(-2000)}`);
}

/** The unit with ExecStart pointing at an executable that exists here (verify checks it); nothing else changed. */
function unitCopy(): string {
  const dir = join(work, "unit");
  const bin = join(work, "edge-agent");
  writeFileSync(bin, "#!/bin/sh\n");
  chmodSync(bin, 0o755);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "edge-agent.service");
  writeFileSync(path, readFileSync(UNIT, "utf8").replaceAll("/usr/local/bin/edge-agent", bin));
  return path;
}

function directives(unit: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of unit.split("\n")) {
    const d = line.match(/^([A-Za-z]+)=(.*)$/);
    if (d) m.set(d[1]!, [...(m.get(d[1]!) ?? []), d[2]!]);
  }
  return m;
}

describe("systemd unit", () => {
  test("systemd-analyze verify accepts it, and the exposure score is low", async () => {
    await ensureSystemdAnalyze();
    const unit = unitCopy();
    const v = await run(["systemd-analyze", "verify", "--man=no", unit], { timeoutMs: 60_000 });
    expect(`${v.code} ${v.stderr}${v.stdout}`.trim()).toBe("0");
    const s = await run(["systemd-analyze", "security", "--offline=yes", "--no-pager", unit], { timeoutMs: 60_000 });
    const score = Number(s.stdout.match(/Overall exposure level for \S+: ([\d.]+)/)?.[1]);
    console.log(`systemd-analyze security: ${s.stdout.match(/Overall exposure level.*/)?.[0]}`);
    expect(Number.isFinite(score)).toBe(true);
    expect(score).toBeLessThan(MAX_EXPOSURE);
  });

  test("the directives the device needs: notify, dedicated user in tss, only /dev/tpmrm0, strict, a stop timeout the agent meets", () => {
    const d = directives(readFileSync(UNIT, "utf8"));
    expect(d.get("Type")).toEqual(["notify"]);
    // What `run` would otherwise re-exec itself to set (src/cli.ts RUNTIME_ENV).
    expect(d.get("Environment")).toEqual(["BUN_GC_TIMER_INTERVAL=30000"]);
    expect(d.get("User")).toEqual(["edge-agent"]);
    expect(d.get("SupplementaryGroups")).toEqual(["tss"]);
    expect(d.get("DevicePolicy")).toEqual(["closed"]);
    expect(d.get("DeviceAllow")).toEqual(["/dev/tpmrm0 rw"]);
    expect(d.get("ProtectSystem")).toEqual(["strict"]);
    expect(d.get("NoNewPrivileges")).toEqual(["yes"]);
    expect(d.get("CapabilityBoundingSet")).toEqual([""]);
    expect(d.get("StateDirectory")).toEqual(["edge-agent"]);
    expect(d.get("RuntimeDirectory")).toEqual(["edge-agent"]);
    expect(Number(d.get("WatchdogSec")?.[0])).toBeGreaterThan(0);
    // The agent's own shutdown grace (src/cli.ts) is 4.5 s.
    expect(Number(d.get("TimeoutStopSec")?.[0])).toBeGreaterThan(4.5);
    const sysusers = readFileSync(join(REPO, "images/edge-agent.sysusers"), "utf8");
    expect(sysusers).toMatch(/^m edge-agent tss$/m);
  });

  test("the unit's agent.toml puts the state in StateDirectory and the socket in RuntimeDirectory", () => {
    const cfg = loadConfig({ file: join(REPO, "images/edge-agent.systemd.toml") });
    expect(cfg.root).toBe("/var/lib/edge-agent");
    expect(statusSocketPath(cfg)).toBe("/run/edge-agent/agent-status.sock");
  });

  test("the agent says READY=1 once its status socket is up, pings the watchdog, and says STOPPING=1 on SIGTERM", async () => {
    const notify = join(work, "notify.sock");
    const root = join(work, "root");
    const socket = join(root, "run", "edge-agent", "status.sock");
    listener = await startNotifyListener(notify, socket);
    // 400 ms watchdog: pings every 200 ms. The device has no controller; the status socket comes up anyway.
    agent = startAgent({ root, env: { NOTIFY_SOCKET: notify, WATCHDOG_USEC: "400000" }, toml: `[tpm]\nmode = "off"\n` });
    const ready = await listener.next(30_000);
    expect(ready.data.split("\n")).toContain("READY=1");
    expect(ready.watchExisted).toBe(true);
    expect(await agent.status()).toBeDefined();
    const pings = [await listener.next(5_000), await listener.next(5_000), await listener.next(5_000)];
    expect(pings.map((p) => p.data)).toEqual(["WATCHDOG=1", "WATCHDOG=1", "WATCHDOG=1"]);
    const code = await agent.stop();
    expect(code).toBe(0);
    const rest = listener.received.slice(4).map((n) => n.data);
    expect(rest.at(-1)).toBe("STOPPING=1");
  });
});
