/**
 * What loading the protobuf schema costs a compiled program at start: the
 * generated descriptor the agent uses (src/protocol/root.ts) against parsing
 * the embedded .proto text as before issue 11, and a program with no
 * protocol at all. Each probe decodes one ZAttestReq and reports ms since
 * its process started and its CPU ms (bench/probes/). Part of `npm run
 * bench`; alone:
 *
 *   node_modules/.bin/bun run bench/protocol.ts [rounds] [runs per round]
 */
import { join } from "node:path";
import { OUT, REPO } from "./lib/build.ts";
import { fmt, median, summary } from "./lib/stats.ts";

export const PROBES = ["none", "descriptor", "text"] as const;
export type Probe = (typeof PROBES)[number];
/** Per probe, per round: the medians of ms-since-start and CPU ms over that round's runs. */
export type ProtocolResults = Record<Probe, { ms: number[]; cpuMs: number[] }>;

export async function buildProbes(): Promise<Record<Probe, string>> {
  const out = {} as Record<Probe, string>;
  for (const p of PROBES) {
    out[p] = join(OUT, `schema-${p}`);
    const b = Bun.spawn([process.execPath, "build", "--compile", "--outfile", out[p], join(REPO, "bench/probes", `schema-${p}.ts`)], {
      cwd: REPO,
      stdout: "pipe",
      stderr: "pipe",
    });
    const [err, code] = await Promise.all([new Response(b.stderr).text(), b.exited]);
    if (code !== 0) throw new Error(`building schema-${p} failed: ${err}`);
  }
  return out;
}

async function runProbe(bin: string): Promise<{ ms: number; cpuMs: number }> {
  const p = Bun.spawn([bin], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`${bin} exited ${code}: ${err}`);
  return JSON.parse(out) as { ms: number; cpuMs: number };
}

export async function protocolBench(bins: Record<Probe, string>, rounds: number, runs: number): Promise<ProtocolResults> {
  const res = Object.fromEntries(PROBES.map((p) => [p, { ms: [], cpuMs: [] }])) as unknown as ProtocolResults;
  for (let r = 0; r < rounds; r++) {
    const got = Object.fromEntries(PROBES.map((p) => [p, { ms: [] as number[], cpuMs: [] as number[] }])) as Record<Probe, { ms: number[]; cpuMs: number[] }>;
    for (let k = 0; k < runs; k++) {
      for (const p of PROBES) {
        const o = await runProbe(bins[p]);
        got[p].ms.push(o.ms);
        got[p].cpuMs.push(o.cpuMs);
      }
    }
    for (const p of PROBES) {
      res[p].ms.push(median(got[p].ms));
      res[p].cpuMs.push(median(got[p].cpuMs));
    }
  }
  return res;
}

export function protocolReport(res: ProtocolResults): string[] {
  const diff = (a: number[], b: number[]) => a.map((x, i) => x - b[i]!);
  return [
    `- protobuf schema at start (compiled probes, ms since process start to one decoded ZAttestReq / CPU ms): ` +
      `no protocol ${fmt(summary(res.none.ms))} / ${fmt(summary(res.none.cpuMs))}; ` +
      `generated descriptor ${fmt(summary(res.descriptor.ms))} / ${fmt(summary(res.descriptor.cpuMs))}; ` +
      `.proto text parsed ${fmt(summary(res.text.ms))} / ${fmt(summary(res.text.cpuMs))}; ` +
      `saving ${fmt(summary(diff(res.text.ms, res.descriptor.ms)))} ms / ${fmt(summary(diff(res.text.cpuMs, res.descriptor.cpuMs)))} ms CPU`,
  ];
}

if (import.meta.main) {
  const rounds = Number(process.argv[2] ?? 3);
  const runs = Number(process.argv[3] ?? 5);
  const res = await protocolBench(await buildProbes(), rounds, runs);
  console.log(protocolReport(res).join("\n"));
}
