/**
 * The one client for Adam's admin REST API (docs/adam.md section
 * 4). Adam serves that API and so does the in-repo test controller, so the
 * same client drives both; test/integration/controllers runs its scenarios
 * against each through it.
 */
import { splitConcatenatedJson } from "./concatenated-json.ts";
import type { AttestCertsJson, DeviceEntry, DeviceOptionsJson, GlobalOptionsJson, InfoStream, OnboardEntry, RequestRecord } from "./types.ts";

/** fetch against the controller's HTTPS root, trusting its CA; `path` starts with "/". */
export type ControllerFetch = (path: string, init?: RequestInit) => Promise<Response>;

export class AdminError extends Error {
  override readonly name: string = "AdminError";
}

/** The admin API answered with a status the call does not expect. */
export class AdminStatusError extends AdminError {
  override readonly name = "AdminStatusError";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`admin ${method} ${path} answered ${status}: ${body.trim().slice(0, 500)}`);
  }
}

/** A per-device call named a UUID the controller does not list; it was not sent. */
export class AdminUnknownDeviceError extends AdminError {
  override readonly name = "AdminUnknownDeviceError";
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const unb64 = (s: string | undefined | null) => (s ? Buffer.from(s, "base64").toString("utf8") : "");

/**
 * Typed admin calls. Per-device data calls first check that the UUID is in
 * the device list: Adam's non-streaming dump handlers loop forever on an
 * unknown UUID, and the check costs the test controller nothing.
 */
export class AdminClient {
  constructor(
    private readonly fetchFn: ControllerFetch,
    private readonly timeoutMs = 15_000,
  ) {}

  private async call(method: string, path: string, init: RequestInit = {}): Promise<Response> {
    return await this.fetchFn(path, { ...init, method, signal: AbortSignal.timeout(this.timeoutMs) });
  }

  /** Sends a request and returns the response; any status outside `ok` throws AdminStatusError. */
  private async expect(method: string, path: string, ok: readonly number[], init: RequestInit = {}): Promise<Response> {
    const res = await this.call(method, path, init);
    if (!ok.includes(res.status)) throw new AdminStatusError(method, path, res.status, await res.text());
    return res;
  }

  private async text(method: string, path: string, init?: RequestInit): Promise<string> {
    return await (await this.expect(method, path, [200], init)).text();
  }

  private async json<T>(path: string): Promise<T> {
    return JSON.parse(await this.text("GET", path)) as T;
  }

  private async putJson(path: string, body: unknown): Promise<void> {
    await (
      await this.expect("PUT", path, [200], {
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      })
    ).arrayBuffer();
  }

  private static lines(text: string): string[] {
    return text
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "");
  }

