import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { useAdamRig, SCENARIO_TIMEOUT_MS, ADAM_TIMERS } from "./fixture.ts";
import { startAgent, type AgentProcess } from "../../harness/agent.ts";
import { startSwtpm, type Swtpm } from "../../harness/swtpm.ts";
import { parseEventLog, readPcrs, replayIntoTpm } from "../../harness/eventlog.ts";
import { AGENT_VERSION } from "../../../src/version.ts";
import { codec } from "../../../src/protocol/index.ts";
import type { StatusDocument } from "../../../src/status/index.ts";
import type { Adam } from "../../harness/adam.ts";

const EVENT_LOG = resolve(import.meta.dir, "../../fixtures/harness/eventlog-ovmf.bin");
const T = SCENARIO_TIMEOUT_MS * 2;
const rig = useAdamRig();
const swtpms: Swtpm[] = [];
const agents: AgentProcess[] = [];

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop(true)));
  await Promise.all(swtpms.splice(0).map((s) => s.stop()));
});

type Att = { state?: string; quotes?: number; lastError?: { kind: string; message: string } };
type Vault = { status?: string; locked?: boolean; mismatchingPcrs?: number[] };
const att = (s: StatusDocument) => s.attestation as Att;
const vault = (s: StatusDocument) => s.vault as Vault;
const cfgVersion = (s: StatusDocument) => (s.config as { version?: string }).version;

async function measuredTpm(): Promise<Swtpm> {
  const sw = await startSwtpm();
  swtpms.push(sw);
  await replayIntoTpm(parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events, sw.tcti);
  return sw;
}

function bootTpm(root: string, serial: string, sw: Swtpm, n: number): AgentProcess {
  const a = startAgent({
    root,
    toml: `serial = ${JSON.stringify(serial)}\neventLogPath = ${JSON.stringify(EVENT_LOG)}\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(sw.tcti)}\n`,
    env: { EDGE_AGENT_WIRE_DUMP: join(root, `wire-tpm-${n}`) },
    logFile: join(root, `agent-tpm-${n}.log`),
    timers: ADAM_TIMERS,
  });
  agents.push(a);
  return a;
}

async function onboardTpmDevice(adam: Adam, serial: string) {
  const onboard = await rig.onboardingCert();
  await adam.admin.onboardAdd(onboard.certPem, [serial]);
  const dev = await rig.device(adam, onboard, serial);
  const sw = await measuredTpm();
  const a = bootTpm(dev.root, serial, sw, 1);
  const s = await a.waitFor((s) => s.device.onboarded, SCENARIO_TIMEOUT_MS);
  const uuid = s.device.uuid!;
  expect(await adam.admin.deviceList()).toContain(uuid);
  return { dev, sw, a, uuid };
}

async function putConfig(adam: Adam, uuid: string, version: string) {
  await adam.admin.deviceConfigPut(uuid, codec.EdgeDevConfig.encode({ id: { uuid, version }, device_name: `adam-${version}` }));
}

/** Adam's options once a quote it verified itself set `attested` (v0.1.3 leaves receivedPCRTemplate null). */
async function attestedOptions(adam: Adam, uuid: string) {
  for (let i = 0; i < 100; i++) {
    const o = await adam.admin.deviceOptionsGet(uuid);
    if (o.attested) return o;
    await Bun.sleep(100);
  }
  throw new Error(`Adam never recorded an attested quote: ${JSON.stringify(await adam.admin.deviceOptionsGet(uuid)).slice(0, 400)}`);
}

async function waitInfo(adam: Adam, uuid: string, pred: (line: Record<string, any>) => boolean): Promise<Record<string, any>> {
  for (let i = 0; i < 100; i++) {
    const hit = (await adam.admin.deviceInfo(uuid)).filter(pred).at(-1);
    if (hit) return hit as Record<string, any>;
    await Bun.sleep(200);
  }
  throw new Error("Adam never stored a matching info message");
}

