// torch.nn.functional: the stateless form of every layer and loss. Each function binds PyTorch's arguments
// (positional in PyTorch's order, keyword arguments in one options object last) and calls the ATen operator
// Python's torch.nn.functional calls; the few that Python composes from several ops free their temporaries.
import { Tensor, tidy } from '../tensor';
import '../tensor_ops';
import { callOp, Kwargs } from '../dispatch';
import { DTypeLike, toDType, isFloatingPoint } from '../dtype';
import { zeros, zerosLike } from '../creation';
import { PyArgs, IntOrTuple, parseArgs, checkTensor, sizeStr } from './common';

function op(name: string, args: unknown[], kwargs?: Kwargs): Tensor {
  return callOp(name, args, kwargs) as Tensor;
}

function pairOp(name: string, args: unknown[]): [Tensor, Tensor] {
  return callOp(name, args) as [Tensor, Tensor];
}

/** How a loss reduces over the batch: 'none', 'mean' (default) or 'sum'. */
export type Reduction = 'none' | 'mean' | 'sum';

/** `_Reduction.get_enum`: the integer ATen's losses take. */
function reductionEnum(reduction: string | undefined): number {
  switch (reduction ?? 'mean') {
    case 'none': return 0;
    case 'mean': return 1;
    case 'sum': return 2;
    default: throw new RangeError(`${reduction} is not a valid value for reduction`);
  }
}

function checkP(p: number): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
}

// ======================================================================================= convolution

/** Padding of a convolution: ints, or 'valid' (none) / 'same' (output size = input size, stride 1). */
export type ConvPadding = IntOrTuple | 'valid' | 'same';

/** Keyword arguments of conv1d/2d/3d. */
export interface ConvOptions {
  bias?: Tensor | null;
  stride?: IntOrTuple;
  padding?: ConvPadding;
  dilation?: IntOrTuple;
  groups?: number;
}
type ConvArgs = PyArgs<[bias?: Tensor | null, stride?: IntOrTuple, padding?: ConvPadding, dilation?: IntOrTuple, groups?: number], ConvOptions>;
const CONV_NAMES = ['bias', 'stride', 'padding', 'dilation', 'groups'] as const;

function conv(name: string, input: Tensor, weight: Tensor, args: readonly unknown[]): Tensor {
  checkTensor(input, name);
  checkTensor(weight, name, 'weight');
  const o = parseArgs<ConvOptions>(name, args, CONV_NAMES);
  return op(name, [input, weight, o.bias ?? null, o.stride ?? 1, o.padding ?? 0, o.dilation ?? 1, o.groups ?? 1]);
}

/** 1-D convolution over an input of shape (N, C, L) or (C, L). */
export function conv1d(input: Tensor, weight: Tensor, ...args: ConvArgs): Tensor {
  return conv('conv1d', input, weight, args);
}
/** 2-D convolution over an input of shape (N, C, H, W) or (C, H, W). */
export function conv2d(input: Tensor, weight: Tensor, ...args: ConvArgs): Tensor {
  return conv('conv2d', input, weight, args);
}
/** 3-D convolution over an input of shape (N, C, D, H, W) or (C, D, H, W). */
export function conv3d(input: Tensor, weight: Tensor, ...args: ConvArgs): Tensor {
  return conv('conv3d', input, weight, args);
}

/** Keyword arguments of convTranspose1d/2d/3d. */
export interface ConvTransposeOptions {
  bias?: Tensor | null;
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
  groups?: number;
  dilation?: IntOrTuple;
}
type ConvTArgs = PyArgs<[bias?: Tensor | null, stride?: IntOrTuple, padding?: IntOrTuple, outputPadding?: IntOrTuple, groups?: number, dilation?: IntOrTuple], ConvTransposeOptions>;
const CONVT_NAMES = ['bias', 'stride', 'padding', 'outputPadding', 'groups', 'dilation'] as const;

function convT(name: string, input: Tensor, weight: Tensor, args: readonly unknown[]): Tensor {
  checkTensor(input, name);
  checkTensor(weight, name, 'weight');
  const o = parseArgs<ConvTransposeOptions>(name, args, CONVT_NAMES);
  return op(name, [input, weight, o.bias ?? null, o.stride ?? 1, o.padding ?? 0, o.outputPadding ?? 0, o.groups ?? 1, o.dilation ?? 1]);
}

/** 1-D transposed convolution ("deconvolution"). */
export function convTranspose1d(input: Tensor, weight: Tensor, ...args: ConvTArgs): Tensor {
  return convT('conv_transpose1d', input, weight, args);
}
/** 2-D transposed convolution. */
export function convTranspose2d(input: Tensor, weight: Tensor, ...args: ConvTArgs): Tensor {
  return convT('conv_transpose2d', input, weight, args);
}
/** 3-D transposed convolution. */
export function convTranspose3d(input: Tensor, weight: Tensor, ...args: ConvTArgs): Tensor {
  return convT('conv_transpose3d', input, weight, args);
}

// ======================================================================================= linear

/** `input @ weight.T + bias`. */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkTensor(input, 'linear');
  checkTensor(weight, 'linear', 'weight');
  return op('linear', [input, weight, bias]);
}

/** `x1^T A x2 + b` for each output feature. */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkTensor(input1, 'bilinear', 'input1');
  checkTensor(input2, 'bilinear', 'input2');
  return op('bilinear', [input1, input2, weight, bias]);
}

// ======================================================================================= pooling

/** Keyword arguments of maxPool1d/2d/3d. */
export interface MaxPoolOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  ceilMode?: boolean;
  returnIndices?: boolean;
}
type MaxPoolArgs = PyArgs<[stride?: IntOrTuple | null, padding?: IntOrTuple, dilation?: IntOrTuple, ceilMode?: boolean, returnIndices?: false], MaxPoolOptions & { returnIndices?: false }>;
const MAXPOOL_NAMES = ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'] as const;

function maxPool(name: string, input: Tensor, kernelSize: IntOrTuple, args: readonly unknown[]): Tensor | [Tensor, Tensor] {
  checkTensor(input, name);
  const o = parseArgs<MaxPoolOptions>(name, args, MAXPOOL_NAMES);
  const a = [input, kernelSize, o.stride ?? [], o.padding ?? 0, o.dilation ?? 1, o.ceilMode ?? false];
  if (o.returnIndices) return pairOp(`${name}_with_indices`, a);
  if (name === 'max_pool1d' && windowExceedsInput(input, kernelSize, o.padding ?? 0, o.dilation ?? 1)) {
    // LibTorch 1.13's max_pool1d without indices spends time proportional to the window when it is longer
    // than the padded input (a huge kernel_size hangs, in Python too); the indices variant checks first.
    const [out, indices] = pairOp('max_pool1d_with_indices', a);
    indices.dispose();
    return out;
  }
  return op(name, a);
}

function windowExceedsInput(input: Tensor, kernelSize: IntOrTuple, padding: IntOrTuple, dilation: IntOrTuple): boolean {
  const [k, p, d] = [kernelSize, padding, dilation].map((v) => (Array.isArray(v) && v.length === 1 ? v[0] : v));
  if (![k, p, d].every((v) => typeof v === 'number' && Number.isInteger(v)) || input.dim() < 1) return false;
  return (d as number) * ((k as number) - 1) + 1 > input.shape[input.dim() - 1] + 2 * (p as number);
}

/** 1-D max pooling; with `returnIndices: true`, also the argmax indices. */
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, opts: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, ...args: MaxPoolArgs): Tensor;
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, ...args: unknown[]): Tensor | [Tensor, Tensor] {
  return maxPool('max_pool1d', input, kernelSize, args);
}
/** 2-D max pooling; with `returnIndices: true`, also the argmax indices. */
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple, opts: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple, ...args: MaxPoolArgs): Tensor;
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple, ...args: unknown[]): Tensor | [Tensor, Tensor] {
  return maxPool('max_pool2d', input, kernelSize, args);
}
/** 3-D max pooling; with `returnIndices: true`, also the argmax indices. */
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, opts: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, ...args: MaxPoolArgs): Tensor;
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, ...args: unknown[]): Tensor | [Tensor, Tensor] {
  return maxPool('max_pool3d', input, kernelSize, args);
}

