import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sha256 } from "@noble/hashes/sha2.js";
import protobuf from "protobufjs";
import { codec, type EdgeDevConfig, type MessageInit, ZAttestReqType } from "../../src/protocol/index.ts";
import { utf8 } from "../../src/shared/index.ts";
import { type RunningController, startTestController } from "../controller/index.ts";
import { registerSimDevice, type SimDevice } from "../controller/sim-device.ts";
import { makeControllerPki, makeOnboardingCert, type OnboardingCert } from "../harness/pki.ts";

let c: RunningController;
let onboard: OnboardingCert;

beforeAll(async () => {
  [c, onboard] = await Promise.all([startTestController(), makeOnboardingCert()]);
  await c.addOnboard(onboard.certPem, ["*"]);
});

afterAll(async () => {
  await Promise.all([c?.cleanup(), onboard?.cleanup()]);
});

let serial = 0;
const device = () => registerSimDevice(c, onboard, `SN-C${serial++}`);

const PROTO = "application/x-proto-binary";

function putConfig(uuid: string, body: Uint8Array | string, contentType = PROTO) {
  return c.admin(`/device/${uuid}/config`, { method: "PUT", headers: { "Content-Type": contentType }, body: body as Uint8Array<ArrayBuffer> | string });
}

async function storedConfig(uuid: string): Promise<EdgeDevConfig> {
  const res = await c.admin(`/device/${uuid}/config`, { headers: { Accept: PROTO } });
  expect(res.status).toBe(200);
  return codec.EdgeDevConfig.decode(new Uint8Array(await res.arrayBuffer()));
}

const cfg = (init: MessageInit<EdgeDevConfig>) => codec.EdgeDevConfig.encode(init);

/** A device that has the token (empty quote, as without TPM) and a config. */
async function readyDevice(init: MessageInit<EdgeDevConfig> = { id: { uuid: "", version: "1" } }): Promise<{ dev: SimDevice; token: Uint8Array }> {
  const dev = await device();
  const q = await dev.attest({ reqType: ZAttestReqType.ATTEST_REQ_QUOTE });
  const token = q.resp!.quoteResp!.integrity_token;
  expect((await putConfig(dev.uuid, cfg(init))).status).toBe(200);
  return { dev, token };
}

function served(payload: Uint8Array) {
  return codec.ConfigResponse.decode(payload);
}

