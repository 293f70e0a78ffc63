import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { EsysTpm } from "../../../native/tss2/index.ts";
import { defaultKeylimeConfig, type KeylimeConfig } from "../../../src/config/index.ts";
import { KeylimeAgent, type KeylimeStatus } from "../../../src/keylime/index.ts";
import { silentLogger } from "../../../src/shared/index.ts";
import { openTpm, type TpmManager } from "../../../src/tpm/index.ts";
import { type Keylime, type RegistrarAgent, startKeylime } from "../../harness/keylime.ts";
import { freePort, waitFor } from "../../harness/proc.ts";
import { privateEkCa, type Swtpm, startSwtpm } from "../../harness/swtpm.ts";

/**
 * Registration and activation against the real Keylime registrar, asserted
 * through the registrar's TLS API and the tenant, never through the agent's
 * own view: the registrar holds our TCG EK, its certificate and EVE's AIK,
 * marks the agent active, and refuses the same UUID from another TPM.
 */
const CREDENTIAL = "3f6c1b2e-9d1a-4c55-8f0e-2b7d9a4e6c01";
let kl: Keylime;
let tpmA: Swtpm;
let tpmB: Swtpm;
let store: string;
const managers: TpmManager[] = [];

beforeAll(async () => {
  const ca = privateEkCa();
  store = mkdtempSync(join(tmpdir(), "edge-agent-kl-store-"));
  copyFileSync(ca.issuerCert, join(store, "ek-issuer.pem"));
  [tpmA, tpmB, kl] = await Promise.all([
    startSwtpm({ ekCa: ca }),
    startSwtpm({ ekCa: ca, unique: true }),
    startKeylime({ tpmCertStore: store, agentMtls: false }),
  ]);
  console.log(`keylime up in ${kl.startMs} ms (venv ${kl.install.cached ? "cached" : `installed in ${kl.install.ms} ms`})`);
}, 10 * 60_000);

afterAll(async () => {
  for (const m of managers) await m.close().catch(() => undefined);
  await kl?.stop();
  await tpmA?.stop();
  await tpmB?.stop();
  rmSync(store, { recursive: true, force: true });
});

async function manager(sw: Swtpm): Promise<TpmManager> {
  const m = await openTpm({ tcti: sw.tcti, connect: (t) => EsysTpm.open(t), timeoutMs: 30_000 });
  managers.push(m);
  await m.ensureKeys({ credential: CREDENTIAL });
  return m;
}

function config(over: Partial<KeylimeConfig> = {}): KeylimeConfig {
  return {
    ...defaultKeylimeConfig(),
    enabled: true,
    registrarUrl: kl.registrarUrl,
    mtls: false,
    contactIp: "127.0.0.1",
    contactPort: 9002,
    retryInitialMs: 100,
    retryMaxMs: 1000,
    ...over,
  };
}

