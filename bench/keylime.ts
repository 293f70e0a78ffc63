/**
 * The Keylime pull server's cost (issue 12 point 9), beside the rust agent's
 * figures (docs/keylime.md#reference-figures, copied into bench/README.md) and beside C
 * calling ESAPI on the same swtpm in the same run:
 *
 *   npm run bench -- keylime
 *   node_modules/.bin/bun run bench/keylime.ts
 *
 * The compiled agent (`npm run build`) onboards to the in-repo test
 * controller, registers with the real Keylime 7.14.3 registrar and serves
 * Keylime's agent API; it runs twice on the same device, without and with
 * mTLS. Each run: `GET /v2.6/quotes/integrity?nonce=<fresh 20
 * characters>&mask=0xff&partial=1&ima_ml_entry=0` (what the verifier sends
 * once it holds the agent's key) and `GET /version`, each request on a new
 * TCP connection (and TLS session with mTLS), BENCH_KEYLIME_N (50) timed one
 * by one per round, BENCH_ROUNDS (3) rounds; the agent's CPU per quote from
 * /proc/PID/stat; then, BENCH_SETTLE_MS (5 s) later, its idle RSS/PSS.
 * Between and after the agent's runs, `esys-bench quote` makes the same quote
 * in C (the AK at 0x81000003, PCRs 0-7 and 16, a 20-byte nonce) on the same
 * swtpm. Measures only; writes .tmp/bench/keylime.json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StatusDocument } from "../src/status/index.ts";
import { type Keylime, startKeylime } from "../test/harness/keylime.ts";
import { acceptsConnections, freePort, waitFor } from "../test/harness/proc.ts";
import { buildAgent, buildEsysBench, OUT } from "./lib/build.ts";
import { type BenchDevice, benchDevice, type RunningAgent, startBenchController } from "./lib/device.ts";
import { cpuMs, type Memory, memory } from "./lib/procfs.ts";
import { fmt, median, summary } from "./lib/stats.ts";

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const N = Math.max(1, Number(process.env.BENCH_KEYLIME_N ?? 50));
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5000);
/** The AK Keylime quotes with (rsassa: EVE's AIK) and the PCRs of mask=0xff plus PCR 16, where the key is bound. */
const AK_HANDLE = "0x81000003";
const QUOTE_PCRS = "0,1,2,3,4,5,6,7,16";

/** docs/keylime.md#reference-figures: the rust keylime_agent on the same kind of swtpm, RSA-2048 AK, 3 runs of 50 requests. */
export const RUST_AGENT = {
  integrityMs: [22, 26],
  versionMs: [0.3, 0.4],
  integrityMtlsMs: 48,
  idleRssMb: [18.2, 18.9],
  idlePssMb: [12.3, 12.7],
} as const;

