import { Meters } from "./meters.ts";
import { type SectionReports, type Sections, type StatusDocument, type StatusSection, TO_SECTION } from "./sections.ts";

export interface StatusSource {
  snapshot(): StatusDocument;
  /** JSON.stringify(snapshot()), without building the copy: the status socket's hot path. */
  snapshotJson(): string;
  /** Request and TPM counters and latencies the hooks record; /v1/metrics renders them. */
  readonly meters: Meters;
}

/** Collects the sections components publish; the HTTP layer only reads it. */
export class StatusBoard implements StatusSource {
  private readonly startedAt = new Date();
  private doc: Sections;
  private reports: Partial<SectionReports> = {};
  /**
   * The sections as JSON, made once per change: a status request then
   * serialises only the agent's few live fields, instead of copying the whole
   * document (structuredClone) and serialising the copy, whose garbage the
   * collector would have to take back under a steady load of requests.
   */
  private docJson: string | undefined;
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
    this.docJson = undefined;
  }

  private agentSection() {
    return {
      version: this.version,
      pid: process.pid,
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt.getTime()) / 1000),
    };
  }

  snapshot(): StatusDocument {
    return { apiVersion: "v1", agent: this.agentSection(), ...structuredClone(this.doc) };
  }

  snapshotJson(): string {
    this.docJson ??= JSON.stringify(this.doc);
    // The same bytes as JSON.stringify(snapshot()): its keys in its order, the sections' object minus its opening brace
    // (the sections are never empty: device is always there).
    return `{"apiVersion":"v1","agent":${JSON.stringify(this.agentSection())},${this.docJson.slice(1)}`;
  }
}