/** tpm2-tools' view of a persistent key after the manager let go: TPM2B_PUBLIC bytes and PEM. */
async function toolsKey(sw: Swtpm, m: TpmManager, handle: string): Promise<{ tpm2b: string; pem: string }> {
  await m.close();
  managers.splice(managers.indexOf(m), 1);
  const dir = mkdtempSync(join(tmpdir(), "edge-agent-kl-key-"));
  try {
    sw.tool(["tpm2_readpublic", "-c", handle, "-o", join(dir, "k.pub")]);
    sw.tool(["tpm2_readpublic", "-c", handle, "-f", "pem", "-o", join(dir, "k.pem")]);
    return { tpm2b: readFileSync(join(dir, "k.pub")).toString("base64"), pem: readFileSync(join(dir, "k.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let uuidA = "";

describe("Keylime registration against the real registrar", () => {
  test("registers the TCG EK (hash_ek UUID), its certificate and EVE's AIK; activation makes the registrar mark the agent active", async () => {
    const m = await manager(tpmA);
    const statuses: KeylimeStatus[] = [];
    const agent = new KeylimeAgent({ cfg: config(), tpm: m, log: silentLogger, onStatus: (s) => statuses.push(s) });
    const reg = await agent.registerOnce();
    uuidA = reg.uuid;
    const ek = await toolsKey(tpmA, m, "0x81010001");
    const aik = await toolsKey(tpmA, await manager(tpmA), "0x81000003");
    // hash_ek as the rust agent computes it: SHA-256 of openssl's PEM of the EK.
    expect(uuidA).toBe(Buffer.from(sha256(new TextEncoder().encode(ek.pem))).toString("hex"));

    const held = await kl.registrarAgent(uuidA);
    expect(held).toBeDefined();
    expect(held!.active).toBe(true);
    expect(held!.ek_tpm).toBe(ek.tpm2b);
    expect(held!.aik_tpm).toBe(aik.tpm2b);
    expect(held!.mtls_cert === null || held!.mtls_cert === "disabled").toBe(true);
    expect(held!.ip).toBe("127.0.0.1");
    expect(held!.port).toBe(9002);
    // The certificate as the TPM's NV holds it (the registrar keeps it as base64 DER).
    const nv = join(store, "..", `ek-${process.pid}.der`);
    tpmA.tool(["tpm2_nvread", "0x1c00002", "-C", "o", "-o", nv]);
    expect(held!.ekcert).toBe(readFileSync(nv).toString("base64"));
    rmSync(nv);
    expect(await kl.registrarAgents()).toContain(uuidA);
    // The tenant, which checks the EK certificate against its cert store, sees it registered.
    const reg2 = await kl.tenant(["-c", "regstatus", "-u", uuidA]);
    expect(reg2.code).toBe(0);
    const regRecord = reg2.json.find((j) => typeof j.results === "object" && j.results !== null && uuidA in (j.results as object));
    expect(String(regRecord?.status)).toContain("exists on registrar");
    expect((regRecord!.results as Record<string, RegistrarAgent>)[uuidA]!.ek_tpm).toBe(ek.tpm2b);

    const last = statuses.at(-1)!;
    expect(last).toMatchObject({
      uuid: uuidA,
      registered: true,
      activated: true,
      registrationAttempts: 1,
      akHandle: "0x81000003",
      ek: "0x81010001",
      apiVersion: "2.6",
    });
    expect(last.lastError).toBeUndefined();
  });

  test("registering again from the same TPM (an agent restart) keeps the record and activates again", async () => {
    const m = await manager(tpmA);
    const before = await kl.registrarAgent(uuidA);
    const reg = await new KeylimeAgent({ cfg: config(), tpm: m, log: silentLogger }).registerOnce();
    expect(reg.uuid).toBe(uuidA);
    const after = await kl.registrarAgent(uuidA);
    expect(after!.active).toBe(true);
    expect(after!.ek_tpm).toBe(before!.ek_tpm);
    expect(after!.aik_tpm).toBe(before!.aik_tpm);
  });

  test("the same UUID from another TPM is refused with 403, reported in the status, and not retried at backoff pace", async () => {
    const m = await manager(tpmB);
    const statuses: KeylimeStatus[] = [];
    // retryInitialMs 100: a blind retry loop would make about a dozen attempts in the window below.
    const agent = new KeylimeAgent({
      cfg: config({ uuid: uuidA, retryInitialMs: 100, retryMaxMs: 60_000 }),
      tpm: m,
      log: silentLogger,
      onStatus: (s) => statuses.push(s),
    });
    const stop = new AbortController();
    const running = agent.register(stop.signal);
    await waitFor(() => statuses.some((s) => s.refused), 60_000, { what: "the refusal in the status" });
    await Bun.sleep(2500);
    stop.abort();
    expect(await running).toBeUndefined();
    const s = agent.status();
    expect(s).toMatchObject({ uuid: uuidA, refused: true, activated: false, registrationAttempts: 1 });
    expect(s.lastError?.kind).toBe("keylime.refused");
    expect(s.lastError?.message).toContain("403");
    // The registrar still holds the first TPM's EK, active.
    const held = await kl.registrarAgent(uuidA);
    const ekA = await toolsKey(tpmA, await manager(tpmA), "0x81010001");
    expect(held!.ek_tpm).toBe(ekA.tpm2b);
    expect(held!.active).toBe(true);
    expect(kl.registrar.log()).toContain("different TPM identity");
  });

  test("another TPM with its own hash_ek UUID registers beside the first", async () => {
    const m = await manager(tpmB);
    const reg = await new KeylimeAgent({ cfg: config(), tpm: m, log: silentLogger }).registerOnce();
    expect(reg.uuid).not.toBe(uuidA);
    expect((await kl.registrarAgent(reg.uuid))!.active).toBe(true);
    expect((await kl.registrarAgents()).sort()).toEqual([uuidA, reg.uuid].sort());
  });

  test("an unreachable registrar is retried with capped backoff and reported, then registration succeeds once it answers", async () => {
    const m = await manager(tpmA);
    const statuses: KeylimeStatus[] = [];
    const port = Number(new URL(kl.registrarUrl).port);
    // A proxy we control stands for the registrar: closed first, forwarding later.
    const proxyPort = await freePort();
    const agent = new KeylimeAgent({
      cfg: config({ registrarUrl: `http://127.0.0.1:${proxyPort}`, uuid: "d432fbb3-d2f1-4a97-9ef7-75bd81c0aaaa", retryInitialMs: 100, retryMaxMs: 400 }),
      tpm: m,
      log: silentLogger,
      onStatus: (s) => statuses.push(s),
    });
    const stop = new AbortController();
    const running = agent.register(stop.signal);
    await waitFor(() => agent.status().registrationAttempts >= 4, 30_000, { what: "four attempts" });
    expect(agent.status().lastError?.kind).toBe("keylime.unreachable");
    expect(agent.status().registered).toBe(false);
    const proxy = Bun.serve({
      port: proxyPort,
      hostname: "127.0.0.1",
      fetch: (req) => fetch(new URL(new URL(req.url).pathname, `http://127.0.0.1:${port}`), { method: req.method, headers: req.headers, body: req.body }),
    });
    try {
      const reg = await running;
      expect(reg?.uuid).toBe("d432fbb3-d2f1-4a97-9ef7-75bd81c0aaaa");
    } finally {
      stop.abort();
      proxy.stop(true);
    }
    expect((await kl.registrarAgent("d432fbb3-d2f1-4a97-9ef7-75bd81c0aaaa"))!.active).toBe(true);
    expect(agent.status().lastError).toBeUndefined();
  });
});
