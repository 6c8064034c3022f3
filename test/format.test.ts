// Printing: tensor.toString() must equal Python's repr() of the same tensor, character for character.
import * as assert from 'assert';
import * as torch from '../lib';
import { formatExp, formatFixed } from '../lib/format';
import { py, requirePython } from './helpers/python';

/** [name, how torch-node makes it, how PyTorch makes it]. */
type Case = [string, () => torch.Tensor, string];

const cases: Case[] = [
  ['floats', () => torch.tensor([1, 2, 3]), 'torch.tensor([1., 2., 3.])'],
  ['int64', () => torch.arange(3), 'torch.arange(3)'],
  ['0-dim float', () => torch.tensor(3.5), 'torch.tensor(3.5)'],
  ['0-dim int64', () => torch.tensor(-7n), 'torch.tensor(-7)'],
  ['0-dim bool', () => torch.tensor(true), 'torch.tensor(True)'],
  ['0-dim zero', () => torch.tensor(0), 'torch.tensor(0.)'],
  ['bool', () => torch.tensor([true, false]), 'torch.tensor([True, False])'],
  ['bool all true 2-D', () => torch.tensor([[true], [true]]), 'torch.tensor([[True], [True]])'],
  ['ties round to even', () => torch.tensor([0.03125, 1.5, -0.09375]), 'torch.tensor([0.03125, 1.5, -0.09375])'],
  ['small values: scientific', () => torch.tensor([1e-5, 1]), 'torch.tensor([1e-5, 1.])'],
  ['wide range: scientific', () => torch.tensor([1e-3, 2.5e3]), 'torch.tensor([1e-3, 2.5e3])'],
  ['large integers: scientific', () => torch.tensor([1e10, 1]), 'torch.tensor([1e10, 1.])'],
  ['above 1e8', () => torch.tensor([123456789.0]), 'torch.tensor([123456789.0])'],
  ['integer-valued floats', () => torch.tensor([100, -5, 0]), 'torch.tensor([100., -5., 0.])'],
  ['negative zero', () => torch.tensor([-0, 0]), 'torch.tensor([-0., 0.])'],
  ['nan and inf', () => torch.tensor([NaN, Infinity, -1.5]), "torch.tensor([float('nan'), float('inf'), -1.5])"],
  ['integers with nan', () => torch.tensor([1, NaN, -Infinity]), "torch.tensor([1., float('nan'), float('-inf')])"],
  ['only non-finite', () => torch.tensor([Infinity, -Infinity]), "torch.tensor([float('inf'), float('-inf')])"],
  ['zeros', () => torch.zeros(3), 'torch.zeros(3)'],
  ['float64 3-D', () => torch.arange(24, { dtype: 'float64' }).reshape(2, 3, 4).div(7), 'torch.arange(24, dtype=torch.float64).reshape(2, 3, 4) / 7'],
  ['4-D', () => torch.arange(16).reshape(2, 2, 2, 2), 'torch.arange(16).reshape(2, 2, 2, 2)'],
  ['transposed', () => torch.arange(6, { dtype: 'float32' }).reshape(2, 3).t().div(4), 'torch.arange(6, dtype=torch.float32).reshape(2, 3).t() / 4'],
  ['wrapping at 80 columns', () => { torch.manualSeed(0); return torch.randn(100); }, 'torch.manual_seed(0); r = torch.randn(100)'],
  ['wrapped rows in 2-D', () => { torch.manualSeed(1); return torch.randn(3, 12).mul(100); }, 'torch.manual_seed(1); r = torch.randn(3, 12) * 100'],
  ['int wrapping', () => torch.arange(100).mul(1000), 'torch.arange(100) * 1000'],
  ['summarized 1-D int', () => torch.arange(1001), 'torch.arange(1001)'],
  ['summarized 1-D float', () => torch.linspace(0, 1, 2000), 'torch.linspace(0, 1, 2000)'],
  ['summarized 2-D, one cut', () => torch.arange(2000).reshape(2, 1000), 'torch.arange(2000).reshape(2, 1000)'],
  ['summarized 2-D, both cut', () => torch.arange(1500, { dtype: 'float32' }).reshape(10, 150).div(3), 'torch.arange(1500, dtype=torch.float32).reshape(10, 150) / 3'],
  ['summarized 3-D', () => torch.arange(3000).reshape(10, 10, 30), 'torch.arange(3000).reshape(10, 10, 30)'],
  ['empty', () => torch.tensor([]), 'torch.tensor([])'],
  ['empty 2-D', () => torch.zeros(0, 3), 'torch.zeros(0, 3)'],
  ['empty int64', () => torch.tensor([], { dtype: 'int64' }), 'torch.tensor([], dtype=torch.int64)'],
  ['empty [[]]', () => torch.tensor([[]]), 'torch.tensor([[]])'],
  ['int32', () => torch.tensor([-3, 25, 7], { dtype: 'int32' }), 'torch.tensor([-3, 25, 7], dtype=torch.int32)'],
  ['uint8', () => torch.tensor([0, 255], { dtype: 'uint8' }), 'torch.tensor([0, 255], dtype=torch.uint8)'],
  ['int8 2-D', () => torch.tensor([[-128, 5], [3, 127]], { dtype: 'int8' }), 'torch.tensor([[-128, 5], [3, 127]], dtype=torch.int8)'],
  ['int64 beyond 2^53', () => torch.tensor([2n ** 62n, -1n]), 'torch.tensor([2**62, -1])'],
  ['float16', () => torch.tensor([0.1, 2.5, -3], { dtype: 'float16' }), 'torch.tensor([0.1, 2.5, -3], dtype=torch.float16)'],
  ['bfloat16', () => torch.tensor([0.1, 1000], { dtype: 'bfloat16' }), 'torch.tensor([0.1, 1000], dtype=torch.bfloat16)'],
  ['complex64', () => torch.complex(torch.tensor([1.5, -2, 0]), torch.tensor([-0.25, 3, 0])), 'torch.complex(torch.tensor([1.5, -2, 0]), torch.tensor([-0.25, 3, 0]))'],
  ['requires_grad', () => torch.ones(2, { requiresGrad: true }), 'torch.ones(2, requires_grad=True)'],
  ['grad_fn', () => torch.ones(2, { requiresGrad: true }).add(torch.ones(2)), 'torch.ones(2, requires_grad=True) + torch.ones(2)'],
  ['0-dim grad_fn', () => torch.tensor([1.5, 2], { requiresGrad: true }).sum(), 'torch.tensor([1.5, 2.], requires_grad=True).sum()'],
  ['meta', () => torch.zeros(2, { device: 'meta' }), "torch.zeros(2, device='meta')"],
  ['meta float64 2-D', () => torch.zeros(2, 3, { device: 'meta', dtype: 'float64' }), "torch.zeros(2, 3, device='meta', dtype=torch.float64)"],
  ['meta 0-dim', () => torch.zeros([], { device: 'meta' }), "torch.zeros([], device='meta')"],
  ['meta empty', () => torch.zeros(0, { device: 'meta' }), "torch.zeros(0, device='meta')"],
  ['meta int64 (no default dtype)', () => torch.zeros(2, { device: 'meta', dtype: 'int64' }), "torch.zeros(2, device='meta', dtype=torch.int64)"],
  ['meta bool', () => torch.zeros(2, { device: 'meta', dtype: 'bool' }), "torch.zeros(2, device='meta', dtype=torch.bool)"],
  ['meta summarized size', () => torch.zeros(2000, { device: 'meta' }), "torch.zeros(2000, device='meta')"],
  ['meta grad_fn', () => torch.zeros(2, { device: 'meta', requiresGrad: true }).mul(2), "torch.zeros(2, device='meta', requires_grad=True) * 2"],
  [
    'suffixes wrap past 80 columns',
    () => torch.tensor([[0.25, -1.5, 3.125, 1000.5, 2.5, 0.5, 7.75, 8]], { dtype: 'float64', requiresGrad: true }),
    'torch.tensor([[0.25, -1.5, 3.125, 1000.5, 2.5, 0.5, 7.75, 8]], dtype=torch.float64, requires_grad=True)',
  ],
];

