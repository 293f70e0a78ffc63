/** org.lfedge.eve.uuid (eveuuid/eveuuid.proto), docs/protocol.md#uuid. */

// An empty message on purpose: the request carries nothing but its envelope.
export interface UuidRequest {}

export interface UuidResponse {
  uuid: string;
  manufacturer: string;
  product_name: string;
}
