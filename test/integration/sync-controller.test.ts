// Config polling, device info and the deferred queue against the test
// controller over TLS, with a soft-key device created through the admin API.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { baseUrlFromServerFile, ControllerCertStore, ControllerClient, type EnvelopeKey } from "../../src/controller/index.ts";
import { createDeviceCertificate, generateSoftKey, parseCertificatesPem, softSigner } from "../../src/pki/index.ts";
import {
  AttestationState,
  codec,
  DataSecAtRestStatus,
  type EdgeDevConfig,
  HwSecurityModuleStatus,
  MaintenanceModeReason,
  PCRStatus,
  verifyEnvelope,
} from "../../src/protocol/index.ts";
import { silentLogger, toBase64, utf8 } from "../../src/shared/index.ts";
import {
  ConfigPoller,
  type ConfigPollerDeps,
  type ConfigSource,
  DeferredQueue,
  type DeferredQueueDeps,
  type DeliveryResult,
  type DeviceInfoSource,
  InfoReporter,
  VAULT_NAME,
} from "../../src/sync/index.ts";
import { type RunningController, startTestController } from "../controller/index.ts";

let c: RunningController;
const dirs: string[] = [];

beforeAll(async () => {
  c = await startTestController();
});
afterAll(async () => {
  await c.cleanup();
});
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  c.controller.faults.statusFor = {};
  c.controller.faults.tamperSignatures = {};
});

interface Device {
  uuid: string;
  dir: string;
  key: EnvelopeKey;
  client: ControllerClient;
  certs: ControllerCertStore;
}

function newClient(): ControllerClient {
  return new ControllerClient({
    base: baseUrlFromServerFile(c.server),
    transport: { ca: c.pki.trustPem, dialTimeoutMs: 2_000, sendTimeoutMs: 10_000, maxResponseBytes: 4 << 20 },
    log: silentLogger,
    serials: () => ({}),
  });
}

function newCertStore(dir: string): ControllerCertStore {
  const roots = parseCertificatesPem(c.pki.trustPem);
  return new ControllerCertStore(join(dir, "controllercerts"), () => roots, silentLogger);
}

/** Registers a soft-key device through the admin API, then learns certs and UUID as the agent does. */
async function device(): Promise<Device> {
  const dir = mkdtempSync(join(tmpdir(), "sync-it-"));
  dirs.push(dir);
  const signer = softSigner(generateSoftKey());
  const cert = await createDeviceCertificate(signer, new Date());
  const added = await c.admin("/device", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ Cert: toBase64(cert.pem) }),
  });
  expect(added.status).toBe(201);
  const client = newClient();
  const certs = newCertStore(dir);
  await certs.acceptResponse((await client.get("certs")).body);
  const key = { signer, certDer: cert.der };
  const u = await client.post("uuid", codec.UuidRequest.encode({}), key);
  const uuid = codec.UuidResponse.decode(await verifyEnvelope(u.body, certs.certs!.signing)).uuid;
  client.setDeviceUuid(uuid);
  return { uuid, dir, key, client, certs };
}

async function putConfig(uuid: string, cfg: Parameters<typeof codec.EdgeDevConfig.encode>[0]): Promise<void> {
  const res = await c.admin(`/device/${uuid}/config`, {
    method: "PUT",
    headers: { "Content-Type": "application/x-proto-binary" },
    body: codec.EdgeDevConfig.encode(cfg) as Uint8Array<ArrayBuffer>,
  });
  expect(res.status).toBe(200);
}

const TOKEN = "t".repeat(128);

async function grantToken(uuid: string): Promise<void> {
  const res = await c.admin(`/device/${uuid}/options`, { method: "PUT", body: JSON.stringify({ integrityToken: TOKEN, attested: true }) });
  expect(res.status).toBe(200);
}

function poller(d: Device, over: Partial<ConfigPollerDeps> = {}) {
  const applied: { cfg: EdgeDevConfig; source: ConfigSource }[] = [];
  const hooks: string[] = [];
  const p = new ConfigPoller({
    client: d.client,
    certs: d.certs,
    deviceKey: d.key,
    token: () => utf8.encode(TOKEN),
    lastConfigPath: join(d.dir, "checkpoint", "lastconfig"),
    intervalMs: 60_000,
    log: silentLogger,
    onConfig: (cfg, source) => {
      applied.push({ cfg, source });
    },
    onForbidden: () => hooks.push("forbidden"),
    onNotFound: () => hooks.push("not-found"),
    onCertMiss: () => hooks.push("cert-miss"),
    onCertsChanged: () => hooks.push("certs-changed"),
    onEpochChanged: () => hooks.push("epoch-changed"),
    ...over,
  });
  return { p, applied, hooks };
}

