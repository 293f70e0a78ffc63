// Keylime as the verifier and tenant reach the agent: the pull-mode API
// (src/keylime/pull/app.ts) through its Hono app's fetch, what Bun.serve
// calls in startPullServer, and in push mode the verifier's answers as the
// attestation loop (PushAttester, one cycle) reads them. The registrar's
// answers are the keylime-registrar target in targets.ts.
//
// No TPM here: the pull quoter and the push TPM are stand-ins that record
// what reached them (quotes on swtpm are test/integration/keylime's job);
// what is fuzzed is everything in front of the TPM. Oracles besides "typed
// answer": nothing reaches the TPM unless every parameter passed its check,
// no key material (transport key, bootstrap key and its halves) in an
// answer or a log line, keys/verify answers only with a key the tenant
// made, and in push mode no request leaves for another host or path.

import { constants, createCipheriv, createHmac, publicEncrypt, randomBytes } from "node:crypto";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createPullApp } from "../../src/keylime/pull/app.ts";
import { Evidence } from "../../src/keylime/pull/evidence.ts";
import { DELIVERY_SUBDIR, deliverPayload } from "../../src/keylime/pull/payload.ts";
import type { PullQuoter, QuoteRequest } from "../../src/keylime/pull/ports.ts";
import { PullService } from "../../src/keylime/pull/service.ts";
import { TransportKey } from "../../src/keylime/pull/transport-key.ts";
import { PushAttester } from "../../src/keylime/push/attester.ts";
import type { VerifierAnswer, VerifierHttp } from "../../src/keylime/push/http.ts";
import { createLogger, toBase64, toHex, utf8 } from "../../src/shared/index.ts";
import { FIXTURES, mutatedArb } from "./gen.ts";
import { fc, type Target } from "./lib.ts";
import { countRefusals } from "./targets-services.ts";

const UUID = "d432fbb3-d2f1-4a97-9ef7-75bd81c00001";
const NONCE_RE = /^[A-Za-z0-9]{20,64}$/;

export interface PullRequest {
  method: string;
  path: string;
  query: string;
  contentType?: string;
  contentLength?: string;
  body?: Uint8Array;
}

