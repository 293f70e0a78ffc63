import { describe, expect, test } from "bun:test";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { openWorkerTpm } from "../../../native/tss2/index.ts";
import { openTpm, PcrMismatchError } from "../../../src/tpm/index.ts";
import { CREDENTIAL, hex, useSwtpm, withTpm } from "./fixture.ts";

const fx = useSwtpm();
const open = async () => {
  const m = await openTpm({ tcti: fx.sw.tcti, connect: (t) => openWorkerTpm(t) });
  await m.ensureKeys({ credential: CREDENTIAL });
  return m;
};

describe("TPM in a Worker", () => {
  test("signs, quotes and unseals like the in-process context when run on a worker thread", async () => {
    await withTpm(open, async (m) => {
      const s = m.deviceSigner();
      const d = sha256(new Uint8Array([1, 2, 3]));
      expect(p256.verify(await s.sign(d), d, s.publicKey, { prehash: false, lowS: false })).toBe(true);
      expect((await m.quote(new Uint8Array(16))).signature[0]).toBe(0x30);
      const sealed = await m.sealVaultKey(new Uint8Array(32).fill(4));
      expect(hex(await m.unsealVaultKey(sealed))).toBe(hex(new Uint8Array(32).fill(4)));
    });
  });

  test("keeps the typed PCR mismatch when the TPM error crosses the thread boundary", async () => {
    const sealed = await withTpm(open, (m) => m.sealVaultKey(new Uint8Array(32).fill(5)));
    fx.sw.tool(["tpm2_pcrextend", `14:sha256=${"ee".repeat(32)}`]);
    const err = await withTpm(open, (m) => m.unsealVaultKey(sealed)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PcrMismatchError);
    expect((err as PcrMismatchError).changed).toEqual([14]);
  });

  test("fails to open with tpm.unavailable when the TPM does not answer", async () => {
    await expect(openTpm({ tcti: "swtpm:host=127.0.0.1,port=9", connect: (t) => openWorkerTpm(t) })).rejects.toMatchObject({ kind: "tpm.unavailable" });
  });
});
