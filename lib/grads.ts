// Clearing gradients (`zero_grad`), shared by optimizers and modules.
import { N } from './native';
import { Tensor } from './tensor';
import { describe } from './dtype';
import { parseArgs } from './args';

/**
 * The default of `zero_grad`'s set_to_none in the PyTorch of the LibTorch torch-node runs on: true since
 * PyTorch 2.0, false before (1.13 zeroes the gradients, which changes momentum trajectories of unused parameters).
 */
export const SET_TO_NONE_DEFAULT = Number(N.version().libtorch.split('.')[0]) >= 2;

/**
 * `zero_grad(set_to_none)` for `optimizer.zeroGrad()` and `module.zeroGrad()`: the arguments bound as
 * Python's (`zeroGrad(false)` or `zeroGrad({ setToNone: false })`), then each gradient set to null or zeroed in
 * place (cut from any graph first, as PyTorch does).
 */
export function zeroGrads(fn: string, params: Iterable<Tensor>, args: readonly unknown[]): void {
  const setToNone = parseArgs<{ setToNone: boolean }>(fn, args, ['setToNone']).setToNone ?? SET_TO_NONE_DEFAULT;
  if (typeof setToNone !== 'boolean') throw new TypeError(`${fn}(): setToNone must be a boolean, but received ${describe(setToNone)}`);
  for (const p of params) {
    if (setToNone) {
      N.setGrad(p.handle, null);
      continue;
    }
    const g = p.grad;
    if (g === null) continue;
    if (g.gradFn !== null) g.detach_();
    else g.requiresGrad = false;
    g.zero_();
    g.dispose();
  }
}
