/**
 * An incremental HTTP/1.1 request parser for the local services. It exists
 * because the only Bun server that hands out a connection's descriptor (for
 * SO_PEERCRED) is Bun.listen, which speaks bytes, not HTTP. It accepts what
 * local clients send (curl, hyper, Bun's fetch): origin-form targets,
 * Content-Length or chunked bodies, Expect: 100-continue, keep-alive and
 * pipelining, and refuses anything ambiguous instead of guessing.
 */

export interface RequestHead {
  method: string;
  /** Origin-form request target: path and query. */
  target: string;
  version: "1.0" | "1.1";
  /** Lower-cased names, in arrival order. */
  headers: Array<[string, string]>;
  keepAlive: boolean;
  expectContinue: boolean;
}

export interface ParsedRequest extends RequestHead {
  body: Uint8Array;
}

export type ParseStep =
  /** More bytes are needed; `head` is there once the head is complete (for 100-continue). */
  | { kind: "more"; head?: RequestHead }
  | { kind: "request"; request: ParsedRequest }
  /** The connection cannot go on: answer `status` and close. */
  | { kind: "error"; status: 400 | 408 | 413 | 431 | 501 | 505; message: string };

export interface ParserLimits {
  maxHeadBytes: number;
  maxBodyBytes: number;
}

const CRLF = 0x0d0a;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEAD_END = Buffer.from("\r\n\r\n");

type BodyState = { mode: "length"; remaining: number } | { mode: "chunked"; phase: "size" | "data" | "data-crlf" | "trailer"; remaining: number };

export class RequestParser {
  private buf: Buffer = Buffer.alloc(0);
  private head: RequestHead | undefined;
  private body: BodyState | undefined;
  private parts: Buffer[] = [];
  private bodyBytes = 0;
  private failed = false;

  constructor(private readonly limits: ParserLimits) {}

  /** Bytes received but not yet consumed by a complete request. */
  get buffered(): number {
    return this.buf.length;
  }

  /** Whether part of a request has arrived (an idle keep-alive connection has none). */
  get midRequest(): boolean {
    return this.head !== undefined || this.buf.length > 0;
  }

  push(chunk: Uint8Array): void {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
  }

  next(): ParseStep {
    if (this.failed) return { kind: "error", status: 400, message: "connection already failed" };
    const step = this.step();
    if (step.kind === "error") this.failed = true;
    return step;
  }

  private step(): ParseStep {
    if (!this.head) {
      const end = this.buf.indexOf(HEAD_END);
      if (end < 0) {
        if (this.buf.length > this.limits.maxHeadBytes) return { kind: "error", status: 431, message: "request head too large" };
        return { kind: "more" };
      }
      if (end + 4 > this.limits.maxHeadBytes) return { kind: "error", status: 431, message: "request head too large" };
      const parsed = parseHead(this.buf.subarray(0, end).toString("latin1"));
      if ("status" in parsed) return { kind: "error", ...parsed };
      const framing = bodyFraming(parsed, this.limits.maxBodyBytes);
      if ("status" in framing) return { kind: "error", ...framing };
      this.buf = this.buf.subarray(end + 4);
      this.head = parsed;
      this.body = framing.body;
      this.parts = [];
      this.bodyBytes = 0;
    }
    const body = this.readBody();
    if (body.kind !== "done") return body.kind === "error" ? body : { kind: "more", head: this.head };
    const request: ParsedRequest = { ...this.head, body: body.bytes };
    this.head = undefined;
    this.body = undefined;
    this.parts = [];
    return { kind: "request", request };
  }

