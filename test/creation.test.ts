// Creation against PyTorch: factory arguments bound as Python binds them (positional, or by name in the options
// object), memory formats, torch.tensor's dtype inference and range checks, and the small metadata APIs.
import * as assert from 'assert';
import * as torch from '../lib';
import { oracleSuite } from './tensor_oracle';
import { py, requirePython } from './helpers/python';

/** Seeds both sides, so that random factories compare by value. */
function seeded<T>(f: () => T): () => T {
  return () => {
    torch.manualSeed(7);
    return f();
  };
}
const SEED = 'torch.manual_seed(7), ';
const probs = () => torch.tensor([0.2, 0.8]);

oracleSuite('factory arguments by name', [
  { name: 'arange step', ts: () => torch.arange(0, 10, { step: 2 }), py: 'torch.arange(0, 10, step=2)' },
  { name: 'arange start, end, step', ts: () => torch.arange({ start: 0, end: 10, step: 2 }), py: 'torch.arange(start=0, end=10, step=2)' },
  { name: 'arange end by name', ts: () => torch.arange(2, { end: 5 }), py: 'torch.arange(2, end=5)' },
  { name: 'arange only end, with dtype', ts: () => torch.arange({ end: 3, dtype: 'float64' }), py: 'torch.arange(end=3, dtype=torch.float64)' },
  { name: 'eye m', ts: () => torch.eye(2, { m: 3 }), py: 'torch.eye(2, m=3)' },
  { name: 'eye n', ts: () => torch.eye({ n: 2, dtype: 'int64' }), py: 'torch.eye(n=2, dtype=torch.int64)' },
  { name: 'zeros size', ts: () => torch.zeros({ size: [2, 3], dtype: 'int32' }), py: 'torch.zeros(size=(2, 3), dtype=torch.int32)' },
  { name: 'ones size', ts: () => torch.ones({ size: [2] }), py: 'torch.ones(size=[2])' },
  { name: 'empty size', ts: () => torch.empty({ size: [2, 1] }).shape, py: 'list(torch.empty(size=[2, 1]).shape)' },
  { name: 'rand size', ts: seeded(() => torch.rand({ size: [3] })), py: `(${SEED}torch.rand(size=[3]))[1]` },
  { name: 'randn size', ts: seeded(() => torch.randn({ size: [2] })), py: `(${SEED}torch.randn(size=[2]))[1]` },
  { name: 'linspace steps', ts: () => torch.linspace(0, 1, { steps: 5 }), py: 'torch.linspace(0, 1, steps=5)' },
  { name: 'logspace dtype', ts: () => torch.logspace(0, 2, 3, { dtype: 'float64' }), py: 'torch.logspace(0, 2, 3, dtype=torch.float64)', rtol: 0, atol: 0 },
  { name: 'logspace base by name', ts: () => torch.logspace(0, 2, 3, { base: 2 }), py: 'torch.logspace(0, 2, 3, base=2)' },
  { name: 'logspace base by position', ts: () => torch.logspace(0, 2, 3, 2), py: 'torch.logspace(0, 2, 3, 2)' },
  { name: 'normal size', ts: seeded(() => torch.normal(0, 1, { size: [2] })), py: `(${SEED}torch.normal(0., 1., size=[2]))[1]` },
  { name: 'normal all by name', ts: seeded(() => torch.normal({ mean: 2, std: 3, size: [3] })), py: `(${SEED}torch.normal(mean=2., std=3., size=[3]))[1]` },
  { name: 'normal of a mean tensor', ts: seeded(() => torch.normal(probs(), { std: 0.5 })), py: `(${SEED}torch.normal(torch.tensor([0.2, 0.8]), std=0.5))[1]` },
  { name: 'randint size', ts: seeded(() => torch.randint(0, 5, { size: [4] })), py: `(${SEED}torch.randint(0, 5, size=[4]))[1]` },
  { name: 'randint high, size by name', ts: seeded(() => torch.randint(5, { size: [4] })), py: `(${SEED}torch.randint(5, size=[4]))[1]` },
  { name: 'randint all by name', ts: seeded(() => torch.randint({ low: 1, high: 5, size: [4] })), py: `(${SEED}torch.randint(low=1, high=5, size=[4]))[1]` },
  { name: 'randint(high, size) still', ts: seeded(() => torch.randint(5, [4])), py: `(${SEED}torch.randint(5, (4,)))[1]` },
  { name: 'randperm n', ts: seeded(() => torch.randperm({ n: 5 })), py: `(${SEED}torch.randperm(n=5))[1]` },
  { name: 'multinomial numSamples', ts: seeded(() => torch.multinomial(probs(), { numSamples: 2 })), py: `(${SEED}torch.multinomial(torch.tensor([0.2, 0.8]), num_samples=2))[1]` },
  { name: 'multinomial replacement', ts: seeded(() => torch.multinomial(probs(), 5, { replacement: true })), py: `(${SEED}torch.multinomial(torch.tensor([0.2, 0.8]), 5, replacement=True))[1]` },
  { name: 'method multinomial by name', ts: seeded(() => probs().multinomial({ numSamples: 4, replacement: true })), py: `(${SEED}torch.tensor([0.2, 0.8]).multinomial(num_samples=4, replacement=True))[1]` },
  { name: 'bernoulli p', ts: seeded(() => torch.bernoulli(probs(), { p: 0.5 })), py: `(${SEED}torch.bernoulli(torch.tensor([0.2, 0.8]), p=0.5))[1]` },
  { name: 'full fillValue', ts: () => torch.full([2], { fillValue: 3 }), py: 'torch.full([2], fill_value=3.)' },
  { name: 'full all by name', ts: () => torch.full({ size: [2], fillValue: true }), py: 'torch.full(size=[2], fill_value=True)' },
  { name: 'fullLike fillValue', ts: (v) => torch.fullLike(v.i, { fillValue: 2 }), py: 'torch.full_like(i, fill_value=2)' },
  { name: 'randintLike high', ts: seeded(() => torch.randintLike(probs(), { high: 5 })), py: `(${SEED}torch.randint_like(torch.tensor([0.2, 0.8]), high=5))[1]` },
  { name: 'randintLike low, high', ts: seeded(() => torch.randintLike(probs(), { low: 3, high: 5 })), py: `(${SEED}torch.randint_like(torch.tensor([0.2, 0.8]), low=3, high=5))[1]` },
  { name: 'layout strided', ts: () => torch.zeros(2, { layout: torch.strided, pinMemory: false }), py: 'torch.zeros(2, layout=torch.strided, pin_memory=False)' },
  { name: 'unknown option', ts: () => torch.zeros(2, { dtyp: 'int64' } as torch.SizeOptions), py: 'torch.zeros(2, dtyp=torch.int64)' },
  { name: 'size twice', ts: () => torch.zeros(2, { size: [3] }), py: 'torch.zeros(2, size=(3,))' },
  { name: 'no size', ts: () => torch.zeros(), py: 'torch.zeros()' },
  { name: 'linspace without steps', ts: () => torch.linspace(0, 1, {}), py: 'torch.linspace(0, 1)' },
  { name: 'arange without end', ts: () => torch.arange({ start: 2 } as torch.ArangeOptions & { end: number }), py: 'torch.arange(start=2)' },
  { name: 'pinned memory needs CUDA', ts: () => torch.empty(2, { pinMemory: true }), py: 'torch.empty(2, pin_memory=True)' },
]);

