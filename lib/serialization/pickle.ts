// Python's pickle format, the part of it that data uses. Reading is a small stack machine over the opcodes of
// protocols 0-5 that never calls anything: every GLOBAL, REDUCE, BUILD and persistent id is handed to a policy
// that decides what it stands for (or refuses it), as Python's `torch.load(weights_only=True)` does. Writing is
// an opcode emitter for protocol 2, the protocol `torch.save` uses.

/** A malformed or refused pickle; the caller adds the file name. */
export class PickleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PickleError';
  }
}

/** A Python tuple (JS arrays stand for lists). */
export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

/** A Python set or frozenset. */
export class PySet {
  constructor(
    readonly items: unknown[],
    readonly frozen: boolean,
  ) {}
}

/** A Python dict or OrderedDict: entries in insertion order, a repeated key keeping its first position. */
export class PyDict {
  readonly entries: [unknown, unknown][] = [];
  /** Attributes set by BUILD (an OrderedDict state dict carries `_metadata`). */
  readonly attrs = new Map<string, unknown>();
  private readonly index = new Map<unknown, number>();

  constructor(readonly ordered = false) {}

  /** `d[key] = value`. */
  set(key: unknown, value: unknown): void {
    const h = hashKey(key);
    if (h !== undefined) {
      const at = this.index.get(h);
      if (at !== undefined) {
        this.entries[at][1] = value;
        return;
      }
      this.index.set(h, this.entries.length);
    }
    this.entries.push([key, value]);
  }
}

// A key under which equal Python keys meet: primitives themselves, tuples of primitives as a string.
function hashKey(key: unknown, depth = 0): unknown {
  if (key === null || typeof key === 'string' || typeof key === 'boolean' || typeof key === 'bigint') return key;
  if (typeof key === 'number') return Number.isInteger(key) ? BigInt(key) : key;
  if (key instanceof PyTuple) {
    const parts: string[] = [];
    if (depth > 32) return undefined;
    for (const item of key.items) {
      const h = hashKey(item, depth + 1);
      if (h === undefined || typeof h === 'object') return undefined;
      parts.push(`${typeof h}:${String(h)}`);
    }
    return `(${parts.join(',')})`;
  }
  return undefined;
}

/** What a pickle's references to the outside world turn into; each method either answers or throws PickleError. */
export interface UnpicklePolicy {
  /** GLOBAL / STACK_GLOBAL: the value that stands for `module.name`. */
  findClass(module: string, name: string): unknown;
  /** REDUCE: the result of `callable(*args)`. */
  reduce(callable: unknown, args: unknown[]): unknown;
  /** NEWOBJ / NEWOBJ_EX: the result of `cls.__new__(cls, *args, **kwargs)`. */
  newObj(cls: unknown, args: unknown[], kwargs: PyDict | null): unknown;
  /** BUILD: applies `state` to `obj` (`obj.__setstate__(state)`). */
  build(obj: unknown, state: unknown): void;
  /** PERSID / BINPERSID: the object a persistent id names. */
  persistentLoad(pid: unknown): unknown;
  /** APPEND(S) onto something that is not a list. */
  append(obj: unknown, items: unknown[]): void;
  /** SETITEM(S) onto something that is not a dict. */
  setItems(obj: unknown, pairs: [unknown, unknown][]): void;
}

// Python ints in checkpoints are small; a huge one only costs time (decoding is quadratic).
const MAX_LONG_BYTES = 4096;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

const OPNAMES: Record<number, string> = {
  0x28: 'MARK', 0x2e: 'STOP', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP', 0x46: 'FLOAT', 0x49: 'INT', 0x4a: 'BININT',
  0x4b: 'BININT1', 0x4c: 'LONG', 0x4d: 'BININT2', 0x4e: 'NONE', 0x50: 'PERSID', 0x51: 'BINPERSID', 0x52: 'REDUCE',
  0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x56: 'UNICODE', 0x58: 'BINUNICODE', 0x61: 'APPEND',
  0x62: 'BUILD', 0x63: 'GLOBAL', 0x64: 'DICT', 0x7d: 'EMPTY_DICT', 0x65: 'APPENDS', 0x67: 'GET', 0x68: 'BINGET',
  0x69: 'INST', 0x6a: 'LONG_BINGET', 0x6c: 'LIST', 0x5d: 'EMPTY_LIST', 0x6f: 'OBJ', 0x70: 'PUT', 0x71: 'BINPUT',
  0x72: 'LONG_BINPUT', 0x73: 'SETITEM', 0x74: 'TUPLE', 0x29: 'EMPTY_TUPLE', 0x75: 'SETITEMS', 0x47: 'BINFLOAT',
  0x80: 'PROTO', 0x81: 'NEWOBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x85: 'TUPLE1', 0x86: 'TUPLE2',
  0x87: 'TUPLE3', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x8a: 'LONG1', 0x8b: 'LONG4', 0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x93: 'STACK_GLOBAL', 0x94: 'MEMOIZE', 0x95: 'FRAME',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/** Decodes a little-endian two's complement integer: a number when it is exact, a bigint otherwise. */
export function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Encodes an integer as pickle's LONG1 payload: little-endian two's complement, as few bytes as it takes. */
export function encodeLong(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  const out: number[] = [];
  let v = value;
  for (;;) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
    const sign = out[out.length - 1] & 0x80;
    if ((v === 0n && !sign) || (v === -1n && sign)) break;
  }
  return Uint8Array.from(out);
}

