import { describe, expect, test } from "bun:test";
import type { AttestationStatus } from "../attestation/index.ts";
import { codec, type EdgeDevConfig, MaintenanceModeReason } from "../protocol/index.ts";
import { silentLogger } from "../shared/index.ts";
import type { ConfigPollStatus, QueueItem } from "../sync/index.ts";
import type { VaultStatus } from "../vault/index.ts";
import { DeviceFacts } from "./facts.ts";
import { type AgentEvent, AgentEvents, CONFIG_ENTRY, type ReactionParts, reactions } from "./reactions.ts";

const UNLOCKED: VaultStatus = { status: "ENABLED", locked: false, pcrStatus: "ENABLED", policyPcrs: [0], escrowPending: false, storeMode: "encrypted" };
const LOCKED: VaultStatus = { ...UNLOCKED, status: "ERROR", locked: true, error: "PCR mismatch: 14" };
const NONCE_WAIT: AttestationStatus = { state: "NonceWait", stateNumber: 1, cycles: 1, quotes: 0, tokenPresent: false };
const CONFIG: EdgeDevConfig = codec.EdgeDevConfig.decode(
  codec.EdgeDevConfig.encode({ id: { uuid: "u", version: "3" }, configItems: [] } as unknown as EdgeDevConfig),
);

/** The components as recording stand-ins: each call is noted as "component.method". */
function wired(over: { now?: () => number } = {}) {
  const calls: string[] = [];
  const note = (what: string) => () => void calls.push(what);
  const sections: Record<string, unknown> = {};
  const enqueued: QueueItem[] = [];
  const stored: string[] = [];
  const entries = new Map<string, Uint8Array>();
  const state = { vault: UNLOCKED, attestation: { state: "None", stateNumber: 0, cycles: 0, quotes: 0, tokenPresent: false } as AttestationStatus };
  const facts = new DeviceFacts({ vault: () => state.vault, attestation: () => state.attestation });
  const parts: ReactionParts = {
    board: {
      publish: (k, v) => void (sections[k] = v),
      update: (k, v) => void (sections[k] = { ...(sections[k] as object), ...v }),
    },
    log: silentLogger,
    facts,
    vault: {
      status: () => state.vault,
      store: {
        put: async (k, v) => {
          stored.push(k);
          entries.set(k, v.slice());
        },
        get: async (k) => entries.get(k),
      },
    },
    attestation: { requestRestart: note("attestation.requestRestart"), status: () => state.attestation },
    poller: { pollNow: note("poller.pollNow"), certsRefreshed: note("poller.certsRefreshed") },
    refresher: { requestNow: note("refresher.requestNow") },
    info: { trigger: note("info.trigger"), status: { reports: 0 } },
    queue: { enqueue: (item) => void (enqueued.push(item), calls.push("queue.enqueue")), status: { pending: [], delivered: 0, dropped: 0 } },
    certs: { certs: undefined },
    onboarder: { recheckUuid: async () => (calls.push("onboarder.recheckUuid"), undefined) },
    uuid: () => "6f9619ff-8b86-d011-b42d-00cf4fc964ff",
    certsUploadBody: () => new Uint8Array([1, 2, 3]),
    uuidRecheckMs: 600_000,
    ...(over.now ? { now: over.now } : {}),
  };
  const events = new AgentEvents();
  events.attach(reactions(parts));
  const emit = (e: AgentEvent) => events.emit(e);
  return { calls, sections, enqueued, stored, state, facts, emit };
}

const poll: ConfigPollStatus = { polls: 1, checkpoint: { state: "pending" } };

