/**
 * `edge-agent check` start against one warm-booted device, for comparing
 * builds in one run: each round runs the compiled hello and then `check` with
 * every binary given, interleaved, and prints the medians.
 *   bun run bench/check.ts dist/edge-agent [other-binary ...]
 * BENCH_CLI_RUNS (default 15) rounds; CHECK_HOLD=1 keeps the device running
 * afterwards and prints its config file (for timing by hand).
 */
import { buildBaselines } from "./lib/build.ts";
import { benchDevice, startBenchController } from "./lib/device.ts";
import { timeCommand } from "./lib/procfs.ts";
import { median } from "./lib/stats.ts";

const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 15);
const bins = process.argv.slice(2);
if (bins.length === 0) bins.push("dist/edge-agent");

const base = await buildBaselines();
const bc = await startBenchController();
const dev = await benchDevice(bc, `CHECK-${Date.now()}`);
try {
  const cold = await dev.boot(bins[0]!);
  await cold.stop();
  await dev.powerCycle();
  const warm = await dev.boot(bins[0]!);
  const times = new Map<string, number[]>([["hello", []], ...bins.map((b, i) => [`${i}:${b}`, []] as [string, number[]])]);
  for (let k = 0; k < RUNS; k++) {
    times.get("hello")!.push(await timeCommand([base.hello]));
    for (const [i, b] of bins.entries()) times.get(`${i}:${b}`)!.push(await timeCommand([b, "check", "--config", warm.configFile], { allowFail: true }));
  }
  const hello = median(times.get("hello")!);
  for (const [name, xs] of times) {
    const s = [...xs].sort((a, b) => a - b);
    console.log(
      `${name}: median ${median(xs).toFixed(1)} ms (min ${s[0]!.toFixed(1)}, max ${s.at(-1)!.toFixed(1)}), ${(median(xs) / hello).toFixed(2)}x hello`,
    );
  }
  if (process.env.CHECK_HOLD) {
    console.log(`holding: ${warm.configFile} (pid ${warm.pid}); Ctrl-C to stop`);
    await new Promise<void>((resolve) => process.on("SIGINT", () => resolve()));
  }
  await warm.stop();
} finally {
  await dev.dispose();
  await bc.stop();
}
