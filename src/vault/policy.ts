import type { AttestVolumeKey } from "../protocol/index.ts";
import { type Logger, utf8 } from "../shared/index.ts";
import { readValidated, StateError, writeFileAtomic } from "../state/index.ts";
import { DEFAULT_SEAL_PCRS } from "../tpm/index.ts";

/** The PCR set the vault key is sealed to; `id` is the controller's policy_id (0 for the default). */
export interface PcrPolicy {
  pcrs: number[];
  id: number;
  /** True when the set came from the controller rather than EVE's default. */
  fromController: boolean;
}

export const DEFAULT_POLICY: PcrPolicy = { pcrs: [...DEFAULT_SEAL_PCRS], id: 0, fromController: false };

export type PolicyCheck = { ok: true; pcrs: number[] } | { ok: false; reason: string };

/**
 * EVE's rules for a controller-supplied PCR list: PCR 0 (firmware) must be
 * in, PCR 5 (GPT, changes with every A/B update) must stay out, only 0..15
 * (16..23 are resettable or OS-owned), at most 15 entries, no duplicates.
 */
export function checkPolicyPcrs(indices: readonly number[]): PolicyCheck {
  if (indices.length > 15) return { ok: false, reason: `${indices.length} PCRs, at most 15 allowed` };
  const seen = new Set<number>();
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i > 15) return { ok: false, reason: `PCR ${i} is outside 0..15` };
    if (seen.has(i)) return { ok: false, reason: `PCR ${i} listed twice` };
    seen.add(i);
  }
  if (!seen.has(0)) return { ok: false, reason: "PCR 0 is missing" };
  if (seen.has(5)) return { ok: false, reason: "PCR 5 must not be sealed to" };
  return { ok: true, pcrs: [...seen].sort((a, b) => a - b) };
}

export type KeyPolicy = { kind: "none" } | { kind: "valid"; policy: PcrPolicy } | { kind: "invalid"; reason: string };

/** The policy attached to a controller key entry; only a list flagged by has_policy_pcr_list counts. */
export function policyOfKey(k: AttestVolumeKey): KeyPolicy {
  if (!k.has_policy_pcr_list || k.policy_pcr_list === undefined) return { kind: "none" };
  const c = checkPolicyPcrs(k.policy_pcr_list.pcr_indices);
  if (!c.ok) return { kind: "invalid", reason: c.reason };
  return { kind: "valid", policy: { pcrs: c.pcrs, id: k.policy_pcr_list.policy_id, fromController: true } };
}

export const samePcrs = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** /persist/status/policy-pcr.json in EVE's field names. */
export function encodePolicyFile(p: PcrPolicy): Uint8Array {
  return utf8.encode(JSON.stringify({ PolicyPresent: true, Indexes: p.pcrs, ID: p.id }) + "\n");
}

/** Parses policy-pcr.json; a file that says no policy is present means the default set. */
export function parsePolicyFile(data: Uint8Array): PcrPolicy {
  const v = JSON.parse(utf8.decode(data)) as unknown;
  if (typeof v !== "object" || v === null) throw new Error("not a JSON object");
  const { PolicyPresent, Indexes, ID } = v as Record<string, unknown>;
  if (typeof PolicyPresent !== "boolean") throw new Error("PolicyPresent is not a boolean");
  if (!PolicyPresent) return DEFAULT_POLICY;
  if (!Array.isArray(Indexes) || !Indexes.every((x) => typeof x === "number")) throw new Error("Indexes is not a list of numbers");
  const id = ID === undefined ? 0 : ID;
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0) throw new Error("ID is not a non-negative integer");
  const c = checkPolicyPcrs(Indexes as number[]);
  if (!c.ok) throw new Error(`invalid PCR list: ${c.reason}`);
  return { pcrs: c.pcrs, id, fromController: true };
}

/** The persisted policy, or the default set when there is none or it cannot be trusted. */
export function readPolicyFile(path: string, log: Logger): PcrPolicy {
  try {
    return readValidated(path, parsePolicyFile) ?? DEFAULT_POLICY;
  } catch (e) {
    if (!(e instanceof StateError)) throw e;
    log.warn("ignoring unreadable PCR policy; using the default set", { error: e.message });
    return DEFAULT_POLICY;
  }
}

export function writePolicyFile(path: string, p: PcrPolicy): void {
  writeFileAtomic(path, encodePolicyFile(p));
}
