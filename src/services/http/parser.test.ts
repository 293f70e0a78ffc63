import { describe, expect, test } from "bun:test";
import { type ParseStep, RequestParser } from "./parser.ts";

const limits = { maxHeadBytes: 1024, maxBodyBytes: 64 };
const enc = (s: string) => new TextEncoder().encode(s);

function feed(p: RequestParser, ...chunks: string[]): ParseStep[] {
  const out: ParseStep[] = [];
  for (const c of chunks) {
    p.push(enc(c));
    for (;;) {
      const s = p.next();
      out.push(s);
      if (s.kind !== "request") break;
    }
  }
  return out;
}

describe("RequestParser", () => {
  test("parses a request split at every byte, with its Content-Length body", () => {
    const text = 'POST /sign?api-version=2021-05-01 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{"a":1}';
    const p = new RequestParser(limits);
    const steps = feed(p, ...text.split(""));
    const req = steps.find((s) => s.kind === "request");
    expect(req?.kind).toBe("request");
    if (req?.kind !== "request") return;
    expect(req.request.method).toBe("POST");
    expect(req.request.target).toBe("/sign?api-version=2021-05-01");
    expect(new TextDecoder().decode(req.request.body)).toBe('{"a":1}');
    expect(req.request.keepAlive).toBe(true);
    expect(p.midRequest).toBe(false);
  });

  test("reads pipelined requests in order and decodes a chunked body", () => {
    const p = new RequestParser(limits);
    const steps = feed(
      p,
      "GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: 1\r\n\r\nGET /c HTTP/1.0\r\n\r\n",
    );
    const reqs = steps.filter((s) => s.kind === "request").map((s) => (s.kind === "request" ? s.request : undefined)!);
    expect(reqs.map((r) => r.target)).toEqual(["/a", "/b", "/c"]);
    expect(new TextDecoder().decode(reqs[1]!.body)).toBe("abcde");
    expect(reqs[2]!.keepAlive).toBe(false);
  });

  test("reports the head before the body for Expect: 100-continue", () => {
    const p = new RequestParser(limits);
    const [s] = feed(p, "PUT /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
    expect(s).toMatchObject({ kind: "more", head: { expectContinue: true } });
  });

  test("refuses an oversized body by its Content-Length before reading it, and a chunked one once it grows too big", () => {
    expect(feed(new RequestParser(limits), "POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n")[0]).toMatchObject({ kind: "error", status: 413 });
    const chunked = feed(new RequestParser(limits), "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" + "a".repeat(32) + "\r\n21\r\n");
    expect(chunked.at(-1)).toMatchObject({ kind: "error", status: 413 });
  });

  test("refuses ambiguous framing, a bad request line and an endless head", () => {
    expect(feed(new RequestParser(limits), "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")[0]).toMatchObject({ status: 400 });
    expect(feed(new RequestParser(limits), "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")[0]).toMatchObject({ status: 400 });
    expect(feed(new RequestParser(limits), "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n")[0]).toMatchObject({ status: 501 });
    expect(feed(new RequestParser(limits), "GET http://evil/ HTTP/1.1\r\n\r\n")[0]).toMatchObject({ status: 400 });
    expect(feed(new RequestParser(limits), "GET / HTTP/2.0\r\n\r\n")[0]).toMatchObject({ status: 505 });
    expect(feed(new RequestParser(limits), "GET / HTTP/1.1\r\n folded: x\r\n\r\n")[0]).toMatchObject({ status: 400 });
    expect(feed(new RequestParser(limits), "GET / HTTP/1.1\r\nX: " + "a".repeat(2000))[0]).toMatchObject({ status: 431 });
  });
});
