/**
 * Scenario 6 of the device image, power loss: QEMU killed at random points
 * of the work that must survive it, boot after boot on one disk and TPM.
 *
 * 1. First boot: TPM keys, certificates, registration, sealing the new vault
 *    key, attestation, escrow, config. Then a boot left to finish: trusted,
 *    one device at the controller, the vault open.
 * 2. The seal and escrow of a measured change (scenario 3): the controller
 *    enforces the measurements it approved; each boot here has a kernel
 *    command line of its own (PCR 9 and 10 move every time), the
 *    operator approves the new measurements as soon as a quote shows them,
 *    and the agent recovers the key through escrow and reseals. Then a boot
 *    left to finish: trusted, same identity and certificates, the vault open
 *    with the key its data was written under.
 *
 * Kills are aimed at that work, not at firmware or idle time: each run picks
 * one of the phase's progress points (the agent's log messages, in order)
 * at random and kills QEMU a random 0-3 s after the console shows it (or
 * any later point). "config applied" is not one: a boot with a checkpoint
 * applies it before it attests, so it has no place in the order; the config
 * from the controller follows the escrow within a second or two. After every kill the controller must still know at most
 * one device, the same one.
 *
 * A second device beside the scenario chain: boot.test.ts starts the
 * campaign in its beforeAll and awaits it in its last test, so two VMs run
 * at once. On its own:
 *
 *   node_modules/.bin/bun run test/integration/qemu/power-loss.campaign.ts
 *
 * EDGE_AGENT_QEMU_POWER_LOSS_RUNS: killed boots, half of them (rounded up)
 * in the first boot, the rest in the measured change (default 10).
 * EDGE_AGENT_QEMU_POWER_LOSS_SEED replays a run's kill points (printed).
 * EDGE_AGENT_KEEP_TEST_DIRS=1 keeps the work dir (consoles, results, TPM, disk).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StatusDocument } from "../../../src/status/index.ts";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { seededRandom } from "../../harness/crash.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import type { LoggedProcess } from "../../harness/proc.ts";
import {
  bootImage,
  buildImage,
  compileAgent,
  ensureHostTools,
  GUEST_TOML,
  GUEST_WAIT_S,
  type GuestReport,
  makeDisk,
  readGuestReport,
  tail,
  VM_LIMIT_S,
} from "../../harness/qemu.ts";

export const POWER_LOSS_RUNS = Math.max(2, Number(process.env.EDGE_AGENT_QEMU_POWER_LOSS_RUNS ?? 10));
const SEED = Number(process.env.EDGE_AGENT_QEMU_POWER_LOSS_SEED ?? Date.now() % 1_000_000);
const SERIAL = "QEMU-SN-PL";
/** Longest wait after the chosen progress point before the power goes. */
const KILL_DELAY_S = 3;

/**
 * The first boot's progress, in the order the agent logs it. A boot that
 * has some of it behind it already (an earlier run got that far) skips
 * those; the kill then follows the next point it does reach.
 */
const FIRST_BOOT = [
  "agent started",
  "TPM opened",
  "TPM keys ready",
  "device certificate created",
  "register answered",
  "persisting onboarding result",
  "sealing vault key",
  "new vault key sealed",
  "device services started",
  "quote accepted; integrity token received",
  "vault key escrowed with the controller",
];

/**
 * A measured change, from the vault locking on the moved PCRs: attested, the
 * key from escrow, resealed to the new PCRs, escrowed again.
 */
const MEASURED_CHANGE = [
  "vault locked, waiting for the controller",
  "quote accepted; integrity token received",
  "sealing vault key",
  "vault unlocked with the controller's key",
  "vault key escrowed with the controller",
];

/** Log lines too frequent to say where a boot was. */
const CHATTER = new Set(["controller exchange", "device info queued", "listening", "config poll failed", "deferred items restored"]);

/** Messages that mean the vault's data or the identity was given up. */
const NEVER = [
  "vault destroyed on controller request (allow-vault-clean); its data is gone",
  "controller holds a different vault key; ignoring it and its policy",
  "controller key rejected; vault stays locked",
  "persisted UUID is corrupt; onboarding again",
];

