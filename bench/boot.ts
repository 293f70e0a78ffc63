/**
 * The device image's boot in QEMU (issue 14 point 5): the guest's boot to
 * trusted, cold and warm, the agent's share of it and its memory in the
 * guest, each against the same guest booting without the agent.
 *
 *   npm run bench -- boot
 *   node_modules/.bin/bun run bench/boot.ts
 *
 * The agent is `npm run build`'s; the image is images/build-initramfs.sh's,
 * booted by images/run-qemu.sh with OVMF and a swtpm (TCG here: no KVM),
 * against the in-repo test controller, which hands every new device a
 * config. One round: a fresh device (disk and TPM), then, interleaved,
 *
 *   agent cold (first boot: onboarding, keys, seal, attest, config),
 *   no agent, agent warm (second boot from the same disk and TPM), no agent.
 *
 * "No agent" is the same image and disk with `edge.agent=0` on the kernel
 * command line: images/init does every step up to starting the agent, then
 * reports with the same timestamps. Figures are the median of BENCH_ROUNDS
 * (default 3) rounds with the spread; ratios are taken within a round (a
 * boot with the agent against the baseline boot beside it). Times in the
 * guest are seconds since the guest's kernel started, from its own uptime;
 * "trusted" is init's wait target `config` (onboarded, attestation
 * Complete, vault ENABLED and unlocked, config received), which init sees by
 * running `edge-agent status` (a Bun start per poll), so the agent's share
 * includes those polls. Measures only; writes .tmp/bench/boot.json.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RunningController, startTestController } from "../test/controller/index.ts";
import { makeOnboardingCert } from "../test/harness/pki.ts";
import {
  bootImage,
  buildImage,
  ensureHostTools,
  GUEST_TOML,
  GUEST_WAIT_S,
  type GuestReport,
  makeDisk,
  readGuestReport,
  tail,
  VM_LIMIT_S,
} from "../test/harness/qemu.ts";
import { buildAgent, OUT } from "./lib/build.ts";
import { fmt, ratios, summary } from "./lib/stats.ts";

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const DIR = join(OUT, "boot");

const started = performance.now();
function say(msg: string): void {
  process.stderr.write(`bench boot [${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
}

/** One boot's figures: guest clock (kernel start = 0) and host clock, seconds; memory KiB. */
interface BootFigures {
  /** QEMU start to power-off, host clock: firmware, kernel, init, agent, report. */
  qemuS: number;
  /** Where init starts the agent (or, without it, would). */
  agentStartS: number;
  /** Trusted (no agent: = agentStartS). */
  reachedS: number;
  agentRssKb?: number;
  usedKb: number;
}

interface Round {
  cold: BootFigures;
  warm: BootFigures;
  bare1: BootFigures;
  bare2: BootFigures;
}

/** The agent's own timers for an emulated CPU, at the product's log level. */
const BENCH_TOML = GUEST_TOML.replace('level = "debug"', 'level = "info"');

async function boot(ctl: RunningController, image: string, dev: { tpm: string; disk: string }, name: string, extra: string): Promise<BootFigures> {
  const files = { console: join(DIR, `${name}-console.log`), results: join(DIR, `${name}-results.txt`) };
  rmSync(files.results, { force: true });
  const t0 = performance.now();
  const vm = bootImage({
    image,
    tpmDir: dev.tpm,
    disk: dev.disk,
    append: `edge.server=10.0.2.2:${ctl.port} edge.timeout=${GUEST_WAIT_S} edge.wait=config ${extra}`.trim(),
    firmware: "ovmf",
    console: files.console,
    results: files.results,
    timeoutS: VM_LIMIT_S,
    logPath: join(DIR, `${name}-run-qemu.log`),
  });
  const code = await vm.exited;
  const qemuS = (performance.now() - t0) / 1000;
  const r: GuestReport = readGuestReport(files.results);
  const want = extra.includes("edge.agent=0") ? "no-agent" : "config";
  const t = r.times;
  if (code !== 0 || r.result !== want || t?.agentStart === undefined || t.reached === undefined || r.mem?.usedKb === undefined) {
    throw new Error(`${name}: run-qemu.sh exit ${code}, guest result ${r.result} (wanted ${want})\n${tail(files.console, 40)}`);
  }
  const f: BootFigures = {
    qemuS,
    agentStartS: t.agentStart,
    reachedS: t.reached,
    usedKb: r.mem.usedKb,
    ...(r.mem.agentRssKb !== undefined ? { agentRssKb: r.mem.agentRssKb } : {}),
  };
  say(
    `${name}: QEMU ${qemuS.toFixed(1)} s; guest: agent start ${f.agentStartS.toFixed(1)} s, reached ${f.reachedS.toFixed(1)} s; ` +
      `agent RSS ${f.agentRssKb ?? "-"} KiB, guest in use ${f.usedKb} KiB`,
  );
  return f;
}

export interface BootBench {
  date: string;
  rounds: Round[];
}

