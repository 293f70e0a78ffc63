import { inflateRawSync } from "node:zlib";
import { PullError } from "./errors.ts";

/**
 * Reads the zip archives `keylime_tenant --include DIR` sends as a payload
 * (stored or deflated entries, no encryption, no zip64), from the central
 * directory. Names that could leave the extraction directory are refused,
 * as are archives past the entry or size caps: the archive came through a
 * key the tenant holds, but a bad one must still not fill the device's RAM.
 */
export interface ZipEntry {
  name: string;
  directory: boolean;
  data: Uint8Array;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
const MAX_ENTRIES = 1024;

const fail = (message: string) => new PullError("keylime.pull.payload", `payload archive: ${message}`);

export function isZip(data: Uint8Array): boolean {
  return data.length >= 22 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
}

/** A relative path of plain segments: no "..", ".", empty segment, backslash or control character. */
function safeName(name: string): boolean {
  if (name === "" || name.startsWith("/") || /[\\\x00-\x1f]/.test(name)) return false;
  const segs = name.replace(/\/$/, "").split("/");
  return segs.every((s) => s !== "" && s !== "." && s !== "..");
}

export function readZip(data: Uint8Array, maxTotalBytes: number): ZipEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // The end record sits in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw fail("no end of central directory");
  const count = view.getUint16(eocd + 10, true);
  const cenSize = view.getUint32(eocd + 12, true);
  let off = view.getUint32(eocd + 16, true);
  if (count > MAX_ENTRIES) throw fail(`more than ${MAX_ENTRIES} entries`);
  if (off + cenSize > eocd) throw fail("central directory out of bounds");
  const out: ZipEntry[] = [];
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (off + 46 > eocd || view.getUint32(off, true) !== CEN_SIG) throw fail("bad central directory entry");
    const flags = view.getUint16(off + 8, true);
    const method = view.getUint16(off + 10, true);
    const crc = view.getUint32(off + 16, true);
    const csize = view.getUint32(off + 20, true);
    const usize = view.getUint32(off + 24, true);
    const nameLen = view.getUint16(off + 28, true);
    const extraLen = view.getUint16(off + 30, true);
    const commentLen = view.getUint16(off + 32, true);
    const loc = view.getUint32(off + 42, true);
    const name = new TextDecoder("utf-8", { fatal: false }).decode(data.subarray(off + 46, off + 46 + nameLen));
    off += 46 + nameLen + extraLen + commentLen;
    if (flags & 0x1) throw fail("encrypted entries are not supported");
    if (!safeName(name)) throw fail("an entry name leaves the payload directory");
    if (csize === 0xffffffff || usize === 0xffffffff) throw fail("zip64 is not supported");
    total += usize;
    if (total > maxTotalBytes) throw fail(`contents exceed ${maxTotalBytes} bytes`);
    if (loc + 30 > data.length || view.getUint32(loc, true) !== LOC_SIG) throw fail("bad local header");
    const start = loc + 30 + view.getUint16(loc + 26, true) + view.getUint16(loc + 28, true);
    if (start + csize > data.length) throw fail("entry data out of bounds");
    const raw = data.subarray(start, start + csize);
    const directory = name.endsWith("/");
    let content: Uint8Array;
    if (method === 0) content = raw;
    else if (method === 8) {
      try {
        content = new Uint8Array(inflateRawSync(raw, { maxOutputLength: Math.max(usize, 1) }));
      } catch (e) {
        throw new PullError("keylime.pull.payload", "payload archive: an entry does not inflate", { cause: e });
      }
    } else throw fail(`compression method ${method} is not supported`);
    if (content.length !== usize || Bun.hash.crc32(content) >>> 0 !== crc) throw fail("an entry fails its size or CRC check");
    out.push({ name: directory ? name.slice(0, -1) : name, directory, data: content });
  }
  return out;
}
