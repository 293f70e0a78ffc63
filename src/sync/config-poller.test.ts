import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TransportError } from "../controller/index.ts";
import { codec, type EdgeDevConfig, type MessageInit } from "../protocol/index.ts";
import { silentLogger, utf8 } from "../shared/index.ts";
import { ConfigPoller, type ConfigPollerDeps } from "./config-poller.ts";
import type { ConfigSource } from "./config-status.ts";
import { configEnvelope, dummyKey, makeSigner, protoReply, reply, ScriptedPoster, TEST_UUID, TestCerts, type TestSigner } from "./sync.testkit.ts";

let dir: string;
let signer: TestSigner;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sync-config-"));
  signer = makeSigner();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cfg = (version: string, extra: MessageInit<EdgeDevConfig> = {}): MessageInit<EdgeDevConfig> => ({ id: { uuid: TEST_UUID, version }, ...extra });
const refused = () => {
  throw new TransportError("controller.refused", "connection refused");
};

function harness(poster: ScriptedPoster, over: Partial<ConfigPollerDeps> = {}) {
  const applied: { cfg: EdgeDevConfig; source: ConfigSource }[] = [];
  const hooks: string[] = [];
  const certs = new TestCerts(signer.cert);
  const poller = new ConfigPoller({
    client: poster,
    certs,
    deviceKey: dummyKey,
    token: () => utf8.encode("tok"),
    lastConfigPath: join(dir, "lastconfig"),
    intervalMs: 60_000,
    log: silentLogger,
    onConfig: (c, source) => {
      applied.push({ cfg: c, source });
    },
    onForbidden: () => hooks.push("forbidden"),
    onNotFound: () => hooks.push("not-found"),
    onCertMiss: () => hooks.push("cert-miss"),
    onCertsChanged: () => hooks.push("certs-changed"),
    onEpochChanged: () => hooks.push("epoch-changed"),
    ...over,
  });
  return { poller, applied, hooks, certs };
}

const fileBytes = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
const sentRequest = (poster: ScriptedPoster, i: number) => codec.ConfigRequest.decode(poster.calls[i]!.payload);

