import { Hono } from "hono/tiny";
import { AgentError, errorChain, type Logger } from "../../shared/index.ts";
import type { PeerCred } from "./peercred.ts";
import { type JsonSchema, type Schema, SchemaError } from "./schema.ts";

/** An error whose status and message are meant for the caller (aziot's `{ "message": … }`). */
export class ApiError extends AgentError {
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 500 | 501 | 503,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`services.http-${status}`, message, options);
  }
}

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface RouteContext<B> {
  caller: PeerCred;
  params: Record<string, string>;
  query: URLSearchParams;
  body: B;
  apiVersion: string;
}

export interface RouteDef<B, R> {
  method: Method;
  /** OpenAPI path template, e.g. `/keypair/{keyId}`. */
  path: string;
  operationId: string;
  summary: string;
  /** Who may call it, for the document. */
  auth: string;
  /** First api-version serving the route (the service's oldest by default); older ones get 404 as aziot does. */
  since?: string;
  body?: Schema<B>;
  response: { status: 200 | 201 | 204; description: string; schema?: Schema<R> };
  /** Error statuses the route itself can answer besides the common ones. */
  errors?: number[];
  handle(ctx: RouteContext<B>): Promise<R>;
}

export type AnyRoute = RouteDef<any, any>;

/** Keeps the body and response types of one definition tied together. */
export function route<B = undefined, R = undefined>(def: RouteDef<B, R>): AnyRoute {
  return def;
}

export interface ServiceApi {
  name: string;
  title: string;
  description: string;
  /** Known api-version values, oldest first; the last is the current one. */
  versions: readonly string[];
  routes: AnyRoute[];
}

const COMMON_ERRORS: Record<number, string> = {
  400: "missing or unknown api-version, or an invalid parameter",
  403: "the caller's uid is not granted this operation on this id",
  408: "the request did not arrive in time",
  413: "the request body is too large",
  415: "the request body is not application/json",
  422: "the request body is not valid JSON of the expected shape",
  429: "too many concurrent requests from the caller's uid",
  500: "internal error (details in the agent's log)",
};

const ERROR_SCHEMA: JsonSchema = { type: "object", properties: { message: { type: "string" } }, required: ["message"] };

function honoPath(template: string): string {
  return template.replace(/\{([^}]+)\}/g, ":$1");
}

function errorResponse(status: number, message: string): Response {
  return new Response(JSON.stringify({ message }), { status, headers: { "Content-Type": "application/json" } });
}

/** The OpenAPI 3.0 document of `api` as served for `version`: only the routes that version has. */
export function openApiDocument(api: ServiceApi, version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of api.routes) {
    if ((r.since ?? api.versions[0]!) > version) continue;
    const params = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const responses: Record<string, unknown> = {
      [String(r.response.status)]: {
        description: r.response.description,
        ...(r.response.schema ? { content: { "application/json": { schema: r.response.schema.json } } } : {}),
      },
    };
    const errors = new Set([400, 403, 408, 413, 415, 422, 429, 500, ...(r.errors ?? [])]);
    for (const status of [...errors].sort()) {
      responses[String(status)] = {
        description: COMMON_ERRORS[status] ?? "see the message",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      };
    }
    paths[r.path] ??= {};
    paths[r.path]![r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      description: `Authorization: ${r.auth}.`,
      parameters: [{ $ref: "#/components/parameters/ApiVersion" }, ...params],
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: r.body.json } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.0.3",
    info: { title: api.title, version, description: api.description },
    servers: [{ url: `http://${api.name}.sock/`, description: `Unix socket ${api.name}.sock in the agent's run directory` }],
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      parameters: {
        ApiVersion: { name: "api-version", in: "query", required: true, schema: { type: "string", enum: [...api.versions] } },
      },
    },
  };
}

/**
 * The Hono app of one service from its route table: api-version handling
 * as aziot's servers do it (missing or unknown: 400; known but older than
 * the route: 404), JSON bodies checked against the route's schema, errors
 * as `{ "message": … }` with internals kept to the log. `GET /openapi.json`
 * serves the document generated from the same table.
 */
export function buildApp(api: ServiceApi, log: Logger): (request: Request, caller: PeerCred) => Promise<Response> {
  const app = new Hono<{ Bindings: { caller: PeerCred } }>();
  const current = api.versions.at(-1)!;
  const docs = new Map(api.versions.map((v) => [v, JSON.stringify(openApiDocument(api, v), null, 2)]));

  app.get("/openapi.json", (c) => {
    const v = c.req.query("api-version") ?? current;
    const doc = docs.get(v);
    if (!doc) return errorResponse(400, `invalid api-version ${JSON.stringify(v)}`);
    return new Response(doc, { headers: { "Content-Type": "application/json" } });
  });

  app.use("*", async (c, next) => {
    if (c.req.path === "/openapi.json") return next();
    const v = c.req.query("api-version");
    if (v === undefined) return errorResponse(400, "api-version not specified");
    if (!api.versions.includes(v)) return errorResponse(400, `invalid api-version ${JSON.stringify(v)}`);
    return next();
  });

  const byPath = new Map<string, AnyRoute[]>();
  for (const r of api.routes) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);

  for (const r of api.routes) {
    app.on(r.method, honoPath(r.path), async (c) => {
      const apiVersion = c.req.query("api-version")!;
      if ((r.since ?? api.versions[0]!) > apiVersion) return errorResponse(404, "not found");
      try {
        let body: unknown;
        if (r.body) {
          const type = c.req.header("content-type");
          if (type && type.split(";")[0]!.trim().toLowerCase() !== "application/json") {
            throw new ApiError(415, "request body must be application/json");
          }
          const text = await c.req.text();
          if (text.trim() === "") throw new ApiError(400, "request body is missing");
          let raw: unknown;
          try {
            raw = JSON.parse(text);
          } catch {
            throw new ApiError(422, "request body is not valid JSON");
          }
          try {
            body = r.body.parse(raw, "body");
          } catch (e) {
            if (e instanceof SchemaError) throw new ApiError(422, e.message);
            throw e;
          }
        }
        const out = await r.handle({
          caller: c.env.caller,
          params: c.req.param() as Record<string, string>,
          query: new URL(c.req.url).searchParams,
          body,
          apiVersion,
        });
        if (r.response.status === 204) return new Response(null, { status: 204 });
        return new Response(JSON.stringify(out), { status: r.response.status, headers: { "Content-Type": "application/json" } });
      } catch (e) {
        if (e instanceof ApiError) {
          if (e.status >= 500) log.error("request failed", { service: api.name, operation: r.operationId, error: errorChain(e) });
          return errorResponse(e.status, e.message);
        }
        // Internals go to the log only: the caller learns that it failed, not how.
        log.error("request failed", { service: api.name, operation: r.operationId, error: errorChain(e) });
        return errorResponse(500, "internal error");
      }
    });
  }
  for (const [path, routes] of byPath) {
    const allow = routes.map((r) => r.method).join(", ");
    app.all(
      honoPath(path),
      () => new Response(JSON.stringify({ message: "method not allowed" }), { status: 405, headers: { "Content-Type": "application/json", Allow: allow } }),
    );
  }
  app.notFound(() => errorResponse(404, "not found"));
  app.onError((e) => {
    log.error("request failed", { service: api.name, error: errorChain(e) });
    return errorResponse(500, "internal error");
  });
  return async (request, caller) => app.fetch(request, { caller });
}
