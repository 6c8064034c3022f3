// Tensor creation: torch.tensor, zeros, ones, full, arange, rand, ... with PyTorch's defaults.
import { N } from './native';
import { Tensor, wrap, NestedArray } from './tensor';
import { callOp } from './dispatch';
import { DType, DTypeLike, toDType, describe, isFloatingPoint, elementSize } from './dtype';
import { DeviceLike, toDeviceString } from './device';

/** Options every factory takes. */
export interface TensorOptions {
  dtype?: DTypeLike;
  device?: DeviceLike;
  requiresGrad?: boolean;
}

/** A shape: `zeros(2, 3)` or `zeros([2, 3])`. */
type ShapeArgs = (number | number[] | TensorOptions)[];

function splitShape(args: ShapeArgs, fn: string): { shape: number[]; opts: TensorOptions } {
  let opts: TensorOptions = {};
  const rest = [...args];
  if (rest.length && typeof rest[rest.length - 1] === 'object' && !Array.isArray(rest[rest.length - 1])) {
    opts = rest.pop() as TensorOptions;
  }
  const shape = rest.length === 1 && Array.isArray(rest[0]) ? (rest[0] as number[]) : (rest as number[]);
  for (const s of shape) {
    if (typeof s !== 'number' || !Number.isInteger(s)) {
      throw new TypeError(`${fn}(): size must be a list of integers, but received ${describe(s)}`);
    }
  }
  return { shape, opts };
}

/** Applies requiresGrad (which PyTorch sets after creation) and returns the tensor. */
function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

function factoryKwargs(opts: TensorOptions, dtype?: DType) {
  const d = opts.dtype !== undefined ? toDType(opts.dtype) : dtype;
  return {
    dtype: d,
    device: opts.device === undefined ? undefined : toDeviceString(opts.device),
  };
}

function factory(name: string, defaultDtype?: DType) {
  return (...args: ShapeArgs): Tensor => {
    const { shape, opts } = splitShape(args, name);
    return finish(callOp(name, [shape], factoryKwargs(opts, defaultDtype)) as Tensor, opts);
  };
}

/** A tensor filled with zeros: `torch.zeros(2, 3)` or `torch.zeros([2, 3], { dtype })`. */
export const zeros = factory('zeros');
/** A tensor filled with ones. */
export const ones = factory('ones');
/** An uninitialised tensor. */
export const empty = factory('empty');
/** Uniform samples in [0, 1), from PyTorch's generator. */
export const rand = factory('rand');
/** Standard normal samples, from PyTorch's generator. */
export const randn = factory('randn');

/** A tensor filled with `value` (float32 unless a dtype is given; booleans give bool). */
export function full(size: number[], value: number | boolean, opts: TensorOptions = {}): Tensor {
  const { shape } = splitShape([size], 'full');
  const dtype = opts.dtype === undefined && typeof value === 'boolean' ? 'bool' : undefined;
  return finish(callOp('full', [shape, value], factoryKwargs(opts, dtype ?? (opts.dtype ? undefined : 'float32'))) as Tensor, opts);
}

/** The identity matrix (n x m). */
export function eye(n: number, m?: number | TensorOptions, opts: TensorOptions = {}): Tensor {
  if (typeof m === 'object') {
    opts = m;
    m = undefined;
  }
  const args = m === undefined ? [n] : [n, m];
  return finish(callOp('eye', args, factoryKwargs(opts)) as Tensor, opts);
}

/**
 * `arange(end)`, `arange(start, end)`, `arange(start, end, step)`: int64 when all bounds are integers (as in
 * Python), otherwise float32.
 */
