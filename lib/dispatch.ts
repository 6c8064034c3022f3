// The generic path to every ATen operator: overloads are resolved here against the schemas the dispatcher
// registers (as Python's argument parser does), values are converted, and the addon calls the operator boxed.
import { N, Schema, SchemaArg, Handle } from './native';
import { Tensor, wrap, scalarTensorHandle } from './tensor';
import { Device } from './device';
import { toDType, describe, isPythonInt } from './dtype';
import { snakeCase, splitOptions } from './args';
import { Generator, kStateBytes, kLoadStateBytes } from './generator';

/** Keyword arguments of an operator call, camelCase or snake_case. */
export type Kwargs = Record<string, unknown>;

const REJECT = 1e9;
const MEMORY_FORMATS = new Set(['contiguous_format', 'channels_last', 'channels_last_3d', 'preserve_format']);


// Operators whose Python bindings take a number where a Tensor goes (python_arg_parser.cpp,
// should_allow_numbers_as_tensors): `x.add_(1)` and `x.div(2, rounding_mode=...)` call the Tensor overload with the
// number wrapped, never the Scalar one (Python does not bind add.Scalar, sub.Scalar, mul.Scalar, div.Scalar).
const NUMBERS_AS_TENSORS = new Set(
  ['add', 'sub', 'subtract', 'mul', 'multiply', 'div', 'divide', 'true_divide', 'floor_divide'].flatMap((n) => [n, `${n}_`]),
);

/**
 * How well `v` fits a schema type: 0 exact, larger for conversions, REJECT when it cannot. `numbersAsTensors`:
 * a number fits a Tensor better than a Scalar (see NUMBERS_AS_TENSORS).
 */
function fit(v: unknown, type: string, numbersAsTensors: boolean): number {
  if (type.endsWith('?')) {
    if (v === null || v === undefined) return 0;
    return fit(v, type.slice(0, -1), numbersAsTensors);
  }
  const isNumber = typeof v === 'number' || typeof v === 'boolean';
  switch (type) {
    case 'Tensor':
      if (v instanceof Tensor) return 0;
      return isNumber ? (numbersAsTensors ? 0 : 10) : REJECT;
    case 'Scalar':
      if (isNumber) return numbersAsTensors ? 1 : 0;
      // Python's parser takes a 0-dim tensor that does not require grad as a number.
      return v instanceof Tensor && v.dim() === 0 && !v.requiresGrad ? 5 : REJECT;
    case 'int':
      return isPythonInt(v) ? 0 : typeof v === 'boolean' ? 2 : REJECT;
    case 'float':
      return typeof v === 'number' ? (isPythonInt(v) ? 1 : 0) : REJECT;
    case 'bool':
      return typeof v === 'boolean' ? 0 : REJECT;
    case 'str':
      return typeof v === 'string' ? 0 : REJECT;
    case 'ScalarType':
      try {
        toDType(v);
        return 0;
      } catch {
        return REJECT;
      }
    case 'Device':
      return typeof v === 'string' || v instanceof Device ? 0 : REJECT;
    case 'MemoryFormat':
      return typeof v === 'string' && MEMORY_FORMATS.has(v) ? 0 : REJECT;
    case 'Layout':
      return v === 'strided' ? 0 : REJECT;
    case 'Generator':
      return v === null || v === undefined || v instanceof Generator ? 0 : REJECT;
    case 'int[]':
      if (isPythonInt(v)) return 1;
      return Array.isArray(v) && v.every(isPythonInt) ? 0 : REJECT;
    case 'float[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'number') ? 0 : REJECT;
    case 'bool[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'boolean') ? 0 : REJECT;
    case 'Scalar[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'number' || typeof x === 'boolean') ? 0 : REJECT;
    case 'Tensor[]':
      return Array.isArray(v) && v.every((x) => x instanceof Tensor) ? 0 : REJECT;
    case 'Tensor?[]':
      return Array.isArray(v) && v.every((x) => x === null || x === undefined || x instanceof Tensor) ? 0 : REJECT;
    default:
      return REJECT;
  }
}

