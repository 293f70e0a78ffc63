import { codec, unwrapEnvelope, ZCertType, type ZControllerCert } from "../protocol/index.ts";
import { parseCertificatesPem, verifyChain, type ChainWork, type ParsedCert } from "../pki/index.ts";
import { readFileIfExists, writeFilesAtomic, type StateError } from "../state/index.ts";
import { AgentError, toHex, type Logger } from "../shared/index.ts";
import type { PublicKeyInfo } from "../pki/index.ts";

export class ControllerCertsError extends AgentError {
  constructor(kind: "certs.type" | "certs.signing-count" | "certs.no-ecdh" | "certs.chain" | "certs.decode" | "certs.content-type", message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}

/** The verified controller certificate set the agent trusts envelopes from. */
export interface ControllerCerts {
  signing: { pem: Uint8Array; cert: ParsedCert; publicKey: PublicKeyInfo; certHash: string };
  ecdh: { pem: Uint8Array; cert: ParsedCert; certHash: string }[];
  /** Hex certHash values as the controller sent them: the set used for change detection. */
  hashes: string[];
  raw: Uint8Array;
}

function firstCert(pem: Uint8Array, what: string): ParsedCert {
  const certs = parseCertificatesPem(pem);
  if (certs.length === 0) throw new ControllerCertsError("certs.decode", `${what} holds no certificate`);
  return certs[0]!;
}

/**
 * Applies EVE's rules to a ZControllerCert (docs/protocol.md#controller-cert-rules): only
 * SIGNING/INTERMEDIATE/ECDH types, exactly one SIGNING, at least one ECDH
 * when required, each leaf chained to root-certificate.pem.
 */
export async function verifyControllerCerts(
  raw: Uint8Array,
  roots: ParsedCert[],
  opts: { now: Date; requireEcdh: boolean },
): Promise<ControllerCerts> {
  let msg: ZControllerCert;
  try {
    msg = codec.ZControllerCert.decode(raw);
  } catch (e) {
    throw new ControllerCertsError("certs.decode", "controller certs payload is not a ZControllerCert", { cause: e });
  }
  const intermediates: ParsedCert[] = [];
  const signing: ControllerCerts["signing"][] = [];
  const ecdh: ControllerCerts["ecdh"] = [];
  for (const z of msg.certs) {
    if (z.type === ZCertType.CERT_TYPE_CONTROLLER_INTERMEDIATE) {
      try {
        intermediates.push(...parseCertificatesPem(z.cert));
      } catch (e) {
        throw new ControllerCertsError("certs.decode", "intermediate certificate does not parse", { cause: e });
      }
    } else if (z.type !== ZCertType.CERT_TYPE_CONTROLLER_SIGNING && z.type !== ZCertType.CERT_TYPE_CONTROLLER_ECDH_EXCHANGE) {
      throw new ControllerCertsError("certs.type", `controller cert of type ${z.type} is not allowed in the controller set`);
    }
  }
  // One budget for the whole answer: a set with many leaves over many
  // decoy intermediates costs no more than one bounded search.
  const work: ChainWork = { signatureChecks: 0 };
  for (const z of msg.certs) {
    if (z.type === ZCertType.CERT_TYPE_CONTROLLER_INTERMEDIATE) continue;
    let cert: ParsedCert;
    try {
      cert = firstCert(z.cert, "controller cert");
    } catch (e) {
      if (e instanceof ControllerCertsError) throw e;
      throw new ControllerCertsError("certs.decode", "controller certificate does not parse", { cause: e });
    }
    try {
      await verifyChain(cert, { roots, intermediates, now: opts.now, requireServerAuth: true, work });
    } catch (e) {
      const which = z.type === ZCertType.CERT_TYPE_CONTROLLER_SIGNING ? "signing" : "ECDH";
      throw new ControllerCertsError("certs.chain", `controller ${which} certificate ${cert.subject} is not trusted: ${(e as Error).message}`, { cause: e });
    }
    const entry = { pem: z.cert, cert, certHash: toHex(z.certHash) };
    if (z.type === ZCertType.CERT_TYPE_CONTROLLER_SIGNING) signing.push({ ...entry, publicKey: cert.publicKey });
    else ecdh.push(entry);
  }
  if (signing.length !== 1) throw new ControllerCertsError("certs.signing-count", `expected exactly one signing certificate, got ${signing.length}`);
  if (opts.requireEcdh && ecdh.length === 0) throw new ControllerCertsError("certs.no-ecdh", "no ECDH exchange certificate in the controller set");
  const hashes = msg.certs.map((z) => toHex(z.certHash));
  return { signing: signing[0]!, ecdh, hashes, raw };
}

function sameHashSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((h) => sb.has(h));
}

/**
 * Holds the current controller cert set and its checkpoint
 * (/persist/checkpoint/controllercerts + .bak).
 */
export class ControllerCertStore {
  private current: ControllerCerts | undefined;
  constructor(
    private readonly path: string,
    private readonly roots: () => ParsedCert[],
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get certs(): ControllerCerts | undefined {
    return this.current;
  }

  /** Loads and re-verifies the checkpoint; a bad primary falls back to .bak. */
  async loadCheckpoint(): Promise<ControllerCerts | undefined> {
    // Each copy is verified on its own: a primary that reads fine but no longer
    // verifies still falls back to the backup.
    for (const [from, path] of [["primary", this.path], ["backup", `${this.path}.bak`]] as const) {
      let data: Uint8Array | undefined;
      try {
        data = readFileIfExists(path);
      } catch (e) {
        this.log.warn("controller cert checkpoint unreadable", { from, error: (e as StateError).message });
        continue;
      }
      if (!data) continue;
      try {
        this.current = await verifyControllerCerts(data, this.roots(), { now: this.now(), requireEcdh: true });
        if (from === "backup") this.log.info("controller certs restored from backup checkpoint");
        return this.current;
      } catch (e) {
        this.log.warn("controller cert checkpoint failed verification", { from, error: (e as Error).message });
      }
    }
    return undefined;
  }

  /** Accepts a /certs response body (an unverified AuthContainer), verifies and checkpoints it. */
  async acceptResponse(body: Uint8Array): Promise<ControllerCerts> {
    let payload: Uint8Array;
    try {
      payload = unwrapEnvelope(body);
    } catch (e) {
      throw new ControllerCertsError("certs.decode", "controller certs response is not an AuthContainer", { cause: e });
    }
    const verified = await verifyControllerCerts(payload, this.roots(), { now: this.now(), requireEcdh: true });
    const changed = !this.current || !sameHashSet(this.current.hashes, verified.hashes);
    this.current = verified;
    if (changed) {
      // Both copies hold a verified set, so either one alone can restore the other.
      writeFilesAtomic([
        { path: this.path, data: payload },
        { path: `${this.path}.bak`, data: payload },
      ]);
      this.log.info("controller certs checkpointed", { count: verified.hashes.length });
    }
    return verified;
  }

  /** Drops the cached set so the next envelope check forces a refetch (cert miss). */
  invalidate(): void {
    this.current = undefined;
  }
}
