import { type ControllerReply, mediaType, normalizeUuid, PROTO_CONTENT_TYPE } from "../controller/index.ts";
import { type ConfigResponse, codec, type EdgeDevConfig, type SigningCert, verifyEnvelope } from "../protocol/index.ts";
import { SyncError } from "./errors.ts";

/** A config envelope whose signature, payload and UUID all checked out. */
export interface OpenedConfig {
  response: ConfigResponse;
  config: EdgeDevConfig;
  /** id.uuid, canonical form */
  uuid: string;
}

/** EVE requires the proto media type on a non-empty /config body; parameters are allowed. */
export function requireProtoBody(reply: ControllerReply): void {
  if (reply.body.length === 0) throw new SyncError("config.empty-body", `POST /config answered ${reply.status} with an empty body`);
  const ct = mediaType(reply.headers["content-type"]);
  if (ct !== PROTO_CONTENT_TYPE) {
    throw new SyncError("config.content-type", `POST /config answered with content type ${ct ?? "(none)"}, expected ${PROTO_CONTENT_TYPE}`);
  }
}

/**
 * Verifies an AuthContainer holding a ConfigResponse against the controller
 * signing cert and decodes it. Used for fresh replies and for the
 * checkpoint alike, so a stored config is held to the same rules as a new one.
 * Envelope failures surface as the protocol's EnvelopeError.
 */
export async function openConfigEnvelope(bytes: Uint8Array, signing: SigningCert): Promise<OpenedConfig> {
  const payload = await verifyEnvelope(bytes, signing);
  let response: ConfigResponse;
  try {
    response = codec.ConfigResponse.decode(payload);
  } catch (e) {
    throw new SyncError("config.decode", "config payload is not a ConfigResponse", { cause: e });
  }
  if (!response.config) throw new SyncError("config.no-config", "ConfigResponse carries no EdgeDevConfig");
  let uuid: string;
  try {
    uuid = normalizeUuid(response.config.id?.uuid ?? "");
  } catch (e) {
    throw new SyncError("config.uuid", `config id.uuid ${JSON.stringify(response.config.id?.uuid ?? "")} is not a valid UUID`, { cause: e });
  }
  return { response, config: response.config, uuid };
}
