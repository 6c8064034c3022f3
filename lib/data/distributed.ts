// DistributedSampler: each rank reads its own shard of a dataset, as torch.utils.data.distributed.
import { describe } from '../dtype';
import { getRank, getWorldSize } from '../distributed/distributed_c10d';
import { Generator } from './generator';
import { Sampler, Sized } from './sampler';

/** Options of DistributedSampler. */
export interface DistributedSamplerOptions {
  /** The number of ranks sharing the dataset (default: the default process group's world size). */
  numReplicas?: number;
  /** This rank (default: the default process group's rank). */
  rank?: number;
  /** Shuffle the indices each epoch (default true); all ranks must use the same seed. */
  shuffle?: boolean;
  /** The seed of the shuffle (default 0); the permutation depends on seed + epoch. */
  seed?: number;
  /**
   * Drop the tail so that every rank gets the same number of samples (default false: pad with indices from the
   * start instead).
   */
  dropLast?: boolean;
}

/**
 * Gives rank r the indices r, r + numReplicas, r + 2 * numReplicas, ... of a (shuffled, padded or truncated)
 * index list, the same lists as PyTorch's DistributedSampler. Call `setEpoch(epoch)` before each epoch, or every
 * epoch shuffles the same way.
 */
export class DistributedSampler extends Sampler<number> {
  /** The number of ranks. */
  readonly numReplicas: number;
  /** This rank. */
  readonly rank: number;
  /** Whether indices are shuffled. */
  readonly shuffle: boolean;
  /** The base seed. */
  readonly seed: number;
  /** Whether the tail is dropped rather than padded. */
  readonly dropLast: boolean;
  /** The epoch set by `setEpoch`. */
  epoch = 0;

  constructor(
    readonly dataset: Sized,
    opts: DistributedSamplerOptions = {},
  ) {
    super();
    const numReplicas = opts.numReplicas ?? getWorldSize();
    const rank = opts.rank ?? getRank();
    if (!Number.isInteger(numReplicas) || numReplicas < 1) throw new RangeError(`DistributedSampler: numReplicas must be a positive integer, but received ${describe(numReplicas)}`);
    if (!Number.isInteger(rank) || rank < 0 || rank >= numReplicas) {
      throw new RangeError(`Invalid rank ${String(rank)}, rank should be in the interval [0, ${numReplicas - 1}]`);
    }
    const seed = opts.seed ?? 0;
    if (!Number.isInteger(seed)) throw new TypeError(`DistributedSampler: seed must be an integer, but received ${describe(seed)}`);
    this.numReplicas = numReplicas;
    this.rank = rank;
    this.shuffle = opts.shuffle ?? true;
    this.seed = seed;
    this.dropLast = opts.dropLast ?? false;
  }

  /** The number of samples of this rank per epoch. */
  get numSamples(): number {
    const n = this.dataset.length;
    return this.dropLast && n % this.numReplicas !== 0 ? Math.ceil((n - this.numReplicas) / this.numReplicas) : Math.ceil(n / this.numReplicas);
  }

  /** The number of indices over all ranks (numSamples * numReplicas). */
  get totalSize(): number {
    return this.numSamples * this.numReplicas;
  }

  get length(): number {
    return this.numSamples;
  }

  /** Sets the epoch, which with the seed decides the shuffle: call it before each epoch. */
  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch)) throw new TypeError(`DistributedSampler.setEpoch(): epoch must be an integer, but received ${describe(epoch)}`);
    this.epoch = epoch;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataset.length;
    let indices: number[];
    if (this.shuffle) indices = new Generator().manualSeed(this.seed + this.epoch).randperm(n);
    else indices = Array.from({ length: n }, (_, i) => i);
    const total = this.totalSize;
    if (this.dropLast) indices = indices.slice(0, total);
    else {
      const base = indices.slice();
      while (indices.length < total) indices.push(...base.slice(0, total - indices.length));
    }
    for (let i = this.rank; i < total; i += this.numReplicas) yield indices[i];
  }
}
