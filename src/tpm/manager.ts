import { existsSync } from "node:fs";
import { silentLogger, type Logger, type P256Signer } from "../shared/index.ts";
import type { DeviceLayout } from "../state/index.ts";
import type { TpmPort } from "./port.ts";
import { TpmQueue, type QueueOptions } from "./queue.ts";
import { TpmError, hasRc } from "./errors.ts";
import { RC } from "./structures/constants.ts";
import { HR } from "./structures/constants.ts";
import { getRandom } from "./commands/random.ts";
import { readPcrs } from "./commands/pcr.ts";
import { signEcdsaP256 } from "./commands/sign.ts";
import { quote } from "./commands/quote.ts";
import { ecdhZGen } from "./commands/ecdh.ts";
import { nvRead, nvWrite, nvUndefine } from "./commands/nv.ts";
import { seal, unseal, type SealedSecret } from "./commands/seal.ts";
import { aesCfbSupported, listHandles, nvBufferMax, tpmInfo, type TpmInfo } from "./commands/capability.ts";
import { openPersistent } from "./commands/objects.ts";
import { flushStale } from "./commands/hygiene.ts";
import { ensureKey, inspectKey, type KeyOrigin, type PersistentKey } from "./keys.ts";
import { ALL_PCRS, DEFAULT_SEAL_PCRS, HANDLES, KEY_ORDER, NV_INDEX, QUOTE_PCRS, deviceKeyAuth, type KeyName } from "./slots.ts";
import { publicKeyParts, type PublicKeyParts } from "./public-key.ts";
import { encodeSensitiveCreate, encodeTpm2b } from "./structures/basic.ts";
import { encodePcrSelection } from "./structures/pcr-selection.ts";
import { decodePublic, encodePublic } from "./structures/public.ts";
import { DEVICE_KEY_CHILD_TEMPLATE } from "./structures/templates.ts";
import { ALG } from "./structures/constants.ts";

export interface EnsureKeysOptions {
  /** Content of /config/tpm_credential; its first 7 characters are the device key's auth. */
  credential: string;
  /** Recreate every key (EVE does this on first provisioning, when no device cert exists). */
  recreate?: boolean;
}

export interface EnsureKeysResult {
  created: KeyName[];
  reused: KeyName[];
  replaced: KeyName[];
  /** Device or ECDH key that is a primary (EVE's way, kept on migrated devices). */
  derivable: KeyName[];
}

export interface Quote {
  /** Raw TPMS_ATTEST (no size prefix). */
  attestData: Uint8Array;
  /** ASN.1 DER ECDSA signature over SHA-256(attestData). */
  signature: Uint8Array;
}

/** A key made under the SRK and kept outside the TPM: the TPM's own wrapping of it, usable only in this TPM. */
export interface KeyBlob {
  /** TPM2B_PUBLIC as TPM2_Create returned it. */
  public: Uint8Array;
  /** TPM2B_PRIVATE: the private part encrypted under the SRK's seed. */
  private: Uint8Array;
}

export interface ManagerOptions extends QueueOptions {
  log?: Logger;
  /** Refuse to seal while PCR 0 or 4 is all-zero (EVE behaviour); default true. */
  requireMeasuredBoot?: boolean;
  /**
   * Seal/unseal over an EK-salted session with AES-128-CFB parameter
   * encryption when the TPM supports it ("auto", default) or never ("off").
   */
  parameterEncryption?: "auto" | "off";
}

/**
 * The rest of the agent's view of the TPM: EVE's persistent keys, quotes,
 * the device signer, ECDH, NV and the sealed vault key. Every operation goes
 * through one queue that owns the ESAPI context.
 */
export class TpmManager {
  private readonly queue: TpmQueue;
  private readonly log: Logger;
  private readonly keys = new Map<KeyName, PersistentKey>();
  private deviceAuth: Uint8Array | undefined;
  private nvChunk: number | undefined;
  private saltSupported: boolean | undefined;
  private readonly requireMeasuredBoot: boolean;
  private readonly parameterEncryption: "auto" | "off";
  /** CreatePrimary calls made by this manager (a warm boot makes none). */
  createPrimaryCalls = 0;
  /** TPM2_Create calls made for persistent keys (device and ECDH key; a warm boot makes none). */
  createCalls = 0;

  constructor(port: TpmPort, opts: ManagerOptions = {}) {
    this.log = opts.log ?? silentLogger;
    this.queue = new TpmQueue(port, { ...opts, log: this.log, restore: (tpm) => this.restore(tpm) });
    this.requireMeasuredBoot = opts.requireMeasuredBoot ?? true;
    this.parameterEncryption = opts.parameterEncryption ?? "auto";
  }

