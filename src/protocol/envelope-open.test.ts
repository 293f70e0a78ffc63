import { describe, expect, test } from "bun:test";
import { fromHex } from "../shared/index.ts";
import { codec, EnvelopeError, openEnvelope, unwrapEnvelope } from "./index.ts";

function openError(run: () => unknown): EnvelopeError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(EnvelopeError);
    return e as EnvelopeError;
  }
  throw new Error("expected an EnvelopeError");
}

const CERTS = codec.ZControllerCert.encode({ certs: [{ type: 1, cert: new Uint8Array([0x2d, 0x2d]) }] });

describe("unwrapEnvelope", () => {
  test("returns the payload without checking anything else when the envelope is unsigned", () => {
    const bytes = codec.AuthContainer.encode({ protectedPayload: { payload: CERTS } });
    expect(unwrapEnvelope(bytes)).toEqual(CERTS);
  });

  test("returns an empty payload when the AuthBody is present but empty", () => {
    expect(unwrapEnvelope(fromHex("0a00"))).toEqual(new Uint8Array(0));
  });

  test("rejects with envelope.no-payload when the body is empty", () => {
    expect(openError(() => unwrapEnvelope(new Uint8Array(0))).kind).toBe("envelope.no-payload");
  });

  test("rejects with envelope.encrypted when only cipherData is present", () => {
    const bytes = codec.AuthContainer.encode({ cipherData: { cipherData: new Uint8Array([1]) } });
    expect(openError(() => unwrapEnvelope(bytes)).kind).toBe("envelope.encrypted");
  });

  test("rejects with envelope.decode when the container is truncated", () => {
    const bytes = codec.AuthContainer.encode({ protectedPayload: { payload: CERTS } });
    expect(openError(() => unwrapEnvelope(bytes.slice(0, 3))).kind).toBe("envelope.decode");
  });
});

describe("openEnvelope", () => {
  test("accepts an encrypted-only container when only its shape is checked", () => {
    const bytes = codec.AuthContainer.encode({ cipherContext: { contextId: "c" }, cipherData: { cipherContextId: "c" } });
    const c = openEnvelope(bytes);
    expect(c.protectedPayload).toBeUndefined();
    expect(c.cipherData?.cipherContextId).toBe("c");
  });

  test("rejects with envelope.decode carrying protocol.too-large when the body exceeds maxBytes", () => {
    const bytes = codec.AuthContainer.encode({ protectedPayload: { payload: CERTS } });
    const e = openError(() => openEnvelope(bytes, { maxBytes: 4 }));
    expect(e.kind).toBe("envelope.decode");
    expect((e.cause as { kind?: string }).kind).toBe("protocol.too-large");
  });
});
