// DataLoader: batches of a dataset, loaded concurrently ahead of the consumer, as torch.utils.data.DataLoader.
// Loading is asynchronous (image decoding runs on libuv's thread pool), so "workers" are samples in flight
// rather than processes; each batch is handed over through a macrotask, so that timers and I/O run between steps.
import { Tensor } from '../tensor';
import { describe } from '../dtype';
import { N } from '../native';
import { Dataset, kGetBatch, kGetBatchable } from './dataset';
import { Sampler, SequentialSampler, RandomSampler, BatchSampler, Sized } from './sampler';
import { defaultCollate, Collated, PendingImageTensor } from './collate';
import { Generator, withGenerator, drawSeed } from './generator';

/** Options of the DataLoader (PyTorch's keyword arguments in camelCase). */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1); null turns automatic batching off (each sample is collated alone). */
  batchSize?: number | null;
  /** Reshuffle the samples every epoch (default false). */
  shuffle?: boolean;
  /** The order of sample indices (exclusive with shuffle). */
  sampler?: Iterable<number> & Partial<Sized>;
  /** Lists of indices, one per batch (exclusive with batchSize, shuffle, sampler and dropLast). */
  batchSampler?: Iterable<number[]> & Partial<Sized>;
  /**
   * How many samples are loaded concurrently (decoding runs on libuv's pool: raise UV_THREADPOOL_SIZE, default
   * 4, to decode on more cores). 0 loads one sample at a time. Default: the libuv pool size.
   */
  numWorkers?: number;
  /** Merges a list of samples into a batch (default: defaultCollate). */
  collateFn?: (samples: T[]) => B;
  /** Copies batches into page-locked memory (only with a CUDA build; ignored otherwise, as in PyTorch). */
  pinMemory?: boolean;
  /** Drops the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Milliseconds to wait for a batch before rejecting (default 0: wait forever). */
  timeout?: number;
  /** Batches prepared ahead of the one being consumed (default 2). */
  prefetchFactor?: number;
  /** The generator for shuffling and for the per-sample generators of random transforms (default: torch's). */
  generator?: Generator;
  /** A seed for a fresh generator: the same as `generator: new Generator().manualSeed(seed)`. */
  seed?: number;
}

const OPTION_NAMES = new Set(['batchSize', 'shuffle', 'sampler', 'batchSampler', 'numWorkers', 'collateFn', 'pinMemory', 'dropLast', 'timeout', 'prefetchFactor', 'generator', 'seed', 'persistentWorkers', 'workerInitFn', 'multiprocessingContext', 'pinMemoryDevice']);

function defaultWorkers(): number {
  const n = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n > 0 ? n : 4;
}

function isIterable(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function';
}

function lengthOf(v: unknown): number | undefined {
  const n = (v as Partial<Sized>).length;
  return typeof n === 'number' ? n : undefined;
}

/** Where a sample came from, for error messages: the dataset's `samples[i][0]` path when it has one. */
function describeSample(dataset: Dataset<unknown>, index: number): string {
  const samples = (dataset as unknown as { samples?: unknown }).samples;
  if (Array.isArray(samples) && Array.isArray(samples[index]) && typeof samples[index][0] === 'string') return `sample ${index} (${samples[index][0]})`;
  return `sample ${index}`;
}

/**
 * Combines a dataset and a sampler and iterates over batches: `for await (const [x, y] of loader)`.
 * Samples are loaded concurrently (numWorkers in flight) and batches prepared ahead (prefetchFactor), in
 * order. Breaking out of the loop stops the background work; an error while loading rejects the iteration
 * with the failing sample named. Each batch is handed over in a macrotask, so a training loop over the loader
 * keeps flat memory without explicit frees.
 *
 * Differences from PyTorch: "workers" are samples in flight in this process, not processes. Image decoding
 * runs on libuv's thread pool, which has 4 threads unless the environment variable UV_THREADPOOL_SIZE (read
 * when the process starts: `UV_THREADPOOL_SIZE=8 node train.js`) says otherwise; set it to about the number
 * of cores, and numWorkers to at least that. numWorkers defaults to the pool size rather than 0. Each sample's
 * random transforms draw from their own generator seeded from the loader's generator (or torch's global one)
 * and the sample's position in the epoch, so a seeded run gives the same batches whatever numWorkers is.
 * Image datasets whose transform ends with ToTensor (optionally followed by Normalize) hand the decoded pixels
 * to the default collate, which converts a whole batch in one pass.
 */
