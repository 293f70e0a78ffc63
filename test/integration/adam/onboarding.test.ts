/**
 * Onboarding against the real Adam controller (issue #6). Our own test
 * controller could share a misreading of the protocol with the agent; Adam
 * cannot, so every assertion here is about what Adam recorded (admin API,
 * its log, its file-driver tree), with the agent's files used only where the
 * issue asks about them (the persisted UUID) and its wire dump only to name
 * the HTTP status Adam answered.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Adam } from "../../harness/adam.ts";
import {
  SCENARIO_TIMEOUT_MS as T,
  onboardedOnAdam,
  pemDer,
  persistedUuid,
  registerRefusals,
  requestsFor,
  until,
  useAdamRig,
  wireExchanges,
} from "./fixture.ts";

const rig = useAdamRig();

/** Adam's answer to /register for an unknown onboarding cert or serial: 403 at the pin, 401 in v0.1.3. */
function unknownCertStatus(): number {
  return rig.install.pinned ? 403 : 401;
}

/**
 * Onboards a device, stops the agent cleanly, boots it again and waits until
 * Adam has answered the second boot's /uuid. Returns the status Adam gave the
 * second boot's first /register (null when the connection broke instead).
 */
async function onboardThenReboot(adam: Adam, serial: string) {
  const onboard = await rig.onboardingCert();
  await adam.admin.onboardAdd(onboard.certPem, [serial]);
  const dev = await rig.device(adam, onboard, serial);
  const first = rig.boot(dev);
  const uuid = await onboardedOnAdam(adam, dev, first);
  certOnAdam.set(uuid, (await adam.admin.deviceGet(uuid))!.certPem);
  expect(await first.agent.stop()).toBe(0);
  const refusalsBefore = registerRefusals(adam).length;

  const bootedAt = Date.now();
  const run = rig.boot(dev);
  // Adam answering this boot's device-signed /uuid with 200 is the sign that
  // the second boot got past onboarding without the fast path. (Adam's own
  // requests dump is unreliable here: with --cert-refresh 0, v0.1.3 opens a new
  // request file per request, named to the second, and its dump answers 400
  // while files rotate under it.)
  void bootedAt;
  await until(run, "the second boot's /uuid exchange to be recorded", () =>
    wireExchanges(run.wireDir).some((x) => x.action === "uuid" && x.status === 200),
  );
  const register = wireExchanges(run.wireDir).filter((x) => x.action === "register");
  expect(register.length).toBeGreaterThanOrEqual(1);
  const status = register[0]!.status;
  console.log(
    `adam ${rig.install.version}: repeated /register answered ${status ?? `nothing (${register[0]!.error})`}; ` +
      `Adam logged: ${registerRefusals(adam).slice(refusalsBefore).join(" | ") || tail(adam.log(), "panic")}`,
  );
  return { uuid, second: { ...run, dev }, status };
}

/** Device certs Adam held after the first boot, to prove a reboot changed nothing. */
const certOnAdam = new Map<string, string>();

async function expectSameDevice(adam: Adam, uuid: string, root: string): Promise<void> {
  expect(await adam.admin.deviceList()).toEqual([uuid]);
  expect(pemDer((await adam.admin.deviceGet(uuid))!.certPem)).toEqual(pemDer(certOnAdam.get(uuid)!));
  expect(persistedUuid(root)).toBe(uuid);
}

/** The first line of Adam's log that mentions `word`, for the scenario's console record. */
function tail(log: string, word: string): string {
  return log.split("\n").find((l) => l.includes(word)) ?? "(nothing)";
}

