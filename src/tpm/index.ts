export {
  TpmManager,
  KEYLIME_RESETTABLE_PCRS,
  type EnsureKeysOptions,
  type EnsureKeysResult,
  type Quote,
  type ManagerOptions,
  type TcgEkInfo,
  type AttestationKeyName,
} from "./manager.ts";
export { EK_CERT_NV, TCG_EK_HANDLE, TCG_EK_TEMPLATES, QUOTE_ATTEMPTS, type EkAlg, type Attestation as TpmAttestation, type PcrQuote } from "./commands/keylime.ts";
export { openTpm, selectTpm, isTpmEnabled, tctiDevicePath, DEFAULT_TCTI, type OpenTpmOptions, type TpmMode } from "./open.ts";
export { ESYS_TR, type TpmPort, type TpmRcLike, type EsysTr, type Sessions } from "./port.ts";
export { TpmError, PcrMismatchError, isTpmRc, hasRc, type TpmErrorKind } from "./errors.ts";
export { TpmCodecError } from "./structures/wire.ts";
export { RC, ALG } from "./structures/constants.ts";
export { HANDLES, NV_INDEX, DEFAULT_SEAL_PCRS, QUOTE_PCRS, ALL_PCRS, deviceKeyAuth, type KeyName } from "./slots.ts";
export type { KeyOrigin } from "./keys.ts";
export { publicKeyParts, type PublicKeyParts } from "./public-key.ts";
export { decodePublic, encodePublic, type TpmtPublic } from "./structures/public.ts";
export { decodeQuoteAttest, type QuoteAttest } from "./structures/attest.ts";
export type { SealedSecret } from "./commands/seal.ts";
export type { TpmInfo } from "./commands/capability.ts";
// For `edge-agent check`'s TPM self-test, which runs as its own process with its own queue and connection.
export { TpmQueue, type QueueOptions } from "./queue.ts";
export { openPersistent } from "./commands/objects.ts";
export { readPcrs } from "./commands/pcr.ts";
export { quote } from "./commands/quote.ts";
export { seal, unseal } from "./commands/seal.ts";
export { nvPublic, nvRead } from "./commands/nv.ts";
export { nvBufferMax } from "./commands/capability.ts";
export { matchesTemplate } from "./structures/templates.ts";
export { PRIMARY_TEMPLATES, CHILD_TEMPLATES, EVE_CHILD_TEMPLATES, KEY_ORDER, isChildKey } from "./slots.ts";
export { CAP } from "./structures/constants.ts";
export { decodePcrSelection } from "./structures/pcr-selection.ts";
export { ecdsaRaw } from "./structures/signature.ts";
