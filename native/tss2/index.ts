export { EsysTpm, ESYS_TR, type Sessions } from "./esys.ts";
export { openWorkerTpm, type WorkerTpm } from "./remote.ts";
export { TpmRcError, decodeRc, RC_LAYER, type Format1Index } from "./rc.ts";