export function arange(...args: (number | TensorOptions)[]): Tensor {
  let opts: TensorOptions = {};
  if (args.length && typeof args[args.length - 1] === 'object') opts = args.pop() as TensorOptions;
  const nums = args as number[];
  if (nums.length < 1 || nums.length > 3 || nums.some((x) => typeof x !== 'number')) {
    throw new TypeError('arange() expects (end), (start, end) or (start, end, step) numbers');
  }
  const [start, end, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  const integral = [start, end, step].every(Number.isInteger);
  return finish(callOp('arange', [start, end, step], factoryKwargs(opts, integral ? 'int64' : 'float32')) as Tensor, opts);
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  return finish(callOp('linspace', [start, end, steps], factoryKwargs(opts)) as Tensor, opts);
}

/** `steps` values spaced evenly on a log scale. */
export function logspace(start: number, end: number, steps: number, base = 10, opts: TensorOptions = {}): Tensor {
  return finish(callOp('logspace', [start, end, steps, base], factoryKwargs(opts)) as Tensor, opts);
}

/** Integers uniform in [low, high): `randint(high, size)` or `randint(low, high, size)`; int64 by default. */
export function randint(lowOrHigh: number, highOrSize: number | number[], sizeOrOpts?: number[] | TensorOptions, opts: TensorOptions = {}): Tensor {
  let low = 0;
  let high: number;
  let size: number[];
  if (Array.isArray(highOrSize)) {
    high = lowOrHigh;
    size = highOrSize;
    if (sizeOrOpts && !Array.isArray(sizeOrOpts)) opts = sizeOrOpts;
  } else {
    low = lowOrHigh;
    high = highOrSize;
    if (!Array.isArray(sizeOrOpts)) throw new TypeError('randint(low, high, size): size must be an array of integers');
    size = sizeOrOpts;
  }
  return finish(callOp('randint', [low, high, size], factoryKwargs(opts, 'int64')) as Tensor, opts);
}

/** A random permutation of 0..n-1 (int64). */
export function randperm(n: number, opts: TensorOptions = {}): Tensor {
  return finish(callOp('randperm', [n], factoryKwargs(opts, 'int64')) as Tensor, opts);
}

function inputTensor(t: unknown, fn: string): Tensor {
  if (t instanceof Tensor) return t;
  throw new TypeError(`${fn}(): argument 'input' must be a Tensor, but received ${describe(t)}`);
}

/**
 * Draws `numSamples` category indices from each row of `input` (weights, not necessarily normalized):
 * `multinomial(probs, 4, true)` or `multinomial(probs, 4, { replacement: true })`.
 */
export function multinomial(input: Tensor, numSamples: number, replacement: boolean | { replacement?: boolean } = false): Tensor {
  const r = typeof replacement === 'boolean' ? replacement : replacement.replacement ?? false;
  return callOp('multinomial', [inputTensor(input, 'multinomial'), numSamples, r]) as Tensor;
}

/** 0/1 samples with the probabilities in `input` (or a fixed `p`), as `torch.bernoulli`. */
export function bernoulli(input: Tensor, p?: number): Tensor {
  inputTensor(input, 'bernoulli');
  return (p === undefined ? callOp('bernoulli', [input]) : callOp('bernoulli', [input, p])) as Tensor;
}

/**
 * Normal samples, as `torch.normal`: `normal(meanTensor, stdTensor)`, `normal(meanTensor, std)`,
 * `normal(mean, stdTensor)`, or `normal(mean, std, size, { dtype, device, requiresGrad })`.
 */
export function normal(mean: Tensor | number, std: Tensor | number = 1, size?: number[], opts: TensorOptions = {}): Tensor {
  if (typeof mean === 'number' && typeof std === 'number') {
    if (!Array.isArray(size)) throw new TypeError('normal(mean, std, size): size must be an array of integers when mean and std are numbers');
    const { shape } = splitShape([size], 'normal');
    return finish(callOp('normal', [mean, std, shape], factoryKwargs(opts)) as Tensor, opts);
  }
  if (!(mean instanceof Tensor) && !(std instanceof Tensor)) {
    throw new TypeError(`normal(): mean and std must be Tensors or numbers, but received ${describe(mean)} and ${describe(std)}`);
  }
  return callOp('normal', [mean, std]) as Tensor;
}

function likeFactory(name: string) {
  return (input: Tensor, opts: TensorOptions = {}): Tensor => {
    if (!(input instanceof Tensor)) throw new TypeError(`${name}(): argument 'input' must be a Tensor, but received ${describe(input)}`);
    return finish(callOp(name, [input], factoryKwargs(opts)) as Tensor, opts);
  };
}
/** Zeros with the shape (and by default dtype and device) of `input`. */
export const zerosLike = likeFactory('zeros_like');
/** Ones shaped like `input`. */
export const onesLike = likeFactory('ones_like');
/** Uninitialised, shaped like `input`. */
export const emptyLike = likeFactory('empty_like');
/** Uniform samples shaped like `input`. */
export const randLike = likeFactory('rand_like');
/** Normal samples shaped like `input`. */
export const randnLike = likeFactory('randn_like');

/** Integers uniform in [low, high) shaped like `input`: `randintLike(x, high)` or `randintLike(x, low, high)`. */
export function randintLike(input: Tensor, lowOrHigh: number, high?: number | TensorOptions, opts: TensorOptions = {}): Tensor {
  inputTensor(input, 'randint_like');
  if (typeof high === 'object') {
    opts = high;
    high = undefined;
  }
  const args = high === undefined ? [input, lowOrHigh] : [input, lowOrHigh, high];
  return finish(callOp('randint_like', args, factoryKwargs(opts)) as Tensor, opts);
}

/** A tensor filled with `value`, shaped like `input`. */
export function fullLike(input: Tensor, value: number | boolean, opts: TensorOptions = {}): Tensor {
  return finish(callOp('full_like', [input, value], factoryKwargs(opts)) as Tensor, opts);
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

/**
 * Makes a tensor from nested arrays, a typed array or a number. JavaScript has one number type, so numbers
 * give float32 (PyTorch's default dtype) unless `dtype` says otherwise; bigints give int64, booleans bool,
 * and typed arrays the matching dtype (Int32Array: int32, BigInt64Array: int64, ...).
 */
export function tensor(data: NestedArray<number | boolean | bigint> | ArrayBufferView | Tensor, opts: TensorOptions = {}): Tensor {
  if (data instanceof Tensor) {
    // Python's torch.tensor(t): a copy, cut from the graph
    const kw = factoryKwargs(opts);
    const detached = callOp('detach', [data]) as Tensor;
    const t = detached.to({ dtype: kw.dtype, device: kw.device, copy: true });
    detached.dispose();
    return finish(t, opts);
  }
  let t: Tensor;
  if (ArrayBuffer.isView(data)) {
    const view = data as Typed;
    t = wrap(N.fromBuffer(view, dtypeOfTyped(view), [view.length]));
  } else {
    const shape = inferShape(data);
    const flat: unknown[] = [];
    flatten(data, shape, 0, flat);
    const kinds = new Set(flat.map((v) => typeof v));
    for (const k of kinds) {
      if (k !== 'number' && k !== 'boolean' && k !== 'bigint') {
        throw new TypeError(`tensor(): could not infer dtype of ${k} (expected numbers, booleans or bigints)`);
      }
    }
    if (kinds.has('bigint') && kinds.size === 1) {
      t = wrap(N.fromBuffer(BigInt64Array.from(flat as bigint[]), 'int64', shape));
    } else if (kinds.has('boolean') && kinds.size === 1) {
      t = wrap(N.fromBuffer(Uint8Array.from(flat as boolean[], (b) => (b ? 1 : 0)), 'bool', shape));
    } else {
      const target = opts.dtype === undefined ? 'float32' : toDType(opts.dtype);
      const values = Float64Array.from(flat as (number | boolean | bigint)[], (v) => Number(v));
      // float16/bfloat16 round through float32, as PyTorch's own conversion of Python floats does
      const viaFloat32 = target !== 'float64' && (isFloatingPoint(target) || target.startsWith('complex'));
      t = viaFloat32 ? wrap(N.fromBuffer(new Float32Array(values), 'float32', shape)) : wrap(N.fromBuffer(values, 'float64', shape));
    }
  }
  return finishDevice(t, opts);
}

/** Converts a tensor made here to the requested dtype/device, freeing the intermediate. */
function finishDevice(t: Tensor, opts: TensorOptions): Tensor {
  const kw = factoryKwargs(opts);
  if ((kw.dtype !== undefined && kw.dtype !== t.dtype) || kw.device !== undefined) {
    const converted = t.to({ dtype: kw.dtype, device: kw.device });
    if (converted !== t) t.dispose();
    t = converted;
  }
  return finish(t, opts);
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
  return finishDevice(wrap(N.fromBuffer(buffer, dtype, shape)), { device: opts.device, requiresGrad: opts.requiresGrad });
}

/** Seeds PyTorch's default generators: the same seed gives the same numbers as in Python (CPU). */
export function manualSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new TypeError(`manualSeed(): seed must be an integer, but received ${describe(seed)}`);
  N.manualSeed(seed);
}

/** @internal Shape-args helper for other modules. */
export { splitShape };
