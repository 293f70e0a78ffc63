/**
 * Trusted boot, written once and run against each controller: the agent on
 * the TPM backend (swtpm with a recorded OVMF boot replayed into it)
 * attests, escrows its vault key and fetches config; then the software
 * changes (PCR 14) and the escrowed key opens the vault again; then the
 * controller enforces a PCR template the changed device no longer meets.
 * One device per controller goes through the three tests in order.
 *
 * Verdicts are read from the controller's side (admin API, its records, the
 * answers it signed as the agent's wire dump recorded them) and from what
 * the device reports; where Adam v0.1.3 differs from the reference, the
 * scenario names the difference.
 */
import { beforeAll, expect, test } from "bun:test";
import { createHash, verify, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  AttestStorageKeysResponseCode,
  AttestVersionType,
  AttestVolumeKeyType,
  codec,
  type ZAttestQuote,
  ZAttestReqType,
  ZAttestResponseCode,
  ZCertType,
} from "../../../src/protocol/index.ts";
import { fromBase64 } from "../../../src/shared/index.ts";
import type { StatusDocument } from "../../../src/status/index.ts";
import { parseTpmsAttest } from "../../controller/tpms-attest.ts";
import type { AttestCertJson, StoredKeysJson } from "../../harness/admin/index.ts";
import { type ControllerPeer, describeEachPeer } from "../../harness/peers/index.ts";
import { waitFor } from "../../harness/proc.ts";
import type { Swtpm } from "../../harness/swtpm.ts";
import { type WireAttest, wireAttests, wireConfigs, wireExchanges } from "../../harness/wire.ts";
import { configInVault } from "../trusted-boot/fixture.ts";
import { type AgentRun, type DeviceRoot, EVENT_LOG, onboardedOn, SCENARIO_TIMEOUT_MS, until, useControllerRig } from "./rig.ts";

/** Onboarded, attested, vault open, and config `version` applied. */
const trusted = (version: string) => (s: StatusDocument) =>
  s.device.onboarded &&
  s.attestation.state === "Complete" &&
  s.vault.status === "ENABLED" &&
  s.vault.locked === false &&
  s.config.received === true &&
  s.config.version === version;

const QUOTE = ZAttestReqType.ATTEST_REQ_QUOTE;
const SUCCESS = ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS;
const QUOTE_FAILED = ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED;
const STORED = AttestStorageKeysResponseCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_SUCCESS;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
/** Our own config version, told apart from Adam v0.1.3's base config ("4") on the device. */
const VERSION = "101";

const quotes = (run: AgentRun): WireAttest[] => wireAttests(run.wireDir).filter((a) => a.req.reqType === QUOTE);
const acceptedQuotes = (run: AgentRun) => quotes(run).filter((a) => a.resp?.quoteResp?.response === SUCCESS);
/** The escrow blobs a quote answer carried, base64 as in storage-keys.json. */
const keysOf = (a: WireAttest) => a.resp!.quoteResp!.keys.map((k) => Buffer.from(k.key).toString("base64"));

async function storedConfigVersion(peer: ControllerPeer, uuid: string): Promise<string | undefined> {
  const bytes = await peer.client.deviceConfigGet(uuid);
  return bytes ? codec.EdgeDevConfig.decode(bytes).id?.version : undefined;
}

/**
 * The device's options once they say attested. Every nonce request resets
 * the flag, and a /config 403 that crossed the first quote starts another
 * cycle (as in EVE), so one read can land mid-cycle.
 */
async function attestedOptions(peer: ControllerPeer, uuid: string) {
  return await waitFor(
    async () => {
      const o = await peer.settled("options", () => peer.client.deviceOptionsGet(uuid));
      return o.attested ? o : undefined;
    },
    20_000,
    { what: "the controller's options to say attested", intervalMs: 200 },
  );
}

