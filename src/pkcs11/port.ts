import { Pkcs11Error } from "./errors.ts";
import { Cryptoki } from "./native.ts";

/**
 * The module as the rest of the client sees it: every Cryptoki call as a
 * promise, so the calls can run in this thread (each blocks it for the
 * module call's length) or in a Worker without changing a caller.
 */
type Methods = "info" | "slotList" | "slotInfo" | "tokenInfo" | "mechanisms" | "openSession" | "closeSession" | "closeAllSessions" | "login" | "logout" | "findObjects" | "getAttributes" | "sign" | "generateKeyPair" | "destroyObject";

export type CryptokiPort = {
  readonly path: string;
  /** Releases this user's hold; the last one finalises the module. */
  release(): Promise<void>;
  /** Users of the loaded module in this thread, this one included. */
  users(): number;
} & { [K in Methods]: (...args: Parameters<Cryptoki[K]>) => Promise<ReturnType<Cryptoki[K]>> };

/**
 * One Cryptoki per module path and thread: C_Initialize may run once per
 * process until C_Finalize, and a second user must not finalise the module
 * under the first.
 */
const loaded = new Map<string, { c: Cryptoki; users: number }>();

export function inThreadPort(path: string): CryptokiPort {
  let entry = loaded.get(path);
  if (!entry) {
    entry = { c: Cryptoki.load(path), users: 0 };
    loaded.set(path, entry);
  }
  entry.users++;
  const e = entry;
  let released = false;
  const wrap =
    <K extends Methods>(k: K) =>
    async (...args: Parameters<Cryptoki[K]>): Promise<ReturnType<Cryptoki[K]>> => {
      if (released) throw new Pkcs11Error("pkcs11.closed", `PKCS#11 module ${path} was closed`);
      return (e.c[k] as (...a: unknown[]) => ReturnType<Cryptoki[K]>)(...args);
    };
  return {
    path,
    users: () => e.users,
    release: async () => {
      if (released) return;
      released = true;
      if (--e.users === 0) {
        loaded.delete(path);
        e.c.finalize();
      }
    },
    info: wrap("info"),
    slotList: wrap("slotList"),
    slotInfo: wrap("slotInfo"),
    tokenInfo: wrap("tokenInfo"),
    mechanisms: wrap("mechanisms"),
    openSession: wrap("openSession"),
    closeSession: wrap("closeSession"),
    closeAllSessions: wrap("closeAllSessions"),
    login: wrap("login"),
    logout: wrap("logout"),
    findObjects: wrap("findObjects"),
    getAttributes: wrap("getAttributes"),
    sign: wrap("sign"),
    generateKeyPair: wrap("generateKeyPair"),
    destroyObject: wrap("destroyObject"),
  };
}
