/**
 * The push loop's behaviour where the real Keylime cannot be made to
 * misbehave on cue: a scripted verifier on 127.0.0.1 over real TLS answers
 * with the documents recorded from Keylime 7.14.3 (fresh challenges, ids and
 * tokens), plus the error answers its controllers define (429 and 503 with
 * and without Retry-After, 401 for an expired token, a body that is not
 * JSON:API), and checks every proof and quote the agent sends with node's
 * crypto against the AK. The TPM is a real swtpm behind the agent's
 * TpmManager. Asserted: the waits (Retry-After honoured, backoff growing,
 * seconds_to_next_attestation obeyed), re-authentication after a 401 and
 * before a known expiry, the typed error for a malformed answer, and a wire
 * dump that holds every exchange but never a token.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createPublicKey, randomBytes, randomUUID, verify } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { WireDump } from "../../../src/controller/index.ts";
import { decodePcrBlob, pcrDigest } from "../../../src/keylime/index.ts";
import { type KeylimePushStatus, PushAttester, pushTpm, VerifierHttp } from "../../../src/keylime/push/index.ts";
import { silentLogger, toHex } from "../../../src/shared/index.ts";
import { decodePublic, decodeQuoteAttest, publicKeyParts, type TpmManager } from "../../../src/tpm/index.ts";
import { decodeAll } from "../../../src/tpm/structures/wire.ts";
import { type ControllerPki, makeControllerPki } from "../../harness/pki.ts";
import { useSwtpm } from "../tpm/fixture.ts";

const fx = useSwtpm();
const FIX = join(import.meta.dir, "../../fixtures/keylime/push");
const recorded = (f: string) => JSON.parse(readFileSync(join(FIX, f), "utf8"));
const AGENT = "d432fbb3-d2f1-4a97-9ef7-75bd81c00001";

let pki: ControllerPki;
let tpm: TpmManager;
let dumpDir: string;

beforeAll(async () => {
  pki = await makeControllerPki({ hosts: ["127.0.0.1"] });
  tpm = await fx.openWithKeys();
  dumpDir = join(mkdtempSync(join(tmpdir(), "edge-agent-push-")), "wire");
});

afterAll(async () => {
  await tpm?.close();
  await pki?.cleanup();
  if (dumpDir) rmSync(join(dumpDir, ".."), { recursive: true, force: true });
});

interface Seen {
  at: number;
  method: string;
  path: string;
  auth?: string;
  status: number;
}

type Answer = { status: number; headers?: Record<string, string>; body?: unknown; raw?: string };

/**
 * Keylime's push verifier as far as the loop can tell: sessions with a
 * challenge, PoP checked (TPM2_Certify of the AK by itself over it),
 * attestations whose creation answers are scripted, evidence checked
 * (quote signature, challenge, PCR digest of the blob, the PCRs chosen).
 */
class ScriptedVerifier {
  readonly seen: Seen[] = [];
  readonly problems: string[] = [];
  /** Answers to POST …/attestations in order; when empty, a 201 asking for a quote of PCRs 0-7. */
  readonly creates: Answer[] = [];
  /** Session evaluations in order; when empty, "pass". */
  readonly evaluations: ("pass" | "fail")[] = [];
  /** Token lifetimes in order (ms); when empty, 180 s. */
  readonly lifetimes: number[] = [];
  tokens: string[] = [];
  /** Tokens the verifier no longer accepts, as after its session_lifetime ran out. */
  readonly expired = new Set<string>();
  /** Expire the token in use right after this many accepted quotes. */
  expireAfterQuotes = 1;
  quotesVerified = 0;
  private server: ReturnType<typeof Bun.serve> | undefined;
  private sessions = new Map<string, Uint8Array>();
  private attestations = new Map<number, Uint8Array>();
  private index = 0;

  constructor(private readonly akPublicArea: Uint8Array) {}

