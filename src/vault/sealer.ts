import { bytesEqual, type Logger } from "../shared/index.ts";
import { readValidated, StateError, writeFileAtomic } from "../state/index.ts";
import { NV_INDEX } from "../tpm/index.ts";
import { isSealingRefused, pcrMismatchOf, VaultError } from "./errors.ts";
import type { VaultTpm } from "./port.ts";
import { encodeSealRecord, parseSealRecord, type SealCommit, type SealRecord } from "./seal-record.ts";
import { VaultKey } from "./secret.ts";

export type Recovered =
  | { kind: "unsealed"; key: VaultKey; sealedTo: number[] }
  | { kind: "locked"; error: VaultError; mismatching?: number[] }
  /** No key was ever committed and the store is empty: a new key may be made. */
  | { kind: "absent" };

type NvPair = { complete: true; private: Uint8Array; public: Uint8Array } | { complete: false };

type Unsealed = { ok: true; key: VaultKey } | { ok: false; mismatching?: number[]; error: unknown };

const isZero = (b: Uint8Array | undefined) => b !== undefined && b.every((x) => x === 0);

/**
 * Owns the sealed copy of the vault key: NV 0x1800000/0x1900000 plus the
 * journal in sealingpcrs. Write order for every seal (first key, re-seal,
 * clean): journal `pending` -> NV private -> NV public -> journal `committed`.
 * A crash at any point leaves either the old committed pair (restorable from
 * the journal, still holding the same key) or a complete new pair that the
 * pending entry identifies; a committed key is never replaced by accident.
 */
export class KeySealer {
  private record: SealRecord | undefined;

  constructor(
    private readonly tpm: VaultTpm,
    private readonly path: string,
    private readonly log: Logger,
  ) {}

  private load(): SealRecord {
    if (this.record) return this.record;
    try {
      this.record = readValidated(this.path, parseSealRecord) ?? {};
    } catch (e) {
      if (!(e instanceof StateError)) throw e;
      // Never guess from a damaged journal; recover() then treats the key as unknown.
      this.log.error("sealing record is unreadable; ignoring it", { error: e.message });
      this.record = {};
    }
    return this.record;
  }

  private save(r: SealRecord): void {
    try {
      writeFileAtomic(this.path, encodeSealRecord(r));
    } catch (e) {
      throw new VaultError("vault.state", "cannot write the sealing record", { cause: e });
    }
    this.record = r;
  }

  /** PCRs the committed key is sealed to, if any. */
  sealedTo(): number[] | undefined {
    return this.load().committed?.pcrs;
  }

  /** Key id of the committed key, if any. */
  committedKeyId(): string | undefined {
    return this.load().committed?.keyId;
  }

  /** EVE refuses to seal to a boot that measured nothing into PCR 0 or 4. */
  async assertMeasuredBoot(): Promise<void> {
    let boot: Map<number, Uint8Array>;
    try {
      boot = await this.tpm.readPcrs([0, 4]);
    } catch (e) {
      throw new VaultError("vault.tpm", "cannot read PCR 0 and 4", { cause: e });
    }
    const zero = [0, 4].filter((i) => isZero(boot.get(i)));
    if (zero.length === 0) return;
    const which = zero.length === 1 ? `PCR ${zero[0]} is` : "PCR 0 and PCR 4 are";
    throw new VaultError("vault.sealing-refused", `sealing refused: ${which} all-zero (boot was not measured)`);
  }

  /** Seals `key` to `pcrs` and commits it; see the class comment for the write order. */
  async seal(key: VaultKey, pcrs: number[]): Promise<SealCommit> {
    await this.assertMeasuredBoot();
    const before = this.load();
    this.log.info("sealing vault key", { pcrs: pcrs.join(",") });
    this.save({ ...(before.committed ? { committed: before.committed } : {}), pending: { keyId: key.id, pcrs } });
    let sealed;
    try {
      sealed = await this.tpm.sealVaultKey(key.bytes(), pcrs);
    } catch (e) {
      if (isSealingRefused(e)) throw new VaultError("vault.sealing-refused", "sealing refused by the TPM: PCR 0 or PCR 4 is all-zero", { cause: e });
      throw new VaultError("vault.tpm", "sealing the vault key failed", { cause: e });
    }
    const commit: SealCommit = { keyId: key.id, pcrs: sealed.pcrs, pcrValues: sealed.pcrValues, private: sealed.private, public: sealed.public };
    this.save({ committed: commit });
    return commit;
  }

  private async readNv(): Promise<NvPair> {
    try {
      const priv = await this.tpm.nvRead(NV_INDEX.sealedPrivate);
      const pub = await this.tpm.nvRead(NV_INDEX.sealedPublic);
      return priv && pub && priv.length > 0 && pub.length > 0 ? { complete: true, private: priv, public: pub } : { complete: false };
    } catch (e) {
      // An index defined but never written (crash inside nvWrite) fails to read: torn, not fatal.
      this.log.warn("sealed vault key NV indexes are unreadable", { error: (e as Error).message });
      return { complete: false };
    }
  }

