import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/**
 * The house rules on structure, checked on every import in src/: a component
 * is reached from outside only through its index.ts, and data flows
 * config -> tpm -> identity -> onboarding -> attestation/vault/keylime -> services -> sync -> status
 * (README "Architecture"). Test files (*.test.ts, *.testkit.ts) may reach inside.
 */

const REPO = resolve(import.meta.dir, "..");
const SRC = join(REPO, "src");

/**
 * The flow, in order; a component may import only the ones before it (and
 * helpers). services (keys, certificates and identity sockets for the
 * device's processes) sit beside attestation and Keylime but after the vault, whose
 * store holds their symmetric keys.
 */
const FLOW: string[][] = [["config"], ["tpm"], ["identity"], ["onboarding"], ["attestation", "vault", "keylime"], ["services"], ["sync"], ["status"]];

/** Shared helpers: usable from anywhere in the flow; each lists the helpers it may use itself. */
const HELPERS: Record<string, string[]> = {
  shared: [],
  state: ["shared"],
  pki: ["shared"],
  protocol: ["shared", "pki"],
  controller: ["shared", "state", "pki", "protocol"],
  pkcs11: ["shared"],
};

/**
 * Helpers that only part of the flow may use: the flow component from which
 * on (and composition) may import them. pkcs11 holds device keys in a token,
 * so it serves identity and what follows it (the keys, certificates and
 * identity services), not config or tpm; it loads its module only when
 * opened, so importing it costs nothing.
 */
const HELPER_FROM: Record<string, string> = {
  pkcs11: "identity",
};

/** Composition: wires the components together, may import any of them, and nothing imports it but itself. */
const COMPOSITION: Record<string, string> = {
  "main.ts": "start-up: config, TPM backend choice, identity, onboarding, then the services",
  "cli.ts": "the executable's entry: subcommands run the agent, read its status, run the checks",
  agent: "the services after onboarding and the reactions between them",
  check: "`edge-agent check` opens config, TPM, identity and the status socket itself, as main.ts does",
};

/** Files at src/ that any component may import. */
const LEAVES: Record<string, string> = {
  "version.ts": "the build's version string",
};

/**
 * The native layer below tpm: api.ts loads no library (the command table's
 * types, ESYS_TR, the error shape) and is for tpm; index.ts opens tpm2-tss
 * and only composition picks it.
 */
const NATIVE: Record<string, { why: string; from: (c: string) => boolean }> = {
  "native/tss2/api.ts": { why: "the TPM command table and its types", from: (c) => c === "tpm" || c in COMPOSITION },
  "native/tss2/index.ts": { why: "the tpm2-tss runtime", from: (c) => c in COMPOSITION },
};

/** Data files bundled as text, not code. */
const ASSETS: Record<string, string> = {
  proto: "protocol embeds the .proto text it parses",
  "package.json": "version.ts reads the package version",
};

/**
 * Imports that break a rule on purpose, each with its reason. Keys are
 * "importer component -> imported path relative to src".
 */
const CLI_LEAF = "the CLI loads leaf modules so a short command (version, status) does not evaluate a component's whole server side at start (issue 11)";
const CHECK_LEAF = "`edge-agent check` loads leaf modules so its start is not the whole agent's (issue 11)";
const DECLARED: Record<string, string> = {
  "cli.ts -> config/load.ts": CLI_LEAF,
  "cli.ts -> config/paths.ts": CLI_LEAF,
  "cli.ts -> shared/errors.ts": CLI_LEAF,
  "cli.ts -> status/client.ts": CLI_LEAF,
  "cli.ts -> status/render.ts": CLI_LEAF,
  // The leaves the CLI loads import leaves themselves, for the same reason: config's index would pull state's and
  // shared's whole public surfaces into `edge-agent status`.
  "config -> state/layout.ts": CLI_LEAF,
  "config -> shared/errors.ts": CLI_LEAF,
  // `edge-agent check` on a running agent's device needs none of the TPM layer, ASN.1 readers, protobuf or hono;
  // what it needs then comes from leaves, the rest loads when a check uses it.
  "check -> controller/transport.ts": CHECK_LEAF,
  "check -> controller/trust.ts": CHECK_LEAF,
  "check -> controller/url.ts": CHECK_LEAF,
  "check -> identity/limits.ts": CHECK_LEAF,
  "check -> pki/certificate.ts": CHECK_LEAF,
  "check -> pki/pem.ts": CHECK_LEAF,
  "check -> pki/soft-key.ts": CHECK_LEAF,
  "check -> shared/errors.ts": CHECK_LEAF,
  "check -> state/layout.ts": CHECK_LEAF,
  "check -> status/client.ts": CHECK_LEAF,
  "check -> tpm/tcti.ts": CHECK_LEAF,
  // ...and the leaves it loads take AgentError from its own file: shared's index loads node:crypto and bun:ffi.
  "controller -> shared/errors.ts": CHECK_LEAF,
  "pki -> shared/bytes.ts": CHECK_LEAF,
  "pki -> shared/errors.ts": CHECK_LEAF,
  "pki -> shared/signer.ts": CHECK_LEAF,
};

