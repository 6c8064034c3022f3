// Every layer against PyTorch: the same seed gives the same initial parameters; with the same state and inputs
// the outputs, the gradients of inputs and parameters, and the buffers after forward are the same, in train
// and eval mode. One Python run per block computes every case.
import * as assert from 'assert';
import * as torch from '../lib';
import { nn } from '../lib';
import { py, requirePython, assertClose, PyTensor } from './helpers/python';

type Tensor = torch.Tensor;

function num(v: number | boolean | null | string): number {
  if (v === null) return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(v);
}

/** A torch-node tensor with the values of a tensor emitted by py(). */
function fromPy(v: unknown): Tensor {
  const e = v as PyTensor;
  let t: Tensor;
  if (e.dtype === 'int64') t = torch.tensor(BigInt64Array.from(e.data.map((x) => BigInt(num(x)))));
  else if (e.dtype === 'bool') t = torch.tensor(Uint8Array.from(e.data.map((x) => (x ? 1 : 0)))).to('bool');
  else if (e.dtype === 'float64') t = torch.tensor(Float64Array.from(e.data.map(num)));
  else t = torch.tensor(Float32Array.from(e.data.map(num)));
  return t.reshape(e.shape);
}

interface LayerCase {
  name: string;
  /** Python expression building the module (torch.nn is `nn`). */
  py: string;
  /** The same module in TypeScript. */
  ts: () => nn.Module;
  /** Python expressions of the inputs. */
  inputs: string[];
  train?: boolean;
  /** Python statements run on `m` after construction, before the state is taken (e.g. random running stats). */
  prep?: string;
  /** Python call of the module on the inputs `x` (default `m(*x)`). */
  pyCall?: string;
  tsCall?: (m: nn.Module, x: Tensor[]) => unknown;
  rtol?: number;
  atol?: number;
}

interface CaseResult {
  init: Record<string, PyTensor>;
  state: Record<string, PyTensor>;
  inputs: PyTensor[];
  out: (PyTensor | null)[];
  g: PyTensor;
  xgrad: (PyTensor | null)[];
  pgrad: Record<string, PyTensor | null>;
  buffers: Record<string, PyTensor>;
}

function pythonFor(cases: LayerCase[]): string {
  const lines = [
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    'def run(name, seed, ctor, inputs, train, prep, call):',
    '    torch.manual_seed(seed)',
    '    m = ctor()',
    '    init = {k: v.clone() for k, v in m.named_parameters()}',
    '    prep(m)',
    '    m.train(train)',
    '    state = {k: v.clone() for k, v in m.state_dict().items()}',
    '    x = [f() for f in inputs]',
    '    for t in x:',
    '        if t.is_floating_point(): t.requires_grad_()',
    '    torch.manual_seed(seed + 1)',
    '    out = call(m, x)',
    '    outs = list(out) if isinstance(out, tuple) else [out]',
    '    g = torch.randn(outs[0].shape, generator=torch.Generator().manual_seed(seed + 2))',
    '    (outs[0] * g).sum().backward()',
    "    emit(name, {'init': init, 'state': state, 'inputs': x, 'out': outs, 'g': g,",
    "                'xgrad': [t.grad if t.is_floating_point() else None for t in x],",
    "                'pgrad': {k: p.grad for k, p in m.named_parameters()},",
    "                'buffers': dict(m.named_buffers())})",
  ];
  cases.forEach((c, i) => {
    lines.push(`def prep_${i}(m):`);
    lines.push(`    ${c.prep ? c.prep.split('\n').join('\n    ') : 'pass'}`);
    lines.push(
      `run(${JSON.stringify(c.name)}, ${100 + i}, lambda: ${c.py}, [${c.inputs.map((s) => `lambda: ${s}`).join(', ')}], ${c.train ? 'True' : 'False'}, ` +
        `prep_${i}, lambda m, x: ${c.pyCall ?? 'm(*x)'})`,
    );
  });
  return lines.join('\n');
}

