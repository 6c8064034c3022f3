// The everyday Tensor API against PyTorch: creation, arithmetic with broadcasting and type promotion, in-place
// variants, matmul, reductions, comparisons, selection, shape ops, joining, activations and conversions.
import * as assert from 'assert';
import * as torch from '../lib';
import { oracleSuite, Inputs } from './tensor_oracle';
import { requirePython, py, assertClose } from './helpers/python';
import { tensorCount } from './helpers/tensor_count';


oracleSuite('creation', [
  { name: 'numbers give float32', ts: () => torch.tensor([[1, 2], [3, 4.5]]), py: 'torch.tensor([[1., 2.], [3., 4.5]])' },
  { name: 'a number gives a 0-dim tensor', ts: () => torch.tensor(2.5), py: 'torch.tensor(2.5)' },
  { name: 'bigints give int64', ts: () => torch.tensor([[1n, -2n], [3n, 4n]]), py: 'torch.tensor([[1, -2], [3, 4]])' },
  { name: 'booleans give bool', ts: () => torch.tensor([true, false, true]), py: 'torch.tensor([True, False, True])' },
  { name: 'dtype option', ts: () => torch.tensor([1, 2, 3], { dtype: 'int32' }), py: 'torch.tensor([1, 2, 3], dtype=torch.int32)' },
  { name: 'float64 keeps double precision', ts: () => torch.tensor([0.1, 1 / 3], { dtype: torch.float64 }), py: 'torch.tensor([0.1, 1/3], dtype=torch.float64)', rtol: 0, atol: 0 },
  { name: 'float16', ts: () => torch.tensor([0.1, 65504], { dtype: 'half' }), py: 'torch.tensor([0.1, 65504], dtype=torch.half)', rtol: 0, atol: 0 },
  { name: 'requiresGrad', ts: () => torch.tensor([1, 2], { requiresGrad: true }).requiresGrad, py: 'torch.tensor([1., 2.], requires_grad=True).requires_grad' },
  { name: 'Float32Array', ts: () => torch.tensor(new Float32Array([1.5, 2])), py: 'torch.tensor([1.5, 2.])' },
  { name: 'Float64Array', ts: () => torch.tensor(new Float64Array([0.1])), py: 'torch.tensor([0.1], dtype=torch.float64)', rtol: 0, atol: 0 },
  { name: 'Int32Array', ts: () => torch.tensor(new Int32Array([1, -2])), py: 'torch.tensor([1, -2], dtype=torch.int32)' },
  { name: 'BigInt64Array', ts: () => torch.tensor(new BigInt64Array([5n])), py: 'torch.tensor([5])' },
  { name: 'Uint8Array', ts: () => torch.tensor(new Uint8Array([0, 255])), py: 'torch.tensor([0, 255], dtype=torch.uint8)' },
  { name: 'typed array with dtype', ts: () => torch.tensor(new Int32Array([1, 2]), { dtype: 'float64' }), py: 'torch.tensor([1, 2], dtype=torch.float64)' },
  { name: 'tensor of a tensor copies', ts: () => torch.tensor(torch.arange(3), { dtype: 'float32' }), py: 'torch.tensor(torch.arange(3), dtype=torch.float32)' },
  { name: 'ragged arrays', ts: () => torch.tensor([[1, 2], [3]]), py: 'torch.tensor([[1, 2], [3]])' },
  { name: 'empty', ts: () => torch.tensor([]), py: 'torch.tensor([])' },
  { name: 'zeros(2, 3)', ts: () => torch.zeros(2, 3), py: 'torch.zeros(2, 3)' },
  { name: 'zeros([2, 3], dtype)', ts: () => torch.zeros([2, 3], { dtype: 'int32' }), py: 'torch.zeros([2, 3], dtype=torch.int32)' },
  { name: 'zeros([])', ts: () => torch.zeros([]), py: 'torch.zeros([])' },
  { name: 'ones with requiresGrad', ts: () => torch.ones(2, { requiresGrad: true }).requiresGrad, py: 'torch.ones(2, requires_grad=True).requires_grad' },
  { name: 'ones int64', ts: () => torch.ones(2, 2, { dtype: torch.int64 }), py: 'torch.ones(2, 2, dtype=torch.int64)' },
  { name: 'negative size', ts: () => torch.zeros(2, -1), py: 'torch.zeros(2, -1)' },
  { name: 'full', ts: () => torch.full([2, 2], 1.5), py: 'torch.full((2, 2), 1.5)' },
  { name: 'full with dtype', ts: () => torch.full([3], 7, { dtype: 'int64' }), py: 'torch.full((3,), 7)' },
  { name: 'full bool', ts: () => torch.full([2], true), py: 'torch.full((2,), True)' },
  { name: 'empty shape', ts: () => torch.empty(2, 3).shape, py: 'list(torch.empty(2, 3).shape)' },
  { name: 'arange(end)', ts: () => torch.arange(5), py: 'torch.arange(5)' },
  { name: 'arange(start, end, step)', ts: () => torch.arange(10, 0, -3), py: 'torch.arange(10, 0, -3)' },
  { name: 'arange of floats', ts: () => torch.arange(0, 1, 0.1), py: 'torch.arange(0, 1, 0.1)' },
  { name: 'arange with dtype', ts: () => torch.arange(4, { dtype: 'float64' }), py: 'torch.arange(4, dtype=torch.float64)' },
  { name: 'arange step 0', ts: () => torch.arange(0, 5, 0), py: 'torch.arange(0, 5, 0)' },
  { name: 'linspace', ts: () => torch.linspace(-1, 1, 7), py: 'torch.linspace(-1, 1, 7)' },
  { name: 'linspace float64', ts: () => torch.linspace(0, 1, 4, { dtype: 'float64' }), py: 'torch.linspace(0, 1, 4, dtype=torch.float64)', rtol: 0, atol: 0 },
  { name: 'logspace', ts: () => torch.logspace(0, 3, 4), py: 'torch.logspace(0, 3, 4)' },
  { name: 'eye(n)', ts: () => torch.eye(3), py: 'torch.eye(3)' },
  { name: 'eye(n, m, dtype)', ts: () => torch.eye(2, 3, { dtype: 'int64' }), py: 'torch.eye(2, 3, dtype=torch.int64)' },
  { name: 'zerosLike keeps dtype', ts: (v) => torch.zerosLike(v.i), py: 'torch.zeros_like(i)' },
  { name: 'onesLike with dtype', ts: (v) => torch.onesLike(v.i, { dtype: 'float64' }), py: 'torch.ones_like(i, dtype=torch.float64)' },
  { name: 'fullLike', ts: (v) => torch.fullLike(v.a, 2.5), py: 'torch.full_like(a, 2.5)' },
  { name: 'emptyLike shape', ts: (v) => torch.emptyLike(v.x3).shape, py: 'list(torch.empty_like(x3).shape)' },
  { name: 'randnLike of int64', ts: (v) => torch.randnLike(v.i), py: 'torch.randn_like(i)' },
  { name: 'fromBuffer', ts: () => torch.fromBuffer(new Float32Array([1, 2, 3, 4, 5, 6]).buffer, { dtype: 'float32', shape: [2, 3] }), py: 'torch.arange(1., 7.).reshape(2, 3)' },
  { name: 'fromBuffer of a typed array view', ts: () => torch.fromBuffer(new Int16Array([7, -8, 9]).subarray(1), { dtype: 'int16' }), py: 'torch.tensor([-8, 9], dtype=torch.int16)' },
]);

oracleSuite('arithmetic, broadcasting and type promotion', [
  { name: 'add', ts: (v) => v.a.add(v.b), py: 'a + b' },
  { name: 'add broadcasting [2,3] + [2,1]', ts: (v) => v.a.add(v.c), py: 'a + c' },
  { name: 'add broadcasting [2,1] + [3]', ts: (v) => v.c.add(v.b), py: 'c + b' },
  { name: 'add alpha', ts: (v) => v.a.add(v.b, { alpha: 2 }), py: 'a.add(b, alpha=2)' },
  { name: 'add int scalar', ts: (v) => v.a.add(2), py: 'a + 2' },
  { name: 'add float scalar', ts: (v) => v.a.add(0.1), py: 'a + 0.1' },
  { name: 'sub', ts: (v) => v.a.sub(v.b), py: 'a - b' },
  { name: 'sub scalar alpha', ts: (v) => v.a.sub(1.5, { alpha: 2 }), py: 'a.sub(1.5, alpha=2)' },
  { name: 'mul', ts: (v) => v.a.mul(v.b), py: 'a * b' },
  { name: 'div', ts: (v) => v.a.div(v.b), py: 'a / b' },
  { name: 'div scalar', ts: (v) => v.a.div(3), py: 'a / 3' },
  { name: 'int + int', ts: (v) => v.i.add(v.j), py: 'i + j' },
  { name: 'int * int scalar stays int64', ts: (v) => v.i.mul(3), py: 'i * 3' },
  { name: 'int + float scalar gives float32', ts: (v) => v.i.add(2.5), py: 'i + 2.5' },
  { name: 'int * float scalar gives float32', ts: (v) => v.i.mul(0.5), py: 'i * 0.5' },
  { name: 'int / int is true division', ts: (v) => v.i.div(v.j), py: 'i / j' },
  { name: 'int / int floor', ts: (v) => v.i.div(v.j, { roundingMode: 'floor' }), py: "i.div(j, rounding_mode='floor')" },
  { name: 'int / int trunc', ts: (v) => v.i.div(v.j, { roundingMode: 'trunc' }), py: "i.div(j, rounding_mode='trunc')" },
  { name: 'int + float32 tensor', ts: (v) => v.i.add(v.b), py: 'i + b' },
  { name: 'int + float64 tensor', ts: (v) => v.i.add(v.d), py: 'i + d' },
  { name: 'int32 + int64', ts: (v) => v.i32.add(v.j), py: 'i32 + j' },
  { name: 'int32 + int scalar stays int32', ts: (v) => v.i32.add(2), py: 'i32 + 2' },
  { name: 'int32 * float scalar', ts: (v) => v.i32.mul(1.5), py: 'i32 * 1.5' },
  { name: 'uint8 wraps around', ts: (v) => v.u8.add(100), py: 'u8 + 100' },
  { name: 'bool + bool', ts: (v) => v.m.add(v.m), py: 'm + m' },
  { name: 'bool + int scalar', ts: (v) => v.m.add(1), py: 'm + 1' },
  { name: 'bool * float scalar', ts: (v) => v.m.mul(1.5), py: 'm * 1.5' },
  { name: 'bool + float tensor', ts: (v) => v.m.add(v.a), py: 'm + a' },
  { name: 'float16 + float32 tensor', ts: (v) => v.h.add(v.b), py: 'h + b' },
  { name: 'float16 + scalar stays float16', ts: (v) => v.h.add(1.5), py: 'h + 1.5' },
  { name: 'float64 * float32', ts: (v) => v.d.mul(v.b), py: 'd * b' },
  { name: 'float32 * 0-dim float64 stays float32', ts: (v) => v.b.mul(torch.tensor(2, { dtype: 'float64' })), py: 'b * torch.tensor(2., dtype=torch.float64)' },
  { name: 'pow scalar', ts: (v) => v.a.pow(2), py: 'a ** 2' },
  { name: 'pow tensor', ts: (v) => v.a.abs().pow(v.b), py: 'a.abs() ** b' },
  { name: 'int pow int', ts: (v) => v.j.pow(2), py: 'j ** 2' },
  { name: 'int pow float', ts: (v) => v.j.abs().pow(0.5), py: 'j.abs() ** 0.5' },
  { name: 'remainder', ts: (v) => v.a.remainder(1.5), py: 'a.remainder(1.5)' },
  { name: 'int remainder', ts: (v) => v.i.remainder(-2), py: 'i.remainder(-2)' },
  { name: 'fmod', ts: (v) => v.a.fmod(1.5), py: 'a.fmod(1.5)' },
  { name: 'floorDivide', ts: (v) => v.i.floorDivide(v.j), py: 'i.floor_divide(j)' },
  { name: 'neg', ts: (v) => v.a.neg(), py: '-a' },
  { name: 'abs of int', ts: (v) => v.i.abs(), py: 'i.abs()' },
  { name: 'sqrt (nan for negatives)', ts: (v) => v.a.sqrt(), py: 'a.sqrt()' },
  { name: 'exp, log', ts: (v) => v.a.exp().log(), py: 'a.exp().log()' },
  { name: 'sqrt of int gives float32', ts: (v) => v.j.sqrt(), py: 'j.sqrt()' },
  { name: 'round, floor, ceil, trunc', ts: (v) => torch.stack([v.a.round(), v.a.floor(), v.a.ceil(), v.a.trunc()]), py: 'torch.stack([a.round(), a.floor(), a.ceil(), a.trunc()])' },
  { name: 'sign, reciprocal, square', ts: (v) => torch.stack([v.a.sign(), v.a.reciprocal(), v.a.square()]), py: 'torch.stack([a.sign(), a.reciprocal(), a.square()])' },
  { name: 'maximum / minimum', ts: (v) => torch.stack([v.a.maximum(v.b), torch.minimum(v.a, v.b)]), py: 'torch.stack([a.maximum(b), torch.minimum(a, b)])' },
  { name: 'lerp, addcmul, addcdiv', ts: (v) => torch.stack([v.a.lerp(v.b, 0.25), v.a.addcmul(v.b, v.c, { value: 2 }), v.a.addcdiv(v.b, v.c, { value: 0.5 })]), py: 'torch.stack([a.lerp(b, 0.25), a.addcmul(b, c, value=2), a.addcdiv(b, c, value=0.5)])' },
  { name: 'torch.add function', ts: (v) => torch.add(v.a, v.b, { alpha: -1 }), py: 'torch.add(a, b, alpha=-1)' },
  { name: 'broadcast mismatch', ts: (v) => v.a.add(torch.ones(4)), py: 'a + torch.ones(4)' },
  { name: 'broadcast mismatch (scalar path)', ts: (v) => v.a.mul(torch.ones(2, 2)), py: 'a * torch.ones(2, 2)' },
  { name: 'a string operand', ts: (v) => v.a.add('x' as unknown as number), py: "a.add('x')" },
]);

