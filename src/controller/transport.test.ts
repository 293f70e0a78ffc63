import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type RunningController, startTestController } from "../../test/controller/index.ts";
import { httpExchange, TransportError, type TransportOptions } from "./transport.ts";

let wrongName: RunningController;
let rightName: RunningController;

beforeAll(async () => {
  [wrongName, rightName] = await Promise.all([startTestController({ hosts: ["wrong.example"] }), startTestController({})]);
});

afterAll(async () => {
  for (const c of [wrongName, rightName]) await c?.cleanup();
});

const opts = (ca: string): TransportOptions => ({ ca, dialTimeoutMs: 10_000, sendTimeoutMs: 20_000, maxResponseBytes: 1 << 20 });

async function kind(host: string, c: RunningController, ca = c.pki.trustPem): Promise<string> {
  try {
    const res = await httpExchange({ method: "GET", url: new URL(`https://${host}:${c.port}/api/v2/edgedevice/certs`), headers: {} }, opts(ca));
    return `answered ${res.status}`;
  } catch (e) {
    return e instanceof TransportError ? e.kind : `not a TransportError: ${String(e)}`;
  }
}

describe("TLS failures are told apart", () => {
  test("a trusted controller cert for another name is controller.cert-hostname", async () => {
    expect(await kind("127.0.0.1", wrongName)).toBe("controller.cert-hostname");
    expect(await kind("localhost", wrongName)).toBe("controller.cert-hostname");
  });

  test("a cert from a CA outside the trust anchors is still controller.cert-unknown-authority", async () => {
    expect(await kind("127.0.0.1", rightName, wrongName.pki.trustPem)).toBe("controller.cert-unknown-authority");
  });

  test("the same client gets an answer when the name matches", async () => {
    expect(await kind("127.0.0.1", rightName)).toBe("answered 200");
  });
});
