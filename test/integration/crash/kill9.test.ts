import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createPublicKey, randomBytes, X509Certificate } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EsysTpm } from "../../../native/tss2/index.ts";
import { parseCertificatesPem } from "../../../src/pki/index.ts";
import { codec } from "../../../src/protocol/index.ts";
import { tempPathFor } from "../../../src/state/atomic.ts";
import { type DeviceLayout, deviceLayout } from "../../../src/state/index.ts";
import { openTpm } from "../../../src/tpm/index.ts";
import { VaultManager } from "../../../src/vault/index.ts";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { type AgentProcess, startAgent } from "../../harness/agent.ts";
import { findAtomicTempFiles, LogTail, seededRandom, tpmResidue } from "../../harness/crash.ts";
import { removeTempRoots, tempRoot, writeDeviceConfig } from "../../harness/device.ts";
import { parseEventLog, replayIntoTpm } from "../../harness/eventlog.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { type Swtpm, startSwtpm } from "../../harness/swtpm.ts";
import { EVENT_LOG, trusted } from "../trusted-boot/fixture.ts";

/**
 * kill -9 at random instants and at logged risky steps of first and second
 * boots, then a restart that must reach the trusted state with the same
 * identity, a readable vault, no temp files and no TPM handles left over.
 *
 * Each device gives two runs: its first boot killed, restarted and checked,
 * then a second boot (every other one after a PCR 14 change, so the vault key
 * is recovered from the escrow and re-sealed) killed, restarted and checked.
 * EDGE_AGENT_KILL_RUNS sets the number of runs (default 20),
 * EDGE_AGENT_KILL_PARALLEL how many devices run at once (default 2),
 * EDGE_AGENT_KILL_SEED the random seed (printed with the summary).
 */

