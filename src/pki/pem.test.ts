import { describe, expect, test } from "bun:test";
import { PkiError } from "./errors.ts";
import { decodePem, encodePem } from "./pem.ts";

const der = Uint8Array.from({ length: 100 }, (_, i) => (i * 37) & 0xff);

function kindOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof PkiError ? e.kind : `not a PkiError: ${String(e)}`;
  }
  return undefined;
}

describe("encodePem", () => {
  test("writes 64-column lines and a final newline when encoding 100 bytes", () => {
    const pem = encodePem("CERTIFICATE", der);
    const lines = pem.split("\n");
    expect(lines[0]).toBe("-----BEGIN CERTIFICATE-----");
    expect(lines[1]!.length).toBe(64);
    expect(lines.slice(1, -2).every((l) => l.length <= 64)).toBe(true);
    expect(lines.at(-2)).toBe("-----END CERTIFICATE-----");
    expect(pem.endsWith("-----\n")).toBe(true);
  });

  test("returns the same label and bytes when decodePem reads its output", () => {
    expect(decodePem(encodePem("EC PRIVATE KEY", der))).toEqual([{ label: "EC PRIVATE KEY", der }]);
  });
});

describe("decodePem", () => {
  test("returns every block in order when text surrounds and separates them", () => {
    const text = `subject=CN = x\nCertificate:\n  Data: ...\n${encodePem("CERTIFICATE", der)}# comment\n\n${encodePem("PRIVATE KEY", der.subarray(0, 10))}trailer`;
    const blocks = decodePem(text);
    expect(blocks.map((b) => b.label)).toEqual(["CERTIFICATE", "PRIVATE KEY"]);
    expect(blocks[1]!.der).toEqual(der.subarray(0, 10));
  });

  test("reads the block when lines end in CRLF and bytes are given", () => {
    const crlf = new TextEncoder().encode(encodePem("CERTIFICATE", der).replace(/\n/g, "\r\n"));
    expect(decodePem(crlf)[0]!.der).toEqual(der);
  });

  test("reads the block when lines are indented or base64 is wrapped differently", () => {
    const b64 = Buffer.from(der).toString("base64");
    const text = `  -----BEGIN CERTIFICATE-----\n  ${b64.slice(0, 10)}\n\n${b64.slice(10)}  \n  -----END CERTIFICATE-----  \n`;
    expect(decodePem(text)[0]!.der).toEqual(der);
  });

  test("returns nothing when there is no block", () => {
    expect(decodePem("just text\n")).toEqual([]);
  });

  test("rejects with pki.pem when the END label differs", () => {
    expect(kindOf(() => decodePem(encodePem("CERTIFICATE", der).replace("END CERTIFICATE", "END X509 CRL")))).toBe("pki.pem");
  });

  test("rejects with pki.pem when the block is not terminated", () => {
    expect(kindOf(() => decodePem(encodePem("CERTIFICATE", der).replace("-----END CERTIFICATE-----\n", "")))).toBe("pki.pem");
  });

  test("rejects with pki.pem when the body is not base64", () => {
    expect(kindOf(() => decodePem("-----BEGIN CERTIFICATE-----\nMII*AAAA\n-----END CERTIFICATE-----\n"))).toBe("pki.pem");
    expect(kindOf(() => decodePem("-----BEGIN CERTIFICATE-----\nMIIBA\n-----END CERTIFICATE-----\n"))).toBe("pki.pem");
  });

  test("rejects with pki.pem when the block carries encryption headers", () => {
    const text = "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END EC PRIVATE KEY-----\n";
    expect(kindOf(() => decodePem(text))).toBe("pki.pem");
  });

  test("rejects with pki.pem when the block is empty", () => {
    expect(kindOf(() => decodePem("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))).toBe("pki.pem");
  });
});
