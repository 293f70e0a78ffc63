import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultKeylimeConfig } from "../../../src/config/index.ts";
import { WireDump } from "../../../src/controller/index.ts";
import { decodePcrBlob, parseQuote } from "../../../src/keylime/index.ts";
import {
  createAgentTlsCert,
  Evidence,
  type PullServer,
  PullService,
  type QuoteResults,
  startPullServer,
  TpmPullQuoter,
} from "../../../src/keylime/pull/index.ts";
import { silentLogger } from "../../../src/shared/index.ts";
import { HANDLES, type TpmManager } from "../../../src/tpm/index.ts";
import { freePort, run } from "../../harness/proc.ts";
import { EVENT_LOG } from "../flow/fixture.ts";
import { useSwtpm } from "../tpm/fixture.ts";

/**
 * The pull server on swtpm, over real HTTP and HTTPS, each answer checked
 * with independent tools: tpm2_checkquote for the quotes (nonce as raw
 * ASCII, our PCR blob), openssl for PCR 16's key binding, curl for mTLS.
 * The real verifier and tenant take over in pull-mtls / pull-plain.
 */
const UUID = "d432fbb3-d2f1-4a97-9ef7-75bd81c00000";
const NONCE = "JKW1cjeQeVmvl3U5y52S";
const fx = useSwtpm();
let m: TpmManager;
let akPem: string;
let svc: PullService;
let server: PullServer;
let base: string;
let dumpDir: string;
const work = mkdtempSync(join(tmpdir(), "edge-agent-kl-routes-"));
const payloadDir = mkdtempSync(join("/dev/shm", "edge-agent-kl-routes-"));
const imaPath = join(work, "ascii_runtime_measurements");
const imaLine = (i: number) => `10 ${"0".repeat(39)}${i} ima-ng sha256:${"cd".repeat(32)} /usr/bin/prog${i}\n`;

function openssl(args: string[], input?: Uint8Array): Buffer {
  const r = spawnSync("openssl", args, { input });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  // The AK as tpm2-tools exports it, read while no ESAPI context holds the swtpm.
  const first = await fx.openWithKeys();
  await first.close();
  const pem = join(fx.dir, "ak.pem");
  fx.sw.tool(["tpm2_readpublic", "-c", `0x${HANDLES.aik.toString(16)}`, "-f", "pem", "-o", pem]);
  akPem = pem;
  writeFileSync(imaPath, [0, 1, 2].map(imaLine).join(""));
  m = await fx.openWithKeys();
  dumpDir = join(work, "wire");
  svc = new PullService({
    identity: { uuid: UUID },
    quoter: new TpmPullQuoter(m, "aik", defaultKeylimeConfig()),
    evidence: new Evidence({ eventLogPath: EVENT_LOG, imaLogPath: imaPath, log: silentLogger }),
    payload: { dir: payloadDir, allowDiskBacked: false, runScript: false, scriptTimeoutMs: 1000, log: silentLogger },
    log: silentLogger,
  });
  server = startPullServer(svc, { hostname: "127.0.0.1", port: 0, dump: new WireDump(dumpDir, { maxBytes: 1 << 24, log: silentLogger }), log: silentLogger });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.stop();
  await m?.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(payloadDir, { recursive: true, force: true });
});

async function get(path: string): Promise<{ status: number; body: { code: number; status: string; results: QuoteResults } }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as { code: number; status: string; results: QuoteResults } };
}

/** tpm2_checkquote over the three parts of Keylime's quote string, with the nonce's ASCII bytes as qualifying data. */
function checkquote(quote: string, nonce: string): number {
  const q = parseQuote(quote);
  const f = (n: string, d: Uint8Array) => fx.file(n, d);
  return fx.sw.tool(
    [
      "tpm2_checkquote",
      "-u",
      akPem,
      "-m",
      f("q.msg", q.attest),
      "-s",
      f("q.sig", q.signature),
      "-f",
      f("q.pcrs", q.pcrBlob),
      "-g",
      "sha256",
      "-q",
      Buffer.from(nonce, "latin1").toString("hex"),
    ],
    { allowFail: true },
  ).status;
}

/** H(0^32 ‖ H(pem)) with openssl: the PCR 16 the verifier expects. */
function expectedPcr16(pem: string): string {
  const h = openssl(["dgst", "-sha256", "-binary"], new TextEncoder().encode(pem));
  return openssl(["dgst", "-sha256", "-binary"], Buffer.concat([Buffer.alloc(32), h])).toString("hex");
}

