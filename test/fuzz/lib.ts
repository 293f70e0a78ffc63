// The fuzz runner: one property per target, checked on every input the
// target's arbitrary makes. fast-check supplies generation, seeds and
// shrinking; this file supplies what "the decoder behaved" means for this
// agent (typed error or correct result, bounded time and memory, no secret in
// an error, no forged input accepted) and keeps shrunk failures as
// regression files.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { AgentError, errorChain, toHex } from "../../src/shared/index.ts";

export { fc };

export interface Target<I> {
  /** file-name safe; regression files start with it */
  name: string;
  /** structure-aware and mutation-based inputs, usually fc.oneof of both */
  arb: fc.Arbitrary<I>;
  /** drives the input through the agent's own entry point; throws what the agent would throw */
  run(input: I): unknown;
  /**
   * Checks an accepted input's result (correctness, and for verification
   * targets that nothing unsigned got through). Throws a plain Error to
   * report a violation.
   */
  check?(input: I, result: unknown): void;
  /** strings that must never appear in an error's text (planted key material, in every encoding the target could print it) */
  secrets?: string[];
  /** inputs per target under npm test when the default budget would take too long for this one */
  ciRuns?: number;
  /** per-call bound in ms (default FUZZ_CALL_MS or 200) */
  callMs?: number;
}

/** One broken property, with what broke. */
export class Violation extends Error {
  constructor(
    readonly what: "untyped-error" | "secret-leak" | "slow" | "hang" | "memory" | "wrong-result",
    message: string,
  ) {
    super(`${what}: ${message}`);
  }
}

export interface TargetStats {
  target: string;
  inputs: number;
  /** error kind (or "ok") -> count */
  outcomes: Map<string, number>;
  /** CPU time of the slowest input (the fastest of its tries when it was retried) */
  slowestMs: number;
  /** its wall time, which includes whatever else the machine was doing */
  slowestWallMs: number;
  slowestInputBytes: number;
  peakRssMb: number;
  baselineRssMb: number;
  seed: number;
  failure?: { message: string; counterexample: string; file?: string };
}

// Read per call so a test file can set it after the imports ran.
const callMsBound = () => Number(process.env.FUZZ_CALL_MS ?? 200);
/** Resident memory a target may add over its run; inputs are at most a few hundred KiB, so more means unbounded allocation. */
const MAX_RSS_GROWTH_MB = Number(process.env.FUZZ_MAX_RSS_GROWTH_MB ?? 384);

// ---------------------------------------------------------------- input files

/** JSON with Uint8Array kept as {"$bytes": base64}, so every input round-trips through a regression file. */
export function serializeInput(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x) => {
      if (x instanceof Uint8Array) return { $bytes: Buffer.from(x).toString("base64") };
      if (typeof x === "bigint") return { $bigint: x.toString() };
      return x;
    },
    1,
  );
}

export function deserializeInput(s: string): unknown {
  return JSON.parse(s, (_k, x) => {
    if (x && typeof x === "object" && typeof x.$bytes === "string") return new Uint8Array(Buffer.from(x.$bytes, "base64"));
    if (x && typeof x === "object" && typeof x.$bigint === "string") return BigInt(x.$bigint);
    return x;
  });
}

export const REGRESSION_DIR = join(import.meta.dir, "regressions");

export interface RegressionCase {
  target: string;
  /** what it found, in a sentence; filled in by hand once the cause is known */
  finding: string;
  input: unknown;
}

export function writeRegression(target: string, input: unknown, finding: string): string {
  mkdirSync(REGRESSION_DIR, { recursive: true });
  const body = serializeInput(input);
  const id = toHex(new Bun.CryptoHasher("sha256").update(body).digest() as unknown as Uint8Array).slice(0, 12);
  const file = join(REGRESSION_DIR, `${target}-${id}.json`);
  writeFileSync(file, `{"target":${JSON.stringify(target)},"finding":${JSON.stringify(finding)},"input":${body}}\n`);
  return file;
}

export function readRegressions(): RegressionCase[] {
  let names: string[];
  try {
    names = readdirSync(REGRESSION_DIR)
      .filter((n) => n.endsWith(".json"))
      .sort();
  } catch {
    return [];
  }
  return names.map((n) => {
    const raw = readFileSync(join(REGRESSION_DIR, n), "utf8");
    const parsed = JSON.parse(raw) as { target: string; finding: string };
    const input = (deserializeInput(raw) as { input: unknown }).input;
    return { target: parsed.target, finding: parsed.finding, input };
  });
}

// ---------------------------------------------------------------- one call

function inputBytes(v: unknown): number {
  let n = 0;
  const walk = (x: unknown, depth: number) => {
    if (depth > 16 || x === null || x === undefined) return;
    if (x instanceof Uint8Array) n += x.length;
    else if (typeof x === "string") n += x.length;
    else if (Array.isArray(x)) for (const y of x) walk(y, depth + 1);
    else if (typeof x === "object") for (const y of Object.values(x)) walk(y, depth + 1);
  };
  walk(v, 0);
  return n;
}

