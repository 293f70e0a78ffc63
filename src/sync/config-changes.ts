import type { EdgeDevConfig } from "../protocol/index.ts";

export interface ConfigChanges {
  /** controllercert_confighash differs: the controller's cert set changed, refetch /certs */
  certs: boolean;
  /** controller_epoch differs: the controller lost state, resend all info */
  epoch: boolean;
}

/**
 * Compares a newly applied config with the previous one this process
 * applied (from the controller or the checkpoint). With nothing to compare
 * against there is no change: /certs was just fetched or loaded and info is
 * sent at start anyway. A checkpoint loaded at boot does count as previous,
 * so a cert rotation that happened while the device was offline is seen.
 */
export function configChanges(prev: EdgeDevConfig | undefined, next: EdgeDevConfig): ConfigChanges {
  if (!prev) return { certs: false, epoch: false };
  return {
    certs: prev.controllercert_confighash !== next.controllercert_confighash,
    epoch: prev.controller_epoch !== next.controller_epoch,
  };
}
