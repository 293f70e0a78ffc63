import { describe, expect, test } from "bun:test";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { decodeQuoteAttest, QUOTE_PCRS, type TpmManager } from "../../../src/tpm/index.ts";
import { hex, p256Pem, useSwtpm, withTpm } from "./fixture.ts";

const fx = useSwtpm();

/** DER ECDSA-Sig-Value -> TPMT_SIGNATURE (ECDSA, SHA-256), the form tpm2_checkquote loads. */
function derToTpmtSignature(der: Uint8Array): Uint8Array {
  const ints: Uint8Array[] = [];
  let i = 2;
  while (i < der.length) {
    const len = der[i + 1]!;
    let v = der.subarray(i + 2, i + 2 + len);
    while (v.length > 32 && v[0] === 0) v = v.subarray(1);
    ints.push(v);
    i += 2 + len;
  }
  const part = (b: Uint8Array) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), Buffer.from(b)]);
  return Buffer.concat([Buffer.from([0x00, 0x18, 0x00, 0x0b]), part(ints[0]!), part(ints[1]!)]);
}

/**
 * PCR values in the serialized form tpm2_quote -o writes and tpm2_checkquote -f
 * reads (tpm2-tools 5.4, x86-64): the TPML_PCR_SELECTION C struct, a u32
 * count of TPML_DIGEST C structs, then those structs of up to 8 digests. The
 * "plain values + -l selection" input form fails in 5.4 ("Failed to hash PCR
 * values related to quote"), hence this.
 */
function pcrFile(values: Map<number, Uint8Array>): Uint8Array {
  const sel = Buffer.alloc(132);
  sel.writeUInt32LE(1, 0);
  sel.writeUInt16LE(0x000b, 4);
  sel.writeUInt8(3, 6);
  sel.writeUInt8(0xff, 7);
  sel.writeUInt8(0xff, 8);
  const lists: Buffer[] = [];
  for (let start = 0; start < QUOTE_PCRS.length; start += 8) {
    const l = Buffer.alloc(4 + 8 * 66);
    const chunk = QUOTE_PCRS.slice(start, start + 8);
    l.writeUInt32LE(chunk.length, 0);
    chunk.forEach((pcr, i) => {
      l.writeUInt16LE(32, 4 + i * 66);
      Buffer.from(values.get(pcr)!).copy(l, 6 + i * 66);
    });
    lists.push(l);
  }
  const n = Buffer.alloc(4);
  n.writeUInt32LE(lists.length, 0);
  return Buffer.concat([sel, n, ...lists]);
}

async function quoteWithPcrs(m: TpmManager, nonce: Uint8Array) {
  const pcrs = await m.readPcrs(QUOTE_PCRS);
  const q = await m.quote(nonce);
  const pub = m.publicKey("quote");
  if (pub.kind !== "ec") throw new Error("quote key is not EC");
  return { ...q, pcrs, point: pub.point };
}

function checkquote(q: { attestData: Uint8Array; signature: Uint8Array; point: Uint8Array }, pcrs: Map<number, Uint8Array>, nonce: Uint8Array) {
  return fx.sw.tool(
    [
      "tpm2_checkquote",
      "-u",
      fx.file("quote.pub.pem", p256Pem(q.point)),
      "-m",
      fx.file("attest.bin", q.attestData),
      "-s",
      fx.file("sig.tpmt", derToTpmtSignature(q.signature)),
      "-f",
      fx.file("pcrs.bin", pcrFile(pcrs)),
      "-g",
      "sha256",
      "-q",
      hex(nonce),
    ],
    { allowFail: true },
  );
}

describe("quote", () => {
  const nonce = new Uint8Array(20).map((_, i) => i + 1);

  test("verifies with tpm2_checkquote when nonce and PCRs are unchanged", async () => {
    const q = await withTpm(fx.openWithKeys, (m) => quoteWithPcrs(m, nonce));
    const r = checkquote(q, q.pcrs, nonce);
    expect(r.stderr).not.toContain("ERROR");
    expect(r.status).toBe(0);
  });

  test("matches the public key tpm2_readpublic exports when compared as PEM", async () => {
    const q = await withTpm(fx.openWithKeys, (m) => quoteWithPcrs(m, nonce));
    const out = fx.file("rp.pem", "");
    fx.sw.tool(["tpm2_readpublic", "-c", "0x81000004", "-f", "pem", "-o", out]);
    expect((await Bun.file(out).text()).replace(/\s+/g, "")).toBe(p256Pem(q.point).replace(/\s+/g, ""));
  });

  test("attest carries the nonce and a SHA-256 PCR 0..15 selection when parsed", async () => {
    const q = await withTpm(fx.openWithKeys, (m) => quoteWithPcrs(m, nonce));
    const a = decodeQuoteAttest(q.attestData);
    expect(hex(a.extraData)).toBe(hex(nonce));
    expect(a.pcrSelect).toEqual([{ hash: 0x000b, pcrs: QUOTE_PCRS }]);
    const digest = sha256(Buffer.concat(QUOTE_PCRS.map((i) => Buffer.from(q.pcrs.get(i)!))));
    expect(hex(a.pcrDigest)).toBe(hex(digest));
    expect(p256.verify(q.signature, sha256(q.attestData), q.point, { prehash: false, format: "der", lowS: false })).toBe(true);
  });

  test("fails tpm2_checkquote when the verifier expects another nonce", async () => {
    const q = await withTpm(fx.openWithKeys, (m) => quoteWithPcrs(m, nonce));
    const other = new Uint8Array(nonce);
    other[0]! ^= 0xff;
    expect(checkquote(q, q.pcrs, other).status).not.toBe(0);
  });

  test("fails tpm2_checkquote when a quoted PCR changed after the verifier read it", async () => {
    const before = await withTpm(fx.openWithKeys, (m) => m.readPcrs(QUOTE_PCRS));
    fx.sw.tool(["tpm2_pcrextend", `7:sha256=${"77".repeat(32)}`]);
    const q = await withTpm(fx.openWithKeys, (m) => quoteWithPcrs(m, nonce));
    expect(checkquote(q, q.pcrs, nonce).status).toBe(0);
    expect(checkquote(q, before, nonce).status).not.toBe(0);
  });

  test("rejects a nonce outside 12..32 bytes when asked to quote", async () => {
    await withTpm(fx.openWithKeys, async (m) => {
      await expect(m.quote(new Uint8Array(11))).rejects.toMatchObject({ kind: "tpm.input" });
      await expect(m.quote(new Uint8Array(33))).rejects.toMatchObject({ kind: "tpm.input" });
    });
  });

  test("leaves no transient objects or sessions when 1000 quotes run in a row", async () => {
    await withTpm(fx.openWithKeys, async (m) => {
      const n = new Uint8Array(16);
      for (let i = 0; i < 1000; i++) {
        n[0] = i & 0xff;
        n[1] = i >> 8;
        await m.quote(n);
      }
    });
    for (const cap of ["handles-transient", "handles-loaded-session"]) {
      expect(fx.sw.tool(["tpm2_getcap", cap]).stdout.trim()).toBe("");
    }
  }, 60_000);
});
