import { existsSync } from "node:fs";
import { type AttestVolumeKey, AttestVolumeKeyType } from "../protocol/index.ts";
import { errorChain, type Logger, silentLogger } from "../shared/index.ts";
import { type DeviceLayout, removeFile } from "../state/index.ts";
import { VaultError } from "./errors.ts";
import { escrowEntry, escrowWrapKey, unwrapVaultKey, wrapVaultKey } from "./escrow.ts";
import type { DataKey } from "./file-format.ts";
import { VaultDirEncryption } from "./fscrypt.ts";
import { DEFAULT_POLICY, type PcrPolicy, policyOfKey, readPolicyFile, samePcrs, writePolicyFile } from "./policy.ts";
import type { VaultTpm } from "./port.ts";
import { KeySealer } from "./sealer.ts";
import { VAULT_KEY_BYTES, VaultKey } from "./secret.ts";
import type { VaultStatus } from "./status.ts";
import { DirVaultStore, type StoreAccess, type VaultStore } from "./store.ts";
import { type LockedState, lockText, type StatusInputs, statusOf, type VaultState } from "./vault-state.ts";

export interface VaultOptions {
  /** Uses persist.vaultDir, sealingPcrs, policyPcr and allowVaultClean. */
  layout: DeviceLayout;
  /** The TPM (main.ts passes its TpmManager); absent on a device without TPM. */
  tpm?: VaultTpm;
  /** Uncompressed P-256 public key of /config/device.cert.pem: the Q of the escrow ECDH. Required with a TPM. */
  deviceCertPoint?: Uint8Array;
  log?: Logger;
  /** fscrypt on the vault directory where the kernel and filesystem have it ([vault] fscrypt, default true). */
  fscrypt?: boolean;
}

/**
 * EVE's vault manager for one vault: the PCR-sealed key (first boot, boot,
 * lock on PCR mismatch), the escrow blob for the controller, recovery with the
 * controller's copy, and the store that is only usable while unlocked.
 *
 * Without a TPM (docs/state-machines.md#vault-without-a-tpm) the store is a plaintext store rather
 * than refused: EVE keeps using /persist/vault as a plain directory then, so
 * components behave the same on both kinds of device; the status says
 * DISABLED with storeMode "plaintext" and no escrow is produced. An encrypted
 * vault never reads plaintext entries, so a TPM device cannot be fed
 * unauthenticated files.
 */
