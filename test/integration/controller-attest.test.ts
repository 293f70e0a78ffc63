import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { P256Signer } from "../../src/identity/index.ts";
import { DEVICE_CERT_CN, generateSoftKey, issueDeviceCertificate, softSigner, spkiFromP256Point } from "../../src/pki/index.ts";
import {
  AttestVersionType,
  type AttestVolumeKey,
  AttestVolumeKeyType,
  ZAttestResponseCode as Code,
  codec,
  HashAlgorithm,
  AttestStorageKeysResponseCode as KeysCode,
  type MessageInit,
  sealEnvelope,
  TpmHashAlgo,
  type ZAttestQuote,
  ZAttestReqType,
  ZAttestRespType,
  type ZCert,
  ZCertType,
} from "../../src/protocol/index.ts";
import { toBase64, toHex, utf8 } from "../../src/shared/index.ts";
import { decodeQuoteAttest } from "../../src/tpm/index.ts";
import { type RunningController, startTestController } from "../controller/index.ts";
import { registerSimDevice, type SimDevice } from "../controller/sim-device.ts";
import { REPORTED_PCRS, type SimQuote, type SimTpm, startSimTpm } from "../controller/sim-tpm.ts";
import { parseTpmsAttest } from "../controller/tpms-attest.ts";
import { makeOnboardingCert, type OnboardingCert } from "../harness/pki.ts";

let c: RunningController;
let onboard: OnboardingCert;
let tpm: SimTpm;

beforeAll(async () => {
  [c, onboard, tpm] = await Promise.all([startTestController(), makeOnboardingCert(), startSimTpm()]);
  await c.addOnboard(onboard.certPem, ["*"]);
});

afterAll(async () => {
  await Promise.all([c?.cleanup(), onboard?.cleanup(), tpm?.stop()]);
});

const EVE_VERSION = "0.0.0-controller-test";
const EVENT_LOG = gzipSync(Buffer.from("fake TCG event log"));

let serial = 0;
const device = () => registerSimDevice(c, onboard, `SN-A${serial++}`);

function zcert(pem: Uint8Array, type: number): MessageInit<ZCert> {
  return { hashAlgo: HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES, certHash: sha256(pem).slice(0, 16), type, cert: pem };
}

/** The attestation cert EVE uploads: the quote key certified by the device key. */
async function attestCertPem(dev: SimDevice, point: Uint8Array): Promise<Uint8Array> {
  const issued = await issueDeviceCertificate({
    issuer: { signer: dev.signer, cert: dev.cert },
    subjectPublicKey: spkiFromP256Point(point),
    commonName: DEVICE_CERT_CN.attestation,
    now: new Date(),
  });
  return issued.pem;
}

async function uploadCerts(dev: SimDevice, point = tpm.akPoint) {
  return dev.attest({
    reqType: ZAttestReqType.ATTEST_REQ_CERT,
    certs: [zcert(await attestCertPem(dev, point), ZCertType.CERT_TYPE_DEVICE_RESTRICTED_SIGNING)],
  });
}

async function nonce(dev: SimDevice): Promise<Uint8Array> {
  const r = await dev.attest({ reqType: ZAttestReqType.ATTEST_REQ_NONCE });
  expect(r.status).toBe(201);
  return r.resp!.nonce!.nonce;
}

function quoteMsg(q: SimQuote, over: Partial<MessageInit<ZAttestQuote>> = {}): MessageInit<ZAttestQuote> {
  return {
    attestData: q.attestData,
    signature: q.signature,
    pcr_values: REPORTED_PCRS.map((index) => ({ index, hash_algo: TpmHashAlgo.TPM_HASH_ALGO_SHA256, value: q.pcrs.get(index)! })),
    versions: [{ version_type: AttestVersionType.ATTEST_VERSION_TYPE_EVE, version: EVE_VERSION }],
    tpm_binary_event_log: EVENT_LOG,
    ...over,
  };
}

async function sendQuote(dev: SimDevice, quote: MessageInit<ZAttestQuote>) {
  const r = await dev.attest({ reqType: ZAttestReqType.ATTEST_REQ_QUOTE, quote });
  expect(r.status).toBe(201);
  expect(r.resp!.respType).toBe(ZAttestRespType.ATTEST_RESP_QUOTE_RESP);
  return r.resp!.quoteResp!;
}