describe("config poll against the test controller", () => {
  test("gets 403 and leaves attestation alone when the request carried no integrity token", async () => {
    const d = await device();
    await putConfig(d.uuid, { id: { version: "1" } });
    const { p, hooks, applied } = poller(d, { token: () => undefined });
    expect(await p.pollOnce()).toBe("forbidden");
    expect(hooks).toEqual([]);
    expect(applied).toHaveLength(0);
    expect(p.status.lastHttpStatus).toBe(403);
  });

  test("gets 403 and calls onForbidden when the controller does not accept the token sent", async () => {
    const d = await device();
    await putConfig(d.uuid, { id: { version: "1" } });
    const { p, hooks, applied } = poller(d);
    expect(await p.pollOnce()).toBe("forbidden");
    expect(hooks).toEqual(["forbidden"]);
    expect(applied).toHaveLength(0);
  });

  test("calls onNotFound when the controller has no config for the device", async () => {
    const d = await device();
    await grantToken(d.uuid);
    const { p, hooks } = poller(d);
    expect(await p.pollOnce()).toBe("not-found");
    expect(hooks).toEqual(["not-found"]);
  });

  test("applies the config, checkpoints a verifiable envelope, then gets 304", async () => {
    const d = await device();
    await putConfig(d.uuid, { id: { version: "7" }, device_name: "edge-7" });
    await grantToken(d.uuid);
    const { p, applied } = poller(d);
    expect(await p.pollOnce()).toBe("applied");
    expect(applied).toHaveLength(1);
    expect(applied[0]!.source).toBe("controller");
    expect(applied[0]!.cfg.id).toEqual({ uuid: d.uuid, version: "7" });
    expect(applied[0]!.cfg.device_name).toBe("edge-7");
    expect(applied[0]!.cfg.controllercert_confighash).toBe(c.controller.certsHash());

    const saved = new Uint8Array(readFileSync(join(d.dir, "checkpoint", "lastconfig")));
    const resp = codec.ConfigResponse.decode(await verifyEnvelope(saved, d.certs.certs!.signing));
    expect(resp.config?.id?.version).toBe("7");
    expect(resp.configHash).toBe(p.status.config!.hash);
    expect(new Uint8Array(readFileSync(join(d.dir, "checkpoint", "lastconfig.bak")))).toEqual(saved);

    expect(await p.pollOnce()).toBe("unchanged");
    expect(p.status.lastHttpStatus).toBe(304);
    expect(applied).toHaveLength(1);

    await putConfig(d.uuid, { device_name: "edge-8" });
    expect(await p.pollOnce()).toBe("applied");
    expect(applied[1]!.cfg.id?.version).toBe("8");
  });

  test("refuses a config envelope with a broken signature and applies the next good one", async () => {
    const d = await device();
    await putConfig(d.uuid, { id: { version: "1" } });
    await grantToken(d.uuid);
    c.controller.faults.tamperSignatures.config = 1;
    const { p, applied } = poller(d);
    expect(await p.pollOnce()).toBe("invalid");
    expect(p.status.lastError?.kind).toBe("envelope.signature");
    expect(await p.pollOnce()).toBe("applied");
    expect(applied).toHaveLength(1);
  });

  test("runs on the checkpoint when the controller is down at boot", async () => {
    const d = await device();
    await putConfig(d.uuid, { id: { version: "3" } });
    await grantToken(d.uuid);
    await poller(d).p.pollOnce();

    c.stop();
    try {
      // A new boot: certs come from their checkpoint, nothing is remembered in memory.
      const certs = newCertStore(d.dir);
      expect(await certs.loadCheckpoint()).toBeDefined();
      const client = newClient();
      client.setDeviceUuid(d.uuid);
      const { p, applied } = poller({ ...d, certs, client });
      expect(await p.pollOnce()).toBe("unreachable");
      expect(p.status.lastError?.kind).toBe("controller.refused");
      expect(applied.map((a) => [a.source, a.cfg.id?.version])).toEqual([["checkpoint", "3"]]);
      expect(p.status.checkpoint).toEqual({ state: "used", from: "primary" });
    } finally {
      c.restart();
    }
  });

  test("refuses a checkpoint whose signature is broken", async () => {
    const d = await device();
    await putConfig(d.uuid, { id: { version: "4" } });
    await grantToken(d.uuid);
    await poller(d).p.pollOnce();
    for (const f of ["lastconfig", "lastconfig.bak"]) {
      const path = join(d.dir, "checkpoint", f);
      const env = codec.AuthContainer.decode(new Uint8Array(readFileSync(path)));
      env.signatureHash[10] = env.signatureHash[10]! ^ 0x40;
      writeFileSync(path, codec.AuthContainer.encode(env));
    }

    c.stop();
    try {
      const { p, applied } = poller(d);
      expect(await p.pollOnce()).toBe("unreachable");
      expect(applied).toHaveLength(0);
      expect(p.status.checkpoint.state).toBe("refused");
      expect(p.status.checkpoint.reason).toContain("envelope.signature");
      expect(p.status.config).toBeUndefined();
    } finally {
      c.restart();
    }
  });

  test("calls onCertsChanged when the controller's cert set changes", async () => {
    const d = await device();
    await putConfig(d.uuid, { id: { version: "1" } });
    await grantToken(d.uuid);
    const { p, hooks, applied } = poller(d);
    await p.pollOnce();
    const original = c.pki.ecdh.certPem;
    c.controller.rotateControllerCerts({ ecdhCertPem: c.pki.server.certPem });
    try {
      // Adam folds controllercert_confighash into configHash, so the change arrives as a new config.
      expect(await p.pollOnce()).toBe("applied");
      expect(hooks).toEqual(["certs-changed"]);
      expect(applied[1]!.cfg.controllercert_confighash).not.toBe(applied[0]!.cfg.controllercert_confighash);
    } finally {
      c.controller.rotateControllerCerts({ ecdhCertPem: original });
    }
  });

  test("invalidates the certs on a signing cert change and recovers after refetching them", async () => {
    const d = await device();
    await putConfig(d.uuid, { id: { version: "1" } });
    await grantToken(d.uuid);
    let refetch: Promise<unknown> | undefined;
    const { p, hooks, applied } = poller(d, {
      onCertMiss: () => {
        hooks.push("cert-miss");
        refetch = d.client.get("certs").then((r) => d.certs.acceptResponse(r.body));
      },
    });
    await p.pollOnce();
    const before = { signingCertPem: c.pki.signing.certPem, signingKeyPem: c.pki.signing.keyPem, ecdhCertPem: c.pki.ecdh.certPem };
    // The ECDH leaf is issued by the same root, so it can stand in as the new signing cert.
    c.controller.rotateControllerCerts({ signingCertPem: c.pki.ecdh.certPem, signingKeyPem: c.pki.ecdh.keyPem, ecdhCertPem: c.pki.signing.certPem });
    try {
      expect(await p.pollOnce()).toBe("cert-miss");
      expect(hooks).toEqual(["cert-miss"]);
      await refetch;
      expect(d.certs.certs).toBeDefined();
      expect(await p.pollOnce()).toBe("applied");
      expect(hooks).toEqual(["cert-miss", "certs-changed"]);
      expect(applied).toHaveLength(2);
    } finally {
      c.controller.rotateControllerCerts(before);
    }
  });
});

