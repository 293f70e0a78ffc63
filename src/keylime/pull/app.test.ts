import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WireDump } from "../../controller/index.ts";
import { silentLogger } from "../../shared/index.ts";
import { createPullApp, MAX_UKEY_BODY, MAX_VKEY_BODY } from "./app.ts";
import { Evidence } from "./evidence.ts";
import { DELIVERY_SUBDIR, PAYLOAD_FILE } from "./payload.ts";
import type { PullQuoter, QuoteRequest } from "./ports.ts";
import { PullService } from "./service.ts";
import type { PullStatus } from "./status.ts";
import { opensslHmacSha384, tenantVectors } from "./vectors.testkit.ts";

/**
 * The routes as the tenant and verifier call them, through Hono's
 * app.request. Quotes that reach the TPM are tested on swtpm in
 * test/integration/keylime/pull-routes.test.ts; here the quoter only counts
 * calls (every refusal must come before the TPM) or fails on purpose.
 */
const UUID = "d432fbb3-d2f1-4a97-9ef7-75bd81c00000";
const NONCE = "FcypeUIYfkDns9BP10Yp";
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

class CountingQuoter implements PullQuoter {
  readonly algorithms = { hash: "sha256", sign: "rsassa", enc: "rsa" } as const;
  readonly akHandle = 0x81000003;
  calls: QuoteRequest[] = [];
  constructor(private readonly failWith?: Error) {}
  async quote(req: QuoteRequest): Promise<string> {
    this.calls.push(req);
    throw this.failWith ?? new Error("no TPM in this unit test");
  }
}

function rig(failWith?: Error, dump?: WireDump) {
  const dir = mkdtempSync(join("/dev/shm", "edge-agent-kl-app-"));
  dirs.push(dir);
  const quoter = new CountingQuoter(failWith);
  const statuses: PullStatus[] = [];
  const svc = new PullService({
    identity: { uuid: UUID },
    quoter,
    evidence: new Evidence({ log: silentLogger, bootTime: () => 1_700_000_000 }),
    payload: { dir, allowDiskBacked: false, runScript: false, scriptTimeoutMs: 1000, log: silentLogger },
    log: silentLogger,
    onStatus: (s) => statuses.push(s),
  });
  const app = createPullApp(svc, { log: silentLogger, ...(dump ? { dump } : {}) });
  const get = (path: string) => app.request(path);
  const post = (path: string, body: unknown, headers: Record<string, string> = { "Content-Type": "application/json" }) =>
    app.request(path, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { svc, app, quoter, statuses, dir, get, post };
}

async function json(res: Response) {
  return (await res.json()) as { code: number; status: string; results: Record<string, unknown> | null };
}

describe("GET /version and API versions", () => {
  test("offers 2.0 to 2.6 with 2.6 as the supported version", async () => {
    const r = rig();
    const res = await r.get("/version");
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      code: 200,
      status: "Success",
      results: { supported_version: "2.6", supported_versions: ["2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"] },
    });
  });

  test.each(["2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"])("answers v%s with that version", async (v) => {
    const r = rig();
    const res = await r.get(`/v${v}/keys/pubkey`);
    expect(res.status).toBe(200);
    expect((await json(res)).results).toEqual({ pubkey: r.svc.transport.publicPem });
  });

  test.each(["v1.0", "v3.0", "v9.9", "v2.7", "v2", "latest"])("refuses %s with the text the verifier renegotiates on", async (v) => {
    const r = rig();
    const res = await r.get(`/${v}/quotes/identity?nonce=${NONCE}`);
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ code: 400, status: "API version not supported", results: {} });
    expect(r.quoter.calls).toHaveLength(0);
  });

  test("agent/info exists from 2.2 on and names the EK algorithm per version", async () => {
    const r = rig();
    expect((await r.get("/v2.1/agent/info")).status).toBe(400);
    expect((await json(await r.get("/v2.4/agent/info"))).results).toEqual({
      agent_uuid: UUID,
      tpm_hash_alg: "sha256",
      tpm_enc_alg: "rsa",
      tpm_sign_alg: "rsassa",
      ak_handle: 0x81000003,
    });
    expect((await json(await r.get("/v2.6/agent/info"))).results).toMatchObject({ tpm_enc_alg: "rsa2048" });
  });

  test("unknown interfaces and wrong methods are refused in Keylime's shape", async () => {
    const r = rig();
    expect(await json(await r.get("/v2.6/foo"))).toEqual({ code: 400, status: "Not Implemented: Use /agent, /keys, or /quotes interfaces", results: {} });
    const del = await r.app.request("/v2.6/quotes/integrity", { method: "DELETE" });
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")).toBe("GET");
    expect((await r.post("/v2.6/quotes/identity", {})).status).toBe(405);
    expect((await r.get("/v2.6/keys/ukey")).status).toBe(405);
  });
});