export class DataLoader<T = unknown, B = Collated<T>> implements AsyncIterable<B> {
  /** The dataset. */
  readonly dataset: Dataset<T>;
  /** Samples per batch, or null without automatic batching. */
  readonly batchSize: number | null;
  /** Whether the last incomplete batch is dropped. */
  readonly dropLast: boolean;
  /** The order of sample indices. */
  readonly sampler: Iterable<number> & Partial<Sized>;
  /** The lists of indices, one per batch (null without automatic batching). */
  readonly batchSampler: (Iterable<number[]> & Partial<Sized>) | null;
  /** Samples loaded concurrently. */
  readonly numWorkers: number;
  /** Batches prepared ahead. */
  readonly prefetchFactor: number;
  /** Whether batches are pinned. */
  readonly pinMemory: boolean;
  /** Milliseconds to wait for one batch (0: forever). */
  readonly timeout: number;
  /** The generator, if one was given. */
  readonly generator?: Generator;
  /** The collate function. */
  readonly collateFn: (samples: T[]) => B;
  private readonly defaultCollate: boolean;

  constructor(dataset: Dataset<T>, opts: DataLoaderOptions<T, B> = {}) {
    // 1. validate arguments
    if (!(dataset instanceof Dataset)) throw new TypeError(`DataLoader(): dataset must be a Dataset, but received ${describe(dataset)}`);
    if (opts === null || typeof opts !== 'object') throw new TypeError(`DataLoader(): options must be an object, but received ${describe(opts)}`);
    for (const key of Object.keys(opts)) {
      if (!OPTION_NAMES.has(key)) {
        const near = [...OPTION_NAMES].find((k) => k.toLowerCase() === key.toLowerCase().replace(/_/g, ''));
        throw new TypeError(`DataLoader(): unknown option "${key}"${near ? ` (did you mean "${near}"?)` : ''}`);
      }
    }
    const o = opts as DataLoaderOptions<T, B> & Record<string, unknown>;
    if (o.persistentWorkers || o.workerInitFn || o.multiprocessingContext) {
      throw new TypeError('DataLoader(): persistentWorkers, workerInitFn and multiprocessingContext have no meaning here: samples load asynchronously in this process');
    }
    // 2. interpret options
    this.dataset = dataset;
    const batchSize = opts.batchSize === undefined ? 1 : opts.batchSize;
    if (batchSize !== null && (!Number.isInteger(batchSize) || batchSize <= 0)) throw new RangeError(`batchSize should be a positive integer value, but got batchSize=${describe(batchSize)}`);
    this.dropLast = opts.dropLast ?? false;
    if (typeof this.dropLast !== 'boolean') throw new TypeError(`dropLast should be a boolean value, but got dropLast=${describe(this.dropLast)}`);
    const numWorkers = opts.numWorkers ?? defaultWorkers();
    if (!Number.isInteger(numWorkers) || numWorkers < 0) throw new RangeError(`numWorkers option should be non-negative; use numWorkers=0 to load one sample at a time (got ${describe(numWorkers)})`);
    this.numWorkers = numWorkers;
    this.prefetchFactor = opts.prefetchFactor ?? 2;
    if (!Number.isInteger(this.prefetchFactor) || this.prefetchFactor < 1) throw new RangeError(`prefetchFactor option should be a positive integer (got ${describe(opts.prefetchFactor)})`);
    this.timeout = opts.timeout ?? 0;
    if (typeof this.timeout !== 'number' || !(this.timeout >= 0)) throw new RangeError(`timeout option should be non-negative (got ${describe(opts.timeout)})`);
    this.pinMemory = opts.pinMemory ?? false;
    if (opts.generator !== undefined && opts.seed !== undefined) throw new TypeError('DataLoader(): give generator or seed, not both');
    if (opts.generator !== undefined && !(opts.generator instanceof Generator)) throw new TypeError(`DataLoader(): generator must be a torch.Generator, but received ${describe(opts.generator)}`);
    this.generator = opts.seed !== undefined ? new Generator().manualSeed(opts.seed) : opts.generator;
    if (opts.sampler !== undefined && opts.shuffle) throw new TypeError('sampler option is mutually exclusive with shuffle');
    if (opts.sampler !== undefined && !isIterable(opts.sampler)) throw new TypeError(`DataLoader(): sampler must be iterable, but received ${describe(opts.sampler)}`);
    if (opts.batchSampler !== undefined) {
      if (!isIterable(opts.batchSampler)) throw new TypeError(`DataLoader(): batchSampler must be iterable, but received ${describe(opts.batchSampler)}`);
      if ((opts.batchSize !== undefined && opts.batchSize !== 1) || opts.shuffle || opts.sampler !== undefined || opts.dropLast) {
        throw new TypeError('batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast');
      }
    }
    this.sampler = opts.sampler ?? (opts.shuffle ? new RandomSampler(dataset, { generator: this.generator }) : new SequentialSampler(dataset));
    if (opts.batchSampler !== undefined) {
      this.batchSize = null;
      this.batchSampler = opts.batchSampler;
    } else {
      this.batchSize = batchSize;
      this.batchSampler = batchSize === null ? null : new BatchSampler(this.sampler, batchSize, this.dropLast);
    }
    if (opts.collateFn !== undefined && typeof opts.collateFn !== 'function') throw new TypeError(`collateFn must be a function, but received ${describe(opts.collateFn)}`);
    this.defaultCollate = opts.collateFn === undefined;
    this.collateFn = opts.collateFn ?? ((samples: T[]) => defaultCollate(samples) as unknown as B);
  }

