/**
 * `npm run bench`: the footprint figures of issue 11, each beside a
 * baseline started in the same run, as ratios. Every figure is the median of
 * BENCH_ROUNDS (default 5) interleaved rounds with the spread (min–max);
 * ratios are taken per round, then summarised, so a round slowed by the
 * shared machine moves both sides. bench/README.md says what each figure
 * means.
 *
 *   BENCH_ROUNDS=5 BENCH_IDLE_SECONDS=30 node_modules/.bin/bun run bench/run.ts
 *   npm run bench -- keylime     # the Keylime pull server's figures only (bench/keylime.ts)
 *   npm run bench -- boot        # the device image's boot in QEMU, with and without the agent (bench/boot.ts)
 *
 * Measures only; asserts nothing. Writes .tmp/bench/results.json too.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { startSwtpm } from "../test/harness/swtpm.ts";
import { type Baselines, buildAgent, buildBaselines, buildEsysBench, OUT, REPO, sizeBytes } from "./lib/build.ts";
import { type BenchController, benchDevice, type RecordedRequest, startBenchController } from "./lib/device.ts";
import { cpuMs, type Memory, memory, timeCommand } from "./lib/procfs.ts";
import { fmt, median, ratios, summary } from "./lib/stats.ts";
import { afterConfigPoll, statusUuid } from "./lib/steady.ts";
import { buildProbes, type ProtocolResults, protocolBench, protocolReport } from "./protocol.ts";
import { TPM_OPS, type TpmResults, tpmBench } from "./tpm.ts";

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const IDLE_S = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5000);
/** After a config poll reached the controller: its TLS, TPM signature and reply, then the agent's settle 2 s on. */
const STEADY_MS = Number(process.env.BENCH_STEADY_MS ?? 10_000);
const LOAD_RATE = Number(process.env.BENCH_LOAD_RATE ?? 2000);
const LOAD_SLICE_MS = Number(process.env.BENCH_LOAD_SLICE_MS ?? 1000);
const LOAD_SLICES = Number(process.env.BENCH_LOAD_SLICES ?? 6);
const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 5);
const POLL_COST_N = 200;
const TPM_N = Number(process.env.BENCH_TPM_N ?? 50);
// The C floor makes its own device key on its own swtpm; any 7-character auth does.
const AUTH = "floor00";

