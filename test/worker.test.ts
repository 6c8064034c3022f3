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
for (let i = 0; i < 200; i++) {
  torch.tidy(() => {
    const loss = w.matmul(w.t()).sub(torch.eye(4)).pow(2).sum();
    loss.backward();
    torch.noGrad(() => { w.sub_(w.grad.mul(0.01)); w.grad.zero_(); });
    last = loss.item();
  });
}
parentPort.postMessage({ last, sum: w.sum().item() });
`;

function runWorker(seed: number): Promise<{ last: number; sum: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { eval: true, workerData: { seed, lib: path.join(__dirname, '..', 'lib', 'index.js') } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

describe('worker_threads', function () {
  this.timeout(120_000);

  it('runs torch in two workers at once, each with its own state', async function () {
    const [a, b, c] = await Promise.all([runWorker(1), runWorker(2), runWorker(1)]);
    assert.ok(Number.isFinite(a.last) && Number.isFinite(b.last));
    assert.strictEqual(a.sum, c.sum);
    assert.notStrictEqual(a.sum, b.sum);
  });

  it('survives a worker terminated mid-loop', async function () {
    const w = new Worker(`const torch = require(${JSON.stringify(path.join(__dirname, '..', 'lib', 'index.js'))}); for (;;) torch.tidy(() => torch.randn([64, 64]).matmul(torch.randn([64, 64])));`, { eval: true });
    await new Promise((r) => setTimeout(r, 1000));
    const code = await w.terminate();
    assert.strictEqual(code, 1);
    assert.deepStrictEqual((await runWorker(3)).last > 0, true);
  });
});
