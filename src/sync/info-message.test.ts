import { describe, expect, test } from "bun:test";
import { AttestationState, codec, DataSecAtRestStatus, HwSecurityModuleStatus, MaintenanceModeReason, PCRStatus, ZInfoTypes } from "../protocol/index.ts";
import { fixedInfoSource } from "./info.testkit.ts";
import { buildDeviceInfo, VAULT_NAME } from "./info-message.ts";
import { TEST_UUID } from "./sync.testkit.ts";

const NOW = new Date("2026-01-02T04:00:00.250Z");

describe("buildDeviceInfo", () => {
  test("carries attestation, vault, HSM and maintenance state through encode and decode", () => {
    const msg = codec.ZInfoMsg.decode(codec.ZInfoMsg.encode(buildDeviceInfo(fixedInfoSource(TEST_UUID), NOW)!));
    expect(msg.ztype).toBe(ZInfoTypes.ZiDevice);
    expect(msg.devId).toBe(TEST_UUID);
    expect(msg.atTimeStamp).toEqual({ seconds: Math.floor(NOW.getTime() / 1000), nanos: 250_000_000 });
    const d = msg.dinfo!;
    expect(d.minfo).toMatchObject({ manufacturer: "ACME", productName: "Box 1", biosVendor: "SeaBIOS", serialNumber: "" });
    expect([d.machineArch, d.cpuArch, d.ncpu, d.memory, d.HostName]).toEqual(["x86_64", "x86_64", 4, 2048, "edge-1"]);
    expect(d.bootTime).toEqual({ seconds: Date.parse("2026-01-02T03:04:05Z") / 1000, nanos: 678_000_000 });
    expect(d.lastRebootReason).toBe("power on");
    expect(d.HSMStatus).toBe(HwSecurityModuleStatus.ENABLED);
    expect(d.HSMInfo).toBe("IBM-SW TPM, FW Version 8217.4131");
    expect(d.dataSecAtRestInfo!.status).toBe(DataSecAtRestStatus.DATASEC_AT_REST_ERROR);
    expect(d.dataSecAtRestInfo!.vaultList).toEqual([
      {
        name: VAULT_NAME,
        status: DataSecAtRestStatus.DATASEC_AT_REST_ERROR,
        pcrStatus: PCRStatus.PCR_ENABLED,
        vaultErr: {
          description: "unseal failed: PCR 7 mismatch",
          timestamp: { seconds: Date.parse("2026-01-02T03:05:00Z") / 1000, nanos: 0 },
          retry_condition: "",
        },
      },
    ]);
    expect(d.sec_info!.sha_root_ca).toEqual(new Uint8Array(32).fill(7));
    expect(d.attestation_info).toEqual({
      state: AttestationState.ATTESTATION_STATE_RESTART_WAIT,
      error: { description: "quote refused", retry_condition: "" },
    });
    expect(d.maintenance_mode).toBe(true);
    expect(d.maintenance_mode_reasons).toEqual([
      MaintenanceModeReason.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP,
      MaintenanceModeReason.MAINTENANCE_MODE_REASON_TPM_QUOTE_FAILURE,
    ]);
    expect(d.maintenance_mode_reason).toBe(MaintenanceModeReason.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP);
  });

  test("leaves optional parts out when the source has nothing for them", () => {
    const src = fixedInfoSource(TEST_UUID, {
      bootTime: () => undefined,
      lastRebootReason: () => undefined,
      rootCaSha256: () => undefined,
      vault: () => ({ status: DataSecAtRestStatus.DATASEC_AT_REST_ENABLED, pcrStatus: PCRStatus.PCR_ENABLED }),
      attestation: () => ({ state: AttestationState.ATTESTATION_STATE_COMPLETE }),
      maintenance: () => ({ active: false, reasons: [] }),
    });
    const d = codec.ZInfoMsg.decode(codec.ZInfoMsg.encode(buildDeviceInfo(src, NOW)!)).dinfo!;
    expect(d.bootTime).toBeUndefined();
    expect(d.sec_info).toBeUndefined();
    expect(d.dataSecAtRestInfo!.vaultList[0]!.vaultErr).toBeUndefined();
    // COMPLETE is still sent: an attestation_info with a non-default state is never empty.
    expect(d.attestation_info).toEqual({ state: AttestationState.ATTESTATION_STATE_COMPLETE });
    expect(d.maintenance_mode).toBe(false);
    expect(d.maintenance_mode_reason).toBe(MaintenanceModeReason.MAINTENANCE_MODE_REASON_NONE);
  });

  test("makes no report before the device has a UUID", () => {
    expect(buildDeviceInfo(fixedInfoSource(undefined), NOW)).toBeUndefined();
  });
});
