// torch.Generator against PyTorch: operators that take a generator draw from it as PyTorch's do, its own draws
// continue the same stream, its state is PyTorch's (bytes for bytes), and torch's global generator is untouched.
import * as assert from 'assert';
import * as torch from '../lib';
import { py, requirePython } from './helpers/python';

describe('torch.Generator', function () {
  before(function () {
    requirePython(this);
  });

  it("operators with { generator } and the generator's own draws give PyTorch's numbers, state and global stream", function () {
    const g = new torch.Generator().manualSeed(42);
    torch.manualSeed(0);
    const got = {
      randn: torch.randn(5, { generator: g }).tolist(),
      randn20: torch.randn([20], { generator: g }).tolist(),
      rand: torch.rand(3, { generator: g }).tolist(),
      randint: torch.randint(0, 10, [5], { generator: g }).tolist(),
      randperm: torch.randperm(6, { generator: g }).tolist(),
      normal_: torch.empty(3).normal_({ generator: g }).tolist(),
      bernoulli: torch.full([6], 0.5).bernoulli({ generator: g }).tolist(),
      multinomial: torch.multinomial(torch.tensor([0.1, 0.2, 0.7]), 4, true, { generator: g }).tolist(),
      own: g.randperm(5),
      after: torch.rand(2, { generator: g }).tolist(),
      state: Array.from(g.getState().dataSync<Uint8Array>()),
      global: torch.rand(2).tolist(),
      initialSeed: g.initialSeed(),
    };
    const r = py(`
g = torch.Generator().manual_seed(42)
torch.manual_seed(0)
emit('randn', torch.randn(5, generator=g))
emit('randn20', torch.randn(20, generator=g))
emit('rand', torch.rand(3, generator=g))
emit('randint', torch.randint(0, 10, (5,), generator=g))
emit('randperm', torch.randperm(6, generator=g))
emit('normal_', torch.empty(3).normal_(generator=g))
emit('bernoulli', torch.full((6,), 0.5).bernoulli(generator=g))
emit('multinomial', torch.multinomial(torch.tensor([0.1, 0.2, 0.7]), 4, True, generator=g))
emit('own', torch.randperm(5, generator=g).tolist())
emit('after', torch.rand(2, generator=g))
emit('state', g.get_state().tolist())
emit('global', torch.rand(2))
emit('initialSeed', g.initial_seed())
`);
    for (const [k, v] of Object.entries(r)) {
      const expected = v !== null && typeof v === 'object' && '__tensor__' in v ? (v as unknown as { data: unknown }).data : v;
      const actual = (got as Record<string, unknown>)[k];
      assert.deepStrictEqual(Array.isArray(actual) ? (actual as unknown[]).flat() : actual, expected, k);
    }
  });

  it('torch.bernoulli and torch.normal take a generator; an operator that fails after drawing still advances it', function () {
    const g = new torch.Generator().manualSeed(7);
    const got = [
      torch.bernoulli(torch.full([5], 0.5), { generator: g }).tolist(),
      torch.normal(0, 1, [3], { generator: g }).tolist(),
      torch.normal(torch.zeros(3), 2, { generator: g }).tolist(),
    ];
    assert.throws(() => torch.empty([3]).bernoulli_(torch.tensor([0.5, 0.5, 2.0]), { generator: g }), torch.TorchError);
    got.push(torch.rand(3, { generator: g }).tolist());
    const r = py(`
g = torch.Generator().manual_seed(7)
out = [torch.bernoulli(torch.full((5,), 0.5), generator=g).tolist(), torch.normal(0, 1, (3,), generator=g).tolist(), torch.normal(torch.zeros(3), 2, generator=g).tolist()]
try:
    torch.empty(3).bernoulli_(torch.tensor([0.5, 0.5, 2.0]), generator=g)
except RuntimeError:
    pass
out.append(torch.rand(3, generator=g).tolist())
emit('out', out)
`);
    assert.deepStrictEqual(got, r.out);
  });

  it("takes Python's state and gives it back (getState/setState), and rejects what is not a state", function () {
    const r = py(`
g = torch.Generator().manual_seed(7)
torch.randn(3, generator=g)
emit('state', g.get_state().tolist())
emit('next', torch.randn(4, generator=g))
emit('next2', torch.rand(2, generator=g))
`);
    const g = new torch.Generator().setState(torch.tensor(r.state as number[], { dtype: 'uint8' }));
    assert.deepStrictEqual(Array.from(g.getState().dataSync<Uint8Array>()), r.state);
    assert.deepStrictEqual(torch.randn(4, { generator: g }).tolist(), (r.next as { data: number[] }).data, 'the cached normal sample travels with the state');
    const copy = new torch.Generator().setState(g.getState());
    assert.deepStrictEqual(torch.rand(2, { generator: copy }).tolist(), (r.next2 as { data: number[] }).data);
    assert.throws(() => g.setState(torch.zeros(5056)), TypeError);
    assert.throws(() => g.setState(torch.zeros(10, { dtype: 'uint8' })), RangeError);
    assert.throws(() => g.setState(torch.zeros(5056, { dtype: 'uint8' })), { name: 'RangeError', message: 'setState(): Invalid mt19937 state' });
    assert.throws(() => torch.randn(2, { generator: 5 as unknown as torch.Generator }), TypeError);
    assert.throws(() => new torch.Generator().manualSeed(2n ** 64n), { name: 'RangeError', message: 'Overflow when unpacking long' });
    assert.throws(() => new torch.Generator().manualSeed(-(2n ** 63n) - 1n), RangeError);
    assert.strictEqual(g.device.toString(), 'cpu');
  });
});
