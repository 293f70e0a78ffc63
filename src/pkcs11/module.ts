import { timingSafeEqual as nodeTimingSafeEqual, X509Certificate } from "node:crypto";
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Logger, silentLogger } from "../shared/index.ts";
import { CKA, CKG, CKK, CKM, CKO, CKR, CKU } from "./constants.ts";
import { hasCkr, Pkcs11Error } from "./errors.ts";
import { CK_RSA_PKCS_PSS_PARAMS } from "./layout.ts";
import type { Attr, Mechanism, ModuleInfo, SlotInfo, TokenInfo } from "./native.ts";
import { type CryptokiPort, inThreadPort, workerPort } from "./port.ts";
import { curveOf, ecPoint, P256_PARAMS, type Pkcs11PublicKey, rsaBits, spkiOf } from "./public-key.ts";
import { SerialQueue } from "./queue.ts";
import { formatPkcs11Uri, type Pkcs11ObjectType, type Pkcs11Uri, parsePkcs11Uri } from "./uri.ts";

export type { Attr, Mechanism, ModuleInfo, SlotInfo, TokenInfo };

export interface Pkcs11Options {
  /** The module to dlopen (`pkcs11_lib_path`), e.g. /usr/lib/softhsm/libsofthsm2.so. */
  libPath: string;
  log?: Logger;
  /**
   * Where the module's calls run: "worker" (default) keeps the event loop
   * free while a token generates keys or a slow token signs; "inline" runs
   * them in this thread (one-shot commands, tests). One process should use
   * one mode per module: each thread would C_Initialize it.
   */
  thread?: "worker" | "inline";
}

/** Which token to open: by index among the slots holding a token (`pkcs11_base_slot = 0`), or by URI. */
export type TokenSelector = { slotIndex: number } | { uri: string | Pkcs11Uri };

export interface OpenTokenOptions {
  /** Overrides the URI's pin-value / pin-source. */
  pin?: string | Uint8Array;
}

export type KeyAlgorithm = "ec-p256" | "rsa-2048" | "rsa-3072" | "rsa-4096";

export interface ObjectInfo {
  handle: number;
  class: Pkcs11ObjectType | "other";
  label: string | undefined;
  id: Uint8Array | undefined;
}

const CLASS_OF: Record<Pkcs11ObjectType, number> = {
  public: CKO.PUBLIC_KEY,
  private: CKO.PRIVATE_KEY,
  cert: CKO.CERTIFICATE,
  "secret-key": CKO.SECRET_KEY,
  data: CKO.DATA,
};
const TYPE_OF = new Map<number, Pkcs11ObjectType>(Object.entries(CLASS_OF).map(([k, v]) => [v, k as Pkcs11ObjectType]));

/** `pkcs11_base_slot` as configured: a slot index (number or digits) or a pkcs11: URI naming the token. */
export function parseSlotSelector(v: number | string): TokenSelector {
  if (typeof v === "number" || /^[0-9]+$/.test(v)) {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) throw new Pkcs11Error("pkcs11.uri", "slot index must be a non-negative integer");
    return { slotIndex: n };
  }
  return { uri: parsePkcs11Uri(v) };
}

function toUri(u: string | Pkcs11Uri): Pkcs11Uri {
  return typeof u === "string" ? parsePkcs11Uri(u) : u;
}