/** The vault is open from here on in a boot. */
const UNLOCKED = ["new vault key sealed", "vault unlocked from the TPM", "vault unlocked with the controller's key"];

export interface KillRun {
  phase: "first boot" | "measured change";
  /** The progress point the kill was aimed after, and the delay. */
  aimedAt: string;
  delayS: number;
  /** Seconds from the agent's start (as the host saw it on the console) to the kill. */
  killedAtS?: number;
  /** The agent's last log message before the power went. */
  lastMessage: string;
  /** The boot finished (powered off by itself) before its kill point. */
  endedFirst?: string;
}

export interface FinalBoot {
  status: StatusDocument;
  /** How the vault opened: from the TPM, or with the key the controller returned. */
  unlockedBy: "tpm" | "controller" | "new key";
  seconds: number;
}

export interface CampaignResult {
  seed: number;
  runs: KillRun[];
  uuid: string;
  firstBoot: FinalBoot;
  measuredChange: FinalBoot;
  /** New measurements (PCR 9/10 of another command line) the operator approved during the measured changes. */
  approvals: number;
  /** Campaign start to end, seconds. */
  seconds: number;
}

export interface PowerLossCampaign {
  /** Settles when the campaign ends; never rejects (an unawaited rejection would be lost). */
  readonly result: Promise<{ ok: true; value: CampaignResult } | { ok: false; error: Error }>;
  /** Kills the VM, stops the controller, removes the work dir. */
  stop(): Promise<void>;
}

/** The agent's log messages and init's own lines (`edge-image[T]: ...`) that reached the console, in order. */
export function consoleMessages(path: string): string[] {
  return tail(path, 1_000_000)
    .split("\n")
    .flatMap((l) => {
      const i = l.indexOf('{"ts"');
      if (i >= 0) {
        try {
          return [String((JSON.parse(l.slice(i)) as { msg?: string }).msg)];
        } catch {
          return [];
        }
      }
      const m = l.match(/edge-image\[[\d.]+\]: (.*)/);
      return m ? [m[1]!.trim()] : [];
    });
}

/** Index of the furthest progress point the messages show, -1 before the first. */
function progress(msgs: string[], points: string[]): number {
  let at = -1;
  for (const m of msgs) {
    const i = points.findIndex((p) => m.startsWith(p));
    if (i > at) at = i;
  }
  return at;
}

interface Template {
  eveVersion: string;
  firmwareVersion: string;
  PCRValues: { index: number; value: string }[];
}

const samePcrs = (a: Template, b: Template) => JSON.stringify(a.PCRValues) === JSON.stringify(b.PCRValues);

