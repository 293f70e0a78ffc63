import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { parseCertificatesPem } from "../../src/pki/index.ts";
import { codec, deviceCertHash } from "../../src/protocol/index.ts";
import { type RunningController, startTestController } from "../controller/index.ts";
import { type AgentProcess, startAgent } from "../harness/agent.ts";
import { removeTempRoots, tempRoot, writeDeviceConfig } from "../harness/device.ts";
import { makeOnboardingCert, type OnboardingCert } from "../harness/pki.ts";
import { run, waitFor } from "../harness/proc.ts";
import { type Swtpm, startSwtpm } from "../harness/swtpm.ts";

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
    expect({ deviceKey: s.tpm.deviceKey, ecdhKey: s.tpm.ecdhKey, warning: s.tpm.deviceKeyWarning }).toEqual({
      deviceKey: "tpm-created",
      ecdhKey: "tpm-created",
      warning: undefined,
    });
    const check = await run([process.execPath, join(import.meta.dir, "../../src/cli.ts"), "check", "--config", join(root, "agent.toml")]);
    expect(check.stdout).toContain("[ok  ] device key: in the TPM (0x817FFFFF), created by the TPM, not derivable (reported by the agent)");
    await a.stop();
  });

  test("the device certificate's key is neither the ECDH key nor what EVE's templates re-create with tpm2_createprimary", async () => {
    const tools = { env: { ...process.env, TPM2TOOLS_TCTI: sw.tcti } };
    const fromCert = (await run(["openssl", "x509", "-in", join(root, "config/device.cert.pem"), "-noout", "-pubkey"])).stdout.trim();
    const pem = async (args: string[], out: string) => {
      const r = await run([...args, "-f", "pem", "-o", join(root, out)], tools);
      expect(r.code).toBe(0);
      await run(["tpm2_flushcontext", "-t"], tools);
      return readFileSync(join(root, out), "utf8").trim();
    };
    const eve = [
      "tpm2_createprimary",
      "-C",
      "o",
      "-G",
      "ecc256:null:null",
      "-a",
      "sign|decrypt|noda|sensitivedataorigin|userwithauth",
      "-c",
      join(root, "p.ctx"),
    ];
    const auth = readFileSync(join(root, "config/tpm_credential"), "utf8").trim().slice(0, 7);
    const ecdhTemplate = await pem(eve, "eve-ecdh.pem");
    const deviceTemplate = await pem([...eve, "-p", auth], "eve-device.pem");
    const ecdhKey = await pem(["tpm2_readpublic", "-c", "0x81000005"], "ecdh.pem");
    const deviceKey = await pem(["tpm2_readpublic", "-c", "0x817FFFFF"], "device.pem");
    expect(fromCert).toBe(deviceKey);
    expect(fromCert).not.toBe(ecdhTemplate);
    expect(fromCert).not.toBe(deviceTemplate);
    expect(fromCert).not.toBe(ecdhKey);
    // Control: the same tool does re-create the quote key, which EVE's template keeps a primary.
    const quoteTemplate = [
      "tpm2_createprimary",
      "-C",
      "o",
      "-G",
      "ecc256:ecdsa-sha256:null",
      "-a",
      "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign|noda",
      "-c",
      join(root, "q.ctx"),
    ];
    expect(await pem(quoteTemplate, "quote-template.pem")).toBe(await pem(["tpm2_readpublic", "-c", "0x81000004"], "quote.pem"));
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
    const a = startAgent({
      root,
      toml: `serial = "TPM-SN-1"\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(sw.tcti)}\n`,
      env: { EDGE_AGENT_WIRE_DUMP: wire },
    });
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

  test("restores a deleted device certificate from NV 0x1500000 and stays the same device at the controller", async () => {
    const certPath = join(root, "config/device.cert.pem");
    const before = readFileSync(certPath);
    const hash = Buffer.from(sha256(parseCertificatesPem(before)[0]!.der)).toString("hex");
    const [uuid] = await ctl.devices();
    const record = ctl.controller.state.devices.get(uuid!)!;
    expect(record.certHashHex).toBe(hash);
    const seen = record.requests.length;
    rmSync(certPath);
    const a = agent();
    const s = await a.waitFor((s) => s.device.onboarded);
    expect(readFileSync(certPath).equals(before)).toBe(true);
    expect(s.device.uuid).toBe(uuid);
    expect(await ctl.devices()).toEqual([uuid!]);
    // New requests authenticated by the controller under the same certificate hash.
    await waitFor(() => record.requests.length > seen, 30_000, { what: "an authenticated request from the restarted agent" });
    expect(ctl.controller.state.deviceByCertHash(hash)?.uuid).toBe(uuid!);
    const restored = readFileSync(a.logFile, "utf8")
      .split("\n")
      .filter((l) => l.includes("device certificate was missing; restored it"));
    expect(restored).toHaveLength(1);
    expect(JSON.parse(restored[0]!)).toMatchObject({ level: "warn", from: "TPM NV 0x1500000" });
    await a.stop();
  });

  test("reports a cleared TPM instead of minting a new identity when tpm2_clear ran", async () => {
    const r = await run(["tpm2_clear", "-c", "p"], { env: { ...process.env, TPM2TOOLS_TCTI: sw.tcti } });
    expect(r.code).toBe(0);
    const certBefore = readFileSync(join(root, "config/device.cert.pem"));
    const a = agent();
    const s = await a.waitFor((s) => s.device.lastError !== undefined);
    expect(s.device.lastError).toMatchObject({ kind: "identity.tpm-cleared", message: expect.stringContaining("TPM was cleared") });
    expect(s.device.onboarded).toBe(false);
    expect(readFileSync(join(root, "config/device.cert.pem")).equals(certBefore)).toBe(true);
    await a.stop();
  });
});
