// torch.* functions: those over one input delegate to the Tensor method of the same name; the rest
// (cat, stack, where, einsum, ...) call their operators directly.
import { Tensor, TensorOrScalar } from './tensor';
import './tensor_ops';
import type { ReduceOptions, VarOptions, ValuesIndices, ValuesIndicesOptions } from './tensor_ops';
import { callOp, Kwargs } from './dispatch';
import { parseArgs, snakeCase, splitOptions } from './args';
import { DType, DTypeLike, toDType, describe } from './dtype';
import { inputTensor } from './creation';

type Dims = number | number[];

type Method<K extends keyof Tensor> = Tensor[K] extends (...args: infer A) => infer R ? (input: Tensor, ...args: A) => R : never;

function delegate<K extends keyof Tensor>(name: K): Method<K> {
  return ((t: Tensor, ...args: unknown[]) => (inputTensor(t, String(name))[name] as (...a: unknown[]) => unknown)(...args)) as Method<K>;
}

type NumberFirst<K extends keyof Tensor> = Tensor[K] extends (...args: infer A) => infer R ? (input: TensorOrScalar, ...args: A) => R : never;

/** As delegate, for functions Python also calls with a number first: `torch.pow(2, x)`, `torch.sub(1, x)`. */
function delegateNumberFirst<K extends keyof Tensor & string>(name: K): NumberFirst<K> {
  const method = delegate(name) as (t: unknown, ...args: unknown[]) => unknown;
  const aten = snakeCase(name);
  return ((t: unknown, ...args: unknown[]) => {
    if (typeof t !== 'number' && typeof t !== 'boolean') return method(t, ...args);
    const { pos, opts } = splitOptions(args);
    return callOp(aten, [t, ...pos], opts as Kwargs | undefined);
  }) as NumberFirst<K>;
}

