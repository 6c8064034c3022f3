// Hostile files: every truncation and a flipped bit at every byte of safetensors, legacy-format .pth and image
// files (PNG, JPEG, through readImage and the DataLoader's JPEG fast path), and foreign files under each
// extension, and TorchScript files: a TorchError (or the file's own error) naming the file, or intact structure;
// never a crash.
// (.pt zip checkpoints have the same sweep in serialization_errors.test.ts.) TORCH_NODE_FULL_TESTS=1 flips a bit
// at every byte of the images; the quick run at every 7th.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { io, transforms, datasets } from '../lib/vision';
import { DataLoader } from '../lib/data';
import { py, requirePython } from './helpers/python';

const FULL = process.env.TORCH_NODE_FULL_TESTS === '1';

let dir: string;
const file = (name: string) => path.join(dir, name);

/** Runs `load(path)` on `bytes` written to `name`; returns 'ok', or checks the error names the file. */
async function tryLoad(name: string, bytes: Uint8Array, load: (p: string) => Promise<unknown>, torchOnly = true): Promise<string> {
  const p = file(name);
  fs.writeFileSync(p, bytes);
  try {
    await load(p);
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof Error, `a non-Error was thrown for ${name}: ${String(e)}`);
    if (torchOnly) assert.ok(e instanceof torch.TorchError, `${name}: expected a TorchError, got ${e.name}: ${e.message}`);
    assert.ok(e.message.includes(p), `${name}: the message does not name the file: ${e.message}`);
    return 'error';
  }
}

/** Every truncation of `good`, then a flipped bit at every `step`-th byte; returns [truncations, flips] that loaded. */
async function sweep(ext: string, good: Uint8Array, load: (p: string) => Promise<unknown>, step = 1, torchOnly = true, intactUpTo = good.length): Promise<[number, number]> {
  let truncOk = 0;
  let flipOk = 0;
  for (let n = 0; n < intactUpTo; n += Math.max(1, Math.floor(step / 2))) {
    if ((await tryLoad(`trunc${ext}`, good.subarray(0, n), load, torchOnly)) === 'ok') truncOk++;
  }
  for (let i = 0; i < good.length; i += step) {
    const b = Uint8Array.from(good);
    b[i] ^= 1 << (i % 8);
    if ((await tryLoad(`flip${ext}`, b, load, torchOnly)) === 'ok') flipOk++;
  }
  return [truncOk, flipOk];
}

