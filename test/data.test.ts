// torch-node/data: the Generator against torch's CPU generator, samplers, default collate, datasets and the
// DataLoader (order, seeding, concurrency, errors, early exit, event-loop lag, flat memory).
import * as assert from 'assert';
import * as torch from '../lib';
import {
  DataLoader, Dataset, TensorDataset, Subset, ConcatDataset, randomSplit, defaultCollate, Generator,
  SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler,
} from '../lib/data';
import { transforms } from '../lib/vision';
import { py, requirePython, assertClose } from './helpers/python';

/** A dataset whose samples are their index, after an asynchronous delay. */
class Delayed extends Dataset<number> {
  constructor(readonly n: number, readonly delayMs = 0) {
    super();
  }
  get length(): number {
    return this.n;
  }
  async getItem(i: number): Promise<number> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs * ((i * 7) % 3)));
    return this.checkIndex(i);
  }
}

async function collect<B>(loader: AsyncIterable<B>): Promise<B[]> {
  const out: B[] = [];
  for await (const b of loader) out.push(b);
  return out;
}

describe('data.Generator', function () {
  before(function () {
    requirePython(this);
  });

  it('draws the same numbers as torch.Generator().manual_seed(seed)', function () {
    const g = new Generator().manualSeed(1234);
    const got = {
      rand: Array.from({ length: 700 }, () => g.rand()),
      randint: Array.from({ length: 5 }, () => g.randint(3, 17)),
      uniform: [g.uniform(-2.5, 7)],
      perm: g.randperm(20),
    };
    const r = py(`
g = torch.Generator().manual_seed(1234)
emit('rand', torch.rand(700, generator=g).tolist())
emit('randint', torch.randint(3, 17, (5,), generator=g).tolist())
emit('uniform', [torch.empty(1).uniform_(-2.5, 7, generator=g).item()])
emit('perm', torch.randperm(20, generator=g).tolist())
`);
    assert.deepStrictEqual(got.rand, r.rand);
    assert.deepStrictEqual(got.randint, r.randint);
    assert.deepStrictEqual(got.uniform, r.uniform);
    assert.deepStrictEqual(got.perm, r.perm);
  });

  it('rejects a non-integer seed', function () {
    assert.throws(() => new Generator().manualSeed(1.5), TypeError);
  });
});

