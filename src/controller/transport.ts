import { AgentError } from "../shared/errors.ts";

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
  /**
   * TLS sessions to resume, by host and port (EVE's client keeps a session
   * cache too): a resumed handshake skips verifying the server's chain again.
   * Without it every exchange makes a full handshake.
   */
  sessions?: Map<string, Buffer>;
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

const CIPHERS = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

/** Room for the status line, headers and chunk framing on top of the body limit. */
function rawLimit(maxBody: number): number {
  return maxBody + Math.ceil(maxBody / 16) + 65536;
}

const CRLF = Buffer.from("\r\n");

/** The request as HTTP/1.1 bytes; `Connection: close`, as EVE disables keep-alives. */
function requestBytes(req: HttpRequest): Buffer {
  const lines = [`${req.method} ${req.url.pathname}${req.url.search} HTTP/1.1`, `Host: ${req.url.host}`];
  for (const [k, v] of Object.entries(req.headers)) {
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new TransportError("controller.network", `header ${JSON.stringify(k)} contains a line break`);
    lines.push(`${k}: ${v}`);
  }
  if (req.body) lines.push(`Content-Length: ${req.body.length}`);
  lines.push("Connection: close", "", "");
  const head = Buffer.from(lines.join("\r\n"), "latin1");
  return req.body ? Buffer.concat([head, req.body]) : head;
}

function malformed(why: string): TransportError {
  return new TransportError("controller.network", `malformed HTTP response: ${why}`);
}

/**
 * The final response in `raw`, everything the server sent before closing
 * (interim 1xx responses skipped); the body de-chunked or cut to its
 * Content-Length.
 */
function parseResponse(raw: Buffer, maxBody: number): HttpResponse {
  let at = 0;
  for (;;) {
    const end = raw.indexOf("\r\n\r\n", at, "latin1");
    if (end < 0) throw malformed("no complete header");
    const lines = raw.toString("latin1", at, end).split("\r\n");
    const m = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0] ?? "");
    if (!m) throw malformed("bad status line");
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon <= 0) throw malformed("bad header line");
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    at = end + 4;
    if (status >= 100 && status < 200) continue;
    let body: Buffer;
    if (/(^|,)\s*chunked\s*$/i.test(headers["transfer-encoding"] ?? "")) {
      const parts: Buffer[] = [];
      let size = 0;
      for (;;) {
        const lineEnd = raw.indexOf(CRLF, at);
        if (lineEnd < 0) throw malformed("truncated chunked body");
        const len = Number.parseInt(raw.toString("latin1", at, lineEnd).split(";")[0]!.trim(), 16);
        if (!Number.isSafeInteger(len) || len < 0) throw malformed("bad chunk size");
        at = lineEnd + 2;
        if (len === 0) break;
        if (at + len + 2 > raw.length || raw[at + len] !== 0x0d || raw[at + len + 1] !== 0x0a) throw malformed("truncated chunk");
        size += len;
        if (size > maxBody) throw new TransportError("controller.body-too-large", `response body exceeds ${maxBody} bytes`);
        parts.push(raw.subarray(at, at + len));
        at += len + 2;
      }
      body = Buffer.concat(parts);
    } else if (headers["content-length"] !== undefined) {
      const len = Number(headers["content-length"]);
      if (!/^\d+$/.test(headers["content-length"]) || !Number.isSafeInteger(len)) throw malformed("bad Content-Length");
      if (len > maxBody) throw new TransportError("controller.body-too-large", `response body exceeds ${maxBody} bytes`);
      if (at + len > raw.length) throw malformed("body shorter than its Content-Length");
      body = raw.subarray(at, at + len);
    } else {
      body = raw.subarray(at);
    }
    if (body.length > maxBody) throw new TransportError("controller.body-too-large", `response body exceeds ${maxBody} bytes`);
    return { status, headers, body: new Uint8Array(body) };
  }
}