  close(): Promise<void> {
    return this.queue.close();
  }

  /** TPM connections replaced after a timeout or a TCTI failure. */
  get reconnects(): number {
    return this.queue.reconnects;
  }

  /**
   * On a new connection: flushes what the lost one left and re-opens the
   * persistent keys this manager had loaded. A key whose public area changed
   * (TPM cleared or swapped meanwhile) fails the restore, which ends in
   * tpm.lost: carrying on would sign with another identity.
   */
  private async restore(tpm: TpmPort): Promise<void> {
    await flushStale(tpm);
    for (const [name, key] of this.keys) {
      const reopened = await openPersistent(tpm, key.handle);
      if (!reopened) throw new TpmError("tpm.key-missing", `TPM key ${name} (0x${key.handle.toString(16)}) is gone after reconnecting`);
      if (!Buffer.from(reopened.publicBytes).equals(Buffer.from(key.publicBytes))) {
        await tpm.closeTr({ object: reopened.tr }).catch(() => undefined);
        throw new TpmError("tpm.key-mismatch", `TPM key ${name} (0x${key.handle.toString(16)}) changed while the connection was down`);
      }
      if (name === "device" && this.deviceAuth) await tpm.setAuth({ handle: reopened.tr, authValue: encodeTpm2b(this.deviceAuth) });
      this.keys.set(name, { ...key, tr: reopened.tr });
    }
  }

  getRandom(count: number): Promise<Uint8Array> {
    return this.queue.run("GetRandom", (tpm) => getRandom(tpm, count));
  }

  info(): Promise<TpmInfo> {
    return this.queue.run("GetCapability", (tpm) => tpmInfo(tpm));
  }

  /** SHA-256 PCR values (default 0..23, EVE's pcr_values). */
  readPcrs(pcrs: number[] = ALL_PCRS): Promise<Map<number, Uint8Array>> {
    return this.queue.run("PCR_Read", (tpm) => readPcrs(tpm, pcrs));
  }

  /**
   * Creates missing EVE keys and reuses matching ones (no CreatePrimary or
   * Create on a warm boot). New device and ECDH keys are TPM2_Create'd under
   * the SRK; whether a reused one is derivable comes from its qualified name,
   * read by the same ReadPublic that finds it.
   */
  ensureKeys(opts: EnsureKeysOptions): Promise<EnsureKeysResult> {
    this.deviceAuth = deviceKeyAuth(opts.credential);
    return this.queue.run("ensureKeys", async (tpm) => {
      const res: EnsureKeysResult = { created: [], reused: [], replaced: [], derivable: [] };
      for (const name of KEY_ORDER) {
        this.keys.delete(name);
        const out = await ensureKey(tpm, name, {
          ...(name === "device" ? { auth: this.deviceAuth } : {}),
          ...(name === "device" || name === "ecdh" ? { srk: this.key("srk") } : {}),
          recreate: opts.recreate ?? false,
          onCreatePrimary: () => this.createPrimaryCalls++,
          onCreate: () => this.createCalls++,
          log: this.log,
        });
        if (name === "device") await tpm.setAuth({ handle: out.key.tr, authValue: encodeTpm2b(this.deviceAuth!) });
        this.keys.set(name, out.key);
        (out.created ? res.created : res.reused).push(name);
        if (out.replaced) res.replaced.push(name);
        if ((name === "device" || name === "ecdh") && out.key.origin === "derivable") res.derivable.push(name);
      }
      this.log.info("TPM keys ready", { created: res.created.join(","), reused: res.reused.join(",") });
      if (res.derivable.length > 0) {
        this.log.warn("TPM keys are primaries made from EVE's public template: any process with TPM access can re-create them", {
          keys: res.derivable.join(","),
        });
      }
      return res;
    });
  }

  /** How the device or ECDH key was made (after ensureKeys). */
  keyOrigin(name: KeyName): KeyOrigin {
    return this.key(name).origin;
  }

  /**
   * Origin of each persisted key without ensureKeys: nothing is created,
   * loaded or authorised, so `edge-agent check` can ask while no agent runs.
   * Keys ensureKeys holds are answered from it: ESAPI hands out the same
   * ESYS_TR for a handle it already knows, and closing that would break them.
   */
  inspectKeys(names: KeyName[]): Promise<Map<KeyName, KeyOrigin | "missing">> {
    return this.queue.run("ReadPublic", async (tpm) => {
      const out = new Map<KeyName, KeyOrigin | "missing">();
      for (const n of names) out.set(n, this.keys.get(n)?.origin ?? (await inspectKey(tpm, n)));
      return out;
    });
  }

