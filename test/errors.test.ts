// Bad input gets a clear error and the process survives: LibTorch errors as TorchError with PyTorch's text,
// bad JavaScript arguments as TypeError/RangeError.
import * as assert from 'assert';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as torch from '../lib';
import { N } from '../lib/native';
import { py, requirePython } from './helpers/python';

const isTorchError = (re: RegExp) => (e: unknown) => e instanceof torch.TorchError && re.test((e as Error).message);

describe('errors', function () {
  it('gives PyTorch messages for shape, dtype and device errors', function () {
    const a = torch.ones([2, 3]);
    assert.throws(() => a.mm(torch.ones([4, 5])), isTorchError(/mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)/));
    assert.throws(() => a.add(torch.ones([4])), isTorchError(/The size of tensor a \(3\) must match the size of tensor b \(4\)/));
    assert.throws(() => a.view(7), isTorchError(/shape '\[7\]' is invalid for input of size 6/));
    assert.throws(() => torch.cat([a, torch.ones([2, 3, 4])]), isTorchError(/Tensors must have same number of dimensions/));
    assert.throws(() => torch.ones([2], { dtype: 'int64' }).add_(torch.ones([2]).mul(0.5)), isTorchError(/result type Float can't be cast to the desired output type Long/));
    assert.throws(() => a.index([5]), (e: unknown) => (e instanceof torch.TorchError || e instanceof RangeError) && /index 5 is out of bounds for dimension 0 with size 2/.test((e as Error).message));
  });

  it('names tensor types in messages as Python does', function () {
    // PyTorch's error translation replaces ATen's names of the CPU/CUDA (sparse) byte..half types, and only those.
    assert.strictEqual(
      new torch.TorchError('Variable[SparseCUDALongType], CPUFloatType, CUDAHalfType, SparseCPUByteType, CPUBFloat16Type, QuantizedCPUFloatType').message,
      'torch.cuda.sparse.LongTensor, torch.FloatTensor, torch.cuda.HalfTensor, torch.sparse.ByteTensor, CPUBFloat16Type, Quantizedtorch.FloatTensor',
    );
  });

  it('refuses the integer minimum divided by -1 instead of dying of SIGFPE', function () {
    // PyTorch's CPU kernels trap here (the Python process dies too); run in a child so a regression fails this test only.
    const lib = path.join(__dirname, '..', 'lib');
    const script = `
const torch = require(${JSON.stringify(lib)});
const T = (v, d) => torch.tensor(v, { dtype: d });
const L = (v) => torch.tensor(new BigInt64Array(v));
const calls = [
  () => T([-2147483648, 4], 'int32').div(-1, { roundingMode: 'trunc' }),
  () => T([-2147483648], 'int32').remainder(-1),
  () => T([-2147483648], 'int32').fmod(T([-1], 'int32')),
  () => L([-(2n ** 63n)]).div(-1, { roundingMode: 'floor' }),
  () => L([-(2n ** 63n)]).floorDivide(L([-1n])),
  () => torch.remainder(-(2 ** 63), L([-1n])),
  // operands that only become the minimum or -1 once converted to the common dtype
  () => torch.floorDivide(L([2n ** 31n]).reshape([]), T([-1], 'int32')),
  () => T([-2147483648], 'int32').remainder(4294967295),
  () => torch.fmod(T([-2147483648], 'int32'), 4294967295),
  () => torch.ops.aten.remainder.Scalar_Tensor(2147483648, T([-1], 'int32')),
];
const out = calls.map((f) => { try { f(); return 'no error'; } catch (e) { return e.constructor.name + ': ' + e.message; } });
// Pairs that do not meet, and promotion to a wider type, still compute.
out.push(String(T([-2147483648, 6], 'int32').div(T([2, -1], 'int32'), { roundingMode: 'floor' }).tolist()));
out.push(String(T([-2147483648], 'int32').div(L([-1n]), { roundingMode: 'floor' }).tolist()));
console.log(JSON.stringify(out));
`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.strictEqual(r.signal, null, `the child died of ${r.signal}`);
    assert.strictEqual(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as string[];
    for (const line of out.slice(0, 10)) assert.match(line, /^TorchError: integer overflow: -(2147483648 \(the int32|9223372036854775808 \(the int64) minimum\) divided by -1 is out of range$/);
    assert.deepStrictEqual(out.slice(10), ['-1073741824,-6', '2147483648']);
  });

  it('refuses operator calls whose LibTorch kernels would crash on their arguments', function () {
    // Each of these kills PyTorch 1.13 (SIGFPE or SIGSEGV); run in a child so a regression fails this test only.
    requirePython(this);
    const lib = path.join(__dirname, '..', 'lib');
    const script = `
const torch = require(${JSON.stringify(lib)});
const aten = torch.ops.aten;
const calls = [
  () => aten.native_channel_shuffle(torch.ones([1, 1, 5, 5]), 0),
  () => aten.fractional_max_pool2d(torch.ones([1, 1, 5, 5]), [2, 2], [2, 2], torch.ones([0, 0, 2])),
  () => aten.fractional_max_pool3d(torch.ones([1, 2, 4, 4, 4]), [2, 2, 2], [2, 2, 2], torch.ones([1, 1, 3])),
  () => aten._local_scalar_dense(torch.ones([0])),
  () => aten.to_dense(aten._sparse_csr_tensor_unsafe(torch.tensor([0n, 5n]), torch.tensor([100n]), torch.ones([1]), [1, 2])),
];
console.log(JSON.stringify(calls.map((f) => { try { f(); return 'no error'; } catch (e) { return e.constructor.name + ': ' + e.message; } })));
// the checked calls still work
console.log(JSON.stringify([aten.native_channel_shuffle(torch.arange(4, { dtype: 'float32' }).reshape([1, 4, 1, 1]), 2).reshape([-1]).tolist(),
  aten.fractional_max_pool2d(torch.arange(25, { dtype: 'float32' }).reshape([1, 1, 5, 5]), [2, 2], [2, 2], torch.full([1, 1, 2], 0.5))[0].reshape([-1]).tolist()]));
`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.strictEqual(r.signal, null, `the child died of ${r.signal}`);
    assert.strictEqual(r.status, 0, r.stderr);
    const [errors, ok] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown[]);
    assert.deepStrictEqual(errors, [
      'TorchError: Number of groups to divide channels in must be positive. Value of groups:0',
      'TorchError: fractional_max_pool2d(): expected random_samples of shape (1, 1, 2), but got [0, 0, 2]',
      'TorchError: fractional_max_pool3d(): expected random_samples of shape (1, 2, 3), but got [1, 1, 3]',
      'TorchError: a Tensor with 0 elements cannot be converted to Scalar',
      "TorchError: aten::_sparse_csr_tensor_unsafe skips PyTorch's argument checks and is not available in torch-node; use the checked operator",
    ]);
    const ref = py(`
emit('ok', [torch.ops.aten.native_channel_shuffle(torch.arange(4.).reshape(1, 4, 1, 1), 2).reshape(-1).tolist(),
  torch.ops.aten.fractional_max_pool2d(torch.arange(25.).reshape(1, 1, 5, 5), [2, 2], [2, 2], torch.full((1, 1, 2), 0.5))[0].reshape(-1).tolist()])
`);
    assert.deepStrictEqual(ok, ref.ok);
  });

  it('survives workers terminated with async copies pending, whether or not the main thread loaded the addon', function () {
    // With pending copies, settling in a dying worker used to abort; with no other user of the addon, Node unloads
    // it when the worker ends, while LibTorch keeps its allocator (the addon is now never unloaded).
    const lib = path.join(__dirname, '..', 'lib');
    for (const mainLoads of [false, true]) {
      const script = `
${mainLoads ? `require(${JSON.stringify(lib)});` : ''}
const { Worker } = require('worker_threads');
let n = 0;
const round = () => {
  const w = new Worker(\`const torch = require(${JSON.stringify(lib)}); for (let i = 0; i < 8; i++) torch.rand([300, 300]).data();
    require('worker_threads').parentPort.postMessage('go');\`, { eval: true });
  w.on('message', () => w.terminate());
  w.on('exit', () => (++n < 6 ? round() : console.log('survived')));
};
round();
`;
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000 });
      assert.strictEqual(r.signal, null, `main thread loads the addon: ${mainLoads}; the process died of ${r.signal}: ${r.stderr}`);
      assert.strictEqual(r.stdout.trim(), 'survived', r.stderr);
    }
  });

  it('says when there is no CUDA', function () {
    if (N.version().cuda) this.skip();
    assert.throws(() => torch.ones([2]).to('cuda'), isTorchError(/no CUDA build of LibTorch is present/));
    assert.throws(() => torch.zeros([2], { device: 'cuda:0' }), isTorchError(/no CUDA build of LibTorch is present/));
  });

  it('refuses allocations larger than memory with a TorchError', function () {
    assert.throws(() => torch.empty([1e13]), isTorchError(/can't allocate memory|not enough memory|allocate/i));
    assert.throws(() => torch.zeros([1e6, 1e6, 1e6]), (e: unknown) => e instanceof torch.TorchError || e instanceof RangeError);
  });

  it('gives TypeError/RangeError for bad JavaScript arguments', function () {
    const a = torch.ones([2]);
    assert.throws(() => a.add('x' as unknown as number), TypeError);
    assert.throws(() => torch.zeros([-1]), isTorchError(/negative dimension -1/));
    assert.throws(() => torch.zeros([1.5]), TypeError);
    assert.throws(() => torch.tensor([[1, 2], [3]]), TypeError);
    assert.throws(() => torch.tensor(['a'] as unknown as number[]), TypeError);
    assert.throws(() => a.to('tpu'), TypeError);
    assert.throws(() => a.sum('x' as unknown as number), TypeError);
    assert.throws(() => torch.ones([2], { dtype: 'float128' as torch.DType }), TypeError);
    assert.throws(() => { a.requiresGrad = 1 as unknown as boolean; }, TypeError);
    assert.throws(() => torch.ops.aten.nonexistent_op(a), TypeError);
  });

  it('handles NaN, infinities and empty tensors like PyTorch', function () {
    const x = torch.tensor([NaN, Infinity, -Infinity, 1]);
    assert.deepStrictEqual(x.isnan().tolist(), [true, false, false, false]);
    assert.ok(Number.isNaN(x.sum().item()));
    const e = torch.zeros([0, 3]);
    assert.strictEqual(e.sum().item(), 0);
    assert.deepStrictEqual(e.sum(0).tolist(), [0, 0, 0]);
    assert.throws(() => e.max(), isTorchError(/max\(\): Expected reduction dim to be specified for input.numel\(\) == 0/));
  });

  it('rejects use after dispose with a TypeError and survives double dispose', function () {
    const a = torch.ones([2]);
    a.dispose();
    a.dispose();
    assert.throws(() => a.add(1), /disposed/);
    assert.throws(() => torch.ones([2]).add(a), /disposed/);
    assert.strictEqual(String(a), 'tensor(<disposed>)');
  });

  it('survives a fuzz of wrong arguments to tensor functions', function () {
    // A fixed-seed stream of hostile values thrown at every method that takes arguments.
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const values: unknown[] = [
      undefined, null, NaN, Infinity, -1, 0, 1e12, -1e12, 2.5, 'x', 'float32', 'cuda', [], [1e9], [-3], {}, true,
      () => 1, torch.zeros([0]), torch.ones([2, 3]), torch.ones([3], { dtype: 'int64' }), torch.ones([1]).fill_(NaN),
      torch.ones([2, 2], { dtype: 'bool' }), Symbol('s'), 10n,
    ];
    const x = torch.ones([2, 3]);
    const proto = Object.getPrototypeOf(x) as Record<string, unknown>;
    const methods = Object.getOwnPropertyNames(proto).filter((m) => {
      const d = Object.getOwnPropertyDescriptor(proto, m);
      return m !== 'constructor' && typeof d?.value === 'function' && !['dispose', 'data'].includes(m);
    });
    let calls = 0;
    for (let i = 0; i < 3000; i++) {
      const m = methods[Math.floor(rnd() * methods.length)];
      const argc = Math.floor(rnd() * 4);
      const args = Array.from({ length: argc }, () => values[Math.floor(rnd() * values.length)]);
      const target = torch.ones([2, 3]);
      try {
        torch.tidy(() => {
          (target as unknown as Record<string, (...a: unknown[]) => unknown>)[m](...args);
        });
      } catch (e) {
        assert.ok(e instanceof TypeError || e instanceof RangeError || e instanceof torch.TorchError, `${m}(${args.map(String).join(', ')}) threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
      }
      calls++;
    }
    assert.strictEqual(calls, 3000);
    assert.deepStrictEqual(x.sum().item(), 6);
  });
});