describe("reactions", () => {
  test.each([
    ["services.started", { type: "services.started", offlineStart: false }, ["queue.enqueue"]],
    ["services.started after the offline fast path", { type: "services.started", offlineStart: true }, ["queue.enqueue", "refresher.requestNow"]],
    ["a 403 on /config", { type: "config.forbidden" }, ["attestation.requestRestart"]],
    ["a new integrity token", { type: "attestation.tokenChanged" }, ["poller.pollNow"]],
    ["a cert miss in attestation", { type: "attestation.certMiss" }, ["refresher.requestNow"]],
    ["a cert miss in config", { type: "config.certMiss" }, ["refresher.requestNow"]],
    ["a new controllercert_confighash", { type: "config.certsChanged" }, ["refresher.requestNow"]],
    ["NO_CERT_FOUND", { type: "attestation.noCertFound" }, ["queue.enqueue"]],
    ["a new controller epoch", { type: "config.epochChanged" }, ["info.trigger"]],
    ["a new UUID", { type: "uuid.changed", uuid: "other" }, ["queue.enqueue", "info.trigger", "poller.pollNow"]],
    ["refreshed controller certs", { type: "certs.refreshed" }, ["poller.certsRefreshed"]],
    ["a config poll status", { type: "config.pollStatus", status: poll }, []],
    ["an info queue result that is not the cert upload", { type: "queue.result", action: "info", result: { outcome: "dropped", status: 400 } }, []],
  ] as [string, AgentEvent, string[]][])("acts on %s with exactly the tabled calls", (_, event, want) => {
    const w = wired();
    w.emit({ type: "services.started", offlineStart: false });
    w.calls.length = 0;
    w.emit(event);
    expect(w.calls).toEqual(want);
  });

  test("uploads the certs under the device UUID", () => {
    const w = wired();
    w.emit({ type: "attestation.noCertFound" });
    expect(w.enqueued).toEqual([{ key: "attest:6f9619ff-8b86-d011-b42d-00cf4fc964ff", action: "attest", payload: new Uint8Array([1, 2, 3]) }]);
  });

  test("rechecks the UUID on a config 404 at most once per recheck interval", () => {
    let t = 1_000_000;
    const w = wired({ now: () => t });
    w.emit({ type: "config.notFound" });
    t += 599_999;
    w.emit({ type: "config.notFound" });
    t += 1;
    w.emit({ type: "config.notFound" });
    expect(w.calls).toEqual(["onboarder.recheckUuid", "onboarder.recheckUuid"]);
  });

  test("enters maintenance for refused certs only once config arrives, and leaves it when an upload is delivered", async () => {
    const w = wired();
    w.emit({ type: "services.started", offlineStart: false });
    w.emit({ type: "queue.result", action: "attest", result: { outcome: "dropped", status: 404 } });
    expect(w.facts.certsRefused).toBe(true);
    expect(w.sections.device).toEqual({ maintenanceReasons: [] });
    expect(w.sections.attestation).toMatchObject({ certUpload: "dropped", certUploadStatus: 404 });
    w.calls.length = 0;
    await w.emit({ type: "config.received", config: CONFIG, source: "controller" });
    expect(w.sections.device).toEqual({ maintenanceReasons: ["MAINTENANCE_MODE_REASON_EDGE_NODE_CERTS_REFUSED"] });
    expect(w.facts.maintenance()).toEqual([MaintenanceModeReason.MAINTENANCE_MODE_REASON_EDGE_NODE_CERTS_REFUSED]);
    // The info report shows maintenance mode, so its change sends one.
    expect(w.calls).toEqual(["info.trigger"]);
    expect(w.stored).toEqual([CONFIG_ENTRY]);
    expect(w.sections.config).toMatchObject({ received: true, source: "controller", version: "3", items: 0 });
    w.emit({ type: "queue.result", action: "attest", result: { outcome: "delivered", status: 200 } });
    expect(w.sections.device).toEqual({ maintenanceReasons: [] });
    expect(w.sections.attestation).toMatchObject({ certUpload: "delivered", certUploadStatus: 200 });
  });

  test("keeps a config in the vault only when it differs from the one kept", async () => {
    const w = wired();
    await w.emit({ type: "config.received", config: CONFIG, source: "checkpoint" });
    await w.emit({ type: "config.received", config: CONFIG, source: "controller" });
    expect(w.stored).toEqual([CONFIG_ENTRY]);
    await w.emit({ type: "config.received", config: { ...CONFIG, id: { uuid: CONFIG.id?.uuid ?? "", version: "4" } }, source: "controller" });
    expect(w.stored).toEqual([CONFIG_ENTRY, CONFIG_ENTRY]);
    expect(w.sections.config).toMatchObject({ received: true, source: "controller", version: "4" });
  });

  test("keeps the config out of a locked vault", async () => {
    const w = wired();
    w.state.vault = LOCKED;
    await w.emit({ type: "config.received", config: CONFIG, source: "checkpoint" });
    expect(w.stored).toEqual([]);
    expect(w.sections.device).toEqual({ maintenanceReasons: ["MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP"] });
  });

  test("triggers info when the vault or attestation change what the report shows, not on every status", () => {
    const w = wired();
    w.emit({ type: "services.started", offlineStart: false });
    w.calls.length = 0;
    w.state.attestation = NONCE_WAIT;
    w.emit({ type: "attestation.status", status: NONCE_WAIT });
    // Only a counter moved: the report would be the same.
    w.state.attestation = { ...NONCE_WAIT, quotes: 1 };
    w.emit({ type: "attestation.status", status: w.state.attestation });
    w.state.vault = LOCKED;
    w.emit({ type: "vault.changed", status: LOCKED });
    expect(w.calls).toEqual(["info.trigger", "info.trigger"]);
    expect(w.sections.vault).toEqual(LOCKED);
    expect(w.sections.attestation).toEqual({ ...NONCE_WAIT, quotes: 1 });
  });

  test("refuses events before the reactions are attached, and a second attachment", () => {
    const events = new AgentEvents();
    expect(() => events.emit({ type: "config.forbidden" })).toThrow(/before the reactions were attached/);
    events.attach(() => {});
    expect(() => events.attach(() => {})).toThrow(/already attached/);
  });
});
