/**
 * Agent vs tpm2-tools on the same swtpm in the same run: mean time per
 * quote, sign and seal+unseal, and the ratio agent/tools. Measures only;
 * nothing is asserted. tpm2-tools pay a process start and an ESAPI context
 * per command, which is most of what the ratio shows.
 *
 *   node_modules/.bin/bun run bench/tpm.ts [iterations]
 */
import { join } from "node:path";
import { EsysTpm } from "../native/tss2/index.ts";
import { openTpm } from "../src/tpm/index.ts";
import { scratchDir, startSwtpm, type Swtpm } from "../test/harness/swtpm.ts";
import { writeFileSync } from "node:fs";

const N = Number(process.argv[2] ?? 20);
const CREDENTIAL = "bench-credential-0000";
const SEAL_PCRS = [0, 4, 7, 14];
const QUOTE_LIST = "sha256:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15";

async function timeIt(n: number, f: (i: number) => unknown): Promise<number> {
  await f(-1);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await f(i);
  return (performance.now() - t0) / n;
}

async function agent(sw: Swtpm) {
  const m = await openTpm({ tcti: sw.tcti, connect: (t) => EsysTpm.open(t) });
  try {
    await m.ensureKeys({ credential: CREDENTIAL });
    const nonce = new Uint8Array(16);
    const digest = new Uint8Array(32).fill(3);
    const secret = new Uint8Array(32).fill(9);
    const signer = m.deviceSigner();
    return {
      quote: await timeIt(N, () => m.quote(nonce)),
      sign: await timeIt(N, () => signer.sign(digest)),
      seal: await timeIt(N, async () => {
        const s = await m.sealVaultKey(secret, SEAL_PCRS);
        await m.unsealVaultKey(s);
      }),
    };
  } finally {
    await m.close();
  }
}

async function tools(sw: Swtpm, dir: string) {
  const f = (n: string) => join(dir, n);
  writeFileSync(f("digest.bin"), new Uint8Array(32).fill(3));
  writeFileSync(f("secret.bin"), new Uint8Array(32).fill(9));
  const t = (args: string[]) => sw.tool(args);
  const auth = CREDENTIAL.slice(0, 7);
  return {
    quote: await timeIt(N, () =>
      t(["tpm2_quote", "-c", "0x81000004", "-l", QUOTE_LIST, "-q", "00".repeat(16), "-m", f("q.msg"), "-s", f("q.sig"), "-g", "sha256"]),
    ),
    sign: await timeIt(N, () => t(["tpm2_sign", "-c", "0x817fffff", "-p", auth, "-g", "sha256", "-d", "-o", f("s.sig"), f("digest.bin")])),
    seal: await timeIt(N, () => {
      const pcrs = `sha256:${SEAL_PCRS.join(",")}`;
      t(["tpm2_startauthsession", "-S", f("trial.ctx")]);
      t(["tpm2_policypcr", "-S", f("trial.ctx"), "-l", pcrs, "-L", f("policy")]);
      t(["tpm2_flushcontext", f("trial.ctx")]);
      t(["tpm2_create", "-C", "0x81000002", "-L", f("policy"), "-i", f("secret.bin"), "-u", f("obj.pub"), "-r", f("obj.priv")]);
      t(["tpm2_load", "-C", "0x81000002", "-u", f("obj.pub"), "-r", f("obj.priv"), "-c", f("obj.ctx")]);
      t(["tpm2_startauthsession", "--policy-session", "-S", f("s.ctx")]);
      t(["tpm2_policypcr", "-S", f("s.ctx"), "-l", pcrs]);
      t(["tpm2_unseal", "-c", f("obj.ctx"), "-p", `session:${f("s.ctx")}`]);
      t(["tpm2_flushcontext", f("s.ctx")]);
      sw.flushTools();
    }),
  };
}

const sw = await startSwtpm();
try {
  sw.tool(["tpm2_pcrextend", `0:sha256=${"a0".repeat(32)}`]);
  sw.tool(["tpm2_pcrextend", `4:sha256=${"a4".repeat(32)}`]);
  const a = await agent(sw);
  const b = await tools(sw, scratchDir());
  console.log(`TPM bench on swtpm, ${N} iterations each (mean ms per operation)`);
  console.log("operation      agent    tpm2-tools   agent/tools");
  for (const k of ["quote", "sign", "seal"] as const) {
    const label = k === "seal" ? "seal+unseal" : k;
    console.log(`${label.padEnd(12)} ${a[k].toFixed(2).padStart(7)} ${b[k].toFixed(2).padStart(12)} ${(a[k] / b[k]).toFixed(3).padStart(13)}`);
  }
} finally {
  await sw.stop();
}
