/**
 * Keylime agent API versions served in pull mode. The verifier stores the
 * version the agent offered at enrolment and puts it in every URL; the tenant
 * picks the highest version both sides know (kl/api_version.py
 * negotiate_version), so the list is offered in ascending order.
 */
export const API_VERSIONS = ["2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

export const LATEST_API_VERSION: ApiVersion = "2.6";

/** "v2.6" -> "2.6" when served; undefined for any other text. */
export function parseApiVersion(segment: string): ApiVersion | undefined {
  const m = /^v(\d+\.\d+)$/.exec(segment);
  return m && (API_VERSIONS as readonly string[]).includes(m[1]!) ? (m[1] as ApiVersion) : undefined;
}

function atLeast(v: ApiVersion, min: ApiVersion): boolean {
  return API_VERSIONS.indexOf(v) >= API_VERSIONS.indexOf(min);
}

/** /agent/info came with 2.2; earlier versions answer it as an unknown interface, as the rust agent does. */
export function hasAgentInfo(v: ApiVersion): boolean {
  return atLeast(v, "2.2");
}

/**
 * The EK algorithm as `enc_alg`: API 2.5 renamed "rsa"/"ecc" to
 * "rsa2048"/"ecc256" (rust-keylime algorithms.rs to_string_for_api_version).
 */
export function encAlgName(v: ApiVersion, alg: "rsa" | "ecc"): string {
  if (!atLeast(v, "2.5")) return alg;
  return alg === "rsa" ? "rsa2048" : "ecc256";
}
