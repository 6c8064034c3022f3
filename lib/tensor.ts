// The Tensor: a JavaScript object holding a handle into the addon's tensor table. Memory is released by the
// garbage collector (the addon frees a tracked handle when V8 collects its object), by dispose()/using, or by
// the tidy() scope that made it.
import { N, Handle } from './native';
import { DType, DTypeLike, toDType, describe, isFloatingPoint, isComplex, elementSize, isPythonInt } from './dtype';
import { TorchError } from './errors';
import { parseArgs } from './args';
import { runBackward } from './autograd';
import { Device, DeviceLike, device as toDevice, toDeviceString } from './device';
import { callOp, Kwargs } from './dispatch';
import { formatTensor } from './format';

/** Open tidy() scopes, innermost last: each collects the tensors made while it is open. */
const scopes: Tensor[][] = [];

/** A number, boolean or tensor: what arithmetic accepts as its other operand. */
export type TensorOrScalar = Tensor | number | boolean;

/** Nested arrays of numbers or booleans, as `tolist()` returns and `torch.tensor()` accepts. */
export type NestedArray<T = number | boolean> = T | NestedArray<T>[];

/** Typed arrays the tensor data can be read into. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array;

/** The autograd node that made a tensor (`t.gradFn.name()` is `'AddBackward0'`). */
export class GradFn {
  constructor(private readonly nodeName: string) {}
  /** The node's name, as PyTorch prints it. */
  name(): string {
    return this.nodeName;
  }
  toString(): string {
    return `<${this.nodeName}>`;
  }
}

/** Options of `tensor.to(...)`. */
export interface ToOptions {
  dtype?: DTypeLike;
  device?: DeviceLike;
  nonBlocking?: boolean;
  copy?: boolean;
  memoryFormat?: MemoryFormat;
}

/** Memory layouts of `contiguous({ memoryFormat })` and `to({ memoryFormat })`. */
export type MemoryFormat = 'contiguous_format' | 'channels_last' | 'channels_last_3d' | 'preserve_format';

/** `torch.contiguous_format`: row-major (NCHW) strides. */
export const contiguousFormat: MemoryFormat = 'contiguous_format';
/** `torch.channels_last`: NHWC strides for 4-d tensors, which convolutions on GPUs (and AMP) run fastest in. */
export const channelsLast: MemoryFormat = 'channels_last';
/** `torch.channels_last_3d`: NDHWC strides for 5-d tensors. */
export const channelsLast3d: MemoryFormat = 'channels_last_3d';
/** `torch.preserve_format`: keep the input's layout. */
export const preserveFormat: MemoryFormat = 'preserve_format';

/** Options of `backward()` (Python's keyword arguments). */
export interface BackwardOptions {
  /** Keep the graph for another backward pass (default: `createGraph`). */
  retainGraph?: boolean | null;
  /** Record the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
  /** Accumulate gradients into these tensors only. */
  inputs?: Tensor | Tensor[] | null;
}

/** An index of `tensor.index([...])`: an integer, a slice, null (new axis), '...' (ellipsis), or a tensor. */
export type IndexItem = number | Slice | null | '...' | Tensor | boolean;

/** A slice `start:stop:step`, as `torch.slice(1, 3)` or `{ start, stop, step }`. */
export interface Slice {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/** An int64 value as a number; beyond 2^53 a number would silently change it, so that is an error. */
function exactNumber(v: bigint, fn: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`${fn}(): the int64 value ${v} is beyond JavaScript's exact integers (2^53); read it as a bigint with dataSync()`);
  }
  return n;
}

/** PyTorch's error for changing requires_grad on a computed tensor. */
function leafOnly(requiresGrad: boolean): string {
  const msg = 'you can only change requires_grad flags of leaf variables.';
  return requiresGrad ? msg : `${msg} If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().`;
}

/** @internal Whether tensors of `d` can require grad (floating point and complex ones). */
export function isDifferentiable(d: DType): boolean {
  return isFloatingPoint(d) || isComplex(d);
}


