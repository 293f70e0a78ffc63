// The attestation runner in-process against the test controller over TLS,
// with a soft device key (no TPM: quotes go out empty, as EVE sends them
// without one) and a vault that has no key to escrow until the test gives one.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Attestation, type AttestationStatus } from "../../../src/attestation/index.ts";
import { baseUrlFromServerFile, ControllerCertStore, ControllerClient } from "../../../src/controller/index.ts";
import type { KeyIdentity } from "../../../src/identity/index.ts";
import { createDeviceCertificate, generateSoftKey, parseCertificatesPem, softSigner } from "../../../src/pki/index.ts";
import { codec, verifyEnvelope } from "../../../src/protocol/index.ts";
import { silentLogger, toBase64, utf8 } from "../../../src/shared/index.ts";
import { deviceLayout } from "../../../src/state/index.ts";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { removeTempRoots, tempRoot } from "../../harness/device.ts";
import { NONCE, QUOTE } from "./fixture.ts";

let c: RunningController;
beforeAll(async () => {
  c = await startTestController();
});
afterAll(async () => {
  await c.cleanup();
  removeTempRoots();
});

const RETRY_MS = 200;
const aborts: AbortController[] = [];
afterEach(() => {
  for (const a of aborts.splice(0)) a.abort();
});

interface Run {
  att: Attestation;
  uuid: string;
  statuses: AttestationStatus[];
  tokens: string[];
  /** makes the vault's escrow blob available */
  giveEscrow(): void;
  /** called with each status before the runner goes on */
  hook: { onStatus?: (s: AttestationStatus) => void };
  done: Promise<void>;
  nonces(): number;
  quotes(): number;
  record(): NonNullable<ReturnType<typeof c.controller.state.devices.get>>;
}

/** A soft-key device registered through the admin API, whose runner is started at once. */
async function start(): Promise<Run> {
  const root = tempRoot("edge-agent-attest-");
  const signer = softSigner(generateSoftKey());
  const cert = await createDeviceCertificate(signer, new Date());
  const added = await c.admin("/device", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ Cert: toBase64(cert.pem) }),
  });
  expect(added.status).toBe(201);
  const client = new ControllerClient({
    base: baseUrlFromServerFile(c.server),
    transport: { ca: c.pki.trustPem, dialTimeoutMs: 2_000, sendTimeoutMs: 10_000, maxResponseBytes: 4 << 20 },
    log: silentLogger,
    serials: () => ({}),
  });
  const roots = parseCertificatesPem(c.pki.trustPem);
  const certs = new ControllerCertStore(join(root, "controllercerts"), () => roots, silentLogger);
  await certs.acceptResponse((await client.get("certs")).body);
  const device: KeyIdentity = { publicKey: signer.publicKey, sign: (d) => signer.sign(d), certificate: { der: cert.der, pem: cert.pem } };
  const u = await client.post("uuid", codec.UuidRequest.encode({}), { signer: device, certDer: cert.der });
  const uuid = codec.UuidResponse.decode(await verifyEnvelope(u.body, certs.certs!.signing)).uuid;
  client.setDeviceUuid(uuid);

  let blob: Uint8Array | undefined;
  const escrowListeners = new Set<() => void>();
  const statuses: AttestationStatus[] = [];
  const tokens: string[] = [];
  const hook: Run["hook"] = {};
  const att: Attestation = new Attestation({
    layout: deviceLayout(root),
    client,
    device,
    certs,
    vault: {
      escrowEnabled: true,
      escrowBlob: () => blob,
      onEscrowReady: (l) => {
        escrowListeners.add(l);
        return () => escrowListeners.delete(l);
      },
      acceptControllerKeys: async () => {},
      escrowAcknowledged: () => {},
    },
    evidence: { eventLogPath: join(root, "no-event-log"), eveReleasePath: join(root, "no-eve-release"), configDir: join(root, "config"), agentVersion: "test" },
    retryMs: RETRY_MS,
    log: silentLogger,
    onStatus: (s) => {
      statuses.push(s);
      hook.onStatus?.(s);
    },
    onTokenChanged: () => tokens.push(utf8.decode(att.token()!)),
    onCertMiss: () => {},
  });
  const ac = new AbortController();
  aborts.push(ac);
  const record = () => c.controller.state.devices.get(uuid)!;
  const count = (type: number) => record().attestRequests.filter((t) => t === type).length;
  return {
    att,
    uuid,
    statuses,
    tokens,
    hook,
    giveEscrow: () => {
      blob = utf8.encode("escrow-blob");
      for (const l of escrowListeners) l();
    },
    done: att.run(ac.signal),
    nonces: () => count(NONCE),
    quotes: () => count(QUOTE),
    record,
  };
}

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

