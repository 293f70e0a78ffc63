/**
 * TPM operations through the agent's production path (TpmManager over the
 * Worker, as src/main.ts opens it), the same TpmManager on the event loop's
 * thread, and C calling ESAPI (bench/c/esys-bench.c) on the same swtpm:
 * median ms per quote, sign and vault-key unseal, in interleaved rounds. Part
 * of `npm run bench`; alone:
 *
 *   node_modules/.bin/bun run bench/tpm.ts [rounds] [iterations]
 *
 * (builds the C program first with gcc, as the full bench does).
 */
import { EsysTpm, openWorkerTpm } from "../native/tss2/index.ts";
import { DEFAULT_SEAL_PCRS, openTpm, type TpmManager } from "../src/tpm/index.ts";
import { type Swtpm, startSwtpm } from "../test/harness/swtpm.ts";
import { buildEsysBench } from "./lib/build.ts";
import { fmt, median, ratios, summary } from "./lib/stats.ts";

const CREDENTIAL = "bench-credential-0000";
/** An unseal costs some 20 quotes; fewer of them keep a round short. */
const unsealCount = (n: number) => Math.max(5, Math.ceil(n / 5));
const AUTH = CREDENTIAL.slice(0, 7);

export type TpmOp = "quote" | "sign" | "unseal";
export const TPM_OPS: TpmOp[] = ["quote", "sign", "unseal"];
export type TpmPath = "worker" | "thread" | "c";

/** Per path and operation, one median ms per operation for each round. */
export type TpmResults = Record<TpmPath, Record<TpmOp, number[]>>;

/** Median ms of `n` operations timed one by one after a warm-up: one stalled operation on a shared machine moves it little. */
async function medianMs(n: number, f: (i: number) => Promise<unknown>): Promise<number> {
  await f(-1);
  const each: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f(i);
    each.push(performance.now() - t0);
  }
  return median(each);
}

async function manager(sw: Swtpm, path: "worker" | "thread"): Promise<TpmManager> {
  return openTpm({ tcti: sw.tcti, connect: path === "worker" ? openWorkerTpm : (t) => EsysTpm.open(t) });
}

async function agentPath(sw: Swtpm, path: "worker" | "thread", n: number): Promise<Record<TpmOp, number>> {
  const m = await manager(sw, path);
  try {
    await m.ensureKeys({ credential: CREDENTIAL });
    const nonce = new Uint8Array(16);
    const digest = new Uint8Array(32).fill(3);
    const signer = m.deviceSigner();
    return {
      quote: await medianMs(n, () => m.quote(nonce)),
      sign: await medianMs(n, () => signer.sign(digest)),
      unseal: await medianMs(unsealCount(n), () => m.unsealVaultKey({ pcrs: DEFAULT_SEAL_PCRS, pcrValues: new Map() })),
    };
  } finally {
    await m.close();
  }
}

function esys(bin: string, args: string[]): number {
  const r = Bun.spawnSync([bin, ...args], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`esys-bench ${args.join(" ")} failed: ${r.stderr.toString()}`);
  return (JSON.parse(r.stdout.toString()) as { medianMs: number }).medianMs;
}

function cPath(sw: Swtpm, bin: string, n: number): Record<TpmOp, number> {
  return {
    quote: esys(bin, ["quote", sw.tcti, String(n)]),
    sign: esys(bin, ["sign", sw.tcti, AUTH, String(n)]),
    unseal: esys(bin, ["unseal", sw.tcti, DEFAULT_SEAL_PCRS.join(","), String(unsealCount(n))]),
  };
}

/** One swtpm, keys and a sealed vault key made once by the agent's code, then `rounds` rounds in rotating order. */
export async function tpmBench(esysBench: string, rounds: number, n: number, log: (s: string) => void = () => {}): Promise<TpmResults> {
  const out: TpmResults = {
    worker: { quote: [], sign: [], unseal: [] },
    thread: { quote: [], sign: [], unseal: [] },
    c: { quote: [], sign: [], unseal: [] },
  };
  const sw = await startSwtpm();
  try {
    // The vault refuses to seal before PCR 0 and 4 hold measurements.
    sw.tool(["tpm2_pcrextend", `0:sha256=${"a0".repeat(32)}`]);
    sw.tool(["tpm2_pcrextend", `4:sha256=${"a4".repeat(32)}`]);
    const m = await manager(sw, "thread");
    try {
      await m.ensureKeys({ credential: CREDENTIAL });
      await m.sealVaultKey(new Uint8Array(32).fill(9), DEFAULT_SEAL_PCRS);
    } finally {
      await m.close();
    }
    const order: TpmPath[] = ["worker", "thread", "c"];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < order.length; k++) {
        const path = order[(r + k) % order.length]!;
        const res = path === "c" ? cPath(sw, esysBench, n) : await agentPath(sw, path, n);
        for (const op of TPM_OPS) out[path][op].push(res[op]);
      }
      log(`tpm round ${r + 1}/${rounds}: quote worker ${out.worker.quote.at(-1)!.toFixed(2)} ms, C ${out.c.quote.at(-1)!.toFixed(2)} ms`);
    }
  } finally {
    await sw.stop();
  }
  return out;
}

if (import.meta.main) {
  const rounds = Number(process.argv[2] ?? 3);
  const n = Number(process.argv[3] ?? 50);
  const bin = await buildEsysBench();
  const res = await tpmBench(bin, rounds, n, (s) => console.error(s));
  console.log(`TPM on swtpm, ${rounds} rounds of ${n} (unseal ${unsealCount(n)}): median ms per operation, median over rounds (spread)`);
  console.log("operation  Worker path          in-thread            C ESAPI              Worker/C           in-thread/C");
  for (const op of TPM_OPS) {
    const cells = [summary(res.worker[op]), summary(res.thread[op]), summary(res.c[op])].map((s) => fmt(s, 2).padEnd(20));
    const rw = fmt(summary(ratios(res.worker[op], res.c[op])), 2, "×").padEnd(18);
    const rt = fmt(summary(ratios(res.thread[op], res.c[op])), 2, "×");
    console.log(`${op.padEnd(10)} ${cells.join(" ")} ${rw} ${rt}`);
  }
}
