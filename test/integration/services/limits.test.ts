// Request hygiene of the services' sockets (issue 13 points 6 and 9):
// oversized and slow requests are cut off, 1000 concurrent connections are
// answered or refused in order with the per-uid cap, another uid is still
// served meanwhile, and the agent stays healthy and attesting afterwards.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { removeTempRoots } from "../../harness/device.ts";
import { attestCount, QUOTE } from "../flow/fixture.ts";
import { Caller, createUsers, logLines, type ServicesRig, servicesRig, trusted, until } from "./fixture.ts";

const CONNECTIONS = Number(process.env.EDGE_AGENT_SERVICES_FLOOD ?? 1000);
const READ_TIMEOUT_MS = 2000;

let accounts: ReturnType<typeof createUsers>;
let rig: ServicesRig;
let root: Caller;
let ok: Caller;
let deviceHandle: string;

interface RawAnswer {
  /** Status of the first answer, 0 when the connection closed without one. */
  status: number;
  text: string;
  closed: boolean;
}

/** Opens a raw connection, writes `parts` (with pauses between them), and collects what comes back until the server closes. */
async function raw(socket: string, parts: Array<string | Uint8Array>, opts: { pauseMs?: number; timeoutMs?: number } = {}): Promise<RawAnswer> {
  const chunks: Buffer[] = [];
  let closed = false;
  let resolveClosed!: () => void;
  const done = new Promise<void>((r) => (resolveClosed = r));
  const conn = await Bun.connect({
    unix: socket,
    socket: {
      data(_s, d) {
        chunks.push(Buffer.from(d));
      },
      close() {
        closed = true;
        resolveClosed();
      },
      error() {
        closed = true;
        resolveClosed();
      },
    },
  });
  for (const p of parts) {
    if (closed) break;
    conn.write(p);
    if (opts.pauseMs) await Bun.sleep(opts.pauseMs);
  }
  await Promise.race([done, Bun.sleep(opts.timeoutMs ?? 30_000)]);
  if (!closed) conn.end();
  const text = Buffer.concat(chunks).toString("latin1");
  const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
  return { status: m ? Number(m[1]) : 0, text, closed };
}

beforeAll(async () => {
  accounts = createUsers(["ok"]);
  const u = accounts.users.ok!;
  rig = await servicesRig({
    serial: "SERVICES-LIMITS-1",
    toml: [
      "[services]",
      `socketGroup = ${accounts.group.gid}`,
      `readTimeoutMs = ${READ_TIMEOUT_MS}`,
      "[[principal]]",
      `uid = ${u.uid}`,
      'keys = ["device-id"]',
    ].join("\n"),
  });
  root = new Caller(rig.sockets);
  ok = new Caller(rig.sockets, u);
  await rig.agent.waitFor(trusted, 120_000);
  await until("the keys socket", async () =>
    (await root.call("keys", "GET", "/keypair/device-id").catch(() => undefined))?.status === 200 ? true : undefined,
  );
  deviceHandle = (await root.call("keys", "GET", "/keypair/device-id")).body.keyHandle;
}, 180_000);

afterAll(async () => {
  await rig?.dispose();
  accounts?.remove();
  removeTempRoots();
});

const signBody = () => JSON.stringify({ keyHandle: deviceHandle, algorithm: "ECDSA", parameters: { digest: Buffer.alloc(32, 7).toString("base64") } });
const head = (method: string, path: string, extra: string) => `${method} ${path} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`;

