import { existsSync } from "node:fs";
import { type Logger, type P256Signer, sha256, silentLogger } from "../shared/index.ts";
import type { DeviceLayout } from "../state/index.ts";
import { aesCfbSupported, listHandles, nvBufferMax, type TpmInfo, tpmInfo } from "./commands/capability.ts";
import { ecdhZGen } from "./commands/ecdh.ts";
import { flushStale } from "./commands/hygiene.ts";
import { type Attestation, activateCredential, certifySelf, EK_CERT_NV, type EkAlg, type PcrQuote, quoteWithValues, withTcgEk } from "./commands/keylime.ts";
import { nvRead, nvUndefine, nvWrite } from "./commands/nv.ts";
import { openPersistent } from "./commands/objects.ts";
import { readPcrs } from "./commands/pcr.ts";
import { quote } from "./commands/quote.ts";
import { getRandom } from "./commands/random.ts";
import { type SealedSecret, seal, unseal } from "./commands/seal.ts";
import { signEcdsaP256 } from "./commands/sign.ts";
import { hasRc, TpmError } from "./errors.ts";
import { ensureKey, inspectKey, type KeyOrigin, type PersistentKey } from "./keys.ts";
import type { TpmPort } from "./port.ts";
import { ESYS_TR } from "./port.ts";
import { type PublicKeyParts, publicKeyParts } from "./public-key.ts";
import { type QueueOptions, TpmQueue } from "./queue.ts";
import { ALL_PCRS, DEFAULT_SEAL_PCRS, deviceKeyAuth, HANDLES, KEY_ORDER, type KeyName, NV_INDEX, QUOTE_PCRS } from "./slots.ts";
import { encodeSensitiveCreate, encodeTpm2b } from "./structures/basic.ts";
import { ALG, HR, RC } from "./structures/constants.ts";
import { encodePcrSelection } from "./structures/pcr-selection.ts";
import { decodePublic, encodePublic } from "./structures/public.ts";
import { DEVICE_KEY_CHILD_TEMPLATE } from "./structures/templates.ts";

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

/** The TCG EK as Keylime needs it (see commands/keylime.ts for why it is not EVE's 0x81000001). */
export interface TcgEkInfo {
  alg: EkAlg;
  /** TPM2B_PUBLIC (Keylime's ek_tpm). */
  publicBytes: Uint8Array;
  /** DER of the EK certificate in NV, undefined when the TPM has none. */
  certificate?: Uint8Array;
  /** "0x81010001" when found persistent, "transient" when created for the call. */
  source: string;
}

/** Keys that may sign for Keylime: EVE's restricted signing keys. */
export type AttestationKeyName = "aik" | "quote";

