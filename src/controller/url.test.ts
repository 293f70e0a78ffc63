import { describe, expect, test } from "bun:test";
import { classifyStatus, mediaType } from "./classify.ts";
import { actionUrl, baseUrlFromServerFile, normalizeUuid } from "./url.ts";

describe("baseUrlFromServerFile", () => {
  test("prepends https when the file holds host:port", () => {
    expect(baseUrlFromServerFile("zedcloud.example.com:443\n").toString()).toBe("https://zedcloud.example.com/");
    expect(baseUrlFromServerFile("  127.0.0.1:8443 ").toString()).toBe("https://127.0.0.1:8443/");
  });
  test("keeps an explicit scheme when the file has one", () => {
    expect(baseUrlFromServerFile("http://localhost:8080").toString()).toBe("http://localhost:8080/");
  });
  test("rejects content that is not host[:port] when a path or nothing is given", () => {
    expect(() => baseUrlFromServerFile("")).toThrow(/empty/);
    expect(() => baseUrlFromServerFile("host:1/api")).toThrow(/host\[:port\]/);
  });
});

describe("actionUrl", () => {
  const base = new URL("https://ctrl.example:8443");
  test("builds global actions without the device UUID", () => {
    for (const a of ["ping", "certs", "register", "uuid"]) {
      expect(actionUrl(base, a, "0b0c54e5-1f4e-4c1f-a1a8-8c5f0d7f2a61").pathname).toBe(`/api/v2/edgedevice/${a}`);
    }
  });
  test("puts id/<uuid>/ before per-device actions in lower case", () => {
    expect(actionUrl(base, "config", "0B0C54E5-1F4E-4C1F-A1A8-8C5F0D7F2A61").toString()).toBe(
      "https://ctrl.example:8443/api/v2/edgedevice/id/0b0c54e5-1f4e-4c1f-a1a8-8c5f0d7f2a61/config",
    );
  });
  test("refuses a per-device action when the UUID is unknown", () => {
    expect(() => actionUrl(base, "attest")).toThrow(/needs the device UUID/);
  });
  test("refuses a malformed UUID when normalising", () => {
    expect(() => normalizeUuid("not-a-uuid")).toThrow('not a canonical UUID: "not-a-uuid"');
  });
  test("quotes at most 40 printable characters of a bad UUID, and its length", () => {
    const huge = `5f0c1f1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f\u0000\u001b[31m${"x".repeat(1_000_000)}`;
    let message = "";
    try {
      normalizeUuid(huge);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`not a canonical UUID: "5f0c1f1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f??[3"… (${huge.length} characters)`);
  });
});

describe("classifyStatus", () => {
  test("follows EVE's reading of controller statuses", () => {
    expect([200, 201, 204, 304].map(classifyStatus)).toEqual(["success", "success", "success", "success"]);
    expect(classifyStatus(403)).toBe("forbidden");
    expect(classifyStatus(404)).toBe("not-found");
    expect(classifyStatus(400)).toBe("not-found");
    expect(classifyStatus(503)).toBe("upgrading");
    expect(classifyStatus(500)).toBe("failed");
    expect(classifyStatus(409)).toBe("failed");
  });
  test("strips parameters from the content type", () => {
    expect(mediaType("Application/X-Proto-Binary; charset=utf-8")).toBe("application/x-proto-binary");
    expect(mediaType(undefined)).toBeUndefined();
  });
});
