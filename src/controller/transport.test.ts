import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type RunningController, startTestController } from "../../test/controller/index.ts";
import { httpExchange, TransportError, type TransportOptions } from "./transport.ts";

let wrongName: RunningController;
let rightName: RunningController;

beforeAll(async () => {
  [wrongName, rightName] = await Promise.all([startTestController({ hosts: ["wrong.example"] }), startTestController({})]);
});

afterAll(async () => {
  for (const c of [wrongName, rightName]) await c?.cleanup();
});

const opts = (ca: string): TransportOptions => ({ ca, dialTimeoutMs: 10_000, sendTimeoutMs: 20_000, maxResponseBytes: 1 << 20 });

async function kind(host: string, c: RunningController, ca = c.pki.trustPem): Promise<string> {
  try {
    const res = await httpExchange({ method: "GET", url: new URL(`https://${host}:${c.port}/api/v2/edgedevice/certs`), headers: {} }, opts(ca));
    return `answered ${res.status}`;
  } catch (e) {
    return e instanceof TransportError ? e.kind : `not a TransportError: ${String(e)}`;
  }
}

describe("TLS failures are told apart", () => {
  test("a trusted controller cert for another name is controller.cert-hostname", async () => {
    expect(await kind("127.0.0.1", wrongName)).toBe("controller.cert-hostname");
    expect(await kind("localhost", wrongName)).toBe("controller.cert-hostname");
  });

  test("a cert from a CA outside the trust anchors is still controller.cert-unknown-authority", async () => {
    expect(await kind("127.0.0.1", rightName, wrongName.pki.trustPem)).toBe("controller.cert-unknown-authority");
  });

  test("the same client gets an answer when the name matches", async () => {
    expect(await kind("127.0.0.1", rightName)).toBe("answered 200");
  });
});

describe("TLS sessions", () => {
  test("an exchange resumes the session an earlier one to the same host left in the cache", async () => {
    const resumed: boolean[] = [];
    const server = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      tls: { cert: rightName.pki.server.chainPem, key: rightName.pki.server.keyPem },
      socket: {
        data(s) {
          resumed.push(s.isSessionReused());
          s.end("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        },
      },
    });
    try {
      const sessions = new Map<string, Buffer>();
      const url = new URL(`https://127.0.0.1:${server.port}/api/v2/edgedevice/certs`);
      for (let i = 0; i < 3; i++) {
        const res = await httpExchange({ method: "GET", url, headers: {} }, { ...opts(rightName.pki.trustPem), sessions });
        expect(new TextDecoder().decode(res.body)).toBe("ok");
      }
      expect(resumed).toEqual([false, true, true]);
      expect([...sessions.keys()]).toEqual([`127.0.0.1:${server.port}`]);
      // Without a cache each exchange is a full handshake.
      await httpExchange({ method: "GET", url, headers: {} }, opts(rightName.pki.trustPem));
      expect(resumed.at(-1)).toBe(false);
    } finally {
      server.stop(true);
    }
  });

  test("a session the TLS library cannot take back means a full handshake, not a failure", async () => {
    const key = `127.0.0.1:${rightName.port}`;
    const sessions = new Map<string, Buffer>([[key, Buffer.from("not a session")]]);
    const res = await httpExchange(
      { method: "GET", url: new URL(`https://127.0.0.1:${rightName.port}/api/v2/edgedevice/certs`), headers: {} },
      { ...opts(rightName.pki.trustPem), sessions },
    );
    expect(res.status).toBe(200);
    expect(sessions.get(key)?.toString()).not.toBe("not a session");
  });

  test("a failed handshake drops the host's session", async () => {
    const sessions = new Map<string, Buffer>([[`127.0.0.1:${wrongName.port}`, Buffer.from("stale")]]);
    await expect(
      httpExchange({ method: "GET", url: new URL(`https://127.0.0.1:${wrongName.port}/x`), headers: {} }, { ...opts(wrongName.pki.trustPem), sessions }),
    ).rejects.toThrow(TransportError);
    expect(sessions.size).toBe(0);
  });
});

/** A plain TCP server answering every connection with `reply` (bytes, or nothing), then closing unless told to stay open. */
function rawServer(reply: (request: string) => string | Buffer | undefined, opts: { stayOpen?: boolean } = {}) {
  const requests: string[] = [];
  const server = Bun.listen<{ buf: string }>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(s) {
        s.data = { buf: "" };
      },
      data(s, d) {
        s.data.buf += d.toString("latin1");
        const end = s.data.buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const len = Number(/\r\ncontent-length: (\d+)/i.exec(s.data.buf)?.[1] ?? 0);
        if (s.data.buf.length < end + 4 + len) return;
        requests.push(s.data.buf);
        const r = reply(s.data.buf);
        if (r !== undefined) s.write(r);
        if (!opts.stayOpen) s.end();
      },
    },
  });
  return { url: (path = "/x") => new URL(`http://127.0.0.1:${server.port}${path}`), requests, stop: () => server.stop(true) };
}