  private key(name: KeyName): PersistentKey {
    const k = this.keys.get(name);
    if (!k) throw new TpmError("tpm.key-missing", `TPM key ${name} (0x${HANDLES[name].toString(16)}) not loaded; call ensureKeys first`);
    return k;
  }

  publicKey(name: KeyName): PublicKeyParts {
    return publicKeyParts(this.key(name).public);
  }

  /** TPM2B_PUBLIC of EVE's EK, as sent in the ZCert TPM2_PUBLIC meta data. */
  ekPublic(): Uint8Array {
    return this.key("ek").publicBytes;
  }

  /** The device key (0x817FFFFF) as the agent-wide signer interface. */
  deviceSigner(): P256Signer {
    const parts = publicKeyParts(this.key("device").public);
    if (parts.kind !== "ec") throw new TpmError("tpm.key-mismatch", "device key is not an EC key");
    // The handle is looked up when the operation runs: a reconnect replaces it.
    return {
      publicKey: parts.point,
      sign: (digest) => this.queue.run("Sign", (tpm) => signEcdsaP256(tpm, this.key("device").tr, digest)),
    };
  }

  /** EVE quote: key 0x81000004, SHA-256 PCRs 0..15, nonce of 12..32 bytes as qualifyingData. */
  async quote(nonce: Uint8Array): Promise<Quote> {
    if (nonce.length < 12 || nonce.length > 32) throw new TpmError("tpm.input", `quote nonce must be 12..32 bytes, got ${nonce.length}`);
    this.key("quote");
    const q = await this.queue.run("Quote", (tpm) => quote(tpm, this.key("quote").tr, nonce, QUOTE_PCRS));
    return { attestData: q.attest, signature: q.signatureDer };
  }

  /** ECDH_ZGen with the ECDH key 0x81000005; returns X||Y (32 + 32 bytes). */
  ecdhZGen(point: Uint8Array): Promise<Uint8Array> {
    this.key("ecdh");
    return this.queue.run("ECDH_ZGen", (tpm) => ecdhZGen(tpm, this.key("ecdh").tr, point));
  }

  private async chunk(tpm: TpmPort): Promise<number> {
    this.nvChunk ??= await nvBufferMax(tpm);
    return this.nvChunk;
  }

  nvRead(index: number): Promise<Uint8Array | undefined> {
    return this.queue.run("NV_Read", async (tpm) => nvRead(tpm, index, await this.chunk(tpm)));
  }

  nvWrite(index: number, data: Uint8Array): Promise<void> {
    if (data.length === 0) throw new TpmError("tpm.input", "refusing to define an empty NV index");
    return this.queue.run("NV_Write", async (tpm) => nvWrite(tpm, index, data, await this.chunk(tpm)));
  }

  nvUndefine(index: number): Promise<boolean> {
    return this.queue.run("NV_UndefineSpace", (tpm) => nvUndefine(tpm, index));
  }

  private async saltKey(tpm: TpmPort): Promise<number | undefined> {
    if (this.parameterEncryption === "off") return undefined;
    this.saltSupported ??= await aesCfbSupported(tpm);
    return this.saltSupported ? this.key("ek").tr : undefined;
  }

  /**
   * Seals the vault key under the SRK to PolicyPCR(SHA-256 `pcrs`) and stores
   * the blobs in NV 0x1800000 (private) / 0x1900000 (public) like EVE. The
   * result carries the seal-time PCR values for the caller to persist.
   */
  sealVaultKey(secret: Uint8Array, pcrs: number[] = DEFAULT_SEAL_PCRS): Promise<SealedSecret> {
    this.key("srk");
    return this.queue.run("seal", async (tpm) => {
      const sealed = await seal(tpm, { srk: this.key("srk").tr, saltKey: await this.saltKey(tpm), secret, pcrs, requireMeasuredBoot: this.requireMeasuredBoot });
      const chunk = await this.chunk(tpm);
      await nvWrite(tpm, NV_INDEX.sealedPrivate, sealed.private, chunk);
      await nvWrite(tpm, NV_INDEX.sealedPublic, sealed.public, chunk);
      return sealed;
    });
  }

