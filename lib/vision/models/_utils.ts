// Helpers shared by the model files: torchvision's _make_divisible, and the bookkeeping that lets a model's
// forward free the intermediates it made and nobody else saw (as Sequential does), which keeps a training step on
// the CPU from piling up tensors that only the garbage collector would otherwise release.
import { Tensor } from '../../tensor';
import { cat } from '../../functions';
import { Module, isPureForward } from '../../nn/module';

/**
 * The nearest multiple of `divisor` to `v` (at least `minValue`, and not more than 10% below `v`), as torchvision's
 * `_make_divisible` (from the original TensorFlow MobileNet code).
 */
export function makeDivisible(v: number, divisor: number, minValue: number | null = null): number {
  const min = minValue ?? divisor;
  let newV = Math.max(min, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (newV < 0.9 * v) newV += divisor;
  return newV;
}

/** A step of a forward: a module, or a function of one tensor that keeps no reference to it (a library op). */
export type Step = Module | ((x: Tensor) => Tensor);

/**
 * @internal Whether what `step` returns may be freed by whoever consumes it, and whether `step` may see a tensor
 * that is freed afterwards: true for library modules without hooks, and for op functions.
 */
export function isPure(step: Step | null | undefined): boolean {
  if (step === null || step === undefined) return true;
  return step instanceof Module ? isPureForward(step) : true;
}

function apply(step: Step, x: Tensor): Tensor {
  return step instanceof Module ? (step.forward(x) as Tensor) : step(x);
}

/**
 * @internal Runs the steps in order, as Sequential.forward: the output of a pure step is freed once the next pure
 * step has consumed it. The input is freed only if `ownsInput` (it is itself an intermediate of the caller).
 * Returns the last output; `owned(result, steps)` tells whether the caller may free it.
 */
export function run(input: Tensor, steps: readonly (Step | null | undefined)[], ownsInput = false): Tensor {
  return runOwned(input, steps, ownsInput)[0];
}

/**
 * @internal Like `run`, also returning whether the result is an intermediate the caller may free (made by pure
 * steps, not the input unless `ownsInput`).
 */
export function runOwned(input: Tensor, steps: readonly (Step | null | undefined)[], ownsInput = false): [Tensor, boolean] {
  let x = input;
  let xFreeable = ownsInput;
  for (const s of steps) {
    if (s === null || s === undefined) continue;
    const pure = isPure(s);
    const y = apply(s, x);
    if (xFreeable && pure && y !== x) x.dispose();
    // An in-place step returns its input: it stays freeable only if that step was pure too.
    xFreeable = y !== x ? pure : xFreeable && pure;
    x = y;
  }
  return [x, xFreeable];
}

/** @internal Frees `t` when `freeable` and it is none of `keep` (the inputs and outputs the caller hands on). */
export function release(t: Tensor | null | undefined, freeable: boolean, ...keep: (Tensor | null | undefined)[]): void {
  if (t && freeable && !keep.includes(t)) t.dispose();
}

/** Python's round() of a float to an int: halves go to the even neighbour. */
export function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * @internal Runs each chain of steps on `x` and concatenates the results along dimension 1 (an Inception block),
 * freeing what the chains made.
 */
export function catBranches(x: Tensor, chains: readonly (readonly (Step | null | undefined)[])[]): Tensor {
  const outs = chains.map((c) => runOwned(x, c));
  const out = cat(outs.map(([t]) => t), 1);
  for (const [t, owned] of outs) release(t, owned, x, out);
  return out;
}

/** @internal Whether every step is pure (so a tensor they all saw may be freed). */
export function allPure(...steps: (Step | null | undefined)[]): boolean {
  return steps.every(isPure);
}