function checkCase(c: LayerCase, index: number, r: CaseResult): void {
  const tol = { rtol: c.rtol ?? 1e-4, atol: c.atol ?? 1e-5 };
  torch.manualSeed(100 + index);
  const m = c.ts();
  // the same initial parameters, names and order as PyTorch under the same seed
  const init = [...m.namedParameters()];
  assert.deepStrictEqual(init.map(([n]) => n), Object.keys(r.init), `${c.name}: parameter names`);
  for (const [n, p] of init) assertClose(p, r.init[n], { rtol: 1e-6, atol: 1e-7 });
  // the same state dict keys; then the state Python used
  assert.deepStrictEqual(Object.keys(m.stateDict()), Object.keys(r.state), `${c.name}: state dict keys`);
  const sd: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(r.state)) sd[k] = fromPy(v);
  m.loadStateDict(sd);
  m.train(c.train ?? false);
  const xs = r.inputs.map(fromPy);
  for (const x of xs) if (x.isFloatingPoint()) x.requiresGrad = true;
  torch.manualSeed(100 + index + 1);
  const out = c.tsCall ? c.tsCall(m, xs) : m.forward(...xs);
  const outs = (Array.isArray(out) ? out : [out]) as (Tensor | null)[];
  assert.strictEqual(outs.length, r.out.length, `${c.name}: number of outputs`);
  outs.forEach((o, i) => {
    if (r.out[i] === null) assert.strictEqual(o, null);
    else assertClose(o as Tensor, r.out[i], tol);
  });
  (outs[0] as Tensor).mul(fromPy(r.g)).sum().backward();
  xs.forEach((x, i) => {
    const want = r.xgrad[i];
    if (want === null || want === undefined) return;
    assertClose(x.grad as Tensor, want, tol);
  });
  for (const [n, p] of m.namedParameters()) {
    const want = r.pgrad[n];
    if (want === null || want === undefined) assert.strictEqual(p.grad, null, `${c.name}: ${n}.grad`);
    else assertClose(p.grad as Tensor, want, tol);
  }
  const bufs = [...m.namedBuffers()];
  assert.deepStrictEqual(bufs.map(([n]) => n), Object.keys(r.buffers));
  for (const [n, b] of bufs) assertClose(b, r.buffers[n], tol);
}

function suite(title: string, cases: LayerCase[]): void {
  describe(title, function () {
    let results: Record<string, CaseResult>;
    before(function () {
      requirePython(this);
      results = py(pythonFor(cases)) as Record<string, CaseResult>;
    });
    cases.forEach((c, i) => {
      it(c.name, function () {
        checkCase(c, i, results[c.name]);
      });
    });
  });
}

const randn = (...s: number[]) => `torch.randn(${s.join(', ')})`;

