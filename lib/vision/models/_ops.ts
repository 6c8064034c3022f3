// The building blocks torchvision's models take from torchvision.ops (ops/misc.py, ops/stochastic_depth.py):
// Conv2dNormActivation, SqueezeExcitation, MLP, Permute and StochasticDepth, with torchvision's class and
// attribute names so that the models' state-dict keys and printouts are torchvision's.
import { Tensor } from '../../tensor';
import { callOp } from '../../dispatch';
import { Module, markPureForward } from '../../nn/module';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { BatchNorm2d } from '../../nn/batchnorm';
import { ReLU, Sigmoid } from '../../nn/activation';
import { Linear } from '../../nn/linear';
import { Dropout } from '../../nn/dropout';
import { AdaptiveAvgPool2d } from '../../nn/pooling';
import { pyFloat } from '../../nn/common';
import { runOwned, release } from './_utils';

/** Makes a normalization layer for a number of channels: `(n) => new nn.BatchNorm2d(n)`. */
export type NormLayer = (numFeatures: number) => Module;
/**
 * Makes an activation layer; `inplace` is what torchvision would pass as `inplace=` (undefined: pass nothing):
 * `(inplace) => new nn.Hardswish(inplace)`.
 */
export type ActivationLayer = (inplace?: boolean) => Module;

/** @internal The default normalization: BatchNorm2d. */
export const batchNorm2d: NormLayer = (n) => new BatchNorm2d(n);
/** @internal The default activation: ReLU. */
export const relu: ActivationLayer = (inplace) => new ReLU(inplace ?? false);

/** Options of Conv2dNormActivation (torchvision's keyword arguments). */
export interface Conv2dNormActivationOptions {
  kernelSize?: number;
  stride?: number;
  /** Default `(kernelSize - 1) / 2 * dilation`. */
  padding?: number | null;
  groups?: number;
  /** Default BatchNorm2d; null for none. */
  normLayer?: NormLayer | null;
  /** Default ReLU; null for none. */
  activationLayer?: ActivationLayer | null;
  dilation?: number;
  /** Passed to the activation (default true). */
  inplace?: boolean | null;
  /** Default: a bias only without a normalization layer. */
  bias?: boolean | null;
}

/** A Sequential of Conv2d, a normalization layer and an activation, named '0', '1', '2' as in torchvision. */
export class Conv2dNormActivation extends Sequential {
  /** The output channels. */
  outChannels: number;

  constructor(inChannels: number, outChannels: number, opts: Conv2dNormActivationOptions = {}) {
    const kernelSize = opts.kernelSize ?? 3;
    const dilation = opts.dilation ?? 1;
    const padding = opts.padding ?? Math.floor((kernelSize - 1) / 2) * dilation;
    const normLayer = opts.normLayer === undefined ? batchNorm2d : opts.normLayer;
    const activationLayer = opts.activationLayer === undefined ? relu : opts.activationLayer;
    const bias = opts.bias ?? normLayer === null;
    const layers: Module[] = [new Conv2d(inChannels, outChannels, kernelSize, { stride: opts.stride ?? 1, padding, dilation, groups: opts.groups ?? 1, bias })];
    if (normLayer !== null) layers.push(normLayer(outChannels));
    if (activationLayer !== null) {
      const inplace = opts.inplace === undefined ? true : opts.inplace;
      layers.push(inplace === null ? activationLayer() : activationLayer(inplace));
    }
    super(...layers);
    this.outChannels = outChannels;
  }
}

/** Options of SqueezeExcitation. */
export interface SqueezeExcitationOptions {
  /** The activation after the squeeze (default ReLU). */
  activation?: ActivationLayer;
  /** The gate (default Sigmoid). */
  scaleActivation?: ActivationLayer;
}

