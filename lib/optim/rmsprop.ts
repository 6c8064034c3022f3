// RMSprop (torch.optim.RMSprop), optionally centered and with momentum.
import { N } from '../native';
import { Tensor } from '../tensor';
import { zerosLike } from '../creation';
import { Optimizer, ParamGroup, ParamsInput, Closure, check, bindOptions, OptionArgs, countStep, fmt, handles, own } from './optimizer';

/** Options of RMSprop (PyTorch's defaults: lr 1e-2, alpha 0.99, eps 1e-8, weightDecay 0, momentum 0). */
export interface RMSpropOptions {
  lr?: number;
  /** Smoothing constant of the running average of the squared gradient. */
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment. */
  centered?: boolean;
  maximize?: boolean;
  /** Accepted for PyTorch compatibility; the update always runs as one fused native call per group. */
  foreach?: boolean | null;
}

/** A parameter group of RMSprop. */
export interface RMSpropParamGroup extends ParamGroup {
  momentum: number;
  alpha: number;
  eps: number;
  centered: boolean;
  weightDecay: number;
  foreach: boolean | null;
  maximize: boolean;
  differentiable: boolean;
}

const OPTIONS = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize', 'foreach'] as const;

// Python's positional order of the options.
const POSITIONAL = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'foreach', 'maximize'] as const;

/** Implements RMSprop, as `torch.optim.RMSprop`. */
export class RMSprop extends Optimizer<RMSpropParamGroup> {
  constructor(params: ParamsInput<RMSpropOptions>, ...args: OptionArgs<RMSpropOptions, typeof POSITIONAL>) {
    const opts = bindOptions<RMSpropOptions>('RMSprop', args, POSITIONAL, OPTIONS);
    const { lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false, maximize = false, foreach = null } = opts;
    check(lr >= 0, `Invalid learning rate: ${fmt(lr)}`);
    check(eps >= 0, `Invalid epsilon value: ${fmt(eps)}`);
    check(momentum >= 0, `Invalid momentum value: ${fmt(momentum)}`);
    check(weightDecay >= 0, `Invalid weight_decay value: ${fmt(weightDecay)}`);
    check(alpha >= 0, `Invalid alpha value: ${fmt(alpha)}`);
    super(params as ParamsInput, { lr, momentum, alpha, eps, centered, weightDecay, foreach, maximize, differentiable: false });
  }

  /** Performs one step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const params = this._withGrad(group);
      if (params.length === 0) continue;
      const names = ['square_avg'];
      if (group.momentum > 0) names.push('momentum_buffer');
      if (group.centered) names.push('grad_avg');
      const s: Record<string, number[]> = this._stateHandles(params, (p) => ({ step: 0, square_avg: own(zerosLike(p)) }), names, countStep);
      N.optimRmsprop(handles(params), s.square_avg, s.grad_avg ?? [], s.momentum_buffer ?? [], {
        lr: group.lr, alpha: group.alpha, eps: group.eps, weightDecay: group.weightDecay, momentum: group.momentum,
        centered: group.centered, maximize: group.maximize,
      });
    }
    return loss;
  }
}