/** An ATen operator through the generic path, as a Tensor. */
const aten = (name: string, ...args: unknown[]) => torch.ops.aten[name](...args) as torch.Tensor;

// The hot arithmetic calls ATen's CPU kernels directly only for plain CPU tensors outside any thread-local mode;
// tensors with a conjugate, negative or zero-tensor bit, and calls under autocast, go through the dispatcher.
oracleSuite(
  'arithmetic on conjugate, negative and zero-tensor views, and under autocast',
  [
    { name: 'add a conjugate view', ts: (v) => aten('view_as_real', torch.complex(v.b, v.b).add(aten('conj', torch.complex(v.b, v.b.neg())))), py: 'torch.view_as_real(torch.complex(b, b) + torch.complex(b, -b).conj())' },
    { name: 'mul by a conjugate view', ts: (v) => aten('view_as_real', aten('conj', torch.complex(v.b, v.b)).mul(2)), py: 'torch.view_as_real(torch.complex(b, b).conj() * 2)' },
    { name: 'sub a negative view', ts: (v) => v.b.sub(aten('_neg_view', v.b)), py: 'b - torch._neg_view(b)' },
    { name: 'div a negative view', ts: (v) => aten('_neg_view', v.b).div(4), py: 'torch._neg_view(b) / 4' },
    { name: 'add a zero tensor', ts: (v) => v.b.add(aten('_efficientzerotensor', [3])), py: 'b + torch._efficientzerotensor([3])' },
    { name: 'add under autocast', ts: (v) => torch.autocast('cpu', { dtype: torch.bfloat16 }, () => v.a.add(v.b)), py: 'autocast_add(a, b)' },
    { name: 'sub two bool tensors', ts: (v) => v.m.sub(v.m), py: 'm - m' },
    { name: 'sub a number from a bool tensor', ts: (v) => v.m.sub(1), py: 'm - 1' },
  ],
  `
def autocast_add(x, y):
    with torch.autocast('cpu', dtype=torch.bfloat16):
        return x + y
`,
);

oracleSuite('in-place operations', [
  { name: 'add_', ts: (v) => v.a.add_(v.b), py: 'a.add_(b)' },
  { name: 'add_ returns this', ts: (v) => v.a.add_(1) === v.a, py: 'True' },
  { name: 'sub_ alpha', ts: (v) => v.a.sub_(v.b, { alpha: 3 }), py: 'a.sub_(b, alpha=3)' },
  { name: 'mul_ scalar', ts: (v) => v.a.mul_(2), py: 'a.mul_(2)' },
  { name: 'div_', ts: (v) => v.a.div_(v.c), py: 'a.div_(c)' },
  { name: 'pow_', ts: (v) => v.a.pow_(2), py: 'a.pow_(2)' },
  { name: 'int add_ int', ts: (v) => v.i.add_(2), py: 'i.add_(2)' },
  { name: 'int add_ float fails', ts: (v) => v.i.add_(1.5), py: 'i.add_(1.5)' },
  { name: 'int div_ fails', ts: (v) => v.j.div_(2), py: 'j.div_(2)' },
  { name: 'int div_ floor', ts: (v) => v.j.div_(2, { roundingMode: 'floor' }), py: "j.div_(2, rounding_mode='floor')" },
  { name: 'float add_ int tensor', ts: (v) => v.a.add_(v.i), py: 'a.add_(i)' },
  { name: 'add_ cannot broadcast self', ts: (v) => v.b.add_(v.a), py: 'b.add_(a)' },
  { name: 'clamp_', ts: (v) => v.a.clamp_(-1, 1), py: 'a.clamp_(-1, 1)' },
  { name: 'maskedFill_', ts: (v) => v.a.maskedFill_(v.m, -9), py: 'a.masked_fill_(m, -9)' },
  { name: 'zero_ and fill_', ts: (v) => torch.stack([v.a.clone().zero_(), v.a.fill_(3.5)]), py: 'torch.stack([a.clone().zero_(), a.fill_(3.5)])' },
  { name: 'exp_, neg_, relu_, sigmoid_', ts: (v) => v.a.exp_().neg_().relu_().sigmoid_(), py: 'a.exp_().neg_().relu_().sigmoid_()' },
  { name: 'unsqueeze_, squeeze_', ts: (v) => v.b.unsqueeze_(0).shape, py: 'list(b.unsqueeze_(0).shape)' },
  { name: 'in-place on a leaf that requires grad', ts: () => torch.ones(2, { requiresGrad: true }).add_(1), py: 'torch.ones(2, requires_grad=True).add_(1)' },
  { name: 'copy_ broadcasts and converts', ts: (v) => torch.zeros(2, 3, { dtype: 'float64' }).copy_(v.j), py: 'torch.zeros(2, 3, dtype=torch.float64).copy_(j)' },
  { name: 'copy_ shape mismatch', ts: (v) => v.a.copy_(torch.ones(4)), py: 'a.copy_(torch.ones(4))' },
]);

oracleSuite('matrix products', [
  { name: 'matmul 2-D', ts: (v) => v.a.matmul(v.a.t()), py: 'a @ a.t()' },
  { name: 'matmul 2-D x 1-D', ts: (v) => v.a.matmul(v.b), py: 'a @ b' },
  { name: 'matmul 1-D x 1-D', ts: (v) => v.b.matmul(v.b), py: 'b @ b' },
  { name: 'matmul batched with broadcasting', ts: (v) => v.x3.matmul(v.x3.transpose(1, 2).narrow(0, 0, 1)), py: 'x3 @ x3.transpose(1, 2)[:1]' },
  { name: 'matmul 3-D x 1-D', ts: (v) => v.x3.matmul(torch.tensor([1, -1, 0.5, 2])), py: 'x3 @ torch.tensor([1, -1, 0.5, 2])' },
  { name: 'mm', ts: (v) => torch.mm(v.a, v.a.t()), py: 'torch.mm(a, a.t())' },
  { name: 'mm of int64', ts: (v) => v.i.mm(v.i.t()), py: 'i.mm(i.t())' },
  { name: 'bmm', ts: (v) => v.x3.bmm(v.x3.transpose(1, 2)), py: 'x3.bmm(x3.transpose(1, 2))' },
  { name: 'mv, dot, outer', ts: (v) => [v.a.mv(v.b), v.b.dot(v.b), v.b.outer(v.d.float())], py: '[a.mv(b), b.dot(b), b.outer(d.float())]' },
  { name: 'mm shape error', ts: () => torch.ones(2, 3).mm(torch.ones(4, 5)), py: 'torch.ones(2, 3).mm(torch.ones(4, 5))' },
  { name: 'mm of a vector', ts: (v) => v.a.mm(v.b), py: 'a.mm(b)' },
  { name: 'mm dtype mismatch', ts: (v) => v.a.mm(v.i.t()), py: 'a.mm(i.t())' },
  { name: 'bmm shape error', ts: (v) => v.x3.bmm(v.x3), py: 'x3.bmm(x3)' },
  { name: 'matmul shape error', ts: (v) => v.a.matmul(v.a), py: 'a @ a' },
]);

oracleSuite('reductions', [
  { name: 'sum()', ts: (v) => v.a.sum(), py: 'a.sum()' },
  { name: 'sum(dim)', ts: (v) => v.a.sum(0), py: 'a.sum(0)' },
  { name: 'sum(dim, keepdim)', ts: (v) => v.a.sum(1, true), py: 'a.sum(1, keepdim=True)' },
  { name: 'sum(dims)', ts: (v) => v.x3.sum([0, 2]), py: 'x3.sum([0, 2])' },
  { name: 'sum negative dim, keepdim option', ts: (v) => v.x3.sum(-1, { keepdim: true }), py: 'x3.sum(-1, keepdim=True)' },
  { name: 'sum with dtype', ts: (v) => v.a.sum({ dtype: 'float64' }), py: 'a.sum(dtype=torch.float64)' },
  { name: 'sum of int32 gives int64', ts: (v) => v.i32.sum(), py: 'i32.sum()' },
  { name: 'sum of bool gives int64', ts: (v) => v.m.sum(1), py: 'm.sum(1)' },
  { name: 'sum dim out of range', ts: (v) => v.a.sum(2), py: 'a.sum(2)' },
  { name: 'mean()', ts: (v) => v.a.mean(), py: 'a.mean()' },
  { name: 'mean(dim, keepdim)', ts: (v) => v.x3.mean(1, true), py: 'x3.mean(1, keepdim=True)' },
  { name: 'mean of int64 fails', ts: (v) => v.i.mean(), py: 'i.mean()' },
  { name: 'mean of int64 with dtype', ts: (v) => v.i.mean({ dtype: 'float32' }), py: 'i.mean(dtype=torch.float32)' },
  { name: 'prod()', ts: (v) => v.a.prod(), py: 'a.prod()' },
  { name: 'prod(dim, keepdim)', ts: (v) => v.i.prod(1, true), py: 'i.prod(1, keepdim=True)' },
  { name: 'max()', ts: (v) => v.a.max(), py: 'a.max()' },
  { name: 'max(dim) gives values and indices', ts: (v) => v.a.max(1), py: 'a.max(1)' },
  { name: 'max(dim, keepdim)', ts: (v) => v.x3.max(0, true), py: 'x3.max(0, keepdim=True)' },
  { name: 'max(dim).values / .indices', ts: (v) => { const r = v.a.max(0); return [r.values, r.indices]; }, py: '[a.max(0).values, a.max(0).indices]' },
  { name: 'max(other)', ts: (v) => v.a.max(v.b), py: 'a.max(b)' },
  { name: 'min(dim)', ts: (v) => v.i.min(0), py: 'i.min(0)' },
  { name: 'torch.max(dim)', ts: (v) => torch.max(v.a, -1), py: 'torch.max(a, -1)' },
  { name: 'argmax()', ts: (v) => v.a.argmax(), py: 'a.argmax()' },
  { name: 'argmax(dim)', ts: (v) => v.a.argmax(1), py: 'a.argmax(1)' },
  { name: 'argmax(dim, keepdim)', ts: (v) => v.a.argmax(0, true), py: 'a.argmax(0, keepdim=True)' },
  { name: 'argmin(dim)', ts: (v) => v.x3.argmin(2), py: 'x3.argmin(2)' },
  { name: 'std()', ts: (v) => v.a.std(), py: 'a.std()' },
  { name: 'std(dim)', ts: (v) => v.a.std(1), py: 'a.std(1)' },
  { name: 'std(dim, unbiased=false)', ts: (v) => v.a.std(1, false), py: 'a.std(1, False)' },
  { name: 'std(dim, unbiased, keepdim)', ts: (v) => v.a.std(0, true, true), py: 'a.std(0, True, True)' },
  { name: 'std({ unbiased: false })', ts: (v) => v.a.std({ unbiased: false }), py: 'a.std(unbiased=False)' },
  { name: 'var(dim, { correction: 0, keepdim })', ts: (v) => v.x3.var([0, 1], { correction: 0, keepdim: true }), py: 'x3.var([0, 1], correction=0, keepdim=True)' },
  { name: 'var()', ts: (v) => v.a.var(), py: 'a.var()' },
  { name: 'all(), any()', ts: (v) => [v.m.all(), v.m.any()], py: '[m.all(), m.any()]' },
  { name: 'all(dim), any(dim, keepdim)', ts: (v) => [v.m.all(1), v.m.any(0, true)], py: '[m.all(1), m.any(0, keepdim=True)]' },
  { name: 'all of floats', ts: (v) => v.a.all(), py: 'a.all()' },
  { name: 'amax, amin', ts: (v) => [v.x3.amax([0, 2]), v.x3.amin(1, true)], py: '[x3.amax([0, 2]), x3.amin(1, keepdim=True)]' },
  { name: 'logsumexp', ts: (v) => v.a.logsumexp(1), py: 'a.logsumexp(1)' },
  { name: 'norm', ts: (v) => [v.a.norm(), v.a.norm(1, 1), v.a.norm(2, 0, true)], py: '[a.norm(), a.norm(1, 1), a.norm(2, 0, True)]' },
  { name: 'cumsum, cumprod', ts: (v) => [v.a.cumsum(1), v.i.cumprod(0), v.i32.cumsum(0)], py: '[a.cumsum(1), i.cumprod(0), i32.cumsum(0)]' },
  { name: 'sort', ts: (v) => v.a.sort(1), py: 'a.sort(1)' },
  { name: 'sort descending', ts: (v) => v.a.sort(0, true), py: 'a.sort(0, True)' },
  { name: 'argsort', ts: (v) => v.a.argsort(1, true), py: 'a.argsort(1, True)' },
  { name: 'topk', ts: (v) => v.x3.topk(2), py: 'x3.topk(2)' },
  { name: 'topk smallest along dim 0', ts: (v) => v.a.topk(1, 0, false), py: 'a.topk(1, 0, False)' },
  { name: 'item of a reduction', ts: (v) => v.a.sum().item(), py: 'a.sum().item()' },
  { name: 'accuracy idiom', ts: (v) => v.a.argmax(1).eq(torch.tensor([2n, 1n])).sum().item(), py: 'a.argmax(1).eq(torch.tensor([2, 1])).sum().item()' },
]);

