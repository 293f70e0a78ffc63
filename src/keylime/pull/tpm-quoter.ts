import type { KeylimeConfig } from "../../config/index.ts";
import { bytesEqual, concatBytes, sha256 } from "../../shared/index.ts";
import { ALG, type AttestationKeyName, HANDLES } from "../../tpm/index.ts";
import type { KeylimeTpm } from "../agent.ts";
import { encodePcrBlob, formatQuote, KEY_BINDING_PCR } from "../quote.ts";
import { PullError } from "./errors.ts";
import type { KeylimeAlgorithms, PullQuoter, QuoteRequest } from "./ports.ts";

/**
 * Quotes through the agent's TPM manager. PCR 16 is bound once (reset and
 * extend in one queue job) and then checked in every quote's own PCR values
 * rather than reset again each time, as the rust agent does: that saves two
 * TPM commands per quote, and a quote whose PCR 16 is not the binding (some
 * other TPM user extended it) is re-bound and made again, never served.
 */
export class TpmPullQuoter implements PullQuoter {
  readonly algorithms: KeylimeAlgorithms;
  readonly akHandle: number;
  private bound: Uint8Array | undefined;

  constructor(
    private readonly tpm: Pick<KeylimeTpm, "keylimeQuote" | "resetAndExtend">,
    private readonly ak: AttestationKeyName,
    cfg: Pick<KeylimeConfig, "tpmHashAlg" | "tpmSigningAlg" | "tpmEncryptionAlg">,
  ) {
    this.algorithms = { hash: cfg.tpmHashAlg, sign: cfg.tpmSigningAlg, enc: cfg.tpmEncryptionAlg };
    this.akHandle = HANDLES[ak];
  }

  async quote(req: QuoteRequest): Promise<string> {
    const expected = sha256(concatBytes(new Uint8Array(32), req.bind));
    const pcrs = [...new Set([...req.pcrs, KEY_BINDING_PCR])].sort((a, b) => a - b);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!this.bound || !bytesEqual(this.bound, req.bind)) {
        await this.tpm.resetAndExtend(KEY_BINDING_PCR, req.bind);
        this.bound = req.bind;
      }
      const q = await this.tpm.keylimeQuote(this.ak, req.nonce, pcrs);
      const pcr16 = q.pcrValues.get(KEY_BINDING_PCR);
      if (pcr16 && bytesEqual(pcr16, expected)) {
        return formatQuote({ attest: q.attest, signature: q.signature, pcrBlob: encodePcrBlob({ hash: ALG.SHA256, values: q.pcrValues }) });
      }
      this.bound = undefined;
    }
    throw new PullError("keylime.pull.quote", "PCR 16 does not hold the key binding after binding it again");
  }
}
