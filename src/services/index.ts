/**
 * The keys, certificates and identity services for the device's own
 * processes (aziot-keyd/certd/identityd compatible, on Unix sockets), the
 * PKCS#11 key backend the device identity may use, and the client commands
 * behind `edge-agent keys` and `edge-agent certs`.
 */
export { startDeviceServices, DEVICE_ID, type DeviceServices, type DeviceServicesOptions } from "./start.ts";
export { Pkcs11Keys, pkcs11DeviceKeyBackend, keyPairFromPkcs11 } from "./keys/pkcs11-backend.ts";
export { keyPairFromPemFile } from "./keys/file-backend.ts";
export { callService, type ServiceAnswer } from "./http/client.ts";
export type { PeerCred } from "./http/peercred.ts";
export { keysCommand, certsCommand, CommandError, KEYS_USAGE, CERTS_USAGE } from "./commands.ts";
