// torchvision models in torch-node against torchvision itself: Python builds the model with random weights (and
// random BatchNorm statistics), saves its state_dict with torch.save; torch-node builds the same architecture with
// `weights: <that file>`. Then: the same state-dict keys in the same order; the same outputs in eval mode and in
// train mode (dropout and stochastic depth set to p = 0 on both sides, BatchNorm on batch statistics and its
// running statistics updated the same way); and one SGD step on a replaced head giving the same new weights.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim, Tensor } from '../lib';
import { models } from '../lib/vision';
import { py, requirePython } from './helpers/python';

/** Largest |a - b| relative to the largest |b| (plus a floor), so deep nets' float noise is judged at their scale. */
function assertNear(actual: Tensor, expected: Tensor, what: string, tol = 1e-4): void {
  assert.deepStrictEqual(actual.shape, expected.shape, `${what}: shape`);
  const diff = torch.tidy(() => actual.sub(expected).abs().max().item());
  const scale = torch.tidy(() => expected.abs().max().item());
  assert.ok(diff <= tol * Math.max(scale, 1), `${what}: max |diff| ${diff} at scale ${scale}`);
}

interface Case {
  /** Builder name (Python's and ours). */
  name: string;
  /** Input side. */
  size: number;
  /** Python expression of the head under `m.`, e.g. 'fc', 'classifier[6]'. */
  head: string;
  /** The head's input features. */
  inFeatures: number;
  /** Replaces the head on our model. */
  setHead: (m: nn.Module, head: nn.Module) => void;
  /** Extra builder arguments, in Python and in TypeScript. */
  pyArgs?: string;
  tsOpts?: Record<string, unknown>;
}

/** Runs torchvision's model in Python and writes the weights and the expected values into `dir`. */
function pythonReference(c: Case, dir: string): { keys: string[]; bnKey: string | null } {
  const weights = path.join(dir, `${c.name}.pth`);
  const expected = path.join(dir, `${c.name}-expected.pth`);
  const out = py(`
import torchvision, torch.nn as nn
torch.manual_seed(0)
m = torchvision.models.${c.name}(${c.pyArgs ?? ''})
g = torch.Generator().manual_seed(5)
with torch.no_grad():
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d):
            n = mod.num_features
            mod.weight.copy_(torch.rand(n, generator=g) + 0.5)
            mod.bias.copy_(torch.rand(n, generator=g) - 0.5)
            mod.running_mean.copy_(torch.rand(n, generator=g) * 0.2 - 0.1)
            mod.running_var.copy_(torch.rand(n, generator=g) + 0.5)
            mod.num_batches_tracked.fill_(3)
    # Constant parameters (LayerNorm weights, zero biases, ViT's zero head) get noise, so every one matters.
    for p in m.parameters():
        if p.numel() > 1 and float(p.std()) == 0.0:
            p.add_(torch.randn(p.shape, generator=g) * 0.05)
torch.save(m.state_dict(), ${JSON.stringify(weights)})
emit('keys', list(m.state_dict().keys()))
bn_keys = [k for k in m.state_dict().keys() if k.endswith('running_mean')]
bn_key = bn_keys[len(bn_keys) // 2] if bn_keys else None
emit('bnKey', bn_key)
x = torch.randn(2, 3, ${c.size}, ${c.size}, generator=g)
m.eval()
with torch.no_grad():
    ev = m(x)
for mod in m.modules():
    if isinstance(mod, nn.Dropout) or type(mod).__name__ == 'StochasticDepth':
        mod.p = 0.0
m.train()
with torch.no_grad():
    tr = m(x)
res = {'x': x, 'eval': ev, 'train': tr}
if bn_key is not None:
    res['bn'] = m.state_dict()[bn_key].clone()
torch.manual_seed(1)
head = nn.Linear(${c.inFeatures}, 10)
res['head_weight'] = head.weight.detach().clone()
res['head_bias'] = head.bias.detach().clone()
m.${c.head} = head
for p in m.parameters():
    p.requires_grad_(False)
for p in head.parameters():
    p.requires_grad_(True)
opt = torch.optim.SGD(head.parameters(), lr=0.1, momentum=0.9)
out = m(x)
loss = nn.functional.cross_entropy(out, torch.tensor([3, 7]))
loss.backward()
opt.step()
res['loss'] = loss.detach()
res['new_weight'] = head.weight.detach().clone()
res['new_bias'] = head.bias.detach().clone()
torch.save(res, ${JSON.stringify(expected)})
`);
  return { keys: out.keys as string[], bnKey: out.bnKey as string | null };
}

const CASES: Case[] = [
  { name: 'resnet18', size: 64, head: 'fc', inFeatures: 512, setHead: (m, h) => ((m as models.ResNet).fc = h) },
  { name: 'vgg16', size: 64, head: 'classifier[6]', inFeatures: 4096, setHead: (m, h) => ((m as models.VGG).classifier[6] = h) },
  { name: 'mobilenet_v3_large', size: 64, head: 'classifier[3]', inFeatures: 1280, setHead: (m, h) => ((m as models.MobileNetV3).classifier[3] = h) },
  { name: 'efficientnet_b0', size: 64, head: 'classifier[1]', inFeatures: 1280, setHead: (m, h) => ((m as models.EfficientNet).classifier[1] = h) },
  { name: 'densenet121', size: 64, head: 'classifier', inFeatures: 1024, setHead: (m, h) => ((m as models.DenseNet).classifier = h) },
  { name: 'convnext_tiny', size: 64, head: 'classifier[2]', inFeatures: 768, setHead: (m, h) => ((m as models.ConvNeXt).classifier[2] = h) },
  // ViT at 64 px (torchvision's image_size argument: 16 patches) keeps the test fast; the architecture is the same.
  {
    name: 'vit_b_16', size: 64, head: 'heads.head', inFeatures: 768, setHead: (m, h) => ((m as models.VisionTransformer).heads.head = h),
    pyArgs: 'image_size=64', tsOpts: { imageSize: 64 },
  },
];

