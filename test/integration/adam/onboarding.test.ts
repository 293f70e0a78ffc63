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
import { ADAM_V013_DIFFERENCES } from "../../harness/adam.ts";
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

  test(
    "Adam refuses the repeated /register after a restart, and the agent comes back with the same UUID",
    rig.diagnosed(async () => {
      const adam = await rig.startAdam();
      const onboard = await rig.onboardingCert();
      await adam.admin.onboardAdd(onboard.certPem, ["ADAM-SN-2"]);
      const dev = await rig.device(adam, onboard, "ADAM-SN-2");
      const first = rig.boot(dev);
      const uuid = await onboardedOnAdam(adam, dev, first);
      const certBefore = (await adam.admin.deviceGet(uuid))!.certPem;
      expect(await first.agent.stop()).toBe(0);
      const uuidCallsBefore = requestsFor(await adam.admin.deviceRequests(uuid), "uuid").length;
      const refusalsBefore = registerRefusals(adam).length;

      const second = rig.boot(dev);
      // The second boot is done with onboarding once Adam has answered
      // another authenticated /uuid for the same device.
      await until(second, "a second /uuid from the device on Adam", async () => {
        return requestsFor(await adam.admin.deviceRequests(uuid), "uuid").length > uuidCallsBefore;
      });
      await until(second, "the second boot to persist its UUID", () => wireExchanges(second.wireDir).some((x) => x.action === "uuid" && x.status === 200));

      const register = wireExchanges(second.wireDir).filter((x) => x.action === "register");
      expect(register.length).toBeGreaterThanOrEqual(1);
      const status = register[0]!.status;
      console.log(`adam ${rig.install.version}: repeated /register answered ${status}; Adam logged: ${registerRefusals(adam).slice(refusalsBefore).join(" | ")}`);
      // 409 = same onboarding cert and serial already used; 403/500 are what
      // the pin answers when a soft serial is also sent (reference-controller.md 3.6).
      expect([409, 403, 500]).toContain(status!);
      // v0.1.3 and the pin agree on the case this agent produces: serial only, no soft serial.
      expect(status).toBe(409);
      expect(registerRefusals(adam).slice(refusalsBefore).join("\n")).toContain("used serial");

      expect(await adam.admin.deviceList()).toEqual([uuid]);
      expect(pemDer((await adam.admin.deviceGet(uuid))!.certPem)).toEqual(pemDer(certBefore));
      expect(persistedUuid(dev.root)).toBe(uuid);
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

      await until(run, "Adam to refuse /register at least twice", () => registerRefusals(adam).length >= 2);
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

      await until(run, "Adam to refuse /register at least twice", () => registerRefusals(adam).length >= 2);
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

test("the harness knows which Adam build it is talking to", () => {
  // A fallback build is a weaker peer than the pin; make that visible in CI output.
  if (!rig.install.pinned) console.warn(`Adam fallback ${rig.install.version} in use; differences from the pin: ${ADAM_V013_DIFFERENCES.join("; ")}`);
  expect(rig.install.version.length).toBeGreaterThan(0);
});
