import { ST, TPM_GENERATED_VALUE } from "./constants.ts";
import { type PcrBankSelection, readPcrSelection } from "./pcr-selection.ts";
import { decodeAll, type Reader, TpmCodecError } from "./wire.ts";

/** TPMS_ATTEST of a quote (Part 2 §10.12.12 with TPMS_QUOTE_INFO). */
export interface QuoteAttest {
  qualifiedSigner: Uint8Array;
  extraData: Uint8Array;
  clock: bigint;
  resetCount: number;
  restartCount: number;
  safe: boolean;
  firmwareVersion: bigint;
  pcrSelect: PcrBankSelection[];
  pcrDigest: Uint8Array;
}

export function decodeQuoteAttest(b: Uint8Array): QuoteAttest {
  return decodeAll(b, "TPMS_ATTEST", (r: Reader) => {
    const magic = r.u32();
    if (magic !== TPM_GENERATED_VALUE) throw new TpmCodecError("selector", `attest magic 0x${magic.toString(16)} is not TPM_GENERATED`);
    const type = r.u16();
    if (type !== ST.ATTEST_QUOTE) throw new TpmCodecError("selector", `attest type 0x${type.toString(16)} is not a quote`);
    const qualifiedSigner = r.tpm2b(68);
    const extraData = r.tpm2b(64);
    const clock = r.u64();
    const resetCount = r.u32();
    const restartCount = r.u32();
    const safe = r.u8() !== 0;
    const firmwareVersion = r.u64();
    const pcrSelect = readPcrSelection(r);
    const pcrDigest = r.tpm2b(64);
    return { qualifiedSigner, extraData, clock, resetCount, restartCount, safe, firmwareVersion, pcrSelect, pcrDigest };
  });
}
