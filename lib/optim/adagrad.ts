// Adagrad (torch.optim.Adagrad).
import { N } from '../native';
import { Tensor } from '../tensor';
import { fullLike } from '../creation';
import { Optimizer, ParamGroup, ParamsInput, ParamGroupInput, Closure, check, bindOptions, OptionArgs, fmt, handles, own, scalarState } from './optimizer';

/** Options of Adagrad (PyTorch's defaults: lr 1e-2, lrDecay 0, weightDecay 0, initialAccumulatorValue 0, eps 1e-10). */
export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  /** The starting value of every sum of squared gradients. */
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
  /** Accepted for PyTorch compatibility; the update always runs as one fused native call per group. */
  foreach?: boolean | null;
}

/** A parameter group of Adagrad. */
export interface AdagradParamGroup extends ParamGroup {
  lrDecay: number;
  eps: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  foreach: boolean | null;
  maximize: boolean;
}

const OPTIONS = ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize', 'foreach'] as const;

// Python's positional order of the options.
const POSITIONAL = ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'foreach'] as const;

/** Implements Adagrad, as `torch.optim.Adagrad`. Its state is created for every parameter up front. */
export class Adagrad extends Optimizer<AdagradParamGroup> {
  protected static override readonly tensorStateKeys: readonly string[] = ['step'];

  constructor(params: ParamsInput<AdagradOptions>, ...args: OptionArgs<AdagradOptions, typeof POSITIONAL>) {
    const opts = bindOptions<AdagradOptions>('Adagrad', args, POSITIONAL, OPTIONS);
    const { lr = 1e-2, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0, eps = 1e-10, maximize = false, foreach = null } = opts;
    check(lr >= 0, `Invalid learning rate: ${fmt(lr)}`);
    check(lrDecay >= 0, `Invalid lr_decay value: ${fmt(lrDecay)}`);
    check(weightDecay >= 0, `Invalid weight_decay value: ${fmt(weightDecay)}`);
    check(initialAccumulatorValue >= 0, `Invalid initial_accumulator_value value: ${fmt(initialAccumulatorValue)}`);
    check(eps >= 0, `Invalid epsilon value: ${fmt(eps)}`);
    super(params as ParamsInput, { lr, lrDecay, eps, weightDecay, initialAccumulatorValue, foreach, maximize });
  }

  /** Adds a group and creates its parameters' state (the sums start at the group's initial value). */
  override addParamGroup(paramGroup: ParamGroupInput): void {
    super.addParamGroup(paramGroup);
    this.initState(this.paramGroups[this.paramGroups.length - 1]);
  }

  private initState(group: AdagradParamGroup): void {
    for (const p of group.params) {
      const state = this._stateOf(p);
      if (Object.keys(state).length > 0) continue;
      state.step = scalarState(0);
      state.sum = own(fullLike(p, group.initialAccumulatorValue));
    }
  }

  /** Performs one step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const params = this._withGrad(group);
      if (params.length === 0) continue;
      const sums: number[] = [];
      const steps: number[] = [];
      for (const p of params) {
        const state = this._stateOf(p);
        sums.push((state.sum as Tensor).handle);
        steps.push((state.step as Tensor).handle);
      }
      N.optimAdagrad(handles(params), sums, steps, {
        lr: group.lr, lrDecay: group.lrDecay, eps: group.eps, weightDecay: group.weightDecay, maximize: group.maximize,
      });
    }
    return loss;
  }
}
