import { ID_PATTERN } from "../../config/index.ts";
import { errorChain, type Logger } from "../../shared/index.ts";
import type { PeerCred } from "../http/peercred.ts";
import { ApiError } from "../http/routes.ts";
import type { Principals } from "../principals.ts";
import type { HandleAuthority, KeyRef } from "./handles.ts";
import { aeadDecrypt, aeadEncrypt, hmacSha256, type KeyUsage, type SymmetricKey, type SymmetricKeys } from "./symmetric.ts";
import { KEY_ALGORITHMS, type KeyAlgorithm, type KeyPair, type KeyPairBackend } from "./types.ts";

/** DER of the P-256 curve OID (1.2.840.10045.3.1.7), `ec-curve-oid`'s value. */
const P256_OID_DER = Uint8Array.of(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07);

export interface KeyServiceOptions {
  /** The device key's id: `device-id`, or identity_pk's name. */
  deviceKeyId: string;
  /** The device key as the agent holds it (TPM or file); absent when it is a preloaded key. */
  device?: KeyPair;
  /** `preloaded_key:NAME` URIs. */
  preloaded: Record<string, string>;
  /** Opens a preloaded key from its URI. */
  openPreloaded(id: string, uri: string): Promise<KeyPair>;
  /** Where generated key pairs live; the first one makes new ones. */
  generated: KeyPairBackend[];
  symmetric: SymmetricKeys;
  handles: HandleAuthority;
  principals: Principals;
  log: Logger;
}

export type SignRequest = { algorithm: "ECDSA"; parameters: { digest: Uint8Array } } | { algorithm: "HMAC-SHA256"; parameters: { message: Uint8Array } };
export type EncryptRequest =
  | { algorithm: "AEAD"; parameters: { iv: Uint8Array; aad: Uint8Array } }
  | { algorithm: "RSA-PKCS1" }
  | { algorithm: "RSA-NO-PADDING" };

/**
 * aziot-keyd's model inside the agent: callers name keys by id, and a uid
 * granted that id gets an unforgeable handle; everything done with a key
 * (sign, encrypt, decrypt, parameters, delete) takes the handle alone.
 * Private keys never leave their backend.
 */