const started = performance.now();
function say(msg: string): void {
  process.stderr.write(`bench [${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
}

interface Round {
  coldMs: number;
  warmMs: number;
  coldCpuMs: number;
  warmCpuMs: number;
  coldPolls: number;
  warmPolls: number;
  coldRequests: number;
  warmRequests: number;
  coldSigns: number;
  warmSigns: number;
  mem: { agent: Memory; idle: Memory; serve: Memory };
  /** the same, BENCH_STEADY_MS after the first config poll that follows trusted */
  steady: { agent: Memory; idle: Memory; serve: Memory; pollS: number };
  idleCpu: { agent: number; idle: number; serve: number };
  /** agent CPU ms/s from the first reading to the steady one, the config poll included */
  pollCpu: number;
  load: { agent: LoadResult; serve: LoadResult };
  cli: { hello: number; version: number; status: number; check: number };
  floor: { start: number; rttCold: number; rttWarm: number; tpmCold: number; tpmWarm: number; cold: number; warm: number };
  statusBytes: number;
  /** agent CPU per status request, sequential requests after the idle window */
  pollCpuMs: number;
  replays: { cold: Replay; warm: Replay };
}

interface LoadResult {
  n: number;
  errors: number;
  bytes: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
}

function spawnQuiet(cmd: string[]): Subprocess {
  return Bun.spawn(cmd, { stdout: "ignore", stderr: "ignore", stdin: "ignore" });
}

async function stopProc(p: Subprocess): Promise<void> {
  if (p.exitCode === null) p.kill("SIGTERM");
  const t = setTimeout(() => p.kill("SIGKILL"), 5000);
  await p.exited;
  clearTimeout(t);
}

async function waitForPath(path: string, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!existsSync(path)) {
    if (performance.now() > end) throw new Error(`${path} did not appear`);
    await Bun.sleep(10);
  }
}

/** Both endpoints under the same open-loop load, taking turns in slices (bench/baselines/load.ts). */
async function load(agentSocket: string, bareSocket: string): Promise<{ agent: LoadResult; serve: LoadResult }> {
  const args = [String(LOAD_RATE), String(LOAD_SLICE_MS), String(LOAD_SLICES), "500", agentSocket, bareSocket];
  const p = Bun.spawn([process.execPath, join(REPO, "bench/baselines/load.ts"), ...args], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`load generator failed: ${err}`);
  const [agent, serve] = JSON.parse(out) as LoadResult[];
  return { agent: agent!, serve: serve! };
}

/** Requests an agent signs with the device key: all but GET /certs and the onboarding-signed /register. */
function deviceSigned(reqs: RecordedRequest[]): number {
  return reqs.filter((r) => !/\/(certs|register)$/.test(new URL(r.url).pathname)).length;
}

interface Replay {
  ms: number;
  statuses: number[];
  each: number[];
}

async function replay(bin: string, ca: string, reqs: RecordedRequest[], dir: string, name: string): Promise<Replay> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ca, requests: reqs.map(({ method, url, headers, body }) => ({ method, url, headers, body })) }));
  // Not spawnSync: the controller answering the replay runs on this process's event loop.
  const p = Bun.spawn([bin, file], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`rtt replay failed: ${err}`);
  return JSON.parse(out) as Replay;
}

function esysBoot(bin: string, mode: "boot-cold" | "boot-warm", tcti: string, signs: number): number {
  const r = Bun.spawnSync([bin, mode, tcti, AUTH, String(signs)], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`esys-bench ${mode} failed: ${r.stderr.toString()}`);
  return (JSON.parse(r.stdout.toString()) as { ms: number }).ms;
}

async function round(i: number, bc: BenchController, agentBin: string, base: Baselines, esysBin: string): Promise<Round> {
  const dev = await benchDevice(bc, `BENCH-SN-${i}-${Date.now()}`);
  const scratch = mkdtempSync(join(tmpdir(), "edge-agent-bench-round-"));
  const extra: Subprocess[] = [];
  try {
    const cold = await dev.boot(agentBin);
    say(`round ${i + 1}: cold boot trusted in ${cold.boot.wallMs.toFixed(0)} ms, ${cold.boot.cpuMs} ms CPU, ${cold.boot.requests.length} requests`);
    await cold.stop();
    await dev.powerCycle();
    const warm = await dev.boot(agentBin);
    const trustedAt = performance.now();
    say(`round ${i + 1}: warm boot trusted in ${warm.boot.wallMs.toFixed(0)} ms, ${warm.boot.cpuMs} ms CPU, ${warm.boot.requests.length} requests`);

    // The baselines start now, so they idle through the same window as the agent.
    const bodyFile = join(scratch, "status.json");
    writeFileSync(bodyFile, warm.boot.statusBody);
    const bareSocket = join(scratch, "bare.sock");
    const idle = spawnQuiet([base.idle]);
    const serve = spawnQuiet([base.serve, bareSocket, bodyFile]);
    extra.push(idle, serve);
    await waitForPath(bareSocket);
    await Bun.sleep(SETTLE_MS);
    const mem = { agent: memory(warm.pid), idle: memory(idle.pid), serve: memory(serve.pid) };
    const c0 = { agent: cpuMs(warm.pid), idle: cpuMs(idle.pid), serve: cpuMs(serve.pid) };
    const w0 = performance.now();
    await Bun.sleep(IDLE_S * 1000);
    const secs = (performance.now() - w0) / 1000;
    const idleCpu = {
      agent: (cpuMs(warm.pid) - c0.agent) / secs,
      idle: (cpuMs(idle.pid) - c0.idle) / secs,
      serve: (cpuMs(serve.pid) - c0.serve) / secs,
    };
    say(
      `round ${i + 1}: idle RSS ${(mem.agent.rssKb / 1024).toFixed(1)} MB (bare ${(mem.idle.rssKb / 1024).toFixed(1)} MB), idle CPU ${idleCpu.agent.toFixed(2)} ms/s (bare ${idleCpu.idle.toFixed(2)})`,
    );
    // The steady state: the poller's first wait after the boot's config is 0.3–1.0 of its 60 s interval, so this
    // mostly overlaps the idle window above; nothing else talks to the agent meanwhile.
    const uuid = statusUuid(warm.boot.statusBody);
    const pollAt = await afterConfigPoll(bc, trustedAt, 1, STEADY_MS, uuid ? { uuid } : {});
    const steady = { agent: memory(warm.pid), idle: memory(idle.pid), serve: memory(serve.pid), pollS: (pollAt - trustedAt) / 1000 };
    const pollCpu = (cpuMs(warm.pid) - c0.agent) / ((performance.now() - w0) / 1000);
    say(
      `round ${i + 1}: ${STEADY_MS / 1000} s after the config poll at ${steady.pollS.toFixed(0)} s: RSS ${(steady.agent.rssKb / 1024).toFixed(1)} MB (bare ${(steady.idle.rssKb / 1024).toFixed(1)} MB), CPU since the idle window began ${pollCpu.toFixed(2)} ms/s`,
    );

    // What one status poll costs the agent, to read CPU to trusted without the bench's own polling.
    const p0 = cpuMs(warm.pid);
    for (let k = 0; k < POLL_COST_N; k++) {
      const res = await fetch("http://localhost/v1/status", { unix: warm.socket } as RequestInit);
      await res.arrayBuffer();
    }
    const pollCpuMs = (cpuMs(warm.pid) - p0) / POLL_COST_N;

    const loads = await load(warm.socket, bareSocket);
    say(`round ${i + 1}: status p99 at ${LOAD_RATE}/s ${loads.agent.p99.toFixed(2)} ms (bare ${loads.serve.p99.toFixed(2)} ms)`);

    const runs: Record<keyof Round["cli"], number[]> = { hello: [], version: [], status: [], check: [] };
    for (let k = 0; k < CLI_RUNS; k++) {
      runs.hello.push(await timeCommand([base.hello]));
      runs.version.push(await timeCommand([agentBin, "version"]));
      runs.hello.push(await timeCommand([base.hello]));
      runs.status.push(await timeCommand([agentBin, "status", "--config", warm.configFile]));
      runs.hello.push(await timeCommand([base.hello]));
      // check exits 1 when a diagnostic fails (a software TPM may warn); its start is what is timed.
      runs.check.push(await timeCommand([agentBin, "check", "--config", warm.configFile], { allowFail: true }));
    }
    const cli = { hello: median(runs.hello), version: median(runs.version), status: median(runs.status), check: median(runs.check) };
    say(
      `round ${i + 1}: version ${cli.version.toFixed(0)} ms, status ${cli.status.toFixed(0)} ms, check ${cli.check.toFixed(0)} ms, hello ${cli.hello.toFixed(1)} ms`,
    );
    await warm.stop();
    await Promise.all(extra.splice(0).map(stopProc));

    // The floor: process start + the same requests replayed + the TPM work in C on a fresh swtpm.
    const replayCold = await replay(base.rtt, bc.ctl.pki.trustPem, cold.boot.requests, scratch, "cold");
    const replayWarm = await replay(base.rtt, bc.ctl.pki.trustPem, warm.boot.requests, scratch, "warm");
    const rttCold = replayCold.ms;
    const rttWarm = replayWarm.ms;
    const coldSigns = deviceSigned(cold.boot.requests);
    const warmSigns = deviceSigned(warm.boot.requests);
    const sw = await startSwtpm();
    let tpmCold: number;
    let tpmWarm: number;
    try {
      tpmCold = esysBoot(esysBin, "boot-cold", sw.tcti, coldSigns);
      tpmWarm = esysBoot(esysBin, "boot-warm", sw.tcti, warmSigns);
    } finally {
      await sw.stop();
    }
    const floor = { start: cli.hello, rttCold, rttWarm, tpmCold, tpmWarm, cold: cli.hello + rttCold + tpmCold, warm: cli.hello + rttWarm + tpmWarm };
    say(
      `round ${i + 1}: floor cold ${floor.cold.toFixed(0)} ms (rtt ${rttCold.toFixed(0)}, tpm ${tpmCold.toFixed(0)}), warm ${floor.warm.toFixed(0)} ms (rtt ${rttWarm.toFixed(0)}, tpm ${tpmWarm.toFixed(0)})`,
    );
    return {
      coldMs: cold.boot.wallMs,
      warmMs: warm.boot.wallMs,
      coldCpuMs: cold.boot.cpuMs,
      warmCpuMs: warm.boot.cpuMs,
      coldPolls: cold.boot.polls,
      warmPolls: warm.boot.polls,
      coldRequests: cold.boot.requests.length,
      warmRequests: warm.boot.requests.length,
      coldSigns,
      warmSigns,
      mem,
      steady,
      idleCpu,
      pollCpu,
      load: loads,
      cli,
      floor,
      statusBytes: warm.boot.statusBody.length,
      pollCpuMs,
      replays: { cold: replayCold, warm: replayWarm },
    };
  } finally {
    await Promise.all(extra.map(stopProc));
    await dev.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---- report ---------------------------------------------------------------

type Row = [what: string, agent: string, baseline: string, ratio: string, goal: string];

function report(rounds: Round[], tpm: TpmResults, proto: ProtocolResults, sizes: { agent: number; hello: number }): string {
  const col = <T>(f: (r: Round) => T) => rounds.map(f) as unknown as number[];
  const mb = (kb: number[]) => kb.map((k) => k / 1024);
  const ratioCell = (a: number[], b: number[], goal?: number) => {
    const s = summary(ratios(a, b));
    return `${fmt(s, 2, "×")}${goal === undefined ? "" : s.median <= goal ? " ✓" : " ✗"}`;
  };
  const rows: Row[] = [];
  const memRow = (what: string, key: "rssKb" | "pssKb", at: "mem" | "steady" = "mem") => {
    const a = mb(col((r) => r[at].agent[key]));
    const b = mb(col((r) => r[at].idle[key]));
    const s = mb(col((r) => r[at].serve[key]));
    rows.push([
      what,
      `${fmt(summary(a))} MB`,
      `waits: ${fmt(summary(b))} MB; Bun.serve: ${fmt(summary(s))} MB`,
      `${ratioCell(a, b, 1.5)} (vs serve ${fmt(summary(ratios(a, s)), 2, "×")})`,
      "≤ 1.5×",
    ]);
  };
  memRow("idle RSS after trusted", "rssKb");
  memRow("idle PSS after trusted", "pssKb");
  memRow("idle RSS after the first config poll", "rssKb", "steady");
  memRow("idle PSS after the first config poll", "pssKb", "steady");
  for (const kind of ["cold", "warm"] as const) {
    const a = col((r) => (kind === "cold" ? r.coldMs : r.warmMs));
    const f = col((r) => r.floor[kind]);
    const goal = kind === "cold" ? 2 : 3;
    rows.push([`${kind} boot to trusted`, `${fmt(summary(a), 0)} ms`, `floor ${fmt(summary(f), 0)} ms`, ratioCell(a, f, goal), `≤ ${goal}×`]);
  }
  for (const kind of ["cold", "warm"] as const) {
    const a = col((r) => (kind === "cold" ? r.coldCpuMs : r.warmCpuMs));
    const s = summary(a);
    rows.push([`CPU to trusted (${kind})`, `${fmt(s, 0)} ms`, "—", "—", `≤ 250 ms${s.median <= 250 ? " ✓" : " ✗"}`]);
  }
  const hello = col((r) => r.cli.hello);
  for (const cmd of ["version", "status", "check"] as const) {
    const a = col((r) => r.cli[cmd]);
    rows.push([`\`edge-agent ${cmd}\` start`, `${fmt(summary(a), 0)} ms`, `compiled hello ${fmt(summary(hello), 1)} ms`, ratioCell(a, hello, 3), "≤ 3×"]);
  }
  for (const op of TPM_OPS) {
    const c = tpm.c[op];
    const w = tpm.worker[op];
    const t = tpm.thread[op];
    rows.push([
      `TPM ${op} (Worker path; in-thread)`,
      `${fmt(summary(w), 2)} ms; ${fmt(summary(t), 2)} ms`,
      `C ESAPI ${fmt(summary(c), 2)} ms`,
      `${ratioCell(w, c, 1.2)}; in-thread ${fmt(summary(ratios(t, c)), 2, "×")}`,
      op === "unseal" ? "—" : "≤ 1.2×",
    ]);
  }
  {
    const a = col((r) => r.load.agent.p99);
    const b = col((r) => r.load.serve.p99);
    rows.push([
      `status p99 at ${LOAD_RATE} req/s`,
      `${fmt(summary(a), 2)} ms`,
      `bare Bun.serve, same bytes: ${fmt(summary(b), 2)} ms`,
      ratioCell(a, b, 1.5),
      "≤ 1.5×",
    ]);
  }
  {
    const a = col((r) => r.idleCpu.agent);
    const b = col((r) => r.idleCpu.idle);
    const s = summary(a);
    rows.push([
      `idle CPU over ${IDLE_S} s`,
      `${fmt(s, 2)} ms/s`,
      `waits: ${fmt(summary(b), 2)} ms/s`,
      ratioCell(a, b),
      `≤ 2 ms/s${s.median <= 2 ? " ✓" : " ✗"}`,
    ]);
  }
  {
    const r = sizes.agent / sizes.hello;
    rows.push([
      "binary",
      `${(sizes.agent / 1e6).toFixed(1)} MB`,
      `compiled hello ${(sizes.hello / 1e6).toFixed(1)} MB`,
      `${r.toFixed(3)}×${r <= 1.03 ? " ✓" : " ✗"}`,
      "≤ 1.03×",
    ]);
  }
  const lines = [
    `edge-agent footprint, ${new Date().toISOString().slice(0, 10)}, ${rounds.length} interleaved rounds (median (min–max); ✓/✗ = goal of issue 11 met by the median)`,
    "",
    "| what | edge-agent | baseline in the same run | ratio | goal |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
    "Details:",
  ];
  const d = (label: string, xs: number[], digits = 1, unit = "") => `${label ? `${label} ` : ""}${fmt(summary(xs), digits, unit)}`;
  lines.push(
    `- memory (MB): agent anon ${fmt(summary(mb(col((r) => r.mem.agent.anonKb))))} / file ${fmt(summary(mb(col((r) => r.mem.agent.fileKb))))}; ` +
      `waits anon ${fmt(summary(mb(col((r) => r.mem.idle.anonKb))))} / file ${fmt(summary(mb(col((r) => r.mem.idle.fileKb))))}; ` +
      `Bun.serve anon ${fmt(summary(mb(col((r) => r.mem.serve.anonKb))))} / file ${fmt(summary(mb(col((r) => r.mem.serve.fileKb))))}`,
    `- memory after the first config poll (MB; the poll ${fmt(summary(col((r) => r.steady.pollS)), 0)} s after trusted): agent anon ${fmt(summary(mb(col((r) => r.steady.agent.anonKb))))} / file ${fmt(summary(mb(col((r) => r.steady.agent.fileKb))))}; ` +
      `waits anon ${fmt(summary(mb(col((r) => r.steady.idle.anonKb))))} / file ${fmt(summary(mb(col((r) => r.steady.idle.fileKb))))}; ` +
      `agent CPU from the idle window's start to this reading, the poll included, ${fmt(summary(col((r) => r.pollCpu)), 2)} ms/s`,
    `- cold floor (ms): ${d(
      "process start",
      col((r) => r.floor.start),
    )} + ${d(
      "HTTPS",
      col((r) => r.floor.rttCold),
      0,
    )} (${d(
      "requests",
      col((r) => r.coldRequests),
      0,
    )}) + ${d(
      "TPM in C",
      col((r) => r.floor.tpmCold),
      0,
    )} (${d(
      "signatures",
      col((r) => r.coldSigns),
      0,
    )})`,
    `- warm floor (ms): ${d(
      "process start",
      col((r) => r.floor.start),
    )} + ${d(
      "HTTPS",
      col((r) => r.floor.rttWarm),
      0,
    )} (${d(
      "requests",
      col((r) => r.warmRequests),
      0,
    )}) + ${d(
      "TPM in C",
      col((r) => r.floor.tpmWarm),
      0,
    )} (${d(
      "signatures",
      col((r) => r.warmSigns),
      0,
    )})`,
    `- status polls until trusted (20 ms apart): ${d(
      "cold",
      col((r) => r.coldPolls),
      0,
    )}, ${d(
      "warm",
      col((r) => r.warmPolls),
      0,
    )}; ` +
      `one poll costs the agent ${d(
        "",
        col((r) => r.pollCpuMs),
        2,
        " ms CPU",
      )}, so CPU to trusted without them is ` +
      `${d(
        "cold",
        col((r) => r.coldCpuMs - r.coldPolls * r.pollCpuMs),
        0,
        " ms",
      )}, ${d(
        "warm",
        col((r) => r.warmCpuMs - r.warmPolls * r.pollCpuMs),
        0,
        " ms",
      )}`,
    `- status load: document ${d(
      "",
      col((r) => r.statusBytes),
      0,
      " B",
    )}; agent ${d(
      "p50",
      col((r) => r.load.agent.p50),
      2,
      " ms",
    )}, ${d(
      "achieved",
      col((r) => r.load.agent.rate),
      0,
      "/s",
    )}, ${d(
      "errors",
      col((r) => r.load.agent.errors),
      0,
    )}; ` +
      `bare ${d(
        "p50",
        col((r) => r.load.serve.p50),
        2,
        " ms",
      )}, ${d(
        "achieved",
        col((r) => r.load.serve.rate),
        0,
        "/s",
      )}, ${d(
        "errors",
        col((r) => r.load.serve.errors),
        0,
      )}`,
    `- idle CPU of the bare Bun.serve: ${d(
      "",
      col((r) => r.idleCpu.serve),
      2,
      " ms/s",
    )}`,
    ...protocolReport(proto),
  );
  return lines.join("\n");
}

