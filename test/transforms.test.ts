// vision.transforms against torchvision 0.14: the tensor functions on the same inputs, the random parameters
// under the same seed, the lazy Image path against PIL (the seed's Resize+CenterCrop+ToTensor within 0.02
// mean absolute difference), and Compose's printing.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { transforms, io } from '../lib/vision';
import { py, requirePython, assertClose, PyTensor } from './helpers/python';

const F = transforms.functional;

function fromPy(e: unknown): torch.Tensor {
  const t = e as PyTensor;
  if (t.dtype === 'uint8') return torch.tensor(Uint8Array.from(t.data as number[])).reshape(t.shape);
  return torch.tensor(t.data as number[], { dtype: t.dtype as 'float32' }).reshape(t.shape);
}

function meanAbsDiff(a: torch.Tensor, b: torch.Tensor): number {
  return a.to('float64').sub(b.to('float64')).abs().mean().item();
}

describe('transforms: tensor functions match torchvision', function () {
  let r: Record<string, unknown>;
  let img: torch.Tensor;
  let imgF: torch.Tensor;

  before(function () {
    requirePython(this);
    r = py(`
import torchvision.transforms.functional as F
from torchvision.transforms import InterpolationMode as I
torch.manual_seed(0)
img = (torch.rand(3, 37, 53) * 255).to(torch.uint8)
imgf = torch.rand(3, 37, 53)
emit('img', img); emit('imgf', imgf)
emit('resize_aa', F.resize(img, [20, 30], antialias=True))
emit('resize_noaa', F.resize(img, [20, 30], antialias=False))
emit('resize_int', F.resize(imgf, 24, antialias=True))
emit('resize_up', F.resize(imgf, [50, 61], interpolation=I.BICUBIC, antialias=False))
emit('resize_nearest', F.resize(img, [16, 22], interpolation=I.NEAREST))
emit('resize_max', F.resize(img, 20, max_size=25, antialias=True))
emit('crop_oob', F.crop(img, -3, 40, 10, 20))
emit('center_pad', F.center_crop(img, [41, 60]))
emit('center', F.center_crop(img, 21))
emit('pad_const', F.pad(img, [1, 2, 3, 4], fill=7))
emit('pad_edge', F.pad(img, [2, 1], padding_mode='edge'))
emit('pad_reflect', F.pad(imgf, 3, padding_mode='reflect'))
emit('pad_sym', F.pad(img, [1, 2, 3, 4], padding_mode='symmetric'))
emit('hflip', F.hflip(img)); emit('vflip', F.vflip(img))
emit('rot', F.rotate(img, 30.0, fill=[0.0, 0.0, 0.0]))
emit('rot_expand', F.rotate(imgf, 45.0, interpolation=I.BILINEAR, expand=True))
emit('affine', F.affine(img, angle=10.0, translate=[3, -2], scale=1.1, shear=[5.0, 2.0], fill=[10.0, 20.0, 30.0]))
emit('bright', F.adjust_brightness(img, 1.3)); emit('contrast', F.adjust_contrast(img, 0.6))
emit('sat', F.adjust_saturation(img, 1.7)); emit('hue', F.adjust_hue(imgf, 0.2)); emit('hue8', F.adjust_hue(img, -0.3))
emit('gamma', F.adjust_gamma(imgf, 0.8, 1.1))
emit('gray', F.rgb_to_grayscale(img)); emit('gray3', F.rgb_to_grayscale(imgf, 3))
emit('blur', F.gaussian_blur(img, [5, 3], [1.5, 0.8])); emit('blurf', F.gaussian_blur(imgf, 7))
emit('autocontrast', F.autocontrast(img)); emit('equalize', F.equalize(img))
emit('posterize', F.posterize(img, 3)); emit('solarize', F.solarize(img, 128)); emit('invert', F.invert(img))
emit('sharp', F.adjust_sharpness(img, 2.5))
emit('norm', F.normalize(imgf, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]))
emit('erase', F.erase(imgf, 2, 3, 5, 7, torch.tensor([0.5])))
emit('tofloat', F.convert_image_dtype(img, torch.float32)); emit('tou8', F.convert_image_dtype(imgf, torch.uint8))
`);
    img = fromPy(r.img);
    imgF = fromPy(r.imgf);
  });

  it('resize: antialiased or not, shorter-edge int, bicubic upsampling, nearest, maxSize', function () {
    assertClose(F.resize(img, [20, 30], 'bilinear', null, true), r.resize_aa, { atol: 1 });
    assertClose(F.resize(img, [20, 30], 'bilinear', null, false), r.resize_noaa, { atol: 1 });
    assertClose(F.resize(imgF, 24), r.resize_int, { atol: 1e-5 });
    assertClose(F.resize(imgF, [50, 61], 'bicubic', null, false), r.resize_up, { atol: 1e-5 });
    assertClose(F.resize(img, [16, 22], 'nearest'), r.resize_nearest);
    assertClose(F.resize(img, 20, 'bilinear', 25), r.resize_max, { atol: 1 });
    assert.throws(() => F.resize(img, 20, 'bilinear', 20), /must be strictly greater/);
  });

  it('crop (zeros outside), centerCrop (padding when larger), pad modes, flips', function () {
    assertClose(F.crop(img, -3, 40, 10, 20), r.crop_oob);
    assertClose(F.centerCrop(img, [41, 60]), r.center_pad);
    assertClose(F.centerCrop(img, 21), r.center);
    assertClose(F.pad(img, [1, 2, 3, 4], 7), r.pad_const);
    assertClose(F.pad(img, [2, 1], 0, 'edge'), r.pad_edge);
    assertClose(F.pad(imgF, 3, 0, 'reflect'), r.pad_reflect);
    assertClose(F.pad(img, [1, 2, 3, 4], 0, 'symmetric'), r.pad_sym);
    assertClose(F.hflip(img), r.hflip);
    assertClose(F.vflip(img), r.vflip);
  });

  it('rotate (with expand) and affine', function () {
    assertClose(F.rotate(img, 30, 'nearest', false, null, [0, 0, 0]), r.rot, { atol: 1 });
    assertClose(F.rotate(imgF, 45, 'bilinear', true), r.rot_expand, { atol: 1e-4 });
    assertClose(F.affine(img, 10, [3, -2], 1.1, [5, 2], 'nearest', [10, 20, 30]), r.affine, { atol: 1 });
  });

  it('color adjustments, grayscale, blur, autocontrast, equalize, posterize, solarize, invert, sharpness', function () {
    assertClose(F.adjustBrightness(img, 1.3), r.bright, { atol: 1 });
    assertClose(F.adjustContrast(img, 0.6), r.contrast, { atol: 1 });
    assertClose(F.adjustSaturation(img, 1.7), r.sat, { atol: 1 });
    assertClose(F.adjustHue(imgF, 0.2), r.hue, { atol: 1e-5 });
    assertClose(F.adjustHue(img, -0.3), r.hue8, { atol: 1 });
    assertClose(F.adjustGamma(imgF, 0.8, 1.1), r.gamma, { atol: 1e-5 });
    assertClose(F.rgbToGrayscale(img), r.gray, { atol: 1 });
    assertClose(F.rgbToGrayscale(imgF, 3), r.gray3, { atol: 1e-6 });
    assertClose(F.gaussianBlur(img, [5, 3], [1.5, 0.8]), r.blur, { atol: 1 });
    assertClose(F.gaussianBlur(imgF, 7), r.blurf, { atol: 1e-5 });
    assertClose(F.autocontrast(img), r.autocontrast, { atol: 1 });
    assertClose(F.equalize(img), r.equalize);
    assertClose(F.posterize(img, 3), r.posterize);
    assertClose(F.solarize(img, 128), r.solarize);
    assertClose(F.invert(img), r.invert);
    assertClose(F.adjustSharpness(img, 2.5), r.sharp, { atol: 1 });
  });

  it('normalize, erase, convertImageDtype', function () {
    assertClose(F.normalize(imgF, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]), r.norm, { atol: 1e-5 });
    assertClose(F.erase(imgF, 2, 3, 5, 7, torch.tensor([0.5])), r.erase);
    assertClose(F.convertImageDtype(img, 'float32'), r.tofloat, { atol: 1e-7 });
    assertClose(F.convertImageDtype(imgF, 'uint8'), r.tou8);
    assert.throws(() => F.normalize(img, [0], [1]), /Input tensor should be a float tensor/);
    assert.throws(() => F.normalize(imgF, [0, 0, 0], [1, 0, 1]), /std evaluated to zero/);
  });
});

