/**
 * Trusted boot against the real Adam controller (issue #6): the agent on the
 * TPM backend (swtpm with a recorded OVMF boot replayed into it) attests,
 * escrows its vault key and fetches config, and every verdict is read from
 * Adam's side: its admin API, its log, its file-driver tree (storage keys
 * have no admin call in v0.1.3) and the answers it signed, as the agent's
 * wire dump recorded them. The agent's status is used only where the issue
 * asks what the device reports.
 */
import { describe, expect, test } from "bun:test";
import { createHash, verify, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Adam, AttestCertJson } from "../../harness/adam.ts";
import { waitFor } from "../../harness/proc.ts";
import { parseTpmsAttest } from "../../controller/tpms-attest.ts";
import {
  AttestStorageKeysResponseCode,
  AttestVersionType,
  AttestVolumeKeyType,
  codec,
  ZAttestReqType,
  ZAttestResponseCode,
  ZCertType,
  type ZAttestQuote,
} from "../../../src/protocol/index.ts";
import type { StatusDocument } from "../../../src/status/index.ts";
import {
  SCENARIO_TIMEOUT_MS,
  onboardedOnAdam,
  settled,
  until,
  useAdamRig,
  wireAttests,
  wireConfigs,
  type AgentRun,
  type InfoStream,
  type WireAttest,
} from "./fixture.ts";

const rig = useAdamRig();

type Att = { state?: string; quotes?: number; tokenPresent?: boolean; lastError?: { kind: string; message: string } };
type Vault = { status?: string; locked?: boolean; mismatchingPcrs?: number[] };
type Cfg = { received?: boolean; version?: string; source?: string };
const att = (s: StatusDocument) => s.attestation as Att;
const vault = (s: StatusDocument) => s.vault as Vault;
const cfg = (s: StatusDocument) => s.config as Cfg;

/** Attested, vault open, and (when given) config `version` applied. */
const trusted = (version?: string) => (s: StatusDocument) =>
  att(s).state === "Complete" &&
  vault(s).status === "ENABLED" &&
  vault(s).locked === false &&
  (version === undefined || (cfg(s).received === true && cfg(s).version === version));

const QUOTE = ZAttestReqType.ATTEST_REQ_QUOTE;
const SUCCESS = ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS;
const QUOTE_FAILED = ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED;
const STORED = AttestStorageKeysResponseCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_SUCCESS;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** A fresh Adam with one device onboarded on the TPM backend; returns once both sides know the UUID. */
async function onboardTpmDevice(serial: string) {
  const adam = await rig.startAdam();
  const onboard = await rig.onboardingCert();
  await adam.admin.onboardAdd(onboard.certPem, [serial]);
  const dev = await rig.device(adam, onboard, serial);
  const tpm = await rig.measuredTpm();
  const run = rig.boot(dev, { tpm });
  const uuid = await onboardedOnAdam(adam, dev, run, SCENARIO_TIMEOUT_MS);
  return { adam, dev, tpm, run, uuid };
}

async function storedConfigVersion(adam: Adam, uuid: string): Promise<string | undefined> {
  const bytes = await adam.admin.deviceConfigGet(uuid);
  return bytes ? codec.EdgeDevConfig.decode(bytes).id?.version : undefined;
}

/**
 * v0.1.3 stores a base config (version "4") at registration, so a version of
 * our own is what tells the PUT config apart from it on the device.
 */
async function putConfig(adam: Adam, uuid: string, version: string): Promise<void> {
  await adam.admin.deviceConfigPut(uuid, codec.EdgeDevConfig.encode({ id: { uuid, version }, device_name: `adam-${version}` }));
  expect(await storedConfigVersion(adam, uuid)).toBe(version);
}

/** storage-keys.json: Go encoding/json of AttestStorageKeys, bytes as base64. */
type StoredKeys = { integrity_token?: string; keys?: { key_type?: number; key?: string }[] };

/** storage-keys.json has no admin call in v0.1.3; it is rewritten (truncate, write) on every STORE_KEYS. */
async function storedKeys(adam: Adam, uuid: string): Promise<StoredKeys> {
  const path = join(adam.dbDir, "device", uuid, "storage-keys.json");
  return await settled("storage-keys.json", async () => JSON.parse(readFileSync(path, "utf8")) as StoredKeys);
}

