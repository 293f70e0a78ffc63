import { encodePem, spkiFromP256Point, spkiFromRsa } from "../pki/index.ts";
import { concatBytes, fromBase64, hmac, sha256, toBase64, toHex, utf8 } from "../shared/index.ts";
import { decodePublic, publicKeyParts } from "../tpm/index.ts";
import { KeylimeError } from "./errors.ts";
import type { WireRecorder } from "./push/http.ts";

/**
 * The registrar's agent API (Keylime REST API v2.x, "Registrar"): version
 * negotiation, POST /v2.x/agents/{uuid} with the EK and AK, PUT with the
 * auth_tag that proves ActivateCredential worked.
 */

/** Registrar API versions whose registration exchange this client speaks, newest first. */
export const REGISTRAR_API_VERSIONS = ["2.6", "2.5", "2.4", "2.3", "2.2", "2.1", "2.0"] as const;

/** What POST /v2.x/agents/{uuid} carries (keylime registrar_agent.py update()). */
export interface RegistrationBody {
  /** base64 TPM2B_PUBLIC of the TCG EK. */
  ek_tpm: string;
  /** PEM of the EK certificate from NV; left out when the TPM has none. */
  ekcert?: string;
  /** base64 TPM2B_PUBLIC of the AK. */
  aik_tpm: string;
  /** PEM of the agent's server certificate, or "disabled" without mTLS. */
  mtls_cert: string;
  ip?: string;
  port?: number;
}

/** The credential the registrar made: MakeCredential(EK, AK name) of a random secret. */
export interface CredentialChallenge {
  /** TPM2B_ID_OBJECT, wire bytes with its size. */
  credentialBlob: Uint8Array;
  /** TPM2B_ENCRYPTED_SECRET, wire bytes with its size. */
  encSecret: Uint8Array;
}

export interface RegistrarClientOptions {
  /** Per request; a registrar that does not answer in time counts as unreachable. */
  timeoutMs?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** The agent's wire dump: each exchange recorded as NNNN-keylime-registrar-<step>. */
  wireDump?: WireRecorder;
}

interface Envelope {
  code?: number;
  status?: string;
  results?: unknown;
}

const MAX_BODY = 1024 * 1024;

/** Bounds what we quote from the peer in an error: its status text, printable and short. */
function peerText(s: unknown): string {
  return typeof s === "string" ? s.replace(/[^\x20-\x7e]/g, "?").slice(0, 200) : "";
}

/**
 * The answer's body, read as it arrives and abandoned at `cap`: a registrar
 * (or whatever answers in its place) cannot make the agent buffer more
 * than that. `over` when the body, announced or received, is larger;
 * `failed` when the stream broke before its end.
 */
async function readCapped(res: Response, cap: number): Promise<{ bytes: Uint8Array; over?: boolean; failed?: string }> {
  const declared = Number(res.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > cap) {
    await res.body?.cancel().catch(() => undefined);
    return { bytes: new Uint8Array(), over: true };
  }
  const reader = res.body?.getReader();
  if (!reader) return { bytes: new Uint8Array() };
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total + value.length > cap) {
        await reader.cancel().catch(() => undefined);
        return { bytes: concatBytes(...chunks), over: true };
      }
      chunks.push(value);
      total += value.length;
    }
  } catch (e) {
    return { bytes: concatBytes(...chunks), failed: (e as Error).message ?? String(e) };
  }
  return { bytes: concatBytes(...chunks) };
}

