// Key material for the envelope tests: openssl makes real certificates and
// keys, WebCrypto signs, so neither side shares code with the verifier under
// test.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { p256 } from "@noble/curves/nist.js";
import type { PublicKeyInfo } from "../pki/index.ts";
import { bufferSource, type P256Signer } from "../shared/index.ts";

export type KeyAlg = "P-256" | "P-384" | "RSA-2048";

export interface ControllerKey {
  alg: KeyAlg;
  certPem: Uint8Array;
  publicKey: PublicKeyInfo;
  /** signs SHA-256(data) the way a controller does: raw r||s for ECDSA, PKCS#1 v1.5 for RSA */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

function openssl(args: string[], cwd: string): Uint8Array {
  const r = Bun.spawnSync(["openssl", ...args], { cwd, stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr.toString()}`);
  return new Uint8Array(r.stdout);
}

const NEW_KEY: Record<KeyAlg, string[]> = {
  "P-256": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
  "P-384": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
  "RSA-2048": ["-newkey", "rsa:2048"],
};

function pemBody(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64"));
}

/** A self-signed controller signing certificate and its key. */
export async function makeControllerKey(alg: KeyAlg, cn = "controller-signing"): Promise<ControllerKey> {
  const dir = mkdtempSync(join(tmpdir(), "edge-agent-envkey-"));
  try {
    openssl(["req", "-x509", ...NEW_KEY[alg], "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-subj", `/CN=${cn}`, "-days", "2"], dir);
    const certPem = new Uint8Array(readFileSync(join(dir, "cert.pem")));
    const pkcs8 = pemBody(readFileSync(join(dir, "key.pem"), "utf8"));
    const spkiDer = openssl(["pkey", "-in", "key.pem", "-pubout", "-outform", "DER"], dir);
    if (alg === "RSA-2048") {
      const algo = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
      const key = await crypto.subtle.importKey("pkcs8", bufferSource(pkcs8), algo, false, ["sign"]);
      return {
        alg,
        certPem,
        publicKey: { kind: "rsa", modulusBits: 2048, spkiDer },
        sign: async (data) => new Uint8Array(await crypto.subtle.sign(algo, key, bufferSource(data))),
      };
    }
    const algo = { name: "ECDSA", namedCurve: alg };
    const key = await crypto.subtle.importKey("pkcs8", bufferSource(pkcs8), algo, false, ["sign"]);
    const pub = await crypto.subtle.importKey("spki", bufferSource(spkiDer), algo, true, ["verify"]);
    const point = new Uint8Array(await crypto.subtle.exportKey("raw", pub));
    return {
      alg,
      certPem,
      publicKey: { kind: "ec", curve: alg, point, spkiDer },
      // WebCrypto ECDSA output is already IEEE P1363 r||s.
      sign: async (data) => new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, bufferSource(data))),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A device signer backed by a noble P-256 key, as the software key backend would be. */
export function nobleSigner(): P256Signer & { secretKey: Uint8Array } {
  const secretKey = p256.utils.randomSecretKey();
  return {
    secretKey,
    publicKey: p256.getPublicKey(secretKey, false),
    sign: async (digest) => p256.sign(digest, secretKey, { prehash: false }),
  };
}
