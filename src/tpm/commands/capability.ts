import type { TpmPort } from "../port.ts";
import { decodeCapability } from "../structures/capability.ts";
import { ALG, CAP, HR, PT } from "../structures/constants.ts";

/** TPM2_GetCapability(TPM_PROPERTIES) for a contiguous range (Part 3 §30.2). */
export async function getProperties(tpm: TpmPort, first: number, count: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  let next = first;
  const end = first + count;
  while (next < end) {
    const { moreData, capabilityData } = await tpm.getCapability({ capability: CAP.TPM_PROPERTIES, property: next, propertyCount: end - next });
    const cap = decodeCapability(capabilityData);
    if (cap.capability !== "properties" || cap.properties.size === 0) break;
    for (const [k, v] of cap.properties) if (k < end) out.set(k, v);
    next = Math.max(...cap.properties.keys()) + 1;
    if (!moreData) break;
  }
  return out;
}

/** Every handle of one type (top byte of `range`), e.g. HR.TRANSIENT. */
export async function listHandles(tpm: TpmPort, range: number): Promise<number[]> {
  const out: number[] = [];
  let next = range;
  const top = range >>> 24;
  for (;;) {
    const { moreData, capabilityData } = await tpm.getCapability({ capability: CAP.HANDLES, property: next, propertyCount: 256 });
    const cap = decodeCapability(capabilityData);
    if (cap.capability !== "handles") break;
    const mine = cap.handles.filter((h) => h >>> 24 === top);
    out.push(...mine);
    if (!moreData || mine.length === 0) break;
    next = mine[mine.length - 1]! + 1;
  }
  return out;
}

export async function algorithmsSupported(tpm: TpmPort, algs: number[]): Promise<boolean> {
  const { capabilityData } = await tpm.getCapability({ capability: CAP.ALGS, property: 0, propertyCount: 256 });
  const cap = decodeCapability(capabilityData);
  return cap.capability === "algs" && algs.every((a) => cap.algs.has(a));
}

export const aesCfbSupported = (tpm: TpmPort) => algorithmsSupported(tpm, [ALG.AES, ALG.CFB]);

export interface TpmInfo {
  manufacturer: string;
  vendor: string;
  firmware: string;
  /** HSMInfo string as EVE reports it: "<vendor>-<model>, FW Version <x>". */
  hsmInfo: string;
  software: boolean;
}

function ascii(v: number | undefined): string {
  if (v === undefined) return "";
  return String.fromCharCode((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff)
    .replace(/\0+/g, "")
    .trim();
}

/** Known software TPMs by TPM_PT_MANUFACTURER / vendor string (keylime warns on these too). */
const SOFTWARE = [/^IBM$/, /^SW/i, /swtpm/i, /^MSFT$/, /^Xen/i];

export async function tpmInfo(tpm: TpmPort): Promise<TpmInfo> {
  const p = await getProperties(tpm, PT.MANUFACTURER, PT.FIRMWARE_VERSION_2 - PT.MANUFACTURER + 1);
  const manufacturer = ascii(p.get(PT.MANUFACTURER));
  const vendor = [PT.VENDOR_STRING_1, PT.VENDOR_STRING_2, PT.VENDOR_STRING_3, PT.VENDOR_STRING_4]
    .map((k) => ascii(p.get(k)))
    .join("")
    .trim();
  const f1 = p.get(PT.FIRMWARE_VERSION_1) ?? 0;
  const f2 = p.get(PT.FIRMWARE_VERSION_2) ?? 0;
  const firmware = `${f1 >>> 16}.${f1 & 0xffff}.${f2 >>> 16}.${f2 & 0xffff}`;
  const software = SOFTWARE.some((re) => re.test(manufacturer) || re.test(vendor.replace(/\s+/g, "")));
  return { manufacturer, vendor, firmware, hsmInfo: `${manufacturer}-${vendor}, FW Version ${firmware}`, software };
}

export async function nvBufferMax(tpm: TpmPort): Promise<number> {
  const p = await getProperties(tpm, PT.NV_BUFFER_MAX, 1);
  return Math.min(p.get(PT.NV_BUFFER_MAX) ?? 512, 2048);
}

export { HR };
