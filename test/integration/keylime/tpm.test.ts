import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { sha256 } from "@noble/hashes/sha2.js";
import { encodePcrBlob, expectedKeyBindingPcr, keyBindingDigest, nonceBytes } from "../../../src/keylime/index.ts";
import { decodePublic, HANDLES, publicKeyParts } from "../../../src/tpm/index.ts";
import { hex, useSwtpm, withTpm } from "../tpm/fixture.ts";

/**
 * The TPM manager's Keylime operations on swtpm, each checked by tpm2-tools
 * or openssl: the TCG EK and its certificate, ActivateCredential of a
 * tpm2_makecredential blob, quotes that tpm2_checkquote accepts with our PCR
 * blob, Certify, and the PCR 16 binding.
 */
const fx = useSwtpm();

function tools(args: string[]) {
  return fx.sw.tool(args);
}

function pcrOf(pcr: number): string {
  const m = tools(["tpm2_pcrread", `sha256:${pcr}`]).stdout.match(new RegExp(`^\\s*${pcr}\\s*:\\s*0x([0-9A-Fa-f]+)`, "m"));
  return m![1]!.toLowerCase();
}

describe("TpmManager for Keylime", () => {
  test("tcgEk is the endorsement-hierarchy EK its NV certificate certifies, not EVE's 0x81000001, persistent or transient alike", async () => {
    const ek = await withTpm(fx.openWithKeys, (m) => m.tcgEk("rsa"));
    expect(ek.source).toBe("0x81010001");
    const ekFile = fx.file("ek.pub", "");
    tools(["tpm2_readpublic", "-c", "0x81010001", "-o", ekFile]);
    expect(hex(ek.publicBytes)).toBe(hex(readFileSync(ekFile)));
    // The certificate's key is the EK's modulus.
    const certPem = spawnSync("openssl", ["x509", "-inform", "DER", "-noout", "-modulus"], { input: ek.certificate, encoding: "utf8" }).stdout;
    const parts = publicKeyParts(decodePublic(ek.publicBytes));
    if (parts.kind !== "rsa") throw new Error("EK is not RSA");
    expect(certPem.trim()).toBe(`Modulus=${hex(parts.modulus).toUpperCase()}`);
    const eve = await withTpm(fx.openWithKeys, async (m) => m.keyPublicBytes("ek"));
    expect(hex(eve)).not.toBe(hex(ek.publicBytes));
    // Without the persistent copy the same key is created from the template under the endorsement seed.
    tools(["tpm2_evictcontrol", "-C", "o", "-c", "0x81010001"]);
    const transient = await withTpm(fx.openWithKeys, (m) => m.tcgEk("rsa"));
    expect(transient.source).toBe("transient");
    expect(hex(transient.publicBytes)).toBe(hex(ek.publicBytes));
    expect(tools(["tpm2_getcap", "handles-transient"]).stdout.trim()).toBe("");
  });

  test("activateCredential recovers the secret tpm2_makecredential wrapped to the TCG EK for the AIK's name", async () => {
    const secret = new TextEncoder().encode("0123456789abcdefghijABCDEFGHIJ01");
    const { ekPub, aikName } = await withTpm(fx.openWithKeys, async (m) => ({ ekPub: (await m.tcgEk("rsa")).publicBytes, aikName: m.keyName("aik") }));
    const nameOut = tools(["tpm2_readpublic", "-c", `0x${HANDLES.aik.toString(16)}`]).stdout;
    expect(nameOut).toContain(`name: ${hex(aikName)}`);
    const out = fx.file("cred.out", "");
    tools(["tpm2_makecredential", "-T", "none", "-u", fx.file("tcg-ek.pub", ekPub), "-s", fx.file("secret", secret), "-n", hex(aikName), "-o", out]);
    const b = readFileSync(out);
    const idLen = b.readUInt16BE(8);
    const blob = b.subarray(8, 10 + idLen);
    const enc = b.subarray(10 + idLen);
    const got = await withTpm(fx.openWithKeys, (m) => m.activateCredential("rsa", "aik", blob, enc));
    expect(Buffer.from(got).toString()).toBe(Buffer.from(secret).toString());
    // Made for another key's name, it does not activate.
    tools([
      "tpm2_makecredential",
      "-T",
      "none",
      "-u",
      fx.file("tcg-ek.pub", ekPub),
      "-s",
      fx.file("secret", secret),
      "-n",
      "000b" + "11".repeat(32),
      "-o",
      out,
    ]);
    const b2 = readFileSync(out);
    const l2 = b2.readUInt16BE(8);
    const err = await withTpm(fx.openWithKeys, (m) =>
      m.activateCredential("rsa", "aik", b2.subarray(8, 10 + l2), b2.subarray(10 + l2)).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(err).toMatchObject({ kind: "tpm.rc" });
    for (const cap of ["handles-transient", "handles-loaded-session"]) expect(tools(["tpm2_getcap", cap]).stdout.trim()).toBe("");
  });

  for (const ak of ["aik", "quote"] as const) {
    test(`keylimeQuote with the ${ak === "aik" ? "AIK (RSASSA)" : "quote key (ECDSA)"}: tpm2_checkquote accepts it with our PCR blob and the nonce's ASCII bytes`, async () => {
      const nonce = "FcypeUIYfkDns9BP10Yp";
      const q = await withTpm(fx.openWithKeys, (m) => m.keylimeQuote(ak, nonceBytes(nonce), [0, 1, 2, 3, 4, 5, 6, 7, 10, 16]));
      expect([...q.pcrValues.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 10, 16]);
      expect(hex(q.pcrValues.get(4)!)).toBe(pcrOf(4));
      const pem = fx.file(`${ak}.pem`, "");
      tools(["tpm2_readpublic", "-c", `0x${HANDLES[ak].toString(16)}`, "-f", "pem", "-o", pem]);
      const check = (blob: Uint8Array, n: string) =>
        fx.sw.tool(
          [
            "tpm2_checkquote",
            "-u",
            pem,
            "-m",
            fx.file("q.msg", q.attest),
            "-s",
            fx.file("q.sig", q.signature),
            "-f",
            fx.file("q.pcrs", blob),
            "-g",
            "sha256",
            "-q",
            Buffer.from(n).toString("hex"),
          ],
          { allowFail: true },
        );
      const blob = encodePcrBlob({ hash: 0x000b, values: q.pcrValues });
      const ok = check(blob, nonce);
      expect(ok.status).toBe(0);
      expect(check(blob, "FcypeUIYfkDns9BP10Yq").status).not.toBe(0);
      const moved = new Map(q.pcrValues);
      moved.set(10, sha256(new Uint8Array([1])));
      expect(check(encodePcrBlob({ hash: 0x000b, values: moved }), nonce).status).not.toBe(0);
    });
  }

  test("certifyAk: TPM2_Certify of the AIK by itself over the challenge, openssl verifies it with the AIK", async () => {
    const challenge = sha256(new TextEncoder().encode("challenge")).subarray(0, 16);
    const c = await withTpm(fx.openWithKeys, (m) => m.certifyAk("aik", challenge));
    const pem = fx.file("aik.pem", "");
    tools(["tpm2_readpublic", "-c", `0x${HANDLES.aik.toString(16)}`, "-f", "pem", "-o", pem]);
    // TPMT_SIGNATURE RSASSA: u16 alg, u16 hash, TPM2B signature.
    expect(hex(c.signature.subarray(0, 4))).toBe("0014000b");
    const v = spawnSync("openssl", ["dgst", "-sha256", "-verify", pem, "-signature", fx.file("c.sig", c.signature.subarray(6)), fx.file("c.msg", c.attest)], {
      encoding: "utf8",
    });
    expect(v.stdout).toContain("Verified OK");
    expect(hex(c.attest)).toContain(hex(challenge));
  });

  test("resetAndExtend binds PCR 16 to a key as Keylime's verifier expects; EVE's PCRs cannot be reset or extended", async () => {
    const pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
    tools(["tpm2_pcrextend", `16:sha256=${"16".repeat(32)}`]);
    await withTpm(fx.openWithKeys, (m) => m.resetAndExtend(16, keyBindingDigest(pem)));
    expect(pcrOf(16)).toBe(hex(expectedKeyBindingPcr(pem)));
    const before = pcrOf(7);
    const errors = await withTpm(fx.openWithKeys, async (m) => [
      await m.pcrReset(7).then(
        () => undefined,
        (e: unknown) => e,
      ),
      await m.pcrExtend(15, new Uint8Array(32)).then(
        () => undefined,
        (e: unknown) => e,
      ),
      await m.resetAndExtend(0, new Uint8Array(32)).then(
        () => undefined,
        (e: unknown) => e,
      ),
    ]);
    for (const e of errors) expect(e).toMatchObject({ kind: "tpm.input" });
    expect(pcrOf(7)).toBe(before);
    await withTpm(fx.openWithKeys, async (m) => {
      await m.pcrReset(16);
      await m.pcrExtend(16, sha256(new Uint8Array([7])));
    });
    expect(pcrOf(16)).toBe(hex(sha256(Buffer.concat([new Uint8Array(32), sha256(new Uint8Array([7]))]))));
  });

  test("leaves no transient objects or sessions behind", () => {
    for (const cap of ["handles-transient", "handles-loaded-session"]) expect(tools(["tpm2_getcap", cap]).stdout.trim()).toBe("");
  });
});
