import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VaultFileError, VaultLockedError } from "./errors.ts";
import type { DataKey } from "./file-format.ts";
import { VaultKey } from "./secret.ts";
import { DirVaultStore, type StoreAccess } from "./store.ts";

const root = mkdtempSync(join(tmpdir(), "edge-agent-vault-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

async function dataKey(): Promise<DataKey> {
  const k = new VaultKey(crypto.getRandomValues(new Uint8Array(32)));
  return { id: k.id, key: await k.dataKey() };
}

async function encryptedStore() {
  const dir = join(root, `s${n++}`);
  let access: StoreAccess = { mode: "encrypted", key: await dataKey() };
  const store = new DirVaultStore(dir, () => access);
  return { dir, store, set: (a: StoreAccess) => (access = a) };
}

const text = (s: string) => new TextEncoder().encode(s);
const SECRET = text("controller signing cert checkpoint");

async function rejection(p: Promise<unknown>): Promise<VaultFileError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(VaultFileError);
  return e as VaultFileError;
}

describe("DirVaultStore (encrypted)", () => {
  test("returns what was put and lists it when the vault is unlocked", async () => {
    const { store } = await encryptedStore();
    await store.put("checkpoint", SECRET);
    await store.put("a.b-c_1", text("x"));
    expect(new TextDecoder().decode((await store.get("checkpoint"))!)).toBe("controller signing cert checkpoint");
    expect(await store.list()).toEqual(["a.b-c_1", "checkpoint"]);
    expect(await store.delete("checkpoint")).toBe(true);
    expect(await store.get("checkpoint")).toBeUndefined();
    expect(await store.delete("checkpoint")).toBe(false);
  });

  test("writes magic, version, name and no plaintext when an entry is stored", async () => {
    const { dir, store } = await encryptedStore();
    await store.put("checkpoint", SECRET);
    const raw = new Uint8Array(readFileSync(join(dir, "checkpoint.vault")));
    expect(Buffer.from(raw.subarray(0, 4)).toString()).toBe("EAVF");
    expect(raw[4]).toBe(1);
    expect(raw[5]).toBe(1);
    expect(Buffer.from(raw).includes(Buffer.from(SECRET))).toBe(false);
    expect(raw.length).toBe(36 + "checkpoint".length + SECRET.length + 16);
  });

  test("uses a fresh nonce when the same data is written twice", async () => {
    const { dir, store } = await encryptedStore();
    await store.put("x", SECRET);
    const a = readFileSync(join(dir, "x.vault"));
    await store.put("x", SECRET);
    const b = readFileSync(join(dir, "x.vault"));
    expect(a.subarray(24, 36).equals(b.subarray(24, 36))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  test.each([
    ["the format version", 4, "vault.file-version"],
    ["the protection byte", 5, "vault.file-corrupt"],
    ["the nonce", 30, "vault.file-corrupt"],
    ["the name", 36, "vault.file-corrupt"],
    ["the ciphertext", 36 + 10 + 3, "vault.file-corrupt"],
    ["the tag", -1, "vault.file-corrupt"],
    ["the magic", 0, "vault.file-corrupt"],
  ] as const)("fails with a typed error naming the file when a byte of %s is flipped", async (_what, at, kind) => {
    const { dir, store } = await encryptedStore();
    await store.put("checkpoint", SECRET);
    const file = join(dir, "checkpoint.vault");
    const raw = readFileSync(file);
    raw[at < 0 ? raw.length + at : at]! ^= 0x01;
    writeFileSync(file, raw);
    const e = await rejection(store.get("checkpoint"));
    expect(e.kind).toBe(kind);
    expect(e.file).toBe(file);
    expect(e.entry).toBe("checkpoint");
    expect(e.message).toContain(file);
  });

  test("fails with vault.file-corrupt when the file is truncated", async () => {
    const { dir, store } = await encryptedStore();
    await store.put("checkpoint", SECRET);
    const file = join(dir, "checkpoint.vault");
    writeFileSync(file, readFileSync(file).subarray(0, 40));
    expect((await rejection(store.get("checkpoint"))).kind).toBe("vault.file-corrupt");
  });

  test("fails with vault.file-wrong-key when the entry was written under another vault key", async () => {
    const { store, set } = await encryptedStore();
    await store.put("checkpoint", SECRET);
    set({ mode: "encrypted", key: await dataKey() });
    const e = await rejection(store.get("checkpoint"));
    expect(e.kind).toBe("vault.file-wrong-key");
  });

  test("fails when an entry file is copied under another name", async () => {
    const { dir, store } = await encryptedStore();
    await store.put("alpha", SECRET);
    copyFileSync(join(dir, "alpha.vault"), join(dir, "beta.vault"));
    const e = await rejection(store.get("beta"));
    expect(e.kind).toBe("vault.file-corrupt");
    expect(e.message).toContain('holds entry "alpha"');
  });

  test("refuses every operation with VaultLockedError when the vault is locked", async () => {
    const { store, set } = await encryptedStore();
    await store.put("checkpoint", SECRET);
    set({ mode: "locked", reason: "PCR mismatch: 14" });
    for (const op of [store.get("checkpoint"), store.put("y", SECRET), store.delete("checkpoint"), store.list()]) {
      const e = await (op as Promise<unknown>).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(VaultLockedError);
      expect((e as VaultLockedError).kind).toBe("vault.locked");
      expect((e as Error).message).toContain("PCR mismatch: 14");
    }
  });

  test("refuses a plaintext entry when the vault is encrypted", async () => {
    const { store, set } = await encryptedStore();
    const key = await dataKey();
    set({ mode: "plaintext" });
    await store.put("planted", SECRET);
    set({ mode: "encrypted", key });
    expect((await rejection(store.get("planted"))).kind).toBe("vault.file-mode");
  });

  test.each([[""], ["../etc/passwd"], [".hidden"], ["a/b"], ["x".repeat(129)], ["naïve"]])("rejects the entry name %j", async (name) => {
    const { store } = await encryptedStore();
    await expect(store.put(name, SECRET)).rejects.toMatchObject({ kind: "vault.name-invalid" });
  });
});

describe("DirVaultStore (plaintext, no TPM)", () => {
  test("stores readable data with a checksum when there is no TPM", async () => {
    const dir = join(root, `p${n++}`);
    const store = new DirVaultStore(dir, () => ({ mode: "plaintext" }));
    await store.put("checkpoint", SECRET);
    const raw = readFileSync(join(dir, "checkpoint.vault"));
    expect(raw[5]).toBe(2);
    expect(raw.includes(Buffer.from(SECRET))).toBe(true);
    expect(new TextDecoder().decode((await store.get("checkpoint"))!)).toBe("controller signing cert checkpoint");
  });

  test("fails with vault.file-corrupt when a plaintext byte is flipped", async () => {
    const dir = join(root, `p${n++}`);
    const store = new DirVaultStore(dir, () => ({ mode: "plaintext" }));
    await store.put("checkpoint", SECRET);
    const file = join(dir, "checkpoint.vault");
    const raw = readFileSync(file);
    raw[50]! ^= 0x20;
    writeFileSync(file, raw);
    expect((await rejection(store.get("checkpoint"))).kind).toBe("vault.file-corrupt");
  });

  test("fails with vault.file-mode when an encrypted entry is read without a TPM", async () => {
    const { store, set } = await encryptedStore();
    await store.put("checkpoint", SECRET);
    set({ mode: "plaintext" });
    expect((await rejection(store.get("checkpoint"))).kind).toBe("vault.file-mode");
  });
});
