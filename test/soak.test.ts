// Soak: the seed's training loop as users write it (no tidy, no dispose, `for await` over a DataLoader) on a
// small CNN: RSS after warm-up stays within 10% and the tensor table stays bounded. TORCH_NODE_FULL_TESTS=1
// runs 10,000 steps; the quick run 300. On a GPU (@gpu), memoryAllocated comes back to its baseline.
import * as assert from 'assert';
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { DataLoader, TensorDataset } from '../lib/data';
import { N } from '../lib/native';

const FULL = process.env.TORCH_NODE_FULL_TESTS === '1';
const STEPS = FULL ? 10_000 : 300;
const MB = 2 ** 20;

function smallCnn(): nn.Module {
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(16 * 7 * 7, 10),
  );
}

/** Runs the seed loop for `steps` steps over a synthetic 28x28 data set; calls `after(step, loss)` after each. */
async function seedLoop(device: string, steps: number, after: (step: number, loss: number) => void | Promise<void>): Promise<void> {
  torch.manualSeed(0);
  const images = torch.randn([512, 1, 28, 28]);
  const labels = torch.randint(0, 10, [512]);
  const loader = new DataLoader(new TensorDataset(images, labels), { batchSize: 32, shuffle: true });
  const model = smallCnn();
  model.to(device);
  model.train();
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  let step = 0;
  while (step < steps) {
    for await (const [inputs, targets] of loader as unknown as AsyncIterable<[torch.Tensor, torch.Tensor]>) {
      optimizer.zeroGrad();
      const loss = criterion.forward(model.forward(inputs.to(device)) as torch.Tensor, targets.to(device));
      loss.backward();
      optimizer.step();
      await after(step, loss.item());
      if (++step === steps) break;
    }
  }
}

describe('soak', function () {
  this.timeout(FULL ? 4 * 3_600_000 : 300_000);

  it(`the seed loop with no explicit frees holds RSS within 10% after warm-up (${STEPS} steps)`, async function () {
    const warmUp = Math.max(75, Math.floor(STEPS / 10));
    let warm = 0;
    let peak = 0;
    let liveWarm = 0;
    let liveMax = 0;
    let first = 0;
    let last = 0;
    await seedLoop('cpu', STEPS, (step, loss) => {
      if (step === 0) first = loss;
      last = loss;
      if (step === warmUp) {
        warm = process.memoryUsage().rss;
        liveWarm = N.liveTensors();
      }
      if (step > warmUp && step % 10 === 0) {
        peak = Math.max(peak, process.memoryUsage().rss);
        liveMax = Math.max(liveMax, N.liveTensors());
      }
    });
    assert.ok(last < first, `the loss went from ${first} to ${last}`);
    assert.ok(peak <= warm * 1.1, `RSS went from ${(warm / MB).toFixed(0)} MB after warm-up to ${(peak / MB).toFixed(0)} MB`);
    // Tensors waiting for the garbage collector come and go; a leak grows without bound.
    assert.ok(liveMax < liveWarm + 2000, `live tensors went from ${liveWarm} to ${liveMax}`);
  });

  it('@gpu memoryAllocated returns to its baseline every step', async function () {
    if (!torch.cuda.isAvailable()) this.skip();
    const gc = (globalThis as { gc?: () => void }).gc;
    let baseline = 0;
    const over: string[] = [];
    await seedLoop('cuda', FULL ? STEPS : 200, async (step) => {
      // The step's intermediates are garbage now: collect them and let their finalizers run.
      if (gc) gc();
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      torch.cuda.synchronize();
      const allocated = torch.cuda.memoryAllocated();
      if (step === 2) baseline = allocated;
      else if (step > 2 && allocated > baseline + MB) over.push(`step ${step}: ${allocated} > ${baseline}`);
    });
    assert.deepStrictEqual(over.slice(0, 10), []);
  });
});
