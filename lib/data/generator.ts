// The generators of the data pipeline: the per-sample generators a DataLoader gives its transforms (PyTorch gives
// each worker its own seeded generator; here each sample gets one, so results do not depend on loading order or
// concurrency), and the seeds the loader and RandomSampler draw.
import { AsyncLocalStorage } from 'async_hooks';
import { describe } from '../dtype';
import { empty } from '../creation';
import { Generator } from '../generator';

export { Generator };

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
  if (generator) return BigInt.asUintN(63, generator.random64());
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
