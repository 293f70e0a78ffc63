import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EsysTpm } from "../../../native/tss2/index.ts";
import { createLogger, type Logger } from "../../../src/shared/index.ts";
import { type DeviceLayout, deviceLayout } from "../../../src/state/index.ts";
import { openTpm, type TpmManager } from "../../../src/tpm/index.ts";
import { VaultManager, type VaultTpm } from "../../../src/vault/index.ts";
import { parseEventLog, replayIntoTpm } from "../../harness/eventlog.ts";
import { type Swtpm, startSwtpm } from "../../harness/swtpm.ts";

const CREDENTIAL = "5d0c7a4e-1f2b-4c3d-9e8f-a1b2c3d4e5f6";
const EVENT_LOG = join(import.meta.dir, "../../fixtures/harness/eventlog-ovmf.bin");

export interface Booted {
  vault: VaultManager;
  tpm: TpmManager;
  /** Ends this "boot": forgets the key and closes the ESAPI context (tpm2-tools need the TPM free). */
  shutdown(): Promise<void>;
}

export interface Device {
  sw: Swtpm;
  root: string;
  layout: DeviceLayout;
  /** JSON log lines of every boot, to check nothing secret was logged. */
  logs: string[];
  /** One boot of the agent: a new TpmManager and VaultManager on the same TPM and disk. */
  boot(opts?: { wrap?: (tpm: TpmManager) => VaultTpm }): Promise<Booted>;
  file(name: string, data?: Uint8Array | string): string;
  extendPcr(pcr: number, byte?: string): void;
  nvRead(index: string): Uint8Array | undefined;
}

/**
 * A device of its own for each test: a fresh swtpm whose PCRs went through
 * a recorded OVMF measured boot (PCR 0 and 4 non-zero, as sealing requires)
 * unless `measured` is false, and a temporary root for /persist (or `root`,
 * e.g. on a filesystem of the test's own; removed afterwards either way).
 */
export async function withDevice(f: (d: Device) => Promise<void>, opts: { measured?: boolean; root?: string } = {}): Promise<void> {
  const sw = await startSwtpm();
  const root = opts.root ?? mkdtempSync(join(tmpdir(), "edge-agent-vault-"));
  const open: Booted[] = [];
  const logs: string[] = [];
  const log: Logger = createLogger({ level: "debug", write: (l) => logs.push(l) });
  try {
    if (opts.measured !== false) {
      await replayIntoTpm(parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events, sw.tcti);
    }
    const layout = deviceLayout(root);
    const d: Device = {
      sw,
      root,
      layout,
      logs,
      async boot(o = {}) {
        const tpm = await openTpm({ tcti: sw.tcti, connect: (t) => EsysTpm.open(t), timeoutMs: 30_000 });
        try {
          await tpm.ensureKeys({ credential: CREDENTIAL });
          const point = tpm.publicKey("device");
          if (point.kind !== "ec") throw new Error("device key is not EC");
          const vault = new VaultManager({ layout, tpm: o.wrap ? o.wrap(tpm) : tpm, deviceCertPoint: point.point, log });
          await vault.open();
          const b: Booted = {
            vault,
            tpm,
            async shutdown() {
              vault.close();
              await tpm.close();
              open.splice(open.indexOf(b), 1);
            },
          };
          open.push(b);
          return b;
        } catch (e) {
          await tpm.close();
          throw e;
        }
      },
      file(name, data) {
        const p = join(root, name);
        if (data !== undefined) writeFileSync(p, data);
        return p;
      },
      extendPcr(pcr, byte = "14") {
        sw.tool(["tpm2_pcrextend", `${pcr}:sha256=${byte.repeat(32)}`]);
      },
      nvRead(index) {
        const out = join(root, `nv-${index}.bin`);
        const r = sw.tool(["tpm2_nvread", "-C", "o", "-o", out, index], { allowFail: true });
        return r.status === 0 ? new Uint8Array(readFileSync(out)) : undefined;
      },
    };
    await f(d);
  } finally {
    for (const b of [...open]) await b.shutdown().catch(() => undefined);
    await sw.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

export const text = (s: string) => new TextEncoder().encode(s);
export const str = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
export const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** The sealing journal as stored, for assertions on what was committed. */
export function sealRecord(d: Device): {
  committed?: { keyId: string; pcrs: number[]; private: string; public: string };
  pending?: { keyId: string; pcrs: number[] };
} {
  return JSON.parse(readFileSync(d.layout.persist.sealingPcrs, "utf8"));
}

/** What a crash looks like from the vault's side: the call never returns. */
export class SimulatedCrash extends Error {}

export type CrashPoint = "before-nv" | "between-private-and-public" | "after-nv";

/**
 * The real TPM, except that the next sealVaultKey dies at `at`. TpmManager
 * writes NV private then public; "between" reproduces the state a power cut
 * leaves between the two (new private next to the old public, or no public).
 */
export function crashOnSeal(at: CrashPoint): (tpm: TpmManager) => VaultTpm {
  return (tpm) => {
    let armed = true;
    return {
      getRandom: (n) => tpm.getRandom(n),
      readPcrs: (p) => tpm.readPcrs(p),
      unsealVaultKey: (s) => tpm.unsealVaultKey(s),
      nvRead: (i) => tpm.nvRead(i),
      nvWrite: (i, b) => tpm.nvWrite(i, b),
      nvUndefine: (i) => tpm.nvUndefine(i),
      ecdhZGen: (p) => tpm.ecdhZGen(p),
      async sealVaultKey(secret, pcrs) {
        if (!armed) return tpm.sealVaultKey(secret, pcrs);
        armed = false;
        if (at === "before-nv") throw new SimulatedCrash(at);
        const oldPublic = await tpm.nvRead(0x1900000);
        await tpm.sealVaultKey(secret, pcrs);
        if (at === "between-private-and-public") {
          if (oldPublic) await tpm.nvWrite(0x1900000, oldPublic);
          else await tpm.nvUndefine(0x1900000);
        }
        throw new SimulatedCrash(at);
      },
    };
  };
}
