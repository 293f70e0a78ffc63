import type { AttestStorageKeys, ZCert, ZInfoMsg } from "../../src/protocol/index.ts";
import { toHex } from "../../src/shared/index.ts";
import type { RequestRecord } from "../harness/admin/index.ts";

export interface OnboardEntry {
  certDer: Uint8Array;
  certPem: string;
  serials: string[];
}

/** One PCR of a template; value is lower-case hex, or "*" / "" for "any value" (Adam's PCRValue). */
export interface PcrValue {
  index: number;
  value: string;
}

/** Adam's PCRTemplate: what a device with these versions is expected to measure. */
export interface PcrTemplate {
  eveVersion: string;
  firmwareVersion: string;
  PCRValues: PcrValue[];
}

/** Adam's global-options.json. */
export interface GlobalOptions {
  enforceTemplateAttestation: boolean;
  PCRTemplates: PcrTemplate[];
}

/** One authenticated v2 call, shaped like an entry of Adam's requests file. */
export type { RequestRecord } from "../harness/admin/index.ts";

export interface InfoRecord {
  /** the ZInfoMsg bytes exactly as the device sent them (envelope payload) */
  raw: Uint8Array;
  msg: ZInfoMsg;
  receivedAt: string;
}

export interface DeviceRecord {
  uuid: string;
  certDer: Uint8Array;
  certPem: string;
  /** SHA-256 of the device cert DER: how the controller recognises the device. */
  certHashHex: string;
  onboardDer?: Uint8Array;
  serial?: string;
  /** When /register or the admin API created the record (ms since the epoch), as Adam's device-certificate.pem mtime tells. */
  registeredAtMs: number;
  // The next five are Adam's options.json; "" / undefined mean unset as there.
  nonce: string;
  integrityToken: string;
  attested: boolean;
  receivedPCRTemplate?: PcrTemplate;
  /** tpm_binary_event_log of the last accepted quote, as sent (gzip for EVE). */
  eventLog?: Uint8Array;
  /** certs.json: the cert list of the last ATTEST_REQ_CERT, undefined until one arrives. */
  attestCerts?: ZCert[];
  /** storage-keys.json: the last AttestStorageKeys accepted with a valid token. */
  storageKeys?: AttestStorageKeys;
  /** config.json: binary EdgeDevConfig as stored by the admin PUT (unknown fields kept). */
  config?: Uint8Array;
  info: InfoRecord[];
  /** payloads of /metrics posts, kept raw: the controller has no metrics schema. */
  metrics: Uint8Array[];
  requests: RequestRecord[];
  /** reqType of every decodable /attest request, in order (beyond Adam: lets tests count nonces and quotes). */
  attestRequests: number[];
}

export function newDeviceRecord(fields: Pick<DeviceRecord, "uuid" | "certDer" | "certPem" | "certHashHex"> & Partial<DeviceRecord>): DeviceRecord {
  return { nonce: "", integrityToken: "", attested: false, info: [], metrics: [], requests: [], attestRequests: [], registeredAtMs: Date.now(), ...fields };
}

export type InfoListener = (device: DeviceRecord, info: InfoRecord) => void;

/** Everything the test controller knows; kept apart from the server so a restart keeps it. */
export class ControllerState {
  readonly onboard = new Map<string, OnboardEntry>();
  readonly devices = new Map<string, DeviceRecord>();
  options: GlobalOptions = { enforceTemplateAttestation: false, PCRTemplates: [] };
  /** False until the admin API PUTs options: Adam has no global-options.json before that and answers 400 to a GET. */
  optionsStored = false;
  /** Called for every ZInfoMsg stored (the admin API's X-Stream info call). */
  readonly infoListeners = new Set<InfoListener>();

  addOnboard(certDer: Uint8Array, certPem: string, serials: string[]): void {
    this.onboard.set(toHex(certDer), { certDer, certPem, serials });
  }

  addInfo(device: DeviceRecord, info: InfoRecord): void {
    device.info.push(info);
    for (const l of this.infoListeners) l(device, info);
  }

  deviceByCertHash(sha256OfDer: string): DeviceRecord | undefined {
    for (const d of this.devices.values()) if (d.certHashHex === sha256OfDer) return d;
    return undefined;
  }
}
