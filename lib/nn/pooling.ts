// Pooling layers, as torch/nn/modules/pooling.py: max, average, adaptive average and adaptive max pooling.
import { Tensor } from '../tensor';
import { Module, markPureForward } from './module';
import { CtorArgs, requiredArgs, IntOrTuple, parseArgs, pyStr, single } from './common';
import * as F from './functional';

/** Keyword arguments of MaxPool1d/2d/3d. */
export interface MaxPoolOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  returnIndices?: boolean;
  ceilMode?: boolean;
}
type KernelSize = [['kernelSize', IntOrTuple]];
const KERNEL_SIZE = ['kernelSize'];
type MaxPoolArgs = CtorArgs<KernelSize, [stride?: IntOrTuple | null, padding?: IntOrTuple, dilation?: IntOrTuple, returnIndices?: boolean, ceilMode?: boolean], MaxPoolOptions>;

/** The common base of max pooling (PyTorch's `_MaxPoolNd`). */
export abstract class _MaxPoolNd extends Module {
  kernelSize: IntOrTuple;
  stride: IntOrTuple;
  padding: IntOrTuple;
  dilation: IntOrTuple;
  returnIndices: boolean;
  ceilMode: boolean;

  constructor(...all: MaxPoolArgs) {
    super();
    const [[kernelSize], args] = requiredArgs(new.target.name, KERNEL_SIZE, all) as [[IntOrTuple], unknown[]];
    const o = parseArgs<MaxPoolOptions>(new.target.name, args, ['stride', 'padding', 'dilation', 'returnIndices', 'ceilMode']);
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.dilation = o.dilation ?? 1;
    this.returnIndices = o.returnIndices ?? false;
    this.ceilMode = o.ceilMode ?? false;
  }

  /** The pooled tensor, or [pooled, indices] when `returnIndices` is set. */
  abstract override forward(input: Tensor): Tensor | [Tensor, Tensor];

  protected pool(fn: typeof F.maxPool2d, input: Tensor): Tensor | [Tensor, Tensor] {
    const o = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
    return this.returnIndices ? fn(input, this.kernelSize, { ...o, returnIndices: true }) : fn(input, this.kernelSize, o);
  }

  override extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}, dilation=${pyStr(this.dilation)}, ceil_mode=${pyStr(this.ceilMode)}`;
  }
}

/** 1-D max pooling over (N, C, L) inputs. */
export class MaxPool1d extends _MaxPoolNd {
  override forward(input: Tensor): Tensor;
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return this.pool(F.maxPool1d, input);
  }
}
/** 2-D max pooling over (N, C, H, W) inputs: `new nn.MaxPool2d(2)`, `new nn.MaxPool2d(3, 2, 1)`. */
export class MaxPool2d extends _MaxPoolNd {
  override forward(input: Tensor): Tensor;
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return this.pool(F.maxPool2d, input);
  }
}
/** 3-D max pooling over (N, C, D, H, W) inputs. */
export class MaxPool3d extends _MaxPoolNd {
  override forward(input: Tensor): Tensor;
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return this.pool(F.maxPool3d, input);
  }
}

/** Keyword arguments of AvgPool1d/2d/3d. */
export interface AvgPoolOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** 1-D average pooling over (N, C, L) inputs. */
export class AvgPool1d extends Module {
  kernelSize: number[];
  stride: number[];
  padding: number[];
  ceilMode: boolean;
  countIncludePad: boolean;

  constructor(...all: CtorArgs<KernelSize, [stride?: IntOrTuple | null, padding?: IntOrTuple, ceilMode?: boolean, countIncludePad?: boolean], Omit<AvgPoolOptions, 'divisorOverride'>>) {
    super();
    const [[kernelSize], args] = requiredArgs('AvgPool1d', KERNEL_SIZE, all) as [[IntOrTuple], unknown[]];
    const o = parseArgs<AvgPoolOptions>('AvgPool1d', args, ['stride', 'padding', 'ceilMode', 'countIncludePad']);
    this.kernelSize = single(kernelSize);
    this.stride = single(o.stride ?? kernelSize);
    this.padding = single(o.padding ?? 0);
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
  }

  override forward(input: Tensor): Tensor {
    return F.avgPool1d(input, this.kernelSize, this.stride, this.padding, this.ceilMode, this.countIncludePad);
  }

  override extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}`;
  }
}

/** The common base of 2-D and 3-D average pooling. */
export abstract class _AvgPoolNd extends Module {
  kernelSize: IntOrTuple;
  stride: IntOrTuple;
  padding: IntOrTuple;
  ceilMode: boolean;
  countIncludePad: boolean;
  divisorOverride: number | null;

