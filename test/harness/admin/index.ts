export { AdminClient, AdminError, AdminStatusError, AdminUnknownDeviceError, type ControllerFetch } from "./client.ts";
export { splitConcatenatedJson } from "./concatenated-json.ts";
export type {
  AttestCertJson,
  AttestCertsJson,
  DeviceEntry,
  DeviceOptionsJson,
  GlobalOptionsJson,
  InfoStream,
  OnboardEntry,
  PcrTemplateJson,
  PcrValueJson,
  RequestRecord,
  StoredKeysJson,
} from "./types.ts";
