/**
 * One device, one binary, no baselines: cold and warm boot (wall and CPU),
 * idle RSS and idle CPU after trusted. For trying a change in a minute
 * rather than running the whole `npm run bench`; its figures are absolute
 * and move with the machine's load, so compare two binaries in one run:
 *   bun run bench/quick.ts dist/edge-agent [other-binary ...]
 * With QUICK_STRACE=1 the idle window is traced (strace -f -c) to count wakeups.
 */

import { readdirSync, readFileSync } from "node:fs";
import { benchDevice, startBenchController } from "./lib/device.ts";
import { cpuMs, memory } from "./lib/procfs.ts";

/** CPU ms by thread name (schedstat, ns); threads that end in the window are lost, fine for a breakdown. */
function threads(pid: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      m.set(`${name}:${tid}`, ns / 1e6);
    } catch {
      // the thread ended meanwhile
    }
  }
  return m;
}

const IDLE_S = Number(process.env.BENCH_IDLE_SECONDS ?? 15);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const bins = process.argv.slice(2);
if (bins.length === 0) bins.push("dist/edge-agent");

const bc = await startBenchController();
try {
  for (let r = 0; r < ROUNDS; r++) {
    for (const bin of bins) {
      const dev = await benchDevice(bc, `QUICK-${r}-${Date.now()}`);
      try {
        const cold = await dev.boot(bin);
        await cold.stop();
        await dev.powerCycle();
        const warm = await dev.boot(bin, {
          env: Object.fromEntries(
            (process.env.QUICK_ENV ?? "")
              .split(" ")
              .filter(Boolean)
              .map((kv) => kv.split("=") as [string, string]),
          ),
        });
        await Bun.sleep(SETTLE_MS);
        const mem = memory(warm.pid);
        const strace = process.env.QUICK_STRACE
          ? Bun.spawn(
              [
                ...(process.env.QUICK_STRACE === "1" ? ["strace", "-f", "-c"] : ["strace", "-f", "-tt", ...process.env.QUICK_STRACE!.split(" ")]),
                "-p",
                String(warm.pid),
              ],
              { stdout: "pipe", stderr: "pipe" },
            )
          : undefined;
        const c0 = cpuMs(warm.pid);
        const th0 = threads(warm.pid);
        const t0 = performance.now();
        await Bun.sleep(IDLE_S * 1000);
        const idle = (cpuMs(warm.pid) - c0) / ((performance.now() - t0) / 1000);
        const th1 = threads(warm.pid);
        const by = [...th1]
          .map(([k, v]) => [k, v - (th0.get(k) ?? 0)] as const)
          .filter(([, v]) => v > 1)
          .sort((a, b) => b[1] - a[1]);
        console.log("  idle CPU by thread (ms/s):", by.map(([k, v]) => `${k} ${(v / IDLE_S).toFixed(2)}`).join(", "));
        if (strace) {
          strace.kill("SIGINT");
          process.stderr.write(await new Response(strace.stderr).text());
        }
        console.log(
          `${bin}: cold ${cold.boot.wallMs.toFixed(0)} ms / ${cold.boot.cpuMs} ms CPU, warm ${warm.boot.wallMs.toFixed(0)} ms / ${warm.boot.cpuMs} ms CPU, ` +
            `idle RSS ${(mem.rssKb / 1024).toFixed(1)} MB (anon ${(mem.anonKb / 1024).toFixed(1)}), idle CPU ${idle.toFixed(2)} ms/s`,
        );
      } finally {
        await dev.dispose();
      }
    }
  }
} finally {
  await bc.stop();
}