oracleSuite('comparisons, where, clamp, maskedFill', [
  { name: 'eq, ne', ts: (v) => [v.a.eq(v.b), v.a.ne(0.5)], py: '[a.eq(b), a.ne(0.5)]' },
  { name: 'lt, le, gt, ge', ts: (v) => [v.a.lt(v.b), v.a.le(1.5), v.a.gt(v.c), v.i.ge(v.j)], py: '[a.lt(b), a.le(1.5), a.gt(c), i.ge(j)]' },
  { name: 'int vs float', ts: (v) => v.i.eq(v.i.float()), py: 'i.eq(i.float())' },
  { name: 'int vs float scalar', ts: (v) => v.i.lt(2.5), py: 'i.lt(2.5)' },
  { name: 'torch.eq', ts: (v) => torch.eq(v.b, v.b.clone()), py: 'torch.eq(b, b.clone())' },
  { name: 'equal', ts: (v) => [v.a.equal(v.a.clone()), v.a.equal(v.a.add(1)), v.a.equal(v.b)], py: '[a.equal(a.clone()), a.equal(a + 1), a.equal(b)]' },
  { name: 'allclose, isclose', ts: (v) => [v.a.allclose(v.a.add(1e-7)), v.b.isclose(v.b.add(torch.tensor([0, 1e-3, 0])), { atol: 1e-4 })], py: '[a.allclose(a + 1e-7), b.isclose(b + torch.tensor([0, 1e-3, 0]), atol=1e-4)]' },
  { name: 'logicalAnd/Or/Xor/Not', ts: (v) => [v.m.logicalAnd(v.m.t().t()), v.m.logicalOr(v.a.gt(0)), v.m.logicalXor(v.m.logicalNot())], py: '[m.logical_and(m), m.logical_or(a > 0), m.logical_xor(m.logical_not())]' },
  { name: 'isnan, isinf, isfinite', ts: (v) => { const x = v.a.sqrt().div(v.b.sub(0.5)); return [x.isnan(), x.isinf(), x.isfinite()]; }, py: '[(a.sqrt() / (b - 0.5)).isnan(), (a.sqrt() / (b - 0.5)).isinf(), (a.sqrt() / (b - 0.5)).isfinite()]' },
  { name: 'where(cond, x, y)', ts: (v) => torch.where(v.m, v.a, v.b), py: 'torch.where(m, a, b)' },
  { name: 'where(cond, x, scalar)', ts: (v) => torch.where(v.m, v.a, 0), py: 'torch.where(m, a, 0.)' },
  { name: 'where(cond, int, float scalar)', ts: (v) => torch.where(v.m, v.i, 1.5), py: 'torch.where(m, i, 1.5)' },
  { name: 'where(cond, scalar, scalar)', ts: (v) => torch.where(v.m, 1.5, -2), py: 'torch.where(m, 1.5, -2.)' },
  { name: 'where(cond, int, float tensor)', ts: (v) => torch.where(v.m, v.i, v.b), py: 'torch.where(m, i, b)' },
  { name: 'x.where(cond, y)', ts: (v) => v.a.where(v.a.gt(0), v.c), py: 'a.where(a > 0, c)' },
  { name: 'where(cond) gives indices', ts: (v) => torch.where(v.m), py: 'torch.where(m)' },
  { name: 'nonzero', ts: (v) => v.m.nonzero(), py: 'm.nonzero()' },
  { name: 'clamp', ts: (v) => v.a.clamp(-1, 2), py: 'a.clamp(-1, 2)' },
  { name: 'clamp min only', ts: (v) => v.a.clamp(0), py: 'a.clamp(0)' },
  { name: 'clamp max only', ts: (v) => v.a.clamp(null, 1), py: 'a.clamp(max=1)' },
  { name: 'clamp with tensors', ts: (v) => v.a.clamp(v.b, v.b.add(1)), py: 'a.clamp(b, b + 1)' },
  { name: 'clamp int64 with ints', ts: (v) => v.i.clamp(0, 3), py: 'i.clamp(0, 3)' },
  { name: 'clamp int64 with floats', ts: (v) => v.i.clamp(0.5, 2.5), py: 'i.clamp(0.5, 2.5)' },
  { name: 'clip', ts: (v) => torch.clip(v.a, -0.5, 0.5), py: 'torch.clip(a, -0.5, 0.5)' },
  { name: 'maskedFill', ts: (v) => v.a.maskedFill(v.m, 0), py: 'a.masked_fill(m, 0)' },
  { name: 'maskedFill broadcast mask', ts: (v) => v.a.maskedFill(torch.tensor([true, false, true]), -Infinity), py: "a.masked_fill(torch.tensor([True, False, True]), float('-inf'))" },
  { name: 'maskedFill int with float', ts: (v) => v.i.maskedFill(v.m, 7.9), py: 'i.masked_fill(m, 7.9)' },
  { name: 'maskedFill with 0-dim tensor', ts: (v) => v.a.maskedFill(v.m, torch.tensor(2.5)), py: 'a.masked_fill(m, torch.tensor(2.5))' },
  { name: 'maskedFill with a float mask', ts: (v) => v.a.maskedFill(v.a, 0), py: 'a.masked_fill(a, 0)' },
  { name: 'maskedSelect', ts: (v) => v.a.maskedSelect(v.m), py: 'a.masked_select(m)' },
]);

oracleSuite('views and shape', [
  { name: 'view(3, 2)', ts: (v) => v.a.view(3, 2), py: 'a.view(3, 2)' },
  { name: 'view([-1])', ts: (v) => v.a.view([-1]), py: 'a.view([-1])' },
  { name: 'view(dtype)', ts: (v) => v.a.view('int32'), py: 'a.view(torch.int32)' },
  { name: 'view shares memory', ts: (v) => { v.a.view(-1).mul_(2); return v.a; }, py: 'inplace(a, lambda t: t.view(-1).mul_(2))' },
  { name: 'view of a non-contiguous tensor', ts: (v) => v.a.t().view(-1), py: 'a.t().view(-1)' },
  { name: 'view bad size', ts: (v) => v.a.view(4, 2), py: 'a.view(4, 2)' },
  { name: 'reshape', ts: (v) => v.a.t().reshape(-1), py: 'a.t().reshape(-1)' },
  { name: 'reshape([3, -1])', ts: (v) => v.x3.reshape([3, -1]), py: 'x3.reshape([3, -1])' },
  { name: 'reshape bad size', ts: (v) => v.a.reshape(4, 2), py: 'a.reshape(4, 2)' },
  { name: 'viewAs, reshapeAs', ts: (v) => [v.b.viewAs(v.c.t()), v.a.reshapeAs(v.x3.narrow(2, 0, 1))], py: '[b.view_as(c.t()), a.reshape_as(x3[:, :, :1])]' },
  { name: 'permute', ts: (v) => v.x3.permute(2, 0, 1), py: 'x3.permute(2, 0, 1)' },
  { name: 'permute([..])', ts: (v) => v.x3.permute([1, -1, 0]), py: 'x3.permute([1, -1, 0])' },
  { name: 'transpose', ts: (v) => v.x3.transpose(0, 2), py: 'x3.transpose(0, 2)' },
  { name: 't, T, mT', ts: (v) => [v.a.t(), v.x3.T, v.x3.mT], py: '[a.t(), x3.permute(2, 1, 0), x3.mT]' },
  { name: 't of a 3-D tensor', ts: (v) => v.x3.t(), py: 'x3.t()' },
  { name: 'squeeze()', ts: (v) => v.x3.narrow(1, 0, 1).narrow(2, 0, 1).squeeze(), py: 'x3[:, :1, :1].squeeze()' },
  { name: 'squeeze(dim)', ts: (v) => v.c.squeeze(1), py: 'c.squeeze(1)' },
  { name: 'squeeze(dim) of a non-1 dim is a no-op', ts: (v) => v.c.squeeze(0), py: 'c.squeeze(0)' },
  { name: 'unsqueeze', ts: (v) => [v.b.unsqueeze(0), v.b.unsqueeze(-1), torch.unsqueeze(v.a, 1)], py: '[b.unsqueeze(0), b.unsqueeze(-1), torch.unsqueeze(a, 1)]' },
  { name: 'unsqueeze out of range', ts: (v) => v.b.unsqueeze(3), py: 'b.unsqueeze(3)' },
  { name: 'flatten', ts: (v) => [v.x3.flatten(), v.x3.flatten(1), v.x3.flatten(0, 1), torch.flatten(v.x3, -2)], py: '[x3.flatten(), x3.flatten(1), x3.flatten(0, 1), torch.flatten(x3, -2)]' },
  { name: 'unflatten', ts: (v) => v.x3.unflatten(2, [2, 2]), py: 'x3.unflatten(2, (2, 2))' },
  { name: 'expand', ts: (v) => v.b.expand(2, 3), py: 'b.expand(2, 3)' },
  { name: 'expand with -1', ts: (v) => v.c.expand([-1, 4]), py: 'c.expand(-1, 4)' },
  { name: 'expandAs', ts: (v) => v.c.expandAs(v.a), py: 'c.expand_as(a)' },
  { name: 'expand error', ts: (v) => v.b.expand(2, 4), py: 'b.expand(2, 4)' },
  { name: 'repeat', ts: (v) => v.a.repeat(2, 1), py: 'a.repeat(2, 1)' },
  { name: 'repeat adds dims', ts: (v) => v.b.repeat([2, 1, 2]), py: 'b.repeat(2, 1, 2)' },
  { name: 'repeatInterleave, tile, flip, roll', ts: (v) => [v.b.repeatInterleave(2), v.b.tile([2]), v.a.flip([0, 1]), v.a.roll(1, 1)], py: '[b.repeat_interleave(2), b.tile((2,)), a.flip([0, 1]), a.roll(1, 1)]' },
  { name: 'contiguous', ts: (v) => { const t = v.a.t(); const c = t.contiguous(); return [t.isContiguous(), c.isContiguous(), c.stride(), c]; }, py: '[a.t().is_contiguous(), a.t().contiguous().is_contiguous(), list(a.t().contiguous().stride()), a.t().contiguous()]' },
  { name: 'shape, size, dim, numel, stride', ts: (v) => [v.x3.shape, v.x3.size(), v.x3.size(-1), v.x3.dim(), v.x3.ndim, v.x3.numel(), v.x3.stride(), v.x3.stride(1)], py: '[list(x3.shape), list(x3.size()), x3.size(-1), x3.dim(), x3.ndim, x3.numel(), list(x3.stride()), x3.stride(1)]' },
  { name: 'size(dim) out of range', ts: (v) => v.x3.size(3), py: 'x3.size(3)' },
]);

