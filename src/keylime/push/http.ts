import https from "node:https";
import { utf8 } from "../../shared/index.ts";
import { PushError } from "./errors.ts";
import { JSONAPI_MEDIA_TYPE, MAX_ANSWER_BYTES } from "./jsonapi.ts";

/** What the wire dump needs of an exchange (the controller's WireDump has this shape). */
export interface WireRecorder {
  begin(): number;
  record(
    seq: number,
    action: string,
    req: { method: string; url: URL; headers: Record<string, string>; body?: Uint8Array },
    res: { status: number; headers: Record<string, string>; body: Uint8Array } | undefined,
    error?: string,
  ): void;
}

export interface VerifierHttpOptions {
  /** The verifier's base URL (https), e.g. https://verifier:8881. */
  baseUrl: URL;
  /** PEM of the CA(s) the verifier's server certificate must chain to; the only trust anchors used. */
  ca: string;
  /** TCP + TLS set-up bound. */
  dialTimeoutMs?: number;
  /** Whole-exchange bound. */
  timeoutMs?: number;
  maxAnswerBytes?: number;
  wireDump?: WireRecorder;
  /** Called once per exchange: the endpoint name, the HTTP status (undefined: no answer) and the duration. */
  onExchange?: (endpoint: string, status: number | undefined, ms: number) => void;
}

export interface VerifierAnswer {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Uint8Array;
}

const REDACTED = "[redacted]";

/**
 * HTTPS to the push verifier: JSON:API bodies, a bearer token when the step
 * needs one, one fresh connection per exchange (a device behind NAT loses
 * idle connections anyway), bounded time and answer size, and every
 * exchange recorded in the wire dump as `keylime-<endpoint>` with the bearer
 * token and the session token in the answer replaced, since the dump must
 * never hold a credential.
 */
export class VerifierHttp {
  constructor(private readonly opts: VerifierHttpOptions) {
    if (opts.baseUrl.protocol !== "https:") throw new TypeError("the push verifier is reached over https only");
  }

  get base(): URL {
    return this.opts.baseUrl;
  }

  async send(endpoint: string, method: "POST" | "PATCH", path: string, doc: unknown, token: string | undefined, signal: AbortSignal): Promise<VerifierAnswer> {
    const url = new URL(path, this.opts.baseUrl);
    const body = utf8.encode(JSON.stringify(doc));
    const headers: Record<string, string> = {
      "Content-Type": JSONAPI_MEDIA_TYPE,
      Accept: JSONAPI_MEDIA_TYPE,
      "X-Request-Id": crypto.randomUUID().slice(0, 8),
    };
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    const dump = this.opts.wireDump;
    const seq = dump?.begin();
    const started = performance.now();
    let answer: VerifierAnswer | undefined;
    let failure: PushError | undefined;
    try {
      answer = await this.exchange(method, url, headers, body, signal);
      return answer;
    } catch (e) {
      failure = e as PushError;
      throw e;
    } finally {
      this.opts.onExchange?.(endpoint, answer?.status, performance.now() - started);
      if (dump && seq !== undefined) {
        const shownHeaders = token === undefined ? headers : { ...headers, Authorization: `Bearer ${REDACTED}` };
        dump.record(
          seq,
          `keylime-${endpoint}`,
          { method, url, headers: shownHeaders, body },
          answer && { ...answer, body: redactToken(answer.body) },
          failure && `${failure.kind}: ${failure.message}`,
        );
      }
    }
  }

  private exchange(method: string, url: URL, headers: Record<string, string>, body: Uint8Array, signal: AbortSignal): Promise<VerifierAnswer> {
    const max = this.opts.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new PushError("keylime.push.transport", "request aborted before it was sent"));
      let settled = false;
      const finish = (err: PushError | undefined, res?: VerifierAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(dialTimer);
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(res!);
      };
      const req = https.request(
        {
          method,
          host: url.hostname.replace(/^\[|\]$/g, ""),
          port: url.port || 443,
          path: url.pathname + url.search,
          headers: { ...headers, "Content-Length": String(body.length) },
          agent: false,
          ca: this.opts.ca,
          minVersion: "TLSv1.2",
          servername: /^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (c: Buffer) => {
            size += c.length;
            if (size > max) return finish(new PushError("keylime.push.malformed", `verifier answer larger than ${max} bytes`, { status: res.statusCode }));
            chunks.push(c);
          });
          res.on("end", () => {
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
            finish(undefined, { status: res.statusCode ?? 0, headers: h, body: new Uint8Array(Buffer.concat(chunks)) });
          });
          res.on("error", (e) => finish(transportError(e)));
        },
      );
      const dialTimer = setTimeout(
        () => finish(new PushError("keylime.push.transport", `no connection to the verifier within ${this.opts.dialTimeoutMs ?? 10_000} ms`)),
        this.opts.dialTimeoutMs ?? 10_000,
      );
      const timer = setTimeout(
        () => finish(new PushError("keylime.push.transport", `no complete answer from the verifier within ${this.opts.timeoutMs ?? 30_000} ms`)),
        this.opts.timeoutMs ?? 30_000,
      );
      const onAbort = () => finish(new PushError("keylime.push.transport", "request aborted (agent stopping)"));
      signal.addEventListener("abort", onAbort, { once: true });
      req.on("socket", (s) => s.once("secureConnect", () => clearTimeout(dialTimer)));
      req.on("error", (e) => finish(transportError(e)));
      req.end(Buffer.from(body));
    });
  }
}

/** OpenSSL's verdicts on a server certificate that does not chain to verifierCa (or is out of its validity). */
const UNTRUSTED = /^(?:UNABLE_TO_(?:VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT(?:_LOCALLY)?)|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERT_[A-Z_]+)$/;

function transportError(e: NodeJS.ErrnoException): PushError {
  const code = e.code ?? "";
  const why =
    code === "ECONNREFUSED"
      ? "connection refused"
      : UNTRUSTED.test(code)
        ? `verifier certificate not trusted by keylime.verifierCa (${code})`
        : code === "ERR_TLS_CERT_ALTNAME_INVALID"
          ? `verifier certificate is not for this host (${code}): check keylime.verifierUrl`
          : `${code || "network error"}: ${e.message}`;
  return new PushError("keylime.push.transport", why, { cause: e });
}

/** The session answer carries the bearer token; the dump keeps the rest of it. */
function redactToken(body: Uint8Array): Uint8Array {
  if (body.length === 0 || body.length > MAX_ANSWER_BYTES) return body;
  try {
    const doc = JSON.parse(utf8.decode(body)) as { data?: { attributes?: Record<string, unknown> } };
    const attrs = doc?.data?.attributes;
    if (attrs && typeof attrs === "object" && "token" in attrs) {
      attrs.token = REDACTED;
      return utf8.encode(JSON.stringify(doc));
    }
  } catch {}
  return body;
}
