// Indexing against PyTorch: select, narrow, x[...] through index() and x[...] = v through indexPut_().
import * as assert from 'assert';
import * as torch from '../lib';
import { oracleSuite } from './tensor_oracle';

/** The tensor every case indexes: 0..59 as float32, shape [3, 4, 5]. */
const X = () => torch.arange(60, { dtype: 'float32' }).reshape(3, 4, 5);
const SETUP = `X = lambda: torch.arange(60, dtype=torch.float32).reshape(3, 4, 5)
def setitem(t, idx, v):
    t[idx] = v
    return t
`;
const long = (...xs: number[]) => torch.tensor(xs, { dtype: 'int64' });
/** A 0-dim tensor (Python's `torch.tensor(v, dtype=...)`). */
const scalar = (v: number | boolean, dtype: torch.DType = 'int64') => torch.tensor(v, { dtype });

oracleSuite(
  'select and narrow',
  [
    { name: 'select', ts: () => X().select(0, 1), py: 'X().select(0, 1)' },
    { name: 'select negative', ts: () => X().select(-1, -2), py: 'X().select(-1, -2)' },
    { name: 'torch.select', ts: () => torch.select(X(), 1, 3), py: 'torch.select(X(), 1, 3)' },
    { name: 'select out of range', ts: () => X().select(1, 4), py: 'X().select(1, 4)' },
    { name: 'select bad dim', ts: () => X().select(3, 0), py: 'X().select(3, 0)' },
    { name: 'narrow', ts: () => X().narrow(1, 1, 2), py: 'X().narrow(1, 1, 2)' },
    { name: 'narrow negative start', ts: () => X().narrow(2, -2, 2), py: 'X().narrow(2, -2, 2)' },
    { name: 'torch.narrow', ts: () => torch.narrow(X(), 0, 2, 1), py: 'torch.narrow(X(), 0, 2, 1)' },
    { name: 'narrow too long', ts: () => X().narrow(1, 3, 2), py: 'X().narrow(1, 3, 2)' },
    { name: 'select is a view', ts: () => { const x = X(); x.select(2, 0).fill_(-1); return x; }, py: 'setitem(X(), (slice(None), slice(None), 0), -1)' },
  ],
  SETUP,
);

oracleSuite(
  'index(): integers, slices, null and ellipsis',
  [
    { name: 'x[1]', ts: () => X().index(1), py: 'X()[1]' },
    { name: 'x[-1]', ts: () => X().index(-1), py: 'X()[-1]' },
    { name: 'x[1, 2]', ts: () => X().index([1, 2]), py: 'X()[1, 2]' },
    { name: 'x[0, -1, 2] is 0-dim', ts: () => X().index([0, -1, 2]), py: 'X()[0, -1, 2]' },
    { name: "x[1:3] as '1:3'", ts: () => X().index('1:3'), py: 'X()[1:3]' },
    { name: 'x[:]', ts: () => X().index(':'), py: 'X()[:]' },
    { name: 'x[::2]', ts: () => X().index('::2'), py: 'X()[::2]' },
    { name: 'x[:, 1:]', ts: () => X().index([':', '1:']), py: 'X()[:, 1:]' },
    { name: 'x[-2:, :-1, 1:4:2]', ts: () => X().index(['-2:', ':-1', '1:4:2']), py: 'X()[-2:, :-1, 1:4:2]' },
    { name: 'x[1:100] clips', ts: () => X().index('1:100'), py: 'X()[1:100]' },
    { name: 'x[5:] is empty', ts: () => X().index('5:'), py: 'X()[5:]' },
    { name: 'torch.slice objects', ts: () => X().index([torch.slice(1, null, 2), torch.slice(null, 2)]), py: 'X()[1::2, :2]' },
    { name: 'plain slice objects', ts: () => X().index([{ start: 1 }, { stop: -1, step: 2 }]), py: 'X()[1:, :-1:2]' },
    { name: 'x[..., 0]', ts: () => X().index(['...', 0]), py: 'X()[..., 0]' },
    { name: 'x[1, ...]', ts: () => X().index([1, '...']), py: 'X()[1, ...]' },
    { name: 'x[0, ..., 1:3]', ts: () => X().index([0, '...', '1:3']), py: 'X()[0, ..., 1:3]' },
    { name: 'x[...]', ts: () => X().index('...'), py: 'X()[...]' },
    { name: 'x[None]', ts: () => X().index(null), py: 'X()[None]' },
    { name: 'x[:, None, 1]', ts: () => X().index([':', null, 1]), py: 'X()[:, None, 1]' },
    { name: 'x[None, ..., None]', ts: () => X().index([null, '...', null]), py: 'X()[None, ..., None]' },
    { name: 'x[True], x[False]', ts: () => [X().index(true), X().index(false)], py: '[X()[True], X()[False]]' },
    { name: 'index too large', ts: () => X().index(3), py: 'X()[3]' },
    { name: 'index too large in dim 1', ts: () => X().index([0, 9]), py: 'X()[0, 9]' },
    { name: 'too many indices', ts: () => X().index([0, 0, 0, 0]), py: 'X()[0, 0, 0, 0]' },
    { name: 'negative step', ts: () => X().index('::-1'), py: 'X()[::-1]' },
  ],
  SETUP,
);

