// The Tensor's mathematical methods (arithmetic, reductions, comparisons, shape and indexing). Each is a thin
// call to the ATen operator of the same name; the few that small-tensor loops hit go to direct entry points.
import { N } from './native';
import { Tensor, TensorOrScalar, IndexItem, Slice, MemoryFormat, normDim, wrap, tidy } from './tensor';
import { callOp, Kwargs } from './dispatch';
import { DType, DTypeLike, toDType, describe } from './dtype';

type Dims = number | number[];

/** Options of reductions over dimensions. */
export interface ReduceOptions {
  keepdim?: boolean;
  dtype?: DTypeLike;
}

/** Options of std/var. */
export interface VarOptions {
  keepdim?: boolean;
  unbiased?: boolean;
  correction?: number;
}

/** A pair of values and indices, as max(dim) and sort() return. */
export type ValuesIndices = Omit<[Tensor, Tensor], 'values'> & { values: Tensor; indices: Tensor };

declare module './tensor' {
  interface Tensor {
    /** `self + alpha * other`, broadcasting. */
    add(other: TensorOrScalar, opts?: { alpha?: number }): Tensor;
    add_(other: TensorOrScalar, opts?: { alpha?: number }): this;
    /** `self - alpha * other`. */
    sub(other: TensorOrScalar, opts?: { alpha?: number }): Tensor;
    sub_(other: TensorOrScalar, opts?: { alpha?: number }): this;
    /** Element-wise product. */
    mul(other: TensorOrScalar): Tensor;
    mul_(other: TensorOrScalar): this;
    /** Element-wise division; roundingMode 'trunc' or 'floor' for integer-style division. */
    div(other: TensorOrScalar, opts?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor;
    div_(other: TensorOrScalar, opts?: { roundingMode?: 'trunc' | 'floor' | null }): this;
    /** Aliases of sub/mul/div, as in PyTorch. */
    subtract(other: TensorOrScalar, opts?: { alpha?: number }): Tensor;
    multiply(other: TensorOrScalar): Tensor;
    divide(other: TensorOrScalar, opts?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor;
    /** `self ** exponent`. */
    pow(exponent: TensorOrScalar): Tensor;
    pow_(exponent: TensorOrScalar): this;
    remainder(other: TensorOrScalar): Tensor;
    fmod(other: TensorOrScalar): Tensor;
    floorDivide(other: TensorOrScalar): Tensor;
    maximum(other: Tensor): Tensor;
    minimum(other: Tensor): Tensor;
    atan2(other: Tensor): Tensor;
    lerp(end: Tensor, weight: TensorOrScalar): Tensor;
    addcmul(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor;
    addcdiv(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor;

    neg(): Tensor; neg_(): this;
    abs(): Tensor; abs_(): this;
    sqrt(): Tensor; sqrt_(): this;
    rsqrt(): Tensor; rsqrt_(): this;
    exp(): Tensor; exp_(): this;
    expm1(): Tensor; expm1_(): this;
    log(): Tensor; log_(): this;
    log2(): Tensor; log2_(): this;
    log10(): Tensor; log10_(): this;
    log1p(): Tensor; log1p_(): this;
    sin(): Tensor; sin_(): this;
    cos(): Tensor; cos_(): this;
    tan(): Tensor; tan_(): this;
    asin(): Tensor; asin_(): this;
    acos(): Tensor; acos_(): this;
    atan(): Tensor; atan_(): this;
    sinh(): Tensor; sinh_(): this;
    cosh(): Tensor; cosh_(): this;
    tanh(): Tensor; tanh_(): this;
    sigmoid(): Tensor; sigmoid_(): this;
    relu(): Tensor; relu_(): this;
    floor(): Tensor; floor_(): this;
    ceil(): Tensor; ceil_(): this;
    round(): Tensor; round_(): this;
    trunc(): Tensor; trunc_(): this;
    frac(): Tensor; frac_(): this;
    sign(): Tensor; sign_(): this;
    reciprocal(): Tensor; reciprocal_(): this;
    square(): Tensor; square_(): this;
    erf(): Tensor; erf_(): this;
    erfinv(): Tensor; erfinv_(): this;
    logicalNot(): Tensor;
    bitwiseNot(): Tensor;
    isnan(): Tensor;
    isinf(): Tensor;
    isfinite(): Tensor;
    nanToNum(opts?: { nan?: number; posinf?: number; neginf?: number }): Tensor;

    /** Matrix product with broadcasting (`@` in Python). */
    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
    mv(vec: Tensor): Tensor;
    dot(other: Tensor): Tensor;
    outer(other: Tensor): Tensor;

    /** Sum of all elements, or over `dim`. */
    sum(opts?: ReduceOptions): Tensor;
    sum(dim: Dims, keepdim?: boolean, opts?: ReduceOptions): Tensor;
    sum(dim: Dims, opts: ReduceOptions): Tensor;
    mean(opts?: ReduceOptions): Tensor;
    mean(dim: Dims, keepdim?: boolean, opts?: ReduceOptions): Tensor;
    mean(dim: Dims, opts: ReduceOptions): Tensor;
    nansum(dim?: Dims, keepdim?: boolean): Tensor;
    prod(opts?: ReduceOptions): Tensor;
    prod(dim: number, keepdim?: boolean, opts?: ReduceOptions): Tensor;
    /** Standard deviation (Bessel-corrected unless `unbiased: false` or `correction: 0`). */
    std(opts?: VarOptions): Tensor;
    std(dim: Dims, unbiasedOrOpts?: boolean | VarOptions, keepdim?: boolean): Tensor;
    var(opts?: VarOptions): Tensor;
    var(dim: Dims, unbiasedOrOpts?: boolean | VarOptions, keepdim?: boolean): Tensor;
    /** The largest element, or along `dim` the values and their indices; or the element-wise maximum. */
    max(): Tensor;
    max(other: Tensor): Tensor;
    max(dim: number, keepdim?: boolean): ValuesIndices;
    min(): Tensor;
    min(other: Tensor): Tensor;
    min(dim: number, keepdim?: boolean): ValuesIndices;
    amax(dim?: Dims, keepdim?: boolean): Tensor;
    amin(dim?: Dims, keepdim?: boolean): Tensor;
    argmax(dim?: number | null, keepdim?: boolean): Tensor;
    argmin(dim?: number | null, keepdim?: boolean): Tensor;
    all(dim?: number, keepdim?: boolean): Tensor;
    any(dim?: number, keepdim?: boolean): Tensor;
    logsumexp(dim: Dims, keepdim?: boolean): Tensor;
    norm(p?: number | 'fro', dim?: Dims, keepdim?: boolean): Tensor;
    cumsum(dim: number, opts?: { dtype?: DTypeLike }): Tensor;
    cumprod(dim: number, opts?: { dtype?: DTypeLike }): Tensor;
    sort(dim?: number, descending?: boolean): ValuesIndices;
    argsort(dim?: number, descending?: boolean): Tensor;
    topk(k: number, dim?: number, largest?: boolean, sorted?: boolean): ValuesIndices;

    eq(other: TensorOrScalar): Tensor;
    ne(other: TensorOrScalar): Tensor;
    lt(other: TensorOrScalar): Tensor;
    le(other: TensorOrScalar): Tensor;
    gt(other: TensorOrScalar): Tensor;
    ge(other: TensorOrScalar): Tensor;
    logicalAnd(other: Tensor): Tensor;
    logicalOr(other: Tensor): Tensor;
    logicalXor(other: Tensor): Tensor;
    /** Whether both tensors have the same shape and elements. */
    equal(other: Tensor): boolean;
    allclose(other: Tensor, opts?: { rtol?: number; atol?: number; equalNan?: boolean }): boolean;
    isclose(other: Tensor, opts?: { rtol?: number; atol?: number; equalNan?: boolean }): Tensor;

    /** Clamps into [min, max] (either may be null). */
    clamp(min?: TensorOrScalar | null, max?: TensorOrScalar | null): Tensor;
    clamp_(min?: TensorOrScalar | null, max?: TensorOrScalar | null): this;
    clip(min?: TensorOrScalar | null, max?: TensorOrScalar | null): Tensor;
    /** Fills where `mask` is true. */
    maskedFill(mask: Tensor, value: TensorOrScalar): Tensor;
    maskedFill_(mask: Tensor, value: TensorOrScalar): this;
    maskedSelect(mask: Tensor): Tensor;
    /** `condition ? this : other`. */
    where(condition: Tensor, other: TensorOrScalar): Tensor;

    view(...shape: number[]): Tensor;
    view(shape: number[]): Tensor;
    view(dtype: DTypeLike): Tensor;
    viewAs(other: Tensor): Tensor;
    reshape(...shape: number[]): Tensor;
    reshape(shape: number[]): Tensor;
    reshapeAs(other: Tensor): Tensor;
    permute(...dims: number[]): Tensor;
    permute(dims: number[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    /** The transpose of a 2-D tensor. */
    t(): Tensor;
    /** All dimensions reversed (`x.T`). */
    readonly T: Tensor;
    /** Transposes the last two dimensions (`x.mT`). */
    readonly mT: Tensor;
    squeeze(dim?: number): Tensor;
    unsqueeze(dim: number): Tensor;
    squeeze_(dim?: number): this;
    unsqueeze_(dim: number): this;
    flatten(startDim?: number, endDim?: number): Tensor;
    unflatten(dim: number, sizes: number[]): Tensor;
    expand(...sizes: number[]): Tensor;
    expand(sizes: number[]): Tensor;
    expandAs(other: Tensor): Tensor;
    repeat(...repeats: number[]): Tensor;
    repeat(repeats: number[]): Tensor;
    repeatInterleave(repeats: number | Tensor, dim?: number): Tensor;
    tile(dims: number[]): Tensor;
    flip(dims: Dims): Tensor;
    roll(shifts: Dims, dims?: Dims): Tensor;
    contiguous(opts?: { memoryFormat?: MemoryFormat }): Tensor;
    split(splitSizeOrSections: number | number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    unbind(dim?: number): Tensor[];

    select(dim: number, index: number): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    /** Python's `x[...]`: integers, slices ('1:3', ':' or { start, stop, step }), null (new axis), '...', tensors. */
    index(indices: IndexItem | string | (IndexItem | string)[]): Tensor;
    /** Python's `x[...] = values`, in place. */
    indexPut_(indices: IndexItem | string | (IndexItem | string)[], values: TensorOrScalar): this;
    indexSelect(dim: number, index: Tensor): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    scatter(dim: number, index: Tensor, src: TensorOrScalar): Tensor;
    scatter_(dim: number, index: Tensor, src: TensorOrScalar): this;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    indexAdd(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): Tensor;
    nonzero(): Tensor;

    softmax(dim: number, opts?: { dtype?: DTypeLike }): Tensor;
    logSoftmax(dim: number, opts?: { dtype?: DTypeLike }): Tensor;

    clone(opts?: { memoryFormat?: MemoryFormat }): Tensor;
    copy_(src: Tensor, nonBlocking?: boolean): this;
    zero_(): this;
    fill_(value: TensorOrScalar): this;
    uniform_(from?: number, to?: number): this;
    normal_(mean?: number, std?: number): this;
    bernoulli_(p?: number): this;

    /** Same as `to(dtype)`: float32, float64, float16, bfloat16, int64, int32, bool, uint8. */
    float(): Tensor;
    double(): Tensor;
    half(): Tensor;
    bfloat16(): Tensor;
    long(): Tensor;
    int(): Tensor;
    short(): Tensor;
    bool(): Tensor;
    byte(): Tensor;
    type(dtype: DTypeLike): Tensor;
    typeAs(other: Tensor): Tensor;
    /** `to('cuda')` (or 'cuda:N'). */
    cuda(device?: number | string, opts?: { nonBlocking?: boolean }): Tensor;
    /** `to('cpu')`. */
    cpu(): Tensor;
    /** A copy in page-locked memory (CUDA builds only). */
    pinMemory(): Tensor;
  }
}

const proto = Tensor.prototype as unknown as Record<string, unknown>;

function op(name: string, args: unknown[], kwargs?: Kwargs): Tensor {
  return callOp(name, args, kwargs) as Tensor;
}

function checkOperand(v: unknown, name: string): void {
  if (!(v instanceof Tensor) && typeof v !== 'number' && typeof v !== 'boolean') {
    throw new TypeError(`${name}(): argument 'other' must be a Tensor or a number, but received ${describe(v)}`);
  }
}

// ---- arithmetic: direct entry points when there is no alpha/rounding mode ----
type Fast = (a: number, b: number) => number;
function binary(name: string, tt: Fast, ts: Fast) {
  return function (this: Tensor, other: TensorOrScalar, opts?: Kwargs): Tensor {
    if (opts === undefined) {
      if (other instanceof Tensor) return wrap(tt(this.handle, other.handle));
      if (typeof other === 'number') return wrap(ts(this.handle, other));
    }
    checkOperand(other, name);
    return op(name, [this, other], opts);
  };
}
proto.add = binary('add', N.addTT, N.addTS);
proto.sub = binary('sub', N.subTT, N.subTS);
proto.mul = binary('mul', N.mulTT, N.mulTS);
proto.div = binary('div', N.divTT, N.divTS);
proto.subtract = proto.sub;
proto.multiply = proto.mul;
proto.divide = proto.div;

function inplace(name: string) {
  return function (this: Tensor, ...args: unknown[]): Tensor {
    const kwargs = args.length > 0 && isPlainObject(args[args.length - 1]) ? (args.pop() as Kwargs) : undefined;
    callOp(name, [this, ...args], kwargs);
    return this;
  };
}
function method(name: string) {
  return function (this: Tensor, ...args: unknown[]): unknown {
    const kwargs = args.length > 0 && isPlainObject(args[args.length - 1]) ? (args.pop() as Kwargs) : undefined;
    return callOp(name, [this, ...args], kwargs);
  };
}
function isPlainObject(v: unknown): v is Kwargs {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

for (const name of ['add_', 'sub_', 'mul_', 'div_', 'pow_', 'clamp_', 'masked_fill_', 'scatter_', 'squeeze_', 'unsqueeze_', 'zero_', 'fill_', 'uniform_', 'normal_', 'bernoulli_']) {
  proto[camel(name.slice(0, -1)) + '_'] = inplace(name);
}
for (const name of [
  'neg', 'abs', 'sqrt', 'rsqrt', 'exp', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
  'sinh', 'cosh', 'tanh', 'sigmoid', 'relu', 'floor', 'ceil', 'round', 'trunc', 'frac', 'sign', 'reciprocal', 'square', 'erf', 'erfinv',
]) {
  proto[name] = method(name);
  proto[`${name}_`] = inplace(`${name}_`);
}
for (const name of [
  'pow', 'remainder', 'fmod', 'floor_divide', 'maximum', 'minimum', 'atan2', 'lerp', 'addcmul', 'addcdiv', 'logical_not', 'bitwise_not',
  'isnan', 'isinf', 'isfinite', 'nan_to_num', 'matmul', 'mm', 'bmm', 'mv', 'dot', 'outer', 'nansum', 'logsumexp', 'cumsum', 'cumprod',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logical_and', 'logical_or', 'logical_xor', 'isclose', 'clamp', 'clip', 'masked_fill',
  'masked_select', 'view_as', 'reshape_as', 'transpose', 't', 'unsqueeze', 'unflatten', 'expand_as', 'repeat_interleave', 'tile',
  'flip', 'roll', 'unbind', 'select', 'narrow', 'index_select', 'gather', 'scatter', 'scatter_add', 'index_add', 'nonzero',
  'softmax', 'log_softmax', 'clone', 'type_as', 'amax', 'amin', 'all', 'any', 'argsort', 'chunk',
]) {
  proto[camel(name)] = method(name);
}

function valuesIndices(pair: [Tensor, Tensor]): ValuesIndices {
  // PyTorch returns a named tuple: both `[values, indices]` and `.values`/`.indices` work.
  return Object.assign(pair, { values: pair[0], indices: pair[1] }) as unknown as ValuesIndices;
}

// ---- reductions: PyTorch's (dim, keepdim, *, dtype) ----
function reduction(name: string) {
  return function (this: Tensor, dimOrOpts?: Dims | ReduceOptions, keepdimOrOpts?: boolean | ReduceOptions, opts?: ReduceOptions): Tensor {
    if (dimOrOpts === undefined || isPlainObject(dimOrOpts)) {
      const o = (dimOrOpts ?? {}) as ReduceOptions;
      return op(name, [this], { dtype: o.dtype === undefined ? undefined : toDType(o.dtype) });
    }
    const o = (isPlainObject(keepdimOrOpts) ? keepdimOrOpts : opts ?? {}) as ReduceOptions;
    const keepdim = typeof keepdimOrOpts === 'boolean' ? keepdimOrOpts : o.keepdim ?? false;
    return op(name, [this, dimOrOpts, keepdim], { dtype: o.dtype === undefined ? undefined : toDType(o.dtype) });
  };
}
proto.sum = reduction('sum');
proto.mean = reduction('mean');
proto.prod = reduction('prod');

function variance(name: string) {
  return function (this: Tensor, dimOrOpts?: Dims | VarOptions, unbiasedOrOpts?: boolean | VarOptions, keepdim?: boolean): Tensor {
    let dim: Dims | undefined;
    let o: VarOptions = {};
    if (isPlainObject(dimOrOpts)) o = dimOrOpts as VarOptions;
    else dim = dimOrOpts as Dims | undefined;
    if (isPlainObject(unbiasedOrOpts)) o = unbiasedOrOpts as VarOptions;
    else if (typeof unbiasedOrOpts === 'boolean') o = { ...o, unbiased: unbiasedOrOpts };
    if (keepdim !== undefined) o = { ...o, keepdim };
    const correction = o.correction ?? (o.unbiased === false ? 0 : 1);
    return op(`${name}`, [this, dim === undefined ? null : typeof dim === 'number' ? [dim] : dim], { correction, keepdim: o.keepdim ?? false });
  };
}
proto.std = variance('std');
proto.var = variance('var');

function extremum(name: 'max' | 'min') {
  return function (this: Tensor, dimOrOther?: number | Tensor, keepdim?: boolean): Tensor | ValuesIndices {
    if (dimOrOther === undefined) return op(name, [this]);
    if (dimOrOther instanceof Tensor) return op(name === 'max' ? 'maximum' : 'minimum', [this, dimOrOther]);
    return valuesIndices(callOp(name, [this, dimOrOther, keepdim ?? false]) as [Tensor, Tensor]);
  };
}
proto.max = extremum('max');
proto.min = extremum('min');

proto.argmax = function (this: Tensor, dim?: number | null, keepdim = false): Tensor {
  return op('argmax', [this, dim ?? null, keepdim]);
};
proto.argmin = function (this: Tensor, dim?: number | null, keepdim = false): Tensor {
  return op('argmin', [this, dim ?? null, keepdim]);
};
proto.norm = function (this: Tensor, p: number | 'fro' = 'fro', dim?: Dims, keepdim = false): Tensor {
  if (p === 'fro') {
    return dim === undefined ? op('linalg_vector_norm', [this, 2]) : op('linalg_vector_norm', [this, 2, dim, keepdim]);
  }
  return op('linalg_vector_norm', [this, p, dim ?? null, keepdim]);
};
proto.sort = function (this: Tensor, dim = -1, descending = false): ValuesIndices {
  return valuesIndices(callOp('sort', [this, dim, descending]) as [Tensor, Tensor]);
};
proto.topk = function (this: Tensor, k: number, dim = -1, largest = true, sorted = true): ValuesIndices {
  return valuesIndices(callOp('topk', [this, k, dim, largest, sorted]) as [Tensor, Tensor]);
};
proto.equal = function (this: Tensor, other: Tensor): boolean {
  return callOp('equal', [this, other]) as boolean;
};
proto.allclose = function (this: Tensor, other: Tensor, opts: Kwargs = {}): boolean {
  return callOp('allclose', [this, other], opts) as boolean;
};
proto.where = function (this: Tensor, condition: Tensor, other: TensorOrScalar): Tensor {
  return op('where', [condition, this, other]);
};

// ---- shape ----
function sizes(args: unknown[]): unknown {
  return args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
}
proto.view = function (this: Tensor, ...shape: unknown[]): Tensor {
  if (shape.length === 1 && typeof shape[0] === 'string') return op('view', [this, toDType(shape[0])]);
  return op('view', [this, sizes(shape)]);
};
proto.reshape = function (this: Tensor, ...shape: unknown[]): Tensor {
  return op('reshape', [this, sizes(shape)]);
};
proto.permute = function (this: Tensor, ...d: unknown[]): Tensor {
  return op('permute', [this, sizes(d)]);
};
proto.expand = function (this: Tensor, ...s: unknown[]): Tensor {
  return op('expand', [this, sizes(s)]);
};
proto.repeat = function (this: Tensor, ...r: unknown[]): Tensor {
  return op('repeat', [this, sizes(r)]);
};
proto.squeeze = function (this: Tensor, dim?: number): Tensor {
  return dim === undefined ? op('squeeze', [this]) : op('squeeze', [this, dim]);
};
proto.flatten = function (this: Tensor, startDim = 0, endDim = -1): Tensor {
  return op('flatten', [this, startDim, endDim]);
};
proto.contiguous = function (this: Tensor, opts: { memoryFormat?: MemoryFormat } = {}): Tensor {
  return op('contiguous', [this], { memoryFormat: opts.memoryFormat ?? 'contiguous_format' });
};
proto.split = function (this: Tensor, splitSize: number | number[], dim = 0): Tensor[] {
  return (Array.isArray(splitSize) ? callOp('split_with_sizes', [this, splitSize, dim]) : callOp('split', [this, splitSize, dim])) as Tensor[];
};
Object.defineProperty(proto, 'T', {
  get(this: Tensor) {
    const n = this.dim();
    return op('permute', [this, Array.from({ length: n }, (_v, i) => n - 1 - i)]);
  },
});
Object.defineProperty(proto, 'mT', {
  get(this: Tensor) {
    return op('transpose', [this, -2, -1]);
  },
});

// ---- indexing ----
const SLICE_RE = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/;

function parseIndexItem(item: IndexItem | string): IndexItem {
  if (typeof item !== 'string' || item === '...') return item;
  const m = SLICE_RE.exec(item);
  if (!m) throw new TypeError(`invalid index '${item}': expected a slice such as '1:3', ':' or '::2', or '...'`);
  const num = (s: string | undefined) => (s === undefined ? null : Number(s));
  return { start: num(m[1]), stop: num(m[2]), step: num(m[3]) };
}

const INT64_MAX = Number.MAX_SAFE_INTEGER;

/** Applies the basic part of an index (ints, slices, new axes, ellipsis); collects tensor indices by dim. */
function basicIndex(t: Tensor, raw: IndexItem | string | (IndexItem | string)[]): { view: Tensor; advanced: (Tensor | null)[] } {
  const items = (Array.isArray(raw) ? raw : [raw]).map(parseIndexItem);
  const ndim = t.dim();
  let specified = 0;
  for (const it of items) {
    if (it instanceof Tensor) specified += it.dtype === 'bool' || it.dtype === 'uint8' ? it.dim() : 1;
    else if (it !== null && it !== '...' && typeof it !== 'boolean') specified++;
  }
  if (specified > ndim) throw new RangeError(`too many indices for tensor of dimension ${ndim}`);
  if (items.filter((it) => it === '...').length > 1) throw new TypeError('an index can only have a single ellipsis');
  let view = t;
  let dim = 0;
  const advanced: (Tensor | null)[] = [];
  for (const it of items) {
    if (typeof it === 'number') {
      if (!Number.isInteger(it)) throw new TypeError(`index must be an integer, but received ${it}`);
      view = op('select', [view, dim, it]);
    } else if (it === null) {
      view = op('unsqueeze', [view, dim]);
      dim++;
    } else if (it === '...') {
      dim += ndim - specified;
    } else if (it instanceof Tensor) {
      advanced[dim] = it;
      dim += it.dtype === 'bool' || it.dtype === 'uint8' ? it.dim() : 1;
    } else if (typeof it === 'object') {
      const s = it as Slice;
      const step = s.step ?? 1;
      if (step <= 0) throw new RangeError('step must be greater than zero');
      view = op('slice', [view, dim, s.start ?? null, s.stop ?? INT64_MAX, step]);
      dim++;
    } else {
      throw new TypeError(`invalid index ${describe(it)}`);
    }
  }
  for (let i = 0; i < advanced.length; i++) if (advanced[i] === undefined) advanced[i] = null;
  return { view, advanced };
}

proto.index = function (this: Tensor, indices: IndexItem | string | (IndexItem | string)[]): Tensor {
  const { view, advanced } = basicIndex(this, indices);
  return advanced.length ? op('index', [view, advanced]) : view;
};
proto.indexPut_ = function (this: Tensor, indices: IndexItem | string | (IndexItem | string)[], values: TensorOrScalar): Tensor {
  tidy(() => {
    const { view, advanced } = basicIndex(this, indices);
    if (advanced.length) {
      const v = values instanceof Tensor ? values : op('scalar_tensor', [values], { dtype: view.dtype, device: view.device.toString() });
      callOp('index_put_', [view, advanced, v]);
    } else if (values instanceof Tensor) {
      callOp('copy_', [view, values]);
    } else {
      callOp('fill_', [view, values]);
    }
  });
  return this;
};

// ---- copies and conversions ----
proto.copy_ = function (this: Tensor, src: Tensor, nonBlocking = false): Tensor {
  callOp('copy_', [this, src, nonBlocking]);
  return this;
};
const casts: Record<string, DType> = {
  float: 'float32', double: 'float64', half: 'float16', bfloat16: 'bfloat16', long: 'int64', int: 'int32', short: 'int16', bool: 'bool', byte: 'uint8',
};
for (const [name, dtype] of Object.entries(casts)) {
  proto[name] = function (this: Tensor): Tensor {
    return this.to(dtype);
  };
}
proto.type = function (this: Tensor, dtype: DTypeLike): Tensor {
  return this.to(toDType(dtype));
};
proto.cuda = function (this: Tensor, dev?: number | string, opts: { nonBlocking?: boolean } = {}): Tensor {
  const target = dev === undefined ? 'cuda' : typeof dev === 'number' ? `cuda:${dev}` : dev;
  return this.to(target, { nonBlocking: opts.nonBlocking });
};
proto.cpu = function (this: Tensor): Tensor {
  return this.to('cpu');
};
proto.pinMemory = function (this: Tensor): Tensor {
  return op('pin_memory', [this]);
};

export { normDim };
