import { describe, expect, test } from "bun:test";
import { EsysTpm } from "../../../native/tss2/index.ts";
import { DEFAULT_SEAL_PCRS, openTpm, PcrMismatchError } from "../../../src/tpm/index.ts";
import { CREDENTIAL, hex, useSwtpm, withTpm } from "./fixture.ts";

const fx = useSwtpm();

describe.each([["auto"], ["off"]] as const)("sealVaultKey / unsealVaultKey (parameter encryption %s)", (parameterEncryption) => {
  const open = async () => {
    const m = await openTpm({ tcti: fx.sw.tcti, connect: (t) => EsysTpm.open(t), parameterEncryption });
    await m.ensureKeys({ credential: CREDENTIAL });
    return m;
  };
  const secret = new Uint8Array(32).map((_, i) => 0x40 + i);

  test("unseals the sealed secret when PCRs are unchanged", async () => {
    const sealed = await withTpm(open, (m) => m.sealVaultKey(secret));
    expect(sealed.pcrs).toEqual(DEFAULT_SEAL_PCRS);
    expect(sealed.pcrValues.size).toBe(DEFAULT_SEAL_PCRS.length);
    expect(hex(await withTpm(open, (m) => m.unsealVaultKey(sealed)))).toBe(hex(secret));
  });

  test("tpm2_unseal recovers the secret from the NV blobs when given the same PCR policy", async () => {
    // tpm2_policypcr handles at most 8 PCRs, so this cross-check seals to a smaller set.
    const small = [0, 4, 7, 14];
    await withTpm(open, (m) => m.sealVaultKey(secret, small));
    const priv = fx.file("sealed.priv", "");
    const pub = fx.file("sealed.pub", "");
    fx.sw.tool(["tpm2_nvread", "-C", "o", "-o", priv, "0x1800000"]);
    fx.sw.tool(["tpm2_nvread", "-C", "o", "-o", pub, "0x1900000"]);
    const ctx = fx.file("sealed.ctx", "");
    const session = fx.file("session.ctx", "");
    fx.sw.tool(["tpm2_load", "-C", "0x81000002", "-u", pub, "-r", priv, "-c", ctx]);
    fx.sw.tool(["tpm2_startauthsession", "--policy-session", "-S", session]);
    try {
      fx.sw.tool(["tpm2_policypcr", "-S", session, "-l", `sha256:${small.join(",")}`]);
      const out = fx.sw.tool(["tpm2_unseal", "-c", ctx, "-p", `session:${session}`]).stdout;
      expect(Buffer.from(out, "latin1").subarray(0, 32).toString("hex")).toBe(hex(secret));
    } finally {
      fx.sw.tool(["tpm2_flushcontext", session], { allowFail: true });
      fx.sw.flushTools();
    }
  });

  test("fails with PcrMismatchError naming PCR 14 and leaves nothing loaded when PCR 14 was extended", async () => {
    const sealed = await withTpm(open, (m) => m.sealVaultKey(secret));
    fx.sw.tool(["tpm2_pcrextend", `14:sha256=${"14".repeat(32)}`]);
    const err = await withTpm(open, (m) => m.unsealVaultKey(sealed)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PcrMismatchError);
    expect((err as PcrMismatchError).kind).toBe("tpm.pcr-mismatch");
    expect((err as PcrMismatchError).changed).toEqual([14]);
    expect(String((err as Error).message)).toContain("PCR mismatch: 14");
    expect(fx.sw.tool(["tpm2_getcap", "handles-transient"]).stdout.trim()).toBe("");
    expect(fx.sw.tool(["tpm2_getcap", "handles-loaded-session"]).stdout.trim()).toBe("");
  });

  test("unseals again when resealed to the new PCR values", async () => {
    const again = await withTpm(open, (m) => m.sealVaultKey(secret));
    expect(hex(await withTpm(open, (m) => m.unsealVaultKey(again)))).toBe(hex(secret));
  });
});

describe("sealVaultKey", () => {
  test("refuses to seal when PCR 0 was never measured", async () => {
    const sw2 = await import("../../harness/swtpm.ts").then((h) => h.startSwtpm());
    try {
      const m = await openTpm({ tcti: sw2.tcti, connect: (t) => EsysTpm.open(t) });
      try {
        await m.ensureKeys({ credential: CREDENTIAL });
        await expect(m.sealVaultKey(new Uint8Array(32))).rejects.toMatchObject({ kind: "tpm.sealing-refused" });
      } finally {
        await m.close();
      }
    } finally {
      await sw2.stop();
    }
  });
});
