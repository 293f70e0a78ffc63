import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EV_NO_ACTION, EventLogParseError, expectedPcrs, parseEventLog, readPcrs, replayIntoTpm } from "./eventlog.ts";
import { freePortPair, isAlive, killTree, runChecked, waitFor } from "./proc.ts";

const DATA = join(import.meta.dir, "..", "fixtures", "harness");
const LOGS = ["eventlog-seabios.bin", "eventlog-ovmf.bin"] as const;

async function loadLog(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(join(DATA, name)));
}

/** The `pcrs: sha256:` block of `tpm2_eventlog` output, an independent replay. */
async function tpm2EventlogPcrs(path: string): Promise<Map<number, string>> {
  const { stdout } = await runChecked(["tpm2_eventlog", path]);
  const block = stdout.slice(stdout.indexOf("\npcrs:"));
  const sha = block.slice(block.indexOf("sha256:"));
  const out = new Map<number, string>();
  for (const line of sha.split("\n").slice(1)) {
    const m = line.match(/^\s+(\d+)\s*:\s*0x([0-9a-fA-F]+)\s*$/);
    if (!m) break;
    out.set(Number(m[1]), m[2]!.toLowerCase());
  }
  if (out.size === 0) throw new Error(`no sha256 PCRs in tpm2_eventlog output:\n${stdout}`);
  return out;
}

// --- a throwaway swtpm (test/harness/swtpm.ts is written separately) -------

let template: string;
const ZERO = "0".repeat(64);
/** After TPM2_Startup the DRTM PCRs 17-22 hold all ones until a dynamic launch resets them. */
const unextended = (pcr: number) => (pcr >= 17 && pcr <= 22 ? "f".repeat(64) : ZERO);

beforeAll(async () => {
  // Manufacturing takes most of a second; each test copies the state instead.
  template = await mkdtemp(join(tmpdir(), "eventlog-tpm-template-"));
  await runChecked(["swtpm_setup", "--tpm2", "--tpmstate", template, "--create-ek-cert", "--create-platform-cert", "--lock-nvram"], { timeoutMs: 60_000 });
});

afterAll(async () => {
  if (template) await rm(template, { recursive: true, force: true });
});

interface Tpm {
  tcti: string;
  pid: number;
  stop(): Promise<void>;
}

