import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { type AttestVolumeKey, AttestVolumeKeyType, codec } from "../../../src/protocol/index.ts";
import { DEFAULT_SEAL_PCRS } from "../../../src/tpm/index.ts";
import { VaultLockedError } from "../../../src/vault/index.ts";
import { type Device, hex, str, text, withDevice } from "./fixture.ts";

const withPolicy = (k: AttestVolumeKey, pcrs: number[], id = 7): AttestVolumeKey => ({
  ...k,
  has_policy_pcr_list: true,
  policy_pcr_list: { pcr_indices: pcrs, policy_id: id },
});

/** First boot stores data and hands out the escrow; then PCR 14 moves (e.g. /config changed). */
async function sealThenBreakPcr14(d: Device): Promise<AttestVolumeKey> {
  const b = await d.boot();
  await b.vault.store.put("app-config", text("written before the PCR change"));
  const escrow = b.vault.escrow()!;
  await b.shutdown();
  d.extendPcr(14);
  return escrow;
}

describe("PCR mismatch and recovery with the controller's key", () => {
  test("locks naming PCR 14 and refuses reads when PCR 14 changed after sealing", async () => {
    await withDevice(async (d) => {
      await sealThenBreakPcr14(d);
      const b = await d.boot();
      const s = b.vault.status();
      expect(s).toMatchObject({ status: "ERROR", locked: true, mismatchingPcrs: [14], errorKind: "vault.pcr-mismatch", escrowPending: false });
      expect(s.error).toBe("PCR mismatch: 14");
      const e = await b.vault.store.get("app-config").catch((x: unknown) => x);
      expect(e).toBeInstanceOf(VaultLockedError);
      expect((e as Error).message).toContain("PCR mismatch: 14");
      expect(b.vault.escrow()).toBeUndefined();
    });
  });

  test("unlocks, re-seals and reads earlier data when the controller returns the escrowed key", async () => {
    await withDevice(async (d) => {
      const escrow = await sealThenBreakPcr14(d);
      const b = await d.boot();
      const before = await b.tpm.nvRead(0x1800000);
      const s = await b.vault.acceptControllerKeys([escrow]);
      expect(s).toMatchObject({ status: "ENABLED", locked: false, escrowPending: true });
      expect(s.mismatchingPcrs).toBeUndefined();
      expect(str(await b.vault.store.get("app-config"))).toBe("written before the PCR change");
      expect(hex((await b.tpm.nvRead(0x1800000))!)).not.toBe(hex(before!));
      expect(hex(b.vault.escrow()!.key)).toBe(hex(escrow.key));
      await b.shutdown();

      const again = await d.boot();
      expect(again.vault.status()).toMatchObject({ status: "ENABLED", locked: false });
      expect(str(await again.vault.store.get("app-config"))).toBe("written before the PCR change");
    });
  });

  test("stays locked with a digest error when the escrowed key was tampered", async () => {
    await withDevice(async (d) => {
      const escrow = await sealThenBreakPcr14(d);
      const data = codec.AttestVolumeKeyData.decode(escrow.key);
      data.digest_sha256[0]! ^= 0x80;
      const b = await d.boot();
      const s = await b.vault.acceptControllerKeys([{ ...escrow, key: codec.AttestVolumeKeyData.encode(data) }]);
      expect(s).toMatchObject({ status: "ERROR", locked: true, mismatchingPcrs: [14], errorKind: "vault.escrow-invalid" });
      expect(s.error).toContain("PCR mismatch: 14");
      expect(s.error).toContain("digest mismatch");
      await expect(b.vault.store.get("app-config")).rejects.toBeInstanceOf(VaultLockedError);
      // The untampered key still works afterwards: a bad attempt changes nothing on disk.
      expect((await b.vault.acceptControllerKeys([escrow])).locked).toBe(false);
    });
  });

  test("seals to the controller's PCR policy and persists it when the policy is valid", async () => {
    await withDevice(async (d) => {
      const escrow = await sealThenBreakPcr14(d);
      const b = await d.boot();
      const s = await b.vault.acceptControllerKeys([withPolicy(escrow, [7, 0, 1, 2, 3, 4, 6])]);
      expect(s).toMatchObject({ status: "ENABLED", locked: false, policyPcrs: [0, 1, 2, 3, 4, 6, 7] });
      expect(JSON.parse(readFileSync(d.layout.persist.policyPcr, "utf8"))).toEqual({ PolicyPresent: true, Indexes: [0, 1, 2, 3, 4, 6, 7], ID: 7 });
      await b.shutdown();

      d.extendPcr(14, "15");
      const again = await d.boot();
      expect(again.vault.status()).toMatchObject({ status: "ENABLED", policyPcrs: [0, 1, 2, 3, 4, 6, 7] });
      expect(str(await again.vault.store.get("app-config"))).toBe("written before the PCR change");
    });
  });

  test("ignores an invalid controller policy and seals to the default set", async () => {
    await withDevice(async (d) => {
      const escrow = await sealThenBreakPcr14(d);
      const b = await d.boot();
      const s = await b.vault.acceptControllerKeys([withPolicy(escrow, [0, 4, 5])]);
      expect(s).toMatchObject({ status: "ENABLED", locked: false, policyPcrs: DEFAULT_SEAL_PCRS });
      expect(existsSync(d.layout.persist.policyPcr)).toBe(false);
    });
  });

  test("re-seals only when the policy changed when a key arrives while unlocked", async () => {
    await withDevice(async (d) => {
      const b = await d.boot();
      const escrow = b.vault.escrow()!;
      const nv0 = hex((await b.tpm.nvRead(0x1800000))!);
      await b.vault.acceptControllerKeys([escrow]);
      expect(hex((await b.tpm.nvRead(0x1800000))!)).toBe(nv0);
      await b.vault.acceptControllerKeys([withPolicy(escrow, [0, 4, 5])]);
      expect(hex((await b.tpm.nvRead(0x1800000))!)).toBe(nv0);

      const s = await b.vault.acceptControllerKeys([withPolicy(escrow, [0, 4, 7])]);
      expect(s.policyPcrs).toEqual([0, 4, 7]);
      const nv1 = hex((await b.tpm.nvRead(0x1800000))!);
      expect(nv1).not.toBe(nv0);
      await b.vault.acceptControllerKeys([withPolicy(escrow, [0, 4, 7])]);
      expect(hex((await b.tpm.nvRead(0x1800000))!)).toBe(nv1);
    });
  });

  test("stays locked and keeps the data when the controller has no key and allow-vault-clean is absent", async () => {
    await withDevice(async (d) => {
      await sealThenBreakPcr14(d);
      const b = await d.boot();
      const s = await b.vault.acceptControllerKeys([]);
      expect(s).toMatchObject({ status: "ERROR", locked: true, mismatchingPcrs: [14] });
      expect(existsSync(`${d.layout.persist.vaultDir}/app-config.vault`)).toBe(true);
    });
  });

  test("destroys the vault and starts with a new key when the controller has none and allow-vault-clean exists", async () => {
    await withDevice(async (d) => {
      const oldEscrow = await sealThenBreakPcr14(d);
      writeFileSync(d.layout.persist.allowVaultClean, "");
      const b = await d.boot();
      const s = await b.vault.acceptControllerKeys([
        { key_type: AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK, key: new Uint8Array(0), has_policy_pcr_list: false },
      ]);
      expect(s).toMatchObject({ status: "ENABLED", locked: false, escrowPending: true });
      expect(await b.vault.store.list()).toEqual([]);
      expect(await b.vault.store.get("app-config")).toBeUndefined();
      const newEscrow = b.vault.escrow()!;
      expect(hex(newEscrow.key)).not.toBe(hex(oldEscrow.key));
      await b.vault.store.put("app-config", text("after the clean"));

      b.vault.escrowAcknowledged();
      expect(existsSync(d.layout.persist.allowVaultClean)).toBe(false);
      expect(b.vault.status().escrowPending).toBe(false);
      await b.shutdown();

      // The destroyed vault's escrow no longer opens this vault.
      d.extendPcr(14, "16");
      const again = await d.boot();
      expect(again.vault.status().locked).toBe(true);
      const rejected = await again.vault.acceptControllerKeys([oldEscrow]);
      expect(rejected).toMatchObject({ locked: true, errorKind: "vault.escrow-invalid" });
      expect(rejected.error).toContain("not this vault's key");
      expect((await again.vault.acceptControllerKeys([newEscrow])).locked).toBe(false);
      expect(str(await again.vault.store.get("app-config"))).toBe("after the clean");
    });
  });

  test("signals escrow readiness once per blob when the controller's key unlocks a locked vault", async () => {
    await withDevice(async (d) => {
      const escrow = await sealThenBreakPcr14(d);
      const b = await d.boot();
      const ready: string[] = [];
      const off = b.vault.onEscrowReady((entry) => ready.push(hex(entry.key)));
      expect(b.vault.escrow()).toBeUndefined();
      await b.vault.acceptControllerKeys([escrow]);
      expect(ready).toEqual([hex(escrow.key)]);
      // The same key again, the acknowledgement and the shutdown offer no new blob.
      await b.vault.acceptControllerKeys([escrow]);
      b.vault.escrowAcknowledged();
      b.vault.close();
      off();
      expect(ready).toEqual([hex(escrow.key)]);
    });
  });

  test("reports changes to onChange listeners when the vault locks and unlocks", async () => {
    await withDevice(async (d) => {
      const escrow = await sealThenBreakPcr14(d);
      const b = await d.boot();
      const seen: string[] = [];
      const off = b.vault.onChange((s) => seen.push(`${s.status}/${s.locked}`));
      await b.vault.acceptControllerKeys([escrow]);
      b.vault.escrowAcknowledged();
      off();
      b.vault.close();
      expect(seen).toEqual(["ENABLED/false", "ENABLED/false"]);
    });
  });
});
