export type { TpmInfo } from "./commands/capability.ts";
export { nvBufferMax } from "./commands/capability.ts";
export {
  type Attestation as TpmAttestation,
  EK_CERT_NV,
  type EkAlg,
  type PcrQuote,
  QUOTE_ATTEMPTS,
  TCG_EK_HANDLE,
  TCG_EK_TEMPLATES,
} from "./commands/keylime.ts";
export { nvPublic, nvRead } from "./commands/nv.ts";
export { openPersistent } from "./commands/objects.ts";
export { readPcrs } from "./commands/pcr.ts";
export { quote } from "./commands/quote.ts";
export type { SealedSecret } from "./commands/seal.ts";
export { seal, unseal } from "./commands/seal.ts";
export { hasRc, isTpmRc, PcrMismatchError, TpmError, type TpmErrorKind } from "./errors.ts";
export type { KeyOrigin } from "./keys.ts";
export {
  type AttestationKeyName,
  type EnsureKeysOptions,
  type EnsureKeysResult,
  KEYLIME_RESETTABLE_PCRS,
  type KeyBlob,
  type ManagerOptions,
  type Quote,
  type TcgEkInfo,
  TpmManager,
} from "./manager.ts";
export { DEFAULT_TCTI, isTpmEnabled, type OpenTpmOptions, openTpm, selectTpm, type TpmMode } from "./open.ts";
export { ESYS_TR, type EsysTr, type Sessions, type TpmPort, type TpmRcLike } from "./port.ts";
export { type PublicKeyParts, publicKeyParts } from "./public-key.ts";
// For `edge-agent check`'s TPM self-test, which runs as its own process with its own queue and connection.
export { type QueueOptions, TpmQueue } from "./queue.ts";
export {
  ALL_PCRS,
  CHILD_TEMPLATES,
  DEFAULT_SEAL_PCRS,
  deviceKeyAuth,
  EVE_CHILD_TEMPLATES,
  HANDLES,
  isChildKey,
  KEY_ORDER,
  type KeyName,
  NV_INDEX,
  PRIMARY_TEMPLATES,
  QUOTE_PCRS,
} from "./slots.ts";
export { decodeQuoteAttest, type QuoteAttest } from "./structures/attest.ts";
export { ALG, CAP, RC } from "./structures/constants.ts";
export { decodePcrSelection } from "./structures/pcr-selection.ts";
export { decodePublic, encodePublic, type TpmtPublic } from "./structures/public.ts";
export { ecdsaRaw } from "./structures/signature.ts";
export { matchesTemplate } from "./structures/templates.ts";
export { TpmCodecError } from "./structures/wire.ts";
export { tctiDevicePath } from "./tcti.ts";
