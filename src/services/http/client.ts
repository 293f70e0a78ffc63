/** One answer of a local service: status and parsed JSON body (undefined for 204). */
export interface ServiceAnswer<T = unknown> {
  status: number;
  body: T;
}

/**
 * Calls a local service over its Unix socket as the calling process's uid
 * (the CLI, `check` and the tests): JSON in, JSON out, `api-version` added
 * unless the path carries one.
 */
export async function callService<T = unknown>(
  socket: string,
  method: string,
  path: string,
  opts: { body?: unknown; apiVersion?: string; timeoutMs?: number } = {},
): Promise<ServiceAnswer<T>> {
  const url = new URL(`http://localhost${path}`);
  if (opts.apiVersion && !url.searchParams.has("api-version")) url.searchParams.set("api-version", opts.apiVersion);
  const res = await fetch(url, {
    method,
    unix: socket,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body), headers: { "Content-Type": "application/json" } } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
