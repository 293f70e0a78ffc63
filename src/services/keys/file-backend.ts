import { constants, createPrivateKey, generateKeyPairSync, type KeyObject, privateEncrypt } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { generateSoftKey, softKeyFromPem, softKeyToPem, softSigner } from "../../pki/index.ts";
import { AgentError } from "../../shared/index.ts";
import { removeFile, writeFileAtomic } from "../../state/index.ts";
import { type KeyAlgorithm, type KeyPair, type KeyPairBackend, keyPairFromSigner } from "./types.ts";

export class KeyFileError extends AgentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("services.key-file", message, options);
  }
}

function rsaKeyPair(id: string, key: KeyObject): KeyPair {
  const jwk = key.export({ format: "jwk" });
  return {
    id,
    backend: "file",
    publicKey: { kind: "rsa", modulus: new Uint8Array(Buffer.from(jwk.n!, "base64url")), exponent: new Uint8Array(Buffer.from(jwk.e!, "base64url")) },
    async rsaPkcs1(data) {
      return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, data));
    },
  };
}

/**
 * Reads a PEM private key: P-256 (EVE's SEC1 form, `EC PRIVATE KEY`,
 * PKCS#8) or RSA. Used for this backend's files and for `file://`
 * preloaded keys.
 */
export function keyPairFromPemFile(id: string, path: string): KeyPair {
  const pem = readFileSync(path);
  try {
    return keyPairFromSigner(id, "file", softSigner(softKeyFromPem(pem)));
  } catch {
    // Not a P-256 key; RSA is the other kind this service signs with.
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (e) {
    throw new KeyFileError(`${path} is not a usable private key`, { cause: e });
  }
  if (key.asymmetricKeyType !== "rsa") throw new KeyFileError(`${path} holds a ${key.asymmetricKeyType} key; only P-256 and RSA are supported`);
  return rsaKeyPair(id, key);
}

/**
 * Key pairs as 0600 PEM files in a 0700 directory, for devices without a
 * TPM (and without a PKCS#11 token). Private keys are on disk in the clear,
 * protected by file permissions only, as EVE's device.key.pem is.
 */
export class FileKeyBackend implements KeyPairBackend {
  readonly name = "file";
  constructor(private readonly dir: string) {}

  private path(id: string): string {
    return join(this.dir, `${id}.key.pem`);
  }

  async create(id: string, alg: KeyAlgorithm): Promise<KeyPair | undefined> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (alg === "ec-p256") {
      const key = generateSoftKey();
      writeFileAtomic(this.path(id), softKeyToPem(key), 0o600);
      return keyPairFromSigner(id, "file", softSigner(key));
    }
    const bits = alg === "rsa-2048" ? 2048 : 4096;
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent: 65537 });
    writeFileAtomic(this.path(id), privateKey.export({ format: "pem", type: "pkcs8" }) as string, 0o600);
    return rsaKeyPair(id, privateKey);
  }

  async load(id: string): Promise<KeyPair | undefined> {
    const p = this.path(id);
    if (!existsSync(p)) return undefined;
    // A key others could read is no longer a secret; refuse it rather than sign with it.
    if ((statSync(p).mode & 0o077) !== 0) throw new KeyFileError(`${p} is readable by group or others`);
    return keyPairFromPemFile(id, p);
  }

  async delete(id: string): Promise<boolean> {
    if (!existsSync(this.path(id))) return false;
    removeFile(this.path(id));
    return true;
  }

  async rename(from: string, to: string): Promise<boolean> {
    if (!existsSync(this.path(from))) return false;
    renameSync(this.path(from), this.path(to));
    return true;
  }
}