oracleSuite(
  'index(): tensors, masks and lists',
  [
    { name: 'x[tensor([2, 0])]', ts: () => X().index(long(2, 0)), py: 'X()[torch.tensor([2, 0])]' },
    { name: 'x[[2, 0]] (a list)', ts: () => X().index([[2, 0]]), py: 'X()[[2, 0]]' },
    { name: 'x[:, tensor]', ts: () => X().index([':', long(0, 0, 3)]), py: 'X()[:, torch.tensor([0, 0, 3])]' },
    { name: 'x[t1, t2] pairs up', ts: () => X().index([long(0, 1), long(1, 2)]), py: 'X()[torch.tensor([0, 1]), torch.tensor([1, 2])]' },
    { name: 'x[t1, :, t2] moves the index dims first', ts: () => X().index([long(0, 1), ':', long(1, 2)]), py: 'X()[torch.tensor([0, 1]), :, torch.tensor([1, 2])]' },
    { name: 'x[0, :, t] applies the integer first', ts: () => X().index([0, ':', long(1, 2)]), py: 'X()[0, :, torch.tensor([1, 2])]' },
    { name: 'x[t1, t2] broadcasts', ts: () => X().index([long(0, 2).reshape(2, 1), long(1, 3, 0)]), py: 'X()[torch.tensor([[0], [2]]), torch.tensor([1, 3, 0])]' },
    { name: '2-D index tensor', ts: () => X().index(torch.tensor([[0n, 1n], [2n, 2n]])), py: 'X()[torch.tensor([[0, 1], [2, 2]])]' },
    { name: 'x[..., t]', ts: () => X().index(['...', long(4, 0)]), py: 'X()[..., torch.tensor([4, 0])]' },
    { name: 'x[None, t]', ts: () => X().index([null, long(1)]), py: 'X()[None, torch.tensor([1])]' },
    { name: 'x[1:, t]', ts: () => X().index(['1:', long(3)]), py: 'X()[1:, torch.tensor([3])]' },
    { name: 'x[mask] with a full mask', ts: () => { const x = X(); return x.index(x.gt(40)); }, py: 'X()[X() > 40]' },
    { name: 'x[mask] over the first two dims', ts: () => { const x = X(); return x.index(x.sum(2).gt(150)); }, py: 'X()[X().sum(2) > 150]' },
    { name: 'x[:, mask]', ts: () => X().index([':', torch.tensor([true, false, true, false])]), py: 'X()[:, torch.tensor([True, False, True, False])]' },
    { name: 'x[[True, False, True]] (a list of booleans)', ts: () => X().index([[true, false, true]]), py: 'X()[[True, False, True]]' },
    { name: 'x[..., mask]', ts: () => X().index(['...', torch.tensor([true, false, false, false, true])]), py: 'X()[..., torch.tensor([True, False, False, False, True])]' },
    { name: 'x[mask, 1:]', ts: () => X().index([torch.tensor([false, true, true]), '1:']), py: 'X()[torch.tensor([False, True, True]), 1:]' },
    { name: 'uint8 mask', ts: () => X().index(torch.tensor([1, 0, 1], { dtype: 'uint8' })), py: 'X()[torch.tensor([1, 0, 1], dtype=torch.uint8)]' },
    { name: 'index tensor out of range', ts: () => X().index(long(9)), py: 'X()[torch.tensor([9])]' },
    { name: 'float index tensor', ts: () => X().index(torch.tensor([1])), py: 'X()[torch.tensor([1.])]' },
    { name: 'mask of the wrong shape', ts: () => X().index(torch.tensor([true, false])), py: 'X()[torch.tensor([True, False])]' },
  ],
  SETUP,
);

