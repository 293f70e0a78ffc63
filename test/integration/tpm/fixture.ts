import { afterAll, beforeAll } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EsysTpm } from "../../../native/tss2/index.ts";
import { openTpm, type TpmManager } from "../../../src/tpm/index.ts";
import { type Swtpm, scratchDir, startSwtpm } from "../../harness/swtpm.ts";

export const CREDENTIAL = "3f6c1b2e-9d1a-4c55-8f0e-2b7d9a4e6c01";

export interface TpmFixture {
  sw: Swtpm;
  dir: string;
  /** A manager on a fresh ESAPI context; close it before running tpm2-tools. */
  open(): Promise<TpmManager>;
  /** open() + ensureKeys() */
  openWithKeys(): Promise<TpmManager>;
  file(name: string, data: Uint8Array | string): string;
}

/**
 * One swtpm per test file, stopped in afterAll whatever happened. PCR 0 and 4
 * get a fake firmware measurement since no firmware runs on a bare swtpm and
 * EVE refuses to seal to an unmeasured boot.
 */
export function useSwtpm(): TpmFixture {
  const fx = { dir: scratchDir() } as TpmFixture;
  const open = () => openTpm({ tcti: fx.sw.tcti, connect: (t) => EsysTpm.open(t), timeoutMs: 30_000 });
  beforeAll(async () => {
    fx.sw = await startSwtpm();
    fx.sw.tool(["tpm2_pcrextend", `0:sha256=${"a0".repeat(32)}`]);
    fx.sw.tool(["tpm2_pcrextend", `4:sha256=${"a4".repeat(32)}`]);
  });
  afterAll(async () => {
    await fx.sw?.stop();
    rmSync(fx.dir, { recursive: true, force: true });
  });
  fx.open = open;
  fx.openWithKeys = async () => {
    const m = await open();
    try {
      await m.ensureKeys({ credential: CREDENTIAL });
    } catch (e) {
      await m.close();
      throw e;
    }
    return m;
  };
  fx.file = (name, data) => {
    const p = join(fx.dir, name);
    writeFileSync(p, data);
    return p;
  };
  return fx;
}

/** Runs `f` with a manager that is closed afterwards, also when `f` throws. */
export async function withTpm<T>(open: () => Promise<TpmManager>, f: (m: TpmManager) => Promise<T>): Promise<T> {
  const m = await open();
  try {
    return await f(m);
  } finally {
    await m.close();
  }
}

const P256_SPKI_PREFIX = Buffer.from("3059301306072a8648ce3d020106082a8648ce3d030107034200", "hex");

/** PEM SubjectPublicKeyInfo for an uncompressed P-256 point (what openssl/tpm2-tools read). */
export function p256Pem(point: Uint8Array): string {
  const der = Buffer.concat([P256_SPKI_PREFIX, Buffer.from(point)]);
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n");
  return `-----BEGIN PUBLIC KEY-----\n${b64}\n-----END PUBLIC KEY-----\n`;
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
