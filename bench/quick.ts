/**
 * One device per binary: cold and warm boot (wall and CPU), idle RSS/PSS
 * after trusted and again BENCH_STEADY_MS (10 s) after each of the first
 * QUICK_POLLS (1) config polls, each beside the waiting program (baselines/idle.ts) read at the
 * same moment, and idle CPU. For trying a change in a few minutes rather
 * than running the whole `npm run bench`; its figures move with the
 * machine's load, so compare two binaries in one run:
 *   bun run bench/quick.ts dist/edge-agent [other-binary ...]
 * QUICK_PARALLEL=1 runs the binaries' devices side by side (memory is not
 * disturbed by that, CPU figures are; give each its own copy of a binary:
 * the kernel does not page out what another process also maps).
 * QUICK_SMAPS=1 prints what grew between the first reading and the last, by
 * mapping (=all: also what is resident at the end). With QUICK_STRACE=1
 * the idle window is traced (strace -f -c) to count wakeups.
 */

import { readdirSync, readFileSync } from "node:fs";
import { buildBaselines } from "./lib/build.ts";
import { benchDevice, startBenchController } from "./lib/device.ts";
import { cpuMs, type Memory, memory } from "./lib/procfs.ts";
import { afterConfigPoll, statusUuid } from "./lib/steady.ts";

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
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5000);
const STEADY_MS = Number(process.env.BENCH_STEADY_MS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const POLLS = Number(process.env.QUICK_POLLS ?? 1);
const bins = process.argv.slice(2);
if (bins.length === 0) bins.push("dist/edge-agent");

/** Resident kB by mapping (anonymous ones by their size class, the rest by file name), to see what grew. */
function byMapping(pid: number): Map<string, number> {
  const m = new Map<string, number>();
  let name = "";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) {
      const size = (Number.parseInt(head[2]!, 16) - Number.parseInt(head[1]!, 16)) / 1024;
      name = head[4] ? `${head[4]} ${head[3]}` : `anon ${head[3]} ${size >= 1024 ? `${Math.round(size / 1024)}M` : `${size}k`}`;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) m.set(name, (m.get(name) ?? 0) + Number(rss[1]));
  }
  return m;
}

