// Replays every shrunk failure the fuzzer ever kept (test/fuzz/regressions/):
// each must now give a typed error or a correct result, like any other input.
import { afterAll, describe, expect, test } from "bun:test";
import { checkOne, readRegressions } from "./lib.ts";
import { makeTargets } from "./targets.ts";

const { targets, cleanup } = await makeTargets();
afterAll(cleanup);
const byName = new Map(targets.map((t) => [t.name, t]));
const cases = readRegressions();

describe("fuzz regressions", () => {
  test("every kept case names a target that exists", () => {
    for (const c of cases) expect(byName.has(c.target)).toBe(true);
  });
  for (const c of cases) {
    test(`${c.target}: ${c.finding}`, async () => {
      const outcome = await checkOne(byName.get(c.target)!, c.input);
      expect(typeof outcome.kind).toBe("string");
    });
  }
});
