import { fromHex, toHex, utf8 } from "../shared/index.ts";

/**
 * /persist/status/sealingpcrs: the journal that makes sealing crash-safe.
 *
 * `committed` is the sealed pair that is known to hold the vault key (the
 * blobs are TPM-wrapped, so keeping a copy on disk reveals nothing), with the
 * seal-time PCR values EVE keeps in this file to name the PCRs that moved.
 * `pending` is written before NV is touched and says "NV may now hold key
 * `keyId` sealed to `pcrs`"; it is cleared when the new pair is committed.
 */
export interface SealRecord {
  committed?: SealCommit;
  pending?: SealPending;
}

export interface SealCommit {
  keyId: string;
  pcrs: number[];
  pcrValues: Map<number, Uint8Array>;
  private: Uint8Array;
  public: Uint8Array;
}

export interface SealPending {
  keyId: string;
  pcrs: number[];
}

const FORMAT = "edge-agent/sealingpcrs/1";

export function encodeSealRecord(r: SealRecord): Uint8Array {
  const out: Record<string, unknown> = { format: FORMAT };
  if (r.committed) {
    const c = r.committed;
    out.committed = {
      keyId: c.keyId,
      pcrs: c.pcrs,
      pcrValues: Object.fromEntries([...c.pcrValues].map(([i, v]) => [String(i), toHex(v)])),
      private: toHex(c.private),
      public: toHex(c.public),
    };
  }
  if (r.pending) out.pending = { keyId: r.pending.keyId, pcrs: r.pending.pcrs };
  return utf8.encode(JSON.stringify(out, null, 1) + "\n");
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${what} is not an object`);
  return v as Record<string, unknown>;
}

function keyId(v: unknown): string {
  if (typeof v !== "string" || !/^[0-9a-f]{32}$/.test(v)) throw new Error("keyId is not 16 bytes of hex");
  return v;
}

function pcrList(v: unknown): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((i) => Number.isInteger(i) && i >= 0 && i <= 23)) throw new Error("pcrs is not a list of PCR indexes");
  return v as number[];
}

function blob(v: unknown, what: string): Uint8Array {
  if (typeof v !== "string" || v.length === 0) throw new Error(`${what} is missing`);
  return fromHex(v);
}

export function parseSealRecord(data: Uint8Array): SealRecord {
  const v = obj(JSON.parse(utf8.decode(data)), "record");
  if (v.format !== FORMAT) throw new Error(`unknown format ${String(v.format)}`);
  const r: SealRecord = {};
  if (v.committed !== undefined) {
    const c = obj(v.committed, "committed");
    const pcrs = pcrList(c.pcrs);
    const values = obj(c.pcrValues, "pcrValues");
    const pcrValues = new Map<number, Uint8Array>();
    for (const i of pcrs) {
      const hex = values[String(i)];
      if (typeof hex !== "string" || !/^[0-9a-f]{64}$/.test(hex)) throw new Error(`PCR ${i} value is not a SHA-256 digest`);
      pcrValues.set(i, fromHex(hex));
    }
    r.committed = { keyId: keyId(c.keyId), pcrs, pcrValues, private: blob(c.private, "private"), public: blob(c.public, "public") };
  }
  if (v.pending !== undefined) {
    const p = obj(v.pending, "pending");
    r.pending = { keyId: keyId(p.keyId), pcrs: pcrList(p.pcrs) };
  }
  return r;
}