// ---------------------------------------------------------------------------
// Reading imports: a small lexer, because type-only imports matter here and
// Bun's scanner drops them.

const REGEX_AFTER = new Set(
  [..."(,=:[!&|?{};+-*%<>~^"].concat([
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "instanceof",
    "yield",
    "await",
    "=>",
    "&&",
    "||",
    "??",
  ]),
);

type Token = { t: "id" | "str" | "punct"; v: string };

function tokens(code: string): Token[] {
  const out: Token[] = [];
  const braces: boolean[] = []; // true where a "}" closes a template substitution
  let i = 0;
  const prev = () => out[out.length - 1];
  const template = () => {
    // i is just after "`" or after the "}" closing a substitution.
    while (i < code.length) {
      const ch = code[i]!;
      if (ch === "\\") i += 2;
      else if (ch === "`") {
        i++;
        out.push({ t: "str", v: "`" });
        return;
      } else if (ch === "$" && code[i + 1] === "{") {
        i += 2;
        braces.push(true);
        out.push({ t: "punct", v: "${" });
        return;
      } else i++;
    }
  };
  while (i < code.length) {
    const ch = code[i]!;
    if (/\s/.test(ch)) i++;
    else if (ch === "/" && code[i + 1] === "/") while (i < code.length && code[i] !== "\n") i++;
    else if (ch === "/" && code[i + 1] === "*") {
      const end = code.indexOf("*/", i + 2);
      i = end < 0 ? code.length : end + 2;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      let v = "";
      while (j < code.length && code[j] !== ch) {
        if (code[j] === "\\") {
          v += code[j + 1];
          j += 2;
        } else v += code[j++];
      }
      out.push({ t: "str", v });
      i = j + 1;
    } else if (ch === "`") {
      i++;
      template();
    } else if (ch === "/" && (prev() === undefined || REGEX_AFTER.has(prev()!.v))) {
      let j = i + 1;
      let cls = false;
      while (j < code.length && (cls || code[j] !== "/")) {
        if (code[j] === "\\") j++;
        else if (code[j] === "[") cls = true;
        else if (code[j] === "]") cls = false;
        j++;
      }
      j++;
      while (j < code.length && /[a-z]/i.test(code[j]!)) j++;
      out.push({ t: "punct", v: "regex" });
      i = j;
    } else if (/[A-Za-z_$]/.test(ch)) {
      let j = i + 1;
      while (j < code.length && /[\w$]/.test(code[j]!)) j++;
      out.push({ t: "id", v: code.slice(i, j) });
      i = j;
    } else if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < code.length && /[\w.]/.test(code[j]!)) j++;
      out.push({ t: "id", v: code.slice(i, j) });
      i = j;
    } else {
      const two = code.slice(i, i + 2);
      if (["=>", "&&", "||", "??"].includes(two)) {
        out.push({ t: "punct", v: two });
        i += 2;
        continue;
      }
      i++;
      if (ch === "{") braces.push(false);
      if (ch === "}" && braces.pop()) {
        template();
        continue;
      }
      out.push({ t: "punct", v: ch });
    }
  }
  return out;
}

/** Every module specifier the source imports or re-exports, type-only ones included. */
export function importsOf(code: string): string[] {
  const ts = tokens(code);
  const specs: string[] = [];
  const fromAfter = (k: number): number => {
    // Walks an import/export clause to its `from "x"`; -1 when the statement has none.
    let depth = 0;
    for (let j = k; j < ts.length; j++) {
      const v = ts[j]!.v;
      if (v === "{") depth++;
      else if (v === "}") {
        depth--;
        if (depth === 0 && ts[j + 1]?.v !== "from") return -1;
      } else if (depth === 0 && (v === ";" || v === "=")) return -1;
      else if (depth === 0 && v === "from" && ts[j + 1]?.t === "str") return j + 1;
    }
    return -1;
  };
  for (let k = 0; k < ts.length; k++) {
    const tok = ts[k]!;
    if (tok.t !== "id" || ts[k - 1]?.v === ".") continue;
    const next = ts[k + 1];
    if (tok.v === "import" || tok.v === "require") {
      if (next?.v === "(" && ts[k + 2]?.t === "str") specs.push(ts[k + 2]!.v);
      else if (tok.v === "import" && next?.t === "str") specs.push(next.v);
      else if (tok.v === "import" && next && next.v !== "(" && next.v !== ".") {
        const at = fromAfter(k + 1);
        if (at > 0) specs.push(ts[at]!.v);
      }
    } else if (tok.v === "export" && next && (next.v === "{" || next.v === "*" || (next.v === "type" && (ts[k + 2]?.v === "{" || ts[k + 2]?.v === "*")))) {
      const at = fromAfter(k + 1);
      if (at > 0) specs.push(ts[at]!.v);
    }
  }
  return specs;
}

