import { PkiError } from "./errors.ts";

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

const BEGIN = /^-----BEGIN ([^-\r\n]*(?:-[^-\r\n]+)*)-----$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function asText(input: Uint8Array | string): string {
  // latin1 keeps every byte as one char, so stray binary around the blocks cannot break decoding.
  return typeof input === "string" ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString("latin1");
}

/**
 * All PEM blocks in a file, in order. Text between blocks is ignored (openssl
 * `-text` output, comments, bundles); CRLF line ends and indentation are
 * tolerated. A block that is opened but broken is an error rather than being
 * skipped, so a damaged file is never read as a shorter valid one.
 */
export function decodePem(input: Uint8Array | string): PemBlock[] {
  const lines = asText(input).split(/\r?\n|\r/);
  const blocks: PemBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i]!.trim());
    if (!begin) continue;
    const label = begin[1]!;
    const end = `-----END ${label}-----`;
    let body = "";
    let closed = false;
    for (i++; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === end) {
        closed = true;
        break;
      }
      if (line.startsWith("-----")) throw new PkiError("pki.pem", `PEM block "${label}" ends with "${line}"`);
      if (line.includes(":")) throw new PkiError("pki.pem", `PEM block "${label}" has headers (encrypted keys are not supported)`);
      body += line.replace(/\s+/g, "");
    }
    if (!closed) throw new PkiError("pki.pem", `PEM block "${label}" is not terminated`);
    if (body.length % 4 !== 0 || !BASE64.test(body)) throw new PkiError("pki.pem", `PEM block "${label}" is not valid base64`);
    const der = new Uint8Array(Buffer.from(body, "base64"));
    if (der.length === 0) throw new PkiError("pki.pem", `PEM block "${label}" is empty`);
    blocks.push({ label, der });
  }
  return blocks;
}

/** One PEM block with 64-column base64 lines and a trailing newline, as openssl and Go write it. */
export function encodePem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
