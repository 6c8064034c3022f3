// Tensor creation: torch.tensor, zeros, ones, full, arange, rand, ... with PyTorch's defaults. Arguments bind as in
// Python: positional values, then one options object that may also name the positional parameters; unknown names
// are a TypeError.
import type { Generator } from './generator';
import type { MultinomialOptions, GeneratorOptions } from './tensor_ops';
import { N } from './native';
import { Tensor, wrap, NestedArray, MemoryFormat } from './tensor';
import { callOp, Kwargs } from './dispatch';
import { parseArgs, splitOptions, bindArgs } from './args';
import { DType, DTypeLike, toDType, describe, elementSize, isComplex, isFloatingPoint, isPythonInt, getDefaultDtype, iinfo } from './dtype';
import { DeviceLike, toDeviceString } from './device';
import { TorchError } from './errors';

/** Tensor layouts: torch-node makes dense (strided) tensors only. */
export type Layout = 'strided';
/** `torch.strided`: the dense layout. */
export const strided: Layout = 'strided';

/** Options every factory takes (Python's keyword arguments). */
export interface TensorOptions {
  dtype?: DTypeLike;
  device?: DeviceLike;
  requiresGrad?: boolean;
  /** Only `'strided'` (dense tensors). */
  layout?: Layout;
  /** Allocate in page-locked host memory (needs CUDA). */
  pinMemory?: boolean;
}

/** Options of zeros/ones/rand/randn: the factory options, and the shape by name (`{ size: [2, 3] }`). */
export interface SizeOptions extends TensorOptions {
  size?: readonly number[];
}

/** Options of rand/randn: SizeOptions, and the generator to draw from (default: torch's global one). */
export interface RandomSizeOptions extends SizeOptions {
  generator?: Generator | null;
}

/** Options of `empty`, which also takes a memory format. */
export interface EmptyOptions extends SizeOptions {
  memoryFormat?: MemoryFormat;
}

/** Options of the `*Like` factories. */
export interface LikeOptions extends TensorOptions {
  memoryFormat?: MemoryFormat;
}

/** A factory over a shape: `zeros(2, 3)`, `zeros([2, 3], opts)`, `zeros(2, 3, opts)` or `zeros({ size: [2, 3], ...opts })`. */
export interface ShapeFactory<O extends SizeOptions> {
  (...size: number[]): Tensor;
  (size: readonly number[], opts?: O): Tensor;
  (...args: [...size: number[], opts: O]): Tensor;
}

/** Any positional arguments given by name in a trailing options object, as Python's keyword arguments. */
type KeywordForm<P, O> = [...positional: P[], opts: O];

const FACTORY_KW = ['dtype', 'device', 'requiresGrad', 'layout', 'pinMemory'] as const;

type FactoryArgs = TensorOptions & { memoryFormat?: MemoryFormat; generator?: Generator | null };
const RANDOM_KW = [...FACTORY_KW, 'generator'] as const;

function required<T>(v: T | undefined, fn: string, name: string): T {
  if (v === undefined || v === null) throw new TypeError(`${fn}() missing required argument '${name}'`);
  return v;
}

function checkSize(size: unknown, fn: string): number[] {
  const shape = isPythonInt(size) ? [size] : required(size, fn, 'size');
  if (!Array.isArray(shape) || !shape.every((s) => typeof s === 'number' && Number.isInteger(s))) {
    const bad = Array.isArray(shape) ? shape.find((s) => typeof s !== 'number' || !Number.isInteger(s)) : shape;
    throw new TypeError(`${fn}(): size must be a list of integers, but received ${describe(bad)}`);
  }
  return shape as number[];
}

/** Applies requiresGrad (which PyTorch sets after creation) and returns the tensor. */
function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad !== undefined && opts.requiresGrad !== false) t.requiresGrad = opts.requiresGrad;
  return t;
}

