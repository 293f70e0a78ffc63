// npm run fuzz: FUZZ_RUNS inputs per target (default 1,000,000) from a random
// seed, or FUZZ_SEED to replay one; FUZZ_TARGETS=a,b picks targets;
// FUZZ_TIME_LIMIT_S caps each target's wall time; FUZZ_JOBS=N runs targets in
// N child processes at once (one target per child, so each child's peak RSS
// is its target's). Prints per target: inputs, accepted, distinct errors,
// slowest input, peak memory, seed; a progress line every FUZZ_PROGRESS_S
// seconds. A failure is shrunk and written to test/fuzz/regressions/ so the
// suite replays it. FUZZ_SHARDS=K (with FUZZ_JOBS) splits each target's
// budget over K children with their own seeds: K independent random streams
// of FUZZ_RUNS/K inputs, counted together, so one target can use both cores.
//
// Every finished target also leaves its figures in FUZZ_OUT (default
// .tmp/fuzz/)/results/<target>-<seed>.json, and summary.json there holds, per
// target, the run that went furthest (completed first, then most inputs), so
// runs made separately add up to one table: `bun run test/fuzz/run.ts --table`
// prints it as the README's Markdown.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { formatStats, runTarget, statsRecord, type TargetStats } from "./lib.ts";

const ROOT = join(import.meta.dir, "..", "..");
const OUT = process.env.FUZZ_OUT ?? join(ROOT, ".tmp", "fuzz");
const RESULTS = join(OUT, "results");

const runs = Number(process.env.FUZZ_RUNS ?? 1_000_000);
const fixedSeed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const only = process.env.FUZZ_TARGETS?.split(",").filter(Boolean);
/** FUZZ_TIME_LIMIT_S: per-target wall-clock cap; the printed count says how many inputs fitted */
const timeLimitMs = process.env.FUZZ_TIME_LIMIT_S ? Number(process.env.FUZZ_TIME_LIMIT_S) * 1000 : undefined;
const jobs = Math.max(1, Number(process.env.FUZZ_JOBS ?? 1));
const progressMs = Number(process.env.FUZZ_PROGRESS_S ?? 60) * 1000;
const shards = Math.max(1, Number(process.env.FUZZ_SHARDS ?? 1));
/** set by the parent for a shard: the run it belongs to and which part it is */
const group = process.env.FUZZ_GROUP;
const shard = process.env.FUZZ_SHARD;

type RunRecord = Omit<ReturnType<typeof statsRecord>, "seed"> & {
  /** one seed, or the shards' seeds joined with "+" */
  seed: number | string;
  group?: string;
  shard?: string;
  runsRequested: number;
  completed: boolean;
  wallS: number;
  inputsPerS: number;
  startedAt: string;
  endedAt: string;
  /** the machine's 1-minute load average at the start and the end: context for the rates */
  load: [number, number];
  timeLimitS?: number;
};

const newSeed = () => (Math.random() * 2 ** 31) | 0;
const load1 = () => Number(loadavg()[0]!.toFixed(2));