suite('nn layers: linear, conv', [
  { name: 'Linear', py: 'nn.Linear(5, 3)', ts: () => new nn.Linear(5, 3), inputs: [randn(4, 5)] },
  { name: 'Linear no bias, 3-D input', py: 'nn.Linear(5, 3, bias=False)', ts: () => new nn.Linear(5, 3, false), inputs: [randn(2, 4, 5)] },
  { name: 'Linear 1-D input', py: 'nn.Linear(5, 2)', ts: () => new nn.Linear(5, 2, { bias: true }), inputs: [randn(5)] },
  { name: 'Bilinear', py: 'nn.Bilinear(4, 3, 2)', ts: () => new nn.Bilinear(4, 3, 2), inputs: [randn(5, 4), randn(5, 3)] },
  { name: 'Identity', py: 'nn.Identity(3, foo=1)', ts: () => new nn.Identity(3, { foo: 1 }), inputs: [randn(2, 3)] },
  { name: 'Flatten', py: 'nn.Flatten()', ts: () => new nn.Flatten(), inputs: [randn(2, 3, 4, 5)] },
  { name: 'Flatten(0, 2)', py: 'nn.Flatten(0, 2)', ts: () => new nn.Flatten(0, 2), inputs: [randn(2, 3, 4, 5)] },
  { name: 'Unflatten', py: 'nn.Unflatten(1, (2, 3))', ts: () => new nn.Unflatten(1, [2, 3]), inputs: [randn(4, 6)] },
  { name: 'Conv1d', py: 'nn.Conv1d(3, 4, 3, stride=2, padding=1)', ts: () => new nn.Conv1d(3, 4, 3, { stride: 2, padding: 1 }), inputs: [randn(2, 3, 10)] },
  { name: 'Conv2d', py: 'nn.Conv2d(3, 4, 3)', ts: () => new nn.Conv2d(3, 4, 3), inputs: [randn(2, 3, 8, 8)] },
  { name: 'Conv2d unbatched', py: 'nn.Conv2d(3, 4, 3, 1, 1)', ts: () => new nn.Conv2d(3, 4, 3, 1, 1), inputs: [randn(3, 6, 6)] },
  {
    name: 'Conv2d groups, stride, no bias',
    py: 'nn.Conv2d(4, 6, 3, stride=2, padding=1, groups=2, bias=False)',
    ts: () => new nn.Conv2d(4, 6, 3, { stride: 2, padding: 1, groups: 2, bias: false }),
    inputs: [randn(2, 4, 9, 9)],
  },
  { name: 'Conv2d dilation, rect kernel', py: 'nn.Conv2d(2, 3, (3, 2), dilation=(2, 1), padding=(1, 0))', ts: () => new nn.Conv2d(2, 3, [3, 2], { dilation: [2, 1], padding: [1, 0] }), inputs: [randn(1, 2, 9, 7)] },
  { name: "Conv2d padding='same' reflect", py: "nn.Conv2d(3, 4, (3, 4), padding='same', padding_mode='reflect')", ts: () => new nn.Conv2d(3, 4, [3, 4], { padding: 'same', paddingMode: 'reflect' }), inputs: [randn(1, 3, 7, 8)] },
  { name: 'Conv2d circular', py: "nn.Conv2d(2, 2, 3, padding=1, padding_mode='circular')", ts: () => new nn.Conv2d(2, 2, 3, { padding: 1, paddingMode: 'circular' }), inputs: [randn(1, 2, 5, 5)] },
  { name: 'Conv2d replicate', py: "nn.Conv2d(2, 2, 3, padding=2, padding_mode='replicate')", ts: () => new nn.Conv2d(2, 2, 3, { padding: 2, paddingMode: 'replicate' }), inputs: [randn(1, 2, 5, 5)] },
  { name: "Conv2d padding='valid'", py: "nn.Conv2d(2, 2, 3, padding='valid')", ts: () => new nn.Conv2d(2, 2, 3, { padding: 'valid' }), inputs: [randn(1, 2, 5, 5)] },
  { name: 'Conv3d', py: 'nn.Conv3d(2, 3, 3, padding=1)', ts: () => new nn.Conv3d(2, 3, 3, { padding: 1 }), inputs: [randn(1, 2, 5, 5, 5)] },
  { name: 'ConvTranspose1d', py: 'nn.ConvTranspose1d(3, 2, 3, stride=2)', ts: () => new nn.ConvTranspose1d(3, 2, 3, 2), inputs: [randn(2, 3, 5)] },
  {
    name: 'ConvTranspose2d groups, output_padding',
    py: 'nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1, groups=2)',
    ts: () => new nn.ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }),
    inputs: [randn(1, 4, 5, 5)],
  },
  {
    name: 'ConvTranspose2d output_size',
    py: 'nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1)',
    ts: () => new nn.ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1 }),
    inputs: [randn(1, 3, 4, 4)],
    pyCall: 'm(x[0], output_size=[8, 8])',
    tsCall: (m, x) => (m as nn.ConvTranspose2d).forward(x[0], [8, 8]),
  },
  { name: 'ConvTranspose3d', py: 'nn.ConvTranspose3d(2, 2, 2, stride=2)', ts: () => new nn.ConvTranspose3d(2, 2, 2, 2), inputs: [randn(1, 2, 3, 3, 3)] },
]);

const randomStats = 'with torch.no_grad():\n    m.running_mean.uniform_(-1, 1)\n    m.running_var.uniform_(0.5, 2)\n    m.num_batches_tracked.fill_(3)';
const randomAffine = 'with torch.no_grad():\n    m.weight.uniform_(0.5, 1.5)\n    m.bias.uniform_(-0.5, 0.5)';

