/** The pieces of a certificate's reading shared by the plain DER reader and the schema one. */

export type KeyUsageName =
  | "digitalSignature"
  | "nonRepudiation"
  | "keyEncipherment"
  | "dataEncipherment"
  | "keyAgreement"
  | "keyCertSign"
  | "cRLSign"
  | "encipherOnly"
  | "decipherOnly";

// Bit order of the KeyUsage BIT STRING (RFC 5280 4.2.1.3); bit n counts as 1 << n.
export const KEY_USAGE_BITS: readonly KeyUsageName[] = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
];

export function keyUsageNames(bits: number): KeyUsageName[] {
  return KEY_USAGE_BITS.filter((_, bit) => (bits & (1 << bit)) !== 0);
}

/** OID to the short attribute names a Name's text uses (RFC 4514 and the usual extras), as @peculiar/x509 names them. */
export const NAME_LABELS: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.6": "C",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "E",
  "2.5.4.42": "G",
  "2.5.4.43": "I",
  "2.5.4.4": "SN",
  "2.5.4.12": "T",
};

export const hex = (b: ArrayBuffer | Uint8Array): string => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString("hex");

export function escapeNameValue(v: string): string {
  return (
    v
      .replace(/([,+"\\<>;])/g, "\\$1")
      .replace(/^([ #])/, "\\$1")
      .replace(/([ ]$)/, "\\$1")
      // Only the first control character, as the text the agent has always shown (status, logs) had it.
      .replace(/([\r\n\t])/, (c) => `\\${hex(Buffer.from(c, "utf8")).toUpperCase()}`)
  );
}

/** Lowercase hex of the serial's magnitude, no leading zero bytes. */
export function serialHex(raw: ArrayBuffer | Uint8Array): string {
  const s = hex(raw).replace(/^(00)+/, "");
  return s === "" ? "00" : s;
}
