// One test per fuzzing finding, built from its cause rather than replayed
// bytes, so each still says what it guards if the generators change.
import { afterAll, describe, expect, test } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/config/errors.ts";
import { loadConfig } from "../../src/config/load.ts";
import { ControllerCertsError, MAX_CONTROLLER_CERT_ENTRIES, verifyControllerCerts } from "../../src/controller/certs.ts";
import { normalizeUuid } from "../../src/controller/index.ts";
import { KeylimeError } from "../../src/keylime/index.ts";
import { createPullApp } from "../../src/keylime/pull/app.ts";
import { Evidence } from "../../src/keylime/pull/evidence.ts";
import { PullService } from "../../src/keylime/pull/service.ts";
import { PushAttester } from "../../src/keylime/push/attester.ts";
import type { VerifierHttp } from "../../src/keylime/push/http.ts";
import { RegistrarClient } from "../../src/keylime/registrar.ts";
import { readPersistedUuid } from "../../src/onboarding/persist.ts";
import { MAX_INTERMEDIATES } from "../../src/pki/index.ts";
import { codec, ProtocolError, ZCertType } from "../../src/protocol/index.ts";
import { CertService, CertStore } from "../../src/services/certs/service.ts";
import { buildApp } from "../../src/services/http/routes.ts";
import { startLocalServer } from "../../src/services/http/server.ts";
import { keysApi } from "../../src/services/keys/api.ts";
import { FileKeyBackend } from "../../src/services/keys/file-backend.ts";
import { HandleAuthority } from "../../src/services/keys/handles.ts";
import { KeyService } from "../../src/services/keys/store.ts";
import { SymmetricKeys } from "../../src/services/keys/symmetric.ts";
import { Principals } from "../../src/services/principals.ts";
import { errorChain, silentLogger } from "../../src/shared/index.ts";
import type { DeviceLayout } from "../../src/state/index.ts";
import { fixtureHex } from "./gen.ts";
import { makeFuzzPki } from "./pki.ts";

const pki = await makeFuzzPki();
const tmp = mkdtempSync(join(tmpdir(), "edge-agent-findings-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const enc = (s: string) => new TextEncoder().encode(s);
const now = { now: new Date(), requireEcdh: true };

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "accepted";
  } catch (e) {
    return (e as ControllerCertsError).kind;
  }
}

describe("finding 1: /certs parsed every certificate before counting them", () => {
  test("an answer with more intermediates than path building considers is refused as too many", async () => {
    const raw = codec.ZControllerCert.encode({
      certs: [
        { type: ZCertType.CERT_TYPE_CONTROLLER_INTERMEDIATE, cert: enc(pki.intermediate.pem.repeat(MAX_INTERMEDIATES + 1)) },
        { type: ZCertType.CERT_TYPE_CONTROLLER_SIGNING, cert: enc(pki.signing.pem) },
        { type: ZCertType.CERT_TYPE_CONTROLLER_ECDH_EXCHANGE, cert: enc(pki.ecdh.pem) },
      ],
    });
    expect(await kindOf(verifyControllerCerts(raw, pki.roots, now))).toBe("certs.too-many");
  });

  test("an answer with more entries than a controller sends is refused as too many", async () => {
    const entry = { type: ZCertType.CERT_TYPE_CONTROLLER_ECDH_EXCHANGE, cert: enc(pki.ecdh.pem) };
    const raw = codec.ZControllerCert.encode({
      certs: [{ type: ZCertType.CERT_TYPE_CONTROLLER_SIGNING, cert: enc(pki.signing.pem) }, ...Array(MAX_CONTROLLER_CERT_ENTRIES).fill(entry)],
    });
    expect(await kindOf(verifyControllerCerts(raw, pki.roots, now))).toBe("certs.too-many");
  });

  test("the limits leave a real set with its intermediate trusted", async () => {
    const raw = codec.ZControllerCert.encode({
      certs: [
        { type: ZCertType.CERT_TYPE_CONTROLLER_INTERMEDIATE, cert: enc(pki.intermediate.pem.repeat(MAX_INTERMEDIATES)) },
        { type: ZCertType.CERT_TYPE_CONTROLLER_SIGNING, cert: enc(pki.signingOdd.pem + pki.rogueLeaf.pem) },
        { type: ZCertType.CERT_TYPE_CONTROLLER_ECDH_EXCHANGE, cert: enc(pki.ecdhOdd.pem) },
      ],
    });
    const certs = await verifyControllerCerts(raw, pki.roots, now);
    expect(certs.signing.cert.subject).toContain("controller signing long-name");
  });
});

