import { afterAll, describe, expect, test } from "bun:test";
import { type KeyAlg, OpensslDir, type Profile } from "../../test/harness/openssl-ca.ts";
import type { ParsedCert } from "./certificate.ts";
import { type ChainOptions, MAX_INTERMEDIATES, MAX_SIGNATURE_CHECKS, verifyChain } from "./chain.ts";
import { PkiError } from "./errors.ts";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const now = new Date();

async function refusal(leaf: ParsedCert, opts: ChainOptions): Promise<string> {
  try {
    await verifyChain(leaf, opts);
  } catch (e) {
    return e instanceof PkiError ? e.kind : `not a PkiError: ${String(e)}`;
  }
  return "accepted";
}

const subjects = (path: ParsedCert[]) => path.map((c) => c.subject);

/** One CA hierarchy per key algorithm, made by openssl, shared read-only by the tests below. */
function hierarchy(alg: KeyAlg) {
  const d = new OpensslDir();
  const root = d.cert("root", { subject: `/O=Test/CN=Root ${alg}`, profile: "ca", alg });
  const inter = d.cert("inter", { subject: `/O=Test/CN=Intermediate ${alg}`, profile: "ca", alg, issuer: root });
  // Leaves share one key: only issuer keys matter to these tests, and RSA key generation is slow.
  const leafKey = d.key("leaf", alg);
  const leaf = (name: string, profile: Profile, issuer = inter, dates: { notBefore?: Date; notAfter?: Date } = {}) =>
    d.cert(name, { subject: `/O=Test/CN=${name}`, profile, alg, issuer, keyPath: leafKey, ...dates }).cert;
  return { d, root, inter, leaf };
}

describe.each(["ec", "rsa"] as const)("verifyChain (%s)", (alg) => {
  const { d, root, inter, leaf } = hierarchy(alg);
  afterAll(() => d.remove());
  const opts = (over: Partial<ChainOptions> = {}): ChainOptions => ({
    roots: [root.cert],
    intermediates: [inter.cert],
    now,
    requireServerAuth: true,
    ...over,
  });

  test("returns leaf, intermediate and root when the chain is good", async () => {
    const l = leaf("good", "server");
    expect(subjects(await verifyChain(l, opts()))).toEqual(["O=Test, CN=good", `O=Test, CN=Intermediate ${alg}`, `O=Test, CN=Root ${alg}`]);
  });

  test("returns leaf and root when the leaf sits directly under the root", async () => {
    const l = leaf("direct", "server", root);
    expect(subjects(await verifyChain(l, opts({ intermediates: [] })))).toEqual(["O=Test, CN=direct", `O=Test, CN=Root ${alg}`]);
  });

  test("rejects with pki.chain.untrusted when the intermediate is missing", async () => {
    expect(await refusal(leaf("orphan", "server"), opts({ intermediates: [] }))).toBe("pki.chain.untrusted");
  });

  test("rejects with pki.chain.untrusted when only an unrelated root is trusted", async () => {
    const other = d.cert("other-root", { subject: "/O=Other/CN=Other Root", profile: "ca", alg });
    expect(await refusal(leaf("wrong-root", "server"), opts({ roots: [other.cert] }))).toBe("pki.chain.untrusted");
  });

  test("rejects with pki.chain.signature when another key signed under the issuer's name", async () => {
    const impostor = d.cert("impostor", { subject: `/O=Test/CN=Intermediate ${alg}`, profile: "ca", alg, issuer: root });
    const forged = leaf("forged", "server", impostor);
    expect(forged.issuerDer).toEqual(inter.cert.subjectDer);
    expect(await refusal(forged, opts())).toBe("pki.chain.signature");
  });

  test("rejects with pki.chain.expired when the leaf has expired", async () => {
    const l = leaf("expired", "server", inter, { notBefore: new Date(now.getTime() - 10 * DAY), notAfter: new Date(now.getTime() - DAY) });
    expect(await refusal(l, opts())).toBe("pki.chain.expired");
  });

  test("rejects with pki.chain.not-yet-valid when the leaf starts tomorrow", async () => {
    const l = leaf("future", "server", inter, { notBefore: new Date(now.getTime() + DAY), notAfter: new Date(now.getTime() + 10 * DAY) });
    expect(await refusal(l, opts())).toBe("pki.chain.not-yet-valid");
  });

  test("accepts the same leaf when now lies inside its validity", async () => {
    const l = leaf("later", "server", inter, { notBefore: new Date(now.getTime() + HOUR), notAfter: new Date(now.getTime() + 2 * HOUR) });
    expect(await refusal(l, opts({ now: new Date(now.getTime() + 1.5 * HOUR) }))).toBe("accepted");
    expect(await refusal(l, opts({ now: new Date(now.getTime() + 3 * HOUR) }))).toBe("pki.chain.expired");
  });

  test("rejects with pki.chain.expired when the intermediate has expired", async () => {
    const old = d.cert("old-inter", {
      subject: "/O=Test/CN=Old Intermediate",
      profile: "ca",
      alg,
      issuer: root,
      notBefore: new Date(now.getTime() - 10 * DAY),
      notAfter: new Date(now.getTime() - DAY),
    });
    expect(await refusal(leaf("under-old", "server", old), opts({ intermediates: [old.cert] }))).toBe("pki.chain.expired");
  });

  test("rejects with pki.chain.eku when the leaf allows clientAuth only", async () => {
    expect(await refusal(leaf("client", "client"), opts())).toBe("pki.chain.eku");
  });

  test("accepts a clientAuth leaf when serverAuth is not required", async () => {
    expect(await refusal(leaf("client2", "client"), opts({ requireServerAuth: false }))).toBe("accepted");
  });

  test("accepts the leaf when it has no extended key usage", async () => {
    expect(await refusal(leaf("no-eku", "no_eku"), opts())).toBe("accepted");
  });

  test("accepts the leaf when it allows anyExtendedKeyUsage", async () => {
    expect(await refusal(leaf("any-eku", "any_eku"), opts())).toBe("accepted");
  });

  test("rejects with pki.chain.eku when an intermediate restricts to clientAuth", async () => {
    const narrow = d.cert("narrow", { subject: "/O=Test/CN=Narrow", profile: "ca_client_only", alg, issuer: root });
    expect(await refusal(leaf("under-narrow", "server", narrow), opts({ intermediates: [narrow.cert] }))).toBe("pki.chain.eku");
  });

  test("rejects with pki.chain.not-ca when a non-CA cert issued the leaf", async () => {
    const server = d.cert("fake-ca", { subject: "/O=Test/CN=Fake CA", profile: "server", alg, issuer: root });
    expect(await refusal(leaf("under-fake", "server", server), opts({ intermediates: [server.cert] }))).toBe("pki.chain.not-ca");
  });

  test("rejects with pki.chain.path-length when the root allows no intermediate", async () => {
    const strict = d.cert("strict-root", { subject: "/O=Test/CN=Strict Root", profile: "ca_pathlen0", alg });
    const mid = d.cert("strict-inter", { subject: "/O=Test/CN=Strict Inter", profile: "ca", alg, issuer: strict });
    const l = leaf("under-strict", "server", mid);
    expect(await refusal(l, opts({ roots: [strict.cert], intermediates: [mid.cert] }))).toBe("pki.chain.path-length");
    expect(await refusal(leaf("under-strict-root", "server", strict), opts({ roots: [strict.cert] }))).toBe("accepted");
  });

  test("rejects with pki.chain.critical-extension when the leaf has an unknown critical extension", async () => {
    expect(await refusal(leaf("crit", "unknown_critical"), opts())).toBe("pki.chain.critical-extension");
  });

  test("finds the good path when a dead end with the same issuer name comes first", async () => {
    const impostor = d.cert("impostor2", { subject: `/O=Test/CN=Intermediate ${alg}`, profile: "ca", alg, issuer: root });
    const l = leaf("good2", "server");
    expect((await verifyChain(l, opts({ intermediates: [impostor.cert, inter.cert] }))).length).toBe(3);
  });
});