describe("request limits of the services", () => {
  test("an oversized body is refused with 413, by its length before it is sent, and once a chunked one grows too big", async () => {
    const early = await raw(rig.sockets.keys, [
      head("POST", "/sign?api-version=2021-05-01", `Content-Type: application/json\r\nContent-Length: ${10 << 20}\r\n`),
    ]);
    expect(early).toMatchObject({ status: 413, closed: true });
    expect(early.text).toContain('{"message":"request body larger than 65536 bytes"}');
    const chunk = Buffer.alloc(32 * 1024, 0x61);
    const chunked = await raw(rig.sockets.keys, [
      head("POST", "/sign?api-version=2021-05-01", "Transfer-Encoding: chunked\r\n"),
      ...Array.from({ length: 4 }, () => Buffer.concat([Buffer.from("8000\r\n"), chunk, Buffer.from("\r\n")])),
    ]);
    expect(chunked).toMatchObject({ status: 413, closed: true });
    // curl sends Expect: 100-continue for a large body and gets the 413 instead of a go-ahead.
    const big = JSON.stringify({ keyHandle: "x".repeat(1 << 20) });
    const p = Bun.spawn(
      [
        "curl",
        "-sS",
        "--unix-socket",
        rig.sockets.keys,
        "-H",
        "Content-Type: application/json",
        "--data-binary",
        "@-",
        "-w",
        "\n%{http_code}",
        "http://localhost/sign?api-version=2021-05-01",
      ],
      { stdin: new TextEncoder().encode(big), stdout: "pipe" },
    );
    expect((await new Response(p.stdout).text()).split("\n").at(-1)).toBe("413");
    // A head that never ends is refused as well.
    expect((await raw(rig.sockets.keys, [`GET /keypair/device-id?api-version=2021-05-01 HTTP/1.1\r\nX: ${"a".repeat(20_000)}`])).status).toBe(431);
  }, 60_000);

  test("a request that trickles in is answered 408 once the read time is up; idle connections are closed", async () => {
    const body = signBody();
    const text = head("POST", "/sign?api-version=2021-05-01", `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n`) + body;
    const slow = await raw(rig.sockets.keys, text.split(""), { pauseMs: 50, timeoutMs: 20_000 });
    expect(slow).toMatchObject({ status: 408, closed: true });
    expect(slow.text).toContain(`request not received within ${READ_TIMEOUT_MS} ms`);
    const idle = await Promise.all(Array.from({ length: 200 }, () => raw(rig.sockets.keys, [], { timeoutMs: 20_000 })));
    expect(idle.every((a) => a.closed && a.status === 0)).toBe(true);
  }, 60_000);

  test(`${CONNECTIONS} concurrent connections are each answered or refused with 429, another uid is still served, and the agent stays healthy and attesting`, async () => {
    const uuid = (await rig.agent.status())!.device.uuid!;
    const quotesBefore = attestCount(rig.ctl, uuid, QUOTE);
    const body = signBody();
    const request =
      head("POST", "/sign?api-version=2021-05-01", `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n`) + body;
    const flood = Promise.all(Array.from({ length: CONNECTIONS }, () => raw(rig.sockets.keys, [request], { timeoutMs: 90_000 })));
    // Meanwhile another uid gets its own share of the cap.
    const other = await ok.call("keys", "POST", "/sign", JSON.parse(body));
    const answers = await flood;
    const counts = new Map<number, number>();
    for (const a of answers) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
    console.log(`${CONNECTIONS} concurrent sign requests: ${[...counts].map(([s, n]) => `${n} x ${s || "no answer"}`).join(", ")}`);
    expect(other.status).toBe(200);
    expect([...counts.keys()].filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(counts.get(200) ?? 0).toBeGreaterThanOrEqual(10);
    expect(answers.every((a) => a.closed)).toBe(true);
    const refusedLines = logLines(rig.agent).filter((l) => l.msg === "too many concurrent requests; refusing");
    if ((counts.get(429) ?? 0) > 0) expect(refusedLines.length).toBeGreaterThanOrEqual(1);
    // Throttled logging: a flood is a few lines, not one per refusal.
    expect(refusedLines.length).toBeLessThan(20);

    // Healthy: the status and the services answer, the signature still verifies.
    const s = await rig.agent.status();
    expect(s?.device.onboarded).toBe(true);
    expect((await root.call("keys", "GET", "/keypair/device-id")).status).toBe(200);
    expect((await ok.call("keys", "POST", "/sign", JSON.parse(body))).status).toBe(200);
    // Attesting: the controller drops the token; the agent attests again with a fresh quote.
    rig.ctl.controller.state.devices.get(uuid)!.integrityToken = "revoked-by-test";
    await until("a new quote", () => (attestCount(rig.ctl, uuid, QUOTE) > quotesBefore ? true : undefined), 90_000);
    await rig.agent.waitFor((st) => st.attestation.state === "Complete" && st.attestation.tokenPresent === true, 90_000);
    expect(rig.agent.proc.exitCode).toBeNull();
  }, 300_000);
});
