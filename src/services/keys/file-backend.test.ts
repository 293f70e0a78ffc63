import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spkiOf } from "../certs/issue.ts";
import { FileKeyBackend } from "./file-backend.ts";

const dir = mkdtempSync(join(tmpdir(), "ea-keyfiles-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** openssl's verdict on a signature over `data` by the key whose SPKI is given. */
function opensslVerifies(spki: Uint8Array, data: string, sig: Uint8Array): string {
  const pub = join(dir, "v.pub.der");
  writeFileSync(pub, spki);
  writeFileSync(join(dir, "v.data"), data);
  writeFileSync(join(dir, "v.sig"), sig);
  const pem = spawnSync("openssl", ["pkey", "-pubin", "-inform", "DER", "-in", pub], { encoding: "utf8" }).stdout;
  writeFileSync(join(dir, "v.pub.pem"), pem);
  return spawnSync("openssl", ["dgst", "-sha256", "-verify", join(dir, "v.pub.pem"), "-signature", join(dir, "v.sig"), join(dir, "v.data")], {
    encoding: "utf8",
  }).stdout.trim();
}

const DIGEST_INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

describe("software key pairs in 0600 files", () => {
  const keys = new FileKeyBackend(join(dir, "keys"));

  test("EC P-256 and RSA keys are made as 0600 PEM files in a 0700 directory and sign what openssl verifies", async () => {
    const ec = (await keys.create("work-ec", "ec-p256"))!;
    const rsa = (await keys.create("work-rsa", "rsa-2048"))!;
    expect(statSync(join(dir, "keys")).mode & 0o777).toBe(0o700);
    for (const id of ["work-ec", "work-rsa"]) expect(statSync(join(dir, "keys", `${id}.key.pem`)).mode & 0o777).toBe(0o600);
    const digest = createHash("sha256").update("payload").digest();
    expect(opensslVerifies(spkiOf(ec.publicKey), "payload", await ec.signDigest!(digest))).toBe("Verified OK");
    expect(opensslVerifies(spkiOf(rsa.publicKey), "payload", await rsa.rsaPkcs1!(Buffer.concat([DIGEST_INFO, digest])))).toBe("Verified OK");
    expect(opensslVerifies(spkiOf(rsa.publicKey), "other", await rsa.rsaPkcs1!(Buffer.concat([DIGEST_INFO, digest])))).not.toBe("Verified OK");
    // Loaded again from its file, the key is the same key.
    const again = (await keys.load("work-ec"))!;
    expect(Buffer.from(spkiOf(again.publicKey)).equals(Buffer.from(spkiOf(ec.publicKey)))).toBe(true);
    // openssl reads the file as the key it claims to be.
    const fromFile = spawnSync("openssl", ["pkey", "-in", join(dir, "keys", "work-rsa.key.pem"), "-pubout", "-outform", "DER"]).stdout;
    expect(Buffer.from(fromFile).equals(Buffer.from(spkiOf(rsa.publicKey)))).toBe(true);
  });

  test("a key file others can read is refused; renames and deletes move the file", async () => {
    await keys.create("work-open", "ec-p256");
    chmodSync(join(dir, "keys", "work-open.key.pem"), 0o644);
    await expect(keys.load("work-open")).rejects.toThrow("readable by group or others");
    const pem = readFileSync(join(dir, "keys", "work-ec.key.pem"));
    expect(await keys.rename("work-ec", "work-ec2")).toBe(true);
    expect(await keys.load("work-ec")).toBeUndefined();
    expect(readFileSync(join(dir, "keys", "work-ec2.key.pem"))).toEqual(pem);
    expect(await keys.delete("work-ec2")).toBe(true);
    expect(await keys.delete("work-ec2")).toBe(false);
  });
});