/** Keyword arguments of avgPool1d/2d/3d. */
export interface AvgPoolOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}
type AvgPool1dArgs = PyArgs<[stride?: IntOrTuple | null, padding?: IntOrTuple, ceilMode?: boolean, countIncludePad?: boolean], Omit<AvgPoolOptions, 'divisorOverride'>>;
type AvgPoolArgs = PyArgs<[stride?: IntOrTuple | null, padding?: IntOrTuple, ceilMode?: boolean, countIncludePad?: boolean, divisorOverride?: number | null], AvgPoolOptions>;

/** 1-D average pooling. */
export function avgPool1d(input: Tensor, kernelSize: IntOrTuple, ...args: AvgPool1dArgs): Tensor {
  checkTensor(input, 'avg_pool1d');
  const o = parseArgs<AvgPoolOptions>('avg_pool1d', args, ['stride', 'padding', 'ceilMode', 'countIncludePad']);
  return op('avg_pool1d', [input, kernelSize, o.stride ?? [], o.padding ?? 0, o.ceilMode ?? false, o.countIncludePad ?? true]);
}
function avgPool(name: string, input: Tensor, kernelSize: IntOrTuple, args: readonly unknown[]): Tensor {
  checkTensor(input, name);
  const o = parseArgs<AvgPoolOptions>(name, args, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
  return op(name, [input, kernelSize, o.stride ?? [], o.padding ?? 0, o.ceilMode ?? false, o.countIncludePad ?? true, o.divisorOverride ?? null]);
}
/** 2-D average pooling. */
export function avgPool2d(input: Tensor, kernelSize: IntOrTuple, ...args: AvgPoolArgs): Tensor {
  return avgPool('avg_pool2d', input, kernelSize, args);
}
/** 3-D average pooling. */
export function avgPool3d(input: Tensor, kernelSize: IntOrTuple, ...args: AvgPoolArgs): Tensor {
  return avgPool('avg_pool3d', input, kernelSize, args);
}

/** An adaptive pooling output size; null keeps that input dimension. */
export type AdaptiveSize = number | null | (number | null)[];

function adaptiveSize(input: Tensor, size: AdaptiveSize, n: number): number[] {
  const list = Array.isArray(size) ? size : new Array<number | null>(n).fill(size);
  if (!list.includes(null)) return list as number[];
  const shape = input.shape;
  if (list.length > shape.length) throw new RangeError(`Input dimension should be at least ${list.length + 1}`);
  const tail = shape.slice(shape.length - list.length);
  return list.map((v, i) => (v === null ? tail[i] : v));
}

/** 1-D adaptive average pooling to `outputSize`. */
export function adaptiveAvgPool1d(input: Tensor, outputSize: number | number[]): Tensor {
  checkTensor(input, 'adaptive_avg_pool1d');
  return op('adaptive_avg_pool1d', [input, outputSize]);
}
/** 2-D adaptive average pooling to `outputSize` (null keeps a dimension). */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  checkTensor(input, 'adaptive_avg_pool2d');
  return op('adaptive_avg_pool2d', [input, adaptiveSize(input, outputSize, 2)]);
}
/** 3-D adaptive average pooling. */
export function adaptiveAvgPool3d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  checkTensor(input, 'adaptive_avg_pool3d');
  return op('adaptive_avg_pool3d', [input, adaptiveSize(input, outputSize, 3)]);
}