/** PCRs Keylime may reset and extend: 16 (its key binding) and 23 (application); 0..15 hold EVE's boot and sealing state. */
export const KEYLIME_RESETTABLE_PCRS = [16, 23] as const;

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

  /** TPM2B_PUBLIC of one of EVE's keys (Keylime's aik_tpm for the AK). */
  keyPublicBytes(name: KeyName): Uint8Array {
    return this.key(name).publicBytes;
  }

  /** TPM Name of one of EVE's keys: nameAlg || H(TPMT_PUBLIC) (what MakeCredential binds to; push mode's local_identifier). */
  keyName(name: KeyName): Uint8Array {
    const pub = this.key(name).publicBytes.subarray(2);
    const out = new Uint8Array(2 + 32);
    out[0] = ALG.SHA256 >> 8;
    out[1] = ALG.SHA256 & 0xff;
    out.set(sha256(pub), 2);
    return out;
  }

  /**
   * The TCG EK's public area and its certificate from NV (0x01c00002 RSA,
   * 0x01c0000a ECC). Creates it transiently when it is not persistent.
   */
  tcgEk(alg: EkAlg): Promise<TcgEkInfo> {
    return this.queue.run("tcgEk", async (tpm) => {
      const pub = await withTcgEk(tpm, alg, async (ek) => ({ publicBytes: ek.publicBytes, source: ek.handle ? `0x${ek.handle.toString(16)}` : "transient" }));
      const nv = await nvRead(tpm, EK_CERT_NV[alg], await this.chunk(tpm));
      const certificate = nv ? trimDer(nv) : undefined;
      return { alg, ...pub, ...(certificate ? { certificate } : {}) };
    });
  }

  /**
   * ActivateCredential for a credential Keylime's registrar made with the
   * TCG EK for `ak`'s name; returns the secret. TPM2B_ID_OBJECT and
   * TPM2B_ENCRYPTED_SECRET as wire bytes.
   */
  async activateCredential(ek: EkAlg, ak: AttestationKeyName, credentialBlob: Uint8Array, encSecret: Uint8Array): Promise<Uint8Array> {
    this.key(ak);
    return this.queue.run("ActivateCredential", (tpm) => withTcgEk(tpm, ek, (e) => activateCredential(tpm, e.tr, this.key(ak).tr, credentialBlob, encSecret)));
  }

  /** TPM2_Certify of the AK by itself over `qualifyingData` (Keylime push mode's proof of possession). */
  async certifyAk(ak: AttestationKeyName, qualifyingData: Uint8Array): Promise<Attestation> {
    if (qualifyingData.length > 64) throw new TpmError("tpm.input", `qualifying data of ${qualifyingData.length} bytes (at most 64)`);
    this.key(ak);
    return this.queue.run("Certify", (tpm) => certifySelf(tpm, this.key(ak).tr, qualifyingData));
  }

  /**
   * A quote for Keylime: SHA-256 `pcrs` with `ak` over `nonce` (raw
   * qualifying data), with the PCR values read in the same job; retried
   * while PCRs move between the read and the quote.
   */
  async keylimeQuote(ak: AttestationKeyName, nonce: Uint8Array, pcrs: number[]): Promise<PcrQuote> {
    if (nonce.length > 64) throw new TpmError("tpm.input", `quote nonce of ${nonce.length} bytes (at most 64)`);
    if (pcrs.length === 0 || pcrs.some((p) => !Number.isInteger(p) || p < 0 || p > 23))
      throw new TpmError("tpm.input", `PCRs ${pcrs.join(",")}: need at least one of 0..23`);
    this.key(ak);
    return this.queue.run("Quote", (tpm) => quoteWithValues(tpm, this.key(ak).tr, nonce, pcrs));
  }

  /** TPM2_PCR_Reset of PCR 16 or 23. */
  async pcrReset(pcr: number): Promise<void> {
    resettable(pcr);
    return this.queue.run("PCR_Reset", (tpm) => tpm.pcrReset({ pcrHandle: ESYS_TR.PCR0 + pcr }));
  }

  /** TPM2_PCR_Extend of PCR 16 or 23 with one SHA-256 digest. */
  async pcrExtend(pcr: number, digest: Uint8Array): Promise<void> {
    resettable(pcr);
    return this.queue.run("PCR_Extend", (tpm) => tpm.pcrExtend({ pcrHandle: ESYS_TR.PCR0 + pcr, digests: sha256DigestValues(digest) }));
  }

  /**
   * Reset then extend in one queue job, so no quote can run in between and
   * see PCR 16 half-bound (Keylime's key binding: extend with H(pubkey PEM)).
   */
  async resetAndExtend(pcr: number, digest: Uint8Array): Promise<void> {
    resettable(pcr);
    return this.queue.run("PCR_Reset+Extend", async (tpm) => {
      await tpm.pcrReset({ pcrHandle: ESYS_TR.PCR0 + pcr });
      await tpm.pcrExtend({ pcrHandle: ESYS_TR.PCR0 + pcr, digests: sha256DigestValues(digest) });
    });
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
      const sealed = await seal(tpm, {
        srk: this.key("srk").tr,
        saltKey: await this.saltKey(tpm),
        secret,
        pcrs,
        requireMeasuredBoot: this.requireMeasuredBoot,
      });
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

function resettable(pcr: number): void {
  if (!(KEYLIME_RESETTABLE_PCRS as readonly number[]).includes(pcr))
    throw new TpmError("tpm.input", `PCR ${pcr} is not one the agent may reset or extend (${KEYLIME_RESETTABLE_PCRS.join(", ")})`);
}

/** TPML_DIGEST_VALUES with one SHA-256 digest. */
function sha256DigestValues(digest: Uint8Array): Uint8Array {
  if (digest.length !== 32) throw new TpmError("tpm.input", `SHA-256 digest of ${digest.length} bytes`);
  const b = new Uint8Array(4 + 2 + 32);
  new DataView(b.buffer).setUint32(0, 1);
  new DataView(b.buffer).setUint16(4, ALG.SHA256);
  b.set(digest, 6);
  return b;
}

/**
 * An EK certificate NV index may be larger than the certificate (some
 * manufacturers pad it): keep the outer DER SEQUENCE only.
 */
function trimDer(b: Uint8Array): Uint8Array {
  if (b.length < 2 || b[0] !== 0x30) return b;
  const first = b[1]!;
  if (first < 0x80) return b.subarray(0, Math.min(b.length, 2 + first));
  const n = first & 0x7f;
  if (n === 0 || n > 4 || b.length < 2 + n) return b;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i]!;
  return b.subarray(0, Math.min(b.length, 2 + n + len));
}