oracleSuite(
  'index(): 0-dim tensors and booleans',
  [
    { name: 'x[tensor(1)] selects', ts: () => X().index(scalar(1)), py: 'X()[torch.tensor(1)]' },
    { name: 'a list index beyond int64 overflows as in Python', ts: () => X().index([[2 ** 64]]), py: 'X()[[2**64]]' },
    { name: 'a list index of -2^64', ts: () => X().index([[0, -(2 ** 64)]]), py: 'X()[[0, -2**64]]' },
    { name: 'x[tensor(-1, int32)]', ts: () => X().index(scalar(-1, 'int32')), py: 'X()[torch.tensor(-1, dtype=torch.int32)]' },
    { name: 'x[0, tensor(2, int8)]', ts: () => X().index([0, scalar(2, 'int8')]), py: 'X()[0, torch.tensor(2, dtype=torch.int8)]' },
    { name: 'x[tensor(1), :, [0, 1]] selects before the list', ts: () => X().index([scalar(1), ':', [0, 1]]), py: 'X()[torch.tensor(1), :, [0, 1]]' },
    { name: 'x[tensor(1), :, t] selects before the tensor', ts: () => X().index([scalar(1), ':', long(0, 1)]), py: 'X()[torch.tensor(1), :, torch.tensor([0, 1])]' },
    { name: 'x[..., tensor(3)] counts as a dim', ts: () => X().index(['...', scalar(3)]), py: 'X()[..., torch.tensor(3)]' },
    { name: 'x[tensor(5)] out of range', ts: () => X().index(scalar(5)), py: 'X()[torch.tensor(5)]' },
    { name: 'x[0, tensor(-9)] out of range', ts: () => X().index([0, scalar(-9)]), py: 'X()[0, torch.tensor(-9)]' },
    { name: 'x[tensor(1.)] is not an integer', ts: () => X().index(scalar(1, 'float32')), py: 'X()[torch.tensor(1.)]' },
    { name: 'x[tensor(True)]', ts: () => X().index(scalar(true, 'bool')), py: 'X()[torch.tensor(True)]' },
    { name: 'x[tensor(False)]', ts: () => X().index(scalar(false, 'bool')), py: 'X()[torch.tensor(False)]' },
    { name: 'x[tensor(1, uint8)], x[tensor(0, uint8)]', ts: () => [X().index(scalar(1, 'uint8')), X().index(scalar(0, 'uint8'))], py: '[X()[torch.tensor(1, dtype=torch.uint8)], X()[torch.tensor(0, dtype=torch.uint8)]]' },
    { name: 'x[:, tensor(True), 1:3]', ts: () => X().index([':', scalar(true, 'bool'), '1:3']), py: 'X()[:, torch.tensor(True), 1:3]' },
    { name: 'x[tensor(True), [1, 0]]', ts: () => X().index([scalar(true, 'bool'), [1, 0]]), py: 'X()[torch.tensor(True), [1, 0]]' },
    { name: 'x[True, t] broadcasts [0] with t', ts: () => X().index([true, long(1, 0)]), py: 'X()[True, torch.tensor([1, 0])]' },
    { name: 'x[t, True]', ts: () => X().index([long(1, 0), true]), py: 'X()[torch.tensor([1, 0]), True]' },
    { name: 'x[False, t] cannot broadcast', ts: () => X().index([false, long(1, 0)]), py: 'X()[False, torch.tensor([1, 0])]' },
    { name: 'x[t, :, True, t2]', ts: () => X().index([long(0, 2), ':', true, long(1, 4)]), py: 'X()[torch.tensor([0, 2]), :, True, torch.tensor([1, 4])]' },
    { name: 'x[None, True], x[..., True]', ts: () => [X().index([null, true]), X().index(['...', true])], py: '[X()[None, True], X()[..., True]]' },
    { name: 'x[True, None], x[False, None]', ts: () => [X().index([true, null]), X().index([false, null])], py: '[X()[True, None], X()[False, None]]' },
    { name: 'x[1, True, 2]', ts: () => X().index([1, true, 2]), py: 'X()[1, True, 2]' },
    { name: 'x[tensor(1)] is a view', ts: () => { const x = X(); x.index(scalar(1)).fill_(-1); return x; }, py: '(lambda x: (x[torch.tensor(1)].fill_(-1), x)[1])(X())' },
    { name: 'x[0, tensor(2)] is a view', ts: () => { const x = X(); x.index([0, scalar(2)]).fill_(-1); return x; }, py: '(lambda x: (x[0, torch.tensor(2)].fill_(-1), x)[1])(X())' },
    { name: 'x[True] is a copy', ts: () => { const x = X(); x.index(true).fill_(-1); return x; }, py: '(lambda x: (x[True].fill_(-1), x)[1])(X())' },
    { name: 'x[None, True] is a copy', ts: () => { const x = X(); x.index([null, true]).fill_(-1); return x; }, py: '(lambda x: (x[None, True].fill_(-1), x)[1])(X())' },
    { name: 'x[tensor(True)] is a copy', ts: () => { const x = X(); x.index(scalar(true, 'bool')).fill_(-1); return x; }, py: '(lambda x: (x[torch.tensor(True)].fill_(-1), x)[1])(X())' },
  ],
  SETUP,
);

