// Random numbers: after torch.manualSeed(s), every CPU sampler gives exactly Python's stream.
import * as assert from 'assert';
import * as torch from '../lib';
import { callOp } from '../lib/dispatch';
import { py, requirePython, assertClose } from './helpers/python';

/** [name, the torch-node draws after manualSeed, the same in Python after manual_seed]. */
const streams: [string, () => torch.Tensor[], string][] = [
  ['rand', () => [torch.rand(5), torch.rand(2, 3)], '[torch.rand(5), torch.rand(2, 3)]'],
  ['rand float64 (vectorized length)', () => [torch.rand([40], { dtype: 'float64' })], '[torch.rand([40], dtype=torch.float64)]'],
  ['randn short and long (scalar and vectorized paths)', () => [torch.randn(7), torch.randn(3, 17), torch.randn(5)], '[torch.randn(7), torch.randn(3, 17), torch.randn(5)]'],
  ['randn float64', () => [torch.randn([20], { dtype: 'float64' })], '[torch.randn([20], dtype=torch.float64)]'],
  ['randint(high, size)', () => [torch.randint(10, [8]), torch.randint(3, 7, [2, 4])], '[torch.randint(10, (8,)), torch.randint(3, 7, (2, 4))]'],
  ['randint with dtype', () => [torch.randint(-5, 5, [6], { dtype: 'int32' })], '[torch.randint(-5, 5, (6,), dtype=torch.int32)]'],
  ['randperm', () => [torch.randperm(10), torch.randperm(3)], '[torch.randperm(10), torch.randperm(3)]'],
  ['randperm long', () => [torch.randperm(3000)], '[torch.randperm(3000)]'],
  ['randperm float', () => [torch.randperm(5, { dtype: 'float32' })], '[torch.randperm(5, dtype=torch.float32)]'],
  ['normal_', () => [torch.empty(6).normal_(), torch.empty(20).normal_(1, 2)], '[torch.empty(6).normal_(), torch.empty(20).normal_(1, 2)]'],
  ['uniform_', () => [torch.empty(6).uniform_(), torch.empty(3, 3).uniform_(-2, 5)], '[torch.empty(6).uniform_(), torch.empty(3, 3).uniform_(-2, 5)]'],
  ['bernoulli_', () => [torch.empty(12).bernoulli_(0.3), torch.zeros(4).bernoulli_(torch.tensor([0.1, 0.9, 0.5, 0.5]))], '[torch.empty(12).bernoulli_(0.3), torch.zeros(4).bernoulli_(torch.tensor([0.1, 0.9, 0.5, 0.5]))]'],
  ['torch.bernoulli', () => [torch.bernoulli(torch.full([10], 0.4)), torch.tensor([0.2, 0.8]).bernoulli()], '[torch.bernoulli(torch.full((10,), 0.4)), torch.tensor([0.2, 0.8]).bernoulli()]'],
  ['torch.normal', () => [torch.normal(torch.zeros(5), torch.ones(5).mul(2)), torch.normal(3, 0.5, [4])], '[torch.normal(torch.zeros(5), torch.ones(5) * 2), torch.normal(3., 0.5, (4,))]'],
  [
    'multinomial',
    () => [torch.multinomial(torch.tensor([0.1, 0.5, 0.4]), 6, true), torch.multinomial(torch.tensor([[1, 2, 3, 4], [4, 3, 2, 1]]), 3), torch.tensor([0.3, 0.7]).multinomial(4, { replacement: true })],
    '[torch.multinomial(torch.tensor([0.1, 0.5, 0.4]), 6, True), torch.multinomial(torch.tensor([[1., 2, 3, 4], [4, 3, 2, 1]]), 3), torch.tensor([0.3, 0.7]).multinomial(4, replacement=True)]',
  ],
  ['dropout', () => [callOp('dropout', [torch.ones(16), 0.5, true]) as torch.Tensor], '[torch.nn.functional.dropout(torch.ones(16), 0.5)]'],
  ['randLike, randnLike, randintLike', () => [torch.randLike(torch.zeros(3)), torch.randnLike(torch.zeros(2, 2)), torch.randintLike(torch.zeros(4), 10)], '[torch.rand_like(torch.zeros(3)), torch.randn_like(torch.zeros(2, 2)), torch.randint_like(torch.zeros(4), 10)]'],
  ['exponential_, random_', () => [torch.empty(5).exponential_(), torch.empty(5).random_(0, 100)], '[torch.empty(5).exponential_(), torch.empty(5).random_(0, 100)]'],
  ['geometric_, cauchy_, logNormal_', () => [torch.empty(6).geometric_(0.3), torch.empty(4).cauchy_(1, 2), torch.empty(4).logNormal_(0.5, 0.25)], '[torch.empty(6).geometric_(0.3), torch.empty(4).cauchy_(1, 2), torch.empty(4).log_normal_(0.5, 0.25)]'],
  ['torch.poisson', () => [torch.poisson(torch.tensor([0.5, 3, 10, 100]))], '[torch.poisson(torch.tensor([0.5, 3, 10, 100.]))]'],
  ['interleaved draws keep one stream', () => [torch.rand(2), torch.randn(3), torch.randint(100, [2]), torch.randperm(4), torch.rand(1)], '[torch.rand(2), torch.randn(3), torch.randint(100, (2,)), torch.randperm(4), torch.rand(1)]'],
];