const started = performance.now();
function say(msg: string): void {
  process.stderr.write(`bench keylime [${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
}

const NONCE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
function nonce(): string {
  const b = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(b, (x) => NONCE_CHARS[x % NONCE_CHARS.length]).join("");
}

interface Client {
  /** One request on a new connection; ms from the request to the answer's last byte. */
  get(path: string): Promise<number>;
}

function client(port: number, tls?: { ca: string; cert: string; key: string }): Client {
  return {
    get(path) {
      return new Promise((resolve, reject) => {
        const t0 = performance.now();
        const opts = { host: "127.0.0.1", port, path, agent: false as const, headers: { connection: "close" } };
        const req = tls ? https.request({ ...opts, ...tls, checkServerIdentity: () => undefined }) : http.request(opts);
        req.on("response", (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const ms = performance.now() - t0;
            const body = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200) return reject(new Error(`GET ${path} answered ${res.statusCode}: ${body.slice(0, 300)}`));
            resolve(ms);
          });
        });
        req.on("error", reject);
        req.end();
      });
    },
  };
}

const integrityPath = () => `/v2.6/quotes/integrity?nonce=${nonce()}&mask=0xff&partial=1&ima_ml_entry=0`;

async function series(c: Client, path: () => string, n: number): Promise<number> {
  const each: number[] = [];
  for (let i = 0; i < n; i++) each.push(await c.get(path()));
  return median(each);
}

async function status(socket: string): Promise<StatusDocument | undefined> {
  try {
    const res = await fetch("http://localhost/v1/status", { unix: socket, signal: AbortSignal.timeout(2000) } as RequestInit);
    return res.ok ? ((await res.json()) as StatusDocument) : undefined;
  } catch {
    return undefined;
  }
}

function threads(pid: number): number {
  return Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
}

function esysQuote(bin: string, tcti: string, n: number): number {
  const r = Bun.spawnSync([bin, "quote", tcti, String(n), AK_HANDLE, QUOTE_PCRS], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`esys-bench quote failed: ${r.stderr.toString()}`);
  return (JSON.parse(r.stdout.toString()) as { medianMs: number }).medianMs;
}

interface AgentRun {
  mtls: boolean;
  /** per round: median ms */
  integrityMs: number[];
  versionMs: number[];
  /** agent CPU ms per quote, per round */
  cpuPerQuoteMs: number[];
  mem: Memory;
  threads: number;
}

async function agentRun(dev: BenchDevice, baseToml: string, binary: string, kl: Keylime, mtls: boolean, payloadDir: string): Promise<AgentRun> {
  const contactPort = await freePort();
  const toml = [
    baseToml.trimEnd(),
    "[keylime]",
    "enabled = true",
    'mode = "pull"',
    `registrarUrl = ${JSON.stringify(kl.registrarUrl)}`,
    'contactIp = "127.0.0.1"',
    `contactPort = ${contactPort}`,
    `mtls = ${mtls}`,
    ...(mtls ? [`trustedClientCa = ${JSON.stringify(kl.caCert)}`] : []),
    `payloadDir = ${JSON.stringify(payloadDir)}`,
    `imaLogPath = ${JSON.stringify(join(dev.root, "no-ima"))}`,
    "",
  ].join("\n");
  writeFileSync(join(dev.root, "agent.toml"), toml);
  let agent: RunningAgent | undefined;
  try {
    agent = await dev.boot(binary, { timeoutMs: 180_000 });
    const a = agent;
    say(`agent (mTLS ${mtls ? "on" : "off"}) trusted by EVE in ${a.boot.wallMs.toFixed(0)} ms; waiting for the Keylime registration`);
    const s = await waitFor(
      async () => {
        const st = await status(a.socket);
        return st?.keylime?.activated && st.keylime.uuid ? st : undefined;
      },
      120_000,
      { intervalMs: 200, what: "the agent's Keylime activation" },
    );
    await waitFor(() => acceptsConnections(contactPort), 30_000, { intervalMs: 100, what: `the Keylime contact port ${contactPort}` });
    const uuid = s.keylime.uuid!;
    const rec = await kl.registrarAgent(uuid);
    if (!rec?.active) throw new Error(`the registrar does not hold ${uuid} activated`);
    // The verifier pins the certificate the agent registered; so does this client.
    const c = client(
      contactPort,
      mtls ? { ca: rec.mtls_cert!, cert: readFileSync(kl.clientCert, "utf8"), key: readFileSync(kl.clientKey, "utf8") } : undefined,
    );
    for (let i = 0; i < 3; i++) await c.get(integrityPath());
    const out: AgentRun = { mtls, integrityMs: [], versionMs: [], cpuPerQuoteMs: [], mem: memory(a.pid), threads: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const cpu0 = cpuMs(a.pid);
      out.integrityMs.push(await series(c, integrityPath, N));
      out.cpuPerQuoteMs.push((cpuMs(a.pid) - cpu0) / N);
      out.versionMs.push(await series(c, () => "/version", N));
      say(
        `mTLS ${mtls ? "on " : "off"} round ${r + 1}/${ROUNDS}: quotes/integrity ${out.integrityMs.at(-1)!.toFixed(2)} ms, /version ${out.versionMs.at(-1)!.toFixed(2)} ms, CPU ${out.cpuPerQuoteMs.at(-1)!.toFixed(1)} ms/quote`,
      );
    }
    await Bun.sleep(SETTLE_MS);
    out.mem = memory(a.pid);
    out.threads = threads(a.pid);
    return out;
  } finally {
    await agent?.stop();
  }
}

export interface KeylimeBench {
  date: string;
  rounds: number;
  n: number;
  plain: AgentRun;
  mtls: AgentRun;
  /** median ms per C quote, one per C run (before, between and after the agent's runs) */
  cQuoteMs: number[];
}

export async function keylimeBench(): Promise<KeylimeBench> {
  say("building the agent (npm run build) and the C ESAPI program");
  const binary = process.env.BENCH_AGENT ?? (await buildAgent());
  const esys = await buildEsysBench();
  const store = mkdtempSync(join(tmpdir(), "edge-agent-bench-kl-store-"));
  const payloadDir = join("/dev/shm", `edge-agent-bench-kl-${process.pid}`);
  const [kl, bc] = await Promise.all([startKeylime({ tpmCertStore: store, agentMtls: true }), startBenchController()]);
  say(`Keylime ${kl.registrarUrl} up in ${kl.startMs} ms`);
  const dev = await benchDevice(bc, "KL-BENCH-1");
  const baseToml = readFileSync(join(dev.root, "agent.toml"), "utf8");
  try {
    const plain = await agentRun(dev, baseToml, binary, kl, false, payloadDir);
    // The AK exists now (the agent made it); the agent is stopped, so C has the swtpm to itself.
    const cQuoteMs = [esysQuote(esys, dev.sw.tcti, N)];
    const mtls = await agentRun(dev, baseToml, binary, kl, true, payloadDir);
    cQuoteMs.push(esysQuote(esys, dev.sw.tcti, N));
    say(`C ESAPI quote: ${cQuoteMs.map((x) => x.toFixed(2)).join(", ")} ms`);
    return { date: new Date().toISOString(), rounds: ROUNDS, n: N, plain, mtls, cQuoteMs };
  } finally {
    await dev.dispose();
    await bc.stop();
    await kl.stop();
    rmSync(store, { recursive: true, force: true });
    rmSync(payloadDir, { recursive: true, force: true });
  }
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

export function keylimeReport(b: KeylimeBench): string {
  const c = summary(b.cQuoteMs);
  const cMed = c.median;
  const rustQ = `${RUST_AGENT.integrityMs[0]}–${RUST_AGENT.integrityMs[1]} ms`;
  const vsRust = (ms: number[], ref: readonly [number, number] | number) => {
    const m = median(ms);
    const [lo, hi] = typeof ref === "number" ? [ref, ref] : ref;
    return lo === hi ? `${(m / lo).toFixed(2)}×` : `${(m / hi).toFixed(2)}–${(m / lo).toFixed(2)}×`;
  };
  const lines = [
    `Keylime pull server, ${b.rounds} rounds of ${b.n} requests, new connection each; ${b.date.slice(0, 10)}`,
    "",
    "| figure | edge-agent | rust agent (docs/keylime.md#reference-figures) | agent / rust | C ESAPI quote, same swtpm | agent / C |",
    "| --- | --- | --- | --- | --- | --- |",
    `| GET quotes/integrity, no mTLS | ${fmt(summary(b.plain.integrityMs), 1, " ms")} | ${rustQ} | ${vsRust(b.plain.integrityMs, RUST_AGENT.integrityMs)} | ${fmt(c, 2, " ms")} | ${fmt(summary(b.plain.integrityMs.map((x) => x / cMed)), 1, "×")} |`,
    `| GET quotes/integrity, mTLS | ${fmt(summary(b.mtls.integrityMs), 1, " ms")} | ${RUST_AGENT.integrityMtlsMs} ms | ${vsRust(b.mtls.integrityMs, RUST_AGENT.integrityMtlsMs)} | | ${fmt(summary(b.mtls.integrityMs.map((x) => x / cMed)), 1, "×")} |`,
    `| GET /version, no mTLS | ${fmt(summary(b.plain.versionMs), 2, " ms")} | ${RUST_AGENT.versionMs[0]}–${RUST_AGENT.versionMs[1]} ms | ${vsRust(b.plain.versionMs, RUST_AGENT.versionMs)} | | |`,
    `| GET /version, mTLS | ${fmt(summary(b.mtls.versionMs), 2, " ms")} | — | | | |`,
    `| idle RSS (PSS), Keylime on, mTLS | ${mb(b.mtls.mem.rssKb)} (${mb(b.mtls.mem.pssKb)}), ${b.mtls.threads} threads | ${RUST_AGENT.idleRssMb[0]}–${RUST_AGENT.idleRssMb[1]} MB (${RUST_AGENT.idlePssMb[0]}–${RUST_AGENT.idlePssMb[1]} MB) | ${(b.mtls.mem.rssKb / 1024 / RUST_AGENT.idleRssMb[1]).toFixed(1)}–${(b.mtls.mem.rssKb / 1024 / RUST_AGENT.idleRssMb[0]).toFixed(1)}× | | |`,
    `| idle RSS (PSS), Keylime on, no mTLS | ${mb(b.plain.mem.rssKb)} (${mb(b.plain.mem.pssKb)}), ${b.plain.threads} threads | | | | |`,
    "",
    `- agent CPU per quote: no mTLS ${fmt(summary(b.plain.cpuPerQuoteMs), 1, " ms")}, mTLS ${fmt(summary(b.mtls.cpuPerQuoteMs), 1, " ms")} (rust: about 18 ms)`,
    `- the edge-agent figures include EVE's own services running in the same process (the device is onboarded and attested by the test controller); the rust agent does Keylime only`,
  ];
  return lines.join("\n");
}

if (import.meta.main) {
  const b = await keylimeBench();
  writeFileSync(join(OUT, "keylime.json"), JSON.stringify(b, null, 2) + "\n");
  process.stdout.write(keylimeReport(b) + "\n");
  say(`done; raw figures in ${join(OUT, "keylime.json")}`);
}