describe("verifyChain (Adam-style trust anchors)", () => {
  const d = new OpensslDir();
  afterAll(() => d.remove());
  // Adam --auto-cert: three unrelated self-signed RSA leaves, all put into root-certificate.pem.
  const server = d.cert("server", { subject: "/O=Adam/CN=localhost", profile: "adam", alg: "rsa" });
  const signing = d.cert("signing", { subject: "/O=Adam/CN=signing", profile: "adam", alg: "rsa" });
  const encrypt = d.cert("encrypt", { subject: "/O=Adam/CN=encrypt", profile: "adam", alg: "rsa" });
  const roots = [server.cert, signing.cert, encrypt.cert];

  test("returns just the leaf when it is byte-identical to a trust anchor", async () => {
    for (const c of [signing.cert, encrypt.cert]) {
      expect(subjects(await verifyChain(c, { roots, intermediates: [], now, requireServerAuth: true }))).toEqual([c.subject]);
    }
  });

  test("rejects with pki.chain.untrusted when that self-signed leaf is not among the anchors", async () => {
    expect(await refusal(signing.cert, { roots: [server.cert], intermediates: [], now, requireServerAuth: true })).toBe("pki.chain.untrusted");
  });

  test("rejects with pki.chain.expired when the anchored leaf has expired", async () => {
    const later = new Date(signing.cert.notAfter.getTime() + DAY);
    expect(await refusal(signing.cert, { roots, intermediates: [], now: later, requireServerAuth: true })).toBe("pki.chain.expired");
  });

  test("rejects with pki.chain.eku when the anchored leaf is clientAuth only", async () => {
    const client = d.cert("client-anchor", { subject: "/CN=client", profile: "client", alg: "rsa" });
    expect(await refusal(client.cert, { roots: [client.cert], intermediates: [], now, requireServerAuth: true })).toBe("pki.chain.eku");
  });
});

