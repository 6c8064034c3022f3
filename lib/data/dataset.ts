// Datasets: the map-style Dataset base class, TensorDataset, Subset, ConcatDataset and randomSplit, as in
// torch.utils.data.dataset.
import { Tensor } from '../tensor';
import { describe } from '../dtype';
import { randperm, tensor } from '../creation';
import { Generator } from './generator';

/** @internal A dataset that can produce a whole batch at once (used by the DataLoader with the default collate). */
export const kGetBatch = Symbol('torch-node.data.getBatch');
/** @internal A dataset that can produce a sample in a form the default collate batches faster. */
export const kGetBatchable = Symbol('torch-node.data.getBatchable');

/**
 * A map-style dataset: subclasses define `length` and `getItem(i)` (which may return a Promise), as PyTorch's
 * `__len__` and `__getitem__`.
 */
export abstract class Dataset<T = unknown> {
  /** The number of samples. */
  abstract get length(): number;

  /** The sample at `index` (0 <= index < length). */
  abstract getItem(index: number): T | Promise<T>;

  /** @internal Throws a RangeError unless `index` is a valid sample index. */
  protected checkIndex(index: number): number {
    if (!Number.isInteger(index)) throw new TypeError(`${this.constructor.name}.getItem(): index must be an integer, but received ${describe(index)}`);
    const n = this.length;
    if (index < -n || index >= n) throw new RangeError(`${this.constructor.name}.getItem(): index ${index} is out of range for a dataset of ${n} samples`);
    return index < 0 ? index + n : index;
  }

  /** This dataset followed by `other` (Python's `dataset + other`). */
  concat<U>(other: Dataset<U>): ConcatDataset<T | U> {
    return new ConcatDataset<T | U>([this, other]);
  }

  /** The samples, read one after the other (Python's `for x in dataset`). */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (let i = 0; i < this.length; i++) yield await this.getItem(i);
  }
}

/** Wraps tensors that share their first dimension; sample i is `[t0[i], t1[i], ...]`. */
export class TensorDataset extends Dataset<Tensor[]> {
  /** The wrapped tensors. */
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new TypeError('TensorDataset(): expected at least one tensor');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset(): argument ${i} must be a Tensor, but received ${describe(t)}`);
      if (t.dim() === 0) throw new RangeError(`TensorDataset(): tensor ${i} has no first dimension`);
    });
    const n = tensors[0].shape[0];
    tensors.forEach((t, i) => {
      if (t.shape[0] !== n) throw new RangeError(`Size mismatch between tensors: tensor 0 has ${n} samples but tensor ${i} has ${t.shape[0]}`);
    });
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  getItem(index: number): Tensor[] {
    const i = this.checkIndex(index);
    return this.tensors.map((t) => t.select(0, i));
  }

  /** @internal The batch of `indices` in one index_select per tensor. */
  [kGetBatch](indices: number[]): Tensor[] {
    const idx = tensor(BigInt64Array.from(indices, (i) => BigInt(i)));
    try {
      return this.tensors.map((t) => t.indexSelect(0, idx));
    } finally {
      idx.dispose();
    }
  }
}

/** The samples of `dataset` at `indices`, in that order. */
export class Subset<T> extends Dataset<T> {
  constructor(
    readonly dataset: Dataset<T>,
    readonly indices: number[],
  ) {
    super();
    if (!(dataset instanceof Dataset)) throw new TypeError(`Subset(): dataset must be a Dataset, but received ${describe(dataset)}`);
    if (!Array.isArray(indices) || !indices.every(Number.isInteger)) throw new TypeError('Subset(): indices must be an array of integers');
  }

  get length(): number {
    return this.indices.length;
  }

  getItem(index: number): T | Promise<T> {
    return this.dataset.getItem(this.indices[this.checkIndex(index)]);
  }

  /** @internal Passes the batchable form of the wrapped dataset through. */
  [kGetBatchable](index: number): T | Promise<T> {
    return batchableItem(this.dataset, this.indices[this.checkIndex(index)]);
  }
}

/** @internal A sample in the form the default collate batches fastest, when the dataset offers one. */
export function batchableItem<T>(dataset: Dataset<T>, index: number): T | Promise<T> {
  const d = dataset as Dataset<T> & { [kGetBatchable]?: (i: number) => T | Promise<T> };
  return d[kGetBatchable] ? d[kGetBatchable](index) : d.getItem(index);
}

/** Several datasets one after the other. */
export class ConcatDataset<T> extends Dataset<T> {
  /** The datasets. */
  readonly datasets: Dataset<T>[];
  /** Running totals of the datasets' lengths. */
  readonly cumulativeSizes: number[];

  constructor(datasets: Dataset<T>[]) {
    super();
    if (!Array.isArray(datasets) || datasets.length === 0) throw new TypeError('ConcatDataset(): datasets should not be an empty iterable');
    datasets.forEach((d, i) => {
      if (!(d instanceof Dataset)) throw new TypeError(`ConcatDataset(): datasets[${i}] must be a Dataset, but received ${describe(d)}`);
    });
    this.datasets = datasets;
    let total = 0;
    this.cumulativeSizes = datasets.map((d) => (total += d.length));
  }

  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1];
  }

  getItem(index: number): T | Promise<T> {
    const [d, i] = this.locate(index);
    return d.getItem(i);
  }

  /** @internal Passes the batchable form of the wrapped datasets through. */
  [kGetBatchable](index: number): T | Promise<T> {
    const [d, i] = this.locate(index);
    return batchableItem(d, i);
  }

  private locate(index: number): [Dataset<T>, number] {
    const i = this.checkIndex(index);
    let lo = 0;
    let hi = this.cumulativeSizes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulativeSizes[mid] > i) hi = mid;
      else lo = mid + 1;
    }
    const start = lo === 0 ? 0 : this.cumulativeSizes[lo - 1];
    return [this.datasets[lo], i - start];
  }
}

/** @internal A permutation of 0..n-1 from `generator`, or from torch's global generator. */
export function permutation(n: number, generator?: Generator): number[] {
  if (generator) return generator.randperm(n);
  const p = randperm(n);
  const out = Array.from(p.dataSync() as BigInt64Array, Number);
  p.dispose();
  return out;
}

/**
 * Splits a dataset into non-overlapping random subsets of the given lengths (counts, or fractions that sum to
 * 1, as in PyTorch 1.13); `generator` makes the split reproducible (otherwise torch's global generator draws it).
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: number[], opts: { generator?: Generator } = {}): Subset<T>[] {
  if (!(dataset instanceof Dataset)) throw new TypeError(`randomSplit(): dataset must be a Dataset, but received ${describe(dataset)}`);
  const n = dataset.length;
  let counts = lengths;
  const sum = lengths.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) <= 1e-9 && sum <= 1) {
    if (lengths.some((f) => f < 0 || f > 1)) throw new RangeError('randomSplit(): fractions must be between 0 and 1');
    counts = lengths.map((f) => Math.floor(n * f));
    let remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; remainder > 0; i = (i + 1) % counts.length, remainder--) counts[i] += 1;
  }
  if (!counts.every((c) => Number.isInteger(c) && c >= 0)) throw new TypeError('randomSplit(): lengths must be non-negative integers or fractions summing to 1');
  if (counts.reduce((a, b) => a + b, 0) !== n) throw new RangeError(`randomSplit(): sum of input lengths (${counts.reduce((a, b) => a + b, 0)}) does not equal the length of the input dataset (${n})`);
  const perm = permutation(n, opts.generator);
  let offset = 0;
  return counts.map((c) => new Subset(dataset, perm.slice(offset, (offset += c))));
}
