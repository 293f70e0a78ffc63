import { describe, expect, test } from "bun:test";
import { createDecipheriv } from "node:crypto";
import { opensslHkdf } from "../../test/harness/openssl-kdf.ts";
import { VaultKey } from "./secret.ts";

/** The vault's derivations: HKDF-SHA256 under the vault's salt, computed by openssl. */
const opensslVaultHkdf = (key: Uint8Array, info: string, len: number) => opensslHkdf("SHA256", key, Buffer.from("edge-agent/vault/v1"), Buffer.from(info), len);

describe("vault key derivations", () => {
  const raw = Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 3) & 0xff);

  // The id is stored with every vault file: a different derivation would orphan existing vaults.
  test("the key id is 16 bytes of HKDF-SHA256 with the key-id label, as openssl computes it", async () => {
    expect(new VaultKey(raw).id).toBe(await opensslVaultHkdf(raw, "key-id", 16));
  });

  test("the data key is HKDF-SHA256 with the data label: openssl's derivation decrypts what it sealed", async () => {
    const key = await new VaultKey(raw).dataKey();
    const iv = new Uint8Array(12).fill(9);
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, tagLength: 128 }, key, new TextEncoder().encode("vault data")));
    const want = Buffer.from(await opensslVaultHkdf(raw, "data-at-rest aes-256-gcm", 32), "hex");
    const d = createDecipheriv("aes-256-gcm", want, iv);
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    const plain = Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
    expect(plain.toString()).toBe("vault data");
  });
});
