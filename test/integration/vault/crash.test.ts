import { describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { type CrashPoint, crashOnSeal, type Device, hex, sealRecord, str, text, withDevice } from "./fixture.ts";

/**
 * Each test makes sealVaultKey "lose power" at one point of the write order
 * (journal pending -> NV private -> NV public -> journal committed), drops
 * that boot without any clean-up, and boots again on the same TPM and disk.
 */

async function firstBootCrashing(d: Device, at: CrashPoint) {
  const b = await d.boot({ wrap: crashOnSeal(at) });
  expect(b.vault.status().locked).toBe(true);
  await b.shutdown();
}

describe("crash during the first seal", () => {
  test.each([["before-nv"], ["between-private-and-public"], ["after-nv"]] as const)("boots into a working vault when the first boot died %s", async (at) => {
    await withDevice(async (d) => {
      await firstBootCrashing(d, at);
      expect(sealRecord(d).committed).toBeUndefined();
      const b = await d.boot();
      expect(b.vault.status()).toMatchObject({ status: "ENABLED", locked: false });
      await b.vault.store.put("app-config", text("data"));
      await b.shutdown();
      const again = await d.boot();
      expect(str(await again.vault.store.get("app-config"))).toBe("data");
    });
  });

  test("keeps the key that reached NV when the first boot died before committing it", async () => {
    await withDevice(async (d) => {
      await firstBootCrashing(d, "after-nv");
      const pending = sealRecord(d).pending!;
      const nv = hex(d.nvRead("0x1800000")!);
      const b = await d.boot();
      expect(b.vault.status().locked).toBe(false);
      const rec = sealRecord(d);
      expect(rec.pending).toBeUndefined();
      expect(rec.committed!.keyId).toBe(pending.keyId);
      expect(rec.committed!.private).toBe(nv);
    });
  });
});

describe("crash while re-sealing a key the controller holds", () => {
  /** Sealed, data stored, PCR 14 moved, vault locked; returns the escrow. */
  async function lockedVault(d: Device) {
    const b = await d.boot();
    await b.vault.store.put("app-config", text("must survive"));
    const escrow = b.vault.escrow()!;
    await b.shutdown();
    d.extendPcr(14);
    return escrow;
  }

  test("restores the committed pair and asks the controller again when the re-seal died between the NV writes", async () => {
    await withDevice(async (d) => {
      const escrow = await lockedVault(d);
      const committed = sealRecord(d).committed!;
      const b = await d.boot({ wrap: crashOnSeal("between-private-and-public") });
      await b.vault.acceptControllerKeys([escrow]);
      await b.shutdown();
      // Torn: the new private blob next to the old public one.
      expect(hex(d.nvRead("0x1800000")!)).not.toBe(committed.private);
      expect(hex(d.nvRead("0x1900000")!)).toBe(committed.public);

      const again = await d.boot();
      expect(again.vault.status()).toMatchObject({ status: "ERROR", locked: true, mismatchingPcrs: [14], error: "PCR mismatch: 14" });
      expect(hex((await again.tpm.nvRead(0x1800000))!)).toBe(committed.private);
      expect((await again.vault.acceptControllerKeys([escrow])).locked).toBe(false);
      expect(str(await again.vault.store.get("app-config"))).toBe("must survive");
      await again.shutdown();

      const third = await d.boot();
      expect(third.vault.status().locked).toBe(false);
    });
  });

  test("unseals locally without the controller when the re-seal died after NV was written", async () => {
    await withDevice(async (d) => {
      const escrow = await lockedVault(d);
      const b = await d.boot({ wrap: crashOnSeal("after-nv") });
      await b.vault.acceptControllerKeys([escrow]);
      await b.shutdown();
      expect(sealRecord(d).pending).toBeDefined();

      const again = await d.boot();
      expect(again.vault.status()).toMatchObject({ status: "ENABLED", locked: false });
      expect(str(await again.vault.store.get("app-config"))).toBe("must survive");
      expect(sealRecord(d).pending).toBeUndefined();
    });
  });

  test("re-runs the clean after a crash when the vault clean died while sealing the new key", async () => {
    await withDevice(async (d) => {
      await lockedVault(d);
      writeFileSync(d.layout.persist.allowVaultClean, "");
      const b = await d.boot({ wrap: crashOnSeal("between-private-and-public") });
      await b.vault.acceptControllerKeys([]);
      await b.shutdown();

      const again = await d.boot();
      expect(again.vault.status()).toMatchObject({ locked: true, mismatchingPcrs: [14] });
      const s = await again.vault.acceptControllerKeys([]);
      expect(s).toMatchObject({ status: "ENABLED", locked: false });
      expect(await again.vault.store.list()).toEqual([]);
    });
  });
});

describe("lost or damaged sealed state", () => {
  test("restores NV from the journal when both NV indexes were lost", async () => {
    await withDevice(async (d) => {
      const b = await d.boot();
      await b.vault.store.put("app-config", text("still here"));
      await b.shutdown();
      d.sw.tool(["tpm2_nvundefine", "-C", "o", "0x1800000"]);
      d.sw.tool(["tpm2_nvundefine", "-C", "o", "0x1900000"]);

      const again = await d.boot();
      expect(again.vault.status().locked).toBe(false);
      expect(str(await again.vault.store.get("app-config"))).toBe("still here");
      expect(await again.tpm.nvRead(0x1900000)).toBeDefined();
    });
  });

  test("adopts the key in NV when the journal is gone and PCRs are unchanged", async () => {
    await withDevice(async (d) => {
      const b = await d.boot();
      await b.vault.store.put("app-config", text("still here"));
      await b.shutdown();
      rmSync(d.layout.persist.sealingPcrs);

      const again = await d.boot();
      expect(again.vault.status().locked).toBe(false);
      expect(str(await again.vault.store.get("app-config"))).toBe("still here");
      expect(sealRecord(d).committed).toBeDefined();
    });
  });

  test("stays locked instead of making a new key when the journal is gone and the vault holds data", async () => {
    await withDevice(async (d) => {
      const b = await d.boot();
      await b.vault.store.put("app-config", text("still here"));
      const escrow = b.vault.escrow()!;
      await b.shutdown();
      rmSync(d.layout.persist.sealingPcrs);
      d.sw.tool(["tpm2_nvundefine", "-C", "o", "0x1800000"]);

      const again = await d.boot();
      expect(again.vault.status()).toMatchObject({ status: "ERROR", locked: true, errorKind: "vault.key-missing" });
      expect(await again.tpm.nvRead(0x1800000)).toBeUndefined();
      expect((await again.vault.acceptControllerKeys([escrow])).locked).toBe(false);
      expect(str(await again.vault.store.get("app-config"))).toBe("still here");
    });
  });

  test("treats an unreadable journal as unknown and does not replace the key when the vault holds data", async () => {
    await withDevice(async (d) => {
      const b = await d.boot();
      await b.vault.store.put("app-config", text("still here"));
      await b.shutdown();
      writeFileSync(d.layout.persist.sealingPcrs, "{ torn");
      d.extendPcr(14);

      const again = await d.boot();
      expect(again.vault.status()).toMatchObject({ status: "ERROR", locked: true, errorKind: "vault.pcr-mismatch" });
      expect(again.vault.status().error).toContain("seal-time PCR values unknown");
    });
  });
});
