export { PushAttester, PUSH_API_PREFIX, type PushAttesterOptions } from "./attester.ts";
export { VerifierHttp, type VerifierHttpOptions, type VerifierAnswer, type WireRecorder } from "./http.ts";
export { PushError, type PushErrorKind, type VerifierErrorDetail } from "./errors.ts";
export { RetryPolicy, parseRetryAfter, type RetryOptions } from "./retry.ts";
export type { PushTpm, PushAk, PushEvidenceSource } from "./ports.ts";
export type { KeylimePushStatus } from "./status.ts";
export * as jsonapi from "./jsonapi.ts";
export { pushAttester, type PushServiceOptions } from "./service.ts";
export { pushTpm, deviceEvidence, type KeylimeTpmManager } from "./device.ts";
