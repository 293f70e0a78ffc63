export { StatusBoard, type StatusSource } from "./document.ts";
export type {
  StatusDocument,
  StatusSection,
  SectionReports,
  StatusError,
  AgentSection,
  DeviceSection,
  ControllerSection,
  ControllerReport,
  WireDumpSection,
  TpmSection,
  AttestationSection,
  VaultSection,
  ConfigSection,
  InfoSection,
} from "./sections.ts";
export { Meters, statusClass, type MetricFamily } from "./meters.ts";
export { renderMetrics, METRICS_CONTENT_TYPE } from "./metrics.ts";
export { createStatusApp, SUPPORTED_VERSIONS, type StatusApp, type StatusAppOptions } from "./app.ts";
export { startStatusServer, type StatusServer } from "./server.ts";
export { statusClient, fetchStatus, fetchMetrics, type StatusClient } from "./client.ts";
export { renderStatus } from "./render.ts";
