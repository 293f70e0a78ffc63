import { existsSync } from "node:fs";
import type { AgentConfig } from "../config/index.ts";
import { parseCertificate, spkiFromP256Point, verifySha256Signature } from "../pki/index.ts";
import { bytesEqual, concatBytes, errorChain, sha256 } from "../shared/index.ts";
import type { DeviceLayout } from "../state/index.ts";
import {
  ALG,
  CAP,
  CHILD_TEMPLATES,
  DEFAULT_SEAL_PCRS,
  decodePcrSelection,
  decodeQuoteAttest,
  EVE_CHILD_TEMPLATES,
  HANDLES,
  isChildKey,
  KEY_ORDER,
  type KeyName,
  matchesTemplate,
  nvBufferMax,
  nvPublic,
  nvRead,
  openPersistent,
  PcrMismatchError,
  PRIMARY_TEMPLATES,
  publicKeyParts,
  QUOTE_PCRS,
  quote,
  readPcrs,
  seal,
  type TpmPort,
  TpmQueue,
  unseal,
} from "../tpm/index.ts";
import type { CheckResult } from "./result.ts";
import type { TpmCheckOptions } from "./tpm.ts";

type Outcome = Omit<CheckResult, "name">;

const hex = (h: number) => `0x${h.toString(16)}`;
const isZero = (b: Uint8Array | undefined) => b !== undefined && b.every((x) => x === 0);

const BANK_NAMES: Record<number, string> = { [ALG.SHA1]: "sha1", [ALG.SHA256]: "sha256", 12: "sha384", 13: "sha512", 18: "sm3_256" };

/**
 * EK certificate indexes of the TCG EK Credential Profile (2.3, §2.2.1.5):
 * RSA 2048 and ECC P-256 in the low range, then the high range's RSA 2048,
 * P-256, P-384, P-521, SM2, RSA 3072 and RSA 4096.
 */
const EK_CERT_INDEXES: [number, string][] = [
  [0x01c00002, "RSA 2048"],
  [0x01c0000a, "ECC P-256"],
  [0x01c00012, "RSA 2048"],
  [0x01c00014, "ECC P-256"],
  [0x01c00016, "ECC P-384"],
  [0x01c00018, "ECC P-521"],
  [0x01c0001a, "ECC SM2"],
  [0x01c0001c, "RSA 3072"],
  [0x01c0001e, "RSA 4096"],
];

function pcrList(pcrs: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < pcrs.length; i++) {
    let j = i;
    while (j + 1 < pcrs.length && pcrs[j + 1] === pcrs[j]! + 1) j++;
    runs.push(j > i ? `${pcrs[i]}-${pcrs[j]}` : String(pcrs[i]));
    i = j;
  }
  return runs.join(",");
}

type Check = (tpm: TpmPort, layout: DeviceLayout) => Promise<Outcome>;

/** TPM2_GetCapability(TPM_CAP_PCRS): the banks allocated and their PCRs. */
const pcrBanks: Check = async (tpm) => {
  const { capabilityData } = await tpm.getCapability({ capability: CAP.PCRS, property: 0, propertyCount: 1 });
  const banks = decodePcrSelection(capabilityData.subarray(4)).filter((b) => b.pcrs.length > 0);
  const detail = banks.map((b) => `${BANK_NAMES[b.hash] ?? hex(b.hash)} (PCRs ${pcrList(b.pcrs)})`).join(", ") || "no bank allocated";
  const sha256Bank = banks.find((b) => b.hash === ALG.SHA256);
  const hint = "allocate a SHA-256 bank with all 24 PCRs (firmware TPM settings, or tpm2_pcrallocate sha256:all) and reboot";
  if (!sha256Bank || QUOTE_PCRS.some((p) => !sha256Bank.pcrs.includes(p))) {
    return { verdict: "fail", detail: `${detail}: quotes and the vault need SHA-256 PCRs 0-15`, hint };
  }
  if (sha256Bank.pcrs.length < 24) return { verdict: "warn", detail: `${detail}: EVE reports SHA-256 PCRs 0-23`, hint };
  return { verdict: "ok", detail };
};

/** PCR 0 (firmware) and PCR 4 (boot loader) all-zero: nothing was measured, and the vault refuses to seal. */
const bootMeasured: Check = async (tpm) => {
  const pcrs = await readPcrs(tpm, [0, 4]);
  const zero = [0, 4].filter((p) => isZero(pcrs.get(p)));
  if (zero.length === 0) return { verdict: "ok", detail: "PCR 0 and PCR 4 hold measurements" };
  return {
    verdict: "fail",
    detail: `${zero.map((p) => `PCR ${p}`).join(" and ")} ${zero.length > 1 ? "are" : "is"} all-zero: the boot was not measured, so the vault will not seal its key and quotes attest nothing`,
    hint: "enable the TPM and measured boot in the firmware (UEFI TCG2 protocol) and boot through a measuring boot loader",
  };
};

