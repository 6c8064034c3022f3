// AdamW: Adam with decoupled weight decay (torch.optim.AdamW).
import { Tensor } from '../tensor';
import { Optimizer, ParamsInput, Closure, bindOptions, OptionArgs } from './optimizer';
import { AdamOptions, AdamParamGroup, ADAM_OPTIONS, ADAM_POSITIONAL, adamGroupStep, checkAdam } from './adam';

/** Options of AdamW: Adam's, with weightDecay (default 1e-2) applied to the weights, not the gradient. */
export type AdamWOptions = AdamOptions;

/**
 * Implements AdamW, as `torch.optim.AdamW`: each step first shrinks the weights by `lr * weightDecay`, then
 * takes an Adam step on the plain gradient.
 */
export class AdamW extends Optimizer<AdamParamGroup> {
  protected static override readonly tensorStateKeys: readonly string[] = ['step'];

  constructor(params: ParamsInput<AdamWOptions>, ...args: OptionArgs<AdamWOptions, typeof ADAM_POSITIONAL>) {
    const opts = bindOptions<AdamWOptions>('AdamW', args, ADAM_POSITIONAL, ADAM_OPTIONS);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 1e-2, amsgrad = false, maximize = false, foreach = null } = opts;
    checkAdam(lr, betas, eps, weightDecay);
    super(params as ParamsInput, { lr, betas: [...betas], eps, weightDecay, amsgrad, foreach, maximize, capturable: false });
  }

  /** Performs one step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) adamGroupStep(this, group, true);
    return loss;
  }
}
