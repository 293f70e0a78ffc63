/**
 * TCG PC Client crypto-agile binary event log (the format Linux exports at
 * /sys/kernel/security/tpm0/binary_bios_measurements): parse it, replay it in
 * software, and replay it into a TPM so a host-side swtpm looks like one that
 * went through measured boot.
 *
 * Layout (TCG PC Client Platform Firmware Profile, section 10): the first
 * record is in the old SHA-1 TCG_PCClientPCREvent form and carries the
 * TCG_EfiSpecIdEvent, which lists the digest algorithms and their sizes; every
 * later record is a TCG_PCR_EVENT2 whose digests can only be walked with those
 * sizes. All integers are little-endian.
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { runChecked } from "./proc.ts";

/** A recorded OVMF measured boot (fixtures/harness): replayed into swtpms and given to agents as their event log. */
export const OVMF_EVENT_LOG = resolve(import.meta.dir, "../fixtures/harness/eventlog-ovmf.bin");

/** Informational events; never extended into a PCR. */
export const EV_NO_ACTION = 0x00000003;

const SPEC_ID_SIGNATURE = "Spec ID Event03\0";
const STARTUP_LOCALITY_SIGNATURE = "StartupLocality\0";

export type HashAlgName = "sha1" | "sha256" | "sha384" | "sha512" | "sm3_256";

const ALG_NAMES: ReadonlyMap<number, HashAlgName> = new Map([
  [0x0004, "sha1"],
  [0x000b, "sha256"],
  [0x000c, "sha384"],
  [0x000d, "sha512"],
  [0x0012, "sm3_256"],
]);

export interface TcgDigest {
  /** TPM_ALG_ID of the bank. */
  algId: number;
  /** Name of the bank, or undefined for an algorithm this module does not know. */
  alg: HashAlgName | undefined;
  digest: Uint8Array;
}

export interface TcgEvent {
  pcrIndex: number;
  eventType: number;
  digests: TcgDigest[];
  eventData: Uint8Array;
  /** Byte offset of the record in the log, for error messages. */
  offset: number;
}

export interface SpecIdAlgorithm {
  algId: number;
  alg: HashAlgName | undefined;
  digestSize: number;
}

export interface SpecIdEvent {
  platformClass: number;
  specVersionMinor: number;
  specVersionMajor: number;
  specErrata: number;
  uintnSize: number;
  algorithms: SpecIdAlgorithm[];
  vendorInfo: Uint8Array;
}

export interface TcgEventLog {
  specId: SpecIdEvent;
  /** Every record in file order, the Spec ID header first (as a SHA-1 digest). */
  events: TcgEvent[];
}

