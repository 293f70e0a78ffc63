import { existsSync } from "node:fs";
import { type Logger, silentLogger } from "../shared/index.ts";
import type { DeviceLayout } from "../state/index.ts";
import { TpmError } from "./errors.ts";
import { type ManagerOptions, TpmManager } from "./manager.ts";
import type { TpmPort } from "./port.ts";
import { tctiDevicePath } from "./tcti.ts";

export type TpmMode = "auto" | "required" | "off";

export interface OpenTpmOptions extends ManagerOptions {
  /** TCTI config string: "device:/dev/tpmrm0" (default) or "swtpm:host=...,port=...". */
  tcti?: string;
  /** Opens the ESAPI context; main.ts passes native/tss2's openWorkerTpm, tests also EsysTpm.open. */
  connect: (tcti: string) => TpmPort | Promise<TpmPort>;
  log?: Logger;
}

export const DEFAULT_TCTI = "device:/dev/tpmrm0";

/** Opens the TPM; logs and returns the manager plus the chip's identity. */
export async function openTpm(opts: OpenTpmOptions): Promise<TpmManager> {
  const tcti = opts.tcti ?? DEFAULT_TCTI;
  const log = opts.log ?? silentLogger;
  let port: TpmPort;
  try {
    port = await opts.connect(tcti);
  } catch (e) {
    throw new TpmError("tpm.unavailable", `cannot open TPM via ${tcti}`, { cause: e });
  }
  // A lost connection (timeout, TCTI failure) is replaced through the same connect the first one used.
  const mgr = new TpmManager(port, { ...opts, log, reconnect: async () => await opts.connect(tcti) });
  try {
    const stale = await mgr.flushStale();
    if (stale.length > 0) log.warn("flushed TPM handles left by an earlier process", { handles: stale.map((h) => `0x${h.toString(16)}`).join(",") });
    const info = await mgr.info();
    log.info("TPM opened", { tcti, hsm: info.hsmInfo });
    if (info.software) log.warn("TPM is a software TPM: keys and quotes carry no hardware assurance", { hsm: info.hsmInfo });
  } catch (e) {
    await mgr.close().catch(() => undefined);
    throw e;
  }
  return mgr;
}

/**
 * Applies the `tpm = auto | required | off` setting. `auto` falls back to
 * software keys only when no TPM device node exists; once a TPM is there,
 * any failure is an error (never a silent downgrade after a TPM error).
 */
export async function selectTpm(mode: TpmMode, opts: OpenTpmOptions): Promise<TpmManager | undefined> {
  if (mode === "off") return undefined;
  const dev = tctiDevicePath(opts.tcti ?? DEFAULT_TCTI);
  if (mode === "auto" && dev !== undefined && !existsSync(dev)) {
    (opts.log ?? silentLogger).info("no TPM device, using software keys", { device: dev });
    return undefined;
  }
  return openTpm(opts);
}

/** EVE's IsTpmEnabled: a device cert exists and no software device key does. */
export function isTpmEnabled(layout: DeviceLayout): boolean {
  return existsSync(layout.config.deviceCert) && !existsSync(layout.config.deviceKey);
}
