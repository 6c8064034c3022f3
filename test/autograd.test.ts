import * as assert from 'assert';
import * as torch from '../lib';
import { py, requirePython, assertClose } from './helpers/python';

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
});
