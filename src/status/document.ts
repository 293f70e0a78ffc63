import { Meters } from "./meters.ts";
import { type SectionReports, type Sections, type StatusDocument, type StatusSection, TO_SECTION } from "./sections.ts";

export interface StatusSource {
  snapshot(): StatusDocument;
  /** Request and TPM counters and latencies the hooks record; /v1/metrics renders them. */
  readonly meters: Meters;
}

/** Collects the sections components publish; the HTTP layer only reads it. */
export class StatusBoard implements StatusSource {
  private readonly startedAt = new Date();
  private doc: Sections;
  private reports: Partial<SectionReports> = {};
  readonly meters = new Meters();

  constructor(
    private readonly version: string,
    root: string,
  ) {
    this.doc = { device: { root, onboarded: false }, onboarding: {}, controller: {}, tpm: {}, attestation: {}, vault: {}, config: {}, info: {}, keylime: {} };
    this.reports.device = this.doc.device;
  }

  /** Replaces a section whole, so a field the component no longer reports (a cleared error) disappears. */
  publish<K extends StatusSection>(section: K, value: SectionReports[K]): void {
    this.set(section, value);
  }

  /** Merges into a section; a field given as undefined leaves the served (JSON) document. */
  update<K extends StatusSection>(section: K, patch: Partial<SectionReports[K]>): void {
    // Before the first publish the merged report is partial, as the document's section then is.
    this.set(section, { ...this.reports[section], ...patch } as SectionReports[K]);
  }

  private set<K extends StatusSection>(section: K, report: SectionReports[K]): void {
    this.reports = { ...this.reports, [section]: report };
    this.doc = { ...this.doc, [section]: TO_SECTION[section](report, this.doc[section], new Date()) };
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
