export { edgeNodeCertsRequest } from "./certs.ts";
export { AttestError } from "./errors.ts";
export {
  attestVersions,
  type EvidenceSources,
  gzippedEventLog,
  MAX_ATTEST_REQUEST,
  MAX_RAW_EVENT_LOG,
  pcrValues,
  QUOTED_PCRS,
  QuoteError,
  type QuoteSource,
  quoteMessage,
  takeQuote,
} from "./evidence.ts";
export { Attestation, type AttestationDeps, type AttestationStatus, type AttestationVault } from "./runner.ts";
export { AttestState, type AttestStateValue, attestStateName } from "./states.ts";