describe('factory options are checked', function () {
  it('names the unknown key in a TypeError', function () {
    assert.throws(() => torch.zeros(2, { dtyp: 'int64' } as torch.SizeOptions), { name: 'TypeError', message: /zeros\(\) got an unexpected keyword argument 'dtyp'/ });
    assert.throws(() => torch.tensor([1], { dtyp: 'int64' } as torch.TensorDataOptions), { name: 'TypeError', message: /tensor\(\) got an unexpected keyword argument 'dtyp'/ });
    assert.throws(() => torch.zerosLike(torch.ones(1), { memory_format: 'channels_last' } as torch.LikeOptions), { name: 'TypeError', message: /did you mean 'memoryFormat'/ });
    assert.throws(() => torch.zeros([1, 3, 2, 2], { memoryFormat: 'channels_last' } as torch.SizeOptions), { name: 'TypeError', message: /unexpected keyword argument 'memoryFormat'/ });
    assert.throws(() => torch.zeros(2, { layout: 'sparse_coo' as 'strided' }), { name: 'TypeError', message: /layout must be torch.strided/ });
  });
});

const NCHW = 'torch.empty([1, 3, 2, 2])';
oracleSuite('memory formats', [
  { name: 'empty channels_last', ts: () => torch.empty([1, 3, 2, 2], { memoryFormat: torch.channelsLast }).stride(), py: 'list(torch.empty([1, 3, 2, 2], memory_format=torch.channels_last).stride())' },
  { name: 'empty channels_last_3d', ts: () => torch.empty(1, 2, 2, 2, 2, { memoryFormat: torch.channelsLast3d }).stride(), py: 'list(torch.empty(1, 2, 2, 2, 2, memory_format=torch.channels_last_3d).stride())' },
  { name: 'empty channels_last of a 2-d shape', ts: () => torch.empty(2, 2, { memoryFormat: torch.channelsLast }), py: 'torch.empty(2, 2, memory_format=torch.channels_last)' },
  ...(['zerosLike', 'onesLike', 'emptyLike', 'randLike', 'randnLike'] as const).map((f) => ({
    name: `${f} channels_last`,
    ts: () => torch[f](torch.empty([1, 3, 2, 2]), { memoryFormat: torch.channelsLast }).stride(),
    py: `list(torch.${f.replace('Like', '_like')}(${NCHW}, memory_format=torch.channels_last).stride())`,
  })),
  { name: 'fullLike channels_last', ts: () => torch.fullLike(torch.empty([1, 3, 2, 2]), 2, { memoryFormat: torch.channelsLast }).stride(), py: `list(torch.full_like(${NCHW}, 2, memory_format=torch.channels_last).stride())` },
  { name: 'randintLike channels_last', ts: () => torch.randintLike(torch.empty([1, 3, 2, 2]), 5, { memoryFormat: torch.channelsLast }).stride(), py: `list(torch.randint_like(${NCHW}, 5, memory_format=torch.channels_last).stride())` },
  { name: 'zerosLike preserves channels_last', ts: () => torch.zerosLike(torch.empty([1, 3, 2, 2], { memoryFormat: torch.channelsLast })).stride(), py: 'list(torch.zeros_like(torch.empty([1, 3, 2, 2], memory_format=torch.channels_last)).stride())' },
  { name: 'zerosLike contiguous_format', ts: () => torch.zerosLike(torch.empty([1, 3, 2, 2], { memoryFormat: torch.channelsLast }), { memoryFormat: torch.contiguousFormat }).stride(), py: 'list(torch.zeros_like(torch.empty([1, 3, 2, 2], memory_format=torch.channels_last), memory_format=torch.contiguous_format).stride())' },
]);

