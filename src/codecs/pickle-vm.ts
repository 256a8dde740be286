/**
 * A pickle interpreter that only builds data. It understands the opcodes of protocols 0–5 for
 * plain values, and resolves GLOBAL / STACK_GLOBAL against an allow-list of names whose
 * behaviour it re-implements itself (pickle-numpy.ts). Nothing is ever imported, called or
 * executed: any other global, and any REDUCE / BUILD / NEWOBJ / INST / OBJ / persistent id /
 * extension code outside the allow-listed shapes, raises a CodecError naming what was refused.
 */
import { CodecError } from "../errors.js";

export class PyTuple { constructor(readonly items: unknown[]) {} }
export class PyDict { readonly map = new Map<unknown, unknown>(); constructor(readonly className?: string) {} }
export class PySet { constructor(readonly items: unknown[]) {} }
/** A reference to an allow-listed global; what it does is decided by `Allowed`. */
export class PyGlobal { constructor(readonly name: string) {} }

export interface Allowed {
  /** Names that GLOBAL/STACK_GLOBAL may resolve. */
  readonly globals: ReadonlySet<string>;
  reduce(fn: PyGlobal, args: unknown[]): unknown;
  build(target: unknown, state: unknown): void;
  newobj(cls: PyGlobal, args: unknown[]): unknown;
}

const MARK = Symbol("mark");
const MAX_STACK = 1_000_000;

export function refuse(what: string, global?: string): CodecError {
  return new CodecError(`pickle decode refused ${what}${global ? ` (global "${global}")` : ""}: only plain data and numpy object arrays are read`, { codecId: "pickle", direction: "decode" });
}

function bad(message: string): CodecError {
  return new CodecError(`pickle decode failed: ${message}`, { codecId: "pickle", direction: "decode" });
}

