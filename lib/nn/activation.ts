// Activation layers, as torch/nn/modules/activation.py (MultiheadAttention lives there too, as in PyTorch).
import { Tensor } from '../tensor';
import { Module, markPureForward } from './module';
import { Parameter } from './parameter';
import { PyArgs, CtorArgs, requiredArgs, parseArgs, pyFloat, FactoryOptions, newParameter } from './common';
import { NonDynamicallyQuantizableLinear } from './linear';
import * as F from './functional';
import * as init from './init';

const bool = (v: boolean) => (v ? 'True' : 'False');
type InplaceArgs = PyArgs<[inplace?: boolean], { inplace?: boolean }>;

/** An activation with only an `inplace` flag. */
abstract class InplaceActivation extends Module {
  inplace: boolean;
  constructor(...args: InplaceArgs) {
    super();
    this.inplace = parseArgs<{ inplace: boolean }>(new.target.name, args, ['inplace']).inplace ?? false;
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** `max(0, x)`. */
export class ReLU extends InplaceActivation {
  override forward(input: Tensor): Tensor {
    return F.relu(input, this.inplace);
  }
}

/** SELU: scaled ELU with fixed alpha and scale. */
export class SELU extends InplaceActivation {
  override forward(input: Tensor): Tensor {
    return F.selu(input, this.inplace);
  }
}

/** `x * sigmoid(x)` (swish). */
export class SiLU extends InplaceActivation {
  override forward(input: Tensor): Tensor {
    return F.silu(input, this.inplace);
  }
}

/** `x * tanh(softplus(x))`. */
export class Mish extends InplaceActivation {
  override forward(input: Tensor): Tensor {
    return F.mish(input, this.inplace);
  }
}

/** Hard swish (MobileNetV3). */
export class Hardswish extends InplaceActivation {
  override forward(input: Tensor): Tensor {
    return F.hardswish(input, this.inplace);
  }
  // PyTorch prints no arguments for this one, even when inplace.
  override extraRepr(): string {
    return '';
  }
}

/** Hard sigmoid. */
export class Hardsigmoid extends InplaceActivation {
  override forward(input: Tensor): Tensor {
    return F.hardsigmoid(input, this.inplace);
  }
  // PyTorch prints no arguments for this one, even when inplace.
  override extraRepr(): string {
    return '';
  }
}

/** Keyword arguments of Hardtanh. */
export interface HardtanhOptions {
  minVal?: number;
  maxVal?: number;
  inplace?: boolean;
}

/** Clamps to [minVal, maxVal] (default [-1, 1]). */
export class Hardtanh extends Module {
  minVal: number;
  maxVal: number;
  inplace: boolean;
  constructor(...args: PyArgs<[minVal?: number, maxVal?: number, inplace?: boolean], HardtanhOptions>) {
    super();
    const o = parseArgs<HardtanhOptions>(new.target.name, args, ['minVal', 'maxVal', 'inplace']);
    this.minVal = o.minVal ?? -1.0;
    this.maxVal = o.maxVal ?? 1.0;
    this.inplace = o.inplace ?? false;
    if (this.maxVal <= this.minVal) throw new RangeError('max_val must be greater than min_val');
  }
  override forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.minVal, this.maxVal, this.inplace);
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** `min(max(0, x), 6)` (a Hardtanh over [0, 6], as in PyTorch). */
export class ReLU6 extends Hardtanh {
  constructor(...args: InplaceArgs) {
    const inplace = parseArgs<{ inplace: boolean }>('ReLU6', args, ['inplace']).inplace ?? false;
    super(0.0, 6.0, inplace);
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** Keyword arguments of LeakyReLU. */
export interface LeakyReLUOptions {
  negativeSlope?: number;
  inplace?: boolean;
}

/** `max(0, x) + negativeSlope * min(0, x)`. */
export class LeakyReLU extends Module {
  negativeSlope: number;
  inplace: boolean;
  constructor(...args: PyArgs<[negativeSlope?: number, inplace?: boolean], LeakyReLUOptions>) {
    super();
    const o = parseArgs<LeakyReLUOptions>('LeakyReLU', args, ['negativeSlope', 'inplace']);
    this.negativeSlope = o.negativeSlope ?? 1e-2;
    this.inplace = o.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope, this.inplace);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** Keyword arguments of ELU and CELU. */
export interface AlphaOptions {
  alpha?: number;
  inplace?: boolean;
}

/** Exponential linear unit. */
export class ELU extends Module {
  alpha: number;
  inplace: boolean;
  constructor(...args: PyArgs<[alpha?: number, inplace?: boolean], AlphaOptions>) {
    super();
    const o = parseArgs<AlphaOptions>(new.target.name, args, ['alpha', 'inplace']);
    this.alpha = o.alpha ?? 1.0;
    this.inplace = o.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha, this.inplace);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** Continuously differentiable ELU. */
export class CELU extends ELU {
  override forward(input: Tensor): Tensor {
    return F.celu(input, this.alpha, this.inplace);
  }
}

/** Keyword arguments of PReLU. */
export interface PReLUOptions extends FactoryOptions {
  numParameters?: number;
  init?: number;
}

/** Parametric ReLU: the negative slope is learned (one, or one per channel). */
export class PReLU extends Module {
  numParameters: number;
  declare weight: Parameter;
  private readonly initValue: number;
  constructor(...args: PyArgs<[numParameters?: number, init?: number], PReLUOptions>) {
    super();
    const o = parseArgs<PReLUOptions>('PReLU', args, ['numParameters', 'init'], ['device', 'dtype']);
    this.numParameters = o.numParameters ?? 1;
    this.initValue = o.init ?? 0.25;
    this.weight = newParameter([this.numParameters], o);
    this.resetParameters();
  }
  /** Fills the weight with the initial slope. */
  resetParameters(): void {
    init.constant_(this.weight, this.initValue);
  }
  override forward(input: Tensor): Tensor {
    return F.prelu(input, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

/** Gaussian error linear unit; `approximate: 'tanh'` uses the tanh estimate. */
export class GELU extends Module {
  approximate: 'none' | 'tanh';
  constructor(...args: PyArgs<[approximate?: 'none' | 'tanh'], { approximate?: 'none' | 'tanh' }>) {
    super();
    this.approximate = parseArgs<{ approximate: 'none' | 'tanh' }>('GELU', args, ['approximate']).approximate ?? 'none';
  }
  override forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** Logistic sigmoid. */
export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

/** `log(sigmoid(x))`. */
export class LogSigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.logsigmoid(input);
  }
}

/** `x / (1 + |x|)`. */
export class Softsign extends Module {
  override forward(input: Tensor): Tensor {
    return F.softsign(input);
  }
}

/** `x - tanh(x)`. */
export class Tanhshrink extends Module {
  override forward(input: Tensor): Tensor {
    return F.tanhshrink(input);
  }
}

/** Hard shrinkage with threshold `lambd` (default 0.5). */
export class Hardshrink extends Module {
  lambd: number;
  constructor(lambd = 0.5) {
    super();
    this.lambd = lambd;
  }
  override forward(input: Tensor): Tensor {
    return F.hardshrink(input, this.lambd);
  }
  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

/** Soft shrinkage with threshold `lambd` (default 0.5). */
export class Softshrink extends Hardshrink {
  override forward(input: Tensor): Tensor {
    return F.softshrink(input, this.lambd);
  }
}

/** `x` where `x > threshold`, else `value`. */
export class Threshold extends Module {
  threshold: number;
  value: number;
  inplace: boolean;
  constructor(threshold: number, value: number, ...args: InplaceArgs) {
    super();
    this.threshold = threshold;
    this.value = value;
    this.inplace = parseArgs<{ inplace: boolean }>('Threshold', args, ['inplace']).inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.threshold(input, this.threshold, this.value, this.inplace);
  }
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** Gated linear unit over `dim` (default -1). */
export class GLU extends Module {
  dim: number;
  constructor(dim = -1) {
    super();
    this.dim = dim;
  }
  override forward(input: Tensor): Tensor {
    return F.glu(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Keyword arguments of Softplus. */
export interface SoftplusOptions {
  beta?: number;
  threshold?: number;
}

/** `log(1 + exp(beta * x)) / beta`. */
export class Softplus extends Module {
  beta: number;
  threshold: number;
  constructor(...args: PyArgs<[beta?: number, threshold?: number], SoftplusOptions>) {
    super();
    const o = parseArgs<SoftplusOptions>('Softplus', args, ['beta', 'threshold']);
    this.beta = o.beta ?? 1;
    this.threshold = o.threshold ?? 20;
  }
  override forward(input: Tensor): Tensor {
    return F.softplus(input, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** The common base of Softmax, Softmin and LogSoftmax: a `dim` (null: PyTorch's legacy choice). */
abstract class DimActivation extends Module {
  dim: number | null;
  constructor(...args: PyArgs<[dim?: number | null], { dim?: number | null }>) {
    super();
    this.dim = parseArgs<{ dim: number | null }>(new.target.name, args, ['dim']).dim ?? null;
  }
  override extraRepr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

/** Softmax along `dim`. */
export class Softmax extends DimActivation {
  override forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }
}

/** `softmax(-x)` along `dim`. */
export class Softmin extends DimActivation {
  override forward(input: Tensor): Tensor {
    return F.softmin(input, this.dim);
  }
}

/** Log-softmax along `dim`. */
export class LogSoftmax extends DimActivation {
  override forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }
}

/** Softmax over the channels of (N, C, H, W) or (C, H, W) inputs. */
export class Softmax2d extends Module {
  override forward(input: Tensor): Tensor {
    if (input.dim() !== 3 && input.dim() !== 4) throw new RangeError(`Softmax2d: expected input to be 3D or 4D, got ${input.dim()}D instead`);
    return F.softmax(input, -3);
  }
}

/** Keyword arguments of MultiheadAttention. */
export interface MultiheadAttentionOptions extends FactoryOptions {
  dropout?: number;
  bias?: boolean;
  addBiasKv?: boolean;
  addZeroAttn?: boolean;
  kdim?: number | null;
  vdim?: number | null;
  batchFirst?: boolean;
}

/** Keyword arguments of MultiheadAttention.forward. */
export interface MultiheadAttentionForwardOptions {
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
}

/**
 * Multi-head attention ("Attention Is All You Need"): `forward(query, key, value, opts)` returns
 * [output, attention weights (averaged over heads) or null]. Inputs are (L, N, E), or (N, L, E) with
 * `batchFirst`.
 */
export class MultiheadAttention extends Module {
  embedDim: number;
  kdim: number;
  vdim: number;
  /** @internal Whether query, key and value share one packed input projection. */
  _qkvSameEmbedDim: boolean;
  numHeads: number;
  dropout: number;
  batchFirst: boolean;
  headDim: number;
  addZeroAttn: boolean;
  declare in_proj_weight: Parameter | null;
  declare q_proj_weight: Parameter | null;
  declare k_proj_weight: Parameter | null;
  declare v_proj_weight: Parameter | null;
  declare in_proj_bias: Parameter | null;
  declare out_proj: NonDynamicallyQuantizableLinear;
  declare bias_k: Parameter | null;
  declare bias_v: Parameter | null;

  constructor(
    ...all: CtorArgs<
      [['embedDim', number], ['numHeads', number]],
      [dropout?: number, bias?: boolean, addBiasKv?: boolean, addZeroAttn?: boolean, kdim?: number | null, vdim?: number | null, batchFirst?: boolean],
      MultiheadAttentionOptions
    >
  ) {
    super();
    const [[embedDim, numHeads], args] = requiredArgs('MultiheadAttention', ['embedDim', 'numHeads'], all) as [[number, number], unknown[]];
    const o = parseArgs<MultiheadAttentionOptions>('MultiheadAttention', args, ['dropout', 'bias', 'addBiasKv', 'addZeroAttn', 'kdim', 'vdim', 'batchFirst'], ['device', 'dtype']);
    this.embedDim = embedDim;
    this.kdim = o.kdim ?? embedDim;
    this.vdim = o.vdim ?? embedDim;
    this._qkvSameEmbedDim = this.kdim === embedDim && this.vdim === embedDim;
    this.numHeads = numHeads;
    this.dropout = o.dropout ?? 0.0;
    this.batchFirst = o.batchFirst ?? false;
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw new RangeError('embed_dim must be divisible by num_heads');
    const bias = o.bias ?? true;
    if (!this._qkvSameEmbedDim) {
      this.q_proj_weight = newParameter([embedDim, embedDim], o);
      this.k_proj_weight = newParameter([embedDim, this.kdim], o);
      this.v_proj_weight = newParameter([embedDim, this.vdim], o);
      this.registerParameter('in_proj_weight', null);
    } else {
      this.in_proj_weight = newParameter([3 * embedDim, embedDim], o);
      this.registerParameter('q_proj_weight', null);
      this.registerParameter('k_proj_weight', null);
      this.registerParameter('v_proj_weight', null);
    }
    if (bias) this.in_proj_bias = newParameter([3 * embedDim], o);
    else this.registerParameter('in_proj_bias', null);
    this.out_proj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias, device: o.device, dtype: o.dtype });
    if (o.addBiasKv) {
      this.bias_k = newParameter([1, 1, embedDim], o);
      this.bias_v = newParameter([1, 1, embedDim], o);
    } else {
      this.bias_k = null;
      this.bias_v = null;
    }
    this.addZeroAttn = o.addZeroAttn ?? false;
    this.resetParameters();
  }

  /** Xavier-uniform input projections, zero biases, Xavier-normal bias_k/bias_v (PyTorch's order of draws). */
  resetParameters(): void {
    if (this._qkvSameEmbedDim) {
      init.xavierUniform_(this.in_proj_weight as Parameter);
    } else {
      init.xavierUniform_(this.q_proj_weight as Parameter);
      init.xavierUniform_(this.k_proj_weight as Parameter);
      init.xavierUniform_(this.v_proj_weight as Parameter);
    }
    if (this.in_proj_bias !== null) {
      init.constant_(this.in_proj_bias, 0.0);
      init.constant_(this.out_proj.bias as Parameter, 0.0);
    }
    if (this.bias_k !== null) init.xavierNormal_(this.bias_k);
    if (this.bias_v !== null) init.xavierNormal_(this.bias_v);
  }

  override forward(query: Tensor, key: Tensor, value: Tensor, opts: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const o = parseArgs<MultiheadAttentionForwardOptions>('MultiheadAttention.forward', [opts], [], ['keyPaddingMask', 'needWeights', 'attnMask', 'averageAttnWeights']);
    const isBatched = query.dim() === 3;
    const kpm = o.keyPaddingMask ?? null;
    if (kpm !== null && kpm.dtype !== 'bool' && !kpm.isFloatingPoint()) throw new TypeError('only bool and floating types of key_padding_mask are supported');
    let q = query;
    let k = key;
    let v = value;
    const made: Tensor[] = [];
    if (this.batchFirst && isBatched) {
      // Keep object identity between query, key and value: it selects the packed projection.
      q = query.transpose(1, 0);
      made.push(q);
      k = key === query ? q : key.transpose(1, 0);
      if (k !== q) made.push(k);
      v = value === key ? k : value.transpose(1, 0);
      if (v !== k) made.push(v);
    }
    const common = {
      training: this.training,
      keyPaddingMask: kpm,
      needWeights: o.needWeights ?? true,
      attnMask: o.attnMask ?? null,
      averageAttnWeights: o.averageAttnWeights ?? true,
    };
    const extra = this._qkvSameEmbedDim
      ? {}
      : { useSeparateProjWeight: true, qProjWeight: this.q_proj_weight, kProjWeight: this.k_proj_weight, vProjWeight: this.v_proj_weight };
    const [out, weights] = F.multiHeadAttentionForward(
      q, k, v, this.embedDim, this.numHeads, this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v, this.addZeroAttn,
      this.dropout, this.out_proj.weight, this.out_proj.bias, { ...common, ...extra },
    );
    for (const t of made) t.dispose();
    if (this.batchFirst && isBatched) {
      const t = out.transpose(1, 0);
      out.dispose();
      return [t, weights];
    }
    return [out, weights];
  }
}

markPureForward(
  ReLU, SELU, SiLU, Mish, Hardswish, Hardsigmoid, Hardtanh, ReLU6, LeakyReLU, ELU, CELU, PReLU, GELU, Sigmoid, Tanh, LogSigmoid, Softsign,
  Tanhshrink, Hardshrink, Softshrink, Threshold, GLU, Softplus, Softmax, Softmin, LogSoftmax, Softmax2d, MultiheadAttention,
);
