/**
 * The keys, certificates and identity services for the device's own
 * processes (aziot-keyd/certd/identityd compatible, on Unix sockets), the
 * PKCS#11 key backend the device identity may use, and the client commands
 * behind `edge-agent keys` and `edge-agent certs`.
 */

export { CERTS_USAGE, CommandError, certsCommand, KEYS_USAGE, keysCommand } from "./commands.ts";
export { callService, type ServiceAnswer } from "./http/client.ts";
export type { PeerCred } from "./http/peercred.ts";
export { keyPairFromPemFile } from "./keys/file-backend.ts";
export { keyPairFromPkcs11, Pkcs11Keys, pkcs11DeviceKeyBackend } from "./keys/pkcs11-backend.ts";
export { DEVICE_ID, type DeviceServices, type DeviceServicesOptions, startDeviceServices } from "./start.ts";
