export { AgentError, errorChain } from "./errors.ts";
export { toHex, fromHex, toBase64, fromBase64, concatBytes, bytesEqual, utf8, bufferSource } from "./bytes.ts";
export { createLogger, silentLogger, redact, type Logger, type Level, type Fields } from "./logger.ts";
export { Backoff, sleep, spread } from "./backoff.ts";
export { readTrimmed } from "./files.ts";
export type { P256Signer } from "./signer.ts";
export { sdNotifier, sdNotifyTo, notifySocketAddress, SdNotifyError, type SdNotifier } from "./sd-notify.ts";
