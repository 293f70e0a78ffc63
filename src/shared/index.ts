export { Backoff, sleep, spread } from "./backoff.ts";
export { bufferSource, bytesEqual, concatBytes, fromBase64, fromHex, toBase64, toHex, utf8 } from "./bytes.ts";
export { digest, type HashName, hkdf, hmac, sha1, sha256, sha384, sha512 } from "./digest.ts";
export { AgentError, errorChain } from "./errors.ts";
export { readTrimmed } from "./files.ts";
export { createLogger, type Fields, type Level, type Logger, redact, silentLogger } from "./logger.ts";
export { notifySocketAddress, type SdNotifier, SdNotifyError, sdNotifier, sdNotifyTo } from "./sd-notify.ts";
export type { P256Signer } from "./signer.ts";