/** The PIN a URI carries (pin-value, or the file pin-source names), as bytes; undefined when it has none. */
export function pinOf(uri: Pkcs11Uri): Uint8Array | undefined {
  if (uri.pinValue !== undefined) return new TextEncoder().encode(uri.pinValue);
  if (uri.pinSource === undefined) return undefined;
  let path = uri.pinSource;
  try {
    if (path.startsWith("file:")) path = path.startsWith("file://") ? fileURLToPath(path) : decodeURIComponent(path.slice("file:".length));
  } catch (e) {
    throw new Pkcs11Error("pkcs11.pin-source", "pin-source is not a file URI or path", { cause: e });
  }
  if (!path.startsWith("/")) throw new Pkcs11Error("pkcs11.pin-source", "pin-source must be an absolute path or a file: URI");
  let text: Buffer;
  try {
    text = readFileSync(path);
  } catch (e) {
    throw new Pkcs11Error("pkcs11.pin-source", `cannot read pin-source ${path}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
  }
  // One trailing line break is how files end, not part of the PIN.
  let end = text.length;
  if (end > 0 && text[end - 1] === 0x0a) end--;
  if (end > 0 && text[end - 1] === 0x0d) end--;
  const pin = new Uint8Array(text.subarray(0, end));
  text.fill(0);
  return pin;
}

function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && nodeTimingSafeEqual(a, b);
}

/**
 * Who logged each token in, per module and slot, across every client in
 * this process. PKCS#11 keeps one login per token and application: once
 * one session logged in, C_Login on another answers
 * CKR_USER_ALREADY_LOGGED_IN without looking at the PIN, so a later caller's
 * PIN is compared with the one that did log in. `holders` counts the open
 * Pkcs11Tokens relying on that login; the login ends with the last one.
 */
const logins = new Map<string, { pin: Uint8Array; holders: number }>();
const loginKey = (path: string, slotId: number) => `${path}#${slotId}`;

/** Session lost under us (token re-inserted, module state reset): reopen and log in again, once. */
const SESSION_LOST: number[] = [CKR.SESSION_HANDLE_INVALID, CKR.SESSION_CLOSED, CKR.USER_NOT_LOGGED_IN];

/**
 * A loaded PKCS#11 module. Tokens are opened once each (one session per
 * token, logged in as the user) and shared by every key on them; close()
 * logs out, closes every session and finalises the module.
 */
export class Pkcs11 {
  private readonly tokens = new Map<number, Pkcs11Token>();
  private closed = false;

  private constructor(
    private readonly port: CryptokiPort,
    readonly info: ModuleInfo,
    private readonly log: Logger,
  ) {}

  get path(): string {
    return this.port.path;
  }

  static async open(opts: Pkcs11Options): Promise<Pkcs11> {
    const log = (opts.log ?? silentLogger).child("pkcs11");
    let path = opts.libPath;
    try {
      path = realpathSync(path);
    } catch (e) {
      throw new Pkcs11Error("pkcs11.module", `cannot load PKCS#11 module ${opts.libPath}: ${(e as NodeJS.ErrnoException).code ?? "not found"}`, { cause: e });
    }
    const port = await (opts.thread === "inline" ? inThreadPort(path) : workerPort(path));
    try {
      const info = await port.info();
      log.info("pkcs11 module loaded", {
        module: path,
        library: info.description,
        manufacturer: info.manufacturer,
        cryptoki: `${info.cryptokiVersion.major}.${info.cryptokiVersion.minor}`,
      });
      return new Pkcs11(port, info, log);
    } catch (e) {
      await port.release();
      throw e;
    }
  }

  private live(): void {
    if (this.closed) throw new Pkcs11Error("pkcs11.closed", `PKCS#11 module ${this.path} was closed`);
  }

  /** Every slot, with its token's description when one is present. */
  async slots(): Promise<Array<SlotInfo & { token: TokenInfo | undefined }>> {
    this.live();
    const out: Array<SlotInfo & { token: TokenInfo | undefined }> = [];
    for (const id of await this.port.slotList(false)) {
      const s = await this.port.slotInfo(id);
      out.push({ ...s, token: s.tokenPresent ? await this.port.tokenInfo(id) : undefined });
    }
    return out;
  }

  /** Slots whose initialised token matches `sel`, in the module's slot order. */
  async matchingSlots(sel: TokenSelector): Promise<number[]> {
    this.live();
    const present = await this.port.slotList(true);
    if ("slotIndex" in sel) {
      const id = present[sel.slotIndex];
      if (id === undefined) throw new Pkcs11Error("pkcs11.not-found", `no token in slot index ${sel.slotIndex} (${present.length} slots hold a token)`);
      return [id];
    }
    const uri = toUri(sel.uri);
    if (Object.keys(uri.vendor).length > 0)
      throw new Pkcs11Error("pkcs11.uri", `pkcs11 URI has attributes this client cannot honour: ${Object.keys(uri.vendor).join(", ")}`);
    const lib = this.info;
    if (uri.modulePath !== undefined && resolvedPath(uri.modulePath) !== this.path) return [];
    if (
      (uri.libraryDescription !== undefined && uri.libraryDescription !== lib.description) ||
      (uri.libraryManufacturer !== undefined && uri.libraryManufacturer !== lib.manufacturer) ||
      (uri.libraryVersion !== undefined && (uri.libraryVersion.major !== lib.libraryVersion.major || uri.libraryVersion.minor !== lib.libraryVersion.minor))
    )
      return [];
    const out: number[] = [];
    for (const id of present) {
      if (uri.slotId !== undefined && uri.slotId !== id) continue;
      if (uri.slotDescription !== undefined || uri.slotManufacturer !== undefined) {
        const s = await this.port.slotInfo(id);
        if (uri.slotDescription !== undefined && uri.slotDescription !== s.description) continue;
        if (uri.slotManufacturer !== undefined && uri.slotManufacturer !== s.manufacturer) continue;
      }
      const t = await this.port.tokenInfo(id);
      if (!t.initialized) continue;
      if (uri.token !== undefined && uri.token !== t.label) continue;
      if (uri.manufacturer !== undefined && uri.manufacturer !== t.manufacturer) continue;
      if (uri.serial !== undefined && uri.serial !== t.serial) continue;
      if (uri.model !== undefined && uri.model !== t.model) continue;
      out.push(id);
    }
    return out;
  }

  /**
   * The token `sel` names, with a session logged in as the user (PIN from
   * `opts.pin`, else the URI). A token already open here is returned as is:
   * PKCS#11 keeps one login state per token and application.
   */
  async openToken(sel: TokenSelector, opts: OpenTokenOptions = {}): Promise<Pkcs11Token> {
    const slots = await this.matchingSlots(sel);
    const first = slots[0];
    if (first === undefined) throw new Pkcs11Error("pkcs11.not-found", `no initialised token matches ${describe(sel)}`);
    const pin =
      opts.pin !== undefined
        ? typeof opts.pin === "string"
          ? new TextEncoder().encode(opts.pin)
          : new Uint8Array(opts.pin)
        : "uri" in sel
          ? pinOf(toUri(sel.uri))
          : undefined;
    try {
      return await this.tokenAt(first, pin);
    } finally {
      pin?.fill(0);
    }
  }

  private async tokenAt(slotId: number, pin: Uint8Array | undefined): Promise<Pkcs11Token> {
    this.live();
    const have = this.tokens.get(slotId);
    if (have) {
      have.admit(pin);
      return have;
    }
    // The token keeps its own copy (to log in again after a lost session); the caller wipes theirs.
    const t = await Pkcs11Token.open(this.port, slotId, pin && new Uint8Array(pin), this.log);
    // Two callers may have raced to open it; keep the first.
    const again = this.tokens.get(slotId);
    if (again) {
      await t.close(false);
      again.admit(pin);
      return again;
    }
    this.tokens.set(slotId, t);
    return t;
  }

  /**
   * The private key a `pkcs11:` URI names (`object` and/or `id`, type
   * private or absent), with its public half, searching each matching token
   * in slot order.
   */
  async findKey(uriText: string | Pkcs11Uri, opts: OpenTokenOptions = {}): Promise<Pkcs11Key> {
    const uri = toUri(uriText);
    if (uri.object === undefined && uri.id === undefined) throw new Pkcs11Error("pkcs11.uri", "a key URI needs an object or id attribute");
    if (uri.type !== undefined && uri.type !== "private") throw new Pkcs11Error("pkcs11.uri", `a key URI names a private key, not type=${uri.type}`);
    const slots = await this.matchingSlots({ uri });
    if (slots.length === 0) throw new Pkcs11Error("pkcs11.not-found", `no initialised token matches ${formatPkcs11Uri(uri)}`);
    const pin = opts.pin !== undefined ? (typeof opts.pin === "string" ? new TextEncoder().encode(opts.pin) : new Uint8Array(opts.pin)) : pinOf(uri);
    try {
      for (const slot of slots) {
        const token = await this.tokenAt(slot, pin);
        const key = await token.findKey({ label: uri.object, id: uri.id }).catch((e: unknown) => {
          if (e instanceof Pkcs11Error && e.kind === "pkcs11.not-found") return undefined;
          throw e;
        });
        if (key) return key;
      }
    } finally {
      pin?.fill(0);
    }
    throw new Pkcs11Error("pkcs11.not-found", `no private key matches ${formatPkcs11Uri(uri)}`);
  }

  /** Logs out, closes every session of this client (all of the slot's when it is the module's only user) and finalises the module. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const last = this.port.users() === 1;
    for (const t of this.tokens.values()) await t.close(last);
    this.tokens.clear();
    await this.port.release();
    this.log.info("pkcs11 module closed", { module: this.path });
  }
}

function resolvedPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function describe(sel: TokenSelector): string {
  return "slotIndex" in sel ? `slot index ${sel.slotIndex}` : formatPkcs11Uri(toUri(sel.uri));
}

const utf8 = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
const ulong = (b: Uint8Array | undefined) =>
  b === undefined || b.length !== 8 ? undefined : Number(new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true));

/** The PIN each open token logged in with, to log in again after a lost session. */
const PINS = new WeakMap<Pkcs11Token, Uint8Array>();

/** One token, one session on it; every call goes through the session's queue. */
export class Pkcs11Token {
  private readonly queue = new SerialQueue();
  private closed = false;

  private constructor(
    private readonly port: CryptokiPort,
    readonly slotId: number,
    readonly info: TokenInfo,
    private session: number,
    private readonly rw: boolean,
    pin: Uint8Array | undefined,
    private readonly log: Logger,
  ) {
    if (pin) PINS.set(this, pin);
  }

  /** Kept outside the object so no dump or inspection of a token shows it. */
  private get pin(): Uint8Array | undefined {
    return PINS.get(this);
  }

  static async open(port: CryptokiPort, slotId: number, pin: Uint8Array | undefined, log: Logger): Promise<Pkcs11Token> {
    const info = await port.tokenInfo(slotId);
    if (!info.initialized) throw new Pkcs11Error("pkcs11.token", `the token in slot ${slotId} is not initialised`);
    if (info.loginRequired && pin === undefined)
      throw new Pkcs11Error("pkcs11.pin-required", `token "${info.label}" needs a PIN (pin-value or pin-source in its URI)`);
    const { session, rw } = await Pkcs11Token.session(port, slotId, info, pin);
    log.info("pkcs11 token opened", { slot: slotId, label: info.label, serial: info.serial, readWrite: rw });
    const t = new Pkcs11Token(port, slotId, info, session, rw, pin, log);
    t.hold();
    return t;
  }

  private static async session(port: CryptokiPort, slotId: number, info: TokenInfo, pin: Uint8Array | undefined): Promise<{ session: number; rw: boolean }> {
    const rw = !info.writeProtected;
    const session = await port.openSession(slotId, rw);
    try {
      if (pin !== undefined && info.loginRequired) {
        const fresh = await port.login(session, CKU.USER, pin);
        const known = logins.get(loginKey(port.path, slotId));
        if (!fresh && (!known || !timingSafeEqual(known.pin, pin))) throw new Pkcs11Error("pkcs11.pin", `token "${info.label}" is logged in with another PIN`);
      }
    } catch (e) {
      await port.closeSession(session).catch(() => undefined);
      throw e;
    }
    return { session, rw };
  }

  /** Counts this token as a holder of its token's login. */
  private hold(): void {
    if (!this.info.loginRequired || this.pin === undefined) return;
    const k = loginKey(this.port.path, this.slotId);
    const known = logins.get(k);
    if (known) known.holders++;
    else logins.set(k, { pin: new Uint8Array(this.pin), holders: 1 });
  }

  /** True when this was the login's last holder: only then may it log the token out. */
  private unhold(): boolean {
    if (!this.info.loginRequired || this.pin === undefined) return false;
    const k = loginKey(this.port.path, this.slotId);
    const known = logins.get(k);
    if (!known || --known.holders > 0) return false;
    known.pin.fill(0);
    logins.delete(k);
    return true;
  }

  get readWrite(): boolean {
    return this.rw;
  }

  /**
   * A second caller asking for this open token must know the PIN it was
   * opened with: the token will not check it again (the login is shared by
   * every session of the process), so this does.
   */
  admit(pin: Uint8Array | undefined): void {
    if (!this.info.loginRequired) return;
    if (pin === undefined) throw new Pkcs11Error("pkcs11.pin-required", `token "${this.info.label}" needs a PIN (pin-value or pin-source in its URI)`);
    if (this.pin === undefined || !timingSafeEqual(pin, this.pin))
      throw new Pkcs11Error("pkcs11.pin", `token "${this.info.label}" is logged in with another PIN`);
  }

  /** Runs `op` on the session, alone; a lost session is reopened (and logged in) once. */
  run<T>(op: (port: CryptokiPort, session: number) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      if (this.closed) throw new Pkcs11Error("pkcs11.closed", `token "${this.info.label}" was closed`);
      try {
        return await op(this.port, this.session);
      } catch (e) {
        if (!(e instanceof Pkcs11Error) || e.rv === undefined || !SESSION_LOST.includes(e.rv)) throw e;
        this.log.warn("pkcs11 session lost, reopening", { slot: this.slotId, label: this.info.label, ckr: e.ckr });
        await this.port.closeSession(this.session).catch(() => undefined);
        this.session = (await Pkcs11Token.session(this.port, this.slotId, this.info, this.pin)).session;
        return await op(this.port, this.session);
      }
    });
  }

  /** Objects matching every given criterion. */
  findObjects(q: { type?: Pkcs11ObjectType; label?: string; id?: Uint8Array; keyType?: "ec" | "rsa" }): Promise<ObjectInfo[]> {
    const t: Attr[] = [];
    if (q.type !== undefined) t.push({ type: CKA.CLASS, value: CLASS_OF[q.type] });
    if (q.label !== undefined) t.push({ type: CKA.LABEL, value: q.label });
    if (q.id !== undefined) t.push({ type: CKA.ID, value: q.id });
    if (q.keyType !== undefined) t.push({ type: CKA.KEY_TYPE, value: q.keyType === "ec" ? CKK.EC : CKK.RSA });
    return this.run(async (port, s) => {
      const out: ObjectInfo[] = [];
      for (const handle of await port.findObjects(s, t)) {
        const { values } = await port.getAttributes(s, handle, [CKA.CLASS, CKA.LABEL, CKA.ID]);
        const cls = ulong(values.get(CKA.CLASS));
        out.push({ handle, class: (cls !== undefined && TYPE_OF.get(cls)) || "other", label: utf8(values.get(CKA.LABEL)), id: values.get(CKA.ID) });
      }
      return out;
    });
  }

  /**
   * Attribute values of an object; undefined for those the token will not
   * reveal. With `strict`, such a gap is an error carrying the token's CKR
   * (CKR_ATTRIBUTE_SENSITIVE for a sensitive key's CKA_VALUE).
   */
  readAttributes(handle: number, types: number[], opts: { strict?: boolean } = {}): Promise<Map<number, Uint8Array | undefined>> {
    return this.run(async (port, s) => {
      const { values, refused } = await port.getAttributes(s, handle, types);
      if (opts.strict && refused !== undefined) throw Pkcs11Error.fromRv("C_GetAttributeValue", refused);
      return values;
    });
  }

  /** One private key by label and/or id, with its public key. */
  async findKey(q: { label?: string; id?: Uint8Array }): Promise<Pkcs11Key> {
    if (q.label === undefined && q.id === undefined) throw new Pkcs11Error("pkcs11.uri", "a key is found by label or id");
    const privs = await this.findObjects({ type: "private", ...q });
    if (privs.length === 0) throw new Pkcs11Error("pkcs11.not-found", `no private key ${what(q)} on token "${this.info.label}"`);
    if (privs.length > 1) throw new Pkcs11Error("pkcs11.ambiguous", `${privs.length} private keys ${what(q)} on token "${this.info.label}"`);
    return this.keyFor(privs[0]!);
  }

  private async keyFor(priv: ObjectInfo): Promise<Pkcs11Key> {
    const attrs = await this.readAttributes(priv.handle, [CKA.KEY_TYPE, CKA.EC_PARAMS, CKA.MODULUS, CKA.PUBLIC_EXPONENT]);
    const keyType = ulong(attrs.get(CKA.KEY_TYPE));
    let publicKey: Pkcs11PublicKey;
    if (keyType === CKK.RSA) {
      const modulus = attrs.get(CKA.MODULUS);
      const exponent = attrs.get(CKA.PUBLIC_EXPONENT);
      if (modulus && exponent) publicKey = { algorithm: "rsa", bits: rsaBits(modulus), modulus, exponent };
      else publicKey = await this.publicHalf(priv, keyType);
    } else if (keyType === CKK.EC) publicKey = await this.publicHalf(priv, keyType, attrs.get(CKA.EC_PARAMS));
    else throw new Pkcs11Error("pkcs11.key", `private key ${what(priv)} has key type ${keyType ?? "unknown"}, not EC or RSA`);
    return new Pkcs11Key(this, priv.handle, priv.label, priv.id, publicKey);
  }

  /** The public key object paired with `priv` (same CKA_ID, else same label). */
  private async publicHalf(priv: ObjectInfo, keyType: number, params?: Uint8Array): Promise<Pkcs11PublicKey> {
    const keyTypeName = keyType === CKK.EC ? "ec" : "rsa";
    let pubs = priv.id && priv.id.length > 0 ? await this.findObjects({ type: "public", id: priv.id, keyType: keyTypeName }) : [];
    if (pubs.length === 0 && priv.label !== undefined) pubs = await this.findObjects({ type: "public", label: priv.label, keyType: keyTypeName });
    // Tokens provisioned with a key and its certificate often hold no public key object.
    if (pubs.length === 0) {
      const fromCert = await this.certificateKey(priv);
      if (fromCert) return fromCert;
    }
    if (pubs.length !== 1)
      throw new Pkcs11Error(pubs.length === 0 ? "pkcs11.not-found" : "pkcs11.ambiguous", `${pubs.length} public keys pair with private key ${what(priv)}`);
    const a = await this.readAttributes(pubs[0]!.handle, [CKA.EC_PARAMS, CKA.EC_POINT, CKA.MODULUS, CKA.PUBLIC_EXPONENT]);
    if (keyType === CKK.RSA) {
      const modulus = a.get(CKA.MODULUS);
      const exponent = a.get(CKA.PUBLIC_EXPONENT);
      if (!modulus || !exponent) throw new Pkcs11Error("pkcs11.not-found", `public key of ${what(priv)} has no modulus/exponent`);
      return { algorithm: "rsa", bits: rsaBits(modulus), modulus, exponent };
    }
    const ecParams = a.get(CKA.EC_PARAMS) ?? params;
    const point = a.get(CKA.EC_POINT);
    if (!ecParams || !point) throw new Pkcs11Error("pkcs11.not-found", `public key of ${what(priv)} has no EC parameters/point`);
    const { curve, size } = curveOf(ecParams);
    return { algorithm: "ec", curve, point: ecPoint(point, size) };
  }

  /** The public key in the certificate object paired with `priv` (same CKA_ID), if there is exactly one. */
  private async certificateKey(priv: ObjectInfo): Promise<Pkcs11PublicKey | undefined> {
    if (!priv.id || priv.id.length === 0) return undefined;
    const certs = await this.findObjects({ type: "cert", id: priv.id });
    if (certs.length !== 1) return undefined;
    const der = (await this.readAttributes(certs[0]!.handle, [CKA.VALUE])).get(CKA.VALUE);
    if (!der) return undefined;
    let jwk: { kty?: string; crv?: string; x?: string; y?: string; n?: string; e?: string };
    try {
      jwk = new X509Certificate(der).publicKey.export({ format: "jwk" });
    } catch (e) {
      throw new Pkcs11Error("pkcs11.operation", `the certificate paired with private key ${what(priv)} does not parse`, { cause: e });
    }
    const bytes = (v: string | undefined) => new Uint8Array(Buffer.from(v ?? "", "base64url"));
    if (jwk.kty === "RSA") {
      const modulus = bytes(jwk.n);
      return { algorithm: "rsa", bits: rsaBits(modulus), modulus, exponent: bytes(jwk.e) };
    }
    if (jwk.kty === "EC" && (jwk.crv === "P-256" || jwk.crv === "P-384" || jwk.crv === "P-521"))
      return { algorithm: "ec", curve: jwk.crv, point: Uint8Array.from([4, ...bytes(jwk.x), ...bytes(jwk.y)]) };
    throw new Pkcs11Error("pkcs11.mechanism", `the certificate paired with private key ${what(priv)} holds a ${jwk.kty} ${jwk.crv ?? ""} key`);
  }

  /**
   * A new key pair as token objects: the private half sensitive,
   * non-extractable, sign-only; the public half verify-only. The pair
   * shares `label` and `id` (16 random bytes when not given).
   */
  async generateKeyPair(opts: { algorithm: KeyAlgorithm; label: string; id?: Uint8Array }): Promise<Pkcs11Key> {
    const id = opts.id ?? crypto.getRandomValues(new Uint8Array(16));
    const common: Attr[] = [
      { type: CKA.TOKEN, value: true },
      { type: CKA.LABEL, value: opts.label },
      { type: CKA.ID, value: id },
    ];
    let mechanism: Mechanism;
    let pub: Attr[];
    let priv: Attr[];
    const privCommon: Attr[] = [
      { type: CKA.CLASS, value: CKO.PRIVATE_KEY },
      ...common,
      { type: CKA.PRIVATE, value: true },
      { type: CKA.SENSITIVE, value: true },
      { type: CKA.EXTRACTABLE, value: false },
      { type: CKA.SIGN, value: true },
      { type: CKA.DECRYPT, value: false },
      { type: CKA.UNWRAP, value: false },
      { type: CKA.DERIVE, value: false },
    ];
    const pubCommon: Attr[] = [
      { type: CKA.CLASS, value: CKO.PUBLIC_KEY },
      ...common,
      { type: CKA.PRIVATE, value: false },
      { type: CKA.VERIFY, value: true },
      { type: CKA.ENCRYPT, value: false },
      { type: CKA.WRAP, value: false },
    ];
    if (opts.algorithm === "ec-p256") {
      mechanism = { mechanism: CKM.EC_KEY_PAIR_GEN };
      pub = [...pubCommon, { type: CKA.KEY_TYPE, value: CKK.EC }, { type: CKA.EC_PARAMS, value: P256_PARAMS }];
      priv = [...privCommon, { type: CKA.KEY_TYPE, value: CKK.EC }];
    } else {
      const bits = Number(opts.algorithm.slice("rsa-".length));
      mechanism = { mechanism: CKM.RSA_PKCS_KEY_PAIR_GEN };
      pub = [
        ...pubCommon,
        { type: CKA.KEY_TYPE, value: CKK.RSA },
        { type: CKA.MODULUS_BITS, value: bits },
        { type: CKA.PUBLIC_EXPONENT, value: Uint8Array.of(1, 0, 1) },
      ];
      priv = [...privCommon, { type: CKA.KEY_TYPE, value: CKK.RSA }];
    }
    const handles = await this.run((port, s) => port.generateKeyPair(s, mechanism, pub, priv));
    this.log.info("pkcs11 key pair generated", { slot: this.slotId, label: this.info.label, object: opts.label, algorithm: opts.algorithm });
    return this.keyFor({ handle: handles.privateKey, class: "private", label: opts.label, id });
  }

  /** Deletes both halves of a key pair (objects sharing the private key's id and label). */
  async destroyKey(key: Pkcs11Key): Promise<void> {
    const pubs = key.id && key.id.length > 0 ? await this.findObjects({ type: "public", id: key.id, label: key.label }) : [];
    await this.run(async (port, s) => {
      await port.destroyObject(s, key.handle);
      for (const p of pubs) await port.destroyObject(s, p.handle);
    });
  }

  /** Mechanism numbers the token supports (CKM.*). */
  mechanisms(): Promise<number[]> {
    return this.run((port) => port.mechanisms(this.slotId));
  }

  /**
   * Closes the session (logging the token out when no other holder of its
   * login is left). With `allSessions`, C_CloseAllSessions ends every session
   * the process has on the slot, other clients' too: only for the last user.
   */
  async close(allSessions = false): Promise<void> {
    await this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      // C_Logout ends the login of every session on the token, other clients' included.
      if (this.unhold())
        await this.port
          .logout(this.session)
          .catch((e: unknown) => void (hasCkr(e, CKR.USER_NOT_LOGGED_IN) || this.log.warn("pkcs11 logout failed", { slot: this.slotId, error: e })));
      this.pin?.fill(0);
      PINS.delete(this);
      await this.port.closeSession(this.session).catch(() => undefined);
      if (allSessions)
        await this.port.closeAllSessions(this.slotId).catch((e: unknown) => this.log.warn("pkcs11 close all sessions failed", { slot: this.slotId, error: e }));
    });
  }
}

