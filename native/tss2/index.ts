export * from "./api.ts";
export { EsysTpm } from "./esys.ts";
export { TpmRcError } from "./rc.ts";
export { openWorkerTpm } from "./remote.ts";
