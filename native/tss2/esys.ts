import { type Pointer, ptr } from "bun:ffi";
import type { Slot } from "./channel.ts";
import {
  COMMAND_NAMES,
  COMMANDS,
  type Command,
  type CommandInput,
  type CommandOutput,
  type CommandSpec,
  ESYS_TR,
  type HandleKind,
  type MuType,
  type ParamKind,
  type ResultKind,
  type Sessions,
  type TpmCommands,
} from "./commands.ts";
import { type Tss2Libs, tss2 } from "./lib.ts";
import { fromC, marshalInto, readPtr, toC } from "./mem.ts";
import { check, TpmRcError } from "./rc.ts";
import { SIZEOF } from "./sizes.ts";

type EsysSymbols = Tss2Libs["esys"]["symbols"];

type Param =
  | { name: string; kind: "int"; signed: boolean }
  | { name: string; kind: "struct"; type: MuType; optional: boolean; c: Uint8Array }
  | { name: string; kind: "trRef"; cell: Uint32Array };
type Result = { name: string; kind: "u32" | "yesno" } | { name: string; kind: "struct"; type: MuType } | { name: string; kind: "drop" };

/**
 * Everything about one command that does not change between calls, built
 * once from its table entry: the argument vector, the C memory its
 * structures are unmarshalled into and the output cells are reused by every
 * call (calls are synchronous, so two never overlap in one thread).
 */
interface Plan {
  esys: string;
  fn: (...args: unknown[]) => number;
  handles: string[];
  sessions: boolean;
  defaultSessions: Sessions;
  params: Param[];
  results: Result[];
  args: unknown[];
  /** One 8-byte cell per result: a pointer ESAPI allocated, or an ESYS_TR / integer in its low bytes. */
  cells: BigUint64Array;
  cellWords: Uint32Array;
  hasOutput: boolean;
}

function planParam(name: string, kind: ParamKind): Param {
  if (kind === "u8" || kind === "u16" || kind === "u32") return { name, kind: "int", signed: false };
  if (kind === "i32") return { name, kind: "int", signed: true };
  if (kind === "tr*") return { name, kind: "trRef", cell: new Uint32Array(1) };
  const optional = kind.endsWith("?");
  const type = (optional ? kind.slice(0, -1) : kind) as MuType;
  return { name, kind: "struct", type, optional, c: new Uint8Array(SIZEOF[type]!) };
}

function planResult(name: string, kind: ResultKind): Result {
  if (kind === "tr" || kind === "u32") return { name, kind: "u32" };
  if (kind === "yesno" || kind === "drop") return { name, kind };
  return { name, kind: "struct", type: kind };
}

function plan(E: EsysSymbols, spec: CommandSpec): Plan {
  const handles = Object.entries<HandleKind>(spec.handles ?? {});
  const auth = handles.filter(([, k]) => k === "auth").length;
  const slots = [ESYS_TR.PASSWORD, ESYS_TR.PASSWORD, ESYS_TR.PASSWORD].slice(0, auth);
  const params = Object.entries<ParamKind>(spec.params ?? {}).map(([n, k]) => planParam(n, k));
  const results = Object.entries<ResultKind>(spec.results ?? {}).map(([n, k]) => planResult(n, k));
  const sessions = spec.sessions !== false;
  const cells = new BigUint64Array(Math.max(1, results.length));
  return {
    esys: spec.esys,
    fn: (E as unknown as Record<string, (...args: unknown[]) => number>)[spec.esys]!,
    handles: handles.map(([n]) => n),
    sessions,
    defaultSessions: { s1: slots[0], s2: slots[1], s3: slots[2] },
    params,
    results,
    args: new Array<unknown>(1 + handles.length + (sessions ? 3 : 0) + params.length + results.length),
    cells,
    cellWords: new Uint32Array(cells.buffer),
    hasOutput: results.some((r) => r.kind !== "drop"),
  };
}

/**
 * The one ESAPI call: marshal the inputs, call, take the outputs as wire
 * bytes, free every ESAPI-allocated output exactly once (also on failure, and
 * also the ones nobody reads) and wipe the inputs' C copies, which can hold
 * auth values and sealed secrets. The inputs come from an object (a call in
 * this thread) or straight from the Worker's call slot, and the outputs go
 * to an object or straight back into the slot, so the Worker builds no
 * intermediate objects or copies per command.
 */
