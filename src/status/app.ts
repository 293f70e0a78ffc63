import type { TypedResponse } from "hono";
import { HTTPException } from "hono/http-exception";
import { Hono } from "hono/tiny";
import type { StatusSource } from "./document.ts";
import { METRICS_CONTENT_TYPE, renderMetrics } from "./metrics.ts";
import type { StatusDocument } from "./sections.ts";

export const SUPPORTED_VERSIONS = ["v1"] as const;
/** What c.json sends; /v1/status sends JSON the board already serialised. */
const JSON_TYPE = { "Content-Type": "application/json" } as const;

export interface StatusAppOptions {
  /**
   * Whether /v1/status and /v1/metrics (device state, controller, TPM, vault) are served.
   * Off for listeners every local user can reach, which get /version and
   * /v1/health only.
   */
  full: boolean;
}

/**
 * The local API: versioned under /v1, read-only, errors in one JSON shape
 * that never exposes internals.
 */
export function createStatusApp(source: StatusSource, opts: StatusAppOptions) {
  const restricted = { error: { code: 403, message: "the full status is served on the Unix socket only (status.tcp.full is off)" } } as const;
  const app = new Hono()
    .get("/version", (c) => c.json({ supported_versions: SUPPORTED_VERSIONS, latest: SUPPORTED_VERSIONS.at(-1) }))
    .get("/v1/status", (c) =>
      // Typed as c.json would type it, so the client's contract check (client.ts) still holds.
      opts.full ? (c.body(source.snapshotJson(), 200, JSON_TYPE) as unknown as TypedResponse<StatusDocument, 200, "json">) : c.json(restricted, 403),
    )
    .get("/v1/metrics", (c) =>
      opts.full ? c.text(renderMetrics(source.snapshot(), source.meters), 200, { "Content-Type": METRICS_CONTENT_TYPE }) : c.json(restricted, 403),
    )
    .get("/v1/health", (c) => {
      const s = source.snapshot();
      return c.json({ onboarded: s.device.onboarded, uuid: s.device.uuid ?? null });
    });
  app.all("/v1/*", (c) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      return c.json({ error: { code: 405, message: "the status API is read-only" } }, 405, { Allow: "GET, HEAD" });
    }
    return c.json({ error: { code: 404, message: "no such resource" } }, 404);
  });
  app.all("/:version{v[0-9]+}/*", (c) =>
    c.json({ error: { code: 400, message: `API version ${c.req.param("version")} is not supported`, supported_versions: SUPPORTED_VERSIONS } }, 400),
  );
  app.notFound((c) => c.json({ error: { code: 404, message: "no such resource" } }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return c.json({ error: { code: err.status, message: err.message } }, err.status);
    return c.json({ error: { code: 500, message: "internal error" } }, 500);
  });
  return app;
}

export type StatusApp = ReturnType<typeof createStatusApp>;