// ---------------------------------------------------------------------------
// The rules.

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

const isTestFile = (f: string) => /\.(test|testkit)\.ts$/.test(f);

/** "tpm" for src/tpm/x.ts, "main.ts" for src/main.ts. */
function componentOf(srcRel: string): string {
  return srcRel.split(sep)[0]!;
}

function rank(c: string): number {
  return FLOW.findIndex((step) => step.includes(c));
}

type Kind = "flow" | "helper" | "composition" | "leaf";
function kindOf(c: string): Kind | undefined {
  if (rank(c) >= 0) return "flow";
  if (c in HELPERS) return "helper";
  if (c in COMPOSITION) return "composition";
  if (c in LEAVES) return "leaf";
  return undefined;
}

/** Why `from` may not import component `to`, or undefined when it may. */
function directionError(from: string, to: string): string | undefined {
  const a = kindOf(from);
  const b = kindOf(to);
  if (!a) return `${from} is not declared in architecture.test.ts`;
  if (!b) return `${to} is not declared in architecture.test.ts`;
  if (a === "composition" || b === "leaf") return undefined;
  if (b === "composition") return `${to} is composition; only composition imports it`;
  if (a === "helper") return b === "helper" && HELPERS[from]!.includes(to) ? undefined : `helper ${from} may not import ${to}`;
  if (a === "leaf") return `${from} is a leaf and imports nothing in src`;
  if (b === "helper") return to in HELPER_FROM && rank(from) < rank(HELPER_FROM[to]!) ? `${to} is for ${HELPER_FROM[to]} and after in the flow` : undefined;
  return rank(to) < rank(from) ? undefined : `${from} comes before ${to} in the flow`;
}

export interface Violation {
  file: string;
  imports: string;
  rule: string;
}

/** Checks one import edge; paths are relative to the repository. */
export function check(file: string, target: string): Violation | undefined {
  const fromRel = relative(SRC, join(REPO, file));
  const from = componentOf(fromRel);
  const v = (rule: string): Violation => ({ file, imports: target, rule });
  const declared = DECLARED[`${from} -> ${relative(SRC, join(REPO, target))}`];
  if (declared) return undefined;
  if (!target.startsWith(`src${sep}`)) {
    const native = NATIVE[target];
    if (native) return native.from(from) ? undefined : v(`only ${from === "tpm" ? "composition" : "tpm and composition"} may import ${target} (${native.why})`);
    if (Object.keys(ASSETS).some((a) => target === a || target.startsWith(a + sep)) && !/\.tsx?$/.test(target)) return undefined;
    return v("imports code outside src/ that is not declared");
  }
  const toRel = relative(SRC, join(REPO, target));
  const to = componentOf(toRel);
  if (to === from) return undefined;
  const isFolder = toRel.includes(sep);
  if (isFolder && toRel !== join(to, "index.ts")) return v(`bypasses ${to}/index.ts`);
  const e = directionError(from, to);
  return e ? v(e) : undefined;
}

function importsUnder(dir: string): Array<{ file: string; target: string }> {
  const out: Array<{ file: string; target: string }> = [];
  for (const abs of walk(dir)) {
    if (isTestFile(abs)) continue;
    for (const spec of importsOf(readFileSync(abs, "utf8"))) {
      if (!spec.startsWith(".")) continue;
      out.push({ file: relative(REPO, abs), target: relative(REPO, resolve(dirname(abs), spec)) });
    }
  }
  return out;
}

const srcImports = () => importsUnder(SRC);

describe("import scanner", () => {
  test("finds type-only, multi-line, re-export, side-effect and dynamic imports and skips decoys", () => {
    const code = [
      'import type { A } from "./a.ts";',
      'import { type B, C } from "./bc.ts";',
      "import {\n  D,\n  E,\n} from './de.ts';",
      'export type { F } from "./f.ts";',
      'export * from "./g.ts";',
      'export { H } from "./h.ts";',
      "export { local };",
      'import "./side.ts";',
      'const m = await import("./dyn.ts");',
      'import txt from "./x.proto" with { type: "text" };',
      '// import { Z } from "./comment.ts";',
      '/* import { Y } from "./block.ts"; */',
      "const s = \"import { W } from './string.ts'\";",
      'const re = /["\'`]from "/g;',
      'const t = `import ${"x"} from "./template.ts"`;',
      "const u = import.meta.url;",
      "export const V = 1;",
    ].join("\n");
    expect(importsOf(code)).toEqual(["./a.ts", "./bc.ts", "./de.ts", "./f.ts", "./g.ts", "./h.ts", "./side.ts", "./dyn.ts", "./x.proto"]);
  });
});

