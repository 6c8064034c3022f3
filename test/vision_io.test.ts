// vision.io against torchvision.io and PIL: read/decode in each mode, encode/write round trips, errors that
// name the file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { io } from '../lib/vision';
import { py, requirePython, assertClose, PyTensor } from './helpers/python';

function fromPy(e: unknown): torch.Tensor {
  const t = e as PyTensor;
  return torch.tensor(Uint8Array.from(t.data as number[])).reshape(t.shape);
}

function mad(a: torch.Tensor, b: torch.Tensor): number {
  return a.to('float64').sub(b.to('float64')).abs().mean().item();
}

describe('vision.io', function () {
  let dir: string;
  let r: Record<string, unknown>;

  before(function () {
    requirePython(this);
    this.timeout(120000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-io-'));
    r = py(`
import numpy as np
from PIL import Image
from torchvision.io import read_image, ImageReadMode
root = ${JSON.stringify(dir)}
rng = np.random.default_rng(1)
rgb = rng.integers(0, 256, size=(23, 31, 3), dtype=np.uint8)
rgba = rng.integers(0, 256, size=(17, 9, 4), dtype=np.uint8)
Image.fromarray(rgb).save(root + '/rgb.png')
Image.fromarray(rgba).save(root + '/rgba.png')
Image.fromarray(rgb[:, :, 0]).save(root + '/gray.png')
smooth = Image.fromarray(rgb).resize((120, 90), Image.BICUBIC)
smooth.save(root + '/photo.jpg', quality=92)
smooth.convert('L').save(root + '/gray.jpg', quality=92)
smooth.save(root + '/photo.webp', quality=95)
smooth.save(root + '/photo.bmp')
smooth.save(root + '/anim.gif')
for name in ['rgb.png', 'rgba.png', 'gray.png']:
    emit(name, read_image(root + '/' + name))
emit('rgba_as_rgb', read_image(root + '/rgba.png', ImageReadMode.RGB))
emit('rgb_as_rgba', read_image(root + '/rgb.png', ImageReadMode.RGB_ALPHA))
emit('gray_as_rgb', read_image(root + '/gray.png', ImageReadMode.RGB))
emit('photo', read_image(root + '/photo.jpg'))
emit('photo_pil_gray', torch.from_numpy(np.asarray(smooth.convert('RGB').convert('L')).copy()).unsqueeze(0))
emit('gray_jpg', read_image(root + '/gray.jpg'))
import io as _io
b = _io.BytesIO(); Image.open(root + '/photo.jpg').convert('RGB').save(b, 'JPEG', quality=95); b.seek(0)
emit('pil_q95', torch.from_numpy(np.asarray(Image.open(b).convert('RGB')).copy()).permute(2, 0, 1))
smooth.convert('L').save(root + '/gray.pgm'); smooth.save(root + '/photo.ppm')
Image.fromarray(rgb).quantize(16).save(root + '/palette.bmp')
emit('palette', torch.from_numpy(np.asarray(Image.open(root + '/palette.bmp').convert('RGB')).copy()).permute(2, 0, 1))
emit('webp', torch.from_numpy(np.asarray(Image.open(root + '/photo.webp').convert('RGB')).copy()).permute(2, 0, 1))
emit('pgm', torch.from_numpy(np.asarray(Image.open(root + '/gray.pgm')).copy()).unsqueeze(0))
emit('bmp', torch.from_numpy(np.asarray(Image.open(root + '/photo.bmp').convert('RGB')).copy()).permute(2, 0, 1))
`);
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('readImage gives torchvision read_image pixels for PNG (exact) in every mode', async function () {
    for (const name of ['rgb.png', 'rgba.png', 'gray.png']) assertClose(await io.readImage(path.join(dir, name)), r[name]);
    assertClose(await io.readImage(path.join(dir, 'rgba.png'), io.ImageReadMode.RGB), r.rgba_as_rgb);
    assertClose(await io.readImage(path.join(dir, 'rgb.png'), io.ImageReadMode.RGB_ALPHA), r.rgb_as_rgba);
    assertClose(await io.readImage(path.join(dir, 'gray.png'), io.ImageReadMode.RGB), r.gray_as_rgb);
    const ga = await io.readImage(path.join(dir, 'rgba.png'), io.ImageReadMode.GRAY_ALPHA);
    assert.deepStrictEqual(ga.shape, [2, 17, 9]);
  });

  it('decodes JPEG like libjpeg (within rounding), GRAY with PIL luma, and WebP, BMP, GIF', async function () {
    const photo = await io.readImage(path.join(dir, 'photo.jpg'));
    assert.deepStrictEqual(photo.shape, [3, 90, 120]);
    assert.ok(mad(photo, fromPy(r.photo)) < 1, `JPEG mean absolute difference ${mad(photo, fromPy(r.photo))}`);
    const gray = await io.readImage(path.join(dir, 'gray.jpg'));
    assert.deepStrictEqual(gray.shape, [1, 90, 120]);
    assert.ok(mad(gray, fromPy(r.gray_jpg)) < 1);
    const asGray = await io.readImage(path.join(dir, 'photo.jpg'), 'GRAY');
    assert.ok(mad(asGray, fromPy(r.photo_pil_gray)) < 1.5);
    const bmp = await io.readImage(path.join(dir, 'photo.bmp'));
    assertClose(bmp, r.bmp);
    assertClose(await io.readImage(path.join(dir, 'palette.bmp')), r.palette);
    assertClose(await io.readImage(path.join(dir, 'photo.ppm')), r.bmp);
    assertClose(await io.readImage(path.join(dir, 'gray.pgm')), r.pgm);
    const webp = await io.readImage(path.join(dir, 'photo.webp'));
    assert.ok(mad(webp, fromPy(r.webp)) < 1, `WebP mean absolute difference ${mad(webp, fromPy(r.webp))}`);
    const gif = await io.readImage(path.join(dir, 'anim.gif'), 'RGB');
    assert.deepStrictEqual(gif.shape, [3, 90, 120]);
    const bytes = await io.readFile(path.join(dir, 'photo.jpg'));
    assert.strictEqual(bytes.dtype, 'uint8');
    assertClose(await io.decodeJpeg(bytes), r.photo, { atol: 255 });
    await assert.rejects(io.decodePng(bytes), /not a PNG image/);
  });

  it('encodes and writes PNG losslessly and JPEG closely; writeImage picks the format from the extension', async function () {
    const x = fromPy(r['rgb.png']);
    assertClose(await io.decodeImage(await io.encodePng(x)), r['rgb.png']);
    const smooth = await io.readImage(path.join(dir, 'photo.jpg'));
    const jpeg = await io.encodeJpeg(fromPy(r.photo), 95);
    assert.ok(mad(await io.decodeImage(jpeg), fromPy(r.pil_q95)) < 0.5, 'encodes as PIL does at the same quality');
    const png = path.join(dir, 'out.png');
    await io.writeImage(x, png);
    assertClose(await io.readImage(png), r['rgb.png']);
    await io.writeJpeg(smooth, path.join(dir, 'out.jpg'), 90);
    assert.deepStrictEqual((await io.readImage(path.join(dir, 'out.jpg'))).shape, [3, 90, 120]);
    await assert.rejects(io.writeImage(x, path.join(dir, 'out.xyz')), /cannot tell the image format of .*out\.xyz/);
    await assert.rejects(io.encodeJpeg(x, 0), /quality should be a positive number between 1 and 100/);
    await assert.rejects(io.encodeJpeg(torch.zeros([2, 4, 4], { dtype: 'uint8' })), /number of channels should be 1 or 3/);
  });

  it('names the file in every error', async function () {
    const missing = path.join(dir, 'missing.jpg');
    await assert.rejects(io.readImage(missing), (e: Error) => e.message.includes(missing) && /ENOENT/.test(e.message));
    const notImage = path.join(dir, 'notes.jpg');
    fs.writeFileSync(notImage, 'this is not an image');
    await assert.rejects(io.readImage(notImage), (e: Error) => e.message.includes(notImage));
    const truncated = path.join(dir, 'truncated.jpg');
    const full = fs.readFileSync(path.join(dir, 'photo.jpg'));
    fs.writeFileSync(truncated, full.subarray(0, Math.floor(full.length / 2)));
    await assert.rejects(io.readImage(truncated), (e: Error) => e.message.includes(truncated));
  });

  it('openImage reads the size from the header; the Image prints its mode, size and file', async function () {
    const img = await io.openImage(path.join(dir, 'photo.jpg'));
    assert.deepStrictEqual(img.size, [120, 90]);
    assert.strictEqual(img.mode, 'RGB');
    assert.strictEqual(String(img), `<Image mode=RGB size=120x90 file=${path.join(dir, 'photo.jpg')}>`);
  });
});
