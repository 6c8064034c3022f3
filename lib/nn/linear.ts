// Linear layers, as torch/nn/modules/linear.py: Identity, Linear, Bilinear.
import { Tensor } from '../tensor';
import { Module, markPureForward } from './module';
import { Parameter } from './parameter';
import { PyArgs, CtorArgs, requiredArgs, parseArgs, FactoryOptions, newParameter, shapeError } from './common';
import * as F from './functional';
import * as init from './init';

/** A placeholder that returns its input unchanged (constructor arguments are ignored, as in PyTorch). */
export class Identity extends Module {
  constructor(...args: unknown[]) {
    super();
    void args;
  }

  /** Returns `input`. */
  override forward(input: Tensor): Tensor {
    return input;
  }
}

/** Keyword arguments of Linear. */
export interface LinearOptions extends FactoryOptions {
  bias?: boolean;
}

/** `y = x W^T + b`, with W of shape (outFeatures, inFeatures) initialised like PyTorch. */
export class Linear extends Module {
  /** Size of each input sample. */
  inFeatures: number;
  /** Size of each output sample. */
  outFeatures: number;
  declare weight: Parameter;
  declare bias: Parameter | null;

  constructor(...all: CtorArgs<[['inFeatures', number], ['outFeatures', number]], [bias?: boolean], LinearOptions>) {
    super();
    const [[inFeatures, outFeatures], args] = requiredArgs('Linear', ['inFeatures', 'outFeatures'], all) as [[number, number], unknown[]];
    const o = parseArgs<LinearOptions>('Linear', args, ['bias'], ['device', 'dtype']);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = newParameter([outFeatures, inFeatures], o);
    if (o.bias ?? true) this.bias = newParameter([outFeatures], o);
    else this.registerParameter('bias', null);
    this.resetParameters();
  }

  /** Re-initialises weight (Kaiming uniform, a = sqrt(5)) and bias (U(-1/sqrt(fan_in), 1/sqrt(fan_in))). */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, Math.sqrt(5));
    if (this.bias !== null) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor {
    try {
      return F.linear(input, this.weight, this.bias);
    } catch (err) {
      throw shapeError(this, input, this.weight, err);
    }
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}

/** The Linear that MultiheadAttention uses for its output projection (named so for checkpoint parity). */
export class NonDynamicallyQuantizableLinear extends Linear {}

/** `y = x1^T A x2 + b`. */
export class Bilinear extends Module {
  in1Features: number;
  in2Features: number;
  outFeatures: number;
  declare weight: Parameter;
  declare bias: Parameter | null;

  constructor(in1Features: number, in2Features: number, outFeatures: number, ...args: PyArgs<[bias?: boolean], LinearOptions>) {
    super();
    const o = parseArgs<LinearOptions>('Bilinear', args, ['bias'], ['device', 'dtype']);
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    this.weight = newParameter([outFeatures, in1Features, in2Features], o);
    if (o.bias ?? true) this.bias = newParameter([outFeatures], o);
    else this.registerParameter('bias', null);
    this.resetParameters();
  }

  /** Re-initialises weight and bias uniformly in ±1/sqrt(in1Features). */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.size(1));
    init.uniform_(this.weight, -bound, bound);
    if (this.bias !== null) init.uniform_(this.bias, -bound, bound);
  }

  override forward(input1: Tensor, input2: Tensor): Tensor {
    try {
      return F.bilinear(input1, input2, this.weight, this.bias);
    } catch (err) {
      throw shapeError(this, input1, this.weight, err);
    }
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}

markPureForward(Identity, Linear, NonDynamicallyQuantizableLinear, Bilinear);
