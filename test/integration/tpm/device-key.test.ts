import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ensureDeviceIdentity, tpmDeviceKeyBackend } from "../../../src/identity/index.ts";
import { createDeviceCertificate, generateSoftKey, softSigner } from "../../../src/pki/index.ts";
import { createLogger } from "../../../src/shared/index.ts";
import { deviceLayout } from "../../../src/state/index.ts";
import { deviceKeyAuth, HANDLES, type TpmManager } from "../../../src/tpm/index.ts";
import { CREDENTIAL, p256Pem, useSwtpm, withTpm } from "./fixture.ts";

const fx = useSwtpm();

/** EVE's ECDH key template, which EVE also uses for the device key (auth aside), in tpm2-tools syntax. */
const EVE_ECDH = ["-G", "ecc256:null:null", "-a", "sign|decrypt|noda|sensitivedataorigin|userwithauth"];
const QUOTE = ["-G", "ecc256:ecdsa-sha256:null", "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign|noda"];
const AUTH = new TextDecoder().decode(deviceKeyAuth(CREDENTIAL));
const h = (n: number) => `0x${n.toString(16)}`;

interface ToolPublic {
  pem: string;
  name: string;
  qualifiedName: string;
}

/** Public key, Name and Qualified Name as tpm2_readpublic reports them. */
function readPublic(handle: number): ToolPublic {
  const out = fx.file(`pub-${handle.toString(16)}.pem`, "");
  const r = fx.sw.tool(["tpm2_readpublic", "-c", h(handle), "-f", "pem", "-o", out]);
  const field = (label: string) => r.stdout.match(new RegExp(`^${label}: ([0-9a-f]+)$`, "m"))?.[1] ?? "";
  return { pem: readFileSync(out, "utf8"), name: field("name"), qualifiedName: field("qualified name") };
}

/** Part 1 §16, computed here rather than by the code under test: QN = SHA-256(parent QN || Name). */
function childQn(parentQn: string, name: string): string {
  return (
    "000b" +
    createHash("sha256")
      .update(Buffer.from(parentQn + name, "hex"))
      .digest("hex")
  );
}
const OWNER = "40000001";

/** tpm2_createprimary under the owner hierarchy; returns the public key in PEM. */
function recreatePrimary(template: string[], auth?: string): string {
  const out = fx.file("rederived.pem", "");
  fx.sw.tool(["tpm2_createprimary", "-C", "o", ...template, ...(auth ? ["-p", auth] : []), "-f", "pem", "-o", out, "-c", fx.file("rederived.ctx", "")]);
  fx.sw.flushTools();
  return readFileSync(out, "utf8");
}

/** Puts an EVE-made primary (the ECDH template) at `handle`, as EVE and earlier agents did. */
function persistEvePrimary(handle: number, auth?: string): void {
  fx.sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", h(handle)], { allowFail: true });
  const ctx = fx.file("eve.ctx", "");
  fx.sw.tool(["tpm2_createprimary", "-C", "o", ...EVE_ECDH, ...(auth ? ["-p", auth] : []), "-c", ctx]);
  fx.sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", ctx, h(handle)]);
  fx.sw.flushTools();
}

function evictDeviceAndEcdh(): void {
  for (const k of [HANDLES.device, HANDLES.ecdh]) fx.sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", h(k)], { allowFail: true });
}

const point = (m: TpmManager, name: "device" | "ecdh") => {
  const p = m.publicKey(name);
  if (p.kind !== "ec") throw new Error(`${name} is not EC`);
  return p.point;
};