function execute<T>(E: EsysSymbols, ctx: Pointer, p: Plan, bind: (p: Plan, a: unknown[]) => void, take: (p: Plan) => T): T {
  const a = p.args;
  a[0] = ctx;
  try {
    bind(p, a);
    const rc = p.fn(...a);
    if (rc !== 0) throw new TpmRcError(p.esys, rc);
    return take(p);
  } finally {
    for (let r = 0; r < p.results.length; r++) {
      const res = p.results[r]!;
      if (res.kind === "struct" || res.kind === "drop") {
        const at = Number(p.cells[r]!) as Pointer;
        if (at !== 0) E.Esys_Free(at);
      }
      p.cells[r] = 0n;
    }
    for (const q of p.params) if (q.kind === "struct") q.c.fill(0);
  }
}

/** The argument vector after the context from a call's input object. */
function bindObject(input: Record<string, unknown>): (p: Plan, a: unknown[]) => void {
  return (p, a) => {
    let i = 1;
    for (const h of p.handles) a[i++] = (input[h] as number) >>> 0;
    if (p.sessions) {
      const s = (input.sessions as Sessions | undefined) ?? p.defaultSessions;
      a[i++] = s.s1 ?? ESYS_TR.NONE;
      a[i++] = s.s2 ?? ESYS_TR.NONE;
      a[i++] = s.s3 ?? ESYS_TR.NONE;
    }
    for (const q of p.params) i = bindParam(q, input[q.name] as number | Uint8Array | undefined, a, i);
    bindResults(p, a, i);
  };
}

/** The same from the call slot, read in writeCall's order (channel.ts). */
function bindSlot(slot: Slot): (p: Plan, a: unknown[]) => void {
  return (p, a) => {
    let i = 1;
    for (let h = 0; h < p.handles.length; h++) a[i++] = slot.readU32();
    if (p.sessions) {
      const given = slot.readU8() === 1;
      const s = p.defaultSessions;
      a[i++] = given ? slot.readU32() : (s.s1 ?? ESYS_TR.NONE);
      a[i++] = given ? slot.readU32() : (s.s2 ?? ESYS_TR.NONE);
      a[i++] = given ? slot.readU32() : (s.s3 ?? ESYS_TR.NONE);
    }
    for (const q of p.params) i = bindParam(q, q.kind === "struct" ? slot.readView() : slot.readU32(), a, i);
    bindResults(p, a, i);
  };
}

function bindParam(q: Param, v: number | Uint8Array | undefined, a: unknown[], i: number): number {
  if (q.kind === "int") a[i] = q.signed ? (v as number) | 0 : (v as number) >>> 0;
  else if (q.kind === "trRef") {
    q.cell[0] = v as number;
    a[i] = ptr(q.cell);
  } else if (v === undefined && q.optional) a[i] = null;
  else {
    toC(q.type, v as Uint8Array, q.c);
    a[i] = ptr(q.c);
  }
  return i + 1;
}

function bindResults(p: Plan, a: unknown[], i: number): void {
  for (let r = 0; r < p.results.length; r++) a[i++] = ptr(p.cells, r * 8);
}

/** The outputs as the object callers get (undefined for commands without results). */
function takeObject(p: Plan): unknown {
  if (!p.hasOutput) return undefined;
  const out: Record<string, unknown> = {};
  for (let r = 0; r < p.results.length; r++) {
    const res = p.results[r]!;
    if (res.kind === "u32") out[res.name] = p.cellWords[r * 2];
    else if (res.kind === "yesno") out[res.name] = (p.cellWords[r * 2]! & 0xff) !== 0;
    else if (res.kind === "struct") {
      const at = Number(p.cells[r]!) as Pointer;
      out[res.name] = at === 0 ? new Uint8Array(0) : fromC(res.type, at);
    }
  }
  return out;
}

/** The outputs written into the slot as writeOutput lays them out (channel.ts), structures marshalled in place. */
function takeIntoSlot(slot: Slot): (p: Plan) => void {
  return (p) => {
    slot.at = 0;
    for (let r = 0; r < p.results.length; r++) {
      const res = p.results[r]!;
      if (res.kind === "u32") slot.u32(p.cellWords[r * 2]!);
      else if (res.kind === "yesno") slot.u8(p.cellWords[r * 2]! & 0xff ? 1 : 0);
      else if (res.kind === "struct") {
        const at = Number(p.cells[r]!) as Pointer;
        const start = slot.at;
        slot.u32(0);
        if (at !== 0) slot.at = marshalInto(res.type, at, slot.bytes, slot.at);
        slot.view.setUint32(start, slot.at - start - 4, true);
      }
    }
  };
}