async function startTpm(): Promise<Tpm> {
  const dir = await mkdtemp(join(tmpdir(), "eventlog-tpm-"));
  await copyFile(join(template, "tpm2-00.permall"), join(dir, "tpm2-00.permall"));
  const port = await freePortPair();
  const pidFile = join(dir, "swtpm.pid");
  await runChecked([
    "swtpm",
    "socket",
    "--tpm2",
    "--server",
    `type=tcp,port=${port},bindaddr=127.0.0.1`,
    "--ctrl",
    `type=tcp,port=${port + 1},bindaddr=127.0.0.1`,
    "--tpmstate",
    `dir=${dir}`,
    "--flags",
    "not-need-init,startup-clear",
    "-d",
    "--pid",
    `file=${pidFile}`,
  ]);
  const pid = await waitFor(async () => Number((await readFile(pidFile, "utf8").catch(() => "")).trim()) || 0, 5000, {
    what: "swtpm pid file",
  });
  const tcti = `swtpm:host=127.0.0.1,port=${port}`;
  return {
    tcti,
    pid,
    stop: async () => {
      try {
        await runChecked(["swtpm_ioctl", "--tcp", `127.0.0.1:${port + 1}`, "-s"], { timeoutMs: 10_000 });
        await waitFor(() => !isAlive(pid), 5000, { what: `swtpm ${pid} to exit` });
      } finally {
        // -d daemonizes, so the pid is no child of ours; make sure it is gone.
        if (isAlive(pid)) await killTree(pid);
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

// --- a synthetic log, for cases the recordings do not cover ---------------

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

function specIdHeader(): number[] {
  const sig = [..."Spec ID Event03"].map((c) => c.charCodeAt(0)).concat([0]);
  const data = [...sig, ...u32(0), 0, 2, 2, 2, ...u32(1), 0x0b, 0x00, 32, 0x00, 0];
  return [...u32(0), ...u32(EV_NO_ACTION), ...new Array(20).fill(0), ...u32(data.length), ...data];
}

function event2(pcr: number, type: number, digest: number[], data: number[]): number[] {
  return [...u32(pcr), ...u32(type), ...u32(1), 0x0b, 0x00, ...digest, ...u32(data.length), ...data];
}

describe("parseEventLog", () => {
  test.each(LOGS)("lists the Spec ID header and SHA-256 events when given %s", async (name) => {
    const log = parseEventLog(await loadLog(name));
    expect(log.specId.algorithms).toEqual([{ algId: 0x0b, alg: "sha256", digestSize: 32 }]);
    expect(log.events[0]!.eventType).toBe(EV_NO_ACTION);
    expect(log.events.length).toBeGreaterThan(10);
    for (const ev of log.events.slice(1)) {
      expect(ev.digests.map((d) => d.alg)).toEqual(["sha256"]);
      expect(ev.digests[0]!.digest.length).toBe(32);
    }
  });

  test.each(LOGS)("rejects %s with a truncation error when it is cut inside a record", async (name) => {
    const bytes = await loadLog(name);
    for (const cut of [bytes.length - 1, bytes.length - 20, 40, 10]) {
      const f = () => parseEventLog(bytes.subarray(0, cut));
      expect(f).toThrow(EventLogParseError);
      expect(f).toThrow(/truncated event log/);
    }
  });

  test("rejects a SHA-1-only log when the first record is not the Spec ID event", () => {
    const bytes = new Uint8Array(specIdHeader());
    bytes[32] = "X".charCodeAt(0); // first signature byte
    expect(() => parseEventLog(bytes)).toThrow(/not a crypto-agile log/);
  });

  test("rejects a digest for an algorithm the header does not list", () => {
    const ev = event2(0, 8, new Array(32).fill(1), []);
    ev[12] = 0x04; // sha1 instead of sha256
    expect(() => parseEventLog(new Uint8Array([...specIdHeader(), ...ev]))).toThrow(/does not list/);
  });

  test("stops at zero padding only when padding is allowed", () => {
    const bytes = new Uint8Array([...specIdHeader(), ...event2(0, 8, new Array(32).fill(1), []), ...new Array(16).fill(0)]);
    expect(() => parseEventLog(bytes)).toThrow(EventLogParseError);
    expect(parseEventLog(bytes, { allowTrailingPadding: true }).events).toHaveLength(2);
  });
});

describe("expectedPcrs", () => {
  test.each(LOGS)("matches tpm2_eventlog's final PCRs when replaying %s", async (name) => {
    const mine = expectedPcrs(parseEventLog(await loadLog(name)).events, "sha256");
    expect([...mine.entries()]).toEqual([...(await tpm2EventlogPcrs(join(DATA, name))).entries()]);
  });

  test("ignores EV_NO_ACTION records when they carry a digest", () => {
    const d = new Array(32).fill(7);
    const bytes = new Uint8Array([...specIdHeader(), ...event2(5, EV_NO_ACTION, d, []), ...event2(6, 8, d, [])]);
    const pcrs = expectedPcrs(parseEventLog(bytes).events);
    expect(pcrs.has(5)).toBe(false);
    expect(pcrs.has(6)).toBe(true);
  });

  test("starts PCR 0 at the locality when a StartupLocality record is present", () => {
    const sig = [..."StartupLocality"].map((c) => c.charCodeAt(0)).concat([0, 3]);
    const d = new Array(32).fill(0);
    const bytes = new Uint8Array([...specIdHeader(), ...event2(0, EV_NO_ACTION, d, sig), ...event2(0, 8, new Array(32).fill(9), [])]);
    const withLoc = expectedPcrs(parseEventLog(bytes).events).get(0);
    const init = new Uint8Array(32);
    init[31] = 3;
    const want = new Bun.CryptoHasher("sha256").update(init).update(new Uint8Array(32).fill(9)).digest("hex");
    expect(withLoc).toBe(want);
  });
});

describe("replayIntoTpm", () => {
  test.each(LOGS)(
    "leaves the TPM's SHA-256 PCRs equal to the software replay when replaying %s into a fresh swtpm",
    async (name) => {
      const events = parseEventLog(await loadLog(name)).events;
      const want = expectedPcrs(events, "sha256");
      const tpm = await startTpm();
      try {
        const before = await readPcrs(tpm.tcti);
        expect(before.get(0)).toBe(ZERO);
        const n = await replayIntoTpm(events, tpm.tcti, { batch: 5 });
        expect(n).toBe(events.filter((e) => e.eventType !== EV_NO_ACTION).length);
        const got = await readPcrs(tpm.tcti);
        for (let i = 0; i < 24; i++) expect([i, got.get(i)]).toEqual([i, want.get(i) ?? unextended(i)]);
        expect(got.get(0)).not.toBe(ZERO);
        expect(got.get(4)).not.toBe(ZERO);
      } finally {
        await tpm.stop();
      }
      expect(isAlive(tpm.pid)).toBe(false);
    },
    60_000,
  );
});