export class KeyService {
  private readonly cache = new Map<string, KeyPair>();
  private mutations: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: KeyServiceOptions) {
    if (o.device) this.cache.set(o.deviceKeyId, o.device);
  }

  get deviceKeyId(): string {
    return this.o.deviceKeyId;
  }

  /** Ids no caller may delete, move or overwrite: the device key and the configured ones. */
  private reserved(id: string): boolean {
    return id === this.o.deviceKeyId || Object.hasOwn(this.o.preloaded, id);
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.mutations.then(f, f);
    this.mutations = run.catch(() => undefined);
    return run;
  }

  private checkId(id: string, what = "keyId"): void {
    if (!ID_PATTERN.test(id)) throw new ApiError(400, `parameter "${what}" has an invalid value`);
  }

  private authorize(caller: PeerCred, operation: string, id: string): void {
    if (!this.o.principals.mayUseKey(caller.uid, id)) this.o.principals.refuse(caller, "keys", operation, `key ${id}`);
  }

  // ---- key pairs by id (the service's own callers: certificates, identity, renewal)

  /** The key pair `id`, or undefined when there is none. */
  async findKeyPair(id: string): Promise<KeyPair | undefined> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    let pair: KeyPair | undefined;
    // Own entries only: an id like "toString" found Object.prototype's method here (fuzzing) and failed with a 500.
    const uri = Object.hasOwn(this.o.preloaded, id) ? this.o.preloaded[id] : undefined;
    if (uri !== undefined) pair = await this.o.openPreloaded(id, uri);
    else {
      for (const b of this.o.generated) {
        pair = await b.load(id);
        if (pair) break;
      }
    }
    if (pair) this.cache.set(id, pair);
    return pair;
  }

  async keyPair(id: string): Promise<KeyPair> {
    const pair = await this.findKeyPair(id);
    if (!pair) throw new ApiError(404, `key pair ${id} not found`);
    return pair;
  }

  /** Makes key pair `id` unless it exists, trying `preferred` (aziot's `ec-p256:rsa-2048:*`) in order. */
  ensureKeyPair(id: string, preferred = "*"): Promise<KeyPair> {
    return this.serial(async () => {
      const existing = await this.findKeyPair(id);
      if (existing) return existing;
      return this.make(id, preferred);
    });
  }

  private async make(id: string, preferred: string): Promise<KeyPair> {
    const maker = this.o.generated[0];
    if (!maker) throw new ApiError(501, "no backend can make key pairs on this device");
    const tried: string[] = [];
    for (const part of preferred.split(":")) {
      const algs: readonly KeyAlgorithm[] = part === "*" ? KEY_ALGORITHMS : KEY_ALGORITHMS.includes(part as KeyAlgorithm) ? [part as KeyAlgorithm] : [];
      for (const alg of algs) {
        if (tried.includes(alg)) continue;
        tried.push(alg);
        const pair = await maker.create(id, alg);
        if (pair) {
          this.cache.set(id, pair);
          this.o.log.info("key pair created", { object: id, algorithm: alg, backend: maker.name });
          return pair;
        }
      }
    }
    throw new ApiError(400, `the ${maker.name} backend can make none of the preferred algorithms (${preferred})`);
  }

  /** Makes a fresh key pair under `id`, replacing any generated one (key rotation). */
  replaceKeyPair(id: string, preferred = "*"): Promise<KeyPair> {
    if (this.reserved(id)) throw new ApiError(409, `key pair ${id} is configured and cannot be replaced`);
    return this.serial(async () => {
      for (const b of this.o.generated) await b.delete(id);
      this.cache.delete(id);
      return this.make(id, preferred);
    });
  }

  renameKeyPair(from: string, to: string): Promise<void> {
    if (this.reserved(from) || this.reserved(to)) throw new ApiError(409, "a configured key pair cannot be moved or overwritten");
    return this.serial(async () => {
      let moved = false;
      for (const b of this.o.generated) {
        if (!moved && (await b.rename(from, to))) moved = true;
        else await b.delete(to);
      }
      if (!moved) throw new ApiError(404, `key pair ${from} not found`);
      this.cache.delete(from);
      this.cache.delete(to);
    });
  }

  /** A handle for `ref` without a caller check (the identity service grants by identity type). */
  handleFor(ref: KeyRef): string {
    return this.o.handles.issue(ref);
  }

  async keyPairByHandle(handle: string): Promise<KeyPair> {
    const ref = this.o.handles.verify(handle);
    if (ref.kind !== "keypair") throw new ApiError(400, "handle is not for a key pair");
    return this.keyPair(ref.id);
  }

  // ---- the API's operations

  async createKeyPair(caller: PeerCred, id: string, preferred?: string): Promise<string> {
    this.checkId(id);
    this.authorize(caller, "createKeyPair", id);
    await this.ensureKeyPair(id, preferred ?? "*");
    return this.o.handles.issue({ kind: "keypair", id });
  }

  async loadKeyPair(caller: PeerCred, id: string): Promise<string> {
    this.checkId(id);
    this.authorize(caller, "loadKeyPair", id);
    await this.keyPair(id);
    return this.o.handles.issue({ kind: "keypair", id });
  }

  async moveKeyPair(caller: PeerCred, from: string, to: string): Promise<void> {
    this.checkId(from, "from");
    this.checkId(to);
    this.authorize(caller, "moveKeyPair", from);
    this.authorize(caller, "moveKeyPair", to);
    await this.renameKeyPair(from, to);
    this.o.log.info("key pair moved", { object: to, from, uid: caller.uid });
  }

  async deleteKeyPair(handle: string): Promise<void> {
    const ref = this.o.handles.verify(handle);
    if (ref.kind !== "keypair") throw new ApiError(400, "handle is not for a key pair");
    if (this.reserved(ref.id)) throw new ApiError(409, `key pair ${ref.id} is configured and cannot be deleted`);
    await this.serial(async () => {
      let found = false;
      for (const b of this.o.generated) found = (await b.delete(ref.id)) || found;
      this.cache.delete(ref.id);
      if (!found) throw new ApiError(404, `key pair ${ref.id} not found`);
    });
    this.o.log.info("key pair deleted", { object: ref.id });
  }

  async parameter(handle: string, name: string): Promise<string> {
    const pair = await this.keyPairByHandle(handle);
    const pub = pair.publicKey;
    const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
    switch (name) {
      case "algorithm":
        return pub.kind === "ec" ? "ECDSA" : "RSA";
      case "ec-curve-oid":
        if (pub.kind === "ec") return b64(P256_OID_DER);
        break;
      case "ec-point":
        if (pub.kind === "ec") return b64(pub.point);
        break;
      case "rsa-modulus":
        if (pub.kind === "rsa") return b64(pub.modulus);
        break;
      case "rsa-exponent":
        if (pub.kind === "rsa") return b64(pub.exponent);
        break;
      default:
        throw new ApiError(400, `unknown parameter ${JSON.stringify(name)}`);
    }
    throw new ApiError(400, `parameter ${name} does not apply to a ${pub.kind === "ec" ? "ECDSA" : "RSA"} key`);
  }

  private async symmetric(ref: KeyRef, usage: KeyUsage): Promise<SymmetricKey> {
    const key = await this.o.symmetric.get(ref.id);
    if (!key) throw new ApiError(404, `key ${ref.id} not found`);
    if (!key.usage.includes(usage)) throw new ApiError(400, `key ${ref.id} is not for ${usage}`);
    return key;
  }

  async sign(handle: string, req: SignRequest): Promise<Uint8Array> {
    const ref = this.o.handles.verify(handle);
    if (req.algorithm === "HMAC-SHA256") {
      if (ref.kind !== "key") throw new ApiError(400, "HMAC-SHA256 needs a symmetric key handle");
      return hmacSha256((await this.symmetric(ref, "sign")).bytes, req.parameters.message);
    }
    if (ref.kind !== "keypair") throw new ApiError(400, "ECDSA needs a key pair handle");
    const pair = await this.keyPair(ref.id);
    if (!pair.signDigest) throw new ApiError(400, `key pair ${ref.id} is not an ECDSA key`);
    const d = req.parameters.digest;
    // The TPM and the device key sign SHA-256 digests of a P-256 key's size; so does everything else here.
    if (d.length !== 32) throw new ApiError(400, `ECDSA P-256 signs a 32-byte SHA-256 digest, got ${d.length} bytes`);
    try {
      return await pair.signDigest(d);
    } catch (e) {
      throw this.backendFailure("sign", ref.id, e);
    }
  }

  async encrypt(handle: string, req: EncryptRequest, plaintext: Uint8Array): Promise<Uint8Array> {
    const ref = this.o.handles.verify(handle);
    if (req.algorithm === "AEAD") {
      if (ref.kind !== "key") throw new ApiError(400, "AEAD needs a symmetric key handle");
      const key = await this.symmetric(ref, "encrypt");
      return aeadEncrypt(key.bytes, req.parameters.iv, req.parameters.aad, plaintext);
    }
    if (ref.kind !== "keypair") throw new ApiError(400, `${req.algorithm} needs a key pair handle`);
    const pair = await this.keyPair(ref.id);
    if (!pair.rsaPkcs1 || pair.publicKey.kind !== "rsa") throw new ApiError(400, `key pair ${ref.id} is not an RSA key`);
    if (req.algorithm === "RSA-NO-PADDING") throw new ApiError(501, "RSA-NO-PADDING is not supported");
    try {
      return await pair.rsaPkcs1(plaintext);
    } catch (e) {
      throw this.backendFailure("encrypt", ref.id, e);
    }
  }

  async decrypt(handle: string, req: EncryptRequest, ciphertext: Uint8Array): Promise<Uint8Array> {
    const ref = this.o.handles.verify(handle);
    if (req.algorithm !== "AEAD") throw new ApiError(400, "only AEAD ciphertexts are decrypted here; RSA decryption with the public key is the caller's");
    if (ref.kind !== "key") throw new ApiError(400, "AEAD needs a symmetric key handle");
    const key = await this.symmetric(ref, "encrypt");
    return aeadDecrypt(key.bytes, req.parameters.iv, req.parameters.aad, ciphertext);
  }

  async createKey(caller: PeerCred, id: string, usage: KeyUsage[], bytes?: Uint8Array): Promise<string> {
    this.checkId(id);
    this.authorize(caller, "createKey", id);
    if (bytes && (bytes.length < 16 || bytes.length > 64)) throw new ApiError(400, `imported keys must be 16 to 64 bytes, got ${bytes.length}`);
    await this.serial(() => this.o.symmetric.create(id, usage, bytes));
    return this.o.handles.issue({ kind: "key", id });
  }

  async loadKey(caller: PeerCred, id: string): Promise<string> {
    this.checkId(id);
    this.authorize(caller, "loadKey", id);
    if (!(await this.o.symmetric.get(id))) throw new ApiError(404, `key ${id} not found`);
    return this.o.handles.issue({ kind: "key", id });
  }

  async deleteKey(handle: string): Promise<void> {
    const ref = this.o.handles.verify(handle);
    if (ref.kind !== "key") throw new ApiError(400, "handle is not for a symmetric key");
    if (!(await this.serial(() => this.o.symmetric.delete(ref.id)))) throw new ApiError(404, `key ${ref.id} not found`);
    this.o.log.info("key deleted", { object: ref.id });
  }

  private backendFailure(op: string, id: string, e: unknown): Error {
    if (e instanceof ApiError) return e;
    this.o.log.error("key backend failed", { operation: op, object: id, error: errorChain(e) });
    return new ApiError(500, "internal error");
  }
}