/** Built with the library, on the first open. */
let plans: Record<Command, Plan> | undefined;
function plansFor(E: EsysSymbols): Record<Command, Plan> {
  plans ??= Object.fromEntries(COMMAND_NAMES.map((k) => [k, plan(E, COMMANDS[k])])) as Record<Command, Plan>;
  return plans;
}

/**
 * tpm2-tss logs every failed command to stderr, including ones the agent
 * expects (probing an empty handle); errors reach our log as TpmRcError
 * instead. An operator's explicit TSS2_LOG wins.
 */
function quietTss(): void {
  if (process.env.TSS2_LOG === undefined) tss2().libc.symbols.setenv(Buffer.from("TSS2_LOG\0"), Buffer.from("all+none\0"), 0);
}

/**
 * One ESAPI context over one TCTI. Every command method (one per entry of
 * commands.ts, installed below) is a single synchronous Esys_* call: inputs
 * arrive as TPM wire bytes, outputs leave as wire bytes, and no pointer
 * escapes. Methods return promises so the same object can be driven from a
 * Worker without changing its callers.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface declares the methods installed from the command table below the class.
export class EsysTpm {
  private ctx: Pointer | 0;
  private tcti: Pointer | 0;
  private readonly libs: Tss2Libs;
  private readonly plans: Record<Command, Plan>;

  private constructor(libs: Tss2Libs, ctx: Pointer, tcti: Pointer) {
    this.libs = libs;
    this.plans = plansFor(libs.esys.symbols);
    this.ctx = ctx;
    this.tcti = tcti;
  }

  static open(tctiConf: string): EsysTpm {
    const libs = tss2();
    const { tctildr } = libs;
    const E = libs.esys.symbols;
    quietTss();
    const tctiCell = new BigUint64Array(1);
    check("Tss2_TctiLdr_Initialize", tctildr.symbols.Tss2_TctiLdr_Initialize(Buffer.from(tctiConf + "\0"), ptr(tctiCell)));
    const tcti = readPtr(tctiCell);
    const ctxCell = new BigUint64Array(1);
    const rc = E.Esys_Initialize(ptr(ctxCell), tcti, null);
    if (rc !== 0) {
      tctildr.symbols.Tss2_TctiLdr_Finalize(ptr(tctiCell));
      throw new TpmRcError("Esys_Initialize", rc);
    }
    return new EsysTpm(libs, readPtr(ctxCell), tcti);
  }

  private get c(): Pointer {
    if (this.ctx === 0) throw new TpmRcError("closed context", 0x70001 /* ESAPI GENERAL_FAILURE */);
    return this.ctx;
  }

  /** Runs one command of the table; the named methods are this with the name bound. */
  async call<K extends Command>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
    return this.callSync(command, input);
  }

  /** The same, returning in this turn: the TPM Worker's loop answers without going through a promise. */
  callSync<K extends Command>(command: K, input: CommandInput<K>): CommandOutput<K> {
    return execute(this.libs.esys.symbols, this.c, this.plans[command], bindObject(input as Record<string, unknown>), takeObject) as CommandOutput<K>;
  }

  /**
   * The TPM Worker's call: the command and its input read from `slot` (just
   * after the op byte, as writeCall put them), its output written back in
   * place for readOutput.
   */
  callFromSlot(slot: Slot): void {
    const command = COMMAND_NAMES[slot.readU32()];
    if (command === undefined) throw new Error("TPM call slot names no known command");
    execute(this.libs.esys.symbols, this.c, this.plans[command], bindSlot(slot), takeIntoSlot(slot));
  }

  async close(): Promise<void> {
    if (this.ctx === 0) return;
    const ctxCell = new BigUint64Array([BigInt(this.ctx)]);
    this.libs.esys.symbols.Esys_Finalize(ptr(ctxCell));
    const tctiCell = new BigUint64Array([BigInt(this.tcti)]);
    this.libs.tctildr.symbols.Tss2_TctiLdr_Finalize(ptr(tctiCell));
    this.ctx = 0;
    this.tcti = 0;
  }
}

// The command methods come from the table, so none can be missing.
export interface EsysTpm extends TpmCommands {}
for (const k of COMMAND_NAMES) {
  Object.defineProperty(EsysTpm.prototype, k, {
    writable: true,
    configurable: true,
    value(this: EsysTpm, input: CommandInput<typeof k>) {
      return this.call(k, input);
    },
  });
}
