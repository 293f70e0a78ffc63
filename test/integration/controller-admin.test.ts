import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generateSoftKey, softSigner } from "../../src/pki/index.ts";
import { AttestationState, codec, HwSecurityModuleStatus, ZAttestReqType, ZInfoTypes } from "../../src/protocol/index.ts";
import { toBase64, utf8 } from "../../src/shared/index.ts";
import { type RunningController, startTestController } from "../controller/index.ts";
import { registerSimDevice } from "../controller/sim-device.ts";
import { makeOnboardingCert, type OnboardingCert } from "../harness/pki.ts";

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
const device = () => registerSimDevice(c, onboard, `SN-I${serial++}`);

const json = (body: unknown) => ({ method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("device /info and /metrics", () => {
  test("stores info and shows it as protojson lines when the device posts ZInfoMsg", async () => {
    const dev = await device();
    const at = { seconds: 1_700_000_000, nanos: 500_000_000 };
    const r = await dev.info({
      ztype: ZInfoTypes.ZiDevice,
      devId: dev.uuid,
      atTimeStamp: at,
      dinfo: { HSMStatus: HwSecurityModuleStatus.ENABLED, attestation_info: { state: AttestationState.ATTESTATION_STATE_COMPLETE } },
    });
    expect(r.status).toBe(201);
    await dev.info({ ztype: ZInfoTypes.ZiDevice, devId: dev.uuid });
    const text = await (await c.admin(`/device/${dev.uuid}/info`)).text();
    const lines = text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      ztype: "ZiDevice",
      devId: dev.uuid,
      dinfo: { HSMStatus: "ENABLED", attestationInfo: { state: "ATTESTATION_STATE_COMPLETE" } },
      atTimeStamp: "2023-11-14T22:13:20.500Z",
    });
    const rec = c.controller.state.devices.get(dev.uuid)!;
    expect(rec.info[0]!.msg.dinfo!.HSMStatus).toBe(HwSecurityModuleStatus.ENABLED);
    expect(codec.ZInfoMsg.decode(rec.info[1]!.raw).devId).toBe(dev.uuid);
  });

  test("answers 400 and stores nothing when the info payload is not a ZInfoMsg", async () => {
    const dev = await device();
    const r = await dev.post(`id/${dev.uuid}/info`, new Uint8Array([0x0a, 0xff]));
    expect(r.status).toBe(400);
    expect(c.controller.state.devices.get(dev.uuid)!.info).toHaveLength(0);
  });

  test("answers 201 and keeps the payload when the device posts metrics", async () => {
    const dev = await device();
    const r = await dev.post(`id/${dev.uuid}/metrics`, new Uint8Array([0x12, 0x01, 0x41]));
    expect(r.status).toBe(201);
    expect(c.controller.state.devices.get(dev.uuid)!.metrics).toHaveLength(1);
  });

  test("answers 401 and stores nothing when info is signed with another key", async () => {
    const dev = await device();
    const r = await dev.post(`id/${dev.uuid}/info`, codec.ZInfoMsg.encode({ devId: dev.uuid }), { signer: softSigner(generateSoftKey()) });
    expect(r.status).toBe(401);
    expect(await (await c.admin(`/device/${dev.uuid}/info`)).text()).toBe("");
  });
});

describe("admin options", () => {
  test("shows Adam's options.json fields when a device is new", async () => {
    const dev = await device();
    const opts = await (await c.admin(`/device/${dev.uuid}/options`)).json();
    expect(opts).toEqual({ nonce: "", integrityToken: "", receivedPCRTemplate: null, attested: false });
  });

  test("lets a test replace the token so the device gets 403 when options are PUT", async () => {
    const dev = await device();
    const token = (await dev.attest({ reqType: ZAttestReqType.ATTEST_REQ_QUOTE })).resp!.quoteResp!.integrity_token;
    await c.admin(`/device/${dev.uuid}/config`, {
      method: "PUT",
      headers: { "Content-Type": "application/x-proto-binary" },
      body: codec.EdgeDevConfig.encode({ id: { uuid: "", version: "1" } }) as Uint8Array<ArrayBuffer>,
    });
    expect((await dev.config({ integrity_token: token })).status).toBe(200);
    const put = await c.admin(`/device/${dev.uuid}/options`, json({ integrityToken: "abc", attested: true, eventLog: toBase64(utf8.encode("log")) }));
    expect(put.status).toBe(200);
    expect((await dev.config({ integrity_token: token })).status).toBe(403);
    expect((await dev.config({ integrity_token: utf8.encode("abc") })).status).toBe(200);
    expect(await (await c.admin(`/device/${dev.uuid}/options`)).json()).toEqual({
      nonce: "",
      integrityToken: "abc",
      receivedPCRTemplate: null,
      attested: true,
      eventLog: toBase64(utf8.encode("log")),
    });
  });

  test("answers 400 when the options body is not JSON", async () => {
    const dev = await device();
    expect((await c.admin(`/device/${dev.uuid}/options`, { method: "PUT", body: "{nope" })).status).toBe(400);
    expect((await c.admin(`/device/${dev.uuid}/options`, json({ attested: "yes" }))).status).toBe(400);
  });

  test("round-trips global options with templates when PUT and read back", async () => {
    const template = { eveVersion: "1.2.3", firmwareVersion: "fw", PCRValues: [{ index: 0, value: "*" }] };
    expect((await c.admin("/options", json({ enforceTemplateAttestation: true, PCRTemplates: [template] }))).status).toBe(200);
    try {
      expect(await (await c.admin("/options")).json()).toEqual({ enforceTemplateAttestation: true, PCRTemplates: [template] });
      expect(c.controller.state.options.enforceTemplateAttestation).toBe(true);
    } finally {
      await c.admin("/options", json({}));
    }
    expect(await (await c.admin("/options")).json()).toEqual({ enforceTemplateAttestation: false, PCRTemplates: null });
  });
});

describe("admin devices", () => {
  test("shows the onboarding cert as base64 PEM and the matched serial when a device registered", async () => {
    const dev = await device();
    const rec = (await (await c.admin(`/device/${dev.uuid}`)).json()) as { Cert: string; Onboard: string; Serial: string };
    expect(utf8.decode(Buffer.from(rec.Onboard, "base64")).replace(/\s+/g, "")).toBe(onboard.certPem.replace(/\s+/g, ""));
    expect(utf8.decode(Buffer.from(rec.Cert, "base64"))).toBe(dev.certPem);
    expect(rec.Serial).toBe(`SN-I${serial - 1}`);
  });

  test("accepts a pre-registered device cert so that device can call /attest", async () => {
    const dev = await device();
    // Re-register the same cert under admin after removing the self-registered record.
    expect((await c.admin(`/device/${dev.uuid}`, { method: "DELETE" })).status).toBe(200);
    expect((await dev.attest({ reqType: ZAttestReqType.ATTEST_REQ_NONCE })).status).toBe(401);
    const add = await c.admin("/device", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ Cert: toBase64(utf8.encode(dev.certPem)) }),
    });
    expect(add.status).toBe(201);
    expect((await dev.attest({ reqType: ZAttestReqType.ATTEST_REQ_NONCE })).status).toBe(201);
  });

  test("answers 404 for the per-device admin views when the UUID is unknown", async () => {
    const u = crypto.randomUUID();
    for (const p of ["", "/config", "/info", "/requests", "/certs", "/options"]) {
      expect((await c.admin(`/device/${u}${p}`)).status).toBe(404);
    }
  });
});