describe('vision.models: torchvision models against torchvision', function () {
  this.timeout(600000);
  let dir: string;

  before(function () {
    requirePython(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-models-'));
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`${c.name}: Python's weights load; same keys, eval and train outputs, and SGD step on a new head`, async function () {
      const ref = pythonReference(c, dir);
      const builder = models.getModelBuilder(c.name);
      const m = await builder({ weights: path.join(dir, `${c.name}.pth`), ...c.tsOpts });
      fs.rmSync(path.join(dir, `${c.name}.pth`));
      assert.deepStrictEqual(Object.keys(m.stateDict()), ref.keys);
      assert.deepStrictEqual([...m.namedParameters()].map(([k]) => k), ref.keys.filter((k) => !/running_(mean|var)$|num_batches_tracked$/.test(k)));
      const e = await torch.load<Record<string, Tensor>>(path.join(dir, `${c.name}-expected.pth`));
      const x = e.x;

      m.eval();
      assertNear(torch.noGrad(() => m.forward(x) as Tensor), e.eval, 'eval output');

      for (const mod of m.modules()) if (mod instanceof nn.Dropout || mod instanceof models.StochasticDepth) mod.p = 0;
      m.train();
      assertNear(torch.noGrad(() => m.forward(x) as Tensor), e.train, 'train output');
      if (ref.bnKey !== null) assertNear(m.stateDict()[ref.bnKey], e.bn, `running stats ${ref.bnKey}`, 1e-5);

      const head = new nn.Linear(c.inFeatures, 10);
      torch.noGrad(() => {
        head.weight.copy_(e.head_weight);
        (head.bias as Tensor).copy_(e.head_bias);
      });
      c.setHead(m, head);
      for (const p of m.parameters()) p.requiresGrad = false;
      for (const p of head.parameters()) p.requiresGrad = true;
      const opt = new optim.SGD(head.parameters(), { lr: 0.1, momentum: 0.9 });
      opt.zeroGrad();
      const loss = new nn.CrossEntropyLoss().forward(m.forward(x) as Tensor, torch.tensor([3n, 7n]));
      loss.backward();
      opt.step();
      assertNear(loss, e.loss, 'loss', 1e-5);
      assertNear(head.weight, e.new_weight, 'head weight after SGD', 1e-5);
      assertNear(head.bias as Tensor, e.new_bias, 'head bias after SGD', 1e-5);
    });
  }
});

describe('vision.models: fine-tuned checkpoints move between torch-node and Python', function () {
  this.timeout(300000);
  let dir: string;

  before(function () {
    requirePython(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-finetune-'));
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a resnet18 fine-tuned here, saved with torch.save(model.stateDict()), gives the same outputs in torchvision', async function () {
    torch.manualSeed(3);
    const m = await models.resnet18();
    m.fc = new nn.Linear(m.fc.inFeatures, 10);
    const opt = new optim.SGD(m.parameters(), { lr: 0.05, momentum: 0.9 });
    m.train();
    const x = torch.randn([4, 3, 64, 64]);
    const loss = new nn.CrossEntropyLoss().forward(m.forward(x), torch.tensor([1n, 5n, 9n, 0n]));
    loss.backward();
    opt.step();
    m.eval();
    const probe = torch.randn([2, 3, 64, 64]);
    const out = torch.noGrad(() => m.forward(probe));
    await torch.save(m.stateDict(), path.join(dir, 'tuned.pth'));
    await torch.save({ x: probe, out }, path.join(dir, 'probe.pth'));
    const r = py(`
import torchvision, torch.nn as nn
m = torchvision.models.resnet18()
m.fc = nn.Linear(512, 10)
m.load_state_dict(torch.load(${JSON.stringify(path.join(dir, 'tuned.pth'))}))
m.eval()
p = torch.load(${JSON.stringify(path.join(dir, 'probe.pth'))})
with torch.no_grad():
    emit('diff', float((m(p['x']) - p['out']).abs().max()))
    emit('scale', float(p['out'].abs().max()))
`);
    assert.ok((r.diff as number) <= 1e-4 * Math.max(r.scale as number, 1), `max |diff| ${r.diff}`);
  });

  it('a resnet18 fine-tuned in torchvision loads with { weights: file, numClasses: 10 } and gives the same outputs', async function () {
    py(`
import torchvision, torch.nn as nn
torch.manual_seed(4)
m = torchvision.models.resnet18()
m.fc = nn.Linear(512, 10)
opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
x = torch.randn(4, 3, 64, 64)
nn.functional.cross_entropy(m(x), torch.tensor([1, 5, 9, 0])).backward()
opt.step()
m.eval()
probe = torch.randn(2, 3, 64, 64)
with torch.no_grad():
    out = m(probe)
torch.save(m.state_dict(), ${JSON.stringify(path.join(dir, 'py-tuned.pth'))})
torch.save({'x': probe, 'out': out}, ${JSON.stringify(path.join(dir, 'py-probe.pth'))})
`);
    const m = await models.resnet18({ weights: path.join(dir, 'py-tuned.pth'), numClasses: 10 });
    const p = await torch.load<{ x: Tensor; out: Tensor }>(path.join(dir, 'py-probe.pth'));
    m.eval();
    assertNear(torch.noGrad(() => m.forward(p.x)), p.out, 'outputs');
  });
});
