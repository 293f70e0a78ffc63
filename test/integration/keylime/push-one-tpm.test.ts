/**
 * One TPM for EVE and Keylime (issue 12 point 5), at the TpmManager the agent
 * runs: EVE's quotes (quote key, PCRs 0-15) and its vault unseal, and
 * Keylime's AK certify, quotes and PCR 16 key binding, all fired at once
 * into the one queue on a swtpm. Every result is checked outside the agent
 * (node's crypto against the keys' public areas, the sealed secret coming
 * back), no transient object or session is left, PCRs 0-15 (EVE's boot and
 * sealing PCRs) do not move, and no quote ever sees PCR 16 reset but not
 * yet extended.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createPublicKey, type KeyObject, randomBytes, verify } from "node:crypto";
import { sha256 } from "@noble/hashes/sha2.js";
import { decodePcrBlob, pcrDigest } from "../../../src/keylime/index.ts";
import { pushTpm } from "../../../src/keylime/push/index.ts";
import { concatBytes, toHex } from "../../../src/shared/index.ts";
import { DEFAULT_SEAL_PCRS, decodePublic, decodeQuoteAttest, KEYLIME_RESETTABLE_PCRS, publicKeyParts, type TpmManager } from "../../../src/tpm/index.ts";
import { decodeAll } from "../../../src/tpm/structures/wire.ts";
import { useSwtpm } from "../tpm/fixture.ts";

const fx = useSwtpm();
/** Rounds of every operation; each round queues seven TPM jobs at once. */
const ROUNDS = Number(process.env.EDGE_AGENT_KEYLIME_ONE_TPM_ROUNDS ?? 24);
const EVE_PCRS = Array.from({ length: 16 }, (_, i) => i);

let tpm: TpmManager;
beforeAll(async () => {
  tpm = await fx.openWithKeys();
});
afterAll(async () => {
  await tpm?.close();
});

function nodeKey(name: "aik" | "quote"): KeyObject {
  const parts = publicKeyParts(decodePublic(tpm.keyPublicBytes(name)));
  if (parts.kind === "rsa") return createPublicKey({ key: { kty: "RSA", n: Buffer.from(parts.modulus).toString("base64url"), e: "AQAB" }, format: "jwk" });
  const p = parts.point;
  return createPublicKey({
    key: { kty: "EC", crv: "P-256", x: Buffer.from(p.subarray(1, 33)).toString("base64url"), y: Buffer.from(p.subarray(33)).toString("base64url") },
    format: "jwk",
  });
}

