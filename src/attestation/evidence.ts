import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { type AttestVersionInfo, AttestVersionType, TpmHashAlgo, type TpmPCRValue, type ZAttestQuote } from "../protocol/index.ts";
import { AgentError, bytesEqual, concatBytes, readTrimmed, sha256 } from "../shared/index.ts";
import { decodeQuoteAttest } from "../tpm/index.ts";

/** EVE's limits: the raw log, and the whole serialized request once the log is in. */
export const MAX_RAW_EVENT_LOG = 126_976;
export const MAX_ATTEST_REQUEST = 63_488;
/** PCRs covered by the quote; 16..23 are read and sent but not quoted. */
export const QUOTED_PCRS = Array.from({ length: 16 }, (_, i) => i);
const ALL_PCRS = Array.from({ length: 24 }, (_, i) => i);
const MAX_PCR_RACE_RETRIES = 5;

export class QuoteError extends AgentError {
  constructor(kind: "quote.nonce" | "quote.pcr-race" | "quote.tpm", message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}

/** What attestation needs from the TPM manager. */
export interface QuoteSource {
  readPcrs(pcrs?: number[]): Promise<Map<number, Uint8Array>>;
  quote(nonce: Uint8Array): Promise<{ attestData: Uint8Array; signature: Uint8Array }>;
}

export interface EvidenceSources {
  eventLogPath: string;
  eveReleasePath: string;
  configDir: string;
  sysRoot?: string;
  agentVersion: string;
}

/** EVE, EVE_ORIGIN (when an origin file exists) and FIRMWARE versions (docs/protocol.md#quote-contents). */
export function attestVersions(src: EvidenceSources): AttestVersionInfo[] {
  const out: AttestVersionInfo[] = [];
  const eve = readTrimmed(src.eveReleasePath) ?? `edge-agent-${src.agentVersion}`;
  out.push({ version_type: AttestVersionType.ATTEST_VERSION_TYPE_EVE, version: eve });
  if (existsSync(src.configDir)) {
    const origin = readdirSync(src.configDir)
      .filter((n) => n.startsWith("origin."))
      .sort()[0];
    if (origin) out.push({ version_type: AttestVersionType.ATTEST_VERSION_TYPE_EVE_ORIGIN, version: basename(origin) });
  }
  const dmi = join(src.sysRoot ?? "", "/sys/class/dmi/id");
  const fw = ["bios_vendor", "bios_version", "bios_date"].map((f) => readTrimmed(join(dmi, f))).filter((v): v is string => !!v);
  if (fw.length > 0) out.push({ version_type: AttestVersionType.ATTEST_VERSION_TYPE_FIRMWARE, version: fw.join("-") });
  return out;
}

/**
 * The gzipped TCG binary event log, or undefined when absent or above EVE's
 * size limit. The size is checked before anything is read, and the read
 * itself stops one byte past the limit: securityfs reports size 0 for the
 * kernel's log, and a misconfigured path may name a file that never ends.
 */
export function gzippedEventLog(path: string): { gz?: Uint8Array; skipped?: string } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return { skipped: `no event log at ${path}` };
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_RAW_EVENT_LOG) return { skipped: `event log of ${size} bytes exceeds ${MAX_RAW_EVENT_LOG}` };
    const buf = new Uint8Array(MAX_RAW_EVENT_LOG + 1);
    let len = 0;
    while (len < buf.length) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
    }
    if (len > MAX_RAW_EVENT_LOG) return { skipped: `event log exceeds ${MAX_RAW_EVENT_LOG} bytes` };
    return { gz: new Uint8Array(gzipSync(buf.subarray(0, len))) };
  } catch (e) {
    return { skipped: `event log at ${path} cannot be read: ${(e as Error).message}` };
  } finally {
    closeSync(fd);
  }
}

function pcrDigest(values: Map<number, Uint8Array>, pcrs: number[]): Uint8Array {
  return sha256(concatBytes(...pcrs.map((i) => values.get(i) ?? new Uint8Array(32))));
}

/**
 * Takes the quote EVE sends: PCRs 0..23 read, a quote over 0..15 with the
 * nonce, and a check that the quoted digest matches the values read; a PCR
 * that moved in between makes it read and quote again.
 */
export async function takeQuote(
  tpm: QuoteSource,
  nonce: Uint8Array,
): Promise<{ attestData: Uint8Array; signature: Uint8Array; pcrs: Map<number, Uint8Array> }> {
  if (nonce.length < 12 || nonce.length > 32) throw new QuoteError("quote.nonce", `controller nonce must be 12..32 bytes, got ${nonce.length}`);
  for (let attempt = 1; attempt <= MAX_PCR_RACE_RETRIES; attempt++) {
    let pcrs: Map<number, Uint8Array>;
    let q: { attestData: Uint8Array; signature: Uint8Array };
    try {
      pcrs = await tpm.readPcrs(ALL_PCRS);
      q = await tpm.quote(nonce);
    } catch (e) {
      throw new QuoteError("quote.tpm", `TPM quote failed: ${(e as Error).message}`, { cause: e });
    }
    const attest = decodeQuoteAttest(q.attestData);
    if (bytesEqual(attest.pcrDigest, pcrDigest(pcrs, QUOTED_PCRS))) return { ...q, pcrs };
  }
  throw new QuoteError("quote.pcr-race", `PCRs kept changing during ${MAX_PCR_RACE_RETRIES} quote attempts`);
}

export function pcrValues(pcrs: Map<number, Uint8Array>): TpmPCRValue[] {
  return [...pcrs.entries()].sort(([a], [b]) => a - b).map(([index, value]) => ({ index, hash_algo: TpmHashAlgo.TPM_HASH_ALGO_SHA256, value }));
}

export function quoteMessage(
  q: { attestData: Uint8Array; signature: Uint8Array; pcrs: Map<number, Uint8Array> } | undefined,
  versions: AttestVersionInfo[],
  eventLog?: Uint8Array,
): ZAttestQuote {
  return {
    attestData: q?.attestData ?? new Uint8Array(),
    signature: q?.signature ?? new Uint8Array(),
    pcr_values: q ? pcrValues(q.pcrs) : [],
    event_log: [],
    versions,
    tpm_binary_event_log: eventLog ?? new Uint8Array(),
  };
}