/** The keyword arguments a factory operator takes, from the user's options. */
function factoryKwargs(opts: FactoryArgs, dtype?: DType): Kwargs {
  if (opts.layout !== undefined && opts.layout !== 'strided') {
    throw new TypeError(`layout must be torch.strided (torch-node has dense tensors only), but received ${describe(opts.layout)}`);
  }
  return {
    dtype: opts.dtype !== undefined ? toDType(opts.dtype) : dtype,
    device: opts.device === undefined ? undefined : toDeviceString(opts.device),
    layout: opts.layout,
    pinMemory: opts.pinMemory,
    memoryFormat: opts.memoryFormat,
    generator: opts.generator ?? undefined,
  };
}

function shapeFactory<O extends SizeOptions>(name: string, kwOnly: readonly (keyof (EmptyOptions & RandomSizeOptions))[] = FACTORY_KW): ShapeFactory<O> {
  return ((...args: unknown[]): Tensor => {
    const { pos, opts } = splitOptions(args);
    // zeros(2, 3) and zeros([2, 3]) both give the size
    const size = pos.length === 1 && Array.isArray(pos[0]) ? pos[0] : pos;
    const o = bindArgs<EmptyOptions & RandomSizeOptions>(name, pos.length > 0 ? [size] : [], opts, ['size'], kwOnly);
    return finish(callOp(name, [checkSize(o.size, name)], factoryKwargs(o)) as Tensor, o);
  }) as ShapeFactory<O>;
}

/** A tensor filled with zeros: `torch.zeros(2, 3)` or `torch.zeros([2, 3], { dtype })`. */
export const zeros = shapeFactory<SizeOptions>('zeros');
/** A tensor filled with ones. */
export const ones = shapeFactory<SizeOptions>('ones');
/** An uninitialised tensor; `{ memoryFormat: torch.channelsLast }` lays a 4-d one out NHWC. */
export const empty = shapeFactory<EmptyOptions>('empty', [...FACTORY_KW, 'memoryFormat']);
/** Uniform samples in [0, 1), from torch's global generator or the `generator` option's. */
export const rand = shapeFactory<RandomSizeOptions>('rand', RANDOM_KW);
/** Standard normal samples, from torch's global generator or the `generator` option's. */
export const randn = shapeFactory<RandomSizeOptions>('randn', RANDOM_KW);

/** Options of `full`, which may name its positional arguments. */
export interface FullOptions extends TensorOptions {
  size?: readonly number[];
  fillValue?: number | boolean;
}

/**
 * A tensor filled with `fillValue`: `full([2, 3], 1.5)`, `full([2], { fillValue: 3 })`. float32 unless a dtype is
 * given (JavaScript has one number type), bool for booleans.
 */
export function full(size: readonly number[], fillValue: number | boolean, opts?: TensorOptions): Tensor;
export function full(...args: KeywordForm<readonly number[] | number | boolean, FullOptions>): Tensor;
export function full(...args: unknown[]): Tensor {
  const o = parseArgs<FullOptions>('full', args, ['size', 'fillValue'], FACTORY_KW);
  const value = required(o.fillValue, 'full', 'fillValue');
  const dtype = typeof value === 'boolean' ? 'bool' : getDefaultDtype();
  return finish(callOp('full', [checkSize(o.size, 'full'), value], factoryKwargs(o, dtype)) as Tensor, o);
}

/** Options of `eye`, which may name its positional arguments. */
export interface EyeOptions extends TensorOptions {
  n?: number;
  m?: number | null;
}

/** The identity matrix (n x m; m defaults to n): `eye(3)`, `eye(2, 3)`, `eye(2, { m: 3 })`. */
export function eye(n: number, m?: number | null, opts?: TensorOptions): Tensor;
export function eye(...args: KeywordForm<number | null, EyeOptions>): Tensor;
export function eye(...args: unknown[]): Tensor {
  const o = parseArgs<EyeOptions>('eye', args, ['n', 'm'], FACTORY_KW);
  const n = required(o.n, 'eye', 'n');
  return finish(callOp('eye', o.m === undefined || o.m === null ? [n] : [n, o.m], factoryKwargs(o)) as Tensor, o);
}