oracleSuite('torch.tensor range checks and element types', [
  { name: 'int8 overflow', ts: () => torch.tensor([200], { dtype: 'int8' }), py: 'torch.tensor([200.], dtype=torch.int8)' },
  { name: 'int8 overflow of a number', ts: () => torch.tensor(200, { dtype: 'int8' }), py: 'torch.tensor(200., dtype=torch.int8)' },
  { name: 'uint8 negative integral numbers wrap as Python ints do', ts: () => torch.tensor([-1, -255], { dtype: 'uint8' }), py: 'torch.tensor([-1, -255], dtype=torch.uint8)' },
  { name: 'uint8 negative fraction', ts: () => torch.tensor([-1.5], { dtype: 'uint8' }), py: 'torch.tensor([-1.5], dtype=torch.uint8)' },
  { name: 'uint8 above 255', ts: () => torch.tensor([1, 256], { dtype: 'uint8' }), py: 'torch.tensor([1., 256.], dtype=torch.uint8)' },
  { name: 'uint8 negative bigints wrap', ts: () => torch.tensor([-1n, -255n], { dtype: 'uint8' }), py: 'torch.tensor([-1, -255], dtype=torch.uint8)' },
  { name: 'uint8 bigint -256', ts: () => torch.tensor([-256n], { dtype: 'uint8' }), py: 'torch.tensor([-256], dtype=torch.uint8)' },
  { name: 'int32 2^31', ts: () => torch.tensor([2 ** 31], { dtype: 'int32' }), py: 'torch.tensor([2.**31], dtype=torch.int32)' },
  { name: 'int32 -2^31 fits', ts: () => torch.tensor([-(2 ** 31), 2 ** 31 - 1], { dtype: 'int32' }), py: 'torch.tensor([-2.**31, 2.**31 - 1], dtype=torch.int32)' },
  { name: 'int64 1e20', ts: () => torch.tensor([1e20], { dtype: 'int64' }), py: 'torch.tensor([1e20], dtype=torch.int64)' },
  { name: 'int64 NaN', ts: () => torch.tensor([NaN], { dtype: 'int64' }), py: "torch.tensor([float('nan')], dtype=torch.int64)" },
  { name: 'int32 infinity', ts: () => torch.tensor([-Infinity], { dtype: 'int32' }), py: "torch.tensor([float('-inf')], dtype=torch.int32)" },
  { name: 'int32 bigint 2^40', ts: () => torch.tensor([2n ** 40n], { dtype: 'int32' }), py: 'torch.tensor([2**40], dtype=torch.int32)' },
  { name: 'bigint 2^64', ts: () => torch.tensor([2n ** 64n]), py: 'torch.tensor([2**64])' },
  { name: 'bigint 2^63 with int64', ts: () => torch.tensor([2n ** 63n], { dtype: 'int64' }), py: 'torch.tensor([2**63], dtype=torch.int64)' },
  { name: 'bigint 2^64 as float32', ts: () => torch.tensor([2n ** 64n], { dtype: 'float32' }), py: 'torch.tensor([2**64], dtype=torch.float32)' },
  { name: 'bigint 2^64 as bool', ts: () => torch.tensor([2n ** 64n, 0n], { dtype: 'bool' }), py: 'torch.tensor([2**64, 0], dtype=torch.bool)' },
  { name: 'floats truncate into ints', ts: () => torch.tensor([2.5, -0.5, -127.9], { dtype: 'int8' }), py: 'torch.tensor([2.5, -0.5, -127.9], dtype=torch.int8)' },
  { name: 'NaN is true', ts: () => torch.tensor([NaN, 0, 2], { dtype: 'bool' }), py: "torch.tensor([float('nan'), 0., 2.], dtype=torch.bool)" },
  { name: 'float16 overflow is inf', ts: () => torch.tensor([70000], { dtype: 'float16' }), py: 'torch.tensor([70000.], dtype=torch.float16)' },
  { name: 'bool and bigint give int64', ts: () => torch.tensor([true, 2n]), py: 'torch.tensor([True, 2])' },
  { name: 'complex128 keeps double precision', ts: () => torch.ops.aten.view_as_real(torch.tensor([0.1, 1 / 3], { dtype: 'complex128' })) as torch.Tensor, py: 'torch.view_as_real(torch.tensor([0.1, 1/3], dtype=torch.complex128))', rtol: 0, atol: 0 },
  { name: '0-dim tensors', ts: () => torch.tensor([torch.tensor(1.5), torch.tensor(2n)]), py: 'torch.tensor([torch.tensor(1.5), torch.tensor(2)])' },
  { name: 'nested 0-dim tensors', ts: () => torch.tensor([[torch.tensor(1n), torch.tensor(2n)], [torch.tensor(3n), torch.tensor(4n)]]), py: 'torch.tensor([[torch.tensor(1), torch.tensor(2)], [torch.tensor(3), torch.tensor(4)]])' },
  { name: 'tensors and numbers', ts: () => torch.tensor([[torch.tensor(1)], [2.5]]), py: 'torch.tensor([[torch.tensor(1.)], [2.5]])' },
  { name: 'tensor dtypes promote', ts: () => torch.tensor([torch.tensor(1, { dtype: 'uint8' }), torch.tensor(-1, { dtype: 'int8' })]), py: 'torch.tensor([torch.tensor(1, dtype=torch.uint8), torch.tensor(-1, dtype=torch.int8)])' },
  { name: 'a float64 tensor element', ts: () => torch.tensor([1, torch.tensor(0.1, { dtype: 'float64' })]), py: 'torch.tensor([1., torch.tensor(0.1, dtype=torch.float64)])', rtol: 0, atol: 0 },
  { name: 'int32 tensor and a number', ts: () => torch.tensor([torch.tensor(1, { dtype: 'int32' }), 2]), py: 'torch.tensor([torch.tensor(1, dtype=torch.int32), 2.])' },
  { name: 'bool tensors', ts: () => torch.tensor([torch.tensor(true), torch.tensor(false)]), py: 'torch.tensor([torch.tensor(True), torch.tensor(False)])' },
  { name: 'int64 tensor element keeps its bits', ts: () => torch.tensor([torch.tensor(2n ** 62n + 1n)]).sub(torch.tensor([2n ** 62n])), py: 'torch.tensor([torch.tensor(2**62 + 1)]) - 2**62' },
  { name: 'tensor element overflow', ts: () => torch.tensor([torch.tensor(300n)], { dtype: 'int8' }), py: 'torch.tensor([torch.tensor(300)], dtype=torch.int8)' },
  { name: 'tensor elements with a dtype', ts: () => torch.tensor([torch.tensor(1.5), torch.tensor(2.5)], { dtype: 'float64' }), py: 'torch.tensor([torch.tensor(1.5), torch.tensor(2.5)], dtype=torch.float64)' },
]);