export async function keylimeTargets(dir: (name: string) => string, keep: (path: string) => void): Promise<Target<any>[]> {
  const targets: Target<any>[] = [];
  const logLines: string[] = [];
  const log = createLogger({ level: "debug", write: (l) => logLines.push(l) });

  // ------------------------------------------------------------ pull mode
  const transport = TransportKey.generate();
  // The transport key's private half, only to know what must never come out.
  const priv = Reflect.get(transport, "privateKey") as import("node:crypto").KeyObject;
  const privPem = priv.export({ type: "pkcs8", format: "pem" }).toString();
  const oaep = (b: Uint8Array) => toBase64(publicEncrypt({ key: transport.publicPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, b));
  const hmac384 = (k: Uint8Array, m: string) => createHmac("sha384", k).update(m, "utf8").digest("hex");
  /** Two tenants' K = U xor V, each with what it sends (tenant.py's do_quote / preloop). */
  const tenants = [0, 1].map((i) => {
    const k = new Uint8Array(randomBytes(32));
    const v = new Uint8Array(randomBytes(32));
    const u = k.map((b, j) => b ^ v[j]!);
    const iv = randomBytes(16);
    const c = createCipheriv("aes-256-gcm", k, iv);
    const zipless = Buffer.from(`payload ${i}`);
    const payload = toBase64(Buffer.concat([iv, c.update(zipless), c.final(), c.getAuthTag()]));
    return { k, u, v, encU: oaep(u), encV: oaep(v), tag: hmac384(k, UUID), payload };
  });
  const pemLines = (pem: string) => pem.split("\n").filter((l) => l.length >= 40 && !l.startsWith("-----"));
  const pullSecrets = [
    ...pemLines(privPem),
    priv.export({ format: "jwk" }).d!,
    ...tenants.flatMap((t) => [t.k, t.u, t.v]).flatMap((b) => [toHex(b), toBase64(b)]),
  ];

  class RecordingQuoter implements PullQuoter {
    readonly algorithms = { hash: "sha256", sign: "rsassa", enc: "rsa" } as const;
    readonly akHandle = 0x81000003;
    calls: QuoteRequest[] = [];
    async quote(req: QuoteRequest): Promise<string> {
      this.calls.push(req);
      return `r${toBase64(req.nonce)}:AAEA:AAAA`;
    }
  }
  const quoter = new RecordingQuoter();
  const evDir = dir("keylime-evidence");
  const imaPath = join(evDir, "ascii_runtime_measurements");
  writeFileSync(imaPath, Array.from({ length: 5 }, (_, i) => `10 ${"ab".repeat(20)} ima-ng sha256:${"cd".repeat(32)} /usr/bin/tool${i}\n`).join(""));
  const payloadDir = mkdtempSync(join("/dev/shm", "edge-agent-fuzz-kl-"));
  keep(payloadDir);
  const svc = new PullService({
    identity: { uuid: UUID },
    quoter,
    evidence: new Evidence({ eventLogPath: join(FIXTURES, "harness", "eventlog-ovmf.bin"), imaLogPath: imaPath, bootTime: () => 1_700_000_000, log }),
    payload: { dir: payloadDir, allowDiskBacked: false, runScript: false, scriptTimeoutMs: 1000, log },
    transportKey: transport,
    log,
  });
  const app = createPullApp(svc, { log });

  const realQuery = "/v2.6/quotes/integrity?nonce=JKW1cjeQeVmvl3U5y52S&mask=0xff&partial=0&ima_ml_entry=0";
  const versionArb = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom("v2.0", "v2.1", "v2.2", "v2.3", "v2.4", "v2.5", "v2.6") },
    { weight: 2, arbitrary: fc.constantFrom("v1.0", "v3.0", "v2.7", "v2", "latest", "V2.6", "v2.6.0", "v02.6", "%76%32%2e%36", "v2.6%00", "", "version") },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map(encodeURIComponent) },
  );
  const routeArb = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom("quotes/identity", "quotes/integrity", "keys/pubkey", "keys/ukey", "keys/vkey", "keys/verify", "agent/info") },
    {
      weight: 2,
      arbitrary: fc.constantFrom("quotes", "quotes/identity/", "quotes//integrity", "keys/UKEY", "agents/x", "quotes/integrity/x", "", "keys/%75key"),
    },
    // Names every object has: a route table that is a plain object must not find them.
    { weight: 1, arbitrary: fc.constantFrom("constructor", "__proto__", "toString", "hasOwnProperty", "keys/constructor", "quotes/__proto__") },
    { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 3 }).map((s) => s.map(encodeURIComponent).join("/")) },
  );
  const nonceArb = fc.oneof(
    { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{20,64}$/) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "",
        "short",
        "a".repeat(19),
        "a".repeat(65),
        "a".repeat(4000),
        "JKW1cjeQeVmvl3U5y52S!",
        "JKW1cjeQeVmvl3U5y52\u00e9",
        "JKW1cjeQeVmvl3U5y52S\n",
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 70 }) },
  );
  const maskArb = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 0xffffff }).map((n) => `0x${n.toString(16)}`) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        "0x1",
        "0xff",
        "0x0",
        "0x1000000",
        "0xffffffff",
        "ff",
        "0X1",
        "0x-1",
        "0x1g",
        "0x",
        "0x 1",
        "1",
        `0x${"0".repeat(2000)}1`,
        `0x${"f".repeat(100)}`,
        "0x1.5",
        "0x1e3",
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const entryArb = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 8 }).map(String) },
    { weight: 2, arbitrary: fc.constantFrom("4294967295", "4294967296", "99999999999", "-1", "01", "1e3", "0x1", " 1", "", "NaN") },
  );
  const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 6 });
  const queryArb = fc
    .record({
      nonce: opt(nonceArb),
      mask: opt(maskArb),
      partial: opt(fc.constantFrom("0", "1", "2", "", "true", "01")),
      ima_ml_entry: opt(entryArb),
      challenge: opt(nonceArb),
      extra: opt(fc.constantFrom("nonce=a&nonce=b", "mask=0x1&mask=0x2", "%zz", "nonce", "=", "&&")),
    })
    .map((r) => {
      const parts = Object.entries(r)
        .filter(([k, v]) => k !== "extra" && v !== undefined)
        .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`);
      if (r.extra) parts.push(r.extra);
      return parts.length ? `?${parts.join("&")}` : "";
    });
  const b64Arb = fc.oneof(
    fc.uint8Array({ minLength: 250, maxLength: 260 }).map(toBase64),
    fc.uint8Array({ maxLength: 40 }).map(toBase64),
    fc.constantFrom("", "=", "AAA", "****", "QUJD\n"),
  );
  const enc = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tenants.flatMap((t) => [t.encU, t.encV])) },
    { weight: 3, arbitrary: mutatedArb(tenants.map((t) => new Uint8Array(Buffer.from(t.encU, "base64")))).map(toBase64) },
    { weight: 2, arbitrary: b64Arb },
  );
  const tagArb = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tenants.map((t) => t.tag), tenants[0]!.tag.toUpperCase()) },
    { weight: 2, arbitrary: fc.constantFrom("", "0".repeat(96), "0".repeat(95), "g".repeat(96), tenants[1]!.tag + "00") },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  );
  const anyJson = fc.oneof(fc.constantFrom(null, 0, true, [], {}), fc.jsonValue({ maxDepth: 1 }));
  const fieldOf = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 10, arbitrary: a as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: anyJson });
  const ukeyArb = fc.record({
    encrypted_key: fieldOf(enc),
    auth_tag: fieldOf(tagArb),
    payload: fieldOf(fc.oneof(fc.constantFrom(...tenants.map((t) => t.payload), null), b64Arb)),
  });
  const vkeyArb = fc.record({ encrypted_key: fieldOf(enc) });
  const bodyArb = fc.oneof(
    { weight: 4, arbitrary: fc.oneof(ukeyArb, vkeyArb).map((o) => utf8.encode(JSON.stringify(o))) },
    { weight: 1, arbitrary: fc.constantFrom("", "null", "[]", "1", "{", '{"encrypted_key":', "{}".repeat(3000)).map((s) => utf8.encode(s)) },
  );
  const bodySeeds = tenants.flatMap((t) => [
    utf8.encode(JSON.stringify({ encrypted_key: t.encU, auth_tag: t.tag, payload: t.payload })),
    utf8.encode(JSON.stringify({ encrypted_key: t.encV })),
  ]);
  const structuredPull = fc.oneof(
    {
      weight: 10,
      arbitrary: fc.record({
        method: fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom("GET", "POST") },
          { weight: 1, arbitrary: fc.constantFrom("PUT", "DELETE", "HEAD", "OPTIONS", "PATCH") },
        ),
        path: fc.tuple(versionArb, routeArb).map(([v, r]) => `/${v}/${r}`),
        query: queryArb,
        contentType: fc.option(
          fc.constantFrom("application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "text/plain", "application/jsonx", ""),
          {
            nil: undefined,
            freq: 3,
          },
        ),
        contentLength: fc.option(fc.constantFrom("0", "10", "99999999", "-1", "abc"), { nil: undefined, freq: 10 }),
        body: fc.option(bodyArb, { nil: undefined, freq: 4 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom("/version", "/", "/version/", "/VERSION", "//version", "/v2.6").map((path) => ({ method: "GET", path, query: "" })),
    },
  ) as fc.Arbitrary<PullRequest>;
  const pullArb = fc.oneof(
    { weight: 6, arbitrary: structuredPull },
    { weight: 3, arbitrary: structuredPull.chain((q) => mutatedArb([q.body ?? new Uint8Array(), ...bodySeeds]).map((body) => ({ ...q, body }))) },
    {
      weight: 2,
      arbitrary: mutatedArb([utf8.encode(realQuery), utf8.encode("/v2.6/keys/verify?challenge=JKW1cjeQeVmvl3U5y52S")]).map((b) => {
        const s = utf8.decode(b);
        const i = s.indexOf("?");
        return { method: "GET", path: `/${(i < 0 ? s : s.slice(0, i)).replace(/^\/+/, "")}`, query: i < 0 ? "" : s.slice(i) };
      }),
    },
  );

  interface PullAnswer {
    unrepresentable?: true;
    status: number;
    text: string;
    calls: QuoteRequest[];
    logs: string[];
    /** the query as the app read it (URL parsing drops tabs and newlines, for one) */
    params: URLSearchParams;
  }
  const pullTarget = {
    name: "keylime-pull-routes",
    arb: pullArb,
    run: async (q: PullRequest): Promise<PullAnswer> => {
      logLines.length = 0;
      quoter.calls = [];
      let req: Request;
      try {
        const headers: Record<string, string> = {};
        if (q.contentType !== undefined) headers["content-type"] = q.contentType;
        if (q.contentLength !== undefined) headers["content-length"] = q.contentLength;
        const withBody = q.body !== undefined && q.method !== "GET" && q.method !== "HEAD";
        req = new Request(`http://127.0.0.1:9002${q.path}${q.query}`, { method: q.method, headers, ...(withBody ? { body: q.body } : {}) });
      } catch {
        return { unrepresentable: true, status: 0, text: "", calls: [], logs: [], params: new URLSearchParams() };
      }
      const res = await app.fetch(req);
      return { status: res.status, text: await res.text(), calls: quoter.calls, logs: [...logLines], params: new URL(req.url).searchParams };
    },
    ciRuns: 1000,
    check: (q: PullRequest, a: PullAnswer) => {
      if (a.unrepresentable) return;
      if (![200, 400, 405, 413, 415].includes(a.status))
        throw new Error(`answered ${a.status}: ${a.text.slice(0, 200)} | log: ${a.logs.join(" ").slice(0, 400)}`);
      if (q.method === "HEAD") return;
      let doc: { code?: unknown; status?: unknown; results?: any };
      try {
        doc = JSON.parse(a.text);
      } catch {
        throw new Error(`answer is not JSON: ${a.text.slice(0, 100)}`);
      }
      if (doc.code !== a.status || typeof doc.status !== "string") throw new Error(`answer is not Keylime's {code, status, results}: ${a.text.slice(0, 200)}`);
      // Fixed texts only: whatever came in is not read back to the peer.
      if (a.status !== 200 && doc.status.length > 80) throw new Error(`status text of ${doc.status.length} characters`);
      for (const v of a.params.values()) if (v.length >= 8 && a.status !== 200 && doc.status.includes(v)) throw new Error("input echoed in the status text");
      // Nothing reaches the TPM unless the request was good, and then only checked values.
      if (a.calls.length > 0 && a.status !== 200) throw new Error(`the TPM was asked for a quote on a ${a.status} request`);
      for (const c of a.calls) {
        const nonce = utf8.decode(c.nonce);
        if (!NONCE_RE.test(nonce)) throw new Error(`quote with nonce ${JSON.stringify(nonce.slice(0, 80))}`);
        if (c.pcrs.some((p, i) => !Number.isInteger(p) || p < 0 || p > 23 || (i > 0 && p <= c.pcrs[i - 1]!)))
          throw new Error(`quote over PCRs ${c.pcrs.join(",")}`);
      }
      if (a.status === 200 && q.path.endsWith("/keys/verify")) {
        const challenge = a.params.get("challenge") ?? "";
        const hmac = doc.results?.hmac;
        if (!tenants.some((t) => hmac384(t.k, challenge) === hmac)) throw new Error("keys/verify answered with a key no tenant made");
      }
      const seen = `${a.text}\n${a.logs.join("\n")}`;
      if (seen.includes("PRIVATE KEY")) throw new Error("a private key PEM in an answer or log line");
      for (const s of pullSecrets) if (seen.includes(s)) throw new Error(`planted secret ${s.slice(0, 6)}… in an answer or log line`);
    },
    secrets: pullSecrets,
  };
  targets.push(countRefusals(pullTarget, "keylime-pull", (a) => a.status));

  // ------------------------------------------------------------ payload archives
  // What a combined key unlocks: the tenant's zip (keylime_tenant --include),
  // unpacked by deliverPayload into a memory-backed directory. Only the
  // tenant can encrypt one, but an archive is still bytes from off the
  // device: every entry must land inside the delivery directory, the
  // contents stay within their cap, and autorun.sh is not run unless allowed.
  // Made by Python's zipfile (test/fixtures/fuzz/keylime/payload-*.zip): files, a directory, names that
  // leave the directory, a file and a directory of the same name, a deflated run of zeros.
  const zipSeeds = ["files", "dir", "escape", "absolute", "clash", "zeros"].map(
    (n) => new Uint8Array(readFileSync(join(FIXTURES, "fuzz", "keylime", `payload-${n}.zip`))),
  );
  const zipDir = mkdtempSync(join("/dev/shm", "edge-agent-fuzz-zip-"));
  keep(zipDir);
  const zipOpts = { dir: zipDir, allowDiskBacked: false, runScript: false, scriptTimeoutMs: 1000, log };
  const zipArb = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...zipSeeds) },
    { weight: 8, arbitrary: mutatedArb(zipSeeds) },
    {
      weight: 2,
      arbitrary: fc
        .dictionary(
          fc.oneof(
            fc.constantFrom("a", "a/b", "a/", "..", "./a", "a//b", "a\\b", "autorun.sh", "decrypted_payload", "\u00e9", "a/../b"),
            fc.string({ maxLength: 10 }),
          ),
          fc.string({ maxLength: 50 }),
          { maxKeys: 4 },
        )
        .map((files) => {
          // Names as an archiver may write them: the reader must refuse what leaves the directory.
          const names = Object.keys(files).filter((n) => n.length > 0);
          return names.length ? zipOf(Object.fromEntries(names.map((n) => [n, files[n]!]))) : zipSeeds[0]!;
        }),
    },
  );
  /**
   * A stored (uncompressed) archive of `files` in the layout of APPNOTE 4.3:
   * local headers, data, central directory, end record. Python would do, but
   * a process per input is too slow for a fuzz budget.
   */
  function zipOf(files: Record<string, string>): Uint8Array {
    const parts: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    for (const [name, text] of Object.entries(files)) {
      const n = Buffer.from(name, "utf8");
      const data = Buffer.from(text, "utf8");
      const crc = Bun.hash.crc32(data) >>> 0;
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x800, 6);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(n.length, 26);
      const cen = Buffer.alloc(46);
      cen.writeUInt32LE(0x02014b50, 0);
      cen.writeUInt16LE(20, 4);
      cen.writeUInt16LE(20, 6);
      cen.writeUInt16LE(0x800, 8);
      cen.writeUInt32LE(crc, 16);
      cen.writeUInt32LE(data.length, 20);
      cen.writeUInt32LE(data.length, 24);
      cen.writeUInt16LE(n.length, 28);
      cen.writeUInt32LE(offset, 42);
      parts.push(local, n, data);
      central.push(cen, n);
      offset += 30 + n.length + data.length;
    }
    const cenBytes = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Object.keys(files).length, 8);
    end.writeUInt16LE(Object.keys(files).length, 10);
    end.writeUInt32LE(cenBytes.length, 12);
    end.writeUInt32LE(offset, 16);
    return new Uint8Array(Buffer.concat([...parts, cenBytes, end]));
  }
  /** Every path under dir, as the kernel resolves it. */
  const walk = (dir: string, out: string[] = []): string[] => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      out.push(p);
      if (lstatSync(p).isDirectory()) walk(p, out);
    }
    return out;
  };
  targets.push({
    name: "keylime-payload-zip",
    arb: zipArb,
    run: (b: Uint8Array) => {
      logLines.length = 0;
      let delivered: ReturnType<typeof deliverPayload> | undefined;
      let failed: unknown;
      try {
        delivered = deliverPayload(b, zipOpts);
      } catch (e) {
        failed = e;
      }
      const top = readdirSync(zipDir);
      const root = join(realpathSync(zipDir), DELIVERY_SUBDIR);
      const paths = top.includes(DELIVERY_SUBDIR) ? walk(join(zipDir, DELIVERY_SUBDIR)) : [];
      const violation = (() => {
        if (top.some((n) => n !== DELIVERY_SUBDIR)) return `wrote ${top.join(", ")} beside the delivery directory`;
        if (failed && top.length > 0) return "a refused payload left a delivery behind";
        for (const p of paths) {
          const st = lstatSync(p);
          if (st.isSymbolicLink()) return `a symbolic link in the delivery: ${p}`;
          if (!realpathSync(p).startsWith(`${root}/`)) return `${p} resolves outside the delivery`;
          if (st.isFile() && (st.mode & 0o077) !== 0) return `${p} is readable by others`;
        }
        if (delivered && delivered.files !== paths.filter((p) => lstatSync(p).isFile()).length) return `says ${delivered.files} files, wrote ${paths.length}`;
        if (delivered && delivered.script !== "absent" && delivered.script !== "not-allowed") return `script ${delivered.script} while not allowed`;
        if (top.includes(DELIVERY_SUBDIR) && readdirSync(join(zipDir, DELIVERY_SUBDIR)).includes("ran")) return "autorun.sh ran";
        return undefined;
      })();
      if (violation) return { violation };
      if (failed) throw failed;
      return delivered;
    },
    ciRuns: 500,
    check: (_b, r: { violation?: string }) => {
      if (r?.violation) throw new Error(r.violation);
    },
  });

  // ------------------------------------------------------------ push mode
  const pushFixture = (n: string) =>
    JSON.parse(readFileSync(join(FIXTURES, "keylime", "push", `${n}.json`), "utf8")) as {
      status: number;
      resp_headers: Record<string, string>;
      resp_body: unknown;
    };
  const fx = {
    create: pushFixture("00-session-create"),
    fail: pushFixture("01-session-pop-fail"),
    pass: pushFixture("02-session-pop-pass"),
    caps: pushFixture("03-attestation-capabilities"),
    evidence: pushFixture("04-attestation-evidence"),
  };
  const token = (fx.pass.resp_body as any).data.attributes.token as string;
  const akName = (fx.caps.resp_body as any).data.attributes.evidence_requested[0].chosen_parameters.certification_key.local_identifier as string;
  const answerOf = (f: { status: number; resp_headers: Record<string, string>; resp_body: unknown }): PushAnswer => ({
    status: f.status,
    location: f.resp_headers.Location,
    body: utf8.encode(JSON.stringify(f.resp_body)),
  });
  interface PushAnswer {
    status: number;
    location?: string;
    retryAfter?: string;
    body: Uint8Array;
  }
  // The recorded create and pass belong to two sessions of that run; one cycle needs them to name the same one.
  const sessionId = (fx.pass.resp_body as any).data.id as string;
  (fx.create.resp_body as any).data.id = sessionId;
  const good = [answerOf(fx.create), answerOf(fx.pass), answerOf(fx.caps), answerOf(fx.evidence)];
  const seedsPerStep = [[good[0]!.body], [good[1]!.body, answerOf(fx.fail).body], [good[2]!.body], [good[3]!.body]];

  /** Structure-aware answers: the real documents with their fields replaced by odd but well-formed values. */
  const str = fc.oneof(fc.constantFrom("", "x", "pass", "fail", "session", "attestation", UUID, "../../etc", "a".repeat(600)), fc.string({ maxLength: 20 }));
  const numOrStr = fc.oneof(fc.integer({ min: -2, max: 30 }), fc.double(), fc.constantFrom(1e308, -0, 86400, 86401), str);
  const time = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        "2026-11-29T20:36:16.108592+00:00",
        "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "not a time",
        "",
        "-271821-04-20T00:00:00Z",
      ),
    },
    { weight: 1, arbitrary: str },
  );
  const b64s = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 70 }).map(toBase64), fc.constantFrom("", "====", "A", "AAAA\n", "LdOvSjyTdH6o46qCgv5DSg=="));
  const anyJ = fc.oneof(fc.constantFrom(null, [], {}, 0, true), fc.jsonValue({ maxDepth: 2 }));
  const f = <T>(a: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 24, arbitrary: a as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: anyJ }, { weight: 1, arbitrary: fc.constant(undefined) });
  const sessionDoc = fc
    .record({
      type: f(fc.constantFrom("session", "attestation")),
      id: f(
        fc.oneof(
          { weight: 6, arbitrary: fc.constant("8a4ba9fa-cc14-437c-96db-e5e86bed222d") },
          { weight: 2, arbitrary: fc.constantFrom("../x", "a/b?c#d", "%2e%2e", "//evil.example/x") },
          { weight: 1, arbitrary: str },
        ),
      ),
      agent_id: f(fc.constantFrom(UUID, "other", UUID.toUpperCase())),
      cls: f(fc.constantFrom("pop", "POP")),
      ty: f(fc.constantFrom("tpm_pop", "other")),
      challenge: f(b64s),
      expires: f(time),
      evaluation: f(fc.constantFrom("pass", "fail", "PASS", "")),
      token: f(fc.oneof(fc.constant(token), fc.constantFrom("a b", "tok\n", "\u00e9", "x".repeat(600)), str)),
      token_expires_at: f(time),
      response_received_at: f(time),
    })
    .map((r) => ({
      data: {
        type: r.type,
        id: r.id,
        attributes: {
          agent_id: r.agent_id,
          authentication_requested: [{ authentication_class: r.cls, authentication_type: r.ty, chosen_parameters: { challenge: r.challenge } }],
          challenges_expire_at: r.expires,
          evaluation: r.evaluation,
          token: r.token,
          token_expires_at: r.token_expires_at,
          response_received_at: r.response_received_at,
        },
      },
    }));
  const pcrList = fc.oneof(fc.array(fc.integer({ min: 0, max: 23 }), { maxLength: 26 }), fc.array(numOrStr, { maxLength: 4 }), fc.constant(Array(30).fill(1)));
  const capsDoc = fc
    .record({
      type: f(fc.constantFrom("attestation", "session")),
      selfLink: f(
        fc.constantFrom(
          `/v3.0/agents/${UUID}/attestations/3`,
          "/v3.0/agents/other/attestations/3",
          "https://evil.example/x",
          `/3/agents/${UUID}/attestations/999999999`,
        ),
      ),
      items: fc.array(
        fc.record({
          cls: f(fc.constantFrom("certification", "certification", "log")),
          ty: f(fc.constantFrom("tpm_quote", "tpm_quote", "uefi_log", "ima_log")),
          challenge: f(b64s),
          scheme: f(fc.constantFrom("rsassa", "ecdsa", "")),
          hash: f(fc.constantFrom("sha256", "sha1", "__proto__", "constructor", "toString")),
          pcrs: f(pcrList),
          local: f(fc.constantFrom(akName, akName.toUpperCase(), "zz", "0", "")),
        }),
        { maxLength: 3 },
      ),
      expires: f(time),
    })
    .map((r) => ({
      data: {
        type: r.type,
        links: r.selfLink === undefined ? undefined : { self: r.selfLink },
        attributes: {
          evidence_requested: r.items.map((i) => ({
            evidence_class: i.cls,
            evidence_type: i.ty,
            chosen_parameters: {
              challenge: i.challenge,
              signature_scheme: i.scheme,
              hash_algorithm: i.hash,
              selected_subjects: typeof i.hash === "string" ? { [i.hash]: i.pcrs } : { sha256: i.pcrs },
              certification_key: { local_identifier: i.local },
            },
          })),
          challenges_expire_at: r.expires,
        },
      },
    }));
  const ackDoc = fc
    .record({
      type: f(fc.constantFrom("attestation")),
      stage: f(str),
      evaluation: f(fc.constantFrom("pass", "fail", "x")),
      next: f(numOrStr),
      meta: fc.boolean(),
    })
    .map((r) => ({
      data: { type: r.type, attributes: { stage: r.stage, evaluation: r.evaluation } },
      ...(r.meta ? { meta: { seconds_to_next_attestation: r.next } } : {}),
    }));
  const docArbs = [sessionDoc, sessionDoc, capsDoc, ackDoc].map((a) => a.map((d) => utf8.encode(JSON.stringify(d))));
  const errorBody = fc
    .array(fc.record({ status: f(numOrStr), code: f(str), title: f(str), detail: f(fc.oneof(str, fc.constant("x".repeat(5000)))) }), { maxLength: 10 })
    .map((errors) => utf8.encode(JSON.stringify({ errors })));
  const statusOf = [[200, 201], [200], [201], [202]];
  const answerArb = (step: number) =>
    fc.record({
      status: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...statusOf[step]!) },
        { weight: 2, arbitrary: fc.constantFrom(200, 201, 202, 204, 400, 401, 403, 404, 409, 422, 429, 500, 503) },
      ),
      location: fc.option(
        fc.constantFrom(
          `/v3.0/agents/${UUID}/attestations/0`,
          `/v3.0/agents/${encodeURIComponent(UUID)}/attestations/12`,
          "/v3.0/agents/other/attestations/0",
          `/v3.0/agents/${UUID}/attestations/0/../../x`,
          `//evil.example/v3.0/agents/${UUID}/attestations/0`,
          `https://evil.example/v3.0/agents/${UUID}/attestations/0`,
          `/v3.0/agents/${UUID}/attestations/-1`,
          `/v3.0/agents/${UUID}/attestations/1e3`,
          `/v3.0/agents/%E0%A4%A/attestations/0`,
        ),
        { nil: undefined, freq: 2 },
      ),
      retryAfter: fc.option(fc.constantFrom("0", "5", "99999999999", "-1", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "soon"), {
        nil: undefined,
        freq: 4,
      }),
      body: fc.oneof(
        { weight: 4, arbitrary: docArbs[step]! },
        { weight: 4, arbitrary: mutatedArb(seedsPerStep[step]!) },
        { weight: 2, arbitrary: docArbs[step]!.chain((b) => mutatedArb([b, ...seedsPerStep[step]!])) },
        { weight: 1, arbitrary: errorBody },
        { weight: 1, arbitrary: fc.constantFrom(new Uint8Array(), utf8.encode("null"), utf8.encode("[]"), new Uint8Array(300 * 1024).fill(0x20)) },
      ),
    }) as fc.Arbitrary<PushAnswer>;
  /** One cycle's answers: the fuzzed step is one of the four, the steps before it answer as the verifier did. */
  const pushArb = fc.oneof(
    ...[0, 1, 2, 3].map((step) =>
      answerArb(step).map((a) => {
        const answers = good.slice();
        answers[step] = a;
        return { answers, step };
      }),
    ),
  );

  const base = new URL("https://verifier.example:8881");
  interface PushRun {
    sent: { endpoint: string; method: string; path: string; token?: string }[];
    quotes: { challenge: Uint8Array; pcrs: number[] }[];
    certifies: Uint8Array[];
    waitMs?: number;
  }
  const pcrsOffered = Array.from({ length: 24 }, (_, i) => i);
  /** The token the verifier's session answer handed out, if it did. */
  const tokenIn = (a: PushAnswer | undefined): string | undefined => {
    try {
      const t = JSON.parse(utf8.decode(a?.body ?? new Uint8Array()))?.data?.attributes?.token;
      return typeof t === "string" ? t : undefined;
    } catch {
      return undefined;
    }
  };
  const checkPush = (q: { answers: PushAnswer[] }, r: PushRun, failed: boolean) => {
    const issued = tokenIn(q.answers[1]);
    for (const s of r.sent) {
      const u = new URL(s.path, base);
      if (u.origin !== base.origin || !u.pathname.startsWith("/v3.0/")) throw new Error(`a request left for ${u.href}`);
      if (s.endpoint.startsWith("attestations") && (s.token === undefined || s.token !== issued))
        throw new Error(`${s.endpoint} sent without the session's token`);
      if (!s.endpoint.startsWith("attestations") && s.token !== undefined) throw new Error(`${s.endpoint} sent a bearer token`);
    }
    const evidence = r.sent.find((s) => s.endpoint === "attestations-evidence");
    if (evidence && !new RegExp(`^/v3\\.0/agents/${UUID}/attestations/\\d{1,9}$`).test(evidence.path)) throw new Error(`evidence sent to ${evidence.path}`);
    for (const c of [...r.certifies, ...r.quotes.map((x) => x.challenge)]) if (c.length > 64) throw new Error(`a ${c.length}-byte challenge reached the TPM`);
    for (const x of r.quotes) if (x.pcrs.length === 0 || x.pcrs.some((p) => !pcrsOffered.includes(p))) throw new Error(`quote over PCRs ${x.pcrs.join(",")}`);
    if (!failed && (r.waitMs === undefined || !Number.isFinite(r.waitMs) || r.waitMs < 1000 || r.waitMs > 86_400_000))
      throw new Error(`next attestation in ${r.waitMs} ms`);
    if (issued && issued.length >= 8 && logLines.some((l) => l.includes(issued))) throw new Error("the bearer token in a log line");
  };

  targets.push({
    name: "keylime-push-answers",
    arb: pushArb,
    run: async (q: { answers: PushAnswer[] }) => {
      logLines.length = 0;
      const out: PushRun = { sent: [], quotes: [], certifies: [] };
      let i = 0;
      const http = {
        base,
        async send(endpoint: string, method: string, path: string, _doc: unknown, tok: string | undefined): Promise<VerifierAnswer> {
          out.sent.push({ endpoint, method, path, ...(tok !== undefined ? { token: tok } : {}) });
          const a = q.answers[i++];
          if (!a) throw new Error(`the loop sent a request past the four a cycle has (${endpoint})`);
          const headers: Record<string, string> = {};
          if (a.location !== undefined) headers.location = a.location;
          if (a.retryAfter !== undefined) headers["retry-after"] = a.retryAfter;
          return { status: a.status, headers, body: a.body };
        },
      } as unknown as VerifierHttp;
      const attester = new PushAttester({
        agentId: UUID,
        http,
        tpm: {
          async certifyAk(challenge) {
            out.certifies.push(challenge);
            return { message: new Uint8Array(8), signature: new Uint8Array(8) };
          },
          async quote(challenge, pcrs) {
            out.quotes.push({ challenge, pcrs });
            return { message: new Uint8Array(8), signature: new Uint8Array(8), subjectData: new Uint8Array(8) };
          },
        },
        ak: {
          keyAlgorithm: "rsa",
          keySize: 2048,
          name: Buffer.from(akName, "hex"),
          publicArea: new Uint8Array(4),
          hashAlgorithm: "sha256",
          signatureScheme: "rsassa",
        },
        evidence: { uefiLog: async () => new Uint8Array(16), bootTime: () => new Date(1_700_000_000_000) },
        retry: { initialMs: 1000, maxMs: 60_000 },
        log,
      });
      // One attestation, as run() does each time round its loop; the checks hold for a cycle that failed half way too.
      const cycle = Reflect.get(attester, "cycle") as (s: AbortSignal) => Promise<number>;
      let failed: unknown;
      try {
        out.waitMs = await cycle.call(attester, new AbortController().signal);
      } catch (e) {
        failed = e;
      }
      try {
        checkPush(q, out, failed !== undefined);
      } catch (e) {
        return { violation: (e as Error).message };
      }
      if (failed !== undefined) throw failed;
      return out;
    },
    ciRuns: 1000,
    check: (_q, r: { violation?: string }) => {
      if (r.violation) throw new Error(r.violation);
    },
  });

  return targets;
}
