// Normalization layers, as torch/nn/modules/normalization.py: LayerNorm, GroupNorm, LocalResponseNorm.
import { Tensor } from '../tensor';
import { Module, markPureForward } from './module';
import { Parameter } from './parameter';
import { PyArgs, CtorArgs, requiredArgs, parseArgs, pyFloat, pyTuple, FactoryOptions, newParameter } from './common';
import * as F from './functional';
import * as init from './init';

/** Keyword arguments of LayerNorm. */
export interface LayerNormOptions extends FactoryOptions {
  eps?: number;
  elementwiseAffine?: boolean;
}

/** Layer normalization over the trailing dimensions `normalizedShape`. */
export class LayerNorm extends Module {
  normalizedShape: number[];
  eps: number;
  elementwiseAffine: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;

  constructor(...all: CtorArgs<[['normalizedShape', number | number[]]], [eps?: number, elementwiseAffine?: boolean], LayerNormOptions>) {
    super();
    const [[normalizedShape], args] = requiredArgs('LayerNorm', ['normalizedShape'], all) as [[number | number[]], unknown[]];
    const o = parseArgs<LayerNormOptions>('LayerNorm', args, ['eps', 'elementwiseAffine'], ['device', 'dtype']);
    this.normalizedShape = Array.isArray(normalizedShape) ? [...normalizedShape] : [normalizedShape];
    this.eps = o.eps ?? 1e-5;
    this.elementwiseAffine = o.elementwiseAffine ?? true;
    if (this.elementwiseAffine) {
      this.weight = newParameter(this.normalizedShape, o);
      this.bias = newParameter(this.normalizedShape, o);
    } else {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
    this.resetParameters();
  }

  /** Weight to 1, bias to 0. */
  resetParameters(): void {
    if (this.elementwiseAffine) {
      init.ones_(this.weight as Parameter);
      init.zeros_(this.bias as Parameter);
    }
  }

  override forward(input: Tensor): Tensor {
    return F.layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${this.elementwiseAffine ? 'True' : 'False'}`;
  }
}

/** Keyword arguments of GroupNorm. */
export interface GroupNormOptions extends FactoryOptions {
  eps?: number;
  affine?: boolean;
}

/** Group normalization: channels split into `numGroups` groups normalized separately. */
export class GroupNorm extends Module {
  numGroups: number;
  numChannels: number;
  eps: number;
  affine: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;

  constructor(...all: CtorArgs<[['numGroups', number], ['numChannels', number]], [eps?: number, affine?: boolean], GroupNormOptions>) {
    super();
    const [[numGroups, numChannels], args] = requiredArgs('GroupNorm', ['numGroups', 'numChannels'], all) as [[number, number], unknown[]];
    const o = parseArgs<GroupNormOptions>('GroupNorm', args, ['eps', 'affine'], ['device', 'dtype']);
    if (numChannels % numGroups !== 0) throw new RangeError('num_channels must be divisible by num_groups');
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = o.eps ?? 1e-5;
    this.affine = o.affine ?? true;
    if (this.affine) {
      this.weight = newParameter([numChannels], o);
      this.bias = newParameter([numChannels], o);
    } else {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
    this.resetParameters();
  }

  /** Weight to 1, bias to 0. */
  resetParameters(): void {
    if (this.affine) {
      init.ones_(this.weight as Parameter);
      init.zeros_(this.bias as Parameter);
    }
  }

  override forward(input: Tensor): Tensor {
    return F.groupNorm(input, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${this.affine ? 'True' : 'False'}`;
  }
}

/** Keyword arguments of LocalResponseNorm. */
export interface LocalResponseNormOptions {
  alpha?: number;
  beta?: number;
  k?: number;
}

/** Local response normalization across neighbouring channels. */
export class LocalResponseNorm extends Module {
  size: number;
  alpha: number;
  beta: number;
  k: number;

  constructor(size: number, ...args: PyArgs<[alpha?: number, beta?: number, k?: number], LocalResponseNormOptions>) {
    super();
    const o = parseArgs<LocalResponseNormOptions>('LocalResponseNorm', args, ['alpha', 'beta', 'k']);
    this.size = size;
    this.alpha = o.alpha ?? 1e-4;
    this.beta = o.beta ?? 0.75;
    this.k = o.k ?? 1.0;
  }

  override forward(input: Tensor): Tensor {
    return F.localResponseNorm(input, this.size, this.alpha, this.beta, this.k);
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}

markPureForward(LayerNorm, GroupNorm, LocalResponseNorm);
