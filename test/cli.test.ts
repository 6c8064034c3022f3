// The torch-node command line.
import * as assert from 'assert';
import * as path from 'path';
import { spawnSync } from 'child_process';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'torch-node.js');

function cli(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

describe('cli', function () {
  this.timeout(60_000);

  it('doctor reports the LibTorch, the addon and the devices', function () {
    const r = cli('doctor');
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /LibTorch:\s+\d+\.\d+\.\d+ \((cpu|cuda)/);
    // The addon the loader picks: build/Release in a development tree, else the fitting prebuild.
    const { chooseAddon } = require(path.join(root, 'scripts', 'addon.js')) as { chooseAddon: (r: string) => { file: string } };
    assert.ok(r.stdout.includes(`addon:       ${chooseAddon(root).file}\n`), r.stdout);
    assert.match(r.stdout, /loaded:\s+LibTorch \d+\.\d+\.\d+, \d+ threads/);
    assert.match(r.stdout, /CUDA:/);
  });

  it('rejects unknown commands with exit code 2 and the usage', function () {
    const r = cli('frobnicate');
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
    assert.match(r.stderr, /usage: torch-node/);
  });
});
