// The memory contract (API.md): loops that await hold flat memory with no explicit frees; synchronous loops
// hold flat memory with tidy() or `using`; tensors made in a scope are freed when it ends. Beyond the contract,
// the addon frees collected tensors inside the GC, so a synchronous loop with no frees at all stays flat too.
import * as assert from 'assert';
import * as torch from '../lib';
import { N } from '../lib/native';
import { tensorCount } from './helpers/tensor_count';

const MB = 1 << 20;

function rss(): number {
  return process.memoryUsage().rss;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `step(i)` n times, yielding a macrotask every `yieldEvery` steps; returns RSS after warm-up and the peak after. */
async function measure(n: number, yieldEvery: number, step: (i: number) => void): Promise<{ warm: number; peak: number }> {
  const warmAt = Math.floor(n / 10);
  let warm = 0;
  let peak = 0;
  for (let i = 0; i < n; i++) {
    step(i);
    if (i % yieldEvery === yieldEvery - 1) {
      await tick();
      if (i >= warmAt) {
        const r = rss();
        if (!warm) warm = r;
        peak = Math.max(peak, r);
      }
    }
  }
  return { warm, peak };
}

describe('memory', function () {
  this.timeout(300_000);

  // 64 KiB per tensor: a leak of these loops would reach tens of GB.
  const big = () => torch.rand(16 * 1024);

  it('holds flat RSS over 100k iterations of tensor math in a loop that awaits', async function () {
    const x = big();
    const { warm, peak } = await measure(100_000, 100, () => {
      x.mul(2).add(1).sqrt().sum().item();
    });
    assert.ok(peak - warm < 400 * MB, `RSS grew by ${((peak - warm) / MB).toFixed(0)} MB`);
  });

  it('holds flat RSS over 2k autograd training steps with no explicit frees', async function () {
    torch.manualSeed(0);
    const w1 = torch.randn([256, 512]).mul(0.05).requiresGrad_();
    const w2 = torch.randn([10, 256]).mul(0.05).requiresGrad_();
    const x = torch.randn([64, 512]);
    const target = torch.randint(0, 10, [64]);
    let first = 0;
    let last = 0;
    const { warm, peak } = await measure(2000, 10, (i) => {
      const h = x.matmul(w1.t()).relu();
      const logits = h.matmul(w2.t());
      const loss = logits.logSoftmax(1).index([torch.arange(64), target]).mean().neg();
      loss.backward();
      torch.noGrad(() => {
        for (const w of [w1, w2]) {
          const g = w.grad as torch.Tensor;
          w.sub_(g.mul(0.1));
          g.zero_();
        }
      });
      if (i === 0) first = loss.item();
      last = loss.item();
    });
    assert.ok(last < first, `the loss went from ${first} to ${last}`);
    assert.ok(peak - warm < 400 * MB, `RSS grew by ${((peak - warm) / MB).toFixed(0)} MB`);
  });

  it('holds flat RSS in a synchronous loop with no frees and no awaits (tensors are freed inside the GC)', function () {
    const x = big();
    const before = rss();
    const live = N.liveTensors();
    let peak = 0;
    let peakLive = 0;
    for (let i = 0; i < 100_000; i++) {
      x.mul(2).add(1).sqrt().sum().item();
      if (i % 1000 === 0) {
        peak = Math.max(peak, rss());
        peakLive = Math.max(peakLive, N.liveTensors() - live);
      }
    }
    // Left to a GC that never ran, these 400k tensors would hold 19 GB.
    assert.ok(peak - before < 400 * MB, `RSS grew by ${((peak - before) / MB).toFixed(0)} MB`);
    assert.ok(peakLive < 100_000, `${peakLive} tensors were alive at once`);
  });

  it('holds flat RSS over 1k synchronous autograd steps with no frees', function () {
    torch.manualSeed(0);
    const w = torch.randn([10, 16384]).mul(0.01).requiresGrad_();
    const x = torch.randn([64, 16384]);
    const target = torch.randint(0, 10, [64]);
    const before = rss();
    let peak = 0;
    let first = 0;
    let last = 0;
    for (let i = 0; i < 1000; i++) {
      const loss = x.matmul(w.t()).logSoftmax(1).index([torch.arange(64), target]).mean().neg();
      loss.backward();
      torch.noGrad(() => {
        w.sub_((w.grad as torch.Tensor).mul(0.1));
        (w.grad as torch.Tensor).zero_();
      });
      if (i === 0) first = loss.item();
      last = loss.item();
      if (i % 50 === 0) peak = Math.max(peak, rss());
    }
    assert.ok(last < first, `the loss went from ${first} to ${last}`);
    // Each step leaves two 640 KiB tensors of w's shape (matmul's gradient, the update) and more: 1.3 GB if kept.
    assert.ok(peak - before < 400 * MB, `RSS grew by ${((peak - before) / MB).toFixed(0)} MB`);
  });

  it('holds flat RSS in a synchronous loop with tidy()', function () {
    const x = big();
    const before = rss();
    let peak = 0;
    for (let i = 0; i < 100_000; i++) {
      torch.tidy(() => x.mul(2).add(1).sqrt().sum().item());
      if (i % 1000 === 0) peak = Math.max(peak, rss());
    }
    assert.ok(peak - before < 200 * MB, `RSS grew by ${((peak - before) / MB).toFixed(0)} MB`);
  });

  it('holds flat RSS in a synchronous loop with `using`', function () {
    const x = big();
    const before = rss();
    let peak = 0;
    for (let i = 0; i < 20_000; i++) {
      using a = x.mul(2);
      using b = a.add(1);
      using s = b.sum();
      s.item();
      if (i % 1000 === 0) peak = Math.max(peak, rss());
    }
    assert.ok(peak - before < 200 * MB, `RSS grew by ${((peak - before) / MB).toFixed(0)} MB`);
  });

  it('small blocks the CPU allocator reuses never alias a live tensor', function () {
    // Sizes from 4 bytes to 2 KiB cross every size class of the small-block cache and the default allocator.
    const live: [torch.Tensor, number][] = [];
    let value = 0;
    for (let round = 0; round < 20; round++) {
      for (let n = 1; n <= 512; n += 7) live.push([torch.full([n], ++value), value]);
      // Free every other tensor (by dispose and by dropping it for the GC), then allocate again into the holes.
      for (let i = live.length - 1; i >= 0; i -= 2) {
        if (i % 4 === 0) live[i][0].dispose();
        live.splice(i, 1);
      }
      (globalThis as { gc?: () => void }).gc?.();
    }
    for (const [t, v] of live) {
      assert.strictEqual(t.min().item(), v);
      assert.strictEqual(t.max().item(), v);
    }
  });

  it('arithmetic fast paths: results belong to tidy() scopes or the GC, and failures leave nothing behind', function () {
    const a = torch.ones([3]);
    const b = torch.ones([3]);
    let left = tensorCount();
    torch.tidy(() => {
      a.add(b);
      a.mul(2);
    });
    assert.strictEqual(left(), 0, 'a scope frees fast-path results');
    const kept = torch.tidy(() => a.sub(b).div(2));
    assert.strictEqual(left(), 1, 'a returned result outlives the scope');
    kept.dispose();
    const wrongShape = torch.ones([4]);
    left = tensorCount();
    assert.throws(() => a.add(wrongShape), torch.TorchError);
    assert.throws(() => torch.tidy(() => a.mul(wrongShape)), torch.TorchError);
    assert.strictEqual(left(), 0, 'a failed op leaves no tensor');
    const c = torch.ones([3]);
    c.dispose();
    assert.throws(() => a.add(c), { name: 'TypeError', message: 'the tensor has been disposed' });
    assert.throws(() => c.mul(2), { name: 'TypeError', message: 'the tensor has been disposed' });
  });

  it('tidy() frees what it made, keeps what it returns, and nests', function () {
    const live0 = N.liveTensors();
    const kept = torch.tidy(() => {
      const a = torch.ones([3]);
      const b = a.add(1);
      const inner = torch.tidy(() => [b.mul(2), b.mul(3)]);
      return { sum: inner[0].add(inner[1]), list: [inner[0]] };
    });
    assert.deepStrictEqual(kept.sum.tolist(), [10, 10, 10]);
    assert.deepStrictEqual(kept.list[0].tolist(), [4, 4, 4]);
    assert.strictEqual(N.liveTensors() - live0, 2);
    kept.sum.dispose();
    kept.list[0].dispose();
    assert.strictEqual(N.liveTensors(), live0);
    assert.throws(() => kept.sum.add(1), /disposed/);
  });

  it('tidy() frees everything when its function throws, and refuses async functions', function () {
    const live0 = N.liveTensors();
    assert.throws(() => torch.tidy(() => {
      torch.ones([3]).add(1);
      throw new Error('inside');
    }), /inside/);
    assert.strictEqual(N.liveTensors(), live0);
    assert.throws(() => torch.tidy((async () => torch.ones([1])) as unknown as () => torch.Tensor), TypeError);
    // What an async body made before its first await stays usable by it, and goes to the GC (not leaked).
    let early: torch.Tensor | undefined;
    assert.throws(() => torch.tidy((async () => {
      early = torch.ones([2]);
      await null;
      return early.add(1);
    }) as unknown as () => torch.Tensor), TypeError);
    assert.ok(early && !early.isDisposed && early._gc, 'handed to the garbage collector');
  });

  it('tidy() keeps tensors returned in a Set or a Map', function () {
    const [s, m] = torch.tidy(() => [new Set([torch.ones([2])]), new Map([['k', torch.zeros([2])]])] as const);
    assert.deepStrictEqual([...s][0].tolist(), [1, 1]);
    assert.deepStrictEqual(m.get('k')?.tolist(), [0, 0]);
  });

  it('keep() lets a tensor outlive its scope', function () {
    let t: torch.Tensor | undefined;
    torch.tidy(() => {
      t = torch.keep(torch.ones([2]).mul(5));
    });
    assert.deepStrictEqual(t?.tolist(), [5, 5]);
  });

  it('returns the handles of collected tensors to the table', async function () {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) this.skip();
    const live0 = N.liveTensors();
    for (let i = 0; i < 1000; i++) torch.ones([4]).add(1);
    for (let k = 0; k < 5 && N.liveTensors() > live0 + 10; k++) {
      gc();
      await tick();
    }
    assert.ok(N.liveTensors() <= live0 + 10, `${N.liveTensors() - live0} tensors still live`);
  });
});