describe("device and ECDH keys on a new device", () => {
  test("are TPM2_Create'd children of the SRK while EK, SRK, AIK and quote key stay EVE's primaries", async () => {
    const r = await withTpm(fx.open, async (m) => ({
      res: await m.ensureKeys({ credential: CREDENTIAL }),
      creates: m.createCalls,
      primaries: m.createPrimaryCalls,
      device: m.keyOrigin("device"),
      ecdh: m.keyOrigin("ecdh"),
    }));
    expect(r.res.created).toEqual(["ek", "srk", "aik", "quote", "ecdh", "device"]);
    expect({ creates: r.creates, primaries: r.primaries, device: r.device, ecdh: r.ecdh }).toEqual({
      creates: 2,
      primaries: 4,
      device: "tpm-created",
      ecdh: "tpm-created",
    });
    expect(r.res.derivable).toEqual([]);
    const srk = readPublic(HANDLES.srk);
    for (const k of [HANDLES.device, HANDLES.ecdh]) {
      const p = readPublic(k);
      expect(p.qualifiedName).toBe(childQn(srk.qualifiedName, p.name));
    }
    for (const k of [HANDLES.ek, HANDLES.srk, HANDLES.aik, HANDLES.quote]) {
      const p = readPublic(k);
      expect(p.qualifiedName).toBe(childQn(OWNER, p.name));
    }
  });

  test("differ from primaries tpm2_createprimary re-creates with the ECDH template and EVE's device template, and from each other", async () => {
    await withTpm(fx.openWithKeys, async () => undefined);
    const device = readPublic(HANDLES.device).pem;
    const ecdh = readPublic(HANDLES.ecdh).pem;
    const fromEcdhTemplate = recreatePrimary(EVE_ECDH);
    const fromDeviceTemplate = recreatePrimary(EVE_ECDH, AUTH);
    expect(device).not.toBe(fromEcdhTemplate);
    expect(device).not.toBe(fromDeviceTemplate);
    expect(ecdh).not.toBe(fromEcdhTemplate);
    expect(device).not.toBe(ecdh);
    // The same re-creation does find the keys that are meant to be primaries.
    expect(recreatePrimary(QUOTE)).toBe(readPublic(HANDLES.quote).pem);
    expect(fromDeviceTemplate).toBe(fromEcdhTemplate);
  });

  test("sign through 0x817FFFFF only with the auth from the credential", async () => {
    await withTpm(fx.openWithKeys, async () => undefined);
    const msg = fx.file("msg.bin", "envelope payload");
    const sig = fx.file("msg.sig", "");
    const sign = (auth?: string) =>
      fx.sw.tool(["tpm2_sign", "-c", h(HANDLES.device), "-g", "sha256", "-s", "ecdsa", "-f", "plain", "-o", sig, ...(auth ? ["-p", auth] : []), msg], {
        allowFail: true,
      });
    expect(sign().status).not.toBe(0);
    expect(sign("guessed").status).not.toBe(0);
    expect(sign(AUTH).status).toBe(0);
    const pub = fx.file("device.pem", readPublic(HANDLES.device).pem);
    const v = fx.sw.tool(["openssl", "dgst", "-sha256", "-verify", pub, "-signature", sig, msg], { allowFail: true });
    expect(v.stdout).toContain("Verified OK");
  });

  test("are reused on a warm boot without Create or CreatePrimary", async () => {
    await withTpm(fx.openWithKeys, async () => undefined);
    const r = await withTpm(fx.open, async (m) => ({
      res: await m.ensureKeys({ credential: CREDENTIAL }),
      creates: m.createCalls,
      primaries: m.createPrimaryCalls,
      origins: Object.fromEntries(await m.inspectKeys(["device", "ecdh", "srk"])),
    }));
    expect(r.res.reused).toHaveLength(6);
    expect([r.creates, r.primaries]).toEqual([0, 0]);
    expect(r.origins).toEqual({ device: "tpm-created", ecdh: "tpm-created", srk: "derivable" });
  });
});

describe("a migrated device whose keys EVE's template made", () => {
  test("keeps both keys, reports them derivable and makes no key on the warm path", async () => {
    await withTpm(fx.openWithKeys, async () => undefined);
    persistEvePrimary(HANDLES.ecdh);
    persistEvePrimary(HANDLES.device, AUTH);
    const before = readPublic(HANDLES.device).pem;
    const r = await withTpm(fx.open, async (m) => ({
      res: await m.ensureKeys({ credential: CREDENTIAL }),
      creates: m.createCalls,
      primaries: m.createPrimaryCalls,
      device: m.keyOrigin("device"),
      pem: p256Pem(point(m, "device")),
      sameAsEcdh: Buffer.from(point(m, "device")).equals(Buffer.from(point(m, "ecdh"))),
      inspected: Object.fromEntries(await m.inspectKeys(["device", "ecdh"])),
      signature: await m.deviceSigner().sign(new Uint8Array(32).fill(7)),
    }));
    expect(r.res.reused).toHaveLength(6);
    expect(r.res.derivable).toEqual(["ecdh", "device"]);
    expect([r.creates, r.primaries]).toEqual([0, 0]);
    expect(r.device).toBe("derivable");
    expect(r.inspected).toEqual({ device: "derivable", ecdh: "derivable" });
    expect(r.pem).toBe(before);
    expect(r.pem).toBe(recreatePrimary(EVE_ECDH));
    expect(r.sameAsEcdh).toBe(true);
    expect(r.signature).toHaveLength(64);
  });

  test("gets TPM-created keys when provisioned again (recreate)", async () => {
    persistEvePrimary(HANDLES.ecdh);
    persistEvePrimary(HANDLES.device, AUTH);
    const old = readPublic(HANDLES.device).pem;
    const r = await withTpm(fx.open, async (m) => ({
      res: await m.ensureKeys({ credential: CREDENTIAL, recreate: true }),
      device: m.keyOrigin("device"),
      ecdh: m.keyOrigin("ecdh"),
    }));
    expect(r.res.replaced).toContain("device");
    expect([r.device, r.ecdh]).toEqual(["tpm-created", "tpm-created"]);
    expect(readPublic(HANDLES.device).pem).not.toBe(old);
  });

  test("refuses to replace an object with other attributes at 0x817FFFFF outside provisioning", async () => {
    await withTpm(fx.openWithKeys, async () => undefined);
    fx.sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", h(HANDLES.device)]);
    const ctx = fx.file("rsa.ctx", "");
    fx.sw.tool(["tpm2_createprimary", "-C", "o", "-G", "rsa2048", "-c", ctx]);
    fx.sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", ctx, h(HANDLES.device)]);
    fx.sw.flushTools();
    const before = readPublic(HANDLES.device).pem;
    await withTpm(fx.open, async (m) => {
      await expect(m.ensureKeys({ credential: CREDENTIAL })).rejects.toMatchObject({ kind: "tpm.key-mismatch" });
    });
    expect(readPublic(HANDLES.device).pem).toBe(before);
    expect(fx.sw.tool(["tpm2_getcap", "handles-transient"]).stdout.trim()).toBe("");
    evictDeviceAndEcdh();
  });
});