describe('torch.tensor with tensor elements', function () {
  it('cuts them from the graph, as Python', function () {
    const x = torch.tensor(1.5, { requiresGrad: true });
    const t = torch.tensor([x, x.mul(2)]);
    assert.strictEqual(t.requiresGrad, false);
    assert.deepStrictEqual(t.tolist(), [1.5, 3]);
  });
  it('rejects tensors of several elements with a TypeError', function () {
    assert.throws(() => torch.tensor([torch.tensor([1, 2])]), { name: 'TypeError', message: /one-element tensors/ });
  });
});

oracleSuite('tensor metadata', [
  { name: 'nelement', ts: (v) => v.x3.nelement(), py: 'x3.nelement()' },
  { name: 'storageOffset of a view', ts: (v) => [v.a.storageOffset(), v.a.narrow(0, 1, 1).storageOffset(), v.x3.select(2, 3).storageOffset()], py: '[a.storage_offset(), a[1:].storage_offset(), x3.select(2, 3).storage_offset()]' },
  { name: 'storageOffset of an empty view', ts: () => torch.zeros(3).narrow(0, 3, 0).storageOffset(), py: 'torch.zeros(3)[3:].storage_offset()' },
  { name: 'storageOffset on meta', ts: () => torch.zeros(5, { device: 'meta' }).narrow(0, 2, 2).storageOffset(), py: "torch.zeros(5, device='meta')[2:4].storage_offset()" },
  { name: 'getDevice on the CPU', ts: (v) => v.a.getDevice(), py: 'a.get_device()' },
  { name: 'isComplex', ts: (v) => [v.a.isComplex(), torch.zeros(1, { dtype: torch.cfloat }).isComplex()], py: '[a.is_complex(), torch.zeros(1, dtype=torch.cfloat).is_complex()]' },
  { name: 'cfloat, cdouble', ts: () => [torch.cfloat, torch.cdouble], py: "[str(torch.cfloat)[6:], str(torch.cdouble)[6:]]" },
  {
    name: 'type() names',
    ts: (v) => [v.a, v.d, v.h, v.i, v.i32, v.u8, v.m, torch.zeros(1, { dtype: 'int8' }), torch.zeros(1, { dtype: 'int16' }), torch.zeros(1, { dtype: 'bfloat16' }), torch.zeros(1, { dtype: 'complex64' }), torch.zeros(1, { dtype: 'complex128' })].map((t) => t.type()),
    py: '[t.type() for t in [a, d, h, i, i32, u8, m, torch.zeros(1, dtype=torch.int8), torch.zeros(1, dtype=torch.int16), torch.zeros(1, dtype=torch.bfloat16), torch.zeros(1, dtype=torch.complex64), torch.zeros(1, dtype=torch.complex128)]]',
  },
  { name: "type('torch.DoubleTensor')", ts: (v) => v.a.type('torch.DoubleTensor'), py: "a.type('torch.DoubleTensor')" },
  { name: 'type(dtype)', ts: (v) => v.a.type(torch.float64), py: 'a.type(torch.float64)' },
  { name: 'type by name', ts: (v) => v.a.type({ dtype: 'torch.IntTensor' }), py: "a.type(dtype='torch.IntTensor')" },
  { name: 'type with only nonBlocking', ts: (v) => v.a.type({ nonBlocking: true }), py: 'a.type(non_blocking=True)' },
  { name: 'type of its own type is this tensor', ts: (v) => [v.a.type('torch.FloatTensor') === v.a, v.a.type(torch.float32) === v.a], py: "[a.type('torch.FloatTensor') is a, a.type(torch.float32) is a]" },
  { name: 'type() of a meta tensor', ts: () => torch.zeros(1, { device: 'meta' }).type(), py: "torch.zeros(1, device='meta').type()" },
  { name: 'torch.trueDivide', ts: (v) => torch.trueDivide(v.i, 2), py: 'torch.true_divide(i, 2)' },
  { name: 'trueDivide of int tensors', ts: (v) => v.i.trueDivide(v.j), py: 'i.true_divide(j)' },
  { name: 'isFloatingPoint of a tensor', ts: (v) => [torch.isFloatingPoint(v.a), torch.isFloatingPoint(v.i), torch.isFloatingPoint(v.h)], py: '[torch.is_floating_point(a), torch.is_floating_point(i), torch.is_floating_point(h)]' },
  { name: 'isComplex of a tensor', ts: (v) => [torch.isComplex(v.a), torch.isComplex(torch.zeros(1, { dtype: 'complex128' }))], py: '[torch.is_complex(a), torch.is_complex(torch.zeros(1, dtype=torch.complex128))]' },
]);