export class RegistrarClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(
    baseUrl: string,
    private readonly opts: RegistrarClientOptions = {},
  ) {
    this.base = baseUrl.replace(/\/+$/, "");
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.fetchFn = opts.fetch ?? fetch;
  }

  /** One exchange, recorded in the wire dump as keylime-registrar-<step> whatever its outcome. */
  private async call(step: string, method: "GET" | "POST" | "PUT", path: string, body?: unknown): Promise<{ status: number; env: Envelope }> {
    const dump = this.opts.wireDump;
    const seq = dump?.begin();
    const url = `${this.base}${path}`;
    const headers: Record<string, string> = { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) };
    const sent = body === undefined ? undefined : JSON.stringify(body);
    let answer: { status: number; headers: Record<string, string>; body: Uint8Array } | undefined;
    let failure: unknown;
    try {
      return await this.exchange(method, path, url, headers, sent, (a) => (answer = a));
    } catch (e) {
      failure = e;
      throw e;
    } finally {
      if (dump && seq !== undefined) {
        const why = failure instanceof KeylimeError ? `${failure.kind}: ${failure.message}` : failure === undefined ? undefined : String(failure);
        dump.record(
          seq,
          `keylime-registrar-${step}`,
          { method, url: new URL(url), headers, ...(sent === undefined ? {} : { body: utf8.encode(sent) }) },
          answer,
          why,
        );
      }
    }
  }

  private async exchange(
    method: "GET" | "POST" | "PUT",
    path: string,
    url: string,
    headers: Record<string, string>,
    sent: string | undefined,
    seen: (a: { status: number; headers: Record<string, string>; body: Uint8Array }) => void,
  ): Promise<{ status: number; env: Envelope }> {
    const signals = [AbortSignal.timeout(this.timeoutMs), ...(this.opts.signal ? [this.opts.signal] : [])];
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method,
        headers,
        ...(sent === undefined ? {} : { body: sent }),
        signal: AbortSignal.any(signals),
        redirect: "error",
      });
    } catch (e) {
      throw new KeylimeError("keylime.unreachable", `registrar ${method} ${path}: ${(e as Error).message}`, { cause: e });
    }
    const read = await readCapped(res, MAX_BODY);
    if (this.opts.wireDump) {
      const h: Record<string, string> = {};
      res.headers.forEach((v, k) => (h[k] = v));
      seen({ status: res.status, headers: h, body: read.bytes });
    }
    if (read.failed) throw new KeylimeError("keylime.unreachable", `registrar ${method} ${path}: answer cut off (${read.failed})`, { status: res.status });
    if (read.over) throw new KeylimeError("keylime.protocol", `registrar ${method} ${path}: answer larger than ${MAX_BODY} bytes`, { status: res.status });
    const text = utf8.decode(read.bytes);
    let env: Envelope = {};
    try {
      env = text ? (JSON.parse(text) as Envelope) : {};
    } catch {
      if (res.ok) throw new KeylimeError("keylime.protocol", `registrar ${method} ${path}: answer is not JSON`, { status: res.status });
    }
    // JSON that is not an object (`null` found by fuzzing) threw a TypeError on env.status / env.results.
    if (typeof env !== "object" || env === null || Array.isArray(env)) {
      if (res.ok) throw new KeylimeError("keylime.protocol", `registrar ${method} ${path}: answer is not a JSON object`, { status: res.status });
      env = {};
    }
    if (!res.ok) {
      const why = peerText(env.status) || res.statusText;
      if (res.status === 403) {
        throw new KeylimeError(
          "keylime.refused",
          `registrar refused ${method} ${path} (403: ${why}): the UUID is registered with another TPM; delete it there (keylime_tenant -c regdelete) or configure another UUID`,
          { status: 403 },
        );
      }
      const kind = res.status >= 500 ? "keylime.unreachable" : "keylime.protocol";
      throw new KeylimeError(kind, `registrar ${method} ${path} answered ${res.status}: ${why}`, { status: res.status });
    }
    return { status: res.status, env };
  }

  /** The newest API version both sides speak (GET /version). */
  async negotiate(): Promise<string> {
    const { env } = await this.call("version", "GET", "/version");
    const r = (env.results ?? {}) as { current_version?: unknown; supported_versions?: unknown };
    const theirs = new Set<string>(
      [...(Array.isArray(r.supported_versions) ? r.supported_versions : []), r.current_version].filter((v): v is string => typeof v === "string"),
    );
    const v = REGISTRAR_API_VERSIONS.find((x) => theirs.has(x));
    if (!v)
      throw new KeylimeError(
        "keylime.protocol",
        `registrar speaks none of API ${REGISTRAR_API_VERSIONS.join(", ")} (it offers ${[...theirs].map(peerText).join(", ") || "nothing"})`,
      );
    return v;
  }

  /** POST /v{version}/agents/{uuid}; returns the credential to activate. */
  async register(version: string, uuid: string, body: RegistrationBody): Promise<CredentialChallenge> {
    const { env } = await this.call("register", "POST", `/v${version}/agents/${encodeURIComponent(uuid)}`, body);
    const blob = (env.results as { blob?: unknown } | undefined)?.blob;
    if (typeof blob !== "string") throw new KeylimeError("keylime.protocol", "registrar answered the registration without a credential blob");
    return parseCredentialBlob(blob);
  }

  /** PUT /v{version}/agents/{uuid} with the auth_tag; a wrong tag makes the registrar drop the agent. */
  async activate(version: string, uuid: string, authTag: string): Promise<void> {
    await this.call("activate", "PUT", `/v${version}/agents/${encodeURIComponent(uuid)}`, { auth_tag: authTag });
  }
}

/** tpm2-tools' credential file: u32 0xBADCC0DE, u32 version 1, TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET. */
export function parseCredentialBlob(b64: string): CredentialChallenge {
  const b = Buffer.from(fromBase64(b64));
  const bad = (why: string): never => {
    throw new KeylimeError("keylime.protocol", `credential blob: ${why}`);
  };
  if (b.length < 12) bad(`${b.length} bytes`);
  if (b.readUInt32BE(0) !== 0xbadcc0de) bad("wrong magic");
  if (b.readUInt32BE(4) !== 1) bad(`version ${b.readUInt32BE(4)}`);
  const idLen = b.readUInt16BE(8);
  if (b.length < 12 + idLen) bad("truncated TPM2B_ID_OBJECT");
  const secLen = b.readUInt16BE(10 + idLen);
  if (b.length !== 12 + idLen + secLen) bad("TPM2B_ENCRYPTED_SECRET does not end the blob");
  return { credentialBlob: new Uint8Array(b.subarray(8, 10 + idLen)), encSecret: new Uint8Array(b.subarray(10 + idLen)) };
}

/**
 * The proof of activation: hex HMAC-SHA384 of the agent UUID, keyed with the
 * base64 text of the activated secret (the registrar keeps the secret as
 * base64 and keys the HMAC with that string's bytes).
 */
export function authTag(secret: Uint8Array, uuid: string): string {
  return toHex(hmac("sha384", utf8.encode(toBase64(secret)), utf8.encode(uuid)));
}

/** SubjectPublicKeyInfo PEM (openssl's layout, trailing newline) of a TPM2B_PUBLIC. */
export function tpmPublicPem(tpm2bPublic: Uint8Array): string {
  const parts = publicKeyParts(decodePublic(tpm2bPublic));
  const der = parts.kind === "rsa" ? spkiFromRsa(parts.modulus, parts.exponent) : spkiFromP256Point(parts.point);
  return encodePem("PUBLIC KEY", der);
}

/** The rust agent's `uuid = "hash_ek"`: hex SHA-256 of the EK public key's PEM. */
export function hashEkUuid(ekTpm2bPublic: Uint8Array): string {
  return toHex(sha256(utf8.encode(tpmPublicPem(ekTpm2bPublic))));
}
