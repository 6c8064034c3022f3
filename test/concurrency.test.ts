// Concurrency: two worker_threads each train their own model while the main thread serves HTTP on loopback;
// all three make progress, the main thread's timers stay on time, and terminating a worker mid-step gives its
// native memory back. TORCH_NODE_FULL_TESTS=1 runs for 30 s instead of 6.
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { spawnSync } from 'child_process';
import { monitorEventLoopDelay } from 'perf_hooks';
import * as torch from '../lib';
import { N } from '../lib/native';

const FULL = process.env.TORCH_NODE_FULL_TESTS === '1';
const SECONDS = FULL ? 30 : 6;
const MB = 2 ** 20;
const LIB = path.join(__dirname, '..', 'lib', 'index.js');

// A worker that trains a small MLP with nn and optim, the seed loop's way (awaiting a macrotask per step),
// reporting its step count and loss; with `hold`, it first keeps that many MiB of tensors alive.
const TRAINER = `
const { parentPort, workerData } = require('worker_threads');
const torch = require(workerData.lib);
const { nn, optim } = torch;
const held = [];
for (let i = 0; i < workerData.hold / 16; i++) held.push(torch.ones([4 * 1024 * 1024]));
const model = new nn.Sequential(new nn.Linear(64, 128), new nn.ReLU(), new nn.Linear(128, 10));
const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
const crit = new nn.CrossEntropyLoss();
const x = torch.randn([256, 64]);
const y = torch.randint(0, 10, [256]);
(async () => {
  parentPort.postMessage({ ready: true, held: held.length });
  for (let step = 1; ; step++) {
    opt.zeroGrad();
    const loss = crit.forward(model.forward(x), y);
    loss.backward();
    opt.step();
    if (step % 10 === 0) parentPort.postMessage({ step, loss: loss.item() });
    await new Promise((r) => setImmediate(r));
  }
})();
`;

function startTrainer(hold = 0): { worker: Worker; steps: () => number; losses: number[]; ready: Promise<void> } {
  const worker = new Worker(TRAINER, { eval: true, workerData: { lib: LIB, hold } });
  let steps = 0;
  const losses: number[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { ready?: boolean; step?: number; loss?: number }) => {
      if (m.ready) resolve();
      if (m.step) {
        steps = m.step;
        losses.push(m.loss as number);
      }
    });
    worker.once('error', reject);
  });
  return { worker, steps: () => steps, losses, ready };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Starts a trainer holding 256 MiB, terminates it mid-step, then two rounds of three small ones; prints RSS at