describe('data samplers', function () {
  it('SequentialSampler and BatchSampler', function () {
    const s = new SequentialSampler({ length: 5 });
    assert.deepStrictEqual([...s], [0, 1, 2, 3, 4]);
    assert.deepStrictEqual([...new BatchSampler(s, 2, false)], [[0, 1], [2, 3], [4]]);
    assert.deepStrictEqual([...new BatchSampler(s, 2, true)], [[0, 1], [2, 3]]);
    assert.strictEqual(new BatchSampler(s, 2, false).length, 3);
    assert.strictEqual(new BatchSampler(s, 2, true).length, 2);
    assert.throws(() => new BatchSampler(s, 0, false), /batchSize should be a positive integer value/);
  });

  it('RandomSampler: a permutation from the generator; numSamples and replacement', function () {
    const a = [...new RandomSampler({ length: 10 }, { generator: new Generator().manualSeed(3) })];
    assert.deepStrictEqual(a, new Generator().manualSeed(3).randperm(10));
    const b = [...new RandomSampler({ length: 4 }, { numSamples: 10, generator: new Generator().manualSeed(0) })];
    assert.strictEqual(b.length, 10);
    assert.deepStrictEqual([...b.slice(0, 4)].sort(), [0, 1, 2, 3]);
    const c = [...new RandomSampler({ length: 3 }, { replacement: true, numSamples: 50 })];
    assert.strictEqual(c.length, 50);
    assert.ok(c.every((i) => i >= 0 && i < 3));
    torch.manualSeed(5);
    const d1 = [...new RandomSampler({ length: 8 })];
    torch.manualSeed(5);
    const d2 = [...new RandomSampler({ length: 8 })];
    assert.deepStrictEqual(d1, d2);
    assert.deepStrictEqual([...d1].sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('SubsetRandomSampler and WeightedRandomSampler', function () {
    const s = [...new SubsetRandomSampler([10, 20, 30], { generator: new Generator().manualSeed(1) })];
    assert.deepStrictEqual([...s].sort(), [10, 20, 30]);
    const w = [...new WeightedRandomSampler([0, 0, 1, 0], 20)];
    assert.deepStrictEqual(w, Array(20).fill(2));
    const w2 = [...new WeightedRandomSampler([1, 1, 0, 1], 3, false, { generator: new Generator().manualSeed(9) })];
    assert.deepStrictEqual([...w2].sort(), [0, 1, 3]);
    assert.throws(() => new WeightedRandomSampler([1, 0], 2, false), RangeError);
  });

  it("WeightedRandomSampler with a generator draws PyTorch's indices; an empty dataset cannot be sampled", function () {
    requirePython(this);
    const weights = [0.1, 0.9, 0.4, 0.7];
    const got = [
      [...new WeightedRandomSampler(weights, 6, true, { generator: new Generator().manualSeed(4) })],
      [...new WeightedRandomSampler(weights, 3, false, { generator: new Generator().manualSeed(4) })],
    ];
    const r = py(`
from torch.utils.data import WeightedRandomSampler
w = [0.1, 0.9, 0.4, 0.7]
emit('out', [list(WeightedRandomSampler(w, 6, True, generator=torch.Generator().manual_seed(4))), list(WeightedRandomSampler(w, 3, False, generator=torch.Generator().manual_seed(4)))])
`);
    assert.deepStrictEqual(got, r.out);
    assert.throws(() => new RandomSampler({ length: 0 }), { name: 'RangeError', message: 'num_samples should be a positive integer value, but got num_samples=0' });
    assert.throws(() => [...new RandomSampler({ length: 0 }, { numSamples: 3 })], RangeError);
  });
});

describe('data.defaultCollate', function () {
  it('stacks tensors and converts numbers, booleans, arrays and objects like torch', function () {
    const batch = defaultCollate([
      { x: torch.tensor([1, 2]), y: 3, z: 0.5, b: true, s: 'a', t: [1, torch.tensor([1])] },
      { x: torch.tensor([3, 4]), y: 4, z: 1, b: false, s: 'b', t: [2, torch.tensor([2])] },
    ]);
    assert.deepStrictEqual(batch.x.tolist(), [[1, 2], [3, 4]]);
    assert.strictEqual(batch.y.dtype, 'int64');
    assert.deepStrictEqual(batch.y.tolist(), [3, 4]);
    assert.strictEqual(batch.z.dtype, 'float64');
    assert.deepStrictEqual(batch.b.tolist(), [true, false]);
    assert.deepStrictEqual(batch.s, ['a', 'b']);
    assert.deepStrictEqual(batch.t[0].tolist(), [1, 2]);
    assert.deepStrictEqual(batch.t[1].tolist(), [[1], [2]]);
  });

  it('rejects ragged tensors with torch stack message and unknown types', function () {
    assert.throws(() => defaultCollate([torch.zeros(2), torch.zeros(3)]), /stack expects each tensor to be equal size/);
    assert.throws(() => defaultCollate([new Map(), new Map()]), TypeError);
  });
});

describe('data datasets', function () {
  it('TensorDataset, Subset, ConcatDataset', async function () {
    const x = torch.arange(10).reshape(5, 2);
    const y = torch.arange(5);
    const ds = new TensorDataset(x, y);
    assert.strictEqual(ds.length, 5);
    const [xi, yi] = ds.getItem(3);
    assert.deepStrictEqual(xi.tolist(), [6, 7]);
    assert.strictEqual(yi.item(), 3);
    assert.throws(() => ds.getItem(5), RangeError);
    assert.throws(() => new TensorDataset(x, torch.arange(4)), /Size mismatch/);
    const sub = new Subset(ds, [4, 0]);
    assert.strictEqual((await sub.getItem(0))[1].item(), 4);
    const cat = new ConcatDataset([new Delayed(3), new Delayed(2)]);
    assert.strictEqual(cat.length, 5);
    assert.deepStrictEqual(await Promise.all([0, 2, 3, 4].map((i) => cat.getItem(i))), [0, 2, 0, 1]);
    assert.deepStrictEqual(cat.cumulativeSizes, [3, 5]);
  });

  it('randomSplit: counts or fractions, reproducible with a generator', async function () {
    const ds = new Delayed(10);
    const [a, b] = randomSplit(ds, [7, 3], { generator: new Generator().manualSeed(42) });
    const all = [...a.indices, ...b.indices].sort((p, q) => p - q);
    assert.deepStrictEqual(all, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const [c] = randomSplit(ds, [7, 3], { generator: new Generator().manualSeed(42) });
    assert.deepStrictEqual(c.indices, a.indices);
    const parts = randomSplit(ds, [0.5, 0.3, 0.2]);
    assert.deepStrictEqual(parts.map((p) => p.length), [5, 3, 2]);
    assert.throws(() => randomSplit(ds, [3, 3]), /does not equal the length/);
  });
});

describe('DataLoader', function () {
  it('yields batches in sampler order; length is the number of batches', async function () {
    const loader = new DataLoader(new Delayed(10, 2), { batchSize: 4, numWorkers: 3 });
    assert.strictEqual(loader.length, 3);
    const batches = await collect(loader);
    assert.deepStrictEqual(batches.map((b) => b.tolist()), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const dropped = new DataLoader(new Delayed(10), { batchSize: 4, dropLast: true });
    assert.strictEqual(dropped.length, 2);
    assert.strictEqual((await collect(dropped)).length, 2);
  });

  // PyTorch seeds each pass of a RandomSampler from torch's generator (or draws from the one given) after the
  // iterator's base seed, and draws one more permutation at the end of a pass: the same draws in the same order
  // give PyTorch's own batches after the same torch.manualSeed.
  it("shuffles as PyTorch does after torch.manualSeed or with a generator, epoch after epoch", async function () {
    requirePython(this);
    const ds = new Delayed(10);
    const batches = async (loader: DataLoader<number>) => (await collect(loader)).map((b) => b.tolist() as number[]);
    const out: number[][][] = [];
    torch.manualSeed(0);
    for (let e = 0; e < 2; e++) out.push(await batches(new DataLoader(ds, { batchSize: 5, shuffle: true })));
    const seeded = new DataLoader(ds, { batchSize: 5, shuffle: true, generator: new Generator().manualSeed(0) });
    for (let e = 0; e < 2; e++) out.push(await batches(seeded));
    torch.manualSeed(1);
    out.push(await batches(new DataLoader(ds, { batchSize: 5, sampler: new RandomSampler(ds, { replacement: true, numSamples: 40 }) })));
    out.push(await batches(new DataLoader(ds, { batchSize: 4, sampler: new RandomSampler(ds, { numSamples: 13 }) })));
    const expected = py(`
from torch.utils.data import DataLoader, RandomSampler
ds = list(range(10))
out = []
torch.manual_seed(0)
for e in range(2): out.append([b.tolist() for b in DataLoader(ds, batch_size=5, shuffle=True)])
seeded = DataLoader(ds, batch_size=5, shuffle=True, generator=torch.Generator().manual_seed(0))
for e in range(2): out.append([b.tolist() for b in seeded])
torch.manual_seed(1)
out.append([b.tolist() for b in DataLoader(ds, batch_size=5, sampler=RandomSampler(ds, replacement=True, num_samples=40))])
out.append([b.tolist() for b in DataLoader(ds, batch_size=4, sampler=RandomSampler(ds, num_samples=13))])
emit('out', out)
`).out;
    assert.deepStrictEqual(out, expected);
  });

  it('shuffles reproducibly with a seed, differently per epoch', async function () {
    const ds = new Delayed(12);
    const run = async (loader: DataLoader<number>) => (await collect(loader)).flatMap((b) => b.tolist() as number[]);
    const a = new DataLoader(ds, { batchSize: 5, shuffle: true, seed: 7 });
    const b = new DataLoader(ds, { batchSize: 5, shuffle: true, seed: 7 });
    const a1 = await run(a);
    const a2 = await run(a);
    assert.deepStrictEqual(a1, await run(b));
    assert.notDeepStrictEqual(a1, a2);
    assert.deepStrictEqual([...a1].sort((p, q) => p - q), [...Array(12).keys()]);
    torch.manualSeed(11);
    const g1 = await run(new DataLoader(ds, { batchSize: 5, shuffle: true }));
    torch.manualSeed(11);
    const g2 = await run(new DataLoader(ds, { batchSize: 5, shuffle: true }));
    assert.deepStrictEqual(g1, g2);
  });

  it('random transforms give the same batches whatever numWorkers and loading order', async function () {
    class Noisy extends Dataset<torch.Tensor> {
      readonly flip = new transforms.RandomHorizontalFlip();
      readonly crop = new transforms.RandomCrop(2);
      get length(): number {
        return 9;
      }
      async getItem(i: number): Promise<torch.Tensor> {
        await new Promise((r) => setTimeout(r, (i * 5) % 4));
        const img = torch.arange(16, { dtype: 'float32' }).reshape(1, 4, 4).add(i * 100);
        return this.crop.forward(this.flip.forward(img));
      }
    }
    const results: number[][][] = [];
    for (const numWorkers of [0, 1, 4]) {
      const batches = await collect(new DataLoader(new Noisy(), { batchSize: 3, shuffle: true, numWorkers, seed: 5 }));
      results.push(batches.map((b) => Array.from(b.dataSync() as Float32Array)));
    }
    assert.deepStrictEqual(results[1], results[0]);
    assert.deepStrictEqual(results[2], results[0]);
  });

  it('collates [x, y] samples with a custom collateFn, a sampler or a batchSampler; batchSize null yields samples', async function () {
    const ds = new TensorDataset(torch.arange(6).reshape(6, 1), torch.arange(6).mul(10));
    const [first] = await collect(new DataLoader(ds, { batchSize: 2, sampler: [5, 1, 3] }));
    assert.deepStrictEqual(first[0].tolist(), [[5], [1]]);
    assert.deepStrictEqual(first[1].tolist(), [50, 10]);
    const viaBatchSampler = await collect(new DataLoader(ds, { batchSampler: [[0, 2], [4]] }));
    assert.deepStrictEqual(viaBatchSampler.map((b) => b[1].tolist()), [[0, 20], [40]]);
    const sums = await collect(new DataLoader(new Delayed(5), { batchSize: 2, collateFn: (xs: number[]) => xs.reduce((p, q) => p + q, 0) }));
    assert.deepStrictEqual(sums, [1, 5, 4]);
    const singles = await collect(new DataLoader(new Delayed(3), { batchSize: null }));
    assert.deepStrictEqual(singles, [0, 1, 2]);
  });

  it('checks options like PyTorch', function () {
    const ds = new Delayed(3);
    assert.throws(() => new DataLoader(ds, { batchSize: 0 }), /batchSize should be a positive integer value/);
    assert.throws(() => new DataLoader(ds, { sampler: [0], shuffle: true }), /mutually exclusive with shuffle/);
    assert.throws(() => new DataLoader(ds, { batchSampler: [[0]], batchSize: 2 }), /mutually exclusive/);
    assert.throws(() => new DataLoader(ds, { numWorkers: -1 }), /numWorkers option should be non-negative/);
    assert.throws(() => new DataLoader(ds, { batch_size: 2 } as never), /unknown option "batch_size" \(did you mean "batchSize"\?\)/);
  });

  it('rejects with the failing sample and stops; a timeout rejects too', async function () {
    class Failing extends Dataset<number> {
      get length(): number {
        return 8;
      }
      readonly samples = Array.from({ length: 8 }, (_, i) => [`/data/img${i}.jpg`, 0]);
      async getItem(i: number): Promise<number> {
        if (i === 5) throw new Error('corrupt JPEG data');
        return i;
      }
    }
    const seen: number[][] = [];
    await assert.rejects(
      (async () => {
        for await (const b of new DataLoader(new Failing(), { batchSize: 2 })) seen.push(b.tolist() as number[]);
      })(),
      /DataLoader: loading sample 5 \(\/data\/img5\.jpg\) failed: corrupt JPEG data/,
    );
    assert.deepStrictEqual(seen, [[0, 1], [2, 3]]);
    const slow = new DataLoader(new Delayed(4, 200), { batchSize: 4, timeout: 20 });
    await assert.rejects(collect(slow), /timed out after 20 ms/);
  });

  it('breaking out of the loop stops loading', async function () {
    let loaded = 0;
    class Counting extends Dataset<number> {
      get length(): number {
        return 1000;
      }
      async getItem(i: number): Promise<number> {
        await new Promise((r) => setTimeout(r, 1));
        loaded++;
        return i;
      }
    }
    const loader = new DataLoader(new Counting(), { batchSize: 10, numWorkers: 4, prefetchFactor: 2 });
    let n = 0;
    for await (const b of loader) {
      b.dispose();
      if (++n === 3) break;
    }
    await new Promise((r) => setTimeout(r, 50));
    const after = loaded;
    await new Promise((r) => setTimeout(r, 50));
    assert.strictEqual(loaded, after, 'no sample loads after break');
    assert.ok(loaded <= 30 + 10 * 3 + 4, `loaded ${loaded} samples for 3 batches`);
  });

  it('a training-like loop over 2000 batches holds flat RSS without explicit frees', async function () {
    this.timeout(120000);
    // Each step makes about 300 KB of tensors: kept, 2000 steps would grow RSS by about 600 MiB.
    const x = torch.randn(8192, 256);
    const y = torch.randint(0, 10, [8192]);
    const w = torch.randn(256, 10).requiresGrad_();
    const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 256, shuffle: true, seed: 0 });
    const rss: number[] = [];
    let step = 0;
    while (step < 2000) {
      for await (const [xb] of loader) {
        const out = xb.matmul(w).relu().sum();
        out.backward();
        w.grad = null;
        if (++step % 250 === 0) rss.push(process.memoryUsage().rss);
        if (step === 2000) break;
      }
    }
    const growth = (rss[rss.length - 1] - rss[1]) / 2 ** 20;
    assert.ok(growth < 60, `RSS grew by ${growth.toFixed(1)} MiB between batch 500 and 2000: ${rss.map((r) => (r / 2 ** 20).toFixed(0)).join(', ')}`);
  });

  it('keeps the event loop responsive while loading', async function () {
    const loader = new DataLoader(new Delayed(400, 1), { batchSize: 8, numWorkers: 8 });
    let maxLag = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      maxLag = Math.max(maxLag, now - last - 5);
      last = now;
    }, 5);
    for await (const b of loader) b.dispose();
    clearInterval(timer);
    assert.ok(maxLag < 100, `timer lag reached ${maxLag} ms`);
  });

  it('is reachable as torch.utils.data, torch.vision and the package entry points torch-node/data and torch-node/vision', function () {
    assert.strictEqual(torch.utils.data.DataLoader, DataLoader);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    assert.strictEqual(require('torch-node/data').DataLoader, DataLoader);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    assert.strictEqual(require('torch-node/vision').transforms, torch.vision.transforms);
  });
});

describe('TensorDataset batches match PyTorch indexing', function () {
  before(function () {
    requirePython(this);
  });

  it('a batch equals x[indices]', async function () {
    const r = py(`x = torch.arange(24.).reshape(6, 4)\nemit('b', x[torch.tensor([4, 1, 0])])`);
    const x = torch.arange(24, { dtype: 'float32' }).reshape(6, 4);
    const [batch] = await collect(new DataLoader(new TensorDataset(x), { batchSize: 3, sampler: [4, 1, 0] }));
    assertClose(batch[0], r.b);
  });
});
