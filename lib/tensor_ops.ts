// The Tensor's mathematical methods (arithmetic, reductions, comparisons, shape and indexing). Each is a thin
// call to the ATen operator of the same name; the few that small-tensor loops hit go to direct entry points.
import type { Generator as TorchGenerator } from './generator';
import { N } from './native';
import { Tensor, TensorOrScalar, IndexItem, Slice, MemoryFormat, NestedArray, normDim, wrap, tidy } from './tensor';
import { tensor, TensorOptions } from './creation';
import { device as toDevice } from './device';
import { callOp, Kwargs } from './dispatch';
import { parseArgs, isOptions, camelCase, splitOptions } from './args';
import { DType, DTypeLike, toDType, describe, isFloatingPoint, isComplex, isPythonInt } from './dtype';
import { TorchError } from './errors';

type Dims = number | number[];

/** One item of an index: what `IndexItem` allows, plus slice strings ('1:3') and nested arrays (list indices). */
export type IndexSpec = IndexItem | string | NestedIndexList;
/** A nested array of integers or booleans, used as an index tensor. */
export type NestedIndexList = (number | boolean | NestedIndexList)[];

/** Python's `dim=` and `keepdim=` keywords: `x.argmax({ dim: 1, keepdim: true })`. */
export interface DimOptions {
  dim?: Dims | null;
  keepdim?: boolean;
}

/** Options of sum/mean/prod: `x.sum({ dim: 1, keepdim: true, dtype: torch.float64 })`. */
export interface ReduceOptions extends DimOptions {
  dtype?: DTypeLike;
}

/** Options of std/var: `x.std({ dim: 0, unbiased: false })` or `{ correction: 0 }`. */
export interface VarOptions extends DimOptions {
  unbiased?: boolean;
  correction?: number;
}

/** Options of max/min/median along a dimension (`dim` is required there). */
export interface ValuesIndicesOptions {
  dim: number;
  keepdim?: boolean;
}

/** The bounds of clamp as keywords: `x.clamp({ min: 0 })`. */
export interface ClampOptions {
  min?: TensorOrScalar | null;
  max?: TensorOrScalar | null;
}

/** The generator a random operation draws from (`t.normal_({ generator: g })`; default: torch's global one). */
export interface GeneratorOptions {
  generator?: TorchGenerator | null;
}

/** Options of `multinomial`: whether to draw with replacement, and the generator to draw from. */
export interface MultinomialOptions extends GeneratorOptions {
  numSamples?: number;
  replacement?: boolean;
}

/** The pair aminmax() returns: `[min, max]`, also as `.min` and `.max`. */
export type MinMax = Omit<[Tensor, Tensor], 'min' | 'max'> & { min: Tensor; max: Tensor };

/** A pair of values and indices, as max(dim) and sort() return. */
export type ValuesIndices = Omit<[Tensor, Tensor], 'values'> & { values: Tensor; indices: Tensor };

