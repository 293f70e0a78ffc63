/**
 * Test support: Keylime's tenant-side operations made with the openssl CLI
 * (RSA-OAEP-SHA1, HMAC-SHA384) and node's AES-GCM, independently of the
 * code under test, plus zip archives made with Python's zipfile.
 */
import { spawnSync } from "node:child_process";
import { createCipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function inTmp<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "edge-agent-kl-vec-"));
  try {
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(cmd: string[], input?: Uint8Array): Buffer {
  const r = spawnSync(cmd[0]!, cmd.slice(1), { input });
  if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** openssl pkeyutl with OAEP, SHA-1 digest and MGF1 (Keylime's crypto.rsa_encrypt). */
export function opensslOaepSha1(pubPem: string, data: Uint8Array): Uint8Array {
  return inTmp((dir) => {
    writeFileSync(join(dir, "pub.pem"), pubPem);
    writeFileSync(join(dir, "in"), data);
    run([
      "openssl",
      "pkeyutl",
      "-encrypt",
      "-pubin",
      "-inkey",
      join(dir, "pub.pem"),
      "-in",
      join(dir, "in"),
      "-out",
      join(dir, "out"),
      "-pkeyopt",
      "rsa_padding_mode:oaep",
      "-pkeyopt",
      "rsa_oaep_md:sha1",
      "-pkeyopt",
      "rsa_mgf1_md:sha1",
    ]);
    return new Uint8Array(readFileSync(join(dir, "out")));
  });
}

/** hex HMAC-SHA384(key, message) by openssl dgst. */
export function opensslHmacSha384(key: Uint8Array, message: string): string {
  const out = run(
    ["openssl", "dgst", "-sha384", "-mac", "HMAC", "-macopt", `hexkey:${Buffer.from(key).toString("hex")}`, "-r"],
    new TextEncoder().encode(message),
  ).toString();
  return out.split(" ")[0]!.trim();
}

/** hex SHA-256 by openssl dgst. */
export function opensslSha256(data: Uint8Array | string): string {
  return run(["openssl", "dgst", "-sha256", "-r"], typeof data === "string" ? new TextEncoder().encode(data) : data)
    .toString()
    .split(" ")[0]!
    .trim();
}

/** Keylime's crypto.encrypt: iv16 ‖ AES-256-GCM ciphertext ‖ tag16. */
export function aesGcmEncrypt(key: Uint8Array, plain: Uint8Array): Uint8Array {
  const iv = randomBytes(16);
  const c = createCipheriv("aes-256-gcm", key, iv);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return new Uint8Array(Buffer.concat([iv, ct, c.getAuthTag()]));
}

/** What `keylime_tenant` sends for one agent: K split into U and V, the auth tag, the encrypted payload. */
export interface TenantVectors {
  k: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
  ukeyBody: { encrypted_key: string; auth_tag: string; payload?: string };
  vkeyBody: { encrypted_key: string };
}

export function tenantVectors(pubPem: string, uuid: string, payload?: Uint8Array): TenantVectors {
  const k = new Uint8Array(randomBytes(32));
  const v = new Uint8Array(randomBytes(32));
  const u = k.map((b, i) => b ^ v[i]!);
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
  return {
    k,
    u,
    v,
    ukeyBody: {
      encrypted_key: b64(opensslOaepSha1(pubPem, u)),
      auth_tag: opensslHmacSha384(k, uuid),
      ...(payload ? { payload: b64(aesGcmEncrypt(k, payload)) } : {}),
    },
    vkeyBody: { encrypted_key: b64(opensslOaepSha1(pubPem, v)) },
  };
}

/** A zip archive made by Python's zipfile; `names` map to contents, deflated. */
export function pythonZip(files: Record<string, string>): Uint8Array {
  const script =
    "import sys, json, zipfile, io\nb = io.BytesIO()\nz = zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED)\nfor n, c in json.loads(sys.stdin.read()).items():\n    z.writestr(n, c)\nz.close()\nsys.stdout.buffer.write(b.getvalue())\n";
  return new Uint8Array(run(["python3", "-c", script], new TextEncoder().encode(JSON.stringify(files))));
}