const quotes = (run: AgentRun): WireAttest[] => wireAttests(run.wireDir).filter((a) => a.req.reqType === QUOTE);
const acceptedQuotes = (run: AgentRun) => quotes(run).filter((a) => a.resp?.quoteResp?.response === SUCCESS);
/** The escrow blobs Adam put in a quote answer, base64 as in storage-keys.json. */
const keysOf = (a: WireAttest) => a.resp!.quoteResp!.keys.map((k) => Buffer.from(k.key).toString("base64"));

/**
 * Adam's options once they say attested. Every nonce request resets the flag,
 * and a /config 403 that crossed the first quote starts another cycle (as in
 * EVE), so one read can land mid-cycle.
 */
async function attestedOptions(adam: Adam, uuid: string) {
  return await waitFor(
    async () => {
      const o = await settled("options", () => adam.admin.deviceOptionsGet(uuid));
      return o.attested ? o : undefined;
    },
    20_000,
    { what: "Adam's options to say attested", intervalMs: 200 },
  );
}

/** Waits until Adam's info stream has passed on a message matching `pred` and returns the newest such. */
async function infoMessage(stream: InfoStream, what: string, pred: (dinfo: Record<string, any>) => boolean): Promise<Record<string, any>> {
  return await waitFor(() => stream.messages.filter((m) => m.dinfo && pred(m.dinfo)).at(-1), 20_000, { what: `Adam to receive info with ${what}`, intervalMs: 100 });
}

/** The PCR template an operator would record from a quote Adam accepted (v0.1.3 leaves receivedPCRTemplate null). */
function templateOf(q: ZAttestQuote) {
  const version = (t: number) => q.versions.find((v) => v.version_type === t)?.version ?? "";
  return {
    eveVersion: version(AttestVersionType.ATTEST_VERSION_TYPE_EVE),
    firmwareVersion: version(AttestVersionType.ATTEST_VERSION_TYPE_FIRMWARE),
    PCRValues: q.pcr_values.map((p) => ({ index: p.index, value: hex(p.value) })),
  };
}

/** Holds Adam's process still, so the device finds no controller, until `body` ends. */
async function withAdamFrozen<T>(adam: Adam, body: () => Promise<T>): Promise<T> {
  process.kill(adam.pid, "SIGSTOP");
  try {
    return await body();
  } finally {
    process.kill(adam.pid, "SIGCONT");
  }
}

