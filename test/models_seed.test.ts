// The seed tutorial of API.md, Steps 1-4, as written there (strict TypeScript: this file type-checks as part of
// the build), on a tiny ImageFolder made here: once with `{ weights: null }` and once with `{ pretrained: true }`
// from a checkpoint placed in a temporary $TORCH_HOME under the official file name (no network).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim, Tensor } from '../lib';
import { models, datasets, transforms } from '../lib/vision';
import { DataLoader } from '../lib/data';

/** Writes a binary PPM (P6) image of smooth random colours. */
function writePpm(file: string, w: number, h: number, seed: number): void {
  const header = Buffer.from(`P6\n${w} ${h}\n255\n`, 'ascii');
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      px[i] = (x * 7 + seed * 31) % 256;
      px[i + 1] = (y * 5 + seed * 17) % 256;
      px[i + 2] = ((x + y) * 3 + seed * 11) % 256;
    }
  }
  fs.writeFileSync(file, Buffer.concat([header, px]));
}

type ModelOpts = Parameters<typeof models.resnet18>[0];

/** Steps 1-4 of the seed tutorial, one epoch; returns the model and the epoch's mean loss. */
async function seedTutorial(root: string, opts: ModelOpts): Promise<{ model: models.ResNet; loss: number; fc0: Tensor }> {
  // Step 1: load a pre-trained model
  const model = await models.resnet18(opts);

  // Step 2: replace the final layer
  const numClasses = 10;
  model.fc = new nn.Linear(model.fc.inFeatures, numClasses);
  const fc0 = model.fc.weight.clone();

  // Step 3: freeze all layers but the final one
  for (const param of model.parameters()) param.requiresGrad = false;
  for (const param of model.fc.parameters()) param.requiresGrad = true;

  // Step 4: train
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.SGD(model.fc.parameters(), { lr: 0.001, momentum: 0.9 });
  const transform = new transforms.Compose([new transforms.Resize(256), new transforms.CenterCrop(224), new transforms.ToTensor()]);
  const trainDataset = new datasets.ImageFolder(path.join(root, 'train'), { transform });
  const trainLoader = new DataLoader(trainDataset, { batchSize: 32, shuffle: true });

  const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';
  model.to(device);
  model.train();
  let runningLoss = 0;
  for (let epoch = 0; epoch < 1; epoch++) {
    runningLoss = 0;
    for await (const [inputs, labels] of trainLoader) {
      optimizer.zeroGrad();
      const outputs = model.forward(inputs.to(device));
      const loss = criterion.forward(outputs, labels.to(device));
      loss.backward();
      optimizer.step();
      runningLoss += loss.item();
    }
  }
  return { model, loss: runningLoss / trainLoader.length, fc0 };
}

describe('vision.models: the seed tutorial (API.md Steps 1-4)', function () {
  this.timeout(300000);
  let root: string;
  let savedHome: string | undefined;
  let checkpoint: Record<string, Tensor>;

  before(async function () {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-seed-'));
    for (const [c, cls] of ['ants', 'bees'].entries()) {
      fs.mkdirSync(path.join(root, 'train', cls), { recursive: true });
      for (let i = 0; i < 2; i++) writePpm(path.join(root, 'train', cls, `img${i}.ppm`), 240 + 16 * i, 260 - 8 * i, c * 10 + i);
    }
    // The cache Python's torch.hub uses, holding a resnet18 checkpoint under torchvision's official file name.
    savedHome = process.env.TORCH_HOME;
    process.env.TORCH_HOME = path.join(root, 'torch-home');
    const dir = path.join(root, 'torch-home', 'hub', 'checkpoints');
    fs.mkdirSync(dir, { recursive: true });
    torch.manualSeed(123);
    const made = await models.resnet18();
    await torch.save(made.stateDict(), path.join(dir, path.basename(models.ResNet18_Weights.IMAGENET1K_V1.url)));
    checkpoint = made.stateDict();
  });

  after(function () {
    if (savedHome === undefined) delete process.env.TORCH_HOME;
    else process.env.TORCH_HOME = savedHome;
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('runs with { weights: null }: one epoch trains only the new fc', async function () {
    torch.manualSeed(0);
    const { model, loss, fc0 } = await seedTutorial(root, { weights: null });
    assert.ok(Number.isFinite(loss) && loss > 0, `loss ${loss}`);
    assert.ok(!torch.equal(model.fc.weight, fc0), 'fc did not train');
    assert.strictEqual(model.fc.outFeatures, 10);
    const trainable = [...model.namedParameters()].filter(([, p]) => p.requiresGrad).map(([k]) => k);
    assert.deepStrictEqual(trainable, ['fc.weight', 'fc.bias']);
  });

  it('runs with { pretrained: true } from the cached checkpoint: the frozen backbone is the checkpoint, fc moved', async function () {
    torch.manualSeed(0);
    const { model, loss, fc0 } = await seedTutorial(root, { pretrained: true });
    assert.ok(Number.isFinite(loss) && loss > 0, `loss ${loss}`);
    const state = model.stateDict();
    for (const [k, v] of Object.entries(checkpoint)) {
      if (k.startsWith('fc.')) continue;
      if (/running_|num_batches/.test(k)) continue; // train() mode updates BatchNorm statistics, as in PyTorch
      assert.ok(torch.equal(state[k], v), `${k} changed`);
    }
    assert.ok(!torch.equal(model.fc.weight, fc0), 'fc did not train');
  });
});
