// torch.* functions: those over one input delegate to the Tensor method of the same name; the rest
// (cat, stack, where, einsum, ...) call their operators directly.
import { Tensor, TensorOrScalar } from './tensor';
import './tensor_ops';
import type { ReduceOptions, VarOptions, ValuesIndices, ValuesIndicesOptions } from './tensor_ops';
import { callOp } from './dispatch';
import { describe } from './dtype';

type Dims = number | number[];

function input(t: unknown, fn: string): Tensor {
  if (t instanceof Tensor) return t;
  throw new TypeError(`${fn}(): argument 'input' must be a Tensor, but received ${describe(t)}`);
}

type Method<K extends keyof Tensor> = Tensor[K] extends (...args: infer A) => infer R ? (input: Tensor, ...args: A) => R : never;

function delegate<K extends keyof Tensor>(name: K): Method<K> {
  return ((t: Tensor, ...args: unknown[]) => (input(t, String(name))[name] as (...a: unknown[]) => unknown)(...args)) as Method<K>;
}

/** `torch.add(input, other, { alpha })`. */
export const add = delegate('add');
/** `torch.sub(input, other, { alpha })`. */
export const sub = delegate('sub');
/** `torch.mul(input, other)`. */
export const mul = delegate('mul');
/** `torch.div(input, other, { roundingMode })`. */
export const div = delegate('div');
export const subtract = delegate('subtract');
export const multiply = delegate('multiply');
export const divide = delegate('divide');
export const remainder = delegate('remainder');
export const fmod = delegate('fmod');
export const floorDivide = delegate('floorDivide');
export const maximum = delegate('maximum');
export const minimum = delegate('minimum');
export const atan2 = delegate('atan2');
export const lerp = delegate('lerp');
export const addcmul = delegate('addcmul');
export const addcdiv = delegate('addcdiv');
export const neg = delegate('neg');
export const abs = delegate('abs');
export const sqrt = delegate('sqrt');
export const rsqrt = delegate('rsqrt');
export const exp = delegate('exp');
export const expm1 = delegate('expm1');
export const log = delegate('log');
export const log2 = delegate('log2');
export const log10 = delegate('log10');
export const log1p = delegate('log1p');
export const sin = delegate('sin');
export const cos = delegate('cos');
export const tan = delegate('tan');
export const asin = delegate('asin');
export const acos = delegate('acos');
export const atan = delegate('atan');
export const sinh = delegate('sinh');
export const cosh = delegate('cosh');
export const tanh = delegate('tanh');
export const sigmoid = delegate('sigmoid');
export const relu = delegate('relu');
export const floor = delegate('floor');
export const ceil = delegate('ceil');
export const round = delegate('round');
export const trunc = delegate('trunc');
export const frac = delegate('frac');
export const sign = delegate('sign');
export const reciprocal = delegate('reciprocal');
export const square = delegate('square');
export const erf = delegate('erf');
export const erfinv = delegate('erfinv');
export const logicalNot = delegate('logicalNot');
export const logicalAnd = delegate('logicalAnd');
export const logicalOr = delegate('logicalOr');
export const logicalXor = delegate('logicalXor');
export const bitwiseNot = delegate('bitwiseNot');
export const isnan = delegate('isnan');
export const isinf = delegate('isinf');
export const isfinite = delegate('isfinite');
export const nanToNum = delegate('nanToNum');
export const matmul = delegate('matmul');
export const mm = delegate('mm');
export const bmm = delegate('bmm');
export const mv = delegate('mv');
export const dot = delegate('dot');
export const outer = delegate('outer');

function call(name: string, t: unknown, args: unknown[]): never {
  return (input(t, name) as unknown as Record<string, (...a: unknown[]) => never>)[name](...args);
}