function adaptiveMax(name: string, input: Tensor, outputSize: AdaptiveSize, n: number, returnIndices: boolean | { returnIndices?: boolean } | undefined): Tensor | [Tensor, Tensor] {
  checkTensor(input, name);
  const ri = typeof returnIndices === 'object' ? returnIndices.returnIndices ?? false : returnIndices ?? false;
  const r = pairOp(name, [input, adaptiveSize(input, outputSize, n)]);
  if (ri) return r;
  r[1].dispose();
  return r[0];
}
/** 1-D adaptive max pooling; `returnIndices` also returns the indices. */
export function adaptiveMaxPool1d(input: Tensor, outputSize: AdaptiveSize, returnIndices: true | { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: AdaptiveSize, returnIndices?: false | { returnIndices?: false }): Tensor;
export function adaptiveMaxPool1d(input: Tensor, outputSize: AdaptiveSize, returnIndices?: boolean | { returnIndices?: boolean }): Tensor | [Tensor, Tensor] {
  return adaptiveMax('adaptive_max_pool1d', input, outputSize, 1, returnIndices);
}
/** 2-D adaptive max pooling; `returnIndices` also returns the indices. */
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize, returnIndices: true | { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize, returnIndices?: false | { returnIndices?: false }): Tensor;
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize, returnIndices?: boolean | { returnIndices?: boolean }): Tensor | [Tensor, Tensor] {
  return adaptiveMax('adaptive_max_pool2d', input, outputSize, 2, returnIndices);
}
/** 3-D adaptive max pooling; `returnIndices` also returns the indices. */
export function adaptiveMaxPool3d(input: Tensor, outputSize: AdaptiveSize, returnIndices: true | { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool3d(input: Tensor, outputSize: AdaptiveSize, returnIndices?: false | { returnIndices?: false }): Tensor;
export function adaptiveMaxPool3d(input: Tensor, outputSize: AdaptiveSize, returnIndices?: boolean | { returnIndices?: boolean }): Tensor | [Tensor, Tensor] {
  return adaptiveMax('adaptive_max_pool3d', input, outputSize, 3, returnIndices);
}

// ======================================================================================= activations

type Inplace = PyArgs<[inplace?: boolean], { inplace?: boolean }>;

function inplaceFlag(fn: string, args: readonly unknown[]): boolean {
  return parseArgs<{ inplace: boolean }>(fn, args, ['inplace']).inplace ?? false;
}

/** `max(0, x)`; `inplace` overwrites the input. */
export function relu(input: Tensor, ...args: Inplace): Tensor {
  checkTensor(input, 'relu');
  return op(inplaceFlag('relu', args) ? 'relu_' : 'relu', [input]);
}
/** In-place relu. */
export function relu_(input: Tensor): Tensor {
  return op('relu_', [checkTensor(input, 'relu_')]);
}
/** `min(max(0, x), 6)`. */
export function relu6(input: Tensor, ...args: Inplace): Tensor {
  checkTensor(input, 'relu6');
  return op(inplaceFlag('relu6', args) ? 'relu6_' : 'relu6', [input]);
}

/** `x` where `x > threshold`, else `value`. */
export function threshold(input: Tensor, threshold: number, value: number, ...args: Inplace): Tensor {
  checkTensor(input, 'threshold');
  return op(inplaceFlag('threshold', args) ? 'threshold_' : 'threshold', [input, threshold, value]);
}

/** Keyword arguments of hardtanh. */
export interface HardtanhOptions {
  minVal?: number;
  maxVal?: number;
  inplace?: boolean;
}
/** Clamps to [minVal, maxVal] (default [-1, 1]). */
export function hardtanh(input: Tensor, ...args: PyArgs<[minVal?: number, maxVal?: number, inplace?: boolean], HardtanhOptions>): Tensor {
  checkTensor(input, 'hardtanh');
  const o = parseArgs<HardtanhOptions>('hardtanh', args, ['minVal', 'maxVal', 'inplace']);
  return op(o.inplace ? 'hardtanh_' : 'hardtanh', [input, o.minVal ?? -1, o.maxVal ?? 1]);
}

/** Keyword arguments of elu and celu. */
export interface AlphaOptions {
  alpha?: number;
  inplace?: boolean;
}
/** Exponential linear unit. */
export function elu(input: Tensor, ...args: PyArgs<[alpha?: number, inplace?: boolean], AlphaOptions>): Tensor {
  checkTensor(input, 'elu');
  const o = parseArgs<AlphaOptions>('elu', args, ['alpha', 'inplace']);
  return op(o.inplace ? 'elu_' : 'elu', [input, o.alpha ?? 1.0]);
}
/** Continuously differentiable ELU. */
export function celu(input: Tensor, ...args: PyArgs<[alpha?: number, inplace?: boolean], AlphaOptions>): Tensor {
  checkTensor(input, 'celu');
  const o = parseArgs<AlphaOptions>('celu', args, ['alpha', 'inplace']);
  return op(o.inplace ? 'celu_' : 'celu', [input, o.alpha ?? 1.0]);
}
/** Scaled ELU. */
export function selu(input: Tensor, ...args: Inplace): Tensor {
  checkTensor(input, 'selu');
  return op(inplaceFlag('selu', args) ? 'selu_' : 'selu', [input]);
}

/** Keyword arguments of leakyRelu. */
export interface LeakyReluOptions {
  negativeSlope?: number;
  inplace?: boolean;
}
/** `max(0, x) + negativeSlope * min(0, x)`. */
export function leakyRelu(input: Tensor, ...args: PyArgs<[negativeSlope?: number, inplace?: boolean], LeakyReluOptions>): Tensor {
  checkTensor(input, 'leaky_relu');
  const o = parseArgs<LeakyReluOptions>('leaky_relu', args, ['negativeSlope', 'inplace']);
  return op(o.inplace ? 'leaky_relu_' : 'leaky_relu', [input, o.negativeSlope ?? 0.01]);
}

/** Parametric ReLU with learnable `weight`. */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  checkTensor(input, 'prelu');
  return op('prelu', [input, weight]);
}

/** Gated linear unit: the first half of `dim` times the sigmoid of the second. */
export function glu(input: Tensor, dim = -1): Tensor {
  checkTensor(input, 'glu');
  if (input.dim() === 0) throw new RangeError('glu does not support scalars because halving size must be even');
  return op('glu', [input, dim]);
}

/** Gaussian error linear unit; `approximate: 'tanh'` uses the tanh estimate. */
export function gelu(input: Tensor, opts: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  checkTensor(input, 'gelu');
  return op('gelu', [input], { approximate: opts.approximate ?? 'none' });
}

/** `log(sigmoid(x))`. */
export function logsigmoid(input: Tensor): Tensor {
  return op('log_sigmoid', [checkTensor(input, 'logsigmoid')]);
}
/** `x` where `|x| > lambd`, else 0. */
export function hardshrink(input: Tensor, lambd = 0.5): Tensor {
  return op('hardshrink', [checkTensor(input, 'hardshrink'), lambd]);
}
/** Soft shrinkage. */
export function softshrink(input: Tensor, lambd = 0.5): Tensor {
  return op('softshrink', [checkTensor(input, 'softshrink'), lambd]);
}
/** `x - tanh(x)`. */
export function tanhshrink(input: Tensor): Tensor {
  checkTensor(input, 'tanhshrink');
  return tidy(() => op('sub', [input, op('tanh', [input])]));
}
/** `x / (1 + |x|)`. */
export function softsign(input: Tensor): Tensor {
  checkTensor(input, 'softsign');
  return tidy(() => op('div', [input, op('add', [op('abs', [input]), 1])]));
}

/** Keyword arguments of softplus. */
export interface SoftplusOptions {
  beta?: number;
  threshold?: number;
}
/** `log(1 + exp(beta * x)) / beta`, linear above `threshold`. */
export function softplus(input: Tensor, ...args: PyArgs<[beta?: number, threshold?: number], SoftplusOptions>): Tensor {
  checkTensor(input, 'softplus');
  const o = parseArgs<SoftplusOptions>('softplus', args, ['beta', 'threshold']);
  return op('softplus', [input, o.beta ?? 1, o.threshold ?? 20]);
}

/** PyTorch's legacy choice of softmax dim when none is given (with a deprecation warning). */
function softmaxDim(name: string, ndim: number): number {
  process.emitWarning(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`, 'UserWarning');
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

/** Keyword arguments of softmax, softmin and logSoftmax. */
export interface SoftmaxOptions {
  dim?: number | null;
  dtype?: DTypeLike;
}
type SoftmaxArgs = PyArgs<[dim?: number | null], SoftmaxOptions>;

function softmaxLike(name: string, input: Tensor, args: readonly unknown[], negate: boolean): Tensor {
  checkTensor(input, name);
  const o = parseArgs<SoftmaxOptions>(name, args, ['dim'], ['dtype']);
  const dim = o.dim === undefined || o.dim === null ? softmaxDim(name, input.dim()) : o.dim;
  const dtype = o.dtype === undefined ? null : toDType(o.dtype);
  const aten = name === 'log_softmax' ? 'log_softmax' : 'softmax';
  if (!negate) return op(aten, [input, dim, dtype]);
  const neg = op('neg', [input]);
  const out = op(aten, [neg, dim, dtype]);
  neg.dispose();
  return out;
}
/** Softmax along `dim`. */
export function softmax(input: Tensor, ...args: SoftmaxArgs): Tensor {
  return softmaxLike('softmax', input, args, false);
}
/** `softmax(-x)` along `dim`. */
export function softmin(input: Tensor, ...args: SoftmaxArgs): Tensor {
  return softmaxLike('softmin', input, args, true);
}
/** Log of softmax along `dim`, computed stably. */
export function logSoftmax(input: Tensor, ...args: SoftmaxArgs): Tensor {
  return softmaxLike('log_softmax', input, args, false);
}

/** Hyperbolic tangent. */
export function tanh(input: Tensor): Tensor {
  return op('tanh', [checkTensor(input, 'tanh')]);
}
/** Logistic sigmoid. */
export function sigmoid(input: Tensor): Tensor {
  return op('sigmoid', [checkTensor(input, 'sigmoid')]);
}
/** Piecewise linear sigmoid. */
export function hardsigmoid(input: Tensor, ...args: Inplace): Tensor {
  checkTensor(input, 'hardsigmoid');
  return op(inplaceFlag('hardsigmoid', args) ? 'hardsigmoid_' : 'hardsigmoid', [input]);
}
/** `x * sigmoid(x)` (swish). */
export function silu(input: Tensor, ...args: Inplace): Tensor {
  checkTensor(input, 'silu');
  return op(inplaceFlag('silu', args) ? 'silu_' : 'silu', [input]);
}
/** `x * tanh(softplus(x))`. */
export function mish(input: Tensor, ...args: Inplace): Tensor {
  checkTensor(input, 'mish');
  return op(inplaceFlag('mish', args) ? 'mish_' : 'mish', [input]);
}
/** `x * hardsigmoid(x)`. */
export function hardswish(input: Tensor, ...args: Inplace): Tensor {
  checkTensor(input, 'hardswish');
  return op(inplaceFlag('hardswish', args) ? 'hardswish_' : 'hardswish', [input]);
}

// ======================================================================================= normalization

function verifyBatchSize(size: number[]): void {
  let prod = size[0];
  for (let i = 2; i < size.length; i++) prod *= size[i];
  if (prod === 1) throw new RangeError(`Expected more than 1 value per channel when training, got input size ${sizeStr(size)}`);
}

/** Keyword arguments of batchNorm. */
export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}
/** Batch normalization with the given running statistics (updated in place when training). */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  ...args: PyArgs<[weight?: Tensor | null, bias?: Tensor | null, training?: boolean, momentum?: number, eps?: number], BatchNormOptions>
): Tensor {
  checkTensor(input, 'batch_norm');
  const o = parseArgs<BatchNormOptions>('batch_norm', args, ['weight', 'bias', 'training', 'momentum', 'eps']);
  const training = o.training ?? false;
  if (training) verifyBatchSize(input.shape);
  return op('batch_norm', [input, o.weight ?? null, o.bias ?? null, runningMean, runningVar, training, o.momentum ?? 0.1, o.eps ?? 1e-5, true]);
}

/** Keyword arguments of instanceNorm. */
export interface InstanceNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  useInputStats?: boolean;
  momentum?: number;
  eps?: number;
}
/** Instance normalization: each sample and channel normalized over its spatial dimensions. */
export function instanceNorm(
  input: Tensor,
  ...args: PyArgs<[runningMean?: Tensor | null, runningVar?: Tensor | null, weight?: Tensor | null, bias?: Tensor | null, useInputStats?: boolean, momentum?: number, eps?: number], InstanceNormOptions>
): Tensor {
  checkTensor(input, 'instance_norm');
  const o = parseArgs<InstanceNormOptions>('instance_norm', args, ['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats', 'momentum', 'eps']);
  const useInputStats = o.useInputStats ?? true;
  if (useInputStats) {
    const size = input.shape;
    let prod = 1;
    for (let i = 2; i < size.length; i++) prod *= size[i];
    if (prod === 1) throw new RangeError(`Expected more than 1 spatial element when training, got input size ${sizeStr(size)}`);
  }
  return op('instance_norm', [input, o.weight ?? null, o.bias ?? null, o.runningMean ?? null, o.runningVar ?? null, useInputStats, o.momentum ?? 0.1, o.eps ?? 1e-5, true]);
}

/** Keyword arguments of layerNorm. */
export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}
/** Layer normalization over the last dimensions `normalizedShape`. */
export function layerNorm(input: Tensor, normalizedShape: number | number[], ...args: PyArgs<[weight?: Tensor | null, bias?: Tensor | null, eps?: number], LayerNormOptions>): Tensor {
  checkTensor(input, 'layer_norm');
  const o = parseArgs<LayerNormOptions>('layer_norm', args, ['weight', 'bias', 'eps']);
  const shape = Array.isArray(normalizedShape) ? normalizedShape : [normalizedShape];
  return op('layer_norm', [input, shape, o.weight ?? null, o.bias ?? null, o.eps ?? 1e-5, true]);
}

/** Group normalization over `numGroups` groups of channels. */
export function groupNorm(input: Tensor, numGroups: number, ...args: PyArgs<[weight?: Tensor | null, bias?: Tensor | null, eps?: number], LayerNormOptions>): Tensor {
  checkTensor(input, 'group_norm');
  const o = parseArgs<LayerNormOptions>('group_norm', args, ['weight', 'bias', 'eps']);
  const s = input.shape;
  verifyBatchSize([Math.floor((s[0] * s[1]) / numGroups), numGroups, ...s.slice(2)]);
  return op('group_norm', [input, numGroups, o.weight ?? null, o.bias ?? null, o.eps ?? 1e-5, true]);
}

/** Keyword arguments of localResponseNorm. */
export interface LocalResponseNormOptions {
  alpha?: number;
  beta?: number;
  k?: number;
}
/** Local response normalization across channels (AlexNet's). */
export function localResponseNorm(input: Tensor, size: number, ...args: PyArgs<[alpha?: number, beta?: number, k?: number], LocalResponseNormOptions>): Tensor {
  checkTensor(input, 'local_response_norm');
  const o = parseArgs<LocalResponseNormOptions>('local_response_norm', args, ['alpha', 'beta', 'k']);
  const dim = input.dim();
  if (dim < 3) throw new RangeError(`Expected 3D or higher dimensionality input (got ${dim} dimensions)`);
  if (input.numel() === 0) return input;
  const alpha = o.alpha ?? 1e-4;
  const beta = o.beta ?? 0.75;
  const k = o.k ?? 1.0;
  return tidy(() => {
    let div = op('unsqueeze', [op('mul', [input, input]), 1]);
    if (dim === 3) {
      div = op('pad', [div, [0, 0, Math.floor(size / 2), Math.floor((size - 1) / 2)]]);
      div = op('squeeze', [op('avg_pool2d', [div, [size, 1], 1]), 1]);
    } else {
      const sizes = input.shape;
      div = op('view', [div, [sizes[0], 1, sizes[1], sizes[2], -1]]);
      div = op('pad', [div, [0, 0, 0, 0, Math.floor(size / 2), Math.floor((size - 1) / 2)]]);
      div = op('squeeze', [op('avg_pool3d', [div, [size, 1, 1], 1]), 1]);
      div = op('view', [div, sizes]);
    }
    div = op('pow', [op('add', [op('mul', [div, alpha]), k]), beta]);
    return op('div', [input, div]);
  });
}

/** Keyword arguments of normalize. */
export interface NormalizeOptions {
  p?: number;
  dim?: number;
  eps?: number;
}
/** `x / max(||x||_p, eps)` along `dim`. */
export function normalize(input: Tensor, ...args: PyArgs<[p?: number, dim?: number, eps?: number], NormalizeOptions>): Tensor {
  checkTensor(input, 'normalize');
  const o = parseArgs<NormalizeOptions>('normalize', args, ['p', 'dim', 'eps']);
  return tidy(() => {
    const denom = op('expand_as', [op('clamp_min', [op('linalg_vector_norm', [input, o.p ?? 2.0, [o.dim ?? 1], true]), o.eps ?? 1e-12]), input]);
    return op('div', [input, denom]);
  });
}

// ======================================================================================= dropout

/** Keyword arguments of the dropout functions. */
export interface DropoutOptions {
  p?: number;
  training?: boolean;
  inplace?: boolean;
}
type DropoutArgs = PyArgs<[p?: number, training?: boolean, inplace?: boolean], DropoutOptions>;

function dropoutArgs(name: string, args: readonly unknown[], trainingDefault: boolean): { p: number; training: boolean; inplace: boolean } {
  const o = parseArgs<DropoutOptions>(name, args, ['p', 'training', 'inplace']);
  const p = o.p ?? 0.5;
  checkP(p);
  return { p, training: o.training ?? trainingDefault, inplace: o.inplace ?? false };
}

/** Zeroes elements with probability `p` and scales the rest by 1/(1-p) when `training` (default true). */
export function dropout(input: Tensor, ...args: DropoutArgs): Tensor {
  checkTensor(input, 'dropout');
  const { p, training, inplace } = dropoutArgs('dropout', args, true);
  return op(inplace ? 'dropout_' : 'dropout', [input, p, training]);
}
/** Dropout that keeps the self-normalizing property (for SELU); `training` defaults to false as in PyTorch. */
export function alphaDropout(input: Tensor, ...args: DropoutArgs): Tensor {
  checkTensor(input, 'alpha_dropout');
  const { p, training, inplace } = dropoutArgs('alpha_dropout', args, false);
  return op(inplace ? 'alpha_dropout_' : 'alpha_dropout', [input, p, training]);
}
/** Alpha dropout of whole channels. */
export function featureAlphaDropout(input: Tensor, ...args: DropoutArgs): Tensor {
  checkTensor(input, 'feature_alpha_dropout');
  const { p, training, inplace } = dropoutArgs('feature_alpha_dropout', args, false);
  return op(inplace ? 'feature_alpha_dropout_' : 'feature_alpha_dropout', [input, p, training]);
}

function featureDropout(name: string, input: Tensor, args: readonly unknown[], batchedDim: number): Tensor {
  checkTensor(input, name);
  const { p, training, inplace } = dropoutArgs(name, args, true);
  const d = input.dim();
  if (d !== batchedDim && d !== batchedDim - 1) {
    if (name === 'dropout1d') {
      throw new RangeError(
        `dropout1d: Expected 2D or 3D input, but received a ${d}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`,
      );
    }
    process.emitWarning(
      `${name}: Received a ${d}-D input to ${name}, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead.`,
      'UserWarning',
    );
  }
  // PyTorch 1.13's dropout2d reads a 3-D input as (N, C, L) rather than an unbatched (C, H, W).
  const batched = d === batchedDim || name === 'dropout2d';
  if (batched) return op(inplace ? 'feature_dropout_' : 'feature_dropout', [input, p, training]);
  if (inplace) {
    callOp('unsqueeze_', [input, 0]);
    callOp('feature_dropout_', [input, p, training]);
    callOp('squeeze_', [input, 0]);
    return input;
  }
  const u = op('unsqueeze', [input, 0]);
  const r = op('feature_dropout', [u, p, training]);
  const out = op('squeeze', [r, 0]);
  u.dispose();
  r.dispose();
  return out;
}
/** Zeroes whole channels of an (N, C, L) or (C, L) input. */
export function dropout1d(input: Tensor, ...args: DropoutArgs): Tensor {
  return featureDropout('dropout1d', input, args, 3);
}
/** Zeroes whole channels of an (N, C, H, W) input (PyTorch 1.13: a 3-D input is read as (N, C, L)). */
export function dropout2d(input: Tensor, ...args: DropoutArgs): Tensor {
  return featureDropout('dropout2d', input, args, 4);
}
/** Zeroes whole channels of an (N, C, D, H, W) or (C, D, H, W) input. */
export function dropout3d(input: Tensor, ...args: DropoutArgs): Tensor {
  return featureDropout('dropout3d', input, args, 5);
}

// ======================================================================================= sparse

/** Keyword arguments of embedding. */
export interface EmbeddingOptions {
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
}
/** Looks up rows of `weight` by the integer indices in `input`. */
export function embedding(
  input: Tensor,
  weight: Tensor,
  ...args: PyArgs<[paddingIdx?: number | null, maxNorm?: number | null, normType?: number, scaleGradByFreq?: boolean, sparse?: boolean], EmbeddingOptions>
): Tensor {
  checkTensor(input, 'embedding');
  checkTensor(weight, 'embedding', 'weight');
  const o = parseArgs<EmbeddingOptions>('embedding', args, ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse']);
  let paddingIdx = o.paddingIdx ?? null;
  if (paddingIdx !== null) {
    const n = weight.size(0);
    if (paddingIdx > 0 && paddingIdx >= n) throw new RangeError('Padding_idx must be within num_embeddings');
    if (paddingIdx < 0) {
      if (paddingIdx < -n) throw new RangeError('Padding_idx must be within num_embeddings');
      paddingIdx = n + paddingIdx;
    }
  } else {
    paddingIdx = -1;
  }
  if (o.maxNorm !== undefined && o.maxNorm !== null) {
    const idx = op('contiguous', [input]);
    const w = op('detach', [weight]);
    callOp('embedding_renorm_', [w, idx, o.maxNorm, o.normType ?? 2.0]);
    w.dispose();
    const out = op('embedding', [weight, idx, paddingIdx, o.scaleGradByFreq ?? false, o.sparse ?? false]);
    if (idx !== input) idx.dispose();
    return out;
  }
  return op('embedding', [weight, input, paddingIdx, o.scaleGradByFreq ?? false, o.sparse ?? false]);
}

/** One-hot encoding of int64 class indices (`numClasses` -1: max + 1). */
export function oneHot(tensor: Tensor, numClasses = -1): Tensor {
  return op('one_hot', [checkTensor(tensor, 'one_hot', 'tensor'), numClasses]);
}

// ======================================================================================= distances

/** Keyword arguments of pairwiseDistance. */
export interface PairwiseDistanceOptions {
  p?: number;
  eps?: number;
  keepdim?: boolean;
}
/** The p-norm distance between rows of x1 and x2. */
export function pairwiseDistance(x1: Tensor, x2: Tensor, ...args: PyArgs<[p?: number, eps?: number, keepdim?: boolean], PairwiseDistanceOptions>): Tensor {
  const o = parseArgs<PairwiseDistanceOptions>('pairwise_distance', args, ['p', 'eps', 'keepdim']);
  return op('pairwise_distance', [checkTensor(x1, 'pairwise_distance', 'x1'), checkTensor(x2, 'pairwise_distance', 'x2'), o.p ?? 2.0, o.eps ?? 1e-6, o.keepdim ?? false]);
}

/** Keyword arguments of cosineSimilarity. */
export interface CosineSimilarityOptions {
  dim?: number;
  eps?: number;
}
/** Cosine similarity along `dim`. */
export function cosineSimilarity(x1: Tensor, x2: Tensor, ...args: PyArgs<[dim?: number, eps?: number], CosineSimilarityOptions>): Tensor {
  const o = parseArgs<CosineSimilarityOptions>('cosine_similarity', args, ['dim', 'eps']);
  return op('cosine_similarity', [checkTensor(x1, 'cosine_similarity', 'x1'), checkTensor(x2, 'cosine_similarity', 'x2'), o.dim ?? 1, o.eps ?? 1e-8]);
}

// ======================================================================================= losses

/** Keyword arguments shared by the simple losses. */
export interface ReductionOptions {
  reduction?: Reduction;
}

/** The broadcast of two shapes, with PyTorch's message when they do not broadcast. */
function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RangeError(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
    }
    out[i] = x === 1 ? y : x;
  }
  return out;
}

function broadcastPair(input: Tensor, target: Tensor): [Tensor, Tensor, boolean] {
  const a = input.shape;
  const b = target.shape;
  if (a.length === b.length && a.every((s, i) => s === b[i])) return [input, target, false];
  process.emitWarning(
    `Using a target size (${sizeStr(b)}) that is different to the input size (${sizeStr(a)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
    'UserWarning',
  );
  const [x, y] = callOp('broadcast_tensors', [[input, target]]) as Tensor[];
  return [x, y, true];
}

function pointwiseLoss(name: string, input: Tensor, target: Tensor, extra: unknown[], reduction: number): Tensor {
  checkTensor(input, name);
  checkTensor(target, name, 'target');
  const [x, y, made] = broadcastPair(input, target);
  const out = op(name, [x, y, reduction, ...extra]);
  if (made) {
    x.dispose();
    y.dispose();
  }
  return out;
}

function reductionOnly(fn: string, args: readonly unknown[]): number {
  return reductionEnum(parseArgs<ReductionOptions>(fn, args, [], ['reduction']).reduction);
}

/** Mean absolute error. */
export function l1Loss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  return pointwiseLoss('l1_loss', input, target, [], reductionOnly('l1_loss', [opts]));
}
/** Mean squared error. */
export function mseLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  return pointwiseLoss('mse_loss', input, target, [], reductionOnly('mse_loss', [opts]));
}
/** Smooth L1 (quadratic below `beta`, linear above). */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: ReductionOptions & { beta?: number } = {}): Tensor {
  const o = parseArgs<ReductionOptions & { beta?: number }>('smooth_l1_loss', [opts], [], ['reduction', 'beta']);
  return pointwiseLoss('smooth_l1_loss', input, target, [o.beta ?? 1.0], reductionEnum(o.reduction));
}
/** Huber loss (quadratic below `delta`, linear above, scaled by delta). */
export function huberLoss(input: Tensor, target: Tensor, opts: ReductionOptions & { delta?: number } = {}): Tensor {
  const o = parseArgs<ReductionOptions & { delta?: number }>('huber_loss', [opts], [], ['reduction', 'delta']);
  return pointwiseLoss('huber_loss', input, target, [o.delta ?? 1.0], reductionEnum(o.reduction));
}

