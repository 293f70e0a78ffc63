import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { opensslHkdf } from "../../test/harness/openssl-kdf.ts";
import { createLogger, toHex } from "../shared/index.ts";
import { VaultDirEncryption } from "./fscrypt.ts";
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
  keyIdentifier,
} from "./fscrypt-abi.ts";
import { VaultKey } from "./secret.ts";

const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const u32 = (b: Uint8Array, off: number) => new DataView(b.buffer, b.byteOffset).getUint32(off, true);

describe("fscrypt UAPI encoding", () => {
  test("ioctl numbers are linux/fscrypt.h's (as a C program prints them)", () => {
    // _IOR/_IOWR('f', nr, struct): printed by gcc from /usr/include/linux/fscrypt.h on x86-64.
    expect(FS_IOC.SET_ENCRYPTION_POLICY).toBe(0x800c6613);
    expect(FS_IOC.GET_ENCRYPTION_POLICY_EX).toBe(0xc0096616);
    expect(FS_IOC.ADD_ENCRYPTION_KEY).toBe(0xc0506617);
    expect(FS_IOC.REMOVE_ENCRYPTION_KEY).toBe(0xc0406618);
    expect(FS_IOC.GET_ENCRYPTION_KEY_STATUS).toBe(0xc080661a);
  });

  test("struct fscrypt_policy_v2: version 2, AES-256-XTS, AES-256-CTS, pad 32, reserved zero, identifier at 8", () => {
    const id = hex("00112233445566778899aabbccddeeff");
    const b = encodePolicyV2(id);
    expect(toHex(b)).toBe(`02010403${"00".repeat(4)}00112233445566778899aabbccddeeff`);
    expect(() => encodePolicyV2(new Uint8Array(8))).toThrow(RangeError);
  });

  test("struct fscrypt_add_key_arg: identifier key spec, raw_size at 40, key_id 0, raw after the 80-byte header", () => {
    const raw = new Uint8Array(64).fill(0xab);
    const b = encodeAddKey(raw);
    expect(b.length).toBe(80 + 64);
    expect(u32(b, 0)).toBe(2);
    expect(b.subarray(4, 40).every((x) => x === 0)).toBe(true);
    expect(u32(b, 40)).toBe(64);
    expect(b.subarray(44, 80).every((x) => x === 0)).toBe(true);
    expect(b.subarray(80).every((x) => x === 0xab)).toBe(true);
    // The kernel writes the identifier it computed into key_spec.u.
    b.set(hex("ffeeddccbbaa99887766554433221100"), 8);
    expect(toHex(addKeyIdentifier(b))).toBe("ffeeddccbbaa99887766554433221100");
  });

  test("remove and key-status args name the key by identifier; their outputs decode at the header's offsets", () => {
    const id = hex("0f".repeat(16));
    const rm = encodeRemoveKey(id);
    expect(rm.length).toBe(64);
    expect(u32(rm, 0)).toBe(2);
    expect(toHex(rm.subarray(8, 24))).toBe("0f".repeat(16));
    expect(decodeRemoveKey(rm)).toEqual({ filesBusy: false, otherUsers: false });
    new DataView(rm.buffer).setUint32(40, 3, true);
    expect(decodeRemoveKey(rm)).toEqual({ filesBusy: true, otherUsers: true });

    const st = encodeKeyStatus(id);
    expect(st.length).toBe(128);
    expect(toHex(st.subarray(8, 24))).toBe("0f".repeat(16));
    const dv = new DataView(st.buffer);
    dv.setUint32(64, 2, true);
    dv.setUint32(68, 1, true);
    dv.setUint32(72, 1, true);
    expect(decodeKeyStatus(st)).toEqual({ status: "present", addedBySelf: true, userCount: 1 });
    dv.setUint32(64, 1, true);
    expect(decodeKeyStatus(st).status).toBe("absent");
  });

  test("fscrypt_get_policy_ex_arg: policy_size is the union's room; a v2 answer decodes, a v1 answer has no identifier", () => {
    const b = encodeGetPolicyEx();
    expect(b.length).toBe(32);
    expect(new DataView(b.buffer).getBigUint64(0, true)).toBe(24n);
    b.set(encodePolicyV2(hex("aa".repeat(16))), 8);
    expect(decodeGetPolicyEx(b)).toEqual({ version: 2, contentsMode: 1, filenamesMode: 4, flags: 3, identifier: hex("aa".repeat(16)) });
    const v1 = encodeGetPolicyEx();
    new DataView(v1.buffer).setBigUint64(0, 12n, true);
    v1.set([0, 1, 4, 3], 8);
    expect(decodeGetPolicyEx(v1).version).toBe(0);
    expect(decodeGetPolicyEx(v1).identifier.length).toBe(0);
  });

  test('the key identifier is the kernel\'s HKDF-SHA512 (zero salt, info "fscrypt\\0" 0x01), as openssl computes it', async () => {
    const master = Uint8Array.from({ length: 64 }, (_, i) => i * 3 + 1);
    const want = await opensslHkdf("SHA512", master, new Uint8Array(64), new Uint8Array([...Buffer.from("fscrypt\0"), 1]), 16);
    expect(toHex(keyIdentifier(master))).toBe(want);
  });

  test("the fscrypt master key is HKDF-SHA256 of the vault key with its own label: 64 bytes, not the data key", async () => {
    const raw = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
    const key = new VaultKey(raw);
    const master = key.fscryptKey();
    expect(master.length).toBe(64);
    const want = await opensslHkdf("SHA256", raw, Buffer.from("edge-agent/vault/v1"), Buffer.from("fscrypt master key v2"), 64);
    expect(toHex(master)).toBe(want);
    const data = await opensslHkdf("SHA256", raw, Buffer.from("edge-agent/vault/v1"), Buffer.from("data-at-rest aes-256-gcm"), 32);
    expect(want.startsWith(data)).toBe(false);
    expect(JSON.stringify({ key })).not.toContain(toHex(raw));
  });
});

