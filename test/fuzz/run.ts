// npm run fuzz: FUZZ_RUNS inputs per target (default 1,000,000) from a random
// seed, or FUZZ_SEED to replay one; FUZZ_TARGETS=a,b picks targets;
// FUZZ_TIME_LIMIT_S caps each target's wall time; FUZZ_JOBS=N runs targets in
// N child processes at once (one target per child, so each child's peak RSS
// is its target's). Prints per target: inputs, accepted, distinct errors,
// slowest input, peak memory, seed; a progress line every FUZZ_PROGRESS_S
// seconds. A failure is shrunk and written to test/fuzz/regressions/ so the
// suite replays it.
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
import { formatStats, runTarget, statsRecord } from "./lib.ts";

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

type RunRecord = ReturnType<typeof statsRecord> & {
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

/** The best run of each target among every result file: a completed run over a partial one, then more inputs, then the later. */
function summarize(): Record<string, RunRecord> {
  const best: Record<string, RunRecord> = {};
  let names: string[] = [];
  try {
    names = readdirSync(RESULTS).filter((n) => n.endsWith(".json"));
  } catch {}
  for (const n of names) {
    let r: RunRecord;
    try {
      r = JSON.parse(readFileSync(join(RESULTS, n), "utf8"));
    } catch {
      continue;
    }
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
  writeJson(join(RESULTS, `${r.target}-${r.seed}.json`), r);
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
      `| ${r.target} | ${inputs} | ${n(r.accepted)} | ${r.distinctErrors} | ${r.slowestMs.toFixed(1)} ms (${r.slowestInputBytes} B) | ${r.peakRssMb} MiB (${r.baselineRssMb}) | ${n(Math.round(r.inputsPerS))} | ${r.seed} |`,
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
      const stats = await runTarget(t, {
        runs,
        seed,
        keepFailure: true,
        progressMs,
        onProgress: (s, ms) =>
          console.log(
            `  ${s.target}: ${n(s.inputs)} of ${n(runs)} inputs, ${Math.round(s.inputs / (ms / 1000))}/s, ${(ms / 1000).toFixed(0)} s, load ${load1()}`,
          ),
        ...(timeLimitMs ? { timeLimitMs } : {}),
      });
      const wallS = (performance.now() - t0) / 1000;
      const r: RunRecord = {
        ...statsRecord(stats),
        runsRequested: runs,
        completed: !stats.failure && stats.inputs >= runs,
        wallS: Number(wallS.toFixed(1)),
        inputsPerS: Number((stats.inputs / wallS).toFixed(1)),
        startedAt,
        endedAt: new Date().toISOString(),
        load: [loadStart, load1()],
        ...(timeLimitMs ? { timeLimitS: timeLimitMs / 1000 } : {}),
      };
      record(r);
      console.log(`${formatStats(stats)}\n  wall ${wallS.toFixed(1)} s, ${Math.round(r.inputsPerS)} inputs/s`);
      if (stats.failure) failed++;
    }
  } finally {
    cleanup();
  }
  return failed;
}

/** One child process per target, `jobs` at a time. */
async function runInChildren(names: string[]): Promise<number> {
  const queue = [...names];
  let failed = 0;
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const seed = fixedSeed ?? newSeed();
      const code = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ["run", join(import.meta.dir, "run.ts")], {
          env: { ...process.env, FUZZ_JOBS: "1", FUZZ_TARGETS: name, FUZZ_SEED: String(seed) },
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