/** `torch.add(input, other, { alpha })`. */
export const add = delegateNumberFirst('add');
/** `torch.sub(input, other, { alpha })`. */
export const sub = delegateNumberFirst('sub');
/** `torch.mul(input, other)`. */
export const mul = delegateNumberFirst('mul');
/** `torch.div(input, other, { roundingMode })`. */
export const div = delegateNumberFirst('div');
/** `torch.subtract(input, ...)`: the same as `input.subtract(...)`. */
export const subtract = delegateNumberFirst('subtract');
/** `torch.multiply(input, ...)`: the same as `input.multiply(...)`. */
export const multiply = delegateNumberFirst('multiply');
/** `torch.divide(input, ...)`: the same as `input.divide(...)`. */
export const divide = delegateNumberFirst('divide');
/** `torch.remainder(input, ...)`: the same as `input.remainder(...)`. */
export const remainder = delegateNumberFirst('remainder');
/** `torch.fmod(input, ...)`: the same as `input.fmod(...)`. */
export const fmod = delegate('fmod');
/** `torch.floorDivide(input, ...)`: the same as `input.floorDivide(...)`. */
export const floorDivide = delegateNumberFirst('floorDivide');
/** `torch.trueDivide(input, other)`: the same as `input.trueDivide(other)`. */
export const trueDivide = delegateNumberFirst('trueDivide');
/** `torch.maximum(input, ...)`: the same as `input.maximum(...)`. */
export const maximum = delegate('maximum');
/** `torch.minimum(input, ...)`: the same as `input.minimum(...)`. */
export const minimum = delegate('minimum');
/** `torch.atan2(input, ...)`: the same as `input.atan2(...)`. */
export const atan2 = delegate('atan2');
/** `torch.lerp(input, ...)`: the same as `input.lerp(...)`. */
export const lerp = delegate('lerp');
/** `torch.addcmul(input, ...)`: the same as `input.addcmul(...)`. */
export const addcmul = delegate('addcmul');
/** `torch.addcdiv(input, ...)`: the same as `input.addcdiv(...)`. */
export const addcdiv = delegate('addcdiv');
/** `torch.neg(input, ...)`: the same as `input.neg(...)`. */
export const neg = delegate('neg');
/** `torch.abs(input, ...)`: the same as `input.abs(...)`. */
export const abs = delegate('abs');
/** `torch.sqrt(input, ...)`: the same as `input.sqrt(...)`. */
export const sqrt = delegate('sqrt');
/** `torch.rsqrt(input, ...)`: the same as `input.rsqrt(...)`. */
export const rsqrt = delegate('rsqrt');
/** `torch.exp(input, ...)`: the same as `input.exp(...)`. */
export const exp = delegate('exp');
/** `torch.expm1(input, ...)`: the same as `input.expm1(...)`. */
export const expm1 = delegate('expm1');
/** `torch.log(input, ...)`: the same as `input.log(...)`. */
export const log = delegate('log');
/** `torch.log2(input, ...)`: the same as `input.log2(...)`. */
export const log2 = delegate('log2');
/** `torch.log10(input, ...)`: the same as `input.log10(...)`. */
export const log10 = delegate('log10');
/** `torch.log1p(input, ...)`: the same as `input.log1p(...)`. */
export const log1p = delegate('log1p');
/** `torch.sin(input, ...)`: the same as `input.sin(...)`. */
export const sin = delegate('sin');
/** `torch.cos(input, ...)`: the same as `input.cos(...)`. */
export const cos = delegate('cos');
/** `torch.tan(input, ...)`: the same as `input.tan(...)`. */
export const tan = delegate('tan');
/** `torch.asin(input, ...)`: the same as `input.asin(...)`. */
export const asin = delegate('asin');
/** `torch.acos(input, ...)`: the same as `input.acos(...)`. */
export const acos = delegate('acos');
/** `torch.atan(input, ...)`: the same as `input.atan(...)`. */
export const atan = delegate('atan');
/** `torch.sinh(input, ...)`: the same as `input.sinh(...)`. */
export const sinh = delegate('sinh');
/** `torch.cosh(input, ...)`: the same as `input.cosh(...)`. */
export const cosh = delegate('cosh');
/** `torch.tanh(input, ...)`: the same as `input.tanh(...)`. */
export const tanh = delegate('tanh');
/** `torch.sigmoid(input, ...)`: the same as `input.sigmoid(...)`. */
export const sigmoid = delegate('sigmoid');
/** `torch.relu(input, ...)`: the same as `input.relu(...)`. */
export const relu = delegate('relu');
/** `torch.floor(input, ...)`: the same as `input.floor(...)`. */
export const floor = delegate('floor');
/** `torch.ceil(input, ...)`: the same as `input.ceil(...)`. */
export const ceil = delegate('ceil');
/** `torch.round(input, ...)`: the same as `input.round(...)`. */
export const round = delegate('round');
/** `torch.trunc(input, ...)`: the same as `input.trunc(...)`. */
export const trunc = delegate('trunc');
/** `torch.frac(input, ...)`: the same as `input.frac(...)`. */
export const frac = delegate('frac');
/** `torch.sign(input, ...)`: the same as `input.sign(...)`. */
export const sign = delegate('sign');
/** `torch.reciprocal(input, ...)`: the same as `input.reciprocal(...)`. */
export const reciprocal = delegate('reciprocal');
/** `torch.square(input, ...)`: the same as `input.square(...)`. */
export const square = delegate('square');
/** `torch.erf(input, ...)`: the same as `input.erf(...)`. */
export const erf = delegate('erf');
/** `torch.erfinv(input, ...)`: the same as `input.erfinv(...)`. */
export const erfinv = delegate('erfinv');
/** `torch.logicalNot(input, ...)`: the same as `input.logicalNot(...)`. */
export const logicalNot = delegate('logicalNot');
/** `torch.logicalAnd(input, ...)`: the same as `input.logicalAnd(...)`. */
export const logicalAnd = delegate('logicalAnd');
/** `torch.logicalOr(input, ...)`: the same as `input.logicalOr(...)`. */
export const logicalOr = delegate('logicalOr');
/** `torch.logicalXor(input, ...)`: the same as `input.logicalXor(...)`. */
export const logicalXor = delegate('logicalXor');
/** `torch.bitwiseNot(input, ...)`: the same as `input.bitwiseNot(...)`. */
export const bitwiseNot = delegate('bitwiseNot');
/** `torch.isnan(input, ...)`: the same as `input.isnan(...)`. */
export const isnan = delegate('isnan');
/** `torch.isinf(input, ...)`: the same as `input.isinf(...)`. */
export const isinf = delegate('isinf');
/** `torch.isfinite(input, ...)`: the same as `input.isfinite(...)`. */
export const isfinite = delegate('isfinite');
/** `torch.nanToNum(input, ...)`: the same as `input.nanToNum(...)`. */
export const nanToNum = delegate('nanToNum');
/** `torch.matmul(input, ...)`: the same as `input.matmul(...)`. */
export const matmul = delegate('matmul');
/** `torch.mm(input, ...)`: the same as `input.mm(...)`. */
export const mm = delegate('mm');
/** `torch.bmm(input, ...)`: the same as `input.bmm(...)`. */
export const bmm = delegate('bmm');
/** `torch.mv(input, ...)`: the same as `input.mv(...)`. */
export const mv = delegate('mv');
/** `torch.dot(input, ...)`: the same as `input.dot(...)`. */
export const dot = delegate('dot');
/** `torch.outer(input, ...)`: the same as `input.outer(...)`. */
export const outer = delegate('outer');

