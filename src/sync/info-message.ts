import { type ErrorInfo, MaintenanceModeReason, type MessageInit, timestampFromDate, type ZInfoDevice, type ZInfoMsg, ZInfoTypes } from "../protocol/index.ts";
import type { DeviceInfoSource, ErrorReport } from "./info-source.ts";

/** The name EVE gives its only vault. */
export const VAULT_NAME = "Application Data Store";

function errorInfo(e: ErrorReport | undefined): MessageInit<ErrorInfo> | undefined {
  if (!e) return undefined;
  return { description: e.description, ...(e.at ? { timestamp: timestampFromDate(e.at) } : {}) };
}

/**
 * The ZiDevice report (docs/protocol.md#info), limited to what this agent knows:
 * hardware, boot, HSM, vault, root CA hash, attestation and maintenance
 * state. Returns undefined while the device has no UUID.
 */
export function buildDeviceInfo(source: DeviceInfoSource, now: Date): MessageInit<ZInfoMsg> | undefined {
  const devId = source.deviceUuid();
  if (!devId) return undefined;
  const hw = source.hardware();
  const hsm = source.hsm();
  const vault = source.vault();
  const attestation = source.attestation();
  const maintenance = source.maintenance();
  const bootTime = source.bootTime();
  const rebootReason = source.lastRebootReason?.();
  const rootCa = source.rootCaSha256();
  const vaultErr = errorInfo(vault.error);
  const attestErr = errorInfo(attestation.error);
  const dinfo: MessageInit<ZInfoDevice> = {
    machineArch: hw.machineArch,
    cpuArch: hw.cpuArch,
    ncpu: hw.ncpu,
    memory: hw.memoryMB,
    minfo: hw.manufacturer,
    HostName: hw.hostName,
    ...(bootTime ? { bootTime: timestampFromDate(bootTime) } : {}),
    ...(rebootReason ? { lastRebootReason: rebootReason } : {}),
    HSMStatus: hsm.status,
    HSMInfo: hsm.info,
    dataSecAtRestInfo: {
      // status is deprecated in favour of vaultList, but EVE still fills it from the same vault.
      status: vault.status,
      vaultList: [{ name: VAULT_NAME, status: vault.status, pcrStatus: vault.pcrStatus, ...(vaultErr ? { vaultErr } : {}) }],
    },
    ...(rootCa ? { sec_info: { sha_root_ca: rootCa } } : {}),
    attestation_info: { state: attestation.state, ...(attestErr ? { error: attestErr } : {}) },
    maintenance_mode: maintenance.active,
    maintenance_mode_reasons: maintenance.reasons,
    // Older controllers read only the deprecated single reason.
    maintenance_mode_reason: maintenance.reasons[0] ?? MaintenanceModeReason.MAINTENANCE_MODE_REASON_NONE,
  };
  return { ztype: ZInfoTypes.ZiDevice, devId, atTimeStamp: timestampFromDate(now), dinfo };
}