describe("device /config", () => {
  test("answers 404 when no config is set, even with a valid token", async () => {
    const dev = await device();
    const q = await dev.attest({ reqType: ZAttestReqType.ATTEST_REQ_QUOTE });
    const r = await dev.config({ integrity_token: q.resp!.quoteResp!.integrity_token });
    expect(r.status).toBe(404);
  });

  test("answers 403 when the request carries no integrity token", async () => {
    const { dev } = await readyDevice();
    expect((await dev.config({})).status).toBe(403);
  });

  test("answers 403 when the integrity token does not match", async () => {
    const { dev } = await readyDevice();
    expect((await dev.config({ integrity_token: utf8.encode("0".repeat(128)) })).status).toBe(403);
  });

  test("answers 403 to a device that never attested even when it sends an empty token", async () => {
    const dev = await device();
    expect((await putConfig(dev.uuid, cfg({ id: { uuid: "", version: "1" } }))).status).toBe(200);
    expect((await dev.config({ integrity_token: new Uint8Array() })).status).toBe(403);
  });

  test("serves the config signed with its hash and then 304 when the device repeats the hash", async () => {
    const { dev, token } = await readyDevice({ id: { uuid: "", version: "7" }, configItems: [{ key: "timer.config.interval", value: "10" }] });
    const r = await dev.config({ integrity_token: token });
    expect(r.status).toBe(200);
    expect(r.contentType).toBe(PROTO);
    const resp = served(r.payload!);
    expect(resp.config!.id).toEqual({ uuid: dev.uuid, version: "7" });
    expect(resp.config!.configItems).toEqual([{ key: "timer.config.interval", value: "10" }]);
    expect(resp.config!.controllercert_confighash).toBe(c.controller.certsHash());
    const again = await dev.config({ integrity_token: token, configHash: resp.configHash });
    expect(again.status).toBe(304);
    expect(again.body).toHaveLength(0);
    expect((await dev.config({ integrity_token: token, configHash: "stale" })).status).toBe(200);
  });

  test("hashes exactly the config bytes it serves when computing configHash", async () => {
    const { dev, token } = await readyDevice();
    const r = await dev.config({ integrity_token: token });
    // Take the config field's bytes straight off the wire, not a re-encoding.
    const reader = protobuf.Reader.create(r.payload!);
    let configBytes: Uint8Array | undefined;
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag >>> 3 === 1) configBytes = reader.bytes();
      else reader.skipType(tag & 7);
    }
    const expected = Buffer.from(sha256(configBytes!)).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
    expect(served(r.payload!).configHash).toBe(expected);
  });

  test("changes configHash when the controller certs are rotated", async () => {
    const { dev, token } = await readyDevice();
    const before = served((await dev.config({ integrity_token: token })).payload!);
    const next = await makeControllerPki({ hosts: ["127.0.0.1"] });
    try {
      c.controller.rotateControllerCerts({ signingCertPem: next.signing.certPem, signingKeyPem: next.signing.keyPem, ecdhCertPem: next.ecdh.certPem });
      const r = await dev.config({ integrity_token: token, configHash: before.configHash });
      expect(r.status).toBe(200);
      const after = served(r.payload!);
      expect(after.configHash).not.toBe(before.configHash);
      expect(after.config!.controllercert_confighash).not.toBe(before.config!.controllercert_confighash);
    } finally {
      c.controller.rotateControllerCerts({ signingCertPem: c.pki.signing.certPem, signingKeyPem: c.pki.signing.keyPem, ecdhCertPem: c.pki.ecdh.certPem });
      await next.cleanup();
    }
    expect((await dev.config({ integrity_token: token, configHash: before.configHash })).status).toBe(304);
  });

  test("serves the new config when the admin PUTs one after the device saw the old hash", async () => {
    const { dev, token } = await readyDevice();
    const first = served((await dev.config({ integrity_token: token })).payload!);
    expect((await putConfig(dev.uuid, cfg({ configItems: [{ key: "a", value: "b" }] }))).status).toBe(200);
    const r = await dev.config({ integrity_token: token, configHash: first.configHash });
    expect(r.status).toBe(200);
    const second = served(r.payload!);
    expect(second.configHash).not.toBe(first.configHash);
    expect(second.config!.id!.version).toBe("2");
  });

  test("passes fields the agent's schema does not declare through to the device untouched", async () => {
    const { dev, token } = await readyDevice();
    // Field 5 (apps) is not in the trimmed devconfig.proto; append one raw.
    const unknown = new Uint8Array(
      protobuf.Writer.create()
        .uint32((5 << 3) | 2)
        .bytes(utf8.encode("app-blob"))
        .finish(),
    );
    const body = new Uint8Array([...cfg({ id: { uuid: "", version: "9" } }), ...unknown]);
    expect((await putConfig(dev.uuid, body)).status).toBe(200);
    const r = await dev.config({ integrity_token: token });
    const hex = Buffer.from(r.payload!).toString("hex");
    expect(hex).toContain(Buffer.from(unknown).toString("hex"));
  });

  test("answers the same on /config without a UUID in the path", async () => {
    const { dev, token } = await readyDevice();
    const r = await dev.post("config", codec.ConfigRequest.encode({ integrity_token: token }));
    expect(r.status).toBe(200);
    expect(served(r.payload!).config!.id!.uuid).toBe(dev.uuid);
  });

  test("answers 500 when a GET carries no body", async () => {
    const { dev } = await readyDevice();
    const res = await fetch(`${c.url}/api/v2/edgedevice/id/${dev.uuid}/config`, { tls: { ca: c.pki.trustPem } } as RequestInit);
    expect(res.status).toBe(500);
  });
});