/** Options of `arange`, which may name its bounds. */
export interface ArangeOptions extends TensorOptions {
  start?: number;
  end?: number;
  step?: number;
}

/**
 * `arange(end)`, `arange(start, end)`, `arange(start, end, step)`, also by name (`arange(0, 10, { step: 2 })`):
 * int64 when all bounds are integers (as in Python), otherwise float32.
 */
export function arange(end: number, opts?: ArangeOptions): Tensor;
export function arange(start: number, end: number, opts?: ArangeOptions): Tensor;
export function arange(start: number, end: number, step: number, opts?: ArangeOptions): Tensor;
export function arange(opts: ArangeOptions & { end: number }): Tensor;
export function arange(...args: unknown[]): Tensor {
  const { pos, opts } = splitOptions(args);
  // a lone bound is the end, as in Python's arange(end) overload
  const names = pos.length === 1 && opts?.end === undefined ? (['end'] as const) : (['start', 'end', 'step'] as const);
  const o = bindArgs<ArangeOptions>('arange', pos, opts, names, ['start', 'end', 'step', ...FACTORY_KW]);
  const start = o.start ?? 0;
  const end = required(o.end, 'arange', 'end');
  const step = o.step ?? 1;
  if (![start, end, step].every((x) => typeof x === 'number')) {
    throw new TypeError('arange() expects (end), (start, end) or (start, end, step) numbers');
  }
  const integral = [start, end, step].every(Number.isInteger);
  return finish(callOp('arange', [start, end, step], factoryKwargs(o, integral ? 'int64' : getDefaultDtype())) as Tensor, o);
}

/** Options of `linspace`/`logspace`, which may name their positional arguments. */
export interface SpaceOptions extends TensorOptions {
  start?: number;
  end?: number;
  steps?: number;
}

/** `steps` evenly spaced values from start to end inclusive: `linspace(0, 1, 5)` or `linspace(0, 1, { steps: 5 })`. */
export function linspace(start: number, end: number, steps: number, opts?: TensorOptions): Tensor;
export function linspace(...args: KeywordForm<number, SpaceOptions>): Tensor;
export function linspace(...args: unknown[]): Tensor {
  const o = parseArgs<SpaceOptions>('linspace', args, ['start', 'end', 'steps'], FACTORY_KW);
  const bounds = [required(o.start, 'linspace', 'start'), required(o.end, 'linspace', 'end'), required(o.steps, 'linspace', 'steps')];
  return finish(callOp('linspace', bounds, factoryKwargs(o)) as Tensor, o);
}

/** `steps` values from base^start to base^end, spaced evenly on a log scale: `logspace(0, 2, 3, 2)` or `{ base: 2 }`. */
export function logspace(start: number, end: number, steps: number, base?: number, opts?: TensorOptions): Tensor;
export function logspace(...args: KeywordForm<number, SpaceOptions & { base?: number }>): Tensor;
export function logspace(...args: unknown[]): Tensor {
  const o = parseArgs<SpaceOptions & { base?: number }>('logspace', args, ['start', 'end', 'steps', 'base'], FACTORY_KW);
  const bounds = [required(o.start, 'logspace', 'start'), required(o.end, 'logspace', 'end'), required(o.steps, 'logspace', 'steps')];
  return finish(callOp('logspace', [...bounds, o.base ?? 10], factoryKwargs(o)) as Tensor, o);
}

/** Options of `randint`, which may name its bounds and size. */
export interface RandintOptions extends TensorOptions {
  low?: number;
  high?: number;
  size?: readonly number[];
  /** The generator to draw from (default: torch's global one). */
  generator?: Generator | null;
}

