import { afterAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../shared/index.ts";
import { DELIVERY_SUBDIR, decryptPayload, deliverPayload, PAYLOAD_FILE, preparePayloadDir, type ScriptOutcome } from "./payload.ts";
import { aesGcmEncrypt, pythonZip } from "./vectors.testkit.ts";

const dirs: string[] = [];
function shmDir(): string {
  const d = mkdtempSync(join("/dev/shm", "edge-agent-kl-payload-"));
  dirs.push(d);
  return d;
}
/** A directory on the work tree's disk (.tmp/ is ignored by git). */
function diskDir(): string {
  const tmp = join(import.meta.dir, "..", "..", "..", ".tmp");
  mkdirSync(tmp, { recursive: true });
  const d = mkdtempSync(join(tmp, "kl-payload-"));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const opts = (dir: string, runScript = false) => ({ dir, allowDiskBacked: false, runScript, scriptTimeoutMs: 10_000, log: silentLogger });

describe("payload decryption", () => {
  const key = new Uint8Array(randomBytes(32));

  test("decrypts iv16 ‖ AES-256-GCM ‖ tag16 made by node's cipher", () => {
    const plain = new TextEncoder().encode("a secret for an attested device\n");
    expect(decryptPayload(key, aesGcmEncrypt(key, plain))).toEqual(plain);
  });

  test("refuses a changed byte, a wrong key and a payload shorter than IV and tag", () => {
    const ct = aesGcmEncrypt(key, new Uint8Array(100));
    const flipped = ct.slice();
    flipped[40]! ^= 1;
    expect(() => decryptPayload(key, flipped)).toThrow(expect.objectContaining({ kind: "keylime.pull.payload" }));
    expect(() => decryptPayload(new Uint8Array(randomBytes(32)), ct)).toThrow(/does not decrypt/);
    expect(() => decryptPayload(key, new Uint8Array(31))).toThrow(/shorter/);
  });
});

describe("the payload directory", () => {
  test("is created 0700 on tmpfs", () => {
    const d = join(shmDir(), "secure");
    preparePayloadDir(d, false);
    expect(lstatSync(d).mode & 0o777).toBe(0o700);
  });

  test("is refused on a disk unless payloadDirAnyFs says so", () => {
    const d = join(diskDir(), "secure");
    expect(() => preparePayloadDir(d, false)).toThrow(
      expect.objectContaining({ kind: "keylime.pull.payload-dir", message: expect.stringMatching(/not memory-backed.*payloadDirAnyFs/) }),
    );
    expect(() => preparePayloadDir(d, true)).not.toThrow();
  });

  test("is refused when it is a symlink or open to others", () => {
    const base = shmDir();
    const real = join(base, "real");
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, join(base, "link"));
    expect(() => preparePayloadDir(join(base, "link"), false)).toThrow(/symbolic link/);
    chmodSync(real, 0o755);
    expect(() => preparePayloadDir(real, false)).toThrow(/mode 0755/);
  });
});

describe("payload delivery", () => {
  test("writes a plain payload as decrypted_payload, 0600, replacing the previous delivery", () => {
    const d = shmDir();
    deliverPayload(new TextEncoder().encode("first"), opts(d));
    const got = deliverPayload(new TextEncoder().encode("second"), opts(d));
    const file = join(d, DELIVERY_SUBDIR, PAYLOAD_FILE);
    expect(readFileSync(file, "utf8")).toBe("second");
    expect(lstatSync(file).mode & 0o777).toBe(0o600);
    expect(got).toMatchObject({ files: 1, bytes: 6, script: "absent" });
  });

  test("unpacks a zip made by Python's zipfile beside it and leaves autorun.sh unrun by default", async () => {
    const d = shmDir();
    const zip = pythonZip({ "autorun.sh": "touch ran\n", "conf/app.conf": "x = 1\n" });
    const got = deliverPayload(zip, opts(d));
    const out = join(d, DELIVERY_SUBDIR);
    expect(readdirSync(out).sort()).toEqual(["autorun.sh", "conf", PAYLOAD_FILE].sort());
    expect(readFileSync(join(out, "conf", "app.conf"), "utf8")).toBe("x = 1\n");
    expect(got).toMatchObject({ files: 3, script: "not-allowed" });
    await Bun.sleep(200);
    expect(existsSync(join(out, "ran"))).toBe(false);
  });

  test("runs autorun.sh in the delivery directory when allowed", async () => {
    const d = shmDir();
    const outcome = new Promise<ScriptOutcome>((resolve) => {
      const got = deliverPayload(pythonZip({ "autorun.sh": "echo ok > ran\nexit 3\n" }), opts(d, true), resolve);
      expect(got.script).toBe("started");
    });
    expect(await outcome).toEqual({ exitCode: 3, timedOut: false });
    expect(readFileSync(join(d, DELIVERY_SUBDIR, "ran"), "utf8")).toBe("ok\n");
  });

  test.each([["../escape"], ["/etc/escape"], ["a/../../escape"]])("refuses an archive entry named %p and leaves no delivery", (name) => {
    const d = shmDir();
    expect(() => deliverPayload(pythonZip({ ok: "1", [name]: "bad" }), opts(d))).toThrow(/leaves the payload directory/);
    expect(existsSync(join(d, DELIVERY_SUBDIR))).toBe(false);
    expect(existsSync(join(d, "escape"))).toBe(false);
  });

  test("refuses an archive whose entry fails its CRC", () => {
    const zip = pythonZip({ "a.txt": "hello hello hello hello" });
    // Flip a byte of the stored CRC in the central directory (offset 16 of the entry).
    const cen = Buffer.from(zip).lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip[cen + 16]! ^= 0xff;
    expect(() => deliverPayload(zip, opts(shmDir()))).toThrow(/CRC/);
  });
});
