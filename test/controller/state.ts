import { toHex } from "../../src/shared/index.ts";

export interface OnboardEntry {
  certDer: Uint8Array;
  certPem: string;
  serials: string[];
}

export interface DeviceRecord {
  uuid: string;
  certDer: Uint8Array;
  certPem: string;
  /** SHA-256 of the device cert DER: how the controller recognises the device. */
  certHashHex: string;
  onboardDer?: Uint8Array;
  serial?: string;
  /** Adam's options.json equivalents. */
  nonce?: string;
  integrityToken?: string;
  attested: boolean;
  attestCerts?: { type: number; certPem: Uint8Array; certHash: Uint8Array; metaData: { type: number; meta_data: Uint8Array }[] }[];
  storageKeys?: Uint8Array;
  receivedPcrs?: { index: number; value: string }[];
  eventLog?: Uint8Array;
  config?: Uint8Array;
  configVersion?: number;
  info: unknown[];
  requests: { timestamp: string; method: string; url: string }[];
}

/** Everything the test controller knows; kept apart from the server so a restart keeps it. */
export class ControllerState {
  readonly onboard = new Map<string, OnboardEntry>();
  readonly devices = new Map<string, DeviceRecord>();
  /** Adam's global options. */
  options: { enforceTemplateAttestation: boolean; PCRTemplates: unknown[] } = { enforceTemplateAttestation: false, PCRTemplates: [] };

  addOnboard(certDer: Uint8Array, certPem: string, serials: string[]): void {
    this.onboard.set(toHex(certDer), { certDer, certPem, serials });
  }

  deviceByCertHash(sha256OfDer: string): DeviceRecord | undefined {
    for (const d of this.devices.values()) if (d.certHashHex === sha256OfDer) return d;
    return undefined;
  }
}

