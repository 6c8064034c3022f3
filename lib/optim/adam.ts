// Adam and its shared update with AdamW: torch.optim.Adam.
import { N } from '../native';
import { Tensor } from '../tensor';
import { zerosLike } from '../creation';
import { Optimizer, ParamGroup, ParamsInput, Closure, check, bindOptions, OptionArgs, fmt, handles, own, scalarState } from './optimizer';

/** Options of Adam (PyTorch's defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0). */
export interface AdamOptions {
  lr?: number;
  /** Coefficients of the running averages of the gradient and its square. */
  betas?: [number, number];
  eps?: number;
  /** L2 penalty added to the gradient (AdamW decouples it instead). */
  weightDecay?: number;
  /** The AMSGrad variant (keeps the maximum of the second moment). */
  amsgrad?: boolean;
  maximize?: boolean;
  /** Accepted for PyTorch compatibility; the update always runs as one fused native call per group. */
  foreach?: boolean | null;
}

/** A parameter group of Adam or AdamW. */
export interface AdamParamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  foreach: boolean | null;
  capturable: boolean;
}

/** @internal The option names Adam and AdamW accept. */
export const ADAM_OPTIONS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize', 'foreach'] as const;
/** @internal Python's positional order of Adam's and AdamW's options. */
export const ADAM_POSITIONAL = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad'] as const;

/** @internal Validates Adam-style hyperparameters with PyTorch's messages. */
export function checkAdam(lr: number, betas: readonly number[], eps: number, weightDecay: number): void {
  check(lr >= 0, `Invalid learning rate: ${fmt(lr)}`);
  check(eps >= 0, `Invalid epsilon value: ${fmt(eps)}`);
  if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError(`betas must be a pair of numbers, but received ${fmt(betas)}`);
  check(betas[0] >= 0 && betas[0] < 1, `Invalid beta parameter at index 0: ${fmt(betas[0])}`);
  check(betas[1] >= 0 && betas[1] < 1, `Invalid beta parameter at index 1: ${fmt(betas[1])}`);
  check(weightDecay >= 0, `Invalid weight_decay value: ${fmt(weightDecay)}`);
}

/** @internal One Adam or AdamW step over a group: state creation here, the arithmetic in one native call. */
export function adamGroupStep(opt: Optimizer<AdamParamGroup>, group: AdamParamGroup, decoupled: boolean): void {
  const params = opt._withGrad(group);
  if (params.length === 0) return;
  const s = opt._stateHandles(
    params,
    (p) => ({ step: scalarState(0), exp_avg: own(zerosLike(p)), exp_avg_sq: own(zerosLike(p)) }),
    group.amsgrad ? ['step', 'exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] : ['step', 'exp_avg', 'exp_avg_sq'],
  );
  const [beta1, beta2] = group.betas;
  N.optimAdam(handles(params), s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq ?? [], s.step, {
    lr: group.lr, beta1, beta2, eps: group.eps, weightDecay: group.weightDecay, amsgrad: group.amsgrad,
    maximize: group.maximize, decoupled,
  });
}

/** Implements Adam, as `torch.optim.Adam`: `new optim.Adam(model.parameters(), { lr: 1e-3 })`. */
export class Adam extends Optimizer<AdamParamGroup> {
  protected static override readonly tensorStateKeys: readonly string[] = ['step'];

  constructor(params: ParamsInput<AdamOptions>, ...args: OptionArgs<AdamOptions, typeof ADAM_POSITIONAL>) {
    const opts = bindOptions<AdamOptions>('Adam', args, ADAM_POSITIONAL, ADAM_OPTIONS);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, amsgrad = false, maximize = false, foreach = null } = opts;
    checkAdam(lr, betas, eps, weightDecay);
    super(params as ParamsInput, {
      lr, betas: [...betas], eps, weightDecay, amsgrad, maximize, foreach, capturable: false, differentiable: false, fused: false,
    });
  }

  /** Performs one step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) adamGroupStep(this, group, false);
    return loss;
  }
}
