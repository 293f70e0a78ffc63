/**
 * Where a boot's CPU goes: runs the compiled agent (npm run build's flags,
 * but one bundle: `--splitting` chunks could not be mapped) through a
 * cold and a warm boot to trusted under Bun's sampling profiler
 * (BUN_OPTIONS=--cpu-prof), stops it the moment its status says trusted,
 * and sums the samples' self time by package or component. Frames of the
 * executable are mapped to their module through a plain `bun build` of the
 * same entrypoints (same line numbers, with Bun's `// path` module markers);
 * time in native code is charged to the nearest JS caller's module.
 *
 *   node_modules/.bin/bun run bench/profile.ts [boots of each kind, default 1]
 *
 * Profiles (Chrome .cpuprofile, open in any DevTools) stay in .tmp/bench/profiles/.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { OUT, REPO } from "./lib/build.ts";
import { type Boot, benchDevice, startBenchController } from "./lib/device.ts";
import { fmt, summary } from "./lib/stats.ts";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PROFILES = join(OUT, "profiles");
const INTERVAL_US = 500;

/** package.json's build without `--format=esm --splitting`, so the executable is the one bundle moduleMap reads. */
async function buildUnsplitAgent(): Promise<string> {
  const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: { build: string } };
  const out = join(OUT, "edge-agent-profile");
  const args = pkg.scripts.build
    .split(/\s+/)
    .slice(1)
    .filter((a) => a !== "--splitting" && a !== "--format=esm")
    .map((a) => (a === "dist/edge-agent" ? out : a));
  const p = Bun.spawn([process.execPath, ...args], { cwd: REPO, stdout: "pipe", stderr: "pipe" });
  if ((await p.exited) !== 0) throw new Error(`bun build failed: ${await new Response(p.stderr).text()}`);
  return out;
}

/** Module start lines of the bundle, from the `// path` comments Bun writes before each module. */
async function moduleMap(): Promise<{ lines: number[]; names: string[] }> {
  const dir = join(OUT, "bundle");
  rmSync(dir, { recursive: true, force: true });
  const p = Bun.spawn([process.execPath, "build", "--target=bun", "--outdir", dir, "src/cli.ts", "native/tss2/worker.ts", "src/pkcs11/worker.ts"], {
    cwd: REPO,
    stdout: "pipe",
    stderr: "pipe",
  });
  if ((await p.exited) !== 0) throw new Error(`bun build failed: ${await new Response(p.stderr).text()}`);
  const text = readFileSync(join(dir, "src", "cli.js"), "utf8").split("\n");
  const lines: number[] = [];
  const names: string[] = [];
  text.forEach((l, i) => {
    // Markers name the module's path relative to the project, node_modules possibly through a symlink (../x/node_modules/...).
    const m = /^\/\/ (?:\S*?\/)?((?:node_modules|src|native)\/\S+)$/.exec(l);
    if (m) {
      lines.push(i + 1);
      names.push(m[1]!);
    }
  });
  return { lines, names };
}

/** The package (node_modules/@scope/name) or component (src/x, native/tss2) a module belongs to. */
function bucketOf(path: string): string {
  const nm = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return nm[1]!;
  const src = /^(src\/[^/]+|native\/[^/]+)/.exec(path);
  return src ? src[1]!.replace(/\.ts$/, "") : path;
}

function builtinBucket(url: string): string {
  if (/^node:(https?|_http_\w+|net|tls|stream|_stream_\w+)$|^internal:streams/.test(url)) return "bun: node http/tls/streams";
  if (/^(node|internal):fs|^internal:fs/.test(url)) return "bun: node:fs";
  if (/crypto/.test(url)) return "bun: node:crypto";
  if (/zlib/.test(url)) return "bun: node:zlib";
  if (/^bun:ffi/.test(url)) return "bun: bun:ffi";
  return "bun: other builtins";
}

function analyse(
  prof: CpuProfile,
  map: { lines: number[]; names: string[] },
  bin: string,
): { total: number; buckets: Map<string, number>; top: Map<string, number> } {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const moduleAt = (line: number): string => {
    let lo = 0;
    let hi = map.lines.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (map.lines[mid]! <= line + 1) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best >= 0 ? map.names[best]! : "(bundle prelude)";
  };
  const bucketOfNode = (id: number): { bucket: string; where: string } => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (f.url.includes("$bunfs")) {
        if (!f.url.endsWith(bin)) return { bucket: "TPM worker entry", where: f.url };
        const mod = moduleAt(f.lineNumber);
        return { bucket: bucketOf(mod), where: mod };
      }
      if (/^(node|internal|bun):/.test(f.url)) return { bucket: builtinBucket(f.url), where: f.url };
    }
    return { bucket: "runtime: no JS caller (start-up, module parsing, GC, idle waits)", where: "" };
  };
  const buckets = new Map<string, number>();
  const top = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    // No samples are taken while the thread waits, so the next delta may span an idle gap: a sample stands for at most two intervals.
    const ms = Math.min(prof.timeDeltas[i + 1] ?? 0, 2 * INTERVAL_US) / 1000;
    total += ms;
    const { bucket, where } = bucketOfNode(id);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + ms);
    const f = byId.get(id)!.callFrame;
    const key = `${bucket}\t${f.functionName || "(anonymous)"} [${where || f.url || "native"}]`;
    top.set(key, (top.get(key) ?? 0) + ms);
  });
  return { total, buckets, top };
}

