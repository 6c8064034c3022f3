// Convolution layers, as torch/nn/modules/conv.py: Conv1d/2d/3d and ConvTranspose1d/2d/3d.
import { Tensor } from '../tensor';
import { Module, markPureForward } from './module';
import { Parameter } from './parameter';
import { CtorArgs, requiredArgs, IntOrTuple, parseArgs, ntuple, pyTuple, FactoryOptions, newParameter, shapeError } from './common';
import * as F from './functional';
import * as init from './init';

/** How a convolution pads its input: zeros (implicit) or explicit reflect/replicate/circular padding. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Keyword arguments of Conv1d/2d/3d. */
export interface ConvOptions extends FactoryOptions {
  stride?: IntOrTuple;
  padding?: F.ConvPadding;
  dilation?: IntOrTuple;
  groups?: number;
  bias?: boolean;
  paddingMode?: PaddingMode;
}
type ConvRequired = [['inChannels', number], ['outChannels', number], ['kernelSize', IntOrTuple]];
const CONV_REQUIRED = ['inChannels', 'outChannels', 'kernelSize'];
type ConvArgs = CtorArgs<ConvRequired, [stride?: IntOrTuple, padding?: F.ConvPadding, dilation?: IntOrTuple, groups?: number, bias?: boolean, paddingMode?: PaddingMode], ConvOptions>;

/** Keyword arguments of ConvTranspose1d/2d/3d. */
export interface ConvTransposeOptions extends FactoryOptions {
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
  groups?: number;
  bias?: boolean;
  dilation?: IntOrTuple;
  paddingMode?: 'zeros';
}
type ConvTArgs = CtorArgs<ConvRequired, [stride?: IntOrTuple, padding?: IntOrTuple, outputPadding?: IntOrTuple, groups?: number, bias?: boolean, dilation?: IntOrTuple, paddingMode?: 'zeros'], ConvTransposeOptions>;

interface ConvConfig {
  name: string;
  n: number;
  inChannels: number;
  outChannels: number;
  kernelSize: IntOrTuple;
  stride: IntOrTuple;
  padding: F.ConvPadding;
  dilation: IntOrTuple;
  transposed: boolean;
  outputPadding: IntOrTuple;
  groups: number;
  bias: boolean;
  paddingMode: string;
  factory: FactoryOptions;
}