describe("finding 2: repeated empty entries decoded to objects hundreds of times their size", () => {
  const emptyEntries = (n: number) => new Uint8Array(n * 2).map((_, i) => (i % 2 === 0 ? 0x0a : 0x00));

  test("a body with more fields than maxElements is refused before decoding", () => {
    expect(() => codec.ZControllerCert.decode(emptyEntries(5000), { maxElements: 4096 })).toThrow(ProtocolError);
    try {
      codec.ZControllerCert.decode(emptyEntries(5000), { maxElements: 4096 });
    } catch (e) {
      expect((e as ProtocolError).kind).toBe("protocol.too-large");
    }
  });

  test("fields inside nested messages count too", () => {
    // One ZCert holding 5000 empty metadata items: one top-level field, 5001 in all.
    const raw = codec.ZControllerCert.encode({ certs: [{ meta_data_items: Array(5000).fill({}) }] });
    expect(() => codec.ZControllerCert.decode(raw, { maxElements: 4096 })).toThrow(ProtocolError);
    expect(codec.ZControllerCert.decode(raw, { maxElements: 6000 }).certs[0]!.meta_data_items.length).toBe(5000);
  });

  test("the count leaves real messages alone, including the golden /certs answer", () => {
    const golden = fixtureHex("zcontrollercert");
    expect(codec.ZControllerCert.decode(golden, { maxElements: 4096 })).toEqual(codec.ZControllerCert.decode(golden));
  });

  test("/certs refuses the 2-million-entry answer as a decode error naming the limit", async () => {
    const err = await verifyControllerCerts(emptyEntries(2_000_000), pki.roots, now).catch((e) => e);
    expect(err).toBeInstanceOf(ControllerCertsError);
    expect(err.kind).toBe("certs.decode");
    expect(err.cause.kind).toBe("protocol.too-large");
  });
});

describe("finding 3: a registrar answer that is JSON but not an object threw a TypeError", () => {
  const client = (status: number, body: string) =>
    new RegistrarClient("http://registrar.invalid", { fetch: (async () => new Response(body, { status })) as unknown as typeof fetch });

  for (const body of ["null", "[]", "7", '"text"']) {
    test(`200 with ${body} is a keylime.protocol error on every call`, async () => {
      for (const call of [(c: RegistrarClient) => c.negotiate(), (c: RegistrarClient) => c.activate("2.6", "u", "t")]) {
        const err = await call(client(200, body)).catch((e) => e);
        expect(err).toBeInstanceOf(KeylimeError);
        expect(err.kind).toBe("keylime.protocol");
      }
    });
  }

  test("an error status with a null body still reports the status", async () => {
    const err = await client(500, "null")
      .negotiate()
      .catch((e) => e);
    expect(err).toBeInstanceOf(KeylimeError);
    expect(err.kind).toBe("keylime.unreachable");
  });
});