async function main(): Promise<void> {
  say(`building the agent (npm run build), the baselines and the C ESAPI program`);
  const [agentBin, base, esysBin, probes] = [await buildAgent(), await buildBaselines(), await buildEsysBench(), await buildProbes()];
  const sizes = { agent: sizeBytes(agentBin), hello: sizeBytes(base.hello) };
  const bc = await startBenchController();
  const rounds: Round[] = [];
  let tpm: TpmResults;
  try {
    for (let i = 0; i < ROUNDS; i++) rounds.push(await round(i, bc, agentBin, base, esysBin));
    tpm = await tpmBench(esysBin, ROUNDS, TPM_N, say);
  } finally {
    await bc.stop();
  }
  say("protobuf schema start-up probes");
  const proto = await protocolBench(probes, ROUNDS, 5);
  writeFileSync(join(OUT, "results.json"), JSON.stringify({ date: new Date().toISOString(), rounds, tpm, proto, sizes }, null, 2) + "\n");
  process.stdout.write(report(rounds, tpm, proto, sizes) + "\n");
  say(`done; raw figures in ${join(OUT, "results.json")}`);
}

// `npm run bench -- keylime`: the Keylime pull server's figures alone (bench/keylime.ts).
if (process.argv[2] === "keylime") {
  const { keylimeBench, keylimeReport } = await import("./keylime.ts");
  const b = await keylimeBench();
  writeFileSync(join(OUT, "keylime.json"), JSON.stringify(b, null, 2) + "\n");
  process.stdout.write(keylimeReport(b) + "\n");
} else if (process.argv[2] === "boot") {
  const { bootBench, bootReport } = await import("./boot.ts");
  const b = await bootBench();
  writeFileSync(join(OUT, "boot.json"), JSON.stringify(b, null, 2) + "\n");
  process.stdout.write(bootReport(b) + "\n");
} else await main();