function writeJson(file: string, v: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(v, null, 1)}\n`);
  renameSync(tmp, file);
}

/** The shards of one sharded run as one record: counts added, worst slowest input and peak memory. */
function mergeShards(parts: RunRecord[]): RunRecord {
  if (parts.length === 1 && !parts[0]!.shard) return parts[0]!;
  const outcomes: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + (v as number);
  const slowest = parts.reduce((a, b) => (b.slowestMs > a.slowestMs ? b : a));
  const peak = parts.reduce((a, b) => (b.peakRssMb > a.peakRssMb ? b : a));
  const inputs = parts.reduce((s, p) => s + p.inputs, 0);
  const startedAt = parts.map((p) => p.startedAt).sort()[0]!;
  const endedAt = parts
    .map((p) => p.endedAt)
    .sort()
    .at(-1)!;
  const wallS = (Date.parse(endedAt) - Date.parse(startedAt)) / 1000;
  const failure = parts.find((p) => p.failure)?.failure;
  const declared = Number(parts[0]!.shard?.split("/")[1] ?? parts.length);
  return {
    ...parts[0]!,
    inputs,
    accepted: parts.reduce((s, p) => s + p.accepted, 0),
    outcomes: Object.fromEntries(Object.entries(outcomes).sort((a, b) => b[1] - a[1])),
    distinctErrors: Object.keys(outcomes).filter((k) => k !== "ok").length,
    slowestMs: slowest.slowestMs,
    slowestWallMs: slowest.slowestWallMs,
    slowestInputBytes: slowest.slowestInputBytes,
    peakRssMb: peak.peakRssMb,
    baselineRssMb: peak.baselineRssMb,
    seed: parts.map((p) => p.seed).join("+"),
    shard: `${parts.length} of ${declared} shards`,
    runsRequested: parts[0]!.runsRequested * declared,
    completed: parts.length === declared && parts.every((p) => p.completed),
    wallS,
    inputsPerS: Number((inputs / Math.max(wallS, 0.001)).toFixed(1)),
    startedAt,
    endedAt,
    load: [parts[0]!.load[0], parts.at(-1)!.load[1]],
    ...(failure ? { failure } : {}),
  };
}

/** The best run of each target among every result file (shards of one run merged): a completed run over a partial one, then more inputs, then the later. */
function summarize(): Record<string, RunRecord> {
  const best: Record<string, RunRecord> = {};
  let names: string[] = [];
  try {
    names = readdirSync(RESULTS).filter((n) => n.endsWith(".json"));
  } catch {}
  const groups = new Map<string, RunRecord[]>();
  for (const n of names) {
    let r: RunRecord;
    try {
      r = JSON.parse(readFileSync(join(RESULTS, n), "utf8"));
    } catch {
      continue;
    }
    const g = `${r.target} ${r.group ?? n}`;
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  for (const parts of groups.values()) {
    const r = mergeShards(parts);
    const b = best[r.target];
    const better =
      !b ||
      Number(r.completed) - Number(b.completed) > 0 ||
      (r.completed === b.completed && (r.inputs > b.inputs || (r.inputs === b.inputs && r.endedAt > b.endedAt)));
    if (better) best[r.target] = r;
  }
  return best;
}

function record(r: RunRecord): void {
  mkdirSync(RESULTS, { recursive: true });
  writeJson(join(RESULTS, `${r.target}-${r.seed}${r.shard ? `-${r.shard.replace("/", "of")}` : ""}.json`), r);
  writeJson(join(OUT, "summary.json"), summarize());
}

const n = (x: number) => x.toLocaleString("en-US");

function table(): string {
  const rows = Object.values(summarize()).sort((a, b) => a.target.localeCompare(b.target));
  const lines = [
    "| target | inputs | accepted | distinct errors | slowest input (CPU) | peak RSS (start) | inputs/s | seed |",
    "| --- | ---: | ---: | ---: | --- | --- | ---: | ---: |",
  ];
  for (const r of rows) {
    const inputs = r.completed ? n(r.inputs) : `${n(r.inputs)} of ${n(r.runsRequested)}${r.failure ? " (failed)" : ""}`;
    lines.push(
      `| ${r.target} | ${inputs} | ${n(r.accepted)} | ${r.distinctErrors} | ${r.slowestMs.toFixed(1)} ms (${r.slowestInputBytes} B) | ${r.peakRssMb} MiB (${r.baselineRssMb}) | ${n(Math.round(r.inputsPerS))} | ${String(r.seed).replaceAll("+", " ")} |`,
    );
  }
  return lines.join("\n");
}

/** Runs the picked targets one after another in this process; returns how many failed. */
async function runHere(names: string[] | undefined, seedFor: (t: string) => number): Promise<number> {
  const { makeTargets } = await import("./targets.ts");
  const { targets, cleanup } = await makeTargets();
  let failed = 0;
  // In FUZZ_TARGETS order when given, so the cheap or the slow can go first.
  const picked = names ? names.flatMap((n) => targets.filter((t) => t.name === n)) : targets;
  try {
    for (const t of picked) {
      const seed = seedFor(t.name);
      const startedAt = new Date().toISOString();
      const loadStart = load1();
      const t0 = performance.now();
      const recordOf = (stats: TargetStats): RunRecord => {
        const wallS = (performance.now() - t0) / 1000;
        return {
          ...statsRecord(stats),
          ...(group && shard ? { group, shard } : {}),
          runsRequested: runs,
          completed: !stats.failure && stats.inputs >= runs,
          wallS: Number(wallS.toFixed(1)),
          inputsPerS: Number((stats.inputs / wallS).toFixed(1)),
          startedAt,
          endedAt: new Date().toISOString(),
          load: [loadStart, load1()],
          ...(timeLimitMs ? { timeLimitS: timeLimitMs / 1000 } : {}),
        };
      };
      const stats = await runTarget(t, {
        runs,
        seed,
        keepFailure: true,
        progressMs,
        onProgress: (s, ms) => {
          // The figures so far are kept too: a run stopped before its budget still says how far it got.
          record(recordOf(s));
          console.log(
            `  ${s.target}${shard ? ` [${shard}]` : ""}: ${n(s.inputs)} of ${n(runs)} inputs, ${Math.round(s.inputs / (ms / 1000))}/s, ${(ms / 1000).toFixed(0)} s, load ${load1()}`,
          );
        },
        ...(timeLimitMs ? { timeLimitMs } : {}),
      });
      const wallS = (performance.now() - t0) / 1000;
      const r = recordOf(stats);
      record(r);
      console.log(`${formatStats(stats)}\n  wall ${wallS.toFixed(1)} s, ${Math.round(r.inputsPerS)} inputs/s`);
      if (stats.failure) failed++;
    }
  } finally {
    cleanup();
  }
  return failed;
}

/** One child process per target (or per shard of one), `jobs` at a time. */
async function runInChildren(names: string[]): Promise<number> {
  const runId = `${Date.now().toString(36)}-${process.pid}`;
  const queue = names.flatMap((name) => Array.from({ length: shards }, (_, i) => ({ name, i })));
  let failed = 0;
  const worker = async () => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      const { name, i } = job;
      // A replayed seed stays the first shard's; the others derive from it.
      const seed = fixedSeed === undefined ? newSeed() : (fixedSeed + i) | 0;
      const sharding = shards > 1 ? { FUZZ_RUNS: String(Math.ceil(runs / shards)), FUZZ_GROUP: `${runId}-${name}`, FUZZ_SHARD: `${i + 1}/${shards}` } : {};
      const code = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ["run", join(import.meta.dir, "run.ts")], {
          env: { ...process.env, FUZZ_JOBS: "1", FUZZ_TARGETS: name, FUZZ_SEED: String(seed), ...sharding },
          stdio: "inherit",
        });
        child.on("exit", (c, sig) => resolve(c ?? (sig ? 128 : 1)));
      });
      if (code !== 0) {
        failed++;
        console.log(`${name}: child exited with ${code} (seed ${seed})`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, names.length) }, worker));
  return failed;
}

if (process.argv.includes("--table")) {
  console.log(table());
  process.exit(0);
}

let failed: number;
if (jobs > 1) {
  const { makeTargets } = await import("./targets.ts");
  const { targets, cleanup } = await makeTargets();
  const all = targets.map((t) => t.name);
  // In FUZZ_TARGETS order when given, so the slowest can go first.
  const names = only ? only.filter((t) => all.includes(t)) : all;
  cleanup();
  failed = await runInChildren(names);
  console.log(`\nsummary (${join(OUT, "summary.json")}):\n${table()}`);
} else {
  failed = await runHere(only, () => fixedSeed ?? newSeed());
}
process.exit(failed ? 1 : 0);
