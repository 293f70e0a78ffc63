/**
 * Device config as Adam keeps and serves it (adminHandler.go deviceConfigSet,
 * commonHandler.go configProcess; docs/adam.md#device-config). The stored form
 * is the binary EdgeDevConfig; only `id` (field 1) and
 * `controllercert_confighash` (field 22) are ever rewritten, at the wire
 * level, so fields the agent's trimmed .proto does not declare pass through.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { codec, type UUIDandVersion } from "../../src/protocol/index.ts";
import { toHex, utf8 } from "../../src/shared/index.ts";
import { encodeLenFields, readLenField, replaceLenField } from "./proto-util.ts";

const FIELD_ID = 1;
const FIELD_CONTROLLERCERT_CONFIGHASH = 22;
const CONFIG_RESPONSE_CONFIG = 1;
const CONFIG_RESPONSE_HASH = 2;

export class ConfigPutError extends Error {}

function idOf(config: Uint8Array): UUIDandVersion | undefined {
  const raw = readLenField(config, FIELD_ID);
  return raw ? codec.UUIDandVersion.decode(raw) : undefined;
}

/** Go's strconv.Atoi: optional sign, decimal digits, nothing else. */
function atoi(s: string | undefined): number | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Applies Adam's id rules to a PUT body and returns the bytes to store:
 * uuid filled in when empty and refused when different; a missing version
 * is the stored numeric version + 1, which is impossible (400) when nothing
 * numeric is stored yet.
 */
export function prepareConfigPut(uuid: string, body: Uint8Array, stored: Uint8Array | undefined): Uint8Array {
  try {
    codec.EdgeDevConfig.decode(body);
  } catch (e) {
    throw new ConfigPutError(`not an EdgeDevConfig: ${(e as Error).message}`);
  }
  const storedVersion = stored ? idOf(stored)?.version : undefined;
  const bump = () => {
    const n = atoi(storedVersion);
    if (n === undefined) throw new ConfigPutError(`cannot automatically non-number bump version ${storedVersion ?? ""}`);
    return String(n + 1);
  };
  const given = idOf(body);
  let id: UUIDandVersion;
  if (!given) {
    id = { uuid, version: bump() };
  } else {
    id = { uuid: given.uuid || uuid, version: given.version || bump() };
    if (id.uuid !== uuid) throw new ConfigPutError(`mismatched UUID, setting ${id.uuid} for device ${uuid}`);
  }
  return replaceLenField(body, FIELD_ID, codec.UUIDandVersion.encode(id), true);
}

/** What Adam puts in controllercert_confighash: changes whenever the signing or ECDH cert files change. */
export function controllerCertsHash(pems: string[]): string {
  return toHex(sha256(utf8.encode(pems.join(""))));
}

export interface ServedConfig {
  /** stored config with controllercert_confighash set: what the device gets */
  config: Uint8Array;
  /** base64url (padded, as Go's URLEncoding) SHA-256 of `config` */
  configHash: string;
}

export function serveConfig(stored: Uint8Array, certsHash: string): ServedConfig {
  const config = replaceLenField(stored, FIELD_CONTROLLERCERT_CONFIGHASH, utf8.encode(certsHash));
  const configHash = Buffer.from(sha256(config)).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
  return { config, configHash };
}

/** ConfigResponse{config, configHash} built around the raw config bytes, so nothing in them is lost. */
export function configResponse(served: ServedConfig): Uint8Array {
  return encodeLenFields([
    [CONFIG_RESPONSE_CONFIG, served.config],
    [CONFIG_RESPONSE_HASH, utf8.encode(served.configHash)],
  ]);
}