export function runPickle(data: Uint8Array, allowed: Allowed): unknown {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let pos = 0;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const need = (n: number) => { if (n < 0 || pos + n > data.length) throw bad(`truncated at byte ${pos} (needs ${n} more)`); };
  const u8 = () => { need(1); return data[pos++]!; };
  const u16 = () => { need(2); const v = dv.getUint16(pos, true); pos += 2; return v; };
  const u32 = () => { need(4); const v = dv.getUint32(pos, true); pos += 4; return v; };
  const i32 = () => { need(4); const v = dv.getInt32(pos, true); pos += 4; return v; };
  const u64 = () => { need(8); const v = dv.getBigUint64(pos, true); pos += 8; if (v > BigInt(data.length)) throw bad("length beyond the data"); return Number(v); };
  const bytes = (n: number) => { need(n); const b = data.slice(pos, pos + n); pos += n; return b; };
  const line = () => {
    const end = data.indexOf(0x0a, pos);
    if (end < 0) throw bad("unterminated text argument");
    const s = new TextDecoder("latin1").decode(data.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const push = (v: unknown) => { if (stack.length >= MAX_STACK) throw bad("stack too deep"); stack.push(v); };
  const pop = () => { if (!stack.length) throw bad("stack underflow"); return stack.pop(); };
  const top = () => { if (!stack.length) throw bad("stack underflow"); return stack[stack.length - 1]; };
  const popMark = () => {
    const items = stack;
    const prev = metastack.pop();
    if (!prev) throw bad("MARK missing");
    stack = prev;
    return items;
  };
  const global = (module: string, name: string) => {
    const full = `${module}.${name}`;
    if (!allowed.globals.has(full)) throw refuse("a global", full);
    return new PyGlobal(full);
  };
  const long = (b: Uint8Array) => {
    if (b.length === 0) return 0;
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const setitems = (target: unknown, items: unknown[]) => {
    if (!(target instanceof PyDict)) throw refuse(`SETITEM(S) on ${describe(target)}`);
    if (items.length % 2) throw bad("odd SETITEMS");
    for (let i = 0; i < items.length; i += 2) target.map.set(hashable(items[i]), items[i + 1]);
  };
  const appends = (target: unknown, items: unknown[]) => {
    if (Array.isArray(target)) target.push(...items);
    else if (target instanceof PySet) target.items.push(...items);
    else throw refuse(`APPEND(S) on ${describe(target)}`);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: u8(); break;                                   // PROTO
      case 0x95: u64(); break;                                  // FRAME (length only)
      case 0x2e: {                                              // STOP
        const v = pop();
        return v;
      }
      case 0x28: metastack.push(stack); stack = []; break;      // MARK
      case 0x30: pop(); break;                                  // POP
      case 0x31: popMark(); break;                              // POP_MARK
      case 0x32: push(top()); break;                            // DUP
      case 0x4e: push(null); break;                             // NONE
      case 0x88: push(true); break;                             // NEWTRUE
      case 0x89: push(false); break;                            // NEWFALSE
      case 0x49: {                                              // INT (text)
        const s = line();
        push(s === "01" ? true : s === "00" ? false : parseIntText(s));
        break;
      }
      case 0x4c: push(parseIntText(line().replace(/L$/, ""))); break; // LONG (text)
      case 0x4a: push(i32()); break;                            // BININT
      case 0x4b: push(u8()); break;                             // BININT1
      case 0x4d: push(u16()); break;                            // BININT2
      case 0x8a: push(long(bytes(u8()))); break;                // LONG1
      case 0x8b: { const n = i32(); if (n < 0) throw bad("negative LONG4"); push(long(bytes(n))); break; }
      case 0x46: push(Number.parseFloat(line())); break;        // FLOAT (text)
      case 0x47: { need(8); push(dv.getFloat64(pos, false)); pos += 8; break; } // BINFLOAT
      case 0x53: push(unquote(line())); break;                  // STRING (text)
      case 0x54: { const n = i32(); if (n < 0) throw bad("negative BINSTRING"); push(latin1(bytes(n))); break; }
      case 0x55: push(latin1(bytes(u8()))); break;              // SHORT_BINSTRING
      case 0x56: push(rawUnicodeEscape(line())); break;         // UNICODE (text)
      case 0x58: push(utf8.decode(bytes(u32()))); break;        // BINUNICODE
      case 0x8c: push(utf8.decode(bytes(u8()))); break;         // SHORT_BINUNICODE
      case 0x8d: push(utf8.decode(bytes(u64()))); break;        // BINUNICODE8
      case 0x42: push(bytes(u32())); break;                     // BINBYTES
      case 0x43: push(bytes(u8())); break;                      // SHORT_BINBYTES
      case 0x8e: push(bytes(u64())); break;                     // BINBYTES8
      case 0x96: push(bytes(u64())); break;                     // BYTEARRAY8
      case 0x97: case 0x98: throw refuse("out-of-band buffers (NEXT_BUFFER / READONLY_BUFFER)");
      case 0x5d: push([]); break;                               // EMPTY_LIST
      case 0x61: { const v = pop(); appends(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); appends(top(), items); break; } // APPENDS
      case 0x6c: push(popMark()); break;                        // LIST
      case 0x29: push(new PyTuple([])); break;                  // EMPTY_TUPLE
      case 0x74: push(new PyTuple(popMark())); break;           // TUPLE
      case 0x85: push(new PyTuple([pop()])); break;             // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); push(new PyTuple([a, b])); break; }
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); push(new PyTuple([a, b, c])); break; }
      case 0x7d: push(new PyDict()); break;                     // EMPTY_DICT
      case 0x64: { const d = new PyDict(); setitems(d, popMark()); push(d); break; } // DICT
      case 0x73: { const v = pop(); const k = pop(); setitems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setitems(top(), items); break; } // SETITEMS
      case 0x8f: push(new PySet([])); break;                    // EMPTY_SET
      case 0x90: { const items = popMark(); appends(top(), items); break; } // ADDITEMS
      case 0x91: push(new PySet(popMark())); break;             // FROZENSET
      case 0x70: memo.set(Number(line()), top()); break;        // PUT
      case 0x71: memo.set(u8(), top()); break;                  // BINPUT
      case 0x72: memo.set(u32(), top()); break;                 // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break;             // MEMOIZE
      case 0x67: push(memoGet(memo, Number(line()))); break;    // GET
      case 0x68: push(memoGet(memo, u8())); break;              // BINGET
      case 0x6a: push(memoGet(memo, u32())); break;             // LONG_BINGET
      case 0x63: { const module = line(); const name = line(); push(global(module, name)); break; } // GLOBAL
      case 0x93: {                                              // STACK_GLOBAL
        const name = pop(); const module = pop();
        if (typeof name !== "string" || typeof module !== "string") throw refuse("STACK_GLOBAL with non-string names");
        push(global(module, name));
        break;
      }
      case 0x52: {                                              // REDUCE
        const args = pop(); const fn = pop();
        if (!(fn instanceof PyGlobal)) throw refuse(`REDUCE on ${describe(fn)}`);
        if (!(args instanceof PyTuple)) throw refuse("REDUCE with non-tuple arguments", fn.name);
        push(allowed.reduce(fn, args.items));
        break;
      }
      case 0x62: { const state = pop(); allowed.build(top(), state); break; } // BUILD
      case 0x81: {                                              // NEWOBJ
        const args = pop(); const cls = pop();
        if (!(cls instanceof PyGlobal) || !(args instanceof PyTuple)) throw refuse(`NEWOBJ on ${describe(cls)}`);
        push(allowed.newobj(cls, args.items));
        break;
      }
      case 0x92: {                                              // NEWOBJ_EX
        pop(); pop(); const cls = pop();
        throw refuse("NEWOBJ_EX", cls instanceof PyGlobal ? cls.name : undefined);
      }
      case 0x69: { const module = line(); const name = line(); throw refuse("INST", `${module}.${name}`); }
      case 0x6f: {                                              // OBJ
        const items = popMark();
        const cls = items[0];
        throw refuse("OBJ", cls instanceof PyGlobal ? cls.name : undefined);
      }
      case 0x50: case 0x51: throw refuse("persistent ids (PERSID / BINPERSID)");
      case 0x82: case 0x83: case 0x84: throw refuse("extension codes (EXT1/2/4)");
      default: throw bad(`unknown opcode 0x${op.toString(16)} at byte ${pos - 1}`);
    }
  }
}