oracleSuite(
  'indexPut_(): x[...] = v',
  [
    { name: 'x[0] = 7', ts: () => X().indexPut_(0, 7), py: 'setitem(X(), 0, 7)' },
    { name: 'x[:, 1] = row (broadcast)', ts: () => X().indexPut_([':', 1], torch.tensor([1, 2, 3, 4, 5])), py: 'setitem(X(), (slice(None), 1), torch.tensor([1., 2, 3, 4, 5]))' },
    { name: 'x[1:, :2] = column', ts: () => X().indexPut_(['1:', ':2'], torch.tensor([[-1], [-2]]).unsqueeze(1)), py: 'setitem(X(), (slice(1, None), slice(None, 2)), torch.tensor([[-1.], [-2.]]).unsqueeze(1))' },
    { name: 'x[..., 0] = -1', ts: () => X().indexPut_(['...', 0], -1), py: 'setitem(X(), (Ellipsis, 0), -1)' },
    { name: 'x[1, 2, 3] = 0.5', ts: () => X().indexPut_([1, 2, 3], 0.5), py: 'setitem(X(), (1, 2, 3), 0.5)' },
    { name: 'x[mask] = 0', ts: () => { const x = X(); return x.indexPut_(x.remainder(7).eq(0), 0); }, py: '(lambda x: setitem(x, x.remainder(7) == 0, 0))(X())' },
    { name: 'x[mask] = values', ts: () => { const x = X(); return x.indexPut_(x.gt(55), torch.tensor([10, 20, 30, 40])); }, py: '(lambda x: setitem(x, x > 55, torch.tensor([10., 20, 30, 40])))(X())' },
    { name: 'x[t] = scalar', ts: () => X().indexPut_(long(0, 2), 1.5), py: 'setitem(X(), torch.tensor([0, 2]), 1.5)' },
    { name: 'x[[0, 2]] = scalar', ts: () => X().indexPut_([[0, 2]], 1.5), py: 'setitem(X(), [0, 2], 1.5)' },
    { name: 'x[t1, :, t2] = column', ts: () => X().indexPut_([long(0, 1), ':', long(1, 2)], torch.tensor([[100], [200]])), py: 'setitem(X(), (torch.tensor([0, 1]), slice(None), torch.tensor([1, 2])), torch.tensor([[100.], [200.]]))' },
    { name: 'x[:, t] = 0-dim tensor', ts: () => X().indexPut_([':', long(3)], torch.tensor(9)), py: 'setitem(X(), (slice(None), torch.tensor([3])), torch.tensor(9.))' },
    { name: 'int tensor x[t] = 2.7 casts', ts: () => torch.arange(5).indexPut_(long(1, 3), 2.7), py: 'setitem(torch.arange(5), torch.tensor([1, 3]), 2.7)' },
    { name: 'x[0] = int tensor converts', ts: () => X().indexPut_(0, torch.ones(4, 5, { dtype: 'int64' })), py: 'setitem(X(), 0, torch.ones(4, 5, dtype=torch.int64))' },
    { name: 'x[t] = tensor of another dtype', ts: () => X().indexPut_(long(0), torch.ones(4, 5, { dtype: 'float64' })), py: 'setitem(X(), torch.tensor([0]), torch.ones(4, 5, dtype=torch.float64))' },
    { name: 'shape mismatch', ts: () => X().indexPut_(0, torch.ones(3)), py: 'setitem(X(), 0, torch.ones(3))' },
    { name: 'returns this', ts: () => { const x = X(); return x.indexPut_(0, 1) === x; }, py: 'True' },
    { name: 'x[tensor(1)] = 7', ts: () => X().indexPut_(scalar(1), 7), py: 'setitem(X(), torch.tensor(1), 7)' },
    { name: 'x[tensor(1), :, [0, 1]] = column', ts: () => X().indexPut_([scalar(1), ':', [0, 1]], torch.tensor([[1], [2], [3], [4]])), py: 'setitem(X(), (torch.tensor(1), slice(None), [0, 1]), torch.tensor([[1.], [2], [3], [4]]))' },
    { name: 'x[tensor(True)] = 5', ts: () => X().indexPut_(scalar(true, 'bool'), 5), py: 'setitem(X(), torch.tensor(True), 5)' },
    { name: 'x[tensor(False)] = 5 writes nothing', ts: () => X().indexPut_(scalar(false, 'bool'), 5), py: 'setitem(X(), torch.tensor(False), 5)' },
    { name: 'x[tensor(False)] = wrong shape', ts: () => X().indexPut_(scalar(false, 'bool'), torch.ones(7)), py: 'setitem(X(), torch.tensor(False), torch.ones(7))' },
    { name: 'x[False] = anything does nothing', ts: () => X().indexPut_(false, torch.ones(7)), py: 'setitem(X(), False, torch.ones(7))' },
    { name: 'x[False,] = wrong shape', ts: () => X().indexPut_([false], torch.ones(7)), py: 'setitem(X(), (False,), torch.ones(7))' },
    { name: 'x[True] = row', ts: () => X().indexPut_(true, torch.arange(5)), py: 'setitem(X(), True, torch.arange(5))' },
    { name: 'x[True, t] = v', ts: () => X().indexPut_([true, long(2, 0)], torch.tensor([[[1], [2], [3], [4]]])), py: 'setitem(X(), (True, torch.tensor([2, 0])), torch.tensor([[[1.], [2], [3], [4]]]))' },
    { name: 'x[t, True] = scalar', ts: () => X().indexPut_([long(1), true], -3), py: 'setitem(X(), (torch.tensor([1]), True), -3)' },
  ],
  SETUP,
);

