import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { codec } from "../../../src/protocol/index.ts";
import { DEFAULT_SEAL_PCRS } from "../../../src/tpm/index.ts";
import { dataSecAtRestInfo, VaultLockedError } from "../../../src/vault/index.ts";
import { hex, sealRecord, str, text, withDevice } from "./fixture.ts";

/** TPM2B_ECC_POINT as tpm2_ecdhzgen reads and writes it. */
function eccPoint(uncompressed: Uint8Array): Uint8Array {
  const out = Buffer.alloc(2 + 2 + 32 + 2 + 32);
  out.writeUInt16BE(68, 0);
  out.writeUInt16BE(32, 2);
  out.set(uncompressed.subarray(1, 33), 4);
  out.writeUInt16BE(32, 36);
  out.set(uncompressed.subarray(33, 65), 38);
  return out;
}

function parseEccPoint(b: Uint8Array): Uint8Array {
  const v = Buffer.from(b);
  const xl = v.readUInt16BE(2);
  const x = v.subarray(4, 4 + xl);
  const yl = v.readUInt16BE(4 + xl);
  const y = v.subarray(6 + xl, 6 + xl + yl);
  const pad = (c: Buffer) => Buffer.concat([Buffer.alloc(32 - c.length), c]);
  return Buffer.concat([pad(x), pad(y)]);
}

describe("vault key lifecycle on swtpm", () => {
  test("seals a new key into NV 0x1800000/0x1900000 when the device boots for the first time", async () => {
    await withDevice(async (d) => {
      const b = await d.boot();
      const s = b.vault.status();
      expect(s).toMatchObject({ status: "ENABLED", locked: false, pcrStatus: "ENABLED", escrowPending: true, storeMode: "encrypted" });
      expect(s.policyPcrs).toEqual(DEFAULT_SEAL_PCRS);
      expect(b.vault.escrow()).toBeDefined();
      await b.vault.store.put("app-config", text("first boot data"));
      await b.shutdown();

      const priv = d.nvRead("0x1800000");
      const pub = d.nvRead("0x1900000");
      expect(priv?.length ?? 0).toBeGreaterThan(32);
      expect(pub?.length ?? 0).toBeGreaterThan(32);
      const rec = sealRecord(d);
      expect(rec.pending).toBeUndefined();
      expect(rec.committed!.private).toBe(hex(priv!));
      expect(rec.committed!.public).toBe(hex(pub!));
      expect(rec.committed!.pcrs).toEqual(DEFAULT_SEAL_PCRS);
      const values = JSON.parse(readFileSync(d.layout.persist.sealingPcrs, "utf8")).committed.pcrValues;
      expect(
        Object.keys(values)
          .map(Number)
          .sort((a, b) => a - b),
      ).toEqual(DEFAULT_SEAL_PCRS);
    });
  });

  test("unseals the same key without any controller when a new manager boots", async () => {
    await withDevice(async (d) => {
      const first = await d.boot();
      await first.vault.store.put("app-config", text("kept across boots"));
      const escrow1 = first.vault.escrow()!.key;
      await first.shutdown();

      const second = await d.boot();
      expect(second.vault.status()).toMatchObject({ status: "ENABLED", locked: false });
      expect(str(await second.vault.store.get("app-config"))).toBe("kept across boots");
      // The escrow wrap is deterministic, so an identical blob means an identical key.
      expect(hex(second.vault.escrow()!.key)).toBe(hex(escrow1));
      await second.shutdown();
    });
  });

  test("refuses to seal and reports ERROR when PCR 0 and 4 were never measured", async () => {
    await withDevice(
      async (d) => {
        const b = await d.boot();
        const s = b.vault.status();
        expect(s).toMatchObject({ status: "ERROR", locked: true, errorKind: "vault.sealing-refused", escrowPending: false });
        expect(s.error).toContain("PCR 0 and PCR 4 are all-zero");
        expect(b.vault.escrow()).toBeUndefined();
        await expect(b.vault.store.put("x", text("y"))).rejects.toBeInstanceOf(VaultLockedError);
        expect(await b.tpm.nvRead(0x1800000)).toBeUndefined();
        expect(dataSecAtRestInfo(s).vaultList[0]!.status).toBe(4);
        await b.shutdown();
      },
      { measured: false },
    );
  });

  test("escrow blob opens with a ZGen done by tpm2-tools and openssl when checked independently", async () => {
    await withDevice(async (d) => {
      const b = await d.boot();
      const blob = b.vault.escrow()!.key;
      const statusJson = JSON.stringify(b.vault.status());
      const point = b.tpm.publicKey("device");
      if (point.kind !== "ec") throw new Error("device key is not EC");
      await b.shutdown();

      const z = d.file("z.bin");
      d.sw.tool(["tpm2_ecdhzgen", "-c", "0x81000005", "-u", d.file("q.bin", eccPoint(point.point)), "-o", z]);
      d.sw.flushTools();
      const wrapKey = createHash("sha256")
        .update(parseEccPoint(new Uint8Array(readFileSync(z))))
        .digest("hex");
      const data = codec.AttestVolumeKeyData.decode(blob);
      // EVE's key, then one key per vault key from it (src/vault/escrow.ts), derived here by openssl.
      const kdf = spawnSync("openssl", [
        "kdf",
        "-keylen",
        "32",
        "-kdfopt",
        "digest:SHA256",
        "-kdfopt",
        `hexkey:${wrapKey}`,
        "-kdfopt",
        `hexsalt:${hex(data.digest_sha256)}`,
        "-kdfopt",
        "info:edge-agent vault escrow: per vault key AES-256-CFB key",
        "HKDF",
      ]);
      expect(kdf.status).toBe(0);
      const perKey = kdf.stdout.toString().trim().replace(/:/g, "");
      const r = spawnSync("openssl", ["enc", "-d", "-aes-256-cfb", "-K", perKey, "-iv", "00".repeat(16)], { input: data.encrypted_key });
      expect(r.status).toBe(0);
      const vaultKey = new Uint8Array(r.stdout);
      expect(vaultKey.length).toBe(32);
      expect(createHash("sha256").update(vaultKey).digest("hex")).toBe(hex(data.digest_sha256));
      expect(data.version).toBe(0);

      // Now that the key is known: it appears nowhere in status, logs or on disk in the clear.
      const keyHex = hex(vaultKey);
      const keyB64 = Buffer.from(vaultKey).toString("base64");
      for (const haystack of [statusJson, d.logs.join("\n"), readFileSync(d.layout.persist.sealingPcrs, "utf8")]) {
        expect(haystack).not.toContain(keyHex);
        expect(haystack).not.toContain(keyB64);
      }
    });
  });

  test("store is unreadable and the key gone after close when the vault shuts down", async () => {
    await withDevice(async (d) => {
      const b = await d.boot();
      await b.vault.store.put("a", text("b"));
      b.vault.close();
      await expect(b.vault.store.get("a")).rejects.toBeInstanceOf(VaultLockedError);
      expect(b.vault.escrow()).toBeUndefined();
      expect(existsSync(`${d.layout.persist.vaultDir}/a.vault`)).toBe(true);
      await b.shutdown();
    });
  });
});
