/**
 * The read-only status document served at GET /v1/status. Each component
 * owns one section; none of them may carry secrets.
 */
export interface StatusDocument {
  apiVersion: "v1";
  agent: { version: string; pid: number; startedAt: string; uptimeSeconds: number };
  device: { root: string; uuid?: string; onboarded: boolean; serial?: string; softSerial?: string; hardwareModel?: string; error?: string; maintenanceReasons?: string[] };
  onboarding: Record<string, unknown>;
  controller: Record<string, unknown>;
  tpm: Record<string, unknown>;
  attestation: Record<string, unknown>;
  vault: Record<string, unknown>;
  config: Record<string, unknown>;
  info: Record<string, unknown>;
}

export type StatusSection = Exclude<keyof StatusDocument, "apiVersion" | "agent">;

export interface StatusSource {
  snapshot(): StatusDocument;
}

/** Collects the sections components publish; the HTTP layer only reads it. */
export class StatusBoard implements StatusSource {
  private readonly startedAt = new Date();
  private doc: Omit<StatusDocument, "apiVersion" | "agent">;
  constructor(
    private readonly version: string,
    root: string,
  ) {
    this.doc = { device: { root, onboarded: false }, onboarding: {}, controller: {}, tpm: {}, attestation: {}, vault: {}, config: {}, info: {} };
  }

  publish<K extends StatusSection>(section: K, value: StatusDocument[K]): void {
    this.doc = { ...this.doc, [section]: value };
  }

  update<K extends StatusSection>(section: K, patch: Partial<StatusDocument[K]>): void {
    this.doc = { ...this.doc, [section]: { ...this.doc[section], ...patch } };
  }

  snapshot(): StatusDocument {
    const now = Date.now();
    return {
      apiVersion: "v1",
      agent: {
        version: this.version,
        pid: process.pid,
        startedAt: this.startedAt.toISOString(),
        uptimeSeconds: Math.round((now - this.startedAt.getTime()) / 1000),
      },
      ...structuredClone(this.doc),
    };
  }
}