oracleSuite(
  'indexPut_(): accumulate',
  [
    { name: 'repeated indices add up', ts: () => torch.zeros(3).indexPut_([long(0, 0, 1)], torch.tensor([1, 2, 3]), { accumulate: true }), py: 'torch.zeros(3).index_put_((torch.tensor([0, 0, 1]),), torch.tensor([1., 2, 3]), accumulate=True)' },
    { name: 'positional accumulate', ts: () => torch.zeros(3).indexPut_([long(0, 0, 1)], torch.tensor([1, 2, 3]), true), py: 'torch.zeros(3).index_put_((torch.tensor([0, 0, 1]),), torch.tensor([1., 2, 3]), True)' },
    { name: 'accumulate false replaces', ts: () => torch.zeros(3).indexPut_([long(0, 0, 1)], torch.tensor([1, 2, 3]), false), py: 'torch.zeros(3).index_put_((torch.tensor([0, 0, 1]),), torch.tensor([1., 2, 3]), accumulate=False)' },
    { name: 'two index tensors', ts: () => X().indexPut_([long(0, 0, 2), long(1, 1, 3)], torch.tensor([1, 10, 100]), true), py: 'X().index_put_((torch.tensor([0, 0, 2]), torch.tensor([1, 1, 3])), torch.tensor([1., 10, 100]), accumulate=True)' },
    { name: 'rows, broadcast values', ts: () => X().indexPut_(long(1, 1), torch.tensor(0.5), { accumulate: true }), py: 'X().index_put_((torch.tensor([1, 1]),), torch.tensor(0.5), accumulate=True)' },
    { name: 'a number as values', ts: () => X().indexPut_(long(2, 2, 2), 1, true), py: 'X().index_put_((torch.tensor([2, 2, 2]),), torch.tensor(1.), accumulate=True)' },
    { name: 'a 0-dim index tensor', ts: () => X().indexPut_(scalar(1), torch.ones(5), true), py: 'X().index_put_((torch.tensor(1),), torch.ones(5), accumulate=True)' },
    { name: 'a mask', ts: () => { const x = X(); return x.indexPut_(x.gt(50), 100, true); }, py: '(lambda x: x.index_put_((x > 50,), torch.tensor(100.), accumulate=True))(X())' },
    { name: 'dtypes must match', ts: () => torch.zeros(3).indexPut_(long(0), torch.tensor([1n]), true), py: 'torch.zeros(3).index_put_((torch.tensor([0]),), torch.tensor([1]), accumulate=True)' },
  ],
  SETUP,
);

