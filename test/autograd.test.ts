import * as assert from 'assert';
import * as torch from '../lib';
import { py, requirePython, assertClose } from './helpers/python';

// The gradient of `t` (a function, so that TypeScript does not narrow `t.grad` after `t.grad = null`).
const gradOf = (t: torch.Tensor): torch.Tensor => t.grad as torch.Tensor;

describe('autograd', function () {
  before(function () {
    requirePython(this);
  });

  it('gives PyTorch gradients through a small graph', function () {
    const ref = py(`
w = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
x = torch.tensor([[1.0, 2.0], [3.0, -4.0], [0.5, 0.1]])
y = (w.mm(x).tanh() * 3).pow(2).mean()
y.backward()
emit('y', y); emit('gw', w.grad); emit('fn', y.grad_fn.name())
`);
    const w = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], { requiresGrad: true });
    const x = torch.tensor([[1.0, 2.0], [3.0, -4.0], [0.5, 0.1]]);
    const y = w.mm(x).tanh().mul(3).pow(2).mean();
    y.backward();
    assertClose(y, ref.y);
    assertClose(w.grad as torch.Tensor, ref.gw);
    assert.strictEqual(y.gradFn?.name(), ref.fn);
  });

  it('accumulates, retains and computes grads like PyTorch', function () {
    const w = torch.tensor([1, 2, 3], { requiresGrad: true });
    const h = w.mul(2);
    h.retainGrad();
    const y = h.sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    assert.deepStrictEqual(w.grad?.tolist(), [4, 4, 4]);
    assert.deepStrictEqual(h.grad?.tolist(), [2, 2, 2]);
    assert.strictEqual(w.isLeaf, true);
    assert.strictEqual(h.isLeaf, false);
    w.grad = null;
    assert.strictEqual(w.grad, null);
    const [g] = torch.autograd.grad(w.pow(3).sum(), [w], { createGraph: true });
    assert.deepStrictEqual(g?.tolist(), [3, 12, 27]);
    assert.ok(g?.requiresGrad);
  });

  it('does not record under noGrad and restores the mode', function () {
    const w = torch.ones([2], { requiresGrad: true });
    const y = torch.noGrad(() => w.mul(2));
    assert.strictEqual(y.requiresGrad, false);
    assert.strictEqual(torch.isGradEnabled(), true);
    const z = torch.noGrad(() => torch.enableGrad(() => w.mul(2)));
    assert.strictEqual(z.requiresGrad, true);
    assert.throws(() => torch.noGrad(() => { throw new Error('boom'); }), /boom/);
    assert.strictEqual(torch.isGradEnabled(), true);
  });

  it('raises PyTorch errors for a second backward and for ints requiring grad', function () {
    const w = torch.ones([2], { requiresGrad: true });
    const y = w.exp().sum();
    y.backward();
    assert.throws(() => y.backward(), (e: Error) => e instanceof torch.TorchError && /backward through the graph a second time/.test(e.message));
    assert.throws(() => { torch.arange(3).requiresGrad = true; }, (e: Error) => e instanceof torch.TorchError && /floating point/.test(e.message));
  });

  it('checks gradients and requiresGrad as PyTorch does, with its messages', function () {
    const ref = py(`
a = torch.ones(2, requires_grad=True)
y = torch.ones(2, requires_grad=True).mul(2)
i = torch.ones(2, dtype=torch.long)
def setattr_(t, k, v): setattr(t, k, v)
emit('m', [
  err(lambda: a.sum().backward(torch.ones(5))),
  err(lambda: a.mul(2).backward(torch.ones(3, 2))),
  err(lambda: a.mul(2).backward(torch.ones(1))),
  err(lambda: a.mul(2).backward(torch.ones(2, dtype=torch.complex64))),
  err(lambda: a.mul(2).backward(torch.ones(2), inputs=[])),
  err(lambda: setattr_(y, 'requires_grad', False)),
  err(lambda: setattr_(y, 'requires_grad', True)),
  err(lambda: y.requires_grad_(False)),
  err(lambda: setattr_(i, 'requires_grad', True)),
  err(lambda: i.requires_grad_()),
  err(lambda: setattr_(a, 'grad', a)),
  err(lambda: setattr_(a, 'grad', torch.ones(3, dtype=torch.float64))),
  err(lambda: setattr_(a, 'grad', torch.ones(3))),
])
`);
    const m = ref.m as string[];
    const a = torch.ones([2], { requiresGrad: true });
    const y = torch.ones([2], { requiresGrad: true }).mul(2);
    const i = torch.ones([2], { dtype: 'int64' });
    const cases: (() => unknown)[] = [
      () => a.sum().backward(torch.ones([5])),
      () => a.mul(2).backward(torch.ones([3, 2])),
      () => a.mul(2).backward(torch.ones([1])),
      () => a.mul(2).backward(torch.ones([2], { dtype: 'complex64' })),
      () => a.mul(2).backward(torch.ones([2]), { inputs: [] }),
      () => { y.requiresGrad = false; },
      () => { y.requiresGrad = true; },
      () => y.requiresGrad_(false),
      () => { i.requiresGrad = true; },
      () => i.requiresGrad_(),
      () => { a.grad = a; },
      () => { a.grad = torch.ones([3], { dtype: 'float64' }); },
      () => { a.grad = torch.ones([3]); },
    ];
    assert.strictEqual(cases.length, m.length);
    cases.forEach((f, k) => {
      assert.ok(m[k].length > 0, `case ${k} raises in PyTorch`);
      assert.throws(f, (e: Error) => e instanceof torch.TorchError && e.message === m[k], `case ${k}: ${m[k]}`);
    });
    // Nothing was accumulated by the rejected calls; requires_grad_(True) is allowed on a computed tensor.
    assert.strictEqual(a.grad, null);
    assert.strictEqual(y.requiresGrad_(true).requiresGrad, true);
    assert.throws(() => a.sum().backward(5 as never), TypeError);
    // a gradient count that differs from the outputs' is the engine's own error
    assert.throws(() => torch.autograd.backward([a.sum(), a.sum()], [torch.tensor(1)]), (e: Error) => e instanceof torch.TorchError && /got 2 tensors and 1 gradients/.test(e.message));
    // (Python's own message for a later output fails while it looks the gradient up with list.index.)
    assert.throws(() => torch.autograd.grad([a.mul(2), a.sum()], a, [torch.ones([2]), torch.ones([3])]),
      (e: Error) => e instanceof torch.TorchError && e.message === 'Mismatch in shape: grad_output[1] has a shape of torch.Size([3]) and output[1] has a shape of torch.Size([]).');
  });

  it('takes backward and grad arguments by position or by keyword, as Python does', function () {
    const ref = py(`
w = torch.tensor([1., 2., 3.], requires_grad=True)
y = (w * w).sum()
y.backward(retain_graph=True); y.backward()
emit('g1', w.grad.clone())
w.grad = None
torch.autograd.backward(w * 3, grad_tensors=torch.tensor([1., 0., 2.]))
emit('g2', w.grad.clone())
w.grad = None
v = torch.tensor([4., 5., 6.], requires_grad=True)
torch.autograd.backward((w * v).sum(), inputs=w)
emit('g3', w.grad.clone()); emit('v3', v.grad)
emit('g4', torch.autograd.grad(w * 2, w, torch.tensor([1., 2., 3.]))[0])
emit('g5', torch.autograd.grad(w.pow(3), w, grad_outputs=torch.ones(3), create_graph=True)[0])
`);
    const w = torch.tensor([1, 2, 3], { requiresGrad: true });
    const y = w.mul(w).sum();
    y.backward({ retainGraph: true });
    y.backward();
    assertClose(gradOf(w), ref.g1);
    w.grad = null;
    torch.autograd.backward(w.mul(3), { gradTensors: torch.tensor([1, 0, 2]) });
    assertClose(gradOf(w), ref.g2);
    w.grad = null;
    const v = torch.tensor([4, 5, 6], { requiresGrad: true });
    torch.autograd.backward(w.mul(v).sum(), { inputs: w });
    assertClose(gradOf(w), ref.g3);
    assert.strictEqual(v.grad, ref.v3);
    const [g4] = torch.autograd.grad(w.mul(2), w, torch.tensor([1, 2, 3]));
    assertClose(g4 as torch.Tensor, ref.g4);
    const [g5] = torch.autograd.grad(w.pow(3), w, { gradOutputs: torch.ones([3]), createGraph: true });
    assertClose(g5 as torch.Tensor, ref.g5);
    assert.ok(g5?.requiresGrad);
    w.grad = null;
    w.mul(2).sum().backward({ gradient: torch.tensor(1.5) });
    assert.deepStrictEqual(gradOf(w).tolist(), [3, 3, 3]);
    assert.throws(() => y.backward({ retain_graph: true } as never), /unexpected keyword argument 'retain_graph' \(did you mean 'retainGraph'\?\)/);
    assert.throws(() => y.backward(torch.tensor(1), { gradient: torch.tensor(1) } as never), /got multiple values for argument 'gradient'/);
  });

  it('names the backward node of ops with a number operand as PyTorch does', function () {
    const ref = py(`
x = torch.ones(2, requires_grad=True)
emit('names', [type(t.grad_fn).__name__ for t in [x.mul(1).add_(1), x.mul(1).sub_(1), x.mul(1).mul_(2), x.mul(1).div_(2),
  x.add(1, alpha=2), x.mul(True), x.div(2, rounding_mode='floor'), x.mul(1).div_(2, rounding_mode='trunc'), x.remainder(2), x.clamp(0, 1)]])
`);
    const x = torch.ones([2], { requiresGrad: true });
    const got = [x.mul(1).add_(1), x.mul(1).sub_(1), x.mul(1).mul_(2), x.mul(1).div_(2), x.add(1, { alpha: 2 }), x.mul(true),
      x.div(2, { roundingMode: 'floor' }), x.mul(1).div_(2, { roundingMode: 'trunc' }), x.remainder(2), x.clamp(0, 1)].map((t) => t.gradFn?.name());
    assert.deepStrictEqual(got, ref.names);
  });

  it('keeps noGrad and enableGrad on until an async body settles', async function () {
    const w = torch.ones([2], { requiresGrad: true });
    const seen = await torch.noGrad(async () => {
      const before = w.mul(2).requiresGrad;
      await new Promise(setImmediate);
      const after = w.mul(2).requiresGrad;
      const inner = torch.enableGrad(() => w.mul(2).requiresGrad);
      return [before, after, inner, torch.isGradEnabled()];
    });
    assert.deepStrictEqual(seen, [false, false, true, false]);
    assert.strictEqual(torch.isGradEnabled(), true);
    await assert.rejects(torch.noGrad(async () => { await null; throw new Error('boom'); }), /boom/);
    assert.strictEqual(torch.isGradEnabled(), true);
  });
});
