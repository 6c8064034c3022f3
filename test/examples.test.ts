// The README's first command runs an example: it must work and learn.
import * as assert from 'assert';
import * as path from 'path';
import { spawnSync } from 'child_process';

describe('examples', function () {
  this.timeout(120_000);

  it('quickstart trains to high accuracy', function () {
    const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'examples', 'quickstart.js')], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const acc = [...r.stdout.matchAll(/accuracy ([\d.]+)%/g)].map((m) => Number(m[1]));
    assert.strictEqual(acc.length, 6, r.stdout);
    assert.ok(acc[acc.length - 1] > 95, r.stdout);
  });
});
