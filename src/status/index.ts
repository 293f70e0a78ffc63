export { StatusBoard, type StatusDocument, type StatusSource, type StatusSection } from "./document.ts";
export { createStatusApp, SUPPORTED_VERSIONS, type StatusApp, type StatusAppOptions } from "./app.ts";
export { startStatusServer, fetchStatus, type StatusServer } from "./server.ts";
export { renderStatus } from "./render.ts";
