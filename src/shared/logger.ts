/**
 * Structured JSON-lines logger. Field values whose key looks secret are
 * replaced before anything is written, so a careless call site cannot leak a
 * key, token or vault key into the journal.
 */
export type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /(key|token|secret|password|credential|nonce_?secret|private)/i;
const SAFE_KEYS = new Set(["keyType", "keyHandle", "keyIndex", "publicKey", "key_type", "tokenPresent", "hasToken"]);

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(component: string): Logger;
}

export function redact(fields: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_KEY.test(k) && !SAFE_KEYS.has(k)) out[k] = "[redacted]";
    else if (v instanceof Uint8Array) out[k] = `<${v.length} bytes>`;
    else if (v instanceof Error) out[k] = v.message;
    else out[k] = v;
  }
  return out;
}

export function createLogger(opts: { level?: Level; component?: string; write?: (line: string) => void } = {}): Logger {
  const min = ORDER[opts.level ?? "info"];
  const write = opts.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const make = (component: string | undefined): Logger => {
    const emit = (level: Level, msg: string, fields?: Fields) => {
      if (ORDER[level] < min) return;
      const rec = { ts: new Date().toISOString(), level, ...(component ? { component } : {}), msg, ...redact(fields ?? {}) };
      write(JSON.stringify(rec));
    };
    return {
      debug: (m, f) => emit("debug", m, f),
      info: (m, f) => emit("info", m, f),
      warn: (m, f) => emit("warn", m, f),
      error: (m, f) => emit("error", m, f),
      child: (c) => make(component ? `${component}.${c}` : c),
    };
  };
  return make(opts.component);
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
