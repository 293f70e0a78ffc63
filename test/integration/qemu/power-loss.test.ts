/**
 * Power loss on the device image: QEMU killed at random points of the first
 * boot's agent work (TPM key creation, certificates, registration,
 * attestation, vault sealing, config), again and again on the same disk and
 * TPM, then one boot left to finish. The device must always end trusted,
 * with one identity at the controller and its vault opening.
 *
 * EDGE_AGENT_QEMU_POWER_LOSS_RUNS sets the number of killed boots (CI
 * default 3: 3 runs and the final boot took 6 min of TCG on the 2-core machine;
 * the 10 runs take `EDGE_AGENT_QEMU_POWER_LOSS_RUNS=10`).
 * EDGE_AGENT_QEMU_POWER_LOSS_SEED replays a run's kill points.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import type { LoggedProcess } from "../../harness/proc.ts";
import {
  bootImage,
  buildImage,
  compileAgent,
  ensureHostTools,
  GUEST_TOML,
  GUEST_WAIT_S,
  makeDisk,
  readGuestReport,
  tail,
  VM_LIMIT_S,
} from "../../harness/qemu.ts";
import { trusted } from "../trusted-boot/fixture.ts";

const SERIAL = "QEMU-SN-PL";
const RUNS = Number(process.env.EDGE_AGENT_QEMU_POWER_LOSS_RUNS ?? 3);
const SEED = Number(process.env.EDGE_AGENT_QEMU_POWER_LOSS_SEED ?? Date.now() % 1_000_000);
/**
 * Kill window, seconds after init starts the agent: TPM key creation,
 * certificates, registration, attestation, sealing and config all fall in
 * it under TCG (firmware and kernel time vary too much with the host's load
 * to aim from QEMU's start).
 */
const KILL_SPAN_S = 60;

const work = mkdtempSync(join(tmpdir(), "edge-agent-qemu-pl-"));
const image = join(work, "image");
const tpmDir = join(work, "tpm");
const disk = join(work, "disk.img");
let ctl: RunningController | undefined;
let onboard: OnboardingCert | undefined;
let vm: LoggedProcess | undefined;

afterAll(async () => {
  await vm?.stop();
  ctl?.stop();
  await ctl?.pki.cleanup();
  await onboard?.cleanup();
  if (!process.env.EDGE_AGENT_KEEP_TEST_DIRS) rmSync(work, { recursive: true, force: true });
});

/** mulberry32: kill points reproducible from the printed seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The agent's log lines that reached the console before the power went. */
function consoleMessages(path: string): string[] {
  return tail(path, 1_000_000)
    .split("\n")
    .flatMap((l) => {
      const i = l.indexOf('{"ts"');
      if (i < 0) return [];
      try {
        return [String((JSON.parse(l.slice(i)) as { msg?: string }).msg)];
      } catch {
        return [];
      }
    });
}

describe("device image in QEMU: power loss", () => {
  test(
    `QEMU killed at random points of the first boot (${RUNS} runs), then a boot that ends trusted with one identity and its vault`,
    async () => {
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
      const append = `edge.server=10.0.2.2:${ctl.port} edge.timeout=${GUEST_WAIT_S} edge.wait=config`;
      // Every device the controller registers gets a config, so the vault gets data early.
      let configured = new Set<string>();
      const configure = setInterval(async () => {
        for (const u of await ctl!.devices().catch(() => [] as string[])) {
          if (configured.has(u)) continue;
          configured.add(u);
          await ctl!
            .putConfig(u, { id: { uuid: u, version: "1" }, device_name: "pl-dev", configItems: [{ key: "k", value: "1" }] })
            .catch(() => configured.delete(u));
        }
      }, 1000);

      const random = rng(SEED);
      const runs: string[] = [];
      const sealedIn: number[] = [];
      try {
        for (let i = 0; i < RUNS; i++) {
          const killAt = random() * KILL_SPAN_S;
          const console_ = join(work, `kill${i}-console.log`);
          vm = bootImage({
            image,
            tpmDir,
            disk,
            append,
            firmware: "ovmf",
            console: console_,
            results: join(work, `kill${i}-results.txt`),
            timeoutS: VM_LIMIT_S,
            logPath: join(work, `kill${i}-run-qemu.log`),
          });
          const started = vm.exited.then(() => true);
          let agentUp = false;
          while (!agentUp && !(await Promise.race([started, Bun.sleep(500).then(() => false)]))) agentUp = tail(console_, 1_000_000).includes("agent started");
          const ended = agentUp ? await Promise.race([started, Bun.sleep(killAt * 1000).then(() => false)]) : true;
          // SIGTERM to QEMU ends the guest at once, no flush, no shutdown: a power cut. Then SIGKILL whatever is left.
          await vm.stop(0);
          vm = undefined;
          const msgs = consoleMessages(console_);
          if (msgs.includes("new vault key sealed")) sealedIn.push(i);
          runs.push(`agent start + ${killAt.toFixed(0)} s${ended ? " (ended before the kill)" : ""}: last agent message "${msgs.at(-1) ?? "(none)"}"`);
        }
        const console_ = join(work, "final-console.log");
        const results = join(work, "final-results.txt");
        vm = bootImage({
          image,
          tpmDir,
          disk,
          append,
          firmware: "ovmf",
          console: console_,
          results,
          timeoutS: VM_LIMIT_S,
          logPath: join(work, "final-run-qemu.log"),
        });
        const code = await Promise.race([vm.exited, Bun.sleep((VM_LIMIT_S + 15) * 1000).then(() => -1)]);
        vm = undefined;
        console.log(`qemu power loss (seed ${SEED}): killed at\n  ${runs.join("\n  ")}`);
        const report = readGuestReport(results);
        if (code !== 0 || report.result !== "config" || !report.status) {
          throw new Error(`final boot did not end trusted (exit ${code}, result ${report.result}); work dir ${work}\n${tail(console_, 60)}`);
        }
        const s = report.status;
        expect(trusted(s)).toBe(true);
        // One identity: the controller knows one device, the one the final boot is.
        const devices = await ctl.devices();
        expect(devices).toEqual([s.device.uuid!]);
        // The vault opens with the key its data was written under (entries carry the key id); never wiped.
        expect(s.vault.locked).toBe(false);
        const all = [...Array(RUNS).keys()].flatMap((i) => consoleMessages(join(work, `kill${i}-console.log`))).concat(consoleMessages(console_));
        expect(all.filter((m) => m.startsWith("vault destroyed"))).toEqual([]);
        // Once a boot got as far as applying config (data in the vault under a committed key), no later boot seals a new key.
        const finalLog = consoleMessages(console_);
        const wroteData = [...Array(RUNS).keys()].some((i) => consoleMessages(join(work, `kill${i}-console.log`)).includes("config applied"));
        if (wroteData) expect(finalLog).not.toContain("new vault key sealed");
      } finally {
        clearInterval(configure);
        configured = new Set();
      }
    },
    (RUNS * (VM_LIMIT_S + 20) + VM_LIMIT_S + 200) * 1000,
  );
});
