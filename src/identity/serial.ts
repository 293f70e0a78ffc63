import { readTrimmed } from "../shared/index.ts";

const PLACEHOLDER_SERIALS = new Set(["not specified", "to be filled by o.e.m.", "default string", "none", "0"]);

/**
 * The hardware serial as EVE finds it: the DMI system serial (what dmidecode
 * reports), else the `Serial` line of /proc/cpuinfo, else the SoC serial.
 * `override` serves boards whose firmware carries none.
 */
export function hardwareSerial(opts: { override?: string; sysRoot?: string } = {}): string | undefined {
  if (opts.override) return opts.override.trim();
  const sys = opts.sysRoot ?? "";
  const dmi = readTrimmed(`${sys}/sys/class/dmi/id/product_serial`);
  if (dmi && !PLACEHOLDER_SERIALS.has(dmi.toLowerCase())) return dmi;
  const cpuinfo = readTrimmed(`${sys}/proc/cpuinfo`);
  const m = cpuinfo?.match(/^Serial\s*:\s*(\S+)\s*$/m);
  if (m) return m[1];
  return readTrimmed(`${sys}/sys/devices/soc0/serial_number`);
}

export function softSerial(path: string): string | undefined {
  return readTrimmed(path);
}

/** `<manufacturer>.<product>` with `/` and spaces made safe, as EVE names hardware models. */
export function hardwareModel(manufacturer: string, product: string): string {
  const clean = (s: string) => {
    const t = s.trim().replace(/[/ ]/g, "_");
    return t === "" ? "default" : t;
  };
  return `${clean(manufacturer)}.${clean(product)}`;
}