/** Keyword arguments of crossEntropy and nllLoss. */
export interface CrossEntropyOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: Reduction;
  labelSmoothing?: number;
}
/**
 * Cross entropy between logits `input` (N, C, ...) and `target`: class indices (N, ...) or class
 * probabilities shaped like the input. Options: per-class `weight`, `ignoreIndex`, `reduction`,
 * `labelSmoothing`.
 */
export function crossEntropy(input: Tensor, target: Tensor, ...args: PyArgs<[weight?: Tensor | null], CrossEntropyOptions>): Tensor {
  checkTensor(input, 'cross_entropy');
  checkTensor(target, 'cross_entropy', 'target');
  const o = parseArgs<CrossEntropyOptions>('cross_entropy', args, ['weight'], ['ignoreIndex', 'reduction', 'labelSmoothing']);
  return op('cross_entropy_loss', [input, target, o.weight ?? null, reductionEnum(o.reduction), o.ignoreIndex ?? -100, o.labelSmoothing ?? 0.0]);
}

/** Negative log likelihood of log-probabilities `input` at the target classes. */
export function nllLoss(input: Tensor, target: Tensor, ...args: PyArgs<[weight?: Tensor | null], Omit<CrossEntropyOptions, 'labelSmoothing'>>): Tensor {
  checkTensor(input, 'nll_loss');
  checkTensor(target, 'nll_loss', 'target');
  const o = parseArgs<CrossEntropyOptions>('nll_loss', args, ['weight'], ['ignoreIndex', 'reduction']);
  return op('nll_loss_nd', [input, target, o.weight ?? null, reductionEnum(o.reduction), o.ignoreIndex ?? -100]);
}

