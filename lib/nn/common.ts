// Helpers shared by torch.nn: Python-style argument binding (positional values, then one options object),
// the n-tuple expanders of torch/nn/modules/utils.py, and Python's formatting of values in module reprs.
import { Tensor } from '../tensor';
import { TorchError } from '../errors';
import { empty, TensorOptions } from '../creation';
import { describe } from '../dtype';
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

