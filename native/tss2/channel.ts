/**
 * The TPM Worker's call slot: one SharedArrayBuffer holding a request or its
 * answer, with Atomics for the hand-over. A postMessage hop costs a
 * structured clone of the request and the answer plus a task on each
 * thread's event loop, twice per command; here the Worker sleeps in
 * Atomics.wait and the agent's thread in Atomics.waitAsync, so its event
 * loop keeps running while the TPM works. Calls and answers are laid out
 * from the command table (handles, sessions, parameters, results in table
 * order), so nothing here changes when a command is added.
 *
 * Header (Int32): [0] request sequence (the agent's thread bumps it), [1]
 * answer sequence (the Worker sets it to the request's), [2] answer kind.
 * Then the bytes: a request is its op, the command's index in COMMAND_NAMES
 * and its input; an answer is the command's output or the error. The agent's
 * side is here (writeCall, readOutput); the Worker reads a call straight
 * into ESAPI's arguments and marshals the outputs straight into the slot
 * (EsysTpm.callFromSlot), in the same order.
 */

import { COMMAND_NAMES, COMMANDS, type Command, type CommandSpec, ESYS_TR, type ParamKind, type ResultKind, type Sessions } from "./commands.ts";

export const SLOT = { request: 0, answer: 1, kind: 2 } as const;
const HEADER_BYTES = 16;
/** Far above the largest TPM structure the table moves (a TPMS_CAPABILITY_DATA, a 2 KiB NV buffer). */
const DATA_BYTES = 64 * 1024;

export const OP = { call: 1, close: 2 } as const;
export const ANSWER = { ok: 0, rc: 1, error: 2 } as const;

/** The shared memory of one TPM Worker, with views for both sides. */
export class Slot {
  readonly header: Int32Array;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  at = 0;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(HEADER_BYTES + DATA_BYTES)) {
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES);
    this.view = new DataView(buffer, HEADER_BYTES);
  }

  private room(n: number): void {
    if (this.at + n > this.bytes.length) throw new RangeError(`TPM call of more than ${this.bytes.length} bytes`);
  }

  u8(v: number): void {
    this.room(1);
    this.view.setUint8(this.at++, v);
  }

  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.at, v >>> 0, true);
    this.at += 4;
  }

  /** Length-prefixed bytes; 0xffffffff stands for a left-out optional structure. */
  blob(v: Uint8Array | undefined): void {
    if (v === undefined) {
      this.u32(0xffffffff);
      return;
    }
    this.u32(v.length);
    this.room(v.length);
    this.bytes.set(v, this.at);
    this.at += v.length;
  }

  text(s: string): void {
    this.blob(new TextEncoder().encode(s));
  }

  readU8(): number {
    return this.view.getUint8(this.at++);
  }

  readU32(): number {
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }

  /** A view into the slot (no copy): valid until the next call, which is all the Worker needs. */
  readView(): Uint8Array | undefined {
    const n = this.readU32();
    if (n === 0xffffffff) return undefined;
    const v = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }

  /** A copy the caller may keep. */
  readCopy(): Uint8Array {
    return this.readView()?.slice() ?? new Uint8Array(0);
  }

  readText(): string {
    return new TextDecoder().decode(this.readCopy());
  }
}

interface Shape {
  handles: string[];
  sessions: boolean;
  params: [string, "int" | "struct"][];
  results: [string, "u32" | "yesno" | "struct" | "drop"][];
}

const paramWire = (k: ParamKind): "int" | "struct" => (k === "u8" || k === "u16" || k === "u32" || k === "i32" || k === "tr*" ? "int" : "struct");
const resultWire = (k: ResultKind): "u32" | "yesno" | "struct" | "drop" => (k === "tr" || k === "u32" ? "u32" : k === "yesno" || k === "drop" ? k : "struct");

const shapes = new Map<Command, Shape>();
function shape(k: Command): Shape {
  let s = shapes.get(k);
  if (!s) {
    const spec: CommandSpec = COMMANDS[k];
    s = {
      handles: Object.keys(spec.handles ?? {}),
      sessions: spec.sessions !== false,
      params: Object.entries<ParamKind>(spec.params ?? {}).map(([n, kind]) => [n, paramWire(kind)]),
      results: Object.entries<ResultKind>(spec.results ?? {}).map(([n, kind]) => [n, resultWire(kind)]),
    };
    shapes.set(k, s);
  }
  return s;
}

const INDEX = new Map(COMMAND_NAMES.map((k, i) => [k, i]));

/** Agent side: writes a call's op, command and input. */
export function writeCall(slot: Slot, command: Command, input: Record<string, unknown>): void {
  const s = shape(command);
  slot.at = 0;
  slot.u8(OP.call);
  slot.u32(INDEX.get(command)!);
  for (const h of s.handles) slot.u32(input[h] as number);
  if (s.sessions) {
    const ss = input.sessions as Sessions | undefined;
    slot.u8(ss ? 1 : 0);
    if (ss) for (const v of [ss.s1, ss.s2, ss.s3]) slot.u32(v ?? ESYS_TR.NONE);
  }
  for (const [n, wire] of s.params) {
    if (wire === "int") slot.u32(input[n] as number);
    else slot.blob(input[n] as Uint8Array | undefined);
  }
}

/** Agent side: the output back as the object EsysTpm returns (undefined for commands without results). */
export function readOutput(slot: Slot, command: Command): unknown {
  const s = shape(command);
  slot.at = 0;
  if (!s.results.some(([, w]) => w !== "drop")) return undefined;
  const out: Record<string, unknown> = {};
  for (const [n, wire] of s.results) {
    if (wire === "u32") out[n] = slot.readU32();
    else if (wire === "yesno") out[n] = slot.readU8() !== 0;
    else if (wire === "struct") out[n] = slot.readCopy();
  }
  return out;
}