function errorText(e: unknown): string {
  // Everything a log line or status document could show of the error.
  return `${errorChain(e)}\n${e instanceof Error ? String(e.stack ?? "") : ""}`;
}

export interface Outcome {
  kind: string;
  /** CPU time of the call */
  ms: number;
  wallMs: number;
}

/** Wall-clock bound on one call's promise: past it the call never settles (CPU time cannot see an await that never returns). */
const HANG_MS = Number(process.env.FUZZ_HANG_MS ?? 30_000);

class Hung {
  constructor(readonly ms: number) {}
}

function settleWithin<T>(p: PromiseLike<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Hung(ms)), ms);
  });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

/** One call may add this much resident memory, or 64 bytes per input byte if that is more; above it the decoder amplifies its input. */
const CALL_MEMORY_FLOOR = Number(process.env.FUZZ_CALL_MEMORY_MB ?? 64) * 1024 * 1024;
const CALL_MEMORY_PER_BYTE = 64;
let lastRss = process.memoryUsage.rss();

/**
 * One call, timed in CPU time (the process's user + system time, every
 * thread): on this shared 2-core box a niced fuzz run can wait seconds for a
 * core, which says nothing about the decoder; a call that loops or does
 * super-linear work burns CPU whatever the load.
 */
async function timed<I>(
  t: Target<I>,
  input: I,
  precise = false,
): Promise<{ ms: number; wallMs: number; grewBytes: number; result?: unknown; error?: unknown; threw: boolean }> {
  // Reading RSS was a third of a cheap target's time. A first try counts from
  // the last call's reading, so the harness's own generation in between counts
  // against the call: stricter, never looser; a call over the bound is measured
  // again on its own (precise) before it is called a violation.
  const rss0 = precise ? process.memoryUsage.rss() : lastRss;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const done = (rest: { result?: unknown; error?: unknown; threw: boolean }) => {
    const c = process.cpuUsage(c0);
    lastRss = process.memoryUsage.rss();
    return { ms: (c.user + c.system) / 1000, wallMs: performance.now() - t0, grewBytes: lastRss - rss0, ...rest };
  };
  try {
    let result = t.run(input);
    if (result && typeof (result as PromiseLike<unknown>).then === "function") result = await settleWithin(result as PromiseLike<unknown>, HANG_MS);
    return done({ result, threw: false });
  } catch (error) {
    return done({ error, threw: true });
  }
}

/** Runs one input and checks every property; throws a Violation when one breaks. */
export async function checkOne<I>(t: Target<I>, input: I): Promise<Outcome> {
  let r = await timed(t, input);
  if (r.error instanceof Hung) throw new Violation("hang", `the call had not settled after ${r.error.ms} ms`);
  const limit = t.callMs ?? callMsBound();
  // A full GC or the JIT compiling (other threads of this process) can add
  // CPU time to one call; an input is slow when its fastest of five calls,
  // spread over a few hundred ms, is.
  for (let attempt = 1; r.ms > limit && attempt < 5; attempt++) {
    await Bun.sleep(50 * attempt);
    const again = await timed(t, input, true);
    if (again.ms < r.ms) r = again;
  }
  if (r.ms > limit) throw new Violation("slow", `fastest of five calls took ${r.ms.toFixed(1)} ms of CPU (bound ${limit} ms)`);
  const memBound = Math.max(CALL_MEMORY_FLOOR, CALL_MEMORY_PER_BYTE * inputBytes(input));
  if (r.grewBytes > memBound) {
    // Resident memory only grows when the heap does; a second call after a full collection tells a real amplification from a heap that was about to grow anyway.
    Bun.gc(true);
    const again = await timed(t, input, true);
    if (again.grewBytes > memBound) {
      throw new Violation("memory", `one call added ${(again.grewBytes / 2 ** 20).toFixed(0)} MiB of resident memory for ${inputBytes(input)} input bytes`);
    }
  }
  if (r.threw) {
    const e = r.error;
    if (!(e instanceof AgentError) || typeof e.kind !== "string" || e.kind.length === 0) {
      throw new Violation("untyped-error", `${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n${e instanceof Error ? e.stack : ""}`);
    }
    const text = errorText(e);
    for (const s of t.secrets ?? []) {
      if (s.length > 0 && text.includes(s)) throw new Violation("secret-leak", `error text carries planted secret ${s.slice(0, 6)}…: ${errorChain(e)}`);
    }
    return { kind: e.kind, ms: r.ms, wallMs: r.wallMs };
  }
  try {
    t.check?.(input, r.result);
  } catch (e) {
    throw new Violation("wrong-result", (e as Error).message);
  }
  return { kind: "ok", ms: r.ms, wallMs: r.wallMs };
}

// ---------------------------------------------------------------- a run

export interface RunOptions {
  runs: number;
  seed: number;
  /** write the shrunk counterexample under regressions/ */
  keepFailure?: boolean;
  /** stop generating after this long (the stats say how far it got) */
  timeLimitMs?: number;
  /** called about every progressMs with the figures so far (a long run says how far it is) */
  onProgress?: (s: TargetStats, elapsedMs: number) => void;
  progressMs?: number;
}

