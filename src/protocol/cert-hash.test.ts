import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromHex, toHex, utf8 } from "../shared/index.ts";
import { controllerCertHash, deviceCertHash, EnvelopeError, registerSenderCert } from "./index.ts";

let dir: string;
let pem: Uint8Array;
let der: Uint8Array;

function openssl(...args: string[]): string {
  const r = Bun.spawnSync(["openssl", ...args], { cwd: dir, stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(r.stderr.toString());
  return r.stdout.toString();
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "edge-agent-certhash-"));
  openssl(
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    "k.pem",
    "-out",
    "c.pem",
    "-subj",
    "/CN=device",
    "-days",
    "1",
  );
  openssl("x509", "-in", "c.pem", "-outform", "DER", "-out", "c.der");
  pem = new Uint8Array(readFileSync(join(dir, "c.pem")));
  der = new Uint8Array(readFileSync(join(dir, "c.der")));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("deviceCertHash", () => {
  test("equals openssl's SHA-256 fingerprint when given the DER", () => {
    const fp = /=([0-9A-F:]+)/.exec(openssl("x509", "-in", "c.pem", "-noout", "-fingerprint", "-sha256"))![1]!;
    expect(toHex(deviceCertHash(der))).toBe(fp.replaceAll(":", "").toLowerCase());
  });
});

describe("controllerCertHash", () => {
  test("hashes the PEM bytes verbatim when algo is SHA256_32BYTES", () => {
    const want = openssl("dgst", "-sha256", "-r", "c.pem").split(" ")[0]!;
    expect(toHex(controllerCertHash(pem, 2))).toBe(want);
  });

  test("keeps the first 16 bytes when algo is SHA256_16BYTES", () => {
    expect(controllerCertHash(pem, 1)).toEqual(controllerCertHash(pem, 2).slice(0, 16));
  });

  test("differs from the DER hash when given the PEM", () => {
    expect(controllerCertHash(pem, 2)).not.toEqual(deviceCertHash(der));
  });

  test("throws envelope.algo when algo is INVALID", () => {
    expect(() => controllerCertHash(pem, 0)).toThrow(EnvelopeError);
  });
});

describe("registerSenderCert", () => {
  test("is the padded standard base64 of the PEM text when given the file bytes", () => {
    expect(utf8.decode(registerSenderCert(pem))).toBe(Buffer.from(pem).toString("base64"));
  });

  test("uses the standard alphabet and padding when the input needs them", () => {
    expect(utf8.decode(registerSenderCert(fromHex("fbff")))).toBe("+/8=");
  });
});
