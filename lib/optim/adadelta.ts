// Adadelta (torch.optim.Adadelta).
import { N } from '../native';
import { Tensor } from '../tensor';
import { zerosLike } from '../creation';
import { Optimizer, ParamGroup, ParamsInput, Closure, check, bindOptions, OptionArgs, countStep, fmt, handles, own } from './optimizer';

/** Options of Adadelta (PyTorch's defaults: lr 1.0, rho 0.9, eps 1e-6, weightDecay 0). */
export interface AdadeltaOptions {
  /** Scales the delta before it is applied. */
  lr?: number;
  /** Smoothing constant of the running averages. */
  rho?: number;
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
  /** Accepted for PyTorch compatibility; the update always runs as one fused native call per group. */
  foreach?: boolean | null;
}

/** A parameter group of Adadelta. */
export interface AdadeltaParamGroup extends ParamGroup {
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
  foreach: boolean | null;
}

const OPTIONS = ['lr', 'rho', 'eps', 'weightDecay', 'maximize', 'foreach'] as const;

// Python's positional order of the options.
const POSITIONAL = ['lr', 'rho', 'eps', 'weightDecay', 'foreach'] as const;

/** Implements Adadelta, as `torch.optim.Adadelta`. */
export class Adadelta extends Optimizer<AdadeltaParamGroup> {
  constructor(params: ParamsInput<AdadeltaOptions>, ...args: OptionArgs<AdadeltaOptions, typeof POSITIONAL>) {
    const opts = bindOptions<AdadeltaOptions>('Adadelta', args, POSITIONAL, OPTIONS);
    const { lr = 1.0, rho = 0.9, eps = 1e-6, weightDecay = 0, maximize = false, foreach = null } = opts;
    check(lr >= 0, `Invalid learning rate: ${fmt(lr)}`);
    check(rho >= 0 && rho <= 1, `Invalid rho value: ${fmt(rho)}`);
    check(eps >= 0, `Invalid epsilon value: ${fmt(eps)}`);
    check(weightDecay >= 0, `Invalid weight_decay value: ${fmt(weightDecay)}`);
    super(params as ParamsInput, { lr, rho, eps, weightDecay, maximize, foreach });
  }

  /** Performs one step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const params = this._withGrad(group);
      if (params.length === 0) continue;
      const s = this._stateHandles(
        params,
        (p) => ({ step: 0, square_avg: own(zerosLike(p)), acc_delta: own(zerosLike(p)) }),
        ['square_avg', 'acc_delta'],
        countStep,
      );
      N.optimAdadelta(handles(params), s.square_avg, s.acc_delta, {
        lr: group.lr, rho: group.rho, eps: group.eps, weightDecay: group.weightDecay, maximize: group.maximize,
      });
    }
    return loss;
  }
}
