import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { sha256 } from "@noble/hashes/sha2.js";
import { EsysTpm } from "../../../native/tss2/index.ts";
import { attestVersions, gzippedEventLog, MAX_RAW_EVENT_LOG, QuoteError, quoteMessage, takeQuote } from "../../../src/attestation/index.ts";
import { AttestVersionType } from "../../../src/protocol/index.ts";
import { concatBytes } from "../../../src/shared/index.ts";
import { decodeQuoteAttest, openTpm, type TpmManager } from "../../../src/tpm/index.ts";
import { expectedPcrs, parseEventLog, replayIntoTpm } from "../../harness/eventlog.ts";
import { type Swtpm, startSwtpm } from "../../harness/swtpm.ts";

const LOG = resolve(import.meta.dir, "../../fixtures/harness/eventlog-ovmf.bin");
let sw: Swtpm;

beforeAll(async () => {
  sw = await startSwtpm();
  const events = parseEventLog(new Uint8Array(readFileSync(LOG))).events;
  await replayIntoTpm(events, sw.tcti);
});

afterAll(async () => {
  await sw.stop();
});

async function withTpm<T>(f: (m: TpmManager) => Promise<T>): Promise<T> {
  const m = await openTpm({ tcti: sw.tcti, connect: (t) => EsysTpm.open(t) });
  try {
    await m.ensureKeys({ credential: "0123456789abcdef" });
    return await f(m);
  } finally {
    await m.close();
  }
}

describe("quote evidence", () => {
  test("quotes PCRs 0..15 with the nonce and sends the replayed PCR values when the firmware log was replayed", async () => {
    const nonce = new Uint8Array(12).fill(7);
    const q = await withTpm((m) => takeQuote(m, nonce));
    const attest = decodeQuoteAttest(q.attestData);
    expect(Buffer.from(attest.extraData).equals(Buffer.from(nonce))).toBe(true);
    const expected = expectedPcrs(parseEventLog(new Uint8Array(readFileSync(LOG))).events, "sha256");
    for (const [pcr, hex] of expected) expect(Buffer.from(q.pcrs.get(pcr)!).toString("hex")).toBe(hex);
    expect([...q.pcrs.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    const digest = sha256(concatBytes(...Array.from({ length: 16 }, (_, i) => q.pcrs.get(i)!)));
    expect(Buffer.from(attest.pcrDigest).equals(Buffer.from(digest))).toBe(true);
    const msg = quoteMessage(q, []);
    expect(msg.pcr_values).toHaveLength(24);
    expect(msg.pcr_values[0]!.hash_algo).toBe(2);
  });

  test("refuses a nonce outside 12..32 bytes when the controller sends one", async () => {
    const fake = { readPcrs: async () => new Map(), quote: async () => ({ attestData: new Uint8Array(), signature: new Uint8Array() }) };
    await expect(takeQuote(fake, new Uint8Array(11))).rejects.toBeInstanceOf(QuoteError);
    await expect(takeQuote(fake, new Uint8Array(33))).rejects.toMatchObject({ kind: "quote.nonce" });
  });

  test("retries the quote when a PCR moves between the read and the quote", async () => {
    const nonce = new Uint8Array(16).fill(1);
    let reads = 0;
    const q = await withTpm(async (m) => {
      const racing = {
        readPcrs: async (p?: number[]) => {
          reads++;
          const v = await m.readPcrs(p);
          // The first read is stale: as if PCR 14 was extended right after it.
          if (reads === 1) v.set(14, new Uint8Array(32).fill(0xee));
          return v;
        },
        quote: (n: Uint8Array) => m.quote(n),
      };
      return takeQuote(racing, nonce);
    });
    expect(reads).toBe(2);
    expect(q.pcrs.get(14)![0]).not.toBe(0xee);
  });
});

describe("event log payload", () => {
  test("decodes to the bytes of the configured log file when gunzipped", () => {
    const out = gzippedEventLog(LOG);
    expect(out.skipped).toBeUndefined();
    expect(Buffer.from(gunzipSync(out.gz!)).equals(readFileSync(LOG))).toBe(true);
  });

  test("is skipped with a reason when the log is missing or too large", () => {
    expect(gzippedEventLog("/nonexistent/log").skipped).toContain("no event log");
    const big = join(mkdtempSync(join(tmpdir(), "ea-log-")), "big.bin");
    writeFileSync(big, new Uint8Array(MAX_RAW_EVENT_LOG + 1));
    expect(gzippedEventLog(big).skipped).toContain("exceeds");
  });
});

describe("attestVersions", () => {
  test("reports EVE, EVE_ORIGIN and FIRMWARE versions when their sources exist", () => {
    const root = mkdtempSync(join(tmpdir(), "ea-ver-"));
    mkdirSync(join(root, "config"));
    mkdirSync(join(root, "sys/class/dmi/id"), { recursive: true });
    writeFileSync(join(root, "eve-release"), "14.5.1-kvm-amd64\n");
    writeFileSync(join(root, "config/origin.20260101.14.5.0"), "");
    writeFileSync(join(root, "sys/class/dmi/id/bios_vendor"), "SeaBIOS\n");
    writeFileSync(join(root, "sys/class/dmi/id/bios_version"), "1.16.2\n");
    writeFileSync(join(root, "sys/class/dmi/id/bios_date"), "04/01/2014\n");
    const v = attestVersions({
      eventLogPath: "",
      eveReleasePath: join(root, "eve-release"),
      configDir: join(root, "config"),
      sysRoot: root,
      agentVersion: "0.1.0",
    });
    expect(v).toEqual([
      { version_type: AttestVersionType.ATTEST_VERSION_TYPE_EVE, version: "14.5.1-kvm-amd64" },
      { version_type: AttestVersionType.ATTEST_VERSION_TYPE_EVE_ORIGIN, version: "origin.20260101.14.5.0" },
      { version_type: AttestVersionType.ATTEST_VERSION_TYPE_FIRMWARE, version: "SeaBIOS-1.16.2-04/01/2014" },
    ]);
  });

  test("omits EVE_ORIGIN and FIRMWARE when nothing provides them", () => {
    const root = mkdtempSync(join(tmpdir(), "ea-ver-"));
    const v = attestVersions({ eventLogPath: "", eveReleasePath: join(root, "none"), configDir: join(root, "none"), sysRoot: root, agentVersion: "0.1.0" });
    expect(v).toEqual([{ version_type: AttestVersionType.ATTEST_VERSION_TYPE_EVE, version: "edge-agent-0.1.0" }]);
  });
});
