import { describe, expect, test } from "bun:test";
import { MaintenanceModeReason as R } from "../protocol/index.ts";
import { type MaintenanceInputs, maintenanceReasonName, maintenanceReasons } from "./maintenance.ts";

const calm: MaintenanceInputs = { vaultLocked: false, certsRefused: false, configOk: false };

describe("maintenanceReasons", () => {
  test.each([
    ["nothing wrong", calm, []],
    ["the vault is locked", { ...calm, vaultLocked: true }, [R.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP]],
    ["certs were refused while config arrives", { ...calm, certsRefused: true, configOk: true }, [R.MAINTENANCE_MODE_REASON_EDGE_NODE_CERTS_REFUSED]],
    ["certs were refused but no config arrived", { ...calm, certsRefused: true }, []],
    ["config arrives and certs were not refused", { ...calm, configOk: true }, []],
    ["the TPM quote failed", { ...calm, attestationErrorKind: "quote.tpm" }, [R.MAINTENANCE_MODE_REASON_TPM_QUOTE_FAILURE]],
    ["attestation failed for another reason", { ...calm, attestationErrorKind: "attest.http" }, []],
    [
      "everything is wrong at once",
      { vaultLocked: true, certsRefused: true, configOk: true, attestationErrorKind: "quote.tpm" },
      [R.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP, R.MAINTENANCE_MODE_REASON_EDGE_NODE_CERTS_REFUSED, R.MAINTENANCE_MODE_REASON_TPM_QUOTE_FAILURE],
    ],
  ] as [string, MaintenanceInputs, number[]][])("reports the tabled reasons when %s", (_, inputs, want) => {
    expect(maintenanceReasons(inputs)).toEqual(want as R[]);
  });

  test("names reasons as the protocol does and falls back to the number", () => {
    expect(maintenanceReasonName(R.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP)).toBe("MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP");
    expect(maintenanceReasonName(99)).toBe("99");
  });
});