function infoSource(uuid: string): DeviceInfoSource {
  return {
    deviceUuid: () => uuid,
    hardware: () => ({
      manufacturer: { manufacturer: "QEMU", productName: "Q35" },
      machineArch: "x86_64",
      cpuArch: "x86_64",
      ncpu: 2,
      memoryMB: 1024,
      hostName: "it-host",
    }),
    bootTime: () => new Date("2026-03-01T00:00:00Z"),
    hsm: () => ({ status: HwSecurityModuleStatus.ENABLED, info: "SW TPM" }),
    vault: () => ({ status: DataSecAtRestStatus.DATASEC_AT_REST_ERROR, pcrStatus: PCRStatus.PCR_ENABLED, error: { description: "PCR 7 changed" } }),
    rootCaSha256: () => new Uint8Array(32).fill(0xab),
    attestation: () => ({ state: AttestationState.ATTESTATION_STATE_COMPLETE, error: { description: "earlier quote refused" } }),
    maintenance: () => ({ active: true, reasons: [MaintenanceModeReason.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP] }),
  };
}

function queue(d: Device, over: Partial<DeferredQueueDeps> = {}) {
  const results: [string, DeliveryResult][] = [];
  const q = new DeferredQueue({
    dir: join(d.dir, "info-queue"),
    client: d.client,
    deviceKey: d.key,
    minMs: 60_000,
    maxMs: 900_000,
    log: silentLogger,
    onResult: (item, r) => results.push([item.key, r]),
    ...over,
  });
  return { q, results };
}

const infoOf = (uuid: string) => c.controller.state.devices.get(uuid)!.info;