describe("ConfigPoller", () => {
  test("applies and checkpoints a verified config when the controller answers 200", async () => {
    const env = await configEnvelope(signer, cfg("1"), "h1");
    const poster = new ScriptedPoster([() => protoReply(env)]);
    const { poller, applied } = harness(poster);
    expect(await poller.pollOnce()).toBe("applied");
    expect(poster.calls[0]!.action).toBe("config");
    expect(sentRequest(poster, 0)).toEqual({ configHash: "", integrity_token: utf8.encode("tok") });
    expect(applied.map((a) => [a.cfg.id?.version, a.source])).toEqual([["1", "controller"]]);
    // The whole AuthContainer is kept, so it can be verified again at the next boot.
    expect(fileBytes(join(dir, "lastconfig"))).toEqual(env);
    expect(fileBytes(join(dir, "lastconfig.bak"))).toEqual(env);
    const s = poller.status;
    expect(s.lastOutcome).toBe("applied");
    expect(s.config).toMatchObject({ uuid: TEST_UUID, version: "1", hash: "h1", source: "controller" });
    expect(s.checkpoint.state).toBe("not-needed");
  });

  test("sends the remembered hash and treats 304 as unchanged", async () => {
    const poster = new ScriptedPoster([async () => protoReply(await configEnvelope(signer, cfg("1"), "h1")), () => reply(304)]);
    const { poller, applied } = harness(poster);
    await poller.pollOnce();
    expect(await poller.pollOnce()).toBe("unchanged");
    expect(sentRequest(poster, 1).configHash).toBe("h1");
    expect(applied).toHaveLength(1);
  });

  test("does not reapply when a 200 carries the remembered hash", async () => {
    const env = await configEnvelope(signer, cfg("1"), "h1");
    const poster = new ScriptedPoster([() => protoReply(env), () => protoReply(env)]);
    const { poller, applied } = harness(poster);
    await poller.pollOnce();
    expect(await poller.pollOnce()).toBe("unchanged");
    expect(applied).toHaveLength(1);
  });

  test("sends an empty token and leaves attestation alone when a 403 answers a request without a token", async () => {
    const poster = new ScriptedPoster([() => reply(403)]);
    const { poller, hooks } = harness(poster, { token: () => undefined });
    expect(await poller.pollOnce()).toBe("forbidden");
    expect(sentRequest(poster, 0).integrity_token.length).toBe(0);
    expect(hooks).toEqual([]);
    expect(poller.status.lastError?.message).toContain("no integrity token");
  });

  test("calls onForbidden when a 403 answers the token attestation holds", async () => {
    const { poller, hooks } = harness(new ScriptedPoster([() => reply(403)]));
    expect(await poller.pollOnce()).toBe("forbidden");
    expect(hooks).toEqual(["forbidden"]);
  });

  test("calls onForbidden when attestation got the same token value again while the request was out", async () => {
    let token = utf8.encode("tok");
    const poster = new ScriptedPoster([
      () => {
        token = utf8.encode("tok");
        return reply(403);
      },
    ]);
    const { poller, hooks } = harness(poster, { token: () => token });
    expect(await poller.pollOnce()).toBe("forbidden");
    expect(hooks).toEqual(["forbidden"]);
  });

  test.each([
    ["no token", undefined],
    ["an older token", "old"],
  ])("leaves attestation alone when a 403 for a request with %s arrives after a new token", async (_, before) => {
    let token: Uint8Array | undefined = before === undefined ? undefined : utf8.encode(before);
    const poster = new ScriptedPoster([
      () => {
        // The quote was accepted while this request was on its way.
        token = utf8.encode("new");
        return reply(403);
      },
    ]);
    const { poller, hooks } = harness(poster, { token: () => token });
    expect(await poller.pollOnce()).toBe("forbidden");
    expect(sentRequest(poster, 0).integrity_token).toEqual(before === undefined ? new Uint8Array() : utf8.encode(before));
    expect(hooks).toEqual([]);
  });

  test.each([404, 400])("calls onNotFound when the controller answers %d", async (status) => {
    const { poller, hooks } = harness(new ScriptedPoster([() => reply(status)]));
    expect(await poller.pollOnce()).toBe("not-found");
    expect(hooks).toEqual(["not-found"]);
  });

  test("rejects a 200 whose content type is not proto", async () => {
    const env = await configEnvelope(signer, cfg("1"), "h1");
    const { poller, applied } = harness(new ScriptedPoster([() => reply(200, env, "application/json")]));
    expect(await poller.pollOnce()).toBe("invalid");
    expect(applied).toHaveLength(0);
    expect(poller.status.lastError?.kind).toBe("config.content-type");
  });

  test("accepts content type parameters", async () => {
    const env = await configEnvelope(signer, cfg("1"), "h1");
    const { poller } = harness(new ScriptedPoster([() => reply(200, env, "application/x-proto-binary; charset=binary")]));
    expect(await poller.pollOnce()).toBe("applied");
  });

  test("rejects envelope when signature does not verify", async () => {
    const env = await configEnvelope(signer, cfg("1"), "h1");
    const c = codec.AuthContainer.decode(env);
    c.signatureHash[3] = c.signatureHash[3]! ^ 1;
    const { poller, applied } = harness(new ScriptedPoster([() => protoReply(codec.AuthContainer.encode(c))]));
    expect(await poller.pollOnce()).toBe("invalid");
    expect(applied).toHaveLength(0);
    expect(poller.status.lastError?.kind).toBe("envelope.signature");
    expect(existsSync(join(dir, "lastconfig"))).toBe(false);
  });

  test("rejects a config whose id.uuid is not a UUID", async () => {
    const env = await configEnvelope(signer, { id: { uuid: "not-a-uuid", version: "1" } }, "h1");
    const { poller, applied } = harness(new ScriptedPoster([() => protoReply(env)]));
    expect(await poller.pollOnce()).toBe("invalid");
    expect(applied).toHaveLength(0);
    expect(poller.status.lastError?.kind).toBe("config.uuid");
  });

  test("invalidates the certs and calls onCertMiss when another cert signed the config", async () => {
    const other = makeSigner("rotated");
    const env = await configEnvelope(other, cfg("1"), "h1");
    const { poller, hooks, certs } = harness(new ScriptedPoster([() => protoReply(env)]));
    expect(await poller.pollOnce()).toBe("cert-miss");
    expect(hooks).toEqual(["cert-miss"]);
    expect(certs.invalidations).toBe(1);
  });

  test("calls onCertsChanged and onEpochChanged only when those fields change", async () => {
    const poster = new ScriptedPoster([
      async () => protoReply(await configEnvelope(signer, cfg("1", { controllercert_confighash: "A", controller_epoch: 1 }), "h1")),
      async () => protoReply(await configEnvelope(signer, cfg("2", { controllercert_confighash: "A", controller_epoch: 1 }), "h2")),
      async () => protoReply(await configEnvelope(signer, cfg("3", { controllercert_confighash: "B", controller_epoch: 1 }), "h3")),
      async () => protoReply(await configEnvelope(signer, cfg("4", { controllercert_confighash: "B", controller_epoch: 2 }), "h4")),
    ]);
    const { poller, hooks } = harness(poster);
    await poller.pollOnce();
    await poller.pollOnce();
    expect(hooks).toEqual([]);
    await poller.pollOnce();
    expect(hooks).toEqual(["certs-changed"]);
    await poller.pollOnce();
    expect(hooks).toEqual(["certs-changed", "epoch-changed"]);
  });

  test("keeps polling state sane when onConfig throws", async () => {
    const env = await configEnvelope(signer, cfg("1"), "h1");
    const { poller } = harness(new ScriptedPoster([() => protoReply(env), () => reply(304)]), {
      onConfig: () => {
        throw new Error("boom");
      },
    });
    expect(await poller.pollOnce()).toBe("applied");
    expect(poller.status.lastError?.kind).toBe("config.apply");
    expect(await poller.pollOnce()).toBe("unchanged");
  });
});

