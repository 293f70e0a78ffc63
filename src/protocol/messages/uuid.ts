/** org.lfedge.eve.uuid (eveuuid/eveuuid.proto), docs/protocol.md#uuid. */

// An empty message on purpose: the request carries nothing but its envelope.
export type UuidRequest = Record<string, never>;

export interface UuidResponse {
  uuid: string;
  manufacturer: string;
  product_name: string;
}