describe('random streams equal PyTorch after manualSeed (CPU)', function () {
  let ref: Record<string, unknown>;
  before(function () {
    requirePython(this);
    ref = py(streams.map(([, , code], k) => `torch.manual_seed(${k * 7 + 1})\nemit('${k}', ${code})`).join('\n'));
  });

  streams.forEach(([name, draw], k) => {
    it(name, function () {
      torch.manualSeed(k * 7 + 1);
      const got = draw();
      const want = ref[String(k)] as unknown[];
      assert.strictEqual(got.length, want.length);
      got.forEach((t, n) => assertClose(t, want[n], { rtol: 1e-6, atol: 1e-7 }));
    });
  });

  it("takes Python's seed range: [-2^63, 2^64), negative seeds as their two's complement", function () {
    const ref = py(`
emit('r', [(torch.manual_seed(s), torch.rand(3))[1] for s in [15000000000000000000, -1, 2**63, -2**63]])
emit('e', [err(lambda: torch.manual_seed(2**64)), err(lambda: torch.manual_seed(-2**63 - 2**12))])
`);
    const got = [1.5e19, -1, 2 ** 63, -(2 ** 63)].map((s) => {
      torch.manualSeed(s);
      return torch.rand(3);
    });
    got.forEach((t, k) => assertClose(t, (ref.r as unknown[])[k], { rtol: 0, atol: 0 }));
    for (const [k, s] of [2 ** 64, -(2 ** 63) - 2 ** 12].entries()) {
      assert.throws(() => torch.manualSeed(s), (e: Error) => e instanceof torch.TorchError && e.message === (ref.e as string[])[k]);
    }
  });

  it('the same seed gives the same numbers, another seed others', function () {
    torch.manualSeed(123);
    const a = torch.randn(10);
    torch.manualSeed(123);
    const b = torch.randn(10);
    torch.manualSeed(124);
    const c = torch.randn(10);
    assert.ok(a.equal(b));
    assert.ok(!a.equal(c));
  });

  it('accepts seeds beyond 32 bits and rejects non-integers', function () {
    const ref2 = py(`torch.manual_seed(2**40 + 5)\nemit('r', torch.rand(3))`);
    torch.manualSeed(2 ** 40 + 5);
    assertClose(torch.rand(3), ref2.r);
    assert.throws(() => torch.manualSeed(1.5), TypeError);
    assert.throws(() => torch.manualSeed('1' as unknown as number), TypeError);
  });

  it('gives PyTorch errors for bad distributions', function () {
    assert.throws(() => torch.multinomial(torch.tensor([0.5, 0.5]), 3), (e: Error) => e instanceof torch.TorchError && /cannot sample n_sample > prob_dist.size\(-1\) samples without replacement/.test(e.message));
    assert.throws(() => torch.randint(5, 2, [3]), (e: Error) => e instanceof torch.TorchError && /random_ expects 'from' to be less than 'to', but got from=5 >= to=2/.test(e.message));
    assert.throws(() => torch.empty(2).bernoulli_(1.5), torch.TorchError);
  });
});

