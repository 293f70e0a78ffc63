/**
 * The JSON of Adam's admin REST API (docs/adam.md#admin-api), as
 * Adam and the in-repo test controller both serve it: Go encoding/json of
 * Adam's structs, so protobuf enums are numbers, bytes are base64 and the
 * names are the Go field names or json tags.
 */

export interface OnboardEntry {
  certPem: string;
  serials: string[];
}

export interface DeviceEntry {
  certPem: string;
  onboardPem?: string;
  serial: string;
}

export interface PcrValueJson {
  index: number;
  /** Hex; '*' in a template matches any value. */
  value: string;
}

export interface PcrTemplateJson {
  eveVersion: string;
  firmwareVersion: string;
  PCRValues: PcrValueJson[] | null;
}

/** options.json of one device. */
export interface DeviceOptionsJson {
  nonce: string;
  integrityToken: string;
  receivedPCRTemplate: PcrTemplateJson | null;
  attested: boolean;
  /**
   * The event log of the last accepted quote: the device's
   * tpm_binary_event_log in base64 (the test controller, following the
   * pinned Adam), or the deprecated parsed entries (Adam v0.1.3).
   */
  eventLog?: string | unknown[];
}

/** global-options.json. */
export interface GlobalOptionsJson {
  enforceTemplateAttestation: boolean;
  PCRTemplates: PcrTemplateJson[] | null;
}

/** One ZCert: encoding/json keeps the proto field names (meta_data_items) where the Go struct has no other tag. */
export interface AttestCertJson {
  hashAlgo?: number;
  certHash?: string;
  type?: number;
  cert?: string;
  attributes?: { isMutable?: boolean; isTpm?: boolean };
  meta_data_items?: { type?: number; data?: string }[];
}

/** certs.json: the cert list of the device's last ATTEST_REQ_CERT. */
export interface AttestCertsJson {
  certs?: AttestCertJson[];
}

/** storage-keys.json: the last AttestStorageKeys accepted with a valid token. */
export interface StoredKeysJson {
  integrity_token?: string;
  keys?: { key_type?: number; key?: string }[];
}

/** One per authenticated v2 call (the controller's request log). */
export interface RequestRecord {
  timestamp: string;
  uuid: string;
  "client-ip": string;
  forwarded?: string;
  method: string;
  url: string;
}

/** Protojson ZInfoMsg records, one per message, as the X-Stream admin call passes them on. */
export interface InfoStream {
  /** Every message received since the stream opened, oldest first. */
  readonly messages: readonly Record<string, any>[];
  close(): Promise<void>;
}