const inState = (r: Run, state: string) => r.att.status().state === state;

describe("attestation runner against the test controller", () => {
  test("publishes InternalEscrowWait once and reports the token once while the vault has nothing to escrow", async () => {
    const r = await start();
    await until(() => inState(r, "InternalEscrowWait"), "InternalEscrowWait");
    const published = r.statuses.length;
    // Waiting for the vault's signal publishes nothing new.
    await Bun.sleep(3_000);
    expect(r.statuses.length).toBe(published);
    expect(r.statuses.filter((s) => s.state === "InternalEscrowWait")).toHaveLength(1);
    expect(r.tokens).toEqual([r.record().integrityToken]);
    // No status is ever sent twice in a row.
    const shapes = r.statuses.map((s) => JSON.stringify(s));
    expect(shapes.every((s, i) => i === 0 || s !== shapes[i - 1])).toBe(true);

    r.giveEscrow();
    await until(() => inState(r, "Complete"), "Complete");
    expect(r.record().storageKeys).toBeDefined();
  });

  test("attests again for a 403 that rejected the token it holds, and reports the new token", async () => {
    const r = await start();
    await until(() => inState(r, "InternalEscrowWait"), "InternalEscrowWait");
    const first = r.record().integrityToken;
    const rotated = "a".repeat(128);
    r.record().integrityToken = rotated;
    r.att.requestRestart();
    await until(() => r.tokens.length === 2 && inState(r, "InternalEscrowWait"), "the rotated token");
    expect(r.tokens).toEqual([first, rotated]);
    expect({ nonces: r.nonces(), quotes: r.quotes(), cycles: r.att.status().cycles }).toEqual({ nonces: 2, quotes: 2, cycles: 2 });
  });

  test("keeps the token it got when the 403 that asked for a restart was for the token it replaced", async () => {
    const r = await start();
    await until(() => inState(r, "InternalEscrowWait"), "InternalEscrowWait");
    const rotated = "b".repeat(128);
    let armed = true;
    r.hook.onStatus = (s) => {
      // Second cycle, quote about to go out: a 403 for the old token lands now, and the controller has moved on.
      if (armed && s.state === "AttestWait" && s.cycles === 2) {
        armed = false;
        r.att.requestRestart();
        r.record().integrityToken = rotated;
      }
    };
    r.att.requestRestart();
    await until(() => r.tokens.length === 2 && inState(r, "InternalEscrowWait"), "the rotated token");
    expect(armed).toBe(false);
    // Several retry periods: a restart would have asked for a third nonce by now.
    await Bun.sleep(RETRY_MS * 10);
    expect({ nonces: r.nonces(), quotes: r.quotes(), cycles: r.att.status().cycles }).toEqual({ nonces: 2, quotes: 2, cycles: 2 });
    expect(r.att.status().state).toBe("InternalEscrowWait");
    // The escrow wait went on after the dropped restart.
    r.giveEscrow();
    await until(() => inState(r, "Complete"), "Complete");
    expect(utf8.decode(r.record().storageKeys!.integrity_token)).toBe(rotated);
  });
});