describe("EVE and Keylime on one TPM queue", () => {
  test("Keylime may reset and extend only PCRs outside EVE's quote and sealing sets", () => {
    for (const p of KEYLIME_RESETTABLE_PCRS) {
      expect(DEFAULT_SEAL_PCRS.includes(p)).toBe(false);
      expect(EVE_PCRS.includes(p)).toBe(false);
    }
    expect(() => tpm.pcrReset(7)).toThrow(/not one the agent may reset/);
  });

  test(`${ROUNDS} rounds of EVE quotes and unseals and Keylime certify, quotes and PCR 16 binding at once: all verify, nothing left behind`, async () => {
    const { tpm: push } = pushTpm(tpm, "aik");
    const aik = nodeKey("aik");
    const quoteKey = nodeKey("quote");
    const before = await tpm.readPcrs(EVE_PCRS);
    const eveDigest = sha256(concatBytes(...EVE_PCRS.map((p) => before.get(p)!)));
    const secret = new Uint8Array(randomBytes(32));
    await tpm.sealVaultKey(secret);
    const bindings = Array.from({ length: ROUNDS }, (_, i) =>
      sha256(new TextEncoder().encode(`-----BEGIN PUBLIC KEY-----\nround ${i}\n-----END PUBLIC KEY-----\n`)),
    );
    const bound = new Set(bindings.map((d) => toHex(sha256(concatBytes(new Uint8Array(32), d)))));
    const results: string[] = [];
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const eveNonce = new Uint8Array(randomBytes(32));
      jobs.push(
        tpm.quote(eveNonce).then((q) => {
          const a = decodeQuoteAttest(q.attestData);
          expect(verify("sha256", q.attestData, quoteKey, q.signature)).toBe(true);
          expect(toHex(a.extraData)).toBe(toHex(eveNonce));
          expect(toHex(a.pcrDigest)).toBe(toHex(eveDigest));
          results.push("eve-quote");
        }),
      );
      jobs.push(
        tpm.unsealVaultKey().then((s) => {
          expect(toHex(s)).toBe(toHex(secret));
          results.push("unseal");
        }),
      );
      jobs.push(tpm.resetAndExtend(16, bindings[i]!).then(() => void results.push("bind")));
      const challenge = new Uint8Array(randomBytes(16));
      jobs.push(
        push.certifyAk(challenge).then((c) => {
          expect(verify("sha256", c.message, aik, c.signature.subarray(6))).toBe(true);
          const extra = decodeAll(c.message, "TPMS_ATTEST", (r) => {
            r.bytes(6);
            r.tpm2b();
            const e = r.tpm2b();
            r.bytes(r.remaining);
            return e;
          });
          expect(toHex(extra)).toBe(toHex(challenge));
          results.push("certify");
        }),
      );
      for (const pcrs of [
        [0, 1, 2, 3, 4, 5, 6, 7],
        [0, 1, 2, 3, 4, 5, 6, 7, 16],
      ]) {
        const nonce = new Uint8Array(randomBytes(16));
        jobs.push(
          push.quote(nonce, pcrs).then((q) => {
            const a = decodeQuoteAttest(q.message);
            expect(verify("sha256", q.message, aik, q.signature.subarray(6))).toBe(true);
            expect(toHex(a.extraData)).toBe(toHex(nonce));
            const bank = decodePcrBlob(q.subjectData);
            expect([...bank.values.keys()]).toEqual(pcrs);
            expect(toHex(pcrDigest(bank))).toBe(toHex(a.pcrDigest));
            for (const p of pcrs.filter((p) => p < 16)) expect(toHex(bank.values.get(p)!)).toBe(toHex(before.get(p)!));
            // PCR 16 is always some whole binding (reset and extend are one job), never the reset value.
            if (pcrs.includes(16)) expect(bound.has(toHex(bank.values.get(16)!))).toBe(true);
            results.push("keylime-quote");
          }),
        );
      }
      jobs.push(tpm.readPcrs([16]).then((m) => expect(bound.has(toHex(m.get(16)!)) || toHex(m.get(16)!) === "00".repeat(32)).toBe(true)));
    }
    await Promise.all(jobs);
    expect(results.filter((r) => r === "eve-quote").length).toBe(ROUNDS);
    expect(results.filter((r) => r === "keylime-quote").length).toBe(2 * ROUNDS);
    expect(results.filter((r) => r === "unseal").length).toBe(ROUNDS);
    // The jobs really interleaved: EVE's and Keylime's results alternate somewhere in the completion order.
    const firstKeylime = results.indexOf("keylime-quote");
    expect(results.slice(firstKeylime).includes("eve-quote")).toBe(true);
    expect(await tpm.residue()).toEqual({ transient: [], sessions: [] });
    const after = await tpm.readPcrs(EVE_PCRS);
    for (const p of EVE_PCRS) expect(`${p}:${toHex(after.get(p)!)}`).toBe(`${p}:${toHex(before.get(p)!)}`);
    // The queue ran the bindings in order: the last one queued is the one in force.
    expect(toHex((await tpm.readPcrs([16])).get(16)!)).toBe(toHex(sha256(concatBytes(new Uint8Array(32), bindings.at(-1)!))));
  }, 120_000);
});