/** Keyword arguments of binaryCrossEntropy. */
export interface BCEOptions {
  weight?: Tensor | null;
  reduction?: Reduction;
}
/** Binary cross entropy between probabilities `input` and `target` of the same shape. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, ...args: PyArgs<[weight?: Tensor | null], BCEOptions>): Tensor {
  checkTensor(input, 'binary_cross_entropy');
  checkTensor(target, 'binary_cross_entropy', 'target');
  const o = parseArgs<BCEOptions>('binary_cross_entropy', args, ['weight'], ['reduction']);
  const reduction = reductionEnum(o.reduction);
  const a = input.shape;
  const b = target.shape;
  if (a.length !== b.length || a.some((s, i) => s !== b[i])) {
    throw new RangeError(`Using a target size (${sizeStr(b)}) that is different to the input size (${sizeStr(a)}) is deprecated. Please ensure they have the same size.`);
  }
  let weight = o.weight ?? null;
  let expanded: Tensor | null = null;
  if (weight !== null) weight = expanded = op('expand', [weight, broadcastShapes(b, weight.shape)]);
  const out = op('binary_cross_entropy', [input, target, weight, reduction]);
  expanded?.dispose();
  return out;
}

/** Keyword arguments of binaryCrossEntropyWithLogits. */
export interface BCEWithLogitsOptions extends BCEOptions {
  posWeight?: Tensor | null;
}
/** Sigmoid and binary cross entropy in one numerically stable step; `posWeight` weighs positives per class. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BCEWithLogitsOptions = {}): Tensor {
  checkTensor(input, 'binary_cross_entropy_with_logits');
  checkTensor(target, 'binary_cross_entropy_with_logits', 'target');
  const o = parseArgs<BCEWithLogitsOptions>('binary_cross_entropy_with_logits', [opts], [], ['weight', 'reduction', 'posWeight']);
  const a = input.shape;
  const b = target.shape;
  if (a.length !== b.length || a.some((s, i) => s !== b[i])) throw new RangeError(`Target size (${sizeStr(b)}) must be the same as input size (${sizeStr(a)})`);
  return op('binary_cross_entropy_with_logits', [input, target, o.weight ?? null, o.posWeight ?? null, reductionEnum(o.reduction)]);
}

/** Keyword arguments of klDiv. */
export interface KLDivOptions {
  reduction?: Reduction | 'batchmean';
  logTarget?: boolean;
}
/** Kullback-Leibler divergence; `input` holds log-probabilities ('batchmean' is the mathematically right mean). */
export function klDiv(input: Tensor, target: Tensor, opts: KLDivOptions = {}): Tensor {
  checkTensor(input, 'kl_div');
  checkTensor(target, 'kl_div', 'target');
  const o = parseArgs<KLDivOptions>('kl_div', [opts], [], ['reduction', 'logTarget']);
  const reduction = o.reduction ?? 'mean';
  const e = reduction === 'batchmean' ? 2 : reductionEnum(reduction);
  const reduced = op('kl_div', [input, target, e], { logTarget: o.logTarget ?? false });
  if (reduction === 'batchmean' && input.dim() !== 0) {
    const out = op('div', [reduced, input.size(0)]);
    reduced.dispose();
    return out;
  }
  return reduced;
}

