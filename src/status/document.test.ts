import { describe, expect, test } from "bun:test";
import type { VaultStatus } from "../vault/index.ts";
import { StatusBoard } from "./document.ts";
import { renderStatus } from "./render.ts";

const vaultStatus = (over: Partial<VaultStatus> = {}): VaultStatus => ({
  status: "ENABLED",
  locked: false,
  pcrStatus: "ENABLED",
  policyPcrs: [0, 1, 2],
  escrowPending: false,
  storeMode: "encrypted",
  ...over,
});

describe("status board", () => {
  test("serves as JSON exactly what the snapshot serialises to, after every change and with fields cleared", () => {
    const board = new StatusBoard("1.0.0", "/r");
    const same = () => expect(board.snapshotJson()).toBe(JSON.stringify(board.snapshot()));
    same();
    board.update("device", { uuid: "u-1", onboarded: true });
    same();
    board.publish("vault", vaultStatus({ status: "ERROR", locked: true, error: "PCR mismatch: 14", errorKind: "vault.pcr-mismatch" }));
    same();
    // Read twice with no change in between (the cached sections), then a field cleared by an update.
    same();
    board.update("device", { uuid: undefined });
    same();
    expect(JSON.parse(board.snapshotJson()).device).toEqual({ root: "/r", onboarded: true });
    board.publish("vault", vaultStatus());
    same();
    expect(JSON.parse(board.snapshotJson()).vault.lastError).toBeUndefined();
  });

  test("shows the vault's error in the document's one error shape", () => {
    const board = new StatusBoard("1.0.0", "/");
    board.publish<"vault">(
      "vault",
      vaultStatus({ status: "ERROR", locked: true, error: "PCR mismatch: 14", errorKind: "vault.pcr-mismatch", errorAt: "2025-01-01T00:00:00.000Z" }),
    );
    const v = board.snapshot().vault;
    expect(v.lastError).toEqual({ kind: "vault.pcr-mismatch", message: "PCR mismatch: 14", at: "2025-01-01T00:00:00.000Z" });
    expect(Object.keys(v)).not.toContain("error");
    expect(Object.keys(v)).not.toContain("errorKind");
    board.publish("vault", vaultStatus());
    expect(board.snapshot().vault.lastError).toBeUndefined();
  });

  test("splits the wire dump's refusal into kind and message and keeps the time it was first seen", async () => {
    const board = new StatusBoard("1.0.0", "/");
    const state = { dir: "/tmp/w", maxBytes: 10, error: "wiredump.unsafe-dir: /tmp/w is open to others (mode 0755)" };
    board.update<"controller">("controller", { server: "ctl:443", wireDump: state });
    const first = board.snapshot().controller.wireDump!.lastError!;
    expect(first).toMatchObject({ kind: "wiredump.unsafe-dir", message: "/tmp/w is open to others (mode 0755)" });
    await Bun.sleep(5);
    board.update("controller", { wireDump: { ...state } });
    expect(board.snapshot().controller.wireDump!.lastError!.at).toBe(first.at);
    board.update("controller", { wireDump: { dir: "/tmp/w", maxBytes: 10, error: "ENOSPC: no space left" } });
    expect(board.snapshot().controller.wireDump!.lastError).toMatchObject({ kind: "wiredump.write", message: "ENOSPC: no space left" });
    expect(board.snapshot().controller.server).toBe("ctl:443");
  });

  test("publish replaces a section and update merges into it", () => {
    const board = new StatusBoard("1.0.0", "/");
    board.publish("onboarding", { phase: "registering", attempts: 2, lastError: { kind: "controller.refused", message: "403", at: "t" } });
    board.publish("onboarding", { phase: "onboarded", attempts: 3 });
    expect(board.snapshot().onboarding).toEqual({ phase: "onboarded", attempts: 3 });
    board.update("device", { uuid: "u-1", onboarded: true });
    board.update("device", { serial: "SN" });
    expect(board.snapshot().device).toEqual({ root: "/", uuid: "u-1", onboarded: true, serial: "SN" });
  });

  test("hands out copies, so a reader cannot change the board", () => {
    const board = new StatusBoard("1.0.0", "/");
    board.update("device", { maintenanceReasons: ["A"] });
    board.snapshot().device.maintenanceReasons!.push("B");
    expect(board.snapshot().device.maintenanceReasons).toEqual(["A"]);
  });
});

describe("edge-agent status rendering", () => {
  const board = new StatusBoard("1.2.3", "/dev-root");
  board.update("device", { uuid: "u-1", onboarded: true });
  board.update("config", {
    received: true,
    version: "7",
    poll: {
      polls: 4,
      lastOutcome: "unchanged",
      config: { uuid: "u-1", version: "7", hash: "ab", source: "controller", appliedAt: "2025-01-01T00:00:00.000Z" },
      checkpoint: { state: "not-needed" },
      lastError: { kind: "config.http", message: "503 from the controller", at: "2025-01-01T00:00:01.000Z" },
    },
  });
  board.publish("info", {
    reports: 2,
    queue: {
      pending: [{ key: "info:u-1", action: "info", bytes: 120, attempts: 3, retryAt: "2025-01-01T00:01:00.000Z" }],
      delivered: 5,
      dropped: 0,
      lastResult: { key: "info:u-1", action: "info", at: "2025-01-01T00:00:30.000Z", outcome: "retry", status: 503, attempts: 3, retryInMs: 30000 },
    },
  });
  const text = renderStatus(board.snapshot());
  const block = (title: string) => text.split("\n").slice(text.split("\n").indexOf(title));

  test("prints nested values (config.poll, info.queue) as indented lines, never as JSON", () => {
    expect(text).not.toMatch(/[{}]/);
    const config = block("config");
    expect(config).toContain("  poll");
    expect(config).toContain("    polls              4");
    expect(config).toContain("    config");
    expect(config).toContain("      version          7");
    expect(config).toContain("    checkpoint");
    expect(config).toContain("      state            not-needed");
  });

  test("prints an error as kind, message and time on one line", () => {
    expect(text).toContain("    lastError          config.http: 503 from the controller (since 2025-01-01T00:00:01.000Z)");
  });

  test("prints each queued request on its own line", () => {
    const info = block("info");
    expect(info).toContain("    pending            1");
    expect(info).toContain("      - key=info:u-1 action=info bytes=120 attempts=3 retryAt=2025-01-01T00:01:00.000Z");
    expect(info).toContain("    lastResult");
    expect(info).toContain("      outcome          retry");
  });

  test("keeps the header and flat values as before", () => {
    expect(text.split("\n")[0]).toMatch(/^edge-agent 1\.2\.3 \(pid \d+, up \d+s\)$/);
    expect(block("device")).toContain("  uuid                 u-1");
    expect(block("device")).toContain("  onboarded            true");
  });
});
