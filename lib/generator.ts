// torch.Generator: a random number generator with the sequences of PyTorch's CPU generator (mt19937). Operators
// that take a generator (`torch.randn(2, { generator })`) get its state in PyTorch's layout and give it back
// advanced; the data pipeline (samplers, transforms) draws from it directly.
import { describe } from './dtype';
import { Device } from './device';
import { Tensor } from './tensor';
import { tensor } from './creation';

/** @internal */
export const kStateBytes = Symbol('stateBytes');
/** @internal */
export const kLoadStateBytes = Symbol('loadStateBytes');

// sizeof(CPUGeneratorImplState): the legacy state (seed, left, seeded, next, 624 words as uint64, the cached
// double normal), then the cached float normal.
const STATE_BYTES = 5056;
const NORMAL_CACHE_AT = 24 + 8 * 624;

const N = 624;
const M = 397;

/**
 * A random number generator, as `torch.Generator()` (CPU): `new torch.Generator().manualSeed(42)`. Operators that
 * take a `generator` option draw from it as they do in PyTorch (`torch.randn(3, { generator: g })`), as do
 * randomSplit, the samplers and the DataLoader; its `random()` stream and its `rand`, `randint`, `uniform` and
 * `randperm` are PyTorch's CPU kernels' draws from the same state.
 */
export class Generator {
  private readonly state = new Uint32Array(N);
  private next = 0;
  private left = 1;
  private seedValue: bigint = 67280421310721n;
  // PyTorch's cached normal samples (the last 40 bytes of its state), kept for its kernels; cleared by a new seed.
  private normalCache = new Uint8Array(STATE_BYTES - NORMAL_CACHE_AT);

  constructor() {
    this.manualSeed(this.seedValue);
  }

  /** Seeds the generator (as `torch.Generator.manual_seed`; the low 32 bits seed the Mersenne Twister). */
  manualSeed(seed: number | bigint): this {
    if (typeof seed === 'number' && !Number.isInteger(seed)) throw new TypeError(`manualSeed(): seed must be an integer, but received ${describe(seed)}`);
    if (typeof seed !== 'number' && typeof seed !== 'bigint') throw new TypeError(`manualSeed(): seed must be an integer, but received ${describe(seed)}`);
    // Python takes seeds in [-2^63, 2^64), negative ones as their two's complement.
    if (BigInt(seed) < -(2n ** 63n) || BigInt(seed) >= 2n ** 64n) throw new RangeError('Overflow when unpacking long');
    this.seedValue = BigInt.asUintN(64, BigInt(seed));
    this.normalCache.fill(0);
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

  /** The seed last given to manualSeed (as `initial_seed()`). */
  initialSeed(): number {
    return Number(this.seedValue);
  }

  /** Always the CPU: this is PyTorch's CPU generator. */
  get device(): Device {
    return new Device('cpu');
  }

  /** The generator's state as PyTorch's `get_state()` gives it: a uint8 tensor that `setState` (here or in Python) takes. */
  getState(): Tensor {
    return tensor(this[kStateBytes](), { dtype: 'uint8' });
  }

  /** Restores a state from getState() or from Python's `Generator.get_state()`. */
  setState(state: Tensor): this {
    if (!(state instanceof Tensor) || state.dtype !== 'uint8' || state.dim() !== 1) {
      throw new TypeError(`setState(): expected a 1-D uint8 tensor (from getState()), but received ${describe(state)}`);
    }
    this[kLoadStateBytes](new Uint8Array((state.contiguous().dataSync() as Uint8Array).slice().buffer));
    return this;
  }

  /** @internal The state in the layout of PyTorch's CPUGeneratorImplState (native code reads and writes it). */
  [kStateBytes](): Uint8Array {
    const bytes = new Uint8Array(STATE_BYTES);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, this.seedValue, true);
    view.setInt32(8, this.left, true);
    view.setInt32(12, 1, true);  // seeded
    view.setBigUint64(16, BigInt(this.next), true);
    for (let i = 0; i < N; i++) view.setUint32(24 + 8 * i, this.state[i], true);  // uint64 words, high halves 0
    bytes.set(this.normalCache, NORMAL_CACHE_AT);
    return bytes;
  }

  /** @internal Takes a state in that layout (after native code drew from it). */
  [kLoadStateBytes](bytes: Uint8Array): void {
    if (bytes.length !== STATE_BYTES) throw new RangeError(`setState(): a generator state has ${STATE_BYTES} bytes, but this one has ${bytes.length}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const left = view.getInt32(8, true);
    const next = Number(view.getBigUint64(16, true));
    if (view.getInt32(12, true) !== 1 || left < 1 || left > N || next > N) throw new RangeError('setState(): Invalid mt19937 state');
    this.seedValue = view.getBigUint64(0, true);
    this.left = left;
    this.next = next;
    for (let i = 0; i < N; i++) this.state[i] = view.getUint32(24 + 8 * i, true);  // the low halves
    this.normalCache = bytes.slice(NORMAL_CACHE_AT);
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