describe("finding 4: a NUL in a header value left a services request unanswered", () => {
  test("the socket answers 400 and the next connection is served", async () => {
    const socket = join(tmp, "svc", "keys.sock");
    const server = startLocalServer({
      name: "keys",
      socket,
      mode: 0o600,
      limits: { maxRequestsPerUid: 4, maxBodyBytes: 1024, readTimeoutMs: 5000, maxConnections: 8, maxHeadBytes: 4096 },
      fetch: async () => new Response('{"ok":true}', { headers: { "Content-Type": "application/json" } }),
      log: silentLogger,
    });
    const ask = async (bytes: string): Promise<string> => {
      const got: Buffer[] = [];
      const { promise, resolve } = Promise.withResolvers<void>();
      await Bun.connect({ unix: socket, socket: { data: (_s, d) => void got.push(Buffer.from(d)), close: () => resolve(), error: () => resolve() } }).then(
        (c) => c.write(bytes),
      );
      // Before the fix nothing came back: the connection stayed open until this gave up.
      await Promise.race([promise, Bun.sleep(10_000)]);
      return Buffer.concat(got).toString("latin1");
    };
    try {
      const bad = await ask("GET /keypair/device-id?api-version=2020-09-01 HTTP/1.1\r\nX-Trace: a\u0000b\r\nConnection: close\r\n\r\n");
      expect(bad).toStartWith("HTTP/1.1 400 ");
      expect(bad).toContain('"message"');
      const good = await ask("GET /keypair/device-id?api-version=2020-09-01 HTTP/1.1\r\nConnection: close\r\n\r\n");
      expect(good).toStartWith("HTTP/1.1 200 ");
    } finally {
      server.stop();
    }
  });
});

describe("finding 5: a push session answer with a far-off evaluation time threw a RangeError", () => {
  const fixture = (n: string) => JSON.parse(readFileSync(join(import.meta.dir, "..", "fixtures", "keylime", "push", `${n}.json`), "utf8")).resp_body;
  async function session(receivedAt: string, expiresAt: string) {
    const created = fixture("00-session-create");
    const pass = fixture("02-session-pop-pass");
    created.data.id = pass.data.id;
    pass.data.attributes.response_received_at = receivedAt;
    pass.data.attributes.token_expires_at = expiresAt;
    const answers = [
      { status: 200, body: created },
      { status: 200, body: pass },
      { status: 201, body: fixture("03-attestation-capabilities"), location: `/v3.0/agents/${created.data.attributes.agent_id}/attestations/0` },
      { status: 202, body: fixture("04-attestation-evidence") },
    ];
    const http = {
      base: new URL("https://verifier.example:8881"),
      async send() {
        const a = answers.shift()!;
        return { status: a.status, headers: a.location ? { location: a.location } : {}, body: new TextEncoder().encode(JSON.stringify(a.body)) };
      },
    } as unknown as VerifierHttp;
    const cap = fixture("03-attestation-capabilities").data.attributes.evidence_requested[0].chosen_parameters.certification_key;
    const attester = new PushAttester({
      agentId: created.data.attributes.agent_id,
      http,
      tpm: {
        certifyAk: async () => ({ message: new Uint8Array(1), signature: new Uint8Array(1) }),
        quote: async () => ({ message: new Uint8Array(1), signature: new Uint8Array(1), subjectData: new Uint8Array(1) }),
      },
      ak: {
        keyAlgorithm: "rsa",
        keySize: 2048,
        name: Buffer.from(cap.local_identifier, "hex"),
        publicArea: new Uint8Array(1),
        hashAlgorithm: "sha256",
        signatureScheme: "rsassa",
      },
      evidence: { uefiLog: async () => undefined, bootTime: () => new Date(0) },
      retry: { initialMs: 1000, maxMs: 60_000 },
      log: silentLogger,
      now: () => Date.parse("2026-11-29T20:35:18Z"),
    });
    // One attestation cycle, as run() makes it each time round.
    await (Reflect.get(attester, "cycle") as (s: AbortSignal) => Promise<number>).call(attester, new AbortController().signal);
    return attester.snapshot();
  }

  test("an evaluation time in year -271821 gives a token lifetime of at most 7 days, not an Invalid Date", async () => {
    const s = await session("-271821-04-20T00:00:00Z", "2026-11-29T20:36:16Z");
    expect(s.lastSession).toBe("pass");
    expect(Date.parse(s.tokenExpiresAt!) - Date.parse("2026-11-29T20:35:18Z")).toBe(7 * 86_400_000);
  });

  test("an ordinary lifetime is kept as the verifier gave it", async () => {
    const s = await session("2026-11-29T20:35:18Z", "2026-11-29T20:38:18Z");
    expect(s.tokenExpiresAt).toBe("2026-11-29T20:38:18.000Z");
  });
});