function memoGet(memo: Map<number, unknown>, i: number): unknown {
  if (!memo.has(i)) throw bad(`memo ${i} is not set`);
  return memo.get(i);
}

function hashable(k: unknown): unknown {
  if (k === null || ["string", "number", "boolean", "bigint"].includes(typeof k)) return k;
  if (k instanceof PyTuple) return JSON.stringify(k.items, (_x, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  throw bad(`unhashable dict key ${describe(k)}`);
}

export function describe(v: unknown): string {
  if (v instanceof PyGlobal) return `global ${v.name}`;
  if (v instanceof PyTuple) return "a tuple";
  if (v instanceof PyDict) return v.className ? `a ${v.className}` : "a dict";
  if (Array.isArray(v)) return "a list";
  return v === null ? "None" : typeof v;
}

function parseIntText(s: string): number | bigint {
  const b = BigInt(s.trim());
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

function latin1(b: Uint8Array): string {
  return new TextDecoder("latin1").decode(b);
}

function unquote(s: string): string {
  const q = s[0];
  if ((q !== "'" && q !== "\"") || s[s.length - 1] !== q) throw bad("bad STRING argument");
  return s.slice(1, -1).replace(/\\x([0-9a-fA-F]{2})|\\(.)/g, (_m, hex: string | undefined, c: string | undefined) => {
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    return c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : c ?? "";
  });
}

function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a: string | undefined, b: string | undefined) =>
    String.fromCodePoint(parseInt((a ?? b)!, 16)));
}
