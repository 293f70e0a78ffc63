import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Extension } from "@peculiar/asn1-x509";
import { type CertIssuance, ID_PATTERN } from "../../config/index.ts";
import { encodePem, ext, KeyUsageFlags, OID } from "../../pki/index.ts";
import type { Logger } from "../../shared/index.ts";
import { removeFile, writeFileAtomic } from "../../state/index.ts";
import type { PeerCred } from "../http/peercred.ts";
import { ApiError } from "../http/routes.ts";
import type { KeyService } from "../keys/store.ts";
import type { KeyPair } from "../keys/types.ts";
import type { Principals } from "../principals.ts";
import { certifiesKey, type Issuer, issueCertificate, parseChain, parseCsr, spkiOf, subjectName } from "./issue.ts";

export interface CertStoreOptions {
  /** Where certificates made or imported through the service are kept. */
  dir: string;
  /** `preloaded_cert:NAME` paths: read-only through the API. */
  preloaded: Record<string, string>;
  /** The device certificate's id and file (read-only). */
  device: { id: string; path: string };
}

/** Certificates by id: PEM files, leaf first. */
export class CertStore {
  constructor(private readonly o: CertStoreOptions) {}

  private path(id: string): string | undefined {
    if (id === this.o.device.id) return this.o.device.path;
    if (Object.hasOwn(this.o.preloaded, id)) return this.o.preloaded[id];
    return join(this.o.dir, `${id}.pem`);
  }

  /** Configured ones (the device certificate, preloaded files) are not the API's to change. */
  writable(id: string): boolean {
    return id !== this.o.device.id && !Object.hasOwn(this.o.preloaded, id);
  }

  get(id: string): string | undefined {
    const p = this.path(id);
    return p && existsSync(p) ? readFileSync(p, "utf8") : undefined;
  }

  put(id: string, pem: string): void {
    if (!this.writable(id)) throw new ApiError(409, `certificate ${id} is configured and cannot be replaced`);
    mkdirSync(this.o.dir, { recursive: true, mode: 0o755 });
    writeFileAtomic(this.path(id)!, pem, 0o644);
  }

  delete(id: string): boolean {
    if (!this.writable(id)) throw new ApiError(409, `certificate ${id} is configured and cannot be deleted`);
    const p = this.path(id)!;
    if (!existsSync(p)) return false;
    removeFile(p);
    return true;
  }
}

export interface CertServiceOptions {
  store: CertStore;
  keys: KeyService;
  principals: Principals;
  /** `[certs.issuance.NAME]`: how the service issues these itself. */
  issuance: Record<string, CertIssuance>;
  log: Logger;
  now?: () => Date;
}

const DEFAULT_LIFETIME_S = 30 * 86400;

/** The extensions of a certificate the service issues from its configuration (no CSR to copy them from). */
function configuredExtensions(c: CertIssuance) {
  return c.ca
    ? [ext.basicConstraints(true), ext.keyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign | KeyUsageFlags.digitalSignature)]
    : [
        ext.basicConstraints(false),
        ext.keyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment),
        ext.extKeyUsage([OID.serverAuth, OID.clientAuth]),
      ];
}

// What a certificate may be used for; under a configured issuance these come from the configuration only.
const PROFILE_EXTENSIONS = new Set<string>([OID.basicConstraints, OID.keyUsage, OID.extKeyUsage, OID.nameConstraints]);

/** The CSR's own extensions (names, identifiers) with the usage ones replaced by the configured profile's. */
function profileExtensions(requested: readonly Extension[], c: CertIssuance): Extension[] {
  return [...requested.filter((e) => !PROFILE_EXTENSIONS.has(e.extnID)), ...configuredExtensions(c)];
}

/**
 * aziot-certd inside the agent: certificates by id, issued from a CSR with
 * an issuer whose key the keys service holds (the caller passes the
 * issuer's certificate id and a key handle for it), imported, read and
 * deleted; configured ones are issued and renewed by the service itself.
 */
export class CertService {
  private readonly now: () => Date;

  constructor(private readonly o: CertServiceOptions) {
    this.now = o.now ?? (() => new Date());
  }

  get store(): CertStore {
    return this.o.store;
  }

  private authorize(caller: PeerCred, operation: string, id: string): void {
    if (!ID_PATTERN.test(id)) throw new ApiError(400, 'parameter "certId" has an invalid value');
    if (!this.o.principals.mayUseCert(caller.uid, id)) this.o.principals.refuse(caller, "certs", operation, `certificate ${id}`);
  }

  /** The configured issuance of `id`; own entries only, so "constructor" is not one. */
  private issuanceOf(id: string): CertIssuance | undefined {
    return Object.hasOwn(this.o.issuance, id) ? this.o.issuance[id] : undefined;
  }