async function exchangeKind(url: URL, over: Partial<TransportOptions> = {}, body?: Uint8Array, signal?: AbortSignal): Promise<string> {
  try {
    const res = await httpExchange(
      { method: body ? "POST" : "GET", url, headers: { "X-Request-Id": "r1" }, ...(body ? { body } : {}) },
      { ...opts(""), ...over },
      signal,
    );
    return `answered ${res.status} ${Buffer.from(res.body).toString("latin1")}`;
  } catch (e) {
    return e instanceof TransportError ? e.kind : `not a TransportError: ${String(e)}`;
  }
}

describe("HTTP/1.1 exchange", () => {
  test("sends one request with Host, the headers, the body and Connection: close", async () => {
    const s = rawServer(() => "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    try {
      expect(await exchangeKind(s.url("/api/v2/edgedevice/id/u/info?a=1"), {}, new Uint8Array([1, 2, 3]))).toBe("answered 200 ok");
      const [head, body] = s.requests[0]!.split("\r\n\r\n");
      const lines = head!.split("\r\n");
      expect(lines[0]).toBe("POST /api/v2/edgedevice/id/u/info?a=1 HTTP/1.1");
      expect(lines.slice(1).sort()).toEqual(["Connection: close", "Content-Length: 3", `Host: 127.0.0.1:${s.url().port}`, "X-Request-Id: r1"]);
      expect(body).toBe("\x01\x02\x03");
    } finally {
      s.stop();
    }
  });

  test("reads a chunked body, skips an interim 100 and lowercases and joins headers", async () => {
    const s = rawServer(
      () =>
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\nx-a: 2\r\nContent-Type: application/x-proto-binary\r\n\r\n" +
        "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n",
    );
    try {
      const res = await httpExchange({ method: "GET", url: s.url(), headers: {} }, opts(""));
      expect(res.status).toBe(201);
      expect(Buffer.from(res.body).toString()).toBe("abcde");
      expect(res.headers["x-a"]).toBe("1, 2");
      expect(res.headers["content-type"]).toBe("application/x-proto-binary");
    } finally {
      s.stop();
    }
  });

  test("reads a body without length up to the close, and an empty 304", async () => {
    const a = rawServer(() => "HTTP/1.1 200 OK\r\n\r\nuntil close");
    const b = rawServer(() => "HTTP/1.1 304 Not Modified\r\n\r\n");
    try {
      expect(await exchangeKind(a.url())).toBe("answered 200 until close");
      expect(await exchangeKind(b.url())).toBe("answered 304 ");
    } finally {
      a.stop();
      b.stop();
    }
  });

  test("refuses bodies over the limit, declared or sent, chunked or not, as controller.body-too-large", async () => {
    const big = "x".repeat(200_000);
    const servers = [
      rawServer(() => `HTTP/1.1 200 OK\r\nContent-Length: 1001\r\n\r\n${"x".repeat(1001)}`),
      rawServer(() => `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n${"x".repeat(1001)}\r\n0\r\n\r\n`),
      rawServer(() => `HTTP/1.1 200 OK\r\n\r\n${big}`),
    ];
    try {
      for (const s of servers) expect(await exchangeKind(s.url(), { maxResponseBytes: 1000 })).toBe("controller.body-too-large");
      expect(await exchangeKind(servers[0]!.url(), { maxResponseBytes: 1001 })).toBe(`answered 200 ${"x".repeat(1001)}`);
    } finally {
      for (const s of servers) s.stop();
    }
  });

  test("reports a truncated or garbled answer as controller.network", async () => {
    const servers = [
      rawServer(() => "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"),
      rawServer(() => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"),
      rawServer(() => "SSH-2.0-OpenSSH\r\n\r\n"),
      rawServer(() => undefined),
    ];
    try {
      for (const s of servers) expect(await exchangeKind(s.url())).toBe("controller.network");
    } finally {
      for (const s of servers) s.stop();
    }
  });

  test("tells a refused connection, a missing answer and an abort apart", async () => {
    const silent = rawServer(() => undefined, { stayOpen: true });
    const refused = rawServer(() => undefined);
    const refusedUrl = refused.url();
    refused.stop();
    try {
      expect(await exchangeKind(refusedUrl)).toBe("controller.refused");
      expect(await exchangeKind(silent.url(), { sendTimeoutMs: 300 })).toBe("controller.timeout");
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      expect(await exchangeKind(silent.url(), {}, undefined, ac.signal)).toBe("controller.aborted");
    } finally {
      silent.stop();
    }
  });

  test("gives up on a server that accepts but never finishes the TLS handshake as controller.dial-timeout", async () => {
    const mute = rawServer(() => undefined, { stayOpen: true });
    try {
      const url = new URL(`https://127.0.0.1:${mute.url().port}/x`);
      expect(await exchangeKind(url, { ca: rightName.pki.trustPem, dialTimeoutMs: 300 })).toBe("controller.dial-timeout");
    } finally {
      mute.stop();
    }
  });
});
