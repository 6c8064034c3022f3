// A checkpoint save killed with SIGKILL mid-write leaves the previous checkpoint intact and loadable: a child
// saves large state dicts to one path in a loop and is killed at random moments; the file then loads and holds
// one whole save. TORCH_NODE_FULL_TESTS=1 kills 30 times; the quick run 4.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import * as torch from '../lib';

const FULL = process.env.TORCH_NODE_FULL_TESTS === '1';
const KILLS = FULL ? 30 : 4;

// 32 MiB per save, so that a save takes long enough to be killed inside.
const CHILD = `
const torch = require(${JSON.stringify(path.join(__dirname, '..', 'lib'))});
const target = process.argv[1];
const a = torch.empty([6 * 1024 * 1024]);
const b = torch.empty([2 * 1024 * 1024], { dtype: 'float64' });
(async () => {
  for (let i = 1; ; i++) {
    a.fill_(i);
    b.fill_(i);
    console.log('saving ' + i);
    await torch.save({ 'layer.weight': a, 'layer.bias': b, step: i }, target);
    console.log('saved ' + i);
  }
})();
`;

describe('checkpoint saves killed mid-write', function () {
  this.timeout(FULL ? 1_800_000 : 300_000);
  let dir: string;
  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-kill-'));
  });
  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`leave the previous checkpoint intact and loadable (${KILLS} SIGKILLs at random moments)`, async function () {
    const target = path.join(dir, 'checkpoint.pt');
    let rand = 12345;
    const next = () => (rand = (rand * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < KILLS; k++) {
      const child = spawn(process.execPath, ['-e', CHILD, target], { stdio: ['ignore', 'pipe', 'pipe'] });
      let saved = 0;
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Each child is killed inside its second save, at a random moment timed by how long the first took; the last
      // one as soon as its temporary file exists, so that one kill surely lands inside a write (the first save
      // of each child has removed the temporary files of the one before).
      await new Promise<void>((resolve, reject) => {
        let started = 0;
        let duration = 0;
        let armed = false;
        const killInsideWrite = () => {
          if (fs.readdirSync(dir).some((n) => n.startsWith('.checkpoint.pt.'))) child.kill('SIGKILL');
          else setTimeout(killInsideWrite, 1);
        };
        child.stdout.on('data', (d: Buffer) => {
          for (const line of d.toString().split('\n')) {
            const m = /^(saving|saved) (\d+)$/.exec(line.trim());
            if (!m) continue;
            if (m[1] === 'saved') {
              saved = Number(m[2]);
              duration = Date.now() - started;
            } else {
              started = Date.now();
              if (duration && !armed) {
                armed = true;
                if (k === KILLS - 1) killInsideWrite();
                else setTimeout(() => child.kill('SIGKILL'), (0.1 + 0.6 * next()) * duration);
              }
            }
          }
        });
        child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${stderr}`))));
      });
      const ck = await torch.load<{ 'layer.weight': torch.Tensor; 'layer.bias': torch.Tensor; step: number }>(target);
      // One whole save: the last reported, or the one that had finished when the kill came.
      assert.ok(ck.step >= saved && ck.step <= saved + 1, `step ${ck.step} after the report of ${saved}`);
      const w = ck['layer.weight'];
      assert.deepStrictEqual([w.min().item(), w.max().item()], [ck.step, ck.step]);
      assert.deepStrictEqual([ck['layer.bias'].min().item(), ck['layer.bias'].max().item()], [ck.step, ck.step]);
    }
    // The killed writers' temporary files are cleaned up by the next save to the same path.
    const orphans = fs.readdirSync(dir).filter((n) => n.startsWith('.checkpoint.pt.'));
    assert.ok(orphans.length > 0, 'the last kill left no temporary file');
    await torch.save({ done: true }, target);
    assert.deepStrictEqual(fs.readdirSync(dir), ['checkpoint.pt']);
  });
});