  /** Adam needs the serial list: with none, no serial ever matches. */
  async onboardAdd(certPem: string, serials: string | readonly string[]): Promise<void> {
    const serial = typeof serials === "string" ? serials : serials.join(",");
    // Adam compares the whole Content-Type header, so no charset parameter.
    const res = await this.expect("POST", "/admin/onboard", [201], {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ Cert: b64(certPem), Serial: serial }),
    });
    await res.arrayBuffer();
  }

  /** Friendly CNs of the registered onboarding certs. */
  async onboardList(): Promise<string[]> {
    return AdminClient.lines(await this.text("GET", "/admin/onboard"));
  }

  async onboardGet(cn: string): Promise<OnboardEntry | undefined> {
    const path = `/admin/onboard/${encodeURIComponent(cn)}`;
    const res = await this.expect("GET", path, [200, 404]);
    if (res.status === 404) {
      await res.arrayBuffer();
      return undefined;
    }
    const j = (await res.json()) as { Cert?: string; Serial?: string };
    return { certPem: unb64(j.Cert), serials: (j.Serial ?? "").split(",").filter((s) => s !== "") };
  }

  /** The admin API cannot edit a serial list: remove the entry and add it again. */
  async onboardRemove(cn: string): Promise<void> {
    await (await this.expect("DELETE", `/admin/onboard/${encodeURIComponent(cn)}`, [200])).arrayBuffer();
  }

  async onboardClear(): Promise<void> {
    await (await this.expect("DELETE", "/admin/onboard", [200])).arrayBuffer();
  }

  async deviceList(): Promise<string[]> {
    return AdminClient.lines(await this.text("GET", "/admin/device"));
  }

  async deviceGet(uuid: string): Promise<DeviceEntry | undefined> {
    await this.requireDevice(uuid);
    const j = await this.json<{ Cert?: string; Onboard?: string | null; Serial?: string }>(`/admin/device/${uuid}`);
    return { certPem: unb64(j.Cert), onboardPem: j.Onboard ? unb64(j.Onboard) : undefined, serial: j.Serial ?? "" };
  }

  /** Pre-registers a device cert without onboarding; the answer carries no UUID. */
  async deviceAdd(certPem: string, opts: { onboardPem?: string; serial?: string } = {}): Promise<void> {
    const body: Record<string, string> = { Cert: b64(certPem) };
    if (opts.onboardPem) body.Onboard = b64(opts.onboardPem);
    if (opts.serial !== undefined) body.Serial = opts.serial;
    const res = await this.expect("POST", "/admin/device", [201], {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
  }

  async deviceRemove(uuid: string): Promise<void> {
    await this.requireDevice(uuid);
    await (await this.expect("DELETE", `/admin/device/${uuid}`, [200])).arrayBuffer();
  }

  /** The attestation certs from the device's last ATTEST_REQ_CERT, or undefined before one. */
  async deviceCerts(uuid: string): Promise<AttestCertsJson | undefined> {
    await this.requireDevice(uuid);
    // 400, not 404, while no certs.json exists.
    const res = await this.expect("GET", `/admin/device/${uuid}/certs`, [200, 400, 404]);
    const text = await res.text();
    return res.status === 200 ? (JSON.parse(text) as AttestCertsJson) : undefined;
  }

  async deviceOptionsGet(uuid: string): Promise<DeviceOptionsJson> {
    await this.requireDevice(uuid);
    return await this.json<DeviceOptionsJson>(`/admin/device/${uuid}/options`);
  }

  async deviceOptionsPut(uuid: string, options: DeviceOptionsJson): Promise<void> {
    await this.requireDevice(uuid);
    await this.putJson(`/admin/device/${uuid}/options`, options);
  }

  /** Undefined until options were PUT: the answer is 400 while global-options.json is missing. */
  async globalOptionsGet(): Promise<GlobalOptionsJson | undefined> {
    const res = await this.expect("GET", "/admin/options", [200, 400]);
    const text = await res.text();
    return res.status === 200 ? (JSON.parse(text) as GlobalOptionsJson) : undefined;
  }

  async globalOptionsPut(options: GlobalOptionsJson): Promise<void> {
    await this.putJson("/admin/options", options);
  }

  /**
   * Stores a binary EdgeDevConfig. A version it carries is kept; without
   * `id` a numeric version is bumped.
   */
  async deviceConfigPut(uuid: string, edgeDevConfig: Uint8Array): Promise<void> {
    await this.requireDevice(uuid);
    const res = await this.expect("PUT", `/admin/device/${uuid}/config`, [200], {
      headers: { "Content-Type": "application/x-proto-binary" },
      body: edgeDevConfig as Uint8Array<ArrayBuffer>,
    });
    await res.arrayBuffer();
  }

  /** The stored EdgeDevConfig as protobuf bytes, or undefined while none is stored. */
  async deviceConfigGet(uuid: string): Promise<Uint8Array | undefined> {
    await this.requireDevice(uuid);
    const res = await this.expect("GET", `/admin/device/${uuid}/config`, [200, 404], {
      headers: { Accept: "application/x-proto-binary" },
    });
    const body = new Uint8Array(await res.arrayBuffer());
    return res.status === 200 ? body : undefined;
  }

  /** Every stored ZInfoMsg, as protojson objects. */
  async deviceInfo(uuid: string): Promise<Record<string, unknown>[]> {
    return (await this.dump(uuid, "info", "application/json")) as Record<string, unknown>[];
  }

  /** The controller's record of the device's authenticated v2 calls, oldest first. */
  async deviceRequests(uuid: string): Promise<RequestRecord[]> {
    return (await this.dump(uuid, "requests")) as RequestRecord[];
  }

  /** Stored LogEntry records as protojson objects. */
  async deviceLogs(uuid: string): Promise<Record<string, unknown>[]> {
    return (await this.dump(uuid, "logs", "application/json")) as Record<string, unknown>[];
  }

  /**
   * Opens the streaming info call (`X-Stream: true`). Only messages that
   * arrive while it is open are seen, so open it before the boot to be
   * watched; close() ends it.
   */
  async infoStream(uuid: string): Promise<InfoStream> {
    // The streaming handler never checks the UUID; the check keeps a typo from watching nothing.
    await this.requireDevice(uuid);
    const abort = new AbortController();
    // The headers come at once, then one protojson line per message received.
    const res = await this.fetchFn(`/admin/device/${uuid}/info`, {
      headers: { "X-Stream": "true", Accept: "application/json" },
      signal: abort.signal,
    });
    if (res.status !== 200 || !res.body) throw new AdminStatusError("GET", `/admin/device/${uuid}/info (X-Stream)`, res.status, await res.text());
    const messages: Record<string, any>[] = [];
    const reader = res.body.getReader();
    const reading = (async () => {
      const text = new TextDecoder();
      let pending = "";
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          pending += text.decode(value, { stream: true });
          for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
            const line = pending.slice(0, nl).trim();
            pending = pending.slice(nl + 1);
            if (line) messages.push(JSON.parse(line) as Record<string, any>);
          }
        }
      } catch (e) {
        // The abort in close() ends the read; anything else is a real failure.
        if (!abort.signal.aborted) throw e;
      }
    })();
    return {
      messages,
      async close() {
        abort.abort();
        await reading;
      },
    };
  }

  private async dump(uuid: string, kind: string, accept?: string): Promise<unknown[]> {
    await this.requireDevice(uuid);
    const path = `/admin/device/${uuid}/${kind}`;
    const res = await this.expect("GET", path, [200, 404], accept ? { headers: { Accept: accept } } : {});
    const text = await res.text();
    // 404 here means "nothing stored yet" for a device that does exist.
    if (res.status === 404) return [];
    return splitConcatenatedJson(text);
  }

  private async requireDevice(uuid: string): Promise<void> {
    const known = await this.deviceList();
    if (!known.includes(uuid)) {
      throw new AdminUnknownDeviceError(
        `the controller has no device ${uuid} (known: ${known.join(", ") || "none"}); not querying it, since Adam's admin handlers loop forever on unknown UUIDs`,
      );
    }
  }
}
