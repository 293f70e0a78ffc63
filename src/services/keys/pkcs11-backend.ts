import { existsSync, readFileSync } from "node:fs";
import type { KeysConfig } from "../../config/index.ts";
import type { DeviceKeyBackend } from "../../identity/index.ts";
import {
  CKM,
  describePkcs11Uri,
  ecdsaRawToDer,
  Pkcs11,
  Pkcs11Error,
  type Pkcs11Key,
  type Pkcs11Token,
  p256Signer,
  parseSlotSelector,
} from "../../pkcs11/index.ts";
import { parseCertificatesPem } from "../../pki/index.ts";
import { bytesEqual, type Logger } from "../../shared/index.ts";
import { ApiError } from "../http/routes.ts";
import type { KeyAlgorithm, KeyPair, KeyPairBackend } from "./types.ts";

/** A key in a token as the keys service's KeyPair: it signs inside the token and nothing else. */
export function keyPairFromPkcs11(id: string, key: Pkcs11Key): KeyPair {
  const pk = key.publicKey;
  if (pk.algorithm === "ec") {
    if (pk.curve !== "P-256") throw new Pkcs11Error("pkcs11.key", `key ${id} is on ${pk.curve}; the keys service signs with P-256 and RSA keys`);
    return {
      id,
      backend: "pkcs11",
      publicKey: { kind: "ec", point: pk.point },
      signDigest: async (digest) => ecdsaRawToDer(await key.signEcdsaDigest(digest)),
    };
  }
  return {
    id,
    backend: "pkcs11",
    publicKey: { kind: "rsa", modulus: pk.modulus, exponent: pk.exponent },
    rsaPkcs1: (data) => key.sign({ mechanism: CKM.RSA_PKCS }, data),
  };
}

/** New key pairs as objects labelled with their id in the `pkcs11_base_slot` token. */
class TokenKeyBackend implements KeyPairBackend {
  readonly name = "pkcs11";
  constructor(private readonly token: Pkcs11Token) {}

  private async find(id: string): Promise<Pkcs11Key | undefined> {
    try {
      return await this.token.findKey({ label: id });
    } catch (e) {
      if (e instanceof Pkcs11Error && e.kind === "pkcs11.not-found") return undefined;
      throw e;
    }
  }

  async create(id: string, alg: KeyAlgorithm): Promise<KeyPair | undefined> {
    return keyPairFromPkcs11(id, await this.token.generateKeyPair({ algorithm: alg, label: id }));
  }

  async load(id: string): Promise<KeyPair | undefined> {
    const k = await this.find(id);
    return k && keyPairFromPkcs11(id, k);
  }

  async delete(id: string): Promise<boolean> {
    const k = await this.find(id);
    if (!k) return false;
    await this.token.destroyKey(k);
    return true;
  }

  async rename(from: string): Promise<boolean> {
    if (!(await this.find(from))) return false;
    throw new ApiError(501, "key pairs in a PKCS#11 token cannot be moved");
  }
}

/**
 * The PKCS#11 module of `[keys]` (`pkcs11_lib_path`): preloaded keys by
 * their `pkcs11:` URIs and, with `pkcs11_base_slot`, the token new key pairs
 * are made in. Opened once per agent run and shared by the device identity
 * and the keys service.
 */
export class Pkcs11Keys {
  private constructor(
    readonly module: Pkcs11,
    private readonly base: KeyPairBackend | undefined,
  ) {}

  /** Undefined when no module is configured. */
  static async open(cfg: KeysConfig, log: Logger): Promise<Pkcs11Keys | undefined> {
    if (!cfg.pkcs11LibPath) return undefined;
    const module = await Pkcs11.open({ libPath: cfg.pkcs11LibPath, log });
    try {
      const base = cfg.pkcs11BaseSlot ? new TokenKeyBackend(await module.openToken(parseSlotSelector(cfg.pkcs11BaseSlot))) : undefined;
      return new Pkcs11Keys(module, base);
    } catch (e) {
      await module.close();
      throw e;
    }
  }

  /** The base slot's token as a backend for generated key pairs, when configured. */
  get baseSlot(): KeyPairBackend | undefined {
    return this.base;
  }

  async key(id: string, uri: string): Promise<KeyPair> {
    return keyPairFromPkcs11(id, await this.module.findKey(uri));
  }

  close(): Promise<void> {
    return this.module.close();
  }
}

/**
 * The EVE device identity in a token (`identity_pk = "key://NAME"` with a
 * preloaded `pkcs11:` key): envelopes and certificates are signed inside
 * the token. The key is made outside the agent; the device certificate is
 * the preloaded `identity_cert` when there is one (copied to
 * /config/device.cert.pem once checked to certify the key), else the agent
 * makes a self-signed one with the token's key as it does with the others.
 */
export function pkcs11DeviceKeyBackend(p11: Pkcs11Keys, uri: string, certPath: string | undefined): DeviceKeyBackend {
  let signer: ReturnType<typeof p256Signer> | undefined;
  const load = async () => (signer ??= p256Signer(await p11.module.findKey(uri)));
  return {
    kind: "pkcs11",
    async loadDeviceKey() {
      return load();
    },
    async createDeviceKey() {
      throw new Pkcs11Error("pkcs11.not-found", `the device key is provisioned in the token (${describePkcs11Uri(uri)}); the agent does not make it`);
    },
    async recoverDeviceCert() {
      if (!certPath || !existsSync(certPath)) return undefined;
      const pem = new Uint8Array(readFileSync(certPath));
      const cert = parseCertificatesPem(pem)[0];
      const key = await load();
      if (!cert || cert.publicKey.kind !== "ec" || !bytesEqual(cert.publicKey.point, key.publicKey)) return undefined;
      return { pem, from: certPath };
    },
  };
}
