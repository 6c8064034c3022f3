// Stochastic gradient descent, optionally with momentum (Nesterov too): torch.optim.SGD.
import { N } from '../native';
import { Tensor, wrap } from '../tensor';
import { Optimizer, ParamGroup, ParamsInput, Closure, required, check, bindOptions, OptionArgs, fmt, handles, own } from './optimizer';

/** Options of SGD (PyTorch's defaults: momentum 0, dampening 0, weightDecay 0, nesterov false). */
export interface SGDOptions {
  /** Learning rate; required here or in every parameter group. */
  lr?: number;
  momentum?: number;
  dampening?: number;
  /** L2 penalty added to the gradient. */
  weightDecay?: number;
  nesterov?: boolean;
  /** Maximize the objective instead of minimizing it. */
  maximize?: boolean;
  /** Accepted for PyTorch compatibility; the update always runs as one fused native call per group. */
  foreach?: boolean | null;
}

/** A parameter group of SGD. */
export interface SGDParamGroup extends ParamGroup {
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
  foreach: boolean | null;
  differentiable: boolean;
}

const OPTIONS = ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize', 'foreach'] as const;

// Python's positional order of the options.
const POSITIONAL = ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov'] as const;

/**
 * Implements stochastic gradient descent (optionally with momentum), as `torch.optim.SGD`:
 * `new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })`.
 */
export class SGD extends Optimizer<SGDParamGroup> {
  constructor(params: ParamsInput<SGDOptions>, ...args: OptionArgs<SGDOptions, typeof POSITIONAL>) {
    const opts = bindOptions<SGDOptions>('SGD', args, POSITIONAL, OPTIONS);
    const { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false, maximize = false, foreach = null } = opts;
    check(lr === undefined || !(lr < 0), `Invalid learning rate: ${fmt(lr)}`);
    check(!(momentum < 0), `Invalid momentum value: ${fmt(momentum)}`);
    check(!(weightDecay < 0), `Invalid weight_decay value: ${fmt(weightDecay)}`);
    if (nesterov && (momentum <= 0 || dampening !== 0)) throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
    super(params as ParamsInput, {
      lr: lr ?? required, momentum, dampening, weightDecay, nesterov, maximize, foreach, differentiable: false,
    });
  }

  /** Performs one step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const params = this._withGrad(group);
      if (params.length === 0) continue;
      const bufs = params.map((p) => {
        const b = this.state.get(p)?.momentum_buffer;
        return b instanceof Tensor ? b.handle : null;
      });
      const created = N.optimSgd(handles(params), bufs, {
        lr: group.lr, momentum: group.momentum, dampening: group.dampening, weightDecay: group.weightDecay,
        nesterov: group.nesterov, maximize: group.maximize,
      });
      for (let i = 0; i < params.length; i++) {
        const state = this._stateOf(params[i]);
        const h = created[i];
        if (h !== null) state.momentum_buffer = own(wrap(h));
        else if (!('momentum_buffer' in state)) state.momentum_buffer = null;
      }
    }
    return loss;
  }
}