declare module './tensor' {
  interface Tensor {
    /** `self + alpha * other`, broadcasting. */
    add(other: TensorOrScalar, opts?: { alpha?: number }): Tensor;
    /** In-place `add`. */
    add_(other: TensorOrScalar, opts?: { alpha?: number }): this;
    /** `self - alpha * other`. */
    sub(other: TensorOrScalar, opts?: { alpha?: number }): Tensor;
    /** In-place `sub`. */
    sub_(other: TensorOrScalar, opts?: { alpha?: number }): this;
    /** Element-wise product. */
    mul(other: TensorOrScalar): Tensor;
    /** In-place `mul`. */
    mul_(other: TensorOrScalar): this;
    /** Element-wise division; roundingMode 'trunc' or 'floor' for integer-style division. */
    div(other: TensorOrScalar, opts?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor;
    /** In-place `div`. */
    div_(other: TensorOrScalar, opts?: { roundingMode?: 'trunc' | 'floor' | null }): this;
    /** Aliases of sub/mul/div, as in PyTorch. */
    subtract(other: TensorOrScalar, opts?: { alpha?: number }): Tensor;
    /** Alias of `mul`. */
    multiply(other: TensorOrScalar): Tensor;
    /** Alias of `div`. */
    divide(other: TensorOrScalar, opts?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor;
    /** `self ** exponent`. */
    pow(exponent: TensorOrScalar): Tensor;
    /** In-place `pow`. */
    pow_(exponent: TensorOrScalar): this;
    /** Python's `%`: the remainder with the sign of the divisor. */
    remainder(other: TensorOrScalar): Tensor;
    /** C-style remainder, with the sign of the dividend. */
    fmod(other: TensorOrScalar): Tensor;
    /** Division rounded down (`//`). */
    floorDivide(other: TensorOrScalar): Tensor;
    /** Division that is always true (floating point) division, even of integers: the same as `div` without a rounding mode. */
    trueDivide(other: TensorOrScalar): Tensor;
    /** Element-wise maximum of two tensors. */
    maximum(other: Tensor): Tensor;
    /** Element-wise minimum of two tensors. */
    minimum(other: Tensor): Tensor;
    /** Element-wise arctangent of `self / other`, in the right quadrant. */
    atan2(other: Tensor): Tensor;
    /** `self + weight * (end - self)`. */
    lerp(end: Tensor, weight: TensorOrScalar): Tensor;
    /** `self + value * t1 * t2`. */
    addcmul(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor;
    /** `self + value * t1 / t2`. */
    addcdiv(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor;

    /** Negation. */
    neg(): Tensor;
    /** In-place `neg`. */
    neg_(): this;
    /** Absolute value. */
    abs(): Tensor;
    /** In-place `abs`. */
    abs_(): this;
    /** Square root. */
    sqrt(): Tensor;
    /** In-place `sqrt`. */
    sqrt_(): this;
    /** `1 / sqrt(x)`. */
    rsqrt(): Tensor;
    /** In-place `rsqrt`. */
    rsqrt_(): this;
    /** Exponential. */
    exp(): Tensor;
    /** In-place `exp`. */
    exp_(): this;
    /** `exp(x) - 1`, accurate near 0. */
    expm1(): Tensor;
    /** In-place `expm1`. */
    expm1_(): this;
    /** Natural logarithm. */
    log(): Tensor;
    /** In-place `log`. */
    log_(): this;
    /** Base-2 logarithm. */
    log2(): Tensor;
    /** In-place `log2`. */
    log2_(): this;
    /** Base-10 logarithm. */
    log10(): Tensor;
    /** In-place `log10`. */
    log10_(): this;
    /** `log(1 + x)`, accurate near 0. */
    log1p(): Tensor;
    /** In-place `log1p`. */
    log1p_(): this;
    /** Sine. */
    sin(): Tensor;
    /** In-place `sin`. */
    sin_(): this;
    /** Cosine. */
    cos(): Tensor;
    /** In-place `cos`. */
    cos_(): this;
    /** Tangent. */
    tan(): Tensor;
    /** In-place `tan`. */
    tan_(): this;
    /** Arcsine. */
    asin(): Tensor;
    /** In-place `asin`. */
    asin_(): this;
    /** Arccosine. */
    acos(): Tensor;
    /** In-place `acos`. */
    acos_(): this;
    /** Arctangent. */
    atan(): Tensor;
    /** In-place `atan`. */
    atan_(): this;
    /** Hyperbolic sine. */
    sinh(): Tensor;
    /** In-place `sinh`. */
    sinh_(): this;
    /** Hyperbolic cosine. */
    cosh(): Tensor;
    /** In-place `cosh`. */
    cosh_(): this;
    /** Hyperbolic tangent. */
    tanh(): Tensor;
    /** In-place `tanh`. */
    tanh_(): this;
    /** Logistic sigmoid `1 / (1 + exp(-x))`. */
    sigmoid(): Tensor;
    /** In-place `sigmoid`. */
    sigmoid_(): this;
    /** `max(x, 0)`. */
    relu(): Tensor;
    /** In-place `relu`. */
    relu_(): this;
    /** Rounds down. */
    floor(): Tensor;
    /** In-place `floor`. */
    floor_(): this;
    /** Rounds up. */
    ceil(): Tensor;
    /** In-place `ceil`. */
    ceil_(): this;
    /** Rounds half to even. */
    round(): Tensor;
    /** In-place `round`. */
    round_(): this;
    /** Rounds toward zero. */
    trunc(): Tensor;
    /** In-place `trunc`. */
    trunc_(): this;
    /** Fractional part. */
    frac(): Tensor;
    /** In-place `frac`. */
    frac_(): this;
    /** -1, 0 or 1. */
    sign(): Tensor;
    /** In-place `sign`. */
    sign_(): this;
    /** `1 / x`. */
    reciprocal(): Tensor;
    /** In-place `reciprocal`. */
    reciprocal_(): this;
    /** `x * x`. */
    square(): Tensor;
    /** In-place `square`. */
    square_(): this;
    /** Error function. */
    erf(): Tensor;
    /** In-place `erf`. */
    erf_(): this;
    /** Inverse error function. */
    erfinv(): Tensor;
    /** In-place `erfinv`. */
    erfinv_(): this;
    /** Element-wise logical not (bool result). */
    logicalNot(): Tensor;
    /** Bitwise not (logical not for bool). */
    bitwiseNot(): Tensor;
    /** Whether each element is NaN. */
    isnan(): Tensor;
    /** Whether each element is infinite. */
    isinf(): Tensor;
    /** Whether each element is finite. */
    isfinite(): Tensor;
    /** Replaces NaN and infinities with finite numbers. */
    nanToNum(opts?: { nan?: number; posinf?: number; neginf?: number }): Tensor;

    /** Matrix product with broadcasting (`@` in Python). */
    matmul(other: Tensor): Tensor;
    /** Matrix product of two 2-D tensors. */
    mm(other: Tensor): Tensor;
    /** Batched matrix product of two 3-D tensors. */
    bmm(other: Tensor): Tensor;
    /** Matrix-vector product. */
    mv(vec: Tensor): Tensor;
    /** Dot product of two 1-D tensors. */
    dot(other: Tensor): Tensor;
    /** Outer product of two 1-D tensors. */
    outer(other: Tensor): Tensor;

    /** Sum of all elements, or over `dim`. */
    sum(opts?: ReduceOptions): Tensor;
    sum(dim: Dims | null, keepdim?: boolean, opts?: ReduceOptions): Tensor;
    sum(dim: Dims | null, opts: ReduceOptions): Tensor;
    /** Mean of all elements, or over `dim` (floating and complex dtypes only, as in PyTorch). */
    mean(opts?: ReduceOptions): Tensor;
    mean(dim: Dims | null, keepdim?: boolean, opts?: ReduceOptions): Tensor;
    mean(dim: Dims | null, opts: ReduceOptions): Tensor;
    /** Sum treating NaN as zero. */
    nansum(opts?: ReduceOptions): Tensor;
    nansum(dim: Dims | null, keepdim?: boolean, opts?: ReduceOptions): Tensor;
    /** Mean ignoring NaN. */
    nanmean(opts?: ReduceOptions): Tensor;
    nanmean(dim: Dims | null, keepdim?: boolean, opts?: ReduceOptions): Tensor;
    /** Product of all elements, or over one `dim`. */
    prod(opts?: ReduceOptions): Tensor;
    prod(dim: number, keepdim?: boolean, opts?: ReduceOptions): Tensor;
    /** Standard deviation (Bessel-corrected unless `unbiased: false` or `correction: 0`). */
    std(opts?: VarOptions): Tensor;
    std(unbiased: boolean): Tensor;
    std(dim: Dims | null, unbiasedOrOpts?: boolean | VarOptions, keepdim?: boolean): Tensor;
    /** Variance (Bessel-corrected unless `unbiased: false` or `correction: 0`). */
    var(opts?: VarOptions): Tensor;
    var(unbiased: boolean): Tensor;
    var(dim: Dims | null, unbiasedOrOpts?: boolean | VarOptions, keepdim?: boolean): Tensor;
    /** The largest element, or along `dim` the values and their indices; or the element-wise maximum. */
    max(): Tensor;
    max(other: Tensor): Tensor;
    max(dim: number, keepdim?: boolean): ValuesIndices;
    max(opts: ValuesIndicesOptions): ValuesIndices;
    /** The smallest element, or along `dim` the values and their indices; or the element-wise minimum. */
    min(): Tensor;
    min(other: Tensor): Tensor;
    min(dim: number, keepdim?: boolean): ValuesIndices;
    min(opts: ValuesIndicesOptions): ValuesIndices;
    /** The median of all elements (the lower of the two middle ones), or along `dim` values and indices. */
    median(): Tensor;
    median(dim: number, keepdim?: boolean): ValuesIndices;
    median(opts: ValuesIndicesOptions): ValuesIndices;
    /** Maximum over dimensions (values only). */
    amax(dim?: Dims | DimOptions, keepdim?: boolean): Tensor;
    /** Minimum over dimensions (values only). */
    amin(dim?: Dims | DimOptions, keepdim?: boolean): Tensor;
    /** Index of the largest element (of the flattened tensor when `dim` is null). */
    argmax(dim?: number | null | DimOptions, keepdim?: boolean): Tensor;
    /** Index of the smallest element. */
    argmin(dim?: number | null | DimOptions, keepdim?: boolean): Tensor;
    /** Whether all elements (along `dim`) are true (nonzero). */
    all(dim?: number | DimOptions, keepdim?: boolean): Tensor;
    /** Whether any element (along `dim`) is true (nonzero). */
    any(dim?: number | DimOptions, keepdim?: boolean): Tensor;
    /** `log(sum(exp(x)))` over `dim`, computed stably. */
    logsumexp(dim: Dims | DimOptions, keepdim?: boolean): Tensor;
    /** The p-norm ('fro' or 2 by default) of all elements or over `dim`. */
    norm(p?: number | 'fro' | { p?: number | 'fro'; dim?: Dims | null; keepdim?: boolean; dtype?: DTypeLike }, dim?: Dims | null, keepdim?: boolean): Tensor;
    /** Cumulative sum along `dim`. */
    cumsum(dim: number | { dim: number; dtype?: DTypeLike }, opts?: { dtype?: DTypeLike }): Tensor;
    /** Cumulative product along `dim`. */
    cumprod(dim: number | { dim: number; dtype?: DTypeLike }, opts?: { dtype?: DTypeLike }): Tensor;
    /** Sorted values and their indices (along the last dim by default). */
    sort(dim?: number | { dim?: number; descending?: boolean; stable?: boolean }, descending?: boolean): ValuesIndices;
    /** The indices that sort the tensor along `dim`. */
    argsort(dim?: number | { dim?: number; descending?: boolean }, descending?: boolean): Tensor;
    /** The `k` largest (or smallest) values and their indices along `dim` (the last by default). */
    topk(k: number, dim?: number | { dim?: number; largest?: boolean; sorted?: boolean }, largest?: boolean, sorted?: boolean): ValuesIndices;

    /** Element-wise `==` (bool result). */
    eq(other: TensorOrScalar): Tensor;
    /** Element-wise `!=`. */
    ne(other: TensorOrScalar): Tensor;
    /** Element-wise `<`. */
    lt(other: TensorOrScalar): Tensor;
    /** Element-wise `<=`. */
    le(other: TensorOrScalar): Tensor;
    /** Element-wise `>`. */
    gt(other: TensorOrScalar): Tensor;
    /** Element-wise `>=`. */
    ge(other: TensorOrScalar): Tensor;
    /** Element-wise logical and. */
    logicalAnd(other: Tensor): Tensor;
    /** Element-wise logical or. */
    logicalOr(other: Tensor): Tensor;
    /** Element-wise logical xor. */
    logicalXor(other: Tensor): Tensor;
    /** Whether both tensors have the same shape and elements. */
    equal(other: Tensor): boolean;
    /** Whether all elements are close: `|a - b| <= atol + rtol * |b|`. */
    allclose(other: Tensor, opts?: { rtol?: number; atol?: number; equalNan?: boolean }): boolean;
    /** Element-wise closeness, as allclose. */
    isclose(other: Tensor, opts?: { rtol?: number; atol?: number; equalNan?: boolean }): Tensor;

    /** Clamps into [min, max] (either may be null): `x.clamp(0, 1)`, `x.clamp({ min: 0 })`. */
    clamp(min?: TensorOrScalar | null | ClampOptions, max?: TensorOrScalar | null): Tensor;
    /** In-place `clamp`. */
    clamp_(min?: TensorOrScalar | null | ClampOptions, max?: TensorOrScalar | null): this;
    /** Alias of `clamp`. */
    clip(min?: TensorOrScalar | null | ClampOptions, max?: TensorOrScalar | null): Tensor;
    /** Fills where `mask` is true. */
    maskedFill(mask: Tensor, value: TensorOrScalar): Tensor;
    /** In-place `maskedFill`. */
    maskedFill_(mask: Tensor, value: TensorOrScalar): this;
    /** The elements where `mask` is true, as a 1-D tensor. */
    maskedSelect(mask: Tensor): Tensor;
    /** `condition ? this : other`. */
    where(condition: Tensor, other: TensorOrScalar): Tensor;

    /** A view with another shape (or the same bytes as another dtype); the data must be laid out compatibly. */
    view(...shape: number[]): Tensor;
    view(shape: number[]): Tensor;
    view(dtype: DTypeLike): Tensor;
    /** A view with the shape of `other`. */
    viewAs(other: Tensor): Tensor;
    /** The data with another shape: a view when possible, else a copy. One size may be -1. */
    reshape(...shape: number[]): Tensor;
    reshape(shape: number[]): Tensor;
    /** Reshaped to the shape of `other`. */
    reshapeAs(other: Tensor): Tensor;
    /** A view with the dimensions reordered. */
    permute(...dims: number[]): Tensor;
    permute(dims: number[]): Tensor;
    /** A view with two dimensions swapped. */
    transpose(dim0: number, dim1: number): Tensor;
    /** The transpose of a 2-D tensor. */
    t(): Tensor;
    /** All dimensions reversed (`x.T`). */
    readonly T: Tensor;
    /** Transposes the last two dimensions (`x.mT`). */
    readonly mT: Tensor;
    /** Removes dimensions of size 1 (all, or only `dim`). */
    squeeze(dim?: number | { dim?: number }): Tensor;
    /** Inserts a dimension of size 1 at `dim`. */
    unsqueeze(dim: number | { dim: number }): Tensor;
    /** In-place `squeeze`. */
    squeeze_(dim?: number): this;
    /** In-place `unsqueeze`. */
    unsqueeze_(dim: number): this;
    /** Flattens dimensions startDim..endDim into one: `x.flatten(1)`, `x.flatten({ startDim: 1 })`. */
    flatten(startDim?: number | { startDim?: number; endDim?: number }, endDim?: number): Tensor;
    /** Splits dimension `dim` into `sizes`. */
    unflatten(dim: number, sizes: number[]): Tensor;
    /** A view broadcast to a larger size (-1 keeps a size); no data is copied. */
    expand(...sizes: number[]): Tensor;
    expand(sizes: number[]): Tensor;
    /** Expanded to the shape of `other`. */
    expandAs(other: Tensor): Tensor;
    /** Tiles the data `repeats` times along each dimension (a copy). */
    repeat(...repeats: number[]): Tensor;
    repeat(repeats: number[]): Tensor;
    /** Repeats each element `repeats` times (along `dim`). */
    repeatInterleave(repeats: number | Tensor, dim?: number): Tensor;
    /** As `repeat`, padding `dims` with leading ones. */
    tile(dims: number[]): Tensor;
    /** Reverses the order along `dims`. */
    flip(dims: Dims): Tensor;
    /** Rolls elements by `shifts` along `dims`. */
    roll(shifts: Dims, dims?: Dims): Tensor;
    /** The data in contiguous memory (sharing this tensor's data when it already is). */
    contiguous(opts?: { memoryFormat?: MemoryFormat }): Tensor;
    /** Pieces of `splitSize` along `dim` (the last may be smaller), or pieces of the given sizes. */
    split(splitSizeOrSections: number | number[], dim?: number | { dim?: number }): Tensor[];
    /** `chunks` pieces of (nearly) equal size along `dim`. */
    chunk(chunks: number, dim?: number | { dim?: number }): Tensor[];
    /** The slices along `dim`, as an array. */
    unbind(dim?: number): Tensor[];

    /** A view of index `index` along `dim`, without that dimension (`x[:, i]` is `x.select(1, i)`). */
    select(dim: number, index: number): Tensor;
    /** A view of `length` entries from `start` along `dim`. */
    narrow(dim: number, start: number, length: number): Tensor;
    /**
     * Python's `x[...]`. One item or an array of items (Python's tuple): integers, slices (`'1:3'`, `':'`,
     * `'::2'`, `torch.slice(1, 3)` or `{ start, stop, step }`), null (a new axis), `'...'`, booleans, int64 or
     * bool tensors, and nested arrays of integers or booleans (Python's list index: `x.index([[0, 2]])` is
     * `x[[0, 2]]`). Integers (0-dim integer tensors included) and slices give views that share the data;
     * booleans and other tensor indices give copies.
     */
    index(indices: IndexSpec | IndexSpec[]): Tensor;
    /**
     * Python's `x[...] = values`, in place; values broadcast to the indexed shape. With `accumulate` the values
     * are added instead, repeated indices adding up (`x.index_put_(indices, values, accumulate=True)`).
     */
    indexPut_(indices: IndexSpec | IndexSpec[], values: TensorOrScalar, accumulate?: boolean): this;
    indexPut_(indices: IndexSpec | IndexSpec[], values: TensorOrScalar, opts: { accumulate?: boolean }): this;
    /** The entries at `index` (1-D int64) along `dim` (a copy). */
    indexSelect(dim: number, index: Tensor): Tensor;
    /** Values along `dim` at `index` (shaped like the output). */
    gather(dim: number, index: Tensor, opts?: { sparseGrad?: boolean }): Tensor;
    /** Writes `src` (a tensor or a number) at `index` along `dim`; `reduce` 'add' or 'multiply' combines instead. */
    scatter(dim: number, index: Tensor, src: TensorOrScalar, opts?: { reduce?: 'add' | 'multiply' }): Tensor;
    /** In-place `scatter`. */
    scatter_(dim: number, index: Tensor, src: TensorOrScalar, opts?: { reduce?: 'add' | 'multiply' }): this;
    /** Adds `src` at `index` along `dim`. */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /** Adds the rows of `source` at `index` along `dim`. */
    indexAdd(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): Tensor;
    /** Indices of the nonzero elements, one row each. */
    nonzero(): Tensor;

    /** Softmax along `dim`: `x.softmax(1)`, `x.softmax({ dim: -1 })`. */
    softmax(dim: number | { dim: number; dtype?: DTypeLike }, opts?: { dtype?: DTypeLike }): Tensor;
    /** Log of softmax along `dim`, computed stably. */
    logSoftmax(dim: number | { dim: number; dtype?: DTypeLike }, opts?: { dtype?: DTypeLike }): Tensor;

    /** A copy of the data (differentiable). */
    clone(opts?: { memoryFormat?: MemoryFormat }): Tensor;
    /** Copies `src` into this tensor (broadcasting and converting dtype and device). */
    copy_(src: Tensor, nonBlocking?: boolean): this;
    /** Fills with zeros. */
    zero_(): this;
    /** Fills with `value`. */
    fill_(value: TensorOrScalar): this;
    /** Fills with uniform samples in [from, to). */
    uniform_(from?: number, to?: number): this;
    uniform_(...args: [...positional: number[], opts: GeneratorOptions & { from?: number; to?: number }]): this;
    /** Fills with normal samples of `mean` and `std`. */
    normal_(mean?: number, std?: number): this;
    normal_(...args: [...positional: number[], opts: GeneratorOptions & { mean?: number; std?: number }]): this;
    /** Fills with 0/1 draws of probability `p` (a number or a tensor of probabilities). */
    bernoulli_(p?: number | Tensor): this;
    bernoulli_(...args: [p: number | Tensor, opts: GeneratorOptions] | [opts: GeneratorOptions & { p?: number | Tensor }]): this;
    /** 0/1 draws with the probabilities in this tensor (or a fixed `p`). */
    bernoulli(p?: number): Tensor;
    bernoulli(...args: [p: number, opts: GeneratorOptions] | [opts: GeneratorOptions & { p?: number }]): Tensor;
    /** Fills with draws from the exponential distribution of rate `lambd`. */
    exponential_(lambd?: number): this;
    exponential_(...args: [...positional: number[], opts: GeneratorOptions & { lambd?: number }]): this;
    /** Fills with samples of the geometric distribution with success probability `p`. */
    geometric_(p: number): this;
    geometric_(...args: [p: number, opts: GeneratorOptions] | [opts: GeneratorOptions & { p: number }]): this;
    /** Fills with samples of the Cauchy distribution. */
    cauchy_(median?: number, sigma?: number): this;
    cauchy_(...args: [...positional: number[], opts: GeneratorOptions & { median?: number; sigma?: number }]): this;
    /** Fills with samples of the log-normal distribution whose log has the given mean and std. */
    logNormal_(mean?: number, std?: number): this;
    logNormal_(...args: [...positional: number[], opts: GeneratorOptions & { mean?: number; std?: number }]): this;
    /** Fills with integers uniform in [from, to) (`random_(to)`, or over the dtype's range with no bounds). */
    random_(fromOrTo?: number, to?: number): this;
    random_(...args: [...positional: number[], opts: GeneratorOptions & { from?: number; to?: number }]): this;
    /** Draws category indices from the rows of this tensor of weights: `probs.multinomial(4, true)`, `{ numSamples, replacement }`. */
    multinomial(numSamples: number, replacement?: boolean | MultinomialOptions, opts?: MultinomialOptions): Tensor;
    /** `multinomial` with its arguments by name: `probs.multinomial({ numSamples: 4 })`. */
    multinomial(...args: [...positional: (number | boolean)[], opts: MultinomialOptions]): Tensor;

    /** Zeros of `size` with this tensor's dtype and device (unless given). */
    newZeros(size: number[], opts?: TensorOptions): Tensor;
    /** Ones of `size` with this tensor's dtype and device. */
    newOnes(size: number[], opts?: TensorOptions): Tensor;
    /** Uninitialised, of `size`, with this tensor's dtype and device. */
    newEmpty(size: number[], opts?: TensorOptions): Tensor;
    /** `size` filled with `value`, with this tensor's dtype and device. */
    newFull(size: number[], value: number | boolean, opts?: TensorOptions): Tensor;
    /** A tensor of `data` with this tensor's dtype and device (unless given). */
    newTensor(data: NestedArray<number | boolean | bigint> | ArrayBufferView, opts?: TensorOptions): Tensor;

    /** The upper triangle (on and above `diagonal`); the rest zero. */
    triu(diagonal?: number): Tensor;
    /** In-place `triu`. */
    triu_(diagonal?: number): this;
    /** The lower triangle (on and below `diagonal`); the rest zero. */
    tril(diagonal?: number): Tensor;
    /** In-place `tril`. */
    tril_(diagonal?: number): this;
    /** A 1-D tensor's diagonal matrix, or a 2-D tensor's diagonal. */
    diag(diagonal?: number): Tensor;
    /** A view of the diagonal over two dimensions. */
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    /** Sum of the main diagonal of a 2-D tensor. */
    trace(): Tensor;
    /** `beta * self + alpha * (mat1 @ mat2)`. */
    addmm(mat1: Tensor, mat2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    /** `beta * self + alpha * (mat @ vec)`. */
    addmv(mat: Tensor, vec: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    /** `beta * self + alpha * bmm(batch1, batch2)`. */
    baddbmm(batch1: Tensor, batch2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    /** Moves dimension(s) `source` to position(s) `destination`. */
    movedim(source: Dims, destination: Dims): Tensor;
    /** Swaps two dimensions (an alias of transpose). */
    swapaxes(axis0: number, axis1: number): Tensor;
    /** Alias of `transpose`. */
    swapdims(dim0: number, dim1: number): Tensor;
    /** Sliding windows of `size` with `step` along `dimension`, as a new last dimension. */
    unfold(dimension: number, size: number, step: number): Tensor;
    /** Indices of nonzero elements, one row each. */
    argwhere(): Tensor;
    /** Number of nonzero elements (over `dim`). */
    countNonzero(dim?: Dims | { dim?: Dims }): Tensor;
    /** `max(self, min)`. */
    clampMin(min: TensorOrScalar): Tensor;
    /** `min(self, max)`. */
    clampMax(max: TensorOrScalar): Tensor;
    /** n-th forward difference along `dim` (the last by default). */
    diff(n?: number, dim?: number): Tensor;
    /** Fills the entries at `index` along `dim` with `value`. */
    indexFill(dim: number, index: Tensor, value: TensorOrScalar): Tensor;
    /** In-place `indexFill`. */
    indexFill_(dim: number, index: Tensor, value: TensorOrScalar): this;
    /** Copies the rows of `source` into the positions `index` along `dim`. */
    indexCopy(dim: number, index: Tensor, source: Tensor): Tensor;
    /** In-place `indexCopy`. */
    indexCopy_(dim: number, index: Tensor, source: Tensor): this;
    /** In-place `indexAdd`. */
    indexAdd_(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): this;
    /** Gathers along `dim` with an index shaped like the output (broadcasting the other dims). */
    takeAlongDim(indices: Tensor, dim?: number): Tensor;
    /** The elements at the flat `index`. */
    take(index: Tensor): Tensor;
    /** The k-th smallest values and their indices along `dim`. */
    kthvalue(k: number, dim?: number, keepdim?: boolean): ValuesIndices;
    /** The most frequent values and their indices along `dim`. */
    mode(dim?: number, keepdim?: boolean): ValuesIndices;
    /** Running maximum along `dim`, with indices. */
    cummax(dim: number): ValuesIndices;
    /** Running minimum along `dim`, with indices. */
    cummin(dim: number): ValuesIndices;
    /**
     * The sorted unique elements; with `returnInverse`/`returnCounts` also the index of each element in the
     * result and the count of each unique value, as `[output, inverse?, counts?]`.
     */
    unique(opts?: { sorted?: boolean; returnInverse?: false; returnCounts?: false; dim?: number | null }): Tensor;
    unique(opts: { sorted?: boolean; returnInverse?: boolean; returnCounts?: boolean; dim?: number | null }): Tensor | Tensor[];
    /** Counts of each non-negative integer value (with optional weights). */
    bincount(weights?: Tensor | null, minlength?: number): Tensor;
    /** Rotates by 90 degrees `k` times in the plane of `dims`. */
    rot90(k?: number, dims?: number[]): Tensor;
    /** Element-wise `sqrt(self^2 + other^2)`. */
    hypot(other: Tensor): Tensor;
    /** Element-wise `log(exp(self) + exp(other))`. */
    logaddexp(other: Tensor): Tensor;
    /** `log(p / (1 - p))`. */
    logit(eps?: number | null): Tensor;
    /** `2 ** self`. */
    exp2(): Tensor;
    /** Alias of abs. */
    absolute(): Tensor;
    /** Alias of neg. */
    negative(): Tensor;

    /** Iterates over the first dimension, as `for row in x` in Python (each item a view). */
    [Symbol.iterator](): Iterator<Tensor>;

    /** Same as `to(dtype)`: float32, float64, float16, bfloat16, int64, int32, bool, uint8. */
    float(): Tensor;
    /** `to(torch.float64)`. */
    double(): Tensor;
    /** `to(torch.float16)`. */
    half(): Tensor;
    /** `to(torch.bfloat16)`. */
    bfloat16(): Tensor;
    /** `to(torch.int64)`. */
    long(): Tensor;
    /** `to(torch.int32)`. */
    int(): Tensor;
    /** `to(torch.int16)`. */
    short(): Tensor;
    /** `to(torch.bool)`. */
    bool(): Tensor;
    /** `to(torch.uint8)`. */
    byte(): Tensor;
    /** `to(torch.int8)`. */
    char(): Tensor;
    /** `to(other.dtype)`. */
    typeAs(other: Tensor): Tensor;
    /** `to('cuda')` (or 'cuda:N'). */
    cuda(device?: number | string, opts?: { nonBlocking?: boolean }): Tensor;
    /** `to('cpu')`. */
    cpu(): Tensor;
    /** A copy in page-locked memory (CUDA builds only). */
    pinMemory(): Tensor;

    // ---- more element-wise and shape operators (each the ATen operator of the same name) ----

    /** Log of the absolute value of the gamma function. */
    lgamma(): Tensor;
    /** In-place `lgamma`. */
    lgamma_(): this;
    /** The derivative of lgamma. */
    digamma(): Tensor;
    /** In-place `digamma`. */
    digamma_(): this;
    /** Complementary error function. */
    erfc(): Tensor;
    /** In-place `erfc`. */
    erfc_(): this;
    /** Degrees to radians. */
    deg2rad(): Tensor;
    /** In-place `deg2rad`. */
    deg2rad_(): this;
    /** Radians to degrees. */
    rad2deg(): Tensor;
    /** In-place `rad2deg`. */
    rad2deg_(): this;
    /** Normalized sinc, `sin(pi x) / (pi x)`. */
    sinc(): Tensor;
    /** In-place `sinc`. */
    sinc_(): this;
    /** Modified Bessel function of the first kind, order 0. */
    i0(): Tensor;
    /** In-place `i0`. */
    i0_(): this;
    /** The sign, extended to complex numbers (`x / |x|`). */
    sgn(): Tensor;
    /** In-place `sgn`. */
    sgn_(): this;
    /** Inverse hyperbolic sine. */
    asinh(): Tensor;
    /** In-place `asinh`. */
    asinh_(): this;
    /** Inverse hyperbolic cosine. */
    acosh(): Tensor;
    /** In-place `acosh`. */
    acosh_(): this;
    /** Inverse hyperbolic tangent. */
    atanh(): Tensor;
    /** In-place `atanh`. */
    atanh_(): this;
    /** Alias of `asin`. */
    arcsin(): Tensor;
    /** In-place `arcsin`. */
    arcsin_(): this;
    /** Alias of `acos`. */
    arccos(): Tensor;
    /** In-place `arccos`. */
    arccos_(): this;
    /** Alias of `atan`. */
    arctan(): Tensor;
    /** In-place `arctan`. */
    arctan_(): this;
    /** Alias of `asinh`. */
    arcsinh(): Tensor;
    /** In-place `arcsinh`. */
    arcsinh_(): this;
    /** Alias of `acosh`. */
    arccosh(): Tensor;
    /** In-place `arccosh`. */
    arccosh_(): this;
    /** Alias of `atanh`. */
    arctanh(): Tensor;
    /** In-place `arctanh`. */
    arctanh_(): this;
    /** Alias of `atan2`. */
    arctan2(other: Tensor): Tensor;
    /** In-place `arctan2`. */
    arctan2_(other: Tensor): this;
    /** Alias of `trunc`. */
    fix(): Tensor;
    /** In-place `fix`. */
    fix_(): this;
    /** Whether the sign bit is set (true for -0). */
    signbit(): Tensor;
    /** Whether each element is negative infinity. */
    isneginf(): Tensor;
    /** Whether each element is positive infinity. */
    isposinf(): Tensor;
    /** Whether each element is real (imaginary part 0). */
    isreal(): Tensor;
    /** This tensor (`+x`). */
    positive(): Tensor;
    /** The magnitude of this tensor with the sign of `other`. */
    copysign(other: TensorOrScalar): Tensor;
    /** In-place `copysign`. */
    copysign_(other: TensorOrScalar): this;
    /** `self * log(other)`, 0 where self is 0. */
    xlogy(other: TensorOrScalar): Tensor;
    /** In-place `xlogy`. */
    xlogy_(other: TensorOrScalar): this;
    /** Element-wise maximum, ignoring NaN. */
    fmax(other: Tensor): Tensor;
    /** Element-wise minimum, ignoring NaN. */
    fmin(other: Tensor): Tensor;
    /** The Heaviside step function, `values` where self is 0. */
    heaviside(values: Tensor): Tensor;
    /** In-place `heaviside`. */
    heaviside_(values: Tensor): this;
    /** Greatest common divisor (integers). */
    gcd(other: Tensor): Tensor;
    /** In-place `gcd`. */
    gcd_(other: Tensor): this;
    /** Least common multiple (integers). */
    lcm(other: Tensor): Tensor;
    /** In-place `lcm`. */
    lcm_(other: Tensor): this;
    /** `self * 2 ** other`. */
    ldexp(other: Tensor): Tensor;
    /** In-place `ldexp`. */
    ldexp_(other: Tensor): this;
    /** `pow` computed in double precision. */
    floatPower(exponent: TensorOrScalar): Tensor;
    /** In-place `floatPower`. */
    floatPower_(exponent: TensorOrScalar): this;
    /** The next floating-point value after self towards `other`. */
    nextafter(other: Tensor): Tensor;
    /** In-place `nextafter`. */
    nextafter_(other: Tensor): this;
    /** `log2(2 ** self + 2 ** other)`. */
    logaddexp2(other: Tensor): Tensor;
    /** Bitwise AND (integers and bool). */
    bitwiseAnd(other: TensorOrScalar): Tensor;
    /** In-place `bitwiseAnd`. */
    bitwiseAnd_(other: TensorOrScalar): this;
    /** Bitwise OR. */
    bitwiseOr(other: TensorOrScalar): Tensor;
    /** In-place `bitwiseOr`. */
    bitwiseOr_(other: TensorOrScalar): this;
    /** Bitwise XOR. */
    bitwiseXor(other: TensorOrScalar): Tensor;
    /** In-place `bitwiseXor`. */
    bitwiseXor_(other: TensorOrScalar): this;
    /** Shifts left by `other` bits. */
    bitwiseLeftShift(other: TensorOrScalar): Tensor;
    /** In-place `bitwiseLeftShift`. */
    bitwiseLeftShift_(other: TensorOrScalar): this;
    /** Shifts right by `other` bits. */
    bitwiseRightShift(other: TensorOrScalar): Tensor;
    /** In-place `bitwiseRightShift`. */
    bitwiseRightShift_(other: TensorOrScalar): this;
    /** In-place `remainder`. */
    remainder_(other: TensorOrScalar): this;
    /** In-place `fmod`. */
    fmod_(other: TensorOrScalar): this;
    /** In-place `floorDivide`. */
    floorDivide_(other: TensorOrScalar): this;
    /** In-place `atan2`. */
    atan2_(other: Tensor): this;
    /** In-place `lerp`. */
    lerp_(end: Tensor, weight: TensorOrScalar): this;
    /** In-place `addcmul`. */
    addcmul_(t1: Tensor, t2: Tensor, opts?: { value?: number }): this;
    /** In-place `addcdiv`. */
    addcdiv_(t1: Tensor, t2: Tensor, opts?: { value?: number }): this;
    /** In-place `clampMin`. */
    clampMin_(min: TensorOrScalar): this;
    /** In-place `clampMax`. */
    clampMax_(max: TensorOrScalar): this;
    /** In-place `eq`: 1 where equal, in this tensor's dtype. */
    eq_(other: TensorOrScalar): this;
    /** In-place `ne`. */
    ne_(other: TensorOrScalar): this;
    /** In-place `lt`. */
    lt_(other: TensorOrScalar): this;
    /** In-place `le`. */
    le_(other: TensorOrScalar): this;
    /** In-place `gt`. */
    gt_(other: TensorOrScalar): this;
    /** In-place `ge`. */
    ge_(other: TensorOrScalar): this;
    /** In-place `logicalNot`. */
    logicalNot_(): this;
    /** In-place `logicalAnd`. */
    logicalAnd_(other: Tensor): this;
    /** In-place `logicalOr`. */
    logicalOr_(other: Tensor): this;
    /** In-place `logicalXor`. */
    logicalXor_(other: Tensor): this;
    /** In-place `bitwiseNot`. */
    bitwiseNot_(): this;
    /** In-place `nanToNum`. */
    nanToNum_(nan?: number | { nan?: number; posinf?: number; neginf?: number }, posinf?: number, neginf?: number): this;
    /** In-place `exp2`. */
    exp2_(): this;
    /** In-place `logit`. */
    logit_(eps?: number): this;
    /** In-place `hypot`. */
    hypot_(other: Tensor): this;
    /** In-place `subtract`. */
    subtract_(other: TensorOrScalar, opts?: { alpha?: number }): this;
    /** In-place `multiply`. */
    multiply_(other: TensorOrScalar): this;
    /** In-place `divide`. */
    divide_(other: TensorOrScalar, opts?: { roundingMode?: 'trunc' | 'floor' | null }): this;
    /** In-place `absolute`. */
    absolute_(): this;
    /** In-place `negative`. */
    negative_(): this;
    /** In-place `transpose` (changes this tensor's strides). */
    transpose_(dim0: number, dim1: number): this;
    /** In-place `t`. */
    t_(): this;
    /** In-place `swapaxes`. */
    swapaxes_(axis0: number, axis1: number): this;
    /** In-place `swapdims`. */
    swapdims_(dim0: number, dim1: number): this;
    /** In-place `cumsum`. */
    cumsum_(dim: number, opts?: { dtype?: DTypeLike }): this;
    /** In-place `cumprod`. */
    cumprod_(dim: number, opts?: { dtype?: DTypeLike }): this;
    /** Copies `source` into the positions where `mask` is true, in order. */
    maskedScatter(mask: Tensor, source: Tensor): Tensor;
    /** In-place `maskedScatter`. */
    maskedScatter_(mask: Tensor, source: Tensor): this;
    /** Flips left-right (the second dimension). */
    fliplr(): Tensor;
    /** Flips up-down (the first dimension). */
    flipud(): Tensor;
    /** A flat (1-d) tensor, a view when possible. */
    ravel(): Tensor;
    /** Alias of `movedim`. */
    moveaxis(source: Dims, destination: Dims): Tensor;
    /** Sorted along the first dimension. */
    msort(): Tensor;
    /** A view broadcast to `size`. */
    broadcastTo(size: number[]): Tensor;
    /** Splits into `sections` nearly equal parts, or at the given indices, along `dim` (views). */
    tensorSplit(indicesOrSections: number | number[] | Tensor, dim?: number | { dim?: number }): Tensor[];
    /** Tensors whose last dimensions are diagonals filled from this tensor's last dimension. */
    diagEmbed(offset?: number, dim1?: number, dim2?: number): Tensor;
    /** A 2-d tensor with this tensor, flattened, as its diagonal. */
    diagflat(offset?: number): Tensor;
    /** The Kronecker product. */
    kron(other: Tensor): Tensor;
    /** The inner product over the last dimensions. */
    inner(other: Tensor): Tensor;
    /** The cross product along `dim` (which must have size 3). */
    cross(other: Tensor, dim?: number | { dim?: number }): Tensor;
    /** The p-norm of `self - other`. */
    dist(other: Tensor, p?: number): Tensor;
    /** `log(cumsum(exp(x)))` along `dim`, computed stably. */
    logcumsumexp(dim: number): Tensor;
    /** The `q`-th quantiles along `dim` (or of all elements). */
    quantile(q: number | Tensor, dim?: number | null | { dim?: number | null; keepdim?: boolean; interpolation?: string }, keepdim?: boolean): Tensor;
    /** `quantile` ignoring NaN. */
    nanquantile(q: number | Tensor, dim?: number | null | { dim?: number | null; keepdim?: boolean; interpolation?: string }, keepdim?: boolean): Tensor;
    /** The covariance matrix of the variables in the rows. */
    cov(opts?: { correction?: number; fweights?: Tensor | null; aweights?: Tensor | null }): Tensor;
    /** The Pearson correlation coefficients of the variables in the rows. */
    corrcoef(): Tensor;
    /** The minimum and the maximum (along `dim`): `[min, max]`, also as `.min` and `.max`. */
    aminmax(opts?: { dim?: number | null; keepdim?: boolean }): MinMax;
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
// The result object is made first and handed to the native call, which tracks it for the GC with its new handle
// (one native call instead of two); a disposed operand is the addon's TypeError.
type Fast = (a: number, b: number, owner?: Tensor) => number;
function binary(name: string, tt: Fast, ts: Fast) {
  return function (this: Tensor, other: TensorOrScalar, opts?: Kwargs): Tensor {
    if (opts === undefined && (other instanceof Tensor || typeof other === 'number')) {
      const t = new Tensor(-1, true);
      const owner = t._gc ? t : undefined;
      t._h = other instanceof Tensor ? tt(this._h, other._h, owner) : ts(this._h, other, owner);
      return t;
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

function method(name: string) {
  return function (this: Tensor, ...args: unknown[]): unknown {
    const { pos, opts } = splitOptions(args);
    return callOp(name, [this, ...pos], opts as Kwargs | undefined);
  };
}
function inplace(name: string) {
  const call = method(name);
  return function (this: Tensor, ...args: unknown[]): Tensor {
    call.apply(this, args);
    return this;
  };
}

// Methods through the generic operator path: each by its ATen name (camelCased in JavaScript).
const IN_PLACE = [
  'add_', 'sub_', 'mul_', 'div_', 'pow_', 'masked_fill_', 'scatter_', 'squeeze_', 'unsqueeze_', 'zero_', 'fill_', 'uniform_',
  'normal_', 'bernoulli_', 'exponential_', 'random_', 'geometric_', 'cauchy_', 'log_normal_',
  'remainder_', 'fmod_', 'floor_divide_', 'atan2_', 'lerp_', 'addcmul_', 'addcdiv_', 'clamp_min_', 'clamp_max_', 'eq_', 'ne_', 'lt_',
  'le_', 'gt_', 'ge_', 'logical_not_', 'logical_and_', 'logical_or_', 'logical_xor_', 'bitwise_not_', 'nan_to_num_', 'exp2_',
  'logit_', 'hypot_', 'subtract_', 'multiply_', 'divide_', 'absolute_', 'negative_', 'transpose_', 't_', 'swapaxes_',
  'swapdims_', 'cumsum_', 'cumprod_',
];
const WITH_IN_PLACE = [
  'neg', 'abs', 'sqrt', 'rsqrt', 'exp', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
  'sinh', 'cosh', 'tanh', 'sigmoid', 'relu', 'floor', 'ceil', 'round', 'trunc', 'frac', 'sign', 'reciprocal', 'square', 'erf', 'erfinv',
  'lgamma', 'digamma', 'erfc', 'deg2rad', 'rad2deg', 'sinc', 'i0', 'sgn', 'asinh', 'acosh', 'atanh', 'arcsin', 'arccos', 'arctan',
  'arcsinh', 'arccosh', 'arctanh', 'arctan2', 'fix', 'copysign', 'xlogy', 'heaviside', 'gcd', 'lcm', 'ldexp', 'float_power',
  'nextafter', 'bitwise_and', 'bitwise_or', 'bitwise_xor', 'bitwise_left_shift', 'bitwise_right_shift', 'masked_scatter',
];
const METHODS = [
  'pow', 'remainder', 'fmod', 'floor_divide', 'true_divide', 'maximum', 'minimum', 'atan2', 'lerp', 'addcmul', 'addcdiv', 'logical_not', 'bitwise_not',
  'isnan', 'isinf', 'isfinite', 'nan_to_num', 'matmul', 'mm', 'bmm', 'mv', 'dot', 'outer',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logical_and', 'logical_or', 'logical_xor', 'isclose', 'masked_fill',
  'masked_select', 'view_as', 'reshape_as', 'transpose', 't', 'unsqueeze', 'unflatten', 'expand_as', 'repeat_interleave', 'tile',
  'flip', 'roll', 'unbind', 'select', 'narrow', 'index_select', 'gather', 'scatter', 'scatter_add', 'index_add', 'nonzero',
  'softmax', 'log_softmax', 'clone', 'type_as', 'chunk', 'bernoulli',
  'triu', 'tril', 'diag', 'diagonal', 'trace', 'addmm', 'addmv', 'baddbmm', 'movedim', 'swapaxes', 'swapdims', 'unfold',
  'argwhere', 'count_nonzero', 'clamp_min', 'clamp_max', 'diff', 'index_fill', 'index_copy', 'take_along_dim', 'take',
  'bincount', 'rot90', 'hypot', 'logaddexp', 'logit', 'exp2', 'absolute', 'negative',
  'signbit', 'isneginf', 'isposinf', 'isreal', 'positive', 'fmax', 'fmin', 'logaddexp2', 'fliplr', 'flipud', 'ravel', 'moveaxis',
  'msort', 'broadcast_to', 'diag_embed', 'diagflat', 'kron', 'inner', 'dist', 'logcumsumexp', 'cov', 'corrcoef',
];
for (const name of [...METHODS, ...WITH_IN_PLACE]) proto[camelCase(name)] = method(name);
for (const name of [...IN_PLACE, ...WITH_IN_PLACE.map((n) => `${n}_`)]) proto[camelCase(name.slice(0, -1)) + '_'] = inplace(name);
proto.tensorSplit = function (this: Tensor, indicesOrSections: number | number[] | Tensor, ...args: unknown[]): Tensor[] {
  const dim = parseArgs<Record<string, unknown>>('tensorSplit', args, ['dim']).dim ?? 0;
  return callOp('tensor_split', [this, indicesOrSections, dim]) as Tensor[];
};
proto.cross = function (this: Tensor, other: Tensor, ...args: unknown[]): Tensor {
  // Python's default dim is the first of size 3 (torch.cross), which linalg_cross's -1 is not.
  const dim = parseArgs<Record<string, unknown>>('cross', args, ['dim']).dim;
  return op('cross', [this, other, dim ?? null]);
};
for (const name of ['quantile', 'nanquantile']) {
  proto[name] = function (this: Tensor, q: number | Tensor, ...args: unknown[]): Tensor {
    const a = parseArgs<Record<string, unknown>>(name, args, ['dim', 'keepdim'], ['interpolation']);
    return op(name, [this, q, a.dim ?? null, a.keepdim ?? false], { interpolation: a.interpolation ?? 'linear' });
  };
}
proto.aminmax = function (this: Tensor, opts: { dim?: number | null; keepdim?: boolean } = {}): MinMax {
  const a = parseArgs<{ dim: number | null; keepdim: boolean }>('aminmax', [opts], [], ['dim', 'keepdim']);
  const pair = callOp('aminmax', [this], { dim: a.dim ?? null, keepdim: a.keepdim ?? false }) as [Tensor, Tensor];
  return Object.assign(pair, { min: pair[0], max: pair[1] }) as unknown as MinMax;
};
for (const name of ['triu_', 'tril_', 'index_fill_', 'index_copy_', 'index_add_']) {
  proto[camelCase(name.slice(0, -1)) + '_'] = inplace(name);
}
for (const name of ['kthvalue', 'mode', 'cummax', 'cummin']) {
  proto[name] = function (this: Tensor, ...args: unknown[]): ValuesIndices {
    const kwargs = args.length > 0 && isOptions(args[args.length - 1]) ? (args.pop() as Kwargs) : undefined;
    return valuesIndices(callOp(name, [this, ...args], kwargs) as [Tensor, Tensor]);
  };
}
proto.unique = function (this: Tensor, opts: { sorted?: boolean; returnInverse?: boolean; returnCounts?: boolean; dim?: number | null } = {}): Tensor | Tensor[] {
  const a = parseArgs<Record<string, unknown>>('unique', [opts], ['sorted', 'returnInverse', 'returnCounts', 'dim']);
  const inverse = Boolean(a.returnInverse);
  const counts = Boolean(a.returnCounts);
  const sorted = a.sorted === undefined ? true : Boolean(a.sorted);
  const [out, inv, cnt] = (a.dim === undefined || a.dim === null
    ? callOp('_unique2', [this, sorted, inverse, counts])
    : callOp('unique_dim', [this, a.dim, sorted, inverse, counts])) as Tensor[];
  if (!inverse) inv.dispose();
  if (!counts) cnt.dispose();
  if (!inverse && !counts) return out;
  return [out, ...(inverse ? [inv] : []), ...(counts ? [cnt] : [])];
};

Object.defineProperty(Tensor.prototype, Symbol.iterator, {
  configurable: true,
  writable: true,
  value: function* (this: Tensor): Generator<Tensor> {
    if (this.dim() === 0) throw new TypeError('iteration over a 0-d tensor');
    const n = this.shape[0];
    for (let i = 0; i < n; i++) yield op('select', [this, 0, i]);
  },
});

// ---- new tensors like this one ----
function newFactory(name: string) {
  return function (this: Tensor, size: number[], ...rest: unknown[]): Tensor {
    const opts = (isOptions(rest[rest.length - 1]) ? rest.pop() : {}) as TensorOptions;
    const kw = { dtype: opts.dtype === undefined ? this.dtype : toDType(opts.dtype), device: (opts.device === undefined ? this.device : toDevice(opts.device)).toString() };
    const t = op(name, [this, size, ...rest], kw);
    if (opts.requiresGrad) t.requiresGrad = true;
    return t;
  };
}
proto.newZeros = newFactory('new_zeros');
proto.newOnes = newFactory('new_ones');
proto.newEmpty = newFactory('new_empty');
proto.newFull = newFactory('new_full');
proto.newTensor = function (this: Tensor, data: NestedArray<number | boolean | bigint> | ArrayBufferView, opts: TensorOptions = {}): Tensor {
  return tensor(data, { dtype: opts.dtype ?? this.dtype, device: opts.device ?? this.device, requiresGrad: opts.requiresGrad });
};

function valuesIndices(pair: [Tensor, Tensor]): ValuesIndices {
  // PyTorch returns a named tuple: both `[values, indices]` and `.values`/`.indices` work.
  return Object.assign(pair, { values: pair[0], indices: pair[1] }) as unknown as ValuesIndices;
}

function dtypeArg(d: unknown): DType | undefined {
  return d === undefined || d === null ? undefined : toDType(d);
}

function checkDims(dim: unknown, fn: string): void {
  if (dim === undefined || dim === null) return;
  if (Number.isInteger(dim)) return;
  if (Array.isArray(dim) && dim.every((d) => Number.isInteger(d))) return;
  throw new TypeError(`${fn}(): dim must be an integer or an array of integers, but received ${describe(dim)}`);
}

// ---- reductions: PyTorch's (dim, keepdim, *, dtype) ----
const REDUCE_ARGS = ['dim', 'keepdim', 'dtype'] as const;
function reduction(name: string) {
  return function (this: Tensor, ...args: unknown[]): Tensor {
    const a = parseArgs<Record<string, unknown>>(name, args, REDUCE_ARGS);
    checkDims(a.dim, name);
    const dtype = dtypeArg(a.dtype);
    if (a.dim === undefined || a.dim === null) {
      if (a.keepdim) return op(name, [this, Array.from({ length: this.dim() }, (_v, k) => k), true], { dtype });
      return op(name, [this], { dtype });
    }
    return op(name, [this, a.dim, a.keepdim ?? false], { dtype });
  };
}
proto.sum = reduction('sum');
proto.mean = reduction('mean');
proto.nansum = reduction('nansum');
proto.nanmean = reduction('nanmean');
proto.prod = function (this: Tensor, ...args: unknown[]): Tensor {
  const a = parseArgs<Record<string, unknown>>('prod', args, REDUCE_ARGS);
  const dtype = dtypeArg(a.dtype);
  if (a.dim === undefined || a.dim === null) return op('prod', [this], { dtype });
  if (!Number.isInteger(a.dim)) throw new TypeError(`prod(): dim must be an integer, but received ${describe(a.dim)}`);
  return op('prod', [this, a.dim, a.keepdim ?? false], { dtype });
};

const VAR_ARGS = ['dim', 'unbiased', 'keepdim', 'correction'] as const;
function variance(name: string) {
  return function (this: Tensor, ...args: unknown[]): Tensor {
    // std(unbiased) is Python's other overload
    if (typeof args[0] === 'boolean') args = [null, ...args];
    const a = parseArgs<Record<string, unknown>>(name, args, VAR_ARGS);
    checkDims(a.dim, name);
    if (a.unbiased !== undefined && a.correction !== undefined) throw new TypeError(`${name}(): give either unbiased or correction, not both`);
    const correction = a.correction ?? (a.unbiased === false ? 0 : 1);
    const dim = a.dim === undefined || a.dim === null ? null : typeof a.dim === 'number' ? [a.dim] : a.dim;
    return op(name, [this, dim], { correction, keepdim: a.keepdim ?? false });
  };
}
proto.std = variance('std');
proto.var = variance('var');

function valuesIndicesOp(name: string, self: Tensor, args: unknown[]): ValuesIndices {
  const a = parseArgs<Record<string, unknown>>(name, args, ['dim', 'keepdim']);
  if (!Number.isInteger(a.dim)) throw new TypeError(`${name}(): dim must be an integer, but received ${describe(a.dim)}`);
  return valuesIndices(callOp(name, [self, a.dim, a.keepdim ?? false]) as [Tensor, Tensor]);
}

function extremum(name: 'max' | 'min') {
  return function (this: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
    if (args.length === 0 || (args.length === 1 && args[0] === undefined)) return op(name, [this]);
    if (args[0] instanceof Tensor) return op(name === 'max' ? 'maximum' : 'minimum', [this, args[0]]);
    return valuesIndicesOp(name, this, args);
  };
}
proto.max = extremum('max');
proto.min = extremum('min');
proto.median = function (this: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  if (args.length === 0 || (args.length === 1 && args[0] === undefined)) return op('median', [this]);
  return valuesIndicesOp('median', this, args);
};

function dimKeepdim(name: string, dimsAllowed: boolean) {
  return function (this: Tensor, ...args: unknown[]): Tensor {
    const a = parseArgs<Record<string, unknown>>(name, args, ['dim', 'keepdim']);
    if (dimsAllowed) checkDims(a.dim, name);
    else if (a.dim !== undefined && a.dim !== null && !Number.isInteger(a.dim)) throw new TypeError(`${name}(): dim must be an integer, but received ${describe(a.dim)}`);
    if (a.dim === undefined || a.dim === null) {
      return name === 'argmax' || name === 'argmin' || name === 'amax' || name === 'amin' ? op(name, [this, dimsAllowed ? [] : null, a.keepdim ?? false]) : op(name, [this]);
    }
    return op(name, [this, a.dim, a.keepdim ?? false]);
  };
}
proto.argmax = dimKeepdim('argmax', false);
proto.argmin = dimKeepdim('argmin', false);
proto.amax = dimKeepdim('amax', true);
proto.amin = dimKeepdim('amin', true);
proto.all = dimKeepdim('all', false);
proto.any = dimKeepdim('any', false);
proto.logsumexp = function (this: Tensor, ...args: unknown[]): Tensor {
  const a = parseArgs<Record<string, unknown>>('logsumexp', args, ['dim', 'keepdim']);
  checkDims(a.dim, 'logsumexp');
  if (a.dim === undefined || a.dim === null) throw new TypeError("logsumexp(): missing required argument 'dim'");
  return op('logsumexp', [this, a.dim, a.keepdim ?? false]);
};

proto.norm = function (this: Tensor, ...args: unknown[]): Tensor {
  const a = parseArgs<Record<string, unknown>>('norm', args, ['p', 'dim', 'keepdim', 'dtype']);
  checkDims(a.dim, 'norm');
  const p = a.p === undefined || a.p === null || a.p === 'fro' ? 2 : a.p;
  if (typeof p !== 'number') throw new TypeError(`norm(): p must be a number or 'fro', but received ${describe(a.p)}`);
  const dim = a.dim === undefined ? null : a.dim;
  return op('linalg_vector_norm', [this, p, dim, a.keepdim ?? false], { dtype: dtypeArg(a.dtype) });
};

function cumulative(name: string) {
  return function (this: Tensor, ...args: unknown[]): Tensor {
    const a = parseArgs<Record<string, unknown>>(name, args, ['dim', 'dtype']);
    if (!Number.isInteger(a.dim)) throw new TypeError(`${name}(): dim must be an integer, but received ${describe(a.dim)}`);
    return op(name, [this, a.dim], { dtype: dtypeArg(a.dtype) });
  };
}
proto.cumsum = cumulative('cumsum');
proto.cumprod = cumulative('cumprod');

proto.sort = function (this: Tensor, ...args: unknown[]): ValuesIndices {
  const a = parseArgs<Record<string, unknown>>('sort', args, ['dim', 'descending', 'stable']);
  const dim = a.dim ?? -1;
  if (a.stable !== undefined) return valuesIndices(callOp('sort', [this], { stable: a.stable, dim, descending: a.descending ?? false }) as [Tensor, Tensor]);
  return valuesIndices(callOp('sort', [this, dim, a.descending ?? false]) as [Tensor, Tensor]);
};
proto.argsort = function (this: Tensor, ...args: unknown[]): Tensor {
  const a = parseArgs<Record<string, unknown>>('argsort', args, ['dim', 'descending']);
  return op('argsort', [this, a.dim ?? -1, a.descending ?? false]);
};
proto.topk = function (this: Tensor, k: number, ...args: unknown[]): ValuesIndices {
  const a = parseArgs<Record<string, unknown>>('topk', args, ['dim', 'largest', 'sorted']);
  return valuesIndices(callOp('topk', [this, k, a.dim ?? -1, a.largest ?? true, a.sorted ?? true]) as [Tensor, Tensor]);
};
proto.multinomial = function (this: Tensor, ...args: unknown[]): Tensor {
  const a = parseArgs<MultinomialOptions>('multinomial', args, ['numSamples', 'replacement'], ['generator']);
  if (a.numSamples === undefined) throw new TypeError("multinomial() missing required argument 'numSamples'");
  return op('multinomial', [this, a.numSamples, a.replacement ?? false], { generator: a.generator ?? undefined });
};
proto.equal = function (this: Tensor, other: Tensor): boolean {
  return callOp('equal', [this, other]) as boolean;
};
proto.allclose = function (this: Tensor, other: Tensor, opts: Kwargs = {}): boolean {
  return callOp('allclose', [this, other], opts) as boolean;
};
function clampArgs(args: unknown[]): [unknown, unknown] {
  const a = parseArgs<Record<string, unknown>>('clamp', args, ['min', 'max']);
  return [a.min ?? null, a.max ?? null];
}
proto.clamp = function (this: Tensor, ...args: unknown[]): Tensor {
  return op('clamp', [this, ...clampArgs(args)]);
};
proto.clip = proto.clamp;
proto.clamp_ = function (this: Tensor, ...args: unknown[]): Tensor {
  callOp('clamp_', [this, ...clampArgs(args)]);
  return this;
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
proto.squeeze = function (this: Tensor, ...args: unknown[]): Tensor {
  const a = parseArgs<Record<string, unknown>>('squeeze', args, ['dim']);
  return a.dim === undefined || a.dim === null ? op('squeeze', [this]) : op('squeeze', [this, a.dim]);
};
proto.flatten = function (this: Tensor, ...args: unknown[]): Tensor {
  const a = parseArgs<Record<string, unknown>>('flatten', args, ['startDim', 'endDim']);
  return op('flatten', [this, a.startDim ?? 0, a.endDim ?? -1]);
};
proto.contiguous = function (this: Tensor, opts: { memoryFormat?: MemoryFormat } = {}): Tensor {
  return op('contiguous', [this], { memoryFormat: opts.memoryFormat ?? 'contiguous_format' });
};
proto.split = function (this: Tensor, splitSize: number | number[], ...args: unknown[]): Tensor[] {
  const dim = parseArgs<Record<string, unknown>>('split', args, ['dim']).dim ?? 0;
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

// ---- indexing (Python's x[...] and x[...] = v, as torch/csrc/autograd/python_variable_indexing.cpp does it) ----
const SLICE_RE = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/;

/** One parsed index item. */
type Item = number | Slice | null | '...' | Tensor | boolean;

function isSliceObject(v: unknown): v is Slice {
  return typeof v === 'object' && v !== null && !(v instanceof Tensor) && !Array.isArray(v);
}

function isMask(t: Tensor): boolean {
  return t.dtype === 'bool' || t.dtype === 'uint8';
}

function checkSliceBound(v: unknown, what: string, item: unknown): void {
  if (v !== undefined && v !== null && !Number.isInteger(v)) {
    throw new TypeError(`slice ${what} must be an integer or null, but received ${describe(v)} in ${describe(item)}`);
  }
}

/** Strings become slices, nested arrays become index tensors (Python's `x[[0, 2]]`). */
function parseIndexItem(item: IndexSpec): Item {
  if (typeof item === 'string') {
    if (item === '...') return item;
    const m = SLICE_RE.exec(item);
    if (!m) throw new TypeError(`invalid index '${item}': expected a slice such as '1:3', ':' or '::2', or '...'`);
    const num = (x: string | undefined) => (x === undefined ? null : Number(x));
    return { start: num(m[1]), stop: num(m[2]), step: num(m[3]) };
  }
  if (Array.isArray(item)) {
    const flat = (item as unknown[]).flat(Infinity);
    if (flat.length > 0 && flat.every((x) => typeof x === 'boolean')) return wrap(N.fromBuffer(Uint8Array.from(flat as boolean[], (b) => (b ? 1 : 0)), 'bool', nestedShape(item)));
    if (flat.every((x) => Number.isInteger(x))) {
      // Python reads a list index as int64s (BigInt64Array.from would wrap larger values silently)
      if (!flat.every((x) => x === 0 || isPythonInt(x))) throw new TorchError('Overflow when unpacking long');
      return wrap(N.fromBuffer(BigInt64Array.from(flat as number[], (x) => BigInt(x)), 'int64', nestedShape(item)));
    }
    throw new TypeError(`an index array must hold only integers or only booleans, but received ${describe(item)}`);
  }
  if (typeof item === 'number') {
    if (!Number.isInteger(item)) throw new TypeError(`index must be an integer, but received ${item}`);
    return item;
  }
  if (item === null || typeof item === 'boolean' || item instanceof Tensor) return item;
  if (isSliceObject(item)) {
    checkSliceBound(item.start, 'start', item);
    checkSliceBound(item.stop, 'stop', item);
    checkSliceBound(item.step, 'step', item);
    return item;
  }
  throw new TypeError(`invalid index ${describe(item)}: expected an integer, a slice, null, '...', a boolean or a Tensor`);
}

function nestedShape(a: unknown[]): number[] {
  const shape: number[] = [];
  let cur: unknown = a;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

/** A 0-dim integral tensor indexes as the Python int it holds, a 0-dim bool or uint8 one as the Python bool. */
function scalarIndex(it: Item): Item {
  if (!(it instanceof Tensor) || it.dim() !== 0 || isFloatingPoint(it.dtype) || isComplex(it.dtype)) return it;
  const v = it.item();
  return isMask(it) ? Boolean(v) : Number(v);
}

/**
 * Applies the basic part of an index (integers, slices, new axes, ellipsis) as views, and lines the tensor
 * indices up with the dimensions of that view for one `aten::index` call, as PyTorch's applySlicing does.
 * Runs inside tidy().
 */
function applyIndex(t: Tensor, raw: IndexSpec | IndexSpec[]): { view: Tensor; advanced: (Tensor | null)[] | null } {
  const items = (Array.isArray(raw) ? (raw as IndexSpec[]) : [raw]).map((spec) => scalarIndex(parseIndexItem(spec)));
  const ndim = t.dim();
  let specified = 0;
  let ellipses = 0;
  for (const it of items) {
    if (it instanceof Tensor) specified += isMask(it) ? it.dim() : 1;
    else if (typeof it === 'number' || isSliceObject(it)) specified++;
    else if (it === '...') ellipses++;
  }
  if (specified > ndim) throw new RangeError(`too many indices for tensor of dimension ${ndim}`);
  if (ellipses > 1) throw new RangeError('an index can only have a single ellipsis (\'...\')');
  let view = t;
  let dim = 0;
  const advanced: (Tensor | null)[] = [];
  let hasAdvanced = false;
  items.forEach((it, pos) => {
    if (typeof it === 'number') {
      const size = view.shape[dim];
      if (it < -size || it >= size) throw new RangeError(`index ${it} is out of bounds for dimension ${pos} with size ${size}`);
      view = op('select', [view, dim, it]);
    } else if (it === null) {
      view = op('unsqueeze', [view, dim]);
      advanced.push(null);
      dim++;
    } else if (typeof it === 'boolean') {
      // a new dim of size 1 taken by the index [0] (true) or [] (false), which broadcasts with the other tensors
      view = op('unsqueeze', [view, dim]);
      advanced.push(op('zeros', [[it ? 1 : 0]], { dtype: 'int64', device: t.device.toString() }));
      hasAdvanced = true;
      dim++;
    } else if (it === '...') {
      for (let k = 0; k < ndim - specified; k++) advanced.push(null);
      dim += ndim - specified;
    } else if (it instanceof Tensor) {
      advanced.push(it);
      hasAdvanced = true;
      dim += isMask(it) ? it.dim() : 1;
    } else {
      const step = it.step ?? 1;
      if (step <= 0) throw new RangeError('step must be greater than zero');
      view = op('slice', [view, dim, it.start ?? null, it.stop ?? null, step]);
      advanced.push(null);
      dim++;
    }
  });
  return { view, advanced: hasAdvanced ? advanced : null };
}

proto.index = function (this: Tensor, indices: IndexSpec | IndexSpec[]): Tensor {
  return tidy(() => {
    const { view, advanced } = applyIndex(this, indices);
    if (advanced) return op('index', [view, advanced]);
    // like Python, x[...] and x[()] give a new tensor that shares the data
    return view === this ? op('alias', [this]) : view;
  });
};
proto.indexPut_ = function (this: Tensor, indices: IndexSpec | IndexSpec[], values: TensorOrScalar, ...args: unknown[]): Tensor {
  const accumulate = parseArgs<{ accumulate: boolean }>('indexPut_', args, ['accumulate']).accumulate ?? false;
  if (typeof accumulate !== 'boolean') throw new TypeError(`indexPut_(): argument 'accumulate' must be bool, not ${describe(accumulate)}`);
  if (!(values instanceof Tensor) && typeof values !== 'number' && typeof values !== 'boolean') {
    throw new TypeError(`indexPut_(): values must be a Tensor or a number, but received ${describe(values)}`);
  }
  // Python's set_item shortcuts for a lone bool: x[False] = v does nothing, x[True] = v writes to x[None]
  if (indices === false) return this;
  const index = indices === true ? null : indices;
  tidy(() => {
    const { view, advanced } = applyIndex(this, index);
    if (!(values instanceof Tensor)) {
      if (advanced) callOp('index_put_', [view, advanced, op('scalar_tensor', [values], { dtype: view.dtype, device: view.device.toString() }), accumulate]);
      else callOp(accumulate ? 'add_' : 'fill_', [view, values]);
      return;
    }
    // as Python does: leading dimensions of size 1 of the values are dropped, then they broadcast
    const vshape = values.shape;
    let lead = 0;
    while (lead < vshape.length && vshape[lead] === 1) lead++;
    const v = lead > 0 ? op('view', [values, vshape.slice(lead)]) : values;
    if (advanced) {
      callOp('index_put_', [view, advanced, v, accumulate]);
    } else if (accumulate) {
      // no tensor index: every position appears once, so accumulating is adding into the view
      callOp('add_', [view, v]);
    } else {
      const vs = view.shape;
      const same = vshape.length === vs.length && vshape.every((n, k) => n === vs[k]);
      if (same) callOp('copy_', [view, values]);
      else if (vshape.length === 0 && values.device.type === 'cpu') callOp('fill_', [view, values]);
      else callOp('copy_', [view, op('expand', [v, vs])]);
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
  float: 'float32', double: 'float64', half: 'float16', bfloat16: 'bfloat16', long: 'int64', int: 'int32', short: 'int16', bool: 'bool', byte: 'uint8', char: 'int8',
};
for (const [name, dtype] of Object.entries(casts)) {
  proto[name] = function (this: Tensor): Tensor {
    return this.to(dtype);
  };
}
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