  /**
   * Unseals the vault key stored in NV. `sealedWith` are the seal-time PCRs
   * (from sealVaultKey) so a PcrMismatchError can name the PCRs that moved.
   */
  unsealVaultKey(sealedWith: { pcrs: number[]; pcrValues: Map<number, Uint8Array> } = { pcrs: DEFAULT_SEAL_PCRS, pcrValues: new Map() }): Promise<Uint8Array> {
    this.key("srk");
    return this.queue.run("unseal", async (tpm) => {
      const chunk = await this.chunk(tpm);
      const priv = await nvRead(tpm, NV_INDEX.sealedPrivate, chunk);
      const pub = await nvRead(tpm, NV_INDEX.sealedPublic, chunk);
      if (!priv || !pub) throw new TpmError("tpm.key-missing", "no sealed vault key in NV 0x1800000/0x1900000");
      return unseal(tpm, { srk: this.key("srk").tr, saltKey: await this.saltKey(tpm), sealed: { private: priv, public: pub, ...sealedWith } });
    });
  }

  /**
   * EVE's "TPM cleared" condition: the device cert exists but the device
   * key's persistent handle is gone. Forgets cached keys when so.
   */
  isCleared(layout: DeviceLayout): Promise<boolean> {
    return this.queue.run("isCleared", async (tpm) => {
      if (!existsSync(layout.config.deviceCert)) return false;
      const persistent = new Set(await listHandles(tpm, HR.PERSISTENT));
      const cleared = !persistent.has(HANDLES.device);
      if (cleared) {
        this.keys.clear();
        this.log.error("TPM cleared: device certificate exists but the device key is gone");
      }
      return cleared;
    });
  }

  /** Flushes transient objects and sessions left by an earlier process; returns their handles. */
  flushStale(): Promise<number[]> {
    return this.queue.run("flushStale", (tpm) => flushStale(tpm));
  }

  /** Transient objects and loaded sessions currently in the TPM (hygiene checks). */
  residue(): Promise<{ transient: number[]; sessions: number[] }> {
    return this.queue.run("GetCapability", async (tpm) => ({
      transient: await listHandles(tpm, HR.TRANSIENT),
      sessions: await listHandles(tpm, HR.LOADED_SESSION),
    }));
  }

  /** Whether a persistent EVE key sits at its handle right now. */
  hasKey(name: KeyName): Promise<boolean> {
    return this.queue.run("ReadPublic", async (tpm) => {
      const held = this.keys.get(name);
      if (held) {
        // Reopening would hand back held.tr, and closing it would break the key ensureKeys holds.
        try {
          await tpm.readPublic({ objectHandle: held.tr });
          return true;
        } catch (e) {
          if (hasRc(e, RC.HANDLE)) return false;
          throw e;
        }
      }
      const o = await openPersistent(tpm, HANDLES[name]);
      if (o) await tpm.closeTr({ object: o.tr });
      return o !== undefined;
    });
  }

  /**
   * A new ECDSA P-256 signing key for the keys service: TPM2_Create under
   * the SRK with the device key's attributes (fixedTPM, fixedParent,
   * sensitiveDataOrigin), so its private part came from the TPM's RNG and
   * can never be duplicated out of it. Only the blobs leave the TPM; nothing
   * stays loaded.
   */
  createKeyBlob(): Promise<KeyBlob> {
    this.key("srk");
    return this.queue.run("Create", async (tpm) => {
      const { outPrivate, outPublic } = await tpm.create({
        parentHandle: this.key("srk").tr,
        inSensitive: encodeSensitiveCreate(new Uint8Array(0)),
        inPublic: encodePublic(DEVICE_KEY_CHILD_TEMPLATE),
        outsideInfo: encodeTpm2b(new Uint8Array(0)),
        creationPCR: encodePcrSelection([{ hash: ALG.SHA256, pcrs: [] }]),
      });
      return { public: outPublic, private: outPrivate };
    });
  }

  /** The public key of a blob from createKeyBlob, read without the TPM. */
  keyBlobPublic(blob: KeyBlob): PublicKeyParts {
    return publicKeyParts(decodePublic(blob.public));
  }

  /**
   * ECDSA-SHA256 with a key from createKeyBlob: TPM2_Load under the SRK,
   * TPM2_Sign, FlushContext, as one queued operation so the transient
   * object never outlives the call. Returns raw r||s.
   */
  signWithKeyBlob(blob: KeyBlob, digest: Uint8Array): Promise<Uint8Array> {
    if (digest.length !== 32) throw new TpmError("tpm.input", `digest must be 32 bytes, got ${digest.length}`);
    this.key("srk");
    return this.queue.run("Sign", async (tpm) => {
      const { objectHandle } = await tpm.load({ parentHandle: this.key("srk").tr, inPrivate: blob.private, inPublic: blob.public });
      try {
        return await signEcdsaP256(tpm, objectHandle, digest);
      } finally {
        await tpm.flushContext({ flushHandle: objectHandle });
      }
    });
  }
}