describe('index() views, copies and arguments', function () {
  it('basic indexing shares memory, advanced indexing copies', function () {
    const x = X();
    x.index([0, '1:3']).mul_(0);
    assert.strictEqual(x.sum().item(), 1770 - (5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13 + 14));
    const y = X();
    y.index([[0]]).mul_(0);
    assert.strictEqual(y.sum().item(), 1770);
  });

  it('x[...] gives a new tensor, so disposing it leaves x alone', function () {
    const x = X();
    const v = x.index('...');
    assert.notStrictEqual(v, x);
    v.dispose();
    assert.strictEqual(x.sum().item(), 1770);
  });

  it('keeps autograd through indexing and indexPut_', function () {
    const w = torch.ones(3, 4, { requiresGrad: true });
    const y = w.index([':', '1:3']).mul(2).sum().add(w.index(long(0, 0)).sum());
    y.backward();
    assert.deepStrictEqual((w.grad as torch.Tensor).tolist(), [[2, 4, 4, 2], [0, 2, 2, 0], [0, 2, 2, 0]]);
    const z = torch.zeros(3).add(w.index([0, '1:']).sum());
    assert.ok(z.requiresGrad);
  });

  it('rejects bad index items with TypeError', function () {
    const x = X();
    assert.throws(() => x.index(1.5), TypeError);
    assert.throws(() => x.index('1:a'), TypeError);
    assert.throws(() => x.index([[1, true]] as unknown as number[][]), TypeError);
    assert.throws(() => x.index({ start: 0.5 }), TypeError);
    assert.throws(() => x.index(['...', '...']), RangeError);
    assert.throws(() => x.indexPut_(0, 'a' as unknown as number), TypeError);
    assert.throws(() => x.indexPut_(long(0), 1, { acumulate: true } as { accumulate?: boolean }), /unexpected keyword argument 'acumulate'/);
    assert.throws(() => x.indexPut_(long(0), 1, 1 as unknown as boolean), TypeError);
  });
});