/**
 * Integers uniform in [low, high): `randint(high, size)`, `randint(low, high, size)`, also by name
 * (`randint(0, 5, { size: [2] })`); int64 by default.
 */
export function randint(high: number, size: readonly number[], opts?: RandintOptions): Tensor;
export function randint(low: number, high: number, size: readonly number[], opts?: RandintOptions): Tensor;
export function randint(...args: KeywordForm<number | readonly number[], RandintOptions>): Tensor;
export function randint(...args: unknown[]): Tensor {
  const { pos, opts } = splitOptions(args);
  // randint(high, size) and randint(high, { size }): a lone bound is the upper one
  const loneHigh = (pos.length === 2 && Array.isArray(pos[1])) || (pos.length === 1 && opts?.high === undefined);
  const o = bindArgs<RandintOptions>('randint', pos, opts, loneHigh ? ['high', 'size'] : ['low', 'high', 'size'], ['low', 'high', 'size', ...RANDOM_KW]);
  const high = required(o.high, 'randint', 'high');
  return finish(callOp('randint', [o.low ?? 0, high, checkSize(o.size, 'randint')], factoryKwargs(o, 'int64')) as Tensor, o);
}

/** Options of `randperm`: the factory options and the generator to draw from (default: torch's global one). */
export interface RandpermOptions extends TensorOptions {
  generator?: Generator | null;
}

/** A random permutation of 0..n-1 (int64 by default). */
export function randperm(n: number, opts?: RandpermOptions): Tensor;
export function randperm(opts: RandpermOptions & { n: number }): Tensor;
export function randperm(...args: unknown[]): Tensor {
  const o = parseArgs<RandpermOptions & { n?: number }>('randperm', args, ['n'], RANDOM_KW);
  return finish(callOp('randperm', [required(o.n, 'randperm', 'n')], factoryKwargs(o, 'int64')) as Tensor, o);
}

/** @internal The `input` argument of a torch function, checked. */
export function inputTensor(t: unknown, fn: string): Tensor {
  if (t instanceof Tensor) return t;
  throw new TypeError(`${fn}(): argument 'input' must be a Tensor, but received ${describe(t)}`);
}

/**
 * Draws `numSamples` category indices from each row of `input` (weights, not necessarily normalized):
 * `multinomial(probs, 4, true)`, `multinomial(probs, 4, { replacement: true })` or `multinomial(probs, { numSamples: 4 })`.
 */
export function multinomial(input: Tensor, numSamples: number, replacement?: boolean | MultinomialOptions, opts?: MultinomialOptions): Tensor;
export function multinomial(input: Tensor, ...args: KeywordForm<number | boolean, MultinomialOptions>): Tensor;
export function multinomial(input: Tensor, ...args: unknown[]): Tensor {
  return inputTensor(input, 'multinomial').multinomial(...(args as [number]));
}

/** 0/1 samples with the probabilities in `input` (or a fixed `p`), as `torch.bernoulli`. */
export function bernoulli(input: Tensor, p?: number | (GeneratorOptions & { p?: number }), opts?: GeneratorOptions): Tensor {
  inputTensor(input, 'bernoulli');
  const o = parseArgs<GeneratorOptions & { p?: number }>('bernoulli', [p, opts], ['p'], ['generator']);
  const kwargs = { generator: o.generator ?? undefined };
  return (o.p === undefined ? callOp('bernoulli', [input], kwargs) : callOp('bernoulli', [input, o.p], kwargs)) as Tensor;
}

/** Options of `normal`, which may name its positional arguments (size and the factory options: numbers only). */
export interface NormalOptions extends TensorOptions, GeneratorOptions {
  mean?: Tensor | number;
  std?: Tensor | number;
  size?: readonly number[];
}

/**
 * Normal samples, as `torch.normal`: `normal(meanTensor, stdTensor)`, `normal(meanTensor, std)`,
 * `normal(mean, stdTensor)`, or `normal(mean, std, size, { dtype, device, requiresGrad })`.
 */
