import type { ClientResponse, hc, InferResponseType } from "hono/client";
import type { StatusApp } from "./app.ts";
import type { StatusDocument } from "./sections.ts";

/**
 * The status API's client over its Unix socket (Bun's fetch takes a `unix`
 * option): `edge-agent status`, `check` and the tests read the agent through
 * it. It is a plain fetch: hono's typed client builds its request through
 * proxies that cost `edge-agent status` more than the request itself. The
 * contract stays typed from the app: the checks below fail the type check
 * when a route's answer and what these functions return drift apart.
 */
type Routes = ReturnType<typeof hc<StatusApp>>["v1"];
type Served<R extends { $get: (...a: never[]) => Promise<ClientResponse<unknown>> }> = InferResponseType<R["$get"], 200>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statusIsTyped: Same<Served<Routes["status"]>, StatusDocument> = true;
const metricsIsText: Same<Served<Routes["metrics"]>, string> = true;
void statusIsTyped;
void metricsIsText;

async function get(socket: string, path: string, timeoutMs: number): Promise<Response> {
  return await fetch(`http://localhost${path}`, { unix: socket, signal: AbortSignal.timeout(timeoutMs) } as RequestInit);
}

/** GET /v1/status; throws with the endpoint's answer when it is not 200. */
export async function fetchStatus(socket: string, timeoutMs = 5000): Promise<StatusDocument> {
  const res = await get(socket, "/v1/status", timeoutMs);
  if (res.status !== 200) throw new Error(`status endpoint answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as StatusDocument;
}

/** GET /v1/metrics (Prometheus text); throws when it is not 200. */
export async function fetchMetrics(socket: string, timeoutMs = 5000): Promise<string> {
  const res = await get(socket, "/v1/metrics", timeoutMs);
  if (res.status !== 200) throw new Error(`metrics endpoint answered ${res.status}`);
  return await res.text();
}
