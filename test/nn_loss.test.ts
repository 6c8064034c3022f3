// Every loss against PyTorch: the same inputs and options give the same loss and input gradients; the
// functional form agrees with the module; bad targets raise PyTorch's errors.
import * as assert from 'assert';
import * as torch from '../lib';
import { nn } from '../lib';
import { py, requirePython, assertClose, PyTensor } from './helpers/python';

type Tensor = torch.Tensor;
const F = nn.functional;

function num(v: number | boolean | null | string): number {
  if (v === null) return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(v);
}

function fromPy(v: unknown): Tensor {
  const e = v as PyTensor;
  let t: Tensor;
  if (e.dtype === 'int64') t = torch.tensor(BigInt64Array.from(e.data.map((x) => BigInt(num(x)))));
  else if (e.dtype === 'bool') t = torch.tensor(Uint8Array.from(e.data.map((x) => (x ? 1 : 0)))).to('bool');
  else if (e.dtype === 'float64') t = torch.tensor(Float64Array.from(e.data.map(num)));
  else t = torch.tensor(Float32Array.from(e.data.map(num)));
  return t.reshape(e.shape);
}

interface LossCase {
  name: string;
  /** Python expression of the loss module; `w` is a weight tensor made by the case's `pre`. */
  py: string;
  ts: (w: Tensor[]) => nn.Module;
  /** Python expressions of the inputs; the first `grads` ones get requires_grad. */
  inputs: string[];
  grads?: number;
  /** Python expressions of extra tensors (weights) handed to `ts`. */
  weights?: string[];
  /** The functional call in TypeScript, checked against the same result. */
  fn?: (x: Tensor[], w: Tensor[]) => Tensor;
}

interface LossResult {
  inputs: PyTensor[];
  weights: PyTensor[];
  out: PyTensor;
  grads: (PyTensor | null)[];
}

function pythonFor(cases: LossCase[]): string {
  const lines = ['import torch.nn as nn', 'import torch.nn.functional as F', 'torch.manual_seed(0)'];
  for (const c of cases) {
    lines.push(`w = [${(c.weights ?? []).join(', ')}]`);
    lines.push(`x = [${c.inputs.join(', ')}]`);
    lines.push(`for t in x[:${c.grads ?? 1}]: t.requires_grad_()`);
    lines.push(`out = (${c.py})(*x)`);
    lines.push('g = out.detach().clone().uniform_(0.5, 1.5) if out.dim() > 0 else torch.tensor(1.0)');
    lines.push('(out * g).sum().backward()');
    lines.push(`emit(${JSON.stringify(c.name)}, {'inputs': x, 'weights': w, 'out': out, 'g': g, 'grads': [t.grad for t in x]})`);
  }
  return lines.join('\n');
}

function suite(title: string, cases: LossCase[]): void {
  describe(title, function () {
    let results: Record<string, LossResult & { g: PyTensor }>;
    before(function () {
      requirePython(this);
      results = py(pythonFor(cases)) as Record<string, LossResult & { g: PyTensor }>;
    });
    for (const c of cases) {
      it(c.name, function () {
        const r = results[c.name];
        const w = r.weights.map(fromPy);
        const xs = r.inputs.map(fromPy);
        for (let i = 0; i < (c.grads ?? 1); i++) xs[i].requiresGrad = true;
        const loss = c.ts(w);
        const out = loss.forward(...xs) as Tensor;
        assertClose(out, r.out, { rtol: 1e-5, atol: 1e-6 });
        out.mul(fromPy(r.g)).sum().backward();
        xs.forEach((x, i) => {
          if (r.grads[i] !== null) assertClose(x.grad as Tensor, r.grads[i], { rtol: 1e-5, atol: 1e-6 });
        });
        if (c.fn) assertClose(c.fn(xs, w), r.out, { rtol: 1e-5, atol: 1e-6 });
      });
    }
  });
}

const logits = 'torch.randn(4, 5)';
const classes = 'torch.tensor([0, 3, 1, 4])';