function what(q: { label?: string; id?: Uint8Array }): string {
  const parts: string[] = [];
  if (q.label !== undefined) parts.push(`label "${q.label}"`);
  if (q.id !== undefined) parts.push(`id ${Buffer.from(q.id).toString("hex")}`);
  return parts.join(" ");
}

export type RsaPadding = "pkcs1" | "pss";
export type HashName = "sha256" | "sha384" | "sha512";

const HASH: Record<HashName, { len: number; ckm: number; mgf: number; digestInfo: string; rsa: number; pss: number }> = {
  sha256: {
    len: 32,
    ckm: CKM.SHA256,
    mgf: CKG.MGF1_SHA256,
    digestInfo: "3031300d060960864801650304020105000420",
    rsa: CKM.SHA256_RSA_PKCS,
    pss: CKM.SHA256_RSA_PKCS_PSS,
  },
  sha384: {
    len: 48,
    ckm: CKM.SHA384,
    mgf: CKG.MGF1_SHA384,
    digestInfo: "3041300d060960864801650304020205000430",
    rsa: CKM.SHA384_RSA_PKCS,
    pss: CKM.SHA384_RSA_PKCS_PSS,
  },
  sha512: {
    len: 64,
    ckm: CKM.SHA512,
    mgf: CKG.MGF1_SHA512,
    digestInfo: "3051300d060960864801650304020305000440",
    rsa: CKM.SHA512_RSA_PKCS,
    pss: CKM.SHA512_RSA_PKCS_PSS,
  },
};