export function startPowerLossCampaign(log: (line: string) => void = (l) => console.log(l)): PowerLossCampaign {
  const work = mkdtempSync(join(tmpdir(), "edge-agent-qemu-pl-"));
  const image = join(work, "image");
  const tpmDir = join(work, "tpm");
  const disk = join(work, "disk.img");
  let ctl: RunningController | undefined;
  let onboard: OnboardingCert | undefined;
  let vm: LoggedProcess | undefined;
  let stopped = false;
  const timers: ReturnType<typeof setInterval>[] = [];
  const t0 = performance.now();
  const random = seededRandom(SEED);
  /** Each boot's messages, in boot order. */
  const boots: string[][] = [];
  let uuid = "";

  const fail = (why: string, console_?: string): Error =>
    new Error(
      `power loss (seed ${SEED}): ${why}\nwork dir ${work}${process.env.EDGE_AGENT_KEEP_TEST_DIRS ? "" : " (EDGE_AGENT_KEEP_TEST_DIRS=1 keeps it)"}` +
        (console_ ? `\n--- guest console (tail) ---\n${tail(console_, 60)}` : ""),
    );

  const adminJson = async <T>(path: string): Promise<T> => (await (await ctl!.admin(path)).json()) as T;

  /** After every boot: at most one device, and always the same one. */
  const checkIdentity = async (after: string) => {
    const devices = await ctl!.devices();
    if (devices.length > 1) throw fail(`${after}: the controller knows ${devices.length} devices: ${devices.join(", ")}`);
    if (devices.length === 1) {
      if (uuid === "") uuid = devices[0]!;
      else if (devices[0] !== uuid) throw fail(`${after}: the device is ${devices[0]} now, was ${uuid}`);
    }
  };

  const boot = (name: string, append: string) => {
    const files = { console: join(work, `${name}-console.log`), results: join(work, `${name}-results.txt`) };
    vm = bootImage({
      image,
      tpmDir,
      disk,
      append,
      firmware: "ovmf",
      console: files.console,
      results: files.results,
      timeoutS: VM_LIMIT_S,
      logPath: join(work, `${name}-run-qemu.log`),
    });
    return { vm, ...files };
  };

  /** One boot killed after a random progress point of `points`. */
  const killRun = async (name: string, phase: KillRun["phase"], append: string, points: string[]): Promise<KillRun> => {
    const aim = Math.floor(random() * points.length);
    const delayS = random() * KILL_DELAY_S;
    const b = boot(name, append);
    const ended = b.vm.exited.then(() => true);
    let agentAt: number | undefined;
    let endedFirst: string | undefined;
    // The guest gives up by itself after GUEST_WAIT_S; a boot stuck before its point is killed then too.
    const deadline = performance.now() + VM_LIMIT_S * 1000;
    for (;;) {
      if (await Promise.race([ended, Bun.sleep(300).then(() => false)])) {
        endedFirst = readGuestReport(b.results).result ?? "no report";
        break;
      }
      const msgs = consoleMessages(b.console);
      if (agentAt === undefined && msgs.some((m) => m.startsWith("agent started"))) agentAt = performance.now();
      const at = progress(msgs, points);
      if (at >= aim || performance.now() > deadline) break;
    }
    if (endedFirst === undefined && (await Promise.race([ended, Bun.sleep(delayS * 1000).then(() => false)]))) {
      endedFirst = readGuestReport(b.results).result ?? "no report";
    }
    // SIGTERM and at once SIGKILL to QEMU: the guest gets no shutdown, its page cache is lost: a power cut.
    const killedAt = performance.now();
    await b.vm.stop(0);
    vm = undefined;
    const msgs = consoleMessages(b.console);
    boots.push(msgs);
    await checkIdentity(name);
    const run: KillRun = {
      phase,
      aimedAt: points[aim]!,
      delayS,
      lastMessage: msgs.filter((m) => !CHATTER.has(m)).at(-1) ?? "(none)",
      ...(agentAt !== undefined ? { killedAtS: (killedAt - agentAt) / 1000 } : {}),
      ...(endedFirst !== undefined ? { endedFirst } : {}),
    };
    // A boot that finished before its kill point is a boot after a power loss too: it must have ended trusted.
    if (endedFirst !== undefined && endedFirst !== "config") throw fail(`${name} ended by itself with "${endedFirst}", not trusted`, b.console);
    log(
      `power loss ${name} (${phase}): aimed after "${run.aimedAt}" + ${delayS.toFixed(1)} s; ` +
        (endedFirst
          ? `the boot ended first (${endedFirst})`
          : `killed at agent start + ${run.killedAtS?.toFixed(1) ?? "?"} s, last agent message "${run.lastMessage}"`),
    );
    return run;
  };

  /** A boot left to finish; it must end trusted, as the same device, with its vault open and its data kept. */
  const finalBoot = async (name: string, append: string): Promise<FinalBoot> => {
    const t = performance.now();
    const b = boot(name, append);
    const code = await Promise.race([b.vm.exited, Bun.sleep((VM_LIMIT_S + 15) * 1000).then(() => -1)]);
    vm = undefined;
    const report: GuestReport = readGuestReport(b.results);
    boots.push(consoleMessages(b.console));
    if (code !== 0 || report.result !== "config" || !report.complete || !report.status) {
      throw fail(`${name}: the boot after the power losses did not end trusted (exit ${code}, result ${report.result})`, b.console);
    }
    const s = report.status;
    const trusted = s.device.onboarded && s.attestation.state === "Complete" && s.vault.status === "ENABLED" && s.vault.locked === false && s.config.received;
    if (!trusted)
      throw fail(`${name}: status is not trusted: ${JSON.stringify({ device: s.device, attestation: s.attestation.state, vault: s.vault })}`, b.console);
    await checkIdentity(name);
    if (s.device.uuid !== uuid) throw fail(`${name}: the guest is ${s.device.uuid}, the controller knows ${uuid}`);
    if (s.vault.escrowPending) throw fail(`${name}: the vault key's escrow is still pending`);
    const agentLog = report.agentLog ?? "";
    const unlockedBy = agentLog.includes("new vault key sealed")
      ? "new key"
      : agentLog.includes("vault unlocked with the controller's key")
        ? "controller"
        : agentLog.includes("vault unlocked from the TPM")
          ? "tpm"
          : undefined;
    if (!unlockedBy) throw fail(`${name}: trusted, but the agent's log says nothing of how its vault opened`, b.console);
    log(`power loss ${name}: trusted after ${((performance.now() - t) / 1000).toFixed(0)} s, vault opened by ${unlockedBy}`);
    return { status: s, unlockedBy, seconds: (performance.now() - t) / 1000 };
  };

  const campaign = async (): Promise<CampaignResult> => {
    await ensureHostTools();
    await compileAgent(join(work, "edge-agent"));
    await buildImage(join(work, "edge-agent"), image);
    ctl = await startTestController({ hosts: ["10.0.2.2", "127.0.0.1", "localhost"] });
    onboard = await makeOnboardingCert();
    await ctl.addOnboard(onboard.certPem, [SERIAL]);
    writeFileSync(join(work, "root-certificate.pem"), ctl.pki.trustPem);
    writeFileSync(join(work, "agent.toml"), GUEST_TOML);
    await makeDisk({
      out: disk,
      rootCert: join(work, "root-certificate.pem"),
      onboardCert: onboard.certPath,
      onboardKey: onboard.keyPath,
      serial: SERIAL,
      agentToml: join(work, "agent.toml"),
    });
    // Part of the measured command line: the same on every boot of a phase.
    const base = `edge.server=10.0.2.2:${ctl.port} edge.timeout=${GUEST_WAIT_S} edge.wait=config`;
    // Every device the controller registers gets a config, so the vault holds data from the first boot on.
    const configured = new Set<string>();
    timers.push(
      setInterval(async () => {
        for (const u of await ctl!.devices().catch(() => [] as string[])) {
          if (configured.has(u)) continue;
          configured.add(u);
          await ctl!
            .putConfig(u, { id: { uuid: u, version: "1" }, device_name: "pl-dev", configItems: [{ key: "k", value: "1" }] })
            .catch(() => configured.delete(u));
        }
      }, 1000),
    );
    const firstRuns = Math.ceil(POWER_LOSS_RUNS / 2);
    const runs: KillRun[] = [];
    for (let i = 0; i < firstRuns; i++) runs.push(await killRun(`first${i}`, "first boot", base, FIRST_BOOT));
    const firstBoot = await finalBoot("first-final", base);
    const certs = JSON.stringify(await adminJson(`/device/${uuid}/certs`));

    // From here the controller accepts only the measurements the operator approved last: the first boot's, then
    // each new set a refused quote shows (one template per release: the controller, like Adam, uses the first
    // that names the quote's EVE and firmware versions, so an approval replaces the one before).
    let approved = (await adminJson<{ receivedPCRTemplate: Template }>(`/device/${uuid}/options`)).receivedPCRTemplate;
    let approvals = 0;
    const putOptions = async () => {
      const r = await ctl!.admin("/options", { method: "PUT", body: JSON.stringify({ enforceTemplateAttestation: true, PCRTemplates: [approved] }) });
      if (r.status !== 200) throw fail(`PUT /options answered ${r.status}`);
    };
    await putOptions();
    let approving = false;
    timers.push(
      setInterval(async () => {
        if (approving) return;
        approving = true;
        try {
          const seen = (await adminJson<{ receivedPCRTemplate?: Template }>(`/device/${uuid}/options`)).receivedPCRTemplate;
          if (seen && !samePcrs(approved, seen)) {
            approved = seen;
            approvals++;
            await putOptions();
          }
        } catch {
          // The next tick tries again.
        } finally {
          approving = false;
        }
      }, 1000),
    );
    // Each boot has a command line of its own, so each is a measured change whatever the last kill left sealed.
    const variant = (i: number) => `${base} edge.variant=pl-${i}`;
    const sealRuns = POWER_LOSS_RUNS - firstRuns;
    for (let i = 0; i < sealRuns; i++) runs.push(await killRun(`change${i}`, "measured change", variant(i), MEASURED_CHANGE));
    // One more change, left to finish.
    const measuredChange = await finalBoot("change-final", variant(sealRuns));
    if (measuredChange.unlockedBy === "new key") throw fail("the measured change sealed a new vault key: the data written under the old one is lost");
    if (JSON.stringify(await adminJson(`/device/${uuid}/certs`)) !== certs)
      throw fail("the device's certificates at the controller changed during the measured changes");
    const never = boots.flat().filter((m) => NEVER.some((n) => m.startsWith(n)));
    if (never.length) throw fail(`the agent gave up data or identity: ${[...new Set(never)].join("; ")}`);
    // Once config was kept in the open vault (data under a committed key), no later boot may seal a new key.
    const kept = boots.findIndex((msgs) => {
      const open = msgs.findIndex((m) => UNLOCKED.includes(m));
      return open >= 0 && msgs.indexOf("config applied", open) > open;
    });
    const resealedAfter = kept < 0 ? -1 : boots.findIndex((msgs, i) => i > kept && msgs.includes("new vault key sealed"));
    if (resealedAfter >= 0) throw fail(`boot ${resealedAfter + 1} sealed a new vault key although boot ${kept + 1} had kept config in the vault`);
    return { seed: SEED, runs, uuid, firstBoot, measuredChange, approvals, seconds: (performance.now() - t0) / 1000 };
  };

  const result = campaign().then(
    (value) => ({ ok: true as const, value }),
    (e: unknown) => ({ ok: false as const, error: e instanceof Error ? e : new Error(String(e)) }),
  );
  log(`power loss: ${POWER_LOSS_RUNS} killed boots, seed ${SEED} (EDGE_AGENT_QEMU_POWER_LOSS_SEED replays them); work dir ${work}`);

  return {
    result,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearInterval(t);
      await vm?.stop(0);
      ctl?.stop();
      await ctl?.pki.cleanup();
      await onboard?.cleanup();
      if (!process.env.EDGE_AGENT_KEEP_TEST_DIRS) rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Where the kills landed, one line per run. */
export function describeRuns(r: CampaignResult): string {
  return r.runs
    .map(
      (k, i) =>
        `${String(i + 1).padStart(2)}. ${k.phase}: after "${k.aimedAt}" + ${k.delayS.toFixed(1)} s -> ` +
        (k.endedFirst ? `boot ended first (${k.endedFirst})` : `killed at agent start + ${k.killedAtS?.toFixed(1) ?? "?"} s, last message "${k.lastMessage}"`),
    )
    .join("\n");
}

if (import.meta.main) {
  const c = startPowerLossCampaign();
  const r = await c.result;
  await c.stop();
  if (!r.ok) {
    console.error(r.error.message);
    process.exit(1);
  }
  console.log(
    `power loss: ${r.value.runs.length} killed boots in ${r.value.seconds.toFixed(0)} s (seed ${r.value.seed}); device ${r.value.uuid}\n${describeRuns(r.value)}`,
  );
}