describe("trusted boot against Adam", () => {
  test(
    "Adam verifies the quote against the certs it holds, then serves the PUT config; its info and request records match EVE",
    rig.diagnosed(async () => {
      const { adam, dev, run, uuid } = await onboardTpmDevice("ADAM-ATT-1");
      const base = await storedConfigVersion(adam, uuid);
      console.log(`adam ${rig.install.version}: config stored at registration: ${base === undefined ? "none" : `version ${base}`}`);
      await putConfig(adam, uuid, "101");
      const info = await rig.infoStream(adam, uuid);
      await run.agent.waitFor(trusted("101"), SCENARIO_TIMEOUT_MS);

      // The certs Adam holds are the device's files, byte for byte, hashed as EVE hashes them.
      const certs = (await settled("certs", () => adam.admin.deviceCerts(uuid)))?.certs ?? [];
      expect(certs.map((c) => c.type).sort()).toEqual([11, 12, 13]);
      const certOf = (type: number) => certs.find((c) => c.type === type)!;
      for (const [type, file] of [
        [ZCertType.CERT_TYPE_DEVICE_RESTRICTED_SIGNING, "attest.cert.pem"],
        [ZCertType.CERT_TYPE_DEVICE_ECDH_EXCHANGE, "ecdh.cert.pem"],
        [ZCertType.CERT_TYPE_DEVICE_ENDORSEMENT_RSA, "ek.cert.pem"],
      ] as const) {
        const pem = readFileSync(join(dev.root, "persist", "certs", file));
        expect(Buffer.from(certOf(type).cert!, "base64")).toEqual(pem);
        expect(certOf(type).hashAlgo).toBe(1);
        expect(certOf(type).certHash).toBe(createHash("sha256").update(pem).digest().subarray(0, 16).toString("base64"));
      }
      // Go's encoding/json keeps the proto field name here (the harness type says metaDataItems).
      const ekMeta = (certOf(ZCertType.CERT_TYPE_DEVICE_ENDORSEMENT_RSA) as AttestCertJson & { meta_data_items?: { type: number }[] }).meta_data_items;
      expect(ekMeta?.map((m) => m.type)).toEqual([1]);

      // attested=true follows Adam's own quoteValidate unless the quote has no PCRs (its no-TPM
      // shortcut), so show the accepted quote is a real one, bound to Adam's nonce, signed by the
      // cert Adam holds and matching its PCR digest.
      const opts = await attestedOptions(adam, uuid);
      expect(opts.integrityToken).toMatch(/^[0-9a-f]{128}$/);
      const accepted = acceptedQuotes(run);
      const first = accepted[0]!;
      expect(first).toBeDefined();
      const q = first.req.quote!;
      expect(q.pcr_values.map((p) => p.index)).toEqual([...Array(24).keys()]);
      const nonce = wireAttests(run.wireDir).filter((a) => a.seq < first.seq && a.resp?.nonce).at(-1)!.resp!.nonce!.nonce;
      const tpms = parseTpmsAttest(q.attestData);
      expect(hex(tpms.extraData)).toBe(hex(nonce));
      const signing = new X509Certificate(Buffer.from(certOf(ZCertType.CERT_TYPE_DEVICE_RESTRICTED_SIGNING).cert!, "base64"));
      expect(verify("sha256", q.attestData, signing.publicKey, q.signature)).toBe(true);
      const quoted = createHash("sha256");
      for (const i of tpms.quote!.pcrs) quoted.update(q.pcr_values.find((p) => p.index === i)!.value);
      expect(quoted.digest().toString("hex")).toBe(hex(tpms.quote!.pcrDigest));
      for (const a of accepted) expect(Buffer.from(a.resp!.quoteResp!.integrity_token).toString()).toBe(opts.integrityToken);

      // STORE_KEYS reached Adam with its own token.
      const stored = await storedKeys(adam, uuid);
      expect(stored.keys?.map((k) => k.key_type)).toEqual([AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK]);
      expect(Buffer.from(stored.integrity_token ?? "", "base64").toString()).toBe(opts.integrityToken);
      // Nothing was escrowed before the first quote; a later cycle in this boot (a /config 403
      // restarts attestation) already gets the stored key back.
      expect(first.resp!.quoteResp!.keys).toEqual([]);
      const escrowedAt = wireAttests(run.wireDir).find((a) => a.resp?.storage_keys_resp?.response === STORED)!.seq;
      for (const a of accepted.filter((a) => a.seq > escrowedAt)) expect(keysOf(a)).toEqual([stored.keys![0]!.key!]);

      // Attest first: no config is served before the accepted quote, and the last one served is ours.
      const configs = wireConfigs(run.wireDir);
      const served = configs.filter((c) => c.status === 200);
      expect(served.length).toBeGreaterThanOrEqual(1);
      expect(served[0]!.seq).toBeGreaterThan(first.seq);
      for (const c of configs.filter((c) => c.seq < served[0]!.seq)) expect([403, 500]).toContain(c.status!);
      expect(served.at(-1)!.config!.id!.version).toBe("101");
      for (const c of served) expect([base, "101"]).toContain(c.config!.id!.version);

      // Each ZInfoMsg on its own (v0.1.3's plain dump merges a file's messages into one).
      const complete = await infoMessage(info, "attestation COMPLETE and vault ENABLED", (d) =>
        d.attestationInfo?.state === "ATTESTATION_STATE_COMPLETE" && d.dataSecAtRestInfo?.status === "DATASEC_AT_REST_ENABLED",
      );
      expect(complete.devId).toBe(uuid);
      expect(complete.dinfo.attestationInfo.error).toBeUndefined();
      expect(complete.dinfo.dataSecAtRestInfo.vaultList).toEqual([
        { name: "Application Data Store", status: "DATASEC_AT_REST_ENABLED", pcrStatus: "PCR_ENABLED" },
      ]);
      expect(complete.dinfo.HSMStatus).toBe("ENABLED");

      // Adam's request log, complete once the agent has stopped: /uuid first (v0.1.3 does not
      // record /register or /certs), then only the device-authenticated calls EVE makes.
      expect(await run.agent.stop()).toBe(0);
      const actions = (await settled("requests", () => adam.admin.deviceRequests(uuid))).map((r) => r.url.split("/").at(-1)!);
      expect(actions[0]).toBe("uuid");
      expect(actions.filter((a) => a === "uuid")).toHaveLength(1);
      expect([...new Set(actions)].sort()).toEqual(["attest", "config", "info", "uuid"]);
      // Adam records a call before answering it and the agent polls config one at a time, so
      // the k-th config record is the k-th config exchange that got an answer on the wire.
      const answered = configs.filter((c) => c.status !== null);
      const configAt = actions.flatMap((a, i) => (a === "config" ? [i] : []));
      expect(configAt.length - answered.length).toBeOneOf([0, 1]);
      const firstServed = configAt[answered.findIndex((c) => c.status === 200)]!;
      // Cert upload, nonce and quote all come before the first config Adam served.
      expect(actions.slice(0, firstServed).filter((a) => a === "attest").length).toBeGreaterThanOrEqual(3);
      expect(actions.indexOf("info")).toBeGreaterThan(0);
      console.log(`adam requests: ${collapse(actions)}`);
    }),
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "Adam returns the escrowed key after the next quote, and it opens the vault the changed PCR 14 locked",
    rig.diagnosed(async () => {
      const { adam, dev, tpm, run, uuid } = await onboardTpmDevice("ADAM-ATT-2");
      await putConfig(adam, uuid, "201");
      await run.agent.waitFor(trusted("201"), SCENARIO_TIMEOUT_MS);
      const stored = await storedKeys(adam, uuid);
      expect(stored.keys).toHaveLength(1);
      expect(await run.agent.stop()).toBe(0);

      // New software measured into PCR 14: the key sealed on the first boot no longer unseals.
      tpm.tool(["tpm2_pcrextend", `14:sha256=${"ad".repeat(32)}`]);
      let second!: AgentRun;
      const locked = await withAdamFrozen(adam, async () => {
        second = rig.boot(dev, { tpm });
        // With no controller the agent goes on with its persisted UUID and finds the vault locked.
        return await second.agent.waitFor((s) => vault(s).locked === true, SCENARIO_TIMEOUT_MS);
      });
      expect(vault(locked).status).toBe("ERROR");
      expect(vault(locked).mismatchingPcrs).toEqual([14]);
      expect(att(locked).tokenPresent).toBe(false);
      expect(locked.device.maintenanceReasons).toContain("MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP");
      expect(acceptedQuotes(second)).toEqual([]);

      const s = await second.agent.waitFor(trusted("201"), SCENARIO_TIMEOUT_MS);
      expect(vault(s).mismatchingPcrs ?? []).toEqual([]);
      // The key came in Adam's signed answer to the quote: exactly the blob it had stored.
      expect(keysOf(acceptedQuotes(second)[0]!)).toEqual([stored.keys![0]!.key!]);
      await attestedOptions(adam, uuid);
      // Re-sealed to the new PCR 14 and escrowed again: the same vault key, so the same blob.
      expect((await storedKeys(adam, uuid)).keys).toEqual(stored.keys);
    }),
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "Adam enforcing a PCR template refuses the changed device's quote: /config stays 403, the vault stays locked, the device says why",
    rig.diagnosed(async () => {
      const { adam, dev, tpm, run, uuid } = await onboardTpmDevice("ADAM-ATT-3");
      await putConfig(adam, uuid, "301");
      await run.agent.waitFor(trusted("301"), SCENARIO_TIMEOUT_MS);
      const template = templateOf(acceptedQuotes(run).at(-1)!.req.quote!);
      const stored = await storedKeys(adam, uuid);
      expect(await run.agent.stop()).toBe(0);
      await adam.admin.globalOptionsPut({ enforceTemplateAttestation: true, PCRTemplates: [template] });

      // The template is the device as it is: Adam accepts it (so the refusal below is the PCR, not the template).
      const same = rig.boot(dev, { tpm });
      await same.agent.waitFor(trusted("301"), SCENARIO_TIMEOUT_MS);
      expect(acceptedQuotes(same).length).toBeGreaterThanOrEqual(1);
      expect(adam.log()).not.toContain("templateAttest failed");
      expect(await same.agent.stop()).toBe(0);

      // A changed boot component (PCR 8 is sealed to and in the template).
      tpm.tool(["tpm2_pcrextend", `8:sha256=${"ad".repeat(32)}`]);
      const info = await rig.infoStream(adam, uuid);
      const changed = rig.boot(dev, { tpm });
      const refusals = () => adam.log().split("\n").filter((l) => l.includes("templateAttest failed"));
      await until(
        changed,
        "two quotes refused and two /config calls answered 403",
        () =>
          quotes(changed).filter((a) => a.resp?.quoteResp?.response === QUOTE_FAILED).length >= 2 &&
          wireConfigs(changed.wireDir).filter((c) => c.status === 403).length >= 2,
        SCENARIO_TIMEOUT_MS,
      );
      const s = await changed.agent.waitFor((s) => att(s).lastError?.kind === "attest.refused", 10_000);

      // Adam: its template check (reached only after signature, nonce and digest passed) refused PCR 8.
      expect(refusals().length).toBeGreaterThanOrEqual(2);
      for (const l of refusals()) expect(l).toContain("templateAttest failed: Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED, PCR index 8 value missmatch");
      for (const a of quotes(changed).filter((a) => a.resp)) {
        expect(a.resp!.quoteResp!.response).toBe(QUOTE_FAILED);
        expect(a.resp!.quoteResp!.integrity_token).toHaveLength(0);
        expect(a.resp!.quoteResp!.keys).toEqual([]);
      }
      expect((await settled("options", () => adam.admin.deviceOptionsGet(uuid))).attested).toBe(false);
      // Without a token every /config is refused (500 is v0.1.3 reading options.json mid-write).
      for (const c of wireConfigs(changed.wireDir)) expect([403, 500]).toContain(c.status!);
      expect(wireAttests(changed.wireDir).some((a) => a.req.reqType === ZAttestReqType.Z_ATTEST_REQ_TYPE_STORE_KEYS)).toBe(false);
      expect(await storedKeys(adam, uuid)).toEqual(stored);

      // The device: locked on PCR 8, and the reason is Adam's verdict.
      expect(att(s).lastError!.message).toContain("Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED");
      expect(att(s).tokenPresent).toBe(false);
      expect(vault(s).locked).toBe(true);
      expect(vault(s).mismatchingPcrs).toEqual([8]);
      // As EVE does until a config arrives, it runs on the checkpoint of the last one it applied.
      expect(cfg(s).source).toBe("checkpoint");
      const refused = await infoMessage(info, "the refused quote and the locked vault", (d) =>
        String(d.attestationInfo?.error?.description ?? "").includes("QUOTE_FAILED") && d.dataSecAtRestInfo?.status === "DATASEC_AT_REST_ERROR",
      );
      expect(refused.dinfo.attestationInfo.state).not.toBe("ATTESTATION_STATE_COMPLETE");

      // The operator accepts the new measurements: the next quote passes and Adam's key opens the vault.
      await adam.admin.globalOptionsPut({ enforceTemplateAttestation: false, PCRTemplates: null });
      await changed.agent.waitFor(trusted("301"), SCENARIO_TIMEOUT_MS);
      expect(keysOf(acceptedQuotes(changed)[0]!)).toEqual([stored.keys![0]!.key!]);
    }),
    SCENARIO_TIMEOUT_MS * 2,
  );
});

/** "uuid attest×2 config info ..." for the console record. */
function collapse(actions: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < actions.length; ) {
    let j = i;
    while (j < actions.length && actions[j] === actions[i]) j++;
    out.push(j - i > 1 ? `${actions[i]}×${j - i}` : actions[i]!);
    i = j;
  }
  return out.join(" ");
}