function call(name: string, t: unknown, args: unknown[]): never {
  return (inputTensor(t, name) as unknown as Record<string, (...a: unknown[]) => never>)[name](...args);
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
/** `torch.amax(input, ...)`: the same as `input.amax(...)`. */
export const amax = delegate('amax');
/** `torch.amin(input, ...)`: the same as `input.amin(...)`. */
export const amin = delegate('amin');
/** `torch.argmax(input, ...)`: the same as `input.argmax(...)`. */
export const argmax = delegate('argmax');
/** `torch.argmin(input, ...)`: the same as `input.argmin(...)`. */
export const argmin = delegate('argmin');
/** `torch.all(input, ...)`: the same as `input.all(...)`. */
export const all = delegate('all');
/** `torch.any(input, ...)`: the same as `input.any(...)`. */
export const any = delegate('any');
/** `torch.logsumexp(input, ...)`: the same as `input.logsumexp(...)`. */
export const logsumexp = delegate('logsumexp');
/** `torch.norm(input, ...)`: the same as `input.norm(...)`. */
export const norm = delegate('norm');
/** `torch.cumsum(input, ...)`: the same as `input.cumsum(...)`. */
export const cumsum = delegate('cumsum');
/** `torch.cumprod(input, ...)`: the same as `input.cumprod(...)`. */
export const cumprod = delegate('cumprod');
/** `torch.sort(input, ...)`: the same as `input.sort(...)`. */
export const sort = delegate('sort');
/** `torch.argsort(input, ...)`: the same as `input.argsort(...)`. */
export const argsort = delegate('argsort');
/** `torch.topk(input, ...)`: the same as `input.topk(...)`. */
export const topk = delegate('topk');
/** `torch.eq(input, ...)`: the same as `input.eq(...)`. */
export const eq = delegate('eq');
/** `torch.ne(input, ...)`: the same as `input.ne(...)`. */
export const ne = delegate('ne');
/** `torch.lt(input, ...)`: the same as `input.lt(...)`. */
export const lt = delegate('lt');
/** `torch.le(input, ...)`: the same as `input.le(...)`. */
export const le = delegate('le');
/** `torch.gt(input, ...)`: the same as `input.gt(...)`. */
export const gt = delegate('gt');
/** `torch.ge(input, ...)`: the same as `input.ge(...)`. */
export const ge = delegate('ge');
/** `torch.equal(input, ...)`: the same as `input.equal(...)`. */
export const equal = delegate('equal');
/** `torch.allclose(input, ...)`: the same as `input.allclose(...)`. */
export const allclose = delegate('allclose');
/** `torch.isclose(input, ...)`: the same as `input.isclose(...)`. */
export const isclose = delegate('isclose');
/** `torch.clamp(input, ...)`: the same as `input.clamp(...)`. */
export const clamp = delegate('clamp');
/** `torch.clip(input, ...)`: the same as `input.clip(...)`. */
export const clip = delegate('clip');
/** `torch.maskedFill(input, ...)`: the same as `input.maskedFill(...)`. */
export const maskedFill = delegate('maskedFill');
/** `torch.maskedSelect(input, ...)`: the same as `input.maskedSelect(...)`. */
export const maskedSelect = delegate('maskedSelect');
/** `torch.reshape(input, ...)`: the same as `input.reshape(...)`. */
export const reshape = delegate('reshape');
/** `torch.permute(input, ...)`: the same as `input.permute(...)`. */
export const permute = delegate('permute');
/** `torch.transpose(input, ...)`: the same as `input.transpose(...)`. */
export const transpose = delegate('transpose');
/** `torch.t(input, ...)`: the same as `input.t(...)`. */
export const t = delegate('t');
/** `torch.squeeze(input, ...)`: the same as `input.squeeze(...)`. */
export const squeeze = delegate('squeeze');
/** `torch.unsqueeze(input, ...)`: the same as `input.unsqueeze(...)`. */
export const unsqueeze = delegate('unsqueeze');
/** `torch.flatten(input, ...)`: the same as `input.flatten(...)`. */
export const flatten = delegate('flatten');
/** `torch.unflatten(input, ...)`: the same as `input.unflatten(...)`. */
export const unflatten = delegate('unflatten');
/** `torch.repeatInterleave(input, ...)`: the same as `input.repeatInterleave(...)`. */
export const repeatInterleave = delegate('repeatInterleave');
/** `torch.tile(input, ...)`: the same as `input.tile(...)`. */
export const tile = delegate('tile');
/** `torch.flip(input, ...)`: the same as `input.flip(...)`. */
export const flip = delegate('flip');
/** `torch.roll(input, ...)`: the same as `input.roll(...)`. */
export const roll = delegate('roll');
/** `torch.split(input, ...)`: the same as `input.split(...)`. */
export const split = delegate('split');
/** `torch.chunk(input, ...)`: the same as `input.chunk(...)`. */
export const chunk = delegate('chunk');
/** `torch.unbind(input, ...)`: the same as `input.unbind(...)`. */
export const unbind = delegate('unbind');
/** `torch.select(input, ...)`: the same as `input.select(...)`. */
export const select = delegate('select');
/** `torch.narrow(input, ...)`: the same as `input.narrow(...)`. */
export const narrow = delegate('narrow');
/** `torch.indexSelect(input, ...)`: the same as `input.indexSelect(...)`. */
export const indexSelect = delegate('indexSelect');
/** `torch.gather(input, ...)`: the same as `input.gather(...)`. */
export const gather = delegate('gather');
/** `torch.scatter(input, ...)`: the same as `input.scatter(...)`. */
export const scatter = delegate('scatter');
/** `torch.scatterAdd(input, ...)`: the same as `input.scatterAdd(...)`. */
export const scatterAdd = delegate('scatterAdd');
/** `torch.nonzero(input, ...)`: the same as `input.nonzero(...)`. */
export const nonzero = delegate('nonzero');
/** `torch.softmax(input, ...)`: the same as `input.softmax(...)`. */
export const softmax = delegate('softmax');
/** `torch.logSoftmax(input, ...)`: the same as `input.logSoftmax(...)`. */
export const logSoftmax = delegate('logSoftmax');
/** `torch.clone(input, ...)`: the same as `input.clone(...)`. */
export const clone = delegate('clone');
/** `torch.pow(input, ...)`: the same as `input.pow(...)`. */
export const pow = delegateNumberFirst('pow');
/** `torch.triu(input, ...)`: the same as `input.triu(...)`. */
export const triu = delegate('triu');
/** `torch.tril(input, ...)`: the same as `input.tril(...)`. */
export const tril = delegate('tril');
/** `torch.diag(input, ...)`: the same as `input.diag(...)`. */
export const diag = delegate('diag');
/** `torch.diagonal(input, ...)`: the same as `input.diagonal(...)`. */
export const diagonal = delegate('diagonal');
/** `torch.trace(input, ...)`: the same as `input.trace(...)`. */
export const trace = delegate('trace');
/** `torch.addmm(input, ...)`: the same as `input.addmm(...)`. */
export const addmm = delegate('addmm');
/** `torch.addmv(input, ...)`: the same as `input.addmv(...)`. */
export const addmv = delegate('addmv');
/** `torch.baddbmm(input, ...)`: the same as `input.baddbmm(...)`. */
export const baddbmm = delegate('baddbmm');
/** `torch.movedim(input, ...)`: the same as `input.movedim(...)`. */
export const movedim = delegate('movedim');
/** `torch.swapaxes(input, ...)`: the same as `input.swapaxes(...)`. */
export const swapaxes = delegate('swapaxes');
/** `torch.swapdims(input, ...)`: the same as `input.swapdims(...)`. */
export const swapdims = delegate('swapdims');
/** `torch.argwhere(input, ...)`: the same as `input.argwhere(...)`. */
export const argwhere = delegate('argwhere');
/** `torch.countNonzero(input, ...)`: the same as `input.countNonzero(...)`. */
export const countNonzero = delegate('countNonzero');
/** `torch.clampMin(input, ...)`: the same as `input.clampMin(...)`. */
export const clampMin = delegate('clampMin');
/** `torch.clampMax(input, ...)`: the same as `input.clampMax(...)`. */
export const clampMax = delegate('clampMax');
/** `torch.diff(input, ...)`: the same as `input.diff(...)`. */
export const diff = delegate('diff');
/** `torch.indexFill(input, ...)`: the same as `input.indexFill(...)`. */
export const indexFill = delegate('indexFill');
/** `torch.indexCopy(input, ...)`: the same as `input.indexCopy(...)`. */
export const indexCopy = delegate('indexCopy');
/** `torch.indexAdd(input, ...)`: the same as `input.indexAdd(...)`. */
export const indexAdd = delegate('indexAdd');
/** `torch.takeAlongDim(input, ...)`: the same as `input.takeAlongDim(...)`. */
export const takeAlongDim = delegate('takeAlongDim');
/** `torch.take(input, ...)`: the same as `input.take(...)`. */
export const take = delegate('take');
/** `torch.kthvalue(input, ...)`: the same as `input.kthvalue(...)`. */
export const kthvalue = delegate('kthvalue');
/** `torch.mode(input, ...)`: the same as `input.mode(...)`. */
export const mode = delegate('mode');
/** `torch.cummax(input, ...)`: the same as `input.cummax(...)`. */
export const cummax = delegate('cummax');
/** `torch.cummin(input, ...)`: the same as `input.cummin(...)`. */
export const cummin = delegate('cummin');
/** `torch.unique(input, ...)`: the same as `input.unique(...)`. */
export const unique = delegate('unique');
/** `torch.bincount(input, ...)`: the same as `input.bincount(...)`. */
export const bincount = delegate('bincount');
/** `torch.rot90(input, ...)`: the same as `input.rot90(...)`. */
export const rot90 = delegate('rot90');
/** `torch.lgamma(input, ...)`: the same as `input.lgamma(...)`. */
export const lgamma = delegate('lgamma');
/** `torch.digamma(input, ...)`: the same as `input.digamma(...)`. */
export const digamma = delegate('digamma');
/** `torch.erfc(input, ...)`: the same as `input.erfc(...)`. */
export const erfc = delegate('erfc');
/** `torch.deg2rad(input, ...)`: the same as `input.deg2rad(...)`. */
export const deg2rad = delegate('deg2rad');
/** `torch.rad2deg(input, ...)`: the same as `input.rad2deg(...)`. */
export const rad2deg = delegate('rad2deg');
/** `torch.sinc(input, ...)`: the same as `input.sinc(...)`. */
export const sinc = delegate('sinc');
/** `torch.i0(input, ...)`: the same as `input.i0(...)`. */
export const i0 = delegate('i0');
/** `torch.sgn(input, ...)`: the same as `input.sgn(...)`. */
export const sgn = delegate('sgn');
/** `torch.asinh(input, ...)`: the same as `input.asinh(...)`. */
export const asinh = delegate('asinh');
/** `torch.acosh(input, ...)`: the same as `input.acosh(...)`. */
export const acosh = delegate('acosh');
/** `torch.atanh(input, ...)`: the same as `input.atanh(...)`. */
export const atanh = delegate('atanh');
/** `torch.arcsin(input, ...)`: the same as `input.arcsin(...)`. */
export const arcsin = delegate('arcsin');
/** `torch.arccos(input, ...)`: the same as `input.arccos(...)`. */
export const arccos = delegate('arccos');
/** `torch.arctan(input, ...)`: the same as `input.arctan(...)`. */
export const arctan = delegate('arctan');
/** `torch.arcsinh(input, ...)`: the same as `input.arcsinh(...)`. */
export const arcsinh = delegate('arcsinh');
/** `torch.arccosh(input, ...)`: the same as `input.arccosh(...)`. */
export const arccosh = delegate('arccosh');
/** `torch.arctanh(input, ...)`: the same as `input.arctanh(...)`. */
export const arctanh = delegate('arctanh');
/** `torch.arctan2(input, ...)`: the same as `input.arctan2(...)`. */
export const arctan2 = delegate('arctan2');
/** `torch.fix(input, ...)`: the same as `input.fix(...)`. */
export const fix = delegate('fix');
/** `torch.copysign(input, ...)`: the same as `input.copysign(...)`. */
export const copysign = delegate('copysign');
/** `torch.xlogy(input, ...)`: the same as `input.xlogy(...)`. */
export const xlogy = delegate('xlogy');
/** `torch.fmax(input, ...)`: the same as `input.fmax(...)`. */
export const fmax = delegate('fmax');
/** `torch.fmin(input, ...)`: the same as `input.fmin(...)`. */
export const fmin = delegate('fmin');
/** `torch.heaviside(input, ...)`: the same as `input.heaviside(...)`. */
export const heaviside = delegate('heaviside');
/** `torch.gcd(input, ...)`: the same as `input.gcd(...)`. */
export const gcd = delegate('gcd');
/** `torch.lcm(input, ...)`: the same as `input.lcm(...)`. */
export const lcm = delegate('lcm');
/** `torch.ldexp(input, ...)`: the same as `input.ldexp(...)`. */
export const ldexp = delegate('ldexp');
/** `torch.floatPower(input, ...)`: the same as `input.floatPower(...)`. */
export const floatPower = delegate('floatPower');
/** `torch.nextafter(input, ...)`: the same as `input.nextafter(...)`. */
export const nextafter = delegate('nextafter');
/** `torch.logaddexp2(input, ...)`: the same as `input.logaddexp2(...)`. */
export const logaddexp2 = delegate('logaddexp2');
/** `torch.bitwiseAnd(input, ...)`: the same as `input.bitwiseAnd(...)`. */
export const bitwiseAnd = delegate('bitwiseAnd');
/** `torch.bitwiseOr(input, ...)`: the same as `input.bitwiseOr(...)`. */
export const bitwiseOr = delegate('bitwiseOr');
/** `torch.bitwiseXor(input, ...)`: the same as `input.bitwiseXor(...)`. */
export const bitwiseXor = delegate('bitwiseXor');
/** `torch.bitwiseLeftShift(input, ...)`: the same as `input.bitwiseLeftShift(...)`. */
export const bitwiseLeftShift = delegate('bitwiseLeftShift');
/** `torch.bitwiseRightShift(input, ...)`: the same as `input.bitwiseRightShift(...)`. */
export const bitwiseRightShift = delegate('bitwiseRightShift');
/** `torch.signbit(input, ...)`: the same as `input.signbit(...)`. */
export const signbit = delegate('signbit');
/** `torch.isneginf(input, ...)`: the same as `input.isneginf(...)`. */
export const isneginf = delegate('isneginf');
/** `torch.isposinf(input, ...)`: the same as `input.isposinf(...)`. */
export const isposinf = delegate('isposinf');
/** `torch.isreal(input, ...)`: the same as `input.isreal(...)`. */
export const isreal = delegate('isreal');
/** `torch.positive(input, ...)`: the same as `input.positive(...)`. */
export const positive = delegate('positive');
/** `torch.fliplr(input, ...)`: the same as `input.fliplr(...)`. */
export const fliplr = delegate('fliplr');
/** `torch.flipud(input, ...)`: the same as `input.flipud(...)`. */
export const flipud = delegate('flipud');
/** `torch.ravel(input, ...)`: the same as `input.ravel(...)`. */
export const ravel = delegate('ravel');
/** `torch.moveaxis(input, ...)`: the same as `input.moveaxis(...)`. */
export const moveaxis = delegate('moveaxis');
/** `torch.msort(input, ...)`: the same as `input.msort(...)`. */
export const msort = delegate('msort');
/** `torch.broadcastTo(input, ...)`: the same as `input.broadcastTo(...)`. */
export const broadcastTo = delegate('broadcastTo');
/** `torch.tensorSplit(input, ...)`: the same as `input.tensorSplit(...)`. */
export const tensorSplit = delegate('tensorSplit');
/** `torch.diagEmbed(input, ...)`: the same as `input.diagEmbed(...)`. */
export const diagEmbed = delegate('diagEmbed');
/** `torch.diagflat(input, ...)`: the same as `input.diagflat(...)`. */
export const diagflat = delegate('diagflat');
/** `torch.kron(input, ...)`: the same as `input.kron(...)`. */
export const kron = delegate('kron');
/** `torch.inner(input, ...)`: the same as `input.inner(...)`. */
export const inner = delegate('inner');
/** `torch.cross(input, ...)`: the same as `input.cross(...)`. */
export const cross = delegate('cross');
/** `torch.dist(input, ...)`: the same as `input.dist(...)`. */
export const dist = delegate('dist');
/** `torch.logcumsumexp(input, ...)`: the same as `input.logcumsumexp(...)`. */
export const logcumsumexp = delegate('logcumsumexp');
/** `torch.quantile(input, ...)`: the same as `input.quantile(...)`. */
export const quantile = delegate('quantile');
/** `torch.nanquantile(input, ...)`: the same as `input.nanquantile(...)`. */
export const nanquantile = delegate('nanquantile');
/** `torch.cov(input, ...)`: the same as `input.cov(...)`. */
export const cov = delegate('cov');
/** `torch.corrcoef(input, ...)`: the same as `input.corrcoef(...)`. */
export const corrcoef = delegate('corrcoef');
/** `torch.aminmax(input, ...)`: the same as `input.aminmax(...)`. */
export const aminmax = delegate('aminmax');
/** `torch.rsub(input, other, { alpha })`: `other - alpha * input`. */
export function rsub(input: Tensor, other: TensorOrScalar, opts?: { alpha?: number }): Tensor {
  return callOp('rsub', [inputTensor(input, 'rsub'), other], opts) as Tensor;
}
/** `torch.poisson(rates)`: Poisson samples with the given rates, from PyTorch's generator. */
export function poisson(rates: Tensor): Tensor {
  return callOp('poisson', [inputTensor(rates, 'poisson')]) as Tensor;
}
/** `torch.hypot(input, ...)`: the same as `input.hypot(...)`. */
export const hypot = delegate('hypot');
/** `torch.logaddexp(input, ...)`: the same as `input.logaddexp(...)`. */
export const logaddexp = delegate('logaddexp');
/** `torch.logit(input, ...)`: the same as `input.logit(...)`. */
export const logit = delegate('logit');
/** `torch.exp2(input, ...)`: the same as `input.exp2(...)`. */
export const exp2 = delegate('exp2');
/** `torch.absolute(input, ...)`: the same as `input.absolute(...)`. */
export const absolute = delegate('absolute');
/** `torch.negative(input, ...)`: the same as `input.negative(...)`. */
export const negative = delegate('negative');

function tensorList(tensors: unknown, fn: string): Tensor[] {
  if (!Array.isArray(tensors)) throw new TypeError(`${fn}(): argument 'tensors' must be an array of Tensors, but received ${describe(tensors)}`);
  const bad = tensors.findIndex((x) => !(x instanceof Tensor));
  if (bad >= 0) throw new TypeError(`${fn}(): expected Tensor as element ${bad} in argument 'tensors', but received ${describe(tensors[bad])}`);
  return tensors;
}

/** Concatenates tensors along `dim`: `cat([a, b], 1)` or `cat([a, b], { dim: 1 })`. */
export function cat(tensors: Tensor[], ...args: [number?, OutOptions?] | [DimOutOptions]): Tensor {
  return joined('cat', tensors, args);
}
/** `torch.concat`, an alias of cat. */
export const concat = cat;
/** Stacks tensors along a new dimension: `stack([a, b], 1)` or `stack([a, b], { dim: 1 })`. */
export function stack(tensors: Tensor[], ...args: [number?, OutOptions?] | [DimOutOptions]): Tensor {
  return joined('stack', tensors, args);
}

/** Python's `out=` keyword: the result is written into this tensor, which is returned. */
export interface OutOptions {
  out?: Tensor;
}
/** `dim=` and `out=` as keywords. */
export interface DimOutOptions extends OutOptions {
  dim?: number;
}

function joined(fn: string, tensors: Tensor[], args: unknown[]): Tensor {
  const a = parseArgs<DimOutOptions>(fn, args, ['dim'], ['out']);
  const dim = a.dim ?? 0;
  if (!Number.isInteger(dim)) throw new TypeError(`${fn}(): dim must be an integer, but received ${describe(dim)}`);
  return callOp(fn, [tensorList(tensors, fn), dim], outKwargs(a.out)) as Tensor;
}

function outKwargs(out: Tensor | undefined): Kwargs | undefined {
  if (out === undefined) return undefined;
  if (!(out instanceof Tensor)) throw new TypeError(`out must be a Tensor, but received ${describe(out)}`);
  return { out };
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
export function where(condition: Tensor): Tensor[];
export function where(condition: Tensor, x: TensorOrScalar, y: TensorOrScalar, opts?: OutOptions): Tensor;
export function where(condition: Tensor, x?: TensorOrScalar, y?: TensorOrScalar, opts?: OutOptions): Tensor | Tensor[] {
  if (x === undefined && y === undefined) return callOp('where', [condition]) as Tensor[];
  const a = parseArgs<OutOptions>('where', opts === undefined ? [] : [opts], [], ['out']);
  return callOp('where', [condition, x, y], outKwargs(a.out)) as Tensor;
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
  return callOp('complex', [inputTensor(real, 'complex'), inputTensor(imag, 'complex')]) as Tensor;
}

// ---- type promotion ----

function operand(v: unknown, fn: string): TensorOrScalar {
  if (v instanceof Tensor || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new TypeError(`${fn}(): expected a Tensor or a number, but received ${describe(v)}`);
}

/** The dtype an arithmetic operation on `a` and `b` gives (PyTorch's type promotion; numbers count as Python scalars). */
export function resultType(a: TensorOrScalar, b: TensorOrScalar): DType {
  return callOp('result_type', [operand(a, 'resultType'), operand(b, 'resultType')]) as DType;
}

/** The smallest dtype both `a` and `b` convert to without losing range or kind (`torch.promote_types`). */
export function promoteTypes(a: DTypeLike, b: DTypeLike): DType {
  return callOp('promote_types', [toDType(a), toDType(b)]) as DType;
}

/** Whether PyTorch's casting rules allow an in-place result of dtype `from` to be stored as `to`. */
export function canCast(from: DTypeLike, to: DTypeLike): boolean {
  return callOp('can_cast', [toDType(from), toDType(to)]) as boolean;
}

/** Whether `obj` is a Tensor (`torch.is_tensor`). */
export function isTensor(obj: unknown): obj is Tensor {
  return obj instanceof Tensor;
}

/** Number of elements of `input` (`torch.numel`). */
export function numel(t: Tensor): number {
  return inputTensor(t, 'numel').numel();
}

export { setPrintoptions, getPrintoptions } from './format';
export type { PrintOptions } from './format';
export type { DimOptions, ValuesIndicesOptions, ClampOptions, IndexSpec, NestedIndexList } from './tensor_ops';
