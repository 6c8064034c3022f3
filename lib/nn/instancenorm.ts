// Instance normalization, as torch/nn/modules/instancenorm.py: InstanceNorm1d/2d/3d.
import { Tensor } from '../tensor';
import { markPureForward } from './module';
import { _NormBase, NormArgs } from './batchnorm';
import * as F from './functional';

/** The common base of InstanceNorm1d/2d/3d: no affine parameters or running stats by default. */
export abstract class _InstanceNorm extends _NormBase {
  protected constructor(name: string, args: readonly unknown[], private readonly noBatchDim: number) {
    super(name, args, false, false);
  }

  protected override _checkInputDim(input: Tensor): void {
    const d = input.dim();
    const n = this.noBatchDim;
    if (d !== n && d !== n + 1) throw new RangeError(`expected ${n}D or ${n + 1}D input (got ${d}D input)`);
  }

  private applyInstanceNorm(input: Tensor): Tensor {
    return F.instanceNorm(input, this.running_mean, this.running_var, this.weight, this.bias, this.training || !this.trackRunningStats, this.momentum ?? 0.1, this.eps);
  }

  override forward(input: Tensor): Tensor {
    this._checkInputDim(input);
    if (input.dim() === this.noBatchDim) {
      const u = input.unsqueeze(0);
      const r = this.applyInstanceNorm(u);
      const out = r.squeeze(0);
      u.dispose();
      r.dispose();
      return out;
    }
    return this.applyInstanceNorm(input);
  }
}

/** Instance normalization over (N, C, L) or (C, L) inputs. */
export class InstanceNorm1d extends _InstanceNorm {
  constructor(...args: NormArgs) {
    super('InstanceNorm1d', args, 2);
  }
}

/** Instance normalization over (N, C, H, W) or (C, H, W) inputs. */
export class InstanceNorm2d extends _InstanceNorm {
  constructor(...args: NormArgs) {
    super('InstanceNorm2d', args, 3);
  }
}

/** Instance normalization over (N, C, D, H, W) or (C, D, H, W) inputs. */
export class InstanceNorm3d extends _InstanceNorm {
  constructor(...args: NormArgs) {
    super('InstanceNorm3d', args, 4);
  }
}

markPureForward(InstanceNorm1d, InstanceNorm2d, InstanceNorm3d);
