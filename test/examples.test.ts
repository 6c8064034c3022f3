// The examples: each runs with one command, works and prints what it promises. The fine-tuning examples run
// on a tiny synthetic ImageFolder (32x32 images, random initial weights: no download).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, spawnSync } from 'child_process';
import { makeTwoClassFolder } from './helpers/image_folder';

const examples = path.join(__dirname, '..', '..', 'examples');

function run(name: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(examples, `${name}.js`), ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const numbers = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => Number(m[1]));

describe('examples', function () {
  this.timeout(600_000);
  let dir: string;
  let train: string;
  let val: string;
  const tiny = ['--image-size', '32', '--batch-size', '4', '--no-pretrained'];

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-examples-'));
    train = path.join(dir, 'train');
    val = path.join(dir, 'val');
    await makeTwoClassFolder(train, 8, 1);
    await makeTwoClassFolder(val, 4, 2);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('quickstart trains to high accuracy', function () {
    const r = spawnSync(process.execPath, [path.join(examples, 'quickstart.js')], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const acc = numbers(/accuracy ([\d.]+)%/g, r.stdout);
    assert.strictEqual(acc.length, 6, r.stdout);
    assert.ok(acc[acc.length - 1] > 95, r.stdout);
  });

  it('finetune: the seed tutorial prints the loss of every epoch', async function () {
    const r = await run('finetune', [train, '--epochs', '2', ...tiny]);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    const losses = numbers(/^Epoch \d+, Loss: ([\d.e+-]+)$/gm, r.stdout);
    assert.strictEqual(losses.length, 2, r.stdout);
    assert.ok(losses.every((l) => Number.isFinite(l) && l > 0), r.stdout);
  });

  it('finetune: a missing data folder is an error that names it', async function () {
    const r = await run('finetune', [path.join(dir, 'nowhere'), ...tiny]);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /nowhere/);
    const usage = await run('finetune', []);
    assert.strictEqual(usage.code, 2);
    assert.match(usage.stderr, /usage: node examples\/finetune\.js TRAIN_DIR/);
  });

  it('vgg16: replaces classifier[6] and trains the classifier with the features frozen', async function () {
    const r = await run('vgg16', [train, val, '--epochs', '1', ...tiny]);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    // classifier: 25088x4096 + 4096, 4096x4096 + 4096, 4096x2 + 2; the features' 14.7M parameters do not train.
    assert.match(r.stdout, /vgg16: 2 classes, 16 training and 8 validation images, training 119554050 parameters on cpu/);
    assert.strictEqual(numbers(/^Epoch \d+, Loss: [\d.]+, val loss [\d.]+, val accuracy ([\d.]+)%$/gm, r.stdout).length, 1, r.stdout);
  });

  it('freeze-experiments: a table of four configurations with the same budget', async function () {
    const r = await run('freeze-experiments', [train, val, '--epochs', '2', ...tiny]);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    const rows = [...r.stdout.matchAll(/^\| (head only|last block \+ head|all layers|all layers, backbone lr \/ 10) +\| +([\d,]+) \| +([\d.]+)% \| +([\d.]+) \| +([\d.]+) s \|$/gm)];
    assert.deepStrictEqual(rows.map((m) => m[1]), ['head only', 'last block + head', 'all layers', 'all layers, backbone lr / 10'], r.stdout);
    // Trained parameters: the head (512x2 + 2), layer4 and the head, all of resnet18 with a 2-class head.
    assert.deepStrictEqual(rows.map((m) => m[2]), ['1,026', '8,394,754', '11,177,538', '11,177,538']);
    for (const m of rows) {
      assert.ok(Number(m[3]) >= 0 && Number(m[3]) <= 100 && Number.isFinite(Number(m[4])), m[0]);
    }
  });

  it('feature-extraction: features once, then a linear classifier that learns', async function () {
    const r = await run('feature-extraction', [train, val, '--epochs', '20', ...tiny]);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /features: 16x512 for training, 8x512 for validation, computed once in [\d.]+ s/);
    const losses = numbers(/^Epoch \d+, Loss: ([\d.]+)/gm, r.stdout);
    const acc = numbers(/val accuracy ([\d.]+)%/g, r.stdout);
    assert.strictEqual(losses.length, 5, r.stdout);
    assert.ok(losses[4] < losses[0], `the training loss does not fall: ${losses}`);
    assert.ok(acc[acc.length - 1] >= 75, r.stdout);
  });
});