export function normal(mean: Tensor | number, std?: Tensor | number, size?: readonly number[], opts?: TensorOptions): Tensor;
export function normal(...args: KeywordForm<Tensor | number | readonly number[], NormalOptions>): Tensor;
export function normal(...args: unknown[]): Tensor {
  const o = parseArgs<NormalOptions>('normal', args, ['mean', 'std', 'size'], RANDOM_KW);
  const mean = required(o.mean, 'normal', 'mean');
  const std = o.std ?? 1;
  if (typeof mean === 'number' && typeof std === 'number') {
    if (o.size === undefined) throw new TypeError('normal(mean, std, size): size must be an array of integers when mean and std are numbers');
    return finish(callOp('normal', [mean, std, checkSize(o.size, 'normal')], factoryKwargs(o)) as Tensor, o);
  }
  if (!(mean instanceof Tensor) && !(std instanceof Tensor)) {
    throw new TypeError(`normal(): mean and std must be Tensors or numbers, but received ${describe(mean)} and ${describe(std)}`);
  }
  const extra = ['size', ...FACTORY_KW].filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  if (extra.length > 0) throw new TypeError(`normal(): ${extra.join(', ')} can only be given when mean and std are numbers`);
  return callOp('normal', [mean, std], { generator: o.generator ?? undefined }) as Tensor;
}

const LIKE_KW = [...FACTORY_KW, 'memoryFormat'] as const;

function likeFactory(name: string) {
  return (input: Tensor, opts?: LikeOptions): Tensor => {
    inputTensor(input, name);
    const o = parseArgs<LikeOptions>(name, [opts], [], LIKE_KW);
    return finish(callOp(name, [input], factoryKwargs(o)) as Tensor, o);
  };
}
/** Zeros with the shape (and by default dtype, device and memory layout) of `input`. */
export const zerosLike = likeFactory('zeros_like');
/** Ones shaped like `input`. */
export const onesLike = likeFactory('ones_like');
/** Uninitialised, shaped like `input`. */
export const emptyLike = likeFactory('empty_like');
/** Uniform samples shaped like `input`. */
export const randLike = likeFactory('rand_like');
/** Normal samples shaped like `input`. */
export const randnLike = likeFactory('randn_like');

/** Integers uniform in [low, high) shaped like `input`: `randintLike(x, high)`, `randintLike(x, low, high)` or `{ low, high }`. */
export function randintLike(input: Tensor, high: number, opts?: LikeOptions): Tensor;
export function randintLike(input: Tensor, low: number, high: number, opts?: LikeOptions): Tensor;
export function randintLike(input: Tensor, ...args: KeywordForm<number, LikeOptions & { low?: number; high?: number }>): Tensor;
export function randintLike(input: Tensor, ...args: unknown[]): Tensor {
  inputTensor(input, 'randint_like');
  const { pos, opts } = splitOptions(args);
  const loneHigh = pos.length === 1 && opts?.high === undefined;
  const o = bindArgs<LikeOptions & { low?: number; high?: number }>('randint_like', pos, opts, loneHigh ? ['high'] : ['low', 'high'], ['low', 'high', ...LIKE_KW]);
  const high = required(o.high, 'randint_like', 'high');
  return finish(callOp('randint_like', o.low === undefined ? [input, high] : [input, o.low, high], factoryKwargs(o)) as Tensor, o);
}

/** A tensor filled with `fillValue`, shaped like `input`: `fullLike(x, 2.5)` or `fullLike(x, { fillValue: 2.5 })`. */
export function fullLike(input: Tensor, fillValue: number | boolean, opts?: LikeOptions): Tensor;
export function fullLike(input: Tensor, opts: LikeOptions & { fillValue: number | boolean }): Tensor;
export function fullLike(input: Tensor, ...args: unknown[]): Tensor {
  inputTensor(input, 'full_like');
  const o = parseArgs<LikeOptions & { fillValue?: number | boolean }>('full_like', args, ['fillValue'], LIKE_KW);
  return finish(callOp('full_like', [input, required(o.fillValue, 'full_like', 'fillValue')], factoryKwargs(o)) as Tensor, o);
}