const intEnv = (name: string, dflt: number) => {
  const v = process.env[name];
  const n = v === undefined || v === "" ? dflt : Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${v}`);
  return n;
};
const RUNS = intEnv("EDGE_AGENT_KILL_RUNS", 20);
const PARALLEL = intEnv("EDGE_AGENT_KILL_PARALLEL", 2);
const SEED = intEnv("EDGE_AGENT_KILL_SEED", 1 + Math.floor(Math.random() * 2 ** 30));

// Log lines the agent writes at (or right before) each step that persists
// something a crash could tear. In the order a first boot reaches them.
const FIRST_BOOT_STEPS = [
  "device certificate created",
  "controller certs checkpointed",
  "persisting onboarding result",
  "sealing vault key",
  "new vault key sealed",
  "quote accepted; integrity token received", // the escrow request follows at once
  "vault key escrowed with the controller",
  "config applied", // after the config checkpoint write, before the config goes into the vault
];
const SECOND_BOOT_STEPS = [
  "persisting onboarding result",
  "sealing vault key",
  "quote accepted; integrity token received",
  "vault key escrowed with the controller",
  "config applied",
];
// A second boot reaches "sealing vault key" only after a PCR change (re-seal with the escrowed key).
const NEEDS_PCR_CHANGE = new Set(["sealing vault key"]);

/**
 * Random kills fall within about one boot's length, so they hit start-up
 * rather than the steady state: the median time restarts here took to reach
 * trusted (3 s until the first one is measured).
 */
const restartTimes: number[] = [];
function randomWindowMs(): number {
  if (restartTimes.length === 0) return 3000;
  return [...restartTimes].sort((a, b) => a - b)[restartTimes.length >> 1]!;
}

/** A logged step, or a fraction of the random window (drawn up front so a seed replays it). */
type KillAt = { step: string } | { fraction: number };
type BootKind = "first" | "second";
interface Plan {
  run: number;
  boot: BootKind;
  pcrChange: boolean;
  at: KillAt;
}
interface RunResult {
  plan: Plan;
  /** The last risky step logged before the kill (the kill point reached). */
  lastStep?: string;
  killedAfterMs: number;
  litter: string[];
  planted: string;
  swept: string[];
  leftHandles: number;
  flushedAtRestart: boolean;
  restartMs: number;
}

const describeKill = (at: KillAt) => ("step" in at ? `at "${at.step}"` : `at random (${at.fraction.toFixed(2)} of a boot)`);

// Every Nth kill of a boot kind is at a random instant; chosen so the default
// 20 runs reach every listed step once (10 first boots, 10 second boots).
const RANDOM_EVERY: Record<BootKind, number> = { first: 5, second: 3 };

/** Deterministic coverage: the steps in turn, with random instants in between. */
function plans(random: () => number): Plan[][] {
  const devices: Plan[][] = [];
  const counters = { first: 0, second: 0 };
  const next = (boot: BootKind, run: number): Plan => {
    const i = counters[boot]++;
    const every = RANDOM_EVERY[boot];
    const steps = boot === "first" ? FIRST_BOOT_STEPS : SECOND_BOOT_STEPS;
    const slot = i - Math.floor(i / every);
    const at: KillAt = i % every === every - 1 ? { fraction: random() } : { step: steps[slot % steps.length]! };
    const pcrChange = boot === "second" && ("step" in at ? NEEDS_PCR_CHANGE.has(at.step) : i % 2 === 1);
    return { run, boot, pcrChange, at };
  };
  for (let run = 0; run < RUNS; run += 2) {
    const d = [next("first", run)];
    if (run + 1 < RUNS) d.push(next("second", run + 1));
    devices.push(d);
  }
  return devices;
}

interface Device {
  n: number;
  serial: string;
  root: string;
  layout: DeviceLayout;
  sw: Swtpm;
  version: number;
  identity?: { uuid: string; certDer: string };
  sentinel?: string;
  /** The agent started last, killed when a check fails so swtpm can be stopped. */
  current?: AgentProcess;
}

let ctl: RunningController;
let onboard: OnboardingCert;
const SERIAL_PREFIX = `K9-${process.pid}-`;
const swtpms: Swtpm[] = [];
const agents: AgentProcess[] = [];

beforeAll(async () => {
  ctl = await startTestController();
  onboard = await makeOnboardingCert();
  await ctl.addOnboard(
    onboard.certPem,
    Array.from({ length: Math.ceil(RUNS / 2) }, (_, i) => `${SERIAL_PREFIX}${i}`),
  );
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop(true)));
  await Promise.all(swtpms.map((s) => s.stop()));
  await ctl?.cleanup();
  await onboard?.cleanup();
  removeTempRoots();
});

async function newDevice(n: number): Promise<Device> {
  const sw = await startSwtpm();
  swtpms.push(sw);
  await replayIntoTpm(parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events, sw.tcti);
  const root = tempRoot("edge-agent-kill9-");
  writeDeviceConfig(root, { server: ctl.server, rootCertPem: ctl.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
  return { n, serial: `${SERIAL_PREFIX}${n}`, root, layout: deviceLayout(root), sw, version: 0 };
}

function start(d: Device): { agent: AgentProcess; log: LogTail } {
  const logFile = join(d.root, "agent.log");
  const log = new LogTail(logFile);
  const agent = startAgent({
    root: d.root,
    logFile,
    toml: `serial = ${JSON.stringify(d.serial)}\neventLogPath = ${JSON.stringify(EVENT_LOG)}\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(d.sw.tcti)}\n`,
  });
  agents.push(agent);
  d.current = agent;
  return { agent, log };
}

/** The controller's records for this device's serial (its in-process state, not the agent's view). */
function controllerRecords(d: Device) {
  return [...ctl.controller.state.devices.values()].filter((r) => r.serial === d.serial);
}

/**
 * Gives the device config version `d.version` as soon as the controller
 * knows it, so "config applied" and the trusted state can be reached on a
 * first boot whose UUID is not known in advance. Returns a stop function.
 */
function feedConfig(d: Device): () => Promise<void> {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const rec = controllerRecords(d)[0];
      if (rec) {
        await ctl.putConfig(rec.uuid, {
          id: { uuid: rec.uuid, version: String(d.version) },
          configItems: [{ key: "crash.version", value: String(d.version) }],
        });
        return;
      }
      await Bun.sleep(20);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

async function bootAndKill(d: Device, plan: Plan, random: () => number): Promise<{ lastStep?: string; killedAfterMs: number }> {
  d.version++;
  if (plan.pcrChange) d.sw.tool(["tpm2_pcrextend", `14:sha256=${randomBytes(32).toString("hex")}`]);
  const feeder = feedConfig(d);
  const { agent, log } = start(d);
  const t0 = Date.now();
  try {
    const exited = () => agent.proc.exitCode !== null;
    if ("step" in plan.at) {
      const hit = await log.waitForMsg(plan.at.step, 60_000, exited);
      if (!hit)
        throw new Error(
          `run ${plan.run}: the ${plan.boot} boot never logged "${plan.at.step}"${exited() ? ` (agent exited ${agent.proc.exitCode})` : ""}; see ${agent.logFile}`,
        );
      // 0-50 ms later, most often at once: inside the step's file writes (a
      // few ms of fsync) or its TPM commands (tens of ms on swtpm) part of the time.
      await Bun.sleep(Math.floor(random() ** 2 * 50));
    } else {
      const end = t0 + Math.floor(plan.at.fraction * randomWindowMs());
      while (Date.now() < end && !exited()) await Bun.sleep(Math.min(20, end - Date.now()));
    }
    if (exited()) throw new Error(`run ${plan.run}: agent exited with ${agent.proc.exitCode} before the kill; see ${agent.logFile}`);
    await agent.stop(true);
  } finally {
    await feeder();
  }
  log.poll();
  const steps = new Set(plan.boot === "first" ? FIRST_BOOT_STEPS : SECOND_BOOT_STEPS);
  const lastStep = log.lines.filter((l) => steps.has(l.msg ?? "")).at(-1)?.msg;
  return { ...(lastStep ? { lastStep } : {}), killedAfterMs: Date.now() - t0 };
}

/** A torn temp file as a kill inside writeFileAtomic leaves it, next to a file the agent wrote. */
function plantLitter(d: Device, random: () => number): string {
  const l = d.layout;
  const vaultEntries = existsSync(l.persist.vaultDir)
    ? readdirSync(l.persist.vaultDir)
        .filter((f) => f.endsWith(".vault"))
        .map((f) => join(l.persist.vaultDir, f))
    : [];
  const candidates = [
    l.config.deviceCert,
    l.config.tpmCredential,
    l.persist.uuid,
    l.persist.onboardingStatus,
    l.persist.sealingPcrs,
    l.persist.controllerCerts,
    l.persist.lastConfig,
    ...vaultEntries,
  ].filter((f) => existsSync(f));
  const target = candidates.length ? candidates[Math.floor(random() * candidates.length)]! : l.config.server;
  const tmp = tempPathFor(target);
  writeFileSync(tmp, readFileSync(target).subarray(0, 7));
  return tmp.slice(d.root.length + 1);
}

const spki = (pem: string) => createPublicKey(pem).export({ type: "spki", format: "der" }).toString("hex");

/** Opens the vault in the test process (agent stopped) on the same TPM and disk. */
async function checkVault(d: Device): Promise<void> {
  const tpm = await openTpm({ tcti: d.sw.tcti, connect: (t) => EsysTpm.open(t) });
  try {
    await tpm.ensureKeys({ credential: readFileSync(d.layout.config.tpmCredential, "utf8").trim() });
    const point = parseCertificatesPem(readFileSync(d.layout.config.deviceCert))[0]!.publicKey as { point: Uint8Array };
    const v = new VaultManager({ layout: d.layout, tpm, deviceCertPoint: point.point });
    const st = await v.open();
    try {
      expect(st).toMatchObject({ status: "ENABLED", locked: false });
      const stored = await v.store.get("config.current");
      expect(stored ? codec.EdgeDevConfig.decode(stored).id?.version : undefined).toBe(String(d.version));
      // Written once after the first run, never by the agent: data at rest that must outlive every crash.
      if (d.sentinel === undefined) {
        d.sentinel = randomBytes(16).toString("hex");
        await v.store.put("crash-sentinel", new TextEncoder().encode(d.sentinel));
      } else {
        expect(new TextDecoder().decode(await v.store.get("crash-sentinel"))).toBe(d.sentinel);
      }
    } finally {
      v.close();
    }
  } finally {
    await tpm.close();
  }
}

async function restartAndCheck(d: Device, plan: Plan, random: () => number): Promise<Omit<RunResult, "plan" | "lastStep" | "killedAfterMs">> {
  // What the kill itself left: temp files anywhere and TPM handles (swtpm keeps them; no resource manager).
  const litter = findAtomicTempFiles(d.root);
  const leftHandles = (({ transient, sessions }) => transient.length + sessions.length)(tpmResidue(d.sw));
  const planted = plantLitter(d, random);

  const feeder = feedConfig(d);
  const { agent, log } = start(d);
  const t0 = Date.now();
  let s;
  try {
    s = await agent.waitFor((s) => trusted(s) && s.config.version === String(d.version), 90_000);
  } finally {
    await feeder();
  }
  const restartMs = Date.now() - t0;
  restartTimes.push(restartMs);

  // One identity: at the controller, on disk, in the status, and the same as before this run.
  const records = controllerRecords(d);
  expect(records).toHaveLength(1);
  const rec = records[0]!;
  const certPem = readFileSync(d.layout.config.deviceCert, "utf8");
  const certDer = Buffer.from(new X509Certificate(certPem).raw).toString("hex");
  expect(Buffer.from(rec.certDer).toString("hex")).toBe(certDer);
  expect(readFileSync(d.layout.persist.uuid, "utf8").trim()).toBe(rec.uuid);
  expect(JSON.parse(readFileSync(d.layout.persist.onboardingStatus, "utf8")).DeviceUUID).toBe(rec.uuid);
  expect(s.device.uuid).toBe(rec.uuid);
  if (d.identity) expect({ uuid: rec.uuid, certDer }).toEqual(d.identity);
  d.identity = { uuid: rec.uuid, certDer };

  log.poll();
  const swept = log.find("removed temp files left by an interrupted write").flatMap((l) => l.files as string[]);
  const flushedAtRestart = log.find("flushed TPM handles left by an earlier process").length > 0;
  expect(await agent.stop()).toBe(0);

  // Everything the kill left was removed at start-up, and the clean stop left nothing new.
  expect(swept.sort()).toEqual([...new Set([...litter, planted])].sort());
  expect(findAtomicTempFiles(d.root)).toEqual([]);
  expect(tpmResidue(d.sw)).toEqual({ transient: [], sessions: [] });
  if (leftHandles > 0) expect(flushedAtRestart).toBe(true);

  // The certificate's key is the device key in the TPM.
  const pub = join(d.root, "device-key-pub.pem");
  d.sw.tool(["tpm2_readpublic", "-c", "0x817FFFFF", "-f", "pem", "-o", pub]);
  expect(spki(readFileSync(pub, "utf8"))).toBe(spki(new X509Certificate(certPem).publicKey.export({ type: "spki", format: "pem" }) as string));

  await checkVault(d);
  return { litter, planted, swept, leftHandles, flushedAtRestart, restartMs };
}

describe("kill -9 during first and second boots", () => {
  test(
    `${RUNS} runs: restart reaches trusted with one identity, a readable vault, no temp files and no TPM handles left`,
    async () => {
      const work = plans(seededRandom(SEED));
      const results: RunResult[] = [];
      const failures: string[] = [];
      let next = 0;
      const worker = async () => {
        while (next < work.length) {
          const n = next++;
          const runs = work[n]!;
          let d: Device | undefined;
          // One generator per device, so a seed replays the same kills whatever the interleaving.
          const random = seededRandom(SEED + 7919 * (n + 1));
          try {
            d = await newDevice(n);
            for (const plan of runs) {
              const killed = await bootAndKill(d, plan, random);
              const checked = await restartAndCheck(d, plan, random);
              results.push({ plan, ...killed, ...checked });
            }
          } catch (e) {
            failures.push(
              `device ${n} (${runs.map((p) => `run ${p.run}: ${p.boot} boot, ${describeKill(p.at)}`).join("; ")}): ${(e as Error).message}${d ? ` [root ${d.root}]` : ""}`,
            );
          } finally {
            if (d) {
              await d.current?.stop(true);
              await d.sw.stop();
              swtpms.splice(swtpms.indexOf(d.sw), 1);
            }
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, work.length) }, worker));

      results.sort((a, b) => a.plan.run - b.plan.run);
      const reached = new Map<string, number>();
      for (const r of results) reached.set(r.lastStep ?? "(before any step)", (reached.get(r.lastStep ?? "(before any step)") ?? 0) + 1);
      console.log(
        JSON.stringify(
          {
            seed: SEED,
            runs: RUNS,
            passed: results.length,
            failed: failures.length,
            killPointsReached: Object.fromEntries(reached),
            realLitter: results.filter((r) => r.litter.length).map((r) => ({ run: r.plan.run, files: r.litter })),
            killsLeavingTpmHandles: results.filter((r) => r.leftHandles > 0).length,
            restartToTrustedMs: {
              max: Math.max(...results.map((r) => r.restartMs)),
              median: results.map((r) => r.restartMs).sort((a, b) => a - b)[results.length >> 1],
            },
          },
          null,
          1,
        ),
      );
      for (const r of results) {
        console.log(
          `run ${r.plan.run}: ${r.plan.boot} boot${r.plan.pcrChange ? " after a PCR change" : ""}, kill ${describeKill(r.plan.at)}: ${r.killedAfterMs} ms after start, last step logged "${r.lastStep ?? "-"}"; ` +
            `litter ${r.litter.length ? r.litter.join(",") : "none"}; TPM handles left ${r.leftHandles}; trusted again in ${r.restartMs} ms`,
        );
      }
      expect(failures).toEqual([]);
      expect(results).toHaveLength(RUNS);
    },
    RUNS * 45_000,
  );
});