describe("device identity on the TPM backend", () => {
  const root = join(fx.dir, "device");
  const layout = deviceLayout(root);
  const lines: string[] = [];
  const log = createLogger({ level: "debug", write: (l) => lines.push(l) });
  const now = () => new Date();
  const identity = () => withTpm(fx.open, (m) => ensureDeviceIdentity(layout, tpmDeviceKeyBackend(layout, m, log), { now, log }));
  const nvIndexes = () => fx.sw.tool(["tpm2_getcap", "handles-nv-index"]).stdout;

  test("is made fresh without mirroring the TPM credential to NV 0x1600000", async () => {
    mkdirSync(layout.config.dir, { recursive: true });
    // A credential copy left in NV by an earlier (EVE-style) provisioning must go.
    fx.sw.tool(["tpm2_nvdefine", "-C", "o", "-s", "36", "-a", "ownerread|ownerwrite", "0x1600000"]);
    const made = await identity();
    expect(made.created).toBe(true);
    const cred = readFileSync(layout.config.tpmCredential, "utf8");
    expect(cred).toMatch(/^[0-9a-f-]{36}$/);
    expect(nvIndexes()).not.toContain("0x1600000");
    expect(nvIndexes()).toContain("0x1500000");
    expect(readPublic(HANDLES.device).pem).toBe(p256Pem(made.publicKey));
  });

  test("restores a lost device certificate byte-identical from NV 0x1500000 and logs it", async () => {
    const cert = readFileSync(layout.config.deviceCert);
    rmSync(layout.config.deviceCert);
    lines.length = 0;
    const again = await identity();
    expect(again.created).toBe(false);
    expect(readFileSync(layout.config.deviceCert).equals(cert)).toBe(true);
    const restored = lines.map((l) => JSON.parse(l)).find((r) => r.msg === "device certificate was missing; restored it");
    expect(restored).toMatchObject({ level: "warn", from: "TPM NV 0x1500000" });
  });

  test("ignores an NV copy that certifies another key and provisions a new identity", async () => {
    const old = readPublic(HANDLES.device).pem;
    const other = await createDeviceCertificate(softSigner(generateSoftKey()), new Date());
    const pem = typeof other.pem === "string" ? other.pem : new TextDecoder().decode(other.pem);
    const file = fx.file("foreign.pem", pem);
    fx.sw.tool(["tpm2_nvundefine", "-C", "o", "0x1500000"]);
    fx.sw.tool(["tpm2_nvdefine", "-C", "o", "-s", String(Buffer.byteLength(pem)), "-a", "ownerread|ownerwrite", "0x1500000"]);
    fx.sw.tool(["tpm2_nvwrite", "-C", "o", "-i", file, "0x1500000"]);
    rmSync(layout.config.deviceCert);
    lines.length = 0;
    const made = await identity();
    expect(made.created).toBe(true);
    expect(lines.some((l) => l.includes("ignoring the device certificate in NV 0x1500000"))).toBe(true);
    expect(readFileSync(layout.config.deviceCert, "utf8")).not.toBe(pem);
    expect(readPublic(HANDLES.device).pem).not.toBe(old);
  });

  test("ignores an NV copy that is not a certificate", async () => {
    const file = fx.file("junk.bin", "-----BEGIN CERTIFICATE-----\nnot base64\n");
    fx.sw.tool(["tpm2_nvundefine", "-C", "o", "0x1500000"]);
    fx.sw.tool(["tpm2_nvdefine", "-C", "o", "-s", String(readFileSync(file).length), "-a", "ownerread|ownerwrite", "0x1500000"]);
    fx.sw.tool(["tpm2_nvwrite", "-C", "o", "-i", file, "0x1500000"]);
    rmSync(layout.config.deviceCert);
    lines.length = 0;
    const made = await identity();
    expect(made.created).toBe(true);
    expect(lines.some((l) => l.includes("ignoring the device certificate in NV 0x1500000: it is not a certificate"))).toBe(true);
  });
});
