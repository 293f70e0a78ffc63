export { KeylimeAgent, type KeylimeAgentDeps, type KeylimeMode, type KeylimeModeContext, type KeylimeTpm, type RegisteredAgent } from "./agent.ts";
export { KeylimeError, type KeylimeErrorKind } from "./errors.ts";
export { KEYLIME_MODES, keylimeMode, type ModeDeps } from "./modes.ts";
export { assertMemoryBacked } from "./payload-dir.ts";
export { PullError, type PullErrorKind, type PullModeOptions, PullService, type PullStatus, pullMode } from "./pull/index.ts";
export {
  type KeylimePushStatus,
  PushAttester,
  PushError,
  type PushErrorKind,
  type PushModeOptions,
  type PushServiceOptions,
  pushAttester,
  pushMode,
} from "./push/index.ts";
export {
  decodePcrBlob,
  encodePcrBlob,
  expectedKeyBindingPcr,
  formatMask,
  formatQuote,
  KEY_BINDING_PCR,
  keyBindingDigest,
  MAX_NONCE,
  nonceBytes,
  type PcrBank,
  parseMask,
  parseQuote,
  pcrDigest,
  type QuoteParts,
  quotedPcrs,
} from "./quote.ts";
export {
  authTag,
  type CredentialChallenge,
  hashEkUuid,
  parseCredentialBlob,
  REGISTRAR_API_VERSIONS,
  RegistrarClient,
  type RegistrarClientOptions,
  type RegistrationBody,
  tpmPublicPem,
} from "./registrar.ts";
export { akKeyName, type KeylimeAlgorithms, type KeylimeStatus, keylimeAlgorithms } from "./types.ts";