/** A quote with EVE's quote key over a fresh nonce, verified here in software against the key's public part and the PCRs read. */
const testQuote: Check = async (tpm) => {
  const key = await openPersistent(tpm, HANDLES.quote);
  if (!key)
    return { verdict: "warn", detail: `no quote key at ${hex(HANDLES.quote)}`, hint: "the agent creates it when it starts; run it once, then check again" };
  try {
    const pub = publicKeyParts(key.public);
    if (pub.kind !== "ec")
      return {
        verdict: "fail",
        detail: `the key at ${hex(HANDLES.quote)} is not an ECC key`,
        hint: "the agent replaces it with EVE's quote key when it starts; check again then",
      };
    const nonce = crypto.getRandomValues(new Uint8Array(32));
    // A PCR extended between the read and the quote changes the digest; read and quote again then, as the agent does.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const pcrs = await readPcrs(tpm, QUOTE_PCRS);
      const q = await quote(tpm, key.tr, nonce, QUOTE_PCRS);
      const attest = decodeQuoteAttest(q.attest);
      const signed = await verifySha256Signature(
        { kind: "ec", curve: "P-256", point: pub.point, spkiDer: spkiFromP256Point(pub.point) },
        q.attest,
        q.signatureDer,
        "der",
      );
      const fail = (detail: string) => ({
        verdict: "fail" as const,
        detail,
        hint: `the TPM or the key at ${hex(HANDLES.quote)} is not what the agent expects; the controller will refuse its quotes`,
      });
      if (!signed) return fail("the quote's signature does not verify with the quote key");
      if (!bytesEqual(attest.extraData, nonce)) return fail("the quote does not carry the nonce it was asked for");
      const selected = attest.pcrSelect.find((b) => b.hash === ALG.SHA256)?.pcrs ?? [];
      if (selected.join() !== QUOTE_PCRS.join()) return fail(`the quote covers SHA-256 PCRs ${pcrList(selected) || "none"}, not 0-15`);
      if (bytesEqual(attest.pcrDigest, sha256(concatBytes(...QUOTE_PCRS.map((p) => pcrs.get(p)!))))) {
        return {
          verdict: "ok",
          detail: `signed by the quote key (${hex(HANDLES.quote)}) over SHA-256 PCRs 0-15 and a fresh nonce; signature and PCR digest verified in software`,
        };
      }
    }
    return { verdict: "warn", detail: "PCRs kept changing between reading and quoting", hint: "something extends PCRs 0-15 at run time; run the check again" };
  } finally {
    await tpm.closeTr({ object: key.tr }).catch(() => undefined);
  }
};

/** Seals a random value under the SRK to the vault's PCR policy and unseals it: the path the vault key takes. */
const testSeal: Check = async (tpm) => {
  const srk = await openPersistent(tpm, HANDLES.srk);
  if (!srk) return { verdict: "warn", detail: `no SRK at ${hex(HANDLES.srk)}`, hint: "the agent creates it when it starts; run it once, then check again" };
  try {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    // Create returns blobs only; unseal loads the object and flushes it and its policy session on every path.
    const sealed = await seal(tpm, { srk: srk.tr, secret, pcrs: DEFAULT_SEAL_PCRS, requireMeasuredBoot: false });
    const back = await unseal(tpm, { srk: srk.tr, sealed });
    if (!bytesEqual(back, secret))
      return { verdict: "fail", detail: "the unsealed value differs from the sealed one", hint: "the TPM is faulty; the vault cannot rely on it" };
    return { verdict: "ok", detail: `a random value sealed to SHA-256 PCRs ${pcrList(DEFAULT_SEAL_PCRS)} (the vault's policy) and unsealed intact` };
  } catch (e) {
    if (e instanceof PcrMismatchError) {
      return {
        verdict: "fail",
        detail: `PCR ${e.changed.join(", ")} changed between sealing and unsealing`,
        hint: "a PCR of the vault's policy moves at run time, so the vault would lock; find what extends it, then check again",
      };
    }
    throw e;
  } finally {
    await tpm.closeTr({ object: srk.tr }).catch(() => undefined);
  }
};

/** The manufacturer's EK certificate in the TCG NV indexes: absent on some firmware TPMs, which fetch it online instead. */
const ekCertificate: Check = async (tpm) => {
  const found: string[] = [];
  const problems: string[] = [];
  for (const [index, kind] of EK_CERT_INDEXES) {
    if (!(await nvPublic(tpm, index))) continue;
    try {
      const raw = (await nvRead(tpm, index, await nvBufferMax(tpm)))!;
      // Some TPMs pad the index after the certificate: take the DER SEQUENCE's own length.
      const der = raw.subarray(0, derLength(raw));
      const cert = parseCertificate(der);
      found.push(`${kind} in NV ${hex(index)} (issuer ${cert.issuer}, valid until ${cert.notAfter.toISOString().slice(0, 10)})`);
    } catch (e) {
      problems.push(`NV ${hex(index)} does not hold a readable certificate: ${errorChain(e)}`);
    }
  }
  if (found.length > 0) return { verdict: problems.length > 0 ? "warn" : "ok", detail: [...found, ...problems].join("; ") };
  return {
    verdict: "warn",
    detail: problems.join("; ") || `none in the TCG EK certificate indexes (${EK_CERT_INDEXES.map(([i]) => hex(i)).join(", ")})`,
    hint: "nothing to fix on the device: some TPMs (often firmware TPMs) ship no EK certificate; the controller then cannot tie the TPM to its maker",
  };
};