function convConfig(name: string, n: number, all: readonly unknown[]): ConvConfig {
  const [[inChannels, outChannels, kernelSize], args] = requiredArgs(name, CONV_REQUIRED, all) as [[number, number, IntOrTuple], unknown[]];
  const o = parseArgs<ConvOptions>(name, args, ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode'], ['device', 'dtype']);
  return {
    name, n, inChannels, outChannels, kernelSize, stride: o.stride ?? 1, padding: o.padding ?? 0, dilation: o.dilation ?? 1, transposed: false,
    outputPadding: 0, groups: o.groups ?? 1, bias: o.bias ?? true, paddingMode: o.paddingMode ?? 'zeros', factory: o,
  };
}

function convTConfig(name: string, n: number, all: readonly unknown[]): ConvConfig {
  const [[inChannels, outChannels, kernelSize], args] = requiredArgs(name, CONV_REQUIRED, all) as [[number, number, IntOrTuple], unknown[]];
  const o = parseArgs<ConvTransposeOptions>(name, args, ['stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'paddingMode'], ['device', 'dtype']);
  const paddingMode = o.paddingMode ?? 'zeros';
  if (paddingMode !== 'zeros') throw new RangeError(`Only "zeros" padding mode is supported for ${name}`);
  return {
    name, n, inChannels, outChannels, kernelSize, stride: o.stride ?? 1, padding: o.padding ?? 0, dilation: o.dilation ?? 1, transposed: true,
    outputPadding: o.outputPadding ?? 0, groups: o.groups ?? 1, bias: o.bias ?? true, paddingMode, factory: o,
  };
}

const PADDING_MODES = new Set(['zeros', 'reflect', 'replicate', 'circular']);

/** The common base of the convolution layers (PyTorch's `_ConvNd`). */
export abstract class _ConvNd extends Module {
  inChannels: number;
  outChannels: number;
  kernelSize: number[];
  stride: number[];
  padding: number[] | 'same' | 'valid';
  dilation: number[];
  transposed: boolean;
  outputPadding: number[];
  groups: number;
  paddingMode: PaddingMode;
  /** @internal The padding F.pad applies for non-zero padding modes. */
  _reversedPaddingRepeatedTwice: number[];
  declare weight: Parameter;
  declare bias: Parameter | null;

  protected constructor(c: ConvConfig) {
    super();
    if (!Number.isInteger(c.groups) || c.groups <= 0) throw new RangeError('groups must be a positive integer');
    if (c.inChannels % c.groups !== 0) throw new RangeError('in_channels must be divisible by groups');
    if (c.outChannels % c.groups !== 0) throw new RangeError('out_channels must be divisible by groups');
    const kernelSize = ntuple(c.kernelSize, c.n);
    const stride = ntuple(c.stride, c.n);
    const dilation = ntuple(c.dilation, c.n);
    if (typeof c.padding === 'string') {
      if (c.padding !== 'same' && c.padding !== 'valid') throw new RangeError(`Invalid padding string '${c.padding}', should be one of {'valid', 'same'}`);
      if (c.padding === 'same' && stride.some((s) => s !== 1)) throw new RangeError("padding='same' is not supported for strided convolutions");
    }
    if (!PADDING_MODES.has(c.paddingMode)) {
      throw new RangeError(`padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${c.paddingMode}'`);
    }
    this.inChannels = c.inChannels;
    this.outChannels = c.outChannels;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = typeof c.padding === 'string' ? c.padding : ntuple(c.padding, c.n);
    this.dilation = dilation;
    this.transposed = c.transposed;
    this.outputPadding = ntuple(c.outputPadding, c.n);
    this.groups = c.groups;
    this.paddingMode = c.paddingMode as PaddingMode;
    if (typeof this.padding === 'string') {
      const r = new Array<number>(2 * c.n).fill(0);
      if (this.padding === 'same') {
        for (let d = 0; d < c.n; d++) {
          const total = dilation[d] * (kernelSize[d] - 1);
          const left = Math.floor(total / 2);
          const i = c.n - 1 - d;
          r[2 * i] = left;
          r[2 * i + 1] = total - left;
        }
      }
      this._reversedPaddingRepeatedTwice = r;
    } else {
      this._reversedPaddingRepeatedTwice = [...this.padding].reverse().flatMap((p) => [p, p]);
    }
    const wShape = c.transposed ? [c.inChannels, c.outChannels / c.groups, ...kernelSize] : [c.outChannels, c.inChannels / c.groups, ...kernelSize];
    this.weight = newParameter(wShape, c.factory);
    if (c.bias) this.bias = newParameter([c.outChannels], c.factory);
    else this.registerParameter('bias', null);
    this.resetParameters();
  }

  /** Re-initialises weight (Kaiming uniform, a = sqrt(5)) and bias (U(±1/sqrt(fan_in))), as PyTorch. */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, Math.sqrt(5));
    if (this.bias !== null) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        init.uniform_(this.bias, -bound, bound);
      }
    }
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    const p = this.padding;
    if (typeof p === 'string' || p.some((x) => x !== 0)) s += `, padding=${typeof p === 'string' ? p : pyTuple(p)}`;
    if (this.dilation.some((x) => x !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((x) => x !== 0)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

type ConvFn = (input: Tensor, weight: Tensor, bias: Tensor | null, stride: IntOrTuple, padding: F.ConvPadding, dilation: IntOrTuple, groups: number) => Tensor;

function convForward(m: _ConvNd, fn: ConvFn, input: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  try {
    if (m.paddingMode !== 'zeros') {
      const padded = F.pad(input, m._reversedPaddingRepeatedTwice, m.paddingMode as F.PadMode);
      const out = fn(padded, weight, bias, m.stride, 0, m.dilation, m.groups);
      padded.dispose();
      return out;
    }
    return fn(input, weight, bias, m.stride, m.padding, m.dilation, m.groups);
  } catch (err) {
    throw shapeError(m, input, weight, err);
  }
}

/** 1-D convolution over (N, C, L) inputs: `new nn.Conv1d(16, 33, 3, { stride: 2 })`. */
export class Conv1d extends _ConvNd {
  constructor(...args: ConvArgs) {
    super(convConfig('Conv1d', 1, args));
  }
  override forward(input: Tensor): Tensor {
    return convForward(this, F.conv1d, input, this.weight, this.bias);
  }
}

/** 2-D convolution over (N, C, H, W) inputs: `new nn.Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false })`. */
export class Conv2d extends _ConvNd {
  constructor(...args: ConvArgs) {
    super(convConfig('Conv2d', 2, args));
  }
  override forward(input: Tensor): Tensor {
    return convForward(this, F.conv2d, input, this.weight, this.bias);
  }
}

/** 3-D convolution over (N, C, D, H, W) inputs. */
export class Conv3d extends _ConvNd {
  constructor(...args: ConvArgs) {
    super(convConfig('Conv3d', 3, args));
  }
  override forward(input: Tensor): Tensor {
    return convForward(this, F.conv3d, input, this.weight, this.bias);
  }
}

/** The common base of the transposed convolutions (PyTorch's `_ConvTransposeNd`). */
export abstract class _ConvTransposeNd extends _ConvNd {
  /** The output padding that gives `outputSize` (or the configured one when it is not given). */
  protected _outputPadding(input: Tensor, outputSize: number[] | null | undefined, numSpatialDims: number): number[] {
    if (outputSize === undefined || outputSize === null) return [...this.outputPadding];
    const hasBatch = input.dim() === numSpatialDims + 2;
    const nonSpatial = hasBatch ? 2 : 1;
    let size = outputSize;
    if (size.length === nonSpatial + numSpatialDims) size = size.slice(nonSpatial);
    if (size.length !== numSpatialDims) {
      throw new RangeError(
        `ConvTranspose${numSpatialDims}D: for ${input.dim()}D input, output_size must have ${numSpatialDims} or ${nonSpatial + numSpatialDims} elements (got ${outputSize.length})`,
      );
    }
    const padding = this.padding as number[];
    const minSizes: number[] = [];
    const maxSizes: number[] = [];
    for (let d = 0; d < numSpatialDims; d++) {
      const dimSize = (input.size(d + nonSpatial) - 1) * this.stride[d] - 2 * padding[d] + this.dilation[d] * (this.kernelSize[d] - 1) + 1;
      minSizes.push(dimSize);
      maxSizes.push(dimSize + this.stride[d] - 1);
    }
    for (let i = 0; i < size.length; i++) {
      if (size[i] < minSizes[i] || size[i] > maxSizes[i]) {
        throw new RangeError(
          `requested an output size of [${size.join(', ')}], but valid sizes range from [${minSizes.join(', ')}] to [${maxSizes.join(', ')}] (for an input of torch.Size([${input.shape.slice(2).join(', ')}]))`,
        );
      }
    }
    return size.map((s, d) => s - minSizes[d]);
  }

  protected transposedForward(fn: typeof F.convTranspose2d, n: number, input: Tensor, outputSize?: number[] | null): Tensor {
    try {
      const outputPadding = this._outputPadding(input, outputSize, n);
      return fn(input, this.weight, this.bias, this.stride, this.padding as number[], outputPadding, this.groups, this.dilation);
    } catch (err) {
      throw shapeError(this, input, this.weight, err);
    }
  }
}

/** 1-D transposed convolution. */
export class ConvTranspose1d extends _ConvTransposeNd {
  constructor(...args: ConvTArgs) {
    super(convTConfig('ConvTranspose1d', 1, args));
  }
  /** `outputSize` picks among the output sizes a strided transposed convolution can give. */
  override forward(input: Tensor, outputSize?: number[] | null): Tensor {
    return this.transposedForward(F.convTranspose1d, 1, input, outputSize);
  }
}

/** 2-D transposed convolution. */
export class ConvTranspose2d extends _ConvTransposeNd {
  constructor(...args: ConvTArgs) {
    super(convTConfig('ConvTranspose2d', 2, args));
  }
  /** `outputSize` picks among the output sizes a strided transposed convolution can give. */
  override forward(input: Tensor, outputSize?: number[] | null): Tensor {
    return this.transposedForward(F.convTranspose2d, 2, input, outputSize);
  }
}

/** 3-D transposed convolution. */
export class ConvTranspose3d extends _ConvTransposeNd {
  constructor(...args: ConvTArgs) {
    super(convTConfig('ConvTranspose3d', 3, args));
  }
  /** `outputSize` picks among the output sizes a strided transposed convolution can give. */
  override forward(input: Tensor, outputSize?: number[] | null): Tensor {
    return this.transposedForward(F.convTranspose3d, 3, input, outputSize);
  }
}

markPureForward(Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d);
