// Gradient clipping (torch.nn.utils.clip_grad_norm_ and clip_grad_value_), over any iterable of tensors.
import { N } from '../../native';
import { Tensor, wrap } from '../../tensor';
import { describe } from '../../dtype';

/** Options of clipGradNorm_. */
export interface ClipGradNormOptions {
  /** The p of the p-norm (default 2); Infinity or 'inf' for the largest absolute value. */
  normType?: number | 'inf';
  /** Throw if the total norm is NaN or infinite instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
}

/** @internal The tensors of `parameters` (a tensor or an iterable of them). */
export function tensorList(parameters: Tensor | Iterable<Tensor>, fn: string): Tensor[] {
  if (parameters instanceof Tensor) return [parameters];
  if (parameters === null || typeof parameters !== 'object' || typeof (parameters as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${fn}(): parameters must be a Tensor or an iterable of Tensors, but received ${describe(parameters)}`);
  }
  const list = Array.from(parameters);
  for (const p of list) if (!(p instanceof Tensor)) throw new TypeError(`${fn}(): parameters must be Tensors, but one is ${describe(p)}`);
  return list;
}

function finiteNumber(v: unknown, what: string, fn: string): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${fn}(): ${what} must be a number, but received ${describe(v)}`);
  return v;
}

/**
 * Scales the gradients of `parameters` in place so that their total norm (as if concatenated into one vector)
 * is at most `maxNorm`; returns the total norm before clipping. Parameters without a gradient are skipped.
 */
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, opts: ClipGradNormOptions = {}): Tensor {
  const params = tensorList(parameters, 'clipGradNorm_');
  const max = finiteNumber(maxNorm, 'maxNorm', 'clipGradNorm_');
  const normType = opts.normType === 'inf' ? Infinity : finiteNumber(opts.normType ?? 2, 'normType', 'clipGradNorm_');
  const errorIfNonfinite = opts.errorIfNonfinite ?? false;
  if (typeof errorIfNonfinite !== 'boolean') throw new TypeError(`clipGradNorm_(): errorIfNonfinite must be a boolean, but received ${describe(errorIfNonfinite)}`);
  return wrap(N.clipGradNorm(params.map((p) => p.handle), max, normType, errorIfNonfinite));
}

/** Clamps the gradients of `parameters` in place into `[-clipValue, clipValue]`. */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  const params = tensorList(parameters, 'clipGradValue_');
  N.clipGradValue(params.map((p) => p.handle), finiteNumber(clipValue, 'clipValue', 'clipGradValue_'));
}