/** cert upload, nonce, real quote: the happy path EVE follows. */
async function attestWithTpm(dev: SimDevice) {
  await uploadCerts(dev);
  const n = await nonce(dev);
  return sendQuote(dev, quoteMsg(tpm.quote(n)));
}

function record(dev: SimDevice) {
  return c.controller.state.devices.get(dev.uuid)!;
}

const vsk = (key: string): MessageInit<AttestVolumeKey> => ({ key_type: AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK, key: utf8.encode(key) });

async function storeKeys(dev: SimDevice, token: Uint8Array, keys: MessageInit<AttestVolumeKey>[]) {
  const r = await dev.attest({ reqType: ZAttestReqType.Z_ATTEST_REQ_TYPE_STORE_KEYS, storage_keys: { integrity_token: token, keys } });
  expect(r.status).toBe(201);
  expect(r.resp!.respType).toBe(ZAttestRespType.Z_ATTEST_RESP_TYPE_STORE_KEYS);
  return r.resp!.storage_keys_resp!.response;
}

describe("attest: certs and nonce", () => {
  test("stores the cert list and shows it in admin certs when ATTEST_REQ_CERT arrives", async () => {
    const dev = await device();
    expect((await c.admin(`/device/${dev.uuid}/certs`)).status).toBe(400);
    const pem = await attestCertPem(dev, tpm.akPoint);
    const r = await dev.attest({
      reqType: ZAttestReqType.ATTEST_REQ_CERT,
      certs: [zcert(pem, ZCertType.CERT_TYPE_DEVICE_RESTRICTED_SIGNING), zcert(utf8.encode(dev.certPem), ZCertType.CERT_TYPE_DEVICE_ECDH_EXCHANGE)],
    });
    expect(r.status).toBe(201);
    expect(r.resp!.respType).toBe(ZAttestRespType.ATTEST_RESP_CERT);
    const res = await c.admin(`/device/${dev.uuid}/certs`);
    expect(res.status).toBe(200);
    const json = (await res.json()) as { certs: { type: number; cert: string; certHash: string; hashAlgo: number }[] };
    expect(json.certs.map((x) => x.type)).toEqual([ZCertType.CERT_TYPE_DEVICE_RESTRICTED_SIGNING, ZCertType.CERT_TYPE_DEVICE_ECDH_EXCHANGE]);
    expect(json.certs[0]!.cert).toBe(toBase64(pem));
    expect(json.certs[0]!.certHash).toBe(toBase64(sha256(pem).slice(0, 16)));
  });

  test("replaces the whole cert list when certs are uploaded again", async () => {
    const dev = await device();
    await uploadCerts(dev);
    await dev.attest({ reqType: ZAttestReqType.ATTEST_REQ_CERT, certs: [zcert(utf8.encode(dev.certPem), ZCertType.CERT_TYPE_DEVICE_ECDH_EXCHANGE)] });
    expect(record(dev).attestCerts!.map((x) => x.type)).toEqual([ZCertType.CERT_TYPE_DEVICE_ECDH_EXCHANGE]);
  });

  test("hands out a fresh 12-hex-character nonce and clears attested when a nonce is requested", async () => {
    const dev = await device();
    await attestWithTpm(dev);
    expect(record(dev).attested).toBe(true);
    const n1 = utf8.decode(await nonce(dev));
    const n2 = utf8.decode(await nonce(dev));
    expect(n1).toMatch(/^[0-9a-f]{12}$/);
    expect(n2).toMatch(/^[0-9a-f]{12}$/);
    expect(n2).not.toBe(n1);
    const opts = (await (await c.admin(`/device/${dev.uuid}/options`)).json()) as { nonce: string; attested: boolean };
    expect(opts).toMatchObject({ nonce: n2, attested: false });
  });
});