describe("quotes: refusals come before the TPM", () => {
  test.each([
    ["no nonce", "/v2.6/quotes/identity"],
    ["a short nonce", "/v2.6/quotes/identity?nonce=abc"],
    ["a nonce with a symbol", `/v2.6/quotes/identity?nonce=${NONCE.slice(1)}%2B`],
    ["a long nonce", `/v2.6/quotes/identity?nonce=${"a".repeat(70)}`],
    ["no mask", `/v2.6/quotes/integrity?nonce=${NONCE}&partial=0`],
    ["a mask past PCR 23", `/v2.6/quotes/integrity?nonce=${NONCE}&mask=0x1000000&partial=0`],
    ["a decimal mask", `/v2.6/quotes/integrity?nonce=${NONCE}&mask=255&partial=0`],
    ["no partial", `/v2.6/quotes/integrity?nonce=${NONCE}&mask=0xff`],
    ["partial=2", `/v2.6/quotes/integrity?nonce=${NONCE}&mask=0xff&partial=2`],
    ["a negative ima_ml_entry", `/v2.6/quotes/integrity?nonce=${NONCE}&mask=0xff&partial=1&ima_ml_entry=-1`],
  ])("400 for %s", async (_what, path) => {
    const r = rig();
    const res = await r.get(path);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.code).toBe(400);
    expect(body.results).toEqual({});
    expect(r.quoter.calls).toHaveLength(0);
  });

  test("a TPM failure is a 500 the verifier retries, without the cause's text", async () => {
    const r = rig(new Error("ESYS_TR 0x40000001 rc 0x902 /dev/tpmrm0 secret-ish detail"));
    const res = await r.get(`/v2.6/quotes/integrity?nonce=${NONCE}&mask=0x1&partial=0&ima_ml_entry=0`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ code: 500, status: "Unable to retrieve quote", results: {} });
    expect(text).not.toContain("0x902");
    // The nonce went to the quoter as raw ASCII, PCR 0 from the mask, the binding of the served key.
    expect(r.quoter.calls[0]!.pcrs).toEqual([0]);
    expect(Buffer.from(r.quoter.calls[0]!.nonce).toString("latin1")).toBe(NONCE);
    expect(r.statuses.at(-1)?.lastError?.kind).toBe("keylime.pull.quote");
  });
});

