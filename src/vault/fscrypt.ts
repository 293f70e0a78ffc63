import { dlopen, FFIType, read } from "bun:ffi";
import { closeSync, constants as fsc, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { constants as osc } from "node:os";
import { dirname, join } from "node:path";
import { bytesEqual, type Logger } from "../shared/index.ts";
import { VaultError } from "./errors.ts";
import {
  addKeyIdentifier,
  decodeGetPolicyEx,
  decodeKeyStatus,
  decodeRemoveKey,
  encodeAddKey,
  encodeGetPolicyEx,
  encodeKeyStatus,
  encodePolicyV2,
  encodeRemoveKey,
  FS_IOC,
  type KeyStatus,
  keyIdentifier,
  MODE_AES_256_CTS,
  MODE_AES_256_XTS,
  POLICY_V2,
  type RemovalFlags,
} from "./fscrypt-abi.ts";

/** What protects the vault directory: fscrypt (names and contents, below the store's own AES-GCM) or the store alone. */
export type VaultProtection = "fscrypt" | "store";

// Linux's generic values; node's errno table lacks these two.
const ENOPKG = 65;
export const ENOKEY = 126;
const ERRNO_NAME = new Map<number, string>([...Object.entries(osc.errno).map(([name, n]) => [n, name] as const), [ENOPKG, "ENOPKG"], [ENOKEY, "ENOKEY"]]);
export const errnoName = (n: number): string => ERRNO_NAME.get(n) ?? `errno ${n}`;
const E = osc.errno;
/** The kernel or the filesystem has no fscrypt (or not this policy): the store alone protects the vault. */
const UNSUPPORTED = new Set([E.EOPNOTSUPP, E.ENOTTY, E.ENOSYS, E.EINVAL, ENOPKG]);

/** An fscrypt ioctl failed; `errno` says how, `op` which one. Never carries key bytes. */
export class FscryptError extends VaultError {
  constructor(
    readonly op: string,
    readonly errno: number,
    message: string,
  ) {
    super("vault.fscrypt", `${op}: ${message}${errno ? ` (${errnoName(errno)})` : ""}`);
  }
}

interface Libc {
  ioctl(fd: number, request: number, arg: Uint8Array): number;
  errno(): number;
}
let libc: Libc | undefined | null;

/** libc's ioctl through bun:ffi; null where libc cannot be loaded (not glibc), which reads as "no fscrypt". */
function lib(): Libc | null {
  if (libc !== undefined) return libc;
  try {
    const l = dlopen("libc.so.6", {
      ioctl: { args: [FFIType.i32, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
      __errno_location: { args: [], returns: FFIType.ptr },
    });
    libc = {
      ioctl: (fd, request, arg) => l.symbols.ioctl(fd, request, arg),
      errno: () => {
        const p = l.symbols.__errno_location();
        return p ? read.i32(p, 0) : 0;
      },
    };
  } catch {
    libc = null;
  }
  return libc;
}

function ioctl(op: string, fd: number, request: number, arg: Uint8Array): void {
  const c = lib();
  if (!c) throw new FscryptError(op, E.ENOSYS, "libc.so.6 is not loadable");
  let rc: number;
  let err: number;
  do {
    rc = c.ioctl(fd, request, arg);
    err = rc === 0 ? 0 : c.errno();
  } while (rc !== 0 && err === E.EINTR);
  if (rc !== 0) throw new FscryptError(op, err, "ioctl failed");
}

/** The fscrypt ioctls on one open file or directory. */
export const fscryptIoctls = {
  /** The directory's v2 policy identifier, undefined when it has no policy (ENODATA). */
  getPolicy(fd: number): { version: number; identifier: Uint8Array; contentsMode: number; filenamesMode: number } | undefined {
    const arg = encodeGetPolicyEx();
    try {
      ioctl("FS_IOC_GET_ENCRYPTION_POLICY_EX", fd, FS_IOC.GET_ENCRYPTION_POLICY_EX, arg);
    } catch (e) {
      if (e instanceof FscryptError && e.errno === E.ENODATA) return undefined;
      throw e;
    }
    return decodeGetPolicyEx(arg);
  },
  setPolicy(fd: number, identifier: Uint8Array): void {
    ioctl("FS_IOC_SET_ENCRYPTION_POLICY", fd, FS_IOC.SET_ENCRYPTION_POLICY, encodePolicyV2(identifier));
  },
  /** Adds a v2 master key to the filesystem's keyring and returns the identifier the kernel computed. */
  addKey(fd: number, raw: Uint8Array): Uint8Array {
    const arg = encodeAddKey(raw);
    try {
      ioctl("FS_IOC_ADD_ENCRYPTION_KEY", fd, FS_IOC.ADD_ENCRYPTION_KEY, arg);
      return addKeyIdentifier(arg);
    } finally {
      arg.fill(0);
    }
  },
  removeKey(fd: number, identifier: Uint8Array): RemovalFlags {
    const arg = encodeRemoveKey(identifier);
    ioctl("FS_IOC_REMOVE_ENCRYPTION_KEY", fd, FS_IOC.REMOVE_ENCRYPTION_KEY, arg);
    return decodeRemoveKey(arg);
  },
  keyStatus(fd: number, identifier: Uint8Array): KeyStatus | "unknown" {
    const arg = encodeKeyStatus(identifier);
    ioctl("FS_IOC_GET_ENCRYPTION_KEY_STATUS", fd, FS_IOC.GET_ENCRYPTION_KEY_STATUS, arg);
    return decodeKeyStatus(arg).status;
  },
};

function openDir(dir: string): number {
  return openSync(dir, fsc.O_RDONLY | fsc.O_DIRECTORY | fsc.O_NOFOLLOW);
}

function withDir<T>(dir: string, f: (fd: number) => T): T {
  const fd = openDir(dir);
  try {
    return f(fd);
  } finally {
    closeSync(fd);
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/** Written and read back once after the policy is set: the kernel loads the ciphers only when a file is made. */
const PROBE = ".fscrypt-probe";

type DirState =
  /** The store alone protects the vault; `reason` is why (logged and shown). */
  | { kind: "store"; reason: string }
  /** The directory has this vault's v2 policy. */
  | { kind: "fscrypt"; identifier: Uint8Array }
  /** Supported as far as the probe can tell, empty and without a policy: set one when the key arrives. */
  | { kind: "candidate" };

/**
 * fscrypt on the vault directory: the directory gets a v2 policy for a
 * master key derived from the vault key, the key is in the filesystem's
 * keyring only while the vault is unlocked, so while locked (or the agent
 * stopped) names and contents under it are ciphertext to every process,
 * root included. Where the kernel or the filesystem has no fscrypt, or the
 * directory already holds entries written without it, the store's own
 * encryption is all there is, and `protection` says so.
 */
export class VaultDirEncryption {
  private state: DirState;
  /** Identifier of the key this process added, so lock() removes exactly that one. */
  private added: Uint8Array | undefined;

  constructor(
    readonly dir: string,
    enabled: boolean,
    private readonly log: Logger,
  ) {
    this.state = enabled ? { kind: "candidate" } : { kind: "store", reason: "vault.fscrypt is off in the configuration" };
  }

  get protection(): VaultProtection {
    return this.state.kind === "fscrypt" ? "fscrypt" : "store";
  }

  /** Why the store alone protects the vault, when it does. */
  get fallbackReason(): string | undefined {
    return this.state.kind === "store" ? this.state.reason : undefined;
  }

  /** Boot, before the key is known: what the directory is. */
  probe(): void {
    if (this.state.kind === "store") {
      this.log.info("vault protection: store", { reason: this.state.reason });
      return;
    }
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const policy = withDir(this.dir, (fd) => fscryptIoctls.getPolicy(fd));
      if (policy) {
        if (policy.version !== POLICY_V2 || policy.contentsMode !== MODE_AES_256_XTS || policy.filenamesMode !== MODE_AES_256_CTS) {
          // Not ours (a v1 policy, or other modes): the key we would derive cannot open it.
          this.state = { kind: "store", reason: `the vault directory has a foreign fscrypt policy (version ${policy.version})` };
          this.log.warn("vault protection: store", { reason: this.state.reason });
          return;
        }
        this.state = { kind: "fscrypt", identifier: policy.identifier };
        const present = this.keyPresent();
        this.log.info("vault protection: fscrypt", { alreadyUnlocked: present ?? "unknown" });
        if (present) {
          // An earlier agent on this boot ended without removing it (a crash): the
          // directory stays ciphertext until this process has the vault key itself.
          this.added = policy.identifier;
          this.removeKey();
        }
        return;
      }
      if (entries(this.dir).length > 0) {
        this.fallBack("the vault directory already holds entries written without fscrypt (a policy can only be set on an empty directory)");
        return;
      }
      this.log.info("vault directory can take an fscrypt policy; set when the vault key is available");
    } catch (e) {
      this.fallBackOn(e, "probing fscrypt on the vault directory");
    }
  }

  /** Whether the directory holds anything, readable names or not: while locked, fscrypt hides which entries they are. */
  hasEncryptedEntries(): boolean {
    return this.state.kind === "fscrypt" && entries(this.dir).length > 0;
  }

  /**
   * The vault key is known (`master` derived from it; the caller zeroes it):
   * add it to the filesystem, and set the policy the first time. Throws
   * FscryptError when the directory is fscrypt-encrypted and the key cannot
   * open it; falls back to the store when a first policy cannot be set.
   */
  unlock(master: Uint8Array): void {
    if (this.state.kind === "store") return;
    const expected = keyIdentifier(master);
    if (this.state.kind === "fscrypt" && !bytesEqual(this.state.identifier, expected)) {
      throw new FscryptError("vault key", 0, "the vault directory is encrypted for another key");
    }
    const first = this.state.kind === "candidate";
    let policySet = false;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      withDir(this.dir, (fd) => {
        const id = fscryptIoctls.addKey(fd, master);
        this.added = id;
        if (!bytesEqual(id, expected)) throw new FscryptError("FS_IOC_ADD_ENCRYPTION_KEY", 0, "the kernel computed another key identifier");
        if (!first) return;
        if (entries(this.dir).length > 0) throw new FscryptError("FS_IOC_SET_ENCRYPTION_POLICY", E.ENOTEMPTY, "the vault directory is not empty");
        fscryptIoctls.setPolicy(fd, id);
        policySet = true;
      });
      if (first) {
        const probe = join(this.dir, PROBE);
        const text = "fscrypt probe\n";
        writeFileSync(probe, text, { mode: 0o600 });
        const back = readFileSync(probe, "utf8");
        rmSync(probe);
        if (back !== text) throw new FscryptError("probe", 0, "a file in the encrypted directory did not read back");
        this.state = { kind: "fscrypt", identifier: expected };
        this.log.info("vault directory encrypted with fscrypt (v2 policy, AES-256-XTS contents, AES-256-CTS names)");
      } else {
        // A probe file a power cut left behind right after the policy was set.
        rmSync(join(this.dir, PROBE), { force: true });
        this.log.info("fscrypt key added for the vault directory");
      }
    } catch (e) {
      if (!first) {
        this.removeKey();
        throw e instanceof FscryptError ? e : new FscryptError("unlock", 0, (e as Error).message);
      }
      this.removeKey();
      // A policy that took but whose ciphers are missing (ENOPKG) leaves an empty, unusable directory: make it plain again.
      if (policySet) this.resetDir();
      this.fallBackOn(e, "setting the fscrypt policy on the vault directory");
    }
  }

  /** Locked or stopped: the key leaves the filesystem's keyring, so the directory is ciphertext again. */
  lock(): void {
    this.removeKey();
  }

  /**
   * A vault clean removed every entry: the directory goes too, so the new
   * vault key gets a new policy (a policy cannot be changed in place).
   */
  afterWipe(): void {
    this.removeKey();
    if (this.state.kind !== "fscrypt") return;
    this.resetDir();
    this.state = { kind: "candidate" };
  }

  private keyPresent(): boolean | undefined {
    if (this.state.kind !== "fscrypt") return undefined;
    const id = this.state.identifier;
    try {
      return withDir(dirname(this.dir), (fd) => fscryptIoctls.keyStatus(fd, id)) === "present";
    } catch {
      return undefined;
    }
  }

  private removeKey(): void {
    const id = this.added;
    if (!id) return;
    this.added = undefined;
    try {
      // Through the parent: an open descriptor of the encrypted directory itself would pin its inode and keep it decrypted.
      const flags = withDir(dirname(this.dir), (fd) => fscryptIoctls.removeKey(fd, id));
      if (flags.filesBusy) this.log.warn("fscrypt key removed, but open files keep their contents readable until closed");
      else this.log.info("fscrypt key removed: the vault directory is ciphertext");
    } catch (e) {
      this.log.error("removing the fscrypt key failed", { error: (e as Error).message });
    }
  }

  private resetDir(): void {
    try {
      for (const f of entries(this.dir)) rmSync(join(this.dir, f), { recursive: true, force: true });
      rmdirSync(this.dir);
      mkdirSync(this.dir, { mode: 0o700 });
    } catch (e) {
      this.log.error("cannot recreate the vault directory", { error: (e as Error).message });
    }
  }

  private fallBackOn(e: unknown, what: string): void {
    const errno = e instanceof FscryptError ? e.errno : 0;
    const known = e instanceof FscryptError && UNSUPPORTED.has(errno);
    this.fallBack(`${what}: ${(e as Error).message}${known ? " (no fscrypt in this kernel or filesystem)" : ""}`);
  }

  private fallBack(reason: string): void {
    this.state = { kind: "store", reason };
    this.log.warn("vault protection: store (fscrypt not used)", { reason });
  }
}
