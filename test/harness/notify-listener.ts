/**
 * A stand-in for systemd's notify socket: a Python AF_UNIX datagram socket
 * (an implementation independent of the agent's bun:ffi sender) that prints
 * each datagram as a JSON line, with whether `watch` existed when it came.
 */
import type { Subprocess } from "bun";

export interface Notification {
  data: string;
  /** The file named by `watch` existed when the datagram arrived. */
  watchExisted: boolean;
  at: number;
}

export interface NotifyListener {
  /** The next datagram (waits up to timeoutMs). */
  next(timeoutMs?: number): Promise<Notification>;
  /** Everything received so far. */
  readonly received: Notification[];
  stop(): Promise<void>;
}

const SCRIPT = `
import json, os, socket, sys, time
addr, watch = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\\0" + addr[1:] if addr.startswith("@") else addr)
print(json.dumps({"listening": True}), flush=True)
while True:
    data = s.recv(4096)
    print(json.dumps({"data": data.decode(), "watchExisted": bool(watch) and os.path.exists(watch), "at": time.time()}), flush=True)
`;

export async function startNotifyListener(address: string, watch = ""): Promise<NotifyListener> {
  const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn(["python3", "-c", SCRIPT, address, watch], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const received: Notification[] = [];
  let consumed = 0;
  let wake: (() => void) | undefined;
  let listening!: () => void;
  const up = new Promise<void>((r) => (listening = r));
  void (async () => {
    let buf = "";
    const dec = new TextDecoder();
    for await (const chunk of proc.stdout) {
      buf += dec.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = JSON.parse(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (line.listening) listening();
        else {
          received.push({ data: line.data, watchExisted: line.watchExisted, at: line.at * 1000 });
          wake?.();
        }
      }
    }
  })();
  const exited = proc.exited.then(async (c) => {
    throw new Error(`notify listener exited (${c}): ${await new Response(proc.stderr).text()}`);
  });
  exited.catch(() => {});
  await Promise.race([up, exited, Bun.sleep(10_000).then(() => Promise.reject(new Error("notify listener did not start")))]);
  return {
    received,
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (consumed >= received.length) {
        if (Date.now() > deadline) throw new Error(`no notification within ${timeoutMs} ms`);
        await Promise.race([new Promise<void>((r) => (wake = r)), Bun.sleep(100)]);
      }
      return received[consumed++]!;
    },
    async stop() {
      proc.kill();
      await proc.exited;
    },
  };
}
