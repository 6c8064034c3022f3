// Adamax: Adam with the infinity norm (torch.optim.Adamax).
import { N } from '../native';
import { Tensor } from '../tensor';
import { zerosLike } from '../creation';
import { Optimizer, ParamGroup, ParamsInput, Closure, bindOptions, OptionArgs, handles, own, scalarState } from './optimizer';
import { checkAdam } from './adam';

/** Options of Adamax (PyTorch's defaults: lr 2e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0). */
export interface AdamaxOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
  /** Accepted for PyTorch compatibility; the update always runs as one fused native call per group. */
  foreach?: boolean | null;
}

/** A parameter group of Adamax. */
export interface AdamaxParamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  foreach: boolean | null;
  maximize: boolean;
}

const OPTIONS = ['lr', 'betas', 'eps', 'weightDecay', 'maximize', 'foreach'] as const;

// Python's positional order of the options.
const POSITIONAL = ['lr', 'betas', 'eps', 'weightDecay', 'foreach'] as const;

/** Implements Adamax, as `torch.optim.Adamax`. */
export class Adamax extends Optimizer<AdamaxParamGroup> {
  protected static override readonly tensorStateKeys: readonly string[] = ['step'];

  constructor(params: ParamsInput<AdamaxOptions>, ...args: OptionArgs<AdamaxOptions, typeof POSITIONAL>) {
    const opts = bindOptions<AdamaxOptions>('Adamax', args, POSITIONAL, OPTIONS);
    const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, maximize = false, foreach = null } = opts;
    checkAdam(lr, betas, eps, weightDecay);
    super(params as ParamsInput, { lr, betas: [...betas], eps, weightDecay, foreach, maximize });
  }

  /** Performs one step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const params = this._withGrad(group);
      if (params.length === 0) continue;
      const s = this._stateHandles(
        params,
        (p) => ({ step: scalarState(0), exp_avg: own(zerosLike(p)), exp_inf: own(zerosLike(p)) }),
        ['step', 'exp_avg', 'exp_inf'],
      );
      const [beta1, beta2] = group.betas;
      N.optimAdamax(handles(params), s.exp_avg, s.exp_inf, s.step, {
        lr: group.lr, beta1, beta2, eps: group.eps, weightDecay: group.weightDecay, maximize: group.maximize,
      });
    }
    return loss;
  }
}