/**
 * One HTTPS exchange on a fresh connection (EVE disables keep-alives), with a
 * dial timeout for TCP+TLS set-up, an overall send timeout, a bounded
 * response body, and EVE's TLS 1.2 cipher choice (the runtime refuses
 * anything below TLS 1.2). On the runtime's own sockets (Bun.connect) rather
 * than node:https: its HTTP and stream layers cost a boot's dozen exchanges
 * several times the CPU of the TLS itself. The request is one HTTP/1.1
 * message with `Connection: close`, so the response is everything the
 * server sends before it closes.
 */
export function httpExchange(req: HttpRequest, opts: TransportOptions, signal?: AbortSignal): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new TransportError("controller.aborted", "request aborted before it was sent"));
      return;
    }
    let out: Buffer;
    try {
      out = requestBytes(req);
    } catch (e) {
      reject(e);
      return;
    }
    const isHttps = req.url.protocol === "https:";
    const hostname = req.url.hostname.replace(/^\[|\]$/g, "");
    const port = Number(req.url.port || (isHttps ? 443 : 80));
    const sessionKey = `${hostname}:${port}`;
    let sessionSaved = false;
    const limit = rawLimit(opts.maxResponseBytes);
    const chunks: Buffer[] = [];
    let received = 0;
    let sock: Bun.Socket | undefined;
    let settled = false;
    const finish = (err: TransportError | null, res?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(sendTimer);
      clearTimeout(dialTimer);
      signal?.removeEventListener("abort", onAbort);
      if (err) {
        sock?.terminate();
        // A session is only worth offering again after an exchange that went through.
        opts.sessions?.delete(sessionKey);
        reject(err);
      } else resolve(res!);
    };
    const send = (s: Bun.Socket) => {
      clearTimeout(dialTimer);
      const n = s.write(out);
      out = out.subarray(Math.max(n, 0));
    };
    const complete = () => {
      if (settled) return;
      try {
        finish(null, parseResponse(Buffer.concat(chunks), opts.maxResponseBytes));
      } catch (e) {
        finish(e instanceof TransportError ? e : malformed((e as Error).message));
      }
    };
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
    Bun.connect({
      hostname,
      port,
      ...(isHttps
        ? {
            tls: {
              ca: opts.ca,
              ciphers: CIPHERS,
              ...(/^[\d.]+$|:/.test(req.url.hostname) ? {} : { serverName: req.url.hostname }),
            },
          }
        : {}),
      socket: {
        open(s) {
          sock = s;
          if (settled) s.terminate();
          else if (!isHttps) send(s);
          else {
            const session = opts.sessions?.get(sessionKey);
            try {
              if (session) s.setSession(session);
            } catch {
              // Not a session the TLS library takes back: a full handshake instead.
              opts.sessions?.delete(sessionKey);
            }
          }
        },
        handshake(s, ok, authError) {
          if (!ok || authError) finish(classifyNetworkError((authError ?? new Error("TLS handshake failed")) as NodeJS.ErrnoException));
          else send(s);
        },
        drain(s) {
          if (out.length > 0) send(s);
        },
        data(s, d) {
          // TLS 1.3 tickets come right after the handshake, so by the answer's first bytes the session can be kept.
          if (isHttps && opts.sessions && !sessionSaved) {
            sessionSaved = true;
            const session = (s as unknown as { getSession(): Buffer | undefined }).getSession();
            if (session) opts.sessions.set(sessionKey, session);
          }
          received += d.length;
          if (received > limit) {
            finish(new TransportError("controller.body-too-large", `response body exceeds ${opts.maxResponseBytes} bytes`));
            return;
          }
          chunks.push(Buffer.from(d));
        },
        end: complete,
        close: complete,
        error(_s, e) {
          finish(classifyNetworkError(e as NodeJS.ErrnoException));
        },
        connectError(_s, e) {
          finish(classifyNetworkError(e as NodeJS.ErrnoException));
        },
      },
    }).catch((e: NodeJS.ErrnoException) => finish(classifyNetworkError(e)));
  });
}