function newest(dir: string, before: Set<string>): string | undefined {
  return readdirSync(dir).find((f) => f.endsWith(".cpuprofile") && !before.has(f));
}

async function profiledBoot(
  dev: Awaited<ReturnType<typeof benchDevice>>,
  agentBin: string,
  kind: string,
): Promise<{ boot: Boot; file: string; threads: Map<string, number> }> {
  const before = new Set(readdirSync(PROFILES));
  const agent = await dev.boot(agentBin, { env: { BUN_OPTIONS: `--cpu-prof --cpu-prof-dir=${PROFILES} --cpu-prof-interval=${INTERVAL_US}` } });
  const threads = threadCpu(agent.pid);
  await agent.stop();
  for (let i = 0; i < 100 && !newest(PROFILES, before); i++) await Bun.sleep(50);
  const file = newest(PROFILES, before);
  if (!file) throw new Error(`no profile written for the ${kind} boot`);
  return { boot: agent.boot, file: join(PROFILES, file), threads };
}

/** CPU ms of the live threads by name (threads that already ended are not there). */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).replace(/\d+$/, "#");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

if (import.meta.main) {
  const boots = Number(process.argv[2] ?? 1);
  mkdirSync(PROFILES, { recursive: true });
  const agentBin = await buildUnsplitAgent();
  const map = await moduleMap();
  const bc = await startBenchController();
  const results: Record<
    "cold" | "warm",
    { total: number; buckets: Map<string, number>; top: Map<string, number>; wall: number; cpu: number; threads: Map<string, number> }[]
  > = { cold: [], warm: [] };
  try {
    for (let b = 0; b < boots; b++) {
      const dev = await benchDevice(bc, `PROF-SN-${b}-${Date.now()}`);
      try {
        for (const kind of ["cold", "warm"] as const) {
          if (kind === "warm") await dev.powerCycle();
          const { boot, file, threads } = await profiledBoot(dev, agentBin, kind);
          const a = analyse(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, map, "edge-agent-profile");
          results[kind].push({ ...a, wall: boot.wallMs, cpu: boot.cpuMs, threads });
          process.stderr.write(`profile: ${kind} boot ${b + 1}: trusted in ${boot.wallMs.toFixed(0)} ms, ${boot.cpuMs} ms CPU; ${file}\n`);
        }
      } finally {
        await dev.dispose();
      }
    }
  } finally {
    await bc.stop();
  }
  for (const kind of ["cold", "warm"] as const) {
    const rs = results[kind];
    console.log(
      `\n${kind} boot to trusted (then SIGTERM): wall ${fmt(summary(rs.map((r) => r.wall)), 0)} ms, CPU ${fmt(summary(rs.map((r) => r.cpu)), 0)} ms, JS thread busy (sampled) ${fmt(summary(rs.map((r) => r.total)), 0)} ms`,
    );
    const names = [...new Set(rs.flatMap((r) => [...r.threads.keys()]))];
    const byThread = names
      .map((n) => ({ n, s: summary(rs.map((r) => r.threads.get(n) ?? 0)) }))
      .filter((t) => t.s.median > 0)
      .sort((a, b) => b.s.median - a.s.median);
    console.log(`  CPU by thread at trusted (live threads, 10 ms ticks): ${byThread.map((t) => `${t.n} ${fmt(t.s, 0)}`).join(", ")}`);
    const keys = [...new Set(rs.flatMap((r) => [...r.buckets.keys()]))];
    const rows = keys.map((k) => ({ k, s: summary(rs.map((r) => r.buckets.get(k) ?? 0)) })).sort((a, b) => b.s.median - a.s.median);
    const fns = [...new Set(rs.flatMap((r) => [...r.top.keys()]))].map((k) => ({ k, ms: summary(rs.map((r) => r.top.get(k) ?? 0)).median }));
    for (const { k, s } of rows.slice(0, 18)) {
      console.log(`  ${fmt(s, 0).padStart(14)} ms  ${k}`);
      const mine = fns
        .filter((f) => f.k.startsWith(`${k}\t`) && f.ms >= 2)
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 4);
      for (const f of mine) console.log(`  ${"".padStart(14)}      ${f.ms.toFixed(1).padStart(5)} ms ${f.k.split("\t")[1]}`);
    }
  }
}