describe("quotes on swtpm", () => {
  test("quotes/identity: tpm2_checkquote accepts it and PCR 16 binds the served key", async () => {
    const { status, body } = await get(`/v2.6/quotes/identity?nonce=${NONCE}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ code: 200, status: "Success", results: { hash_alg: "sha256", enc_alg: "rsa2048", sign_alg: "rsassa" } });
    const r = body.results;
    expect(r.pubkey).toBe(svc.transport.publicPem);
    expect(checkquote(r.quote, NONCE)).toBe(0);
    expect(checkquote(r.quote, NONCE.replace("J", "K"))).not.toBe(0);
    const pcrs = decodePcrBlob(parseQuote(r.quote).pcrBlob).values;
    expect([...pcrs.keys()]).toEqual([16]);
    expect(Buffer.from(pcrs.get(16)!).toString("hex")).toBe(expectedPcr16(r.pubkey!));
  });

  test("quotes/integrity with PCR 0 asked: the mask's PCRs and 16, the UEFI log, boottime, the IMA list", async () => {
    const { status, body } = await get(`/v2.6/quotes/integrity?nonce=${NONCE}&mask=0x81&partial=0&ima_ml_entry=0`);
    expect(status).toBe(200);
    const r = body.results;
    expect(checkquote(r.quote, NONCE)).toBe(0);
    expect([...decodePcrBlob(parseQuote(r.quote).pcrBlob).values.keys()]).toEqual([0, 7, 16]);
    expect(r.pubkey).toBe(svc.transport.publicPem);
    expect(r.mb_measurement_list).toBe(readFileSync(EVENT_LOG).toString("base64"));
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))![1]);
    expect(r.boottime).toBe(btime);
    expect(r.ima_measurement_list).toBe([0, 1, 2].map(imaLine).join(""));
    expect(r.ima_measurement_list_entry).toBe(0);
  });

  test("partial=1 leaves the key out, a mask without PCR 0 leaves the UEFI log out, ima_ml_entry picks up where the verifier is", async () => {
    writeFileSync(imaPath, [0, 1, 2, 3].map(imaLine).join(""));
    const { body } = await get(`/v2.3/quotes/integrity?nonce=${NONCE}&mask=0x400&partial=1&ima_ml_entry=3`);
    const r = body.results;
    expect(r.pubkey).toBeUndefined();
    expect(r.mb_measurement_list).toBeUndefined();
    expect(r.enc_alg).toBe("rsa");
    expect([...decodePcrBlob(parseQuote(r.quote).pcrBlob).values.keys()]).toEqual([10, 16]);
    expect(r.ima_measurement_list).toBe(imaLine(3));
    expect(r.ima_measurement_list_entry).toBe(3);
    expect(checkquote(r.quote, NONCE)).toBe(0);
  });

  test("a PCR 16 moved by another TPM user is bound again before a quote is served", async () => {
    await m.pcrExtend(16, new Uint8Array(32).fill(0x16));
    const { body } = await get(`/v2.6/quotes/integrity?nonce=${NONCE}&mask=0x0&partial=1`);
    const pcr16 = decodePcrBlob(parseQuote(body.results.quote).pcrBlob).values.get(16)!;
    expect(Buffer.from(pcr16).toString("hex")).toBe(expectedPcr16(svc.transport.publicPem));
    expect(checkquote(body.results.quote, NONCE)).toBe(0);
  });

  test("clockInfo never goes backwards and the TPM says its clock is safe (the verifier's timing check)", async () => {
    const clock = async () => {
      const a = parseQuote((await get(`/v2.6/quotes/integrity?nonce=${NONCE}&mask=0x1&partial=1`)).body.results.quote).attest;
      const b = Buffer.from(a);
      // TPMS_ATTEST: magic u32, type u16, qualifiedSigner TPM2B, extraData TPM2B, then clockInfo.
      let o = 6;
      o += 2 + b.readUInt16BE(o);
      o += 2 + b.readUInt16BE(o);
      return { clock: b.readBigUInt64BE(o), safe: b[o + 16] };
    };
    const a = await clock();
    await Bun.sleep(20);
    const b = await clock();
    expect(b.clock).toBeGreaterThan(a.clock);
    expect([a.safe, b.safe]).toEqual([1, 1]);
  });

  test("the served exchanges are in the wire dump as NNNN-keylime-<endpoint>", async () => {
    await get("/version");
    const files = readdirSync(dumpDir).sort();
    const names = files.filter((f) => f.endsWith(".json"));
    expect(names.some((f) => /^\d{4}-keylime-quotes-identity\.json$/.test(f))).toBe(true);
    expect(names.some((f) => /^\d{4}-keylime-quotes-integrity\.json$/.test(f))).toBe(true);
    const ver = names.find((f) => /-keylime-version\.json$/.test(f))!;
    const meta = JSON.parse(readFileSync(join(dumpDir, ver), "utf8"));
    expect(meta).toMatchObject({ method: "GET", url: `${base}/version`, status: 200 });
    const res = JSON.parse(readFileSync(join(dumpDir, ver.replace(/\.json$/, ".res")), "utf8"));
    expect(res.results.supported_version).toBe("2.6");
    expect(existsSync(join(dumpDir, ver.replace(/\.json$/, ".req")))).toBe(true);
  });
});

describe("mTLS as Keylime runs it", () => {
  let tlsServer: PullServer;
  let dir: string;
  // Async: the server runs in this process, a blocking spawn would starve it.
  const curl = (args: string[]) => run(["curl", "-sS", "-m", "10", "-o", "-", "-w", "\n%{http_code}", ...args]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "edge-agent-kl-mtls-"));
    const ca = (name: string) => {
      openssl([
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        join(dir, `${name}-ca.key`),
        "-out",
        join(dir, `${name}-ca.crt`),
        "-subj",
        `/CN=${name} CA`,
        "-days",
        "2",
      ]);
      openssl([
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        join(dir, `${name}-client.key`),
        "-out",
        join(dir, `${name}.csr`),
        "-subj",
        `/CN=${name} client`,
      ]);
      openssl([
        "x509",
        "-req",
        "-in",
        join(dir, `${name}.csr`),
        "-CA",
        join(dir, `${name}-ca.crt`),
        "-CAkey",
        join(dir, `${name}-ca.key`),
        "-CAcreateserial",
        "-out",
        join(dir, `${name}-client.crt`),
        "-days",
        "2",
      ]);
    };
    ca("trusted");
    ca("other");
    const cert = createAgentTlsCert(UUID, "127.0.0.1");
    writeFileSync(join(dir, "agent.crt"), cert.certPem);
    tlsServer = startPullServer(svc, {
      hostname: "127.0.0.1",
      port: await freePort(),
      mtls: { ...cert, trustedClientCaPath: join(dir, "trusted-ca.crt") },
      log: silentLogger,
    });
  });

  afterAll(async () => {
    await tlsServer?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the agent certificate is self-signed P-256 with CN=uuid and the loopback SANs", () => {
    const text = openssl(["x509", "-in", join(dir, "agent.crt"), "-noout", "-text"]).toString();
    expect(text).toContain(`Subject: CN = ${UUID}`);
    expect(text).toContain(`Issuer: CN = ${UUID}`);
    expect(text).toContain("NIST CURVE: P-256");
    expect(text).toMatch(/DNS:localhost, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
    expect(openssl(["verify", "-CAfile", join(dir, "agent.crt"), join(dir, "agent.crt")]).toString()).toContain("OK");
  });

  test("a client certificate from the trusted CA gets answers, pinned to the agent certificate as the verifier does", async () => {
    const r = await curl([
      "--cacert",
      join(dir, "agent.crt"),
      "--cert",
      join(dir, "trusted-client.crt"),
      "--key",
      join(dir, "trusted-client.key"),
      `https://127.0.0.1:${tlsServer.port}/v2.6/keys/pubkey`,
    ]);
    expect(r.code).toBe(0);
    const [body, code] = r.stdout.split("\n");
    expect(code).toBe("200");
    expect(JSON.parse(body!).results.pubkey).toBe(svc.transport.publicPem);
  });

  test("no client certificate, or one from another CA, reaches no route", async () => {
    const before = svc.status.requests;
    for (const auth of [[], ["--cert", join(dir, "other-client.crt"), "--key", join(dir, "other-client.key")]]) {
      const r = await curl(["--cacert", join(dir, "agent.crt"), ...auth, `https://127.0.0.1:${tlsServer.port}/version`]);
      expect(r.code).not.toBe(0);
      expect(r.stdout.trim().split("\n").at(-1)).toBe("000");
    }
    expect(svc.status.requests).toBe(before);
  });
});
