// The keys, certificates and identity services (src/services) as a local
// process reaches them: each request through the service's own Hono app
// (buildApp's fetch, what startLocalServer hands every parsed request), and
// the raw bytes of a connection through the server's request parser and
// answer path (svc-socket-wire). One service world backs all of them: file
// key pairs in a temp dir (the TPM backend needs swtpm and is left to the
// integration tests; parsing and authorization are the same above the
// backend), preloaded EC and RSA keys, symmetric keys in a plaintext vault
// store, a principals table with three kinds of caller.
//
// Oracles besides "typed answer": no 500 from any input, every error a JSON
// {message}, no key material or handle MAC key in an answer or a log line,
// no 2xx on an id a caller is not granted (checked against grants written
// out here, not the service's own matcher), no 2xx on a handle this
// service never issued.

import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import type { CertIssuance, Principal } from "../../src/config/index.ts";
import { generateSoftKey, softKeyToPem, softSigner } from "../../src/pki/index.ts";
import { certsApi } from "../../src/services/certs/api.ts";
import { CertService, CertStore } from "../../src/services/certs/service.ts";
import { RequestParser } from "../../src/services/http/parser.ts";
import type { PeerCred } from "../../src/services/http/peercred.ts";
import { buildApp } from "../../src/services/http/routes.ts";
import { answerRequest } from "../../src/services/http/server.ts";
import { identityApi } from "../../src/services/identity/api.ts";
import { keysApi } from "../../src/services/keys/api.ts";
import { FileKeyBackend, keyPairFromPemFile } from "../../src/services/keys/file-backend.ts";
import { HandleAuthority } from "../../src/services/keys/handles.ts";
import { KeyService } from "../../src/services/keys/store.ts";
import { SymmetricKeys } from "../../src/services/keys/symmetric.ts";
import { type KeyAlgorithm, type KeyPair, keyPairFromSigner } from "../../src/services/keys/types.ts";
import { Principals } from "../../src/services/principals.ts";
import { AgentError, createLogger, toBase64, toHex, utf8 } from "../../src/shared/index.ts";
import { writeFileAtomic } from "../../src/state/index.ts";
import { DirVaultStore } from "../../src/vault/store.ts";
import { mutatedArb } from "./gen.ts";
import { fc, type Target } from "./lib.ts";

/** One request as a local client sends it; body bytes exactly as they go on the wire. */
export interface SvcRequest {
  uid: number;
  method: string;
  path: string;
  query: string;
  contentType?: string;
  body?: Uint8Array;
  /** the identity service only: whether the device is onboarded yet */
  onboarded?: boolean;
  /** the keys service only: whether the vault (home of symmetric keys) is open */
  vaultOpen?: boolean;
}

const ROOT = 0;
/** granted app-* and shared-key, certs app-*, the device identity */
const APP = 1000;
/** granted keys other-? only */
const OTHER = 1001;
/** in no principal row */
const STRANGER = 2000;

const PRINCIPALS: Principal[] = [
  { uid: APP, name: "app", idtype: ["device"], keys: ["app-*", "shared-key"], certs: ["app-*"] },
  { uid: OTHER, name: "other", idtype: [], keys: ["other-?"], certs: [] },
];

/** The grants above, written out by hand so the oracle does not share the service's wildcard matcher. */
function mayKey(uid: number, id: string): boolean {
  if (uid === ROOT) return true;
  if (uid === APP) return id.startsWith("app-") || id === "shared-key";
  if (uid === OTHER) return [...id].length === 7 && id.startsWith("other-");
  return false;
}
function mayCert(uid: number, id: string): boolean {
  return uid === ROOT || (uid === APP && id.startsWith("app-"));
}
function mayIdentity(uid: number): boolean {
  return uid === ROOT || uid === APP;
}

const bareOf = (id: string, scheme: string) => (id.startsWith(`${scheme}://`) ? id.slice(scheme.length + 3) : id);
/** Every reading of a path segment a router could take: a refusal is only a violation if none of them is granted. */
function segmentReadings(seg: string): string[] {
  const out = new Set([seg]);
  try {
    out.add(decodeURIComponent(seg));
  } catch {}
  return [...out];
}

/** A refusal the service answered correctly: thrown so the run's figures count each status as an error kind. */
export class HttpRefusal extends AgentError {}

/**
 * Runs a target's checks inside run, on every answer, refusals included:
 * a broken property comes back as the result (and check reports it); a
 * correct refusal is thrown as `<prefix>.http-<status>`.
 */
export function countRefusals<I, R>(t: Target<I> & { check(input: I, result: R): void }, prefix: string, statusOf: (r: R) => number): Target<I> {
  return {
    ...t,
    run: async (input: I) => {
      const r = (await t.run(input)) as R;
      try {
        t.check(input, r);
      } catch (e) {
        return { violation: (e as Error).message };
      }
      const status = statusOf(r);
      if (status >= 400) throw new HttpRefusal(`${prefix}.http-${status}`, `answered ${status}`);
      return r;
    },
    check: (_i, r) => {
      const v = (r as { violation?: string }).violation;
      if (v !== undefined) throw new Error(v);
    },
  };
}

