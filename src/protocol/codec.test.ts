import { describe, expect, test } from "bun:test";
import { concatBytes, fromHex, toHex, utf8 } from "../shared/index.ts";
import { codec, MAX_MESSAGE_BYTES, ProtocolError, timestampFromDate, timestampToDate } from "./index.ts";

function decodeError(run: () => unknown): ProtocolError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ProtocolError);
    return e as ProtocolError;
  }
  throw new Error("expected a ProtocolError");
}

describe("codec decode", () => {
  test.each([
    ["a varint is cut short", "1080"],
    ["a length runs past the end", "1a05aabb"],
    ["a nested message is cut short", "0a020a05"],
    ["wire type 6 appears", "0e"],
    ["wire type 7 appears", "0f"],
    ["field number 0 appears", "0001"],
    ["an end-group tag has no start", "0c"],
    ["a length prefix overflows", "1affffffff0f"],
  ])("throws protocol.decode naming the message when %s", (_why, hex) => {
    const e = decodeError(() => codec.AuthContainer.decode(fromHex(hex)));
    expect(e.kind).toBe("protocol.decode");
    expect(e.message).toContain("AuthContainer");
    expect(e.cause).toBeDefined();
  });

  test("throws protocol.decode when a string field holds invalid UTF-8", () => {
    const e = decodeError(() => codec.UuidResponse.decode(fromHex("0a02fffe")));
    expect(e.kind).toBe("protocol.decode");
    expect(e.message).toContain("UuidResponse");
  });

  test("throws protocol.decode when an int64 does not fit a JS number", () => {
    // controller_epoch = 2^60
    const e = decodeError(() => codec.EdgeDevConfig.decode(fromHex("c8018080808080808080" + "10")));
    expect(e.kind).toBe("protocol.decode");
  });

  test("throws protocol.too-large when the body exceeds the default limit", () => {
    const e = decodeError(() => codec.ZControllerCert.decode(new Uint8Array(MAX_MESSAGE_BYTES + 1)));
    expect(e.kind).toBe("protocol.too-large");
    expect(e.message).toContain("ZControllerCert");
  });

  test("throws protocol.too-large when the body exceeds a caller's maxBytes", () => {
    const bytes = codec.UuidResponse.encode({ uuid: "x".repeat(64) });
    expect(decodeError(() => codec.UuidResponse.decode(bytes, { maxBytes: 16 })).kind).toBe("protocol.too-large");
    expect(codec.UuidResponse.decode(bytes, { maxBytes: bytes.length }).uuid).toBe("x".repeat(64));
  });

  test("fills proto3 defaults when fields are absent", () => {
    expect(codec.AuthContainer.decode(new Uint8Array(0))).toStrictEqual({
      algo: 0,
      senderCertHash: new Uint8Array(0),
      signatureHash: new Uint8Array(0),
      senderCert: new Uint8Array(0),
    });
  });

  test("skips undeclared fields when the config carries apps and networks", () => {
    const known = codec.EdgeDevConfig.encode({ device_name: "edge-01", controller_epoch: 3 });
    // apps (4) and networks (5) as opaque submessages, plus a fixed64 field 99
    const unknown = fromHex("220408011002" + "2a00" + "99060102030405060708");
    const decoded = codec.EdgeDevConfig.decode(concatBytes(unknown, known));
    expect(decoded.device_name).toBe("edge-01");
    expect(decoded.controller_epoch).toBe(3);
  });

  test("returns owned plain Uint8Arrays when the input is a Buffer", () => {
    const input = Buffer.from(codec.ZAttestNonceResp.encode({ nonce: utf8.encode("nonce-123456") }));
    const decoded = codec.ZAttestNonceResp.decode(input);
    expect(decoded.nonce.constructor).toBe(Uint8Array);
    input.fill(0);
    expect(utf8.decode(decoded.nonce)).toBe("nonce-123456");
  });
});

describe("codec encode", () => {
  test("emits nothing when every field holds its default", () => {
    expect(codec.AuthContainer.encode({ algo: 0, senderCertHash: new Uint8Array(0), senderCert: new Uint8Array(0) }).length).toBe(0);
  });

  test("emits an empty submessage when it is present but empty", () => {
    expect(toHex(codec.AuthContainer.encode({ protectedPayload: {} }))).toBe("0a00");
    expect(toHex(codec.AuthContainer.encode({ protectedPayload: { payload: new Uint8Array(0) } }))).toBe("0a00");
  });

  test("returns a plain Uint8Array when encoding", () => {
    expect(codec.UuidRequest.encode({}).constructor).toBe(Uint8Array);
  });

  test("throws protocol.encode naming the message when a field has the wrong type", () => {
    const e = decodeError(() => codec.ZAttestReq.encode({ reqType: "quote" as never }));
    expect(e.kind).toBe("protocol.encode");
    expect(e.message).toContain("ZAttestReq");
    expect(e.message).toContain("reqType");
  });

  test("throws protocol.encode when a nested field has the wrong type", () => {
    const e = decodeError(() => codec.ZInfoMsg.encode({ dinfo: { ncpu: 1.5 } }));
    expect(e.kind).toBe("protocol.encode");
    expect(e.message).toContain("dinfo.ncpu");
  });

  test("packs repeated scalars when encoding a PCR list", () => {
    expect(toHex(codec.AttestPolicyPcrList.encode({ pcr_indices: [0, 7, 14] }))).toBe("0a0300070e");
  });
});

describe("timestamps", () => {
  test("round-trip a date to millisecond precision when converted both ways", () => {
    const d = new Date("2026-01-01T00:00:00.123Z");
    const t = timestampFromDate(d);
    expect(t).toEqual({ seconds: 1767225600, nanos: 123_000_000 });
    expect(timestampToDate(t).getTime()).toBe(d.getTime());
  });

  test("keep nanos non-negative when the date is before 1970", () => {
    expect(timestampFromDate(new Date(-1))).toEqual({ seconds: -1, nanos: 999_000_000 });
  });
});
