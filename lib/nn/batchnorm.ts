// Batch normalization, as torch/nn/modules/batchnorm.py: BatchNorm1d/2d/3d over a shared _NormBase.
import { Tensor } from '../tensor';
import { zeros, ones, tensor } from '../creation';
import { Module, markPureForward } from './module';
import { Parameter } from './parameter';
import { CtorArgs, requiredArgs, parseArgs, pyFloat, pyOptFloat, FactoryOptions, newParameter } from './common';
import * as F from './functional';
import * as init from './init';

/** Keyword arguments of the batch and instance normalization layers. */
export interface NormOptions extends FactoryOptions {
  eps?: number;
  /** The running-average factor; null for a cumulative average. */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
}
/** @internal The optional arguments of the batch and instance norm constructors. */
export type NormArgs = CtorArgs<[['numFeatures', number]], [eps?: number, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean], NormOptions>;

/** The common base of batch and instance normalization (PyTorch's `_NormBase`): parameters, running stats. */
export abstract class _NormBase extends Module {
  numFeatures: number;
  eps: number;
  momentum: number | null;
  affine: boolean;
  trackRunningStats: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;

  protected constructor(name: string, all: readonly unknown[], affineDefault: boolean, trackDefault: boolean) {
    super();
    const [[numFeatures], args] = requiredArgs(name, ['numFeatures'], all) as [[number], unknown[]];
    const o = parseArgs<NormOptions>(name, args, ['eps', 'momentum', 'affine', 'trackRunningStats'], ['device', 'dtype']);
    this.numFeatures = numFeatures;
    this.eps = o.eps ?? 1e-5;
    this.momentum = o.momentum === undefined ? 0.1 : o.momentum;
    this.affine = o.affine ?? affineDefault;
    this.trackRunningStats = o.trackRunningStats ?? trackDefault;
    if (this.affine) {
      this.weight = newParameter([numFeatures], o);
      this.bias = newParameter([numFeatures], o);
    } else {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', zeros([numFeatures], { device: o.device, dtype: o.dtype }));
      this.registerBuffer('running_var', ones([numFeatures], { device: o.device, dtype: o.dtype }));
      this.registerBuffer('num_batches_tracked', tensor(0n, { device: o.device }));
    } else {
      this.registerBuffer('running_mean', null);
      this.registerBuffer('running_var', null);
      this.registerBuffer('num_batches_tracked', null);
    }
    this.resetParameters();
  }

  /** Resets running_mean to 0, running_var to 1 and num_batches_tracked to 0. */
  resetRunningStats(): void {
    if (this.trackRunningStats) {
      init.zeros_(this.running_mean as Tensor);
      init.ones_(this.running_var as Tensor);
      init.zeros_(this.num_batches_tracked as Tensor);
    }
  }

  /** Resets the running statistics, and weight to 1 and bias to 0. */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.affine) {
      init.ones_(this.weight as Parameter);
      init.zeros_(this.bias as Parameter);
    }
  }

  /** @internal Throws when the input has the wrong number of dimensions. */
  protected abstract _checkInputDim(input: Tensor): void;

  override extraRepr(): string {
    const b = (v: boolean) => (v ? 'True' : 'False');
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyOptFloat(this.momentum)}, affine=${b(this.affine)}, track_running_stats=${b(this.trackRunningStats)}`;
  }

  /** State dicts older than num_batches_tracked (no version metadata) load with it set to 0, as in PyTorch. */
  protected override _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, strict: boolean, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[]): void {
    if (this.trackRunningStats) {
      const key = `${prefix}num_batches_tracked`;
      if (!stateDict.has(key)) stateDict.set(key, tensor(0n));
    }
    super._loadFromStateDict(stateDict, prefix, strict, missingKeys, unexpectedKeys, errorMsgs);
  }
}

/** The common base of BatchNorm1d/2d/3d (PyTorch's `_BatchNorm`). */
export abstract class _BatchNorm extends _NormBase {
  protected constructor(name: string, args: readonly unknown[]) {
    super(name, args, true, true);
  }

  override forward(input: Tensor): Tensor {
    this._checkInputDim(input);
    let factor = this.momentum === null ? 0.0 : this.momentum;
    if (this.training && this.trackRunningStats && this.num_batches_tracked !== null) {
      this.num_batches_tracked.add_(1);
      if (this.momentum === null) factor = 1.0 / this.num_batches_tracked.item();
    }
    const bnTraining = this.training ? true : this.running_mean === null && this.running_var === null;
    const useStats = !this.training || this.trackRunningStats;
    return F.batchNorm(input, useStats ? this.running_mean : null, useStats ? this.running_var : null, this.weight, this.bias, bnTraining, factor, this.eps);
  }
}

/** Batch normalization over (N, C) or (N, C, L) inputs. */
export class BatchNorm1d extends _BatchNorm {
  constructor(...args: NormArgs) {
    super('BatchNorm1d', args);
  }
  protected override _checkInputDim(input: Tensor): void {
    if (input.dim() !== 2 && input.dim() !== 3) throw new RangeError(`expected 2D or 3D input (got ${input.dim()}D input)`);
  }
}

/** Batch normalization over (N, C, H, W) inputs. */
export class BatchNorm2d extends _BatchNorm {
  constructor(...args: NormArgs) {
    super('BatchNorm2d', args);
  }
  protected override _checkInputDim(input: Tensor): void {
    if (input.dim() !== 4) throw new RangeError(`expected 4D input (got ${input.dim()}D input)`);
  }
}

/** Batch normalization over (N, C, D, H, W) inputs. */
export class BatchNorm3d extends _BatchNorm {
  constructor(...args: NormArgs) {
    super('BatchNorm3d', args);
  }
  protected override _checkInputDim(input: Tensor): void {
    if (input.dim() !== 5) throw new RangeError(`expected 5D input (got ${input.dim()}D input)`);
  }
}

markPureForward(BatchNorm1d, BatchNorm2d, BatchNorm3d);
