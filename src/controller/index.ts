export { baseUrlFromServerFile, actionUrl, normalizeUuid, ControllerUrlError } from "./url.ts";
export { classifyStatus, mediaType, PROTO_CONTENT_TYPE, type Outcome } from "./classify.ts";
export { httpExchange, TransportError, type TransportOptions, type HttpRequest, type HttpResponse } from "./transport.ts";
export { ControllerClient, type ControllerReply, type EnvelopeKey, type ControllerClientOptions } from "./client.ts";
export { WireDump, WireDumpError, prepareWireDumpDir, type WireDumpOptions, type WireDumpState } from "./wiredump.ts";
export { controllerTrust } from "./trust.ts";
export { ControllerCertStore, verifyControllerCerts, ControllerCertsError, type ControllerCerts } from "./certs.ts";
