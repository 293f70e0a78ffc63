// Every decoder of bytes someone else controls, each driven through the
// function the agent itself calls. Each target says what a correct accept
// looks like; lib.ts checks the rest (typed errors, time, memory, secrets).
//
// Extension point: a new route or decoder is one more entry in the array
// makeTargets returns (name, arbitrary, run, optional check, secrets, ciRuns,
// callMs); npm test and npm run fuzz pick it up from there. The keys, certs
// and identity services (src/services) are in targets-services.ts, the
// Keylime pull routes, payload archive and push answers in
// targets-keylime.ts; the Keylime registrar's answers are here
// (keylime-registrar).

import { createHash, sign as cryptoSign, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { sha256 } from "@noble/hashes/sha2.js";
import { gzippedEventLog, MAX_RAW_EVENT_LOG } from "../../src/attestation/evidence.ts";
import { loadConfig } from "../../src/config/load.ts";
import { ControllerCertStore, type ControllerCerts } from "../../src/controller/certs.ts";
import { normalizeUuid } from "../../src/controller/index.ts";
import { RegistrarClient } from "../../src/keylime/registrar.ts";
import { readPersistedUuid } from "../../src/onboarding/persist.ts";
import {
  type AuthContainer,
  codec,
  controllerCertHash,
  HashAlgorithm,
  openEnvelope,
  type SigningCert,
  verifyEnvelope,
  ZAttestRespType,
  ZCertType,
} from "../../src/protocol/index.ts";
import { bytesEqual, type Logger, silentLogger, toBase64, toHex, utf8 } from "../../src/shared/index.ts";
import { type DeviceLayout, readValidated } from "../../src/state/index.ts";
import { createStatusApp } from "../../src/status/app.ts";
import { StatusBoard } from "../../src/status/document.ts";
import { ConfigCheckpoint } from "../../src/sync/config-checkpoint.ts";
import { openConfigEnvelope } from "../../src/sync/config-envelope.ts";
import { QueueStore } from "../../src/sync/queue-store.ts";
import { unwrapVaultKey, wrapVaultKey } from "../../src/vault/escrow.ts";
import { type DataKey, plainEntry, sealEntry } from "../../src/vault/file-format.ts";
import { readPolicyFile } from "../../src/vault/policy.ts";
import { parseSealRecord } from "../../src/vault/seal-record.ts";
import { DirVaultStore } from "../../src/vault/store.ts";
import { bytesArb, encodedArb, encodeWith, fixtureBytes, fixtureHex, messageArb, mutatedArb, mutationsOf, protoType } from "./gen.ts";
import { fc, type Target } from "./lib.ts";
import { type FuzzPki, makeFuzzPki } from "./pki.ts";
import { keylimeTargets } from "./targets-keylime.ts";
import { serviceTargets } from "./targets-services.ts";

const hex = toHex;
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).length;
const CERTS_CALL_MS = Number(process.env.FUZZ_CERTS_CALL_MS ?? 1000);

/**
 * Payloads the test signed; the oracle for "accepted only what was signed".
 * Pinned ones (fixtures and the pre-signed pools) stay for the whole run;
 * fresh ones are bounded, since inputs are checked right after they are made.
 */
class SignedRegistry {
  private readonly pinned = new Set<string>();
  private readonly recent = new Map<string, true>();
  constructor(private readonly cap = 4096) {}
  private static id(payload: Uint8Array): string {
    return createHash("sha256").update(payload).digest("base64");
  }
  pin(payload: Uint8Array): void {
    this.pinned.add(SignedRegistry.id(payload));
  }
  add(payload: Uint8Array): void {
    const h = SignedRegistry.id(payload);
    this.recent.delete(h);
    this.recent.set(h, true);
    if (this.recent.size > this.cap) this.recent.delete(this.recent.keys().next().value!);
  }
  has(payload: Uint8Array): boolean {
    const h = SignedRegistry.id(payload);
    return this.pinned.has(h) || this.recent.has(h);
  }
}

/**
 * Pre-signed envelopes per structure-aware target (FUZZ_POOL): made once per
 * run from a fixed seed, then mutated, spliced and grafted by fast-check, so
 * most inputs cost no signature and no schema walk.
 */
const POOL = Number(process.env.FUZZ_POOL ?? 256);
const POOL_SEED = 0x5eed;

/**
 * Where the file-reading targets keep their files: tmpfs when there is one
 * (FUZZ_TMPDIR overrides). The readers still write, fsync and rename as on a
 * device; on a disk those fsyncs were most of a checkpoint or queue input's
 * time and measure the disk, not the decoder.
 */
const FUZZ_TMP = process.env.FUZZ_TMPDIR ?? (existsSync("/dev/shm") ? "/dev/shm" : tmpdir());