  private issuerChain(id: string): Issuer["chain"] {
    const pem = this.o.store.get(id);
    if (!pem) throw new ApiError(400, `issuer certificate ${id} not found`);
    return parseChain(pem, `issuer certificate ${id}`);
  }

  async create(caller: PeerCred, id: string, csrText: string, issuer?: { certId: string; privateKeyHandle: string }): Promise<string> {
    this.authorize(caller, "createCertificate", id);
    if (!this.o.store.writable(id)) throw new ApiError(409, `certificate ${id} is configured and cannot be replaced`);
    const csr = await parseCsr(csrText);
    const conf = this.issuanceOf(id);
    let signer: { issuer?: Issuer; selfKey?: KeyPair };
    if (issuer) {
      signer = { issuer: { chain: this.issuerChain(issuer.certId), key: await this.o.keys.keyPairByHandle(issuer.privateKeyHandle) } };
    } else if (conf) {
      signer = await this.configuredSigner(id, conf);
      if (conf.method === "self_signed" && !certifiesKey(csr.spkiDer, signer.selfKey!.publicKey)) {
        throw new ApiError(400, `a self-signed ${id} must be requested for its key pair ${conf.key}`);
      }
    } else {
      throw new ApiError(400, `issuer is required: certificate ${id} has no [certs.issuance] of its own`);
    }
    const pem = await issueCertificate({
      subject: conf ? subjectName(conf.subject) : csr.subject,
      spkiDer: csr.spkiDer,
      // Under a configured issuer the operator's profile decides what the certificate may do: a caller granted one
      // leaf id must not mint a sub-CA (basicConstraints CA:TRUE, keyCertSign) under the device's local CA. With an
      // explicit issuer the caller holds that issuer's key handle and could sign anything with it anyway.
      extensions: !issuer && conf ? profileExtensions(csr.extensions, conf) : csr.extensions,
      lifetimeSeconds: conf?.lifetimeSeconds ?? DEFAULT_LIFETIME_S,
      now: this.now(),
      ...signer,
    });
    this.o.store.put(id, pem);
    this.o.log.info("certificate issued", { object: id, uid: caller.uid, ...(issuer ? { issuer: issuer.certId } : {}) });
    return pem;
  }

  private async configuredSigner(id: string, conf: CertIssuance): Promise<{ issuer?: Issuer; selfKey?: KeyPair }> {
    if (conf.method === "self_signed") return { selfKey: await this.o.keys.ensureKeyPair(conf.key) };
    return { issuer: { chain: this.issuerChain(conf.issuerCert), key: await this.o.keys.keyPair(conf.issuerKey) } };
  }

  /**
   * Issues configured certificate `id` for its key pair (or, with `keyId`,
   * another one, as a rotation does before moving the new key in place).
   */
  async issueConfigured(id: string, keyId?: string): Promise<string> {
    const conf = this.issuanceOf(id);
    if (!conf) throw new ApiError(400, `certificate ${id} has no [certs.issuance]`);
    const key = await this.o.keys.ensureKeyPair(keyId ?? conf.key);
    const signer = conf.method === "self_signed" ? { selfKey: key } : await this.configuredSigner(id, conf);
    return issueCertificate({
      subject: subjectName(conf.subject),
      spkiDer: spkiOf(key.publicKey),
      extensions: configuredExtensions(conf),
      lifetimeSeconds: conf.lifetimeSeconds,
      now: this.now(),
      ...signer,
    });
  }

  /**
   * Stores the certificates of `pem` re-encoded, nothing else: text around
   * them, or a private key pasted along with them (found by fuzzing: it was
   * stored as given and every caller may read certificates), is dropped.
   */
  async import(caller: PeerCred, id: string, pem: string): Promise<string> {
    this.authorize(caller, "importCertificate", id);
    const chain = parseChain(pem, 'parameter "pem"')
      .map((c) => encodePem("CERTIFICATE", c.der))
      .join("");
    this.o.store.put(id, chain);
    this.o.log.info("certificate imported", { object: id, uid: caller.uid });
    return chain;
  }

  get(id: string): string {
    if (!ID_PATTERN.test(id)) throw new ApiError(400, 'parameter "certId" has an invalid value');
    const pem = this.o.store.get(id);
    if (!pem) throw new ApiError(404, `certificate ${id} not found`);
    return pem;
  }

  delete(caller: PeerCred, id: string): void {
    this.authorize(caller, "deleteCertificate", id);
    if (!this.o.store.delete(id)) throw new ApiError(404, `certificate ${id} not found`);
    this.o.log.info("certificate deleted", { object: id, uid: caller.uid });
  }
}
