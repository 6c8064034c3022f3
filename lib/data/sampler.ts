// Samplers: which sample indices a DataLoader reads, in which order, as in torch.utils.data.sampler.
import { describe } from '../dtype';
import { tensor, multinomial } from '../creation';
import { Generator, drawSeed } from './generator';
import { permutation } from './dataset';

/** Something with a length, such as a Dataset. */
export interface Sized {
  readonly length: number;
}

/** Iterates over indices (or, for a BatchSampler, lists of indices) of a dataset. */
export abstract class Sampler<T = number> implements Iterable<T> {
  /** The number of items one pass yields. */
  abstract get length(): number;
  abstract [Symbol.iterator](): Iterator<T>;
}

function checkPositiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new RangeError(`${what} should be a positive integer value, but got ${what}=${describe(v)}`);
  }
  return v;
}

function checkGenerator(g: unknown, who: string): Generator | undefined {
  if (g !== undefined && g !== null && !(g instanceof Generator)) throw new TypeError(`${who}: generator must be a torch.Generator, but received ${describe(g)}`);
  return (g as Generator | null) ?? undefined;
}

/** 0, 1, ..., n-1 in order. */
export class SequentialSampler extends Sampler<number> {
  constructor(readonly dataSource: Sized) {
    super();
  }

  get length(): number {
    return this.dataSource.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    for (let i = 0; i < n; i++) yield i;
  }
}

/** Options of RandomSampler. */
export interface RandomSamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** How many indices to draw (default: the dataset's length). */
  numSamples?: number;
  /** The generator to draw from (default: torch's global generator). */
  generator?: Generator;
}

/** The indices in a random order (a new permutation each pass), or drawn with replacement. */
export class RandomSampler extends Sampler<number> {
  /** Whether indices are drawn with replacement. */
  readonly replacement: boolean;
  /** The generator, if one was given. */
  readonly generator?: Generator;
  private readonly requested?: number;

  constructor(
    readonly dataSource: Sized,
    opts: RandomSamplerOptions = {},
  ) {
    super();
    if (opts.replacement !== undefined && typeof opts.replacement !== 'boolean') throw new TypeError(`replacement should be a boolean value, but got replacement=${describe(opts.replacement)}`);
    this.replacement = opts.replacement ?? false;
    this.generator = checkGenerator(opts.generator, 'RandomSampler()');
    if (opts.numSamples !== undefined) this.requested = checkPositiveInt(opts.numSamples, 'numSamples');
    if (!(this.numSamples > 0)) throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${this.numSamples}`);
  }

  /** The number of indices a pass draws. */
  get numSamples(): number {
    return this.requested ?? this.dataSource.length;
  }

  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    const total = this.numSamples;
    // As PyTorch's: without a generator, each pass seeds a new one from torch's global generator.
    const generator = this.generator ?? new Generator().manualSeed(drawSeed());
    if (n === 0) throw new RangeError('RandomSampler(): cannot draw samples from an empty dataset');
    if (this.replacement) {
      for (let done = 0; done < total; done++) yield generator.randint(0, n);
      return;
    }
    for (let i = 0; i < Math.floor(total / n); i++) yield* generator.randperm(n);
    // PyTorch draws the last, partial permutation even when nothing of it is left to take.
    yield* generator.randperm(n).slice(0, total % n);
  }
}

/** The given indices in a random order. */
export class SubsetRandomSampler extends Sampler<number> {
  /** The generator, if one was given. */
  readonly generator?: Generator;

  constructor(
    readonly indices: number[],
    opts: { generator?: Generator } = {},
  ) {
    super();
    if (!Array.isArray(indices) || !indices.every(Number.isInteger)) throw new TypeError('SubsetRandomSampler(): indices must be an array of integers');
    this.generator = checkGenerator(opts.generator, 'SubsetRandomSampler()');
  }

  get length(): number {
    return this.indices.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (const i of permutation(this.indices.length, this.generator)) yield this.indices[i];
  }
}

/**
 * Draws `numSamples` indices in [0, weights.length) with probabilities proportional to `weights`. Without a
 * generator it draws with torch.multinomial (PyTorch's sequence); with one, by inverse CDF in JavaScript.
 */
export class WeightedRandomSampler extends Sampler<number> {
  /** The weights, as float64 numbers. */
  readonly weights: number[];
  /** The generator, if one was given. */
  readonly generator?: Generator;

  constructor(
    weights: ArrayLike<number>,
    readonly numSamples: number,
    readonly replacement = true,
    opts: { generator?: Generator } = {},
  ) {
    super();
    checkPositiveInt(numSamples, 'numSamples');
    if (typeof replacement !== 'boolean') throw new TypeError(`replacement should be a boolean value, but got replacement=${describe(replacement)}`);
    this.weights = Array.from(weights, Number);
    if (this.weights.some((w) => !(w >= 0) || !Number.isFinite(w))) throw new RangeError('WeightedRandomSampler(): weights must be finite and non-negative');
    if (!this.weights.some((w) => w > 0)) throw new RangeError('WeightedRandomSampler(): at least one weight must be positive');
    if (!replacement && numSamples > this.weights.filter((w) => w > 0).length) {
      throw new RangeError('WeightedRandomSampler(): cannot draw more samples than there are positive weights without replacement');
    }
    this.generator = checkGenerator(opts.generator, 'WeightedRandomSampler()');
  }

  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    // As PyTorch's: torch.multinomial over the float64 weights, from the generator if one was given.
    const w = tensor(Float64Array.from(this.weights));
    const t = multinomial(w, this.numSamples, this.replacement, { generator: this.generator });
    const values = Array.from(t.dataSync() as BigInt64Array, Number);
    w.dispose();
    t.dispose();
    yield* values;
  }
}

/** Groups the indices of another sampler into lists of `batchSize`. */
export class BatchSampler extends Sampler<number[]> {
  constructor(
    readonly sampler: Iterable<number> & Partial<Sized>,
    readonly batchSize: number,
    readonly dropLast: boolean,
  ) {
    super();
    if (!sampler || typeof (sampler as Iterable<number>)[Symbol.iterator] !== 'function') throw new TypeError(`BatchSampler(): sampler must be iterable, but received ${describe(sampler)}`);
    checkPositiveInt(batchSize, 'batchSize');
    if (typeof dropLast !== 'boolean') throw new TypeError(`dropLast should be a boolean value, but got dropLast=${describe(dropLast)}`);
  }

  get length(): number {
    const n = this.sampler.length;
    if (n === undefined) throw new TypeError('BatchSampler: the sampler has no length');
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