describe('transforms: random parameters follow torch.manualSeed like torchvision', function () {
  let r: Record<string, unknown>;

  before(function () {
    requirePython(this);
    r = py(`
import torchvision.transforms as T
img = torch.zeros(3, 200, 300, dtype=torch.uint8)
torch.manual_seed(3); emit('rrc', list(T.RandomResizedCrop.get_params(img, [0.08, 1.0], [3/4, 4/3])))
torch.manual_seed(4); emit('rc', list(T.RandomCrop.get_params(img, (50, 70))))
torch.manual_seed(5); p = T.ColorJitter.get_params([0.5, 1.5], [0.7, 1.3], [0.0, 2.0], [-0.1, 0.1]); emit('cj', [p[0].tolist()] + list(p[1:]))
torch.manual_seed(6); a = T.RandomAffine.get_params([-20.0, 20.0], [0.1, 0.2], [0.9, 1.1], [-5.0, 5.0, -3.0, 3.0], [300, 200]); emit('aff', [a[0], list(a[1]), a[2], list(a[3])])
torch.manual_seed(7); e = T.RandomErasing.get_params(torch.zeros(3, 40, 50), scale=(0.02, 0.33), ratio=(0.3, 3.3), value=[0.0]); emit('erase', list(e[:4]))
torch.manual_seed(8); aa = T.AutoAugment.get_params(25); emit('aa', [aa[0], aa[1].tolist(), aa[2].tolist()])
torch.manual_seed(9); emit('rot', T.RandomRotation.get_params([-30.0, 30.0]))
torch.manual_seed(10); x = (torch.rand(3, 64, 80) * 255).to(torch.uint8); emit('x', x)
torch.manual_seed(11); emit('pipeline', T.Compose([T.RandomResizedCrop(32, antialias=True), T.RandomHorizontalFlip(), T.ColorJitter(0.4, 0.4, 0.4)])(x))
torch.manual_seed(12); emit('ta', T.TrivialAugmentWide()(x))
torch.manual_seed(13); emit('ra', T.RandAugment()(x))
torch.manual_seed(14); emit('aap', T.AutoAugment(T.AutoAugmentPolicy.CIFAR10)(x))
torch.manual_seed(15); emit('apply', T.RandomApply([T.RandomCrop(20), T.RandomVerticalFlip()], p=0.7)(x))
emit('five', list(T.FiveCrop([30, 40])(x))); emit('ten', list(T.TenCrop(32, vertical_flip=True)(x)))
emit('padc', T.Pad([1, 2], fill=5, padding_mode='constant')(x)); emit('cid', T.ConvertImageDtype(torch.float32)(x))
torch.manual_seed(16); emit('rcpad', T.RandomCrop(90, padding=4, pad_if_needed=True, padding_mode='reflect')(x))
emit('repr', repr(T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor()])))
`);
  });

  it('getParams of RandomResizedCrop, RandomCrop, ColorJitter, RandomAffine, RandomErasing, AutoAugment, RandomRotation', function () {
    const img = torch.zeros([3, 200, 300], { dtype: 'uint8' });
    torch.manualSeed(3);
    assert.deepStrictEqual(transforms.RandomResizedCrop.getParams(img, [0.08, 1.0], [3 / 4, 4 / 3]), r.rrc);
    torch.manualSeed(4);
    assert.deepStrictEqual(transforms.RandomCrop.getParams(img, [50, 70]), r.rc);
    torch.manualSeed(5);
    assert.deepStrictEqual(transforms.ColorJitter.getParams([0.5, 1.5], [0.7, 1.3], [0, 2], [-0.1, 0.1]), r.cj);
    torch.manualSeed(6);
    assert.deepStrictEqual(transforms.RandomAffine.getParams([-20, 20], [0.1, 0.2], [0.9, 1.1], [-5, 5, -3, 3], [300, 200]), r.aff);
    torch.manualSeed(7);
    assert.deepStrictEqual(transforms.RandomErasing.getParams(torch.zeros(3, 40, 50), [0.02, 0.33], [0.3, 3.3], [0]).slice(0, 4), r.erase);
    torch.manualSeed(8);
    assert.deepStrictEqual(transforms.AutoAugment.getParams(25), r.aa);
    torch.manualSeed(9);
    assert.strictEqual(transforms.RandomRotation.getParams([-30, 30]), r.rot);
  });

  it('whole random pipelines on tensors give torchvision outputs under the same seed', function () {
    const x = fromPy(r.x);
    torch.manualSeed(11);
    const pipeline = new transforms.Compose([new transforms.RandomResizedCrop(32), new transforms.RandomHorizontalFlip(), new transforms.ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4 })]);
    assertClose(pipeline.forward(x) as torch.Tensor, r.pipeline, { atol: 1 });
    torch.manualSeed(12);
    assertClose(new transforms.TrivialAugmentWide().forward(x), r.ta, { atol: 1 });
    torch.manualSeed(13);
    assertClose(new transforms.RandAugment().forward(x), r.ra, { atol: 1 });
    torch.manualSeed(14);
    assertClose(new transforms.AutoAugment('cifar10').forward(x), r.aap, { atol: 1 });
  });

  it('RandomApply, FiveCrop, TenCrop, Pad, ConvertImageDtype, RandomCrop with padding, Lambda; RandomChoice and RandomOrder are seeded', function () {
    const x = fromPy(r.x);
    torch.manualSeed(15);
    assertClose(new transforms.RandomApply([new transforms.RandomCrop(20), new transforms.RandomVerticalFlip()], 0.7).forward(x) as torch.Tensor, r.apply);
    new transforms.FiveCrop([30, 40]).forward(x).forEach((c, i) => assertClose(c, (r.five as unknown[])[i]));
    new transforms.TenCrop(32, true).forward(x).forEach((c, i) => assertClose(c, (r.ten as unknown[])[i]));
    assertClose(new transforms.Pad([1, 2], 5).forward(x), r.padc);
    assertClose(new transforms.ConvertImageDtype('float32').forward(x), r.cid, { atol: 1e-7 });
    torch.manualSeed(16);
    assertClose(new transforms.RandomCrop(90, { padding: 4, padIfNeeded: true, paddingMode: 'reflect' }).forward(x), r.rcpad);
    assert.strictEqual(new transforms.Lambda((t: torch.Tensor) => t.shape[0]).forward(x), 3);
    const pick = () => new transforms.RandomChoice([new transforms.Lambda(() => 'a'), new transforms.Lambda(() => 'b')], [0.2, 0.8]).forward(x);
    torch.manualSeed(1);
    const first = Array.from({ length: 20 }, pick);
    torch.manualSeed(1);
    assert.deepStrictEqual(Array.from({ length: 20 }, pick), first);
    assert.ok(first.includes('a') && first.includes('b'));
    const order: number[] = [];
    const record = (k: number) => new transforms.Lambda((v: unknown) => (order.push(k), v));
    torch.manualSeed(2);
    new transforms.RandomOrder([record(0), record(1), record(2)]).forward(x);
    assert.deepStrictEqual([...order].sort(), [0, 1, 2]);
  });

  it('prints like torchvision', function () {
    const t = new transforms.Compose([new transforms.Resize(256), new transforms.CenterCrop(224), new transforms.ToTensor()]);
    assert.strictEqual(String(t), r.repr);
  });
});

