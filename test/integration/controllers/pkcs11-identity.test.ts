/**
 * The EVE device identity in a PKCS#11 token, against each controller (issue
 * 13 point 3): SoftHSM2 holds the device key, the agent runs with
 * identity_pk = key://device-id and identity_cert = cert://device-id, and
 * onboards with envelopes signed inside the token. Adam checks those
 * signatures with Go's crypto, so a request it logs for the device is one
 * the token signed correctly; the test controller alone could share a
 * misreading with the agent.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Pkcs11, p256Signer } from "../../../src/pkcs11/index.ts";
import { createDeviceCertificate } from "../../../src/pki/index.ts";
import { codec } from "../../../src/protocol/index.ts";
import { describeEachPeer } from "../../harness/peers/index.ts";
import { createSoftHsm, type SoftHsm } from "../pkcs11/softhsm.ts";
import { onboardedOn, requestsFor, SCENARIO_TIMEOUT_MS as T, until, useControllerRig } from "./rig.ts";

const PIN = `pin-${randomBytes(8).toString("hex")}`;
const TOKEN = "edge-identity";
let hsm: SoftHsm;
let certPath: string;
let tokenPub: string;
/** Our config version, told apart from Adam v0.1.3's base config ("4"). */
const VERSION = "113";

function openssl(args: string[], input?: string): string {
  const r = spawnSync("openssl", args, { encoding: "utf8", input });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  hsm = createSoftHsm();
  hsm.initToken(TOKEN, PIN);
  hsm.pkcs11Tool(["--token-label", TOKEN, "--login", "--pin", PIN, "--keypairgen", "--key-type", "EC:prime256v1", "--label", "device-id", "--id", "01"]);
  // The public key as pkcs11-tool reads it from the token: the independent account of which key the controller must hold.
  const der = join(hsm.dir, "device-id.pub.der");
  hsm.pkcs11Tool(["--token-label", TOKEN, "--read-object", "--type", "pubkey", "--label", "device-id", "-o", der]);
  tokenPub = openssl(["pkey", "-pubin", "-inform", "DER", "-in", der]);
  // The device certificate a provisioning station would make: self-signed inside the token.
  hsm.use();
  const p11 = await Pkcs11.open({ libPath: hsm.module, thread: "inline" });
  const made = await createDeviceCertificate(p256Signer(await p11.findKey(`pkcs11:token=${TOKEN};object=device-id?pin-value=${PIN}`)), new Date());
  await p11.close();
  certPath = hsm.file("device.cert.pem", made.pem);
});

afterAll(() => {
  hsm?.cleanup();
});

const identityToml = () =>
  [
    "[keys]",
    `pkcs11_lib_path = "${hsm.module}"`,
    `pkcs11_base_slot = "pkcs11:token=${TOKEN}?pin-value=${PIN}"`,
    `"preloaded_key:device-id" = "pkcs11:token=${TOKEN};object=device-id?pin-value=${PIN}"`,
    "[certs]",
    `"preloaded_cert:device-id" = "${certPath}"`,
    "[identity]",
    'identity_pk = "key://device-id"',
    'identity_cert = "cert://device-id"',
  ].join("\n");

describeEachPeer("the device identity in a PKCS#11 token", (peers) => {
  const rig = useControllerRig(peers);

  test(
    "the agent onboards with envelopes signed inside SoftHSM; the controller holds the token's key and accepts the device's signed requests",
    rig.diagnosed(async () => {
      const peer = await rig.controller();
      const onboard = await rig.onboardingCert();
      await peer.client.onboardAdd(onboard.certPem, ["SN-P11"]);
      const dev = await rig.device(peer, onboard, "SN-P11");
      const run = rig.boot(peer, dev, { toml: identityToml(), env: hsm.env });

      const uuid = await onboardedOn(peer, dev, run);
      // The certificate the controller registered names the key pkcs11-tool reads from the token.
      const entry = (await peer.client.deviceGet(uuid))!;
      expect(entry.serial).toBe("SN-P11");
      expect(openssl(["x509", "-pubkey", "-noout"], entry.certPem)).toBe(tokenPub);

      // A config only the controller could have put there: the agent fetched it with a signed /config the controller accepted.
      await peer.client.deviceConfigPut(uuid, codec.EdgeDevConfig.encode({ id: { uuid, version: VERSION }, device_name: "p11-device", configItems: [] }));
      const s = await run.agent.waitFor((st) => st.device.onboarded === true && st.config.received === true && st.config.version === VERSION, 30_000);
      expect(s.device.uuid).toBe(uuid);
      expect(s.tpm).toMatchObject({ backend: "pkcs11" });

      // /uuid and then config and info under the device's path: each one an envelope the controller verified against the token's key.
      const records = await until(run, "the controller to log /uuid, /config and /info for the device", async () => {
        const r = await peer.settled("requests", () => peer.client.deviceRequests(uuid));
        return requestsFor(r, "uuid").length > 0 && requestsFor(r, "config").length > 0 && requestsFor(r, "info").length > 0 ? r : undefined;
      });
      console.log(`${peers.title}: requests by the PKCS#11 device: ${records.map((r) => `${r.method} ${r.url}`).join(", ")}`);
      for (const r of records) expect(r.uuid).toBe(uuid);
      for (const r of [...requestsFor(records, "config"), ...requestsFor(records, "info")]) expect(r.url).toStartWith(`/api/v2/edgedevice/id/${uuid}/`);
      // The private key never left the token.
      expect(existsSync(join(dev.root, "config", "device.key.pem"))).toBe(false);
    }),
    T,
  );
});
