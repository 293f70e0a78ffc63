import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import type { Socket, TCPSocketListener, UnixSocketListener } from "bun";
import { errorChain, type Logger } from "../../shared/index.ts";
import { ServicesError } from "../errors.ts";
import { type ParsedRequest, RequestParser } from "./parser.ts";
import { type PeerCred, peerCredOf } from "./peercred.ts";

export interface ServerLimits {
  /** Requests of one uid handled at the same time on this socket (aziot: 10); more get 429. */
  maxRequestsPerUid: number;
  maxBodyBytes: number;
  /** A request must arrive whole within this time of the connection opening or the previous answer. */
  readTimeoutMs: number;
  /** Open connections on this socket; more are closed at once. */
  maxConnections: number;
  maxHeadBytes: number;
}

export interface LocalServerOptions {
  /** Service name for the logs ("keys", "certs", "identity"). */
  name: string;
  socket: string;
  /** File mode of the socket: who may connect at all (aziot: 0660, the service's group). */
  mode: number;
  /** Group owning the socket, when callers are let in by group. */
  gid?: number;
  limits: ServerLimits;
  /** The request with its caller; must answer, errors included (a throw becomes a bare 500). */
  fetch(request: Request, peer: PeerCred): Promise<Response>;
  log: Logger;
}

export interface LocalServer {
  readonly socketPath: string;
  /** Open connections and requests in flight (tests, health). */
  stats(): { connections: number; inFlight: number; refusedBusy: number; refusedConnections: number; timeouts: number };
  stop(): void;
}

interface Conn {
  peer?: PeerCred;
  parser: RequestParser;
  busy: boolean;
  closing: boolean;
  sentContinue: boolean;
  pending: Buffer[];
  timer?: ReturnType<typeof setTimeout>;
}

const REASONS: Record<number, string> = {
  100: "Continue",
  200: "OK",
  201: "Created",
  204: "No Content",
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};

/** Logs the first occurrence, then at most one summary per interval, so a flood cannot flood the journal. */
class ThrottledLog {
  private last = 0;
  private suppressed = 0;
  constructor(
    private readonly log: Logger,
    private readonly intervalMs = 10_000,
  ) {}
  warn(msg: string, fields: Record<string, unknown>): void {
    const now = Date.now();
    if (now - this.last < this.intervalMs) {
      this.suppressed++;
      return;
    }
    this.log.warn(msg, { ...fields, ...(this.suppressed ? { alsoSinceLastLine: this.suppressed } : {}) });
    this.last = now;
    this.suppressed = 0;
  }
}

function head(status: number, headers: Array<[string, string]>): Buffer {
  const lines = [`HTTP/1.1 ${status} ${REASONS[status] ?? "Status"}`, ...headers.map(([n, v]) => `${n}: ${v}`), "", ""];
  return Buffer.from(lines.join("\r\n"), "latin1");
}

function jsonError(status: number, message: string): Buffer {
  const body = Buffer.from(JSON.stringify({ message }));
  return Buffer.concat([
    head(status, [
      ["Content-Type", "application/json"],
      ["Content-Length", String(body.length)],
      ["Connection", "close"],
    ]),
    body,
  ]);
}

/**
 * The bytes answering one parsed request: the service's fetch, its
 * response framed as HTTP/1.1, and whether the connection stays open.
 * Never throws: a request the platform's Request or Headers refuse (a NUL
 * in a header value, found by fuzzing, threw outside any handler and left
 * the connection unanswered) gets a 400, a handler failure a bare 500.
 */
export async function answerRequest(
  req: ParsedRequest,
  peer: PeerCred,
  fetch: (request: Request, peer: PeerCred) => Promise<Response>,
  o: { name: string; log: Logger; closing?: boolean },
): Promise<{ bytes: Buffer; keepAlive: boolean }> {
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  let request: Request;
  try {
    const headers = new Headers();
    for (const [n, v] of req.headers) headers.append(n, v);
    request = new Request(`http://localhost${req.target}`, { method: req.method, headers, ...(hasBody ? { body: req.body } : {}) });
  } catch {
    return { bytes: jsonError(400, "request not representable (header value or target)"), keepAlive: false };
  }
  let res: Response;
  try {
    res = await fetch(request, peer);
  } catch (e) {
    o.log.error("request handler failed", { service: o.name, error: errorChain(e) });
    res = new Response(JSON.stringify({ message: "internal error" }), { status: 500, headers: { "Content-Type": "application/json" } });
  }
  const body = res.status === 204 || req.method === "HEAD" ? Buffer.alloc(0) : Buffer.from(await res.arrayBuffer());
  const out: Array<[string, string]> = [];
  res.headers.forEach((v, n) => {
    if (n !== "content-length" && n !== "connection" && n !== "transfer-encoding") out.push([n, v]);
  });
  if (res.status !== 204) out.push(["Content-Length", String(body.length)]);
  const keepAlive = req.keepAlive && !o.closing;
  out.push(["Connection", keepAlive ? "keep-alive" : "close"]);
  return { bytes: Buffer.concat([head(res.status, out), body]), keepAlive };
}

/**
 * HTTP/1.1 on a Unix socket with the caller's kernel credentials attached
 * to every request. Bun.listen rather than Bun.serve or node:http: only its
 * sockets carry the descriptor SO_PEERCRED needs (measured in the README).
 * Requests on one connection are answered in order; a uid gets at most
 * `maxRequestsPerUid` requests handled at once on this socket, so one noisy
 * local process cannot starve the others.
 */