describe('isFloatingPoint and isComplex keep taking a dtype', function () {
  it('answers for dtypes and aliases', function () {
    assert.deepStrictEqual([torch.isFloatingPoint('float16'), torch.isFloatingPoint(torch.int64), torch.isComplex(torch.cfloat), torch.isComplex('double')], [true, false, true, false]);
    assert.throws(() => torch.isFloatingPoint(1.5 as unknown as torch.DType), { name: 'TypeError', message: /must be a Tensor or a dtype/ });
  });
});

describe('size(dim) and stride(dim) of a 0-dim tensor', function () {
  let ref: Record<string, unknown>;
  before(function () {
    requirePython(this);
    ref = py(`
def msg(f):
    try:
        f()
    except IndexError as e:
        return str(e)
s = torch.tensor(1.5)
emit('size0', msg(lambda: s.size(0)))
emit('stride0', msg(lambda: s.stride(0)))
emit('sizem1', msg(lambda: s.size(-1)))
emit('oneD', msg(lambda: torch.tensor([1.]).size(1)))
`);
  });
  it("raises PyTorch's IndexError message as a RangeError", function () {
    const s = torch.tensor(1.5);
    assert.throws(() => s.size(0), (e: Error) => e instanceof RangeError && e.message === ref.size0);
    assert.throws(() => s.stride(0), (e: Error) => e instanceof RangeError && e.message === ref.stride0);
    assert.throws(() => s.size(-1), (e: Error) => e instanceof RangeError && e.message === ref.sizem1);
    assert.throws(() => torch.tensor([1]).size(1), (e: Error) => e instanceof RangeError && e.message === ref.oneD);
    assert.deepStrictEqual([s.size(), s.stride()], [[], []]);
  });
});