export class EventLogParseError extends Error {
  override readonly name = "EventLogParseError";
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte offset ${offset})`);
  }
}

class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  get left(): number {
    return this.buf.length - this.pos;
  }
  need(n: number, what: string, recordStart: number): void {
    if (this.left < n) {
      throw new EventLogParseError(`truncated event log: ${what} of the record starting at ${recordStart} needs ${n} bytes, ${this.left} left`, this.pos);
    }
  }
  u8(): number {
    return this.view.getUint8(this.pos++);
  }
  u16(): number {
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Uint8Array {
    const v = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}

function parseSpecId(data: Uint8Array, offset: number): SpecIdEvent {
  const r = new Reader(data);
  const fail = (msg: string) => new EventLogParseError(`bad Spec ID event: ${msg}`, offset);
  if (data.length < 16 + 4 + 4 + 4) throw fail(`event data is ${data.length} bytes, too short`);
  const sig = new TextDecoder("latin1").decode(r.bytes(16));
  if (sig !== SPEC_ID_SIGNATURE) {
    throw fail(`signature is ${JSON.stringify(sig)}, want "Spec ID Event03" (not a crypto-agile log?)`);
  }
  const platformClass = r.u32();
  const specVersionMinor = r.u8();
  const specVersionMajor = r.u8();
  const specErrata = r.u8();
  const uintnSize = r.u8();
  const count = r.u32();
  if (count === 0) throw fail("lists no digest algorithms");
  if (r.left < count * 4 + 1) throw fail(`lists ${count} algorithms but has only ${r.left} bytes left`);
  const algorithms: SpecIdAlgorithm[] = [];
  for (let i = 0; i < count; i++) {
    const algId = r.u16();
    const digestSize = r.u16();
    if (digestSize === 0) throw fail(`algorithm 0x${algId.toString(16)} has digest size 0`);
    algorithms.push({ algId, alg: ALG_NAMES.get(algId), digestSize });
  }
  const vendorInfoSize = r.u8();
  if (r.left < vendorInfoSize) throw fail(`vendorInfo needs ${vendorInfoSize} bytes, ${r.left} left`);
  const vendorInfo = r.bytes(vendorInfoSize);
  return { platformClass, specVersionMinor, specVersionMajor, specErrata, uintnSize, algorithms, vendorInfo };
}

/** Firmware tables often pad the log area with 0x00 or 0xFF after the last record. */
function isPadding(rest: Uint8Array): boolean {
  return rest.every((b) => b === 0x00) || rest.every((b) => b === 0xff);
}

export interface ParseOptions {
  /**
   * Stop quietly at a tail of all 0x00 or all 0xFF bytes, as raw firmware
   * (ACPI) log areas have. Off by default: the kernel's export ends at the
   * last record, and tolerating zeros could hide a log cut inside a record.
   */
  allowTrailingPadding?: boolean;
}

/**
 * Parses a crypto-agile log. Throws EventLogParseError on a SHA-1-only log,
 * a truncated record, or a digest for an algorithm the header did not list.
 */
export function parseEventLog(bytes: Uint8Array, opts: ParseOptions = {}): TcgEventLog {
  const r = new Reader(bytes);
  if (bytes.length === 0) throw new EventLogParseError("empty event log", 0);

  // Header record: TCG_PCClientPCREvent with a fixed 20-byte SHA-1 digest.
  const headerStart = r.pos;
  r.need(4 + 4 + 20 + 4, "header fields", headerStart);
  const hPcr = r.u32();
  const hType = r.u32();
  const hDigest = r.bytes(20);
  const hSize = r.u32();
  r.need(hSize, "event data", headerStart);
  const hData = r.bytes(hSize);
  if (hType !== EV_NO_ACTION || hPcr !== 0) {
    throw new EventLogParseError(
      `first record is PCR ${hPcr} type 0x${hType.toString(16)}, want the Spec ID EV_NO_ACTION event on PCR 0 (not a crypto-agile log?)`,
      headerStart,
    );
  }
  const specId = parseSpecId(hData, headerStart);
  const sizes = new Map(specId.algorithms.map((a) => [a.algId, a.digestSize]));
  const events: TcgEvent[] = [
    {
      pcrIndex: hPcr,
      eventType: hType,
      digests: [{ algId: 0x0004, alg: "sha1", digest: hDigest }],
      eventData: hData,
      offset: headerStart,
    },
  ];

  while (r.left > 0) {
    const start = r.pos;
    if (opts.allowTrailingPadding && isPadding(bytes.subarray(start))) break;
    r.need(4 + 4 + 4, "PCR index, event type and digest count", start);
    const pcrIndex = r.u32();
    const eventType = r.u32();
    const count = r.u32();
    if (count === 0 || count > specId.algorithms.length) {
      throw new EventLogParseError(`record ${events.length} has ${count} digests, header lists ${specId.algorithms.length} algorithms`, start);
    }
    const digests: TcgDigest[] = [];
    for (let i = 0; i < count; i++) {
      r.need(2, "digest algorithm", start);
      const algId = r.u16();
      const size = sizes.get(algId);
      if (size === undefined) {
        throw new EventLogParseError(
          `record ${events.length} has a digest for algorithm 0x${algId.toString(16)}, which the Spec ID header does not list`,
          r.pos - 2,
        );
      }
      r.need(size, `${ALG_NAMES.get(algId) ?? "digest"} digest`, start);
      digests.push({ algId, alg: ALG_NAMES.get(algId), digest: r.bytes(size) });
    }
    r.need(4, "event size", start);
    const size = r.u32();
    r.need(size, "event data", start);
    events.push({ pcrIndex, eventType, digests, eventData: r.bytes(size), offset: start });
  }
  return { specId, events };
}

function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

function digestFor(ev: TcgEvent, alg: HashAlgName): Uint8Array {
  const d = ev.digests.find((x) => x.alg === alg);
  if (!d) {
    throw new EventLogParseError(`record for PCR ${ev.pcrIndex} type 0x${ev.eventType.toString(16)} has no ${alg} digest`, ev.offset);
  }
  return d.digest;
}

/**
 * Locality the firmware started the TPM from, taken from a StartupLocality
 * EV_NO_ACTION record; 0 without one. It becomes PCR 0's initial last byte.
 */
export function startupLocality(events: readonly TcgEvent[]): number {
  for (const ev of events) {
    if (ev.eventType !== EV_NO_ACTION || ev.pcrIndex !== 0) continue;
    const sig = new TextDecoder("latin1").decode(ev.eventData.subarray(0, 16));
    if (sig === STARTUP_LOCALITY_SIGNATURE && ev.eventData.length >= 17) return ev.eventData[16]!;
  }
  return 0;
}

const DIGEST_SIZES: Record<HashAlgName, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64, sm3_256: 32 };

/**
 * Replays the log in software: the value each extended PCR should hold,
 * as lowercase hex, keyed by PCR index. PCRs the log never extends are absent.
 */
export function expectedPcrs(events: readonly TcgEvent[], alg: HashAlgName = "sha256"): Map<number, string> {
  if (alg === "sm3_256") throw new Error("expectedPcrs: sm3_256 is not supported by node:crypto here");
  const size = DIGEST_SIZES[alg];
  const pcrs = new Map<number, Uint8Array>();
  const locality = startupLocality(events);
  for (const ev of events) {
    if (ev.eventType === EV_NO_ACTION) continue;
    let cur = pcrs.get(ev.pcrIndex);
    if (!cur) {
      cur = new Uint8Array(size);
      if (ev.pcrIndex === 0) cur[size - 1] = locality;
    }
    const next = createHash(alg).update(cur).update(digestFor(ev, alg)).digest();
    pcrs.set(ev.pcrIndex, new Uint8Array(next));
  }
  return new Map([...pcrs.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => [k, toHex(v)]));
}

export interface ReplayOptions {
  alg?: HashAlgName;
  /** PCR_DIGEST_SPECs per tpm2_pcrextend call (the tool applies them left to right). */
  batch?: number;
}

/**
 * Extends each measured event's digest into its PCR of a TPM reached through
 * `tcti` (e.g. `swtpm:host=127.0.0.1,port=P`). The TPM should be fresh:
 * replay adds to whatever the PCRs already hold. Returns the number of
 * extends done.
 */
export async function replayIntoTpm(events: readonly TcgEvent[], tcti: string, opts: ReplayOptions = {}): Promise<number> {
  const alg = opts.alg ?? "sha256";
  const batch = opts.batch ?? 64;
  // A TPM started at locality 0 cannot be given PCR 0's locality-3 initial
  // value by extending, so the replay could never match the log.
  const locality = startupLocality(events);
  if (locality !== 0) {
    throw new Error(`replayIntoTpm: log says the TPM started at locality ${locality}; a replay cannot reproduce PCR 0`);
  }
  const specs = events.filter((ev) => ev.eventType !== EV_NO_ACTION).map((ev) => `${ev.pcrIndex}:${alg}=${toHex(digestFor(ev, alg))}`);
  for (let i = 0; i < specs.length; i += batch) {
    await runChecked(["tpm2_pcrextend", "-T", tcti, ...specs.slice(i, i + batch)], { timeoutMs: 30_000 });
  }
  return specs.length;
}

/**
 * Reads PCRs with tpm2_pcrread; lowercase hex keyed by index. `pcrs`
 * defaults to 0..23.
 */
export async function readPcrs(
  tcti: string,
  alg: HashAlgName = "sha256",
  pcrs: readonly number[] = Array.from({ length: 24 }, (_, i) => i),
): Promise<Map<number, string>> {
  const { stdout } = await runChecked(["tpm2_pcrread", "-T", tcti, `${alg}:${pcrs.join(",")}`], {
    timeoutMs: 30_000,
  });
  const out = new Map<number, string>();
  for (const m of stdout.matchAll(/^\s*(\d+)\s*:\s*0x([0-9a-fA-F]+)\s*$/gm)) {
    out.set(Number(m[1]), m[2]!.toLowerCase());
  }
  for (const p of pcrs) {
    if (!out.has(p)) throw new Error(`readPcrs: tpm2_pcrread printed no ${alg} value for PCR ${p}:\n${stdout}`);
  }
  return out;
}