export function startLocalServer(opts: LocalServerOptions): LocalServer {
  const { limits, log } = opts;
  mkdirSync(dirname(opts.socket), { recursive: true, mode: 0o755 });
  if (existsSync(opts.socket)) {
    // Only a leftover socket from a previous run may be replaced, never a regular file.
    if (!lstatSync(opts.socket).isSocket()) throw new ServicesError("services.socket", `${opts.socket} exists and is not a socket`);
    unlinkSync(opts.socket);
  }
  const inFlight = new Map<number, number>();
  let connections = 0;
  let refusedBusy = 0;
  let refusedConnections = 0;
  let timeouts = 0;
  const busyLog = new ThrottledLog(log);
  const connLog = new ThrottledLog(log);

  const flush = (s: Socket<Conn>): void => {
    const c = s.data;
    while (c.pending.length > 0) {
      const chunk = c.pending[0]!;
      const n = s.write(chunk);
      if (n < 0) return;
      if (n < chunk.length) {
        c.pending[0] = chunk.subarray(n);
        return;
      }
      c.pending.shift();
    }
    if (c.closing) {
      s.end();
      // A peer that never closes its side must not keep the descriptor.
      setTimeout(() => s.terminate(), 2000).unref();
    }
  };
  const send = (s: Socket<Conn>, bytes: Buffer): void => {
    s.data.pending.push(bytes);
    flush(s);
  };
  const fail = (s: Socket<Conn>, status: number, message: string): void => {
    clearTimeout(s.data.timer);
    s.data.closing = true;
    send(s, jsonError(status, message));
  };
  const arm = (s: Socket<Conn>): void => {
    clearTimeout(s.data.timer);
    s.data.timer = setTimeout(() => {
      if (s.data.busy || s.data.closing) return;
      if (s.data.parser.midRequest) {
        timeouts++;
        fail(s, 408, `request not received within ${limits.readTimeoutMs} ms`);
      } else {
        // An idle keep-alive connection: nothing to answer.
        s.data.closing = true;
        flush(s);
      }
    }, limits.readTimeoutMs);
  };

  const dispatch = async (s: Socket<Conn>, req: ParsedRequest): Promise<void> => {
    const out = await answerRequest(req, s.data.peer!, opts.fetch, { name: opts.name, log, closing: s.data.closing });
    if (!out.keepAlive) s.data.closing = true;
    send(s, out.bytes);
  };

  const pump = (s: Socket<Conn>): void => {
    const c = s.data;
    while (!c.busy && !c.closing) {
      const step = c.parser.next();
      if (step.kind === "more") {
        if (step.head?.expectContinue && !c.sentContinue) {
          c.sentContinue = true;
          send(s, Buffer.from("HTTP/1.1 100 Continue\r\n\r\n"));
        }
        return;
      }
      if (step.kind === "error") {
        fail(s, step.status, step.message);
        return;
      }
      clearTimeout(c.timer);
      c.sentContinue = false;
      const uid = c.peer!.uid;
      const now = inFlight.get(uid) ?? 0;
      if (now >= limits.maxRequestsPerUid) {
        refusedBusy++;
        busyLog.warn("too many concurrent requests; refusing", { service: opts.name, uid, limit: limits.maxRequestsPerUid });
        fail(s, 429, `too many concurrent requests from uid ${uid} (limit ${limits.maxRequestsPerUid})`);
        return;
      }
      inFlight.set(uid, now + 1);
      c.busy = true;
      void dispatch(s, step.request).finally(() => {
        const left = (inFlight.get(uid) ?? 1) - 1;
        if (left === 0) inFlight.delete(uid);
        else inFlight.set(uid, left);
        c.busy = false;
        if (!c.closing) {
          arm(s);
          pump(s);
        }
      });
    }
  };

  const listener: UnixSocketListener<Conn> | TCPSocketListener<Conn> = Bun.listen<Conn>({
    unix: opts.socket,
    socket: {
      open(s) {
        s.data = {
          parser: new RequestParser({ maxHeadBytes: limits.maxHeadBytes, maxBodyBytes: limits.maxBodyBytes }),
          busy: false,
          closing: false,
          sentContinue: false,
          pending: [],
        };
        connections++;
        if (connections > limits.maxConnections) {
          refusedConnections++;
          connLog.warn("too many open connections; closing new ones", { service: opts.name, limit: limits.maxConnections });
          s.data.closing = true;
          s.terminate();
          return;
        }
        try {
          s.data.peer = peerCredOf((s as unknown as { fd: number }).fd);
        } catch (e) {
          // Without the caller's identity nothing can be authorised; the connection is useless.
          log.error("cannot read the caller's credentials; closing the connection", { service: opts.name, error: errorChain(e) });
          s.data.closing = true;
          s.terminate();
          return;
        }
        arm(s);
      },
      data(s, chunk) {
        const c = s.data;
        if (c.closing || !c.peer) return;
        c.parser.push(chunk);
        // Pipelined requests queue up behind the one being handled, within the same bounds as one request.
        if (c.parser.buffered > limits.maxHeadBytes + limits.maxBodyBytes) {
          fail(s, 413, "too much data queued on one connection");
          return;
        }
        pump(s);
      },
      drain(s) {
        flush(s);
      },
      close(s) {
        clearTimeout(s.data?.timer);
        connections--;
      },
      error(s, e) {
        log.debug("connection error", { service: opts.name, error: errorChain(e) });
      },
    },
  });
  chmodSync(opts.socket, opts.mode);
  if (opts.gid !== undefined) chownSync(opts.socket, process.getuid?.() ?? 0, opts.gid);
  log.info("listening", { service: opts.name, socket: opts.socket, mode: `0${opts.mode.toString(8)}` });
  return {
    socketPath: opts.socket,
    stats: () => ({ connections, inFlight: [...inFlight.values()].reduce((a, b) => a + b, 0), refusedBusy, refusedConnections, timeouts }),
    stop() {
      listener.stop(true);
      try {
        unlinkSync(opts.socket);
      } catch {}
    },
  };
}
