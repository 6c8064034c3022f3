// torch.autograd.detect_anomaly / set_detect_anomaly through LibTorch's AnomalyMode: a backward function that
// returns NaN raises PyTorch's own error naming it; the mode nests, restores, and is checked against Python.
import * as assert from 'assert';
import * as torch from '../lib';
import { py, requirePython } from './helpers/python';

function backwardError(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof torch.TorchError, `expected a TorchError, got ${String(e)}`);
    return e.message;
  }
  return '';
}

describe('autograd anomaly detection', function () {
  before(function () {
    requirePython(this);
  });
  afterEach(function () {
    torch.autograd.setDetectAnomaly(false);
  });

  it('names the backward function that returned NaN, as PyTorch does', function () {
    const ref = py(`
def sqrt0():
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    (x.sqrt() * 0).sum().backward()
def div00():
    a = torch.tensor([0.0, 1.0], requires_grad=True)
    b = torch.tensor([0.0, 2.0], requires_grad=True)
    (a / b).sum().backward()
with torch.autograd.detect_anomaly():
    emit('sqrt', err(sqrt0)); emit('div', err(div00))
emit('off', err(sqrt0))
with torch.autograd.detect_anomaly(check_nan=False):
    emit('nocheck', err(sqrt0))
x = torch.tensor([0.0, 1.0], requires_grad=True)
(x.sqrt() * 0).sum().backward()
emit('grad_off', [None if v != v else v for v in x.grad.tolist()])
`);
    const sqrt0 = () => {
      const x = torch.tensor([0, 1], { requiresGrad: true });
      x.sqrt().mul(0).sum().backward();
      return x;
    };
    const div00 = () => {
      const a = torch.tensor([0, 1], { requiresGrad: true });
      const b = torch.tensor([0, 2], { requiresGrad: true });
      a.div(b).sum().backward();
    };
    torch.autograd.detectAnomaly(() => {
      assert.strictEqual(backwardError(sqrt0), ref.sqrt);
      assert.strictEqual(backwardError(div00), ref.div);
    });
    assert.strictEqual(ref.sqrt, "Function 'SqrtBackward0' returned nan values in its 0th output.");
    assert.strictEqual(ref.div, "Function 'DivBackward0' returned nan values in its 1th output.");
    // Off (the default) and with checkNan false, backward runs through and the gradient holds the NaN.
    assert.strictEqual(backwardError(sqrt0), ref.off);
    torch.autograd.detectAnomaly(() => assert.strictEqual(backwardError(sqrt0), ref.nocheck), { checkNan: false });
    const g = (sqrt0().grad as torch.Tensor).tolist() as number[];
    assert.deepStrictEqual(g.map((v) => (Number.isNaN(v) ? null : v)), ref.grad_off);
  });

  it('reports the NaN of a layer in a model, and training goes on after the mode is restored', function () {
    const lin = new torch.nn.Linear(3, 1);
    const x = torch.tensor([[1, 2, 3]]);
    const msg = torch.autograd.detectAnomaly(() =>
      backwardError(() => lin.forward(x).sub(1e9).relu().add(-1).sqrt().sum().backward()),
    );
    assert.match(msg, /^Function 'SqrtBackward0' returned nan values in its 0th output\.$/);
    lin.zeroGrad();
    lin.forward(x).sum().backward();
    assert.deepStrictEqual((lin.weight.grad as torch.Tensor).tolist(), [[1, 2, 3]]);
  });

  it('setDetectAnomaly / isAnomalyEnabled / isAnomalyCheckNanEnabled, nesting and restore on throw', function () {
    assert.strictEqual(torch.autograd.isAnomalyEnabled(), false);
    torch.autograd.setDetectAnomaly(true);
    assert.strictEqual(torch.autograd.isAnomalyEnabled(), true);
    assert.strictEqual(torch.autograd.isAnomalyCheckNanEnabled(), true);
    torch.autograd.setDetectAnomaly(true, false);
    assert.strictEqual(torch.autograd.isAnomalyCheckNanEnabled(), false);
    torch.autograd.setDetectAnomaly(false);
    assert.throws(
      () =>
        torch.autograd.detectAnomaly(() => {
          assert.strictEqual(torch.autograd.isAnomalyEnabled(), true);
          torch.autograd.detectAnomaly(() => assert.strictEqual(torch.autograd.isAnomalyCheckNanEnabled(), false), { checkNan: false });
          assert.strictEqual(torch.autograd.isAnomalyCheckNanEnabled(), true);
          throw new Error('inside');
        }),
      /inside/,
    );
    assert.strictEqual(torch.autograd.isAnomalyEnabled(), false);
    assert.strictEqual(torch.autograd.detectAnomaly(() => 42), 42);
  });

  it('rejects bad arguments with TypeError', function () {
    assert.throws(() => torch.autograd.setDetectAnomaly(1 as unknown as boolean), TypeError);
    assert.throws(() => torch.autograd.setDetectAnomaly(true, 'yes' as unknown as boolean), TypeError);
    assert.throws(() => torch.autograd.detectAnomaly(undefined as unknown as () => void), TypeError);
    assert.throws(() => torch.autograd.detectAnomaly(() => 1, { checkNan: null as unknown as boolean }), TypeError);
    assert.strictEqual(torch.autograd.isAnomalyEnabled(), false);
  });
});