/** CK_RSA_PKCS_PSS_PARAMS: the hash, MGF1 over the same hash, a salt as long as the hash (RFC 8017's recommendation, and what TLS 1.3 requires). */
function pssParams(h: HashName): Uint8Array {
  const b = new Uint8Array(CK_RSA_PKCS_PSS_PARAMS.size);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(CK_RSA_PKCS_PSS_PARAMS.hashAlg, BigInt(HASH[h].ckm), true);
  dv.setBigUint64(CK_RSA_PKCS_PSS_PARAMS.mgf, BigInt(HASH[h].mgf), true);
  dv.setBigUint64(CK_RSA_PKCS_PSS_PARAMS.sLen, BigInt(HASH[h].len), true);
  return b;
}

const HANDLE_GONE: number[] = [CKR.OBJECT_HANDLE_INVALID, CKR.KEY_HANDLE_INVALID];

/** A private key on a token, with its public key read once at lookup. */
export class Pkcs11Key {
  constructor(
    readonly token: Pkcs11Token,
    /** The private key's object handle; it changes when the key is found again after its session was reopened. */
    public handle: number,
    readonly label: string | undefined,
    readonly id: Uint8Array | undefined,
    readonly publicKey: Pkcs11PublicKey,
  ) {}

  /**
   * Finds the key again by label and id after its handle went stale (a
   * module may renumber objects once all of a token's sessions closed),
   * and only accepts it if its public key is the same one.
   */
  private async relocate(): Promise<void> {
    const again = await this.token.findKey({ label: this.label, id: this.id });
    if (!Buffer.from(again.spki()).equals(Buffer.from(this.spki())))
      throw new Pkcs11Error("pkcs11.key", `key ${what(this)} was replaced on token "${this.token.info.label}"`);
    this.handle = again.handle;
  }

