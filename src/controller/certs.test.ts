import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { OpensslDir } from "../../test/harness/openssl-ca.ts";
import { type ControllerPki, makeControllerPki } from "../../test/harness/pki.ts";
import { generateSoftKey, parseCertificatesPem, softSigner } from "../pki/index.ts";
import { codec, HashAlgorithm, sealEnvelope, ZCertType } from "../protocol/index.ts";
import { silentLogger, utf8 } from "../shared/index.ts";
import { ControllerCertStore, verifyControllerCerts } from "./certs.ts";

let good: ControllerPki;
let expired: ControllerPki;
let wrongCa: ControllerPki;
let chained: ControllerPki;

beforeAll(async () => {
  [good, expired, wrongCa, chained] = await Promise.all([
    makeControllerPki({}),
    makeControllerPki({ expired: ["signing"] }),
    makeControllerPki({ wrongCa: ["ecdh"] }),
    makeControllerPki({ intermediate: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([good, expired, wrongCa, chained].map((p) => p.cleanup()));
});

function zcert(pem: string, type: number) {
  const bytes = utf8.encode(pem.trim());
  return { hashAlgo: HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES, certHash: sha256(bytes).slice(0, 16), type, cert: bytes, meta_data_items: [] };
}

function certsMsg(entries: { pem: string; type: number }[]): Uint8Array {
  return codec.ZControllerCert.encode({ certs: entries.map((e) => zcert(e.pem, e.type)) });
}

const SIGNING = ZCertType.CERT_TYPE_CONTROLLER_SIGNING;
const ECDH = ZCertType.CERT_TYPE_CONTROLLER_ECDH_EXCHANGE;
const INTERMEDIATE = ZCertType.CERT_TYPE_CONTROLLER_INTERMEDIATE;
const now = () => new Date();

describe("verifyControllerCerts", () => {
  test("accepts one signing and one ECDH cert when both chain to the root", async () => {
    const r = await verifyControllerCerts(
      certsMsg([
        { pem: good.signing.certPem, type: SIGNING },
        { pem: good.ecdh.certPem, type: ECDH },
      ]),
      parseCertificatesPem(good.trustPem),
      { now: now(), requireEcdh: true },
    );
    expect(r.signing.cert.subject).toContain("controller signing");
    expect(r.ecdh).toHaveLength(1);
    expect(r.hashes).toHaveLength(2);
  });

  test("accepts leaves under an intermediate when the intermediate is sent", async () => {
    const msg = certsMsg([
      { pem: chained.signing.certPem, type: SIGNING },
      { pem: chained.ecdh.certPem, type: ECDH },
      { pem: chained.intermediateCa!.certPem, type: INTERMEDIATE },
    ]);
    const r = await verifyControllerCerts(msg, parseCertificatesPem(chained.trustPem), { now: now(), requireEcdh: true });
    expect(r.ecdh).toHaveLength(1);
  });

  test("refuses the set when it is verified against the wrong root", async () => {
    const msg = certsMsg([
      { pem: good.signing.certPem, type: SIGNING },
      { pem: good.ecdh.certPem, type: ECDH },
    ]);
    await expect(verifyControllerCerts(msg, parseCertificatesPem(chained.trustPem), { now: now(), requireEcdh: true })).rejects.toMatchObject({
      kind: "certs.chain",
    });
  });

  test("refuses the set when the ECDH cert comes from another CA", async () => {
    const msg = certsMsg([
      { pem: wrongCa.signing.certPem, type: SIGNING },
      { pem: wrongCa.ecdh.certPem, type: ECDH },
    ]);
    await expect(verifyControllerCerts(msg, parseCertificatesPem(wrongCa.trustPem), { now: now(), requireEcdh: true })).rejects.toMatchObject({
      kind: "certs.chain",
    });
  });

  test("refuses the set when the signing cert has expired", async () => {
    const msg = certsMsg([
      { pem: expired.signing.certPem, type: SIGNING },
      { pem: expired.ecdh.certPem, type: ECDH },
    ]);
    const err = await verifyControllerCerts(msg, parseCertificatesPem(expired.trustPem), { now: now(), requireEcdh: true }).catch((e) => e);
    expect(err.kind).toBe("certs.chain");
    expect(err.message).toMatch(/signing/);
  });

  test("refuses the set when the signing cert is missing", async () => {
    const msg = certsMsg([{ pem: good.ecdh.certPem, type: ECDH }]);
    await expect(verifyControllerCerts(msg, parseCertificatesPem(good.trustPem), { now: now(), requireEcdh: true })).rejects.toMatchObject({
      kind: "certs.signing-count",
    });
  });

  test("refuses the set when there are two signing certs", async () => {
    const msg = certsMsg([
      { pem: good.signing.certPem, type: SIGNING },
      { pem: good.ecdh.certPem, type: SIGNING },
      { pem: good.ecdh.certPem, type: ECDH },
    ]);
    await expect(verifyControllerCerts(msg, parseCertificatesPem(good.trustPem), { now: now(), requireEcdh: true })).rejects.toMatchObject({
      kind: "certs.signing-count",
    });
  });

  test("refuses the set when the ECDH cert is missing and required", async () => {
    const msg = certsMsg([{ pem: good.signing.certPem, type: SIGNING }]);
    await expect(verifyControllerCerts(msg, parseCertificatesPem(good.trustPem), { now: now(), requireEcdh: true })).rejects.toMatchObject({
      kind: "certs.no-ecdh",
    });
    const ok = await verifyControllerCerts(msg, parseCertificatesPem(good.trustPem), { now: now(), requireEcdh: false });
    expect(ok.ecdh).toHaveLength(0);
  });

  test("refuses the set when it carries a device cert type", async () => {
    const msg = certsMsg([
      { pem: good.signing.certPem, type: SIGNING },
      { pem: good.ecdh.certPem, type: ECDH },
      { pem: good.ecdh.certPem, type: ZCertType.CERT_TYPE_DEVICE_ONBOARDING },
    ]);
    await expect(verifyControllerCerts(msg, parseCertificatesPem(good.trustPem), { now: now(), requireEcdh: true })).rejects.toMatchObject({
      kind: "certs.type",
    });
  });

  test("refuses garbage when the payload is not a ZControllerCert", async () => {
    await expect(
      verifyControllerCerts(new Uint8Array([0xff, 0xff, 0xff]), parseCertificatesPem(good.trustPem), { now: now(), requireEcdh: true }),
    ).rejects.toMatchObject({ kind: "certs.decode" });
  });
});

describe("verifyControllerCerts with 20 intermediates", () => {
  const d = new OpensslDir();
  afterAll(() => d.remove());
  // Look-alikes: the test PKI's intermediate name, other keys.
  const lookAlikes = Array.from(
    { length: 10 },
    (_, i) => d.cert(`look-${i}`, { subject: "/O=edge-agent test/CN=edge-agent test intermediate CA", profile: "ca" }).pem,
  );
  // A ring of same-name CAs, each certified by the next key round the ring.
  const seeds = Array.from({ length: 5 }, (_, k) => d.cert(`seed-${k}`, { subject: "/O=Decoy/CN=Ring", profile: "ca" }));
  const ring = seeds.flatMap((seed, k) =>
    Array.from(
      { length: 4 },
      (_, j) => d.cert(`ring-${k}-${j}`, { subject: "/O=Decoy/CN=Ring", profile: "ca", keyPath: seed.keyPath, issuer: seeds[(k + 1) % seeds.length] }).pem,
    ),
  );

  test("accepts the set when its real intermediate comes among 19 look-alikes and ring members", async () => {
    const decoys = [...lookAlikes, ...ring.slice(0, 9)];
    const msg = certsMsg([
      { pem: chained.signing.certPem, type: SIGNING },
      { pem: chained.ecdh.certPem, type: ECDH },
      ...decoys.map((pem) => ({ pem, type: INTERMEDIATE })),
      { pem: chained.intermediateCa!.certPem, type: INTERMEDIATE },
    ]);
    expect(decoys.length + 1).toBe(20);
    const r = await verifyControllerCerts(msg, parseCertificatesPem(chained.trustPem), { now: now(), requireEcdh: true });
    expect(r.signing.cert.subject).toContain("controller signing");
    expect(r.ecdh).toHaveLength(1);
  });

  test("refuses the set, without walking the ring's paths, when its signing cert hangs under a 20-cert ring", async () => {
    const signing = d.cert("ring-signing", { subject: "/O=Decoy/CN=controller signing", profile: "server", issuer: seeds[0] }).pem;
    const msg = certsMsg([{ pem: signing, type: SIGNING }, { pem: chained.ecdh.certPem, type: ECDH }, ...ring.map((pem) => ({ pem, type: INTERMEDIATE }))]);
    const err = await verifyControllerCerts(msg, parseCertificatesPem(chained.trustPem), { now: now(), requireEcdh: true }).catch((e) => e);
    expect(err.kind).toBe("certs.chain");
    expect(err.cause.kind).toBe("pki.chain.signature");
  });
});

describe("ControllerCertStore", () => {
  async function response(pki: ControllerPki): Promise<Uint8Array> {
    const payload = certsMsg([
      { pem: pki.signing.certPem, type: SIGNING },
      { pem: pki.ecdh.certPem, type: ECDH },
    ]);
    return sealEnvelope(payload, softSigner(generateSoftKey()), { senderCertHash: new Uint8Array(32) });
  }

  test("checkpoints a verified set and restores it from .bak when the primary is corrupt", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ea-certs-"));
    const path = join(dir, "controllercerts");
    const roots = () => parseCertificatesPem(good.trustPem);
    const store = new ControllerCertStore(path, roots, silentLogger);
    await store.acceptResponse(await response(good));
    expect(readFileSync(path).equals(readFileSync(`${path}.bak`))).toBe(true);
    writeFileSync(path, "torn write");
    const again = new ControllerCertStore(path, roots, silentLogger);
    const loaded = await again.loadCheckpoint();
    expect(loaded?.signing.cert.subject).toContain("controller signing");
  });

  test("does not load a checkpoint when it no longer verifies against the root", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ea-certs-"));
    const path = join(dir, "controllercerts");
    const store = new ControllerCertStore(path, () => parseCertificatesPem(good.trustPem), silentLogger);
    await store.acceptResponse(await response(good));
    const other = new ControllerCertStore(path, () => parseCertificatesPem(chained.trustPem), silentLogger);
    expect(await other.loadCheckpoint()).toBeUndefined();
  });

  test("rewrites the checkpoint only when the set of cert hashes changes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ea-certs-"));
    const path = join(dir, "controllercerts");
    const store = new ControllerCertStore(path, () => parseCertificatesPem(good.trustPem), silentLogger);
    await store.acceptResponse(await response(good));
    writeFileSync(`${path}.bak`, "marker");
    await store.acceptResponse(await response(good));
    expect(readFileSync(`${path}.bak`, "utf8")).toBe("marker");
  });
});