oracleSuite('joining and splitting', [
  { name: 'cat dim 0', ts: (v) => torch.cat([v.a, v.a.mul(2)]), py: 'torch.cat([a, a * 2])' },
  { name: 'cat dim 1', ts: (v) => torch.cat([v.a, v.c], 1), py: 'torch.cat([a, c], 1)' },
  { name: 'cat negative dim', ts: (v) => torch.cat([v.x3, v.x3], -1), py: 'torch.cat([x3, x3], -1)' },
  { name: 'cat promotes', ts: (v) => torch.cat([v.i, v.a]), py: 'torch.cat([i, a])' },
  { name: 'cat size mismatch', ts: (v) => torch.cat([v.a, torch.ones(1, 2)]), py: 'torch.cat([a, torch.ones(1, 2)])' },
  { name: 'concat', ts: (v) => torch.concat([v.b, v.b]), py: 'torch.concat([b, b])' },
  { name: 'stack', ts: (v) => torch.stack([v.b, v.b.neg()]), py: 'torch.stack([b, -b])' },
  { name: 'stack dim 1', ts: (v) => torch.stack([v.a, v.a.mul(2)], 1), py: 'torch.stack([a, a * 2], 1)' },
  { name: 'stack dim -1', ts: (v) => torch.stack([v.b, v.b], -1), py: 'torch.stack([b, b], -1)' },
  { name: 'stack shape mismatch', ts: (v) => torch.stack([v.a, v.b]), py: 'torch.stack([a, b])' },
  { name: 'hstack, vstack', ts: (v) => [torch.hstack([v.a, v.c]), torch.vstack([v.a, v.b])], py: '[torch.hstack([a, c]), torch.vstack([a, b])]' },
  { name: 'split by size', ts: (v) => v.a.split(2, 1), py: 'a.split(2, 1)' },
  { name: 'split by sizes', ts: (v) => torch.split(v.x3, [1, 3], 2), py: 'torch.split(x3, [1, 3], 2)' },
  { name: 'split default dim', ts: () => torch.split(torch.arange(7), 3), py: 'torch.split(torch.arange(7), 3)' },
  { name: 'split sizes must sum', ts: (v) => v.a.split([1, 1], 1), py: 'a.split([1, 1], 1)' },
  { name: 'chunk', ts: (v) => v.a.chunk(3, 1), py: 'a.chunk(3, 1)' },
  { name: 'chunk uneven', ts: () => torch.arange(5).chunk(2), py: 'torch.arange(5).chunk(2)' },
  { name: 'torch.chunk', ts: (v) => torch.chunk(v.x3, 2, -1), py: 'torch.chunk(x3, 2, -1)' },
  { name: 'unbind', ts: (v) => v.a.unbind(1), py: 'a.unbind(1)' },
  { name: 'meshgrid', ts: (v) => torch.meshgrid([v.b, v.j]), py: "list(torch.meshgrid([b, j], indexing='ij'))" },
  { name: 'broadcastTensors', ts: (v) => torch.broadcastTensors(v.b, v.c), py: 'list(torch.broadcast_tensors(b, c))' },
  { name: 'einsum', ts: (v) => torch.einsum('ij,j->i', v.a, v.b), py: "torch.einsum('ij,j->i', a, b)" },
]);

oracleSuite('activations', [
  { name: 'softmax', ts: (v) => v.a.softmax(1), py: 'a.softmax(1)' },
  { name: 'softmax dim 0', ts: (v) => torch.softmax(v.a, 0), py: 'torch.softmax(a, 0)' },
  { name: 'softmax with dtype', ts: (v) => v.a.softmax(-1, { dtype: 'float64' }), py: 'a.softmax(-1, dtype=torch.float64)' },
  { name: 'logSoftmax', ts: (v) => v.x3.logSoftmax(2), py: 'x3.log_softmax(2)' },
  { name: 'torch.logSoftmax', ts: (v) => torch.logSoftmax(v.a, 0), py: 'torch.log_softmax(a, 0)' },
  { name: 'softmax of int64', ts: (v) => v.i.softmax(1), py: 'i.softmax(1)' },
  { name: 'relu', ts: (v) => [v.a.relu(), torch.relu(v.i)], py: '[a.relu(), torch.relu(i)]' },
  { name: 'sigmoid', ts: (v) => [v.a.sigmoid(), torch.sigmoid(v.x3)], py: '[a.sigmoid(), torch.sigmoid(x3)]' },
  { name: 'tanh', ts: (v) => [v.a.tanh(), torch.tanh(v.d)], py: '[a.tanh(), torch.tanh(d)]' },
  { name: 'sigmoid of int64', ts: (v) => v.i.sigmoid(), py: 'i.sigmoid()' },
  { name: 'trigonometry', ts: (v) => torch.stack([v.b.sin(), v.b.cos(), v.b.tan(), v.b.atan(), v.b.sinh(), v.b.cosh(), v.b.div(3).asin(), v.b.div(3).acos()]), py: 'torch.stack([b.sin(), b.cos(), b.tan(), b.atan(), b.sinh(), b.cosh(), (b / 3).asin(), (b / 3).acos()])' },
  { name: 'erf, erfinv, expm1, log1p, log2, log10', ts: (v) => torch.stack([v.b.erf(), v.b.div(3).erfinv(), v.b.expm1(), v.b.abs().log1p(), v.b.abs().log2(), v.b.abs().log10()]), py: 'torch.stack([b.erf(), (b / 3).erfinv(), b.expm1(), b.abs().log1p(), b.abs().log2(), b.abs().log10()])' },
]);

oracleSuite('conversions and data', [
  { name: 'to(dtype)', ts: (v) => v.a.to('int32'), py: 'a.to(torch.int32)' },
  { name: 'to(torch.float64)', ts: (v) => v.i.to(torch.float64), py: 'i.to(torch.float64)' },
  { name: 'to(alias)', ts: (v) => v.i.to('double'), py: 'i.to(torch.double)' },
  { name: 'to(device)', ts: (v) => v.a.to('cpu'), py: "a.to('cpu')" },
  { name: 'to(device, dtype)', ts: (v) => v.a.to('cpu', 'float16'), py: "a.to('cpu', torch.float16)" },
  { name: 'to({ dtype })', ts: (v) => v.a.to({ dtype: 'bool' }), py: 'a.to(dtype=torch.bool)' },
  { name: 'to(other)', ts: (v) => v.a.to(v.d), py: 'a.to(d)' },
  { name: 'float, double, long, int, bool, byte, half', ts: (v) => [v.a.long(), v.i.float(), v.a.double(), v.a.int(), v.a.bool(), v.i.abs().byte(), v.a.half(), v.a.short()], py: '[a.long(), i.float(), a.double(), a.int(), a.bool(), i.abs().byte(), a.half(), a.short()]' },
  { name: 'type(dtype), typeAs', ts: (v) => [v.a.type('int64'), v.a.typeAs(v.d)], py: '[a.type(torch.int64), a.type_as(d)]' },
  { name: 'float to int truncates', ts: () => torch.tensor([-1.7, 2.9]).long(), py: 'torch.tensor([-1.7, 2.9]).long()' },
  { name: 'clone is a copy', ts: (v) => { const c = v.a.clone(); c.add_(1); return [v.a, c]; }, py: '[a, a.clone() + 1]' },
  { name: 'detach shares data and drops grad', ts: () => { const w = torch.ones(2, { requiresGrad: true }); const d = w.mul(3).detach(); return [d, d.requiresGrad, d.gradFn === null]; }, py: '[torch.ones(2).mul(3), False, True]' },
  { name: 'item of float, int, bool', ts: (v) => [v.a.max().item(), v.i.sum().item(), v.m.any().item()], py: '[a.max().item(), i.sum().item(), m.any().item()]' },
  { name: 'item of a tensor with 2 elements', ts: (v) => v.b.narrow(0, 0, 2).item(), py: 'b[:2].item()' },
  { name: 'tolist', ts: (v) => [v.a.tolist(), v.i.tolist(), v.m.tolist(), torch.tensor(2.5).tolist()], py: '[a.tolist(), i.tolist(), m.tolist(), torch.tensor(2.5).tolist()]' },
  { name: 'tolist of a view', ts: (v) => v.x3.permute(2, 0, 1).narrow(0, 1, 2).tolist(), py: 'x3.permute(2, 0, 1)[1:3].tolist()' },
  { name: 'isFloatingPoint', ts: (v) => [v.a.isFloatingPoint(), v.i.isFloatingPoint(), v.h.isFloatingPoint()], py: '[a.is_floating_point(), i.is_floating_point(), h.is_floating_point()]' },
  { name: 'elementSize', ts: (v) => [v.a.elementSize(), v.d.elementSize(), v.h.elementSize(), v.m.elementSize()], py: '[a.element_size(), d.element_size(), h.element_size(), m.element_size()]' },
]);

