export { EsysTpm } from "./esys.ts";
export { openWorkerTpm } from "./remote.ts";
export { TpmRcError } from "./rc.ts";
export * from "./api.ts";
