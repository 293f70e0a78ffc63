import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** Offsets remembered so a later read starts near the wanted entry rather than at byte 0. */
const MAX_MARKS = 32;

export interface ImaSlice {
  /** Entries from `entry` on, each ending in "\n" (kl/ima/ima.py splits on it). */
  list: string;
  /** The entry the list starts at: the one asked for, or 0 when that was out of range. */
  entry: number;
}

/**
 * The kernel's ASCII IMA measurement list
 * (/sys/kernel/security/ima/ascii_runtime_measurements) served from an
 * entry number on. The verifier asks for `ima_ml_entry=K`, the number of
 * entries it has already checked: 0 <= K <= count gives entries K.. (empty
 * at K = count); any other K restarts at 0, which the verifier takes as a
 * full list to replay (rust-keylime ima/measurement_list.rs). The list only
 * grows until reboot, so (entry, byte offset) pairs seen before stay valid;
 * a file shorter than a remembered offset (a reboot, a test rewriting it)
 * clears them.
 */
export class ImaLog {
  private marks = new Map<number, number>();

  constructor(private readonly path: string) {}

  read(entry: number): ImaSlice {
    const fd = openSync(this.path, "r");
    try {
      // securityfs reports size 0, so the file is read until EOF rather than to its stat size.
      const size = fstatSync(fd).size;
      const [startEntry, startOffset] = this.nearest(entry, size);
      const text = readFrom(fd, startOffset);
      let count = startEntry;
      let off = 0;
      let slice: string | undefined;
      for (;;) {
        if (count === entry) slice = text.slice(off);
        const nl = text.indexOf("\n", off);
        if (nl < 0) break;
        off = nl + 1;
        count++;
      }
      this.remember(count, startOffset + Buffer.byteLength(text.slice(0, off)));
      if (slice !== undefined) return { list: slice, entry };
      if (startEntry === 0) return { list: text, entry: 0 };
      return { list: readFrom(fd, 0), entry: 0 };
    } finally {
      closeSync(fd);
    }
  }

  private nearest(entry: number, size: number): [number, number] {
    let best: [number, number] = [0, 0];
    for (const [e, off] of this.marks) {
      if (size > 0 && off > size) {
        this.marks.clear();
        return [0, 0];
      }
      if (e <= entry && e > best[0]) best = [e, off];
    }
    return best;
  }

  private remember(entry: number, offset: number): void {
    this.marks.set(entry, offset);
    if (this.marks.size > MAX_MARKS) this.marks.delete(this.marks.keys().next().value!);
  }
}

function readFrom(fd: number, offset: number): string {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(64 * 1024);
  let pos = offset;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n <= 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    pos += n;
  }
  return Buffer.concat(chunks).toString("utf8");
}