oracleSuite('keyword arguments as a trailing options object', [
  { name: 'sum({ dim })', ts: (v) => v.a.sum({ dim: 1 }), py: 'a.sum(dim=1)' },
  { name: 'sum({ dim, keepdim, dtype })', ts: (v) => v.a.sum({ dim: 0, keepdim: true, dtype: 'float64' }), py: 'a.sum(dim=0, keepdim=True, dtype=torch.float64)' },
  { name: 'sum({ keepdim }) keeps every dim', ts: (v) => v.a.sum({ keepdim: true }), py: 'a.sum(dim=(0, 1), keepdim=True)' },
  { name: 'torch.sum(x, { dim })', ts: (v) => torch.sum(v.x3, { dim: [0, 2] }), py: 'torch.sum(x3, dim=[0, 2])' },
  { name: 'sum(dim, { keepdim })', ts: (v) => v.a.sum(1, { keepdim: true }), py: 'a.sum(1, keepdim=True)' },
  { name: 'mean({ dim, keepdim })', ts: (v) => v.x3.mean({ dim: -1, keepdim: true }), py: 'x3.mean(dim=-1, keepdim=True)' },
  { name: 'prod({ dim })', ts: (v) => v.a.prod({ dim: 1 }), py: 'a.prod(dim=1)' },
  { name: 'std({ dim })', ts: (v) => v.a.std({ dim: 1 }), py: 'a.std(dim=1)' },
  { name: 'std(false)', ts: (v) => v.a.std(false), py: 'a.std(False)' },
  { name: 'var({ dim, unbiased, keepdim })', ts: (v) => v.a.var({ dim: 0, unbiased: false, keepdim: true }), py: 'a.var(dim=0, unbiased=False, keepdim=True)' },
  { name: 'torch.var', ts: (v) => torch.var(v.a, 1), py: 'torch.var(a, 1)' },
  { name: 'max({ dim })', ts: (v) => v.a.max({ dim: 1 }), py: 'a.max(dim=1)' },
  { name: 'min({ dim, keepdim })', ts: (v) => torch.min(v.a, { dim: 0, keepdim: true }), py: 'torch.min(a, dim=0, keepdim=True)' },
  { name: 'argmax({ dim })', ts: (v) => v.a.argmax({ dim: 1 }), py: 'a.argmax(dim=1)' },
  { name: 'argmin({ dim, keepdim })', ts: (v) => torch.argmin(v.a, { dim: 0, keepdim: true }), py: 'torch.argmin(a, dim=0, keepdim=True)' },
  { name: 'amax({ dim })', ts: (v) => v.x3.amax({ dim: [1, 2] }), py: 'x3.amax(dim=[1, 2])' },
  { name: 'all({ dim }), any({ dim, keepdim })', ts: (v) => [v.m.all({ dim: 1 }), v.m.any({ dim: 1, keepdim: true })], py: '[m.all(dim=1), m.any(dim=1, keepdim=True)]' },
  { name: 'logsumexp({ dim })', ts: (v) => v.a.logsumexp({ dim: 0 }), py: 'a.logsumexp(dim=0)' },
  { name: 'norm({ p, dim })', ts: (v) => v.a.norm({ p: 1, dim: 1 }), py: 'a.norm(p=1, dim=1)' },
  { name: 'cumsum({ dim })', ts: (v) => v.a.cumsum({ dim: 0 }), py: 'a.cumsum(dim=0)' },
  { name: 'sort({ dim, descending })', ts: (v) => v.a.sort({ dim: 0, descending: true }), py: 'a.sort(dim=0, descending=True)' },
  { name: 'argsort({ descending })', ts: (v) => v.b.argsort({ descending: true }), py: 'b.argsort(descending=True)' },
  { name: 'topk(k, { dim, largest })', ts: (v) => v.a.topk(1, { dim: 0, largest: false }), py: 'a.topk(1, dim=0, largest=False)' },
  { name: 'softmax({ dim })', ts: (v) => v.a.softmax({ dim: 0 }), py: 'a.softmax(dim=0)' },
  { name: 'torch.softmax(x, { dim })', ts: (v) => torch.softmax(v.a, { dim: -1 }), py: 'torch.softmax(a, dim=-1)' },
  { name: 'logSoftmax({ dim })', ts: (v) => v.a.logSoftmax({ dim: 1 }), py: 'a.log_softmax(dim=1)' },
  { name: 'cat(..., { dim })', ts: (v) => torch.cat([v.a, v.c], { dim: 1 }), py: 'torch.cat([a, c], dim=1)' },
  { name: 'stack(..., { dim })', ts: (v) => torch.stack([v.b, v.b], { dim: 1 }), py: 'torch.stack([b, b], dim=1)' },
  { name: 'flatten({ startDim })', ts: (v) => v.x3.flatten({ startDim: 1 }), py: 'x3.flatten(start_dim=1)' },
  { name: 'squeeze({ dim }), unsqueeze({ dim })', ts: (v) => [v.c.squeeze({ dim: 1 }), v.b.unsqueeze({ dim: 1 })], py: '[c.squeeze(dim=1), b.unsqueeze(dim=1)]' },
  { name: 'split(n, { dim }), chunk(n, { dim })', ts: (v) => [...v.a.split(2, { dim: 1 }), ...v.a.chunk(2, { dim: 1 })], py: 'list(a.split(2, dim=1)) + list(a.chunk(2, dim=1))' },
  { name: 'clamp({ min }), clamp({ max })', ts: (v) => [v.a.clamp({ min: 0 }), v.a.clamp({ max: 0 }), torch.clamp(v.a, { min: -1, max: 1 })], py: '[a.clamp(min=0), a.clamp(max=0), torch.clamp(a, min=-1, max=1)]' },
  { name: 'clamp() with no bounds', ts: (v) => v.a.clamp(), py: 'a.clamp()' },
  { name: 'gather and scatter', ts: (v) => [v.a.gather(1, torch.tensor([[0n, 0n], [2n, 1n]])), torch.zeros(2, 3).scatter(1, torch.tensor([[0n], [2n]]), v.c), torch.zeros(2, 3).scatter(1, torch.tensor([[0n], [2n]]), 5, { reduce: 'add' })], py: "[a.gather(1, torch.tensor([[0, 0], [2, 1]])), torch.zeros(2, 3).scatter(1, torch.tensor([[0], [2]]), c), torch.zeros(2, 3).scatter(1, torch.tensor([[0], [2]]), 5, reduce='add')]" },
  { name: 'scatterAdd, indexAdd, indexSelect', ts: (v) => [torch.zeros(2, 3).scatterAdd(1, torch.tensor([[0n, 0n], [2n, 2n]]), v.a.narrow(1, 0, 2)), torch.zeros(2, 3).indexAdd(1, torch.tensor([2n, 0n]), v.a.narrow(1, 0, 2), { alpha: 2 }), v.a.indexSelect(1, torch.tensor([2n, 0n]))], py: '[torch.zeros(2, 3).scatter_add(1, torch.tensor([[0, 0], [2, 2]]), a[:, :2]), torch.zeros(2, 3).index_add(1, torch.tensor([2, 0]), a[:, :2], alpha=2), a.index_select(1, torch.tensor([2, 0]))]' },
  { name: 'unknown option', ts: (v) => v.a.sum({ dims: 1 } as unknown as number), py: 'a.sum(dims=1)' },
  { name: 'an option given twice', ts: (v) => v.a.sum(1, { dim: 0 } as unknown as boolean), py: 'a.sum(1, dim=0)' },
]);

oracleSuite('Python argument forms of functions and the generic operator path', [
  { name: 'cat(tensors, { dim })', ts: (v) => torch.cat([v.a, v.a], { dim: 1 }), py: 'torch.cat([a, a], dim=1)' },
  { name: 'stack(tensors, { dim })', ts: (v) => torch.stack([v.b, v.b], { dim: 1 }), py: 'torch.stack([b, b], dim=1)' },
  { name: 'cat(tensors, dim, { out })', ts: (v) => { const o = torch.empty([0]); return [torch.cat([v.a, v.a], 1, { out: o }) === o, o]; }, py: '[True, torch.cat([a, a], 1)]' },
  { name: 'stack(tensors, { dim, out })', ts: (v) => { const o = torch.empty([0]); torch.stack([v.b, v.b], { dim: 1, out: o }); return o; }, py: 'torch.stack([b, b], dim=1)' },
  { name: 'where(c, x, y, { out })', ts: (v) => { const o = torch.empty([0]); torch.where(v.m, v.a, 0, { out: o }); return o; }, py: 'torch.where(m, a, torch.tensor(0.))' },
  { name: 'cat with an unknown keyword', ts: (v) => torch.cat([v.a], { axes: 1 } as never), py: 'torch.cat([a], axes=1)' },
  { name: 'torch.pow(number, tensor)', ts: (v) => torch.pow(2, v.j), py: 'torch.pow(2, j)' },
  { name: 'torch.add(number, tensor)', ts: (v) => torch.add(1, v.b), py: 'torch.add(1, b)' },
  { name: 'torch.sub(number, tensor, { alpha })', ts: (v) => torch.sub(1, v.j, { alpha: 2 }), py: 'torch.sub(1, j, alpha=2)' },
  { name: 'torch.mul(number, tensor)', ts: (v) => torch.mul(2, v.i32), py: 'torch.mul(2, i32)' },
  { name: 'torch.remainder(number, tensor)', ts: (v) => torch.remainder(5, v.j), py: 'torch.remainder(5, j)' },
  { name: 'torch.div(number, tensor, { roundingMode })', ts: (v) => torch.div(7, v.j, { roundingMode: 'floor' }), py: "torch.div(7, j, rounding_mode='floor')" },
  { name: 'a 0-dim tensor as alpha', ts: (v) => torch.ops.aten.add(v.b, 1, { alpha: torch.tensor(2) }), py: 'b.add(1, alpha=torch.tensor(2.))' },
  { name: 'a 0-dim tensor as a Scalar argument', ts: (v) => v.a.clamp(torch.tensor(0), torch.tensor(1)), py: 'a.clamp(torch.tensor(0.), torch.tensor(1.))' },
  { name: 'ops.aten.add.Tensor', ts: (v) => torch.ops.aten.add.Tensor(v.a, v.b), py: 'torch.ops.aten.add.Tensor(a, b)' },
  { name: 'a 0-dim float tensor as alpha stays a float', ts: (v) => torch.ops.aten.add(v.j, 1, { alpha: torch.tensor(2) }), py: 'j.add(1, alpha=torch.tensor(2.))' },
  { name: 'a 0-dim int tensor as alpha', ts: (v) => torch.ops.aten.add(v.j, 1, { alpha: torch.tensor(2, { dtype: 'int64' }) }), py: 'j.add(1, alpha=torch.tensor(2))' },
  { name: 'an operator lists its schemas and is not thenable', ts: () => [torch.ops.aten.relu.schemas().length > 0, typeof (torch.ops.aten.relu as unknown as { then: unknown }).then], py: "[True, 'undefined']" },
  { name: 'ops.aten.add.Scalar', ts: (v) => torch.ops.aten.add.Scalar(v.j, 2), py: 'torch.ops.aten.add.Scalar(j, 2)' },
  { name: 'ops.aten.relu.default', ts: (v) => torch.ops.aten.relu.default(v.b), py: 'torch.ops.aten.relu.default(b)' },
  { name: 'ops.aten.max with its two out tensors by name', ts: (v) => { const r = torch.ops.aten.max(v.a, 1, false, { max: torch.empty([0]), max_values: torch.empty([0], { dtype: 'int64' }) }) as torch.Tensor[]; return r; }, py: 'list(torch.ops.aten.max(a, 1, False, max=torch.empty(0), max_values=torch.empty(0, dtype=torch.long)))' },
  { name: 'ops.aten.sort with values and indices', ts: (v) => torch.ops.aten.sort(v.a, { values: torch.empty([0]), indices: torch.empty([0], { dtype: 'int64' }) }) as torch.Tensor[], py: 'list(torch.ops.aten.sort(a, values=torch.empty(0), indices=torch.empty(0, dtype=torch.long)))' },
  { name: 'max(dim, { out: [values, indices] }) through ops.aten', ts: (v) => torch.ops.aten.max(v.a, 1, { out: [torch.empty([0]), torch.empty([0], { dtype: 'int64' })] }) as torch.Tensor[], py: 'list(torch.max(a, 1, out=(torch.empty(0), torch.empty(0, dtype=torch.long))))' },
  { name: 'integral numbers above 2^53 stay integers', ts: () => [torch.tensor([2n ** 60n + 256n]).sub(2 ** 60), torch.tensor([2n ** 60n + 256n]).eq(2 ** 60), torch.tensor([1n]).add(2 ** 60)], py: '[torch.tensor([2**60 + 256]).sub(2**60), torch.tensor([2**60 + 256]).eq(2**60), torch.tensor([1]).add(2**60)]' },
]);

