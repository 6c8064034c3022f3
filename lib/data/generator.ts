// A random number generator with the sequences of PyTorch's CPU generator (mt19937), for the data pipeline:
// samplers and the per-sample generators a DataLoader gives its transforms (PyTorch gives each worker its own
// seeded generator; here each sample gets one, so results do not depend on loading order or concurrency).
import { AsyncLocalStorage } from 'async_hooks';
import { describe } from '../dtype';
import { empty } from '../creation';

const N = 624;
const M = 397;

/**
 * A seeded generator whose `random()` stream equals `torch.Generator().manual_seed(seed)` on the CPU, and whose
 * `rand`, `randint`, `uniform` and `randperm` draw as PyTorch's CPU kernels do from that stream.
 */
export class Generator {
  private readonly state = new Uint32Array(N);
  private next = 0;
  private left = 1;
  private seedValue = 67280421310721;

  constructor() {
    this.manualSeed(this.seedValue);
  }

  /** Seeds the generator (as `torch.Generator.manual_seed`; the low 32 bits seed the Mersenne Twister). */
  manualSeed(seed: number | bigint): this {
    if (typeof seed === 'number' && !Number.isInteger(seed)) throw new TypeError(`manualSeed(): seed must be an integer, but received ${describe(seed)}`);
    if (typeof seed !== 'number' && typeof seed !== 'bigint') throw new TypeError(`manualSeed(): seed must be an integer, but received ${describe(seed)}`);
    this.seedValue = Number(seed);
    const s = this.state;
    s[0] = Number(BigInt.asUintN(32, BigInt(seed)));
    for (let j = 1; j < N; j++) {
      const prev = s[j - 1] ^ (s[j - 1] >>> 30);
      // 1812433253 * prev + j, modulo 2^32, without losing bits to floating point.
      s[j] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + j) >>> 0;
    }
    this.left = 1;
    this.next = 0;
    return this;
  }

  /** The seed last given to manualSeed. */
  initialSeed(): number {
    return this.seedValue;
  }

  private twist(): void {
    const s = this.state;
    const mix = (u: number, v: number) => (((u & 0x80000000) | (v & 0x7fffffff)) >>> 1) ^ (v & 1 ? 0x9908b0df : 0);
    let p = 0;
    for (let j = N - M + 1; --j; p++) s[p] = s[p + M] ^ mix(s[p], s[p + 1]);
    for (let j = M; --j; p++) s[p] = s[p + M - N] ^ mix(s[p], s[p + 1]);
    s[p] = s[p + M - N] ^ mix(s[p], s[0]);
    this.left = N;
    this.next = 0;
  }

  /** The next 32 random bits as an unsigned integer (PyTorch's `generator->random()`). */
  random(): number {
    if (--this.left === 0) this.twist();
    let y = this.state[this.next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    return (y ^ (y >>> 18)) >>> 0;
  }

  /** The next 64 random bits (PyTorch's `generator->random64()`: two draws, the first the high half). */
  random64(): bigint {
    const hi = BigInt(this.random());
    return (hi << 32n) | BigInt(this.random());
  }

  /** One seed as `torch.empty((), dtype=torch.int64).random_(generator=g).item()` draws it: 63 random bits. */
  seed(): bigint {
    return BigInt.asUintN(63, this.random64());
  }

  /** One float32 sample of U[from, to), as `torch.empty(1).uniform_(from, to)` draws it. */
  uniform(from = 0, to = 1): number {
    const f = Math.fround;
    const x = f((this.random() & 0xffffff) / 16777216);
    return f(f(x * f(f(to) - f(from))) + f(from));
  }

  /** One float32 sample of U[0, 1), as `torch.rand(1)`. */
  rand(): number {
    return this.uniform(0, 1);
  }

  /** One integer uniform in [low, high), as `torch.randint(low, high, [1])` (ranges below 2^32). */
  randint(low: number, high: number): number {
    const range = high - low;
    if (!Number.isInteger(low) || !Number.isInteger(high) || range <= 0) throw new RangeError(`randint(): expected integers with low < high, but received [${low}, ${high})`);
    if (range >= 2 ** 32) throw new RangeError('randint(): ranges of 2^32 or more are not supported by this generator');
    return (this.random() % range) + low;
  }

  /** A random permutation of 0..n-1, as `torch.randperm(n)` on the CPU. */
  randperm(n: number): number[] {
    const r = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < n - 1; i++) {
      const z = this.random() % (n - i);
      const t = r[i];
      r[i] = r[i + z];
      r[i + z] = t;
    }
    return r;
  }

  /** One standard normal sample (Box-Muller in double precision, as PyTorch's scalar sampler). */
  normal(mean = 0, std = 1): number {
    const u1 = this.uniform(0, 1);
    const u2 = this.uniform(0, 1);
    const r = Math.sqrt(-2 * Math.log1p(-u2));
    return r * Math.cos(2 * Math.PI * u1) * std + mean;
  }
}

const sampleGenerator = new AsyncLocalStorage<Generator>();

/**
 * Runs `fn` (and everything it awaits) with `generator` as the source of randomness of transforms and random
 * datasets. The DataLoader runs each sample this way; outside of it, randomness comes from torch's global
 * generator (`torch.manualSeed`).
 */
export function withGenerator<T>(generator: Generator, fn: () => T): T {
  if (!(generator instanceof Generator)) throw new TypeError(`withGenerator(): expected a Generator, but received ${describe(generator)}`);
  return sampleGenerator.run(generator, fn);
}

/**
 * A seed drawn as `torch.empty((), dtype=torch.int64).random_(generator=generator).item()` is: from `generator`, or
 * from torch's global generator. PyTorch's RandomSampler and DataLoader seed themselves this way, so drawing the
 * same seeds in the same order gives the same shuffles after the same `torch.manualSeed`.
 */
export function drawSeed(generator?: Generator): bigint {
  if (generator) return generator.seed();
  const t = empty([], { dtype: 'int64' });
  t.random_();
  const seed = (t.dataSync() as BigInt64Array)[0];
  t.dispose();
  return seed;
}

/** The generator installed by withGenerator() for the running sample, or undefined (use torch's global one). */
export function currentGenerator(): Generator | undefined {
  return sampleGenerator.getStore();
}
