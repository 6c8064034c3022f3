// Gradient clipping and parameter vectors (torch.nn.utils) against PyTorch.
import * as assert from 'assert';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { clipGradNorm_, clipGradValue_ } from '../lib/nn/utils/clip_grad';
import { parametersToVector, vectorToParameters } from '../lib/nn/utils/convert_parameters';
import { py, requirePython, assertClose } from './helpers/python';

const W = [[0.5, -1.5, 2.0], [1.0, 0.25, -3.0]];
const B = [0.1, -0.2];
const X = [[1.0, 2.0, -1.0], [0.5, -0.5, 3.0], [2.0, 1.0, 0.0], [-1.0, 0.5, 1.5]];

function setup(): { w: Tensor; b: Tensor; frozen: Tensor } {
  const w = torch.tensor(W, { requiresGrad: true });
  const b = torch.tensor(B, { requiresGrad: true });
  const frozen = torch.tensor([1.0, 2.0], { requiresGrad: true });
  torch.tensor(X).matmul(w.t()).add(b).pow(3).sum().backward();
  return { w, b, frozen };
}

describe('nn.utils: gradient clipping and parameter vectors', function () {
  let ref: Record<string, unknown>;

  before(function () {
    requirePython(this);
    ref = py(`
from torch.nn.utils import clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters
def setup():
    w = torch.tensor(${JSON.stringify(W)}, requires_grad=True)
    b = torch.tensor(${JSON.stringify(B)}, requires_grad=True)
    frozen = torch.tensor([1.0, 2.0], requires_grad=True)
    (torch.tensor(${JSON.stringify(X)}) @ w.t() + b).pow(3).sum().backward()
    return w, b, frozen
for name, max_norm, norm_type in [('l2', 5.0, 2.0), ('l1', 10.0, 1.0), ('inf', 3.0, float('inf')), ('p3', 4.0, 3.0), ('big', 1e6, 2.0)]:
    w, b, frozen = setup()
    total = clip_grad_norm_([w, b, frozen], max_norm, norm_type)
    emit(name, [total, w.grad, b.grad])
w, b, frozen = setup()
clip_grad_value_([w, b, frozen], 7.5)
emit('value', [w.grad, b.grad])
w = torch.tensor(${JSON.stringify(W)}, requires_grad=True)
b = torch.tensor(${JSON.stringify(B)}, requires_grad=True)
v = parameters_to_vector([w, b])
(v * torch.arange(8.)).sum().backward()
emit('vec', [v, w.grad, b.grad])
`);
  });

  for (const [name, maxNorm, normType] of [['l2', 5, 2], ['l1', 10, 1], ['inf', 3, Infinity], ['p3', 4, 3], ['big', 1e6, 2]] as [string, number, number][]) {
    it(`clipGradNorm_ with norm ${normType} (maxNorm ${maxNorm}) scales like PyTorch and returns the total norm`, function () {
      const { w, b, frozen } = setup();
      const total = clipGradNorm_([w, b, frozen], maxNorm, { normType });
      const [t, gw, gb] = ref[name] as unknown[];
      assertClose(total, t);
      assertClose(w.grad as Tensor, gw);
      assertClose(b.grad as Tensor, gb);
      assert.strictEqual(frozen.grad, null);
    });
  }

  it("clipGradNorm_ accepts 'inf', a single tensor and generators; no grads gives 0", function () {
    const { w, b } = setup();
    function* params() {
      yield w;
      yield b;
    }
    const total = clipGradNorm_(params(), 3, { normType: 'inf' });
    assertClose(total, (ref.inf as unknown[])[0]);
    const lone = torch.tensor([3, 4], { requiresGrad: true });
    lone.mul(torch.tensor([1, 1])).sum().backward();
    assert.strictEqual(clipGradNorm_(lone, 1).item(), Math.fround(Math.SQRT2));
    assert.strictEqual(clipGradNorm_([torch.zeros([2], { requiresGrad: true })], 1).item(), 0);
  });

  it('clipGradNorm_ with errorIfNonfinite throws on a NaN norm and otherwise scales by it', function () {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    w.mul(torch.tensor([NaN, 1])).sum().backward();
    assert.throws(() => clipGradNorm_([w], 1, { errorIfNonfinite: true }), (e: Error) => e instanceof torch.TorchError && /The total norm of order 2\.0 for gradients from `parameters` is non-finite/.test(e.message));
    assert.ok(Number.isNaN(clipGradNorm_([w], 1).item()));
    assert.throws(() => clipGradNorm_([w], 'a' as unknown as number), TypeError);
    assert.throws(() => clipGradNorm_(3 as unknown as Tensor[], 1), TypeError);
  });

  it('clipGradValue_ clamps every gradient', function () {
    const { w, b, frozen } = setup();
    clipGradValue_([w, b, frozen], 7.5);
    const [gw, gb] = ref.value as unknown[];
    assertClose(w.grad as Tensor, gw);
    assertClose(b.grad as Tensor, gb);
    assert.strictEqual(frozen.grad, null);
  });

  it('parametersToVector concatenates (with autograd) and vectorToParameters shares the vector', function () {
    const w = torch.tensor(W, { requiresGrad: true });
    const b = torch.tensor(B, { requiresGrad: true });
    const v = parametersToVector([w, b]);
    v.mul(torch.arange(8)).sum().backward();
    const [rv, gw, gb] = ref.vec as unknown[];
    assertClose(v, rv);
    assertClose(w.grad as Tensor, gw);
    assertClose(b.grad as Tensor, gb);

    const vec = torch.arange(8, { dtype: 'float32' });
    vectorToParameters(vec, [w, b]);
    assert.deepStrictEqual(w.tolist(), [[0, 1, 2], [3, 4, 5]]);
    assert.deepStrictEqual(b.tolist(), [6, 7]);
    assert.strictEqual(w.requiresGrad, true);
    torch.noGrad(() => vec.fill_(1));
    assert.deepStrictEqual(b.tolist(), [1, 1], 'the parameters share the vector');
    assert.throws(() => vectorToParameters([1, 2] as unknown as Tensor, [w]), { name: 'TypeError', message: /expected torch.Tensor/ });
  });
});