describe("ConfigPoller checkpoint", () => {
  async function seed(version = "1", hash = "h1"): Promise<Uint8Array> {
    const env = await configEnvelope(signer, cfg(version, { controllercert_confighash: "A" }), hash);
    const { poller } = harness(new ScriptedPoster([() => protoReply(env)]));
    await poller.pollOnce();
    return env;
  }

  test("runs on the checkpoint when the controller cannot be reached at boot", async () => {
    await seed();
    const poster = new ScriptedPoster([refused, () => reply(304)]);
    const { poller, applied } = harness(poster);
    expect(await poller.pollOnce()).toBe("unreachable");
    expect(applied.map((a) => [a.cfg.id?.version, a.source])).toEqual([["1", "checkpoint"]]);
    expect(poller.status.checkpoint).toEqual({ state: "used", from: "primary" });
    expect(poller.status.config?.source).toBe("checkpoint");
    // The checkpoint's hash is remembered, so an unchanged controller config is a 304.
    expect(await poller.pollOnce()).toBe("unchanged");
    expect(sentRequest(poster, 1).configHash).toBe("h1");
  });

  test("uses the checkpoint at most once per boot", async () => {
    await seed();
    const { poller, applied } = harness(new ScriptedPoster([refused, refused, () => reply(403)]));
    await poller.pollOnce();
    await poller.pollOnce();
    await poller.pollOnce();
    expect(applied).toHaveLength(1);
  });

  test("does not touch the checkpoint once the controller delivered a config", async () => {
    await seed("1", "h1");
    const fresh = await configEnvelope(signer, cfg("2"), "h2");
    const { poller, applied } = harness(new ScriptedPoster([() => protoReply(fresh), refused]));
    await poller.pollOnce();
    await poller.pollOnce();
    expect(applied.map((a) => a.source)).toEqual(["controller"]);
  });

  test("refuses a checkpoint whose signature does not verify and says why", async () => {
    const env = await seed();
    const c = codec.AuthContainer.decode(env);
    c.signatureHash[0] = c.signatureHash[0]! ^ 0xff;
    const broken = codec.AuthContainer.encode(c);
    writeFileSync(join(dir, "lastconfig"), broken);
    writeFileSync(join(dir, "lastconfig.bak"), broken);
    const { poller, applied } = harness(new ScriptedPoster([refused]));
    await poller.pollOnce();
    expect(applied).toHaveLength(0);
    const s = poller.status;
    expect(s.checkpoint.state).toBe("refused");
    expect(s.checkpoint.reason).toContain("primary: envelope.signature");
    expect(s.checkpoint.reason).toContain("backup: envelope.signature");
    expect(s.lastError?.kind).toBe("config.checkpoint");
    expect(s.config).toBeUndefined();
  });

  test("refuses a checkpoint signed by a cert it no longer holds", async () => {
    await seed();
    const { poller, applied, certs } = harness(new ScriptedPoster([refused]));
    certs.current = makeSigner("new").cert;
    await poller.pollOnce();
    expect(applied).toHaveLength(0);
    expect(poller.status.checkpoint.reason).toContain("envelope.cert-miss");
  });

  test("falls back to the backup when the primary is damaged", async () => {
    await seed();
    writeFileSync(join(dir, "lastconfig"), "garbage");
    const { poller, applied } = harness(new ScriptedPoster([refused]));
    await poller.pollOnce();
    expect(applied.map((a) => a.source)).toEqual(["checkpoint"]);
    expect(poller.status.checkpoint.state).toBe("used");
    expect(poller.status.checkpoint.from).toBe("backup");
    expect(poller.status.checkpoint.reason).toContain("primary:");
  });

  test("reports that there is no checkpoint", async () => {
    const { poller, applied } = harness(new ScriptedPoster([refused]));
    await poller.pollOnce();
    expect(applied).toHaveLength(0);
    expect(poller.status.checkpoint.state).toBe("none");
  });

  test("waits for controller certs before judging the checkpoint", async () => {
    await seed();
    const { poller, applied, certs } = harness(new ScriptedPoster([refused, refused]));
    certs.current = undefined;
    await poller.pollOnce();
    expect(poller.status.checkpoint.state).toBe("waiting-for-certs");
    certs.current = signer.cert;
    await poller.pollOnce();
    expect(applied.map((a) => a.source)).toEqual(["checkpoint"]);
  });

  test("signals a cert set change between the checkpoint and the controller's config", async () => {
    await seed();
    const fresh = await configEnvelope(signer, cfg("2", { controllercert_confighash: "B" }), "h2");
    const { poller, hooks } = harness(new ScriptedPoster([refused, () => protoReply(fresh)]));
    await poller.pollOnce();
    await poller.pollOnce();
    expect(hooks).toEqual(["certs-changed"]);
  });

  test("copies a config to the backup only after it has run for backupAfterMs", async () => {
    const first = await seed("1", "h1");
    let t = 1_000_000;
    const second = await configEnvelope(signer, cfg("2"), "h2");
    const { poller } = harness(new ScriptedPoster([() => protoReply(second), () => reply(304), () => reply(304)]), {
      now: () => new Date(t),
      backupAfterMs: 600_000,
    });
    await poller.pollOnce();
    expect(fileBytes(join(dir, "lastconfig"))).toEqual(second);
    expect(fileBytes(join(dir, "lastconfig.bak"))).toEqual(first);
    t += 599_000;
    await poller.pollOnce();
    expect(fileBytes(join(dir, "lastconfig.bak"))).toEqual(first);
    t += 1_000;
    await poller.pollOnce();
    expect(fileBytes(join(dir, "lastconfig.bak"))).toEqual(second);
  });
});