suite('nn losses', [
  { name: 'CrossEntropyLoss', py: 'nn.CrossEntropyLoss()', ts: () => new nn.CrossEntropyLoss(), inputs: [logits, classes], fn: (x) => F.crossEntropy(x[0], x[1]) },
  {
    name: 'CrossEntropyLoss weight, ignore_index, sum, label_smoothing',
    py: "nn.CrossEntropyLoss(weight=w[0], ignore_index=1, reduction='sum', label_smoothing=0.1)",
    weights: ['torch.rand(5) + 0.5'],
    ts: (w) => new nn.CrossEntropyLoss({ weight: w[0], ignoreIndex: 1, reduction: 'sum', labelSmoothing: 0.1 }),
    inputs: [logits, 'torch.tensor([0, 1, 1, 4])'],
    fn: (x, w) => F.crossEntropy(x[0], x[1], w[0], { ignoreIndex: 1, reduction: 'sum', labelSmoothing: 0.1 }),
  },
  {
    name: 'CrossEntropyLoss weighted mean (positional weight)',
    py: 'nn.CrossEntropyLoss(w[0])',
    weights: ['torch.rand(5) + 0.5'],
    ts: (w) => new nn.CrossEntropyLoss(w[0]),
    inputs: [logits, classes],
  },
  {
    name: 'CrossEntropyLoss class probabilities',
    py: 'nn.CrossEntropyLoss()',
    ts: () => new nn.CrossEntropyLoss(),
    inputs: [logits, 'torch.softmax(torch.randn(4, 5), 1)'],
  },
  {
    name: 'CrossEntropyLoss class probabilities, smoothing, weight',
    py: 'nn.CrossEntropyLoss(weight=w[0], label_smoothing=0.2)',
    weights: ['torch.rand(5) + 0.5'],
    ts: (w) => new nn.CrossEntropyLoss({ weight: w[0], labelSmoothing: 0.2 }),
    inputs: [logits, 'torch.softmax(torch.randn(4, 5), 1)'],
  },
  {
    name: 'CrossEntropyLoss images, none',
    py: "nn.CrossEntropyLoss(reduction='none')",
    ts: () => new nn.CrossEntropyLoss({ reduction: 'none' }),
    inputs: ['torch.randn(2, 5, 3, 3)', 'torch.randint(0, 5, (2, 3, 3))'],
  },
  {
    name: 'NLLLoss weight, ignore_index',
    py: 'nn.NLLLoss(weight=w[0], ignore_index=2)',
    weights: ['torch.rand(5) + 0.5'],
    ts: (w) => new nn.NLLLoss({ weight: w[0], ignoreIndex: 2 }),
    inputs: ['torch.log_softmax(torch.randn(6, 5), 1)', 'torch.tensor([0, 2, 1, 4, 2, 3])'],
    fn: (x, w) => F.nllLoss(x[0], x[1], { weight: w[0], ignoreIndex: 2 }),
  },
  { name: 'MSELoss', py: 'nn.MSELoss()', ts: () => new nn.MSELoss(), inputs: ['torch.randn(3, 4)', 'torch.randn(3, 4)'], fn: (x) => F.mseLoss(x[0], x[1]) },
  { name: 'MSELoss sum', py: "nn.MSELoss(reduction='sum')", ts: () => new nn.MSELoss({ reduction: 'sum' }), inputs: ['torch.randn(3, 4)', 'torch.randn(3, 4)'] },
  { name: 'L1Loss none', py: "nn.L1Loss(reduction='none')", ts: () => new nn.L1Loss({ reduction: 'none' }), inputs: ['torch.randn(3, 4)', 'torch.randn(3, 4)'] },
  { name: 'SmoothL1Loss beta', py: 'nn.SmoothL1Loss(beta=0.5)', ts: () => new nn.SmoothL1Loss({ beta: 0.5 }), inputs: ['torch.randn(3, 4)', 'torch.randn(3, 4)'] },
  { name: 'HuberLoss delta', py: 'nn.HuberLoss(delta=0.7)', ts: () => new nn.HuberLoss({ delta: 0.7 }), inputs: ['torch.randn(3, 4) * 2', 'torch.randn(3, 4)'], fn: (x) => F.huberLoss(x[0], x[1], { delta: 0.7 }) },
  {
    name: 'BCELoss weight',
    py: 'nn.BCELoss(weight=w[0])',
    weights: ['torch.rand(4) + 0.5'],
    ts: (w) => new nn.BCELoss({ weight: w[0] }),
    inputs: ['torch.rand(3, 4) * 0.9 + 0.05', 'torch.rand(3, 4)'],
    fn: (x, w) => F.binaryCrossEntropy(x[0], x[1], w[0]),
  },
  {
    name: 'BCEWithLogitsLoss pos_weight',
    py: 'nn.BCEWithLogitsLoss(pos_weight=w[0])',
    weights: ['torch.rand(4) * 3'],
    ts: (w) => new nn.BCEWithLogitsLoss({ posWeight: w[0] }),
    inputs: ['torch.randn(3, 4) * 3', 'torch.randint(0, 2, (3, 4)).float()'],
  },
  {
    name: 'BCEWithLogitsLoss weight, sum',
    py: "nn.BCEWithLogitsLoss(w[0], reduction='sum')",
    weights: ['torch.rand(3, 1)'],
    ts: (w) => new nn.BCEWithLogitsLoss(w[0], { reduction: 'sum' }),
    inputs: ['torch.randn(3, 4)', 'torch.rand(3, 4)'],
  },
  {
    name: 'KLDivLoss batchmean',
    py: "nn.KLDivLoss(reduction='batchmean')",
    ts: () => new nn.KLDivLoss({ reduction: 'batchmean' }),
    inputs: ['torch.log_softmax(torch.randn(3, 5), 1)', 'torch.softmax(torch.randn(3, 5), 1)'],
  },
  {
    name: 'KLDivLoss log_target, sum',
    py: "nn.KLDivLoss(reduction='sum', log_target=True)",
    ts: () => new nn.KLDivLoss({ reduction: 'sum', logTarget: true }),
    inputs: ['torch.log_softmax(torch.randn(3, 5), 1)', 'torch.log_softmax(torch.randn(3, 5), 1)'],
    grads: 2,
  },
  {
    name: 'CosineEmbeddingLoss margin',
    py: 'nn.CosineEmbeddingLoss(margin=0.2)',
    ts: () => new nn.CosineEmbeddingLoss(0.2),
    inputs: ['torch.randn(4, 6)', 'torch.randn(4, 6)', 'torch.tensor([1.0, -1.0, -1.0, 1.0])'],
    grads: 2,
  },
  {
    name: 'MarginRankingLoss margin',
    py: 'nn.MarginRankingLoss(margin=0.1)',
    ts: () => new nn.MarginRankingLoss({ margin: 0.1 }),
    inputs: ['torch.randn(5)', 'torch.randn(5)', 'torch.tensor([1.0, -1.0, 1.0, 1.0, -1.0])'],
    grads: 2,
  },
  {
    name: 'HingeEmbeddingLoss',
    py: 'nn.HingeEmbeddingLoss(margin=0.5)',
    ts: () => new nn.HingeEmbeddingLoss(0.5),
    inputs: ['torch.randn(5)', 'torch.tensor([1.0, -1.0, 1.0, 1.0, -1.0])'],
  },
  { name: 'SoftMarginLoss', py: 'nn.SoftMarginLoss()', ts: () => new nn.SoftMarginLoss(), inputs: ['torch.randn(5)', 'torch.tensor([1.0, -1.0, 1.0, 1.0, -1.0])'] },
]);

