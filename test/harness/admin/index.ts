export { AdminClient, AdminError, AdminStatusError, AdminUnknownDeviceError, type ControllerFetch } from "./client.ts";
export { splitConcatenatedJson } from "./concatenated-json.ts";
export type * from "./types.ts";
