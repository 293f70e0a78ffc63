import { describe, expect, test } from "bun:test";
import { createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { toHex, utf8 } from "../shared/index.ts";
import { decodePublic, decodeQuoteAttest, publicKeyParts } from "../tpm/index.ts";
import {
  decodePcrBlob,
  encodePcrBlob,
  expectedKeyBindingPcr,
  formatMask,
  formatQuote,
  keyBindingDigest,
  nonceBytes,
  parseMask,
  parseQuote,
  pcrDigest,
  quotedPcrs,
} from "./quote.ts";

/**
 * Recorded between Keylime 7.14.3 and the rust agent: the quotes it served and
 * the AK it registered. Everything here is checked against what that agent
 * produced and Keylime accepted, not against our own encoder.
 */
const FIX = join(import.meta.dir, "../../test/fixtures/keylime");
const load = (f: string) => JSON.parse(readFileSync(join(FIX, f), "utf8"));
const identity = load("quotes-identity.json");
const integrity = load("quotes-integrity.json");
const registered = load("registrar-post.json").req_body;

const nonceOf = (path: string) => new URL(path, "http://x").searchParams.get("nonce")!;

function akVerifies(q: { attest: Uint8Array; signature: Uint8Array }): boolean {
  const parts = publicKeyParts(decodePublic(new Uint8Array(Buffer.from(registered.aik_tpm, "base64"))));
  if (parts.kind !== "rsa") throw new Error("fixture AK is not RSA");
  // TPMT_SIGNATURE for RSASSA: u16 sigAlg, u16 hash, TPM2B signature.
  expect(Buffer.from(q.signature.subarray(0, 4)).toString("hex")).toBe("0014000b");
  const key = createPublicKey({ key: { kty: "RSA", n: Buffer.from(parts.modulus).toString("base64url"), e: "AQAB" }, format: "jwk" });
  return verify("sha256", q.attest, key, q.signature.subarray(6));
}

describe("Keylime quote string", () => {
  for (const [name, rec, pcrs] of [
    ["quotes/identity", identity, [16]],
    ["quotes/integrity mask=0xff", integrity, [0, 1, 2, 3, 4, 5, 6, 7, 16]],
  ] as const) {
    test(`${name}: parses into attest, signature and PCR blob that match each other and the nonce`, () => {
      const s: string = rec.resp_body.results.quote;
      const q = parseQuote(s);
      expect(formatQuote(q)).toBe(s);
      expect(akVerifies(q)).toBe(true);
      const attest = decodeQuoteAttest(q.attest);
      expect(utf8.decode(attest.extraData)).toBe(nonceOf(rec.path));
      expect(toHex(attest.extraData)).toBe(toHex(nonceBytes(nonceOf(rec.path))));
      const bank = decodePcrBlob(q.pcrBlob);
      expect(bank.hash).toBe(0x000b);
      expect([...bank.values.keys()]).toEqual([...pcrs]);
      expect(attest.pcrSelect).toEqual([{ hash: 0x000b, pcrs: [...pcrs] }]);
      expect(toHex(pcrDigest(bank))).toBe(toHex(attest.pcrDigest));
      // Re-encoding gives the rust agent's bytes: 668 B for one TPML_DIGEST, 1200 B for two.
      expect(toHex(encodePcrBlob(bank))).toBe(toHex(q.pcrBlob));
      expect(q.pcrBlob.length).toBe(pcrs.length > 8 ? 1200 : 668);
    });

    test(`${name}: PCR 16 is H(0^32 || H(served pubkey PEM with its newline))`, () => {
      const pem: string = rec.resp_body.results.pubkey;
      expect(pem.endsWith("-----\n")).toBe(true);
      const pcr16 = decodePcrBlob(parseQuote(rec.resp_body.results.quote).pcrBlob).values.get(16)!;
      expect(toHex(keyBindingDigest(pem))).toBe(toHex(sha256(new TextEncoder().encode(pem))));
      expect(toHex(expectedKeyBindingPcr(pem))).toBe(toHex(pcr16));
      // The newline matters: without it the verifier's check fails.
      expect(toHex(expectedKeyBindingPcr(pem.trimEnd()))).not.toBe(toHex(pcr16));
    });
  }

  test("push evidence: subject_data is the same blob, over the challenge's decoded bytes, with the values the verifier read", () => {
    const rec = load("push-evidence.json");
    const sent = rec.req_body.data.attributes.evidence_collected[0].data;
    const seen = rec.resp_body.data.attributes.evidence[0];
    const bank = decodePcrBlob(new Uint8Array(Buffer.from(sent.subject_data, "base64")));
    const attest = decodeQuoteAttest(new Uint8Array(Buffer.from(sent.message, "base64")));
    expect(toHex(attest.extraData)).toBe(Buffer.from(seen.chosen_parameters.challenge, "base64").toString("hex"));
    expect(toHex(pcrDigest(bank))).toBe(toHex(attest.pcrDigest));
    const verifierPcrs: Record<string, string> = seen.data.meta.pcrs.sha256;
    expect(Object.fromEntries([...bank.values].map(([p, v]) => [String(p), `0x${toHex(v)}`]))).toEqual(verifierPcrs);
  });

  test("a tampered PCR value no longer hashes to the signed pcrDigest", () => {
    const q = parseQuote(integrity.resp_body.results.quote);
    const bank = decodePcrBlob(q.pcrBlob);
    const v = new Uint8Array(bank.values.get(3)!);
    v[0]! ^= 1;
    bank.values.set(3, v);
    expect(toHex(pcrDigest(bank))).not.toBe(toHex(decodeQuoteAttest(q.attest).pcrDigest));
  });

  test("refuses other prefixes, missing parts and non-base64", () => {
    const s: string = identity.resp_body.results.quote;
    expect(() => parseQuote("c" + s.slice(1))).toThrow(/raw form/);
    expect(() => parseQuote(s.split(":").slice(0, 2).join(":"))).toThrow(/3 parts/);
    expect(() => parseQuote("r!!!!:AAAA:AAAA")).toThrow(/base64/);
    expect(() => parseQuote("r:AAAA:AAAA")).toThrow(/base64/);
  });

  test("refuses PCR blobs Keylime's parser would refuse", () => {
    const blob = parseQuote(integrity.resp_body.results.quote).pcrBlob;
    expect(() => decodePcrBlob(blob.subarray(0, blob.length - 1))).toThrow(/bytes for 2 digest lists/);
    const badSize = new Uint8Array(blob);
    badSize[6] = 4; // sizeofSelect
    expect(() => decodePcrBlob(badSize)).toThrow(/sizeofSelect 4/);
    const extraPcr = new Uint8Array(blob);
    extraPcr[8]! |= 0x80; // select PCR 23 without a value for it
    expect(() => decodePcrBlob(extraPcr)).toThrow(/9 values for 10 selected PCRs/);
  });

  test("encodes PCRs 0..23 into three TPML_DIGESTs in ascending order", () => {
    const values = new Map(Array.from({ length: 24 }, (_, p) => [p, sha256(new Uint8Array([p]))] as const));
    const blob = encodePcrBlob({ hash: 0x000b, values });
    expect(blob.length).toBe(4 + 16 * 8 + 4 + 3 * 532);
    const back = decodePcrBlob(blob);
    expect([...back.values.keys()]).toEqual([...values.keys()]);
    for (const [p, v] of values) expect(toHex(back.values.get(p)!)).toBe(toHex(v));
    expect(() => encodePcrBlob({ hash: 0x000b, values: new Map([[24, new Uint8Array(32)]]) })).toThrow(/outside 0..23/);
  });
});

describe("Keylime mask and nonce", () => {
  test("mask is a hex bitmap of PCRs 0..23, bit N = PCR N", () => {
    expect(parseMask("0xff")).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(parseMask("0x10000")).toEqual([16]);
    expect(parseMask("408001")).toEqual([0, 15, 22]);
    expect(parseMask("0x0")).toEqual([]);
    expect(formatMask([0, 1, 2, 3, 4, 5, 6, 7])).toBe("0xff");
    expect(formatMask([16, 0])).toBe("0x10001");
    for (const bad of ["", "0x", "0xg", "0x1000000", "0x123456789", "-1", "1e3 "]) expect(() => parseMask(bad)).toThrow(/mask/);
  });

  test("PCR 16 is always quoted", () => {
    expect(quotedPcrs("0xff")).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 16]);
    expect(quotedPcrs("0x10000")).toEqual([16]);
    expect(quotedPcrs([])).toEqual([16]);
  });

  test("nonce is qualifying data as its ASCII bytes, alphanumeric and at most 64 characters", () => {
    expect(toHex(nonceBytes("FcypeUIYfkDns9BP10Yp"))).toBe(Buffer.from("FcypeUIYfkDns9BP10Yp").toString("hex"));
    expect(nonceBytes("a".repeat(64)).length).toBe(64);
    for (const bad of ["", "a".repeat(65), "abc-def", "abc def", "n\u00e9"]) expect(() => nonceBytes(bad)).toThrow(/nonce/);
  });
});