describe('corrupt and foreign files', function () {
  this.timeout(FULL ? 1_800_000 : 300_000);

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-files-'));
  });
  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('safetensors: every truncation is an error naming the file; a flipped bit errs or loads tensors', async function () {
    const good = await torch.safetensors.save({ w: torch.arange(6, { dtype: 'float32' }).reshape([2, 3]), b: torch.tensor([7], { dtype: 'int64' }) });
    const [truncOk, flipOk] = await sweep('.safetensors', good, async (p) => {
      // No checksum in the format: a flip in the data changes values and one in a name renames, as in Python.
      const o = await torch.loadSafetensors(p);
      assert.strictEqual(Object.values(o).reduce((n, t) => n + t.numel(), 0), 7);
    });
    assert.strictEqual(truncOk, 0);
    assert.ok(flipOk > 0 && flipOk < good.length);
  });

  it('legacy-format .pth (torch.save before 1.6): truncations and flipped bits', async function () {
    requirePython(this);
    const p = file('legacy.pth');
    py(`torch.save({'w': torch.arange(6.).reshape(2, 3), 'n': 3}, ${JSON.stringify(p)}, _use_new_zipfile_serialization=False)`);
    const good = fs.readFileSync(p);
    const o = await torch.load<{ w: torch.Tensor; n: number }>(p);
    assert.deepStrictEqual(o.w.tolist(), [[0, 1, 2], [3, 4, 5]]);
    const [truncOk] = await sweep('.pth', good, async (q) => {
      const r = await torch.load<{ w: torch.Tensor }>(q);
      assert.ok(r.w instanceof torch.Tensor || r.w === undefined);
    });
    assert.strictEqual(truncOk, 0);
  });

  it('foreign files under .pt, .pth, .safetensors and image names give errors naming the file', async function () {
    const png = await io.encodePng(torch.zeros([3, 4, 4], { dtype: 'uint8' }));
    const pt = file('real.pt');
    await torch.save({ a: torch.ones([2]) }, pt);
    const foreign: Record<string, Uint8Array> = {
      text: Buffer.from('not a model\n'),
      png: png.dataSync<Uint8Array>().slice(),
      pt: fs.readFileSync(pt),
      zeros: new Uint8Array(4096),
      elf: fs.readFileSync(process.execPath).subarray(0, 65536),
    };
    for (const [what, bytes] of Object.entries(foreign)) {
      if (what !== 'pt') assert.strictEqual(await tryLoad(`${what}.pt`, bytes, (q) => torch.load(q)), 'error', `${what}.pt`);
      assert.strictEqual(await tryLoad(`${what}.safetensors`, bytes, (q) => torch.loadSafetensors(q)), 'error', `${what}.safetensors`);
      if (what !== 'png') assert.strictEqual(await tryLoad(`${what}.png`, bytes, (q) => io.readImage(q), false), 'error', `${what}.png`);
      if (what !== 'png') assert.strictEqual(await tryLoad(`${what}.jpg`, bytes, (q) => io.readImage(q), false), 'error', `${what}.jpg`);
      assert.strictEqual(await tryLoad(`${what}.torchscript.pt`, bytes, (q) => torch.jit.load(q)), 'error', `${what} as TorchScript`);
    }
  });

  it('TorchScript: truncations and flipped bits give errors naming the file, or a module that runs or throws', async function () {
    requirePython(this);
    const p = file('scripted.pt');
    py(`torch.jit.save(torch.jit.script(torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU())), ${JSON.stringify(p)})`);
    const good = fs.readFileSync(p);
    const x = torch.ones([1, 3]);
    assert.deepStrictEqual(((await torch.jit.load(p)).forward(x) as torch.Tensor).shape, [1, 2]);
    const [truncOk, flipOk] = await sweep('.torchscript.pt', good, async (q) => {
      const m = await torch.jit.load(q);
      // A flip in the data may still load (as in Python); running it must give an answer or an error.
      try {
        m.forward(x);
      } catch (e) {
        assert.ok(e instanceof TypeError || e instanceof torch.TorchError, `running a flipped module threw ${String(e)}`);
      }
    }, FULL ? 1 : 13);
    assert.strictEqual(truncOk, 0, 'a truncated TorchScript file loaded');
    assert.ok(flipOk < good.length);
  });

  it('images: truncated and bit-flipped PNG and JPEG files through readImage', async function () {
    torch.manualSeed(0);
    const pixels = torch.rand([3, 24, 32]).mul(255).to('uint8');
    const png = await io.encodePng(pixels);
    const jpg = await io.encodeJpeg(pixels, 90);
    const step = FULL ? 1 : 7;
    const shape = async (q: string) => assert.deepStrictEqual((await io.readImage(q)).shape, [3, 24, 32]);
    // Cutting only the closing IEND chunk (12 bytes) leaves every pixel; libvips then decodes it.
    const pngBytes = png.dataSync<Uint8Array>().slice();
    const [pngTrunc] = await sweep('.png', pngBytes, shape, step, false, pngBytes.length - 12);
    assert.strictEqual(pngTrunc, 0);
    // A truncated JPEG can still decode when only the end marker is cut; libjpeg warns, torchvision too. JPEG has
    // no checksum: a flipped bit in the frame header gives another size, as in PIL.
    const anyImage = async (q: string) => {
      const s = (await io.readImage(q)).shape;
      assert.ok(s.length === 3 && s[0] === 3 && s[1] > 0 && s[2] > 0, `decoded shape ${s}`);
    };
    await sweep('.jpg', jpg.dataSync<Uint8Array>().slice(), anyImage, step, false);
  });

  it('images: a corrupt JPEG in an ImageFolder (native fast path: Resize + CenterCrop) names the file', async function () {
    torch.manualSeed(0);
    const pixels = torch.rand([3, 40, 48]).mul(255).to('uint8');
    const jpg = Buffer.from((await io.encodeJpeg(pixels, 90)).dataSync<Uint8Array>().slice());
    const root = file('folder');
    fs.mkdirSync(path.join(root, 'a'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a', 'good.jpg'), jpg);
    const bad = path.join(root, 'a', 'zbad.jpg');
    const transform = new transforms.Compose([new transforms.Resize(16), new transforms.CenterCrop(16), new transforms.ToTensor()]);
    const run = async () => {
      const loader = new DataLoader(new datasets.ImageFolder(root, { transform }), { batchSize: 2 });
      for await (const batch of loader as unknown as AsyncIterable<[torch.Tensor, torch.Tensor]>) assert.deepStrictEqual(batch[0].shape[1], 3);
    };
    for (const bytes of [jpg.subarray(0, Math.floor(jpg.length / 3)), Buffer.concat([jpg.subarray(0, 200), Buffer.alloc(64, 0xff), jpg.subarray(264)]), Buffer.from('junk')]) {
      fs.writeFileSync(bad, bytes);
      await assert.rejects(run(), (e: Error) => e.message.includes(bad), `${bytes.length} bytes`);
    }
  });
});
