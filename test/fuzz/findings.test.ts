// One test per fuzzing finding, built from its cause rather than replayed
// bytes, so each still says what it guards if the generators change.
import { describe, expect, test } from "bun:test";
import { ControllerCertsError, MAX_CONTROLLER_CERT_ENTRIES, verifyControllerCerts } from "../../src/controller/certs.ts";
import { KeylimeError } from "../../src/keylime/index.ts";
import { RegistrarClient } from "../../src/keylime/registrar.ts";
import { MAX_INTERMEDIATES } from "../../src/pki/index.ts";
import { codec, ProtocolError, ZCertType } from "../../src/protocol/index.ts";
import { fixtureHex } from "./gen.ts";
import { makeFuzzPki } from "./pki.ts";

const pki = await makeFuzzPki();
const enc = (s: string) => new TextEncoder().encode(s);
const now = { now: new Date(), requireEcdh: true };

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "accepted";
  } catch (e) {
    return (e as ControllerCertsError).kind;
  }
}

describe("finding 1: /certs parsed every certificate before counting them", () => {
  test("an answer with more intermediates than path building considers is refused as too many", async () => {
    const raw = codec.ZControllerCert.encode({
      certs: [
        { type: ZCertType.CERT_TYPE_CONTROLLER_INTERMEDIATE, cert: enc(pki.intermediate.pem.repeat(MAX_INTERMEDIATES + 1)) },
        { type: ZCertType.CERT_TYPE_CONTROLLER_SIGNING, cert: enc(pki.signing.pem) },
        { type: ZCertType.CERT_TYPE_CONTROLLER_ECDH_EXCHANGE, cert: enc(pki.ecdh.pem) },
      ],
    });
    expect(await kindOf(verifyControllerCerts(raw, pki.roots, now))).toBe("certs.too-many");
  });

  test("an answer with more entries than a controller sends is refused as too many", async () => {
    const entry = { type: ZCertType.CERT_TYPE_CONTROLLER_ECDH_EXCHANGE, cert: enc(pki.ecdh.pem) };
    const raw = codec.ZControllerCert.encode({
      certs: [{ type: ZCertType.CERT_TYPE_CONTROLLER_SIGNING, cert: enc(pki.signing.pem) }, ...Array(MAX_CONTROLLER_CERT_ENTRIES).fill(entry)],
    });
    expect(await kindOf(verifyControllerCerts(raw, pki.roots, now))).toBe("certs.too-many");
  });

  test("the limits leave a real set with its intermediate trusted", async () => {
    const raw = codec.ZControllerCert.encode({
      certs: [
        { type: ZCertType.CERT_TYPE_CONTROLLER_INTERMEDIATE, cert: enc(pki.intermediate.pem.repeat(MAX_INTERMEDIATES)) },
        { type: ZCertType.CERT_TYPE_CONTROLLER_SIGNING, cert: enc(pki.signingOdd.pem + pki.rogueLeaf.pem) },
        { type: ZCertType.CERT_TYPE_CONTROLLER_ECDH_EXCHANGE, cert: enc(pki.ecdhOdd.pem) },
      ],
    });
    const certs = await verifyControllerCerts(raw, pki.roots, now);
    expect(certs.signing.cert.subject).toContain("controller signing long-name");
  });
});

describe("finding 2: repeated empty entries decoded to objects hundreds of times their size", () => {
  const emptyEntries = (n: number) => new Uint8Array(n * 2).map((_, i) => (i % 2 === 0 ? 0x0a : 0x00));

  test("a body with more fields than maxElements is refused before decoding", () => {
    expect(() => codec.ZControllerCert.decode(emptyEntries(5000), { maxElements: 4096 })).toThrow(ProtocolError);
    try {
      codec.ZControllerCert.decode(emptyEntries(5000), { maxElements: 4096 });
    } catch (e) {
      expect((e as ProtocolError).kind).toBe("protocol.too-large");
    }
  });

  test("fields inside nested messages count too", () => {
    // One ZCert holding 5000 empty metadata items: one top-level field, 5001 in all.
    const raw = codec.ZControllerCert.encode({ certs: [{ meta_data_items: Array(5000).fill({}) }] });
    expect(() => codec.ZControllerCert.decode(raw, { maxElements: 4096 })).toThrow(ProtocolError);
    expect(codec.ZControllerCert.decode(raw, { maxElements: 6000 }).certs[0]!.meta_data_items.length).toBe(5000);
  });

  test("the count leaves real messages alone, including the golden /certs answer", () => {
    const golden = fixtureHex("zcontrollercert");
    expect(codec.ZControllerCert.decode(golden, { maxElements: 4096 })).toEqual(codec.ZControllerCert.decode(golden));
  });

  test("/certs refuses the 2-million-entry answer as a decode error naming the limit", async () => {
    const err = await verifyControllerCerts(emptyEntries(2_000_000), pki.roots, now).catch((e) => e);
    expect(err).toBeInstanceOf(ControllerCertsError);
    expect(err.kind).toBe("certs.decode");
    expect(err.cause.kind).toBe("protocol.too-large");
  });
});

describe("finding 3: a registrar answer that is JSON but not an object threw a TypeError", () => {
  const client = (status: number, body: string) =>
    new RegistrarClient("http://registrar.invalid", { fetch: (async () => new Response(body, { status })) as unknown as typeof fetch });

  for (const body of ["null", "[]", "7", '"text"']) {
    test(`200 with ${body} is a keylime.protocol error on every call`, async () => {
      for (const call of [(c: RegistrarClient) => c.negotiate(), (c: RegistrarClient) => c.activate("2.6", "u", "t")]) {
        const err = await call(client(200, body)).catch((e) => e);
        expect(err).toBeInstanceOf(KeylimeError);
        expect(err.kind).toBe("keylime.protocol");
      }
    });
  }

  test("an error status with a null body still reports the status", async () => {
    const err = await client(500, "null")
      .negotiate()
      .catch((e) => e);
    expect(err).toBeInstanceOf(KeylimeError);
    expect(err.kind).toBe("keylime.unreachable");
  });
});
