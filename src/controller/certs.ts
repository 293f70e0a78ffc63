import type { PublicKeyInfo } from "../pki/index.ts";
import { type ChainWork, decodePem, MAX_INTERMEDIATES, type ParsedCert, parseCertificate, verifyChain } from "../pki/index.ts";
import { codec, unwrapEnvelope, ZCertType, type ZControllerCert } from "../protocol/index.ts";
import { AgentError, type Logger, toHex } from "../shared/index.ts";
import { readFileIfExists, type StateError, writeFileAtomic, writeFilesAtomic } from "../state/index.ts";

export class ControllerCertsError extends AgentError {
  constructor(
    kind: "certs.type" | "certs.signing-count" | "certs.no-ecdh" | "certs.chain" | "certs.decode" | "certs.content-type" | "certs.too-many",
    message: string,
    options?: { cause?: unknown },
  ) {
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

/**
 * Entries one /certs answer may hold: EVE's controller sends a signing cert,
 * an ECDH cert and a few intermediates. Found by fuzzing: parsing a
 * certificate costs milliseconds, and a 4 MiB answer holds thousands, so
 * without a count checked before any parsing one answer stalled the agent
 * for about a minute (test/fuzz/regressions/certs-response-*).
 */
export const MAX_CONTROLLER_CERT_ENTRIES = 64;
/** Room for the entry limit of 8 KiB PEM bundles with their metadata: far above a real answer (a few KiB). */
const MAX_CERTS_PAYLOAD_BYTES = 1024 * 1024;
/** Every field of MAX_CONTROLLER_CERT_ENTRIES entries with a few metadata items each. */
const MAX_CERTS_PAYLOAD_FIELDS = 4096;

function firstCert(pem: Uint8Array, what: string): ParsedCert {
  // Only the first block is used, so only the first is parsed: the rest of a hostile PEM costs nothing.
  const block = decodePem(pem).find((b) => b.label === "CERTIFICATE");
  if (!block) throw new ControllerCertsError("certs.decode", `${what} holds no certificate`);
  return parseCertificate(block.der);
}

/** Refuses, before parsing any certificate, an answer with more entries or intermediates than path building would consider. */
function checkCounts(msg: ZControllerCert): void {
  if (msg.certs.length > MAX_CONTROLLER_CERT_ENTRIES) {
    throw new ControllerCertsError("certs.too-many", `controller set has ${msg.certs.length} entries, at most ${MAX_CONTROLLER_CERT_ENTRIES} are accepted`);
  }
  let intermediates = 0;
  for (const z of msg.certs) {
    if (z.type !== ZCertType.CERT_TYPE_CONTROLLER_INTERMEDIATE) continue;
    try {
      intermediates += decodePem(z.cert).filter((b) => b.label === "CERTIFICATE").length;
    } catch (e) {
      throw new ControllerCertsError("certs.decode", "intermediate certificate does not parse", { cause: e });
    }
  }
  if (intermediates > MAX_INTERMEDIATES) {
    throw new ControllerCertsError(
      "certs.too-many",
      `controller set has ${intermediates} intermediate certificates, at most ${MAX_INTERMEDIATES} are considered`,
    );
  }
}

/**
 * Applies EVE's rules to a ZControllerCert (docs/protocol.md#controller-cert-rules): only
 * SIGNING/INTERMEDIATE/ECDH types, exactly one SIGNING, at least one ECDH
 * when required, each leaf chained to root-certificate.pem.
 */
export async function verifyControllerCerts(raw: Uint8Array, roots: ParsedCert[], opts: { now: Date; requireEcdh: boolean }): Promise<ControllerCerts> {
  let msg: ZControllerCert;
  try {
    // Nothing signs this payload, so its size and field count are bounded before decoding (see DecodeOptions.maxElements).
    msg = codec.ZControllerCert.decode(raw, { maxBytes: MAX_CERTS_PAYLOAD_BYTES, maxElements: MAX_CERTS_PAYLOAD_FIELDS });
  } catch (e) {
    throw new ControllerCertsError("certs.decode", "controller certs payload is not a ZControllerCert", { cause: e });
  }
  checkCounts(msg);
  const intermediates: ParsedCert[] = [];
  const signing: ControllerCerts["signing"][] = [];
  const ecdh: ControllerCerts["ecdh"] = [];
  for (const z of msg.certs) {
    if (z.type === ZCertType.CERT_TYPE_CONTROLLER_INTERMEDIATE) {
      try {
        for (const b of decodePem(z.cert)) {
          if (b.label === "CERTIFICATE") intermediates.push(parseCertificate(b.der));
        }
      } catch (e) {
        if (e instanceof ControllerCertsError) throw e;
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
    for (const [from, path] of [
      ["primary", this.path],
      ["backup", `${this.path}.bak`],
    ] as const) {
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
