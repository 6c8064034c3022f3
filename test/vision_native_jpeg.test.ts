// The native JPEG fast path (reduced-scale libjpeg decoding + PIL's antialiased bilinear resize + crop) against
// torchvision + PIL, its errors, and the sharp pipeline it falls back to.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { io, transforms, datasets } from '../lib/vision';
import { DataLoader } from '../lib/data';
import { hasJpegFastPath, jpegFastPlan, setJpegFastPath } from '../lib/vision/_jpeg';
import { py, requirePython, PyTensor } from './helpers/python';

function fromPy(e: unknown): torch.Tensor {
  const t = e as PyTensor;
  return torch.tensor(Uint8Array.from(t.data as number[])).reshape(t.shape);
}

/** Mean absolute difference in [0, 1] units between a float image and a uint8 one (ToTensor's x / 255). */
function mad(x: torch.Tensor, want: torch.Tensor): number {
  return torch.tidy(() => x.to('float64').sub(want.to('float64').div(255)).abs().mean().item() as number);
}

const seed = () => new transforms.Compose([new transforms.Resize(256), new transforms.CenterCrop(224), new transforms.ToTensor()]);

// name: [width, height, mode, quality, subsampling (PIL: 0 = 4:4:4, 2 = 4:2:0)]
const FILES: Record<string, [number, number, 'RGB' | 'L', number, number]> = {
  land: [517, 401, 'RGB', 90, 2],
  port: [433, 639, 'RGB', 85, 2],
  odd: [301, 263, 'RGB', 95, 0],
  small: [181, 150, 'RGB', 90, 2],
  wide: [1023, 257, 'RGB', 75, 2],
  gray: [457, 389, 'L', 90, 2],
};