describe("attestation against Adam", () => {
  test(
    "Adam verifies the quote itself, holds the device certs, serves the config and stores info with attestation and vault state",
    rig.diagnosed(async () => {
      const adam = await rig.startAdam();
      const { a, uuid } = await onboardTpmDevice(adam, "ADAM-TPM-1");
      // v0.1.3 stores a base config (version "4") at registration; this PUT names its own version.
      await putConfig(adam, uuid, "101");
      const s = await a.waitFor((s) => att(s).state === "Complete" && vault(s).status === "ENABLED" && cfgVersion(s) === "101", SCENARIO_TIMEOUT_MS);
      expect(vault(s).locked).toBe(false);

      const certs = await adam.admin.deviceCerts(uuid);
      expect(certs?.certs?.map((c) => c.type).sort()).toEqual([11, 12, 13]);
      const opts = await attestedOptions(adam, uuid);
      expect(opts.attested).toBe(true);
      expect(opts.integrityToken.length).toBeGreaterThan(0);
      // The token Adam issued is the one the agent keeps in /run.
      expect(readFileSync(join(s.device.root, "run/eve.integrity_token"), "utf8")).toBe(opts.integrityToken);

      const info = await waitInfo(adam, uuid, (l) => l.dinfo?.attestationInfo?.state === "ATTESTATION_STATE_COMPLETE");
      expect(info.dinfo.dataSecAtRestInfo.vaultList[0].status).toBe("DATASEC_AT_REST_ENABLED");
      expect(info.dinfo.dataSecAtRestInfo.vaultList[0].name).toBe("Application Data Store");
      expect(info.dinfo.HSMStatus).toBe("ENABLED");

      // EVE's order: /uuid, then the cert upload and attestation, then config and info.
      const urls = (await adam.admin.deviceRequests(uuid)).map((r) => r.url.split("/").at(-1));
      expect(urls[0]).toBe("uuid");
      const first = (x: string) => urls.indexOf(x);
      for (const x of ["attest", "config", "info"]) expect(first(x)).toBeGreaterThan(0);
      expect(urls.filter((u) => u === "attest").length).toBeGreaterThanOrEqual(4); // certs, nonce, quote, store keys
      const storageKeys = join(adam.dbDir, "device", uuid, "storage-keys.json");
      expect(existsSync(storageKeys)).toBe(true);
    }),
    T,
  );

  test(
    "Adam returns the escrowed key after the next quote and the vault is recovered after a sealing PCR change",
    rig.diagnosed(async () => {
      const adam = await rig.startAdam();
      const { dev, sw, a, uuid } = await onboardTpmDevice(adam, "ADAM-TPM-2");
      await putConfig(adam, uuid, "201");
      await a.waitFor((s) => att(s).state === "Complete" && vault(s).status === "ENABLED" && cfgVersion(s) === "201", SCENARIO_TIMEOUT_MS);
      const stored = JSON.parse(readFileSync(join(adam.dbDir, "device", uuid, "storage-keys.json"), "utf8")) as { keys?: unknown[] };
      expect(stored.keys?.length).toBe(1);
      await a.stop();
      // Changed software: PCR 14 moves, so the local unseal must fail.
      sw.tool(["tpm2_pcrextend", `14:sha256=${"ad".repeat(32)}`]);
      const b = bootTpm(dev.root, dev.serial, sw, 2);
      const s = await b.waitFor((s) => att(s).state === "Complete" && vault(s).status === "ENABLED", SCENARIO_TIMEOUT_MS);
      expect(vault(s).locked).toBe(false);
      const log = readFileSync(b.logFile, "utf8");
      expect(log).toContain("PCR mismatch");
      expect(log).toContain("vault unlocked with the controller's key");
      // Adam verified the new quote (with PCR 14 changed) and still holds the same escrow.
      await attestedOptions(adam, uuid);
      const again = JSON.parse(readFileSync(join(adam.dbDir, "device", uuid, "storage-keys.json"), "utf8")) as { keys?: unknown[] };
      expect(again.keys).toEqual(stored.keys);
    }),
    T,
  );

  test(
    "Adam refuses a quote that does not match its enforced PCR template, config stays 403 and the vault stays locked",
    rig.diagnosed(async () => {
      const adam = await rig.startAdam();
      const { dev, sw, a, uuid } = await onboardTpmDevice(adam, "ADAM-TPM-3");
      await putConfig(adam, uuid, "301");
      const s0 = await a.waitFor((s) => att(s).state === "Complete" && vault(s).status === "ENABLED", SCENARIO_TIMEOUT_MS);
      await attestedOptions(adam, uuid);
      await a.stop();
      // The operator's template: today's PCRs for this software version (v0.1.3 does not record them).
      const pcrs = await readPcrs(sw.tcti);
      const eveVersion = (s0.attestation as { eveVersion?: string }).eveVersion ?? `edge-agent-${AGENT_VERSION}`;
      const template = { eveVersion, firmwareVersion: "", PCRValues: [...pcrs].map(([index, value]) => ({ index, value })) };
      await adam.admin.globalOptionsPut({ enforceTemplateAttestation: true, PCRTemplates: [template] });
      sw.tool(["tpm2_pcrextend", `8:sha256=${"ad".repeat(32)}`]);
      const b = bootTpm(dev.root, dev.serial, sw, 2);
      const s = await b.waitFor(
        (s) => (att(s).quotes ?? 0) >= 2 && att(s).lastError?.kind === "attest.refused" && vault(s).locked === true,
        SCENARIO_TIMEOUT_MS,
      );
      expect(att(s).lastError!.message).toContain("QUOTE_FAILED");
      expect(vault(s).mismatchingPcrs).toEqual([8]);
      // 403 without a valid token; v0.1.3 sometimes answers 500 when it reads its options file mid-write.
      expect([403, 500]).toContain((s.config as { poll?: { lastHttpStatus?: number } }).poll?.lastHttpStatus!);
      expect((await adam.admin.deviceOptionsGet(uuid)).attested).toBe(false);
      expect(adam.log()).toContain("PCR index 8 value missmatch");
    }),
    T,
  );
});