describe("device info against the test controller", () => {
  test("delivers a ZInfoMsg whose attestation and vault fields the controller decodes intact", async () => {
    const d = await device();
    const { q, results } = queue(d);
    const reporter = new InfoReporter({ source: infoSource(d.uuid), queue: q, intervalMs: 600_000, log: silentLogger });
    expect(reporter.reportNow("start")).toBe(true);
    await q.flush();
    expect(results).toEqual([[d.uuid, { outcome: "delivered", status: 201 }]]);
    const got = infoOf(d.uuid);
    expect(got).toHaveLength(1);
    const msg = got[0]!.msg;
    expect(msg.devId).toBe(d.uuid);
    expect(msg.ztype).toBe(1);
    expect(msg.dinfo?.attestation_info).toEqual({
      state: AttestationState.ATTESTATION_STATE_COMPLETE,
      error: { description: "earlier quote refused", retry_condition: "" },
    });
    expect(msg.dinfo?.dataSecAtRestInfo?.vaultList).toEqual([
      {
        name: VAULT_NAME,
        status: DataSecAtRestStatus.DATASEC_AT_REST_ERROR,
        pcrStatus: PCRStatus.PCR_ENABLED,
        vaultErr: { description: "PCR 7 changed", retry_condition: "" },
      },
    ]);
    expect(msg.dinfo?.maintenance_mode_reasons).toEqual([MaintenanceModeReason.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP]);
    expect(msg.dinfo?.sec_info?.sha_root_ca).toEqual(new Uint8Array(32).fill(0xab));

    // The admin view (Adam's protojson) shows the same fields.
    const line = JSON.parse((await (await c.admin(`/device/${d.uuid}/info`)).text()).trim());
    expect(line.dinfo.attestationInfo.state).toBe("ATTESTATION_STATE_COMPLETE");
    expect(line.dinfo.dataSecAtRestInfo.vaultList[0].name).toBe(VAULT_NAME);
  });
});

describe("deferred queue against the test controller", () => {
  const info = (uuid: string, host: string) => codec.ZInfoMsg.encode({ ztype: 1, devId: uuid, dinfo: { HostName: host } });
  const hostsSeen = (uuid: string) => infoOf(uuid).map((i) => i.msg.dinfo?.HostName);

  test("retries after 503 and delivers once the controller accepts", async () => {
    const d = await device();
    let now = 1_000_000;
    const { q, results } = queue(d, { now: () => now });
    c.controller.faults.statusFor.info = 503;
    q.enqueue({ key: d.uuid, action: "info", payload: info(d.uuid, "h1") });
    await q.flush();
    expect(results).toEqual([[d.uuid, { outcome: "retry", status: 503, attempts: 1, retryInMs: 60_000 }]]);
    delete c.controller.faults.statusFor.info;
    await q.flush();
    expect(results).toHaveLength(1);
    now += 60_000;
    await q.flush();
    expect(results.at(-1)).toEqual([d.uuid, { outcome: "delivered", status: 201 }]);
    expect(hostsSeen(d.uuid)).toEqual(["h1"]);
  });

  test("drops an item refused with 409 and reports it", async () => {
    const d = await device();
    const { q, results } = queue(d);
    c.controller.faults.statusFor.attest = 409;
    q.enqueue({ key: `attest:${d.uuid}`, action: "attest", payload: codec.ZAttestReq.encode({ reqType: 3 }) });
    await q.flush();
    expect(results).toEqual([[`attest:${d.uuid}`, { outcome: "dropped", status: 409 }]]);
    expect(q.size).toBe(0);
    expect(readdirSync(join(d.dir, "info-queue"))).toEqual([]);
  });

  test("sends only the newest item for a key", async () => {
    const d = await device();
    const { q } = queue(d);
    q.enqueue({ key: d.uuid, action: "info", payload: info(d.uuid, "old") });
    q.enqueue({ key: d.uuid, action: "info", payload: info(d.uuid, "new") });
    await q.flush();
    expect(hostsSeen(d.uuid)).toEqual(["new"]);
  });

  test("re-sends persisted items when a new queue starts", async () => {
    const d = await device();
    c.stop();
    try {
      const first = queue(d);
      first.q.enqueue({ key: d.uuid, action: "info", payload: info(d.uuid, "before-restart") });
      await first.q.flush();
      expect(first.results[0]![1].outcome).toBe("deferred");
    } finally {
      c.restart();
    }
    const second = queue(d);
    expect(second.q.size).toBe(1);
    await second.q.flush();
    expect(hostsSeen(d.uuid)).toEqual(["before-restart"]);
  });

  test("ignores a corrupt queue file and delivers the valid ones", async () => {
    const d = await device();
    queue(d).q.enqueue({ key: d.uuid, action: "info", payload: info(d.uuid, "valid") });
    const dir = join(d.dir, "info-queue");
    const file = readdirSync(dir)[0]!;
    writeFileSync(join(dir, `${Buffer.from("attest:x").toString("base64url")}.json`), readFileSync(join(dir, file), "utf8").slice(0, 50));
    const { q } = queue(d);
    expect(q.size).toBe(1);
    await q.flush();
    expect(hostsSeen(d.uuid)).toEqual(["valid"]);
    expect(readdirSync(dir)).toEqual([]);
  });
});