describe("onboarding against Adam", () => {
  test(
    "Adam lists the device with its onboarding cert and serial, and the agent persists Adam's UUID",
    rig.diagnosed(async () => {
      const adam = await rig.startAdam();
      const onboard = await rig.onboardingCert();
      await adam.admin.onboardAdd(onboard.certPem, ["ADAM-SN-1"]);
      const dev = await rig.device(adam, onboard, "ADAM-SN-1");
      const run = rig.boot(dev);

      const uuid = await onboardedOnAdam(adam, dev, run);
      expect(await adam.admin.deviceList()).toEqual([uuid]);
      const entry = (await adam.admin.deviceGet(uuid))!;
      expect(pemDer(entry.onboardPem ?? "")).toEqual(pemDer(onboard.certPem));
      expect(entry.serial).toBe("ADAM-SN-1");
      // Adam stored the device cert the agent generated, byte for byte.
      expect(pemDer(entry.certPem)).toEqual(pemDer(readFileSync(join(dev.root, "config", "device.cert.pem"), "utf8")));
      expect(persistedUuid(dev.root)).toBe(uuid);
    }),
    T,
  );

  // The 409 answer the reference describes for a rebooting device needs Adam to
  // reload its device list (--cert-refresh 0); v0.1.3 then races its own
  // request/options files under the agent's concurrent calls and fails at
  // random, so that variant waits for the pinned Adam. The scenario below
  // covers the restart with v0.1.3's actual answer (a dropped connection).
  test(
    "the agent comes back with the same UUID when Adam drops the repeated /register right after onboarding",
    rig.diagnosed(async () => {
      // Default --cert-refresh (60 s): the device is still the one Adam
      // registered in memory, without its onboarding cert, and v0.1.3's
      // serial-reuse check dereferences that nil cert. The handler panics,
      // Go's server drops the connection, and the device must carry on with
      // /uuid as EVE's zedclient does.
      const adam = await rig.startAdam();
      const { uuid, second, status } = await onboardThenReboot(adam, "ADAM-SN-6");
      if (status === null) {
        expect(adam.log()).toContain("http: panic serving");
        expect(adam.log()).toContain("getOnboardSerialDevice");
      } else {
        expect([409, 403, 500]).toContain(status);
      }
      if (!rig.install.pinned) expect(status).toBeNull();
      // One tick was enough: the failed /register did not hold back /uuid.
      expect(wireExchanges(second.wireDir).map((x) => x.action).slice(0, 3)).toEqual(["certs", "register", "uuid"]);
      await expectSameDevice(adam, uuid, second.dev.root);
    }),
    T,
  );

  test(
    "Adam's request log shows /uuid as the first authenticated call, after the device was registered",
    rig.diagnosed(async () => {
      const adam = await rig.startAdam();
      const onboard = await rig.onboardingCert();
      await adam.admin.onboardAdd(onboard.certPem, ["ADAM-SN-3"]);
      const dev = await rig.device(adam, onboard, "ADAM-SN-3");
      const run = rig.boot(dev);
      const uuid = await onboardedOnAdam(adam, dev, run);

      // Adam records only calls it could tie to a device (a valid device-cert
      // envelope), so /certs and /register never appear: the device does not
      // exist yet when they arrive, and they are not signed with its key.
      const records = await until(run, "Adam to record the device's first request", async () => {
        const r = await adam.admin.deviceRequests(uuid);
        return r.length > 0 ? r : undefined;
      });
      console.log(`adam ${rig.install.version}: requests after onboarding: ${records.map((r) => `${r.method} ${r.url}`).join(", ")}`);
      const first = records[0]!;
      expect(first.method).toBe("POST");
      // EVE asks for its UUID on the global endpoint, without id/<uuid>/.
      expect(first.url).toBe("/api/v2/edgedevice/uuid");
      expect(first.uuid).toBe(uuid);
      expect(first["client-ip"]).toMatch(/^127\.0\.0\.1:\d+$/);
      for (const r of records) expect(r.uuid).toBe(uuid);
      // Per-device calls that may follow /uuid (config, attest, info, ...)
      // must carry the UUID Adam assigned in their path.
      for (const r of records.slice(1)) {
        if (!r.url.endsWith("/uuid")) expect(r.url).toStartWith(`/api/v2/edgedevice/id/${uuid}/`);
      }

      // Registration time from Adam's own tree: the file driver writes the
      // device cert when /register creates the device.
      const registeredAt = statSync(join(adam.dbDir, "device", uuid, "device-certificate.pem")).mtimeMs;
      expect(Date.parse(first.timestamp)).toBeGreaterThanOrEqual(Math.floor(registeredAt));

      // What Adam cannot log, the wire dump shows: /certs, then /register, then /uuid.
      const sent = wireExchanges(run.wireDir);
      expect(sent.slice(0, 3).map((x) => [x.action, x.status])).toEqual([
        ["certs", 200],
        ["register", 201],
        ["uuid", 200],
      ]);
      // Every /uuid the agent got an answer to is one Adam logged.
      expect(requestsFor(records, "uuid").length).toBe(sent.filter((x) => x.action === "uuid" && x.status === 200).length);
    }),
    T,
  );

  test(
    "the agent keeps retrying while Adam does not know the onboarding cert and onboards once it is added",
    rig.diagnosed(async () => {
      const adam = await rig.startAdam();
      const onboard = await rig.onboardingCert();
      const dev = await rig.device(adam, onboard, "ADAM-SN-4");
      const run = rig.boot(dev);

      await until(run, "Adam to refuse /register at least twice", () =>
        // Both sides: Adam logs a refusal before the agent's wire dump has the answer written.
        registerRefusals(adam).length >= 2 && wireExchanges(run.wireDir).filter((x) => x.action === "register" && x.status !== null).length >= 2,
      );
      const refused = wireExchanges(run.wireDir).filter((x) => x.action === "register" && x.status !== null);
      expect(refused.length).toBeGreaterThanOrEqual(2);
      console.log(
        `adam ${rig.install.version}: unknown onboarding cert: /register answered ${[...new Set(refused.map((x) => x.status))].join(",")}; ` +
          `Adam logged: ${registerRefusals(adam)[0]}`,
      );
      for (const x of refused) expect(x.status).toBe(unknownCertStatus());
      expect(registerRefusals(adam)[0]).toContain("failed authentication");
      expect(await adam.admin.deviceList()).toEqual([]);
      expect(persistedUuid(dev.root)).toBeUndefined();

      await adam.admin.onboardAdd(onboard.certPem, ["ADAM-SN-4"]);
      const uuid = await onboardedOnAdam(adam, dev, run);
      expect((await adam.admin.deviceGet(uuid))!.serial).toBe("ADAM-SN-4");
      expect(persistedUuid(dev.root)).toBe(uuid);
      const registers = wireExchanges(run.wireDir).filter((x) => x.action === "register");
      expect(registers.at(-1)!.status).toBe(201);
    }),
    T,
  );

  test(
    "the agent keeps retrying while Adam does not list its serial and onboards once the serial is added",
    rig.diagnosed(async () => {
      const adam = await rig.startAdam();
      const onboard = await rig.onboardingCert();
      await adam.admin.onboardAdd(onboard.certPem, ["SOMEONE-ELSE"]);
      const dev = await rig.device(adam, onboard, "ADAM-SN-5");
      const run = rig.boot(dev);

      await until(run, "Adam to refuse /register at least twice", () =>
        // Both sides: Adam logs a refusal before the agent's wire dump has the answer written.
        registerRefusals(adam).length >= 2 && wireExchanges(run.wireDir).filter((x) => x.action === "register" && x.status !== null).length >= 2,
      );
      expect(registerRefusals(adam)[0]).toContain("ADAM-SN-5");
      for (const x of wireExchanges(run.wireDir).filter((x) => x.action === "register" && x.status !== null)) {
        expect(x.status).toBe(unknownCertStatus());
      }
      expect(await adam.admin.deviceList()).toEqual([]);

      // Adam's admin API cannot edit a serial list: replace the entry.
      await adam.admin.onboardRemove(onboard.cn);
      await adam.admin.onboardAdd(onboard.certPem, ["SOMEONE-ELSE", "ADAM-SN-5"]);
      const uuid = await onboardedOnAdam(adam, dev, run);
      expect((await adam.admin.deviceGet(uuid))!.serial).toBe("ADAM-SN-5");
      expect(persistedUuid(dev.root)).toBe(uuid);
    }),
    T,
  );
});
