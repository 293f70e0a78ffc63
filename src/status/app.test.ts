import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../shared/index.ts";
import { createStatusApp } from "./app.ts";
import { fetchMetrics, fetchStatus } from "./client.ts";
import { StatusBoard } from "./document.ts";
import { startStatusServer } from "./server.ts";

describe("status app", () => {
  const board = new StatusBoard("1.2.3", "/dev-root");
  board.update("device", { uuid: "u-1", onboarded: true });
  const app = createStatusApp(board, { full: true });

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
      const doc = await fetchStatus(sock);
      expect(doc.device.uuid).toBe("u-1");
    } finally {
      srv.stop();
    }
  });

  test("answers 403 on /v1/status and serves health on a restricted app when full is off", async () => {
    const restricted = createStatusApp(board, { full: false });
    const res = await restricted.request("/v1/status");
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).not.toContain("u-1");
    expect((await (await restricted.request("/v1/health")).json()) as any).toEqual({ onboarded: true, uuid: "u-1" });
    expect((await restricted.request("/version")).status).toBe(200);
  });
});

describe("status listeners", () => {
  const board = new StatusBoard("1.2.3", "/dev-root");
  board.update("device", { uuid: "u-2", onboarded: true, serial: "SN-secretive" });
  const servers: { stop(): void }[] = [];
  afterAll(() => servers.splice(0).forEach((s) => s.stop()));

  function start(full?: boolean) {
    const sock = join(mkdtempSync(join(tmpdir(), "ea-status-")), "s.sock");
    const srv = startStatusServer(board, { socket: sock, tcp: { host: "127.0.0.1", port: 0, ...(full === undefined ? {} : { full }) }, log: silentLogger });
    servers.push(srv);
    return { sock, srv, tcp: (path: string) => fetch(`http://127.0.0.1:${srv.tcpPort}${path}`) };
  }

  test("TCP serves only /version and /v1/health when full is not configured, the socket everything", async () => {
    for (const full of [undefined, false]) {
      const { sock, tcp } = start(full);
      const status = await tcp("/v1/status");
      expect(status.status).toBe(403);
      expect(await status.text()).not.toContain("SN-secretive");
      expect((await (await tcp("/v1/health")).json()) as any).toEqual({ onboarded: true, uuid: "u-2" });
      expect(((await (await tcp("/version")).json()) as any).latest).toBe("v1");
      expect((await tcp("/v1/anything")).status).toBe(404);
      const metrics = await tcp("/v1/metrics");
      expect(metrics.status).toBe(403);
      expect(await metrics.text()).not.toContain("edge_agent_");
      // The socket is unchanged: the full document.
      expect((await fetchStatus(sock)).device.serial).toBe("SN-secretive");
    }
  });

  test("TCP serves the full status when full = true is configured", async () => {
    const { sock, tcp } = start(true);
    const res = await tcp("/v1/status");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.device.serial).toBe("SN-secretive");
    expect(doc).toEqual({ ...(await fetchStatus(sock)), agent: doc.agent });
    const metrics = await tcp("/v1/metrics");
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("edge_agent_onboarded 1\n");
    expect(await fetchMetrics(sock)).toContain("edge_agent_onboarded 1\n");
  });
});