/** Resolves once `cond` holds; polls so a loaded machine only makes the test slower, never wrong. */
async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

/** Room for a poll that should not happen to show up; a slow machine can only hide one, never invent one. */
const QUIET_MS = 50;

describe("ConfigPoller loop", () => {
  test("polls at once, then again when asked", async () => {
    const poster = new ScriptedPoster([() => reply(304), () => reply(304)]);
    const statuses: number[] = [];
    const { poller } = harness(poster, { intervalMs: 3_600_000, onStatus: (s) => statuses.push(s.polls) });
    const ac = new AbortController();
    const done = poller.run(ac.signal);
    await until(() => statuses.length === 1, "the first poll");
    expect(poster.calls).toHaveLength(1);
    poller.pollNow();
    await until(() => statuses.length === 2, "the asked-for poll");
    expect(poster.calls).toHaveLength(2);
    ac.abort();
    await done;
    expect(statuses).toEqual([1, 2]);
  });

  test("polls again after a cert miss only once a different signing cert is held", async () => {
    const rotated = makeSigner("rotated");
    const env = await configEnvelope(rotated, cfg("1"), "h1");
    const poster = new ScriptedPoster([() => protoReply(env), () => protoReply(env)]);
    const { poller, certs, hooks } = harness(poster, { intervalMs: 3_600_000 });
    const ac = new AbortController();
    const done = poller.run(ac.signal);
    await until(() => hooks.length === 1, "the cert miss");
    expect(poster.calls).toHaveLength(1);
    expect(hooks).toEqual(["cert-miss"]);
    // The refetch brought the same cert back: polling now would miss again.
    certs.current = signer.cert;
    poller.certsRefreshed();
    await Bun.sleep(QUIET_MS);
    expect(poster.calls).toHaveLength(1);
    certs.current = rotated.cert;
    poller.certsRefreshed();
    await until(() => poller.status.lastOutcome === "applied", "the config signed by the rotated cert");
    expect(poster.calls).toHaveLength(2);
    // Nothing missed since: a routine refresh does not poll.
    poller.certsRefreshed();
    await Bun.sleep(QUIET_MS);
    expect(poster.calls).toHaveLength(2);
    ac.abort();
    await done;
  });

  test("spreads polls over 30-100 % of the interval", async () => {
    const at: number[] = [];
    const poster = new ScriptedPoster(
      Array.from({ length: 50 }, () => () => {
        at.push(performance.now());
        return reply(304);
      }),
    );
    // random() = 0 asks for the shortest wait, 30 % of the interval: 600 ms, where the full interval is 2000 ms.
    const { poller } = harness(poster, { intervalMs: 2000, random: () => 0 });
    const ac = new AbortController();
    const done = poller.run(ac.signal);
    await until(() => at.length >= 4, "four polls");
    ac.abort();
    await done;
    const gaps = at.slice(1, 4).map((t, i) => t - at[i]!);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(590);
      expect(gap).toBeLessThan(2000);
    }
  });
});
