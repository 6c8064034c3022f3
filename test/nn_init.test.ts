// nn.init against PyTorch: under the same seed every initialiser draws the same numbers, in place, without
// recording autograd; calculateGain matches.
import * as assert from 'assert';
import * as torch from '../lib';
import { nn } from '../lib';
import { py, requirePython, assertClose } from './helpers/python';

const init = nn.init;

interface InitCase {
  name: string;
  shape: number[];
  py: string;
  ts: (t: torch.Tensor) => torch.Tensor;
}

const cases: InitCase[] = [
  { name: 'uniform_', shape: [3, 4], py: 'nn.init.uniform_(t, -2.0, 3.0)', ts: (t) => init.uniform_(t, -2.0, 3.0) },
  { name: 'uniform_ default', shape: [5], py: 'nn.init.uniform_(t)', ts: (t) => init.uniform_(t) },
  { name: 'normal_', shape: [3, 4], py: 'nn.init.normal_(t, 1.0, 0.5)', ts: (t) => init.normal_(t, 1.0, 0.5) },
  { name: 'constant_', shape: [2, 3], py: 'nn.init.constant_(t, 0.3)', ts: (t) => init.constant_(t, 0.3) },
  { name: 'ones_', shape: [2, 3], py: 'nn.init.ones_(t)', ts: (t) => init.ones_(t) },
  { name: 'zeros_', shape: [2, 3], py: 'nn.init.zeros_(t)', ts: (t) => init.zeros_(t) },
  { name: 'eye_', shape: [3, 5], py: 'nn.init.eye_(t)', ts: (t) => init.eye_(t) },
  { name: 'dirac_', shape: [4, 2, 3, 3], py: 'nn.init.dirac_(t, 2)', ts: (t) => init.dirac_(t, 2) },
  { name: 'xavierUniform_', shape: [6, 4, 3, 3], py: "nn.init.xavier_uniform_(t, gain=nn.init.calculate_gain('relu'))", ts: (t) => init.xavierUniform_(t, init.calculateGain('relu')) },
  { name: 'xavierNormal_', shape: [6, 4], py: 'nn.init.xavier_normal_(t)', ts: (t) => init.xavierNormal_(t) },
  { name: 'kaimingUniform_ a=sqrt(5)', shape: [8, 3, 5, 5], py: 'nn.init.kaiming_uniform_(t, a=math.sqrt(5))', ts: (t) => init.kaimingUniform_(t, Math.sqrt(5)) },
  { name: 'kaimingUniform_ fan_out relu', shape: [8, 3], py: "nn.init.kaiming_uniform_(t, mode='fan_out', nonlinearity='relu')", ts: (t) => init.kaimingUniform_(t, { mode: 'fan_out', nonlinearity: 'relu' }) },
  { name: 'kaimingNormal_', shape: [8, 4, 3, 3], py: "nn.init.kaiming_normal_(t, mode='fan_out', nonlinearity='relu')", ts: (t) => init.kaimingNormal_(t, 0, 'fan_out', 'relu') },
  { name: 'kaimingNormal_ leaky', shape: [5, 7], py: 'nn.init.kaiming_normal_(t, a=0.2)', ts: (t) => init.kaimingNormal_(t, { a: 0.2 }) },
  { name: 'truncNormal_', shape: [200], py: 'nn.init.trunc_normal_(t, std=0.02)', ts: (t) => init.truncNormal_(t, 0, 0.02) },
  { name: 'truncNormal_ bounds', shape: [4, 50], py: 'nn.init.trunc_normal_(t, 0.5, 1.0, -1.0, 1.5)', ts: (t) => init.truncNormal_(t, 0.5, 1.0, -1.0, 1.5) },
  { name: 'orthogonal_ tall', shape: [6, 3], py: 'nn.init.orthogonal_(t)', ts: (t) => init.orthogonal_(t) },
  { name: 'orthogonal_ wide, gain', shape: [3, 2, 4], py: 'nn.init.orthogonal_(t, gain=2.0)', ts: (t) => init.orthogonal_(t, 2.0) },
  { name: 'sparse_', shape: [6, 4], py: 'nn.init.sparse_(t, 0.5)', ts: (t) => init.sparse_(t, 0.5) },
];

describe('nn.init', function () {
  let ref: Record<string, unknown>;
  before(function () {
    requirePython(this);
    const lines = ['import torch.nn as nn'];
    cases.forEach((c, i) => {
      lines.push(`torch.manual_seed(${i})`);
      lines.push(`t = torch.empty(${c.shape.join(', ')}, requires_grad=True)`);
      lines.push(`r = ${c.py}`);
      lines.push(`emit(${JSON.stringify(c.name)}, [t, r is t, t.grad_fn is None])`);
    });
    lines.push("emit('gains', [nn.init.calculate_gain(n) for n in ['linear', 'conv2d', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu']] + [nn.init.calculate_gain('leaky_relu', 0.2), nn.init.calculate_gain('leaky_relu', math.sqrt(5))])");
    ref = py(lines.join('\n'));
  });

  cases.forEach((c, i) => {
    it(`${c.name} draws the numbers PyTorch draws`, function () {
      torch.manualSeed(i);
      const t = torch.empty(c.shape, { requiresGrad: true });
      const r = c.ts(t);
      const [want, same] = ref[c.name] as [unknown, boolean, boolean];
      assert.strictEqual(same, true);
      assert.strictEqual(r, t, 'returns the tensor it filled');
      assert.strictEqual(t.gradFn, null, 'not recorded by autograd');
      assert.strictEqual(t.requiresGrad, true);
      assertClose(t, want, { rtol: 1e-6, atol: 1e-7 });
    });
  });

  it('calculateGain matches', function () {
    const names = ['linear', 'conv2d', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu'] as const;
    const got = [...names.map((n) => init.calculateGain(n)), init.calculateGain('leaky_relu', 0.2), init.calculateGain('leaky_relu', Math.sqrt(5))];
    assert.deepStrictEqual(got, ref.gains);
  });

  it('rejects what PyTorch rejects', function () {
    assert.throws(() => init.calculateGain('swish' as 'relu'), (e: Error) => e instanceof RangeError && e.message === 'Unsupported nonlinearity swish');
    assert.throws(() => init.xavierUniform_(torch.empty([3])), /Fan in and fan out can not be computed for tensor with fewer than 2 dimensions/);
    assert.throws(() => init.kaimingUniform_(torch.empty([3, 3]), { mode: 'fan_mid' as 'fan_in' }), /Mode fan_mid not supported/);
    assert.throws(() => init.eye_(torch.empty([2, 2, 2])), /Only tensors with 2 dimensions are supported/);
  });
});
