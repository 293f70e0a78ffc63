// The EVE device identity in a PKCS#11 token (issue 13 points 2, 3, 7, 9):
// SoftHSM2 holds the device key (generated in the token by pkcs11-tool) and
// an RSA key; the agent, with identity_pk = key://device-id and
// identity_cert = cert://device-id, onboards to the test controller with
// envelopes signed inside SoftHSM, and its keys service signs with the
// token's keys and makes new key pairs in the base slot. `edge-agent
// check` loads the module, opens the slot and matches keys and certificates.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Pkcs11, p256Signer } from "../../../src/pkcs11/index.ts";
import { createDeviceCertificate } from "../../../src/pki/index.ts";
import { removeTempRoots } from "../../harness/device.ts";
import { createSoftHsm, type SoftHsm } from "../pkcs11/softhsm.ts";
import { Caller, createUsers, exchanges, logLines, type ServicesRig, servicesRig, until } from "./fixture.ts";

const REPO = resolve(import.meta.dir, "../../..");
const PIN = `pin-${randomBytes(8).toString("hex")}`;
const TOKEN = "edge-identity";
let hsm: SoftHsm;
let accounts: ReturnType<typeof createUsers>;
let rig: ServicesRig;
let root: Caller;
let ok: Caller;
let certPath: string;
let keyUri: string;

const b64 = (b: Uint8Array | Buffer) => Buffer.from(b).toString("base64");
const sha256 = (b: Uint8Array | string) => new Uint8Array(createHash("sha256").update(b).digest());

function openssl(args: string[], allowFail = false): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  if (r.status !== 0 && !allowFail) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The public key pkcs11-tool reads from the token, as PEM. */
function tokenPublicKey(label: string): string {
  const der = join(hsm.dir, `${label}.pub.der`);
  hsm.pkcs11Tool(["--token-label", TOKEN, "--read-object", "--type", "pubkey", "--label", label, "-o", der]);
  return openssl(["pkey", "-pubin", "-inform", "DER", "-in", der]).stdout;
}

beforeAll(async () => {
  hsm = createSoftHsm();
  hsm.initToken(TOKEN, PIN);
  const login = ["--token-label", TOKEN, "--login", "--pin", PIN];
  hsm.pkcs11Tool([...login, "--keypairgen", "--key-type", "EC:prime256v1", "--label", "device-id", "--id", "01"]);
  hsm.pkcs11Tool([...login, "--keypairgen", "--key-type", "rsa:2048", "--label", "work-rsa", "--id", "02"]);
  keyUri = `pkcs11:token=${TOKEN};object=device-id?pin-value=${PIN}`;
  // The device certificate as a provisioning station would make it: self-signed by the key in the token.
  hsm.use();
  const p11 = await Pkcs11.open({ libPath: hsm.module, thread: "inline" });
  const made = await createDeviceCertificate(p256Signer(await p11.findKey(keyUri)), new Date());
  await p11.close();
  certPath = hsm.file("device.cert.pem", made.pem);
  // openssl agrees: the certificate names the token's key and its self-signature holds.
  expect(openssl(["x509", "-in", certPath, "-pubkey", "-noout"]).stdout).toBe(tokenPublicKey("device-id"));
  expect(openssl(["verify", "-CAfile", certPath, certPath]).stdout.trim()).toBe(`${certPath}: OK`);

  accounts = createUsers(["ok"]);
  const u = accounts.users.ok!;
  rig = await servicesRig({
    serial: "SERVICES-P11-1",
    tpm: false,
    env: hsm.env,
    toml: [
      "[services]",
      `socketGroup = ${accounts.group.gid}`,
      "[keys]",
      `pkcs11_lib_path = "${hsm.module}"`,
      `pkcs11_base_slot = "pkcs11:token=${TOKEN}?pin-value=${PIN}"`,
      `"preloaded_key:device-id" = "${keyUri}"`,
      `"preloaded_key:work-rsa" = "pkcs11:token=${TOKEN};object=work-rsa?pin-value=${PIN}"`,
      "[certs]",
      `"preloaded_cert:device-id" = "${certPath}"`,
      "[identity]",
      'identity_pk = "key://device-id"',
      'identity_cert = "cert://device-id"',
      "[[principal]]",
      `uid = ${u.uid}`,
      'idtype = ["device"]',
      'keys = ["device-id", "work-*"]',
    ].join("\n"),
  });
  root = new Caller(rig.sockets);
  ok = new Caller(rig.sockets, u);
}, 180_000);

afterAll(async () => {
  await rig?.dispose();
  accounts?.remove();
  hsm?.cleanup();
  removeTempRoots();
});