  /** DER SubjectPublicKeyInfo, to compare with a certificate's. */
  spki(): Uint8Array {
    return spkiOf(this.publicKey);
  }

  /** C_SignInit + C_Sign with any mechanism. */
  async sign(mechanism: Mechanism, data: Uint8Array): Promise<Uint8Array> {
    const once = () => this.token.run((port, s) => port.sign(s, mechanism, this.handle, data));
    try {
      return await once();
    } catch (e) {
      if (!(e instanceof Pkcs11Error) || e.rv === undefined || !HANDLE_GONE.includes(e.rv) || (this.label === undefined && this.id === undefined)) throw e;
      await this.relocate();
      return await once();
    }
  }

  /** ECDSA (CKM_ECDSA) over a digest the caller computed; raw r||s. */
  async signEcdsaDigest(digest: Uint8Array): Promise<Uint8Array> {
    if (this.publicKey.algorithm !== "ec") throw new Pkcs11Error("pkcs11.key", "ECDSA needs an EC key");
    const sig = await this.sign({ mechanism: CKM.ECDSA }, digest);
    const size = (this.publicKey.point.length - 1) / 2;
    if (sig.length !== 2 * size) throw new Pkcs11Error("pkcs11.operation", `ECDSA signature of ${sig.length} bytes, expected ${2 * size}`);
    return sig;
  }

