import { hc } from "hono/client";
import type { StatusApp } from "./app.ts";
import type { StatusDocument } from "./sections.ts";

/**
 * The status API's typed client over its Unix socket (Bun's fetch takes a
 * `unix` option): `edge-agent status`, `check` and the tests read the agent
 * through it, so the document's type is declared once, by the app.
 */
export function statusClient(socket: string, timeoutMs = 5000) {
  return hc<StatusApp>("http://localhost", {
    fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, { ...init, unix: socket, signal: AbortSignal.timeout(timeoutMs) }),
  });
}

export type StatusClient = ReturnType<typeof statusClient>;

/** GET /v1/status; throws with the endpoint's answer when it is not 200. */
export async function fetchStatus(socket: string, timeoutMs = 5000): Promise<StatusDocument> {
  const res = await statusClient(socket, timeoutMs).v1.status.$get();
  if (res.status !== 200) throw new Error(`status endpoint answered ${res.status}: ${JSON.stringify(await res.json())}`);
  return await res.json();
}

/** GET /v1/metrics (Prometheus text); throws when it is not 200. */
export async function fetchMetrics(socket: string, timeoutMs = 5000): Promise<string> {
  const res = await statusClient(socket, timeoutMs).v1.metrics.$get();
  if (res.status !== 200) throw new Error(`metrics endpoint answered ${res.status}`);
  return await res.text();
}