// each point and the main thread's live tensor count before and after.
const TERMINATE_CHILD = `
const { Worker } = require('worker_threads');
const [lib, trainer] = process.argv.slice(1);
const torch = require(lib);
const { N } = require(require('path').join(lib, '..', 'native.js'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const start = (hold) => new Promise((resolve, reject) => {
  const w = new Worker(trainer, { eval: true, workerData: { lib, hold } });
  w.on('message', (m) => { if (m.step) resolve(w); });
  w.once('error', reject);
});
const rss = () => process.memoryUsage().rss;
(async () => {
  const keep = torch.ones([1024]);
  const live0 = N.liveTensors();
  const out = [rss()];
  const w = await start(256);
  out.push(rss());
  await w.terminate();
  await sleep(200);
  out.push(rss());
  for (let round = 0; round < 2; round++) {
    for (let k = 0; k < 3; k++) await (await start(64)).terminate();
    await sleep(200);
    out.push(rss());
  }
  console.log(JSON.stringify({ rss: out, live: [live0, N.liveTensors()], keep: keep.numel() }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

/**
 * Nanoseconds this thread has waited on a run queue (Linux's schedstat; 0 where the kernel does not keep it):
 * time the scheduler gave to other threads, not time this thread was blocked or busy.
 */
function runQueueWaitNs(): number {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
  } catch {
    return 0;
  }
}

/**
 * Serves HTTP on loopback and requests it in a loop for `ms`; returns the requests served and the lateness of a
 * 10 ms timer: raw, and less the time the main thread waited for a core meanwhile.
 */
async function serveAndMeasure(ms: number): Promise<{ served: number; maxLag: number; maxUnexplained: number; p99: number }> {
  const w = torch.tensor([1, 2, 3]);
  // The main thread uses torch too.
  const server = http.createServer((req, res) => res.end(String(w.mul(2).sum().item())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let served = 0;
  let running = true;
  const client = (async () => {
    while (running) {
      const body = await new Promise<string>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, agent, path: '/' }, (res) => {
          let s = '';
          res.on('data', (d) => (s += d));
          res.on('end', () => resolve(s));
        }).on('error', reject);
      });
      assert.strictEqual(body, '12');
      served++;
    }
  })();
  // Lag of a 10 ms timer, and the event loop's own delay histogram.
  let maxLag = 0;
  let maxUnexplained = 0;
  let expected = Date.now() + 10;
  let waited = runQueueWaitNs();
  const timer = setInterval(() => {
    const now = Date.now();
    const w = runQueueWaitNs();
    maxLag = Math.max(maxLag, now - expected);
    maxUnexplained = Math.max(maxUnexplained, now - expected - (w - waited) / 1e6);
    expected = now + 10;
    waited = w;
  }, 10);
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await sleep(ms);
  h.disable();
  clearInterval(timer);
  running = false;
  await client;
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
  return { served, maxLag, maxUnexplained, p99: h.percentile(99) / 1e6 };
}

describe('concurrency', function () {
  this.timeout(180_000);

  it(`two workers train while the main thread serves HTTP: all progress, timers stay on time (${SECONDS} s)`, async function () {
    // Two training workers and the HTTP loop oversubscribe a small machine, and the scheduler alone then delays the
    // main thread by tens of milliseconds now and then: what is bounded is the lateness the main thread's own
    // waits for a core do not explain (a lock, a blocking call or synchronous work in the addon would show there).
    const a = startTrainer();
    const b = startTrainer();
    await Promise.all([a.ready, b.ready]);
    const start = { a: a.steps(), b: b.steps() };
    const r = await serveAndMeasure(SECONDS * 1000);
    const steps = [a.steps() - start.a, b.steps() - start.b];
    await Promise.all([a.worker.terminate(), b.worker.terminate()]);

    assert.ok(steps[0] >= 20 && steps[1] >= 20, `worker steps: ${steps}`);
    assert.ok(a.losses[a.losses.length - 1] < a.losses[0] && b.losses[b.losses.length - 1] < b.losses[0], 'the losses fall');
    assert.ok(r.served >= 100, `only ${r.served} requests served`);
    assert.ok(r.maxUnexplained < 50, `a 10 ms timer was late by ${r.maxUnexplained.toFixed(1)} ms beyond the main thread's waits for a core (raw lateness ${r.maxLag} ms; event loop delay p99 ${r.p99.toFixed(1)} ms)`);
  });

  it('terminating a worker mid-step gives its native memory back', function () {
    // In a fresh process: in a long-lived one, the allocator's reuse of memory freed earlier blurs RSS.
    const r = spawnSync(process.execPath, ['-e', TERMINATE_CHILD, LIB, TRAINER], { encoding: 'utf8', timeout: 120_000 });
    assert.strictEqual(r.status, 0, `the child failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { rss: number[]; live: number[] };
    const [rss0, rss1, rss2, rss3, rss4] = m.rss;
    assert.ok(rss1 - rss0 > 200 * MB, `the worker holds ${((rss1 - rss0) / MB).toFixed(0)} MB`);
    assert.ok(rss1 - rss2 > 200 * MB, `RSS went from ${(rss1 / MB).toFixed(0)} MB to ${(rss2 / MB).toFixed(0)} MB after terminate`);
    assert.strictEqual(m.live[1], m.live[0], 'the main thread\'s tensors are untouched');
    // The C allocator keeps part of what the workers' threads freed for reuse (seen: up to 140 MB, landing in either
    // round); six leaking workers of 64 MiB would add 384 MiB.
    assert.ok(rss4 - rss2 < 192 * MB, `RSS grew by ${((rss4 - rss2) / MB).toFixed(0)} MB over six more workers (${((rss3 - rss2) / MB).toFixed(0)} MB over the first three)`);
  });
});