  start(): string {
    this.server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: { cert: pki.server.chainPem, key: pki.server.keyPem },
      fetch: async (req) => {
        const url = new URL(req.url);
        const body = req.method === "GET" ? undefined : await req.json().catch(() => undefined);
        const a = this.route(
          req.method,
          url.pathname,
          body as Record<string, any>,
          req.headers.get("authorization") ?? undefined,
          req.headers.get("content-type"),
        );
        this.seen.push({
          at: performance.now(),
          method: req.method,
          path: url.pathname,
          ...(req.headers.get("authorization") ? { auth: req.headers.get("authorization")! } : {}),
          status: a.status,
        });
        const headers = { "content-type": "application/json", ...a.headers };
        return new Response(a.raw ?? (a.body === undefined ? "" : JSON.stringify(a.body)), { status: a.status, headers });
      },
    });
    return `https://127.0.0.1:${this.server.port}`;
  }

  stop(): void {
    this.server?.stop(true);
  }

  private problem(p: string): Answer {
    this.problems.push(p);
    return { status: 400, body: { errors: [{ status: "400", detail: p }] } };
  }

  private route(method: string, path: string, body: Record<string, any>, auth: string | undefined, type: string | null): Answer {
    if (type !== "application/vnd.api+json") return this.problem(`content-type ${type}`);
    const attest = /^\/v3\.0\/agents\/([^/]+)\/attestations(?:\/(\d+))?$/.exec(path);
    if (method === "POST" && path === "/v3.0/sessions") return this.createSession(body);
    if (method === "PATCH" && path.startsWith("/v3.0/sessions/")) return this.proveSession(path.slice("/v3.0/sessions/".length), body);
    if (attest && attest[1] !== AGENT) return this.problem(`attestation for ${attest[1]}`);
    if (attest && !this.tokens.length) return this.problem("attestation before any session");
    if (method === "POST" && attest && !attest[2]) {
      const token = auth?.replace(/^Bearer /, "");
      if (token === undefined || this.expired.has(token) || token !== this.tokens.at(-1))
        return { status: 401, body: { errors: [{ status: "401", detail: "Invalid authentication token" }] } };
      return this.createAttestation(body);
    }
    if (method === "PATCH" && attest && attest[2]) {
      if (auth !== `Bearer ${this.tokens.at(-1)}`) return this.problem("evidence with a stale token");
      return this.evidence(Number(attest[2]), body);
    }
    return this.problem(`unexpected ${method} ${path}`);
  }

  private createSession(body: Record<string, any>): Answer {
    const expected = recorded("00-session-create.json").req_body;
    if (JSON.stringify(body) !== JSON.stringify({ ...expected, data: { ...expected.data, attributes: { ...expected.data.attributes, agent_id: AGENT } } }))
      return this.problem("session request differs from the rust agent's");
    const id = randomUUID();
    const challenge = new Uint8Array(randomBytes(16));
    this.sessions.set(id, challenge);
    const answer = structuredClone(recorded("00-session-create.json").resp_body);
    answer.data.id = id;
    answer.data.attributes.authentication_requested[0].chosen_parameters.challenge = Buffer.from(challenge).toString("base64");
    return { status: 200, body: answer };
  }

  private proveSession(id: string, body: Record<string, any>): Answer {
    const challenge = this.sessions.get(id);
    if (!challenge) return { status: 404, body: { errors: [{ status: "404", detail: "Session not found" }] } };
    this.sessions.delete(id);
    const proof = body?.data?.attributes?.authentication_provided?.[0]?.data;
    const message = Buffer.from(proof?.message ?? "", "base64");
    const signature = Buffer.from(proof?.signature ?? "", "base64");
    if (!this.akSigned(message, signature)) return this.problem("PoP signature does not verify with the AK");
    const c = decodeAll(new Uint8Array(message), "TPMS_ATTEST", (r) => {
      const head = { magic: r.u32(), type: r.u16(), signer: r.tpm2b(), extra: r.tpm2b() };
      r.bytes(8 + 4 + 4 + 1 + 8);
      return { ...head, name: r.tpm2b(), qualifiedName: r.tpm2b() };
    });
    if (c.type !== 0x8017) return this.problem("PoP is not a TPM2_Certify");
    if (toHex(c.extra) !== toHex(challenge)) return this.problem("PoP over another challenge");
    if (toHex(c.name) !== "000b" + toHex(sha256(this.akPublicArea))) return this.problem("PoP certifies another object than the AK");
    const evaluation = this.evaluations.shift() ?? "pass";
    const answer = structuredClone(recorded(evaluation === "pass" ? "02-session-pop-pass.json" : "01-session-pop-fail.json").resp_body);
    answer.data.id = id;
    if (evaluation === "pass") {
      const token = `${id}.${randomBytes(32).toString("base64url")}`;
      this.tokens.push(token);
      answer.data.attributes.token = token;
      answer.data.attributes.response_received_at = new Date().toISOString();
      answer.data.attributes.token_expires_at = new Date(Date.now() + (this.lifetimes.shift() ?? 180_000)).toISOString();
    }
    return { status: 200, body: answer };
  }

  private createAttestation(body: Record<string, any>): Answer {
    const quoteCaps = body?.data?.attributes?.evidence_supported?.[0];
    if (quoteCaps?.evidence_type !== "tpm_quote") return this.problem("no tpm_quote capabilities");
    const key = quoteCaps.capabilities.certification_keys[0];
    if (key.public !== Buffer.from(this.akPublicArea).toString("base64")) return this.problem("capabilities name another AK");
    const scripted = this.creates.shift();
    if (scripted) return scripted;
    const n = this.index++;
    const challenge = new Uint8Array(randomBytes(16));
    this.attestations.set(n, challenge);
    const rec = recorded("03-attestation-capabilities.json");
    const answer = structuredClone(rec.resp_body);
    answer.data.attributes.evidence_requested[0].chosen_parameters.challenge = Buffer.from(challenge).toString("base64");
    answer.data.attributes.evidence_requested[0].chosen_parameters.certification_key = key;
    answer.data.links.self = `/v3.0/agents/${AGENT}/attestations/${n}`;
    return { status: 201, headers: { location: `/v3.0/agents/${AGENT}/attestations/${n}` }, body: answer };
  }

  private evidence(n: number, body: Record<string, any>): Answer {
    const challenge = this.attestations.get(n);
    if (!challenge) return { status: 404, body: { errors: [{ status: "404" }] } };
    this.attestations.delete(n);
    const q = body?.data?.attributes?.evidence_collected?.[0]?.data;
    const message = new Uint8Array(Buffer.from(q?.message ?? "", "base64"));
    if (!this.akSigned(Buffer.from(message), Buffer.from(q?.signature ?? "", "base64"))) return this.problem("quote signature does not verify with the AK");
    const attest = decodeQuoteAttest(message);
    if (toHex(attest.extraData) !== toHex(challenge)) return this.problem("quote over another challenge");
    const bank = decodePcrBlob(new Uint8Array(Buffer.from(q.subject_data, "base64")));
    if (toHex(pcrDigest(bank)) !== toHex(attest.pcrDigest)) return this.problem("PCR blob does not hash to the quote's digest");
    if ([...bank.values.keys()].join(",") !== "0,1,2,3,4,5,6,7") return this.problem(`quoted PCRs ${[...bank.values.keys()]}`);
    this.quotesVerified++;
    if (this.quotesVerified === this.expireAfterQuotes) this.expired.add(this.tokens.at(-1)!);
    const answer = structuredClone(recorded("04-attestation-evidence.json").resp_body);
    answer.meta.seconds_to_next_attestation = 1;
    return { status: 202, body: answer };
  }

  private akSigned(message: Uint8Array, signature: Uint8Array): boolean {
    const sized = Buffer.concat([Buffer.from([this.akPublicArea.length >> 8, this.akPublicArea.length & 0xff]), this.akPublicArea]);
    const parts = publicKeyParts(decodePublic(new Uint8Array(sized)));
    if (parts.kind !== "rsa" || toHex(signature.subarray(0, 4)) !== "0014000b") return false;
    const key = createPublicKey({ key: { kty: "RSA", n: Buffer.from(parts.modulus).toString("base64url"), e: "AQAB" }, format: "jwk" });
    return verify("sha256", message, key, signature.subarray(6));
  }
}