/** Squeeze-and-Excitation ("Squeeze-and-Excitation Networks"): channels scaled by a gate computed from their means. */
export class SqueezeExcitation extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare avgpool: Module;
  declare fc1: Conv2d;
  declare fc2: Conv2d;
  declare activation: Module;
  declare scale_activation: Module;

  constructor(inputChannels: number, squeezeChannels: number, opts: SqueezeExcitationOptions = {}) {
    super();
    this.avgpool = new AdaptiveAvgPool2d(1);
    this.fc1 = new Conv2d(inputChannels, squeezeChannels, 1);
    this.fc2 = new Conv2d(squeezeChannels, inputChannels, 1);
    this.activation = (opts.activation ?? relu)();
    this.scale_activation = (opts.scaleActivation ?? (() => new Sigmoid()))();
  }

  override forward(input: Tensor): Tensor {
    const [scale, owned] = runOwned(input, [this.avgpool, this.fc1, this.activation, this.fc2, this.scale_activation]);
    const out = scale.mul(input);
    release(scale, owned, input);
    return out;
  }
}

/** Options of MLP. */
export interface MLPOptions {
  normLayer?: NormLayer | null;
  /** Default ReLU. */
  activationLayer?: ActivationLayer;
  /** Passed to the activation and the dropout layers (default true; null passes nothing). */
  inplace?: boolean | null;
  bias?: boolean;
  dropout?: number;
}

/** A multi-layer perceptron: Linear (+ norm) + activation + Dropout per hidden layer, then Linear + Dropout. */
export class MLP extends Sequential {
  constructor(inChannels: number, hiddenChannels: number[], opts: MLPOptions = {}) {
    const inplace = opts.inplace === undefined ? true : opts.inplace;
    const act = opts.activationLayer ?? relu;
    const bias = opts.bias ?? true;
    const p = opts.dropout ?? 0.0;
    const layers: Module[] = [];
    let inDim = inChannels;
    for (const hidden of hiddenChannels.slice(0, -1)) {
      layers.push(new Linear(inDim, hidden, { bias }));
      if (opts.normLayer) layers.push(opts.normLayer(hidden));
      layers.push(inplace === null ? act() : act(inplace));
      layers.push(new Dropout(p, inplace ?? false));
      inDim = hidden;
    }
    layers.push(new Linear(inDim, hiddenChannels[hiddenChannels.length - 1], { bias }));
    layers.push(new Dropout(p, inplace ?? false));
    super(...layers);
  }
}

/** Returns a view of its input with the dimensions permuted. */
export class Permute extends Module {
  dims: number[];

  constructor(dims: number[]) {
    super();
    this.dims = dims;
  }

  override forward(x: Tensor): Tensor {
    return x.permute(this.dims);
  }
}

/**
 * Stochastic depth ("Deep Networks with Stochastic Depth"): in training, zeroes the whole input ('batch') or
 * whole rows of it ('row') with probability `p` and scales the rest by 1/(1-p).
 */
export function stochasticDepth(input: Tensor, p: number, mode: 'batch' | 'row', training = true): Tensor {
  if (!(p >= 0.0 && p <= 1.0)) throw new RangeError(`drop probability has to be between 0 and 1, but got ${p}`);
  if (mode !== 'batch' && mode !== 'row') throw new RangeError(`mode has to be either 'batch' or 'row', but got ${String(mode)}`);
  if (!training || p === 0.0) return input;
  const survival = 1.0 - p;
  const size = mode === 'row' ? [input.size(0), ...new Array<number>(input.dim() - 1).fill(1)] : new Array<number>(input.dim()).fill(1);
  const noise = callOp('empty', [size], { dtype: input.dtype, device: input.device }) as Tensor;
  noise.bernoulli_(survival);
  if (survival > 0.0) noise.div_(survival);
  const out = input.mul(noise);
  noise.dispose();
  return out;
}

/** The module form of stochasticDepth (active in training mode only). */
export class StochasticDepth extends Module {
  /** The probability of dropping the input. */
  p: number;
  mode: 'batch' | 'row';

  constructor(p: number, mode: 'batch' | 'row') {
    super();
    this.p = p;
    this.mode = mode;
  }

  override forward(input: Tensor): Tensor {
    return stochasticDepth(input, this.p, this.mode, this.training);
  }

  override toString(): string {
    return `StochasticDepth(p=${pyFloat(this.p)}, mode=${this.mode})`;
  }
}

markPureForward(Conv2dNormActivation, SqueezeExcitation, MLP, Permute, StochasticDepth);
