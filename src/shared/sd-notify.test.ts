/**
 * sd_notify over bun:ffi, received by an independent listener: a Python
 * AF_UNIX datagram socket standing in for systemd's notify socket. Both
 * address forms systemd uses (a path, an "@" abstract name).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type NotifyListener, startNotifyListener } from "../../test/harness/notify-listener.ts";
import { silentLogger } from "./logger.ts";
import { notifySocketAddress, SdNotifyError, sdNotifier, sdNotifyTo } from "./sd-notify.ts";

let listener: NotifyListener | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await listener?.stop();
  listener = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "sd-notify-"));
  dirs.push(d);
  return d;
}

describe("sd_notify", () => {
  test("a datagram to a path socket arrives byte for byte", async () => {
    const path = join(tmp(), "notify.sock");
    listener = await startNotifyListener(path);
    sdNotifyTo(path, "READY=1\nSTATUS=up");
    const got = await listener.next();
    expect(got.data).toBe("READY=1\nSTATUS=up");
  });

  test("an abstract socket name (@...) is reached without a trailing NUL", async () => {
    const name = `@edge-agent-test-${process.pid}-${Date.now()}`;
    listener = await startNotifyListener(name);
    sdNotifyTo(name, "WATCHDOG=1");
    const got = await listener.next();
    expect(got.data).toBe("WATCHDOG=1");
    expect(notifySocketAddress(name).len).toBe(2 + Buffer.byteLength(name));
  });

  test("no listener: a typed error, and the notifier logs it once without throwing", () => {
    const path = join(tmp(), "nobody.sock");
    expect(() => sdNotifyTo(path, "READY=1")).toThrow(SdNotifyError);
    const warnings: string[] = [];
    const n = sdNotifier({ ...silentLogger, warn: (m: string) => warnings.push(m) }, { NOTIFY_SOCKET: path });
    n.ready();
    n.stopping();
    expect(warnings).toEqual(["sd_notify failed"]);
  });

  test("bad NOTIFY_SOCKET values are refused", () => {
    expect(() => notifySocketAddress("relative/path")).toThrow(SdNotifyError);
    expect(() => notifySocketAddress(`/${"x".repeat(200)}`)).toThrow(SdNotifyError);
  });

  test("watchdog interval is half WATCHDOG_USEC, only for the PID systemd named", () => {
    expect(sdNotifier(silentLogger, { NOTIFY_SOCKET: "/x", WATCHDOG_USEC: "30000000" }, 42).watchdogMs).toBe(15_000);
    expect(sdNotifier(silentLogger, { NOTIFY_SOCKET: "/x", WATCHDOG_USEC: "30000000", WATCHDOG_PID: "41" }, 42).watchdogMs).toBeUndefined();
    expect(sdNotifier(silentLogger, { WATCHDOG_USEC: "30000000" }, 42).enabled).toBe(false);
  });
});
