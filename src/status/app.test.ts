import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStatusApp } from "./app.ts";
import { StatusBoard } from "./document.ts";
import { startStatusServer, fetchStatus } from "./server.ts";
import { silentLogger } from "../shared/index.ts";

describe("status app", () => {
  const board = new StatusBoard("1.2.3", "/dev-root");
  board.update("device", { uuid: "u-1", onboarded: true });
  const app = createStatusApp(board);

  test("serves the versioned status document when asked for /v1/status", async () => {
    const res = await app.request("/v1/status");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.apiVersion).toBe("v1");
    expect(doc.agent.version).toBe("1.2.3");
    expect(doc.device).toEqual({ root: "/dev-root", uuid: "u-1", onboarded: true });
  });

  test("lists supported versions when asked for /version", async () => {
    expect((await (await app.request("/version")).json()) as any).toEqual({ supported_versions: ["v1"], latest: "v1" });
  });

  test("refuses writes with 405 when a client tries to change state", async () => {
    const res = await app.request("/v1/status", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });

  test("answers an unsupported API version with 400 when the path names one", async () => {
    const res = await app.request("/v9/status");
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.supported_versions).toEqual(["v1"]);
  });

  test("answers JSON 404 when the path is unknown", async () => {
    const res = await app.request("/nope");
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.code).toBe(404);
  });

  test("serves the same document over a real unix socket when started", async () => {
    const sock = join(mkdtempSync(join(tmpdir(), "ea-status-")), "s.sock");
    const srv = startStatusServer(board, { socket: sock, log: silentLogger });
    try {
      const doc = (await fetchStatus(sock)) as { device: { uuid: string } };
      expect(doc.device.uuid).toBe("u-1");
    } finally {
      srv.stop();
    }
  });
});