export class VaultManager {
  readonly store: VaultStore;
  private readonly dir: DirVaultStore;
  private readonly fs: VaultDirEncryption;
  private readonly log: Logger;
  private readonly sealer: KeySealer | undefined;
  private state: VaultState = { phase: "closed" };
  private policy: PcrPolicy = DEFAULT_POLICY;
  private pcrStatus: VaultStatus["pcrStatus"] = "UNKNOWN";
  private escrowBlob: Uint8Array | undefined;
  private escrowPending = false;
  /** A problem worth showing while unlocked (escrow unavailable, re-seal failed). */
  private notice: StatusInputs["notice"];
  private lockedAt: string | undefined;
  private readonly listeners = new Set<(s: VaultStatus) => void>();
  private readonly escrowListeners = new Set<(entry: AttestVolumeKey) => void>();
  /** The blob escrow listeners were last told about, so each one is announced once. */
  private announcedEscrow: Uint8Array | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: VaultOptions) {
    this.log = (opts.log ?? silentLogger).child("vault");
    if (opts.tpm && !opts.deviceCertPoint) throw new VaultError("vault.escrow-unavailable", "a TPM vault needs the device certificate's public key for escrow");
    this.sealer = opts.tpm ? new KeySealer(opts.tpm, opts.layout.persist.sealingPcrs, this.log) : undefined;
    this.dir = new DirVaultStore(opts.layout.persist.vaultDir, () => this.access());
    this.fs = new VaultDirEncryption(opts.layout.persist.vaultDir, opts.fscrypt ?? true, this.log);
    this.store = this.dir;
  }

  /** Whether the vault is TPM-backed (EVE's IsTpmEnabled for escrow). */
  get tpmEnabled(): boolean {
    return this.opts.tpm !== undefined;
  }

  private access(): StoreAccess {
    switch (this.state.phase) {
      case "unlocked":
        return { mode: "encrypted", key: this.state.dataKey };
      case "plaintext":
        return { mode: "plaintext" };
      case "locked":
        return { mode: "locked", reason: lockText(this.state) };
      case "closed":
        return { mode: "locked", reason: "vault is not open" };
    }
  }

  /** Operations touch the TPM, the journal and the store: one at a time. */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f, f);
    this.queue = run.catch(() => undefined);
    return run;
  }

  status(): VaultStatus {
    return statusOf({
      state: this.state,
      tpmEnabled: this.tpmEnabled,
      policyPcrs: this.policy.pcrs,
      pcrStatus: this.pcrStatus,
      escrowPending: this.escrowPending,
      ...(this.notice ? { notice: this.notice } : {}),
      ...(this.lockedAt ? { lockedAt: this.lockedAt } : {}),
      ...(this.tpmEnabled ? { protection: this.fs.protection } : {}),
    });
  }

  /** Called with the new status after every change; returns an unsubscribe function. */
  onChange(fn: (s: VaultStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Called when an escrow blob becomes available (the vault unlocked with a
   * key it could wrap for the controller), once per blob, so attestation
   * waits for this instead of looking; returns an unsubscribe function.
   */
  onEscrowReady(fn: (entry: AttestVolumeKey) => void): () => void {
    this.escrowListeners.add(fn);
    return () => this.escrowListeners.delete(fn);
  }

  private emit(): void {
    const s = this.status();
    for (const fn of this.listeners) {
      try {
        fn(s);
      } catch (e) {
        this.log.error("vault status listener failed", { error: errorChain(e) });
      }
    }
    const entry = this.escrow();
    const blob = entry ? this.escrowBlob : undefined;
    if (blob === this.announcedEscrow) return;
    this.announcedEscrow = blob;
    if (!entry) return;
    for (const fn of this.escrowListeners) {
      try {
        fn(entry);
      } catch (e) {
        this.log.error("vault escrow listener failed", { error: errorChain(e) });
      }
    }
  }

  /**
   * The AttestStorageKeys entry to escrow (VSK, AttestVolumeKeyData bytes),
   * or undefined while there is none: no TPM, locked, or ECDH failed.
   */
  escrow(): AttestVolumeKey | undefined {
    return this.state.phase === "unlocked" && this.escrowBlob ? escrowEntry(this.escrowBlob) : undefined;
  }

  /** The controller confirmed STORE_KEYS: a clean can no longer be asked for, as in EVE. */
  escrowAcknowledged(): void {
    this.escrowPending = false;
    try {
      removeFile(this.opts.layout.persist.allowVaultClean);
    } catch (e) {
      this.log.warn("cannot remove the vault-clean sentinel", { error: errorChain(e) });
    }
    this.emit();
  }

  /** Boot: no TPM -> plaintext; otherwise unseal, or make the first key, or lock and wait for the controller. */
  open(): Promise<VaultStatus> {
    return this.serial(async () => {
      const tpm = this.opts.tpm;
      if (!tpm || !this.sealer) {
        this.state = { phase: "plaintext" };
        this.log.warn("no TPM: the vault store is NOT encrypted (data at rest disabled)");
        this.emit();
        return this.status();
      }
      this.pcrStatus = await probePcrBank(tpm);
      this.policy = this.loadPolicy();
      this.fs.probe();
      try {
        // While locked, fscrypt shows entries under encrypted names only: any entry counts as data.
        const storeHasData = this.dir.hasEntries() || this.fs.hasEncryptedEntries();
        const r = await this.sealer.recover({ storeHasData, fallbackPcrs: this.policy.pcrs });
        if (r.kind === "unsealed") {
          await this.unlock(r.key, r.sealedTo);
          if (!samePcrs(r.sealedTo, this.policy.pcrs)) await this.reseal(r.key, "sealed PCR set differs from the policy");
          this.log.info("vault unlocked from the TPM", { pcrs: this.status().policyPcrs.join(",") });
        } else if (r.kind === "locked") {
          this.lock(r.error, r.mismatching);
        } else {
          await this.createKey("first boot");
        }
      } catch (e) {
        // A locked vault is an operating state the agent reports, not a reason to stop.
        this.lock(asVaultError(e, "opening the vault failed"));
      }
      this.emit();
      return this.status();
    });
  }

  /**
   * The VSK entries of a successful quote response (docs/state-machines.md#vault-recovery).
   * Locked: unwrap, verify, apply the policy, re-seal, unlock; an empty list
   * destroys and recreates the vault only when allow-vault-clean exists.
   * Unlocked: re-seal only when the controller's policy differs.
   */
  acceptControllerKeys(keys: AttestVolumeKey[]): Promise<VaultStatus> {
    return this.serial(async () => {
      if (this.state.phase === "plaintext") return this.status();
      if (this.state.phase === "closed") throw new VaultError("vault.not-open", "vault is not open");
      const vsk = keys.filter((k) => k.key_type === AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK && k.key.length > 0);
      try {
        if (this.state.phase === "locked") {
          if (vsk.length === 0) await this.cleanIfAllowed();
          else await this.recoverWith(vsk);
        } else if (vsk.length > 0) {
          await this.applyPolicyWhileUnlocked(vsk[0]!, this.state.key, this.state.sealedTo);
        }
      } catch (e) {
        const err = asVaultError(e, "handling the controller's key failed", "vault.state");
        if (this.state.phase === "locked") this.state.rejected = err;
        else this.setNotice(err);
        this.log.error("handling the controller's key failed", { error: errorChain(e) });
      }
      this.emit();
      return this.status();
    });
  }

  /** Forgets the key (shutdown); the store refuses everything afterwards. */
  close(): void {
    if (this.state.phase === "unlocked") this.state.key.wipe();
    this.fs.lock();
    this.state = { phase: "closed" };
    this.escrowBlob = undefined;
    this.emit();
  }

  private loadPolicy(): PcrPolicy {
    return readPolicyFile(this.opts.layout.persist.policyPcr, this.log);
  }

  private savePolicy(p: PcrPolicy): void {
    writePolicyFile(this.opts.layout.persist.policyPcr, p);
    this.policy = p;
  }

  private async newKey(): Promise<VaultKey> {
    const raw = await this.opts.tpm!.getRandom(VAULT_KEY_BYTES);
    try {
      if (raw.length !== VAULT_KEY_BYTES || raw.every((b) => b === 0)) throw new VaultError("vault.tpm", "TPM2_GetRandom returned an unusable vault key");
      return new VaultKey(raw);
    } finally {
      raw.fill(0);
    }
  }

  private async createKey(why: string): Promise<void> {
    try {
      const key = await this.newKey();
      const commit = await this.sealer!.seal(key, this.policy.pcrs);
      await this.unlock(key, commit.pcrs);
      this.log.info("new vault key sealed", { reason: why, pcrs: commit.pcrs.join(",") });
    } catch (e) {
      this.lock(asVaultError(e, "creating the vault key failed"));
      this.log.error("cannot create the vault key", { error: errorChain(e) });
    }
  }

  private async unlock(key: VaultKey, sealedTo: number[]): Promise<void> {
    // First, so a key the directory refuses leaves the vault locked.
    const master = key.fscryptKey();
    try {
      this.fs.unlock(master);
    } finally {
      master.fill(0);
    }
    const dataKey: DataKey = { id: key.id, key: await key.dataKey() };
    if (this.state.phase === "unlocked" && this.state.key !== key) this.state.key.wipe();
    this.state = { phase: "unlocked", key, dataKey, sealedTo };
    this.lockedAt = undefined;
    this.notice = undefined;
    try {
      const wrap = await this.wrapKey();
      try {
        this.escrowBlob = wrapVaultKey(key.bytes(), wrap);
      } finally {
        wrap.fill(0);
      }
      this.escrowPending = true;
    } catch (e) {
      this.escrowBlob = undefined;
      this.escrowPending = false;
      this.setNotice(asVaultError(e, "cannot build the escrow blob", "vault.escrow-unavailable"));
    }
  }

  private lock(error: VaultError, mismatching?: number[]): void {
    if (this.state.phase === "unlocked") this.state.key.wipe();
    this.fs.lock();
    const was = this.state.phase === "locked" ? this.state.error.message : undefined;
    this.state = { phase: "locked", error, ...(mismatching ? { mismatching } : {}) };
    if (was !== error.message || !this.lockedAt) this.lockedAt = new Date().toISOString();
    this.escrowBlob = undefined;
    this.escrowPending = false;
    this.log.error("vault locked, waiting for the controller", { reason: error.message });
  }

  private setNotice(error: VaultError): void {
    this.notice = { error, at: new Date().toISOString() };
    this.log.error("vault problem", { error: errorChain(error) });
  }

  private async reseal(key: VaultKey, why: string): Promise<void> {
    try {
      const commit = await this.sealer!.seal(key, this.policy.pcrs);
      if (this.state.phase === "unlocked") this.state = { ...this.state, sealedTo: commit.pcrs };
      this.log.info("vault key re-sealed", { reason: why, pcrs: commit.pcrs.join(",") });
    } catch (e) {
      // The key in memory is fine; only the next boot may need the controller.
      this.setNotice(asVaultError(e, "re-sealing the vault key failed"));
    }
  }

  private async wrapKey(): Promise<Uint8Array> {
    return escrowWrapKey((p) => this.opts.tpm!.ecdhZGen(p), this.opts.deviceCertPoint!);
  }

  /** The key id the data on this device belongs to, if anything says so. */
  private expectedKeyId(): string | undefined {
    const committed = this.sealer!.committedKeyId();
    if (committed) return committed;
    const ids = this.dir.keyIds();
    return ids.size === 1 ? [...ids][0] : undefined;
  }

  private async verifiedKey(entry: AttestVolumeKey): Promise<VaultKey> {
    const wrap = await this.wrapKey().catch((e: unknown) => {
      throw asVaultError(e, "cannot derive the escrow key", "vault.escrow-unavailable");
    });
    let raw: Uint8Array;
    try {
      raw = unwrapVaultKey(entry.key, wrap);
    } finally {
      wrap.fill(0);
    }
    try {
      return new VaultKey(raw);
    } finally {
      raw.fill(0);
    }
  }

  private async recoverWith(entries: AttestVolumeKey[]): Promise<void> {
    const locked = this.state as LockedState;
    const failures: string[] = [];
    for (const entry of entries) {
      let key: VaultKey;
      try {
        key = await this.verifiedKey(entry);
      } catch (e) {
        failures.push((e as Error).message);
        continue;
      }
      const expected = this.expectedKeyId();
      if (expected && key.id !== expected) {
        key.wipe();
        failures.push("controller key is not this vault's key (key id differs)");
        continue;
      }
      this.adoptPolicy(entry);
      let sealError: VaultError | undefined;
      let sealedTo = this.policy.pcrs;
      try {
        sealedTo = (await this.sealer!.seal(key, this.policy.pcrs)).pcrs;
      } catch (e) {
        sealError = asVaultError(e, "re-sealing the vault key failed");
      }
      await this.unlock(key, sealedTo);
      if (sealError) this.setNotice(sealError);
      this.log.info("vault unlocked with the controller's key", { pcrs: sealedTo.join(","), resealed: sealError === undefined });
      return;
    }
    locked.rejected = new VaultError("vault.escrow-invalid", `controller key rejected: ${failures.join("; ")}`);
    this.log.error("controller key rejected; vault stays locked", { reason: locked.rejected.message });
  }

  private adoptPolicy(entry: AttestVolumeKey): void {
    const kp = policyOfKey(entry);
    if (kp.kind === "invalid") this.log.warn("ignoring invalid PCR policy from the controller", { reason: kp.reason });
    if (kp.kind !== "valid") return;
    if (samePcrs(kp.policy.pcrs, this.policy.pcrs) && kp.policy.id === this.policy.id && this.policy.fromController) return;
    this.savePolicy(kp.policy);
    this.log.info("PCR policy from the controller stored", { pcrs: kp.policy.pcrs.join(","), id: kp.policy.id });
  }

  private async applyPolicyWhileUnlocked(entry: AttestVolumeKey, key: VaultKey, sealedTo: number[]): Promise<void> {
    let theirs: VaultKey;
    try {
      theirs = await this.verifiedKey(entry);
    } catch (e) {
      this.log.warn("ignoring controller key while unlocked", { error: errorChain(e) });
      return;
    }
    const same = theirs.id === key.id;
    theirs.wipe();
    if (!same) {
      // A stale escrow at the controller; the next STORE_KEYS replaces it.
      this.log.warn("controller holds a different vault key; ignoring it and its policy");
      return;
    }
    this.adoptPolicy(entry);
    if (!samePcrs(sealedTo, this.policy.pcrs)) await this.reseal(key, "controller changed the PCR policy");
  }

  private async cleanIfAllowed(): Promise<void> {
    if (!existsSync(this.opts.layout.persist.allowVaultClean)) {
      this.log.warn("controller has no key for the locked vault and vault clean is not allowed; staying locked");
      return;
    }
    try {
      // Checked before destroying anything, so a refused seal cannot leave the vault empty and still locked.
      await this.sealer!.assertMeasuredBoot();
    } catch (e) {
      const locked = this.state as LockedState;
      locked.rejected = new VaultError("vault.sealing-refused", `vault clean impossible: ${(e as Error).message}`, { cause: e });
      this.log.error("vault clean refused; vault stays locked", { reason: locked.rejected.message });
      return;
    }
    const removed = this.dir.wipe();
    this.fs.afterWipe();
    this.log.warn("vault destroyed on controller request (allow-vault-clean); its data is gone", { entries: removed });
    await this.createKey("vault clean");
  }
}

async function probePcrBank(tpm: VaultTpm): Promise<VaultStatus["pcrStatus"]> {
  try {
    const v = await tpm.readPcrs([0]);
    return v.get(0)?.length === 32 ? "ENABLED" : "DISABLED";
  } catch {
    return "UNKNOWN";
  }
}

function asVaultError(e: unknown, message: string, kind: VaultError["kind"] = "vault.tpm"): VaultError {
  return e instanceof VaultError ? e : new VaultError(kind, `${message}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}