interface Bound {
  schema: Schema;
  values: unknown[];
  score: number;
}

/** Binds positional and keyword arguments to one overload; null when they do not fit. */
function bind(schema: Schema, positional: unknown[], kwargs: Kwargs | undefined, numbersAsTensors: boolean): Bound | null {
  const formals = schema.args;
  const values: unknown[] = new Array(formals.length).fill(undefined);
  let score = 0;
  let p = 0;
  for (let i = 0; i < formals.length && p < positional.length; i++) {
    if (formals[i].kwargOnly) break;
    values[i] = positional[p++];
  }
  if (p < positional.length) return null;
  if (kwargs && Array.isArray(kwargs.out) && !formals.some((f) => f.name === 'out')) {
    // Python's `out=(values, indices)`: the written keyword-only arguments, in order.
    const outs = formals.filter((f) => f.written && f.kwargOnly);
    if (outs.length !== kwargs.out.length) return null;
    const { out, ...rest } = kwargs;
    kwargs = { ...rest, ...Object.fromEntries(outs.map((f, k) => [f.name, (out as unknown[])[k]])) };
  }
  if (kwargs) {
    for (const key of Object.keys(kwargs)) {
      if (kwargs[key] === undefined) continue;
      const name = snakeCase(key);
      const i = formals.findIndex((f) => f.name === name || f.name === key);
      if (i < 0 || values[i] !== undefined) return null;
      values[i] = kwargs[key];
    }
  }
  for (let i = 0; i < formals.length; i++) {
    const f = formals[i];
    if (values[i] === undefined) {
      if (!f.hasDefault && !f.type.endsWith('?')) return null;
      continue;
    }
    const s = fit(values[i], f.type, numbersAsTensors);
    if (s >= REJECT) return null;
    score += s;
  }
  return { schema, values, score };
}

interface OpInfo {
  name: string;
  schemas: Schema[];
  cache: Map<string, Schema>;
  numbersAsTensors: boolean;
  overloads: Map<string, Schema>;
  /** Names of the written keyword-only arguments of the out= variants (`out`, or `values` and `indices`, ...). */
  outNames: Set<string>;
}

const ops = new Map<string, OpInfo>();

/** The overloads of `aten::name` (or any `ns::name`), fetched once. */
function opInfo(name: string): OpInfo {
  let info = ops.get(name);
  if (!info) {
    const qualified = name.includes('::') ? name : `aten::${name}`;
    const all = N.opSchemas(qualified);
    if (all.length === 0) throw new TypeError(`there is no operator named ${qualified}`);
    // Named-tensor overloads are not supported; out= variants are used only when one of their written arguments
    // (`out`, or `values` and `indices`, ...) is passed.
    const schemas = all.filter((s) => !s.args.some((a) => a.type.includes('Dimname')));
    const written = schemas.flatMap((s) => s.args.filter((a) => a.written && a.kwargOnly).map((a) => a.name));
    info = {
      name: qualified,
      schemas,
      cache: new Map(),
      numbersAsTensors: NUMBERS_AS_TENSORS.has(qualified.replace(/^aten::/, '')),
      overloads: new Map(all.map((s) => [s.overload, s])),
      outNames: new Set(['out', ...written]),
    };
    ops.set(name, info);
  }
  return info;
}

function kindOf(v: unknown): string {
  if (v instanceof Tensor) return 'T';
  if (typeof v === 'number') return isPythonInt(v) ? 'i' : 'f';
  if (typeof v === 'boolean') return 'b';
  if (typeof v === 'string') return `s${v}`;
  if (v === null || v === undefined) return 'n';
  if (Array.isArray(v)) return `[${v.map(kindOf).join(',')}]`;
  if (v instanceof Device) return 'd';
  return 'o';
}

