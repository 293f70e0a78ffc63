import { availableParallelism, hostname, machine, totalmem, uptime } from "node:os";
import { join } from "node:path";
import type { ZInfoManufacturer } from "../protocol/index.ts";
import { sha256 } from "../shared/index.ts";
import { readFileIfExists } from "../state/index.ts";
import type { HardwareFacts } from "./info-source.ts";

/** ZInfoManufacturer field <- file under <sys>/class/dmi/id (docs/protocol.md#info). */
const DMI_FILES: [keyof ZInfoManufacturer, string][] = [
  ["manufacturer", "sys_vendor"],
  ["productName", "product_name"],
  ["version", "product_version"],
  ["serialNumber", "product_serial"],
  ["UUID", "product_uuid"],
  ["biosVendor", "bios_vendor"],
  ["biosVersion", "bios_version"],
  ["biosReleaseDate", "bios_date"],
];

function readText(path: string): string | undefined {
  try {
    const data = readFileIfExists(path);
    return data === undefined ? undefined : new TextDecoder().decode(data).trim();
  } catch {
    // product_serial and product_uuid are root-only; an unreadable field is simply not reported.
    return undefined;
  }
}

/** The DMI identity of the board; fields that are absent, empty or unreadable are left out. */
export function readManufacturerInfo(sysRoot = "/sys"): Partial<ZInfoManufacturer> {
  const out: Partial<ZInfoManufacturer> = {};
  for (const [field, file] of DMI_FILES) {
    const v = readText(join(sysRoot, "class", "dmi", "id", file));
    if (v) out[field] = v;
  }
  return out;
}

/** Machine facts from the running kernel plus DMI. */
export function readHostFacts(sysRoot = "/sys"): HardwareFacts {
  const arch = machine();
  return {
    manufacturer: readManufacturerInfo(sysRoot),
    machineArch: arch,
    cpuArch: arch,
    ncpu: availableParallelism(),
    memoryMB: Math.floor(totalmem() / (1024 * 1024)),
    hostName: hostname(),
  };
}

/** When the kernel booted, from its uptime. */
export function bootTimeFromUptime(now: Date = new Date()): Date {
  return new Date(now.getTime() - Math.round(uptime() * 1000));
}

/** SHA-256 of a file's bytes (sec_info.sha_root_ca), or undefined when it does not exist. */
export function fileSha256(path: string): Uint8Array | undefined {
  const data = readFileIfExists(path);
  return data === undefined ? undefined : sha256(data);
}
