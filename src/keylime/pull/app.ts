import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono/tiny";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { HttpRequest, HttpResponse, WireDump } from "../../controller/index.ts";
import type { Logger } from "../../shared/index.ts";
import { API_VERSIONS, type ApiVersion, hasAgentInfo, LATEST_API_VERSION, parseApiVersion } from "./api-version.ts";
import { PullError } from "./errors.ts";
import { parseChallenge, parseImaEntry, parseMask, parseNonce, parsePartial } from "./params.ts";
import type { PullService } from "./service.ts";

/** keys/ukey: the tenant's 1 MiB max_payload_size of base64 plus the two keys and JSON. */
export const MAX_UKEY_BODY = 1024 * 1024 + 4096;
/** keys/vkey: one RSA-2048 ciphertext in base64. */
export const MAX_VKEY_BODY = 4096;

type Env = { Variables: { api: ApiVersion; reqBody: Uint8Array } };

/** Keylime's JSON wrapper: every answer is {code, status, results}. */
function reply(c: Context, code: number, status: string, results: unknown) {
  return c.json({ code, status, results }, code as ContentfulStatusCode);
}

const ok = (c: Context, results: unknown) => reply(c, 200, "Success", results);

const NOT_IMPLEMENTED = "Not Implemented: Use /agent, /keys, or /quotes interfaces";

/** Reads a JSON object body up to `cap` bytes, streaming, so an oversized body is cut off rather than buffered. */
async function jsonBody(c: Context<Env>, cap: number): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new PullError("keylime.pull.media-type", "Content-Type must be application/json");
  const declared = c.req.header("content-length");
  if (declared !== undefined && Number(declared) > cap) throw new PullError("keylime.pull.too-large", `body exceeds ${cap} bytes`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = c.req.raw.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > cap) {
        await reader.cancel().catch(() => undefined);
        throw new PullError("keylime.pull.too-large", `body exceeds ${cap} bytes`);
      }
      chunks.push(value);
    }
  }
  const bytes = Buffer.concat(chunks);
  c.set("reqBody", new Uint8Array(bytes));
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new PullError("keylime.pull.bad-request", "body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new PullError("keylime.pull.bad-request", "body must be a JSON object");
  return parsed as Record<string, unknown>;
}

/** The endpoint name a dump file carries: "/v2.6/quotes/integrity" -> "quotes-integrity". */
export function endpointName(path: string): string {
  const segs = path.split("/").filter((s) => s !== "");
  const rest = parseApiVersion(segs[0] ?? "") ? segs.slice(1) : segs;
  return (
    rest
      .join("-")
      .replace(/[^A-Za-z0-9._-]/g, "_")
      .slice(0, 48) || "root"
  );
}

function headersOf(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((v, k) => (out[k] = v));
  return out;
}

/** Records each served exchange as NNNN-keylime-<endpoint>.{req,res,json} in the agent's wire dump. */
function dumping(dump: WireDump): MiddlewareHandler<Env> {
  return async (c, next) => {
    const seq = dump.begin();
    await next();
    const method = c.req.method;
    // The dump's record type holds the two methods Keylime uses; other methods are refused before any handler.
    if (method !== "GET" && method !== "POST") return;
    const req: HttpRequest = { method, url: new URL(c.req.url), headers: headersOf(c.req.raw.headers), body: c.get("reqBody") ?? new Uint8Array() };
    const res: HttpResponse = { status: c.res.status, headers: headersOf(c.res.headers), body: new Uint8Array(await c.res.clone().arrayBuffer()) };
    dump.record(seq, `keylime-${endpointName(c.req.path)}`, req, res);
  };
}

export interface PullAppOptions {
  dump?: WireDump;
  log: Logger;
}

/**
 * Keylime's agent API v2.0..2.6 (rest_apis.rst; routes as rust-keylime
 * api.rs serves them). A version segment the agent does not serve gets 400
 * "API version not supported", the text the verifier renegotiates on;
 * errors carry fixed texts, never a cause or the input.
 */
export function createPullApp(svc: PullService, opts: PullAppOptions) {
  const app = new Hono<Env>();
  app.use("*", async (c, next) => {
    await next();
    svc.noteRequest(c.res.status);
  });
  if (opts.dump) app.use("*", dumping(opts.dump));

  app.get("/version", (c) => ok(c, { supported_version: LATEST_API_VERSION, supported_versions: API_VERSIONS }));

  app.use("/:v/*", async (c, next) => {
    if (c.req.path === "/version") return next();
    const api = parseApiVersion(c.req.param("v"));
    if (!api) throw new PullError("keylime.pull.version", "API version not supported");
    c.set("api", api);
    await next();
  });

  app.get("/:v/quotes/identity", async (c) => ok(c, await svc.identityQuote(parseNonce(c.req.query("nonce")), c.get("api"))));

  app.get("/:v/quotes/integrity", async (c) => {
    const q = (k: string) => c.req.query(k);
    const req = { nonce: parseNonce(q("nonce")), pcrs: parseMask(q("mask")), partial: parsePartial(q("partial")), imaEntry: parseImaEntry(q("ima_ml_entry")) };
    return ok(c, await svc.integrityQuote(req, c.get("api")));
  });

  app.get("/:v/keys/pubkey", (c) => ok(c, { pubkey: svc.transport.publicPem }));

  app.post("/:v/keys/ukey", async (c) => {
    svc.addU(await jsonBody(c, MAX_UKEY_BODY));
    return ok(c, null);
  });

  app.post("/:v/keys/vkey", async (c) => {
    svc.addV(await jsonBody(c, MAX_VKEY_BODY));
    return ok(c, null);
  });

  app.get("/:v/keys/verify", (c) => ok(c, { hmac: svc.verify(parseChallenge(c.req.query("challenge"))) }));

  app.get("/:v/agent/info", (c) => {
    const api = c.get("api");
    if (!hasAgentInfo(api)) return reply(c, 400, NOT_IMPLEMENTED, {});
    return ok(c, svc.info(api));
  });

  const allowed: Record<string, string> = {
    "quotes/identity": "GET",
    "quotes/integrity": "GET",
    "keys/pubkey": "GET",
    "keys/verify": "GET",
    "keys/ukey": "POST",
    "keys/vkey": "POST",
    "agent/info": "GET",
  };
  app.all("/:v/*", (c) => {
    const rest = c.req.path.split("/").slice(2).join("/");
    // Own entries only: "/v2.6/constructor" found Object's members here and answered 500 (found by fuzzing).
    const allow = Object.hasOwn(allowed, rest) ? allowed[rest] : undefined;
    if (allow) return c.json({ code: 405, status: "Method not allowed", results: {} }, 405, { Allow: allow });
    return reply(c, 400, NOT_IMPLEMENTED, {});
  });
  app.notFound((c) => reply(c, 400, NOT_IMPLEMENTED, {}));

  app.onError((err, c) => {
    if (err instanceof PullError) {
      if (err.httpStatus >= 500) opts.log.error("Keylime request failed", { path: c.req.path, error: `${err.kind}: ${err.message}` });
      else opts.log.debug("Keylime request refused", { path: c.req.path, error: err.message });
      return reply(c, err.httpStatus, err.message, {});
    }
    opts.log.error("Keylime request failed unexpectedly", { path: c.req.path, error: err instanceof Error ? err.message : String(err) });
    return reply(c, 500, "Internal error", {});
  });
  return app;
}

export type PullApp = ReturnType<typeof createPullApp>;
