// Every other architecture family against torchvision, on small inputs: Python builds the model with random
// weights (and random BatchNorm statistics), saves its state_dict; torch-node builds it with `weights: <file>`.
// Same state-dict keys and shapes in the same order, the same outputs in eval mode, and in train mode with
// dropout and stochastic depth at p = 0 (auxiliary outputs of GoogLeNet and Inception v3 included).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { models } from '../lib/vision';
import { py, requirePython } from './helpers/python';

function assertNear(actual: Tensor, expected: Tensor, what: string, tol = 1e-4): void {
  assert.deepStrictEqual(actual.shape, expected.shape, `${what}: shape`);
  const diff = torch.tidy(() => actual.sub(expected).abs().max().item());
  const scale = torch.tidy(() => expected.abs().max().item());
  assert.ok(diff <= tol * Math.max(scale, 1), `${what}: max |diff| ${diff} at scale ${scale}`);
}

/** [builder, input side, Python keyword arguments, the same in TypeScript]. */
const CASES: [string, number, string, Record<string, unknown>][] = [
  ['resnet50', 64, '', {}],
  ['resnext50_32x4d', 64, '', {}],
  ['vgg11_bn', 32, '', {}],
  ['alexnet', 64, '', {}],
  ['mobilenet_v2', 64, '', {}],
  ['mobilenet_v3_small', 64, '', {}],
  ['efficientnet_v2_s', 64, '', {}],
  ['densenet169', 64, '', {}],
  ['squeezenet1_0', 64, '', {}],
  ['squeezenet1_1', 64, '', {}],
  ['shufflenet_v2_x0_5', 64, '', {}],
  ['mnasnet0_75', 64, '', {}],
  ['googlenet', 64, 'aux_logits=True, transform_input=True', { auxLogits: true, transformInput: true }],
  ['inception_v3', 299, 'aux_logits=True', { auxLogits: true }],
  ['regnet_y_400mf', 64, '', {}],
  ['regnet_x_400mf', 64, '', {}],
  ['vit_b_32', 64, 'image_size=64', { imageSize: 64 }],
  ['convnext_small', 64, '', {}],
  // 72 px: windows are padded (18x18 patches, window 7) and the last stages' windows cover the whole map.
  ['swin_t', 72, '', {}],
  ['swin_v2_t', 72, '', {}],
];

describe('vision.models: each architecture against torchvision', function () {
  this.timeout(900000);
  let dir: string;
  let keys: Record<string, [string, number[]][]>;

  before(function () {
    requirePython(this);
    this.timeout(900000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-arch-'));
    const r = py(`
import torchvision, torch.nn as nn, warnings
warnings.simplefilter('ignore')
cases = ${JSON.stringify(CASES.map(([n, s, a]) => [n, s, a]))}
keys = {}
for name, size, args in cases:
    torch.manual_seed(0)
    m = eval(f'torchvision.models.{name}({args})')
    g = torch.Generator().manual_seed(5)
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                n = mod.num_features
                mod.weight.copy_(torch.rand(n, generator=g) + 0.5)
                mod.bias.copy_(torch.rand(n, generator=g) - 0.5)
                mod.running_mean.copy_(torch.rand(n, generator=g) * 0.2 - 0.1)
                mod.running_var.copy_(torch.rand(n, generator=g) + 0.5)
        for p in m.parameters():
            if p.numel() > 1 and float(p.std()) == 0.0:
                p.add_(torch.randn(p.shape, generator=g) * 0.05)
    torch.save(m.state_dict(), f'${dir}/{name}.pth')
    keys[name] = [[k, list(v.shape)] for k, v in m.state_dict().items()]
    x = torch.randn(2, 3, size, size, generator=g)
    m.eval()
    with torch.no_grad():
        ev = m(x)
    for mod in m.modules():
        if isinstance(mod, nn.Dropout) or type(mod).__name__ == 'StochasticDepth':
            mod.p = 0.0
    m.train()
    with torch.no_grad():
        tr = m(x)
    res = {'x': x, 'eval': ev}
    if isinstance(tr, torch.Tensor):
        res['train'] = tr
    else:
        res['train'] = tr[0]
        res['aux'] = [t for t in tr[1:] if t is not None]
    torch.save(res, f'${dir}/{name}-expected.pth')
emit('keys', keys)
`);
    keys = r.keys as Record<string, [string, number[]][]>;
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, , , tsOpts] of CASES) {
    it(`${name}: same keys and shapes, eval and train outputs`, async function () {
      const m = await models.getModel(name, { weights: path.join(dir, `${name}.pth`), ...tsOpts });
      assert.deepStrictEqual(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape]), keys[name]);
      const e = await torch.load<{ x: Tensor; eval: Tensor; train: Tensor; aux?: Tensor[] }>(path.join(dir, `${name}-expected.pth`));
      m.eval();
      assertNear(torch.noGrad(() => m.forward(e.x) as Tensor), e.eval, 'eval');
      for (const mod of m.modules()) if (mod instanceof nn.Dropout || mod instanceof models.StochasticDepth) mod.p = 0;
      m.train();
      const out = torch.noGrad(() => m.forward(e.x) as Tensor | models.GoogLeNetOutputs | models.InceptionOutputs);
      if (out instanceof Tensor) {
        assertNear(out, e.train, 'train');
      } else {
        const [logits, ...aux] = [...out];
        assertNear(logits as Tensor, e.train, 'train logits');
        assert.strictEqual(aux.length, (e.aux as Tensor[]).length);
        aux.forEach((a, i) => assertNear(a as Tensor, (e.aux as Tensor[])[i], `train aux ${i}`));
      }
    });
  }
});
