import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { AgentError, fromBase64, toBase64 } from "../../shared/index.ts";
import { removeFile, writeFileAtomic } from "../../state/index.ts";
import type { KeyBlob, TpmManager } from "../../tpm/index.ts";
import { derFromRaw, type KeyAlgorithm, type KeyPair, type KeyPairBackend } from "./types.ts";

/**
 * Key pairs made by the TPM under the SRK (TpmManager.createKeyBlob). The
 * files under /persist hold only the TPM's wrapping of each key: loadable
 * by this TPM alone, and the keys themselves can never be exported
 * (fixedTPM, fixedParent). ECDSA P-256 only.
 */
export class TpmKeyBackend implements KeyPairBackend {
  readonly name = "tpm";
  constructor(
    private readonly dir: string,
    private readonly tpm: TpmManager,
  ) {}

  private path(id: string): string {
    return join(this.dir, `${id}.tpm.json`);
  }

  private pair(id: string, blob: KeyBlob): KeyPair {
    const pub = this.tpm.keyBlobPublic(blob);
    if (pub.kind !== "ec") throw new AgentError("services.key-file", `${this.path(id)} does not hold an EC key`);
    return {
      id,
      backend: "tpm",
      publicKey: { kind: "ec", point: pub.point },
      signDigest: async (digest) => derFromRaw(await this.tpm.signWithKeyBlob(blob, digest)),
    };
  }

  async create(id: string, alg: KeyAlgorithm): Promise<KeyPair | undefined> {
    if (alg !== "ec-p256") return undefined;
    const blob = await this.tpm.createKeyBlob();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(this.path(id), JSON.stringify({ version: 1, public: toBase64(blob.public), private: toBase64(blob.private) }), 0o600);
    return this.pair(id, blob);
  }

  async load(id: string): Promise<KeyPair | undefined> {
    const p = this.path(id);
    if (!existsSync(p)) return undefined;
    let blob: KeyBlob;
    try {
      const j = JSON.parse(readFileSync(p, "utf8")) as { version?: number; public?: string; private?: string };
      if (j.version !== 1 || typeof j.public !== "string" || typeof j.private !== "string") throw new Error("unexpected layout");
      blob = { public: fromBase64(j.public), private: fromBase64(j.private) };
    } catch (e) {
      throw new AgentError("services.key-file", `${p} is not a TPM key blob`, { cause: e });
    }
    return this.pair(id, blob);
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