  private async unseal(pcrs: number[], pcrValues: Map<number, Uint8Array>): Promise<Unsealed> {
    try {
      const raw = await this.tpm.unsealVaultKey({ pcrs, pcrValues });
      try {
        return { ok: true, key: new VaultKey(raw) };
      } finally {
        raw.fill(0);
      }
    } catch (e) {
      const mismatching = pcrMismatchOf(e);
      return mismatching ? { ok: false, mismatching, error: e } : { ok: false, error: e };
    }
  }

  private async commitFromNv(key: VaultKey, pcrs: number[], nv: { private: Uint8Array; public: Uint8Array }): Promise<void> {
    // The policy was just satisfied, so the current values are the seal-time values.
    const pcrValues = await this.tpm.readPcrs(pcrs);
    this.save({ committed: { keyId: key.id, pcrs, pcrValues, private: nv.private, public: nv.public } });
  }

  /** Boot: bring NV and the journal into agreement and unseal. */
  async recover(opts: { storeHasData: boolean; fallbackPcrs: number[] }): Promise<Recovered> {
    const rec = this.load();
    const nv = await this.readNv();
    const { committed, pending } = rec;
    const nvIsCommitted = nv.complete && committed !== undefined && bytesEqual(nv.private, committed.private) && bytesEqual(nv.public, committed.public);

    // A seal finished in NV but the process died before committing it.
    if (pending && nv.complete && !nvIsCommitted) {
      const u = await this.unseal(pending.pcrs, new Map());
      if (u.ok && u.key.id === pending.keyId) {
        await this.commitFromNv(u.key, pending.pcrs, nv);
        this.log.info("committed a seal interrupted by a restart", { pcrs: pending.pcrs.join(",") });
        return { kind: "unsealed", key: u.key, sealedTo: pending.pcrs };
      }
      if (u.ok) u.key.wipe();
    }

    if (committed) return this.recoverCommitted(committed, nvIsCommitted, pending !== undefined);

    if (!opts.storeHasData) return { kind: "absent" };
    // Data exists but the journal knows no key (lost record, or NV sealed by an
    // earlier install): try NV, and never make a new key that would orphan it.
    if (!nv.complete)
      return { kind: "locked", error: new VaultError("vault.key-missing", "vault holds data but no sealed vault key was found; waiting for the controller") };
    const pcrs = pending?.pcrs ?? opts.fallbackPcrs;
    const u = await this.unseal(pcrs, new Map());
    if (u.ok) {
      await this.commitFromNv(u.key, pcrs, nv);
      this.log.warn("adopted the sealed vault key found in NV", { pcrs: pcrs.join(",") });
      return { kind: "unsealed", key: u.key, sealedTo: pcrs };
    }
    if (u.mismatching)
      return {
        kind: "locked",
        error: new VaultError("vault.pcr-mismatch", "PCR mismatch: seal-time PCR values unknown; waiting for the controller", { cause: u.error }),
      };
    return { kind: "locked", error: new VaultError("vault.tpm", "unsealing the vault key failed", { cause: u.error }) };
  }

  private async recoverCommitted(c: SealCommit, nvIsCommitted: boolean, hadPending: boolean): Promise<Recovered> {
    if (!nvIsCommitted) {
      // Torn, missing or superseded-but-unusable pair: the journal's copy is
      // the last one known to be whole. Rewriting it is idempotent, so a crash
      // here just repeats this step on the next boot.
      this.log.warn("NV does not hold the committed sealed vault key; restoring it from the sealing record");
      try {
        await this.tpm.nvWrite(NV_INDEX.sealedPrivate, c.private);
        await this.tpm.nvWrite(NV_INDEX.sealedPublic, c.public);
      } catch (e) {
        return { kind: "locked", error: new VaultError("vault.tpm", "restoring the sealed vault key to NV failed", { cause: e }) };
      }
    }
    const u = await this.unseal(c.pcrs, c.pcrValues);
    if (!u.ok) {
      if (u.mismatching) {
        const list = u.mismatching.length > 0 ? u.mismatching.join(", ") : "none of the sealed PCRs differs from its recorded value";
        return { kind: "locked", error: new VaultError("vault.pcr-mismatch", `PCR mismatch: ${list}`, { cause: u.error }), mismatching: u.mismatching };
      }
      return { kind: "locked", error: new VaultError("vault.tpm", "unsealing the vault key failed", { cause: u.error }) };
    }
    if (u.key.id !== c.keyId) {
      u.key.wipe();
      return { kind: "locked", error: new VaultError("vault.key-mismatch", "NV unsealed a key other than the committed vault key") };
    }
    if (hadPending) this.save({ committed: c });
    return { kind: "unsealed", key: u.key, sealedTo: c.pcrs };
  }
}