  /** The number of batches one epoch yields (Python's `len(loader)`). */
  get length(): number {
    const source = this.batchSampler ?? this.sampler;
    const n = lengthOf(source);
    if (n === undefined) throw new TypeError('DataLoader: the sampler has no length');
    return n;
  }

  /** One epoch of batches. */
  [Symbol.asyncIterator](): AsyncIterator<B> {
    return new LoaderIterator<T, B>(this, this.defaultCollate);
  }
}

interface PendingBatch<B> {
  indices: number[];
  promise: Promise<B>;
}

/** One pass over a DataLoader: schedules samples, keeps batches in order, cleans up when stopped early. */
class LoaderIterator<T, B> implements AsyncIterator<B> {
  private readonly batches: Iterator<number[]>;
  private readonly queue: PendingBatch<B>[] = [];
  private readonly waiting: (() => void)[] = [];
  private active = 0;
  private stopped = false;
  private exhausted = false;
  private position = 0;
  private readonly baseSeed: number;

  constructor(
    private readonly loader: DataLoader<T, B>,
    private readonly fastCollate: boolean,
  ) {
    const source = loader.batchSampler ?? mapSingles(loader.sampler);
    this.batches = source[Symbol.iterator]();
    // Each sample's transforms draw from a generator seeded with baseSeed + its position in the epoch.
    // Drawn as PyTorch's iterator draws its base seed, before the sampler draws (which is how shuffles match).
    this.baseSeed = Number(drawSeed(loader.generator) % 2n ** 32n);
  }

  private fill(): void {
    while (!this.stopped && !this.exhausted && this.queue.length < this.loader.prefetchFactor + 1) {
      const next = this.batches.next();
      if (next.done) {
        this.exhausted = true;
        break;
      }
      const indices = next.value;
      const first = this.position;
      this.position += indices.length;
      const promise = this.loadBatch(indices, first);
      promise.catch(() => undefined); // observed when consumed; never an unhandled rejection
      this.queue.push({ indices, promise });
    }
  }

