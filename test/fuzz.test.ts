// Hostile input: every public tensor function, Tensor method, nn module constructor and nn.functional function
// called with randomly wrong arguments (types, shapes, dtypes, devices, negative and huge sizes, NaN/Inf,
// empty, disposed, detached, undefined/null) raises only TypeError, RangeError or TorchError: no crash, no hang.
// The calls run in a child process (test/helpers/fuzz_child.ts) so that a crash fails the test and names the
// call (seed and index replay it alone). TORCH_NODE_FULL_TESTS=1 makes 20,000 calls; the quick run 3,000.
import * as assert from 'assert';
import * as path from 'path';
import { spawn } from 'child_process';
import * as torch from '../lib';

const FULL = process.env.TORCH_NODE_FULL_TESTS === '1';
const SEED = Number(process.env.TORCH_NODE_FUZZ_SEED ?? 20261128);
const CALLS = FULL ? 20_000 : 3_000;
const HANG_MS = 60_000;

interface FuzzResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  hung: boolean;
  targets: number;
  calls: number;
  last: string;
  bad: string[];
  done: boolean;
  stderr: string;
}

function runChild(seed: number, from: number, count: number): Promise<FuzzResult> {
  const child = path.join(__dirname, 'helpers', 'fuzz_child.js');
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--expose-gc', child, String(seed), String(from), String(count)], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      env: { ...process.env, TORCH_NODE_NO_WARNINGS: '1' },
    });
    const res: FuzzResult = { code: null, signal: null, hung: false, targets: 0, calls: 0, last: '', bad: [], done: false, stderr: '' };
    let buf = '';
    let timer = setTimeout(onHang, HANG_MS);
    function onHang() {
      res.hung = true;
      p.kill('SIGKILL');
    }
    (p.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
      clearTimeout(timer);
      timer = setTimeout(onHang, HANG_MS);
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() as string;
      for (const line of lines) {
        const [kind, ...rest] = line.split('\t');
        if (kind === 'CALL') {
          res.calls++;
          res.last = rest.join('\t');
        } else if (kind === 'BAD') res.bad.push(rest.join('\t'));
        else if (kind === 'TARGETS') res.targets = Number(rest[0]);
        else if (kind === 'DONE') res.done = true;
      }
    });
    p.stderr?.on('data', (d: Buffer) => {
      res.stderr = (res.stderr + d.toString()).slice(-4000);
    });
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      res.code = code;
      res.signal = signal;
      resolve(res);
    });
  });
}

describe('fuzz', function () {
  this.timeout(FULL ? 3_600_000 : 600_000);

  it(`${CALLS} calls with wrong arguments raise only TypeError/RangeError/TorchError (seed ${SEED})`, async function () {
    const r = await runChild(SEED, 0, CALLS);
    const replay = `replay: node dist/test/helpers/fuzz_child.js ${SEED} <index> 1 3>&1`;
    assert.ok(!r.hung, `no progress for ${HANG_MS / 1000} s at call ${r.last}\n${replay}`);
    assert.ok(r.done && r.code === 0, `the child died (code ${r.code}, signal ${r.signal}) at call ${r.last}\n${replay}\n${r.stderr}`);
    assert.strictEqual(r.calls, CALLS);
    assert.ok(r.targets > 500, `only ${r.targets} functions enumerated`);
    assert.deepStrictEqual(r.bad, [], `unexpected error classes:\n${r.bad.slice(0, 30).join('\n')}\n${replay}`);
  });

  // What the fuzzer found, kept as plain tests.
  it('max_pool1d with a window longer than its input answers at once (it used to hang, in Python too)', function () {
    const x = torch.randn([2, 3]);
    const t0 = Date.now();
    assert.throws(() => torch.nn.functional.maxPool1d(x, 2 ** 62), torch.TorchError);
    assert.throws(() => new torch.nn.MaxPool1d(2 ** 62).forward(x), torch.TorchError);
    assert.throws(() => torch.nn.functional.maxPool1d(x, 2, 1, 0, 2 ** 40), torch.TorchError);
    assert.throws(() => torch.nn.functional.maxPool1d(x, 4), /Output size is too small/);
    assert.ok(Date.now() - t0 < 5000);
    assert.deepStrictEqual(torch.nn.functional.maxPool1d(x, 4, { ceilMode: true }).shape, [2, 1]);
    assert.deepStrictEqual(torch.nn.functional.maxPool1d(x, 3).shape, [2, 1]);
  });
});
