import http from "node:http";
import https from "node:https";
import { AgentError } from "../shared/index.ts";

export interface HttpRequest {
  method: "GET" | "POST";
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface TransportOptions {
  /** PEM trust anchors for the server certificate (root-certificate.pem + system CAs). */
  ca: string;
  dialTimeoutMs: number;
  sendTimeoutMs: number;
  maxResponseBytes: number;
}

export type TransportErrorKind =
  | "controller.dial-timeout"
  | "controller.timeout"
  | "controller.refused"
  | "controller.cert-invalid"
  | "controller.cert-unknown-authority"
  | "controller.cert-hostname"
  | "controller.body-too-large"
  | "controller.network"
  | "controller.aborted";

export class TransportError extends AgentError {
  constructor(kind: TransportErrorKind, message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}

const CERT_TIME_CODES = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);
const CERT_AUTHORITY_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
]);
// A trusted certificate issued for another name: a wrong /config/server or a
// misissued cert, not a missing trust anchor, so the operator looks elsewhere.
const CERT_HOSTNAME_CODES = new Set(["ERR_TLS_CERT_ALTNAME_INVALID", "HOSTNAME_MISMATCH"]);

function classifyNetworkError(err: NodeJS.ErrnoException): TransportError {
  const code = err.code ?? "";
  if (code === "ECONNREFUSED") return new TransportError("controller.refused", "connection refused", { cause: err });
  if (CERT_TIME_CODES.has(code)) return new TransportError("controller.cert-invalid", `server certificate time check failed (${code})`, { cause: err });
  if (CERT_HOSTNAME_CODES.has(code))
    return new TransportError("controller.cert-hostname", `server certificate is not for this host (${code}): ${err.message}`, { cause: err });
  if (CERT_AUTHORITY_CODES.has(code))
    return new TransportError("controller.cert-unknown-authority", `server certificate not trusted (${code})`, { cause: err });
  return new TransportError("controller.network", `${code || "network error"}: ${err.message}`, { cause: err });
}

/**
 * One HTTPS exchange on a fresh connection (EVE disables keep-alives), with a
 * dial timeout for TCP+TLS set-up, an overall send timeout, a bounded
 * response body, and EVE's TLS 1.2 cipher choice.
 */
export function httpExchange(req: HttpRequest, opts: TransportOptions, signal?: AbortSignal): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new TransportError("controller.aborted", "request aborted before it was sent"));
      return;
    }
    const isHttps = req.url.protocol === "https:";
    const mod = isHttps ? https : http;
    let settled = false;
    const finish = (err: TransportError | null, res?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(sendTimer);
      clearTimeout(dialTimer);
      signal?.removeEventListener("abort", onAbort);
      if (err) {
        r.destroy();
        reject(err);
      } else resolve(res!);
    };
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers["Content-Length"] = String(req.body.length);
    const r = mod.request(
      {
        method: req.method,
        host: req.url.hostname.replace(/^\[|\]$/g, ""),
        port: req.url.port || (isHttps ? 443 : 80),
        path: req.url.pathname + req.url.search,
        headers,
        agent: false,
        ...(isHttps
          ? {
              ca: opts.ca,
              minVersion: "TLSv1.2" as const,
              ciphers: "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
              servername: /^[\d.]+$|:/.test(req.url.hostname) ? undefined : req.url.hostname,
            }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > opts.maxResponseBytes) {
            finish(new TransportError("controller.body-too-large", `response body exceeds ${opts.maxResponseBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on("end", () => {
          const hdrs: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) hdrs[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
          finish(null, { status: res.statusCode ?? 0, headers: hdrs, body: new Uint8Array(Buffer.concat(chunks)) });
        });
        res.on("error", (e) => finish(classifyNetworkError(e)));
      },
    );
    const dialTimer = setTimeout(
      () => finish(new TransportError("controller.dial-timeout", `no connection within ${opts.dialTimeoutMs} ms`)),
      opts.dialTimeoutMs,
    );
    const sendTimer = setTimeout(
      () => finish(new TransportError("controller.timeout", `no complete response within ${opts.sendTimeoutMs} ms`)),
      opts.sendTimeoutMs,
    );
    // Shutdown must not wait out a send timeout that can outlast systemd's stop timeout.
    const onAbort = () => finish(new TransportError("controller.aborted", "request aborted (agent stopping)"));
    signal?.addEventListener("abort", onAbort, { once: true });
    r.on("socket", (sock) => {
      sock.once(isHttps ? "secureConnect" : "connect", () => clearTimeout(dialTimer));
    });
    r.on("error", (e: NodeJS.ErrnoException) => finish(classifyNetworkError(e)));
    r.end(req.body ? Buffer.from(req.body) : undefined);
  });
}
