// `torch-node finetune`, `predict` and `evaluate` on a small synthetic image folder.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import * as torch from '../lib';
import { makeTwoClassFolder } from './helpers/image_folder';

const bin = path.join(__dirname, '..', '..', 'bin', 'torch-node.js');

function cli(args: string[], opts: { signalAfter?: RegExp } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, TORCH_NODE_CACHE: path.join(os.tmpdir(), 'tn-cli-cache') } });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (opts.signalAfter && !signalled && opts.signalAfter.test(stdout)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('cli finetune', function () {
  this.timeout(600_000);
  let dir: string;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-cli-'));
    await makeTwoClassFolder(path.join(dir, 'train'), 24, 1);
    await makeTwoClassFolder(path.join(dir, 'val'), 8, 2);
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const common = () => ['--data', path.join(dir, 'train'), '--val', path.join(dir, 'val'), '--model', 'resnet18', '--weights', 'none', '--freeze', 'none', '--image-size', '32', '--batch-size', '8', '--lr', '0.01', '--workers', '2'];

  it('trains, writes the output folder, stops on Ctrl-C and resumes to the same result', async function () {
    const full = path.join(dir, 'full');
    const r = await cli(['finetune', ...common(), '--epochs', '2', '--out', full]);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    for (const f of ['model.pt', 'checkpoint.pt', 'settings.json', 'classes.json', 'metrics.json', 'metrics.csv', 'confusion.json', 'confusion.png', 'curves.png']) {
      assert.ok(fs.existsSync(path.join(full, f)), `${f} is missing`);
    }
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(full, 'classes.json'), 'utf8')), ['bottom', 'top']);
    const metrics = JSON.parse(fs.readFileSync(path.join(full, 'metrics.json'), 'utf8')) as { valAcc: number; trainLoss: number }[];
    assert.strictEqual(metrics.length, 2);
    assert.match(fs.readFileSync(path.join(full, 'metrics.csv'), 'utf8'), /^epoch,trainLoss,trainAcc,valLoss,valAcc,lr,seconds,imagesPerSecond\n1,/);

    // The same run stopped with Ctrl-C during epoch 2, then resumed: the same weights as the uninterrupted run.
    const once = path.join(dir, 'once');
    const first = await cli(['finetune', ...common(), '--epochs', '2', '--out', once], { signalAfter: /epoch 2\/2/ });
    assert.strictEqual(first.code, 130, first.stdout + first.stderr);
    assert.match(first.stdout, /stopping after this batch/);
    const resumed = await cli(['finetune', ...common(), '--epochs', '2', '--out', once, '--resume']);
    assert.strictEqual(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stdout, /resuming after epoch 1 of 2/);
    const a = (await torch.load(path.join(full, 'checkpoint.pt'))) as { model: Record<string, torch.Tensor> };
    const b = (await torch.load(path.join(once, 'checkpoint.pt'))) as { model: Record<string, torch.Tensor> };
    for (const key of ['conv1.weight', 'fc.weight', 'layer4.1.bn2.running_mean']) {
      assert.ok(a.model[key].equal(b.model[key]), `${key} differs after resume`);
    }

    const p = await cli(['predict', '--model', full, path.join(dir, 'val', 'top', '0.png')]);
    assert.strictEqual(p.code, 0, p.stderr);
    assert.match(p.stdout, /0\.png: (top|bottom) \d+\.\d%, (top|bottom) \d+\.\d%/);
    const e = await cli(['evaluate', '--model', full, '--data', path.join(dir, 'val')]);
    assert.strictEqual(e.code, 0, e.stderr);
    assert.match(e.stdout, /accuracy \d+\.\d\d% on 16 images/);
    assert.match(e.stdout, /confusion matrix/);
  });

  it('runs the README main job (the default Fashion-MNIST data) to over 80% validation accuracy', async function () {
    if (!fs.existsSync('/usr/share/datasets/fashion-mnist')) {
      if (process.env.CI) throw new Error('dataset-fashion-mnist is required in CI');
      this.skip();
    }
    // About 3 minutes on an idle 2-core machine; a busy one can take several times longer.
    this.timeout(3_600_000);
    const out = path.join(dir, 'main-job');
    const r = await cli(['finetune', '--out', out]);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /fine-tuning resnet18 on 3000 images of 10 classes \(500 for validation\), (cpu|cuda), 3 epochs/);
    assert.match(r.stdout, /^epoch 3\/3: train loss [\d.]+ acc [\d.]+% \| val loss [\d.]+ acc [\d.]+% \| [\d.]+ img\/s, \d+:\d\d$/m);
    const m = /best validation accuracy ([\d.]+)%; weights in .*model\.pt/.exec(r.stdout);
    assert.ok(m && Number(m[1]) >= 80, r.stdout);
    for (const f of ['curves.png', 'confusion.png']) assert.ok(fs.existsSync(path.join(out, f)), f);
  });

  it('stops a diverging run with a message, keeping the last good checkpoint', async function () {
    // One batch per epoch and a learning rate far too large: the first epoch's loss is finite, later ones are not.
    const out = path.join(dir, 'diverged');
    const args = ['finetune', '--data', path.join(dir, 'val'), '--val-split', '0.25', '--weights', 'none', '--freeze', 'none', '--image-size', '16', '--batch-size', '12', '--lr', '3', '--epochs', '8', '--workers', '2', '--out', out];
    const r = await cli(args);
    assert.strictEqual(r.code, 2, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const m = /the (validation )?loss became (NaN|-?Infinity) (at|after) epoch (\d+).*: the run has diverged and stops \(the checkpoint of epoch (\d+), the last good one, is kept in (.*checkpoint\.pt)\); try a smaller --lr/.exec(r.stderr);
    assert.ok(m, r.stdout + r.stderr);
    const [failed, kept] = [Number(m[4]), Number(m[5])];
    assert.ok(failed >= 2, `the run diverged in epoch ${failed}; the test needs a finished epoch first`);
    assert.strictEqual(kept, failed - 1);
    assert.strictEqual(m[6], path.join(out, 'checkpoint.pt'));
    const ck = (await torch.load(path.join(out, 'checkpoint.pt'))) as { epoch: number; model: Record<string, torch.Tensor>; history: string };
    assert.strictEqual(ck.epoch, kept);
    assert.strictEqual((JSON.parse(ck.history) as unknown[]).length, kept);
    for (const [key, t] of Object.entries(ck.model)) {
      if (t.isFloatingPoint()) assert.ok(t.isfinite().all().item(), `${key} is not finite in the kept checkpoint`);
    }
    const metrics = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8')) as { valLoss: number }[];
    assert.strictEqual(metrics.length, kept);
    assert.ok(metrics.every((e) => Number.isFinite(e.valLoss)));
    // The kept checkpoint resumes (and diverges again at the same point: the run is deterministic).
    const again = await cli([...args, '--resume']);
    assert.match(again.stdout, new RegExp(`resuming after epoch ${kept} of 8`));
    assert.strictEqual(again.code, 2);
    assert.match(again.stderr, new RegExp(`epoch ${failed}.*the checkpoint of epoch ${kept}, the last good one`));
  });

  it('explains bad arguments and bad data with exit code 2 and no stack trace', async function () {
    const one = path.join(dir, 'one-class');
    fs.mkdirSync(path.join(one, 'only'), { recursive: true });
    fs.copyFileSync(path.join(dir, 'train', 'top', '0.png'), path.join(one, 'only', 'a.png'));
    const cases: [string[], RegExp][] = [
      [['finetune', '--epochs', 'zero'], /--epochs must be a positive integer, not 'zero'/],
      [['finetune', '--data', path.join(dir, 'missing')], /--data folder .*missing does not exist/],
      [['finetune', '--data', one, '--weights', 'none'], /has 1 class folder: fine-tuning needs at least two/],
      [['finetune', '--model', 'resnet9000'], /--model must be one of/],
      [['finetune', '--bogus'], /Unknown option '--bogus'/],
      [['predict', '--model', dir, 'x.png'], /not a finetune output folder/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(args);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });
});
