import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import { AttestVolumeKeyType, codec } from "../protocol/index.ts";
import { escrowEntry, escrowWrapKey, unwrapVaultKey, wrapVaultKey } from "./escrow.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

// Stand-ins for the TPM's ECDH key (0x81000005) and the device key behind the device cert.
const ecdhPriv = p256.utils.randomSecretKey();
const devicePriv = p256.utils.randomSecretKey();
const devicePoint = p256.getPublicKey(devicePriv, false);
const zgen = async (q: Uint8Array) => p256.getSharedSecret(ecdhPriv, q, false).subarray(1);
const vaultKey = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);

/** The HKDF info string, spelled out here so a change in escrow.ts shows up as a failure. */
const PER_KEY_INFO = "edge-agent vault escrow: per vault key AES-256-CFB key";

/** The per-vault-key AES key as openssl's HKDF derives it, hex. */
function opensslPerKey(wrapKeyHex: string, digestHex: string): string {
  const r = spawnSync("openssl", [
    "kdf",
    "-keylen",
    "32",
    "-kdfopt",
    "digest:SHA256",
    "-kdfopt",
    `hexkey:${wrapKeyHex}`,
    "-kdfopt",
    `hexsalt:${digestHex}`,
    "-kdfopt",
    `info:${PER_KEY_INFO}`,
    "HKDF",
  ]);
  if (r.status !== 0) throw new Error(`openssl kdf failed: ${r.stderr}`);
  return r.stdout.toString().trim().replace(/:/g, "").toLowerCase();
}

/** The wrap key computed from the other side of the exchange, with node:crypto's SHA-256. */
function independentWrapKey(): Buffer {
  const xy = p256.getSharedSecret(devicePriv, p256.getPublicKey(ecdhPriv, false), false).subarray(1);
  return createHash("sha256").update(xy).digest();
}

describe("escrow blob", () => {
  test("wrap key equals SHA-256 of X||Y computed from the device key side", async () => {
    expect(hex(await escrowWrapKey(zgen, devicePoint))).toBe(independentWrapKey().toString("hex"));
  });

  test("encrypted_key equals openssl aes-256-cfb with a zero IV under openssl's HKDF of the wrap key and the digest when wrapped", async () => {
    const blob = wrapVaultKey(vaultKey, await escrowWrapKey(zgen, devicePoint));
    const data = codec.AttestVolumeKeyData.decode(blob);
    const digest = createHash("sha256").update(vaultKey).digest("hex");
    const r = spawnSync("openssl", ["enc", "-aes-256-cfb", "-K", opensslPerKey(independentWrapKey().toString("hex"), digest), "-iv", "00".repeat(16)], {
      input: vaultKey,
    });
    expect(r.status).toBe(0);
    expect(hex(data.encrypted_key)).toBe(hex(new Uint8Array(r.stdout)));
    expect(hex(data.digest_sha256)).toBe(digest);
    expect(data.version).toBe(0);
  });

  test("encodes exactly two length-delimited fields and no version when wrapped", async () => {
    const blob = wrapVaultKey(vaultKey, await escrowWrapKey(zgen, devicePoint));
    expect(blob.length).toBe(68);
    expect([blob[0], blob[1], blob[34], blob[35]]).toEqual([0x0a, 32, 0x12, 32]);
  });

  test("node:crypto decrypts encrypted_key back to the vault key with its own HKDF", async () => {
    const data = codec.AttestVolumeKeyData.decode(wrapVaultKey(vaultKey, await escrowWrapKey(zgen, devicePoint)));
    const key = Buffer.from(hkdfSync("sha256", independentWrapKey(), data.digest_sha256, PER_KEY_INFO, 32));
    const d = createDecipheriv("aes-256-cfb", key, Buffer.alloc(16));
    expect(hex(Buffer.concat([d.update(data.encrypted_key), d.final()]))).toBe(hex(vaultKey));
  });

  test("two escrows of different vault keys never share key and IV", async () => {
    // CFB under one key and IV leaks the XOR of the first plaintext blocks;
    // after a vault clean the old and new blobs must not show it.
    const w = await escrowWrapKey(zgen, devicePoint);
    const keys = Array.from({ length: 16 }, () => new Uint8Array(randomBytes(32)));
    const cipherKeys = new Set<string>();
    for (const k of keys) {
      const data = codec.AttestVolumeKeyData.decode(wrapVaultKey(k, w));
      cipherKeys.add(opensslPerKey(hex(w), hex(data.digest_sha256)));
      // The key openssl derives really is the one the blob was made with.
      const r = spawnSync("openssl", ["enc", "-d", "-aes-256-cfb", "-K", opensslPerKey(hex(w), hex(data.digest_sha256)), "-iv", "00".repeat(16)], {
        input: data.encrypted_key,
      });
      expect(hex(new Uint8Array(r.stdout))).toBe(hex(k));
    }
    expect(cipherKeys.size).toBe(keys.length);
    const [a, b] = [keys[0]!, keys[1]!];
    const ca = codec.AttestVolumeKeyData.decode(wrapVaultKey(a, w)).encrypted_key;
    const cb = codec.AttestVolumeKeyData.decode(wrapVaultKey(b, w)).encrypted_key;
    const xor = (x: Uint8Array, y: Uint8Array) => hex(x.slice(0, 16).map((v, i) => v ^ y[i]!));
    expect(xor(ca, cb)).not.toBe(xor(a, b));
  });

  test("unwraps a blob EVE wrapped under its key directly, as on a device that moved from EVE", async () => {
    const w = await escrowWrapKey(zgen, devicePoint);
    const r = spawnSync("openssl", ["enc", "-aes-256-cfb", "-K", independentWrapKey().toString("hex"), "-iv", "00".repeat(16)], { input: vaultKey });
    const eveBlob = codec.AttestVolumeKeyData.encode({
      encrypted_key: new Uint8Array(r.stdout),
      digest_sha256: new Uint8Array(createHash("sha256").update(vaultKey).digest()),
    });
    expect(hex(unwrapVaultKey(eveBlob, w))).toBe(hex(vaultKey));
    // And this agent's blob for the same key is another ciphertext: nothing is encrypted under EVE's key any more.
    expect(hex(codec.AttestVolumeKeyData.decode(wrapVaultKey(vaultKey, w)).encrypted_key)).not.toBe(hex(new Uint8Array(r.stdout)));
  });

  test("gives the same ciphertext when the same key is wrapped twice", async () => {
    const w = await escrowWrapKey(zgen, devicePoint);
    expect(hex(wrapVaultKey(vaultKey, w))).toBe(hex(wrapVaultKey(vaultKey, w)));
  });

  test("unwraps to the vault key when the blob is intact", async () => {
    const w = await escrowWrapKey(zgen, devicePoint);
    expect(hex(unwrapVaultKey(wrapVaultKey(vaultKey, w), w))).toBe(hex(vaultKey));
  });

  test("escrow entry is a VSK without a policy list", () => {
    const e = escrowEntry(new Uint8Array([1]));
    expect(e.key_type).toBe(AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK);
    expect(e.has_policy_pcr_list).toBe(false);
  });
});