oracleSuite('element-wise, in-place and shape methods beyond the everyday set', [
  ...['lgamma', 'digamma', 'erfc', 'deg2rad', 'rad2deg', 'sinc', 'i0', 'sgn', 'asinh', 'arcsin', 'arctan', 'arcsinh', 'fix', 'signbit', 'isneginf', 'isposinf', 'isreal', 'positive', 'fliplr', 'flipud', 'ravel', 'msort', 'diagflat', 'corrcoef', 'cov'].map((name) => ({
    name: `${name}()`,
    ts: (v: Inputs) => (v.a[name as keyof torch.Tensor] as () => torch.Tensor).call(v.a),
    py: `a.${name}()`,
    rtol: 1e-5,
  })),
  ...[['lgamma_', 'lgamma_'], ['erfc_', 'erfc_'], ['sgn_', 'sgn_'], ['deg2rad_', 'deg2rad_'], ['fix_', 'fix_'], ['exp2_', 'exp2_'], ['absolute_', 'absolute_'], ['negative_', 'negative_'], ['logicalNot_', 'logical_not_'], ['t_', 't_']].map(([ts, pyName]) => ({
    name: `${ts}()`,
    ts: (v: Inputs) => { const r = (v.a[ts as keyof torch.Tensor] as () => torch.Tensor).call(v.a); return [r === v.a, v.a]; },
    py: `[True, inplace(a, lambda t: t.${pyName}())]`,
    rtol: 1e-5,
  })),
  { name: 'acosh_ / atanh_', ts: (v) => [v.b.abs().add(1).acosh_(), v.b.div(3).atanh_()], py: '[b.abs().add(1).acosh_(), b.div(3).atanh_()]', rtol: 1e-5 },
  { name: 'copysign, xlogy, fmax, fmin', ts: (v) => [v.a.copysign(v.b), v.a.abs().xlogy(v.b.abs()), v.a.fmax(v.b), v.a.fmin(v.b), v.a.copysign(-1)], py: '[a.copysign(b), a.abs().xlogy(b.abs()), a.fmax(b), a.fmin(b), a.copysign(-1)]' },
  { name: 'heaviside, ldexp, floatPower, nextafter, logaddexp2', ts: (v) => [v.a.heaviside(v.b), v.a.ldexp(v.j), v.a.floatPower(2), v.a.nextafter(v.b), v.a.logaddexp2(v.b)], py: '[a.heaviside(b), a.ldexp(j), a.float_power(2), a.nextafter(b), a.logaddexp2(b)]' },
  { name: 'gcd, lcm, bitwise ops and shifts', ts: (v) => [v.i.gcd(v.j), v.i.lcm(v.j), v.i.bitwiseAnd(v.j), v.i.bitwiseOr(3), v.i.bitwiseXor(v.j), v.i.bitwiseLeftShift(2), v.i.bitwiseRightShift(1), v.m.bitwiseAnd(true)], py: '[i.gcd(j), i.lcm(j), i.bitwise_and(j), i.bitwise_or(3), i.bitwise_xor(j), i.bitwise_left_shift(2), i.bitwise_right_shift(1), m.bitwise_and(True)]' },
  { name: 'in-place binary ops return this', ts: (v) => { const x = v.a.clone(); return [x.remainder_(2) === x, x.fmod_(1.5).clone(), x.clampMin_(0).clone(), x.clampMax_(0.8).clone(), x.lerp_(v.b, 0.5).clone(), x.addcmul_(v.b, v.b, { value: 2 }).clone(), x.addcdiv_(v.b, v.b.add(3)).clone(), x.atan2_(v.b).clone(), x.floorDivide_(0.3).clone(), x.subtract_(v.b, { alpha: 2 }).clone(), x.multiply_(2).clone(), x.divide_(3, { roundingMode: 'trunc' }).clone()]; }, py: '(lambda x: [x.remainder_(2) is x, x.fmod_(1.5).clone(), x.clamp_min_(0).clone(), x.clamp_max_(0.8).clone(), x.lerp_(b, 0.5).clone(), x.addcmul_(b, b, value=2).clone(), x.addcdiv_(b, b + 3).clone(), x.atan2_(b).clone(), x.floor_divide_(0.3).clone(), x.subtract_(b, alpha=2).clone(), x.multiply_(2).clone(), x.divide_(3, rounding_mode="trunc").clone()])(a.clone())' },
  { name: 'in-place comparisons keep the dtype', ts: (v) => [v.a.clone().eq_(v.b), v.a.clone().ne_(0.5), v.a.clone().lt_(v.b), v.a.clone().le_(1), v.a.clone().gt_(v.b), v.a.clone().ge_(1)], py: '[a.clone().eq_(b), a.clone().ne_(0.5), a.clone().lt_(b), a.clone().le_(1), a.clone().gt_(b), a.clone().ge_(1)]' },
  { name: 'in-place logical, bitwise and other ops', ts: (v) => [v.m.clone().logicalAnd_(v.m.logicalNot()), v.m.clone().logicalOr_(v.m), v.m.clone().logicalXor_(v.m), v.i.clone().bitwiseNot_(), v.a.clone().div(0).nanToNum_({ posinf: 9 }), v.a.clone().sigmoid().logit_(), v.a.clone().hypot_(v.a), v.x3.clone().transpose_(0, 2), v.x3.clone().swapaxes_(0, 1), v.a.clone().cumsum_(1), v.a.clone().cumprod_(0)], py: '[m.clone().logical_and_(m.logical_not()), m.clone().logical_or_(m), m.clone().logical_xor_(m), i.clone().bitwise_not_(), a.clone().div(0).nan_to_num_(posinf=9), a.clone().sigmoid().logit_(), a.clone().hypot_(a), x3.clone().transpose_(0, 2), x3.clone().swapaxes_(0, 1), a.clone().cumsum_(1), a.clone().cumprod_(0)]', rtol: 1e-5 },
  { name: 'maskedScatter', ts: (v) => [v.a.maskedScatter(v.m, v.x3.reshape(-1)), v.a.clone().maskedScatter_(v.m, v.b)], py: '[a.masked_scatter(m, x3.reshape(-1)), a.clone().masked_scatter_(m, b)]' },
  { name: 'moveaxis, broadcastTo, tensorSplit', ts: (v) => [v.x3.moveaxis(0, 2), v.b.broadcastTo([2, 3]), v.x3.tensorSplit(3, 2), v.x3.tensorSplit([1, 2], { dim: 1 })], py: '[x3.moveaxis(0, 2), b.broadcast_to([2, 3]), list(x3.tensor_split(3, 2)), list(x3.tensor_split([1, 2], dim=1))]' },
  { name: 'diagEmbed, kron, inner, dist, logcumsumexp', ts: (v) => [v.a.diagEmbed(), v.a.kron(v.c), v.a.inner(v.b), v.a.dist(v.c), v.a.dist(v.c, 1), v.a.logcumsumexp(1)], py: '[a.diag_embed(), a.kron(c), a.inner(b), a.dist(c), a.dist(c, 1), a.logcumsumexp(1)]', rtol: 1e-5 },
  { name: 'cross with its default and a given dim', ts: (v) => [v.a.cross(v.a.flip(0)), v.x3.narrow(2, 0, 3).cross(v.x3.narrow(2, 1, 3), { dim: 2 })], py: '[a.cross(a.flip(0)), x3.narrow(2, 0, 3).cross(x3.narrow(2, 1, 3), dim=2)]', rtol: 1e-5 },
  { name: 'quantile and nanquantile', ts: (v) => [v.a.quantile(0.25), v.a.quantile(0.5, 1, true), v.a.quantile(torch.tensor([0.1, 0.9]), { dim: 0, interpolation: 'nearest' }), v.a.div(v.m).nanquantile(0.5, { dim: 1 })], py: "[a.quantile(0.25), a.quantile(0.5, 1, True), a.quantile(torch.tensor([0.1, 0.9]), dim=0, interpolation='nearest'), a.div(m).nanquantile(0.5, dim=1)]" },
  { name: 'aminmax', ts: (v) => { const r = v.a.aminmax({ dim: 1 }); return [r[0], r.max, v.a.aminmax().min]; }, py: '(lambda r: [r[0], r.max, a.aminmax().min])(a.aminmax(dim=1))' },
]);

oracleSuite('more tensor methods', [
  { name: 'newZeros, newOnes, newFull, newEmpty', ts: (v) => [v.i.newZeros([2]), v.d.newOnes([1, 2]), v.a.newFull([2], 7), v.h.newEmpty([3]).shape], py: '[i.new_zeros([2]), d.new_ones([1, 2]), a.new_full([2], 7), list(h.new_empty([3]).shape)]' },
  { name: 'newTensor keeps dtype', ts: (v) => [v.i.newTensor([1, 2]), v.d.newTensor([0.1])], py: '[i.new_tensor([1, 2]), d.new_tensor([0.1])]' },
  { name: 'newZeros with dtype', ts: (v) => v.a.newZeros([2, 2], { dtype: 'int32' }), py: 'a.new_zeros([2, 2], dtype=torch.int32)' },
  { name: 'triu, tril', ts: (v) => [v.x3.triu(), v.x3.tril(-1), torch.triu(v.a, 1)], py: '[x3.triu(), x3.tril(-1), torch.triu(a, 1)]' },
  { name: 'triu_, tril_', ts: (v) => [v.a.clone().triu_(), v.a.tril_()], py: '[a.clone().triu_(), a.tril_()]' },
  { name: 'diag, diagonal, trace', ts: (v) => [v.b.diag(), v.a.diag(), v.x3.diagonal(0, 1, 2), v.a.trace()], py: '[b.diag(), a.diag(), x3.diagonal(0, 1, 2), a.trace()]' },
  { name: 'addmm, addmv, baddbmm', ts: (v) => [v.c.addmm(v.a, v.a.t(), { beta: 0.5, alpha: 2 }), v.b.narrow(0, 0, 2).addmv(v.a, v.b), v.x3.narrow(2, 0, 3).baddbmm(v.x3, v.x3.transpose(1, 2))], py: '[c.addmm(a, a.t(), beta=0.5, alpha=2), b[:2].addmv(a, b), x3[:, :, :3].baddbmm(x3, x3.transpose(1, 2))]' },
  { name: 'movedim, swapaxes, unfold', ts: (v) => [v.x3.movedim(0, -1), v.x3.swapaxes(0, 1), torch.arange(7).unfold(0, 3, 2)], py: '[x3.movedim(0, -1), x3.swapaxes(0, 1), torch.arange(7).unfold(0, 3, 2)]' },
  { name: 'argwhere, countNonzero', ts: (v) => [v.m.argwhere(), v.m.countNonzero(), v.m.countNonzero(0)], py: '[m.argwhere(), m.count_nonzero(), m.count_nonzero(0)]' },
  { name: 'clampMin, clampMax, diff', ts: (v) => [v.a.clampMin(0), v.a.clampMax(1), v.a.diff(), v.i.diff(1, 0)], py: '[a.clamp_min(0), a.clamp_max(1), a.diff(), i.diff(1, 0)]' },
  { name: 'indexFill, indexCopy, takeAlongDim, take', ts: (v) => [v.a.indexFill(1, torch.tensor([0n, 2n]), -1), torch.zeros(2, 3).indexCopy(1, torch.tensor([2n, 0n]), v.a.narrow(1, 0, 2)), v.a.takeAlongDim(v.a.argsort(1), 1), v.a.take(torch.tensor([5n, 0n]))], py: '[a.index_fill(1, torch.tensor([0, 2]), -1), torch.zeros(2, 3).index_copy(1, torch.tensor([2, 0]), a[:, :2]), a.take_along_dim(a.argsort(1), 1), a.take(torch.tensor([5, 0]))]' },
  { name: 'median', ts: (v) => [v.a.median(), v.a.median(1), torch.median(v.i, { dim: 0 })], py: '[a.median(), a.median(1), torch.median(i, dim=0)]' },
  { name: 'kthvalue, mode, cummax, cummin', ts: (v) => [v.a.kthvalue(2, 1), torch.tensor([1n, 2n, 2n, 3n]).mode(), v.b.cummax(0), v.b.cummin(0)], py: '[a.kthvalue(2, 1), torch.tensor([1, 2, 2, 3]).mode(), b.cummax(0), b.cummin(0)]' },
  { name: 'unique', ts: () => { const x = torch.tensor([3n, 1n, 3n, 2n, 1n]); return [x.unique(), x.unique({ returnInverse: true, returnCounts: true }), x.unique({ returnCounts: true })]; }, py: '[torch.tensor([3, 1, 3, 2, 1]).unique(), list(torch.tensor([3, 1, 3, 2, 1]).unique(return_inverse=True, return_counts=True)), list(torch.tensor([3, 1, 3, 2, 1]).unique(return_counts=True))]' },
  { name: 'unique along a dim', ts: () => torch.unique(torch.tensor([[1n, 2n], [1n, 2n], [0n, 5n]]), { dim: 0 }), py: 'torch.unique(torch.tensor([[1, 2], [1, 2], [0, 5]]), dim=0)' },
  { name: 'bincount, rot90', ts: (v) => [torch.tensor([0n, 2n, 2n, 5n]).bincount(), torch.tensor([0n, 2n]).bincount(torch.tensor([0.5, 1.5])), v.a.rot90()], py: '[torch.tensor([0, 2, 2, 5]).bincount(), torch.tensor([0, 2]).bincount(torch.tensor([0.5, 1.5])), a.rot90()]' },
  { name: 'hypot, logaddexp, logit, exp2', ts: (v) => [v.a.hypot(v.c), v.a.logaddexp(v.c), v.b.div(3).add(0.5).logit(), v.j.exp2()], py: '[a.hypot(c), a.logaddexp(c), (b / 3 + 0.5).logit(), j.exp2()]' },
  { name: 'multinomial method', ts: () => torch.tensor([0, 0, 1]).multinomial(2, { replacement: true }), py: 'torch.tensor([0., 0, 1]).multinomial(2, replacement=True)' },
]);

oracleSuite('type promotion helpers and iteration', [
  { name: 'resultType', ts: (v) => [torch.resultType(v.i, 1.5), torch.resultType(v.i32, v.j), torch.resultType(v.h, 2), torch.resultType(v.m, true), torch.resultType(2, v.u8)], py: '[str(torch.result_type(i, 1.5))[6:], str(torch.result_type(i32, j))[6:], str(torch.result_type(h, 2))[6:], str(torch.result_type(m, True))[6:], str(torch.result_type(2, u8))[6:]]' },
  { name: 'promoteTypes', ts: () => [torch.promoteTypes('int32', 'float16'), torch.promoteTypes(torch.uint8, torch.int8), torch.promoteTypes('bool', 'long')], py: '[str(torch.promote_types(torch.int32, torch.float16))[6:], str(torch.promote_types(torch.uint8, torch.int8))[6:], str(torch.promote_types(torch.bool, torch.long))[6:]]' },
  { name: 'canCast', ts: () => [torch.canCast('float32', 'int32'), torch.canCast('int32', 'float32'), torch.canCast('float64', 'float16')], py: '[torch.can_cast(torch.float32, torch.int32), torch.can_cast(torch.int32, torch.float32), torch.can_cast(torch.float64, torch.float16)]' },
  { name: 'isTensor, numel', ts: (v) => [torch.isTensor(v.a), torch.isTensor([1]), torch.numel(v.x3)], py: '[torch.is_tensor(a), torch.is_tensor([1]), torch.numel(x3)]' },
  { name: 'for (const row of x)', ts: (v) => [...v.a], py: 'list(a)' },
  { name: 'destructuring a tensor', ts: (v) => { const [first, second] = v.b; return [first, second]; }, py: '[b[0], b[1]]' },
  { name: 'iterating a 0-d tensor', ts: () => [...torch.tensor(1)], py: 'list(torch.tensor(1.))' },
]);

