export { Pkcs11Keys, pkcs11DeviceKeyBackend, keyPairFromPkcs11 } from "./keys/pkcs11-backend.ts";
export { startDeviceServices, servicePaths, DEVICE_ID, type DeviceServices, type DeviceServicesOptions } from "./start.ts";
export { callService, type ServiceAnswer } from "./http/client.ts";
export { peerCredOf, type PeerCred } from "./http/peercred.ts";
export { KEYS_API_VERSIONS } from "./keys/api.ts";
export { CERTS_API_VERSIONS } from "./certs/api.ts";
export { IDENTITY_API_VERSIONS } from "./identity/api.ts";
export { wildcard } from "./principals.ts";
export { renewalDue, retryDelayMs } from "./certs/renew.ts";