describe("keys: U, V, verify and the payload", () => {
  test("verify answers 400 until U and V combine, then HMAC-SHA384(K, challenge); the payload lands in the directory", async () => {
    const r = rig();
    const payload = new TextEncoder().encode("payload for the attested device\n");
    const vec = tenantVectors(r.svc.transport.publicPem, UUID, payload);
    const challenge = "zacKiDzwSp6mr4yl64In";
    expect(await json(await r.post("/v2.6/keys/ukey", vec.ukeyBody))).toEqual({ code: 200, status: "Success", results: null });
    const early = await r.get(`/v2.6/keys/verify?challenge=${challenge}`);
    expect(early.status).toBe(400);
    expect(await json(early)).toEqual({ code: 400, status: "Bootstrap key not yet available.", results: {} });
    expect(r.statuses.at(-1)?.bootstrapKey).toBe("u-received");
    expect((await r.post("/v2.6/keys/vkey", vec.vkeyBody)).status).toBe(200);
    const res = await json(await r.get(`/v2.6/keys/verify?challenge=${challenge}`));
    expect(res.results).toEqual({ hmac: opensslHmacSha384(vec.k, challenge) });
    await Bun.sleep(50);
    expect(readFileSync(join(r.dir, DELIVERY_SUBDIR, PAYLOAD_FILE))).toEqual(Buffer.from(payload));
    const st = r.statuses.at(-1)!;
    expect(st.bootstrapKey).toBe("combined");
    expect(st.payload).toMatchObject({ files: 1, bytes: payload.length, script: "absent" });
    // Nothing about K, U or V in the status.
    const text = JSON.stringify(st);
    for (const secret of [vec.k, vec.u, vec.v]) {
      expect(text).not.toContain(Buffer.from(secret).toString("hex"));
      expect(text).not.toContain(Buffer.from(secret).toString("base64"));
    }
  });

  test.each([
    ["encrypted_key that is not base64", { encrypted_key: "***", auth_tag: "00".repeat(48) }],
    ["encrypted_key of the wrong length", { encrypted_key: Buffer.alloc(128).toString("base64"), auth_tag: "00".repeat(48) }],
    ["encrypted_key that does not decrypt", { encrypted_key: Buffer.alloc(256, 7).toString("base64"), auth_tag: "00".repeat(48) }],
    ["a short auth_tag", "short-tag"],
    ["a payload that is not base64", "bad-payload"],
  ])("ukey with %s is a 400", async (_what, body) => {
    const r = rig();
    const vec = tenantVectors(r.svc.transport.publicPem, UUID);
    const b = body === "short-tag" ? { ...vec.ukeyBody, auth_tag: "abcd" } : body === "bad-payload" ? { ...vec.ukeyBody, payload: "%%%" } : body;
    const res = await r.post("/v2.6/keys/ukey", b);
    expect(res.status).toBe(400);
    expect((await json(res)).results).toEqual({});
    expect(r.svc.keys.state).toBe("none");
  });

  test("a half that decrypts to other than 32 bytes is refused", async () => {
    const r = rig();
    const { opensslOaepSha1 } = await import("./vectors.testkit.ts");
    const res = await r.post("/v2.6/keys/vkey", {
      encrypted_key: Buffer.from(opensslOaepSha1(r.svc.transport.publicPem, new Uint8Array(16))).toString("base64"),
    });
    expect(res.status).toBe(400);
    expect((await json(res)).status).toBe("decrypted key has the wrong length");
  });

  test("bodies: JSON objects only, application/json only, within their caps", async () => {
    const r = rig();
    expect((await r.post("/v2.6/keys/vkey", "{not json")).status).toBe(400);
    expect((await r.post("/v2.6/keys/vkey", "[1,2]")).status).toBe(400);
    expect((await r.post("/v2.6/keys/vkey", { encrypted_key: "x" }, { "Content-Type": "text/plain" })).status).toBe(415);
    const big = await r.post("/v2.6/keys/vkey", { encrypted_key: "A".repeat(MAX_VKEY_BODY) });
    expect(big.status).toBe(413);
    expect(await json(big)).toEqual({ code: 413, status: `body exceeds ${MAX_VKEY_BODY} bytes`, results: {} });
    // Over the cap without a Content-Length: cut off while streaming.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 40; i++) c.enqueue(new Uint8Array(32 * 1024).fill(0x41));
        c.close();
      },
    });
    const res = await r.app.request("/v2.6/keys/ukey", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(40 * 32 * 1024).toBeGreaterThan(MAX_UKEY_BODY);
  });

  test("a U whose auth tag was made for another UUID never unlocks verify", async () => {
    const r = rig();
    const vec = tenantVectors(r.svc.transport.publicPem, "00000000-0000-4000-8000-000000000000");
    await r.post("/v2.6/keys/ukey", vec.ukeyBody);
    await r.post("/v2.6/keys/vkey", vec.vkeyBody);
    expect((await r.get("/v2.6/keys/verify?challenge=zacKiDzwSp6mr4yl64In")).status).toBe(400);
    expect(r.svc.keys.state).toBe("both-unmatched");
  });

  test("the status counts requests and refusals", async () => {
    const r = rig();
    await r.get("/version");
    await r.get("/v2.6/quotes/identity?nonce=abc");
    const st = r.statuses.at(-1)!;
    expect(st).toMatchObject({ requests: 2, refused: 1, quotesServed: { identity: 0, integrity: 0 } });
    expect(Date.parse(st.lastRequestAt!)).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe("the wire dump", () => {
  test("records refused and answered exchanges alike, bodies included, named after the endpoint", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "edge-agent-kl-dump-")), "wire");
    dirs.push(dir);
    const r = rig(undefined, new WireDump(dir, { maxBytes: 1 << 20, log: silentLogger }));
    await r.get("/v2.6/quotes/identity?nonce=abc");
    const vec = tenantVectors(r.svc.transport.publicPem, UUID);
    await r.post("/v2.1/keys/ukey", vec.ukeyBody);
    const files = readdirSync(dir).sort();
    expect(files).toEqual([
      "0001-keylime-quotes-identity.json",
      "0001-keylime-quotes-identity.req",
      "0001-keylime-quotes-identity.res",
      "0002-keylime-keys-ukey.json",
      "0002-keylime-keys-ukey.req",
      "0002-keylime-keys-ukey.res",
    ]);
    expect(JSON.parse(readFileSync(join(dir, "0001-keylime-quotes-identity.json"), "utf8"))).toMatchObject({
      method: "GET",
      url: "http://localhost/v2.6/quotes/identity?nonce=abc",
      status: 400,
    });
    expect(JSON.parse(readFileSync(join(dir, "0001-keylime-quotes-identity.res"), "utf8")).code).toBe(400);
    expect(JSON.parse(readFileSync(join(dir, "0002-keylime-keys-ukey.req"), "utf8"))).toEqual(vec.ukeyBody);
    expect(JSON.parse(readFileSync(join(dir, "0002-keylime-keys-ukey.json"), "utf8")).status).toBe(200);
  });
});