describe('tensor data access', function () {
  it('dataSync gives a typed array of the dtype', function () {
    const f = torch.tensor([1.5, -2]).dataSync();
    assert.ok(f instanceof Float32Array);
    assert.deepStrictEqual(Array.from(f as Float32Array), [1.5, -2]);
    const d = torch.tensor([0.1], { dtype: 'float64' }).dataSync();
    assert.ok(d instanceof Float64Array);
    assert.strictEqual(d[0], 0.1);
    const l = torch.tensor([2n ** 62n + 1n, -3n]).dataSync();
    assert.ok(l instanceof BigInt64Array);
    assert.deepStrictEqual(Array.from(l as BigInt64Array), [2n ** 62n + 1n, -3n]);
    assert.ok(torch.arange(3, { dtype: 'int32' }).dataSync() instanceof Int32Array);
    assert.ok(torch.tensor([true, false]).dataSync() instanceof Uint8Array);
    assert.deepStrictEqual(Array.from(torch.tensor([true, false]).dataSync() as Uint8Array), [1, 0]);
    const h = torch.tensor([0.1], { dtype: 'float16' }).dataSync();
    assert.ok(h instanceof Float32Array);
    assert.strictEqual(h[0], 0.0999755859375);
    // a transposed view reads in logical (row-major) order
    assert.deepStrictEqual(Array.from(torch.arange(6, { dtype: 'float32' }).reshape(2, 3).t().dataSync() as Float32Array), [0, 3, 1, 4, 2, 5]);
  });

  it('item() and tolist() refuse int64 values a number cannot hold exactly', function () {
    const safe = 2n ** 53n - 1n;
    assert.strictEqual(torch.tensor([safe]).item(), Number.MAX_SAFE_INTEGER);
    assert.deepStrictEqual(torch.tensor([-safe, 5n]).tolist(), [Number.MIN_SAFE_INTEGER, 5]);
    assert.throws(() => torch.tensor([safe + 2n]).item(), (e: Error) => e instanceof RangeError && /9007199254740993 is beyond JavaScript's exact integers/.test(e.message));
    assert.throws(() => torch.tensor([1n, -(2n ** 60n)]).tolist(), (e: Error) => e instanceof RangeError && /-1152921504606846976 is beyond/.test(e.message));
    assert.strictEqual(torch.tensor([2n ** 60n]).dataSync()[0], 2n ** 60n);
  });

  it('await data() gives the same copy without blocking', async function () {
    const t = torch.arange(6).reshape(2, 3).t();
    const d = await t.data();
    assert.ok(d instanceof BigInt64Array);
    assert.deepStrictEqual(Array.from(d as BigInt64Array), [0n, 3n, 1n, 4n, 2n, 5n]);
    assert.deepStrictEqual(Array.from((await torch.tensor([2.5]).data()) as Float32Array), [2.5]);
  });

  it('changes to dataSync() results do not touch the tensor', function () {
    const t = torch.tensor([1, 2]);
    const d = t.dataSync();
    d[0] = 100;
    assert.deepStrictEqual(t.tolist(), [1, 2]);
  });

  it('copy_ writes into a view of the target', function () {
    const t = torch.zeros(2, 3);
    t.select(0, 1).copy_(torch.tensor([1, 2, 3]));
    assert.deepStrictEqual(t.tolist(), [[0, 0, 0], [1, 2, 3]]);
  });
});

describe('library intermediates are freed at once', function () {
  // Each call must leave exactly the tensors it returns alive: intermediates it made are disposed.
  const cases: [string, () => torch.Tensor | torch.Tensor[]][] = [
    ['tensor() with a dtype', () => torch.tensor([[1, 2], [3, 4]], { dtype: 'int32' })],
    ['tensor() of booleans as float', () => torch.tensor([true, false], { dtype: 'float32' })],
    ['tensor() of a typed array with a dtype', () => torch.tensor(new Int32Array([1, 2]), { dtype: 'float64' })],
    ['tensor() of a tensor', () => torch.tensor(X0, { dtype: 'float64' })],
    ['fromBuffer() with a device', () => torch.fromBuffer(new Float32Array([1, 2]), { dtype: 'float32', device: 'cpu' })],
    ['index() with a list and an ellipsis', () => X0.index([[0, 1], '...', null])],
    ['index() with slices and integers', () => X0.index(['1:', 0])],
    ['index(...)', () => X0.index('...')],
    ['max(dim)', () => [...X0.max(1)]],
    ['unique()', () => X0.unique()],
    ['unique({ returnCounts })', () => X0.unique({ returnCounts: true }) as torch.Tensor[]],
    ['sum({ keepdim })', () => X0.sum({ keepdim: true })],
    ['newTensor()', () => X0.newTensor([1, 2])],
  ];
  const X0 = torch.arange(12, { dtype: 'float32' }).reshape(3, 4);
  for (const [name, f] of cases) {
    it(name, function () {
      const left = tensorCount();
      const out = f();
      const list = Array.isArray(out) ? out : [out];
      assert.strictEqual(left(), list.length);
      for (const t of list) t.dispose();
      assert.strictEqual(left(), 0);
    });
  }
  it('indexPut_() and printing', function () {
    const big = torch.arange(3000, { dtype: 'float32' }).reshape(30, 100);
    const mask = torch.arange(100).lt(3);
    const row = torch.ones(1, 100);
    const left = tensorCount();
    big.indexPut_([[0, 2], '1:4'], 5);
    big.indexPut_([':', mask], 6);
    big.indexPut_([0], row);
    big.indexPut_(['...', 1], 7);
    assert.ok(big.toString().includes('...'));
    assert.strictEqual(left(), 0);
  });
});

describe('bad JavaScript arguments', function () {
  const typeErrors: [string, () => unknown][] = [
    ['tensor() of strings', () => torch.tensor(['a'] as unknown as number[])],
    ['tensor() of objects', () => torch.tensor([{}] as unknown as number[])],
    ['zeros() of a string', () => torch.zeros('2' as unknown as number)],
    ['zeros() of a fraction', () => torch.zeros(1.5)],
    ['an unknown dtype', () => torch.zeros(2, { dtype: 'float128' as 'float32' })],
    ['an unknown device', () => torch.zeros(2).to('gpu')],
    ['add of a string', () => torch.zeros(2).add('1' as unknown as number)],
    ['mul of an array', () => torch.zeros(2).mul([1, 2] as unknown as number)],
    ['cat of a non-array', () => torch.cat(torch.zeros(2) as unknown as torch.Tensor[])],
    ['stack of numbers', () => torch.stack([1, 2] as unknown as torch.Tensor[])],
    ['sum over a fractional dim', () => torch.zeros(2).sum(0.5)],
    ['view of strings', () => torch.zeros(2).view('a' as unknown as number, 'b' as unknown as number)],
    ['requiresGrad of a number', () => { torch.zeros(2).requiresGrad = 1 as unknown as boolean; }],
    ['to() of a number', () => torch.zeros(2).to(5 as unknown as string)],
    ['torch.add of a string', () => torch.add('x' as unknown as torch.Tensor, 2)],
    ['fromBuffer of a string', () => torch.fromBuffer('abc' as unknown as ArrayBuffer, { dtype: 'uint8' })],
  ];
  for (const [name, fn] of typeErrors) {
    it(`throws TypeError: ${name}`, function () {
      assert.throws(fn, TypeError);
    });
  }

  it('names the element of a tensor list that is not a tensor', function () {
    assert.throws(() => torch.cat([torch.ones(2), 1] as unknown as torch.Tensor[]), { name: 'TypeError', message: "cat(): expected Tensor as element 1 in argument 'tensors', but received 1 of type number" });
  });

  it('throws RangeError for bad dims and bad buffers', function () {
    assert.throws(() => torch.ones(2).size(1), /Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)/);
    assert.throws(() => torch.fromBuffer(new Uint8Array(3), { dtype: 'float32' }), (e: Error) => e instanceof RangeError && /multiple of the element size of float32 \(4 bytes\)/.test(e.message));
    assert.throws(() => torch.fromBuffer(new Float32Array(4), { dtype: 'float32', shape: [3] }), RangeError);
  });

  it('raises PyTorch errors as TorchError, never crashing', function () {
    assert.throws(() => torch.ones(2, 3).mm(torch.ones(4, 5)), (e: Error) => e instanceof torch.TorchError && e.message === 'mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)');
    assert.throws(() => torch.ones(2).item(), (e: Error) => e instanceof torch.TorchError && /a Tensor with 2 elements cannot be converted to Scalar/.test(e.message));
  });

  it('throws for a disposed tensor', function () {
    const t = torch.ones(2);
    t.dispose();
    assert.throws(() => t.add(1), /disposed/);
  });
});

describe('integer promotion with the JavaScript scalar fast path', function () {
  before(function () {
    requirePython(this);
  });
  it('matches PyTorch for every dtype and scalar kind', function () {
    const dtypes = ['float32', 'float64', 'float16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool'] as const;
    const scalars = [2, -1.5, true];
    const ref = py(`
out = []
for dt in [torch.float32, torch.float64, torch.float16, torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.bool]:
    x = torch.tensor([1, 0, 3]).to(dt)
    for s in [2, -1.5, True]:
        for op in ['add', 'sub', 'mul', 'div']:
            try:
                out.append(getattr(x, op)(s))
            except Exception as e:
                out.append(type(e).__name__)
emit('out', out)
`);
    const out = ref.out as unknown[];
    let k = 0;
    for (const dt of dtypes) {
      const x = torch.tensor([1, 0, 3]).to(dt);
      for (const s of scalars) {
        for (const op of ['add', 'sub', 'mul', 'div'] as const) {
          const want = out[k++];
          const where = `${dt}.${op}(${s})`;
          if (typeof want === 'string') {
            assert.throws(() => x[op](s), Error, where);
          } else {
            assertClose(x[op](s), want, { atol: 1e-3, rtol: 1e-3 });
          }
        }
      }
    }
  });
});

