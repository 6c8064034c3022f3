// Flatten and Unflatten, as torch/nn/modules/flatten.py.
import { Tensor } from '../tensor';
import '../tensor_ops';
import { Module, markPureForward } from './module';
import { PyArgs, parseArgs, pyTuple } from './common';

/** Flattens dimensions startDim..endDim (default 1..-1) into one. */
export class Flatten extends Module {
  startDim: number;
  endDim: number;

  constructor(...args: PyArgs<[startDim?: number, endDim?: number], { startDim?: number; endDim?: number }>) {
    super();
    const o = parseArgs<{ startDim: number; endDim: number }>('Flatten', args, ['startDim', 'endDim']);
    this.startDim = o.startDim ?? 1;
    this.endDim = o.endDim ?? -1;
  }

  override forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Expands dimension `dim` into `unflattenedSize`. */
export class Unflatten extends Module {
  dim: number;
  unflattenedSize: number[];

  constructor(dim: number, unflattenedSize: number[]) {
    super();
    if (!Number.isInteger(dim)) throw new TypeError(`Unflatten(): dim must be an integer, but received ${String(dim)}`);
    if (!Array.isArray(unflattenedSize) || !unflattenedSize.every(Number.isInteger)) {
      throw new TypeError('unflattened_size must be a tuple of ints');
    }
    this.dim = dim;
    this.unflattenedSize = [...unflattenedSize];
  }

  override forward(input: Tensor): Tensor {
    return input.unflatten(this.dim, this.unflattenedSize);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattenedSize)}`;
  }
}

markPureForward(Flatten, Unflatten);
