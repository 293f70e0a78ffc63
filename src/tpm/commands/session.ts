import { ESYS_TR, type EsysTr, type TpmPort } from "../port.ts";
import { AES128_CFB, encodeSymDef } from "../structures/basic.ts";
import { ALG, SE, SESSION_ATTR } from "../structures/constants.ts";

export interface SessionOptions {
  type: "hmac" | "policy";
  /**
   * Persistent key (ESYS_TR) that encrypts the session salt, normally the EK.
   * With a salt key the session also gets AES-128-CFB parameter encryption.
   */
  saltKey?: EsysTr;
}

/**
 * TPM2_StartAuthSession (Part 3 §11.1), then `f`, then TPM2_FlushContext on
 * every path: ESAPI keeps continueSession set, so the TPM never drops the
 * session by itself and a leak would surface only thousands of calls later.
 */
export async function withSession<T>(tpm: TpmPort, opts: SessionOptions, f: (session: EsysTr) => Promise<T>): Promise<T> {
  const salted = opts.saltKey !== undefined;
  const { sessionHandle } = await tpm.startAuthSession({
    tpmKey: opts.saltKey ?? ESYS_TR.NONE,
    bind: ESYS_TR.NONE,
    sessionType: opts.type === "policy" ? SE.POLICY : SE.HMAC,
    symmetric: encodeSymDef(salted ? AES128_CFB : { algorithm: ALG.NULL }),
    authHash: ALG.SHA256,
  });
  try {
    return await f(sessionHandle);
  } finally {
    await tpm.flushContext({ flushHandle: sessionHandle });
  }
}

/** Marks a salted session to encrypt the first command and/or response parameter. */
export async function encryptParameters(tpm: TpmPort, session: EsysTr, which: { command?: boolean; response?: boolean }): Promise<void> {
  const flags = (which.command ? SESSION_ATTR.decrypt : 0) | (which.response ? SESSION_ATTR.encrypt : 0);
  await tpm.sessionSetAttributes({ session, flags, mask: SESSION_ATTR.decrypt | SESSION_ATTR.encrypt });
}