suite('nn layers: normalization', [
  { name: 'BatchNorm1d train (N, C)', py: 'nn.BatchNorm1d(4)', ts: () => new nn.BatchNorm1d(4), inputs: [randn(8, 4)], train: true, prep: randomAffine },
  { name: 'BatchNorm1d train (N, C, L)', py: 'nn.BatchNorm1d(4)', ts: () => new nn.BatchNorm1d(4), inputs: [randn(3, 4, 6)], train: true },
  { name: 'BatchNorm1d eval', py: 'nn.BatchNorm1d(4)', ts: () => new nn.BatchNorm1d(4), inputs: [randn(3, 4, 6)], prep: randomStats },
  { name: 'BatchNorm2d train', py: 'nn.BatchNorm2d(3)', ts: () => new nn.BatchNorm2d(3), inputs: [randn(4, 3, 5, 5)], train: true, prep: `${randomStats}\n${randomAffine}` },
  { name: 'BatchNorm2d eval', py: 'nn.BatchNorm2d(3)', ts: () => new nn.BatchNorm2d(3), inputs: [randn(4, 3, 5, 5)], prep: `${randomStats}\n${randomAffine}` },
  { name: 'BatchNorm2d momentum=None', py: 'nn.BatchNorm2d(3, momentum=None)', ts: () => new nn.BatchNorm2d(3, { momentum: null }), inputs: [randn(2, 3, 4, 4)], train: true, prep: randomStats },
  { name: 'BatchNorm2d momentum, eps', py: 'nn.BatchNorm2d(3, 1e-3, 0.3)', ts: () => new nn.BatchNorm2d(3, 1e-3, 0.3), inputs: [randn(2, 3, 4, 4)], train: true },
  { name: 'BatchNorm2d no stats, eval', py: 'nn.BatchNorm2d(3, affine=False, track_running_stats=False)', ts: () => new nn.BatchNorm2d(3, { affine: false, trackRunningStats: false }), inputs: [randn(2, 3, 4, 4)] },
  { name: 'BatchNorm3d train', py: 'nn.BatchNorm3d(2)', ts: () => new nn.BatchNorm3d(2), inputs: [randn(2, 2, 3, 3, 3)], train: true },
  { name: 'LayerNorm', py: 'nn.LayerNorm(6)', ts: () => new nn.LayerNorm(6), inputs: [randn(3, 4, 6)], prep: randomAffine },
  { name: 'LayerNorm no affine, 2-D shape', py: 'nn.LayerNorm([4, 6], eps=1e-3, elementwise_affine=False)', ts: () => new nn.LayerNorm([4, 6], { eps: 1e-3, elementwiseAffine: false }), inputs: [randn(3, 4, 6)] },
  { name: 'GroupNorm', py: 'nn.GroupNorm(2, 4)', ts: () => new nn.GroupNorm(2, 4), inputs: [randn(3, 4, 5)], prep: randomAffine },
  { name: 'GroupNorm 4-D', py: 'nn.GroupNorm(3, 6, affine=False)', ts: () => new nn.GroupNorm(3, 6, { affine: false }), inputs: [randn(2, 6, 3, 3)] },
  { name: 'InstanceNorm2d', py: 'nn.InstanceNorm2d(3)', ts: () => new nn.InstanceNorm2d(3), inputs: [randn(2, 3, 4, 4)], train: true },
  { name: 'InstanceNorm2d affine, stats, train', py: 'nn.InstanceNorm2d(3, affine=True, track_running_stats=True)', ts: () => new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }), inputs: [randn(2, 3, 4, 4)], train: true },
  { name: 'InstanceNorm2d affine, stats, eval', py: 'nn.InstanceNorm2d(3, affine=True, track_running_stats=True)', ts: () => new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }), inputs: [randn(2, 3, 4, 4)], prep: randomStats },
  { name: 'InstanceNorm1d unbatched', py: 'nn.InstanceNorm1d(3)', ts: () => new nn.InstanceNorm1d(3), inputs: [randn(3, 7)] },
  { name: 'LocalResponseNorm 4-D', py: 'nn.LocalResponseNorm(3)', ts: () => new nn.LocalResponseNorm(3), inputs: [randn(2, 5, 4, 4)] },
  { name: 'LocalResponseNorm 3-D', py: 'nn.LocalResponseNorm(2, alpha=1e-2, beta=0.5, k=2.0)', ts: () => new nn.LocalResponseNorm(2, { alpha: 1e-2, beta: 0.5, k: 2.0 }), inputs: [randn(2, 5, 7)] },
]);

