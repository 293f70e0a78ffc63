/**
 * fscrypt on a real ext4 with the vault on swtpm: a loop-mounted filesystem
 * made with `mkfs.ext4 -O encrypt`, the kernel's own ioctls, the agent's
 * VaultManager sealing, locking and recovering through escrow. Needs root
 * and loop mounts (the CI container has both); it fails, not skips, when
 * they are missing, since the fscrypt path would otherwise go untested on
 * the host. The guest test (test/integration/qemu/boot.test.ts) checks the
 * same on the image's kernel.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AttestVolumeKey } from "../../../src/protocol/index.ts";
import { run } from "../../harness/proc.ts";
import { str, text, withDevice } from "./fixture.ts";

const work = mkdtempSync(join(tmpdir(), "edge-agent-fscrypt-"));
const mounted: string[] = [];

afterAll(async () => {
  for (const m of mounted) await run(["umount", m]);
  rmSync(work, { recursive: true, force: true });
});

/** A fresh ext4 (with or without the encrypt feature) loop-mounted under the work dir. */
async function ext4(name: string, features: string[]): Promise<string> {
  const img = join(work, `${name}.img`);
  const mnt = join(work, name);
  mkdirSync(mnt);
  const mk = await run(["mkfs.ext4", "-q", "-F", ...(features.length ? ["-O", features.join(",")] : []), img, "16M"], {
    env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
  });
  expect(mk.stderr).toBe("");
  expect(mk.code).toBe(0);
  const m = await run(["mount", "-o", "loop", img, mnt]);
  if (m.code !== 0) throw new Error(`cannot loop-mount an ext4 here (uid ${process.getuid?.()}): ${m.stderr.trim()}`);
  mounted.push(mnt);
  return mnt;
}

function readError(path: string): string {
  try {
    readFileSync(path);
    return "readable";
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

describe("fscrypt on a loop-mounted ext4", () => {
  test("ext4 -O encrypt: names and contents are ciphertext while the vault is locked or stopped, readable after unseal and after escrow recovery", async () => {
    const mnt = await ext4("encrypt", ["encrypt"]);
    await withDevice(
      async (d) => {
        const vaultDir = d.layout.persist.vaultDir;
        const b1 = await d.boot();
        expect(b1.vault.status()).toMatchObject({ status: "ENABLED", locked: false, protection: "fscrypt" });
        await b1.vault.store.put("app-config", text("first boot data"));
        expect(readdirSync(vaultDir)).toEqual(["app-config.vault"]);
        await b1.shutdown();

        // Stopped: the key left the kernel; names are no-key names, contents ENOKEY.
        const locked = readdirSync(vaultDir);
        expect(locked).toHaveLength(1);
        expect(locked[0]).not.toContain("app-config");
        expect(readError(join(vaultDir, locked[0]!))).toBe("ENOKEY");
        const lsattr = await run(["lsattr", "-d", vaultDir]);
        expect(lsattr.stdout.split(/\s+/)[0]).toContain("E");

        const b2 = await d.boot();
        expect(b2.vault.status()).toMatchObject({ locked: false, protection: "fscrypt" });
        expect(readdirSync(vaultDir)).toEqual(["app-config.vault"]);
        expect(str(await b2.vault.store.get("app-config"))).toBe("first boot data");
        const escrow: AttestVolumeKey = b2.vault.escrow()!;
        await b2.shutdown();

        // A sealed PCR moves: the vault boots locked and the directory stays ciphertext.
        d.extendPcr(14);
        const b3 = await d.boot();
        expect(b3.vault.status()).toMatchObject({ locked: true, protection: "fscrypt", errorKind: "vault.pcr-mismatch" });
        expect(readdirSync(vaultDir)).toEqual(locked);
        expect(readError(join(vaultDir, locked[0]!))).toBe("ENOKEY");
        const s = await b3.vault.acceptControllerKeys([escrow]);
        expect(s).toMatchObject({ locked: false, protection: "fscrypt" });
        expect(readdirSync(vaultDir)).toEqual(["app-config.vault"]);
        expect(str(await b3.vault.store.get("app-config"))).toBe("first boot data");
        await b3.shutdown();
        expect(readError(join(vaultDir, readdirSync(vaultDir)[0]!))).toBe("ENOKEY");
        // No key material in any log line (the fixture's logger saw every boot).
        expect(d.logs.join("\n")).toContain("vault directory encrypted with fscrypt");
        expect(d.logs.join("\n")).not.toMatch(/[0-9a-f]{64}/);
      },
      { root: join(mnt, "dev") },
    );
  }, 120_000);

  test("an agent that died with the vault unlocked leaves its key in the kernel: the next agent removes it before anything else, so a locked vault stays ciphertext", async () => {
    const mnt = await ext4("crash", ["encrypt"]);
    await withDevice(
      async (d) => {
        const vaultDir = d.layout.persist.vaultDir;
        const b1 = await d.boot();
        await b1.vault.store.put("app-config", text("before the crash"));
        // The process dies: no close(), so no FS_IOC_REMOVE_ENCRYPTION_KEY; only the TPM connection goes.
        await b1.tpm.close();
        expect(readdirSync(vaultDir)).toEqual(["app-config.vault"]);

        d.extendPcr(14);
        const b2 = await d.boot();
        expect(b2.vault.status()).toMatchObject({ locked: true, protection: "fscrypt" });
        const names = readdirSync(vaultDir);
        expect(names).toHaveLength(1);
        expect(names[0]).not.toContain("app-config");
        expect(readError(join(vaultDir, names[0]!))).toBe("ENOKEY");
        const probe = d.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === "vault protection: fscrypt");
        expect(probe.at(-1)?.alreadyUnlocked).toBe(true);
      },
      { root: join(mnt, "dev") },
    );
  }, 120_000);

  test("ext4 without the encrypt feature: the store alone protects the vault, and the status and log say why", async () => {
    const mnt = await ext4("plain", []);
    await withDevice(
      async (d) => {
        const b = await d.boot();
        expect(b.vault.status()).toMatchObject({ status: "ENABLED", locked: false, protection: "store" });
        await b.vault.store.put("app-config", text("data"));
        await b.shutdown();
        // Names stay readable; contents are the store's AES-GCM, not the plaintext.
        expect(readdirSync(d.layout.persist.vaultDir)).toEqual(["app-config.vault"]);
        expect(readFileSync(join(d.layout.persist.vaultDir, "app-config.vault")).includes(Buffer.from("data"))).toBe(false);
        const fallback = d.logs.map((l) => JSON.parse(l)).find((l) => l.msg === "vault protection: store (fscrypt not used)");
        expect(fallback?.reason).toContain("EOPNOTSUPP");
      },
      { root: join(mnt, "dev") },
    );
  }, 120_000);
});
