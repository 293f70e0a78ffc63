import type { P256Signer } from "../shared/index.ts";

/** A signer together with the certificate that names its public key. */
export interface KeyIdentity extends P256Signer {
  readonly certificate: { der: Uint8Array; pem: Uint8Array };
}