  /**
   * RSA over a digest the caller computed: PKCS#1 v1.5 (CKM_RSA_PKCS over
   * the DigestInfo) or PSS (CKM_RSA_PKCS_PSS, MGF1 with the same hash, salt
   * as long as the hash).
   */
  async signRsaDigest(digest: Uint8Array, opts: { hash: HashName; padding: RsaPadding }): Promise<Uint8Array> {
    if (this.publicKey.algorithm !== "rsa") throw new Pkcs11Error("pkcs11.key", "RSA signing needs an RSA key");
    const h = HASH[opts.hash];
    if (digest.length !== h.len) throw new Pkcs11Error("pkcs11.input", `a ${opts.hash} digest is ${h.len} bytes, got ${digest.length}`);
    if (opts.padding === "pss") return this.sign({ mechanism: CKM.RSA_PKCS_PSS, parameter: pssParams(opts.hash) }, digest);
    return this.sign({ mechanism: CKM.RSA_PKCS }, Buffer.concat([Buffer.from(h.digestInfo, "hex"), digest]));
  }

  /** RSA over a message, hashed inside the token (CKM_SHA*_RSA_PKCS or CKM_SHA*_RSA_PKCS_PSS). */
  async signRsa(data: Uint8Array, opts: { hash: HashName; padding: RsaPadding }): Promise<Uint8Array> {
    if (this.publicKey.algorithm !== "rsa") throw new Pkcs11Error("pkcs11.key", "RSA signing needs an RSA key");
    const h = HASH[opts.hash];
    if (opts.padding === "pss") return this.sign({ mechanism: h.pss, parameter: pssParams(opts.hash) }, data);
    return this.sign({ mechanism: h.rsa }, data);
  }
}
