import type { AttestationStatus } from "../attestation/index.ts";
import type { MaintenanceModeReason } from "../protocol/index.ts";
import type { DeliveryResult } from "../sync/index.ts";
import type { VaultStatus } from "../vault/index.ts";
import { type InfoView, infoView } from "./info-trigger.ts";
import { maintenanceReasons } from "./maintenance.ts";

/** The last attempt at uploading the edge-node certs. */
export interface CertUploadFact {
  outcome: DeliveryResult["outcome"];
  status?: number;
}

/**
 * The device facts no single component owns, in one place. The UUID is
 * DeviceUuid's, the vault's state the VaultManager's, attestation's the
 * runner's; these readers are passed in, and only the reactions
 * (reactions.ts) record the rest.
 */
export class DeviceFacts {
  private refused = false;
  private configReceived = false;
  private upload: CertUploadFact | undefined;

  constructor(private readonly read: { vault: () => VaultStatus; attestation: () => AttestationStatus }) {}

  /** The controller dropped the edge-node cert upload (a 4xx) and no upload was delivered since. */
  get certsRefused(): boolean {
    return this.refused;
  }

  /** A verified config (from the controller or the checkpoint) arrived this boot. */
  get configOk(): boolean {
    return this.configReceived;
  }

  get certUpload(): CertUploadFact | undefined {
    return this.upload;
  }

  recordCertUpload(result: DeliveryResult): void {
    if (result.outcome === "delivered") this.refused = false;
    else if (result.outcome === "dropped") this.refused = true;
    this.upload = { outcome: result.outcome, ...(result.status !== undefined ? { status: result.status } : {}) };
  }

  recordConfig(): void {
    this.configReceived = true;
  }

  maintenance(): MaintenanceModeReason[] {
    const lastError = this.read.attestation().lastError;
    return maintenanceReasons({
      vaultLocked: this.read.vault().locked,
      certsRefused: this.refused,
      configOk: this.configReceived,
      ...(lastError ? { attestationErrorKind: lastError.kind } : {}),
    });
  }

  infoView(): InfoView {
    return infoView(this.read.attestation(), this.read.vault(), this.maintenance());
  }
}