// ---- from JavaScript data ----

type Typed = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | Uint8ClampedArray | Uint16Array;

function dtypeOfTyped(a: ArrayBufferView): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return 'uint8';
  throw new TypeError(`tensor(): typed arrays of type ${a.constructor.name} are not supported`);
}

function inferShape(data: unknown, shape: number[] = []): number[] {
  if (Array.isArray(data)) {
    shape.push(data.length);
    if (data.length > 0) inferShape(data[0], shape);
  }
  return shape;
}

function flatten(data: unknown, shape: number[], depth: number, out: unknown[]): void {
  if (depth === shape.length) {
    if (Array.isArray(data)) throw new TypeError('tensor(): the nested arrays are not rectangular');
    out.push(data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new TypeError(`tensor(): expected a sequence of length ${shape[depth]} at dim ${depth} (got ${Array.isArray(data) ? data.length : describe(data)})`);
  }
  for (const d of data) flatten(d, shape, depth + 1, out);
}

/** An element of the data: bigints and integral numbers are Python ints, other numbers Python floats. */
type Scalar = number | boolean | bigint;

/** The value of a one-element tensor in the data (Python reads it with item()), and its dtype. */
function tensorScalar(t: Tensor): [Scalar, DType] {
  const dtype = t.dtype;
  if (t.numel() !== 1) throw new TypeError(`tensor(): only one-element tensors can be elements of the data, but received a tensor of shape [${t.shape.join(', ')}]`);
  if (isComplex(dtype)) throw new TypeError('tensor(): complex tensors cannot be elements of the data (JavaScript has no complex numbers)');
  const v = N.item(t.handle);
  return [typeof v === 'number' && !isFloatingPoint(dtype) ? BigInt(v) : v, dtype];
}

/** An integer dtype's bounds as bigints. */
function intRange(dtype: DType): [bigint, bigint] {
  const { min, max } = iinfo(dtype);
  return [BigInt(min), BigInt(max)];
}
const [INT64_MIN, INT64_MAX] = intRange('int64');

/** A value stored into an integer dtype, with the range checks of PyTorch's conversion of Python numbers. */
function toInt(v: Scalar, dtype: DType, [lo, hi]: [bigint, bigint]): bigint {
  if (typeof v === 'boolean') return v ? 1n : 0n;
  const overflow = () => new TorchError(`value cannot be converted to type ${dtype} without overflow`);
  if (isPythonInt(v)) v = BigInt(v);
  if (typeof v === 'bigint') {
    if (v < INT64_MIN || v > INT64_MAX) throw new TorchError('Overflow when unpacking long');
    // c10's overflows(): negative ints wrap into uint8 (255 for -1), as in `a - b`
    if (dtype === 'uint8' ? v > hi || v < -hi : v < lo || v > hi) throw overflow();
    return v;
  }
  if (Number.isNaN(v) || v < Number(lo) || v > Number(hi)) throw overflow();
  return BigInt(Math.trunc(v));
}

function toDouble(v: Scalar): number {
  const d = Number(v);
  if (typeof v === 'bigint' && !Number.isFinite(d)) throw new RangeError('int too large to convert to float');
  return d;
}

const INT_ARRAYS = { int8: Int8Array, int16: Int16Array, int32: Int32Array, uint8: Uint8Array } as const;

/** The values as a typed array of `dtype` (float32, float64, bool or an integer type). */
function fill(values: Scalar[], dtype: DType): ArrayBufferView {
  switch (dtype) {
    case 'float32': return Float32Array.from(values, toDouble);
    case 'float64': return Float64Array.from(values, toDouble);
    case 'bool': return Uint8Array.from(values, (v) => (v !== 0 && v !== 0n && v !== false ? 1 : 0));
    case 'int64': return BigInt64Array.from(values, (v) => toInt(v, dtype, [INT64_MIN, INT64_MAX]));
    case 'int8': case 'int16': case 'int32': case 'uint8': {
      const range = intRange(dtype);
      const out = new INT_ARRAYS[dtype](values.length);
      for (let i = 0; i < values.length; i++) out[i] = Number(toInt(values[i], dtype, range));
      return out;
    }
    default: throw new TypeError(`tensor(): cannot fill a tensor of dtype ${dtype}`);
  }
}

/** Nested arrays as a tensor: Python's dtype inference (promoting the elements' types) and conversion. */
function fromNested(data: unknown, dtype: DType | undefined): Tensor {
  const shape = inferShape(data);
  const flat: unknown[] = [];
  flatten(data, shape, 0, flat);
  const floatDtype = getDefaultDtype();
  const kinds = new Set<DType>();
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v === 'number') kinds.add(floatDtype);
    else if (typeof v === 'bigint') kinds.add('int64');
    else if (typeof v === 'boolean') kinds.add('bool');
    else if (v instanceof Tensor) {
      const [x, d] = tensorScalar(v);
      flat[i] = x;
      kinds.add(d);
    } else throw new TypeError(`tensor(): could not infer dtype of ${describe(v)} (expected numbers, booleans, bigints or one-element tensors)`);
  }
  const values = flat as Scalar[];
  // Type promotion is associative and commutative: promoting the distinct element types gives Python's result.
  let inferred: DType | undefined;
  for (const d of kinds) inferred = inferred === undefined ? d : (callOp('promote_types', [inferred, d]) as DType);
  const target = dtype ?? inferred ?? floatDtype;
  // float16/bfloat16 round through float32 and complex types take float64 values, as PyTorch converts Python floats
  const made: DType = target === 'float16' || target === 'bfloat16' ? 'float32' : isComplex(target) ? 'float64' : target;
  return wrap(N.fromBuffer(fill(values, made), made, shape));
}