describe("verifyChain over many controller-supplied intermediates", () => {
  const d = new OpensslDir();
  afterAll(() => d.remove());
  const root = d.cert("root", { subject: "/O=Test/CN=Decoy Test Root", profile: "ca" });
  const inter = d.cert("inter", { subject: "/O=Test/CN=Real Intermediate", profile: "ca", issuer: root });
  const leaf = d.cert("leaf", { subject: "/O=Test/CN=leaf", profile: "server", issuer: inter }).cert;
  // The real intermediate's name under other keys.
  const lookAlikes = Array.from({ length: 8 }, (_, i) => d.cert(`look-${i}`, { subject: "/O=Test/CN=Real Intermediate", profile: "ca", issuer: root }).cert);
  // Two CAs that issued each other.
  const seedA = d.cert("seed-a", { subject: "/O=Test/CN=Loop A", profile: "ca" });
  const loopB = d.cert("loop-b", { subject: "/O=Test/CN=Loop B", profile: "ca", issuer: seedA });
  const loopA = d.cert("loop-a", { subject: "/O=Test/CN=Loop A", profile: "ca", issuer: loopB, keyPath: seedA.keyPath });
  // A ring of same-name CAs: 5 keys with 4 certs each, key k certified by key k+1 (mod 5),
  // so every cert has 4 valid issuers and the number of paths grows as 4^depth.
  const KEYS = 5;
  const seeds = Array.from({ length: KEYS }, (_, k) => d.cert(`ring-seed-${k}`, { subject: "/O=Test/CN=Ring", profile: "ca" }));
  const ring = seeds.flatMap((seed, k) =>
    Array.from(
      { length: 4 },
      (_, j) => d.cert(`ring-${k}-${j}`, { subject: "/O=Test/CN=Ring", profile: "ca", keyPath: seed.keyPath, issuer: seeds[(k + 1) % KEYS] }).cert,
    ),
  );
  const ringLeaf = d.cert("ring-leaf", { subject: "/O=Test/CN=ring leaf", profile: "server", issuer: seeds[0] }).cert;

  test("accepts the real path among 19 look-alikes, loops and ring members, with one signature check per distinct key", async () => {
    const intermediates = [...lookAlikes, loopA.cert, loopB.cert, ...ring.slice(0, 9), inter.cert];
    expect(intermediates).toHaveLength(20);
    const work = { signatureChecks: 0 };
    const path = await verifyChain(leaf, { roots: [root.cert], intermediates, now, requireServerAuth: true, work });
    expect(subjects(path)).toEqual(["O=Test, CN=leaf", "O=Test, CN=Real Intermediate", "O=Test, CN=Decoy Test Root"]);
    // The 9 certs named like the leaf's issuer have 9 keys, then the root: 10.
    expect(work.signatureChecks).toBe(10);
  });

  test("refuses a leaf under a 20-cert ring of same-name CAs without walking its paths", async () => {
    expect(ring).toHaveLength(20);
    const work = { signatureChecks: 0 };
    // The first dead end met: a ring cert of the wrong key named as the leaf's issuer.
    expect(await refusal(ringLeaf, { roots: [root.cert], intermediates: ring, now, requireServerAuth: true, work })).toBe("pki.chain.signature");
    // Paths through the ring up to the length limit number 4^6; each cert is reached once
    // and each (cert, issuer key) pair checked once, well inside the budget.
    expect(work.signatureChecks).toBeGreaterThan(0);
    expect(work.signatureChecks).toBeLessThanOrEqual(MAX_SIGNATURE_CHECKS);
  });

  test("refuses a leaf under the loop pair when no root is reachable", async () => {
    const looped = d.cert("loop-leaf", { subject: "/O=Test/CN=loop leaf", profile: "server", issuer: loopA }).cert;
    const work = { signatureChecks: 0 };
    expect(await refusal(looped, { roots: [root.cert], intermediates: [loopA.cert, loopB.cert], now, requireServerAuth: true, work })).toBe(
      "pki.chain.untrusted",
    );
    expect(work.signatureChecks).toBe(2);
  });

  test("shares one budget between the leaves of one answer", async () => {
    const work = { signatureChecks: MAX_SIGNATURE_CHECKS - 1 };
    const opts = { roots: [root.cert], intermediates: [inter.cert], now, requireServerAuth: true, work };
    expect(await refusal(leaf, opts)).toBe("pki.chain.too-complex");
    expect(work.signatureChecks).toBe(MAX_SIGNATURE_CHECKS);
  });

  test(`refuses more than ${MAX_INTERMEDIATES} intermediates before checking any signature`, async () => {
    const many = [...ring, ...lookAlikes, ...seeds.map((s) => s.cert)];
    expect(many.length).toBeGreaterThan(MAX_INTERMEDIATES);
    const work = { signatureChecks: 0 };
    expect(await refusal(leaf, { roots: [root.cert], intermediates: [...many, inter.cert], now, requireServerAuth: true, work })).toBe("pki.chain.too-complex");
    expect(work.signatureChecks).toBe(0);
  });
});
