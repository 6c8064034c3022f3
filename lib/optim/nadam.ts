// NAdam: Adam with Nesterov momentum (torch.optim.NAdam).
import { N } from '../native';
import { Tensor } from '../tensor';
import { zerosLike } from '../creation';
import { Optimizer, ParamGroup, ParamsInput, Closure, check, bindOptions, OptionArgs, fmt, handles, own, scalarState } from './optimizer';
import { checkAdam } from './adam';

/** Options of NAdam (PyTorch's defaults: lr 2e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0, momentumDecay 4e-3). */
export interface NAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  momentumDecay?: number;
  /** Accepted for PyTorch compatibility; the update always runs as one fused native call per group. */
  foreach?: boolean | null;
}

/** A parameter group of NAdam. */
export interface NAdamParamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  momentumDecay: number;
  foreach: boolean | null;
}

const OPTIONS = ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay', 'foreach'] as const;

// Python's positional order of the options.
const POSITIONAL = ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay', 'foreach'] as const;

/** Implements NAdam, as `torch.optim.NAdam` (PyTorch 1.13: no maximize, weight decay added to the gradient). */
export class NAdam extends Optimizer<NAdamParamGroup> {
  protected static override readonly tensorStateKeys: readonly string[] = ['step', 'mu_product'];

  constructor(params: ParamsInput<NAdamOptions>, ...args: OptionArgs<NAdamOptions, typeof POSITIONAL>) {
    const opts = bindOptions<NAdamOptions>('NAdam', args, POSITIONAL, OPTIONS);
    const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, momentumDecay = 4e-3, foreach = null } = opts;
    checkAdam(lr, betas, eps, weightDecay);
    check(momentumDecay >= 0, `Invalid momentum_decay value: ${fmt(momentumDecay)}`);
    super(params as ParamsInput, { lr, betas: [...betas], eps, weightDecay, momentumDecay, foreach });
  }

  /** Performs one step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const params = this._withGrad(group);
      if (params.length === 0) continue;
      const s = this._stateHandles(
        params,
        (p) => ({ step: scalarState(0), mu_product: scalarState(1), exp_avg: own(zerosLike(p)), exp_avg_sq: own(zerosLike(p)) }),
        ['step', 'mu_product', 'exp_avg', 'exp_avg_sq'],
      );
      const [beta1, beta2] = group.betas;
      N.optimNadam(handles(params), s.exp_avg, s.exp_avg_sq, s.mu_product, s.step, {
        lr: group.lr, beta1, beta2, eps: group.eps, weightDecay: group.weightDecay, momentumDecay: group.momentumDecay,
      });
    }
    return loss;
  }
}
