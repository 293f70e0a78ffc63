import type { CipherBlock, CipherContext, HashAlgorithm } from "./common.ts";

/** org.lfedge.eve.auth (auth/auth.proto): the V2 envelope, docs/protocol.md#envelopes. */

export interface AuthBody {
  payload: Uint8Array;
}

export interface AuthContainer {
  protectedPayload?: AuthBody;
  algo: HashAlgorithm;
  senderCertHash: Uint8Array;
  signatureHash: Uint8Array;
  senderCert: Uint8Array;
  cipherContext?: CipherContext;
  cipherData?: CipherBlock;
}