/** Minor and major page faults so far (/proc/PID/stat): a major one read a page back from the file. */
function faults(pid: number): { minor: number; major: number; readKb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Bytes the process caused to be read from storage (its page faults' reads included).
  const io = /^read_bytes: (\d+)/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"));
  return { minor: Number(f[7]), major: Number(f[9]), readKb: Number(io?.[1] ?? Number.NaN) / 1024 };
}

const mbs = (kb: number) => (kb / 1024).toFixed(1);
const memLine = (a: Memory, b: Memory) =>
  `RSS ${mbs(a.rssKb)} MB (anon ${mbs(a.anonKb)}, file ${mbs(a.fileKb)}) PSS ${mbs(a.pssKb)} MB; ` +
  `waits RSS ${mbs(b.rssKb)} PSS ${mbs(b.pssKb)}: ${(a.rssKb / b.rssKb).toFixed(2)}× / ${(a.pssKb / b.pssKb).toFixed(2)}×`;

const base = await buildBaselines();
const bc = await startBenchController();

async function one(bin: string, r: number): Promise<string[]> {
  const out: string[] = [];
  const dev = await benchDevice(bc, `QUICK-${r}-${bins.indexOf(bin)}-${Date.now()}`);
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
    const since = performance.now();
    const uuid = statusUuid(warm.boot.statusBody);
    // Started at trusted, so it has idled as long as the agent at each reading.
    const idle = Bun.spawn([base.idle], { stdout: "ignore", stderr: "ignore", stdin: "ignore" });
    try {
      await Bun.sleep(SETTLE_MS);
      const mem = memory(warm.pid);
      const maps0 = process.env.QUICK_SMAPS ? byMapping(warm.pid) : undefined;
      out.push(`  after ${SETTLE_MS / 1000} s: ${memLine(mem, memory(idle.pid))}`);
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
      const f0 = faults(warm.pid);
      const th0 = threads(warm.pid);
      const t0 = performance.now();
      await Bun.sleep(IDLE_S * 1000);
      const idleCpu = (cpuMs(warm.pid) - c0) / ((performance.now() - t0) / 1000);
      const th1 = threads(warm.pid);
      const by = [...th1]
        .map(([k, v]) => [k, v - (th0.get(k) ?? 0)] as const)
        .filter(([, v]) => v > 1)
        .sort((a, b) => b[1] - a[1]);
      out.push(`  idle CPU by thread (ms/s): ${by.map(([k, v]) => `${k} ${(v / IDLE_S).toFixed(2)}`).join(", ")}`);
      if (strace) {
        strace.kill("SIGINT");
        process.stderr.write(await new Response(strace.stderr).text());
      }
      let thPrev = threads(warm.pid);
      for (let k = 1; k <= POLLS; k++) {
        const at = await afterConfigPoll(bc, since, k, STEADY_MS, { ...(uuid ? { uuid } : {}) });
        if (process.env.QUICK_SMAPS) {
          const thNow = threads(warm.pid);
          const ran = [...thNow].map(([n, v]) => [n, v - (thPrev.get(n) ?? 0)] as const).filter(([, v]) => v >= 1);
          out.push(`  poll ${k}: threads that ran since the last reading (CPU ms): ${ran.map(([n, v]) => `${n} ${v.toFixed(0)}`).join(", ")}`);
          const top = [...byMapping(warm.pid)]
            .filter(([n]) => !n.startsWith("anon"))
            .sort((a, b) => b[1] - a[1])
            .slice(0, 4);
          out.push(`  poll ${k}: largest file mappings resident (kB): ${top.map(([n, v]) => `${n} ${v}`).join("; ")}`);
          thPrev = thNow;
        }
        out.push(
          `  ${STEADY_MS / 1000} s after config poll ${k} (${((at - since) / 1000).toFixed(0)} s after trusted): ${memLine(memory(warm.pid), memory(idle.pid))}`,
        );
      }
      const span = (performance.now() - t0) / 1000;
      const f1 = faults(warm.pid);
      out.push(
        `  idle CPU from ${SETTLE_MS / 1000} s on, polls included: ${((cpuMs(warm.pid) - c0) / span).toFixed(2)} ms/s over ${span.toFixed(0)} s; ` +
          `page faults ${f1.minor - f0.minor} minor, ${f1.major - f0.major} major; read from storage ${mbs(f1.readKb - f0.readKb)} MB`,
      );
      if (maps0) {
        const maps1 = byMapping(warm.pid);
        const keys = new Set([...maps0.keys(), ...maps1.keys()]);
        const grew = [...keys]
          .map((k) => [k, (maps1.get(k) ?? 0) - (maps0.get(k) ?? 0)] as const)
          .filter(([, d]) => Math.abs(d) >= 64)
          .sort((a, b) => b[1] - a[1]);
        out.push(`  grew (kB, by mapping): ${grew.map(([k, d]) => `${k} ${d > 0 ? "+" : ""}${d}`).join("; ")}`);
        if (process.env.QUICK_SMAPS === "all") {
          const top = [...maps1].sort((a, b) => b[1] - a[1]).slice(0, 15);
          out.push(`  resident (kB, by mapping): ${top.map(([k, v]) => `${k} ${v}`).join("; ")}`);
        }
      }
      out.unshift(
        `${bin}: cold ${cold.boot.wallMs.toFixed(0)} ms / ${cold.boot.cpuMs} ms CPU, warm ${warm.boot.wallMs.toFixed(0)} ms / ${warm.boot.cpuMs} ms CPU, idle CPU ${idleCpu.toFixed(2)} ms/s over ${IDLE_S} s`,
      );
    } finally {
      idle.kill("SIGKILL");
    }
  } finally {
    await dev.dispose();
  }
  return out;
}

try {
  for (let r = 0; r < ROUNDS; r++) {
    if (process.env.QUICK_PARALLEL) for (const lines of await Promise.all(bins.map((b) => one(b, r)))) console.log(lines.join("\n"));
    else for (const b of bins) console.log((await one(b, r)).join("\n"));
  }
} finally {
  await bc.stop();
}
