/**
 * The controller suite's driver: the same scenarios, declared once, run
 * against every EVE controller implementation the project has (the in-repo
 * test controller and the real Adam), in the spirit of hono's
 * router/common.case.test.ts.
 */
import { beforeAll, describe } from "bun:test";
import { type AdamInstall, installAdam } from "../adam/index.ts";
import { startAdamPeer } from "./adam.ts";
import type { ControllerPeer, PeerKind } from "./peer.ts";
import { startTestControllerPeer } from "./test-controller.ts";

export type { ControllerPeer, PeerKind } from "./peer.ts";

/** Every controller the suites run against, with the name their describe titles use. */
export const PEERS: readonly { kind: PeerKind; title: string }[] = [
  { kind: "test-controller", title: "the test controller" },
  { kind: "adam", title: "Adam" },
];

/**
 * A cold `go install` of Adam downloads and compiles its dependencies (about
 * 30 s here); only the first describe of a run pays it.
 */
export const INSTALL_TIMEOUT_MS = 10 * 60_000;

export interface PeerFactory {
  readonly kind: PeerKind;
  /** "the test controller" or "Adam". */
  readonly title: string;
  /** A new controller of this kind; the caller stops it. */
  start(): Promise<ControllerPeer>;
}

/**
 * Declares `suite` once per controller, titled `<title> against <the
 * controller>`. Adam is built in that describe's beforeAll: without Go (and
 * no cached build) Adam's tests fail, never skip, and the test controller's
 * still run. `bun test -t "against the test controller"` runs one side.
 */
export function describeEachPeer(title: string, suite: (peers: PeerFactory) => void): void {
  describe.each(PEERS.map((p) => [p.title, p.kind] as const))(`${title} against %s`, (peerTitle, kind) => {
    let install: AdamInstall | undefined;
    if (kind === "adam") {
      beforeAll(async () => {
        install = await installAdam();
        console.log(`adam ${install.version} (${install.pinned ? "pinned" : "fallback"}): ${install.cached ? "cached" : "built"} in ${install.ms} ms`);
      }, INSTALL_TIMEOUT_MS);
    }
    suite({
      kind,
      title: peerTitle,
      async start() {
        if (kind === "test-controller") return await startTestControllerPeer();
        if (!install) throw new Error("describeEachPeer: Adam is started before its install ran (call start() in a hook or test)");
        return await startAdamPeer(install);
      },
    });
  });
}