describe('transforms on Images (decoded with sharp) against PIL', function () {
  let dir: string;
  let r: Record<string, unknown>;

  before(function () {
    requirePython(this);
    this.timeout(120000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-transforms-'));
    r = py(`
import numpy as np, torchvision.transforms as T
from PIL import Image
rng = np.random.default_rng(0)
root = ${JSON.stringify(dir)}
def photo(w, h, path):
    base = Image.fromarray(rng.integers(0, 256, size=(h // 20 + 2, w // 20 + 2, 3), dtype=np.uint8)).resize((w, h), Image.BICUBIC)
    arr = np.asarray(base).astype(np.int16) + rng.integers(-10, 11, size=(h, w, 3))
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(path, quality=90)
seed = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor()])
for name, (w, h) in {'land': (500, 375), 'port': (413, 611), 'big': (1024, 800)}.items():
    photo(w, h, root + '/' + name + '.jpg')
    emit(name, seed(Image.open(root + '/' + name + '.jpg').convert('RGB')))
    emit(name + '_pixels', T.PILToTensor()(Image.open(root + '/' + name + '.jpg').convert('RGB')))
img = Image.open(root + '/land.jpg').convert('RGB')
emit('crop_flip', T.PILToTensor()(T.functional.hflip(T.functional.resized_crop(img, 30, 40, 200, 300, [120, 160]))))
emit('gray', T.PILToTensor()(img.convert('L')))
emit('pad', T.PILToTensor()(T.functional.pad(img, [3, 4], fill=9)))
`);
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Resize(256) + CenterCrop(224) + ToTensor is within 0.02 mean absolute difference of PIL', async function () {
    const seed = new transforms.Compose([new transforms.Resize(256), new transforms.CenterCrop(224), new transforms.ToTensor()]);
    for (const name of ['land', 'port', 'big']) {
      const img = await io.openImage(path.join(dir, `${name}.jpg`));
      const x = (await seed.forward(img)) as torch.Tensor;
      const want = fromPy(r[name]);
      assert.deepStrictEqual(x.shape, want.shape);
      const mad = meanAbsDiff(x, want);
      assert.ok(mad < 0.02, `${name}: mean absolute difference ${mad}`);
    }
  });

  it('decodes the same pixels as PIL (libjpeg, within rounding)', async function () {
    const x = await (await io.openImage(path.join(dir, 'land.jpg'))).toTensor();
    const want = fromPy(r.land_pixels);
    assert.ok(meanAbsDiff(x, want) < 1, `mean absolute difference ${meanAbsDiff(x, want)}`);
  });

  it('crop, resize and flip run in the decoding pipeline and match PIL', async function () {
    const img = await io.openImage(path.join(dir, 'land.jpg'));
    const out = F.hflip(F.resizedCrop(img, 30, 40, 200, 300, [120, 160]));
    assert.deepStrictEqual(out.size, [160, 120]);
    const x = await F.pilToTensor(out);
    assert.ok(meanAbsDiff(x, fromPy(r.crop_flip)) < 2, `mean absolute difference ${meanAbsDiff(x, fromPy(r.crop_flip))}`);
  });

  it('mode conversion (PIL luma) and padding run as tensor operations after decoding', async function () {
    const img = await io.openImage(path.join(dir, 'land.jpg'));
    const gray = await img.convert('L').toTensor();
    assert.ok(meanAbsDiff(gray, fromPy(r.gray)) < 1);
    const padded = F.pad(img, [3, 4], 9);
    assert.deepStrictEqual(padded.size, [506, 383]);
    assert.ok(meanAbsDiff(await padded.toTensor(), fromPy(r.pad)) < 1);
  });

  it('the same transforms work on Images and tensors: ToPILImage, Grayscale, RandomErasing rejects Images', async function () {
    const t = torch.arange(24, { dtype: 'float32' }).reshape(2, 3, 4).div(24).narrow(0, 0, 1).expand(3, 3, 4).contiguous();
    const back = await new transforms.PILToTensor().forward(new transforms.ToPILImage().forward(t));
    assertClose(back, { __tensor__: true, shape: [3, 3, 4], dtype: 'uint8', data: Array.from(t.mul(255).to('uint8').dataSync() as Uint8Array) } as PyTensor);
    const img = await io.openImage(path.join(dir, 'land.jpg'));
    const g = new transforms.Grayscale(3).forward(img);
    assert.strictEqual(g.mode, 'RGB');
    assert.throws(() => new transforms.RandomErasing().forward(img as never), /img should be a Tensor/);
  });
});