describe("architecture", () => {
  test("every folder under src/ is a declared component with an index.ts", () => {
    const dirs = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(dirs.filter((d) => !kindOf(d))).toEqual([]);
    expect(dirs.filter((d) => !existsSync(join(SRC, d, "index.ts")))).toEqual([]);
    const files = readdirSync(SRC).filter((n) => n.endsWith(".ts"));
    expect(files.filter((f) => !kindOf(f))).toEqual([]);
  });

  test("the rules flag a bypassed index.ts, an import against the flow and a helper reaching up", () => {
    expect(check("src/pki/soft-key.ts", "src/identity/signer.ts")?.rule).toBe("bypasses identity/index.ts");
    expect(check("src/tpm/manager.ts", "src/identity/index.ts")?.rule).toBe("tpm comes before identity in the flow");
    expect(check("src/vault/x.ts", "src/attestation/index.ts")?.rule).toBe("vault comes before attestation in the flow");
    expect(check("src/protocol/x.ts", "src/identity/index.ts")?.rule).toBe("helper protocol may not import identity");
    expect(check("src/cli.ts", "src/agent/services.ts")?.rule).toBe("bypasses agent/index.ts");
    expect(check("src/status/x.ts", "src/main.ts")?.rule).toBe("main.ts is composition; only composition imports it");
    expect(check("src/identity/x.ts", "native/tss2/index.ts")?.rule).toContain("only tpm and composition");
    expect(check("src/tpm/x.ts", "native/tss2/index.ts")?.rule).toContain("only composition");
    expect(check("src/tpm/port.ts", "native/tss2/api.ts")).toBeUndefined();
    expect(check("src/identity/x.ts", "src/tpm/index.ts")).toBeUndefined();
    expect(check("src/sync/x.ts", "src/controller/index.ts")).toBeUndefined();
    expect(check("src/main.ts", "src/agent/index.ts")).toBeUndefined();
    expect(check("src/tpm/x.ts", "src/pkcs11/index.ts")?.rule).toBe("pkcs11 is for identity and after in the flow");
    expect(check("src/pki/x.ts", "src/pkcs11/index.ts")?.rule).toBe("helper pki may not import pkcs11");
    expect(check("src/pkcs11/x.ts", "src/identity/index.ts")?.rule).toBe("helper pkcs11 may not import identity");
    expect(check("src/identity/x.ts", "src/pkcs11/module.ts")?.rule).toBe("bypasses pkcs11/index.ts");
    expect(check("src/identity/x.ts", "src/pkcs11/index.ts")).toBeUndefined();
    expect(check("src/sync/x.ts", "src/pkcs11/index.ts")).toBeUndefined();
    expect(check("src/check/x.ts", "src/pkcs11/index.ts")).toBeUndefined();
  });

  test("no import in src/ bypasses a component's index.ts or runs against the flow", () => {
    const edges = srcImports();
    expect(edges.length).toBeGreaterThan(100);
    const violations = edges.map(({ file, target }) => check(file, target)).filter((v) => v !== undefined);
    expect(violations).toEqual([]);
  });

  test("native/ reaches into src/ only for shared's index.ts", () => {
    const intoSrc = importsUnder(join(REPO, "native")).filter(({ target }) => target.startsWith(`src${sep}`));
    expect(intoSrc.length).toBeGreaterThan(0);
    // shared/errors.ts directly: the TPM Worker starts without evaluating the rest of shared (issue 11).
    const allowed = new Set([join("src", "shared", "index.ts"), join("src", "shared", "errors.ts")]);
    expect(intoSrc.filter(({ target }) => !allowed.has(target))).toEqual([]);
  });

  test("test-only helpers are named *.testkit.ts and only tests import them", () => {
    const files = [...walk(SRC), ...walk(join(REPO, "native"))];
    expect(files.filter((f) => /(^|\/)(test-|mock|fake)[^/]*\.ts$/.test(relative(REPO, f)) && !isTestFile(f)).map((f) => relative(REPO, f))).toEqual([]);
    const product = [...importsUnder(SRC), ...importsUnder(join(REPO, "native"))];
    expect(product.filter(({ target }) => target.endsWith(".testkit.ts"))).toEqual([]);
  });

  test("every declared exception is still used", () => {
    const used = new Set(srcImports().map(({ file, target }) => `${componentOf(relative(SRC, join(REPO, file)))} -> ${relative(SRC, join(REPO, target))}`));
    expect(Object.keys(DECLARED).filter((k) => !used.has(k))).toEqual([]);
  });
});