describe("finding 6: an imported PEM was stored and served as given", () => {
  test("only the certificates are kept: no text around them, no private key pasted along", async () => {
    const dir = join(tmp, "certs");
    mkdirSync(dir);
    const store = new CertStore({ dir, preloaded: {}, device: { id: "device-id", path: join(dir, "device.pem") } });
    const certs = new CertService({ store, keys: {} as unknown as KeyService, principals: new Principals([], silentLogger), issuance: {}, log: silentLogger });
    const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const cert = pki.intermediate.pem;
    const stored = await certs.import({ uid: 0, gid: 0, pid: 1 }, "work", `pasted from a mail\n${cert}${key}`);
    expect(stored).toBe(cert);
    expect(certs.get("work")).toBe(cert);
    expect(readFileSync(join(dir, "work.pem"), "utf8")).not.toContain("PRIVATE KEY");
  });
});

describe("known weakness: normalizeUuid echoed its whole input in the error", () => {
  test("a 1 MB uuid file gives an error of a few hundred characters", () => {
    const dir = join(tmp, "uuid");
    mkdirSync(join(dir, "status"), { recursive: true });
    const layout = { persist: { uuid: join(dir, "status", "uuid") } } as unknown as DeviceLayout;
    writeFileSync(layout.persist.uuid, `\u001b]0;${"z".repeat(1_000_000)}`);
    let text = "";
    try {
      readPersistedUuid(layout);
    } catch (e) {
      text = errorChain(e);
    }
    expect(text).toContain("not a canonical UUID");
    expect(text.length).toBeLessThan(400);
    expect(text).not.toContain("\u001b");
  });

  test("a bad UUID from the controller is quoted short and printable", () => {
    expect(() => normalizeUuid("\u0000".repeat(100))).toThrow(`not a canonical UUID: "${"?".repeat(40)}"… (100 characters)`);
  });
});