describe('vision: native JPEG fast path', function () {
  let dir: string;
  let r: Record<string, unknown>;

  before(function () {
    if (!hasJpegFastPath()) this.skip();
    requirePython(this);
    this.timeout(120000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-jpeg-'));
    fs.mkdirSync(path.join(dir, 'folder', 'a'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'folder', 'b'), { recursive: true });
    r = py(`
import json, numpy as np
from PIL import Image
from torchvision import transforms as T
root = ${JSON.stringify(dir)}
files = json.loads(${JSON.stringify(JSON.stringify(FILES))})
rng = np.random.default_rng(7)
tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor()])
def u8(t): return (t * 255).round().to(torch.uint8)
for name, (w, h, mode, q, sub) in files.items():
    base = Image.fromarray(rng.integers(0, 256, size=(h // 16 + 2, w // 16 + 2, 3), dtype=np.uint8)).resize((w, h), Image.BICUBIC)
    arr = np.clip(np.asarray(base).astype(np.int16) + rng.integers(-4, 5, size=(h, w, 3)), 0, 255).astype(np.uint8)
    img = Image.fromarray(arr).convert(mode)
    img.save(root + '/' + name + '.jpg', quality=q, subsampling=sub)
    emit(name, u8(tf(Image.open(root + '/' + name + '.jpg').convert('RGB'))))
    if mode == 'L':
        emit(name + '_L', u8(tf(Image.open(root + '/' + name + '.jpg'))))
for i, name in enumerate(['land', 'port', 'odd', 'gray']):
    Image.open(root + '/' + name + '.jpg').save(root + '/folder/' + 'ab'[i % 2] + '/' + name + '.jpg', quality=100)
Image.open(root + '/land.jpg').save(root + '/land.png')
emit('land_png', u8(tf(Image.open(root + '/land.png').convert('RGB'))))
emit('land_bicubic', u8(T.Compose([T.Resize(256, T.InterpolationMode.BICUBIC), T.CenterCrop(224), T.ToTensor()])(Image.open(root + '/land.jpg').convert('RGB'))))
`);
  });

  after(function () {
    setJpegFastPath(true);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Resize(256) + CenterCrop(224) + ToTensor runs natively within 0.02 of torchvision + PIL (RGB, odd sizes, 4:4:4, upscaling, gray to RGB)', async function () {
    for (const name of Object.keys(FILES)) {
      const img = (await io.openImage(path.join(dir, `${name}.jpg`))).convert('RGB');
      const plan = jpegFastPlan(seed().transforms.slice(0, 2).reduce((x, t) => (t as transforms.Resize).forward(x), img as io.Image));
      assert.ok(plan, `${name}: the fast path should apply`);
      const x = (await seed().forward(img)) as torch.Tensor;
      const want = fromPy(r[name]);
      assert.deepStrictEqual(x.shape, [3, 224, 224]);
      assert.strictEqual(x.dtype, 'float32');
      const d = mad(x, want);
      assert.ok(d < 0.02, `${name}: mean absolute difference ${d}`);
      // Far from a constant image: the comparison has something to fail on.
      assert.ok((x.std().item() as number) > 0.05);
      x.dispose();
      want.dispose();
    }
  });

  it('decodes a gray JPEG as one channel (mode L) and PILToTensor gives uint8', async function () {
    const img = await io.openImage(path.join(dir, 'gray.jpg'));
    assert.strictEqual(img.mode, 'L');
    const x = (await seed().forward(img)) as torch.Tensor;
    assert.deepStrictEqual(x.shape, [1, 224, 224]);
    assert.ok(mad(x, fromPy(r.gray_L)) < 0.02);
    const u = await new transforms.PILToTensor().forward(new transforms.CenterCrop(224).forward(new transforms.Resize(256).forward(img)));
    assert.strictEqual(u.dtype, 'uint8');
    const d = torch.tidy(() => u.to('float64').sub(fromPy(r.gray_L).to('float64')).abs().mean().item() as number);
    assert.ok(d < 0.02 * 255, `mean absolute difference ${d}`);
  });

  it('a DataLoader batch over an ImageFolder matches torchvision per image and the sharp fallback', async function () {
    this.timeout(60000);
    const load = async () => {
      const ds = new datasets.ImageFolder(path.join(dir, 'folder'), { transform: seed() });
      const out: torch.Tensor[] = [];
      for await (const [x, y] of new DataLoader(ds, { batchSize: 4, shuffle: false })) {
        out.push(x, y);
      }
      return out;
    };
    const [fast, labels] = await load();
    assert.deepStrictEqual(fast.shape, [4, 3, 224, 224]);
    assert.deepStrictEqual(Array.from(labels.dataSync() as BigInt64Array, Number), [0, 0, 1, 1]);
    // ImageFolder sorts: a/land, a/odd, b/gray, b/port; re-saved at quality 100, so compare loosely with the originals.
    ['land', 'odd', 'gray', 'port'].forEach((name, i) => {
      const d = mad(fast.select(0, i), fromPy(r[name]));
      assert.ok(d < 0.03, `${name}: mean absolute difference ${d}`);
    });
    setJpegFastPath(false);
    try {
      const [slow] = await load();
      const d = torch.tidy(() => fast.sub(slow).abs().mean().item() as number);
      assert.ok(d < 0.02, `fast path vs sharp: mean absolute difference ${d}`);
      assert.ok(d > 0, 'the fallback should have run sharp, not the fast path');
    } finally {
      setJpegFastPath(true);
    }
  });

  it('a corrupt or truncated JPEG rejects with a TorchError naming the file; the process goes on', async function () {
    const good = fs.readFileSync(path.join(dir, 'land.jpg'));
    const truncated = path.join(dir, 'truncated.jpg');
    fs.writeFileSync(truncated, good.subarray(0, Math.floor(good.length * 0.6)));
    const corrupt = path.join(dir, 'corrupt.jpg');
    const bad = Buffer.from(good);
    // Keep SOI and the first segments (so the header parses), then break a marker of the frame.
    const sof = bad.indexOf(Buffer.from([0xff, 0xc0]));
    bad[sof + 4] = 0; // 0 bits per sample: libjpeg's error_exit
    fs.writeFileSync(corrupt, bad);
    for (const file of [truncated, corrupt]) {
      const img = await io.openImage(file); // the header is intact: the error comes from decoding
      const piped = new transforms.CenterCrop(224).forward(new transforms.Resize(256).forward(img.convert('RGB')));
      assert.ok(jpegFastPlan(piped), 'the fast path should apply');
      await assert.rejects(new transforms.ToTensor().forward(piped), (err: Error) => {
        assert.ok(err instanceof torch.TorchError, `expected a TorchError, got ${err}`);
        assert.ok(err.message.includes(file), err.message);
        return true;
      });
    }
    // Still alive and decoding.
    const ok = (await seed().forward(await io.openImage(path.join(dir, 'land.jpg')))) as torch.Tensor;
    assert.deepStrictEqual(ok.shape, [3, 224, 224]);
  });

  it('other chains and formats fall back to sharp and still match PIL', async function () {
    const img = (await io.openImage(path.join(dir, 'land.jpg'))).convert('RGB');
    const bicubic = new transforms.Compose([new transforms.Resize(256, 'bicubic'), new transforms.CenterCrop(224)]).forward(img) as io.Image;
    assert.strictEqual(jpegFastPlan(bicubic), null);
    const xb = (await new transforms.ToTensor().forward(bicubic)) as torch.Tensor;
    assert.ok(mad(xb, fromPy(r.land_bicubic)) < 0.02);
    assert.strictEqual(jpegFastPlan(img), null, 'no resize: plain decoding stays with sharp');
    const flipped = new transforms.RandomHorizontalFlip(1).forward(new transforms.Resize(256).forward(img)) as io.Image;
    assert.strictEqual(jpegFastPlan(flipped), null);
    const png = (await io.openImage(path.join(dir, 'land.png'))).convert('RGB');
    assert.strictEqual(jpegFastPlan(new transforms.Resize(256).forward(png)), null);
    const xp = (await seed().forward(png)) as torch.Tensor;
    assert.ok(mad(xp, fromPy(r.land_png)) < 0.02);
    // With the fast path off, the seed's chain on a JPEG goes through sharp, still close to PIL.
    setJpegFastPath(false);
    try {
      assert.strictEqual(jpegFastPlan(new transforms.Resize(256).forward(img)), null);
      const xs = (await seed().forward(img)) as torch.Tensor;
      assert.ok(mad(xs, fromPy(r.land)) < 0.02);
    } finally {
      setJpegFastPath(true);
    }
  });
});
