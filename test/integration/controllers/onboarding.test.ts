/**
 * Onboarding, written once and run against each controller (the in-repo
 * test controller and the real Adam). The test controller could share a
 * misreading of the protocol with the agent; Adam cannot. So each scenario
 * asserts both sides: what the controller recorded (admin API, its own
 * records) and what the device reports, with the wire dump naming the HTTP
 * status the controller answered. Where Adam v0.1.3 differs from the
 * reference, the scenario names the difference and asserts its alternative.
 */
import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ControllerPeer, describeEachPeer } from "../../harness/peers/index.ts";
import { wireExchanges } from "../../harness/wire.ts";
import { type AgentRun, onboardedOn, pemDer, persistedUuid, requestsFor, SCENARIO_TIMEOUT_MS as T, until, useControllerRig } from "./rig.ts";

/** The answer to /register for an unknown onboarding cert or serial. */
function unknownCertStatus(peer: ControllerPeer): number {
  return peer.differs("register-unknown-401") ? 401 : 403;
}

/** The /register exchanges that got an HTTP answer. */
const answeredRegisters = (run: AgentRun) => wireExchanges(run.wireDir).filter((x) => x.action === "register" && x.status !== null);

describeEachPeer("onboarding", (peers) => {
  const rig = useControllerRig(peers);

  /** A fresh controller and a device with serial `serial` whose onboarding cert the controller lists for `listed` (none: unknown). */
  async function setUp(serial: string, listed?: string[]) {
    const peer = await rig.controller();
    const onboard = await rig.onboardingCert();
    if (listed) await peer.client.onboardAdd(onboard.certPem, listed);
    const dev = await rig.device(peer, onboard, serial);
    return { peer, onboard, dev };
  }

  test(
    "the controller lists the device with its onboarding cert and serial and logs /uuid as its first authenticated call, and the agent persists its UUID",
    rig.diagnosed(async () => {
      const { peer, onboard, dev } = await setUp("SN-1", ["SN-1"]);
      const run = rig.boot(peer, dev);

      const uuid = await onboardedOn(peer, dev, run);
      expect(await peer.client.deviceList()).toEqual([uuid]);
      const entry = (await peer.client.deviceGet(uuid))!;
      expect(pemDer(entry.onboardPem ?? "")).toEqual(pemDer(onboard.certPem));
      expect(entry.serial).toBe("SN-1");
      // The controller stored the device cert the agent generated, byte for byte.
      expect(pemDer(entry.certPem)).toEqual(pemDer(readFileSync(join(dev.root, "config", "device.cert.pem"), "utf8")));
      expect(readFileSync(join(dev.root, "persist/status/uuid"), "utf8")).toBe(`${uuid}\n`);
      const s = await run.agent.waitFor((s) => s.device.onboarded);
      expect(s.device.uuid).toBe(uuid);
      expect(existsSync(join(dev.root, "persist/checkpoint/controllercerts"))).toBe(true);
      expect(existsSync(join(dev.root, "persist/status/zedclient/OnboardingStatus/global.json"))).toBe(true);

      // The controller records only calls it could tie to a device (a valid
      // device-cert envelope), so /certs and /register never appear: the
      // device does not exist yet when they arrive, and they are not signed with its key.
      const records = await until(run, "the controller to record the device's first request", async () => {
        const r = await peer.settled("requests", () => peer.client.deviceRequests(uuid));
        return r.length > 0 ? r : undefined;
      });
      console.log(`${peers.title}: requests after onboarding: ${records.map((r) => `${r.method} ${r.url}`).join(", ")}`);
      const first = records[0]!;
      expect(first.method).toBe("POST");
      // EVE asks for its UUID on the global endpoint, without id/<uuid>/.
      expect(first.url).toBe("/api/v2/edgedevice/uuid");
      expect(first.uuid).toBe(uuid);
      expect(first["client-ip"]).toMatch(/^127\.0\.0\.1:\d+$/);
      for (const r of records) expect(r.uuid).toBe(uuid);
      // Per-device calls that may follow /uuid (config, attest, info, ...)
      // must carry the assigned UUID in their path.
      for (const r of records.slice(1)) {
        if (!r.url.endsWith("/uuid")) expect(r.url).toStartWith(`/api/v2/edgedevice/id/${uuid}/`);
      }
      expect(Date.parse(first.timestamp)).toBeGreaterThanOrEqual(Math.floor(peer.registeredAtMs(uuid)));

      // What the controller cannot log, the wire dump shows: /certs, then /register, then /uuid.
      const sent = wireExchanges(run.wireDir);
      expect(sent.slice(0, 3).map((x) => [x.action, x.status])).toEqual([
        ["certs", 200],
        ["register", 201],
        ["uuid", 200],
      ]);
      // Every /uuid the agent got an answer to is one the controller logged.
      expect(requestsFor(records, "uuid").length).toBe(sent.filter((x) => x.action === "uuid" && x.status === 200).length);
    }),
    T,
  );

  test(
    "the agent comes back with the same identity and UUID when restarted, whatever the controller answers to the repeated /register",
    rig.diagnosed(async () => {
      // Default --cert-refresh (60 s) for Adam: the device is still the one
      // registered in memory, which v0.1.3 keeps without its onboarding cert.
      const { peer, dev } = await setUp("SN-2", ["SN-2"]);
      const first = rig.boot(peer, dev);
      const uuid = await onboardedOn(peer, dev, first);
      const certOnController = (await peer.client.deviceGet(uuid))!.certPem;
      const cert1 = readFileSync(join(dev.root, "config/device.cert.pem"));
      const key1 = readFileSync(join(dev.root, "config/device.key.pem"));
      expect(await first.agent.stop()).toBe(0);
      const refusalsBefore = peer.registerRefusals().length;

      const second = rig.boot(peer, dev);
      // The controller answering this boot's device-signed /uuid with 200 is the
      // sign that the second boot got past onboarding without the fast path.
      await until(second, "the second boot's /uuid exchange to be recorded", () =>
        wireExchanges(second.wireDir).some((x) => x.action === "uuid" && x.status === 200),
      );
      const s = await second.agent.waitFor((s) => s.device.onboarded);
      const register = wireExchanges(second.wireDir).filter((x) => x.action === "register");
      expect(register.length).toBeGreaterThanOrEqual(1);
      const status = register[0]!.status;
      console.log(
        `${peers.title}: repeated /register answered ${status ?? `nothing (${register[0]!.error})`}; ` +
          `the controller recorded: ${
            peer.registerRefusals().slice(refusalsBefore).join(" | ") ||
            peer
              .log()
              .split("\n")
              .find((l) => l.includes("panic")) ||
            "(nothing)"
          }`,
      );
      if (peer.differs("register-repeat-panics")) {
        // The serial-reuse check dereferences the missing onboarding cert, the handler
        // panics and Go's server drops the connection; the device carries on with /uuid as EVE's zedclient does.
        expect(status).toBeNull();
        expect(peer.log()).toContain("http: panic serving");
        expect(peer.log()).toContain("getOnboardSerialDevice");
      } else {
        // Same onboarding cert and serial again.
        expect(status).toBe(409);
        expect(s.onboarding.lastRegisterStatus).toBe(409);
        expect(peer.registerRefusals().slice(refusalsBefore)[0]).toContain("used serial");
      }
      // One tick was enough: the refused /register did not hold back /uuid.
      expect(
        wireExchanges(second.wireDir)
          .map((x) => x.action)
          .slice(0, 3),
      ).toEqual(["certs", "register", "uuid"]);
      expect(s.device.uuid).toBe(uuid);
      expect(await peer.client.deviceList()).toEqual([uuid]);
      expect(pemDer((await peer.client.deviceGet(uuid))!.certPem)).toEqual(pemDer(certOnController));
      expect(persistedUuid(dev.root)).toBe(uuid);
      expect(readFileSync(join(dev.root, "config/device.cert.pem")).equals(cert1)).toBe(true);
      expect(readFileSync(join(dev.root, "config/device.key.pem")).equals(key1)).toBe(true);
    }),
    T,
  );

  test(
    "the agent keeps retrying while the controller does not know the onboarding cert and onboards once it is added",
    rig.diagnosed(async () => {
      const { peer, onboard, dev } = await setUp("SN-3");
      const run = rig.boot(peer, dev);

      await until(
        run,
        "the controller to refuse /register at least twice",
        () =>
          // Both sides: the controller records a refusal before the agent's wire dump has the answer written.
          peer.registerRefusals().length >= 2 && answeredRegisters(run).length >= 2,
      );
      const refused = answeredRegisters(run);
      console.log(
        `${peers.title}: unknown onboarding cert: /register answered ${[...new Set(refused.map((x) => x.status))].join(",")}; ` +
          `the controller recorded: ${peer.registerRefusals()[0]}`,
      );
      for (const x of refused) expect(x.status).toBe(unknownCertStatus(peer));
      expect(peer.registerRefusals()[0]).toContain("unknown onboarding certificate");
      const s = await run.agent.waitFor((s) => s.onboarding.lastRegisterStatus === unknownCertStatus(peer) && (s.onboarding.attempts ?? 0) >= 2);
      expect(s.device.onboarded).toBe(false);
      expect(await peer.client.deviceList()).toEqual([]);
      expect(persistedUuid(dev.root)).toBeUndefined();

      await peer.client.onboardAdd(onboard.certPem, ["SN-3"]);
      const uuid = await onboardedOn(peer, dev, run);
      expect((await peer.client.deviceGet(uuid))!.serial).toBe("SN-3");
      expect(persistedUuid(dev.root)).toBe(uuid);
      expect((await run.agent.waitFor((s) => s.device.onboarded)).device.uuid).toBe(uuid);
      expect(answeredRegisters(run).at(-1)!.status).toBe(201);
    }),
    T,
  );

  test(
    "the agent keeps retrying while the controller does not list its serial and onboards once the serial is added",
    rig.diagnosed(async () => {
      const { peer, onboard, dev } = await setUp("SN-4", ["SOMEONE-ELSE"]);
      const run = rig.boot(peer, dev);

      await until(run, "the controller to refuse /register at least twice", () => peer.registerRefusals().length >= 2 && answeredRegisters(run).length >= 2);
      expect(peer.registerRefusals()[0]).toContain("unknown serial: SN-4");
      for (const x of answeredRegisters(run)) expect(x.status).toBe(unknownCertStatus(peer));
      expect(await peer.client.deviceList()).toEqual([]);

      // The admin API cannot edit a serial list: replace the entry.
      await peer.client.onboardRemove(onboard.cn);
      await peer.client.onboardAdd(onboard.certPem, ["SOMEONE-ELSE", "SN-4"]);
      const uuid = await onboardedOn(peer, dev, run);
      expect((await peer.client.deviceGet(uuid))!.serial).toBe("SN-4");
      expect(persistedUuid(dev.root)).toBe(uuid);
    }),
    T,
  );
});
