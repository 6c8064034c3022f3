// Grad mode and torch.autograd.
import { N, Handle } from './native';
import { Tensor, wrap, BackwardOptions } from './tensor';
import { describe, isComplex } from './dtype';
import { TorchError } from './errors';
import { parseArgs } from './args';
import { sizeStr } from './format';

import { runningBackward } from './autograd_function';

export { AutogradFunction as Function, FunctionCtx, FunctionClass, FunctionArgs, FunctionResult } from './autograd_function';

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`expected a function, but received ${describe(fn)}`);
  const prev = N.isGradEnabled();
  N.setGradEnabled(enabled);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    N.setGradEnabled(prev);
    throw err;
  }
  if (result instanceof Promise) {
    // An async body (a validation loop over a DataLoader) keeps the mode until it settles. The mode is per
    // thread, as in PyTorch, so whatever else runs in the meantime runs in it too.
    return result.finally(() => N.setGradEnabled(prev)) as T;
  }
  N.setGradEnabled(prev);
  return result;
}

/**
 * `with torch.no_grad():` — runs `fn` without recording operations for autograd; returns its value. An async
 * `fn` (`await torch.noGrad(async () => { for await (const [x, y] of valLoader) ... })`) runs without recording
 * until its promise settles; while it awaits, everything else on this thread runs without recording too.
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** `with torch.enable_grad():` — runs `fn` with autograd recording, even inside noGrad (async `fn` as in noGrad). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/** Whether autograd is recording operations now. */
export function isGradEnabled(): boolean {
  return N.isGradEnabled();
}

/** Turns autograd recording on or off (prefer noGrad/enableGrad, which restore the previous mode). */
export function setGradEnabled(enabled: boolean): void {
  if (typeof enabled !== 'boolean') throw new TypeError(`setGradEnabled(): expected a boolean, but received ${describe(enabled)}`);
  N.setGradEnabled(enabled);
}

/** Options of `torch.autograd.grad` (Python's keyword arguments). */
export interface GradOptions {
  gradOutputs?: Tensor | (Tensor | null)[] | null;
  retainGraph?: boolean | null;
  createGraph?: boolean;
  allowUnused?: boolean;
}

/** Options of `torch.autograd.backward` (Python's keyword arguments). */
export interface AutogradBackwardOptions extends BackwardOptions {
  gradTensors?: Tensor | (Tensor | null)[] | null;
}

function tensors(v: Tensor | Tensor[], what: string): Tensor[] {
  const list = Array.isArray(v) ? v : [v];
  for (const t of list) if (!(t instanceof Tensor)) throw new TypeError(`${what} must be Tensors, but received ${describe(t)}`);
  return list;
}

/**
 * The gradients handed to the engine, one per output (Python's `_make_grads`): each given gradient must have its
 * output's shape, and be complex exactly when the output is; a missing one is implicit for scalar outputs.
 */
function makeGrads(outputs: Tensor[], grads: Tensor | (Tensor | null)[] | null | undefined): (Handle | null)[] {
  const list = grads === undefined || grads === null ? outputs.map(() => null) : Array.isArray(grads) ? grads : [grads];
  // A count that differs from the outputs' is the engine's error ("got 2 tensors and 1 gradients").
  return list.map((g, i) => {
    if (g === null || g === undefined) return null;
    if (!(g instanceof Tensor)) throw new TypeError(`gradients can be either Tensors or null, but received ${describe(g)}`);
    const out = outputs[i];
    if (out === undefined) return g.handle;
    const [gs, os] = [g.shape, out.shape];
    if (gs.length !== os.length || gs.some((d, k) => d !== os[k])) {
      throw new TorchError(`Mismatch in shape: grad_output[${i}] has a shape of ${sizeStr(gs)} and output[${i}] has a shape of ${sizeStr(os)}.`);
    }
    if (isComplex(g.dtype) !== isComplex(out.dtype)) {
      throw new TorchError(
        'For complex Tensors, both grad_output and output are required to have the same dtype. ' +
          `Mismatch in dtype: grad_output[${i}] has a dtype of torch.${g.dtype} and output[${i}] has a dtype of torch.${out.dtype}.`,
      );
    }
    return g.handle;
  });
}