describe("push loop against a scripted verifier", () => {
  test("honours Retry-After and seconds_to_next_attestation, backs off, re-authenticates, refuses malformed answers, dumps no token", async () => {
    const { tpm: port, ak } = pushTpm(tpm, "aik");
    const v = new ScriptedVerifier(ak.publicArea);
    const base = v.start();
    try {
      // The script, in the order the loop meets it.
      v.evaluations.push("fail"); // not enrolled yet: backoff, then a new session passes
      v.lifetimes.push(180_000, 6_000); // after the 401 the second token lives 6 s: renewed a quarter of that before it ends
      v.creates.push(
        {
          status: 429,
          headers: { "retry-after": "2" },
          body: { errors: [{ status: "429", code: "premature_attestation", detail: "Wait 2 seconds before trying again." }] },
        },
        { status: 503, body: { errors: [{ status: "503", detail: "busy" }] } },
        { status: 503, body: { errors: [{ status: "503", detail: "busy" }] } },
        { status: 201, raw: "<html>proxy error</html>" },
      );
      const statuses: KeylimePushStatus[] = [];
      const wireDump = new WireDump(dumpDir, { maxBytes: 16 * 1024 * 1024, log: silentLogger });
      const attester = new PushAttester({
        agentId: AGENT,
        http: new VerifierHttp({ baseUrl: new URL(base), ca: pki.trustPem, wireDump }),
        tpm: port,
        ak,
        evidence: { uefiLog: async () => undefined, bootTime: () => new Date("2026-11-29T20:04:06Z") },
        retry: { initialMs: 500, maxMs: 4000, minMs: 100 },
        tokenRenewMarginMs: 15_000,
        log: silentLogger,
        onStatus: (s) => statuses.push(s),
      });
      const stop = new AbortController();
      const running = attester.run(stop.signal);
      const deadline = Date.now() + 60_000;
      // Evidence with the first token, a 401, evidence with the short-lived second token, a renewal, evidence with the third.
      const usedThird = () => v.tokens.length >= 3 && v.seen.some((s) => s.status === 202 && s.auth === `Bearer ${v.tokens[2]}`);
      while (!usedThird() && Date.now() < deadline && v.problems.length === 0) await Bun.sleep(50);
      stop.abort();
      await running;

      expect(v.problems).toEqual([]);
      expect(usedThird()).toBe(true);

      const creates = v.seen.filter((s) => s.method === "POST" && s.path.endsWith("/attestations"));
      const gap = (i: number) => creates[i + 1]!.at - creates[i]!.at;
      expect(creates.slice(0, 5).map((s) => s.status)).toEqual([429, 503, 503, 201, 201]);
      // Retry-After: 2 is honoured (plus at most 10% spread), never shortened.
      expect(gap(0)).toBeGreaterThanOrEqual(2000);
      // Without Retry-After the backoff grows from initialMs (±20%): the session failure took the first step.
      expect(gap(1)).toBeGreaterThanOrEqual(0.8 * 1000);
      expect(gap(2)).toBeGreaterThanOrEqual(0.8 * 2000);

      // seconds_to_next_attestation (1 s) is waited after each accepted evidence.
      const accepted = v.seen.filter((s) => s.method === "PATCH" && s.path.includes("/attestations/") && s.status === 202);
      expect(accepted.length).toBe(v.quotesVerified);
      expect(accepted.length).toBeGreaterThanOrEqual(3);
      for (const e of accepted.slice(0, -1)) {
        const next = v.seen.find((s) => s.at > e.at && s.method === "POST");
        expect(next!.at - e.at).toBeGreaterThanOrEqual(1000);
      }

      // Sessions: fail, pass; the token is dropped on 401 with a new session at once; the short-lived one renewed before use.
      const sessionPatches = v.seen.filter((s) => s.method === "PATCH" && s.path.startsWith("/v3.0/sessions/"));
      expect(sessionPatches.length).toBe(4);
      expect(v.tokens.length).toBe(3);
      const tokenOf = (s: Seen) => s.auth?.replace(/^Bearer /, "");
      // The verifier expired the first token after the first evidence: one 401, then a new session at once.
      const unauthorized = v.seen.filter((s) => s.status === 401);
      expect(unauthorized.length).toBe(1);
      expect(tokenOf(unauthorized[0]!)).toBe(v.tokens[0]);
      const afterRefusal = v.seen[v.seen.indexOf(unauthorized[0]!) + 1]!;
      expect(`${afterRefusal.method} ${afterRefusal.path}`).toBe("POST /v3.0/sessions");
      // The second token was replaced before its known expiry: its successor came without a 401, and no request used it late.
      expect(tokenOf(accepted[1]!)).toBe(v.tokens[1]);
      expect(tokenOf(accepted.at(-1)!)).toBe(v.tokens[2]);
      const secondIssued = sessionPatches[2]!.at;
      for (const s of v.seen.filter((s) => tokenOf(s) === v.tokens[1])) expect(s.at - secondIssued).toBeLessThan(6_000);

      // The malformed 201 surfaced as a typed error in the status; the counts add up.
      expect(statuses.some((s) => s.lastError?.kind === "keylime.push.malformed")).toBe(true);
      expect(statuses.some((s) => s.lastError?.kind === "keylime.push.auth-failed")).toBe(true);
      const final = attester.snapshot();
      expect(final).toMatchObject({
        state: "stopped",
        sessions: 3,
        sessionsFailed: 1,
        evidenceSubmitted: accepted.length,
        evidenceRejected: 0,
        lastPcrs: [0, 1, 2, 3, 4, 5, 6, 7],
      });
      expect(final.lastError).toBeUndefined();

      // Every exchange is in the dump as NNNN-keylime-<endpoint>, tokens redacted everywhere.
      const files = readdirSync(dumpDir).sort();
      expect(files.filter((f) => f.endsWith(".json")).length).toBe(v.seen.length);
      for (const ep of ["sessions", "sessions-pop", "attestations", "attestations-evidence"])
        expect(files.some((f) => new RegExp(`^\\d{4}-keylime-${ep}\\.json$`).test(f))).toBe(true);
      const all = files.map((f) => readFileSync(join(dumpDir, f), "utf8")).join("\n");
      for (const t of v.tokens) {
        expect(all.includes(t)).toBe(false);
        expect(all.includes(t.split(".")[1]!)).toBe(false);
      }
      const meta = JSON.parse(readFileSync(join(dumpDir, files.find((f) => /keylime-attestations-evidence\.json$/.test(f))!), "utf8"));
      expect(meta).toMatchObject({ method: "PATCH", status: 202 });
      expect(meta.url).toMatch(new RegExp(`/v3\\.0/agents/${AGENT}/attestations/\\d+$`));
      expect(meta.requestHeaders.Authorization).toBe("Bearer [redacted]");
    } finally {
      v.stop();
    }
  }, 90_000);

  test("a verifier whose certificate does not chain to verifierCa gets nothing: the loop reports an untrusted certificate and backs off", async () => {
    const { tpm: port, ak } = pushTpm(tpm, "aik");
    const v = new ScriptedVerifier(ak.publicArea);
    const base = v.start();
    try {
      const statuses: KeylimePushStatus[] = [];
      const attester = new PushAttester({
        agentId: AGENT,
        // Trusting only a leaf of the same PKI: not the CA that issued the verifier's certificate.
        http: new VerifierHttp({ baseUrl: new URL(base), ca: pki.signing.certPem }),
        tpm: port,
        ak,
        evidence: { uefiLog: async () => undefined, bootTime: () => new Date() },
        retry: { initialMs: 300, maxMs: 1000, minMs: 100 },
        log: silentLogger,
        onStatus: (s) => statuses.push(s),
      });
      const stop = new AbortController();
      const running = attester.run(stop.signal);
      const deadline = Date.now() + 30_000;
      while (statuses.filter((s) => s.state === "retrying").length < 2 && Date.now() < deadline) await Bun.sleep(50);
      stop.abort();
      await running;
      expect(v.seen).toEqual([]);
      const err = statuses.find((s) => s.lastError)?.lastError;
      expect(err?.kind).toBe("keylime.push.transport");
      expect(err?.message).toMatch(/not trusted/);
      expect(attester.snapshot()).toMatchObject({ sessions: 0, attestationsCreated: 0, evidenceSubmitted: 0, state: "stopped" });
    } finally {
      v.stop();
    }
  }, 60_000);
});