describe('nn losses: options and errors', function () {
  before(function () {
    requirePython(this);
  });

  it('registers weight buffers like PyTorch and prints like PyTorch', function () {
    const w = torch.tensor([1, 2, 3]);
    const ce = new nn.CrossEntropyLoss({ weight: w });
    assert.deepStrictEqual(Object.keys(ce.stateDict()), ['weight']);
    assert.deepStrictEqual(Object.keys(new nn.CrossEntropyLoss().stateDict()), []);
    const bce = new nn.BCEWithLogitsLoss({ posWeight: w });
    assert.deepStrictEqual(Object.keys(bce.stateDict()), ['pos_weight']);
    assert.strictEqual(ce.toString(), 'CrossEntropyLoss()');
    assert.strictEqual(ce.ignoreIndex, -100);
    assert.strictEqual(ce.labelSmoothing, 0);
  });

  it('rejects bad reductions, options and target sizes with PyTorch messages', function () {
    assert.throws(() => new nn.MSELoss({ reduction: 'avg' as 'mean' }), (e: Error) => e instanceof RangeError && e.message === 'avg is not a valid value for reduction');
    assert.throws(() => new nn.CrossEntropyLoss({ ignore_index: 3 } as never), /unexpected keyword argument 'ignore_index' \(did you mean 'ignoreIndex'\?\)/);
    assert.throws(
      () => F.binaryCrossEntropy(torch.rand([3, 4]), torch.rand([3, 5])),
      (e: Error) => e instanceof RangeError && e.message.startsWith('Using a target size (torch.Size([3, 5])) that is different to the input size (torch.Size([3, 4])) is deprecated'),
    );
    assert.throws(() => F.binaryCrossEntropyWithLogits(torch.rand([3]), torch.rand([4])), /Target size \(torch.Size\(\[4\]\)\) must be the same as input size \(torch.Size\(\[3\]\)\)/);
    const r = py(`
import torch.nn.functional as F
try:
    F.cross_entropy(torch.randn(3, 5), torch.tensor([0, 7, 1]))
except Exception as e:
    emit('msg', str(e))
`);
    assert.throws(
      () => F.crossEntropy(torch.randn([3, 5]), torch.tensor([0n, 7n, 1n])),
      (e: Error) => e instanceof torch.TorchError && e.message.includes(String(r.msg).split('\n')[0]),
    );
  });
});