/** Sum of all elements, or over `dim`: `torch.sum(x)`, `torch.sum(x, 1, true)`, `torch.sum(x, { dim: 1 })`. */
export function sum(input: Tensor, opts?: ReduceOptions): Tensor;
export function sum(input: Tensor, dim: Dims | null, keepdim?: boolean, opts?: ReduceOptions): Tensor;
export function sum(input: Tensor, dim: Dims | null, opts: ReduceOptions): Tensor;
export function sum(input: Tensor, ...args: unknown[]): Tensor {
  return call('sum', input, args);
}
/** Mean of all elements, or over `dim`. */
export function mean(input: Tensor, opts?: ReduceOptions): Tensor;
export function mean(input: Tensor, dim: Dims | null, keepdim?: boolean, opts?: ReduceOptions): Tensor;
export function mean(input: Tensor, dim: Dims | null, opts: ReduceOptions): Tensor;
export function mean(input: Tensor, ...args: unknown[]): Tensor {
  return call('mean', input, args);
}
/** Sum treating NaN as zero. */
export function nansum(input: Tensor, opts?: ReduceOptions): Tensor;
export function nansum(input: Tensor, dim: Dims | null, keepdim?: boolean, opts?: ReduceOptions): Tensor;
export function nansum(input: Tensor, ...args: unknown[]): Tensor {
  return call('nansum', input, args);
}
/** Mean ignoring NaN. */
export function nanmean(input: Tensor, opts?: ReduceOptions): Tensor;
export function nanmean(input: Tensor, dim: Dims | null, keepdim?: boolean, opts?: ReduceOptions): Tensor;
export function nanmean(input: Tensor, ...args: unknown[]): Tensor {
  return call('nanmean', input, args);
}
/** Product of all elements, or over one `dim`. */
export function prod(input: Tensor, opts?: ReduceOptions): Tensor;
export function prod(input: Tensor, dim: number, keepdim?: boolean, opts?: ReduceOptions): Tensor;
export function prod(input: Tensor, ...args: unknown[]): Tensor {
  return call('prod', input, args);
}
/** Standard deviation: `torch.std(x)`, `torch.std(x, 1, false)`, `torch.std(x, { dim: 1, correction: 0 })`. */
export function std(input: Tensor, opts?: VarOptions): Tensor;
export function std(input: Tensor, unbiased: boolean): Tensor;
export function std(input: Tensor, dim: Dims | null, unbiasedOrOpts?: boolean | VarOptions, keepdim?: boolean): Tensor;
export function std(input: Tensor, ...args: unknown[]): Tensor {
  return call('std', input, args);
}
/** Variance (`torch.var`; `var` is a reserved word in JavaScript, so it is also exported as `var_`). */
export function var_(input: Tensor, opts?: VarOptions): Tensor;
export function var_(input: Tensor, unbiased: boolean): Tensor;
export function var_(input: Tensor, dim: Dims | null, unbiasedOrOpts?: boolean | VarOptions, keepdim?: boolean): Tensor;
export function var_(input: Tensor, ...args: unknown[]): Tensor {
  return call('var', input, args);
}
export { var_ as var };
/** The largest element; along `dim` the values and indices; or the element-wise maximum of two tensors. */
export function max(input: Tensor): Tensor;
export function max(input: Tensor, other: Tensor): Tensor;
export function max(input: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(input: Tensor, opts: ValuesIndicesOptions): ValuesIndices;
export function max(input: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  return call('max', input, args);
}
/** The smallest element; along `dim` the values and indices; or the element-wise minimum of two tensors. */
export function min(input: Tensor): Tensor;
export function min(input: Tensor, other: Tensor): Tensor;
export function min(input: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(input: Tensor, opts: ValuesIndicesOptions): ValuesIndices;
export function min(input: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  return call('min', input, args);
}
/** The median; along `dim` the values and indices. */
export function median(input: Tensor): Tensor;
export function median(input: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function median(input: Tensor, opts: ValuesIndicesOptions): ValuesIndices;
export function median(input: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  return call('median', input, args);
}
export const amax = delegate('amax');
export const amin = delegate('amin');
export const argmax = delegate('argmax');
export const argmin = delegate('argmin');
export const all = delegate('all');
export const any = delegate('any');
export const logsumexp = delegate('logsumexp');
export const norm = delegate('norm');
export const cumsum = delegate('cumsum');
export const cumprod = delegate('cumprod');
export const sort = delegate('sort');
export const argsort = delegate('argsort');
export const topk = delegate('topk');
export const eq = delegate('eq');
export const ne = delegate('ne');
export const lt = delegate('lt');
export const le = delegate('le');
export const gt = delegate('gt');
export const ge = delegate('ge');
export const equal = delegate('equal');
export const allclose = delegate('allclose');
export const isclose = delegate('isclose');
export const clamp = delegate('clamp');
export const clip = delegate('clip');
export const maskedFill = delegate('maskedFill');
export const maskedSelect = delegate('maskedSelect');
export const reshape = delegate('reshape');
export const permute = delegate('permute');
export const transpose = delegate('transpose');
export const t = delegate('t');
export const squeeze = delegate('squeeze');
export const unsqueeze = delegate('unsqueeze');
export const flatten = delegate('flatten');
export const unflatten = delegate('unflatten');
export const repeatInterleave = delegate('repeatInterleave');
export const tile = delegate('tile');
export const flip = delegate('flip');
export const roll = delegate('roll');
export const split = delegate('split');
export const chunk = delegate('chunk');
export const unbind = delegate('unbind');
export const select = delegate('select');
export const narrow = delegate('narrow');
export const indexSelect = delegate('indexSelect');
export const gather = delegate('gather');
export const scatter = delegate('scatter');
export const scatterAdd = delegate('scatterAdd');
export const nonzero = delegate('nonzero');
export const softmax = delegate('softmax');
export const logSoftmax = delegate('logSoftmax');
export const clone = delegate('clone');
export const pow = delegate('pow');
export const triu = delegate('triu');
export const tril = delegate('tril');
export const diag = delegate('diag');
export const diagonal = delegate('diagonal');
export const trace = delegate('trace');
export const addmm = delegate('addmm');
export const addmv = delegate('addmv');
export const baddbmm = delegate('baddbmm');
export const movedim = delegate('movedim');
export const swapaxes = delegate('swapaxes');
export const swapdims = delegate('swapdims');
export const argwhere = delegate('argwhere');
export const countNonzero = delegate('countNonzero');
export const clampMin = delegate('clampMin');
export const clampMax = delegate('clampMax');
export const diff = delegate('diff');
export const indexFill = delegate('indexFill');
export const indexCopy = delegate('indexCopy');
export const indexAdd = delegate('indexAdd');
export const takeAlongDim = delegate('takeAlongDim');
export const take = delegate('take');
export const kthvalue = delegate('kthvalue');
export const mode = delegate('mode');
export const cummax = delegate('cummax');
export const cummin = delegate('cummin');
export const unique = delegate('unique');
export const bincount = delegate('bincount');
export const rot90 = delegate('rot90');
export const hypot = delegate('hypot');
export const logaddexp = delegate('logaddexp');
export const logit = delegate('logit');
export const exp2 = delegate('exp2');
export const absolute = delegate('absolute');
export const negative = delegate('negative');

function tensorList(tensors: unknown, fn: string): Tensor[] {
  if (!Array.isArray(tensors) || !tensors.every((x) => x instanceof Tensor)) {
    throw new TypeError(`${fn}(): argument 'tensors' must be an array of Tensors, but received ${describe(tensors)}`);
  }
  return tensors;
}

/** Concatenates tensors along `dim`: `cat([a, b], 1)` or `cat([a, b], { dim: 1 })`. */
export function cat(tensors: Tensor[], dim: number | { dim?: number } = 0): Tensor {
  return callOp('cat', [tensorList(tensors, 'cat'), dimOf(dim, 'cat')]) as Tensor;
}
/** `torch.concat`, an alias of cat. */
export const concat = cat;
/** Stacks tensors along a new dimension: `stack([a, b], 1)` or `stack([a, b], { dim: 1 })`. */
export function stack(tensors: Tensor[], dim: number | { dim?: number } = 0): Tensor {
  return callOp('stack', [tensorList(tensors, 'stack'), dimOf(dim, 'stack')]) as Tensor;
}

function dimOf(dim: number | { dim?: number }, fn: string): number {
  const d = typeof dim === 'object' && dim !== null ? dim.dim ?? 0 : dim;
  if (!Number.isInteger(d)) throw new TypeError(`${fn}(): dim must be an integer, but received ${describe(d)}`);
  return d;
}
/** Stacks horizontally (column-wise). */
export function hstack(tensors: Tensor[]): Tensor {
  return callOp('hstack', [tensorList(tensors, 'hstack')]) as Tensor;
}
/** Stacks vertically (row-wise). */
export function vstack(tensors: Tensor[]): Tensor {
  return callOp('vstack', [tensorList(tensors, 'vstack')]) as Tensor;
}
/** `condition ? input : other`, element-wise with broadcasting; with one argument, the indices where true. */
export function where(condition: Tensor, x?: TensorOrScalar, y?: TensorOrScalar): Tensor | Tensor[] {
  if (x === undefined && y === undefined) return callOp('where', [condition]) as Tensor[];
  return callOp('where', [condition, x, y]) as Tensor;
}
/** Einstein summation: `einsum('ij,jk->ik', a, b)`. */
export function einsum(equation: string, ...operands: (Tensor | Tensor[])[]): Tensor {
  const list = operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : (operands as Tensor[]);
  return callOp('einsum', [equation, tensorList(list, 'einsum')]) as Tensor;
}
/** Broadcasts tensors to a common shape. */
export function broadcastTensors(...tensors: Tensor[]): Tensor[] {
  return callOp('broadcast_tensors', [tensorList(tensors, 'broadcast_tensors')]) as Tensor[];
}
/** Coordinate grids, `indexing` 'ij' (default) or 'xy'. */
export function meshgrid(tensors: Tensor[], opts: { indexing?: 'ij' | 'xy' } = {}): Tensor[] {
  return callOp('meshgrid', [tensorList(tensors, 'meshgrid')], { indexing: opts.indexing ?? 'ij' }) as Tensor[];
}
/** A complex tensor from real and imaginary parts (float32 parts give complex64, float64 complex128). */
export function complex(real: Tensor, imag: Tensor): Tensor {
  return callOp('complex', [input(real, 'complex'), input(imag, 'complex')]) as Tensor;
}

export { setPrintoptions, getPrintoptions } from './format';
export type { PrintOptions } from './format';
export type { DimOptions, ValuesIndicesOptions, ClampOptions, IndexSpec, NestedIndexList } from './tensor_ops';
