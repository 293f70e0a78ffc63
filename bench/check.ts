/**
 * `edge-agent check` start against one warm-booted device (the agent is the
 * first binary given), for comparing builds in one run: each round runs the
 * compiled hello and then `check` with every binary given, interleaved, and
 * prints the medians of wall time (spawn to exit, as `npm run bench` takes
 * it) and of CPU time (user + system, all threads).
 *   bun run bench/check.ts dist/edge-agent [other-binary ...]
 * BENCH_CLI_RUNS (default 15) rounds; CHECK_HOLD=1 keeps the device running
 * afterwards and prints its config file (for timing by hand).
 */
import { buildBaselines } from "./lib/build.ts";
import { benchDevice, startBenchController } from "./lib/device.ts";
import { median } from "./lib/stats.ts";

/** Wall and CPU ms of one run to exit; exit 1 is a failed diagnostic, not a failed run. */
async function timed(cmd: string[]): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const p = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  const wall = performance.now() - t0;
  if (code !== 0 && code !== 1) throw new Error(`${cmd.join(" ")} exited ${code}: ${err.trim() || out.trim()}`);
  const ru = p.resourceUsage()!;
  return { wall, cpu: Number(ru.cpuTime.user + ru.cpuTime.system) / 1000 };
}

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
  const times = new Map<string, { wall: number; cpu: number }[]>([["hello", []], ...bins.map((b, i) => [`${i}:${b}`, []] as [string, []])]);
  for (let k = 0; k < RUNS; k++) {
    times.get("hello")!.push(await timed([base.hello]));
    for (const [i, b] of bins.entries()) times.get(`${i}:${b}`)!.push(await timed([b, "check", "--config", warm.configFile]));
  }
  const hello = median(times.get("hello")!.map((x) => x.wall));
  for (const [name, xs] of times) {
    const walls = xs.map((x) => x.wall).sort((a, b) => a - b);
    console.log(
      `${name}: wall median ${median(walls).toFixed(1)} ms (${walls[0]!.toFixed(1)}-${walls.at(-1)!.toFixed(1)}), ` +
        `${(median(walls) / hello).toFixed(2)}x hello; CPU median ${median(xs.map((x) => x.cpu)).toFixed(1)} ms`,
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
