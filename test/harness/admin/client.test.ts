/**
 * The admin client against both controllers that serve Adam's admin API: the
 * same calls give the same answers from Adam and from the test controller.
 */
import { afterEach, expect, test } from "bun:test";
import { type ControllerPeer, describeEachPeer } from "../peers/index.ts";
import { makeOnboardingCert, type OnboardingCert } from "../pki.ts";
import { AdminUnknownDeviceError } from "./index.ts";

// Any test may be the one that builds Adam first (about 30 s cold).
const T = 15 * 60_000;

describeEachPeer("AdminClient", (peers) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });
  async function controller(): Promise<ControllerPeer> {
    const p = await peers.start();
    cleanups.push(() => p.stop());
    return p;
  }
  async function cert(cn?: string): Promise<OnboardingCert> {
    const c = await makeOnboardingCert(cn ? { cn } : {});
    cleanups.push(c.cleanup);
    return c;
  }

  test(
    "lists an onboarding cert with its serials when added, and forgets it when removed",
    async () => {
      const peer = await controller();
      const { client } = peer;
      const onb = await cert("harness-onboard");
      expect(await client.onboardList()).toEqual([]);
      await client.onboardAdd(onb.certPem, ["SERIAL-1", "SERIAL-2"]);
      expect(await client.onboardList()).toEqual(["harness-onboard"]);
      expect(await client.onboardGet("harness-onboard")).toEqual({ certPem: onb.certPem, serials: ["SERIAL-1", "SERIAL-2"] });
      expect(await client.onboardGet("nobody")).toBeUndefined();
      await client.onboardRemove("harness-onboard");
      expect(await client.onboardList()).toEqual(peer.differs("onboard-remove-cached") ? ["harness-onboard"] : []);
    },
    T,
  );

  test(
    "rejects a cert that is not PEM when onboardAdd is given garbage",
    async () => {
      const { client } = await controller();
      await expect(client.onboardAdd("not a certificate", "S")).rejects.toThrow(/answered 400/);
    },
    T,
  );

  test(
    "returns device data and defaults when a device is pre-registered",
    async () => {
      const { client } = await controller();
      const dev = await cert("harness-device");
      await client.deviceAdd(dev.certPem, { serial: "SERIAL-9" });
      const [uuid, ...rest] = await client.deviceList();
      expect(rest).toEqual([]);
      expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(await client.deviceGet(uuid!)).toEqual({ certPem: dev.certPem, onboardPem: undefined, serial: "SERIAL-9" });
      expect(await client.deviceCerts(uuid!)).toBeUndefined();
      expect(await client.deviceRequests(uuid!)).toEqual([]);
      expect(await client.deviceInfo(uuid!)).toEqual([]);
      const opts = await client.deviceOptionsGet(uuid!);
      expect(opts.attested).toBe(false);
      await client.deviceOptionsPut(uuid!, { ...opts, integrityToken: "abc" });
      expect((await client.deviceOptionsGet(uuid!)).integrityToken).toBe("abc");
      expect(await client.globalOptionsGet()).toBeUndefined();
      await client.globalOptionsPut({ enforceTemplateAttestation: true, PCRTemplates: [] });
      expect((await client.globalOptionsGet())?.enforceTemplateAttestation).toBe(true);
    },
    T,
  );

  test(
    "refuses to query a UUID when the controller does not list it",
    async () => {
      const { client } = await controller();
      const t0 = performance.now();
      await expect(client.deviceInfo(crypto.randomUUID())).rejects.toThrow(AdminUnknownDeviceError);
      await expect(client.deviceInfo(crypto.randomUUID())).rejects.toThrow(/loop forever/);
      expect(performance.now() - t0).toBeLessThan(5000);
    },
    T,
  );
});
