import { describe, expect, test } from "bun:test";
import type { AttestationStatus } from "../attestation/index.ts";
import { MaintenanceModeReason as R } from "../protocol/index.ts";
import type { VaultStatus } from "../vault/index.ts";
import { InfoTrigger, type InfoView, infoView, sameInfoView } from "./info-trigger.ts";

const vault: VaultStatus = { status: "ENABLED", locked: false, pcrStatus: "ENABLED", policyPcrs: [0, 1], escrowPending: true, storeMode: "encrypted" };
const attestation: AttestationStatus = { state: "NonceWait", stateNumber: 1, cycles: 1, quotes: 0, tokenPresent: false };
const base = infoView(attestation, vault, []);

describe("infoView", () => {
  test("keeps only what the report shows of attestation, vault and maintenance", () => {
    const v = infoView(
      { ...attestation, quotes: 3, lastError: { kind: "attest.http", message: "POST /attest answered 500", at: "2026-01-01T00:00:00.000Z" } },
      { ...vault, status: "ERROR", locked: true, error: "PCR mismatch: 14", policyPcrs: [14] },
      [R.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP],
    );
    expect(v).toEqual({
      attestationState: 1,
      attestationError: "POST /attest answered 500",
      vaultStatus: "ERROR",
      vaultLocked: true,
      vaultError: "PCR mismatch: 14",
      maintenance: [R.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP],
    });
    expect(infoView(undefined, vault, [])).toEqual({ vaultStatus: "ENABLED", vaultLocked: false, maintenance: [] });
  });
});

describe("sameInfoView", () => {
  test.each([
    ["the attestation state", { attestationState: 4 }],
    ["the attestation error", { attestationError: "refused" }],
    ["the vault status", { vaultStatus: "ERROR" }],
    ["whether the vault is locked", { vaultLocked: true }],
    ["the vault error", { vaultError: "PCR mismatch: 14" }],
    ["a maintenance reason", { maintenance: [R.MAINTENANCE_MODE_REASON_TPM_QUOTE_FAILURE] }],
  ] as [string, Partial<InfoView>][])("differs when %s changes", (_, patch) => {
    expect(sameInfoView(base, { ...base, ...patch })).toBe(false);
  });

  test("is the same for what the report does not show (counters, PCR lists, escrow)", () => {
    const other = infoView({ ...attestation, cycles: 5, quotes: 9, tokenPresent: true }, { ...vault, policyPcrs: [7], escrowPending: false }, []);
    expect(sameInfoView(base, other)).toBe(true);
  });

  test("compares maintenance reasons by value and order", () => {
    const two = [R.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP, R.MAINTENANCE_MODE_REASON_TPM_QUOTE_FAILURE];
    expect(sameInfoView({ ...base, maintenance: two }, { ...base, maintenance: [...two] })).toBe(true);
    expect(sameInfoView({ ...base, maintenance: two }, { ...base, maintenance: [...two].reverse() })).toBe(false);
  });
});

describe("InfoTrigger", () => {
  test("takes the first view as the baseline and fires once per change", () => {
    const t = new InfoTrigger();
    expect(t.changed(base)).toBe(false);
    expect(t.changed({ ...base })).toBe(false);
    expect(t.changed({ ...base, attestationState: 7 })).toBe(true);
    expect(t.changed({ ...base, attestationState: 7 })).toBe(false);
    expect(t.changed(base)).toBe(true);
  });
});