describe("admin config PUT", () => {
  test("answers 400 when the first config carries no id.version", async () => {
    const dev = await device();
    expect((await putConfig(dev.uuid, cfg({ configItems: [{ key: "k", value: "v" }] }))).status).toBe(400);
    expect((await putConfig(dev.uuid, cfg({ id: { uuid: dev.uuid, version: "" } }))).status).toBe(400);
    expect((await c.admin(`/device/${dev.uuid}/config`)).status).toBe(404);
  });

  test("fills id.uuid and keeps the given version when the first config has one", async () => {
    const dev = await device();
    expect((await putConfig(dev.uuid, cfg({ id: { uuid: "", version: "41" } }))).status).toBe(200);
    expect((await storedConfig(dev.uuid)).id).toEqual({ uuid: dev.uuid, version: "41" });
  });

  test("bumps the numeric version when a later PUT leaves it out", async () => {
    const dev = await device();
    await putConfig(dev.uuid, cfg({ id: { uuid: "", version: "41" } }));
    expect((await putConfig(dev.uuid, cfg({ configItems: [{ key: "k", value: "v" }] }))).status).toBe(200);
    expect((await storedConfig(dev.uuid)).id).toEqual({ uuid: dev.uuid, version: "42" });
    expect((await putConfig(dev.uuid, cfg({ id: { uuid: dev.uuid, version: "" } }))).status).toBe(200);
    expect((await storedConfig(dev.uuid)).id!.version).toBe("43");
    expect((await putConfig(dev.uuid, cfg({ id: { uuid: "", version: "5" } }))).status).toBe(200);
    expect((await storedConfig(dev.uuid)).id!.version).toBe("5");
  });

  test("answers 400 when a later PUT leaves the version out and the stored one is not a number", async () => {
    const dev = await device();
    await putConfig(dev.uuid, cfg({ id: { uuid: "", version: "v1" } }));
    expect((await putConfig(dev.uuid, cfg({}))).status).toBe(400);
    expect((await storedConfig(dev.uuid)).id!.version).toBe("v1");
  });

  test("answers 400 when id.uuid names another device", async () => {
    const dev = await device();
    expect((await putConfig(dev.uuid, cfg({ id: { uuid: crypto.randomUUID(), version: "1" } }))).status).toBe(400);
  });

  test("answers 404 when the device is unknown", async () => {
    expect((await putConfig(crypto.randomUUID(), cfg({ id: { uuid: "", version: "1" } }))).status).toBe(404);
  });

  test("answers 400 when the binary body is not an EdgeDevConfig", async () => {
    const dev = await device();
    expect((await putConfig(dev.uuid, new Uint8Array([0x0a, 0x05, 0x01]))).status).toBe(400);
  });

  test("reads Go-style JSON with case-insensitive proto field names when the body is not binary", async () => {
    const dev = await device();
    const body = JSON.stringify({ ID: { Version: "3" }, configitems: [{ key: "k", value: "v" }], controller_epoch: 12 });
    expect((await putConfig(dev.uuid, body, "application/json")).status).toBe(200);
    const stored = await storedConfig(dev.uuid);
    expect(stored.id).toEqual({ uuid: dev.uuid, version: "3" });
    expect(stored.configItems).toEqual([{ key: "k", value: "v" }]);
    expect(stored.controller_epoch).toBe(12);
  });

  test("shows the config as protojson unless proto is asked for", async () => {
    const dev = await device();
    await putConfig(dev.uuid, cfg({ id: { uuid: "", version: "1" }, controller_epoch: 5, maintenance_mode: true }));
    const json = (await (await c.admin(`/device/${dev.uuid}/config`)).json()) as Record<string, unknown>;
    expect(json).toEqual({ id: { uuid: dev.uuid, version: "1" }, maintenanceMode: true, controllerEpoch: "5" });
  });
});