  /** Waits for one of the numWorkers slots. */
  private async slot(): Promise<void> {
    const limit = Math.max(1, this.loader.numWorkers);
    if (this.active < limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private async loadSample(index: number, position: number, batchable: boolean): Promise<T> {
    await this.slot();
    try {
      if (this.stopped) throw new StopLoading();
      const dataset = this.loader.dataset as Dataset<T> & { [kGetBatchable]?: (i: number) => T | Promise<T> };
      const generator = new Generator().manualSeed((this.baseSeed + position) % 2 ** 32);
      return await withGenerator(generator, () => (batchable && dataset[kGetBatchable] ? dataset[kGetBatchable](index) : dataset.getItem(index)));
    } catch (err) {
      if (err instanceof StopLoading) throw err;
      const what = describeSample(this.loader.dataset, index);
      const reason = err instanceof Error ? err.message : String(err);
      throw Object.assign(new Error(`DataLoader: loading ${what} failed: ${reason}`, { cause: err }), { index });
    } finally {
      this.release();
    }
  }

  private async loadBatch(indices: number[], first: number): Promise<B> {
    const dataset = this.loader.dataset as Dataset<T> & { [kGetBatch]?: (idx: number[]) => T };
    const auto = this.loader.batchSize !== null || this.loader.batchSampler !== null;
    if (this.fastCollate && auto && dataset[kGetBatch]) {
      await new Promise(setImmediate);
      return dataset[kGetBatch](indices) as unknown as B;
    }
    const samples = indices.map((idx, k) => this.loadSample(idx, first + k, this.fastCollate && auto));
    const settled = await Promise.allSettled(samples);
    const failed = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
    const values = settled.filter((s) => s.status === 'fulfilled').map((s) => (s as PromiseFulfilledResult<T>).value);
    if (failed || this.stopped) {
      for (const v of values) disposeTree(v);
      throw failed ? failed.reason : new StopLoading();
    }
    // Without automatic batching each sample is its own batch, and collateFn (if given) converts it alone.
    if (!auto) return (this.fastCollate ? values[0] : (this.loader.collateFn as unknown as (s: T) => B)(values[0])) as unknown as B;
    return this.loader.collateFn(values);
  }

  async next(): Promise<IteratorResult<B>> {
    if (this.stopped) return { done: true, value: undefined };
    this.fill();
    const head = this.queue.shift();
    if (!head) {
      this.stopped = true;
      return { done: true, value: undefined };
    }
    let batch: B;
    try {
      batch = await this.withTimeout(head.promise);
    } catch (err) {
      this.stop();
      throw err;
    }
    if (this.loader.pinMemory && N.version().cuda) batch = pinTree(batch);
    this.fill();
    // Hand the batch over in a macrotask: timers, I/O and the loads in flight get their turn between steps.
    await new Promise(setImmediate);
    return { done: false, value: batch };
  }

  private withTimeout(p: Promise<B>): Promise<B> {
    const ms = this.loader.timeout;
    if (!ms) return p;
    return new Promise<B>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`DataLoader timed out after ${ms} ms waiting for a batch`)), ms);
      p.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  private stop(): void {
    this.stopped = true;
    const waiters = this.waiting.splice(0);
    this.active += waiters.length;
    for (const w of waiters) w();
    for (const b of this.queue.splice(0)) b.promise.then(disposeTree, () => undefined);
  }

  /** Called by `break`/`return` in a for-await loop: stops loading and frees what was prepared. */
  async return(): Promise<IteratorResult<B>> {
    this.stop();
    return { done: true, value: undefined };
  }
}

class StopLoading extends Error {
  constructor() {
    super('the DataLoader iteration was stopped');
  }
}

function* mapSingles(sampler: Iterable<number>): Iterable<number[]> {
  for (const i of sampler) yield [i];
}

function disposeTree(v: unknown): void {
  if (v instanceof Tensor) v.dispose();
  else if (Array.isArray(v)) v.forEach(disposeTree);
  else if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) Object.values(v).forEach(disposeTree);
}

function pinTree<B>(v: B): B {
  if (v instanceof Tensor) {
    const pinned = v.pinMemory();
    v.dispose();
    return pinned as unknown as B;
  }
  if (Array.isArray(v)) return v.map(pinTree) as unknown as B;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, pinTree(x)])) as B;
  }
  return v;
}

export { PendingImageTensor };