function derLength(b: Uint8Array): number {
  if (b[0] !== 0x30 || b.length < 2) return b.length;
  const first = b[1]!;
  if (first < 0x80) return Math.min(b.length, 2 + first);
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (b[2 + i] ?? 0);
  return Math.min(b.length, 2 + n + len);
}

/** EVE's persistent keys: present, and made from the templates the agent uses (a child key also from EVE's older template). */
const keyTemplates: Check = async (tpm, layout) => {
  const provisioned = existsSync(layout.config.deviceCert);
  const missing: KeyName[] = [];
  const foreign: KeyName[] = [];
  const matching: string[] = [];
  for (const key of KEY_ORDER) {
    const o = await openPersistent(tpm, HANDLES[key]);
    if (!o) {
      missing.push(key);
      continue;
    }
    await tpm.closeTr({ object: o.tr }).catch(() => undefined);
    const ok = isChildKey(key)
      ? matchesTemplate(o.public, CHILD_TEMPLATES[key]) || matchesTemplate(o.public, EVE_CHILD_TEMPLATES[key])
      : matchesTemplate(o.public, PRIMARY_TEMPLATES[key]);
    if (ok) matching.push(`${key} ${hex(HANDLES[key])}`);
    else foreign.push(key);
  }
  const list = (keys: KeyName[]) => keys.map((k) => `${k} (${hex(HANDLES[k])})`).join(", ");
  if (foreign.includes("device")) {
    return {
      verdict: "fail",
      detail: `the object at ${hex(HANDLES.device)} is not a device key${foreign.length > 1 ? `; also not matching: ${list(foreign.filter((k) => k !== "device"))}` : ""}`,
      hint: "the agent refuses to replace it; inspect it with tpm2_readpublic -c 0x817fffff and evict it only if it is not this device's identity",
    };
  }
  if (missing.includes("device") && provisioned) {
    return {
      verdict: "fail",
      detail: `no device key at ${hex(HANDLES.device)} although config/device.cert.pem exists`,
      hint: "the TPM was cleared; re-provision the device (see README)",
    };
  }
  if (foreign.length > 0) {
    return { verdict: "warn", detail: `not made from the agent's templates: ${list(foreign)}`, hint: "the agent replaces them when it starts" };
  }
  if (missing.length > 0) {
    return {
      verdict: "warn",
      detail: `missing: ${list(missing)}${matching.length > 0 ? `; present: ${matching.join(", ")}` : ""}`,
      hint: "the agent creates them when it starts",
    };
  }
  return { verdict: "ok", detail: `${matching.join(", ")} match their templates` };
};

const CHECKS: [string, Check][] = [
  ["tpm pcr banks", pcrBanks],
  ["tpm boot measurements", bootMeasured],
  ["tpm quote", testQuote],
  ["tpm seal", testSeal],
  ["tpm ek certificate", ekCertificate],
  ["tpm keys", keyTemplates],
];

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** The self-test itself, once tpmChecks has decided it may run: loaded only then, as it needs the whole TPM layer. */
export async function runTpmSelfTest(cfg: AgentConfig, layout: DeviceLayout, opts: TpmCheckOptions): Promise<CheckResult[]> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let port: TpmPort;
  const opening = opts.connect(cfg.tpm.tcti);
  try {
    port = await within(opening, timeoutMs, `opening the TPM via ${cfg.tpm.tcti}`);
  } catch (e) {
    opening.then((p) => p.close()).catch(() => undefined);
    return [
      {
        name: "tpm self-test",
        verdict: "fail",
        detail: errorChain(e),
        hint: "another process may hold a TPM without resource manager, or the TPM does not answer",
      },
    ];
  }
  // A check past its limit leaves the queue refusing further work, so the remaining checks fail fast.
  const queue = new TpmQueue(port, { timeoutMs });
  const out: CheckResult[] = [];
  try {
    for (const [name, check] of CHECKS) {
      try {
        out.push({ name, ...(await queue.run(name, (tpm) => check(tpm, layout))) });
      } catch (e) {
        out.push({ name, verdict: "fail", detail: errorChain(e), hint: "the TPM failed a command the agent relies on" });
      }
    }
  } finally {
    await queue.close().catch(() => undefined);
  }
  return out;
}