/** Waits until the info stream has passed on a message matching `pred` and returns the newest such. */
async function infoMessage(stream: { messages: readonly Record<string, any>[] }, what: string, pred: (dinfo: Record<string, any>) => boolean) {
  return await waitFor(() => stream.messages.filter((m) => m.dinfo && pred(m.dinfo)).at(-1), 20_000, {
    what: `the controller to receive info with ${what}`,
    intervalMs: 100,
  });
}

/** The PCR template an operator would record from an accepted quote. */
function templateOf(q: ZAttestQuote) {
  const version = (t: number) => q.versions.find((v) => v.version_type === t)?.version ?? "";
  return {
    eveVersion: version(AttestVersionType.ATTEST_VERSION_TYPE_EVE),
    firmwareVersion: version(AttestVersionType.ATTEST_VERSION_TYPE_FIRMWARE),
    PCRValues: q.pcr_values.map((p) => ({ index: p.index, value: hex(p.value) })),
  };
}

/** Statuses a /config may get while the device holds no valid token. */
function refusedConfigStatuses(peer: ControllerPeer): number[] {
  // 500: v0.1.3 reading options.json mid-write.
  return [403, ...(peer.differs("unlocked-json-writes") ? [500] : [])];
}

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

describeEachPeer("trusted boot", (peers) => {
  const rig = useControllerRig(peers);
  let peer: ControllerPeer;
  let dev: DeviceRoot;
  let tpm: Swtpm;
  let uuid = "";
  /** Set by each test for the next: what the controller escrowed, and the last quote it accepted. */
  let stored: StoredKeysJson | undefined;
  let lastAccepted: WireAttest | undefined;

  beforeAll(async () => {
    peer = await rig.controller();
    const onboard = await rig.onboardingCert();
    await peer.client.onboardAdd(onboard.certPem, ["TB-SN-1"]);
    dev = await rig.device(peer, onboard, "TB-SN-1");
    tpm = await rig.measuredTpm();
  }, SCENARIO_TIMEOUT_MS);

  test(
    "onboards, attests with a quote the controller verifies against the certs it holds, escrows the vault key and receives the PUT config; the controller's info and request records match EVE",
    rig.diagnosed(async () => {
      const run = rig.boot(peer, dev, { tpm });
      uuid = await onboardedOn(peer, dev, run, SCENARIO_TIMEOUT_MS);
      const base = await storedConfigVersion(peer, uuid);
      console.log(`${peers.title}: config stored at registration: ${base === undefined ? "none" : `version ${base}`}`);
      expect(base).toBe(peer.differs("base-config-at-register") ? "4" : undefined);
      await peer.client.deviceConfigPut(
        uuid,
        codec.EdgeDevConfig.encode({ id: { uuid, version: VERSION }, device_name: `dev-${VERSION}`, configItems: [{ key: "k", value: VERSION }] }),
      );
      expect(await storedConfigVersion(peer, uuid)).toBe(VERSION);
      const info = await rig.infoStream(peer, uuid);
      const s = await run.agent.waitFor(trusted(VERSION), SCENARIO_TIMEOUT_MS);
      expect(s.vault.escrowPending).toBe(false);
      expect(existsSync(join(dev.root, "run/eve.integrity_token"))).toBe(true);

      // The certs the controller holds are the device's files, byte for byte, hashed as EVE hashes them.
      const certs = (await peer.settled("certs", () => peer.client.deviceCerts(uuid)))?.certs ?? [];
      expect(certs.map((c) => c.type).sort()).toEqual([11, 12, 13]);
      const certOf = (type: number): AttestCertJson => certs.find((c) => c.type === type)!;
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
      expect(certOf(ZCertType.CERT_TYPE_DEVICE_ENDORSEMENT_RSA).meta_data_items?.map((m) => m.type)).toEqual([1]);

      // attested=true follows the controller's own quote check unless the quote has no PCRs
      // (Adam's no-TPM shortcut), so show the accepted quote is a real one, bound to the
      // controller's nonce, signed by the cert it holds and matching its PCR digest.
      const opts = await attestedOptions(peer, uuid);
      expect(opts.integrityToken).toMatch(/^[0-9a-f]{128}$/);
      const accepted = acceptedQuotes(run);
      const first = accepted[0]!;
      expect(first).toBeDefined();
      const q = first.req.quote!;
      expect(q.pcr_values.map((p) => p.index)).toEqual([...Array(24).keys()]);
      const nonce = wireAttests(run.wireDir)
        .filter((a) => a.seq < first.seq && a.resp?.nonce)
        .at(-1)!.resp!.nonce!.nonce;
      const tpms = parseTpmsAttest(q.attestData);
      expect(hex(tpms.extraData)).toBe(hex(nonce));
      const signing = new X509Certificate(Buffer.from(certOf(ZCertType.CERT_TYPE_DEVICE_RESTRICTED_SIGNING).cert!, "base64"));
      expect(verify("sha256", q.attestData, signing.publicKey, q.signature)).toBe(true);
      const quoted = createHash("sha256");
      for (const i of tpms.quote!.pcrs) quoted.update(q.pcr_values.find((p) => p.index === i)!.value);
      expect(quoted.digest().toString("hex")).toBe(hex(tpms.quote!.pcrDigest));
      for (const a of accepted) expect(Buffer.from(a.resp!.quoteResp!.integrity_token).toString()).toBe(opts.integrityToken);

      // The event log sent with the quote is the configured file, and host-side tpm2_eventlog replays it to the quoted PCRs.
      expect(Buffer.from(gunzipSync(q.tpm_binary_event_log)).equals(readFileSync(EVENT_LOG))).toBe(true);
      const replay = tpm.tool(["tpm2_eventlog", EVENT_LOG]).stdout;
      const sent = new Map(q.pcr_values.map((p) => [p.index, hex(p.value)]));
      const finalPcrs = [...replay.slice(replay.indexOf("\npcrs:")).matchAll(/^\s+(\d+)\s*:\s*0x([0-9A-Fa-f]{64})/gm)];
      expect(finalPcrs.length).toBe(9);
      for (const m of finalPcrs) expect(sent.get(Number(m[1]))).toBe(m[2]!.toLowerCase());
      if (!peer.differs("quote-options-overwritten")) {
        // The controller kept what it accepted: the template and the log as sent.
        expect(opts.receivedPCRTemplate).toEqual(templateOf(accepted.at(-1)!.req.quote!));
        expect(Buffer.from(gunzipSync(fromBase64(opts.eventLog as string))).equals(readFileSync(EVENT_LOG))).toBe(true);
      }

      // STORE_KEYS reached the controller with its own token.
      stored = await peer.storedKeys(uuid);
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
      // 404: no config stored yet, where registration stores none.
      const beforeServed = [...refusedConfigStatuses(peer), ...(peer.differs("base-config-at-register") ? [] : [404])];
      for (const c of configs.filter((c) => c.seq < served[0]!.seq)) expect(beforeServed).toContain(c.status!);
      expect(served.at(-1)!.config!.id!.version).toBe(VERSION);
      for (const c of served) expect([base, VERSION]).toContain(c.config!.id!.version);

      // Each ZInfoMsg on its own, as the X-Stream call passes them on.
      const complete = await infoMessage(
        info,
        "attestation COMPLETE and vault ENABLED",
        (d) => d.attestationInfo?.state === "ATTESTATION_STATE_COMPLETE" && d.dataSecAtRestInfo?.status === "DATASEC_AT_REST_ENABLED",
      );
      expect(complete.devId).toBe(uuid);
      expect(complete.dinfo.attestationInfo.error).toBeUndefined();
      expect(complete.dinfo.dataSecAtRestInfo.vaultList).toEqual([
        { name: "Application Data Store", status: "DATASEC_AT_REST_ENABLED", pcrStatus: "PCR_ENABLED" },
      ]);
      expect(complete.dinfo.HSMStatus).toBe("ENABLED");

      // The request log, complete once the agent has stopped: /uuid first (/register and
      // /certs are not device-authenticated), then only the calls EVE makes.
      expect(await run.agent.stop()).toBe(0);
      lastAccepted = acceptedQuotes(run).at(-1);
      const actions = (await peer.settled("requests", () => peer.client.deviceRequests(uuid))).map((r) => r.url.split("/").at(-1)!);
      expect(actions[0]).toBe("uuid");
      // Every /uuid answered is recorded; beyond the first, each is the recheck EVE makes after a
      // /config 404 (no config stored yet), so with a base config stored at registration there is one.
      const uuidAnswered = wireExchanges(run.wireDir).filter((x) => x.action === "uuid" && x.status === 200).length;
      expect(actions.filter((a) => a === "uuid")).toHaveLength(uuidAnswered);
      expect(uuidAnswered - 1).toBeLessThanOrEqual(configs.filter((c) => c.status === 404).length);
      expect([...new Set(actions)].sort()).toEqual(["attest", "config", "info", "uuid"]);
      // The controller records a call before answering it and the agent polls config one at a
      // time, so the k-th config record is the k-th config exchange that got an answer on the wire.
      const answered = configs.filter((c) => c.status !== null);
      const configAt = actions.flatMap((a, i) => (a === "config" ? [i] : []));
      expect(configAt.length - answered.length).toBeOneOf([0, 1]);
      const firstServed = configAt[answered.findIndex((c) => c.status === 200)]!;
      // Cert upload, nonce and quote all come before the first config served.
      expect(actions.slice(0, firstServed).filter((a) => a === "attest").length).toBeGreaterThanOrEqual(3);
      expect(actions.indexOf("info")).toBeGreaterThan(0);
      console.log(`${peers.title} requests: ${collapse(actions)}`);
    }),
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "locks the vault when PCR 14 changes and opens it with the key the controller escrowed, returned after the next quote",
    rig.diagnosed(async () => {
      expect(stored?.keys).toHaveLength(1);
      // New software measured into PCR 14: the key sealed on the first boot no longer unseals.
      tpm.tool(["tpm2_pcrextend", `14:sha256=${"ad".repeat(32)}`]);
      let run!: AgentRun;
      const locked = await peer.unreachable(async () => {
        // With no controller the agent goes on with its persisted UUID (after fastPathMs) and finds the vault locked.
        run = rig.boot(peer, dev, { tpm, timers: { fastPathMs: 1000 } });
        return await run.agent.waitFor((s) => s.vault.locked === true, SCENARIO_TIMEOUT_MS);
      });
      expect(locked.vault.status).toBe("ERROR");
      expect(locked.vault.mismatchingPcrs).toEqual([14]);
      expect(locked.vault.lastError).toMatchObject({ kind: "vault.pcr-mismatch", message: expect.stringContaining("14") });
      expect(locked.attestation.tokenPresent).toBe(false);
      expect(locked.device.maintenanceReasons).toContain("MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP");
      expect(acceptedQuotes(run)).toEqual([]);

      const s = await run.agent.waitFor(trusted(VERSION), SCENARIO_TIMEOUT_MS);
      expect(s.vault.mismatchingPcrs ?? []).toEqual([]);
      // The key came in the controller's signed answer to the quote: exactly the blob it had stored.
      expect(keysOf(acceptedQuotes(run)[0]!)).toEqual([stored!.keys![0]!.key!]);
      await attestedOptions(peer, uuid);
      // Re-sealed to the new PCR 14 and escrowed again: the same vault key, so the same blob.
      expect((await peer.storedKeys(uuid)).keys).toEqual(stored!.keys);
      expect(await run.agent.stop()).toBe(0);
      lastAccepted = acceptedQuotes(run).at(-1);
      // The data written before the change is readable again.
      expect(await configInVault(tpm.tcti, dev.root)).toBe(VERSION);
    }),
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "a controller enforcing a PCR template refuses the changed device's quote: /config stays refused, the vault stays locked, the device says why, until the operator accepts the new measurements",
    rig.diagnosed(async () => {
      const template = templateOf(lastAccepted!.req.quote!);
      await peer.client.globalOptionsPut({ enforceTemplateAttestation: true, PCRTemplates: [template] });

      // The template is the device as it is: the controller accepts it (so the refusal below is the PCR, not the template).
      const same = rig.boot(peer, dev, { tpm });
      await same.agent.waitFor(trusted(VERSION), SCENARIO_TIMEOUT_MS);
      expect(acceptedQuotes(same).length).toBeGreaterThanOrEqual(1);
      expect(peer.quoteRefusals()).toEqual([]);
      expect(await same.agent.stop()).toBe(0);

      // A changed boot component (PCR 8 is sealed to and in the template).
      tpm.tool(["tpm2_pcrextend", `8:sha256=${"ad".repeat(32)}`]);
      const info = await rig.infoStream(peer, uuid);
      const changed = rig.boot(peer, dev, { tpm });
      await until(
        changed,
        "two quotes refused and two /config calls answered 403",
        () =>
          quotes(changed).filter((a) => a.resp?.quoteResp?.response === QUOTE_FAILED).length >= 2 &&
          wireConfigs(changed.wireDir).filter((c) => c.status === 403).length >= 2,
        SCENARIO_TIMEOUT_MS,
      );
      const s = await changed.agent.waitFor((s) => s.attestation.lastError?.kind === "attest.refused" && s.vault.locked === true, 10_000);

      // The controller: its template check (reached only after signature, nonce and digest passed) refused PCR 8.
      expect(peer.quoteRefusals().length).toBeGreaterThanOrEqual(2);
      for (const r of peer.quoteRefusals()) expect(r).toContain("PCR index 8 value");
      for (const a of quotes(changed).filter((a) => a.resp)) {
        expect(a.resp!.quoteResp!.response).toBe(QUOTE_FAILED);
        expect(a.resp!.quoteResp!.integrity_token).toHaveLength(0);
        expect(a.resp!.quoteResp!.keys).toEqual([]);
      }
      expect((await peer.settled("options", () => peer.client.deviceOptionsGet(uuid))).attested).toBe(false);
      // Without a token every /config is refused.
      for (const c of wireConfigs(changed.wireDir)) expect(refusedConfigStatuses(peer)).toContain(c.status!);
      expect(wireAttests(changed.wireDir).some((a) => a.req.reqType === ZAttestReqType.Z_ATTEST_REQ_TYPE_STORE_KEYS)).toBe(false);
      expect(await peer.storedKeys(uuid)).toEqual(stored!);

      // The device: locked on PCR 8, and the reason is the controller's verdict.
      expect(s.attestation.lastError!.message).toContain("Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED");
      expect(s.attestation.tokenPresent).toBe(false);
      expect(s.vault.mismatchingPcrs).toEqual([8]);
      expect(refusedConfigStatuses(peer)).toContain(s.config.poll?.lastHttpStatus ?? 0);
      // As EVE does until a config arrives, it runs on the checkpoint of the last one it applied.
      expect(s.config.source).toBe("checkpoint");
      const refused = await infoMessage(
        info,
        "the refused quote and the locked vault",
        (d) => String(d.attestationInfo?.error?.description ?? "").includes("QUOTE_FAILED") && d.dataSecAtRestInfo?.status === "DATASEC_AT_REST_ERROR",
      );
      expect(refused.dinfo.attestationInfo.state).not.toBe("ATTESTATION_STATE_COMPLETE");
      expect(refused.dinfo.dataSecAtRestInfo.vaultList[0].status).toBe("DATASEC_AT_REST_ERROR");

      // The operator accepts the new measurements: the next quote passes and the escrowed key opens the vault.
      await peer.client.globalOptionsPut({ enforceTemplateAttestation: false, PCRTemplates: null });
      await changed.agent.waitFor(trusted(VERSION), SCENARIO_TIMEOUT_MS);
      expect(keysOf(acceptedQuotes(changed)[0]!)).toEqual([stored!.keys![0]!.key!]);
      expect(await changed.agent.stop()).toBe(0);
      // Nothing is lost.
      expect(await configInVault(tpm.tcti, dev.root)).toBe(VERSION);
    }),
    SCENARIO_TIMEOUT_MS * 2,
  );
});