  constructor(...all: CtorArgs<KernelSize, [stride?: IntOrTuple | null, padding?: IntOrTuple, ceilMode?: boolean, countIncludePad?: boolean, divisorOverride?: number | null], AvgPoolOptions>) {
    super();
    const [[kernelSize], args] = requiredArgs(new.target.name, KERNEL_SIZE, all) as [[IntOrTuple], unknown[]];
    const o = parseArgs<AvgPoolOptions>(new.target.name, args, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
    this.divisorOverride = o.divisorOverride ?? null;
  }

  override extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}`;
  }
}

/** 2-D average pooling over (N, C, H, W) inputs. */
export class AvgPool2d extends _AvgPoolNd {
  override forward(input: Tensor): Tensor {
    return F.avgPool2d(input, this.kernelSize, this.stride, this.padding, this.ceilMode, this.countIncludePad, this.divisorOverride);
  }
}
/** 3-D average pooling over (N, C, D, H, W) inputs. */
export class AvgPool3d extends _AvgPoolNd {
  override forward(input: Tensor): Tensor {
    return F.avgPool3d(input, this.kernelSize, this.stride, this.padding, this.ceilMode, this.countIncludePad, this.divisorOverride);
  }
}

/** The common base of adaptive average pooling: the output has `outputSize` whatever the input size. */
export abstract class _AdaptiveAvgPoolNd extends Module {
  outputSize: F.AdaptiveSize;

  constructor(...all: CtorArgs<[['outputSize', F.AdaptiveSize]], [], object>) {
    super();
    const [[outputSize], args] = requiredArgs(new.target.name, ['outputSize'], all) as [[F.AdaptiveSize], unknown[]];
    parseArgs<object>(new.target.name, args, []);
    this.outputSize = outputSize;
  }

  override extraRepr(): string {
    return `output_size=${pyStr(this.outputSize)}`;
  }
}

/** 1-D adaptive average pooling. */
export class AdaptiveAvgPool1d extends _AdaptiveAvgPoolNd {
  override forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool1d(input, this.outputSize as number);
  }
}
/** 2-D adaptive average pooling: `new nn.AdaptiveAvgPool2d([1, 1])` (or 1) gives global average pooling. */
export class AdaptiveAvgPool2d extends _AdaptiveAvgPoolNd {
  override forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool2d(input, this.outputSize);
  }
}
/** 3-D adaptive average pooling. */
export class AdaptiveAvgPool3d extends _AdaptiveAvgPoolNd {
  override forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool3d(input, this.outputSize);
  }
}

/** The common base of adaptive max pooling. */
export abstract class _AdaptiveMaxPoolNd extends Module {
  outputSize: F.AdaptiveSize;
  returnIndices: boolean;

  constructor(...all: CtorArgs<[['outputSize', F.AdaptiveSize]], [returnIndices?: boolean], { returnIndices?: boolean }>) {
    super();
    const [[outputSize], args] = requiredArgs(new.target.name, ['outputSize'], all) as [[F.AdaptiveSize], unknown[]];
    this.outputSize = outputSize;
    this.returnIndices = parseArgs<{ returnIndices: boolean }>(new.target.name, args, ['returnIndices']).returnIndices ?? false;
  }

  /** The pooled tensor, or [pooled, indices] when `returnIndices` is set. */
  abstract override forward(input: Tensor): Tensor | [Tensor, Tensor];

  override extraRepr(): string {
    return `output_size=${pyStr(this.outputSize)}`;
  }
}

/** 1-D adaptive max pooling. */
export class AdaptiveMaxPool1d extends _AdaptiveMaxPoolNd {
  override forward(input: Tensor): Tensor;
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return this.returnIndices ? F.adaptiveMaxPool1d(input, this.outputSize, true) : F.adaptiveMaxPool1d(input, this.outputSize);
  }
}
/** 2-D adaptive max pooling. */
export class AdaptiveMaxPool2d extends _AdaptiveMaxPoolNd {
  override forward(input: Tensor): Tensor;
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return this.returnIndices ? F.adaptiveMaxPool2d(input, this.outputSize, true) : F.adaptiveMaxPool2d(input, this.outputSize);
  }
}
/** 3-D adaptive max pooling. */
export class AdaptiveMaxPool3d extends _AdaptiveMaxPoolNd {
  override forward(input: Tensor): Tensor;
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return this.returnIndices ? F.adaptiveMaxPool3d(input, this.outputSize, true) : F.adaptiveMaxPool3d(input, this.outputSize);
  }
}

markPureForward(MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d);
