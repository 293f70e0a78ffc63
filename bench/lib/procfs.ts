/**
 * What the kernel says a process costs: memory from smaps_rollup, CPU from
 * stat (all threads, exited ones included: a per-thread sum such as
 * schedstat loses the time of threads that end, which Bun's pools do).
 * Linux only.
 */
import { readFileSync } from "node:fs";

export interface Memory {
  rssKb: number;
  pssKb: number;
  /** anonymous pages: JS heaps, JIT, malloc */
  anonKb: number;
  /** pages of mapped files, the executable's own included */
  fileKb: number;
}

export function memory(pid: number): Memory {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  const rss = field("Rss");
  const anon = field("Anonymous");
  return { rssKb: rss, pssKb: field("Pss"), anonKb: anon, fileKb: rss - anon };
}

const CLK_TCK = (() => {
  const r = Bun.spawnSync(["getconf", "CLK_TCK"]);
  const n = Number(r.stdout.toString().trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** utime + stime of the whole process in ms (clock-tick resolution, 10 ms on most kernels). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name is in parentheses and may contain spaces; fields count from after it.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

/**
 * Wall time of a command run to completion; throws when it fails, or only
 * when it did not exit normally with `allowFail` (a diagnostic's exit 1).
 */
export async function timeCommand(cmd: string[], opts: { allowFail?: boolean } = {}): Promise<number> {
  const t0 = performance.now();
  const p = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  const ms = performance.now() - t0;
  if (code !== 0 && !(opts.allowFail && code === 1)) throw new Error(`${cmd.join(" ")} exited ${code}: ${err.trim() || out.trim()}`);
  return ms;
}