/** Keyword arguments of the margin losses. */
export interface MarginOptions {
  margin?: number;
  reduction?: Reduction;
}
/** Cosine embedding loss for pairs labelled 1 (similar) or -1 (dissimilar). */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const o = parseArgs<MarginOptions>('cosine_embedding_loss', [opts], [], ['margin', 'reduction']);
  return op('cosine_embedding_loss', [checkTensor(input1, 'cosine_embedding_loss', 'input1'), checkTensor(input2, 'cosine_embedding_loss', 'input2'), target, o.margin ?? 0, reductionEnum(o.reduction)]);
}
/** `max(0, -y * (x1 - x2) + margin)`. */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const o = parseArgs<MarginOptions>('margin_ranking_loss', [opts], [], ['margin', 'reduction']);
  checkTensor(input1, 'margin_ranking_loss', 'input1');
  checkTensor(input2, 'margin_ranking_loss', 'input2');
  checkTensor(target, 'margin_ranking_loss', 'target');
  if (input1.dim() !== input2.dim() || input1.dim() !== target.dim()) {
    throw new RangeError(
      `margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ${sizeStr(input1.shape)}, input2: ${sizeStr(input2.shape)}, target: ${sizeStr(target.shape)} `,
    );
  }
  return op('margin_ranking_loss', [input1, input2, target, o.margin ?? 0, reductionEnum(o.reduction)]);
}
/** Hinge embedding loss for labels 1 / -1. */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const o = parseArgs<MarginOptions>('hinge_embedding_loss', [opts], [], ['margin', 'reduction']);
  return op('hinge_embedding_loss', [checkTensor(input, 'hinge_embedding_loss'), target, o.margin ?? 1.0, reductionEnum(o.reduction)]);
}
/** Two-class logistic loss for labels 1 / -1. */
export function softMarginLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  return op('soft_margin_loss', [checkTensor(input, 'soft_margin_loss'), target, reductionOnly('soft_margin_loss', [opts])]);
}

// ======================================================================================= vision

/** Padding mode of pad(). */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Keyword arguments of pad. */
export interface PadOptions {
  mode?: PadMode;
  value?: number | null;
}
/** Pads the last dimensions: `pad` lists (left, right, top, bottom, ...) from the last dimension backwards. */
export function pad(input: Tensor, pad: number[], ...args: PyArgs<[mode?: PadMode, value?: number | null], PadOptions>): Tensor {
  checkTensor(input, 'pad');
  const o = parseArgs<PadOptions>('pad', args, ['mode', 'value']);
  const mode = o.mode ?? 'constant';
  return op('pad', [input, pad, mode, o.value ?? null]);
}

/** Interpolation mode of interpolate() and Upsample. */
export type InterpolateMode = 'nearest' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear' | 'area' | 'nearest-exact';

