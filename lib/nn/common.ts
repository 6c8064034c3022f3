// Helpers shared by torch.nn: Python-style argument binding (positional values, then one options object),
// the n-tuple expanders of torch/nn/modules/utils.py, and Python's formatting of values in module reprs.
import { Tensor } from '../tensor';
import { TorchError } from '../errors';
import { empty, TensorOptions } from '../creation';
import { describe } from '../dtype';
import { isOptions } from '../args';
export { isOptions, parseArgs } from '../args';
export { sizeStr, pyFloat, pyTuple, pyStr, pyOptFloat, typename } from '../format';
import type { Module } from './module';
import { Parameter, ownedParameter } from './parameter';

type Prefixes<P extends unknown[], Acc extends unknown[] = []> = P extends [infer H, ...infer R] ? Acc | Prefixes<R, [...Acc, H]> : Acc;
type WithOptions<U, O> = U extends unknown[] ? U | [...U, O] : never;

/**
 * The optional arguments of a PyTorch function or constructor: any prefix of the positional ones `P`, optionally
 * followed by one options object `O` (Python's keyword arguments, camelCase). `nn.Conv2d(3, 8, 3, 1, 1)` and
 * `nn.Conv2d(3, 8, 3, { padding: 1 })` both type-check.
 */
export type PyArgs<P extends unknown[], O> = WithOptions<Prefixes<Required<P>>, O>;

type Values<R extends [string, unknown][]> = { [I in keyof R]: R[I] extends [string, infer T] ? T : never };
type Named<R extends [string, unknown][]> = R extends [[infer K extends string, infer T], ...infer Rest extends [string, unknown][]] ? { [k in K]: T } & Named<Rest> : unknown;
type ByName<R extends [string, unknown][], O, Done extends [string, unknown][] = []> = R extends [infer H extends [string, unknown], ...infer T extends [string, unknown][]]
  ? [...Values<Done>, O & Named<R>] | ByName<T, O, [...Done, H]>
  : never;

/**
 * The arguments of a constructor with required ones (`R`: each one's name and type, in order): all of them by
 * position, then PyArgs<P, O>; or the first few by position and the rest by name in the options object, as Python
 * allows: `nn.Conv2d(3, 6, kernel_size=5)` is `new nn.Conv2d(3, 6, { kernelSize: 5 })`.
 */
export type CtorArgs<R extends [string, unknown][], P extends unknown[], O> = [...Values<R>, ...PyArgs<P, O>] | ByName<R, O>;

/**
 * Binds CtorArgs: the values of the required arguments `names` (by position, or taken out of the options object)
 * and the arguments after them (PyArgs, for parseArgs).
 */
export function requiredArgs(what: string, names: readonly string[], args: readonly unknown[]): [unknown[], unknown[]] {
  const at = args.findIndex((a, i) => i < names.length && isOptions(a));
  let values: unknown[];
  let rest: unknown[];
  if (at < 0) {
    values = args.slice(0, names.length);
    rest = args.slice(names.length);
  } else {
    if (args.slice(at + 1).some((a) => a !== undefined)) throw new TypeError(`${what}: positional arguments cannot follow the options object`);
    const opts = { ...(args[at] as Record<string, unknown>) };
    const twice = names.slice(0, at).find((n) => opts[n] !== undefined);
    if (twice !== undefined) throw new TypeError(`${what}: got multiple values for argument '${twice}'`);
    values = args.slice(0, at);
    for (const name of names.slice(at)) {
      values.push(opts[name]);
      delete opts[name];
    }
    rest = [opts];
  }
  const missing = names.filter((_, i) => values[i] === undefined);
  if (missing.length > 0) throw new TypeError(`${what}: missing required argument${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(' and ')}`);
  return [values, rest];
}

/** An int or a tuple of ints, as PyTorch's `_size_2_t`. */
export type IntOrTuple = number | number[];

/** Expands an int to an n-tuple; a tuple is copied as is (PyTorch's `_ntuple`). */
export function ntuple(v: IntOrTuple, n: number): number[] {
  return Array.isArray(v) ? [...v] : new Array<number>(n).fill(v);
}

/** `_single`: an int as a 1-tuple. */
export const single = (v: IntOrTuple): number[] => ntuple(v, 1);
/** `_pair`: an int as a 2-tuple. */
export const pair = (v: IntOrTuple): number[] => ntuple(v, 2);
/** `_triple`: an int as a 3-tuple. */
export const triple = (v: IntOrTuple): number[] => ntuple(v, 3);

/** Checks that a value is a Tensor, with PyTorch's wording. */
export function checkTensor(v: unknown, fn: string, arg = 'input'): Tensor {
  if (v instanceof Tensor) return v;
  throw new TypeError(`${fn}(): argument '${arg}' must be Tensor, not ${describe(v)}`);
}

/** Checks an optional Tensor argument (null or undefined allowed). */
export function checkOptionalTensor(v: unknown, fn: string, arg: string): Tensor | null {
  if (v === undefined || v === null) return null;
  return checkTensor(v, fn, arg);
}

// ---- Python's formatting, for module reprs and error messages ----

// ---- layer helpers ----

/** Options every layer with parameters takes: where and in which dtype to create them. */
export interface FactoryOptions {
  device?: TensorOptions['device'];
  dtype?: TensorOptions['dtype'];
}

/** @internal Creates an uninitialised parameter of the given shape. */
export function newParameter(shape: number[], f: FactoryOptions): Parameter {
  return ownedParameter(empty(shape, { device: f.device, dtype: f.dtype }));
}

/**
 * @internal Rethrows a LibTorch shape error of `layer` with the layer and both shapes in front of PyTorch's
 * own message: "Linear(in_features=512, out_features=10, bias=True): input of shape [2, 3] does not match
 * weight of shape [10, 512]: mat1 and mat2 shapes cannot be multiplied (2x3 and 512x10)".
 */
export function shapeError(layer: Module, input: Tensor, weight: Tensor, err: unknown): unknown {
  if (!(err instanceof TorchError) || input.isDisposed) return err;
  const e = new TorchError(`${layer.toString()}: input of shape [${input.shape.join(', ')}] does not match weight of shape [${weight.shape.join(', ')}]: ${err.message}`);
  Object.defineProperty(e, 'cause', { value: err, enumerable: false });
  return e;
}

