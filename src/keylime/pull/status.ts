import type { BootstrapState } from "./bootstrap.ts";
import type { PayloadDelivery } from "./payload.ts";

export interface PullStatusError {
  kind: string;
  message: string;
  at: string;
}

/** The pull server as the status document's `keylime` section shows it; never K, U, V or payload bytes. */
export interface PullStatus {
  listen?: { address: string; port: number; tls: "mtls" | "off" };
  quotesServed: { identity: number; integrity: number };
  lastQuoteAt?: string;
  /** Any request from a verifier or tenant, answered or refused. */
  lastRequestAt?: string;
  requests: number;
  /** Requests answered 4xx (bad nonce, mask, version, body). */
  refused: number;
  /** Where the U/V exchange stands; "combined" once K authenticated the UUID. */
  bootstrapKey: BootstrapState;
  payload?: PayloadDelivery & { scriptExitCode?: number | null; scriptTimedOut?: boolean };
  /** Set when the payload directory was refused: payloads are then not written. */
  payloadDirError?: PullStatusError;
  lastError?: PullStatusError;
}
