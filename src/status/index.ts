export { createStatusApp, type StatusApp, type StatusAppOptions, SUPPORTED_VERSIONS } from "./app.ts";
export { fetchMetrics, fetchStatus } from "./client.ts";
export { StatusBoard, type StatusSource } from "./document.ts";
export { Meters, type MetricFamily, statusClass } from "./meters.ts";
export { METRICS_CONTENT_TYPE, renderMetrics } from "./metrics.ts";
export { renderStatus } from "./render.ts";
export type {
  AgentSection,
  AttestationSection,
  ConfigSection,
  ControllerReport,
  ControllerSection,
  DeviceSection,
  InfoSection,
  SectionReports,
  StatusDocument,
  StatusError,
  StatusSection,
  TpmSection,
  VaultSection,
  WireDumpSection,
} from "./sections.ts";
export { type StatusServer, startStatusServer } from "./server.ts";
