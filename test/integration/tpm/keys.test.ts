import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EsysTpm } from "../../../native/tss2/index.ts";
import { deviceLayout } from "../../../src/state/index.ts";
import { decodePublic, HANDLES, isTpmEnabled, type KeyName, openTpm, selectTpm } from "../../../src/tpm/index.ts";
import { CREDENTIAL, hex, useSwtpm, withTpm } from "./fixture.ts";

const fx = useSwtpm();

function toolPublic(handle: number): Uint8Array {
  const out = fx.file(`pub-${handle.toString(16)}.tss`, "");
  fx.sw.tool(["tpm2_readpublic", "-c", `0x${handle.toString(16)}`, "-f", "tss", "-o", out]);
  return new Uint8Array(readFileSync(out));
}

describe("ensureKeys", () => {
  test("creates all six EVE keys at their handles when the TPM is empty", async () => {
    const res = await withTpm(fx.open, (m) => m.ensureKeys({ credential: CREDENTIAL }));
    expect(res.created).toEqual(["ek", "srk", "aik", "quote", "ecdh", "device"]);
    const persistent = fx.sw.tool(["tpm2_getcap", "handles-persistent"]).stdout;
    for (const h of Object.values(HANDLES)) expect(persistent).toContain(`0x${h.toString(16).toUpperCase()}`);
  });

  test("reuses persistent keys without CreatePrimary when a new context starts (warm boot)", async () => {
    await withTpm(fx.openWithKeys, async () => undefined);
    const { res, calls } = await withTpm(fx.open, async (m) => ({ res: await m.ensureKeys({ credential: CREDENTIAL }), calls: m.createPrimaryCalls }));
    expect(res.created).toEqual([]);
    expect(res.reused.length).toBe(6);
    expect(calls).toBe(0);
  });

  test("exports the same public areas tpm2_readpublic reads when asked for EK and keys", async () => {
    const pubs = await withTpm(fx.openWithKeys, async (m) => ({
      ek: m.ekPublic(),
      ekParts: m.publicKey("ek"),
      quote: m.publicKey("quote"),
      ecdh: m.publicKey("ecdh"),
      device: m.deviceSigner().publicKey,
    }));
    expect(hex(pubs.ek)).toBe(hex(toolPublic(HANDLES.ek)));
    const ek = decodePublic(pubs.ek);
    expect(ek.type).toBe("rsa");
    expect(hex(ek.authPolicy)).toBe("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");
    expect(pubs.ekParts.kind === "rsa" && pubs.ekParts.modulus.length === 256 && pubs.ekParts.exponent === 65537).toBe(true);
    for (const [name, parts] of [
      ["quote", pubs.quote],
      ["ecdh", pubs.ecdh],
    ] as const) {
      const t = decodePublic(toolPublic(HANDLES[name as KeyName]));
      expect(
        parts.kind === "ec" && hex(parts.point) === "04" + hex(t.type === "ecc" ? t.x : new Uint8Array()) + hex(t.type === "ecc" ? t.y : new Uint8Array()),
      ).toBe(true);
    }
    expect(pubs.device.length).toBe(65);
  });

  test("replaces a key when the object at its handle has other attributes", async () => {
    fx.sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", "0x81000004"]);
    const ctx = fx.file("other.ctx", "");
    fx.sw.tool(["tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", ctx]);
    fx.sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", ctx, "0x81000004"]);
    fx.sw.flushTools();
    const res = await withTpm(fx.open, (m) => m.ensureKeys({ credential: CREDENTIAL }));
    expect(res.replaced).toEqual(["quote"]);
    expect(res.created).toEqual(["quote"]);
  });
});

describe("isCleared", () => {
  test("reports a cleared TPM when the device cert exists but tpm2_clear removed the keys", async () => {
    const layout = deviceLayout(join(fx.dir, "device"));
    mkdirSync(layout.config.dir, { recursive: true });
    writeFileSync(layout.config.deviceCert, "-----BEGIN CERTIFICATE-----\n");
    expect(await withTpm(fx.openWithKeys, (m) => m.isCleared(layout))).toBe(false);
    fx.sw.tool(["tpm2_clear", "-c", "p"]);
    await withTpm(fx.open, async (m) => {
      expect(await m.isCleared(layout)).toBe(true);
      expect(() => m.deviceSigner()).toThrow(expect.objectContaining({ kind: "tpm.key-missing" }));
    });
  });
});

describe("isTpmEnabled", () => {
  test("is true only when the device cert exists and no soft device key does", () => {
    const layout = deviceLayout(join(fx.dir, "enabled"));
    mkdirSync(layout.config.dir, { recursive: true });
    expect(isTpmEnabled(layout)).toBe(false);
    writeFileSync(layout.config.deviceCert, "cert");
    expect(isTpmEnabled(layout)).toBe(true);
    writeFileSync(layout.config.deviceKey, "key");
    expect(isTpmEnabled(layout)).toBe(false);
  });
});

describe("selectTpm", () => {
  const connect = (t: string) => EsysTpm.open(t);

  test("falls back to software when mode is auto and the TPM device node is absent", async () => {
    expect(await selectTpm("auto", { tcti: "device:/dev/edge-agent-no-such-tpm", connect })).toBeUndefined();
  });

  test("fails when mode is required and the TPM device node is absent", async () => {
    await expect(selectTpm("required", { tcti: "device:/dev/edge-agent-no-such-tpm", connect })).rejects.toMatchObject({ kind: "tpm.unavailable" });
  });

  test("fails instead of falling back when mode is auto and the TPM does not answer", async () => {
    await expect(selectTpm("auto", { tcti: "swtpm:host=127.0.0.1,port=9", connect })).rejects.toMatchObject({ kind: "tpm.unavailable" });
  });

  test("returns no manager when mode is off", async () => {
    expect(await selectTpm("off", { tcti: fx.sw.tcti, connect })).toBeUndefined();
  });

  test("flags swtpm as a software TPM in its HSM info", async () => {
    const info = await withTpm(
      () => openTpm({ tcti: fx.sw.tcti, connect }),
      (m) => m.info(),
    );
    expect(info.software).toBe(true);
    expect(info.hsmInfo).toMatch(/^IBM-SWTPM, FW Version /);
  });
});

describe("openTpm", () => {
  test("flushes transient objects and sessions left behind when a previous client did not", async () => {
    fx.sw.tool(["tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", fx.file("stale.ctx", "")]);
    fx.sw.tool(["tpm2_startauthsession", "-S", fx.file("stale-session.ctx", "")]);
    expect(fx.sw.tool(["tpm2_getcap", "handles-transient"]).stdout.trim()).not.toBe("");
    await withTpm(fx.open, async () => undefined);
    expect(fx.sw.tool(["tpm2_getcap", "handles-transient"]).stdout.trim()).toBe("");
    expect(fx.sw.tool(["tpm2_getcap", "handles-loaded-session"]).stdout.trim()).toBe("");
  });
});
