import type { ControllerReply, EnvelopeKey } from "../controller/index.ts";
import type { SigningCert } from "../protocol/index.ts";

/** The one ControllerClient call sync needs; tests hand in a fake with the same shape. */
export interface ControllerPoster {
  post(action: string, payload: Uint8Array, key: EnvelopeKey): Promise<ControllerReply>;
}

/** What sync needs of ControllerCertStore: the current signing cert, and a way to drop it on a cert miss. */
export interface SigningCertSource {
  readonly certs: { signing: SigningCert } | undefined;
  invalidate(): void;
}