describe('the generator state and the default dtype', function () {
  before(function () {
    requirePython(this);
  });

  it("getRngState gives Python's bytes, and setRngState replays the stream", function () {
    const ref = py(`
torch.manual_seed(11); emit('state', torch.get_rng_state()); torch.rand(3)
s = torch.get_rng_state(); emit('after', [torch.randn(4), torch.randn(4)])
`);
    torch.manualSeed(11);
    const state = torch.getRngState();
    assertClose(state, ref.state, { rtol: 0, atol: 0 });
    torch.rand(3);
    const mid = torch.getRngState();
    const first = torch.randn(4);
    torch.setRngState(mid);
    const again = torch.randn(4);
    assertClose(first, (ref.after as unknown[])[0], { rtol: 0, atol: 0 });
    assertClose(again, (ref.after as unknown[])[0], { rtol: 0, atol: 0 });
    assert.throws(() => torch.setRngState(torch.zeros([3], { dtype: 'uint8' })), torch.TorchError);
    assert.throws(() => torch.setRngState([1, 2] as never), TypeError);
  });

  it('setDefaultDtype(float64) applies to numbers and factories, as in Python', function () {
    const ref = py(`
torch.set_default_dtype(torch.float64)
emit('d', [str(torch.get_default_dtype()), str(torch.tensor([1.5, 2]).dtype), str(torch.tensor(0.1).dtype), str(torch.zeros(2).dtype), str(torch.arange(0, 1, 0.25).dtype), str(torch.rand(2).dtype), str(torch.full((2,), 1.5).dtype), str(torch.linspace(0, 1, 3).dtype)])
emit('v', torch.tensor([0.1]))
emit('p', [str(torch.tensor([1.5])), str(torch.tensor([1.5], dtype=torch.float32)), str(torch.zeros(1, dtype=torch.complex128)), str(torch.zeros(1, dtype=torch.complex64)), str(torch.zeros(0, dtype=torch.float32)), str(torch.zeros(0))])
emit('eps', torch.finfo().eps)
`);
    assert.strictEqual(torch.getDefaultDtype(), 'float32');
    try {
      torch.setDefaultDtype(torch.float64);
      const got = [torch.getDefaultDtype(), torch.tensor([1.5, 2]).dtype, torch.tensor(0.1).dtype, torch.zeros(2).dtype, torch.arange(0, 1, 0.25).dtype, torch.rand(2).dtype, torch.full([2], 1.5).dtype, torch.linspace(0, 1, 3).dtype];
      assert.deepStrictEqual(got.map((d) => `torch.${d}`), ref.d);
      assertClose(torch.tensor([0.1]), ref.v, { rtol: 0, atol: 0 });
      // printing leaves out the default dtype (and its complex counterpart), as Python does
      assert.deepStrictEqual([String(torch.tensor([1.5])), String(torch.tensor([1.5], { dtype: 'float32' })), String(torch.zeros([1], { dtype: 'complex128' })), String(torch.zeros([1], { dtype: 'complex64' })), String(torch.zeros([0], { dtype: 'float32' })), String(torch.zeros([0]))], ref.p);
      assert.strictEqual(torch.finfo().eps, ref.eps);
      assert.throws(() => torch.setDefaultDtype('int64'), /only floating-point types are supported as the default type/);
    } finally {
      torch.setDefaultDtype('float32');
    }
    assert.strictEqual(torch.tensor([1.5]).dtype, 'float32');
  });
});