/** Options of `torch.tensor`. */
export interface TensorDataOptions {
  dtype?: DTypeLike;
  device?: DeviceLike;
  requiresGrad?: boolean;
  /** Copy into page-locked host memory (needs CUDA). */
  pinMemory?: boolean;
}

/**
 * Makes a tensor from nested arrays, a typed array or a number. JavaScript has one number type, so numbers give
 * the default dtype (float32 unless `setDefaultDtype` changed it) unless `dtype` says otherwise; bigints act as
 * Python ints and give int64, booleans bool, one-element tensors their dtype (mixed elements promote as in
 * PyTorch), and typed arrays the matching dtype (Int32Array: int32, BigInt64Array: int64, ...). Values out of the
 * range of an integer dtype are PyTorch's error (integral numbers convert as Python ints: -1 is 255 in uint8).
 */
export function tensor(data: NestedArray<number | boolean | bigint | Tensor> | ArrayBufferView | Tensor, opts?: TensorDataOptions): Tensor {
  const o = parseArgs<TensorDataOptions>('tensor', [opts], [], ['dtype', 'device', 'requiresGrad', 'pinMemory']);
  const dtype = o.dtype === undefined ? undefined : toDType(o.dtype);
  let t: Tensor;
  if (data instanceof Tensor) {
    // Python's torch.tensor(t): a copy, cut from the graph
    const detached = callOp('detach', [data]) as Tensor;
    t = detached.to({ dtype, device: o.device === undefined ? undefined : toDeviceString(o.device), copy: true });
    detached.dispose();
    return finish(pin(t, o), o);
  }
  if (ArrayBuffer.isView(data)) {
    const view = data as Typed;
    t = wrap(N.fromBuffer(view, dtypeOfTyped(view), [view.length]));
  } else {
    t = fromNested(data, dtype);
  }
  return finish(pin(converted(t, o), o), o);
}