describe("attest: quote", () => {
  test("answers SUCCESS with a 128-hex-character token and records PCRs and event log when the quote is good", async () => {
    const dev = await device();
    const r = await attestWithTpm(dev);
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
    expect(utf8.decode(r.integrity_token)).toMatch(/^[0-9a-f]{128}$/);
    expect(r.keys).toEqual([]);
    const opts = (await (await c.admin(`/device/${dev.uuid}/options`)).json()) as {
      integrityToken: string;
      attested: boolean;
      eventLog: string;
      receivedPCRTemplate: { eveVersion: string; PCRValues: { index: number; value: string }[] };
    };
    expect(opts.integrityToken).toBe(utf8.decode(r.integrity_token));
    expect(opts.attested).toBe(true);
    expect(opts.eventLog).toBe(toBase64(EVENT_LOG));
    expect(opts.receivedPCRTemplate.eveVersion).toBe(EVE_VERSION);
    expect(opts.receivedPCRTemplate.PCRValues).toHaveLength(24);
    expect(opts.receivedPCRTemplate.PCRValues[7]!.value).toMatch(/^[0-9a-f]{64}$/);
  });

  test("keeps the same token when the device attests again", async () => {
    const dev = await device();
    const first = await attestWithTpm(dev);
    const second = await sendQuote(dev, quoteMsg(tpm.quote(await nonce(dev))));
    expect(second.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
    expect(utf8.decode(second.integrity_token)).toBe(utf8.decode(first.integrity_token));
  });

  test("accepts the quote when the path carries a UUID other than the device's", async () => {
    const dev = await device();
    await uploadCerts(dev);
    const n = await nonce(dev);
    const req = codec.ZAttestReq.encode({ reqType: ZAttestReqType.ATTEST_REQ_QUOTE, quote: quoteMsg(tpm.quote(n)) });
    const r = await dev.post(`id/${crypto.randomUUID()}/attest`, req);
    expect(r.status).toBe(201);
    expect(codec.ZAttestResponse.decode(r.payload!).quoteResp!.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
  });

  test("answers NONCE_MISMATCH without token when the quote was made for another nonce", async () => {
    const dev = await device();
    await uploadCerts(dev);
    await nonce(dev);
    const r = await sendQuote(dev, quoteMsg(tpm.quote(utf8.encode("0123456789ab"))));
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_NONCE_MISMATCH);
    expect(r.integrity_token).toHaveLength(0);
    expect(record(dev).attested).toBe(false);
  });

  test("answers NONCE_MISMATCH when no nonce was ever handed out", async () => {
    const dev = await device();
    await uploadCerts(dev);
    const r = await sendQuote(dev, quoteMsg(tpm.quote(utf8.encode("0123456789ab"))));
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_NONCE_MISMATCH);
  });

  test("answers NO_CERT_FOUND when no cert list was uploaded", async () => {
    const dev = await device();
    const r = await sendQuote(dev, quoteMsg(tpm.quote(await nonce(dev))));
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND);
    expect(r.integrity_token).toHaveLength(0);
  });

  test("answers NO_CERT_FOUND when the uploaded list has no RESTRICTED_SIGNING cert", async () => {
    const dev = await device();
    await dev.attest({
      reqType: ZAttestReqType.ATTEST_REQ_CERT,
      certs: [zcert(await attestCertPem(dev, tpm.akPoint), ZCertType.CERT_TYPE_DEVICE_ECDH_EXCHANGE)],
    });
    const r = await sendQuote(dev, quoteMsg(tpm.quote(await nonce(dev))));
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND);
  });

  // Adam answers INVALID, not QUOTE_FAILED, when the signature does not verify.
  test("answers INVALID without token when one byte of attestData is flipped", async () => {
    const dev = await device();
    await uploadCerts(dev);
    const q = tpm.quote(await nonce(dev));
    const tampered = new Uint8Array(q.attestData);
    tampered[tampered.length - 1]! ^= 0x01;
    const r = await sendQuote(dev, quoteMsg(q, { attestData: tampered }));
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_INVALID);
    expect(r.integrity_token).toHaveLength(0);
    expect(c.controller.lastAttestReason).toContain("signature");
  });

  test("answers INVALID when the quote is signed by a key other than the uploaded cert's", async () => {
    const dev = await device();
    await uploadCerts(dev, softSigner(generateSoftKey()).publicKey);
    const r = await sendQuote(dev, quoteMsg(tpm.quote(await nonce(dev))));
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_INVALID);
  });

  test("answers QUOTE_FAILED without token when a reported PCR value is altered", async () => {
    const dev = await device();
    await uploadCerts(dev);
    const q = tpm.quote(await nonce(dev));
    const msg = quoteMsg(q);
    const pcrs = msg.pcr_values!.map((p) => ({ ...p }));
    pcrs[7] = { ...pcrs[7]!, value: new Uint8Array(32).fill(0x77) };
    const r = await sendQuote(dev, { ...msg, pcr_values: pcrs });
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED);
    expect(r.integrity_token).toHaveLength(0);
    expect(r.keys).toEqual([]);
    expect(record(dev).attested).toBe(false);
  });

  test("answers QUOTE_FAILED when a quoted PCR is missing from pcr_values", async () => {
    const dev = await device();
    await uploadCerts(dev);
    const msg = quoteMsg(tpm.quote(await nonce(dev)));
    const r = await sendQuote(dev, { ...msg, pcr_values: msg.pcr_values!.filter((p) => p.index !== 3) });
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED);
  });

  test("answers QUOTE_FAILED when a PCR value is labelled with another hash algorithm", async () => {
    const dev = await device();
    await uploadCerts(dev);
    const msg = quoteMsg(tpm.quote(await nonce(dev)));
    const pcrs = msg.pcr_values!.map((p) => (p.index === 20 ? { ...p, hash_algo: TpmHashAlgo.TPM_HASH_ALGO_SHA1 } : p));
    expect((await sendQuote(dev, { ...msg, pcr_values: pcrs })).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED);
  });

  test("answers SUCCESS with token and no keys when pcr_values is empty", async () => {
    const dev = await device();
    const good = await attestWithTpm(dev);
    expect(await storeKeys(dev, good.integrity_token, [vsk("escrowed")])).toBe(KeysCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_SUCCESS);
    const r = await sendQuote(dev, { attestData: new Uint8Array(), signature: new Uint8Array(), pcr_values: [] });
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
    expect(utf8.decode(r.integrity_token)).toBe(utf8.decode(good.integrity_token));
    expect(r.keys).toEqual([]);
  });

  test("answers SUCCESS without nonce or certs when a device without TPM sends an empty quote", async () => {
    const dev = await device();
    const r = await dev.attest({ reqType: ZAttestReqType.ATTEST_REQ_QUOTE });
    expect(r.resp!.quoteResp!.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
    expect(utf8.decode(r.resp!.quoteResp!.integrity_token)).toMatch(/^[0-9a-f]{128}$/);
    expect(record(dev).attested).toBe(true);
  });

  test("parses the swtpm quote as the agent's decoder does when both read it", async () => {
    const n = utf8.encode("abcdef012345");
    const q = tpm.quote(n);
    const ours = parseTpmsAttest(q.attestData);
    const agents = decodeQuoteAttest(q.attestData);
    expect(toHex(ours.extraData)).toBe(toHex(n));
    expect(toHex(ours.extraData)).toBe(toHex(agents.extraData));
    expect(ours.quote!.pcrs).toEqual(agents.pcrSelect[0]!.pcrs);
    expect(ours.quote!.pcrHash).toBe(agents.pcrSelect[0]!.hash);
    expect(toHex(ours.quote!.pcrDigest)).toBe(toHex(agents.pcrDigest));
  });
});