describe("finding 7: ids named like Object.prototype's members were looked up in the configuration's tables", () => {
  const keys = new KeyService({
    deviceKeyId: "device-id",
    preloaded: { "ca-key": "file:///nonexistent" },
    openPreloaded: async () => {
      throw new Error("no preloaded key is opened here");
    },
    generated: [new FileKeyBackend(join(tmp, "proto-keys"))],
    symmetric: new SymmetricKeys(() => undefined),
    handles: HandleAuthority.ephemeral(),
    principals: new Principals([], silentLogger),
    log: silentLogger,
  });
  const app = buildApp(keysApi(keys), silentLogger);
  const call = (method: string, path: string, body?: unknown) =>
    app(
      new Request(`http://localhost${path}?api-version=2020-09-01`, {
        method,
        headers: { "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }),
      {
        uid: 0,
        gid: 0,
        pid: 1,
      },
    );

  test("key ids toString and constructor are ordinary ids: created, or not found, never a 500", async () => {
    expect((await call("POST", "/keypair", { keyId: "toString" })).status).toBe(200);
    expect((await call("GET", "/keypair/constructor")).status).toBe(404);
    expect((await call("GET", "/keypair/valueOf")).status).toBe(404);
  });

  test("certificate ids constructor and toString have no configured issuance", async () => {
    const dir = join(tmp, "proto-certs");
    const store = new CertStore({ dir, preloaded: {}, device: { id: "device-id", path: join(dir, "device.pem") } });
    const certs = new CertService({ store, keys, principals: new Principals([], silentLogger), issuance: {}, log: silentLogger });
    for (const id of ["constructor", "toString"]) {
      const err = await certs.issueConfigured(id).catch((e) => e);
      expect(err.message).toBe(`certificate ${id} has no [certs.issuance]`);
    }
  });

  test("identity_pk = key://toString is a configuration error, not a TypeError", () => {
    const file = join(tmp, "proto.toml");
    for (const line of ['identity_pk = "key://toString"', 'identity_pk = "key://constructor"']) {
      writeFileSync(file, `[identity]\n${line}\n`);
      const err = (() => {
        try {
          loadConfig({ file, env: {} });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ConfigError);
    }
  });
});

describe("finding 8: the Keylime pull app looked request paths up in a plain object", () => {
  test("/vX/constructor, /vX/__proto__ and /vX/toString are unknown interfaces (400), not a 500", async () => {
    const dir = mkdtempSync(join("/dev/shm", "edge-agent-findings-kl-"));
    try {
      const svc = new PullService({
        identity: { uuid: "d432fbb3-d2f1-4a97-9ef7-75bd81c00000" },
        quoter: {
          algorithms: { hash: "sha256", sign: "rsassa", enc: "rsa" },
          akHandle: 0x81000003,
          quote: async () => {
            throw new Error("no quote here");
          },
        },
        evidence: new Evidence({ log: silentLogger, bootTime: () => 1_700_000_000 }),
        payload: { dir, allowDiskBacked: false, runScript: false, scriptTimeoutMs: 1000, log: silentLogger },
        log: silentLogger,
      });
      const app = createPullApp(svc, { log: silentLogger });
      for (const name of ["constructor", "__proto__", "toString", "keys/constructor"]) {
        const res = await app.request(`/v2.6/${name}`);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { status: string }).status).toBe("Not Implemented: Use /agent, /keys, or /quotes interfaces");
      }
      expect((await app.request("/v2.6/keys/ukey")).status).toBe(405);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("finding 9: a byte after a controller certificate was ignored", () => {
  // The mutation that found it turned a PEM's final "==" into "9=": one byte after the DER, same TBS and signature.
  const withTrailing = (der: Uint8Array) =>
    `-----BEGIN CERTIFICATE-----\n${Buffer.concat([Buffer.from(der), Buffer.from([0x0f])])
      .toString("base64")
      .replace(/(.{64})/g, "$1\n")}\n-----END CERTIFICATE-----\n`;
  const set = (signing: string, intermediate?: string) =>
    codec.ZControllerCert.encode({
      certs: [
        ...(intermediate ? [{ type: ZCertType.CERT_TYPE_CONTROLLER_INTERMEDIATE, cert: enc(intermediate) }] : []),
        { type: ZCertType.CERT_TYPE_CONTROLLER_SIGNING, cert: enc(signing) },
        { type: ZCertType.CERT_TYPE_CONTROLLER_ECDH_EXCHANGE, cert: enc(pki.ecdh.pem) },
      ],
    });

  test("a signing certificate with bytes after it is refused as undecodable", async () => {
    expect(await kindOf(verifyControllerCerts(set(withTrailing(pki.signing.der)), pki.roots, now))).toBe("certs.decode");
  });

  test("an intermediate with bytes after it is refused as undecodable", async () => {
    expect(await kindOf(verifyControllerCerts(set(pki.signingOdd.pem, withTrailing(pki.intermediate.der)), pki.roots, now))).toBe("certs.decode");
  });

  test("the same certificates without the extra byte are accepted", async () => {
    const certs = await verifyControllerCerts(set(pki.signingOdd.pem, pki.intermediate.pem), pki.roots, now);
    expect(Buffer.from(certs.signing.cert.der).equals(Buffer.from(pki.signingOdd.der))).toBe(true);
  });
});
