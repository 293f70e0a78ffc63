// The CI budget: a few thousand inputs per target with a fixed seed, so a
// failure here reproduces byte for byte (FUZZ_TEST_RUNS, FUZZ_TEST_SEED
// change it). `npm run fuzz` is the long, random-seed run.
import { afterAll, describe, expect, test } from "bun:test";
import { formatStats, runTarget } from "./lib.ts";
import { makeTargets } from "./targets.ts";

const RUNS = process.env.FUZZ_TEST_RUNS === undefined ? undefined : Number(process.env.FUZZ_TEST_RUNS);
// In CI the per-call bound catches hangs, not slowness: the suite shares the box with other jobs.
process.env.FUZZ_CALL_MS ??= "1000";
const SEED = Number(process.env.FUZZ_TEST_SEED ?? 20261129);

const { targets, cleanup } = await makeTargets();
afterAll(cleanup);

describe("fuzz (fixed seed)", () => {
  for (const t of targets) {
    test(`${t.name}: every input gives a typed error or a correct result`, async () => {
      const runs = RUNS ?? t.ciRuns ?? 2000;
      const stats = await runTarget(t, { runs, seed: SEED });
      if (stats.failure) console.error(formatStats(stats));
      expect(stats.failure?.message).toBeUndefined();
      expect(stats.inputs).toBe(runs);
    });
  }
});
