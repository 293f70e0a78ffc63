import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startTestController, type RunningController } from "../controller/index.ts";
import { makeOnboardingCert, type OnboardingCert } from "../harness/pki.ts";
import { startAgent, type AgentProcess } from "../harness/agent.ts";
import { removeTempRoots, tempRoot, writeDeviceConfig } from "../harness/device.ts";
import { startSwtpm, type Swtpm } from "../harness/swtpm.ts";
import { run } from "../harness/proc.ts";
import { sha256 } from "@noble/hashes/sha2.js";
import { codec, deviceCertHash } from "../../src/protocol/index.ts";
import { parseCertificatesPem } from "../../src/pki/index.ts";

let sw: Swtpm;
let ctl: RunningController;
let onboard: OnboardingCert;
const root = tempRoot();
const agents: AgentProcess[] = [];

function agent(): AgentProcess {
  const a = startAgent({ root, toml: `serial = "TPM-SN-1"\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(sw.tcti)}\n` });
  agents.push(a);
  return a;
}

beforeAll(async () => {
  sw = await startSwtpm();
  ctl = await startTestController();
  onboard = await makeOnboardingCert();
  await ctl.addOnboard(onboard.certPem, ["TPM-SN-1"]);
  writeDeviceConfig(root, { server: ctl.server, rootCertPem: ctl.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop(true)));
  await ctl.cleanup();
  await onboard.cleanup();
  await sw.stop();
  removeTempRoots();
});

describe("onboarding with the TPM backend", () => {
  test("keeps the device key in the TPM and issues EVE's certs when onboarding on swtpm", async () => {
    const a = agent();
    const s = await a.waitFor((s) => s.device.onboarded);
    expect(s.tpm.backend).toBe("tpm");
    expect(s.tpm.hsmStatus).toBe("ENABLED");
    expect(existsSync(join(root, "config/device.key.pem"))).toBe(false);
    for (const f of ["ek", "attest", "ecdh"]) expect(existsSync(join(root, `persist/certs/${f}.cert.pem`))).toBe(true);
    expect(readFileSync(join(root, "config/tpm_credential"), "utf8")).toMatch(/^[0-9a-f-]{36}$/);
    const devices = await ctl.devices();
    expect(s.device.uuid).toBe(devices[0]);
    await a.stop();
  });

  test("the device cert names the TPM device key and is mirrored in NV when checked with tpm2-tools", async () => {
    // swtpm serves one connection at a time: the agent is stopped before the tools run.
    const certPath = join(root, "config/device.cert.pem");
    const pub = join(root, "device-key.pem");
    const r = await run(["tpm2_readpublic", "-c", "0x817FFFFF", "-f", "pem", "-o", pub], { env: { ...process.env, TPM2TOOLS_TCTI: sw.tcti } });
    expect(r.code).toBe(0);
    const fromCert = await run(["openssl", "x509", "-in", certPath, "-noout", "-pubkey"]);
    expect(fromCert.stdout.trim()).toBe(readFileSync(pub, "utf8").trim());
    const nv = join(root, "nv-cert.pem");
    const r2 = await run(["tpm2_nvread", "-C", "o", "0x1500000", "-o", nv], { env: { ...process.env, TPM2TOOLS_TCTI: sw.tcti } });
    expect(r2.code).toBe(0);
    expect(readFileSync(nv).equals(readFileSync(certPath))).toBe(true);
    const v = await run(["openssl", "verify", "-CAfile", certPath, join(root, "persist/certs/ek.cert.pem")]);
    expect(v.code).toBe(0);
  });

  test("envelopes signed by the TPM device key verify with openssl when the controller stored them", async () => {
    const certPath = join(root, "config/device.cert.pem");
    const wire = join(root, "wire");
    const a = startAgent({ root, toml: `serial = "TPM-SN-1"\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(sw.tcti)}\n`, env: { EDGE_AGENT_WIRE_DUMP: wire } });
    agents.push(a);
    await a.waitFor((s) => s.device.onboarded);
    await a.stop();
    const req = readFileSync(join(wire, "0003-uuid.req"));
    const env = codec.AuthContainer.decode(new Uint8Array(req));
    const cert = parseCertificatesPem(readFileSync(certPath))[0]!;
    expect(Buffer.from(env.senderCertHash).equals(Buffer.from(deviceCertHash(cert.der)))).toBe(true);
    // Raw r||s -> DER for openssl.
    const sig = env.signatureHash;
    const der = (x: Uint8Array) => {
      let i = 0;
      while (i < x.length - 1 && x[i] === 0) i++;
      let v = x.slice(i);
      if (v[0]! & 0x80) v = new Uint8Array([0, ...v]);
      return [0x02, v.length, ...v];
    };
    const body = [...der(sig.slice(0, 32)), ...der(sig.slice(32))];
    writeFileSync(join(root, "sig.der"), new Uint8Array([0x30, body.length, ...body]));
    writeFileSync(join(root, "payload.bin"), env.protectedPayload!.payload);
    await run(["sh", "-c", `openssl x509 -in ${certPath} -noout -pubkey > ${join(root, "devpub.pem")}`]);
    const v = await run(["openssl", "dgst", "-sha256", "-verify", join(root, "devpub.pem"), "-signature", join(root, "sig.der"), join(root, "payload.bin")]);
    expect(v.stdout.trim()).toBe("Verified OK");
    expect(sha256(env.protectedPayload!.payload).length).toBe(32);
  });

  test("reuses the persistent TPM keys and the same UUID when restarted", async () => {
    const certBefore = readFileSync(join(root, "config/device.cert.pem"));
    const a = agent();
    const s = await a.waitFor((s) => s.device.onboarded);
    expect(readFileSync(join(root, "config/device.cert.pem")).equals(certBefore)).toBe(true);
    const devices = await ctl.devices();
    expect(devices).toHaveLength(1);
    expect(s.device.uuid).toBe(devices[0]);
    await a.stop();
  });

  test("reports a cleared TPM instead of minting a new identity when tpm2_clear ran", async () => {
    const r = await run(["tpm2_clear", "-c", "p"], { env: { ...process.env, TPM2TOOLS_TCTI: sw.tcti } });
    expect(r.code).toBe(0);
    const certBefore = readFileSync(join(root, "config/device.cert.pem"));
    const a = agent();
    const s = await a.waitFor((s) => typeof s.device.error === "string");
    expect(s.device.error as string).toContain("TPM was cleared");
    expect(s.device.onboarded).toBe(false);
    expect(readFileSync(join(root, "config/device.cert.pem")).equals(certBefore)).toBe(true);
    await a.stop();
  });
});
