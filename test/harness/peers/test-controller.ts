/** The in-repo test controller (test/controller) as a ControllerPeer. */
import { startTestController } from "../../controller/index.ts";
import type { StoredKeysJson } from "../admin/index.ts";
import type { ControllerPeer } from "./peer.ts";

export async function startTestControllerPeer(): Promise<ControllerPeer> {
  const ctl = await startTestController();
  const record = (uuid: string) => {
    const d = ctl.controller.state.devices.get(uuid);
    if (!d) throw new Error(`the test controller has no device ${uuid}`);
    return d;
  };
  const refusals = () => [
    ...ctl.controller.registerRefusals.map((r) => `register refused: ${r}`),
    ...ctl.controller.quoteRefusals.map((r) => `quote refused: ${r}`),
  ];
  return {
    kind: "test-controller",
    client: ctl.client,
    fetch: ctl.fetch,
    agentTimers: {},
    differs: () => false,
    deviceFiles: async (onboard) => ({ server: ctl.server, rootCertPem: ctl.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } }),
    settled: (_what, read) => read(),
    async storedKeys(uuid) {
      // An extension route: Adam keeps storage-keys.json on disk only.
      const res = await ctl.admin(`/device/${uuid}/storage-keys`);
      if (res.status !== 200) throw new Error(`storage-keys of ${uuid} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as StoredKeysJson;
    },
    registeredAtMs: (uuid) => record(uuid).registeredAtMs,
    registerRefusals: () => [...ctl.controller.registerRefusals],
    quoteRefusals: () => [...ctl.controller.quoteRefusals],
    async unreachable(body) {
      // Stopped, it refuses connections; restart() keeps the port and every record.
      ctl.stop();
      try {
        return await body();
      } finally {
        ctl.restart();
      }
    },
    log: () => refusals().join("\n"),
    stop: () => ctl.cleanup(),
  };
}