/** Keyword arguments of interpolate. */
export interface InterpolateOptions {
  size?: number | number[] | null;
  scaleFactor?: number | number[] | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
  antialias?: boolean;
}
/** Resizes to `size` or by `scaleFactor` with the given mode (default 'nearest'). */
export function interpolate(
  input: Tensor,
  ...args: PyArgs<[size?: number | number[] | null, scaleFactor?: number | number[] | null, mode?: InterpolateMode, alignCorners?: boolean | null, recomputeScaleFactor?: boolean | null, antialias?: boolean], InterpolateOptions>
): Tensor {
  checkTensor(input, 'interpolate');
  const o = parseArgs<InterpolateOptions>('interpolate', args, ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor', 'antialias']);
  const mode = o.mode ?? 'nearest';
  let alignCorners = o.alignCorners ?? null;
  if (mode === 'nearest' || mode === 'area' || mode === 'nearest-exact') {
    if (alignCorners !== null) throw new RangeError('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
  } else if (alignCorners === null) {
    alignCorners = false;
  }
  const shape = input.shape;
  const dim = shape.length - 2;
  const size = o.size ?? null;
  const scaleFactor = o.scaleFactor ?? null;
  let outputSize: number[] | null = null;
  let scales: number[] | null = null;
  if (size !== null && scaleFactor !== null) throw new RangeError('only one of size or scale_factor should be defined');
  if (size !== null) {
    if (Array.isArray(size)) {
      if (size.length !== dim) {
        throw new RangeError(
          `Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [${shape.slice(2).join(', ')}] and output size of [${size.join(', ')}]. ` +
            'Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.',
        );
      }
      outputSize = size;
    } else {
      outputSize = new Array<number>(dim).fill(size);
    }
  } else if (scaleFactor !== null) {
    if (Array.isArray(scaleFactor)) {
      if (scaleFactor.length !== dim) {
        throw new RangeError(
          `Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of [${shape.slice(2).join(', ')}] and scale_factor of shape [${scaleFactor.join(', ')}]. ` +
            'Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.',
        );
      }
      scales = scaleFactor;
    } else {
      scales = new Array<number>(dim).fill(scaleFactor);
    }
  } else {
    throw new RangeError('either size or scale_factor should be defined');
  }
  let recompute = o.recomputeScaleFactor ?? null;
  if (recompute && size !== null) throw new RangeError('recompute_scale_factor is not meaningful with an explicit size.');
  if (mode === 'area' && outputSize === null) recompute = true;
  if (recompute && scales !== null) {
    const s = scales;
    outputSize = s.map((f, i) => Math.floor(shape[i + 2] * f));
    scales = null;
  }
  const antialias = o.antialias ?? false;
  if (antialias && !((mode === 'bilinear' || mode === 'bicubic') && shape.length === 4)) {
    throw new RangeError('Anti-alias option is only supported for bilinear and bicubic modes');
  }
  const nd = shape.length;
  const table: Record<string, string> = {
    'nearest-3': 'upsample_nearest1d', 'nearest-4': 'upsample_nearest2d', 'nearest-5': 'upsample_nearest3d',
    'nearest-exact-3': '_upsample_nearest_exact1d', 'nearest-exact-4': '_upsample_nearest_exact2d', 'nearest-exact-5': '_upsample_nearest_exact3d',
  };
  const nearest = table[`${mode}-${nd}`];
  if (nearest) return op(nearest, [input, outputSize, scales]);
  if (mode === 'area') {
    if (nd === 3) return adaptiveAvgPool1d(input, outputSize as number[]);
    if (nd === 4) return adaptiveAvgPool2d(input, outputSize as number[]);
    if (nd === 5) return adaptiveAvgPool3d(input, outputSize as number[]);
  }
  if (nd === 3 && mode === 'linear') return op('upsample_linear1d', [input, outputSize, alignCorners, scales]);
  if (nd === 4 && mode === 'bilinear') return op(antialias ? '_upsample_bilinear2d_aa' : 'upsample_bilinear2d', [input, outputSize, alignCorners, scales]);
  if (nd === 5 && mode === 'trilinear') return op('upsample_trilinear3d', [input, outputSize, alignCorners, scales]);
  if (nd === 4 && mode === 'bicubic') return op(antialias ? '_upsample_bicubic2d_aa' : 'upsample_bicubic2d', [input, outputSize, alignCorners, scales]);
  const needs: Record<string, number> = { linear: 3, bilinear: 4, trilinear: 5, bicubic: 4 };
  if (needs[mode] !== undefined && nd >= 3 && nd <= 5) throw new RangeError(`Got ${nd}D input, but ${mode} mode needs ${needs[mode]}D input`);
  throw new RangeError(
    `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${nd}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`,
  );
}

/** Rearranges (N, C*r^2, H, W) into (N, C, H*r, W*r). */
export function pixelShuffle(input: Tensor, upscaleFactor: number): Tensor {
  return op('pixel_shuffle', [checkTensor(input, 'pixel_shuffle'), upscaleFactor]);
}
/** The inverse of pixelShuffle. */
export function pixelUnshuffle(input: Tensor, downscaleFactor: number): Tensor {
  return op('pixel_unshuffle', [checkTensor(input, 'pixel_unshuffle'), downscaleFactor]);
}

// ======================================================================================= attention

/** Keyword arguments of multiHeadAttentionForward. */
export interface MultiHeadAttentionOptions {
  training?: boolean;
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  useSeparateProjWeight?: boolean;
  qProjWeight?: Tensor | null;
  kProjWeight?: Tensor | null;
  vProjWeight?: Tensor | null;
  staticK?: Tensor | null;
  staticV?: Tensor | null;
  averageAttnWeights?: boolean;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function assert(cond: boolean, msg: string): void {
  if (!cond) throw new RangeError(msg);
}

/**
 * The multi-head attention of "Attention Is All You Need" over (L, N, E) inputs (or unbatched (L, E)), as
 * PyTorch's `multi_head_attention_forward`. Returns [output, attention weights or null].
 */
export function multiHeadAttentionForward(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  embedDimToCheck: number,
  numHeads: number,
  inProjWeight: Tensor | null,
  inProjBias: Tensor | null,
  biasK: Tensor | null,
  biasV: Tensor | null,
  addZeroAttn: boolean,
  dropoutP: number,
  outProjWeight: Tensor,
  outProjBias: Tensor | null,
  opts: MultiHeadAttentionOptions = {},
): [Tensor, Tensor | null] {
  const o = parseArgs<MultiHeadAttentionOptions>('multi_head_attention_forward', [opts], [], [
    'training', 'keyPaddingMask', 'needWeights', 'attnMask', 'useSeparateProjWeight', 'qProjWeight', 'kProjWeight', 'vProjWeight', 'staticK', 'staticV', 'averageAttnWeights',
  ]);
  const training = o.training ?? true;
  const needWeights = o.needWeights ?? true;
  const useSeparate = o.useSeparateProjWeight ?? false;
  let keyPaddingMask = o.keyPaddingMask ?? null;
  let attnMask = o.attnMask ?? null;
  const staticK = o.staticK ?? null;
  const staticV = o.staticV ?? null;
  return tidy(() => {
    // shape checks (_mha_shape_check)
    let isBatched: boolean;
    if (query.dim() === 3) {
      isBatched = true;
      assert(key.dim() === 3 && value.dim() === 3, `For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${key.dim()}-D and ${value.dim()}-D tensors respectively`);
      if (keyPaddingMask) assert(keyPaddingMask.dim() === 2, `For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${keyPaddingMask.dim()}-D tensor instead`);
      if (attnMask) assert(attnMask.dim() === 2 || attnMask.dim() === 3, `For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attnMask.dim()}-D tensor instead`);
    } else if (query.dim() === 2) {
      isBatched = false;
      assert(key.dim() === 2 && value.dim() === 2, `For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${key.dim()}-D and ${value.dim()}-D tensors respectively`);
      if (keyPaddingMask) assert(keyPaddingMask.dim() === 1, `For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${keyPaddingMask.dim()}-D tensor instead`);
      if (attnMask) {
        assert(attnMask.dim() === 2 || attnMask.dim() === 3, `For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attnMask.dim()}-D tensor instead`);
        if (attnMask.dim() === 3) {
          const want = [numHeads, query.size(0), key.size(0)];
          assert(sameShape(attnMask.shape, want), `Expected \`attn_mask\` shape to be (${want.join(', ')}) but got ${sizeStr(attnMask.shape)}`);
        }
      }
    } else {
      throw new RangeError(`query should be unbatched 2D or batched 3D tensor but received ${query.dim()}-D query tensor`);
    }
    let q0 = query;
    let k0 = key;
    let v0 = value;
    if (!isBatched) {
      // Keep object identity between query, key and value: it selects the packed projection below.
      q0 = op('unsqueeze', [query, 1]);
      k0 = key === query ? q0 : op('unsqueeze', [key, 1]);
      v0 = value === key ? k0 : op('unsqueeze', [value, 1]);
      if (keyPaddingMask) keyPaddingMask = op('unsqueeze', [keyPaddingMask, 0]);
    }
    const [tgtLen, bsz, embedDim] = q0.shape;
    let srcLen = k0.size(0);
    if (keyPaddingMask && keyPaddingMask.dtype !== 'bool' && !isFloatingPoint(keyPaddingMask.dtype)) {
      throw new TypeError('only bool and floating types of key_padding_mask are supported');
    }
    assert(embedDim === embedDimToCheck, `was expecting embedding dimension of ${embedDimToCheck}, but got ${embedDim}`);
    const headDim = Math.floor(embedDim / numHeads);
    assert(headDim * numHeads === embedDim, `embed_dim ${embedDim} not divisible by num_heads ${numHeads}`);
    if (useSeparate) {
      assert(sameShape(k0.shape.slice(0, 2), v0.shape.slice(0, 2)), `key's sequence and batch dims ${sizeStr(k0.shape.slice(0, 2))} do not match value's ${sizeStr(v0.shape.slice(0, 2))}`);
    } else {
      assert(sameShape(k0.shape, v0.shape), `key shape ${sizeStr(k0.shape)} does not match value shape ${sizeStr(v0.shape)}`);
    }

    // input projections
    let q: Tensor;
    let k: Tensor;
    let v: Tensor;
    if (!useSeparate) {
      assert(inProjWeight !== null, 'use_separate_proj_weight is False but in_proj_weight is None');
      const w = inProjWeight as Tensor;
      const E = q0.size(-1);
      if (k0 === v0) {
        if (q0 === k0) {
          [q, k, v] = op('linear', [q0, w, inProjBias]).chunk(3, -1);
        } else {
          const [wq, wkv] = w.split([E, E * 2]);
          const [bq, bkv] = inProjBias ? inProjBias.split([E, E * 2]) : [null, null];
          q = op('linear', [q0, wq, bq]);
          [k, v] = op('linear', [k0, wkv, bkv]).chunk(2, -1);
        }
      } else {
        const [wq, wk, wv] = w.chunk(3);
        const [bq, bk, bv] = inProjBias ? inProjBias.chunk(3) : [null, null, null];
        q = op('linear', [q0, wq, bq]);
        k = op('linear', [k0, wk, bk]);
        v = op('linear', [v0, wv, bv]);
      }
    } else {
      assert(o.qProjWeight != null, 'use_separate_proj_weight is True but q_proj_weight is None');
      assert(o.kProjWeight != null, 'use_separate_proj_weight is True but k_proj_weight is None');
      assert(o.vProjWeight != null, 'use_separate_proj_weight is True but v_proj_weight is None');
      const [bq, bk, bv] = inProjBias ? inProjBias.chunk(3) : [null, null, null];
      q = op('linear', [q0, o.qProjWeight, bq]);
      k = op('linear', [k0, o.kProjWeight, bk]);
      v = op('linear', [v0, o.vProjWeight, bv]);
    }

    // masks
    if (attnMask) {
      if (attnMask.dtype === 'uint8') {
        process.emitWarning('Byte tensor for attn_mask in nn.MultiheadAttention is deprecated. Use bool tensor instead.', 'UserWarning');
        attnMask = op('to', [attnMask, 'bool']);
      } else {
        assert(isFloatingPoint(attnMask.dtype) || attnMask.dtype === 'bool', `Only float, byte, and bool types are supported for attn_mask, not torch.${attnMask.dtype}`);
      }
      if (attnMask.dim() === 2) {
        if (!sameShape(attnMask.shape, [tgtLen, srcLen])) {
          throw new RangeError(`The shape of the 2D attn_mask is ${sizeStr(attnMask.shape)}, but should be (${tgtLen}, ${srcLen}).`);
        }
        attnMask = op('unsqueeze', [attnMask, 0]);
      } else if (attnMask.dim() === 3) {
        if (!sameShape(attnMask.shape, [bsz * numHeads, tgtLen, srcLen])) {
          throw new RangeError(`The shape of the 3D attn_mask is ${sizeStr(attnMask.shape)}, but should be (${bsz * numHeads}, ${tgtLen}, ${srcLen}).`);
        }
      } else {
        throw new RangeError(`attn_mask's dimension ${attnMask.dim()} is not supported`);
      }
    }
    if (biasK && biasV) {
      assert(staticK === null, 'bias cannot be added to static key.');
      assert(staticV === null, 'bias cannot be added to static value.');
      k = op('cat', [[k, op('repeat', [biasK, [1, bsz, 1]])]]);
      v = op('cat', [[v, op('repeat', [biasV, [1, bsz, 1]])]]);
      if (attnMask) attnMask = op('pad', [attnMask, [0, 1]]);
      if (keyPaddingMask) keyPaddingMask = op('pad', [keyPaddingMask, [0, 1]]);
    } else {
      assert(biasK === null && biasV === null, 'bias_k and bias_v must both be given');
    }
    q = op('transpose', [op('view', [op('contiguous', [q]), [tgtLen, bsz * numHeads, headDim]]), 0, 1]);
    if (staticK === null) {
      k = op('transpose', [op('view', [op('contiguous', [k]), [k.size(0), bsz * numHeads, headDim]]), 0, 1]);
    } else {
      assert(staticK.size(0) === bsz * numHeads, `expecting static_k.size(0) of ${bsz * numHeads}, but got ${staticK.size(0)}`);
      assert(staticK.size(2) === headDim, `expecting static_k.size(2) of ${headDim}, but got ${staticK.size(2)}`);
      k = staticK;
    }
    if (staticV === null) {
      v = op('transpose', [op('view', [op('contiguous', [v]), [v.size(0), bsz * numHeads, headDim]]), 0, 1]);
    } else {
      assert(staticV.size(0) === bsz * numHeads, `expecting static_v.size(0) of ${bsz * numHeads}, but got ${staticV.size(0)}`);
      assert(staticV.size(2) === headDim, `expecting static_v.size(2) of ${headDim}, but got ${staticV.size(2)}`);
      v = staticV;
    }
    if (addZeroAttn) {
      const z = zeros([bsz * numHeads, 1, headDim], { dtype: k.dtype, device: k.device });
      k = op('cat', [[k, z], 1]);
      v = op('cat', [[v, zeros([bsz * numHeads, 1, headDim], { dtype: v.dtype, device: v.device })], 1]);
      if (attnMask) attnMask = op('pad', [attnMask, [0, 1]]);
      if (keyPaddingMask) keyPaddingMask = op('pad', [keyPaddingMask, [0, 1]]);
    }
    srcLen = k.size(1);
    if (keyPaddingMask) {
      assert(sameShape(keyPaddingMask.shape, [bsz, srcLen]), `expecting key_padding_mask shape of (${bsz}, ${srcLen}), but got ${sizeStr(keyPaddingMask.shape)}`);
      const kpm = op('reshape', [op('expand', [op('view', [keyPaddingMask, [bsz, 1, 1, srcLen]]), [-1, numHeads, -1, -1]]), [bsz * numHeads, 1, srcLen]]);
      if (attnMask === null) attnMask = kpm;
      else if (attnMask.dtype === 'bool') attnMask = op('logical_or', [attnMask, kpm]);
      else attnMask = op('masked_fill', [attnMask, kpm, -Infinity]);
    }
    if (attnMask && attnMask.dtype === 'bool') {
      const m = zerosLike(attnMask, { dtype: q.dtype });
      callOp('masked_fill_', [m, attnMask, -Infinity]);
      attnMask = m;
    }
    const p = training ? dropoutP : 0.0;
    const E = q.size(2);
    const qScaled = op('div', [q, Math.sqrt(E)]);
    const kt = op('transpose', [k, -2, -1]);
    let weights = attnMask ? op('baddbmm', [attnMask, qScaled, kt]) : op('bmm', [qScaled, kt]);
    weights = op('softmax', [weights, -1]);
    if (p > 0.0) weights = op('dropout', [weights, p, true]);
    let out = op('bmm', [weights, v]);
    out = op('view', [op('contiguous', [op('transpose', [out, 0, 1])]), [tgtLen * bsz, embedDim]]);
    out = op('linear', [out, outProjWeight, outProjBias]);
    out = op('view', [out, [tgtLen, bsz, out.size(1)]]);
    if (needWeights) {
      weights = op('view', [weights, [bsz, numHeads, tgtLen, srcLen]]);
      if (o.averageAttnWeights ?? true) weights = op('div', [op('sum', [weights, [1]]), numHeads]);
      if (!isBatched) {
        out = op('squeeze', [out, 1]);
        weights = op('squeeze', [weights, 0]);
      }
      return [out, weights];
    }
    if (!isBatched) out = op('squeeze', [out, 1]);
    return [out, null];
  });
}
