// vision.datasets: ImageFolder against torchvision's class discovery, errors naming paths, the DataLoader
// over JPEGs (batched pixels, event-loop lag), MNIST/FashionMNIST from IDX files, saveImageFolder.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { DataLoader, Subset } from '../lib/data';
import { datasets, transforms, io } from '../lib/vision';
import { py, requirePython } from './helpers/python';

const seedTransform = () => new transforms.Compose([new transforms.Resize(256), new transforms.CenterCrop(224), new transforms.ToTensor()]);

describe('vision.datasets.ImageFolder', function () {
  let root: string;
  let r: Record<string, unknown>;

  before(function () {
    requirePython(this);
    this.timeout(120000);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-folder-'));
    r = py(`
import os, numpy as np
from PIL import Image
from torchvision.datasets import ImageFolder
root = ${JSON.stringify(root)}
rng = np.random.default_rng(2)
def photo(p, w, h):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    Image.fromarray(rng.integers(0, 256, size=(h // 16 + 2, w // 16 + 2, 3), dtype=np.uint8)).resize((w, h), Image.BICUBIC).save(p, quality=90)
for i in range(24):
    cls = ['cat', 'dog', 'emu'][i % 3]
    sub = 'nested/' if i % 5 == 0 else ''
    photo(f'{root}/train/{cls}/{sub}img{i:02d}.{"png" if i % 7 == 0 else "jpg"}', 300 + 13 * i, 420 - 7 * i)
open(f'{root}/train/dog/notes.txt', 'w').write('not an image')
ds = ImageFolder(root + '/train')
emit('classes', ds.classes); emit('classToIdx', ds.class_to_idx)
emit('samples', [[os.path.relpath(p, root), t] for p, t in ds.samples]); emit('targets', ds.targets)
`);
  });

  after(function () {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('finds classes, samples and targets exactly as torchvision does', function () {
    const ds = new datasets.ImageFolder(path.join(root, 'train'));
    assert.deepStrictEqual(ds.classes, r.classes);
    assert.deepStrictEqual(ds.classToIdx, r.classToIdx);
    assert.deepStrictEqual(ds.samples.map(([p, t]) => [path.relative(root, p), t]), r.samples);
    assert.deepStrictEqual(ds.targets, r.targets);
    assert.strictEqual(ds.length, 24);
    assert.deepStrictEqual(ds.imgs, ds.samples);
  });

  it('getItem gives [transform(image), classIndex]; targetTransform applies to the label', async function () {
    const ds = new datasets.ImageFolder(path.join(root, 'train'), { transform: seedTransform(), targetTransform: (y: number) => y * 10 });
    const [x, y] = await ds.getItem(1);
    assert.deepStrictEqual(x.shape, [3, 224, 224]);
    assert.strictEqual(x.dtype, 'float32');
    assert.strictEqual(y, (r.targets as number[])[1] * 10);
    const raw = new datasets.ImageFolder(path.join(root, 'train'));
    const [img] = await raw.getItem(0);
    assert.ok((img as unknown) instanceof io.Image);
  });

  it('a DataLoader batch equals the stacked single samples (one-pass conversion, Normalize folded in)', async function () {
    const normalized = new transforms.Compose([...seedTransform().transforms, new transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]);
    const gray = new transforms.Compose([new transforms.RandomResizedCrop(64), new transforms.Grayscale(), new transforms.PILToTensor()]);
    for (const transform of [seedTransform(), normalized, gray]) {
      const ds = new datasets.ImageFolder(path.join(root, 'train'), { transform });
      const order = [3, 0, 7, 11, 20];
      const batches: [torch.Tensor, torch.Tensor][] = [];
      for await (const b of new DataLoader(ds, { batchSize: 5, sampler: order, seed: 3 })) batches.push(b);
      const [x, y] = batches[0];
      assert.strictEqual(x.shape[0], 5);
      assert.ok(x.isContiguous());
      assert.deepStrictEqual(y.tolist(), order.map((i) => (r.targets as number[])[i]));
      // The same per-sample generators outside the loader: each sample's randomness is its own.
      const singles: torch.Tensor[] = [];
      for await (const b of new DataLoader(ds, { batchSize: null, sampler: order, seed: 3, collateFn: (s: unknown) => s as never })) singles.push((b as unknown as [torch.Tensor])[0]);
      assert.strictEqual(torch.stack(singles).to('float64').sub(x.to('float64')).abs().max().item(), 0, String(transform));
    }
    const [x] = await new datasets.ImageFolder(path.join(root, 'train'), { transform: normalized }).getItem(0);
    assert.deepStrictEqual(x.shape, [3, 224, 224]);
  });

  it('errors: no class folder, an empty class folder, a corrupt image (named), isValidFile skips', async function () {
    fs.mkdirSync(path.join(root, 'empty-root'));
    assert.throws(() => new datasets.ImageFolder(path.join(root, 'empty-root')), /Couldn't find any class folder in .*empty-root/);
    fs.mkdirSync(path.join(root, 'with-empty', 'a'), { recursive: true });
    fs.mkdirSync(path.join(root, 'with-empty', 'b'), { recursive: true });
    fs.copyFileSync(path.join(root, 'train', 'cat', 'img03.jpg'), path.join(root, 'with-empty', 'a', 'x.jpg'));
    fs.writeFileSync(path.join(root, 'with-empty', 'b', 'readme.txt'), 'text');
    assert.throws(() => new datasets.ImageFolder(path.join(root, 'with-empty')), /Found no valid file for the classes b in .*with-empty\. Supported extensions are: \.jpg, \.jpeg/);
    assert.throws(() => new datasets.ImageFolder(path.join(root, 'missing')), /Couldn't read the dataset folder .*missing/);
    const corrupt = path.join(root, 'with-empty', 'b', 'broken.jpg');
    fs.writeFileSync(corrupt, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3, 4]));
    const ds = new datasets.ImageFolder(path.join(root, 'with-empty'), { transform: seedTransform() });
    await assert.rejects(ds.getItem(1), (e: Error) => e.message.includes(corrupt));
    await assert.rejects(
      (async () => {
        for await (const b of new DataLoader(ds, { batchSize: 2 })) void b;
      })(),
      (e: Error) => e.message.startsWith('DataLoader: loading sample 1') && e.message.includes(corrupt),
    );
    const skipping = new datasets.ImageFolder(path.join(root, 'with-empty'), { isValidFile: (p) => !p.endsWith('broken.jpg') && p.endsWith('.jpg') || p.endsWith('.txt') });
    assert.deepStrictEqual(skipping.samples.map(([p]) => path.basename(p)), ['x.jpg', 'readme.txt']);
  });

  it('keeps the event loop responsive while decoding at full speed', async function () {
    this.timeout(120000);
    // Timer lag while the loader runs, against the lag while the same decoding runs without it: the decode
    // threads take CPU from the main thread either way (more so on a busy machine); the loader must not add
    // long blocks of its own (a batch decoded on the main thread would add tens of milliseconds).
    const ds = new datasets.ImageFolder(path.join(root, 'train'), { transform: seedTransform() });
    const files = Array.from({ length: 96 }, (_, i) => ds.samples[i % 24][0]);
    const measure = async (work: () => Promise<void>) => {
      const lags: number[] = [];
      let last = process.hrtime.bigint();
      const timer = setInterval(() => {
        const now = process.hrtime.bigint();
        lags.push(Number(now - last) / 1e6 - 2);
        last = now;
      }, 2);
      await work();
      clearInterval(timer);
      lags.sort((a, b) => a - b);
      return { p90: lags[Math.floor(lags.length * 0.9)], max: lags[lags.length - 1], n: lags.length };
    };
    const bare = await measure(async () => {
      let next = 0;
      const worker = async () => {
        while (next < files.length) await io.readImage(files[next++]);
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    });
    let n = 0;
    const loading = await measure(async () => {
      for await (const [x] of new DataLoader(new Subset(ds, Array.from({ length: 96 }, (_, i) => i % 24)), { batchSize: 16, numWorkers: 4 })) n += x.shape[0];
    });
    assert.strictEqual(n, 96);
    assert.ok(loading.n > 20, `the timer fired ${loading.n} times`);
    const msg = `90th percentile timer lag ${loading.p90.toFixed(1)} ms loading, ${bare.p90.toFixed(1)} ms decoding alone (max ${loading.max.toFixed(1)} / ${bare.max.toFixed(1)})`;
    assert.ok(loading.p90 < Math.max(2 * bare.p90, 10) + 15, msg);
  });
});

function idx(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

describe('vision.datasets.MNIST / FashionMNIST', function () {
  let root: string;

  before(function () {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-mnist-'));
    const raw = path.join(root, 'MNIST', 'raw');
    fs.mkdirSync(raw, { recursive: true });
    const pixels = Uint8Array.from({ length: 3 * 28 * 28 }, (_, i) => (i * 7) % 256);
    fs.writeFileSync(path.join(raw, 't10k-images-idx3-ubyte'), idx([3, 28, 28], pixels));
    fs.writeFileSync(path.join(raw, 't10k-labels-idx1-ubyte'), idx([3], Uint8Array.from([7, 2, 1])));
  });

  after(function () {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('reads raw IDX files in root/MNIST/raw: gray Images, labels, data and targets tensors', async function () {
    const ds = new datasets.MNIST(root, { train: false, transform: new transforms.ToTensor() });
    assert.strictEqual(ds.length, 3);
    assert.deepStrictEqual(ds.targets.tolist(), [7, 2, 1]);
    assert.deepStrictEqual(ds.data.shape, [3, 28, 28]);
    const [x, y] = await ds.getItem(1);
    assert.strictEqual(y, 2);
    assert.deepStrictEqual(x.shape, [1, 28, 28]);
    const want = ds.data.select(0, 1).to('float32').div(255).unsqueeze(0);
    assert.ok(x.sub(want).abs().max().item() < 1e-7);
    const [img] = await new datasets.MNIST<io.Image>(root, { train: false }).getItem(0);
    assert.ok(img instanceof io.Image && img.mode === 'L' && img.width === 28);
    assert.strictEqual(ds.classes[7], '7 - seven');
  });

  it('says where it looked and what to do when files are missing', function () {
    assert.throws(() => new datasets.MNIST(root, { train: true }), /Dataset not found: no train-images-idx3-ubyte\[\.gz\].*Possible solutions/);
    assert.throws(() => new datasets.MNIST(root, { download: true }), /cannot wait in a constructor/);
  });

  it('finds Debian\'s Fashion-MNIST with no root and matches its IDX contents', async function () {
    if (!fs.existsSync('/usr/share/datasets/fashion-mnist')) this.skip();
    requirePython(this);
    const ds = new datasets.FashionMNIST(undefined, { train: false });
    assert.strictEqual(ds.length, 10000);
    assert.strictEqual(ds.classes[9], 'Ankle boot');
    const r = py(`
import gzip, numpy as np
d = '/usr/share/datasets/fashion-mnist/'
imgs = np.frombuffer(gzip.open(d + 't10k-images-idx3-ubyte.gz').read(), np.uint8, offset=16).reshape(-1, 28, 28)
labels = np.frombuffer(gzip.open(d + 't10k-labels-idx1-ubyte.gz').read(), np.uint8, offset=8)
emit('labels', labels[:20].tolist()); emit('img', torch.from_numpy(imgs[123].copy()))
`);
    assert.deepStrictEqual(ds.targets.narrow(0, 0, 20).tolist(), r.labels);
    const t = await ((await ds.getItem(123))[0] as unknown as io.Image).toTensor();
    assert.deepStrictEqual(Array.from(t.dataSync() as Uint8Array), (r.img as { data: number[] }).data);
    const train = new datasets.FashionMNIST(undefined, { train: true, transform: new transforms.ToTensor() });
    assert.strictEqual(train.length, 60000);
    const loader = new DataLoader(train, { batchSize: 256, shuffle: true, seed: 1 });
    let first: [torch.Tensor, torch.Tensor] | undefined;
    for await (const b of loader) {
      first = b;
      break;
    }
    const [x, y] = first as [torch.Tensor, torch.Tensor];
    assert.deepStrictEqual(x.shape, [256, 1, 28, 28]);
    assert.strictEqual(y.dtype, 'int64');
  });

  it('saveImageFolder writes a dataset that ImageFolder reads back with the same pixels and labels', async function () {
    const ds = new datasets.MNIST<io.Image>(root, { train: false });
    const out = path.join(root, 'as-folder');
    const files = await datasets.saveImageFolder(ds, out);
    assert.strictEqual(files.length, 3);
    const back = new datasets.ImageFolder(out, { transform: new transforms.Compose([new transforms.Grayscale(1), new transforms.PILToTensor()]) });
    assert.deepStrictEqual(back.classes, ['1 - one', '2 - two', '7 - seven']);
    for (let i = 0; i < 3; i++) {
      const [x, y] = await back.getItem(i);
      const k = [2, 1, 0][i];
      assert.strictEqual(back.classes[y], ds.classes[ds.targetList[k]]);
      assert.strictEqual(x.sub(ds.data.select(0, k).unsqueeze(0)).abs().max().item(), 0);
    }
  });
});
