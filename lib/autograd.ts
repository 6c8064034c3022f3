// Grad mode and torch.autograd.
import { N } from './native';
import { Tensor, wrap } from './tensor';
import { describe } from './dtype';

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`expected a function, but received ${describe(fn)}`);
  const prev = N.isGradEnabled();
  N.setGradEnabled(enabled);
  try {
    return fn();
  } finally {
    N.setGradEnabled(prev);
  }
}

/** `with torch.no_grad():` — runs `fn` without recording operations for autograd; returns its value. */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** `with torch.enable_grad():` — runs `fn` with autograd recording, even inside noGrad. */
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

/** Options of `torch.autograd.grad`. */
export interface GradOptions {
  gradOutputs?: Tensor | (Tensor | null)[] | null;
  retainGraph?: boolean;
  createGraph?: boolean;
  allowUnused?: boolean;
}

function tensors(v: Tensor | Tensor[], what: string): Tensor[] {
  const list = Array.isArray(v) ? v : [v];
  for (const t of list) if (!(t instanceof Tensor)) throw new TypeError(`${what} must be Tensors, but received ${describe(t)}`);
  return list;
}

/** The gradients of `outputs` with respect to `inputs` (null for unused inputs when allowUnused). */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts: GradOptions = {}): (Tensor | null)[] {
  const outs = tensors(outputs, 'outputs');
  const ins = tensors(inputs, 'inputs');
  const go = opts.gradOutputs === undefined || opts.gradOutputs === null ? outs.map(() => null) : Array.isArray(opts.gradOutputs) ? opts.gradOutputs : [opts.gradOutputs];
  const result = N.autogradGrad(
    outs.map((t) => t.handle),
    ins.map((t) => t.handle),
    go.map((t) => (t ? t.handle : null)),
    opts.retainGraph,
    opts.createGraph ?? false,
    opts.allowUnused ?? false,
  );
  return result.map((h) => (h === null ? null : wrap(h)));
}

/** `torch.autograd.backward(tensors, grad_tensors)`. */
export function backward(outputs: Tensor | Tensor[], gradTensors?: Tensor | (Tensor | null)[] | null, opts: { retainGraph?: boolean; createGraph?: boolean; inputs?: Tensor[] } = {}): void {
  const outs = tensors(outputs, 'tensors');
  const gs = gradTensors === undefined || gradTensors === null ? outs.map(() => null) : Array.isArray(gradTensors) ? gradTensors : [gradTensors];
  N.backward(outs.map((t) => t.handle), gs.map((t) => (t ? t.handle : null)), opts.retainGraph, opts.createGraph ?? false, opts.inputs?.map((t) => t.handle));
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
