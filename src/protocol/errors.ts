import { AgentError } from "../shared/index.ts";

export type ProtocolErrorKind =
  /** bytes are not a valid encoding of the named message */
  | "protocol.decode"
  /** a value cannot be encoded as the named message (wrong field type, unknown enum value) */
  | "protocol.encode"
  /** a body exceeds the size limit before any parsing is attempted */
  | "protocol.too-large";

/** A protobuf codec failure; the message always names the protobuf message involved. */
export class ProtocolError extends AgentError {
  declare readonly kind: ProtocolErrorKind;
  constructor(kind: ProtocolErrorKind, message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}

export type EnvelopeErrorKind =
  /** the bytes are not an AuthContainer (cause: the ProtocolError) */
  | "envelope.decode"
  /** neither protectedPayload nor cipherData is present */
  | "envelope.no-payload"
  /** only an encrypted payload is present, which the main controller never sends */
  | "envelope.encrypted"
  /** senderCertHash is neither 16 nor 32 bytes (EVE: SenderStatusHashSizeError) */
  | "envelope.hash-size"
  /** algo is not a SHA-256 variant (EVE: SenderStatusAlgoFail) */
  | "envelope.algo"
  /** senderCertHash does not name the signing cert we hold (EVE: SenderStatusCertMiss) */
  | "envelope.cert-miss"
  /** the signature cannot belong to the key: wrong length for its curve or modulus */
  | "envelope.signature-length"
  /** the signature does not verify (EVE: SenderStatusSignVerifyFail) */
  | "envelope.signature";

/** A failure building or checking an AuthContainer, one kind per EVE check. */
export class EnvelopeError extends AgentError {
  declare readonly kind: EnvelopeErrorKind;
  constructor(kind: EnvelopeErrorKind, message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}