describe("attest: key escrow", () => {
  test("refuses STORE_KEYS with ITOKEN_MISMATCH when the token is wrong or empty", async () => {
    const dev = await device();
    await attestWithTpm(dev);
    expect(await storeKeys(dev, utf8.encode("f".repeat(128)), [vsk("k")])).toBe(KeysCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_ITOKEN_MISMATCH);
    expect(await storeKeys(dev, new Uint8Array(), [vsk("k")])).toBe(KeysCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_ITOKEN_MISMATCH);
    expect(record(dev).storageKeys).toBeUndefined();
  });

  test("refuses STORE_KEYS with ITOKEN_MISMATCH when the device never quoted", async () => {
    const dev = await device();
    expect(await storeKeys(dev, new Uint8Array(), [vsk("k")])).toBe(KeysCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_ITOKEN_MISMATCH);
  });

  test("returns the escrowed keys with the next good quote when STORE_KEYS carried the token", async () => {
    const dev = await device();
    const first = await attestWithTpm(dev);
    const key = { ...vsk("sealed-vault-key"), has_policy_pcr_list: true, policy_pcr_list: { pcr_indices: [0, 1, 7], policy_id: 3 } };
    expect(await storeKeys(dev, first.integrity_token, [key])).toBe(KeysCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_SUCCESS);
    const r = await sendQuote(dev, quoteMsg(tpm.quote(await nonce(dev))));
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
    expect(r.keys).toHaveLength(1);
    expect(utf8.decode(r.keys[0]!.key)).toBe("sealed-vault-key");
    expect(r.keys[0]!.policy_pcr_list).toEqual({ pcr_indices: [0, 1, 7], policy_id: 3 });
  });

  test("withholds the escrowed keys when the quote fails", async () => {
    const dev = await device();
    const first = await attestWithTpm(dev);
    await storeKeys(dev, first.integrity_token, [vsk("k")]);
    const r = await sendQuote(dev, quoteMsg(tpm.quote(utf8.encode("not-the-nonc"))));
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_NONCE_MISMATCH);
    expect(r.keys).toEqual([]);
  });
});

