/** EVE's reading of a controller HTTP status (docs/protocol.md#status-codes). */
export type Outcome = "success" | "forbidden" | "not-found" | "upgrading" | "failed";

export function classifyStatus(status: number): Outcome {
  if (status === 200 || status === 201 || status === 204 || status === 304) return "success";
  if (status === 403) return "forbidden";
  if (status === 404 || status === 400) return "not-found";
  if (status === 503) return "upgrading";
  return "failed";
}

export const PROTO_CONTENT_TYPE = "application/x-proto-binary";

/** Media type without parameters, lower-cased; undefined when absent. */
export function mediaType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  return contentType.split(";")[0]!.trim().toLowerCase();
}
