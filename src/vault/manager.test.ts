import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttestVolumeKeyType, DataSecAtRestStatus } from "../protocol/index.ts";
import { deviceLayout } from "../state/index.ts";
import { VaultLockedError } from "./errors.ts";
import { VaultManager } from "./manager.ts";
import type { VaultTpm } from "./port.ts";
import { dataSecAtRestInfo } from "./status.ts";

const root = mkdtempSync(join(tmpdir(), "edge-agent-vault-mgr-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const layout = () => deviceLayout(join(root, `d${n++}`));

describe("VaultManager without a TPM", () => {
  test("reports DISABLED with a plaintext store and no escrow when there is no TPM", async () => {
    const l = layout();
    const v = new VaultManager({ layout: l });
    const s = await v.open();
    expect(s).toEqual({ status: "DISABLED", locked: false, pcrStatus: "DISABLED", policyPcrs: [], escrowPending: false, storeMode: "plaintext" });
    expect(v.tpmEnabled).toBe(false);
    expect(v.escrow()).toBeUndefined();
    await v.store.put("checkpoint", new TextEncoder().encode("plain"));
    expect(readFileSync(join(l.persist.vaultDir, "checkpoint.vault")).includes(Buffer.from("plain"))).toBe(true);
    expect(new TextDecoder().decode((await v.store.get("checkpoint"))!)).toBe("plain");
    const info = dataSecAtRestInfo(s);
    expect(info.status).toBe(DataSecAtRestStatus.DATASEC_AT_REST_DISABLED);
    expect(info.vaultList[0]).toMatchObject({ name: "Application Data Store", status: DataSecAtRestStatus.DATASEC_AT_REST_DISABLED });
  });

  test("ignores controller keys when there is no TPM", async () => {
    const v = new VaultManager({ layout: layout() });
    await v.open();
    const s = await v.acceptControllerKeys([{ key_type: AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK, key: new Uint8Array(68), has_policy_pcr_list: false }]);
    expect(s.status).toBe("DISABLED");
  });

  test("refuses the store with VaultLockedError when the vault was never opened", async () => {
    const v = new VaultManager({ layout: layout() });
    await expect(v.store.list()).rejects.toBeInstanceOf(VaultLockedError);
    expect(v.status()).toMatchObject({ status: "ERROR", locked: true, errorKind: "vault.not-open" });
  });

  test("rejects construction when a TPM is given without the device certificate key", () => {
    expect(() => new VaultManager({ layout: layout(), tpm: {} as VaultTpm })).toThrow(/device certificate/);
  });
});