  private take(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  private addPart(p: Buffer): ParseStep | undefined {
    this.bodyBytes += p.length;
    if (this.bodyBytes > this.limits.maxBodyBytes) return { kind: "error", status: 413, message: `request body larger than ${this.limits.maxBodyBytes} bytes` };
    this.parts.push(Buffer.from(p));
    return undefined;
  }

  private readBody(): { kind: "done"; bytes: Uint8Array } | { kind: "more" } | Extract<ParseStep, { kind: "error" }> {
    const b = this.body;
    if (!b) return { kind: "done", bytes: new Uint8Array(0) };
    if (b.mode === "length") {
      const n = Math.min(b.remaining, this.buf.length);
      if (n > 0) {
        const err = this.addPart(this.take(n));
        if (err && err.kind === "error") return err;
        b.remaining -= n;
      }
      return b.remaining === 0 ? { kind: "done", bytes: new Uint8Array(Buffer.concat(this.parts)) } : { kind: "more" };
    }
    for (;;) {
      if (b.phase === "size" || b.phase === "trailer") {
        const eol = lineEnd(this.buf);
        if (eol < 0) {
          if (this.buf.length > this.limits.maxHeadBytes) return { kind: "error", status: 400, message: "chunk header too long" };
          return { kind: "more" };
        }
        const line = this.take(eol + 2)
          .subarray(0, eol)
          .toString("latin1");
        if (b.phase === "trailer") {
          // Trailers are read and dropped; an empty line ends the body.
          if (line === "") return { kind: "done", bytes: new Uint8Array(Buffer.concat(this.parts)) };
          continue;
        }
        const m = /^([0-9A-Fa-f]{1,8})(;.*)?$/.exec(line);
        if (!m) return { kind: "error", status: 400, message: "malformed chunk size" };
        const size = parseInt(m[1]!, 16);
        if (this.bodyBytes + size > this.limits.maxBodyBytes) {
          return { kind: "error", status: 413, message: `request body larger than ${this.limits.maxBodyBytes} bytes` };
        }
        if (size === 0) b.phase = "trailer";
        else {
          b.phase = "data";
          b.remaining = size;
        }
      } else if (b.phase === "data") {
        const n = Math.min(b.remaining, this.buf.length);
        if (n === 0) return { kind: "more" };
        const err = this.addPart(this.take(n));
        if (err && err.kind === "error") return err;
        b.remaining -= n;
        if (b.remaining === 0) b.phase = "data-crlf";
      } else {
        if (this.buf.length < 2) return { kind: "more" };
        if (this.take(2).readUInt16BE(0) !== CRLF) return { kind: "error", status: 400, message: "chunk not followed by CRLF" };
        b.phase = "size";
      }
    }
  }
}

function lineEnd(buf: Buffer): number {
  return buf.indexOf("\r\n");
}

type HeadError = { status: 400 | 501 | 505; message: string };

function parseHead(text: string): RequestHead | HeadError {
  const lines = text.split("\r\n");
  const m = /^([A-Z]+) (\S+) HTTP\/(\d)\.(\d)$/.exec(lines[0] ?? "");
  if (!m) return { status: 400, message: "malformed request line" };
  const [, method, target, major, minor] = m;
  if (major !== "1") return { status: 505, message: "only HTTP/1.x is served" };
  if (!target!.startsWith("/")) return { status: 400, message: "request target must be a path" };
  const version = minor === "0" ? "1.0" : "1.1";
  const headers: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith(" ") || line.startsWith("\t")) return { status: 400, message: "folded header lines are not accepted" };
    const colon = line.indexOf(":");
    if (colon <= 0) return { status: 400, message: "malformed header line" };
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return { status: 400, message: "malformed header name" };
    headers.push([name.toLowerCase(), line.slice(colon + 1).trim()]);
  }
  const connection = headers
    .filter(([n]) => n === "connection")
    .flatMap(([, v]) => v.toLowerCase().split(","))
    .map((v) => v.trim());
  const keepAlive = version === "1.1" ? !connection.includes("close") : connection.includes("keep-alive");
  const expect = headers.find(([n]) => n === "expect")?.[1].toLowerCase();
  return { method: method!, target: target!, version, headers, keepAlive, expectContinue: version === "1.1" && expect === "100-continue" };
}

function bodyFraming(head: RequestHead, maxBody: number): { body: BodyState | undefined } | { status: 400 | 413 | 501; message: string } {
  const te = head.headers.filter(([n]) => n === "transfer-encoding").map(([, v]) => v.toLowerCase());
  const cl = head.headers.filter(([n]) => n === "content-length").map(([, v]) => v);
  // Both, or several differing lengths, is how request smuggling starts: refuse rather than pick one.
  if (te.length > 0 && cl.length > 0) return { status: 400, message: "both Transfer-Encoding and Content-Length" };
  if (te.length > 0) {
    if (te.length !== 1 || te[0] !== "chunked") return { status: 501, message: "only chunked transfer coding is supported" };
    return { body: { mode: "chunked", phase: "size", remaining: 0 } };
  }
  if (cl.length === 0) return { body: undefined };
  if (new Set(cl).size !== 1 || !/^\d{1,15}$/.test(cl[0]!)) return { status: 400, message: "invalid Content-Length" };
  const length = Number(cl[0]);
  if (length > maxBody) return { status: 413, message: `request body larger than ${maxBody} bytes` };
  return { body: length === 0 ? undefined : { mode: "length", remaining: length } };
}