describe('tensor printing', function () {
  let expected: Record<string, unknown>;
  before(function () {
    requirePython(this);
    const lines = cases.map(([, , expr], i) => {
      const stmts = expr.split('; ');
      const last = stmts.pop() as string;
      const value = last.startsWith('r = ') ? last.slice(4) : last;
      return `${stmts.join('\n')}\nemit(${JSON.stringify(String(i))}, repr(${value}))`;
    });
    expected = py(lines.join('\n'));
  });

  cases.forEach(([name, make], i) => {
    it(`prints like PyTorch: ${name}`, function () {
      assert.strictEqual(make().toString(), expected[String(i)]);
    });
  });

  it('follows setPrintoptions like torch.set_printoptions', function () {
    const ref = py(`
torch.set_printoptions(precision=2)
emit('p2', repr(torch.tensor([1.12345, -2.5])))
torch.set_printoptions(threshold=5)
emit('t5', repr(torch.arange(10)))
torch.set_printoptions(profile='short')
emit('short', repr(torch.arange(100.).reshape(10, 10) / 3))
torch.set_printoptions(profile='default', sci_mode=True)
emit('sci', repr(torch.tensor([1.5, 2.])))
torch.set_printoptions(profile='default', linewidth=30)
emit('lw', repr(torch.arange(12.)))
torch.set_printoptions(profile='full')
emit('full', repr(torch.arange(1200)))
torch.set_printoptions(profile='default')
`);
    try {
      torch.setPrintoptions({ precision: 2 });
      assert.strictEqual(torch.tensor([1.12345, -2.5]).toString(), ref.p2);
      torch.setPrintoptions({ threshold: 5 });
      assert.strictEqual(torch.arange(10).toString(), ref.t5);
      torch.setPrintoptions({ profile: 'short' });
      assert.strictEqual(torch.arange(100, { dtype: 'float32' }).reshape(10, 10).div(3).toString(), ref.short);
      torch.setPrintoptions({ profile: 'default', sciMode: true });
      assert.strictEqual(torch.tensor([1.5, 2]).toString(), ref.sci);
      torch.setPrintoptions({ profile: 'default', linewidth: 30 });
      assert.strictEqual(torch.arange(12, { dtype: 'float32' }).toString(), ref.lw);
      torch.setPrintoptions({ profile: 'full' });
      assert.strictEqual(torch.arange(1200).toString(), ref.full);
    } finally {
      torch.setPrintoptions({ profile: 'default' });
    }
    assert.deepStrictEqual(torch.getPrintoptions(), { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null });
    assert.throws(() => torch.setPrintoptions({ precision: -1 }), TypeError);
    assert.throws(() => torch.setPrintoptions({ profile: 'long' as 'full' }), TypeError);
  });

  it("formats numbers as Python's format() does, ties to even", function () {
    const xs = [0, -0, 0.5, 1.5, 2.5, 0.125, 0.03125, 1 / 3, 1e-7, 123456.789, 9.99995, 9.999949, 1e22, 5e-324, 1.7976931348623157e308];
    const ref = py(`
xs = [0.0, -0.0, 0.5, 1.5, 2.5, 0.125, 0.03125, 1/3, 1e-7, 123456.789, 9.99995, 9.999949, 1e22, 5e-324, 1.7976931348623157e308]
emit('f4', ['{:.4f}'.format(x) for x in xs]); emit('f0', ['{:.0f}'.format(x) for x in xs])
emit('e4', ['{:.4e}'.format(x) for x in xs]); emit('e0', ['{:.0e}'.format(x) for x in xs])
`);
    assert.deepStrictEqual(xs.map((x) => formatFixed(x, 4)), ref.f4);
    assert.deepStrictEqual(xs.map((x) => formatFixed(x, 0)), ref.f0);
    assert.deepStrictEqual(xs.map((x) => formatExp(x, 4)), ref.e4);
    assert.deepStrictEqual(xs.map((x) => formatExp(x, 0)), ref.e0);
  });

  it('prints through console.log and marks disposed tensors', function () {
    const t = torch.tensor([1, 2]);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const util = require('util') as typeof import('util');
    assert.strictEqual(util.inspect(t), 'tensor([1., 2.])');
    assert.strictEqual(`${t}`, 'tensor([1., 2.])');
    t.dispose();
    assert.strictEqual(t.toString(), 'tensor(<disposed>)');
  });
});

