// `edge-agent check`'s controller ping over real TLS to the test controller:
// it tries root-certificate.pem alone first and the system pool only when
// that root does not anchor the controller's chain, so its verdict must stay
// the one the agent's whole trust (root + pool) gives.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runChecks } from "../../../src/check/index.ts";
import { loadConfig } from "../../../src/config/index.ts";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { removeTempRoots, tempRoot, writeDeviceConfig } from "../../harness/device.ts";
import { OpensslDir } from "../../harness/openssl-ca.ts";

let ctl: RunningController;
let other: OpensslDir;
let otherRootPem: string;
beforeAll(async () => {
  ctl = await startTestController();
  other = new OpensslDir();
  otherRootPem = (await other.certAsync("other-root", { subject: "/O=Elsewhere/CN=unrelated root", profile: "ca" })).pem;
});
afterAll(async () => {
  await ctl.cleanup();
  other.remove();
  removeTempRoots();
});

/** The controller result of runChecks on a device trusting `rootPem`, with `pool` as the system CA bundle. */
async function controllerResult(rootPem: string, pool: string) {
  const root = tempRoot("edge-agent-check-ctl-");
  writeDeviceConfig(root, { server: ctl.server, rootCertPem: rootPem });
  const bundle = join(root, "pool.pem");
  writeFileSync(bundle, pool);
  writeFileSync(join(root, "agent.toml"), `root = ${JSON.stringify(root)}\n[tpm]\nmode = "off"\n`);
  const cfg = loadConfig({ file: join(root, "agent.toml"), env: {} });
  const results = await runChecks(cfg, join(root, "no-agent.sock"), new Date(), { systemBundles: [bundle] });
  return results.find((r) => r.name === "controller");
}

describe("edge-agent check: controller trust", () => {
  test("the controller's root in root-certificate.pem: reached", async () => {
    expect(await controllerResult(ctl.pki.trustPem, otherRootPem)).toEqual({ name: "controller", verdict: "ok", detail: "GET /ping answered 200" });
  });

  test("the controller's root only in the system pool: reached through the pool, as the agent would", async () => {
    expect(await controllerResult(otherRootPem, ctl.pki.trustPem)).toEqual({ name: "controller", verdict: "ok", detail: "GET /ping answered 200" });
  });

  test("the controller's root in neither: refused as an unknown authority", async () => {
    const r = await controllerResult(otherRootPem, otherRootPem);
    expect(r?.verdict).toBe("fail");
    expect(r?.detail).toStartWith("controller.cert-unknown-authority: server certificate not trusted");
  });
});