/** Chooses the overload for these arguments, as Python's argument parser would. */
export function resolve(name: string, positional: unknown[], kwargs?: Kwargs): Bound {
  const info = opInfo(name);
  const key = positional.map(kindOf).join('|') + (kwargs ? `|${Object.keys(kwargs).filter((k) => kwargs[k] !== undefined).map((k) => `${k}=${kindOf(kwargs[k])}`).join('|')}` : '');
  const cached = info.cache.get(key);
  if (cached) {
    const b = bind(cached, positional, kwargs, info.numbersAsTensors);
    if (b) return b;
  }
  const wantsOut = kwargs !== undefined && Object.keys(kwargs).some((k) => kwargs[k] !== undefined && info.outNames.has(snakeCase(k)));
  let best: Bound | null = null;
  for (const s of info.schemas) {
    const isOut = s.args.some((a) => a.written && a.kwargOnly);
    if (isOut !== wantsOut) continue;
    const b = bind(s, positional, kwargs, info.numbersAsTensors);
    // Ties go to the overload with fewer arguments (sort.values before sort.values_stable).
    if (b && (!best || b.score < best.score || (b.score === best.score && s.args.length < best.schema.args.length))) best = b;
  }
  if (!best) {
    const got = positional.map((v) => describeArg(v)).join(', ');
    const kw = kwargs ? Object.keys(kwargs).filter((k) => kwargs[k] !== undefined).map((k) => `${k}=${describeArg(kwargs[k])}`) : [];
    throw new TypeError(
      `${info.name}() received an invalid combination of arguments - got (${[got, ...kw].filter(Boolean).join(', ')}), but expected one of:\n` +
        info.schemas.filter((s) => !s.args.some((a) => a.written && a.kwargOnly)).map((s) => ` * ${s.text}`).join('\n'),
    );
  }
  if (info.cache.size < 256) info.cache.set(key, best.schema);
  return best;
}

function describeArg(v: unknown): string {
  if (v instanceof Tensor) return 'Tensor';
  if (Array.isArray(v)) return `[${v.map(describeArg).join(', ')}]`;
  return typeof v === 'number' ? (isPythonInt(v) ? 'int' : 'float') : describe(v);
}

/** Converts bound values to what the addon takes; scalar tensors made here are returned for release. */
function toNative(formals: SchemaArg[], values: unknown[], temps: Handle[], generators: [Generator, Uint8Array][]): unknown[] {
  const out = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = formals[i].type;
    if (v === undefined || v === null) {
      out[i] = v;
    } else if (v instanceof Generator) {
      // Its state in PyTorch's layout: the operator draws from a native generator set to it, and writes it back.
      const state = v[kStateBytes]();
      generators.push([v, state]);
      out[i] = state;
    } else if (v instanceof Tensor && t.startsWith('Scalar') && !t.startsWith('ScalarType')) {
      out[i] = { scalarOf: v.handle };  // its value with its type (2.0 stays a float)
    } else if (v instanceof Tensor) {
      out[i] = v.handle;
    } else if (t.startsWith('Tensor') && (typeof v === 'number' || typeof v === 'boolean')) {
      const h = scalarTensorHandle(v);
      temps.push(h);
      out[i] = h;
    } else if (Array.isArray(v) && t.startsWith('Tensor')) {
      out[i] = v.map((x) => (x instanceof Tensor ? x.handle : x ?? null));
    } else if (v instanceof Device) {
      out[i] = v.toString();
    } else if (t.startsWith('ScalarType')) {
      out[i] = toDType(v);
    } else {
      out[i] = v;
    }
  }
  return out;
}

function wrapResult(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'Tensor' || type === 'Tensor?') return wrap(value as Handle);
  if (type === 'Tensor[]' || type === 'Tensor?[]') return (value as (Handle | null)[]).map((h) => (h === null ? null : wrap(h)));
  return value;
}

