import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { EsysTpm } from "../../native/tss2/index.ts";
import { createDeviceCertificate, parseCertificatesPem } from "../../src/pki/index.ts";
import { utf8 } from "../../src/shared/index.ts";
import { NV_INDEX, openTpm } from "../../src/tpm/index.ts";
import { type RunningController, startTestController } from "../controller/index.ts";
import { type AgentProcess, startAgent } from "../harness/agent.ts";
import { removeTempRoots, tempRoot, writeDeviceConfig } from "../harness/device.ts";
import { makeOnboardingCert, type OnboardingCert } from "../harness/pki.ts";
import { run } from "../harness/proc.ts";
import { type Swtpm, startSwtpm } from "../harness/swtpm.ts";

/**
 * A device provisioned the way EVE (and this agent before TPM2_Create'd keys)
 * does it: device and ECDH keys are primaries from EVE's ECDH template, the
 * device cert is signed through 0x817FFFFF and mirrored to NV. The agent must
 * keep that identity and say it is derivable.
 */
let sw: Swtpm;
let ctl: RunningController;
let onboard: OnboardingCert;
const root = tempRoot();
const agents: AgentProcess[] = [];
const CREDENTIAL = "5e1f0c2a-77d4-4b1e-9a3c-0d2e4f6a8b10";
const EVE_ECDH = ["-G", "ecc256:null:null", "-a", "sign|decrypt|noda|sensitivedataorigin|userwithauth"];
const certPath = join(root, "config/device.cert.pem");
let certBefore: Buffer;
let keyBefore: string;

function agent(): AgentProcess {
  const a = startAgent({ root, toml: `serial = "MIG-SN-1"\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(sw.tcti)}\n` });
  agents.push(a);
  return a;
}

const check = () => run([process.execPath, join(import.meta.dir, "../../src/cli.ts"), "check", "--config", join(root, "agent.toml")]);

function devicePublicPem(): string {
  const out = join(root, "device-key.pem");
  sw.tool(["tpm2_readpublic", "-c", "0x817FFFFF", "-f", "pem", "-o", out]);
  return readFileSync(out, "utf8");
}

function evePrimary(handle: string, auth?: string): void {
  const ctx = join(root, "eve.ctx");
  sw.tool(["tpm2_createprimary", "-C", "o", ...EVE_ECDH, ...(auth ? ["-p", auth] : []), "-c", ctx]);
  sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", ctx, handle]);
  sw.flushTools();
}

beforeAll(async () => {
  sw = await startSwtpm();
  ctl = await startTestController();
  onboard = await makeOnboardingCert();
  await ctl.addOnboard(onboard.certPem, ["MIG-SN-1"]);
  writeDeviceConfig(root, { server: ctl.server, rootCertPem: ctl.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
  evePrimary("0x81000005");
  evePrimary("0x817FFFFF", CREDENTIAL.slice(0, 7));
  writeFileSync(join(root, "config/tpm_credential"), CREDENTIAL, { mode: 0o600 });
  const m = await openTpm({ tcti: sw.tcti, connect: (t) => EsysTpm.open(t) });
  try {
    await m.ensureKeys({ credential: CREDENTIAL });
    const made = await createDeviceCertificate(m.deviceSigner(), new Date());
    const pem = typeof made.pem === "string" ? utf8.encode(made.pem) : made.pem;
    writeFileSync(certPath, pem);
    await m.nvWrite(NV_INDEX.deviceCert, pem);
    await m.nvWrite(NV_INDEX.credential, utf8.encode(CREDENTIAL));
  } finally {
    await m.close();
  }
  certBefore = readFileSync(certPath);
  keyBefore = devicePublicPem();
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop(true)));
  await ctl.cleanup();
  await onboard.cleanup();
  await sw.stop();
  removeTempRoots();
});

describe("a device whose keys EVE's template made", () => {
  test("onboards with its existing key and certificate, reported as derivable in status and by edge-agent check", async () => {
    const a = agent();
    const s = await a.waitFor((s) => s.device.onboarded);
    expect({ deviceKey: s.tpm.deviceKey, ecdhKey: s.tpm.ecdhKey }).toEqual({ deviceKey: "derivable", ecdhKey: "derivable" });
    expect(s.tpm.deviceKeyWarning).toContain("Re-provision the device identity");
    const [uuid] = await ctl.devices();
    expect(s.device.uuid).toBe(uuid);
    const hash = Buffer.from(sha256(parseCertificatesPem(certBefore)[0]!.der)).toString("hex");
    expect(ctl.controller.state.devices.get(uuid!)?.certHashHex).toBe(hash);
    const c = await check();
    expect(c.stdout).toContain(
      "[warn] device key: derivable (reported by the agent): the device key 0x817FFFFF is a primary key made from EVE's public template",
    );
    await a.stop();
    expect(readFileSync(certPath).equals(certBefore)).toBe(true);
    expect(devicePublicPem()).toBe(keyBefore);
  });

  test("its device key is what tpm2_createprimary re-creates from EVE's template, which is why it is reported", () => {
    const out = join(root, "rederived.pem");
    sw.tool(["tpm2_createprimary", "-C", "o", ...EVE_ECDH, "-p", "chosen", "-f", "pem", "-o", out, "-c", join(root, "r.ctx")]);
    sw.flushTools();
    expect(readFileSync(out, "utf8")).toBe(keyBefore);
  });

  test("edge-agent check reads the TPM itself when no agent runs and leaves nothing loaded", async () => {
    const c = await check();
    expect(c.stdout).toContain("[warn] device key: derivable (read from the TPM)");
    expect(sw.tool(["tpm2_getcap", "handles-transient"]).stdout.trim()).toBe("");
  });

  test("restarts as the same device with the same key; the controller still holds one device", async () => {
    const [uuid] = await ctl.devices();
    const a = agent();
    const s = await a.waitFor((s) => s.device.onboarded && s.tpm.deviceKey !== undefined);
    expect(s.device.uuid).toBe(uuid);
    expect(s.tpm.deviceKey).toBe("derivable");
    expect(await ctl.devices()).toEqual([uuid!]);
    await a.stop();
    expect(readFileSync(certPath).equals(certBefore)).toBe(true);
    expect(devicePublicPem()).toBe(keyBefore);
  });
});
