export { ControllerCertStore, type ControllerCerts, ControllerCertsError, verifyControllerCerts } from "./certs.ts";
export { classifyStatus, mediaType, type Outcome, PROTO_CONTENT_TYPE } from "./classify.ts";
export { ControllerClient, type ControllerClientOptions, type ControllerReply, type EnvelopeKey } from "./client.ts";
export { type HttpRequest, type HttpResponse, httpExchange, TransportError, type TransportOptions } from "./transport.ts";
export { controllerTrust } from "./trust.ts";
export { actionUrl, baseUrlFromServerFile, ControllerUrlError, normalizeUuid } from "./url.ts";
export { prepareWireDumpDir, WireDump, WireDumpError, type WireDumpOptions, type WireDumpState } from "./wiredump.ts";