/** Calls a bound overload; returns what the schema returns (one value, an array for several, or undefined). */
export function callBound(b: Bound): unknown {
  const temps: Handle[] = [];
  const generators: [Generator, Uint8Array][] = [];
  let raw: unknown;
  try {
    raw = N.callOp(b.schema.id, toNative(b.schema.args, b.values, temps, generators));
  } finally {
    // The state as the operator left it, also when it failed after drawing.
    for (const [g, state] of generators) g[kLoadStateBytes](state);
    for (const h of temps) N.dispose(h);
  }
  const rets = b.schema.returns;
  if (rets.length === 0) return undefined;
  if (rets.length === 1) return rets[0].aliasOf >= 0 ? b.values[rets[0].aliasOf] : wrapResult(rets[0].type, raw);
  const arr = raw as unknown[];
  return rets.map((r, i) => (r.aliasOf >= 0 ? b.values[r.aliasOf] : wrapResult(r.type, arr[i])));
}

/** Calls `aten::name` with Python-style positional and keyword arguments. */
export function callOp(name: string, positional: unknown[], kwargs?: Kwargs): unknown {
  return callBound(resolve(name, positional, kwargs));
}

/** The schemas of an operator, as text (`torch.ops.aten.add.schemas()`). */
export function schemasOf(name: string): string[] {
  return opInfo(name).schemas.map((s) => s.text);
}


/**
 * One operator: called directly it resolves the overload from its arguments (`torch.ops.aten.add(x, y, { alpha: 2 })`);
 * `.Tensor`, `.Scalar`, `.out`, `.default` ... call that overload (`torch.ops.aten.add.Tensor(x, y)`).
 */
export interface OpPacket {
  (...args: unknown[]): unknown;
  /** The operator's overloads, as schema text. */
  schemas(): string[];
  [overload: string]: (...args: unknown[]) => unknown;
}

/** One operator namespace: `torch.ops.aten.add(x, y, { alpha: 2 })`; a plain object last holds keyword arguments. */
export type OpNamespace = Record<string, OpPacket>;

function splitKwargs(args: unknown[]): [unknown[], Kwargs | undefined] {
  const { pos, opts } = splitOptions(args);
  return [pos, opts as Kwargs | undefined];
}

/** Binds the arguments to one named overload (Python's `torch.ops.aten.add.Tensor`); '' is `.default`. */
function resolveOverload(name: string, overload: string, positional: unknown[], kwargs?: Kwargs): Bound {
  const info = opInfo(name);
  const schema = info.overloads.get(overload);
  if (!schema) throw new TypeError(`${info.name} has no overload named '${overload || 'default'}'`);
  const b = bind(schema, positional, kwargs, false);
  if (!b) {
    const got = positional.map(describeArg).join(', ');
    throw new TypeError(`${info.name}.${overload || 'default'}() received an invalid combination of arguments - got (${got}), but expected ${schema.text}`);
  }
  return b;
}

function namespace(ns: string): OpNamespace {
  const packets = new Map<string, OpPacket>();
  return new Proxy({} as OpNamespace, {
    get(_target, prop) {
      if (typeof prop !== 'string') return undefined;
      let p = packets.get(prop);
      if (p === undefined) {
        p = packet(`${ns}::${prop}`);
        packets.set(prop, p);
      }
      return p;
    },
  });
}

/** `torch.ops.<ns>.<op>`: callable, with its overloads as properties. */
function packet(name: string): OpPacket {
  const call = (...args: unknown[]) => callOp(name, ...splitKwargs(args));
  return new Proxy(call, {
    get(target, overload, receiver) {
      if (overload === 'schemas') return () => schemasOf(name);
      // not thenable: `await torch.ops.aten.add` must not look for an overload named 'then'
      if (overload === 'then') return undefined;
      if (typeof overload !== 'string' || overload in target) return Reflect.get(target, overload, receiver);
      return (...args: unknown[]) => callBound(resolveOverload(name, overload === 'default' ? '' : overload, ...splitKwargs(args)));
    },
  }) as OpPacket;
}

/** `torch.ops`: every operator the dispatcher knows, by namespace (`torch.ops.aten.conv2d(...)`). */
export const opsNamespaces: { aten: OpNamespace; prims: OpNamespace; [ns: string]: OpNamespace } = new Proxy(
  {} as { aten: OpNamespace; prims: OpNamespace },
  {
    get(_target, prop) {
      return typeof prop === 'string' ? namespace(prop) : undefined;
    },
  },
);
