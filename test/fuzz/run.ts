// npm run fuzz: FUZZ_RUNS inputs per target (default 1,000,000) from a random
// seed, or FUZZ_SEED to replay one; FUZZ_TARGETS=a,b picks targets. Prints
// per target: inputs, distinct errors, slowest input, peak memory. A failure
// is shrunk and written to test/fuzz/regressions/ so the suite replays it.
import { formatStats, runTarget } from "./lib.ts";
import { makeTargets } from "./targets.ts";

const runs = Number(process.env.FUZZ_RUNS ?? 1_000_000);
const fixedSeed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const only = process.env.FUZZ_TARGETS?.split(",").filter(Boolean);
/** FUZZ_TIME_LIMIT_S: per-target wall-clock cap; the printed count says how many inputs fitted */
const timeLimitMs = process.env.FUZZ_TIME_LIMIT_S ? Number(process.env.FUZZ_TIME_LIMIT_S) * 1000 : undefined;

const { targets, cleanup } = await makeTargets();
let failed = 0;
try {
  for (const t of targets) {
    if (only && !only.includes(t.name)) continue;
    const seed = fixedSeed ?? (Math.random() * 2 ** 31) | 0;
    const t0 = performance.now();
    const stats = await runTarget(t, { runs, seed, keepFailure: true, ...(timeLimitMs ? { timeLimitMs } : {}) });
    console.log(`${formatStats(stats)}\n  wall ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (stats.failure) failed++;
  }
} finally {
  cleanup();
}
process.exit(failed ? 1 : 0);