describe("unwrapVaultKey rejects", () => {
  const wrap = () => escrowWrapKey(zgen, devicePoint);

  test("with digest mismatch when one ciphertext bit is flipped", async () => {
    const w = await wrap();
    const data = codec.AttestVolumeKeyData.decode(wrapVaultKey(vaultKey, w));
    data.encrypted_key[3]! ^= 0x01;
    expect(() => unwrapVaultKey(codec.AttestVolumeKeyData.encode(data), w)).toThrow(/digest mismatch/);
  });

  test("with digest mismatch when the digest was replaced", async () => {
    const w = await wrap();
    const data = codec.AttestVolumeKeyData.decode(wrapVaultKey(vaultKey, w));
    data.digest_sha256 = new Uint8Array(32);
    try {
      unwrapVaultKey(codec.AttestVolumeKeyData.encode(data), w);
      throw new Error("accepted");
    } catch (e) {
      expect((e as { kind?: string }).kind).toBe("vault.escrow-invalid");
    }
  });

  test("with digest mismatch when wrapped by another device's TPM", async () => {
    const otherEcdh = p256.utils.randomSecretKey();
    const other = await escrowWrapKey(async (q) => p256.getSharedSecret(otherEcdh, q, false).subarray(1), devicePoint);
    expect(() => unwrapVaultKey(wrapVaultKey(vaultKey, other), new Uint8Array(independentWrapKey()))).toThrow(/digest mismatch/);
  });

  test("when the version is V1", async () => {
    const w = await wrap();
    const data = codec.AttestVolumeKeyData.decode(wrapVaultKey(vaultKey, w));
    expect(() => unwrapVaultKey(codec.AttestVolumeKeyData.encode({ ...data, version: 1 }), w)).toThrow(/unsupported version 1/);
  });

  test("when the bytes are not a protobuf message", async () => {
    expect(() => unwrapVaultKey(new Uint8Array([0xff, 0xff, 0xff]), new Uint8Array(32))).toThrow(/not an AttestVolumeKeyData/);
  });

  test("when the encrypted key is not 32 bytes", async () => {
    const blob = codec.AttestVolumeKeyData.encode({ encrypted_key: new Uint8Array(16), digest_sha256: new Uint8Array(32) });
    expect(() => unwrapVaultKey(blob, new Uint8Array(32))).toThrow(/16 bytes, expected 32/);
  });

  test("never puts key bytes in the error message", async () => {
    const w = await wrap();
    const data = codec.AttestVolumeKeyData.decode(wrapVaultKey(vaultKey, w));
    data.encrypted_key[0]! ^= 0xff;
    let caught: unknown;
    try {
      unwrapVaultKey(codec.AttestVolumeKeyData.encode(data), w);
    } catch (e) {
      caught = e;
    }
    const text = String((caught as Error).message);
    expect(text).toContain("digest mismatch");
    expect(text).not.toContain(hex(vaultKey).slice(0, 16));
    expect(text).not.toContain(hex(w).slice(0, 16));
  });
});