describe("the device identity in a PKCS#11 token", () => {
  test("the agent onboards with envelopes signed inside SoftHSM, under the preloaded certificate", async () => {
    const s = await rig.agent.waitFor((st) => st.device.onboarded === true && st.config.received === true, 120_000);
    expect(s.tpm).toMatchObject({ backend: "pkcs11", hsmStatus: "DISABLED" });
    // The controller knows the device by the preloaded certificate and verified its signed requests.
    const rec = rig.ctl.controller.state.devices.get(s.device.uuid!)!;
    expect(rec.certPem.trim()).toBe(readFileSync(certPath, "utf8").trim());
    // The controller answers an envelope whose signature does not verify with 401: config and info only came through signed by the token.
    expect(rec.requests.filter((r) => r.url.endsWith("/config") || r.url.endsWith("/info")).length).toBeGreaterThanOrEqual(2);
    expect(s.config.poll?.lastHttpStatus === 200 || s.config.poll?.lastHttpStatus === 304).toBe(true);
    // No device key anywhere on disk: it lives in the token.
    expect(existsSync(join(rig.root, "config", "device.key.pem"))).toBe(false);
    expect(readFileSync(join(rig.root, "config", "device.cert.pem"), "utf8")).toBe(readFileSync(certPath, "utf8"));
    expect(logLines(rig.agent).some((l) => l.msg === "device certificate was missing; restored it" && l.from === certPath)).toBe(true);
  }, 150_000);

  test("key://device-id and the token's RSA key sign through the keys service; openssl verifies with the token's public keys", async () => {
    await until("the keys socket", () => existsSync(rig.sockets.keys) || undefined);
    const data = new TextEncoder().encode("signed in the token");
    const dev = await ok.call("keys", "GET", "/keypair/key:%2F%2Fdevice-id");
    expect(dev.status).toBe(200);
    const sig = await ok.call("keys", "POST", "/sign", { keyHandle: dev.body.keyHandle, algorithm: "ECDSA", parameters: { digest: b64(sha256(data)) } });
    const verify = (pubPem: string, sigBytes: Uint8Array, content: Uint8Array) => {
      const pub = hsm.file(`v-${randomBytes(4).toString("hex")}.pem`, pubPem);
      return openssl(
        [
          "dgst",
          "-sha256",
          "-verify",
          pub,
          "-signature",
          hsm.file(`s-${randomBytes(4).toString("hex")}`, sigBytes),
          hsm.file(`d-${randomBytes(4).toString("hex")}`, content),
        ],
        true,
      ).stdout.trim();
    };
    const certPub = openssl(["x509", "-in", certPath, "-pubkey", "-noout"]).stdout;
    expect(verify(certPub, Buffer.from(sig.body.signature, "base64"), data)).toBe("Verified OK");

    const rsa = await ok.call("keys", "GET", "/keypair/work-rsa");
    const param = async (name: string) => (await ok.call("keys", "POST", `/parameters/${name}`, { keyHandle: rsa.body.keyHandle })).body.value as string;
    expect(await param("algorithm")).toBe("RSA");
    const modulus = Buffer.from(await param("rsa-modulus"), "base64")
      .toString("hex")
      .replace(/^(00)+/, "");
    const toolText = openssl(["rsa", "-pubin", "-in", hsm.file("work-rsa.pub.pem", tokenPublicKey("work-rsa")), "-modulus", "-noout"]).stdout;
    expect(toolText.trim().toLowerCase()).toBe(`modulus=${modulus}`);
    expect(Buffer.from(await param("rsa-exponent"), "base64").toString("hex")).toBe("010001");
    // RSA signing as aziot's clients do it: the PKCS#1 private-key operation on a SHA-256 DigestInfo.
    const info = Buffer.concat([Buffer.from("3031300d060960864801650304020105000420", "hex"), sha256(data)]);
    const rsaSig = await ok.call("keys", "POST", "/encrypt", { keyHandle: rsa.body.keyHandle, algorithm: "RSA-PKCS1", plaintext: b64(info) });
    expect(rsaSig.status).toBe(200);
    expect(verify(tokenPublicKey("work-rsa"), Buffer.from(rsaSig.body.ciphertext, "base64"), data)).toBe("Verified OK");
    expect(verify(tokenPublicKey("work-rsa"), Buffer.from(rsaSig.body.ciphertext, "base64"), new TextEncoder().encode("other"))).not.toBe("Verified OK");

    // The identity service hands out the token key by reference.
    const id = await ok.call("identity", "GET", "/identities/identity");
    expect(id.body.spec.auth).toMatchObject({ type: "x509", certId: "device-id" });
    expect((await root.call("certs", "GET", "/certificates/device-id")).body.pem).toBe(readFileSync(certPath, "utf8"));
  }, 60_000);

  test("new key pairs are made in the base slot's token, never as files, and deleted from it", async () => {
    const made = await ok.call("keys", "POST", "/keypair", { keyId: "work-gen", preferredAlgorithms: "ec-p256" });
    expect(made.status).toBe(200);
    const listing = hsm.pkcs11Tool(["--token-label", TOKEN, "--login", "--pin", PIN, "--list-objects", "--type", "privkey"]).stdout;
    expect(listing).toContain("label:      work-gen");
    expect(existsSync(join(rig.root, "persist", "edge-agent", "keys", "work-gen.key.pem"))).toBe(false);
    const point = Buffer.from((await ok.call("keys", "POST", "/parameters/ec-point", { keyHandle: made.body.keyHandle })).body.value, "base64");
    const pubPem = tokenPublicKey("work-gen");
    const toolHex = openssl(["pkey", "-pubin", "-in", hsm.file("work-gen2.pem", pubPem), "-text", "-noout"]).stdout;
    const pub = toolHex.split("pub:")[1]!.split("ASN1 OID")[0]!.replace(/[\s:]/g, "");
    expect(pub).toBe(point.toString("hex"));
    expect((await ok.call("keys", "POST", "/keypair/work-moved", { from: "work-gen" })).status).toBe(501);
    expect((await ok.call("keys", "DELETE", "/keypair", { keyHandle: made.body.keyHandle })).status).toBe(204);
    expect(hsm.pkcs11Tool(["--token-label", TOKEN, "--login", "--pin", PIN, "--list-objects", "--type", "privkey"]).stdout).not.toContain("work-gen");
    // The preloaded keys are the token's, not the API's to delete.
    const dev = await root.call("keys", "GET", "/keypair/device-id");
    expect((await root.call("keys", "DELETE", "/keypair", { keyHandle: dev.body.keyHandle })).status).toBe(409);
  }, 60_000);

  test("edge-agent check loads the module, opens the slot, and matches each preloaded key with its certificate", async () => {
    const check = (config: string) => {
      const r = spawnSync(process.execPath, [join(REPO, "src/cli.ts"), "check", "--json", "--config", config], {
        encoding: "utf8",
        env: { ...process.env, ...hsm.env },
      });
      return { status: r.status, results: JSON.parse(r.stdout) as Array<{ name: string; verdict: string; detail: string }>, raw: r.stdout + r.stderr };
    };
    const good = check(join(rig.root, "agent.toml"));
    const by = (name: string) => good.results.find((x) => x.name === name);
    expect(by("pkcs11 module")).toMatchObject({ verdict: "ok" });
    expect(by("pkcs11 slot")).toMatchObject({ verdict: "ok", detail: expect.stringContaining(`token "${TOKEN}"`) });
    expect(by("preloaded key device-id")).toMatchObject({ verdict: "ok", detail: expect.stringContaining("a signature made now verifies") });
    expect(by("preloaded key work-rsa")).toMatchObject({ verdict: "ok", detail: expect.stringContaining("RSA") });
    expect(by("principals")).toMatchObject({ verdict: "ok" });
    expect(by("device key")).toMatchObject({ verdict: "ok", detail: expect.stringContaining("PKCS#11") });
    expect(good.raw).not.toContain(PIN);

    // A certificate that names another key, a slot that does not exist: both fail with the reason.
    const dir = join(rig.root, "check-bad");
    mkdirSync(dir);
    const bad = join(dir, "agent.toml");
    writeFileSync(
      bad,
      readFileSync(join(rig.root, "agent.toml"), "utf8")
        .replace("[certs]\n", `[certs]\n"preloaded_cert:work-rsa" = "${certPath}"\n`)
        .replace(`pkcs11_base_slot = "pkcs11:token=${TOKEN}?`, `pkcs11_base_slot = "pkcs11:token=no-such-token?`),
    );
    const failed = check(bad);
    expect(failed.status).toBe(1);
    const f = (name: string) => failed.results.find((x) => x.name === name);
    expect(f("pkcs11 slot")).toMatchObject({ verdict: "fail", detail: expect.stringContaining("no-such-token") });
    expect(f("preloaded key work-rsa")).toMatchObject({ verdict: "fail", detail: expect.stringContaining("does not match") });
    expect(f("preloaded key device-id")).toMatchObject({ verdict: "ok" });
    expect(failed.raw).not.toContain(PIN);
  }, 90_000);

  test("the PIN and private keys appear in no answer and no log line", () => {
    const all = [readFileSync(rig.agent.logFile, "utf8"), ...exchanges.map((x) => x.raw)].join("\n");
    expect(all.length).toBeGreaterThan(5_000);
    expect(all).not.toContain(PIN);
    expect(all).not.toContain("PRIVATE KEY");
  });
});