const ALLOWED_STATUS = new Set([200, 201, 204, 400, 403, 404, 405, 409, 413, 415, 422, 501, 503]);

function runOpenssl(args: string[], dir: string): string {
  const r = spawnSync("openssl", args, { cwd: dir });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

function b64(b: Uint8Array): string {
  return Buffer.from(b).toString("base64");
}

/** The decoded `sr` of a handle (what its MAC covers), as the service reads it; undefined when it has none. */
function handleSr(handle: string): string | undefined {
  let sr: string | undefined;
  for (const part of handle.split("&")) if (part.startsWith("sr=")) sr = Buffer.from(part.slice(3), "base64").toString("hex");
  return sr;
}

export async function serviceTargets(dir: (name: string) => string): Promise<Target<any>[]> {
  const root = dir("services");
  const keysDir = join(root, "keys");
  const preDir = join(root, "preloaded");
  mkdirSync(preDir, { recursive: true, mode: 0o700 });
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });

  // A fixed handle key: a regression file's handle stays valid in the next process.
  const handleKey = sha256(utf8.encode("fuzz services handle MAC key: planted secret"));
  const handleKeyPath = join(root, "run", "handle.key");
  mkdirSync(join(root, "run"), { recursive: true, mode: 0o700 });
  writeFileSync(handleKeyPath, handleKey, { mode: 0o600 });
  const handles = HandleAuthority.open(handleKeyPath);

  // Keys whose material must never come back: the device key, preloaded EC and RSA keys, the fixture symmetric keys.
  const device = generateSoftKey();
  const caKey = generateSoftKey();
  const caKeyPath = join(preDir, "ca-key.pem");
  writeFileSync(caKeyPath, softKeyToPem(caKey), { mode: 0o600 });
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const rsaPem = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const rsaKeyPath = join(preDir, "rsa-key.pem");
  writeFileSync(rsaKeyPath, rsaPem, { mode: 0o600 });
  const symFixtures = [
    { id: "sym-enc", usage: ["encrypt", "sign"] as ("encrypt" | "sign" | "derive")[], bytes: sha256(utf8.encode("fuzz symmetric key one: planted")) },
    { id: "app-sym", usage: ["sign"] as ("encrypt" | "sign" | "derive")[], bytes: sha256(utf8.encode("fuzz symmetric key two: planted")) },
  ];
  // A private key a client pastes along with the certificate it imports: it must not be stored where every caller reads.
  const strayKeyPem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const pemBody = (pem: string) => pem.split("\n").filter((l) => l.length >= 40 && !l.startsWith("-----"));
  const secrets = [
    ...[handleKey, device.privateKey, caKey.privateKey, ...symFixtures.map((s) => s.bytes)].flatMap((k) => [
      toHex(k),
      toBase64(k),
      Buffer.from(k).toString("base64url"),
    ]),
    ...pemBody(rsaPem),
    ...pemBody(utf8.decode(softKeyToPem(caKey))),
    ...pemBody(strayKeyPem),
    rsa.privateKey.export({ format: "jwk" }).d!,
  ];

  // RSA generation takes seconds for 4096 bits on this box: the backend writes a pregenerated key
  // through its own files instead, so a create costs what a load does. EC keys are made for real.
  class FuzzFileBackend extends FileKeyBackend {
    override async create(id: string, alg: KeyAlgorithm): Promise<KeyPair | undefined> {
      if (alg === "ec-p256") return super.create(id, alg);
      writeFileAtomic(join(keysDir, `${id}.key.pem`), rsaPem, 0o600);
      return this.load(id);
    }
  }

  const logLines: string[] = [];
  const log = createLogger({ level: "debug", write: (l) => logLines.push(l) });
  const principals = new Principals(PRINCIPALS, log);
  const vaultStore = new DirVaultStore(join(root, "vault"), () => ({ mode: "plaintext" }));
  mkdirSync(join(root, "vault"), { recursive: true });
  let vaultOpen = true;
  const symmetric = new SymmetricKeys(() => (vaultOpen ? vaultStore : undefined));
  const keys = new KeyService({
    deviceKeyId: "device-id",
    device: keyPairFromSigner("device-id", "file", softSigner(device)),
    preloaded: { "ca-key": `file://${caKeyPath}`, "rsa-key": `file://${rsaKeyPath}` },
    openPreloaded: async (id, uri) => keyPairFromPemFile(id, decodeURIComponent(uri.slice("file://".length))),
    generated: [new FuzzFileBackend(keysDir)],
    symmetric,
    handles,
    principals,
    log: log.child("keys"),
  });
  for (const s of symFixtures) await symmetric.create(s.id, s.usage, s.bytes);
  const restoreFixtures = async () => {
    vaultOpen = true;
    for (const s of symFixtures) await symmetric.create(s.id, s.usage, s.bytes);
  };

  // Certificates: a self-signed CA from the preloaded ca-key (configured, so the API cannot replace it),
  // and app-issued, which the service issues itself under it.
  const issuance: Record<string, CertIssuance> = {
    "ca-cert": {
      method: "self_signed",
      key: "ca-key",
      issuerCert: "ca-cert",
      issuerKey: "ca-key",
      subject: { CN: "fuzz CA" },
      lifetimeSeconds: 10 * 365 * 86400,
      ca: true,
    },
    "app-issued": {
      method: "local_ca",
      key: "app-issued",
      issuerCert: "ca-cert",
      issuerKey: "ca-key",
      subject: { CN: "app issued" },
      lifetimeSeconds: 86400,
      ca: false,
    },
  };
  const caCertPath = join(preDir, "ca-cert.pem");
  const deviceCertPath = join(preDir, "device.cert.pem");
  const certStore = new CertStore({ dir: join(root, "certs"), preloaded: { "ca-cert": caCertPath }, device: { id: "device-id", path: deviceCertPath } });
  const certs = new CertService({ store: certStore, keys, principals, issuance, log: log.child("certs") });
  const caPem = await certs.issueConfigured("ca-cert");
  writeFileSync(caCertPath, caPem);
  writeFileSync(deviceCertPath, caPem);

  // CSRs made by openssl, independently of the code under test: EC and RSA, plain, with extensions, with an odd subject.
  const csrDir = join(root, "csr");
  mkdirSync(csrDir);
  runOpenssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key"], csrDir);
  runOpenssl(["genrsa", "-out", "rsa.key", "2048"], csrDir);
  runOpenssl(["genpkey", "-algorithm", "ed25519", "-out", "ed.key"], csrDir);
  runOpenssl(["ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "p384.key"], csrDir);
  runOpenssl(["genpkey", "-algorithm", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "pss.key"], csrDir);
  const csrs = [
    runOpenssl(["req", "-new", "-key", "ec.key", "-subj", "/CN=app one"], csrDir),
    runOpenssl(["req", "-new", "-key", "rsa.key", "-subj", "/CN=rsa/O=fuzz/OU=x/C=DE"], csrDir),
    runOpenssl(
      [
        "req",
        "-new",
        "-key",
        "ec.key",
        "-subj",
        "/CN=server",
        "-addext",
        "subjectAltName=DNS:a.example,IP:127.0.0.1",
        "-addext",
        "extendedKeyUsage=serverAuth",
      ],
      csrDir,
    ),
    runOpenssl(["req", "-new", "-key", "ec.key", "-subj", `/CN=${"é".repeat(30)}/serialNumber=1`, "-addext", "basicConstraints=critical,CA:TRUE"], csrDir),
    // Keys the issuer never signs for elsewhere, an unknown critical extension, no subject at all, 300 names.
    runOpenssl(["req", "-new", "-key", "ed.key", "-subj", "/CN=ed25519"], csrDir),
    runOpenssl(["req", "-new", "-key", "p384.key", "-subj", "/CN=p384"], csrDir),
    runOpenssl(["req", "-new", "-key", "pss.key", "-subj", "/CN=pss"], csrDir),
    runOpenssl(["req", "-new", "-key", "ec.key", "-subj", "/CN=unknown", "-addext", "1.2.3.4=critical,ASN1:UTF8String:hello"], csrDir),
    runOpenssl(["req", "-new", "-key", "ec.key", "-subj", "/"], csrDir),
    runOpenssl(
      [
        "req",
        "-new",
        "-key",
        "ec.key",
        "-subj",
        "/CN=many",
        "-addext",
        `subjectAltName=${Array.from({ length: 300 }, (_, i) => `DNS:a${i}.example`).join(",")}`,
      ],
      csrDir,
    ),
  ];
  const csrDer = csrs.map((p) => Buffer.from(p.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64").toString("base64"));
  // A request signed by another key than the one it names: the self-signature check must refuse it.
  const foreignCsr = csrs[0]!.replace(/.{8}\n-----END/, "AAAAAAAA\n-----END");

  // Handles a local client could hold: issued here (every kind of key), one from another boot's key, and those the run issues.
  const issuedSr = new Set<string>();
  const issue = (kind: "keypair" | "key", id: string) => {
    const h = keys.handleFor({ kind, id });
    issuedSr.add(handleSr(h)!);
    return h;
  };
  const handlePool = [
    issue("keypair", "device-id"),
    issue("keypair", "ca-key"),
    issue("keypair", "rsa-key"),
    issue("keypair", "app-one"),
    issue("keypair", "app-gone"),
    issue("key", "sym-enc"),
    issue("key", "app-sym"),
    issue("key", "app-none"),
    HandleAuthority.ephemeral().issue({ kind: "keypair", id: "device-id" }),
  ];
  const noteIssued = (text: string) => {
    for (const m of text.matchAll(/"keyHandle":"([^"]+)"/g)) {
      const sr = handleSr(m[1]!);
      if (sr) issuedSr.add(sr);
    }
  };

  // ------------------------------------------------------------ generators
  const idPool = [
    "app-one",
    "app-two",
    "app-sym",
    "app-issued",
    "app-gone",
    "shared-key",
    "other-1",
    "other-22",
    "device-id",
    "ca-key",
    "ca-cert",
    "rsa-key",
    "sym-enc",
    "nobody",
  ];
  const idArb = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...idPool) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom("key://", "cert://", "KEY://", "key:/", "cert://key://"), fc.constantFrom(...idPool)).map(([p, i]) => p + i),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "",
        ".",
        "..",
        "../ca-key",
        "app-*",
        "app-?",
        "other-é",
        "app-\u0000",
        "app-one\n",
        "a".repeat(64),
        "a".repeat(65),
        "-app",
        "app-one/../x",
      ),
    },
    { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  );
  /** A path segment: mostly encoded as a client would, sometimes raw or double-encoded. */
  const segArb = (id: fc.Arbitrary<string>) =>
    fc.tuple(id, fc.nat({ max: 9 })).map(([s, how]) => (how < 7 ? encodeURIComponent(s) : how < 9 ? s : encodeURIComponent(encodeURIComponent(s))));
  const bytesB64 = fc.oneof(
    { weight: 4, arbitrary: fc.uint8Array({ maxLength: 80 }).map(b64) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 140 }).map((n) => b64(new Uint8Array(n).fill(7))) },
    { weight: 1, arbitrary: fc.constantFrom("", "=", "A", "AA==", "A===", "****", "QUJD\n", "QUJD RA==", "_-_-") },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  );
  /** Mostly the size a parameter must have (a SHA-256 digest, a GCM iv), sometimes any. */
  const sized = (min: number, max: number) =>
    fc.oneof({ weight: 3, arbitrary: fc.uint8Array({ minLength: min, maxLength: max }).map(b64) }, { weight: 1, arbitrary: bytesB64 });
  const handleArb = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...handlePool) },
    // Handles taken apart and put back together: sr of one with sig of another, parts swapped, doubled, cut.
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(...handlePool), fc.constantFrom(...handlePool), fc.nat({ max: 5 })).map(([a, b, how]) => {
        const [sra, siga] = a.split("&");
        const [srb, sigb] = b.split("&");
        return [`${sra}&${sigb}`, `${siga}&${sra}`, `${sra}&${srb}&${siga}`, `${a}&${b}`, a.slice(0, a.length - 3), `${sra}&sig=`][how]!;
      }),
    },
    { weight: 3, arbitrary: mutatedArb(handlePool.map((h) => utf8.encode(h))).map((b) => utf8.decode(b)) },
    {
      weight: 1,
      arbitrary: fc
        .record({ keyPair: fc.constantFrom("device-id", "ca-key", "app-one"), nonce: fc.string() })
        .map((j) => `sr=${b64(utf8.encode(JSON.stringify(j)))}&sig=${b64(new Uint8Array(32))}`),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );
  const jsonValueArb = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(null, true, 0, -1, 1.5, 1e308, "", [], {}) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
  /** Mostly the field's own kind, sometimes any JSON value or absent. */
  const field = <T>(a: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 10, arbitrary: a as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: jsonValueArb }, { weight: 1, arbitrary: fc.constant(undefined) });
  const versionArb = (versions: readonly string[]) =>
    fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...versions).map((v) => `?api-version=${v}`) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          "",
          "?api-version=",
          "?api-version=2099-01-01",
          "?api-version=2020-09-01&api-version=2099-01-01",
          "?API-VERSION=2020-09-01",
          "?api-version=2020-09-01%00",
          "?api-version=2020-09-01#x",
          "?%zz&api-version=2020-09-01",
        ),
      },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...versions), fc.string({ maxLength: 20 })).map(([v, s]) => `?api-version=${v}&${encodeURI(s)}`) },
    );
  const ctypeArb = fc.oneof(
    { weight: 10, arbitrary: fc.constant("application/json") },
    { weight: 2, arbitrary: fc.constantFrom(undefined, "application/json; charset=utf-8", "APPLICATION/JSON", "text/plain", "application/jsonx", "", ";") },
  );
  const json = (v: unknown) => utf8.encode(JSON.stringify(v) ?? "null");

  interface RouteGen {
    method: string;
    path: fc.Arbitrary<string>;
    body?: fc.Arbitrary<unknown>;
  }
  /** Structure-aware requests from a route table, then the same requests with their body bytes mutated or bodies from another route. */
  const requestsFor = (routes: RouteGen[], versions: readonly string[], extra: Partial<Record<keyof SvcRequest, fc.Arbitrary<unknown>>> = {}) => {
    const uidArb = fc.constantFrom(ROOT, APP, APP, OTHER, STRANGER);
    const structured = fc.oneof(
      ...routes.map((r) =>
        fc.record({
          uid: uidArb,
          method: fc.oneof(
            { weight: 12, arbitrary: fc.constant(r.method) },
            { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS") },
          ),
          path: r.path,
          query: versionArb(versions),
          contentType: ctypeArb,
          body: r.body ? r.body.map(json) : fc.option(fc.uint8Array({ maxLength: 16 }), { nil: undefined }),
          ...extra,
        }),
      ),
    ) as fc.Arbitrary<SvcRequest>;
    const seeds = routes.filter((r) => r.body).flatMap((r) => fc.sample(r.body!.map(json), { numRuns: 3, seed: 7 }));
    return fc.oneof(
      { weight: 8, arbitrary: structured },
      {
        weight: 3,
        arbitrary: structured.chain((q) => mutatedArb([q.body ?? new Uint8Array(), ...seeds]).map((body) => ({ ...q, body }))),
      },
      // Whole path mutated too: what a router sees of a broken client.
      {
        weight: 1,
        arbitrary: structured.chain((q) =>
          mutatedArb([utf8.encode(q.path + q.query)]).map((b) => {
            const s = utf8.decode(b);
            const i = s.indexOf("?");
            return { ...q, path: `/${(i < 0 ? s : s.slice(0, i)).replace(/^\/+/, "")}`, query: i < 0 ? "" : s.slice(i) };
          }),
        ),
      },
    );
  };

  // ------------------------------------------------------------ one request
  interface Answer {
    unrepresentable?: true;
    status: number;
    text: string;
    type: string | null;
    logs: string[];
    method: string;
    /** the path as the router saw it (after URL normalisation: dot segments gone) */
    pathname: string;
  }
  const apps = {
    keys: buildApp(keysApi(keys), log.child("keys")),
    certs: buildApp(certsApi(certs), log.child("certs")),
  };
  let onboarded = true;
  const identityApp = buildApp(
    identityApi({
      keys,
      principals,
      deviceId: () => (onboarded ? "5f0c1f1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f" : undefined),
      controller: () => "zedcloud.example:443",
      deviceCertId: "device-id",
      trustBundlePath: caCertPath,
    }),
    log.child("identity"),
  );

  const send = async (fetchFn: (r: Request, c: PeerCred) => Promise<Response>, q: SvcRequest): Promise<Answer> => {
    logLines.length = 0;
    let req: Request;
    try {
      const headers: Record<string, string> = {};
      if (q.contentType !== undefined) headers["content-type"] = q.contentType;
      const withBody = q.body !== undefined && q.method !== "GET" && q.method !== "HEAD";
      req = new Request(`http://localhost${q.path}${q.query}`, { method: q.method, headers, ...(withBody ? { body: q.body } : {}) });
    } catch {
      return { unrepresentable: true, status: 0, text: "", type: null, logs: [], method: q.method, pathname: "" };
    }
    const res = await fetchFn(req, { uid: q.uid, gid: q.uid, pid: 4242 });
    const text = await res.text();
    return { status: res.status, text, type: res.headers.get("content-type"), logs: [...logLines], method: q.method, pathname: new URL(req.url).pathname };
  };

  /** What every service answer must be, whatever came in. */
  const checkAnswer = (a: Answer) => {
    if (a.unrepresentable) return;
    if (!ALLOWED_STATUS.has(a.status)) throw new Error(`answered ${a.status}: ${a.text.slice(0, 200)} | log: ${a.logs.join(" ").slice(0, 600)}`);
    if (a.status >= 400 && a.method !== "HEAD") {
      let m: unknown;
      try {
        m = JSON.parse(a.text);
      } catch {
        throw new Error(`error ${a.status} is not JSON: ${a.text.slice(0, 100)}`);
      }
      if (typeof (m as { message?: unknown })?.message !== "string") throw new Error(`error ${a.status} without a message: ${a.text.slice(0, 100)}`);
    }
    const seen = `${a.text}\n${a.logs.join("\n")}`;
    if (seen.includes("PRIVATE KEY")) throw new Error("a private key PEM in an answer or log line");
    for (const s of secrets) if (seen.includes(s)) throw new Error(`planted secret ${s.slice(0, 6)}… in an answer or log line`);
  };
  const isOk = (a: Answer) => !a.unrepresentable && a.status >= 200 && a.status < 300;
  const bodyJson = (q: SvcRequest): any => {
    try {
      return JSON.parse(utf8.decode(q.body ?? new Uint8Array()));
    } catch {
      return undefined;
    }
  };
  const routeSegs = (a: Answer) => a.pathname.split("/").slice(1);
  /** A handle route's 2xx: the handle in the body must be one this service issued (forgery oracle). */
  const checkHandle = (q: SvcRequest) => {
    const h = bodyJson(q)?.keyHandle;
    const sr = typeof h === "string" ? handleSr(h) : undefined;
    if (!sr || !issuedSr.has(sr)) throw new Error(`accepted a key handle this service never issued: ${String(h).slice(0, 120)}`);
  };

  const targets: Target<any>[] = [];

  // ------------------------------------------------------------ keys
  const keysRoutes: RouteGen[] = [
    {
      method: "POST",
      path: fc.constant("/keypair"),
      body: fc.record({
        keyId: field(idArb),
        preferredAlgorithms: field(fc.constantFrom("ec-p256", "rsa-2048", "rsa-4096", "*", "ec-p256:rsa-2048:*", "dsa", "", ":::", "rsa-4096:ec-p256")),
      }),
    },
    { method: "GET", path: segArb(idArb).map((s) => `/keypair/${s}`) },
    { method: "POST", path: segArb(idArb).map((s) => `/keypair/${s}`), body: fc.record({ from: field(idArb) }) },
    { method: "DELETE", path: fc.constant("/keypair"), body: fc.record({ keyHandle: field(handleArb) }) },
    {
      method: "POST",
      path: segArb(fc.constantFrom("algorithm", "ec-curve-oid", "ec-point", "rsa-modulus", "rsa-exponent", "private", "__proto__", "constructor", "")).map(
        (s) => `/parameters/${s}`,
      ),
      body: fc.record({ keyHandle: field(handleArb) }),
    },
    {
      method: "POST",
      path: fc.constant("/sign"),
      body: fc.record({
        keyHandle: field(handleArb),
        algorithm: field(
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom("ECDSA", "HMAC-SHA256") },
            { weight: 1, arbitrary: fc.constantFrom("RSA-PKCS1", "ecdsa", "__proto__", "toString") },
          ),
        ),
        parameters: field(fc.record({ digest: field(sized(32, 32)), message: field(bytesB64) })),
      }),
    },
    {
      method: "POST",
      path: fc.constantFrom("/encrypt", "/decrypt"),
      body: fc.record({
        keyHandle: field(handleArb),
        algorithm: field(
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom("AEAD", "RSA-PKCS1", "RSA-NO-PADDING") },
            { weight: 1, arbitrary: fc.constantFrom("aead", "hasOwnProperty") },
          ),
        ),
        plaintext: field(bytesB64),
        ciphertext: field(bytesB64),
        parameters: field(fc.record({ iv: field(sized(12, 16)), aad: field(bytesB64) })),
      }),
    },
    {
      method: "POST",
      path: fc.constant("/key"),
      body: fc.record({
        keyId: field(idArb),
        usage: field(fc.constantFrom("sign", "encrypt", "derive", "sign,encrypt", " sign , derive ", "", ",", "sign,,", "admin")),
        keyBytes: field(bytesB64),
      }),
    },
    { method: "GET", path: segArb(idArb).map((s) => `/key/${s}`) },
    { method: "DELETE", path: fc.constant("/key"), body: fc.record({ keyHandle: field(handleArb) }) },
    { method: "GET", path: fc.constantFrom("/openapi.json", "/", "/keypair/", "/keypair/a/b", "/sign/", "//sign", "/SIGN") },
  ];
  const HANDLE_PATHS = new Set(["/sign", "/encrypt", "/decrypt", "/parameters", "/key", "/keypair"]);
  targets.push({
    name: "svc-keys",
    arb: requestsFor(keysRoutes, ["2020-09-01", "2021-05-01"], {
      vaultOpen: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
    run: async (q: SvcRequest) => {
      await restoreFixtures();
      vaultOpen = q.vaultOpen !== false;
      const a = await send(apps.keys, q);
      vaultOpen = true;
      return { a, q };
    },
    // EC key generation and PEM files per create: a few ms each, more on this shared box.
    callMs: 1000,
    ciRuns: 600,
    check: (_q, { a, q }: { a: Answer; q: SvcRequest }) => {
      checkAnswer(a);
      if (!isOk(a)) return;
      noteIssued(a.text);
      const segs = routeSegs(a);
      const body = bodyJson(q);
      const method = q.method === "HEAD" ? "GET" : q.method;
      // Ids a caller names: a 2xx means the oracle's grants allow one reading of it.
      const named: string[][] = [];
      if ((segs[0] === "keypair" || segs[0] === "key") && segs.length === 2) named.push(segmentReadings(segs[1]!).map((s) => bareOf(s, "key")));
      if (method === "POST" && (a.pathname === "/keypair" || a.pathname === "/key")) named.push([bareOf(String(body?.keyId), "key")]);
      if (method === "POST" && segs[0] === "keypair" && segs.length === 2) named.push([bareOf(String(body?.from), "key")]);
      for (const readings of named) {
        if (!readings.some((id) => mayKey(q.uid, id)))
          throw new Error(`uid ${q.uid} got ${a.status} for key ${JSON.stringify(readings[0])}, which it is not granted`);
      }
      // Every handle handed out names a key the caller is granted (the identity service's grant is by type, not here).
      for (const m of a.text.matchAll(/"keyHandle":"([^"]+)"/g)) {
        const sr = Buffer.from(handleSr(m[1]!) ?? "", "hex").toString("utf8");
        const ref = JSON.parse(sr) as { keyPair?: string; key?: string };
        const id = ref.keyPair ?? ref.key ?? "";
        if (!mayKey(q.uid, id)) throw new Error(`uid ${q.uid} was handed a handle to ${id}`);
      }
      if (
        method !== "GET" &&
        HANDLE_PATHS.has(`/${segs[0]}`) &&
        !(method === "POST" && (a.pathname === "/keypair" || a.pathname === "/key" || (segs.length === 2 && segs[0] === "keypair")))
      )
        checkHandle(q);
    },
    secrets,
  });

  // ------------------------------------------------------------ certs
  const caHandles = [handlePool[1]!, handlePool[2]!, handlePool[0]!, handlePool[8]!];
  const csrArb = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...csrs, ...csrDer) },
    { weight: 5, arbitrary: mutatedArb(csrs.map((c) => utf8.encode(c))).map((b) => utf8.decode(b)) },
    { weight: 2, arbitrary: mutatedArb(csrDer.map((c) => Buffer.from(c, "base64"))).map((b) => Buffer.from(b).toString("base64")) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(foreignCsr, caPem, "", "MIIB", "-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n", csrs[0]!.repeat(3)),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  );
  const pemArb = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(caPem, caPem + caPem, `${caPem}junk`, csrs[0]!, `${caPem}${strayKeyPem}`, `text before\n${caPem}`) },
    { weight: 4, arbitrary: mutatedArb([utf8.encode(caPem)]).map((b) => utf8.decode(b)) },
    { weight: 1, arbitrary: fc.constantFrom("", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\n") },
  );
  const certIdArb = fc.oneof(
    { weight: 3, arbitrary: idArb },
    { weight: 2, arbitrary: fc.constantFrom("app-new", "app-issued", "cert://app-new", "ca-cert", "device-id") },
  );
  const certRoutes: RouteGen[] = [
    {
      method: "POST",
      path: fc.constant("/certificates"),
      body: fc.record({
        certId: field(certIdArb),
        csr: field(csrArb),
        issuer: field(
          fc.record({
            certId: field(fc.oneof(fc.constantFrom("ca-cert", "cert://ca-cert", "device-id", "app-new"), idArb)),
            privateKeyHandle: field(fc.oneof(fc.constantFrom(...caHandles), handleArb)),
          }),
        ),
      }),
    },
    { method: "GET", path: segArb(certIdArb).map((s) => `/certificates/${s}`) },
    { method: "PUT", path: segArb(certIdArb).map((s) => `/certificates/${s}`), body: fc.record({ pem: field(pemArb) }) },
    { method: "DELETE", path: segArb(certIdArb).map((s) => `/certificates/${s}`) },
    { method: "GET", path: fc.constantFrom("/openapi.json", "/certificates", "/certificates/", "/certificates/a/b") },
  ];
  targets.push({
    name: "svc-certs",
    arb: requestsFor(certRoutes, ["2020-09-01"]),
    run: async (q: SvcRequest) => ({ a: await send(apps.certs, q), q }),
    // x509 parsing, signing and the issued certificate's own check: 5-30 ms, more on this box.
    callMs: 1000,
    ciRuns: 500,
    check: (_q, { a, q }: { a: Answer; q: SvcRequest }) => {
      checkAnswer(a);
      if (!isOk(a)) return;
      const segs = routeSegs(a);
      const body = bodyJson(q);
      const method = q.method === "HEAD" ? "GET" : q.method;
      if (method === "GET") return; // reading is open to every caller
      const ids = method === "POST" ? [bareOf(String(body?.certId), "cert")] : segmentReadings(segs[1] ?? "").map((s) => bareOf(s, "cert"));
      if (!ids.some((id) => mayCert(q.uid, id)))
        throw new Error(`uid ${q.uid} got ${a.status} for certificate ${JSON.stringify(ids[0])}, which it is not granted`);
      if (method === "POST" && body?.issuer !== undefined && body?.issuer !== null) {
        const sr = typeof body.issuer.privateKeyHandle === "string" ? handleSr(body.issuer.privateKeyHandle) : undefined;
        if (!sr || !issuedSr.has(sr)) throw new Error("issued a certificate with a key handle this service never issued");
      }
      // What is stored and served is certificates and nothing else.
      if (a.status === 201 && !/^(?:-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n)+$/.test(JSON.parse(a.text).pem))
        throw new Error(`201 with more than certificates: ${a.text.slice(0, 120)}`);
    },
    secrets,
  });

  // ------------------------------------------------------------ identity
  const identityRoutes: RouteGen[] = [
    { method: "GET", path: fc.constantFrom("/identities/identity", "/identities/identity/", "/identities/IDENTITY", "/identities/%69dentity") },
    {
      method: "POST",
      path: fc.constantFrom("/identities/device", "/identities/module", "/identities/device/x"),
      body: fc.record({ type: field(fc.constantFrom("aziot", "AZIOT", "local", "")) }),
    },
    { method: "GET", path: fc.constantFrom("/trust-bundle", "/trust-bundle/", "/openapi.json", "/identities", "/") },
  ];
  targets.push({
    name: "svc-identity",
    arb: requestsFor(identityRoutes, ["2020-09-01", "2021-12-01", "2022-08-01"], { onboarded: fc.boolean() }),
    run: async (q: SvcRequest) => {
      onboarded = q.onboarded !== false;
      return { a: await send(identityApp, q), q };
    },
    ciRuns: 1000,
    check: (_q, { a, q }: { a: Answer; q: SvcRequest }) => {
      checkAnswer(a);
      if (!isOk(a)) return;
      noteIssued(a.text);
      if (a.pathname.startsWith("/identities") && !mayIdentity(q.uid)) throw new Error(`uid ${q.uid} read the device identity without idtype device`);
    },
    secrets,
  });

  // ------------------------------------------------------------ the socket's bytes
  // What arrives on keys.sock before any route: request heads and bodies as
  // bytes, split across reads, through RequestParser and the server's own
  // answer path (answerRequest), as startLocalServer runs them.
  const wireSeeds = [
    "POST /sign?api-version=2021-05-01 HTTP/1.1\r\nHost: keyd.sock\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
    `POST /keypair?api-version=2020-09-01 HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n12\r\n{"keyId":"app-one"\r\n1\r\n}\r\n0\r\n\r\n`,
    "GET /keypair/device-id?api-version=2020-09-01 HTTP/1.1\r\n\r\nGET /openapi.json HTTP/1.1\r\nConnection: close\r\n\r\n",
    "GET /key/sym-enc?api-version=2021-05-01 HTTP/1.0\r\nExpect: 100-continue\r\n\r\n",
  ].map((s) => utf8.encode(s));
  const headerArb = fc.tuple(
    fc.constantFrom("Content-Type", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "X-\u00ff", "Bad Name", "Host"),
    fc.oneof(fc.constantFrom("application/json", "chunked", "close", "0", "99999999999", "-1", "1, 1", "a\u0000b", "\u00ff"), fc.string({ maxLength: 12 })),
  );
  const wireStructured = fc
    .record({
      method: fc.constantFrom("GET", "POST", "DELETE", "PUT", "get", "CONNECT"),
      target: fc.oneof(
        fc.constantFrom("/keypair/device-id?api-version=2020-09-01", "/sign?api-version=2021-05-01", "*", "http://x/", "/%", "/a b"),
        fc.string({ maxLength: 20 }).map((s) => `/${s}`),
      ),
      version: fc.constantFrom("1.1", "1.0", "2.0", "1.9"),
      headers: fc.array(headerArb, { maxLength: 4 }),
      body: fc.uint8Array({ maxLength: 40 }),
    })
    .map((r) => {
      const head = `${r.method} ${r.target} HTTP/${r.version}\r\n${r.headers.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n`;
      return new Uint8Array(Buffer.concat([Buffer.from(head, "latin1"), r.body]));
    });
  const limits = { maxHeadBytes: 16 * 1024, maxBodyBytes: 64 * 1024 };
  targets.push({
    name: "svc-socket-wire",
    arb: fc.record({
      uid: fc.constantFrom(ROOT, APP, STRANGER),
      bytes: fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom(...wireSeeds) },
        { weight: 5, arbitrary: mutatedArb(wireSeeds) },
        { weight: 4, arbitrary: wireStructured },
        { weight: 2, arbitrary: wireStructured.chain((b) => mutatedArb([b, ...wireSeeds])) },
      ),
      splits: fc.array(fc.nat({ max: 400 }), { maxLength: 4 }),
    }),
    run: async (q: { uid: number; bytes: Uint8Array; splits: number[] }) => {
      await restoreFixtures();
      logLines.length = 0;
      const parser = new RequestParser(limits);
      const cuts = [...new Set(q.splits.map((s) => s % (q.bytes.length + 1)))].sort((a, b) => a - b);
      const answers: string[] = [];
      let from = 0;
      let closed = false;
      // The server reads a request, answers it, then parses the next (pipelining), until the parser fails or a request closes the connection.
      for (const cut of [...cuts, q.bytes.length]) {
        parser.push(q.bytes.subarray(from, cut));
        from = cut;
        while (!closed) {
          const step = parser.next();
          if (step.kind === "more") break;
          if (step.kind === "error") {
            answers.push(`${step.status}`);
            closed = true;
            break;
          }
          const out = await answerRequest(step.request, { uid: q.uid, gid: q.uid, pid: 1 }, apps.keys, { name: "keys", log });
          answers.push(out.bytes.subarray(0, 12).toString("latin1"));
          if (!out.keepAlive) closed = true;
        }
      }
      return { answers, logs: [...logLines] };
    },
    callMs: 1000,
    ciRuns: 800,
    check: (_q, r: { answers: string[]; logs: string[] }) => {
      for (const s of r.answers) if (/\b500\b/.test(s)) throw new Error(`answered ${s} | log: ${r.logs.join(" ").slice(0, 600)}`);
      const seen = r.logs.join("\n");
      for (const s of secrets) if (seen.includes(s)) throw new Error(`planted secret ${s.slice(0, 6)}… in a log line`);
    },
    secrets,
  });

  const answerStatus = (r: any) => (r.a.unrepresentable ? 0 : r.a.status);
  /** The socket's first answer: "HTTP/1.1 403 …" or the parser's bare status. */
  const wireStatus = (r: any) => Number(/(?:^| )(\d{3})/.exec(r.answers[0] ?? "")?.[1] ?? 0);
  return targets.map((t) =>
    countRefusals(t as Target<unknown> & { check(i: unknown, r: any): void }, t.name, t.name === "svc-socket-wire" ? wireStatus : answerStatus),
  );
}
