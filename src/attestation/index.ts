export { Attestation, type AttestationDeps, type AttestationStatus, type AttestationVault } from "./runner.ts";
export { AttestError } from "./errors.ts";
export { AttestState, attestStateName, type AttestStateValue } from "./states.ts";
export {
  attestVersions,
  gzippedEventLog,
  takeQuote,
  quoteMessage,
  pcrValues,
  QuoteError,
  MAX_RAW_EVENT_LOG,
  MAX_ATTEST_REQUEST,
  QUOTED_PCRS,
  type QuoteSource,
  type EvidenceSources,
} from "./evidence.ts";
export { edgeNodeCertsRequest } from "./certs.ts";
