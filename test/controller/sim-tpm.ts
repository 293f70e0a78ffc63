/**
 * Real TPM quotes for controller tests, made with swtpm and tpm2-tools only
 * (none of the agent's TPM code), so the controller is checked against what
 * an actual TPM produces.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { decodePem, publicKeyFromSpki } from "../../src/pki/index.ts";
import { fromHex, toHex } from "../../src/shared/index.ts";
import { type Swtpm, scratchDir, startSwtpm } from "../harness/swtpm.ts";

/** EVE quotes PCRs 0..15 of the SHA-256 bank and reports 0..23 (docs/tpm.md#quote). */
export const QUOTED_PCRS = Array.from({ length: 16 }, (_, i) => i);
export const REPORTED_PCRS = Array.from({ length: 24 }, (_, i) => i);
const AK_HANDLE = "0x81000010";

export interface SimQuote {
  attestData: Uint8Array;
  /** DER ECDSA, as `tpm2_quote -f plain` writes it for an ECC key */
  signature: Uint8Array;
  /** SHA-256 bank values of REPORTED_PCRS, read right after the quote */
  pcrs: Map<number, Uint8Array>;
}

export interface SimTpm {
  sw: Swtpm;
  /** uncompressed P-256 point of the restricted signing (quote) key */
  akPoint: Uint8Array;
  quote(nonce: Uint8Array, pcrs?: number[]): SimQuote;
  extend(pcr: number, byte: string): void;
  stop(): Promise<void>;
}

function parsePcrRead(text: string): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const m of text.matchAll(/^\s*(\d+)\s*:\s*0x([0-9A-Fa-f]{64})\s*$/gm)) out.set(Number(m[1]), fromHex(m[2]!.toLowerCase()));
  return out;
}

export async function startSimTpm(): Promise<SimTpm> {
  const sw = await startSwtpm();
  const dir = scratchDir();
  try {
    const ctx = join(dir, "ak.ctx");
    // A restricted signing key needs a null symmetric part, hence the ":null".
    sw.tool([
      "tpm2_createprimary",
      "-C",
      "o",
      "-G",
      "ecc256:ecdsa-sha256:null",
      "-a",
      "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign|noda",
      "-c",
      ctx,
    ]);
    sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", ctx, AK_HANDLE]);
    sw.flushTools();
    const pemPath = join(dir, "ak.pem");
    sw.tool(["tpm2_readpublic", "-c", AK_HANDLE, "-f", "pem", "-o", pemPath]);
    const spki = decodePem(readFileSync(pemPath, "utf8")).find((b) => b.label === "PUBLIC KEY")!.der;
    const key = publicKeyFromSpki(spki);
    if (key.kind !== "ec") throw new Error("quote key is not EC");
    // Give some PCRs firmware-like values so an altered PCR is not just another zero.
    for (const pcr of [0, 4, 7, 14]) sw.tool(["tpm2_pcrextend", `${pcr}:sha256=${pcr.toString(16).padStart(2, "0").repeat(32)}`]);

    let n = 0;
    return {
      sw,
      akPoint: key.point,
      quote(nonce, pcrs = QUOTED_PCRS) {
        const tag = `q${n++}`;
        const attestPath = join(dir, `${tag}.attest`);
        const sigPath = join(dir, `${tag}.sig`);
        sw.tool([
          "tpm2_quote",
          "-c",
          AK_HANDLE,
          "-l",
          `sha256:${pcrs.join(",")}`,
          "-q",
          toHex(nonce),
          "-m",
          attestPath,
          "-s",
          sigPath,
          "-f",
          "plain",
          "-g",
          "sha256",
        ]);
        const read = parsePcrRead(sw.tool(["tpm2_pcrread", `sha256:${REPORTED_PCRS.join(",")}`]).stdout);
        sw.flushTools();
        return { attestData: new Uint8Array(readFileSync(attestPath)), signature: new Uint8Array(readFileSync(sigPath)), pcrs: read };
      },
      extend(pcr, byte) {
        sw.tool(["tpm2_pcrextend", `${pcr}:sha256=${byte.repeat(32)}`]);
      },
      async stop() {
        await sw.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await sw.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