suite('nn layers: dropout', [
  { name: 'Dropout train', py: 'nn.Dropout(0.3)', ts: () => new nn.Dropout(0.3), inputs: [randn(4, 10)], train: true },
  { name: 'Dropout eval', py: 'nn.Dropout(0.3)', ts: () => new nn.Dropout(0.3), inputs: [randn(4, 10)] },
  { name: 'Dropout2d train', py: 'nn.Dropout2d(0.5)', ts: () => new nn.Dropout2d(0.5), inputs: [randn(2, 6, 4, 4)], train: true },
  { name: 'Dropout1d train', py: 'nn.Dropout1d(0.4)', ts: () => new nn.Dropout1d(0.4), inputs: [randn(2, 6, 5)], train: true },
  { name: 'Dropout3d train', py: 'nn.Dropout3d(p=0.5)', ts: () => new nn.Dropout3d({ p: 0.5 }), inputs: [randn(2, 3, 2, 2, 2)], train: true },
  { name: 'AlphaDropout train', py: 'nn.AlphaDropout(0.2)', ts: () => new nn.AlphaDropout(0.2), inputs: [randn(4, 10)], train: true },
  { name: 'FeatureAlphaDropout train', py: 'nn.FeatureAlphaDropout(0.2)', ts: () => new nn.FeatureAlphaDropout(0.2), inputs: [randn(2, 4, 3, 3)], train: true },
]);

const act = (name: string, pyArgs: string, ts: () => nn.Module, shape: number[] = [3, 4, 5]): LayerCase => ({
  name: `${name}(${pyArgs})`,
  py: `nn.${name}(${pyArgs})`,
  ts,
  inputs: [`torch.randn(${shape.join(', ')}) * 3`],
});

suite('nn layers: activations', [
  act('ReLU', '', () => new nn.ReLU()),
  act('ReLU6', '', () => new nn.ReLU6()),
  act('LeakyReLU', '0.2', () => new nn.LeakyReLU(0.2)),
  act('PReLU', '', () => new nn.PReLU()),
  act('PReLU', '4, init=0.1', () => new nn.PReLU(4, { init: 0.1 }), [3, 4, 5]),
  act('ELU', '', () => new nn.ELU()),
  act('ELU', 'alpha=0.5', () => new nn.ELU({ alpha: 0.5 })),
  act('CELU', '0.7', () => new nn.CELU(0.7)),
  act('SELU', '', () => new nn.SELU()),
  act('GELU', '', () => new nn.GELU()),
  act('GELU', "approximate='tanh'", () => new nn.GELU({ approximate: 'tanh' })),
  act('SiLU', '', () => new nn.SiLU()),
  act('Mish', '', () => new nn.Mish()),
  act('Hardswish', '', () => new nn.Hardswish()),
  act('Hardsigmoid', '', () => new nn.Hardsigmoid()),
  act('Hardtanh', '-2.0, 2.5', () => new nn.Hardtanh(-2.0, 2.5)),
  act('Sigmoid', '', () => new nn.Sigmoid()),
  act('Tanh', '', () => new nn.Tanh()),
  act('Softmax', 'dim=1', () => new nn.Softmax({ dim: 1 })),
  act('Softmax', '-1', () => new nn.Softmax(-1)),
  act('LogSoftmax', 'dim=-1', () => new nn.LogSoftmax({ dim: -1 })),
  act('Softmin', '1', () => new nn.Softmin(1)),
  act('Softmax2d', '', () => new nn.Softmax2d(), [2, 3, 4, 4]),
  act('Softplus', 'beta=2, threshold=5', () => new nn.Softplus({ beta: 2, threshold: 5 })),
  act('LogSigmoid', '', () => new nn.LogSigmoid()),
  act('Softsign', '', () => new nn.Softsign()),
  act('Tanhshrink', '', () => new nn.Tanhshrink()),
  act('Hardshrink', '', () => new nn.Hardshrink()),
  act('Softshrink', '0.8', () => new nn.Softshrink(0.8)),
  act('Threshold', '0.1, 20.0', () => new nn.Threshold(0.1, 20.0)),
  act('GLU', '', () => new nn.GLU(), [3, 4, 6]),
  act('GLU', '1', () => new nn.GLU(1)),
]);

