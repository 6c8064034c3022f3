// The addon keeps per-instance state, so it loads and works in worker_threads, several at a time.
import * as assert from 'assert';
import * as path from 'path';
import { Worker } from 'worker_threads';

const script = `
const { parentPort, workerData } = require('worker_threads');
const torch = require(workerData.lib);
torch.manualSeed(workerData.seed);
const w = torch.randn([4, 4]).requiresGrad_();
let last = 0;
let first = 0;
for (let i = 0; i < 200; i++) {
  torch.tidy(() => {
    const loss = w.matmul(w.t()).sub(torch.eye(4)).pow(2).sum();
    loss.backward();
    torch.noGrad(() => { w.sub_(w.grad.mul(0.01)); w.grad.zero_(); });
    last = loss.item();
    if (i === 0) first = last;
  });
}
parentPort.postMessage({ first, last, sum: w.sum().item() });
`;

function runWorker(seed: number): Promise<{ first: number; last: number; sum: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { eval: true, workerData: { seed, lib: path.join(__dirname, '..', 'lib', 'index.js') } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

describe('worker_threads', function () {
  this.timeout(120_000);

  it('runs torch in two workers at once, each with its own tensors', async function () {
    const [a, b] = await Promise.all([runWorker(1), runWorker(2)]);
    assert.ok(Number.isFinite(a.last) && Number.isFinite(b.last));
    assert.ok(a.last < a.first && b.last < b.first, `losses ${a.first} -> ${a.last}, ${b.first} -> ${b.last}`);
    // The default generator is process-wide, as in PyTorch: a seeded worker alone is reproducible.
    const c = await runWorker(3);
    const d = await runWorker(3);
    assert.strictEqual(c.sum, d.sum);
  });

  it('survives a worker terminated mid-loop', async function () {
    const w = new Worker(`const torch = require(${JSON.stringify(path.join(__dirname, '..', 'lib', 'index.js'))}); for (;;) torch.tidy(() => torch.randn([64, 64]).matmul(torch.randn([64, 64])));`, { eval: true });
    await new Promise((r) => setTimeout(r, 1000));
    const code = await w.terminate();
    assert.strictEqual(code, 1);
    assert.deepStrictEqual((await runWorker(3)).last > 0, true);
  });
});
