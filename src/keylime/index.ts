export { KeylimeError, type KeylimeErrorKind } from "./errors.ts";
export { keylimeAlgorithms, akKeyName, type KeylimeStatus, type KeylimeAlgorithms } from "./types.ts";
export {
  formatQuote,
  parseQuote,
  encodePcrBlob,
  decodePcrBlob,
  parseMask,
  formatMask,
  quotedPcrs,
  nonceBytes,
  pcrDigest,
  keyBindingDigest,
  expectedKeyBindingPcr,
  KEY_BINDING_PCR,
  MAX_NONCE,
  type QuoteParts,
  type PcrBank,
} from "./quote.ts";
export {
  RegistrarClient,
  REGISTRAR_API_VERSIONS,
  parseCredentialBlob,
  authTag,
  hashEkUuid,
  tpmPublicPem,
  type RegistrationBody,
  type CredentialChallenge,
  type RegistrarClientOptions,
} from "./registrar.ts";
export { KeylimeAgent, type KeylimeAgentDeps, type KeylimeMode, type KeylimeModeContext, type KeylimeTpm, type RegisteredAgent } from "./agent.ts";
export { KEYLIME_MODES, keylimeMode, type ModeDeps } from "./modes.ts";
export { assertMemoryBacked } from "./payload-dir.ts";