describe("fscrypt fallback", () => {
  // tmpfs has no fscrypt ioctls: the real kernel answers, nothing is faked.
  const shm = existsSync("/dev/shm") ? mkdtempSync("/dev/shm/edge-agent-fscrypt-") : "";
  afterAll(() => {
    if (shm) rmSync(shm, { recursive: true, force: true });
  });
  const logs: string[] = [];
  const log = createLogger({ level: "debug", write: (l) => logs.push(l) });

  test("a filesystem without fscrypt (tmpfs): the store protects the vault, the reason names the ioctl and errno, the key is never added", () => {
    expect(shm).not.toBe("");
    const d = new VaultDirEncryption(join(shm, "vault"), true, log);
    d.probe();
    expect(d.protection).toBe("store");
    expect(d.fallbackReason).toMatch(/FS_IOC_GET_ENCRYPTION_POLICY_EX: ioctl failed \((ENOTTY|EOPNOTSUPP)\)/);
    const master = new Uint8Array(64).fill(9);
    d.unlock(master);
    writeFileSync(join(shm, "vault", "a.vault"), "x");
    expect(readdirSync(join(shm, "vault"))).toEqual(["a.vault"]);
    d.lock();
    expect(d.hasEncryptedEntries()).toBe(false);
    expect(logs.some((l) => l.includes("vault protection: store"))).toBe(true);
    expect(logs.join("\n")).not.toContain(toHex(master));
  });

  test("vault.fscrypt = false: no ioctl at all, the store protects the vault", () => {
    const d = new VaultDirEncryption(join(shm, "off"), false, log);
    d.probe();
    expect(d.protection).toBe("store");
    expect(d.fallbackReason).toBe("vault.fscrypt is off in the configuration");
    expect(existsSync(join(shm, "off"))).toBe(false);
  });
});
