// Resource limits: a tensor larger than memory is a TorchError, never an OOM kill. Linux overcommits (malloc
// grants more than is free and the OOM killer strikes when the pages are touched), so the CPU allocator checks
// large requests against the memory left (native/allocator.cc). Sizes PyTorch itself rejects give its message.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as torch from '../lib';
import { py, requirePython } from './helpers/python';

function meminfo(key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

function torchError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof torch.TorchError, `expected a TorchError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('no error');
}

describe('resource limits', function () {
  this.timeout(120_000);

  it('refuses, in a child process, a tensor the kernel would grant but could not back (no OOM kill)', function () {
    if (process.platform !== 'linux') this.skip();
    // Under MemTotal + SwapTotal the kernel's heuristic overcommit grants the allocation; it exceeds what is
    // available, so touching its pages (zeros) would bring the OOM killer.
    const bytes = meminfo('MemTotal') + meminfo('SwapTotal') - 128 * 2 ** 20;
    if (bytes <= meminfo('MemAvailable') + meminfo('SwapFree')) this.skip();
    const script = `
const torch = require(${JSON.stringify(path.join(__dirname, '..', 'lib'))});
for (const make of [() => torch.zeros([${bytes}], { dtype: 'uint8' }), () => torch.ones([${Math.floor(bytes / 4)}]),
                    () => torch.full([${Math.floor(bytes / 8)}], 1, { dtype: 'float64' }), () => torch.zeros([4]).repeat([${Math.floor(bytes / 16)}])]) {
  try { make(); console.log('ALLOCATED'); } catch (e) { console.log(e instanceof torch.TorchError ? 'TorchError: ' + e.message.split('\\n')[0] : 'other: ' + e); }
}`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.strictEqual(r.signal, null, `the child was killed by ${r.signal}: ${r.stderr}`);
    assert.strictEqual(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.strictEqual(lines.length, 4, r.stdout);
    for (const line of lines) assert.match(line, /^TorchError: DefaultCPUAllocator: not enough memory: you tried to allocate \d+ bytes, but only \d+ bytes are available/);
  });

  it('refuses terabytes (zeros, empty, randn, a copy) and keeps working', function () {
    for (const fn of [() => torch.zeros([2 ** 40]), () => torch.empty([2 ** 38, 16]), () => torch.randn([2 ** 20, 2 ** 20]), () => torch.ones([1]).expand([2 ** 41]).contiguous()]) {
      assert.match(torchError(fn), /DefaultCPUAllocator: (not enough memory|can't allocate memory)/);
    }
    assert.deepStrictEqual(torch.zeros([3]).add(1).tolist(), [1, 1, 1]);
  });

  it('allocations under the limit still succeed (64 MiB, checked)', function () {
    const t = torch.ones([16 * 2 ** 20]);
    assert.strictEqual(t.sum().item(), 16 * 2 ** 20);
    t.dispose();
  });

  it("gives PyTorch's messages for negative and overflowing sizes", function () {
    requirePython(this);
    const ref = py(`
emit('neg', err(lambda: torch.zeros(-1)))
emit('neg2', err(lambda: torch.empty(3, -2)))
emit('over', err(lambda: torch.zeros(2**62, 2**62)))
emit('over3', err(lambda: torch.empty(2**31, 2**31, 4)))
emit('view', err(lambda: torch.zeros(4).view(-1, -1)))
emit('expand', err(lambda: torch.zeros(4).expand(-2, 4)))
`);
    assert.strictEqual(torchError(() => torch.zeros([-1])), ref.neg);
    assert.strictEqual(torchError(() => torch.empty(3, -2)), ref.neg2);
    assert.strictEqual(torchError(() => torch.zeros([2 ** 62, 2 ** 62])), ref.over);
    assert.strictEqual(torchError(() => torch.empty([2 ** 31, 2 ** 31, 4])), ref.over3);
    assert.strictEqual(torchError(() => torch.zeros([4]).view([-1, -1])), ref.view);
    assert.strictEqual(torchError(() => torch.zeros([4]).expand([-2, 4])), ref.expand);
  });

  it('sizes no integer can hold are RangeError/TypeError before LibTorch (@gpu variant below)', function () {
    assert.throws(() => torch.zeros([2 ** 64]), (e: unknown) => e instanceof RangeError || e instanceof TypeError || e instanceof torch.TorchError);
    assert.throws(() => torch.zeros([NaN]), TypeError);
    assert.throws(() => torch.zeros([1.5]), TypeError);
  });

  it('@gpu refuses a CUDA tensor larger than the device with a TorchError', function () {
    if (!torch.cuda.isAvailable()) this.skip();
    assert.match(torchError(() => torch.zeros([2 ** 44], { device: 'cuda' })), /CUDA out of memory/);
    assert.deepStrictEqual(torch.ones([2], { device: 'cuda' }).add(1).cpu().tolist(), [2, 2]);
  });
});
