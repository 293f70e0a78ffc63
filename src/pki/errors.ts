import { AgentError } from "../shared/errors.ts";

/**
 * Every way a certificate, key or PEM file can be refused. Callers branch on
 * `kind` (e.g. a `/certs` response with `pki.chain.*` is "cert invalid"),
 * never on the message.
 */
export type PkiErrorKind =
  | "pki.pem"
  | "pki.parse"
  | "pki.unsupported"
  | "pki.key"
  | "pki.sign"
  | "pki.chain.untrusted"
  | "pki.chain.expired"
  | "pki.chain.not-yet-valid"
  | "pki.chain.eku"
  | "pki.chain.signature"
  | "pki.chain.not-ca"
  | "pki.chain.path-length"
  | "pki.chain.critical-extension"
  | "pki.chain.too-complex";

export class PkiError extends AgentError {
  declare readonly kind: PkiErrorKind;
  constructor(kind: PkiErrorKind, message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}
