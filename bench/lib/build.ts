/**
 * Builds what the bench runs: the agent exactly as `npm run build` makes it,
 * the Bun baselines with the same `bun build --compile`, and the C ESAPI
 * program with gcc against libtss2-esys. Outputs go to .tmp/bench/.
 */
import { mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dir, "../..");
export const OUT = join(REPO, ".tmp", "bench");
export const AGENT_BINARY = join(REPO, "dist", "edge-agent");

async function run(cmd: string[], what: string): Promise<void> {
  const p = Bun.spawn(cmd, { cwd: REPO, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`${what} failed (${code}): ${err.trim() || out.trim()}`);
}

export async function buildEsysBench(): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const out = join(OUT, "esys-bench");
  const flags = Bun.spawnSync(["pkg-config", "--cflags", "--libs", "tss2-esys", "tss2-tctildr", "tss2-mu", "libcrypto"]);
  if (flags.exitCode !== 0) throw new Error(`pkg-config found no tss2-esys/libcrypto: ${flags.stderr.toString()} (sh scripts/setup.sh bench installs them)`);
  await run(["gcc", "-O2", "-Wall", "-o", out, join(REPO, "bench/c/esys-bench.c"), ...flags.stdout.toString().trim().split(/\s+/)], "gcc esys-bench.c");
  return out;
}

export interface Baselines {
  hello: string;
  idle: string;
  serve: string;
  rtt: string;
}

export async function buildBaselines(): Promise<Baselines> {
  mkdirSync(OUT, { recursive: true });
  const names = ["hello", "idle", "serve", "rtt"] as const;
  const out = Object.fromEntries(names.map((n) => [n, join(OUT, n)])) as unknown as Baselines;
  for (const n of names) {
    // The agent's own build flags for the programs it is compared with; rtt.ts (a load tool with top-level
    // await, which --bytecode refuses) is only a tool.
    const flags = n === "rtt" ? [] : ["--bytecode", "--bytecode-depth=0"];
    await run([process.execPath, "build", "--compile", ...flags, "--outfile", out[n], join(REPO, "bench/baselines", `${n}.ts`)], `bun build --compile ${n}.ts`);
  }
  return out;
}

export async function buildAgent(): Promise<string> {
  await run(["npm", "run", "--silent", "build"], "npm run build");
  return AGENT_BINARY;
}

export function sizeBytes(path: string): number {
  return statSync(path).size;
}
