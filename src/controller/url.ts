import { AgentError } from "../shared/errors.ts";

/** Actions that never carry the device UUID in the path (docs/protocol.md#urls). */
const GLOBAL_ACTIONS = new Set(["ping", "certs", "register", "uuid"]);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class ControllerUrlError extends AgentError {
  constructor(message: string) {
    super("controller.url", message);
  }
}

/** Turns the contents of /config/server into the controller base URL. */
export function baseUrlFromServerFile(content: string): URL {
  const trimmed = content.trim();
  if (trimmed === "") throw new ControllerUrlError("/config/server is empty");
  const withScheme = /^https?:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ControllerUrlError(`/config/server does not name a host: ${quoteInput(trimmed, 200)}`);
  }
  if (url.pathname !== "/" || url.search || url.hash) {
    throw new ControllerUrlError(`/config/server must be host[:port], got ${quoteInput(trimmed, 200)}`);
  }
  return url;
}

/**
 * A peer's or a file's text as an error may quote it: printable ASCII, at
 * most 40 characters and its length. The UUID comes from the controller's
 * answers and from disk, so a megabyte of it must not become a megabyte of
 * log line (the whole input was echoed before).
 */
export function quoteInput(s: string, max = 40): string {
  const shown = s.slice(0, max).replace(/[^\x20-\x7e]/g, "?");
  return s.length > max ? `${JSON.stringify(shown)}… (${s.length} characters)` : JSON.stringify(shown);
}

export function normalizeUuid(uuid: string): string {
  const u = uuid.trim().toLowerCase();
  if (!UUID_RE.test(u)) throw new ControllerUrlError(`not a canonical UUID: ${quoteInput(uuid)}`);
  return u;
}

/** `/api/v2/edgedevice/` + (`id/<uuid>/` for per-device actions) + action. */
export function actionUrl(base: URL, action: string, deviceUuid?: string): URL {
  let path = "/api/v2/edgedevice/";
  if (!GLOBAL_ACTIONS.has(action)) {
    if (!deviceUuid) throw new ControllerUrlError(`action ${action} needs the device UUID`);
    path += `id/${normalizeUuid(deviceUuid)}/`;
  }
  return new URL(path + action, base);
}