function dims(args: (number | number[])[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return args[0];
  return args as number[];
}

/** A multi-dimensional array on a device, with autograd: PyTorch's `torch.Tensor`. */
export class Tensor {
  /** @internal The handle into the addon's table; -1 once disposed. */
  _h: Handle;

  /** @internal Whether the GC will reclaim the handle (false while the tensor belongs to a tidy() scope). */
  _gc: boolean;

  /**
   * @internal Tensors are made by torch functions, not by `new`. With `trackedByAddon`, the handle is filled in
   * after construction by a native call that also tracks the object when `_gc` is true (the arithmetic fast
   * paths, which save a native call that way).
   */
  constructor(handle: Handle, trackedByAddon = false) {
    this._h = handle;
    // A tensor made inside tidy() is freed by the scope, so it is tracked by the GC only if it outlives the
    // scope.
    if (scopes.length > 0) {
      scopes[scopes.length - 1].push(this);
      this._gc = false;
    } else {
      if (!trackedByAddon) N.track(this, handle);
      this._gc = true;
    }
  }

  /** @internal The live handle; throws if the tensor was disposed. */
  get handle(): Handle {
    if (this._h < 0) throw new TypeError('the tensor has been disposed');
    return this._h;
  }

  /** Frees the tensor's memory now. Using it afterwards throws. */
  dispose(): void {
    if (this._h >= 0) {
      // A tracked handle stays reserved until the GC collects this object, so that it is never freed twice.
      if (this._gc) N.drop(this._h);
      else N.dispose(this._h);
      this._h = -1;
    }
  }

  /** Whether dispose() was called (or the tidy() scope that made it ended). */
  get isDisposed(): boolean {
    return this._h < 0;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---- metadata ----

  /** The size of each dimension, as `tensor.shape` in PyTorch. */
  get shape(): number[] {
    return N.shape(this.handle);
  }

  /** The size of one dimension, or the whole shape. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    const s = N.shape(this.handle);
    if (dim === undefined) return s;
    return s[normDim(dim, s.length, 'size', false)];
  }

  /** The element type. */
  get dtype(): DType {
    return N.dtype(this.handle) as DType;
  }

  /** The device the data lives on. */
  get device(): Device {
    return toDevice(N.device(this.handle));
  }

  /** Whether the tensor lives on a CUDA device. */
  get isCuda(): boolean {
    return N.device(this.handle).startsWith('cuda');
  }

  /** Number of dimensions. */
  dim(): number {
    return N.dim(this.handle);
  }

  /** Number of dimensions. */
  get ndim(): number {
    return N.dim(this.handle);
  }

  /** Number of elements. */
  numel(): number {
    return N.numel(this.handle);
  }

  /** Strides of each dimension, in elements. */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    const s = N.stride(this.handle);
    if (dim === undefined) return s;
    return s[normDim(dim, s.length, 'stride', false)];
  }

  /** Whether the elements are laid out contiguously (in the given memory format). */
  isContiguous(opts?: { memoryFormat?: MemoryFormat }): boolean {
    return N.isContiguous(this.handle, opts?.memoryFormat);
  }

  /** Whether the data is in page-locked host memory. */
  isPinned(): boolean {
    return N.isPinned(this.handle);
  }

  /** Whether the dtype is a floating point type. */
  isFloatingPoint(): boolean {
    return isFloatingPoint(this.dtype);
  }

  /** Bytes per element. */
  elementSize(): number {
    return elementSize(this.dtype);
  }

  /** Whether the dtype is complex. */
  isComplex(): boolean {
    return isComplex(this.dtype);
  }

  /** Number of elements (the same as `numel()`). */
  nelement(): number {
    return N.numel(this.handle);
  }

  /** Where this tensor's first element is in its storage, in elements (nonzero for some views). */
  storageOffset(): number {
    return N.storageOffset(this.handle);
  }

  /** The index of the CUDA device holding the data, or -1 for a tensor that is not on a CUDA device. */
  getDevice(): number {
    const d = this.device;
    return d.type === 'cuda' ? d.index ?? 0 : -1;
  }

  /**
   * The legacy type name, as `t.type()` in PyTorch: `'torch.FloatTensor'` (`'torch.cuda.FloatTensor'` on a GPU).
   * Given a dtype or such a name, a tensor of that type (this one when it has it already): `t.type(torch.float64)`,
   * `t.type('torch.DoubleTensor')`; names without `cuda.` move the data to the CPU.
   */
  type(opts?: { nonBlocking?: boolean }): string;
  type(dtype: DTypeLike | string, nonBlocking?: boolean, opts?: { nonBlocking?: boolean }): Tensor;
  type(opts: { dtype: DTypeLike | string; nonBlocking?: boolean }): Tensor;
  type(...args: unknown[]): string | Tensor {
    const a = parseArgs<{ dtype?: string | null; nonBlocking?: boolean }>('type', args, ['dtype', 'nonBlocking']);
    if (a.dtype === undefined || a.dtype === null) return typeName(this.dtype, this.device.type);
    let dtype: DType;
    let dev: string | undefined;
    const m = typeof a.dtype === 'string' ? /^torch\.(cuda\.)?(\w+)Tensor$/.exec(a.dtype) : null;
    if (m) {
      const found = (Object.keys(TYPE_NAMES) as DType[]).find((d) => TYPE_NAMES[d] === m[2]);
      if (found === undefined) throw new TypeError(`invalid type: '${a.dtype}'`);
      dtype = found;
      dev = m[1] ? 'cuda' : 'cpu';
    } else {
      dtype = toDType(a.dtype);
    }
    if (dtype === this.dtype && (dev === undefined || dev === this.device.type)) return this;
    return this.to({ dtype, device: dev, nonBlocking: a.nonBlocking });
  }

  // ---- reading data ----

  /**
   * The value of a one-element tensor as a number (or boolean). An int64 value beyond 2^53, which a number cannot
   * hold exactly, is a RangeError (`dataSync()` gives it as a bigint).
   */
  item(): number;
  item<T extends number | boolean>(): T;
  item(): number | boolean {
    const v = N.item(this.handle);
    return typeof v === 'bigint' ? exactNumber(v, 'item') : v;
  }

  /**
   * A copy of the data as a typed array of the dtype (int64 as BigInt64Array; float16/bfloat16 widened to
   * float32). The type parameter names the array the caller knows it gets: `t.dataSync<Float32Array>()`.
   */
  dataSync<T extends TypedArray = TypedArray>(): T {
    return typedArray(this.dtype, N.toBuffer(this.handle)) as T;
  }

  /** The same as `dataSync()`. */
  toArray<T extends TypedArray = TypedArray>(): T {
    return this.dataSync<T>();
  }

  /** A copy of the data, read off the main thread (waits for the device without blocking the event loop). */
  async data<T extends TypedArray = TypedArray>(): Promise<T> {
    const dtype = this.dtype;
    return typedArray(dtype, await N.toBufferAsync(this.handle)) as T;
  }

  /** The data as nested arrays of numbers (or booleans), as `tolist()` in PyTorch (int64 beyond 2^53: RangeError). */
  tolist(): NestedArray {
    const data = this.dataSync();
    const shape = this.shape;
    const flat: (number | boolean)[] = [];
    const isBool = this.dtype === 'bool';
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      flat.push(isBool ? v !== 0 : typeof v === 'bigint' ? exactNumber(v, 'tolist') : (v as number));
    }
    return nest(flat, shape);
  }

  /** PyTorch's print format: `tensor([[1., 2.], [3., 4.]], requires_grad=True)`. */
  toString(): string {
    if (this._h < 0) return 'tensor(<disposed>)';
    return formatTensor(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ---- autograd ----

  /** Whether autograd records operations on this tensor. */
  get requiresGrad(): boolean {
    return N.requiresGrad(this.handle);
  }

  set requiresGrad(value: boolean) {
    if (typeof value !== 'boolean') throw new TypeError(`requiresGrad must be a boolean, but received ${describe(value)}`);
    if (!this.isLeaf) throw new TorchError(leafOnly(value));
    if (value && !isDifferentiable(this.dtype)) throw new TorchError('only Tensors of floating point and complex dtype can require gradients');
    N.setRequiresGrad(this.handle, value);
  }

  /** Sets requiresGrad in place and returns this tensor (`requires_grad_()`; true is allowed on non-leaves). */
  requiresGrad_(value = true): this {
    if (typeof value !== 'boolean') throw new TypeError(`requiresGrad_(): expected a boolean, but received ${describe(value)}`);
    if (!value && !this.isLeaf) throw new TorchError(leafOnly(value));
    if (value && !isDifferentiable(this.dtype)) throw new TorchError('only Tensors of floating point dtype can require gradients');
    N.setRequiresGrad(this.handle, value);
    return this;
  }

  /** The gradient accumulated by backward(), or null. */
  get grad(): Tensor | null {
    const h = N.grad(this.handle);
    return h === null ? null : new Tensor(h);
  }

  set grad(value: Tensor | null) {
    if (value !== null && !(value instanceof Tensor)) throw new TypeError(`grad must be a Tensor or null, but received ${describe(value)}`);
    N.setGrad(this.handle, value === null ? null : value.handle);
  }

  /** The autograd node that made this tensor, or null for leaves. */
  get gradFn(): GradFn | null {
    const name = N.gradFn(this.handle);
    return name === null ? null : new GradFn(name);
  }

  /** Whether this tensor is a leaf of the autograd graph. */
  get isLeaf(): boolean {
    return N.isLeaf(this.handle);
  }

  /** Whether a non-leaf keeps its .grad (see retainGrad()). */
  get retainsGrad(): boolean {
    return N.retainsGrad(this.handle);
  }

  /**
   * Computes the gradients of this tensor with respect to the graph's leaves: `loss.backward()`,
   * `y.backward(gradient)`, `y.backward({ retainGraph: true })` or `y.backward(gradient, { inputs: [w] })`.
   */
  backward(opts?: BackwardOptions & { gradient?: Tensor | null }): void;
  backward(gradient: Tensor | null | undefined, opts?: BackwardOptions): void;
  backward(...args: unknown[]): void {
    const { gradient, ...opts } = parseArgs<BackwardOptions & { gradient?: Tensor | null }>('backward', args, ['gradient'], ['retainGraph', 'createGraph', 'inputs']);
    runBackward([this], gradient ?? null, opts);
  }

  /** Keeps .grad for this non-leaf tensor after backward(). */
  retainGrad(): void {
    N.retainGrad(this.handle);
  }

  /** A tensor sharing the data, cut from the autograd graph. */
  detach(): Tensor {
    return op('detach', [this]);
  }

  /** Cuts this tensor from the graph in place. */
  detach_(): this {
    callOp('detach_', [this]);
    return this;
  }

  // ---- conversion ----

  /**
   * Converts dtype and/or device: `t.to('cuda')`, `t.to(torch.float16)`, `t.to('cuda', torch.float16)`,
   * `t.to(other)`, `t.to({ device, dtype, nonBlocking, memoryFormat })`.
   */
  to(target: DeviceLike | DTypeLike | Tensor | ToOptions, dtypeOrOpts?: DTypeLike | ToOptions, opts?: ToOptions): Tensor {
    let dev: DeviceLike | undefined;
    let dtype: DTypeLike | undefined;
    let o: ToOptions = {};
    const isDtype = (v: unknown) => {
      try {
        toDType(v);
        return typeof v === 'string';
      } catch {
        return false;
      }
    };
    if (target instanceof Tensor) {
      dev = target.device;
      dtype = target.dtype;
      if (typeof dtypeOrOpts === 'object') o = dtypeOrOpts;
    } else if (target instanceof Device) {
      dev = target;
    } else if (typeof target === 'string') {
      if (isDtype(target)) dtype = target as DTypeLike;
      else dev = target;
    } else if (typeof target === 'object' && target !== null) {
      o = target;
    } else {
      throw new TypeError(`to() expects a device, a dtype, a tensor or options, but received ${describe(target)}`);
    }
    if (typeof dtypeOrOpts === 'string') dtype = dtypeOrOpts;
    else if (typeof dtypeOrOpts === 'object' && dtypeOrOpts !== null && !(target instanceof Tensor)) o = dtypeOrOpts;
    if (opts) o = opts;
    dev = dev ?? o.device;
    dtype = dtype ?? o.dtype;
    return op('to', [this], {
      dtype: dtype === undefined ? undefined : toDType(dtype),
      device: dev === undefined ? undefined : toDeviceString(dev),
      nonBlocking: o.nonBlocking,
      copy: o.copy,
      memoryFormat: o.memoryFormat,
    });
  }
}

/** The legacy tensor type names (`torch.FloatTensor`) by dtype. */
const TYPE_NAMES: Record<DType, string> = {
  float32: 'Float', float64: 'Double', float16: 'Half', bfloat16: 'BFloat16', int8: 'Char', int16: 'Short', int32: 'Int',
  int64: 'Long', uint8: 'Byte', bool: 'Bool', complex64: 'ComplexFloat', complex128: 'ComplexDouble',
};

function typeName(dtype: DType, deviceType: string): string {
  if (deviceType === 'cpu') return `torch.${TYPE_NAMES[dtype]}Tensor`;
  if (deviceType === 'cuda') return `torch.cuda.${TYPE_NAMES[dtype]}Tensor`;
  throw new TorchError(`Unimplemented backend ${deviceType[0].toUpperCase()}${deviceType.slice(1)}`);
}

/** @internal Wraps a fresh handle in a Tensor. */
export function wrap(h: Handle): Tensor {
  return new Tensor(h);
}

/** @internal A 0-dim tensor for a JavaScript scalar, as Python wraps numbers passed where tensors go. */
export function scalarTensorHandle(v: number | boolean): Handle {
  if (typeof v === 'boolean') return N.scalarTensor(v, 'bool', true);
  return N.scalarTensor(v, isPythonInt(v) ? 'int64' : 'float64', true);
}

function op(name: string, args: unknown[], kwargs?: Kwargs): Tensor {
  return callOp(name, args, kwargs) as Tensor;
}

/**
 * @internal Normalizes a possibly negative dimension, with PyTorch's message when out of range. `wrapScalar`: a
 * 0-dim tensor takes dims 0 and -1, as most ops allow (size() and stride() do not).
 */
export function normDim(dim: number, ndim: number, what = 'dim', wrapScalar = true): number {
  if (!Number.isInteger(dim)) throw new TypeError(`${what}: dimension must be an integer, but received ${describe(dim)}`);
  if (ndim === 0 && !wrapScalar) throw new RangeError(`Dimension specified as ${dim} but tensor has no dimensions`);
  const n = Math.max(ndim, 1);
  if (dim < -n || dim >= n) {
    throw new RangeError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

function typedArray(dtype: DType, buf: ArrayBuffer): TypedArray {
  switch (dtype) {
    case 'float32': case 'float16': case 'bfloat16': return new Float32Array(buf);
    case 'float64': return new Float64Array(buf);
    case 'int8': return new Int8Array(buf);
    case 'int16': return new Int16Array(buf);
    case 'int32': return new Int32Array(buf);
    case 'int64': return new BigInt64Array(buf);
    case 'uint8': case 'bool': return new Uint8Array(buf);
    default: throw new TypeError(`reading ${dtype} data into JavaScript is not supported`);
  }
}

function nest(flat: (number | boolean)[], shape: number[]): NestedArray {
  if (shape.length === 0) return flat[0];
  let pos = 0;
  const build = (d: number): NestedArray[] => {
    const out: NestedArray[] = [];
    for (let i = 0; i < shape[d]; i++) out.push(d === shape.length - 1 ? flat[pos++] : build(d + 1));
    return out;
  };
  return build(0);
}

// ---- memory scopes ----

function collect(value: unknown, keep: Set<Tensor>, seen: Set<unknown>): void {
  if (value instanceof Tensor) {
    keep.add(value);
  } else if (value && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    const items = value instanceof Map || value instanceof Set ? value.values() : Array.isArray(value) ? value : Object.values(value);
    for (const v of items) collect(v, keep, seen);
  }
}

/**
 * Runs `fn` and frees every tensor made inside it except those it returns (also inside arrays, objects, maps and
 * sets).
 * Tensors left to the garbage collector are freed when it runs; tidy() frees at a known point, and tensors made
 * inside it skip the GC's bookkeeping, which makes hot synchronous loops faster.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`tidy expects a function, but received ${describe(fn)}`);
  const scope: Tensor[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw err;
  }
  scopes.pop();
  const outer = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  if (result instanceof Promise) {
    // The async function goes on using what it made before its first await: hand that over, free nothing.
    for (const t of scope) {
      if (outer) outer.push(t);
      else toGC(t);
    }
    throw new TypeError('tidy() cannot be used with an async function: tensors would be freed while still in use');
  }
  const keep = new Set<Tensor>();
  collect(result, keep, new Set());
  for (const t of scope) {
    if (!keep.has(t)) t.dispose();
    else if (outer) outer.push(t);
    else toGC(t);
  }
  return result;
}

/** Hands a tensor that leaves every tidy() scope over to the garbage collector. */
function toGC(t: Tensor): void {
  if (!t._gc && t._h >= 0) {
    N.track(t, t._h);
    t._gc = true;
  }
}

/** Keeps a tensor made inside tidy() alive after the scope ends (its memory is then the GC's). */
export function keep<T extends Tensor>(t: T): T {
  for (const scope of scopes) {
    const i = scope.lastIndexOf(t);
    if (i >= 0) scope.splice(i, 1);
  }
  toGC(t);
  return t;
}

export { dims as _dims };