/** @internal Runs the backward pass of `outputs` (arguments bound already, as Tensor.backward binds them). */
export function runBackward(outputs: Tensor[], grads: Tensor | (Tensor | null)[] | null | undefined, opts: BackwardOptions): void {
  let inputs: Handle[] | undefined;
  if (opts.inputs !== undefined && opts.inputs !== null) {
    const list = tensors(opts.inputs, 'inputs');
    if (list.length === 0) throw new TorchError("'inputs' argument to backward() cannot be empty.");
    inputs = list.map((t) => t.handle);
  }
  const gs = makeGrads(outputs, grads);
  runningBackward(() => N.backward(outputs.map((t) => t.handle), gs, opts.retainGraph ?? undefined, opts.createGraph ?? false, inputs));
}

/**
 * `torch.autograd.grad(outputs, inputs, grad_outputs)`: the gradients of `outputs` with respect to `inputs` (null
 * for unused inputs when `allowUnused`). `gradOutputs` may also be given in the options.
 */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], ...args: [GradOptions?] | [Tensor | (Tensor | null)[] | null | undefined, GradOptions?]): (Tensor | null)[] {
  const a = parseArgs<GradOptions>('grad', args, ['gradOutputs'], ['retainGraph', 'createGraph', 'allowUnused']);
  const outs = tensors(outputs, 'outputs');
  const ins = tensors(inputs, 'inputs');
  const result = runningBackward(() =>
    N.autogradGrad(
      outs.map((t) => t.handle),
      ins.map((t) => t.handle),
      makeGrads(outs, a.gradOutputs),
      a.retainGraph ?? undefined,
      a.createGraph ?? false,
      a.allowUnused ?? false,
    ),
  );
  return result.map((h) => (h === null ? null : wrap(h)));
}

/**
 * `torch.autograd.backward(tensors, grad_tensors)`: accumulates the gradients of `tensors` into the graph's
 * leaves (or only into `inputs`). `gradTensors` may also be given in the options.
 */
export function backward(outputs: Tensor | Tensor[], ...args: [AutogradBackwardOptions?] | [Tensor | (Tensor | null)[] | null | undefined, BackwardOptions?]): void {
  const a = parseArgs<AutogradBackwardOptions>('backward', args, ['gradTensors'], ['retainGraph', 'createGraph', 'inputs']);
  runBackward(tensors(outputs, 'tensors'), a.gradTensors, a);
}

function checkBool(v: unknown, fn: string, what: string): void {
  if (typeof v !== 'boolean') throw new TypeError(`${fn}(): ${what} must be a boolean, but received ${describe(v)}`);
}

/**
 * `torch.autograd.set_detect_anomaly(mode, check_nan)`: turns anomaly detection on or off for the whole process.
 * When on, autograd records where each node was made, and with `checkNan` a backward function that returns NaN
 * raises a TorchError naming it ("Function 'SqrtBackward0' returned nan values in its 0th output.").
 */
export function setDetectAnomaly(enabled: boolean, checkNan = true): void {
  checkBool(enabled, 'setDetectAnomaly', 'mode');
  checkBool(checkNan, 'setDetectAnomaly', 'checkNan');
  N.setAnomalyEnabled(enabled, checkNan);
}

/** Whether anomaly detection is on (`torch.is_anomaly_enabled()`). */
export function isAnomalyEnabled(): boolean {
  return N.isAnomalyEnabled();
}

/** Whether anomaly detection checks backward outputs for NaN (`torch.is_anomaly_check_nan_enabled()`). */
export function isAnomalyCheckNanEnabled(): boolean {
  return N.isAnomalyCheckNanEnabled();
}

/**
 * `with torch.autograd.detect_anomaly(check_nan):` — runs `fn` with anomaly detection on, then restores the
 * previous mode; returns what `fn` returns. The mode is process-wide, as in PyTorch.
 */
export function detectAnomaly<T>(fn: () => T, opts: { checkNan?: boolean } = {}): T {
  if (typeof fn !== 'function') throw new TypeError(`detectAnomaly(): expected a function, but received ${describe(fn)}`);
  const checkNan = opts?.checkNan === undefined ? true : opts.checkNan;
  checkBool(checkNan, 'detectAnomaly', 'checkNan');
  const prev = N.isAnomalyEnabled();
  const prevCheckNan = N.isAnomalyCheckNanEnabled();
  N.setAnomalyEnabled(true, checkNan);
  try {
    return fn();
  } finally {
    N.setAnomalyEnabled(prev, prevCheckNan);
  }
}