describe('finfo and iinfo', function () {
  let ref: Record<string, unknown>;
  before(function () {
    requirePython(this);
    ref = py(`
for d in ['float16', 'bfloat16', 'float32', 'float64', 'complex64', 'complex128']:
    f = torch.finfo(getattr(torch, d))
    emit(d, [f.bits, f.eps, f.max, f.min, f.tiny, f.smallest_normal, f.resolution, str(f.dtype)])
for d in ['uint8', 'int8', 'int16', 'int32', 'int64']:
    f = torch.iinfo(getattr(torch, d))
    emit(d, [f.bits, str(f.max), str(f.min), str(f.dtype)])
def msg(f):
    try:
        f()
    except TypeError as e:
        return str(e)
emit('iinfo_float', msg(lambda: torch.iinfo(torch.float32)))
emit('finfo_int', msg(lambda: torch.finfo(torch.int32)))
emit('iinfo_bool', msg(lambda: torch.iinfo(torch.bool)))
emit('default', torch.finfo().eps)
`);
  });
  it("gives Python's values for the floating point types", function () {
    for (const d of ['float16', 'bfloat16', 'float32', 'float64', 'complex64', 'complex128'] as const) {
      const f = torch.finfo(d);
      assert.deepStrictEqual([f.bits, f.eps, f.max, f.min, f.tiny, f.smallestNormal, f.resolution, f.dtype], ref[d], d);
    }
    assert.strictEqual(torch.finfo().eps, ref.default);
  });
  it("gives Python's values for the integer types (int64's as bigints)", function () {
    for (const d of ['uint8', 'int8', 'int16', 'int32', 'int64'] as const) {
      const f = torch.iinfo(d);
      assert.deepStrictEqual([f.bits, String(f.max), String(f.min), f.dtype], ref[d], d);
      assert.strictEqual(typeof f.max, d === 'int64' ? 'bigint' : 'number');
    }
  });
  it("throws Python's TypeErrors for the wrong kind of dtype", function () {
    assert.throws(() => torch.iinfo('float32'), { name: 'TypeError', message: ref.iinfo_float as string });
    assert.throws(() => torch.finfo('int32'), { name: 'TypeError', message: ref.finfo_int as string });
    assert.throws(() => torch.iinfo('bool'), { name: 'TypeError', message: ref.iinfo_bool as string });
  });
});

