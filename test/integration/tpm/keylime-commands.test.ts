import { beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { sha256 } from "@noble/hashes/sha2.js";
import { EsysTpm, openWorkerTpm } from "../../../native/tss2/index.ts";
import { readPcrs } from "../../../src/tpm/commands/pcr.ts";
import { ALG, decodePublic, ESYS_TR, type EsysTr, HANDLES, publicKeyParts, type TpmPort } from "../../../src/tpm/index.ts";
import { decodeTpm2b, encodeSigScheme, encodeSymDef, encodeTpm2b } from "../../../src/tpm/structures/basic.ts";
import { SE, TPM_GENERATED_VALUE } from "../../../src/tpm/structures/constants.ts";
import { decodeSignature, ecdsaDer } from "../../../src/tpm/structures/signature.ts";
import { TCG_EK_POLICY } from "../../../src/tpm/structures/templates.ts";
import { decodeAll } from "../../../src/tpm/structures/wire.ts";
import { hex, p256Pem, useSwtpm, withTpm } from "./fixture.ts";

/**
 * The commands Keylime's agent needs, each called through a TpmPort (in this
 * thread and across the worker) and checked by something that is not the
 * agent: a digest computed here, tpm2_pcrread, openssl, tpm2_makecredential.
 */
const fx = useSwtpm();

beforeAll(async () => {
  // EVE's keys (EK with the TCG EK policy, AIK, quote key) made persistent once.
  await withTpm(fx.openWithKeys, async () => undefined);
});

const PCR16 = ESYS_TR.PCR0 + 16;

/** TPML_DIGEST_VALUES with one SHA-256 digest. */
function sha256DigestValues(d: Uint8Array): Uint8Array {
  const b = Buffer.alloc(4 + 2 + 32);
  b.writeUInt32BE(1, 0);
  b.writeUInt16BE(ALG.SHA256, 4);
  Buffer.from(d).copy(b, 6);
  return b;
}

/** tpm2_pcrread's SHA-256 value of one PCR, read after the port let go of the TPM. */
function toolsPcr(pcr: number): string {
  const out = fx.sw.tool(["tpm2_pcrread", `sha256:${pcr}`]).stdout;
  const m = out.match(new RegExp(`^\\s*${pcr}\\s*:\\s*0x([0-9A-Fa-f]+)`, "m"));
  if (!m) throw new Error(`no PCR ${pcr} in tpm2_pcrread output: ${out}`);
  return m[1]!.toLowerCase();
}

/** TPMS_ATTEST of TPM2_Certify (Part 2 §10.12.12 with TPMS_CERTIFY_INFO). */
function decodeCertifyAttest(b: Uint8Array) {
  return decodeAll(b, "TPMS_ATTEST", (r) => {
    const magic = r.u32();
    const type = r.u16();
    const qualifiedSigner = r.tpm2b();
    const extraData = r.tpm2b();
    r.bytes(8 + 4 + 4 + 1 + 8); // clockInfo, firmwareVersion
    return { magic, type, qualifiedSigner, extraData, name: r.tpm2b(), qualifiedName: r.tpm2b() };
  });
}

async function startPolicySession(tpm: TpmPort): Promise<EsysTr> {
  const { sessionHandle } = await tpm.startAuthSession({
    tpmKey: ESYS_TR.NONE,
    bind: ESYS_TR.NONE,
    sessionType: SE.POLICY,
    symmetric: encodeSymDef({ algorithm: ALG.NULL }),
    authHash: ALG.SHA256,
  });
  return sessionHandle;
}

async function persistent(tpm: TpmPort, handle: number): Promise<EsysTr> {
  return (await tpm.fromTpmPublic({ tpmHandle: handle })).object;
}

const PORTS: Array<[string, (tcti: string) => Promise<TpmPort> | TpmPort]> = [
  ["in this thread", (t) => EsysTpm.open(t)],
  ["across the worker", (t) => openWorkerTpm(t)],
];

for (const [where, open] of PORTS) {
  async function withPort<T>(f: (tpm: TpmPort) => Promise<T>): Promise<T> {
    const tpm = await open(fx.sw.tcti);
    try {
      return await f(tpm);
    } finally {
      await tpm.close();
    }
  }

  describe(`Keylime's TPM commands ${where}`, () => {
    test("PCR_Extend moves PCR 16 to SHA-256(old || digest), as PCR_Read and tpm2_pcrread show", async () => {
      const digest = sha256(new TextEncoder().encode(`keylime measurement ${where}`));
      const { before, after } = await withPort(async (tpm) => {
        const before = (await readPcrs(tpm, [16])).get(16)!;
        await tpm.pcrExtend({ pcrHandle: PCR16, digests: sha256DigestValues(digest) });
        return { before, after: (await readPcrs(tpm, [16])).get(16)! };
      });
      const expected = hex(sha256(Buffer.concat([before, digest])));
      expect(hex(after)).toBe(expected);
      expect(toolsPcr(16)).toBe(expected);
    });

    test("PCR_Reset brings an extended PCR 16 back to zeros", async () => {
      fx.sw.tool(["tpm2_pcrextend", `16:sha256=${"16".repeat(32)}`]);
      expect(toolsPcr(16)).not.toBe("00".repeat(32));
      const after = await withPort(async (tpm) => {
        await tpm.pcrReset({ pcrHandle: PCR16 });
        return (await readPcrs(tpm, [16])).get(16)!;
      });
      expect(hex(after)).toBe("00".repeat(32));
      expect(toolsPcr(16)).toBe("00".repeat(32));
    });

    test("Certify of the quote key by itself carries its name and the nonce, and openssl verifies the signature", async () => {
      const nonce = sha256(new TextEncoder().encode(`certify ${where}`));
      const { certifyInfo, signature, name, point } = await withPort(async (tpm) => {
        const key = await persistent(tpm, HANDLES.quote);
        try {
          const pub = await tpm.readPublic({ objectHandle: key });
          const parts = publicKeyParts(decodePublic(pub.outPublic));
          if (parts.kind !== "ec") throw new Error("quote key is not EC");
          const out = await tpm.certify({
            objectHandle: key,
            signHandle: key,
            qualifyingData: encodeTpm2b(nonce),
            inScheme: encodeSigScheme({ scheme: ALG.NULL }),
          });
          return { ...out, name: pub.name, point: parts.point };
        } finally {
          await tpm.closeTr({ object: key });
        }
      });
      const attest = decodeTpm2b(certifyInfo, "TPM2B_ATTEST");
      const a = decodeCertifyAttest(attest);
      expect(a.magic).toBe(TPM_GENERATED_VALUE);
      expect(a.type).toBe(0x8017 /* TPM_ST_ATTEST_CERTIFY */);
      expect(hex(a.extraData)).toBe(hex(nonce));
      expect(hex(a.name)).toBe(hex(decodeTpm2b(name, "TPM2B_NAME")));
      const sig = decodeSignature(signature);
      if (sig.sigAlg !== "ecdsa") throw new Error(`quote key signed with ${sig.sigAlg}`);
      const verify = (data: Uint8Array) =>
        spawnSync(
          "openssl",
          [
            "dgst",
            "-sha256",
            "-verify",
            fx.file("quote.pub.pem", p256Pem(point)),
            "-signature",
            fx.file("certify.sig", ecdsaDer(sig)),
            fx.file("certify.attest", data),
          ],
          { encoding: "utf8" },
        );
      expect(verify(attest).stdout).toContain("Verified OK");
      const forged = new Uint8Array(attest);
      forged[forged.length - 1]! ^= 1;
      expect(verify(forged).status).not.toBe(0);
    });

    test("PolicySecret with the endorsement hierarchy gives a policy session the TCG EK policy digest", async () => {
      const { digest, ticket } = await withPort(async (tpm) => {
        const s = await startPolicySession(tpm);
        try {
          const { policyTicket } = await tpm.policySecret({ authHandle: ESYS_TR.RH_ENDORSEMENT, policySession: s, expiration: 0 });
          return { digest: (await tpm.policyGetDigest({ policySession: s })).policyDigest, ticket: policyTicket };
        } finally {
          await tpm.flushContext({ flushHandle: s });
        }
      });
      expect(hex(decodeTpm2b(digest, "TPM2B_DIGEST"))).toBe(hex(TCG_EK_POLICY));
      // Without an expiry the TPM hands back a NULL ticket: hierarchy TPM_RH_NULL, empty digest (Part 3 §23.4).
      expect(hex(ticket.subarray(2))).toBe("40000007" + "0000");
    });

    test("ActivateCredential with the EK recovers the secret tpm2_makecredential wrapped for the AIK's name", async () => {
      const secret = sha256(new TextEncoder().encode(`credential ${where}`)).subarray(0, 20);
      const recovered = await withPort(async (tpm) => {
        const ek = await persistent(tpm, HANDLES.ek);
        const aik = await persistent(tpm, HANDLES.aik);
        try {
          const ekPub = (await tpm.readPublic({ objectHandle: ek })).outPublic;
          const aikName = decodeTpm2b((await tpm.readPublic({ objectHandle: aik })).name, "TPM2B_NAME");
          const { credentialBlob, encSecret } = makeCredential(ekPub, secret, aikName);
          const s = await startPolicySession(tpm);
          try {
            await tpm.policySecret({ authHandle: ESYS_TR.RH_ENDORSEMENT, policySession: s, expiration: 0 });
            const { certInfo } = await tpm.activateCredential({
              activateHandle: aik,
              keyHandle: ek,
              credentialBlob,
              secret: encSecret,
              sessions: { s1: ESYS_TR.PASSWORD, s2: s },
            });
            return decodeTpm2b(certInfo, "TPM2B_DIGEST");
          } finally {
            await tpm.flushContext({ flushHandle: s });
          }
        } finally {
          await tpm.closeTr({ object: ek });
          await tpm.closeTr({ object: aik });
        }
      });
      expect(hex(recovered)).toBe(hex(secret));
    });

    test("ActivateCredential refuses a credential made for another key's name", async () => {
      const err = await withPort(async (tpm) => {
        const ek = await persistent(tpm, HANDLES.ek);
        const aik = await persistent(tpm, HANDLES.aik);
        const quoteKey = await persistent(tpm, HANDLES.quote);
        try {
          const ekPub = (await tpm.readPublic({ objectHandle: ek })).outPublic;
          const otherName = decodeTpm2b((await tpm.readPublic({ objectHandle: quoteKey })).name, "TPM2B_NAME");
          const { credentialBlob, encSecret } = makeCredential(ekPub, new Uint8Array(16).fill(7), otherName);
          const s = await startPolicySession(tpm);
          try {
            await tpm.policySecret({ authHandle: ESYS_TR.RH_ENDORSEMENT, policySession: s, expiration: 0 });
            return await tpm
              .activateCredential({ activateHandle: aik, keyHandle: ek, credentialBlob, secret: encSecret, sessions: { s1: ESYS_TR.PASSWORD, s2: s } })
              .then(
                () => undefined,
                (e: unknown) => e,
              );
          } finally {
            await tpm.flushContext({ flushHandle: s });
          }
        } finally {
          for (const tr of [ek, aik, quoteKey]) await tpm.closeTr({ object: tr });
        }
      });
      expect(err).toMatchObject({ kind: "tpm.rc", command: "Esys_ActivateCredential" });
    });

    test("leaves no transient objects or sessions behind", () => {
      for (const cap of ["handles-transient", "handles-loaded-session"]) {
        expect(fx.sw.tool(["tpm2_getcap", cap]).stdout.trim()).toBe("");
      }
    });
  });
}

/**
 * tpm2_makecredential run offline (no TPM) against the EK's public area; its
 * output file is a tpm2-tools header (magic 0xBADCC0DE, version 1), then the
 * TPM2B_ID_OBJECT and the TPM2B_ENCRYPTED_SECRET as wire bytes.
 */
function makeCredential(ekPublic: Uint8Array, secret: Uint8Array, name: Uint8Array): { credentialBlob: Uint8Array; encSecret: Uint8Array } {
  const out = fx.file("cred.out", "");
  fx.sw.tool(["tpm2_makecredential", "-T", "none", "-u", fx.file("ek.pub", ekPublic), "-s", fx.file("cred.secret", secret), "-n", hex(name), "-o", out]);
  const b = readFileSync(out);
  if (b.readUInt32BE(0) !== 0xbadcc0de || b.readUInt32BE(4) !== 1) throw new Error("unexpected tpm2_makecredential output header");
  const idLen = b.readUInt16BE(8);
  const credentialBlob = b.subarray(8, 10 + idLen);
  const secLen = b.readUInt16BE(10 + idLen);
  const encSecret = b.subarray(10 + idLen, 12 + idLen + secLen);
  if (12 + idLen + secLen !== b.length) throw new Error("trailing bytes in tpm2_makecredential output");
  return { credentialBlob, encSecret };
}