describe('tensor printing @gpu', function () {
  before(function () {
    if (torch.cuda.isAvailable()) return;
    if (process.env.REQUIRE_CUDA) throw new Error('REQUIRE_CUDA is set but no CUDA device is available');
    this.skip();
  });

  it('@gpu adds the device suffix before dtype and grad suffixes', function () {
    assert.strictEqual(torch.tensor([1, 2]).cuda().toString(), "tensor([1., 2.], device='cuda:0')");
    assert.strictEqual(torch.arange(3).cuda().toString(), "tensor([0, 1, 2], device='cuda:0')");
    assert.strictEqual(torch.tensor([]).cuda().toString(), "tensor([], device='cuda:0')");
    assert.strictEqual(
      torch.ones(2, { dtype: 'float64', device: 'cuda', requiresGrad: true }).toString(),
      "tensor([1., 1.], device='cuda:0', dtype=torch.float64, requires_grad=True)",
    );
  });

  it('@gpu summarizes a large CUDA tensor like the same tensor on the CPU', function () {
    const cpu = torch.arange(3000, { dtype: 'float32' }).reshape(30, 100).div(7);
    assert.strictEqual(cpu.cuda().toString(), cpu.toString().slice(0, -1) + ", device='cuda:0')");
    assert.strictEqual(torch.arange(2000).cuda().toString(), "tensor([   0,    1,    2,  ..., 1997, 1998, 1999], device='cuda:0')");
  });
});