suite('nn layers: pooling, padding, upsampling, embedding', [
  { name: 'MaxPool1d', py: 'nn.MaxPool1d(3, 2)', ts: () => new nn.MaxPool1d(3, 2), inputs: [randn(2, 3, 9)] },
  { name: 'MaxPool2d', py: 'nn.MaxPool2d(2)', ts: () => new nn.MaxPool2d(2), inputs: [randn(2, 3, 8, 8)] },
  { name: 'MaxPool2d pad, ceil', py: 'nn.MaxPool2d(3, 2, 1, ceil_mode=True)', ts: () => new nn.MaxPool2d(3, 2, 1, { ceilMode: true }), inputs: [randn(1, 2, 8, 8)] },
  { name: 'MaxPool2d dilation', py: 'nn.MaxPool2d(3, stride=2, dilation=2)', ts: () => new nn.MaxPool2d(3, { stride: 2, dilation: 2 }), inputs: [randn(1, 2, 11, 11)] },
  {
    name: 'MaxPool2d return_indices',
    py: 'nn.MaxPool2d(2, return_indices=True)',
    ts: () => new nn.MaxPool2d(2, { returnIndices: true }),
    inputs: [randn(1, 2, 4, 4)],
  },
  { name: 'MaxPool3d', py: 'nn.MaxPool3d(2)', ts: () => new nn.MaxPool3d(2), inputs: [randn(1, 2, 4, 4, 4)] },
  { name: 'AvgPool1d', py: 'nn.AvgPool1d(3, 2, 1)', ts: () => new nn.AvgPool1d(3, 2, 1), inputs: [randn(2, 3, 9)] },
  { name: 'AvgPool2d exclude pad', py: 'nn.AvgPool2d(3, 2, 1, count_include_pad=False)', ts: () => new nn.AvgPool2d(3, 2, 1, { countIncludePad: false }), inputs: [randn(2, 3, 7, 7)] },
  { name: 'AvgPool2d divisor_override', py: 'nn.AvgPool2d(2, divisor_override=3)', ts: () => new nn.AvgPool2d(2, { divisorOverride: 3 }), inputs: [randn(1, 2, 4, 4)] },
  { name: 'AvgPool3d', py: 'nn.AvgPool3d(2, ceil_mode=True)', ts: () => new nn.AvgPool3d(2, { ceilMode: true }), inputs: [randn(1, 2, 5, 5, 5)] },
  { name: 'AdaptiveAvgPool1d', py: 'nn.AdaptiveAvgPool1d(4)', ts: () => new nn.AdaptiveAvgPool1d(4), inputs: [randn(2, 3, 10)] },
  { name: 'AdaptiveAvgPool2d (3, None)', py: 'nn.AdaptiveAvgPool2d((3, None))', ts: () => new nn.AdaptiveAvgPool2d([3, null]), inputs: [randn(2, 3, 7, 5)] },
  { name: 'AdaptiveAvgPool2d 1', py: 'nn.AdaptiveAvgPool2d(1)', ts: () => new nn.AdaptiveAvgPool2d(1), inputs: [randn(2, 3, 7, 5)] },
  { name: 'AdaptiveAvgPool3d', py: 'nn.AdaptiveAvgPool3d((2, 3, 1))', ts: () => new nn.AdaptiveAvgPool3d([2, 3, 1]), inputs: [randn(1, 2, 5, 6, 4)] },
  { name: 'AdaptiveMaxPool1d', py: 'nn.AdaptiveMaxPool1d(3)', ts: () => new nn.AdaptiveMaxPool1d(3), inputs: [randn(2, 3, 10)] },
  { name: 'AdaptiveMaxPool2d', py: 'nn.AdaptiveMaxPool2d((2, 3))', ts: () => new nn.AdaptiveMaxPool2d([2, 3]), inputs: [randn(2, 3, 7, 8)] },
  { name: 'AdaptiveMaxPool2d indices', py: 'nn.AdaptiveMaxPool2d(2, return_indices=True)', ts: () => new nn.AdaptiveMaxPool2d(2, true), inputs: [randn(1, 2, 5, 5)] },
  { name: 'ZeroPad2d', py: 'nn.ZeroPad2d((1, 2, 0, 3))', ts: () => new nn.ZeroPad2d([1, 2, 0, 3]), inputs: [randn(1, 2, 3, 3)] },
  { name: 'ConstantPad2d', py: 'nn.ConstantPad2d(2, 3.5)', ts: () => new nn.ConstantPad2d(2, 3.5), inputs: [randn(1, 2, 3, 3)] },
  { name: 'ConstantPad1d', py: 'nn.ConstantPad1d((2, 1), -1.0)', ts: () => new nn.ConstantPad1d([2, 1], -1.0), inputs: [randn(2, 3)] },
  { name: 'ReflectionPad2d', py: 'nn.ReflectionPad2d(2)', ts: () => new nn.ReflectionPad2d(2), inputs: [randn(1, 2, 4, 4)] },
  { name: 'ReflectionPad1d', py: 'nn.ReflectionPad1d((1, 2))', ts: () => new nn.ReflectionPad1d([1, 2]), inputs: [randn(2, 3, 5)] },
  { name: 'ReplicationPad2d', py: 'nn.ReplicationPad2d((1, 0, 2, 1))', ts: () => new nn.ReplicationPad2d([1, 0, 2, 1]), inputs: [randn(1, 2, 3, 3)] },
  { name: 'Upsample nearest x2', py: "nn.Upsample(scale_factor=2, mode='nearest')", ts: () => new nn.Upsample({ scaleFactor: 2, mode: 'nearest' }), inputs: [randn(1, 2, 3, 3)] },
  { name: 'Upsample nearest size', py: 'nn.Upsample(size=(5, 7))', ts: () => new nn.Upsample([5, 7]), inputs: [randn(1, 2, 3, 3)] },
  { name: 'Upsample bilinear aligned', py: "nn.Upsample(size=(5, 7), mode='bilinear', align_corners=True)", ts: () => new nn.Upsample({ size: [5, 7], mode: 'bilinear', alignCorners: true }), inputs: [randn(1, 2, 3, 4)] },
  { name: 'Upsample bilinear x1.5', py: "nn.Upsample(scale_factor=1.5, mode='bilinear')", ts: () => new nn.Upsample(null, 1.5, 'bilinear'), inputs: [randn(1, 2, 4, 4)] },
  { name: 'Upsample bicubic', py: "nn.Upsample(scale_factor=2, mode='bicubic')", ts: () => new nn.Upsample({ scaleFactor: 2, mode: 'bicubic' }), inputs: [randn(1, 1, 3, 3)] },
  { name: 'Upsample linear 1-D', py: "nn.Upsample(scale_factor=3, mode='linear')", ts: () => new nn.Upsample({ scaleFactor: 3, mode: 'linear' }), inputs: [randn(2, 2, 4)] },
  { name: 'Upsample trilinear', py: "nn.Upsample(scale_factor=2, mode='trilinear')", ts: () => new nn.Upsample({ scaleFactor: 2, mode: 'trilinear' }), inputs: [randn(1, 1, 2, 3, 2)] },
  { name: 'Upsample nearest-exact', py: "nn.Upsample(scale_factor=1.7, mode='nearest-exact')", ts: () => new nn.Upsample({ scaleFactor: 1.7, mode: 'nearest-exact' }), inputs: [randn(1, 1, 4, 5)] },
  { name: 'Upsample area', py: "nn.Upsample(size=3, mode='area')", ts: () => new nn.Upsample({ size: 3, mode: 'area' }), inputs: [randn(1, 2, 7, 7)] },
  { name: 'UpsamplingBilinear2d', py: 'nn.UpsamplingBilinear2d(scale_factor=2)', ts: () => new nn.UpsamplingBilinear2d({ scaleFactor: 2 }), inputs: [randn(1, 2, 3, 3)] },
  { name: 'UpsamplingNearest2d', py: 'nn.UpsamplingNearest2d(size=5)', ts: () => new nn.UpsamplingNearest2d(5), inputs: [randn(1, 2, 3, 3)] },
  { name: 'Embedding', py: 'nn.Embedding(10, 3)', ts: () => new nn.Embedding(10, 3), inputs: ['torch.randint(0, 10, (2, 4))'] },
  { name: 'Embedding padding_idx', py: 'nn.Embedding(10, 3, padding_idx=-1)', ts: () => new nn.Embedding(10, 3, { paddingIdx: -1 }), inputs: ['torch.tensor([[9, 1, 9], [2, 9, 3]])'] },
  { name: 'Embedding max_norm', py: 'nn.Embedding(6, 4, max_norm=1.0)', ts: () => new nn.Embedding(6, 4, null, 1.0), inputs: ['torch.tensor([0, 2, 2, 5])'] },
  { name: 'Embedding scale_grad_by_freq', py: 'nn.Embedding(6, 2, scale_grad_by_freq=True)', ts: () => new nn.Embedding(6, 2, { scaleGradByFreq: true }), inputs: ['torch.tensor([0, 2, 2, 5, 2])'] },
]);