oracleSuite('asTensor, rsub and char', [
  { name: 'asTensor of data', ts: () => torch.asTensor([1, 2], { dtype: 'float64' }), py: 'torch.as_tensor([1., 2.], dtype=torch.float64)' },
  { name: 'asTensor of a tensor is that tensor', ts: () => { const t = torch.ones([2]); return [torch.asTensor(t) === t, torch.asTensor(t, { dtype: 'int64' })]; }, py: '(lambda t: [torch.as_tensor(t) is t, torch.as_tensor(t, dtype=torch.int64)])(torch.ones(2))' },
  { name: 'asTensor with a dtype shares data when nothing changes', ts: () => { const t = torch.zeros([2]); torch.asTensor(t, { dtype: 'float32' }).add_(1); return t; }, py: '(lambda t: (torch.as_tensor(t, dtype=torch.float32).add_(1), t)[1])(torch.zeros(2))' },
  { name: 'rsub', ts: () => [torch.rsub(torch.tensor([1, 2]), 5), torch.rsub(torch.tensor([1, 2]), torch.tensor([3, 3]), { alpha: 2 })], py: '[torch.rsub(torch.tensor([1., 2]), 5), torch.rsub(torch.tensor([1., 2]), torch.tensor([3., 3]), alpha=2)]' },
  { name: 'char', ts: () => torch.tensor([1.7, -2.2, 130]).char(), py: 'torch.tensor([1.7, -2.2, 130]).char()' },
]);

oracleSuite('devices', [
  { name: 'negative device index', ts: () => torch.device('cuda', -1), py: "torch.device('cuda', -1)" },
  { name: 'negative cpu index', ts: () => torch.device('cpu', -1), py: "torch.device('cpu', -1)" },
  { name: 'device index 0', ts: () => String(torch.device('cpu', 0)), py: "str(torch.device('cpu', 0))" },
]);