/**
 * `torch.as_tensor(data, { dtype, device })`: a tensor given without options is returned as is, with options it is
 * converted (sharing the data when nothing changes); other data makes a new tensor as `torch.tensor` does.
 */
export function asTensor(data: NestedArray<number | boolean | bigint | Tensor> | ArrayBufferView | Tensor, opts?: { dtype?: DTypeLike; device?: DeviceLike }): Tensor {
  const o = parseArgs<{ dtype: DTypeLike; device: DeviceLike }>('asTensor', [opts], [], ['dtype', 'device']);
  if (!(data instanceof Tensor)) return tensor(data, o);
  if (o.dtype === undefined && o.device === undefined) return data;
  return data.to({ dtype: o.dtype === undefined ? undefined : toDType(o.dtype), device: o.device === undefined ? undefined : toDeviceString(o.device) });
}

function pin(t: Tensor, o: TensorDataOptions): Tensor {
  if (!o.pinMemory) return t;
  const pinned = callOp('pin_memory', [t]) as Tensor;
  if (pinned !== t) t.dispose();
  return pinned;
}

/** Converts a tensor made here to the requested dtype/device, freeing the intermediate. */
function converted(t: Tensor, opts: TensorOptions): Tensor {
  const kw = factoryKwargs({ dtype: opts.dtype, device: opts.device });
  if ((kw.dtype !== undefined && kw.dtype !== t.dtype) || kw.device !== undefined) {
    const c = t.to({ dtype: kw.dtype as DType | undefined, device: kw.device as string | undefined });
    if (c !== t) t.dispose();
    return c;
  }
  return t;
}

/** A tensor over a copy of raw bytes: `fromBuffer(buf, { dtype, shape })`. */
export function fromBuffer(buffer: ArrayBuffer | ArrayBufferView, opts: { dtype: DTypeLike; shape?: number[]; device?: DeviceLike; requiresGrad?: boolean }): Tensor {
  if (!(buffer instanceof ArrayBuffer) && !ArrayBuffer.isView(buffer)) {
    throw new TypeError(`fromBuffer(): expected an ArrayBuffer or a typed array, but received ${describe(buffer)}`);
  }
  const dtype = toDType(opts.dtype);
  const bytes = buffer.byteLength;
  const size = elementSize(dtype);
  if (bytes % size !== 0) {
    throw new RangeError(`fromBuffer(): buffer size (${bytes} bytes) must be a multiple of the element size of ${dtype} (${size} bytes)`);
  }
  const shape = opts.shape ?? [bytes / size];
  return finish(converted(wrap(N.fromBuffer(buffer, dtype, shape)), { device: opts.device }), { requiresGrad: opts.requiresGrad });
}

/**
 * `torch.get_rng_state()`: the state of the default CPU generator, as a uint8 tensor that `setRngState` restores
 * (the same bytes as Python's, so states move between the two).
 */
export function getRngState(): Tensor {
  return wrap(N.getRngState());
}

/** `torch.set_rng_state(state)`: restores the default CPU generator from `getRngState()`'s tensor. */
export function setRngState(state: Tensor): void {
  if (!(state instanceof Tensor)) throw new TypeError(`setRngState(): state must be a Tensor, but received ${describe(state)}`);
  N.setRngState(state.handle);
}

export { getDefaultDtype };

/** `torch.set_default_dtype(d)`: a floating-point dtype (process-wide, as in PyTorch). */
export function setDefaultDtype(dtype: DTypeLike): void {
  const d = toDType(dtype, 'setDefaultDtype(): dtype');
  if (!isFloatingPoint(d)) throw new TypeError('only floating-point types are supported as the default type');
  N.setDefaultDtype(d);
}

/** Seeds PyTorch's default generators: the same seed gives the same numbers as in Python (CPU). */
export function manualSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new TypeError(`manualSeed(): seed must be an integer, but received ${describe(seed)}`);
  N.manualSeed(seed);
}