export async function bootBench(): Promise<BootBench> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  await ensureHostTools();
  say("building the agent (npm run build) and the image");
  const agent = await buildAgent();
  const image = join(DIR, "image");
  await buildImage(agent, image);
  const ctl = await startTestController({ hosts: ["10.0.2.2", "127.0.0.1", "localhost"] });
  const onboard = await makeOnboardingCert();
  const serials = [...Array(ROUNDS).keys()].map((i) => `BENCH-BOOT-${i}`);
  await ctl.addOnboard(onboard.certPem, serials);
  writeFileSync(join(DIR, "root-certificate.pem"), ctl.pki.trustPem);
  writeFileSync(join(DIR, "agent.toml"), BENCH_TOML);
  // Every device that registers gets a config at once, as an operator's controller would have one waiting.
  const configured = new Set<string>();
  const configure = setInterval(async () => {
    for (const u of await ctl.devices().catch(() => [] as string[])) {
      if (configured.has(u)) continue;
      configured.add(u);
      await ctl
        .putConfig(u, { id: { uuid: u, version: "1" }, device_name: "bench", configItems: [{ key: "k", value: "1" }] })
        .catch(() => configured.delete(u));
    }
  }, 250);
  const rounds: Round[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      say(`round ${i + 1}/${ROUNDS}: a fresh device`);
      const dev = { tpm: join(DIR, `dev${i}-tpm`), disk: join(DIR, `dev${i}.img`) };
      await makeDisk({
        out: dev.disk,
        rootCert: join(DIR, "root-certificate.pem"),
        onboardCert: onboard.certPath,
        onboardKey: onboard.keyPath,
        serial: serials[i],
        agentToml: join(DIR, "agent.toml"),
      });
      const cold = await boot(ctl, image, dev, `r${i}-agent-cold`, "");
      const bare1 = await boot(ctl, image, dev, `r${i}-bare-1`, "edge.agent=0");
      const warm = await boot(ctl, image, dev, `r${i}-agent-warm`, "");
      const bare2 = await boot(ctl, image, dev, `r${i}-bare-2`, "edge.agent=0");
      rounds.push({ cold, warm, bare1, bare2 });
    }
  } finally {
    clearInterval(configure);
    ctl.stop();
    await ctl.pki.cleanup();
    await onboard.cleanup();
  }
  return { date: new Date().toISOString(), rounds };
}

export function bootReport(b: BootBench): string {
  const r = b.rounds;
  const col = (f: (x: Round) => number) => r.map(f);
  const s = (xs: number[], d = 1, unit = "") => fmt(summary(xs), d, unit);
  const x = (a: number[], c: number[]) => `${fmt(summary(ratios(a, c)), 2)}×`;
  const mb = (kb: number) => kb / 1024;
  const lines = ["| what (guest under TCG) | with the agent | same guest without the agent | ratio |", "| --- | --- | --- | --- |"];
  for (const [name, pick, base] of [
    ["cold", (x: Round) => x.cold, (x: Round) => x.bare1],
    ["warm", (x: Round) => x.warm, (x: Round) => x.bare2],
  ] as const) {
    const reached = col((x) => pick(x).reachedS);
    const bareReached = col((x) => base(x).reachedS);
    const q = col((x) => pick(x).qemuS);
    const bq = col((x) => base(x).qemuS);
    lines.push(
      `| ${name} boot: kernel start to trusted | ${s(reached)} s | ${s(bareReached)} s (to where the agent would start) | ${x(reached, bareReached)} |`,
    );
    lines.push(`| ${name} boot: QEMU start to power-off | ${s(q)} s | ${s(bq)} s | ${x(q, bq)} |`);
    const own = col((x) => pick(x).reachedS - pick(x).agentStartS);
    const share = col((x) => (pick(x).reachedS - pick(x).agentStartS) / pick(x).reachedS);
    lines.push(
      `| ${name} boot: the agent's share (agent start to trusted) | ${s(own)} s, ${fmt(summary(share.map((v) => v * 100)), 0)} % of the boot | — | — |`,
    );
  }
  const rss = col((x) => mb(x.warm.agentRssKb ?? NaN));
  const rssCold = col((x) => mb(x.cold.agentRssKb ?? NaN));
  const used = col((x) => mb(x.warm.usedKb));
  const bareUsed = col((x) => mb(x.bare2.usedKb));
  lines.push(`| agent RSS in the guest at trusted (warm; cold) | ${s(rss)} MB; ${s(rssCold)} MB | — | — |`);
  lines.push(
    `| guest memory in use at trusted, warm (MemTotal − MemAvailable) | ${s(used)} MB | ${s(bareUsed)} MB | ${x(used, bareUsed)} (+${s(used.map((u, i) => u - bareUsed[i]!))} MB) |`,
  );
  return lines.join("\n");
}

if (import.meta.main) {
  const b = await bootBench();
  writeFileSync(join(OUT, "boot.json"), JSON.stringify(b, null, 2) + "\n");
  process.stdout.write(bootReport(b) + "\n");
  say(`done; raw figures in ${join(OUT, "boot.json")}`);
}