suite('nn layers: attention and transformer', [
  {
    name: 'MultiheadAttention self-attention',
    py: 'nn.MultiheadAttention(8, 2)',
    ts: () => new nn.MultiheadAttention(8, 2),
    inputs: [randn(5, 3, 8)],
    pyCall: 'm(x[0], x[0], x[0])',
    tsCall: (m, x) => (m as nn.MultiheadAttention).forward(x[0], x[0], x[0]),
  },
  {
    name: 'MultiheadAttention unbatched, per-head weights',
    py: 'nn.MultiheadAttention(6, 3)',
    ts: () => new nn.MultiheadAttention(6, 3),
    inputs: [randn(4, 6), randn(5, 6), randn(5, 6)],
    pyCall: 'm(x[0], x[1], x[2], average_attn_weights=False)',
    tsCall: (m, x) => (m as nn.MultiheadAttention).forward(x[0], x[1], x[2], { averageAttnWeights: false }),
  },
  {
    name: 'MultiheadAttention kdim/vdim, batch_first, masks',
    py: 'nn.MultiheadAttention(8, 2, kdim=6, vdim=4, batch_first=True)',
    ts: () => new nn.MultiheadAttention(8, 2, { kdim: 6, vdim: 4, batchFirst: true }),
    inputs: [randn(3, 5, 8), randn(3, 7, 6), randn(3, 7, 4), 'torch.rand(5, 7) > 0.7', 'torch.tensor([[False]*6 + [True], [False]*7, [True, False] + [False]*5])'],
    pyCall: 'm(x[0], x[1], x[2], attn_mask=x[3], key_padding_mask=x[4])',
    tsCall: (m, x) => (m as nn.MultiheadAttention).forward(x[0], x[1], x[2], { attnMask: x[3], keyPaddingMask: x[4] }),
  },
  {
    name: 'MultiheadAttention bias_kv, zero_attn, float mask, no weights',
    py: 'nn.MultiheadAttention(4, 1, add_bias_kv=True, add_zero_attn=True)',
    ts: () => new nn.MultiheadAttention(4, 1, { addBiasKv: true, addZeroAttn: true }),
    inputs: [randn(3, 2, 4), randn(5, 2, 4), 'torch.randn(3, 5) * 0.5'],
    pyCall: 'm(x[0], x[1], x[1], attn_mask=x[2], need_weights=False)',
    tsCall: (m, x) => (m as nn.MultiheadAttention).forward(x[0], x[1], x[1], { attnMask: x[2], needWeights: false }),
  },
  {
    name: 'MultiheadAttention dropout, train',
    py: 'nn.MultiheadAttention(8, 4, dropout=0.3, bias=False)',
    ts: () => new nn.MultiheadAttention(8, 4, { dropout: 0.3, bias: false }),
    inputs: [randn(4, 2, 8)],
    train: true,
    pyCall: 'm(x[0], x[0], x[0])',
    tsCall: (m, x) => (m as nn.MultiheadAttention).forward(x[0], x[0], x[0]),
  },
  {
    name: 'TransformerEncoderLayer eval',
    py: 'nn.TransformerEncoderLayer(8, 2, dim_feedforward=16)',
    ts: () => new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }),
    inputs: [randn(5, 3, 8)],
  },
  {
    name: 'TransformerEncoderLayer train with dropout',
    py: 'nn.TransformerEncoderLayer(8, 2, 16, 0.2)',
    ts: () => new nn.TransformerEncoderLayer(8, 2, 16, 0.2),
    inputs: [randn(5, 3, 8)],
    train: true,
  },
  {
    name: 'TransformerEncoderLayer norm_first, gelu, batch_first, masks',
    py: "nn.TransformerEncoderLayer(8, 4, dim_feedforward=12, dropout=0.0, activation='gelu', batch_first=True, norm_first=True)",
    ts: () => new nn.TransformerEncoderLayer(8, 4, { dimFeedforward: 12, dropout: 0.0, activation: 'gelu', batchFirst: true, normFirst: true }),
    inputs: [randn(2, 5, 8), 'torch.triu(torch.ones(5, 5, dtype=torch.bool), 1)', 'torch.tensor([[False]*4 + [True], [False]*5])'],
    pyCall: 'm(x[0], src_mask=x[1], src_key_padding_mask=x[2])',
    tsCall: (m, x) => (m as nn.TransformerEncoderLayer).forward(x[0], { srcMask: x[1], srcKeyPaddingMask: x[2] }),
  },
]);
