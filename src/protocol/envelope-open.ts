import { codec } from "./codec.ts";
import { EnvelopeError, ProtocolError } from "./errors.ts";
import type { AuthContainer } from "./messages/auth.ts";
import type { DecodeOptions } from "./wire.ts";

/**
 * Decodes an AuthContainer and checks its shape: there must be a payload,
 * either in the clear (protectedPayload) or encrypted (cipherData).
 */
export function openEnvelope(bytes: Uint8Array, opts?: DecodeOptions): AuthContainer {
  let container: AuthContainer;
  try {
    container = codec.AuthContainer.decode(bytes, opts);
  } catch (e) {
    if (e instanceof ProtocolError) throw new EnvelopeError("envelope.decode", `not an AuthContainer: ${e.message}`, { cause: e });
    throw e;
  }
  if (!container.protectedPayload && !container.cipherData) {
    throw new EnvelopeError("envelope.no-payload", "AuthContainer carries neither protectedPayload nor cipherData");
  }
  return container;
}

/** The clear payload of an opened envelope; encrypted-only envelopes are refused. */
export function clearPayload(container: AuthContainer): Uint8Array {
  if (!container.protectedPayload) {
    throw new EnvelopeError("envelope.encrypted", "AuthContainer payload is encrypted; only local-operator configs may be");
  }
  return container.protectedPayload.payload;
}

/**
 * The payload without any signature check. Only for /certs, whose content is
 * trusted through its X.509 chain instead (docs/protocol.md#verifying-controller-envelopes).
 */
export function unwrapEnvelope(bytes: Uint8Array, opts?: DecodeOptions): Uint8Array {
  return clearPayload(openEnvelope(bytes, opts));
}