describe('arithmetic fast paths give PyTorch\'s bits', function () {
  before(function () {
    requirePython(this);
  });
  // Numbers with float32/float64 tensors are made in the tensor's dtype, and ops on tensors outside autograd
  // run below its layer: both must leave every bit as PyTorch computes it, including where a number
  // overflows float32 or is not representable in it.
  const scalars = [2, 2.5, 0.1, 1 / 3, -0, 16777217, 3.4e38, 1e300, -1e-300, 1e-45, NaN, Infinity, -Infinity, 2 ** 53];
  const pyScalars = `[2, 2.5, 0.1, 1/3, -0.0, 16777217, 3.4e38, 1e300, -1e-300, 1e-45, float('nan'), float('inf'), float('-inf'), 2**53]`;
  const hex = (t: torch.Tensor) => Buffer.from(t.dataSync().buffer).toString("hex");

  it('add, sub, mul and div of float32 and float64 tensors with numbers and tensors, with and without grad', function () {
    const ref = py(`
out = []
for dt in [torch.float32, torch.float64]:
    x = torch.tensor([1.5, -0.0, 3e-39, 1e30, 7.0, -2.25]).to(dt)
    y = torch.tensor([0.3, 2.0, -1e-40, 1e10, 0.0, 3.0]).to(dt)
    w = x.clone().requires_grad_()
    for s in ${pyScalars}:
        for op in ['add', 'sub', 'mul', 'div']:
            out.append(getattr(x, op)(s).numpy().tobytes().hex())
            r = getattr(w, op)(s)
            r.backward(torch.ones_like(r))
            out.append(r.detach().numpy().tobytes().hex() + ' ' + w.grad.numpy().tobytes().hex())
            w.grad = None
    for op in ['add', 'sub', 'mul', 'div']:
        out.append(getattr(x, op)(y).numpy().tobytes().hex())
emit('out', out)
`);
    const out = ref.out as string[];
    let k = 0;
    for (const dt of ['float32', 'float64'] as const) {
      const x = torch.tensor([1.5, -0, 3e-39, 1e30, 7, -2.25]).to(dt);
      const y = torch.tensor([0.3, 2, -1e-40, 1e10, 0, 3]).to(dt);
      const w = x.clone().requiresGrad_();
      for (const s of scalars) {
        for (const op of ['add', 'sub', 'mul', 'div'] as const) {
          assert.strictEqual(hex(x[op](s)), out[k++], `${dt} ${op}(${s})`);
          const r = w[op](s);
          r.backward(torch.onesLike(r));
          assert.strictEqual(`${hex(r.detach())} ${hex(w.grad as torch.Tensor)}`, out[k++], `${dt} ${op}(${s}) with grad`);
          w.grad = null;
        }
      }
      for (const op of ['add', 'sub', 'mul', 'div'] as const) assert.strictEqual(hex(x[op](y)), out[k++], `${dt} ${op}(tensor)`);
    }
  });

  // Small float32/float64 tensors of one dtype, row-major, of one shape or with one side 0-dim, are computed without
  // a TensorIterator: every bit, the shape and the strides must be ATen's, and every other layout must still go
  // to ATen (strided, offset, expanded and transposed views, a size-1 dim with an unusual stride, more elements
  // than the small path takes, mixed dtypes). Views carry autograd metadata, which keeps them off the fast path:
  // the operands are detached.
  it('small tensors: the bits, shape and strides of add, sub, mul and div in every layout, against PyTorch', function () {
    // Random bit patterns (NaNs, infinities, subnormals, both zeros among them) shared with Python as bytes.
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const bits = Buffer.alloc(300 * 8);
    for (let i = 0; i < bits.length; i += 4) bits.writeUInt32LE(random(), i);
    const specials = [0, -0, 1, -1, 0.5, NaN, Infinity, -Infinity, 1e-40, -1e-310, 3e38, 1e300];
    const pyNumber = (k: number) => (Object.is(k, -0) ? '-0.0' : Number.isFinite(k) ? String(k) : `float('${k}')`);
    const cases: { name: string; ts: (x: torch.Tensor, y: torch.Tensor) => [torch.Tensor, torch.Tensor | number]; py: string }[] = [];
    for (const shape of [[], [1], [4], [2, 3], [4, 1], [1, 4], [2, 1, 3], [0], [3, 0], [16, 16], [256], [257]]) {
      const n = shape.reduce((p, d) => p * d, 1);
      const s = `[${shape.join(', ')}]`;
      const a = (x: torch.Tensor) => x.narrow(0, 0, n).reshape(shape);
      const b = (y: torch.Tensor) => y.narrow(0, 7, n).reshape(shape);
      const pa = `x[:${n}].reshape(${s})`;
      const pb = `y[7:${7 + n}].reshape(${s})`;
      cases.push({ name: `${s} with ${s}`, ts: (x, y) => [a(x), b(y)], py: `(${pa}, ${pb})` });
      cases.push({ name: `${s} with 0-dim`, ts: (x, y) => [a(x), y.select(0, 3)], py: `(${pa}, y[3])` });
      cases.push({ name: `0-dim with ${s}`, ts: (x, y) => [y.select(0, 5), a(x)], py: `(y[5], ${pa})` });
      for (const k of specials.slice(0, 8)) {
        cases.push({ name: `${s} with ${k}`, ts: (x) => [a(x), k], py: `(${pa}, ${pyNumber(k)})` });
      }
    }
    cases.push(
      { name: 'transposed', ts: (x, y) => [x.narrow(0, 0, 6).reshape([2, 3]).t(), y.narrow(0, 0, 6).reshape([3, 2])], py: '(x[:6].reshape(2, 3).t(), y[:6].reshape(3, 2))' },
      { name: 'both transposed', ts: (x, y) => [x.narrow(0, 0, 6).reshape([2, 3]).t(), y.narrow(0, 0, 6).reshape([2, 3]).t()], py: '(x[:6].reshape(2, 3).t(), y[:6].reshape(2, 3).t())' },
      { name: 'stepped', ts: (x, y) => [x.narrow(0, 0, 8).reshape([4, 2]).select(1, 0), y.narrow(0, 0, 4)], py: '(x[:8:2], y[:4])' },
      { name: 'expanded', ts: (x, y) => [x.narrow(0, 0, 3).expand([2, 3]), y.narrow(0, 0, 6).reshape([2, 3])], py: '(x[:3].expand(2, 3), y[:6].reshape(2, 3))' },
      { name: 'broadcast', ts: (x, y) => [x.narrow(0, 0, 3), y.narrow(0, 0, 6).reshape([2, 3])], py: '(x[:3], y[:6].reshape(2, 3))' },
      { name: 'one element, not 0-dim', ts: (x, y) => [x.narrow(0, 0, 4), y.narrow(0, 0, 1)], py: '(x[:4], y[:1])' },
      { name: 'size-1 dim with an unusual stride, with 0-dim', ts: (x, y) => [x.narrow(0, 0, 4).reshape([1, 4]).t(), y.select(0, 0)], py: '(x[:4].reshape(1, 4).t(), y[0])' },
      { name: 'size-1 dims with unusual strides', ts: (x, y) => [x.narrow(0, 0, 4).reshape([1, 4]).t(), y.narrow(0, 0, 4).reshape([1, 4]).t()], py: '(x[:4].reshape(1, 4).t(), y[:4].reshape(1, 4).t())' },
      { name: 'a transposed clone (its strides kept)', ts: (x, y) => [x.narrow(0, 0, 6).reshape([2, 3]).t().clone(), y.narrow(0, 0, 6).reshape([3, 2])], py: '(x[:6].reshape(2, 3).t().clone(), y[:6].reshape(3, 2))' },
      { name: 'float64 0-dim with float32', ts: (x, y) => [x.narrow(0, 0, 4).float(), y.select(0, 1)], py: '(x[:4].float(), y[1])' },
      { name: 'float32 with float64', ts: (x, y) => [x.narrow(0, 0, 4).float(), y.narrow(0, 0, 4)], py: '(x[:4].float(), y[:4])' },
    );
    const hexOf = bits.toString('hex');
    const ref = py(`
out = []
raw = bytes.fromhex('${hexOf}')
for dt, size in [(torch.float32, 4), (torch.float64, 8)]:
    x = torch.frombuffer(bytearray(raw[:300 * size]), dtype=dt).clone()
    y = torch.frombuffer(bytearray(raw[-300 * size:]), dtype=dt).clone()
    x[:${specials.length}] = torch.tensor([${specials.map(pyNumber).join(', ')}], dtype=dt)
    for a, b in [${cases.map((c) => c.py).join(', ')}]:
        for op in ['add', 'sub', 'mul', 'div']:
            r = getattr(torch, op)(a, b)
            out.append([r.contiguous().numpy().tobytes().hex(), list(r.shape), list(r.stride()), str(r.dtype).replace('torch.', '')])
emit('out', out)
`).out as [string, number[], number[], string][];
    let k = 0;
    for (const [dtype, size] of [['float32', 4], ['float64', 8]] as const) {
      const x = torch.fromBuffer(bits.subarray(0, 300 * size), { dtype }).clone();
      const y = torch.fromBuffer(bits.subarray(bits.length - 300 * size), { dtype }).clone();
      x.narrow(0, 0, specials.length).copy_(torch.tensor(specials, { dtype }));
      for (const c of cases) {
        const [a, b] = c.ts(x, y);
        for (const op of ['add', 'sub', 'mul', 'div'] as const) {
          const r = a.detach()[op](typeof b === 'number' ? b : b.detach());
          const [hexPy, shape, stride, dt] = ref[k++];
          const what = `${dtype} ${c.name}: ${op}`;
          assert.strictEqual(hex(r.contiguous()), hexPy, what);
          assert.deepStrictEqual([r.shape, r.stride(), r.dtype], [shape, stride, dt], what);
        }
      }
    }
    assert.strictEqual(k, ref.length);
  });

  // The same path against ATen's own kernels through the dispatcher (`torch.ops.aten`), on random shapes, bit
  // patterns and operands. Which NaN comes out of two NaN operands is the instruction's choice, and ATen's own
  // kernels differ in it between their vector and scalar loops: a NaN only has to be a NaN.
  it('small tensors: random shapes, bits and operands give what ATen\'s kernels give through the dispatcher', function () {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    const specials = [0, -0, NaN, Infinity, -Infinity, 1e-45, 1e-310, 3.4e38, 1e300, 0.1, 1 / 3, -2.5, 16777217, 2 ** 53];
    const randomTensor = (shape: number[], dtype: 'float32' | 'float64') => {
      const n = shape.reduce((p, d) => p * d, 1);
      const words = new Uint32Array(n * (dtype === 'float32' ? 1 : 2)).map(() => random() * 2 ** 32);
      const t = torch.fromBuffer(words, { dtype, shape });
      if (n > 0 && random() < 0.5) t.view(-1).narrow(0, 0, 1).copy_(torch.tensor([pick(specials)], { dtype }));
      return t;
    };
    const same = (r: torch.Tensor, ref: torch.Tensor) => {
      if (JSON.stringify([r.shape, r.stride(), r.dtype]) !== JSON.stringify([ref.shape, ref.stride(), ref.dtype])) return false;
      const [x, y] = [r.dataSync(), ref.dataSync()];
      return x.every((v, i) => Object.is(v, y[i]) || (Number.isNaN(v) && Number.isNaN(y[i] as number)));
    };
    let checked = 0;
    for (let i = 0; i < 3000; i++) {
      const dtype = pick(['float32', 'float64'] as const);
      const shape = Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * 7));
      const a = randomTensor(shape, dtype);
      const kind = random();
      const b = kind < 0.4 ? randomTensor(shape, dtype) : kind < 0.7 ? randomTensor([], dtype) : pick(specials) * pick([1, -1]);
      const [x, y] = typeof b !== 'number' && random() < 0.3 ? [b, a] : [a, b];
      for (const op of ['add', 'sub', 'mul', 'div'] as const) {
        torch.tidy(() => {
          const r = x[op](y);
          const ref = torch.ops.aten[op](x, typeof y === 'number' ? torch.tensor(y, { dtype }) : y) as torch.Tensor;
          assert.ok(same(r, ref), `${dtype} ${JSON.stringify(x.shape)} ${op} ${typeof y === 'number' ? y : JSON.stringify(y.shape)}`);
        });
        checked++;
      }
    }
    assert.strictEqual(checked, 12000);
  });

  // The last few numbers are kept as wrapped-number tensors and shared by later ops (and by the graphs that save
  // them): a shared one must behave exactly as a new one would.
  it('numbers shared between ops keep their dtype, value and sign, and no result or in-place op changes them', function () {
    const x32 = torch.tensor([1, 3], { dtype: 'float32' });
    const x64 = torch.tensor([1, 3], { dtype: 'float64' });
    assert.deepStrictEqual(x32.mul(0.1).tolist(), [Math.fround(0.1), Math.fround(3 * Math.fround(0.1))]);
    assert.deepStrictEqual(x64.mul(0.1).tolist(), [0.1, 3 * 0.1], 'float64 gets the double, not the float32 kept before');
    assert.ok(Object.is((x64.mul(0).tolist() as number[])[0], 0));
    assert.ok(Object.is((x64.mul(-0).tolist() as number[])[0], -0), '-0 is not the 0 kept before');
    const i = torch.tensor([1, 2], { dtype: 'int64' });
    assert.strictEqual(i.mul(2).dtype, torch.int64);
    const f = i.mul(2.5);
    assert.strictEqual(f.dtype, torch.float32);
    assert.deepStrictEqual(f.tolist(), [2.5, 5]);
    assert.strictEqual(i.mul(2).dtype, torch.int64, 'the int 2 and the float 2.5 are different numbers');
    const b = torch.tensor([true, false]);
    assert.deepStrictEqual(b.add(true).tolist(), [true, true]);
    assert.strictEqual(b.mul(1).dtype, torch.int64);

    const w = torch.tensor([1, 3], { requiresGrad: true });
    const saved = [w.mul(2), w.mul(2), w.div(2)];
    const r = x32.mul(2);
    r.mul_(5).add_(1);
    x32.add_(2);
    assert.deepStrictEqual(r.tolist(), [11, 31]);
    assert.deepStrictEqual(x32.mul(2).tolist(), [6, 10], 'in-place ops on results and operands leave the number alone');
    const grads = saved.map((y) => {
      y.sum().backward();
      const g = (w.grad as torch.Tensor).tolist();
      w.grad = null;
      return g;
    });
    assert.deepStrictEqual(grads, [[2, 2], [2, 2], [0.5, 0.5]]);
  });
});