/**
 * Runs the pickle that starts at `start` in `data` until its STOP; returns the value and the offset after STOP.
 * Never calls anything: everything outside plain data goes through `policy`.
 */
export function unpickle(data: Uint8Array, policy: UnpicklePolicy, start = 0): { value: unknown; end: number } {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let pos = start;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const need = (n: number): number => {
    if (n < 0 || pos + n > data.length) throw new PickleError(`truncated pickle data (needed ${n} bytes at offset ${pos}, ${data.length - pos} left)`);
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = () => data[need(1)];
  const u16 = () => view.getUint16(need(2), true);
  const u32 = () => view.getUint32(need(4), true);
  const u64 = () => {
    const v = view.getBigUint64(need(8), true);
    if (v > BigInt(data.length)) throw new PickleError(`truncated pickle data (a length of ${v} bytes at offset ${pos - 8})`);
    return Number(v);
  };
  const bytes = (n: number) => {
    const at = need(n);
    return data.subarray(at, at + n);
  };
  const line = (): string => {
    const end = data.indexOf(0x0a, pos);
    if (end < 0) throw new PickleError(`truncated pickle data (a text line at offset ${pos} has no end)`);
    const s = latin1.decode(data.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const str = (b: Uint8Array): string => {
    try {
      return utf8.decode(b);
    } catch {
      throw new PickleError(`invalid UTF-8 in a string at offset ${pos - b.length}`);
    }
  };
  const pop = (): unknown => {
    if (stack.length === 0) throw new PickleError(`stack underflow at offset ${pos - 1}`);
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) throw new PickleError(`stack underflow at offset ${pos - 1}`);
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const prev = metastack.pop();
    if (prev === undefined) throw new PickleError(`no MARK before offset ${pos - 1}`);
    stack = prev;
    return items;
  };
  const memoGet = (i: number): unknown => {
    if (!memo.has(i)) throw new PickleError(`memo entry ${i} is missing (offset ${pos})`);
    return memo.get(i);
  };
  const memoPut = (i: number): void => {
    memo.set(i, top());
  };
  const setItems = (target: unknown, flat: unknown[]): void => {
    if (flat.length % 2 !== 0) throw new PickleError(`odd number of items for SETITEMS at offset ${pos - 1}`);
    const pairs: [unknown, unknown][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
    if (target instanceof PyDict) for (const [k, v] of pairs) target.set(k, v);
    else policy.setItems(target, pairs);
  };
  const append = (target: unknown, items: unknown[]): void => {
    if (Array.isArray(target)) for (const v of items) target.push(v);
    else policy.append(target, items);
  };
  const tupleArg = (v: unknown, what: string): unknown[] => {
    if (!(v instanceof PyTuple)) throw new PickleError(`${what} expects a tuple of arguments at offset ${pos - 1}`);
    return v.items;
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: { // PROTO
        const p = u8();
        if (p > 5) throw new PickleError(`unsupported pickle protocol ${p}`);
        break;
      }
      case 0x95: // FRAME: a length hint only
        need(8);
        break;
      case 0x2e: { // STOP
        const value = pop();
        return { value, end: pos };
      }
      case 0x28: // MARK
        metastack.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        if (stack.length > 0) stack.pop();
        else popMark();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;

      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4a: stack.push(view.getInt32(need(4), true)); break; // BININT
      case 0x8a: stack.push(decodeLong(bytes(u8()))); break; // LONG1
      case 0x8b: { // LONG4
        const n = u32();
        if (n > MAX_LONG_BYTES) throw new PickleError(`an integer of ${n} bytes at offset ${at} is too large`);
        stack.push(decodeLong(bytes(n)));
        break;
      }
      case 0x47: stack.push(view.getFloat64(need(8), false)); break; // BINFLOAT
      case 0x49: { // INT (text)
        const s = line().trim();
        if (s === '00') stack.push(false);
        else if (s === '01') stack.push(true);
        else stack.push(parseIntText(s, at));
        break;
      }
      case 0x4c: stack.push(parseIntText(line().trim().replace(/L$/, ''), at)); break; // LONG (text)
      case 0x46: { // FLOAT (text)
        const s = line().trim();
        const v = Number(s);
        if (Number.isNaN(v) && !/^[+-]?nan$/i.test(s)) throw new PickleError(`invalid FLOAT '${s}' at offset ${at}`);
        stack.push(v);
        break;
      }

      case 0x58: stack.push(str(bytes(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(str(bytes(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(str(bytes(u64()))); break; // BINUNICODE8
      case 0x56: stack.push(rawUnicodeEscape(line())); break; // UNICODE (text)
      case 0x55: stack.push(str(bytes(u8()))); break; // SHORT_BINSTRING (a Python 2 str, read as UTF-8 like torch.load)
      case 0x54: stack.push(str(bytes(view.getInt32(need(4), true)))); break; // BINSTRING
      case 0x53: stack.push(pythonStringLiteral(line(), at)); break; // STRING (text)
      case 0x43: stack.push(new Uint8Array(bytes(u8()))); break; // SHORT_BINBYTES (copied into a plain Uint8Array)
      case 0x42: stack.push(new Uint8Array(bytes(u32()))); break; // BINBYTES
      case 0x8e: stack.push(new Uint8Array(bytes(u64()))); break; // BINBYTES8
      case 0x96: stack.push(new Uint8Array(bytes(u64()))); break; // BYTEARRAY8

      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: { // LIST
        const items = popMark();
        stack.push(items);
        break;
      }
      case 0x61: { // APPEND
        const v = pop();
        append(top(), [v]);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x74: { // TUPLE
        const items = popMark();
        stack.push(new PyTuple(items));
        break;
      }
      case 0x85: stack.push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { // TUPLE2
        const b = pop();
        const a = pop();
        stack.push(new PyTuple([a, b]));
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(new PyTuple([a, b, c]));
        break;
      }
      case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
      case 0x64: { // DICT
        const d = new PyDict();
        setItems(d, popMark());
        stack.push(d);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: { // SETITEMS
        const flat = popMark();
        setItems(top(), flat);
        break;
      }
      case 0x8f: stack.push(new PySet([], false)); break; // EMPTY_SET
      case 0x90: { // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof PySet) || s.frozen) throw new PickleError(`ADDITEMS onto something that is not a set at offset ${at}`);
        s.items.push(...items);
        break;
      }
      case 0x91: { // FROZENSET
        const items = popMark();
        stack.push(new PySet(items, true));
        break;
      }

      case 0x70: memo.set(parseIntText(line().trim(), at) as number, top()); break; // PUT
      case 0x71: memoPut(u8()); break; // BINPUT
      case 0x72: memoPut(u32()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x67: stack.push(memoGet(parseIntText(line().trim(), at) as number)); break; // GET
      case 0x68: stack.push(memoGet(u8())); break; // BINGET
      case 0x6a: stack.push(memoGet(u32())); break; // LONG_BINGET

      case 0x63: { // GLOBAL
        const module = line();
        const name = line();
        stack.push(policy.findClass(module, name));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw new PickleError(`STACK_GLOBAL expects two strings at offset ${at}`);
        stack.push(policy.findClass(module, name));
        break;
      }
      case 0x52: { // REDUCE
        const args = tupleArg(pop(), 'REDUCE');
        const fn = pop();
        stack.push(policy.reduce(fn, args));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = tupleArg(pop(), 'NEWOBJ');
        const cls = pop();
        stack.push(policy.newObj(cls, args, null));
        break;
      }
      case 0x92: { // NEWOBJ_EX
        const kwargs = pop();
        const args = tupleArg(pop(), 'NEWOBJ_EX');
        const cls = pop();
        if (!(kwargs instanceof PyDict)) throw new PickleError(`NEWOBJ_EX expects a dict of keyword arguments at offset ${at}`);
        stack.push(policy.newObj(cls, args, kwargs));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        policy.build(top(), state);
        break;
      }
      case 0x51: stack.push(policy.persistentLoad(pop())); break; // BINPERSID
      case 0x50: stack.push(policy.persistentLoad(line())); break; // PERSID

      default: {
        const name = OPNAMES[op];
        if (name) throw new PickleError(`the pickle opcode ${name} is not allowed (offset ${at})`);
        throw new PickleError(`invalid pickle opcode 0x${op.toString(16).padStart(2, '0')} at offset ${at}`);
      }
    }
  }
}

function parseIntText(s: string, at: number): number | bigint {
  if (s.length > MAX_LONG_BYTES * 3) throw new PickleError(`an integer of ${s.length} digits at offset ${at} is too large`);
  if (!/^[+-]?\d+$/.test(s)) throw new PickleError(`invalid integer '${s.slice(0, 40)}' at offset ${at}`);
  const v = BigInt(s);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

// Protocol 0's UNICODE argument: raw-unicode-escape (only \uXXXX and \UXXXXXXXX are escapes).
function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a: string | undefined, b: string | undefined) =>
    String.fromCodePoint(parseInt((a ?? b) as string, 16)),
  );
}

// Protocol 0's STRING argument: a quoted Python string literal.
function pythonStringLiteral(s: string, at: number): string {
  const q = s[0];
  if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q) throw new PickleError(`invalid STRING argument at offset ${at}`);
  const body = s.slice(1, -1);
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return simple[e] ?? `\\${e}`;
  });
}

/** Writes protocol-2 pickle opcodes into a growing buffer. */
export class PickleWriter {
  private buf = new Uint8Array(1024);
  private len = 0;
  private readonly encoder = new TextEncoder();
  private nextMemo = 0;

  constructor() {
    this.op(0x80, 2); // PROTO 2
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private op(...bytes: number[]): void {
    this.reserve(bytes.length);
    for (const b of bytes) this.buf[this.len++] = b;
  }

  private raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  private u32(v: number): void {
    this.op(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }

  /** `None`. */
  none(): void {
    this.op(0x4e);
  }

  /** `True` / `False`. */
  bool(v: boolean): void {
    this.op(v ? 0x88 : 0x89);
  }

  /** An int, in the shortest opcode that holds it. */
  int(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && v < 0x100) this.op(0x4b, v);
    else if (typeof v === 'number' && v >= 0 && v < 0x10000) this.op(0x4d, v & 0xff, v >>> 8);
    else if (typeof v === 'number' && v >= -0x80000000 && v <= 0x7fffffff) {
      this.op(0x4a);
      this.u32(v >>> 0);
    } else {
      const b = encodeLong(BigInt(v));
      if (b.length > 255) throw new RangeError(`an integer of ${b.length} bytes is too large to save`);
      this.op(0x8a, b.length);
      this.raw(b);
    }
  }

  /** A float (BINFLOAT, big-endian). */
  float(v: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, false);
    this.op(0x47);
    this.raw(b);
  }

  /** A str (BINUNICODE). */
  str(s: string): void {
    const b = this.encoder.encode(s);
    this.op(0x58);
    this.u32(b.length);
    this.raw(b);
  }

  /** A reference to `module.name` (GLOBAL). */
  global(module: string, name: string): void {
    this.op(0x63);
    this.raw(this.encoder.encode(`${module}\n${name}\n`));
  }

  /** Starts a group of items (MARK). */
  mark(): void {
    this.op(0x28);
  }

  /** A tuple of the last `n` values pushed; `n === null` closes the group opened by mark(). */
  tuple(n: number | null): void {
    if (n === null) this.op(0x74);
    else if (n === 0) this.op(0x29);
    else if (n === 1) this.op(0x85);
    else if (n === 2) this.op(0x86);
    else if (n === 3) this.op(0x87);
    else throw new RangeError('tuple(n) takes 0 to 3 items; use mark() and tuple(null) for more');
  }

  /** An empty list. */
  emptyList(): void {
    this.op(0x5d);
  }

  /** Appends the items since mark() to the list below the mark. */
  appends(): void {
    this.op(0x65);
  }

  /** An empty dict. */
  emptyDict(): void {
    this.op(0x7d);
  }

  /** Sets the key/value pairs since mark() into the dict below the mark. */
  setItems(): void {
    this.op(0x75);
  }

  /** Sets one key/value pair into the dict below them. */
  setItem(): void {
    this.op(0x73);
  }

  /** Calls the callable below the argument tuple. */
  reduce(): void {
    this.op(0x52);
  }

  /** Applies the state on top to the object below it. */
  build(): void {
    this.op(0x62);
  }

  /** Replaces the tuple on top by the object it names outside the pickle. */
  persistentId(): void {
    this.op(0x51);
  }

  /** Remembers the value on top; returns its memo index. */
  put(): number {
    const i = this.nextMemo++;
    if (i < 0x100) this.op(0x71, i);
    else {
      this.op(0x72);
      this.u32(i);
    }
    return i;
  }

  /** Pushes a remembered value again. */
  get(i: number): void {
    if (i < 0x100) this.op(0x68, i);
    else {
      this.op(0x6a);
      this.u32(i);
    }
  }

  /** Ends the pickle and returns its bytes. */
  finish(): Uint8Array {
    this.op(0x2e); // STOP
    return this.buf.subarray(0, this.len);
  }
}