function tempDir(name: string): string {
  return mkdtempSync(join(FUZZ_TMP, `edge-agent-fuzz-${name}-`));
}

export interface Targets {
  targets: Target<any>[];
  cleanup(): void;
}

export async function makeTargets(): Promise<Targets> {
  const pki = await makeFuzzPki();
  const dirs: string[] = [];
  const dir = (name: string) => {
    const d = tempDir(name);
    dirs.push(d);
    return d;
  };
  const signed = new SignedRegistry();
  const key = pki.envelopeKey;
  const signingCert: SigningCert = { pem: key.certPem, publicKey: key.publicKey };
  const keySecrets = [hex(key.secret), toBase64(key.secret), Buffer.from(key.secret).toString("base64url")];

  const SHA32 = HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES;
  const SHA16 = HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES;
  const senderHash = new Map<number, Uint8Array>([SHA32, SHA16].map((a) => [a, controllerCertHash(key.certPem, a)]));
  /** An AuthContainer as the controller makes it, signed with the fuzz signing key; `pin` keeps its payload signed for the whole run. */
  const seal = (payload: Uint8Array, algo: number = SHA32, pin = false): Uint8Array => {
    if (pin) signed.pin(payload);
    else signed.add(payload);
    return codec.AuthContainer.encode({
      protectedPayload: { payload },
      algo,
      senderCertHash: senderHash.get(algo)!,
      signatureHash: key.signPayload(payload),
    });
  };

  // The signed exchanges every envelope target starts its mutations from: the
  // golden fixtures' payloads, sealed as a controller would.
  const fixtureNames = [
    "uuid-response",
    "zattestresponse-all",
    "zattestresponse-nonce",
    "zattestresponse-quote",
    "zattestresponse-store-keys",
    "config-response-full",
    "zcontrollercert",
  ];
  const fixturePayloads = fixtureNames.map(fixtureHex);
  const foreignEnvelopes = ["auth-container-full", "auth-container-empty-payload"].map(fixtureHex);

  /** Structure-aware envelopes: a schema-generated payload, signed, optionally with the 16-byte hash variant. */
  const signedArb = (payload: fc.Arbitrary<Uint8Array>) => fc.tuple(payload, fc.boolean()).map(([p, short]) => seal(p, short ? SHA16 : SHA32));

  /** POOL schema-generated payloads signed once (pinned), from a fixed seed so a run's pool is the same every time. */
  const signedPool = (payload: fc.Arbitrary<Uint8Array>, sealWith: (p: Uint8Array, short: boolean) => Uint8Array, size = POOL) =>
    fc.sample(fc.tuple(payload, fc.boolean()), { numRuns: Math.max(1, Math.round(size)), seed: POOL_SEED }).map(([p, short]) => sealWith(p, short));

  /**
   * Signed envelopes as inputs: the fixtures' payloads signed; freshly
   * generated payloads signed (structure-aware); the pre-signed pool and the
   * fixtures mutated 1-6 times (mutation-based: every mutation that touches
   * the payload or the signature must be refused); a fresh one mutated with
   * splices from the pool; and a valid signature grafted onto another payload.
   */
  const envelopeInputs = (payload: fc.Arbitrary<Uint8Array>, seedPayloads: Uint8Array[]) => {
    const seeds = [...seedPayloads.map((p) => seal(p, SHA32, true)), ...foreignEnvelopes];
    const pool = [...seeds, ...signedPool(payload, (p, short) => seal(p, short ? SHA16 : SHA32, true))];
    const containers = pool.map((e) => codec.AuthContainer.decode(e));
    const structured = signedArb(fc.oneof(payload, fc.constantFrom(...seedPayloads)));
    return fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(...seeds) },
      { weight: 4, arbitrary: structured },
      { weight: 2, arbitrary: structured.chain((s) => mutationsOf(s, pool)) },
      { weight: 7, arbitrary: mutatedArb(pool) },
      // A valid signature over one payload grafted onto another: must never pass.
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...containers), payload).map(([c, other]) => graft(c, other)) },
    );
  };

  /** Swaps the payload of a signed envelope, keeping its signature and cert hash. */
  const graft = (c: AuthContainer, payload: Uint8Array): Uint8Array => codec.AuthContainer.encode({ ...c, protectedPayload: { payload } });

  /** What every verification target asserts about an accept. */
  const onlySigned = (payload: Uint8Array, by = signed) => {
    if (!by.has(payload)) throw new Error(`accepted an envelope whose payload (${payload.length} bytes) was never signed`);
  };

  const verifyThenDecode = (bytes: Uint8Array) => verifyEnvelope(bytes, signingCert);

  const attestPayload = fc.oneof(
    ...[
      ZAttestRespType.ATTEST_RESP_NONE,
      ZAttestRespType.ATTEST_RESP_CERT,
      ZAttestRespType.ATTEST_RESP_NONCE,
      ZAttestRespType.ATTEST_RESP_QUOTE_RESP,
      ZAttestRespType.Z_ATTEST_RESP_TYPE_STORE_KEYS,
    ].map((t) => encodedArb("org.lfedge.eve.attest.ZAttestResponse", { respType: fc.constant(t) })),
  );

  const targets: Target<any>[] = [];

  // An RSA signing cert (Adam's auto-generated style): the PKCS#1 v1.5 path and its signature-length checks.
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const rsaSpki = new Uint8Array(rsa.publicKey.export({ type: "spki", format: "der" }));
  const rsaCertPem = utf8.encode(`-----BEGIN CERTIFICATE-----\n${toBase64(rsaSpki)}\n-----END CERTIFICATE-----\n`);
  const rsaCert: SigningCert = { pem: rsaCertPem, publicKey: { kind: "rsa", modulusBits: 2048, spkiDer: rsaSpki } };
  const rsaSecrets = [rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString().split("\n")[5]!];
  // Its own registry: a payload the P-256 key signed is no licence for an RSA-checked envelope.
  const rsaSigned = new SignedRegistry();
  const rsaSenderHash = controllerCertHash(rsaCertPem, SHA32);
  const rsaSeal = (payload: Uint8Array, pin = false): Uint8Array => {
    if (pin) rsaSigned.pin(payload);
    else rsaSigned.add(payload);
    return codec.AuthContainer.encode({
      protectedPayload: { payload },
      algo: SHA32,
      senderCertHash: rsaSenderHash,
      signatureHash: new Uint8Array(cryptoSign("sha256", payload, rsa.privateKey)),
    });
  };

  // ---------------------------------------------------------------- protocol
  targets.push({
    name: "envelope-open",
    arb: bytesArb([...foreignEnvelopes, ...fixturePayloads.map((p) => seal(p, SHA32, true))], encodedArb("org.lfedge.eve.auth.AuthContainer")),
    run: (b: Uint8Array) => openEnvelope(b),
    check: (_b, c: any) => {
      if (!c.protectedPayload && !c.cipherData) throw new Error("opened an envelope without a payload");
    },
  });

  // onboarding: POST /uuid reply, as Onboarder.parseUuidReply does it after its HTTP checks.
  targets.push({
    name: "uuid-response",
    arb: envelopeInputs(encodedArb("org.lfedge.eve.uuid.UuidResponse", { uuid: fc.oneof(fc.uuid(), fc.string()) }), [fixtureHex("uuid-response")]),
    run: async (b: Uint8Array) => {
      const payload = await verifyThenDecode(b);
      const resp = codec.UuidResponse.decode(payload);
      return { payload, uuid: normalizeUuid(resp.uuid) };
    },
    check: (_b, r: any) => {
      onlySigned(r.payload);
      if (!/^[0-9a-f-]{36}$/.test(r.uuid)) throw new Error(`accepted UUID ${r.uuid}`);
    },
    secrets: keySecrets,
  });

  // attestation: AttestRunner.exchange for every response type.
  targets.push({
    name: "attest-response",
    arb: envelopeInputs(attestPayload, fixturePayloads.slice(1, 5)),
    run: async (b: Uint8Array) => {
      const payload = await verifyThenDecode(b);
      return { payload, resp: codec.ZAttestResponse.decode(payload) };
    },
    check: (_b, r: any) => onlySigned(r.payload),
    secrets: keySecrets,
  });

  const rsaSeedPayloads = fixturePayloads.slice(1, 5);
  const rsaSeeds = rsaSeedPayloads.map((p) => rsaSeal(p, true));
  // An RSA-2048 signature costs about a millisecond: most mutations start from a pre-signed pool.
  const rsaPool = [...rsaSeeds, ...signedPool(attestPayload, (p) => rsaSeal(p, true), POOL / 4)];
  const rsaStructured = attestPayload.map((p) => rsaSeal(p));
  targets.push({
    name: "attest-response-rsa",
    arb: fc.oneof(
      { weight: 1, arbitrary: rsaStructured },
      { weight: 1, arbitrary: rsaStructured.chain((e) => mutationsOf(e, rsaPool)) },
      { weight: 7, arbitrary: mutatedArb(rsaPool) },
      // Signatures one byte short or long, or empty: the length check, not the math, must refuse them.
      {
        weight: 1,
        arbitrary: fc.tuple(fc.constantFrom(...rsaPool), fc.integer({ min: -3, max: 3 })).map(([e, d]) => {
          const c = codec.AuthContainer.decode(e);
          const sig = c.signatureHash;
          return codec.AuthContainer.encode({ ...c, signatureHash: d < 0 ? sig.slice(0, sig.length + d) : new Uint8Array([...sig, ...new Uint8Array(d)]) });
        }),
      },
    ),
    run: async (b: Uint8Array) => {
      const payload = await verifyEnvelope(b, rsaCert);
      return { payload, resp: codec.ZAttestResponse.decode(payload) };
    },
    check: (_b, r: any) => onlySigned(r.payload, rsaSigned),
    secrets: rsaSecrets,
  });

  // sync: a fresh /config reply and the stored one go through openConfigEnvelope.
  const configPayload = encodedArb("org.lfedge.eve.config.ConfigResponse", {
    config: messageArb(protoType("org.lfedge.eve.config.EdgeDevConfig"), 2, {
      id: fc.record({ uuid: fc.oneof(fc.uuid(), fc.string()), version: fc.string() }),
    }),
  });
  targets.push({
    name: "config-response",
    arb: envelopeInputs(configPayload, [fixtureHex("config-response-full")]),
    run: (b: Uint8Array) => openConfigEnvelope(b, signingCert),
    check: (b: Uint8Array, r: any) => {
      // The payload the agent used is the one the container carries; it must be one we signed.
      onlySigned(openEnvelope(b).protectedPayload!.payload);
      if (!r.config || !/^[0-9a-f-]{36}$/.test(r.uuid)) throw new Error("accepted a config without a valid UUID");
    },
    secrets: keySecrets,
  });

  const cpDir = dir("config-checkpoint");
  const checkpoint = new ConfigCheckpoint(join(cpDir, "lastconfig"));
  targets.push({
    name: "config-checkpoint",
    arb: envelopeInputs(configPayload, [fixtureHex("config-response-full")]),
    run: async (b: Uint8Array) => {
      writeFileSync(join(cpDir, "lastconfig"), b);
      return checkpoint.load(signingCert);
    },
    check: (b: Uint8Array, r: any) => {
      if (r.kind !== "used") return;
      onlySigned(openEnvelope(b).protectedPayload!.payload);
    },
    secrets: keySecrets,
  });

  // ---------------------------------------------------------------- controller certs
  const enc = (s: string) => utf8.encode(s);
  // The pool's few PEMs are hashed once, not once per generated set.
  const pemHashes = new Map<string, { bytes: Uint8Array; hash: Uint8Array }>();
  const zcert = (type: number, pem: string) => {
    let h = pemHashes.get(pem);
    if (!h) {
      const bytes = enc(pem);
      h = { bytes, hash: controllerCertHash(bytes, SHA32) };
      pemHashes.set(pem, h);
    }
    return { hashAlgo: SHA32, certHash: h.hash, type, cert: h.bytes };
  };
  const S = ZCertType.CERT_TYPE_CONTROLLER_SIGNING;
  const I = ZCertType.CERT_TYPE_CONTROLLER_INTERMEDIATE;
  const E = ZCertType.CERT_TYPE_CONTROLLER_ECDH_EXCHANGE;
  const certPool: [number, string][] = [
    [S, pki.signing.pem],
    [S, pki.signingOdd.pem],
    [S, pki.rogueLeaf.pem],
    [E, pki.ecdh.pem],
    [E, pki.ecdhOdd.pem],
    [I, pki.intermediate.pem],
    [I, pki.rogueIntermediate.pem],
    [I, pki.intermediate.pem + pki.rogueIntermediate.pem],
    [I, pki.root.pem],
    [E, pki.signing.pem + pki.ecdh.pem],
  ];
  /** Odd but legal sets: any subset of the pool in any order, with types sometimes swapped. */
  const certSetArb = fc
    .array(
      fc.tuple(
        fc.nat({ max: certPool.length - 1 }),
        fc.oneof({ weight: 6, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 9 }) }),
      ),
      {
        minLength: 1,
        maxLength: 8,
      },
    )
    .map((picks) => codec.ZControllerCert.encode({ certs: picks.map(([i, type]) => zcert(type < 0 ? certPool[i]![0] : type, certPool[i]![1])) }));
  const goodSets = [
    codec.ZControllerCert.encode({ certs: [zcert(S, pki.signing.pem), zcert(E, pki.ecdh.pem)] }),
    codec.ZControllerCert.encode({ certs: [zcert(E, pki.ecdhOdd.pem), zcert(I, pki.intermediate.pem), zcert(S, pki.signingOdd.pem)] }),
  ];
  // Bulk answers: one small entry repeated up to 300,000 times (a 4 MiB body holds 2 million), and one intermediate PEM repeated.
  const bulkArb = fc.oneof(
    fc
      .tuple(
        fc.integer({ min: 1, max: 300_000 }),
        fc.constantFrom(new Uint8Array([0x0a, 0x00]), new Uint8Array([0x0a, 0x02, 0x18, 0x02]), new Uint8Array([0x0a, 0x04, 0x2a, 0x02, 0x08, 0x01])),
      )
      .map(([n, e]) => {
        const out = new Uint8Array(n * e.length);
        for (let i = 0; i < n; i++) out.set(e, i * e.length);
        return out;
      }),
    fc.integer({ min: 1, max: 400 }).map((n) =>
      codec.ZControllerCert.encode({
        certs: [
          { hashAlgo: SHA32, certHash: new Uint8Array(32), type: I, cert: enc(pki.intermediate.pem.repeat(n)) },
          zcert(S, pki.signing.pem),
          zcert(E, pki.ecdh.pem),
        ],
      }),
    ),
  );
  const certsPayload = fc.oneof(
    { weight: 12, arbitrary: bytesArb([...goodSets, fixtureHex("zcontrollercert")], certSetArb) },
    { weight: 1, arbitrary: bulkArb },
  );
  const onlyTrusted = (c: ControllerCerts) => {
    for (const leaf of [c.signing, ...c.ecdh]) {
      if (!pki.trustedLeafDers.has(hex(leaf.cert.der))) throw new Error(`accepted a controller cert not issued under the root: ${leaf.cert.subject}`);
    }
  };
  const certsDir = dir("certs");
  const certStore = new ControllerCertStore(join(certsDir, "controllercerts"), () => pki.roots, silentLogger);
  targets.push({
    name: "certs-response",
    // /certs is not signed: the envelope is only unwrapped, trust comes from the chain.
    arb: fc.oneof(
      certsPayload.map((p) => codec.AuthContainer.encode({ protectedPayload: { payload: p } })),
      bytesArb(goodSets.map((p) => codec.AuthContainer.encode({ protectedPayload: { payload: p } }))),
    ),
    run: (b: Uint8Array) => certStore.acceptResponse(b),
    // @peculiar/x509 takes 1-10 ms per certificate here (more on this shared box) and an answer may hold 64.
    callMs: CERTS_CALL_MS,
    ciRuns: 600,
    check: (_b, c: ControllerCerts) => onlyTrusted(c),
  });
  const cpStore = new ControllerCertStore(join(certsDir, "checkpoint"), () => pki.roots, silentLogger);
  targets.push({
    name: "certs-checkpoint",
    arb: certsPayload,
    run: async (b: Uint8Array) => {
      writeFileSync(join(certsDir, "checkpoint"), b);
      cpStore.invalidate();
      return cpStore.loadCheckpoint();
    },
    callMs: CERTS_CALL_MS,
    ciRuns: 600,
    check: (_b, c: ControllerCerts | undefined) => c && onlyTrusted(c),
  });

  // ---------------------------------------------------------------- vault
  const wrapKey = sha256(utf8.encode("fuzz escrow wrap key: planted secret"));
  const vaultKeys = [sha256(utf8.encode("vault key one")), sha256(utf8.encode("vault key two"))];
  const escrowSecrets = [wrapKey, ...vaultKeys].flatMap((k) => [hex(k), toBase64(k)]);
  const blobs = vaultKeys.map((k) => wrapVaultKey(k, wrapKey));
  targets.push({
    name: "vault-escrow",
    arb: bytesArb([...blobs, fixtureHex("attest-volume-key-data")], encodedArb("org.lfedge.eve.attest.AttestVolumeKeyData")),
    run: (b: Uint8Array) => unwrapVaultKey(b, wrapKey),
    check: (_b, k: Uint8Array) => {
      if (!vaultKeys.some((v) => bytesEqual(v, k))) throw new Error("unwrapped a vault key that was never escrowed");
    },
    secrets: escrowSecrets,
  });

  const rawVaultKey = sha256(utf8.encode("fuzz vault data key: planted secret"));
  const dataKey: DataKey = {
    id: hex(rawVaultKey.subarray(0, 16)),
    key: await crypto.subtle.importKey("raw", rawVaultKey, "AES-GCM", false, ["encrypt", "decrypt"]),
  };
  const vaultDir = dir("vault");
  const encStore = new DirVaultStore(vaultDir, () => ({ mode: "encrypted", key: dataKey }));
  const plainStore = new DirVaultStore(vaultDir, () => ({ mode: "plaintext" }));
  const entryPlain = utf8.encode("entry contents: only what was written may come back");
  const entrySeeds = [await sealEntry("entry", entryPlain, dataKey), plainEntry("entry", entryPlain), await sealEntry("other", entryPlain, dataKey)];
  targets.push({
    name: "vault-entry",
    arb: fc.tuple(bytesArb(entrySeeds), fc.boolean()),
    run: async ([b, encrypted]: [Uint8Array, boolean]) => {
      writeFileSync(join(vaultDir, "entry.vault"), b);
      return (encrypted ? encStore : plainStore).get("entry");
    },
    check: ([b, encrypted]: [Uint8Array, boolean], r: Uint8Array | undefined) => {
      // Encrypted entries are authenticated: only the written contents may come back.
      if (encrypted && r && !bytesEqual(r, entryPlain)) throw new Error(`encrypted store returned ${r.length} bytes that were never written`);
      if (!encrypted && r && r.length > b.length) throw new Error("plaintext entry longer than its file");
    },
    secrets: [hex(rawVaultKey), toBase64(rawVaultKey)],
  });

  const sealPath = join(dir("seal"), "seal.json");
  const sealGood = utf8.encode(
    JSON.stringify({
      format: "edge-agent/sealingpcrs/1",
      committed: { keyId: "00".repeat(16), pcrs: [0, 7], pcrValues: { "0": "ab".repeat(32), "7": "cd".repeat(32) }, private: "0011", public: "2233" },
      pending: { keyId: "11".repeat(16), pcrs: [0, 1, 7] },
    }),
  );
  targets.push({
    name: "state-seal-journal",
    arb: bytesArb([sealGood], jsonishArb()),
    run: (b: Uint8Array) => {
      writeFileSync(sealPath, b);
      return readValidated(sealPath, parseSealRecord);
    },
  });

  const policyPath = join(dir("policy"), "policy-pcr.json");
  targets.push({
    name: "state-pcr-policy",
    arb: bytesArb([utf8.encode('{"PolicyPresent":true,"Indexes":[0,1,7],"ID":3}\n'), utf8.encode('{"PolicyPresent":false}')], jsonishArb()),
    run: (b: Uint8Array) => {
      writeFileSync(policyPath, b);
      return readPolicyFile(policyPath, silentLogger);
    },
    check: (_b, p: any) => {
      if (!Array.isArray(p.pcrs) || p.pcrs.some((i: number) => !Number.isInteger(i) || i < 0 || i > 23))
        throw new Error(`policy with PCRs ${JSON.stringify(p.pcrs)}`);
    },
  });

  // ---------------------------------------------------------------- persisted state
  const uuidRoot = dir("uuid");
  mkdirSync(join(uuidRoot, "status"), { recursive: true });
  const layout = { persist: { uuid: join(uuidRoot, "status", "uuid") } } as unknown as DeviceLayout;
  targets.push({
    name: "state-uuid",
    arb: bytesArb(
      [utf8.encode("5f0c1f1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f\n")],
      fc.uuid().map((u) => utf8.encode(` ${u.toUpperCase()}\n`)),
    ),
    run: (b: Uint8Array) => {
      writeFileSync(layout.persist.uuid, b);
      return readPersistedUuid(layout);
    },
    check: (_b, u: string) => {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(u)) throw new Error(`read UUID ${JSON.stringify(u)}`);
    },
  });

  const queueDir = dir("queue");
  const queueLog: Logger = silentLogger;
  const queue = new QueueStore(queueDir, queueLog);
  const qKey = "info/device";
  const qFile = Buffer.from(qKey, "utf8").toString("base64url") + ".json";
  const qPayload = utf8.encode("deferred payload");
  const qGood = utf8.encode(
    JSON.stringify({
      format: "edge-agent.deferred-item",
      version: 1,
      key: qKey,
      action: "info",
      seq: 3,
      payload: toBase64(qPayload),
      sha256: hex(sha256(qPayload)),
    }),
  );
  targets.push({
    name: "state-deferred-queue",
    arb: bytesArb([qGood], jsonishArb()),
    // Each corrupt file is removed with an fsync: slow per input, so a smaller CI share.
    ciRuns: 1000,
    run: (b: Uint8Array) => {
      writeFileSync(join(queueDir, qFile), b);
      return queue.loadAll();
    },
    check: (_b, items: { key: string; payload: Uint8Array; seq: number }[]) => {
      if (items.length > 1) throw new Error(`one file gave ${items.length} items`);
      for (const it of items) if (it.key !== qKey || !Number.isSafeInteger(it.seq)) throw new Error("loaded an item that does not match its file");
    },
  });

  // ---------------------------------------------------------------- event log
  const logDir = dir("eventlog");
  const logPath = join(logDir, "binary_bios_measurements");
  const eventLogs = [fixtureBytes("harness", "eventlog-ovmf.bin"), fixtureBytes("harness", "eventlog-seabios.bin")];
  targets.push({
    name: "eventlog",
    // The agent sends the log, it does not parse it: what it must get right is the size bound and the gzip.
    arb: fc.oneof(
      { weight: 8, arbitrary: bytesArb(eventLogs) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.integer({ min: MAX_RAW_EVENT_LOG - 2, max: MAX_RAW_EVENT_LOG + 2 }), fc.nat({ max: 255 }))
          .map(([n, v]) => ({ fill: v, length: n })),
      },
    ),
    run: (input: Uint8Array | { fill: number; length: number }) => {
      const b = input instanceof Uint8Array ? input : new Uint8Array(input.length).fill(input.fill);
      writeFileSync(logPath, b);
      return { r: gzippedEventLog(logPath), b };
    },
    check: (_i, { r, b }: { r: { gz?: Uint8Array; skipped?: string }; b: Uint8Array }) => {
      if (b.length > MAX_RAW_EVENT_LOG) {
        if (r.gz || !r.skipped) throw new Error(`sent a ${b.length}-byte log over the ${MAX_RAW_EVENT_LOG} limit`);
      } else if (!r.gz || !bytesEqual(new Uint8Array(gunzipSync(r.gz)), b)) throw new Error("gzipped log does not round-trip");
    },
  });

  // ---------------------------------------------------------------- configuration
  const confDir = dir("config");
  const confPath = join(confDir, "agent.toml");
  const tomlSeeds = [
    'root = "/"\n[log]\nlevel = "info"\n[tpm]\nmode = "auto"\n[status]\nsocket = "/run/edge-agent/status.sock"\n',
    '[status.tcp]\nhost = "127.0.0.1"\nport = 8080\nfull = true\n[controller]\nurl = "https://zedcloud.example:443"\n',
    'a = [1, 2, [3, {x = 1}]]\n"quoted key" = \'lit\'\nd = 1979-05-27T07:32:00Z\nf = inf\nml = """\nx"""\n',
  ].map(enc);
  const tomlArb = fc
    .array(
      fc.tuple(
        fc.constantFrom(
          "root",
          "log.level",
          "tpm.mode",
          "tpm.tcti",
          "status.socket",
          "status.tcp.host",
          "status.tcp.port",
          "status.tcp.full",
          "controller.url",
          "wireDumpDir",
          "keylime.mode",
          "x.y.z",
          "__proto__.root",
          "__proto__.polluted",
          "status.__proto__.socket",
          "constructor.prototype.polluted",
          "keylime.__proto__",
        ),
        fc.oneof(
          fc.string().map((s) => JSON.stringify(s)),
          fc.integer().map(String),
          fc.boolean().map(String),
          fc.constantFrom("[]", "{}", "nan", "-inf", "1e999", '"\\u0000"', "[[[[[[[[1]]]]]]]]"),
        ),
      ),
      { maxLength: 8 },
    )
    .map((kv) => enc(kv.map(([k, v]) => `${k} = ${v}`).join("\n")));
  targets.push({
    name: "config-toml",
    arb: bytesArb(tomlSeeds, tomlArb),
    run: (b: Uint8Array) => {
      writeFileSync(confPath, b);
      return loadConfig({ file: confPath, env: {} });
    },
    check: () => {
      // A config file must never reach the prototype every object shares.
      if (Object.getOwnPropertyNames(Object.prototype).length !== PROTO_KEYS) throw new Error("Object.prototype gained a property");
    },
  });

  // ---------------------------------------------------------------- local sockets
  const board = new StatusBoard("9.9.9", "/fuzz-root");
  board.update("device", { uuid: "5f0c1f1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f", onboarded: true });
  const apps = { full: createStatusApp(board, { full: true }), restricted: createStatusApp(board, { full: false }) };
  const segment = fc.oneof(
    fc.constantFrom(
      "v1",
      "v2",
      "v0",
      "status",
      "metrics",
      "health",
      "version",
      "..",
      ".",
      "",
      "%2e%2e",
      "%00",
      "%ff",
      "v1%2fstatus",
      "V1",
      "v99999999999999999999",
    ),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
  const requestArb = fc.record({
    full: fc.boolean(),
    method: fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND", "get"),
    path: fc.array(segment, { minLength: 0, maxLength: 5 }).map((s) => "/" + s.join("/")),
    query: fc.oneof(
      fc.constant(""),
      fc.string({ maxLength: 30 }).map((q) => "?" + encodeURI(q)),
      fc.constantFrom("?a=1&a=2", "?%zz", "?" + "x=".repeat(200)),
    ),
    headers: fc.dictionary(
      fc.constantFrom("accept", "content-type", "x-forwarded-for", "host", "content-length", "range"),
      fc.string({ unit: "grapheme-ascii", maxLength: 40 }),
      { maxKeys: 3 },
    ),
    body: fc.option(fc.uint8Array({ maxLength: 256 }), { nil: undefined }),
  });
  targets.push({
    name: "status-routes",
    arb: requestArb,
    run: async (q: { full: boolean; method: string; path: string; query: string; headers: Record<string, string>; body?: Uint8Array }) => {
      let req: Request;
      try {
        const withBody = q.body !== undefined && q.method !== "GET" && q.method !== "HEAD";
        req = new Request(`http://localhost${q.path}${q.query}`, { method: q.method, headers: q.headers, ...(withBody ? { body: q.body } : {}) });
      } catch {
        return { unrepresentable: true };
      }
      const res = await (q.full ? apps.full : apps.restricted).fetch(req);
      return { status: res.status, type: res.headers.get("content-type"), text: await res.text(), q };
    },
    check: (_q, r: any) => {
      if (r.unrepresentable) return;
      if (![200, 400, 403, 404, 405].includes(r.status)) throw new Error(`answered ${r.status}: ${r.text.slice(0, 200)}`);
      if (r.type?.startsWith("application/json") && r.text) JSON.parse(r.text);
      if (!r.q.full && r.status === 200 && r.text.includes("/fuzz-root")) throw new Error("restricted listener served the full status");
    },
  });

  // ---------------------------------------------------------------- Keylime registrar answers
  const kl = ["00-registrar-GET_version-200", "01-registrar-POST_v2.6_agents_{uuid}-200", "02-registrar-PUT_v2.6_agents_{uuid}-200"].map(
    (n) => JSON.parse(new TextDecoder().decode(fixtureBytes("fuzz", "keylime", `${n}.json`))) as { resp_body: unknown },
  );
  const klSeeds = kl.map((x) => enc(JSON.stringify(x.resp_body)));
  const blobB64 = (kl[1]!.resp_body as { results: { blob: string } }).results.blob;
  const blobBytes = new Uint8Array(Buffer.from(blobB64, "base64"));
  const klStructured = fc.oneof(
    mutatedArb([blobBytes]).map((b) => enc(JSON.stringify({ code: 200, status: "Success", results: { blob: toBase64(b) } }))),
    fc.string().map((s) => enc(JSON.stringify({ code: 200, status: "Success", results: { blob: s } }))),
    fc.jsonValue().map((v) => enc(JSON.stringify({ code: 200, status: v, results: v }))),
    // Any JSON at all as the whole body: a registrar is not bound to send an object.
    fc.jsonValue({ maxDepth: 2 }).map((v) => enc(JSON.stringify(v) ?? "null")),
  );
  targets.push({
    name: "keylime-registrar",
    arb: fc.record({
      op: fc.constantFrom("negotiate", "register", "activate"),
      status: fc.oneof(fc.constantFrom(200, 201, 400, 403, 404, 500, 503), fc.integer({ min: 200, max: 599 })),
      body: bytesArb(klSeeds, klStructured),
    }),
    run: async (q: { op: string; status: number; body: Uint8Array }) => {
      const client = new RegistrarClient("http://registrar.invalid", {
        fetch: (async () => new Response(q.body, { status: q.status })) as unknown as typeof fetch,
      });
      const body = { ek_tpm: "", aik_tpm: "", mtls_cert: "disabled" };
      if (q.op === "negotiate") return client.negotiate();
      if (q.op === "register") return client.register("2.6", "d432fbb3-d2f1-4a97-9ef7-75bd81c00000", body);
      return client.activate("2.6", "d432fbb3-d2f1-4a97-9ef7-75bd81c00000", "00");
    },
    check: (q, r: any) => {
      if (q.status >= 300) throw new Error(`accepted a ${q.status} answer`);
      if (q.op === "register" && (!(r.credentialBlob instanceof Uint8Array) || r.credentialBlob.length < 2)) throw new Error("credential without an ID object");
    },
  });

  targets.push(...(await serviceTargets(dir)), ...(await keylimeTargets(dir, (d) => dirs.push(d))));

  return {
    targets,
    cleanup: () => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** JSON-shaped text: the structure-aware input for the JSON state files. */
function jsonishArb(): fc.Arbitrary<Uint8Array> {
  return fc
    .oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({
        format: fc.constantFrom("edge-agent/sealingpcrs/1", "edge-agent.deferred-item"),
        version: fc.constantFrom(1, 2, 1.5, -1),
        PolicyPresent: fc.boolean(),
        Indexes: fc.array(fc.oneof(fc.integer({ min: -2, max: 30 }), fc.double())),
        ID: fc.oneof(fc.integer(), fc.double()),
      }),
    )
    .map((v) => utf8.encode(JSON.stringify(v) ?? "null"));
}

export type { FuzzPki };
export { encodeWith };
