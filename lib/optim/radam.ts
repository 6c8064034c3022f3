// RAdam: Adam with a rectified adaptive learning rate (torch.optim.RAdam).
import { N } from '../native';
import { Tensor } from '../tensor';
import { zerosLike } from '../creation';
import { Optimizer, ParamGroup, ParamsInput, Closure, bindOptions, OptionArgs, handles, own, scalarState } from './optimizer';
import { checkAdam } from './adam';

/** Options of RAdam (PyTorch's defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0). */
export interface RAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  /** Accepted for PyTorch compatibility; the update always runs as one fused native call per group. */
  foreach?: boolean | null;
}

/** A parameter group of RAdam. */
export interface RAdamParamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  foreach: boolean | null;
}

const OPTIONS = ['lr', 'betas', 'eps', 'weightDecay', 'foreach'] as const;

// Python's positional order of the options.
const POSITIONAL = ['lr', 'betas', 'eps', 'weightDecay', 'foreach'] as const;

/** Implements RAdam, as `torch.optim.RAdam` (PyTorch 1.13: weight decay added to the gradient). */
export class RAdam extends Optimizer<RAdamParamGroup> {
  protected static override readonly tensorStateKeys: readonly string[] = ['step'];

  constructor(params: ParamsInput<RAdamOptions>, ...args: OptionArgs<RAdamOptions, typeof POSITIONAL>) {
    const opts = bindOptions<RAdamOptions>('RAdam', args, POSITIONAL, OPTIONS);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, foreach = null } = opts;
    checkAdam(lr, betas, eps, weightDecay);
    super(params as ParamsInput, { lr, betas: [...betas], eps, weightDecay, foreach });
  }

  /** Performs one step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const params = this._withGrad(group);
      if (params.length === 0) continue;
      const s = this._stateHandles(
        params,
        (p) => ({ step: scalarState(0), exp_avg: own(zerosLike(p)), exp_avg_sq: own(zerosLike(p)) }),
        ['step', 'exp_avg', 'exp_avg_sq'],
      );
      const [beta1, beta2] = group.betas;
      N.optimRadam(handles(params), s.exp_avg, s.exp_avg_sq, s.step, { lr: group.lr, beta1, beta2, eps: group.eps, weightDecay: group.weightDecay });
    }
    return loss;
  }
}