const rssMb = () => process.memoryUsage().rss / (1024 * 1024);

export async function runTarget<I>(t: Target<I>, opts: RunOptions): Promise<TargetStats> {
  Bun.gc(true);
  const stats: TargetStats = {
    target: t.name,
    inputs: 0,
    outcomes: new Map(),
    slowestMs: 0,
    slowestWallMs: 0,
    slowestInputBytes: 0,
    peakRssMb: rssMb(),
    baselineRssMb: rssMb(),
    seed: opts.seed,
  };
  // Shrinking replays inputs; only first-pass inputs count.
  let shrinking = false;
  const started = performance.now();
  let nextProgress = started + (opts.progressMs ?? 60_000);
  const prop = fc.asyncProperty(t.arb, async (input) => {
    let o: Outcome;
    try {
      o = await checkOne(t, input);
    } catch (e) {
      shrinking = true;
      throw e;
    }
    if (shrinking) return;
    stats.inputs++;
    stats.outcomes.set(o.kind, (stats.outcomes.get(o.kind) ?? 0) + 1);
    if (o.ms > stats.slowestMs) {
      stats.slowestMs = o.ms;
      stats.slowestWallMs = o.wallMs;
      stats.slowestInputBytes = inputBytes(input);
    }
    if ((stats.inputs & 63) === 0) {
      if (opts.onProgress && performance.now() >= nextProgress) {
        nextProgress = performance.now() + (opts.progressMs ?? 60_000);
        opts.onProgress(stats, performance.now() - started);
      }
      const rss = rssMb();
      if (rss > stats.peakRssMb) stats.peakRssMb = rss;
      if (rss - stats.baselineRssMb > MAX_RSS_GROWTH_MB) {
        // Let the collector have its say before calling it unbounded.
        Bun.gc(true);
        const after = rssMb();
        if (after - stats.baselineRssMb > MAX_RSS_GROWTH_MB) {
          throw new Violation(
            "memory",
            `resident memory grew ${(after - stats.baselineRssMb).toFixed(0)} MiB over ${stats.inputs} inputs (bound ${MAX_RSS_GROWTH_MB} MiB)`,
          );
        }
      }
    }
  });
  const details = await fc.check(prop, {
    numRuns: opts.runs,
    seed: opts.seed,
    endOnFailure: false,
    ...(opts.timeLimitMs ? { interruptAfterTimeLimit: opts.timeLimitMs, markInterruptAsFailure: false } : {}),
    reporter: undefined,
    asyncReporter: undefined,
  } as fc.Parameters<[I]>);
  const rss = rssMb();
  if (rss > stats.peakRssMb) stats.peakRssMb = rss;
  if (details.failed) {
    const ce = details.counterexample?.[0];
    const message = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const failure: TargetStats["failure"] = { message, counterexample: serializeInput(ce).slice(0, 2000) };
    if (opts.keepFailure && ce !== undefined) failure.file = writeRegression(t.name, ce, `found by seed ${opts.seed}: ${message.split("\n")[0]}`);
    stats.failure = failure;
  }
  return stats;
}

/** The figures of one run as plain JSON (run.ts keeps them under .tmp/fuzz/ for the README table). */
export function statsRecord(s: TargetStats) {
  const kinds = Object.fromEntries([...s.outcomes.entries()].sort((a, b) => b[1] - a[1]));
  return {
    target: s.target,
    inputs: s.inputs,
    accepted: s.outcomes.get("ok") ?? 0,
    distinctErrors: [...s.outcomes.keys()].filter((k) => k !== "ok").length,
    outcomes: kinds,
    slowestMs: Number(s.slowestMs.toFixed(1)),
    slowestWallMs: Number(s.slowestWallMs.toFixed(1)),
    slowestInputBytes: s.slowestInputBytes,
    peakRssMb: Math.round(s.peakRssMb),
    baselineRssMb: Math.round(s.baselineRssMb),
    seed: s.seed,
    ...(s.failure ? { failure: s.failure } : {}),
  };
}

export function formatStats(s: TargetStats): string {
  const kinds = [...s.outcomes.entries()].sort((a, b) => b[1] - a[1]);
  const distinctErrors = kinds.filter(([k]) => k !== "ok").length;
  const ok = s.outcomes.get("ok") ?? 0;
  return [
    `${s.target}: ${s.inputs} inputs, ${ok} accepted, ${distinctErrors} distinct errors, slowest ${s.slowestMs.toFixed(1)} ms CPU (${s.slowestWallMs.toFixed(1)} ms wall, ${s.slowestInputBytes} bytes), peak RSS ${s.peakRssMb.toFixed(0)} MiB (from ${s.baselineRssMb.toFixed(0)}), seed ${s.seed}`,
    `  errors: ${kinds.map(([k, n]) => `${k}=${n}`).join(" ")}`,
    ...(s.failure
      ? [
          `  FAILED: ${s.failure.message.split("\n").slice(0, 6).join("\n  ")}`,
          `  input: ${s.failure.counterexample.slice(0, 400)}`,
          ...(s.failure.file ? [`  kept as ${s.failure.file}`] : []),
        ]
      : []),
  ].join("\n");
}
