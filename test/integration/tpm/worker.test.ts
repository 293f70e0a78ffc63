import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { EsysTpm, openWorkerTpm } from "../../../native/tss2/index.ts";
import { ALG, ESYS_TR, HANDLES, openTpm, PcrMismatchError, type TpmPort } from "../../../src/tpm/index.ts";
import { encodeSymDef, encodeTpm2b } from "../../../src/tpm/structures/basic.ts";
import { CAP, HR, PT, SE } from "../../../src/tpm/structures/constants.ts";
import { encodePcrSelection } from "../../../src/tpm/structures/pcr-selection.ts";
import { CREDENTIAL, hex, useSwtpm, withTpm } from "./fixture.ts";

const fx = useSwtpm();
const open = async () => {
  const m = await openTpm({ tcti: fx.sw.tcti, connect: (t) => openWorkerTpm(t) });
  await m.ensureKeys({ credential: CREDENTIAL });
  return m;
};

describe("TPM in a Worker", () => {
  test("signs, quotes and unseals like the in-process context when run on a worker thread", async () => {
    await withTpm(open, async (m) => {
      const s = m.deviceSigner();
      const d = sha256(new Uint8Array([1, 2, 3]));
      expect(p256.verify(await s.sign(d), d, s.publicKey, { prehash: false, lowS: false })).toBe(true);
      expect((await m.quote(new Uint8Array(16))).signature[0]).toBe(0x30);
      const sealed = await m.sealVaultKey(new Uint8Array(32).fill(4));
      expect(hex(await m.unsealVaultKey(sealed))).toBe(hex(new Uint8Array(32).fill(4)));
    });
  });

  test("keeps the typed PCR mismatch when the TPM error crosses the thread boundary", async () => {
    const sealed = await withTpm(open, (m) => m.sealVaultKey(new Uint8Array(32).fill(5)));
    fx.sw.tool(["tpm2_pcrextend", `14:sha256=${"ee".repeat(32)}`]);
    const err = await withTpm(open, (m) => m.unsealVaultKey(sealed)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PcrMismatchError);
    expect((err as PcrMismatchError).changed).toEqual([14]);
  });

  test("the event loop keeps running while a TPM command hangs in the Worker, and the answer arrives when the TPM does", async () => {
    const pid = Number(readFileSync(join(fx.sw.stateDir, "swtpm.pid"), "utf8").trim());
    await withTpm(open, async (m) => {
      const nonce = new Uint8Array(16).fill(7);
      await m.quote(nonce);
      process.kill(pid, "SIGSTOP");
      let settled = false;
      let ticks = 0;
      let quote: Promise<unknown> | undefined;
      try {
        quote = m.quote(nonce).finally(() => (settled = true));
        const timer = setInterval(() => ticks++, 5);
        await Bun.sleep(300);
        clearInterval(timer);
        expect(settled).toBe(false);
        // In this thread the stopped TPM would have held every timer back until it answered.
        expect(ticks).toBeGreaterThan(5);
      } finally {
        process.kill(pid, "SIGCONT");
      }
      const q = (await quote) as { attestData: Uint8Array; signature: Uint8Array };
      expect(q.signature[0]).toBe(0x30);
      expect(hex(q.attestData)).toContain(hex(nonce));
    });
  });

  test("every kind of argument and result crosses the call slot as the in-thread context gives it", async () => {
    await withTpm(open, async () => undefined);
    // Deterministic commands only, so both runs must agree byte for byte.
    const run = async (port: TpmPort) => {
      const out: Record<string, unknown> = {};
      try {
        // u32 parameters; a yes/no and a structure back.
        out.capability = await port.getCapability({ capability: CAP.TPM_PROPERTIES, property: PT.MANUFACTURER, propertyCount: 1 });
        out.persistent = await port.getCapability({ capability: CAP.HANDLES, property: HR.PERSISTENT, propertyCount: 64 });
        // Sessions given explicitly; a u32 and structures back.
        out.pcrs = await port.pcrRead({
          pcrSelectionIn: encodePcrSelection([{ hash: ALG.SHA256, pcrs: [0, 4, 7] }]),
          sessions: { s1: ESYS_TR.NONE, s2: ESYS_TR.NONE, s3: ESYS_TR.NONE },
        });
        // An ESYS_TR back, then three structures for it.
        const { object } = await port.fromTpmPublic({ tpmHandle: HANDLES.quote });
        out.public = await port.readPublic({ objectHandle: object });
        // A structure parameter on a command without session slots, and no result.
        out.setAuth = await port.setAuth({ handle: object, authValue: encodeTpm2b(new Uint8Array([1, 2])) });
        // An optional structure left out (ESAPI draws the nonce), an i/u8/u16 mix, and a session's digest.
        const { sessionHandle } = await port.startAuthSession({
          tpmKey: ESYS_TR.NONE,
          bind: ESYS_TR.NONE,
          sessionType: SE.TRIAL,
          symmetric: encodeSymDef({ algorithm: ALG.NULL }),
          authHash: ALG.SHA256,
        });
        await port.policyPcr({
          policySession: sessionHandle,
          pcrDigest: encodeTpm2b(new Uint8Array(0)),
          pcrs: encodePcrSelection([{ hash: ALG.SHA256, pcrs: [0] }]),
        });
        out.policy = await port.policyGetDigest({ policySession: sessionHandle });
        await port.flushContext({ flushHandle: sessionHandle });
        // An ESYS_TR by reference; afterwards the handle is unknown to ESAPI and the error crosses with its code.
        await port.closeTr({ object });
        out.error = await port.readPublic({ objectHandle: object }).then(
          () => "no error",
          (e: { kind?: string; command?: string; rc?: number }) => ({ kind: e.kind, command: e.command, rc: e.rc }),
        );
      } finally {
        await port.close();
      }
      return out;
    };
    const inThread = await run(EsysTpm.open(fx.sw.tcti));
    const worker = await run(await openWorkerTpm(fx.sw.tcti));
    expect([inThread.capability, inThread.persistent].map((c) => (c as { moreData: boolean }).moreData)).toEqual([true, false]);
    expect(inThread.error).toMatchObject({ kind: "tpm.rc", command: "Esys_ReadPublic" });
    expect((inThread.policy as { policyDigest: Uint8Array }).policyDigest.length).toBe(2 + 32);
    expect(worker).toEqual(inThread);
  });

  test("a port call fails with the TPM's code when ESAPI rejects it, and the next call still works", async () => {
    const port = await openWorkerTpm(fx.sw.tcti);
    try {
      // 0x81000fff holds no key: TPM_RC_HANDLE for handle 1.
      const err = await port.fromTpmPublic({ tpmHandle: 0x81000fff }).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: "tpm.rc", command: "Esys_TR_FromTPMPublic", code: 0x08b });
      const { randomBytes } = await port.getRandom({ bytesRequested: 16 });
      expect(randomBytes.length).toBe(2 + 16);
    } finally {
      await port.close();
    }
  });

  test("fails to open with tpm.unavailable when the TPM does not answer", async () => {
    await expect(openTpm({ tcti: "swtpm:host=127.0.0.1,port=9", connect: (t) => openWorkerTpm(t) })).rejects.toMatchObject({ kind: "tpm.unavailable" });
  });
});
