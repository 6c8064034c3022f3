// A small CNN with BatchNorm and Dropout written both in Python and with torch-node's modules: the Python
// state_dict loads into the TypeScript model, the keys are the same and in the same order, and both models give
// the same outputs, gradients and running statistics, in eval and in train mode.
import * as assert from 'assert';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { py, requirePython, assertClose, PyTensor } from './helpers/python';

function fromPy(v: unknown): Tensor {
  const e = v as PyTensor;
  const t = e.dtype === 'int64' ? torch.tensor(BigInt64Array.from(e.data.map((x) => BigInt(Number(x))))) : torch.tensor(Float32Array.from(e.data.map(Number)));
  return t.reshape(e.shape);
}

class SmallCNN extends nn.Module {
  features: nn.Sequential;
  classifier: nn.Sequential;
  constructor(numClasses = 10) {
    super();
    this.features = new nn.Sequential(
      new nn.Conv2d(3, 8, 3, { padding: 1, bias: false }), new nn.BatchNorm2d(8), new nn.ReLU(true), new nn.MaxPool2d(2),
      new nn.Conv2d(8, 16, 3, { padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(true), new nn.AdaptiveAvgPool2d([2, 2]),
    );
    this.classifier = new nn.Sequential(new nn.Flatten(), new nn.Dropout(0.5), new nn.Linear(64, 32), new nn.ReLU(), new nn.Dropout(0.3), new nn.Linear(32, numClasses));
  }
  override forward(x: Tensor): Tensor {
    return this.classifier.forward(this.features.forward(x));
  }
}

const PY = `
import torch.nn as nn
class SmallCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d((2, 2)))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(64, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, num_classes))
    def forward(self, x):
        return self.classifier(self.features(x))
torch.manual_seed(3)
m = SmallCNN()
for _ in range(2):
    m(torch.randn(4, 3, 12, 12))
state = {k: v.clone() for k, v in m.state_dict().items()}
emit('keys', list(state.keys()))
emit('state', state)
emit('repr', str(m))
x = torch.randn(5, 3, 12, 12)
emit('x', x)
m.eval()
with torch.no_grad():
    emit('eval', m(x))
m.train()
torch.manual_seed(11)
xg = x.clone().requires_grad_()
out = m(xg)
emit('train', out)
loss = nn.CrossEntropyLoss()(out, torch.tensor([1, 0, 4, 9, 2]))
loss.backward()
emit('loss', loss)
emit('xgrad', xg.grad)
emit('grads', {k: p.grad for k, p in m.named_parameters()})
emit('after', {k: v for k, v in m.state_dict().items()})
`;

describe('nn: a CNN defined in Python and in TypeScript', function () {
  let ref: Record<string, unknown>;
  before(function () {
    requirePython(this);
    ref = py(PY);
  });

  it('has the same state dict keys, in the same order, and prints the same', function () {
    const m = new SmallCNN();
    assert.deepStrictEqual(Object.keys(m.stateDict()), ref.keys);
    assert.strictEqual(m.toString(), ref.repr);
  });

  it('loads the Python state dict and gives the same outputs, gradients and running stats', function () {
    const m = new SmallCNN();
    const sd: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(ref.state as Record<string, PyTensor>)) sd[k] = fromPy(v);
    assert.deepStrictEqual(m.loadStateDict(sd), { missingKeys: [], unexpectedKeys: [] });
    for (const [k, v] of Object.entries(m.stateDict())) assertClose(v, (ref.state as Record<string, PyTensor>)[k], { rtol: 0, atol: 0 });
    const x = fromPy(ref.x);
    m.eval();
    assertClose(torch.noGrad(() => m.forward(x)), ref.eval, { rtol: 1e-4, atol: 1e-5 });
    m.train();
    torch.manualSeed(11);
    const xg = x.clone().requiresGrad_();
    const out = m.forward(xg);
    assertClose(out, ref.train, { rtol: 1e-4, atol: 1e-5 });
    const loss = new nn.CrossEntropyLoss().forward(out, torch.tensor([1n, 0n, 4n, 9n, 2n]));
    loss.backward();
    assertClose(loss, ref.loss, { rtol: 1e-5, atol: 1e-6 });
    assertClose(xg.grad as Tensor, ref.xgrad, { rtol: 1e-4, atol: 1e-5 });
    const grads = ref.grads as Record<string, PyTensor>;
    for (const [k, p] of m.namedParameters()) assertClose(p.grad as Tensor, grads[k], { rtol: 1e-4, atol: 1e-5 });
    const after = ref.after as Record<string, PyTensor>;
    for (const [k, v] of Object.entries(m.stateDict())) assertClose(v, after[k], { rtol: 1e-5, atol: 1e-6 });
  });

  it('refuses a state dict with wrong shapes, naming the key and both shapes', function () {
    const m = new SmallCNN(5);
    const sd: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(ref.state as Record<string, PyTensor>)) sd[k] = fromPy(v);
    assert.throws(
      () => m.loadStateDict(sd),
      (e: Error) =>
        e instanceof torch.TorchError &&
        e.message ===
          'Error(s) in loading state_dict for SmallCNN:\n' +
            '\tsize mismatch for classifier.5.weight: copying a param with shape torch.Size([10, 32]) from checkpoint, the shape in current model is torch.Size([5, 32]).\n' +
            '\tsize mismatch for classifier.5.bias: copying a param with shape torch.Size([10]) from checkpoint, the shape in current model is torch.Size([5]).',
    );
  });
});