describe("attest: faults", () => {
  test("answers QUOTE_FAILED once and then SUCCESS when faults.rejectQuote is 1", async () => {
    const dev = await device();
    await uploadCerts(dev);
    c.controller.faults.rejectQuote = 1;
    const n = await nonce(dev);
    const q = tpm.quote(n);
    expect((await sendQuote(dev, quoteMsg(q))).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED);
    expect(c.controller.faults.rejectQuote).toBe(0);
    expect((await sendQuote(dev, quoteMsg(q))).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
  });

  test("answers the forced codes in order when faults.forceQuoteCode is set", async () => {
    const dev = await device();
    c.controller.faults.forceQuoteCode = [Code.Z_ATTEST_RESPONSE_CODE_INVALID, Code.Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND];
    const empty = { attestData: new Uint8Array(), signature: new Uint8Array(), pcr_values: [] };
    expect((await sendQuote(dev, empty)).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_INVALID);
    expect((await sendQuote(dev, empty)).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND);
    expect((await sendQuote(dev, empty)).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
  });

  test("answers NONCE_MISMATCH to an honest quote when faults.staleNonce is 1", async () => {
    const dev = await device();
    await uploadCerts(dev);
    c.controller.faults.staleNonce = 1;
    const n = await nonce(dev);
    expect(record(dev).nonce).not.toBe(utf8.decode(n));
    expect((await sendQuote(dev, quoteMsg(tpm.quote(n)))).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_NONCE_MISMATCH);
    expect((await sendQuote(dev, quoteMsg(tpm.quote(await nonce(dev))))).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
  });

  test("answers SUCCESS without keys when faults.withholdKeys is 1", async () => {
    const dev = await device();
    const first = await attestWithTpm(dev);
    await storeKeys(dev, first.integrity_token, [vsk("k")]);
    c.controller.faults.withholdKeys = 1;
    const r = await sendQuote(dev, quoteMsg(tpm.quote(await nonce(dev))));
    expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
    expect(r.keys).toEqual([]);
    expect((await sendQuote(dev, quoteMsg(tpm.quote(await nonce(dev))))).keys).toHaveLength(1);
  });

  test("answers 503 without touching state when faults.statusFor.attest is 503", async () => {
    const dev = await device();
    c.controller.faults.statusFor.attest = 503;
    try {
      expect((await dev.attest({ reqType: ZAttestReqType.ATTEST_REQ_NONCE })).status).toBe(503);
    } finally {
      delete c.controller.faults.statusFor.attest;
    }
    expect(record(dev).nonce).toBe("");
  });
});

describe("attest: template enforcement", () => {
  async function withOptions(opts: unknown, f: () => Promise<void>) {
    const put = await c.admin("/options", { method: "PUT", body: JSON.stringify(opts) });
    expect(put.status).toBe(200);
    try {
      await f();
    } finally {
      await c.admin("/options", { method: "PUT", body: JSON.stringify({ enforceTemplateAttestation: false }) });
    }
  }

  test("answers SUCCESS when the PCRs match the template for the EVE version", async () => {
    const dev = await device();
    await uploadCerts(dev);
    const q = tpm.quote(await nonce(dev));
    const template = {
      eveVersion: EVE_VERSION,
      firmwareVersion: "",
      PCRValues: [
        { index: 7, value: toHex(q.pcrs.get(7)!) },
        { index: 0, value: "*" },
      ],
    };
    await withOptions({ enforceTemplateAttestation: true, PCRTemplates: [template] }, async () => {
      expect((await sendQuote(dev, quoteMsg(q))).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
    });
  });

  test("answers QUOTE_FAILED when a PCR differs from the template", async () => {
    const dev = await device();
    await uploadCerts(dev);
    const q = tpm.quote(await nonce(dev));
    const template = { eveVersion: EVE_VERSION, firmwareVersion: "", PCRValues: [{ index: 7, value: "00".repeat(32) }] };
    await withOptions({ enforceTemplateAttestation: true, PCRTemplates: [template] }, async () => {
      const r = await sendQuote(dev, quoteMsg(q));
      expect(r.response).toBe(Code.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED);
      expect(r.integrity_token).toHaveLength(0);
    });
    // Adam records what the device sent even when the template refuses it.
    expect(record(dev).receivedPCRTemplate?.eveVersion).toBe(EVE_VERSION);
  });

  test("answers INVALID when no template exists for the EVE version", async () => {
    const dev = await device();
    await uploadCerts(dev);
    const q = tpm.quote(await nonce(dev));
    await withOptions({ enforceTemplateAttestation: true, PCRTemplates: [{ eveVersion: "other", PCRValues: [] }] }, async () => {
      expect((await sendQuote(dev, quoteMsg(q))).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_INVALID);
    });
  });

  test("ignores the templates when enforcement is off", async () => {
    const dev = await device();
    await uploadCerts(dev);
    const q = tpm.quote(await nonce(dev));
    await withOptions({ enforceTemplateAttestation: false, PCRTemplates: [{ eveVersion: EVE_VERSION, PCRValues: [{ index: 7, value: "00" }] }] }, async () => {
      expect((await sendQuote(dev, quoteMsg(q))).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
    });
  });
});

/**
 * Hand-made TPMS_ATTEST blobs signed with a soft key standing in for the
 * quote key: shapes a real TPM would never produce, to check each refusal.
 */
describe("attest: hand-made attest structures", () => {
  interface Shape {
    magic?: number;
    type?: number;
    extra: Uint8Array;
    banks?: { hash: number; bitmap: number[] }[];
    digest: Uint8Array;
  }

  function attestBytes(s: Shape): Uint8Array {
    const parts: number[] = [];
    const u16 = (v: number) => parts.push((v >> 8) & 0xff, v & 0xff);
    const u32 = (v: number) => parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    const sized = (b: Uint8Array) => {
      u16(b.length);
      parts.push(...b);
    };
    u32(s.magic ?? 0xff544347);
    u16(s.type ?? 0x8018);
    sized(new Uint8Array([0x00, 0x0b, ...new Uint8Array(32).fill(9)]));
    sized(s.extra);
    parts.push(...new Uint8Array(17), ...new Uint8Array(8));
    const banks = s.banks ?? [{ hash: 0x000b, bitmap: [0xff, 0xff, 0x00] }];
    u32(banks.length);
    for (const b of banks) {
      u16(b.hash);
      parts.push(b.bitmap.length, ...b.bitmap);
    }
    sized(s.digest);
    return new Uint8Array(parts);
  }

  const pcrValues = REPORTED_PCRS.map((index) => ({ index, hash_algo: TpmHashAlgo.TPM_HASH_ALGO_SHA256, value: new Uint8Array(32).fill(index) }));
  const digest16 = sha256(new Uint8Array(pcrValues.slice(0, 16).flatMap((p) => [...p.value])));

  async function setup(): Promise<{ dev: SimDevice; key: ReturnType<typeof generateSoftKey>; signer: P256Signer; n: Uint8Array }> {
    const dev = await device();
    const key = generateSoftKey();
    const signer = softSigner(key);
    await uploadCerts(dev, signer.publicKey);
    return { dev, key, signer, n: await nonce(dev) };
  }

  async function send(dev: SimDevice, key: ReturnType<typeof generateSoftKey>, attest: Uint8Array, format: "der" | "compact" = "der") {
    const signature = p256.sign(sha256(attest), key.privateKey, { prehash: false, format });
    return sendQuote(dev, { attestData: attest, signature, pcr_values: pcrValues });
  }

  test("answers SUCCESS when a well-formed quote is signed as raw r||s", async () => {
    const { dev, key, n } = await setup();
    expect((await send(dev, key, attestBytes({ extra: n, digest: digest16 }), "compact")).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_SUCCESS);
  });

  test("answers INVALID when the magic is not TPM_GENERATED", async () => {
    const { dev, key, n } = await setup();
    expect((await send(dev, key, attestBytes({ magic: 0x12345678, extra: n, digest: digest16 }))).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_INVALID);
  });

  test("answers INVALID when the signed attest is a certify structure", async () => {
    const { dev, key, n } = await setup();
    const certify = attestBytes({ type: 0x8017, extra: n, banks: [], digest: new Uint8Array() });
    expect((await send(dev, key, certify)).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_INVALID);
  });

  test("answers INVALID when the attest is cut short", async () => {
    const { dev, key, n } = await setup();
    const full = attestBytes({ extra: n, digest: digest16 });
    expect((await send(dev, key, full.subarray(0, full.length - 10))).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_INVALID);
  });

  test("answers INVALID when the quote selects two PCR banks", async () => {
    const { dev, key, n } = await setup();
    const two = attestBytes({
      extra: n,
      banks: [
        { hash: 0x000b, bitmap: [0xff, 0xff, 0] },
        { hash: 0x0004, bitmap: [1, 0, 0] },
      ],
      digest: digest16,
    });
    expect((await send(dev, key, two)).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_INVALID);
  });

  test("answers QUOTE_FAILED when the quote selects the SHA-1 bank", async () => {
    const { dev, key, n } = await setup();
    const sha1 = attestBytes({ extra: n, banks: [{ hash: 0x0004, bitmap: [0xff, 0xff, 0] }], digest: digest16 });
    expect((await send(dev, key, sha1)).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED);
  });

  test("answers QUOTE_FAILED when the digest covers other PCR values", async () => {
    const { dev, key, n } = await setup();
    expect((await send(dev, key, attestBytes({ extra: n, digest: sha256(new Uint8Array(1)) }))).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED);
  });

  test("answers NONCE_MISMATCH when extraData is the nonce with a byte changed", async () => {
    const { dev, key, n } = await setup();
    const other = new Uint8Array(n);
    other[0]! ^= 0x01;
    expect((await send(dev, key, attestBytes({ extra: other, digest: digest16 }))).response).toBe(Code.Z_ATTEST_RESPONSE_CODE_NONCE_MISMATCH);
  });
});

describe("attest: envelope and bookkeeping", () => {
  test("answers 401 when the envelope is signed by a key other than the device cert's", async () => {
    const dev = await device();
    const r = await dev.post(`id/${dev.uuid}/attest`, codec.ZAttestReq.encode({ reqType: ZAttestReqType.ATTEST_REQ_NONCE }), {
      signer: softSigner(generateSoftKey()),
    });
    expect(r.status).toBe(401);
    expect(record(dev).nonce).toBe("");
  });

  test("answers 401 when the senderCertHash names no registered device", async () => {
    const stranger = softSigner(generateSoftKey());
    const env = await sealEnvelope(codec.ZAttestReq.encode({ reqType: ZAttestReqType.ATTEST_REQ_NONCE }), stranger, {
      senderCertHash: new Uint8Array(32).fill(1),
    });
    const res = await fetch(`${c.url}/api/v2/edgedevice/id/${crypto.randomUUID()}/attest`, {
      method: "POST",
      body: env,
      tls: { ca: c.pki.trustPem },
    } as RequestInit);
    expect(res.status).toBe(401);
  });

  test("answers 400 when the request type is ATTEST_REQ_NONE", async () => {
    const dev = await device();
    expect((await dev.attest({ reqType: ZAttestReqType.ATTEST_REQ_NONE })).status).toBe(400);
  });

  test("logs each authenticated call in order when the device attests", async () => {
    const dev = await device();
    await attestWithTpm(dev);
    const text = await (await c.admin(`/device/${dev.uuid}/requests`)).text();
    const entries = text.split(/(?<=\})(?=\{)/).map((s) => JSON.parse(s) as { url: string; method: string; uuid: string; "client-ip": string });
    expect(entries.map((e) => e.url)).toEqual(["/api/v2/edgedevice/uuid", ...Array(3).fill(`/api/v2/edgedevice/id/${dev.uuid}/attest`)]);
    expect(entries.every((e) => e.method === "POST" && e.uuid === dev.uuid && e["client-ip"].startsWith("127.0.0.1:"))).toBe(true);
  });
});
