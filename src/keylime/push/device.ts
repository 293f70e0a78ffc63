import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { uptime } from "node:os";
import { ALG, decodePublic } from "../../tpm/index.ts";
import { encodePcrBlob } from "../quote.ts";
import { PushError } from "./errors.ts";
import type { HashAlgorithm, SignatureScheme } from "./jsonapi.ts";
import type { PushAk, PushEvidenceSource, PushTpm } from "./ports.ts";

/** What the push client uses of TpmManager: its Keylime methods, each one job of the one TPM queue. */
export interface KeylimeTpmManager {
  certifyAk(ak: "aik" | "quote", qualifyingData: Uint8Array): Promise<{ attest: Uint8Array; signature: Uint8Array }>;
  keylimeQuote(
    ak: "aik" | "quote",
    nonce: Uint8Array,
    pcrs: number[],
  ): Promise<{ attest: Uint8Array; signature: Uint8Array; pcrValues: Map<number, Uint8Array> }>;
  /** TPM2B_PUBLIC. */
  keyPublicBytes(name: "aik" | "quote"): Uint8Array;
  keyName(name: "aik" | "quote"): Uint8Array;
}

/**
 * The push client's TPM and AK on the agent's TpmManager. The AK is one of
 * EVE's persistent restricted signing keys, so certify and quote load and
 * flush nothing, and EVE's own quotes (by the quote key) and Keylime's run
 * one after the other in the same queue. Push mode quotes only the PCRs the
 * verifier chose: it never resets or extends a PCR (PCR 16 binds pull mode's
 * served key; push has no served key).
 */
export function pushTpm(tpm: KeylimeTpmManager, ak: "aik" | "quote"): { tpm: PushTpm; ak: PushAk } {
  const publicBytes = tpm.keyPublicBytes(ak);
  const pub = decodePublic(publicBytes);
  if (pub.type === "keyedhash") throw new PushError("keylime.push.tpm", `the ${ak} key is not an asymmetric signing key`);
  const hashAlg = pub.scheme.hashAlg ?? ALG.SHA256;
  if (hashAlg !== ALG.SHA256)
    throw new PushError("keylime.push.unsupported", `the ${ak} key signs with hash 0x${hashAlg.toString(16)}; Keylime quotes here use SHA-256`);
  const scheme: SignatureScheme = pub.type === "rsa" ? (pub.scheme.scheme === ALG.RSAPSS ? "rsapss" : "rsassa") : "ecdsa";
  const hashAlgorithm: HashAlgorithm = "sha256";
  return {
    tpm: {
      certifyAk: async (challenge) => {
        const r = await tpm.certifyAk(ak, challenge);
        return { message: r.attest, signature: r.signature };
      },
      quote: async (challenge, pcrs) => {
        const q = await tpm.keylimeQuote(ak, challenge, pcrs);
        return { message: q.attest, signature: q.signature, subjectData: encodePcrBlob({ hash: ALG.SHA256, values: q.pcrValues }) };
      },
    },
    ak: {
      keyAlgorithm: pub.type,
      keySize: pub.type === "rsa" ? pub.keyBits : 256,
      name: tpm.keyName(ak),
      publicArea: publicBytes.subarray(2),
      hashAlgorithm,
      signatureScheme: scheme,
    },
  };
}

/** Bigger than any firmware event log seen (a few hundred kB with many boot entries). */
const MAX_EVENT_LOG = 4 * 1024 * 1024;

/**
 * The UEFI event log the kernel exposes (read fresh per attestation: it is
 * fixed after boot, but the file may appear late on some kernels) and the
 * boot time from /proc/stat's btime.
 */
export function deviceEvidence(eventLogPath: string | undefined, procStat = "/proc/stat"): PushEvidenceSource {
  let boot: Date | undefined;
  return {
    async uefiLog() {
      if (!eventLogPath) return undefined;
      try {
        const b = await readFile(eventLogPath);
        if (b.length === 0) return undefined;
        if (b.length > MAX_EVENT_LOG) throw new PushError("keylime.push.unsupported", `event log ${eventLogPath} is larger than ${MAX_EVENT_LOG} bytes`);
        return new Uint8Array(b);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw e;
      }
    },
    bootTime() {
      boot ??= readBootTime(procStat);
      return boot;
    },
  };
}

function readBootTime(procStat: string): Date {
  try {
    const m = /^btime\s+(\d+)$/m.exec(readFileSync(procStat, "utf8"));
    if (m) return new Date(Number(m[1]) * 1000);
  } catch {}
  // Without /proc (not Linux): derived from the uptime, to the second.
  return new Date(Math.floor((Date.now() - uptime() * 1000) / 1000) * 1000);
}
