// A device without a TPM (issue 13 point 2): the keys service signs with the
// software device key and makes new key pairs as 0600 files; symmetric keys
// sit in the plaintext vault store EVE keeps on such devices.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeTempRoots } from "../../harness/device.ts";
import { Caller, type ServicesRig, servicesRig, until } from "./fixture.ts";

let rig: ServicesRig;
let root: Caller;
const b64 = (b: Uint8Array | Buffer) => Buffer.from(b).toString("base64");

beforeAll(async () => {
  rig = await servicesRig({ serial: "SERVICES-SOFT-1", tpm: false, toml: "" });
  await rig.agent.waitFor((s) => s.device.onboarded === true, 120_000);
  await until("the keys socket", () => existsSync(rig.sockets.keys) || undefined);
}, 180_000);

afterAll(async () => {
  await rig?.dispose();
  removeTempRoots();
});

describe("keys on a device without a TPM", () => {
  test("the software device key signs as key://device-id and new key pairs are 0600 files", async () => {
    root = new Caller(rig.sockets);
    const data = "signed by the software device key";
    const h = await root.call("keys", "GET", "/keypair/device-id");
    const sig = await root.call("keys", "POST", "/sign", {
      keyHandle: h.body.keyHandle,
      algorithm: "ECDSA",
      parameters: { digest: b64(createHash("sha256").update(data).digest()) },
    });
    const f = (n: string) => join(rig.root, n);
    writeFileSync(f("data"), data);
    writeFileSync(f("sig"), Buffer.from(sig.body.signature, "base64"));
    writeFileSync(f("pub.pem"), spawnSync("openssl", ["x509", "-in", f("config/device.cert.pem"), "-pubkey", "-noout"], { encoding: "utf8" }).stdout);
    expect(spawnSync("openssl", ["dgst", "-sha256", "-verify", f("pub.pem"), "-signature", f("sig"), f("data")], { encoding: "utf8" }).stdout.trim()).toBe(
      "Verified OK",
    );

    for (const [id, alg, kind] of [
      ["work-ec", "ec-p256", "ECDSA"],
      ["work-rsa", "rsa-2048", "RSA"],
    ] as const) {
      const made = await root.call("keys", "POST", "/keypair", { keyId: id, preferredAlgorithms: alg });
      expect((await root.call("keys", "POST", "/parameters/algorithm", { keyHandle: made.body.keyHandle })).body).toEqual({ value: kind });
      const file = f(`persist/edge-agent/keys/${id}.key.pem`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    const aead = await root.call("keys", "POST", "/key", { keyId: "work-aead", usage: "encrypt" });
    const iv = b64(randomBytes(12));
    const enc = await root.call("keys", "POST", "/encrypt", {
      keyHandle: aead.body.keyHandle,
      algorithm: "AEAD",
      parameters: { iv, aad: "" },
      plaintext: b64(Buffer.from("x")),
    });
    expect(enc.status).toBe(200);
    const dec = await root.call("keys", "POST", "/decrypt", {
      keyHandle: aead.body.keyHandle,
      algorithm: "AEAD",
      parameters: { iv, aad: "" },
      ciphertext: enc.body.ciphertext,
    });
    expect(Buffer.from(dec.body.plaintext, "base64").toString()).toBe("x");
  }, 60_000);
});
