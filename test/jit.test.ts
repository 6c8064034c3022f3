// torch.jit against real PyTorch: modules scripted and traced by Python load here and give Python's outputs,
// gradients and optimizer steps; modules saved here run in Python; scripts/export-torchvision's placeholder
// exports take a torchvision state dict; bad files and bad arguments are clear errors.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as torch from '../lib';
import { Tensor, nn, optim } from '../lib';
import { tensorCount } from './helpers/tensor_count';
import { py, requirePython, assertClose, PYTHON } from './helpers/python';

const NETDEF = `
import torch
from typing import Dict, List, Optional, Tuple

class Sub(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(3, 2)
    def forward(self, x):
        return self.lin(x)

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.sub = Sub()
        self.seq = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh())
        self.bn = torch.nn.BatchNorm1d(2)
        self.register_buffer('count', torch.zeros(1))
    def forward(self, x: torch.Tensor, n: int = 2, scale: float = 1.0):
        y = self.sub(x)
        for _ in range(n):
            y = self.seq(y)
        if self.training:
            y = y * 2
        return self.bn(y) * scale
    @torch.jit.export
    def many(self, xs: List[torch.Tensor], d: Dict[str, torch.Tensor], flag: bool, name: str, opt: Optional[torch.Tensor] = None) -> Tuple[torch.Tensor, Dict[str, int], List[str], Optional[torch.Tensor]]:
        s = xs[0]
        for k in d:
            s = s + d[k]
        if flag:
            s = s * 3
        return s, {name: len(xs)}, [name, name + '!'], opt
    @torch.jit.export
    def ints(self, d: Dict[int, float]) -> Dict[int, float]:
        out: Dict[int, float] = {}
        for k in d:
            out[k * 2] = d[k] + 0.5
        return out
`;

type Out = Record<string, unknown>;

describe('torch.jit', function () {
  this.timeout(120000);
  let dir: string;
  let e: Out;
  const file = (name: string) => path.join(dir, name);
  const q = (name: string) => JSON.stringify(file(name));

  before(function () {
    requirePython(this);
    this.timeout(300000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-jit-'));
    fs.writeFileSync(file('netdef.py'), NETDEF);
    e = py(`
import sys, torchvision
import torch.nn.functional as F
sys.path.insert(0, ${JSON.stringify(dir)})
import netdef
torch.manual_seed(0)
net = torch.jit.script(netdef.Net())
net.save(${q('net.pt')})
x = torch.randn(4, 3)
torch.save(x, ${q('x.pt')})
load = torch.jit.load
emit('net_keys', list(net.state_dict().keys()))
emit('net_params', [n for n, _ in net.named_parameters()])
emit('net_buffers', [n for n, _ in net.named_buffers()])
emit('net_modules', [n for n, _ in net.named_modules()])
m = load(${q('net.pt')}); emit('net_train', m(x)); emit('net_train_rv', m.bn.running_var)
m = load(${q('net.pt')}); m.eval(); emit('net_eval', m(x)); emit('net_eval_kw', m(x, 3, scale=2.0))
emit('many', list(m.many([x], {'a': x, 'b': x * 2}, True, 'hi', None)))
emit('many_opt', m.many([x], {}, False, 'o', x)[3])
emit('ints', {str(k): v for k, v in m.ints({1: 2.0, 3: 4.0}).items()})
m = load(${q('net.pt')}); m.double(); m.eval(); emit('net_double', m(x.double()))

torch.manual_seed(1)
r = torchvision.models.resnet18(num_classes=10)
with torch.no_grad():
    for mod in r.modules():
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.2, 0.2); mod.running_var.uniform_(0.5, 1.5)
            mod.weight.uniform_(0.5, 1.5); mod.bias.uniform_(-0.2, 0.2)
img = torch.randn(2, 3, 64, 64)
torch.save(img, ${q('img.pt')})
torch.jit.script(r).save(${q('r18s.pt')})
torch.jit.trace(r.eval(), img).save(${q('r18t.pt')})
emit('r_keys', list(load(${q('r18s.pt')}).state_dict().keys()))
m = load(${q('r18s.pt')}); m.eval(); emit('r_eval', m(img))
m = load(${q('r18t.pt')}); emit('t_eval', m(img))
m = load(${q('r18s.pt')}); m.train()
out = m(img)
emit('r_train', out); emit('r_train_rm', m.bn1.running_mean); emit('r_train_nbt', getattr(m.layer4, '1').bn2.num_batches_tracked)
loss = F.cross_entropy(out, torch.tensor([1, 7]))
loss.backward()
emit('r_loss', loss)
emit('g_conv1', m.conv1.weight.grad); emit('g_bn', getattr(m.layer4, '1').bn2.weight.grad); emit('g_fc', m.fc.weight.grad)
opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
opt.step()
emit('w_conv1', m.conv1.weight); emit('w_fc', m.fc.weight); emit('w_fcb', m.fc.bias)
`);
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const x = async () => torch.load<Tensor>(file('x.pt'));
  const img = async () => torch.load<Tensor>(file('img.pt'));

  it('a scripted module with control flow gives Python outputs in train and eval mode, with default and keyword arguments', async function () {
    let m = await torch.jit.load(file('net.pt'));
    assert.ok(m instanceof nn.Module && m instanceof torch.jit.ScriptModule);
    assert.strictEqual(m.training, true);
    assertClose(m.forward(await x()) as Tensor, e.net_train, { rtol: 1e-5 });
    // The batch statistics updated TorchScript's buffer, which is the Module's buffer.
    assertClose((m.getSubmodule('bn') as nn.Module).getBuffer('running_var'), e.net_train_rv);
    m = await torch.jit.load(file('net.pt'));
    m.eval();
    assert.strictEqual(m.training, false);
    assert.strictEqual((m.getSubmodule('seq.0') as nn.Module).training, false);
    assertClose(m.forward(await x()) as Tensor, e.net_eval);
    assertClose(m.forward(await x(), 3, { scale: 2 }) as Tensor, e.net_eval_kw);
    assertClose(m.forward(await x(), { n: 3, scale: 2 }) as Tensor, e.net_eval_kw);
  });

  it('other methods take and return lists, tuples, dicts (objects and Maps), strings, booleans and None', async function () {
    const m = await torch.jit.load(file('net.pt'));
    const xv = await x();
    assert.deepStrictEqual(m.methods().sort(), ['forward', 'ints', 'many']);
    assert.match(m.methodSchema('many'), /^many\(.*Tensor\[\] xs, Dict\(str, Tensor\) d, bool flag, str name, Tensor\? opt=None\)/);
    const r = m.callMethod('many', [xv], { a: xv, b: xv.mul(2) }, true, 'hi', null) as unknown[];
    const want = e.many as unknown[];
    assertClose(r[0] as Tensor, want[0]);
    assert.deepStrictEqual(r.slice(1), want.slice(1));
    // Python's spelling: methods are properties.
    const viaProp = (m as unknown as { many: (...a: unknown[]) => unknown[] }).many([xv], {}, false, 'o', xv);
    assertClose(viaProp[3] as Tensor, e.many_opt);
    const ints = m.callMethod('ints', new Map([[1, 2], [3, 4]])) as Map<number, number>;
    assert.ok(ints instanceof Map);
    assert.deepStrictEqual(Object.fromEntries([...ints].map(([k, v]) => [String(k), v])), e.ints);
    // An object with integral keys also fills a Dict[int, float].
    assert.deepStrictEqual([...(m.callMethod('ints', { 5: 1 }) as Map<number, number>)], [[10, 1.5]]);
    // Results nested in tuples, lists and dicts belong to tidy() scopes like any other tensor.
    const left = tensorCount();
    for (let i = 0; i < 5; i++) torch.tidy(() => void m.callMethod('many', [xv, xv], { a: xv }, true, 'hi', xv));
    assert.strictEqual(left(), 0);
  });

  it('names, stateDict keys and the module tree are Python\'s; members are the TorchScript tensors themselves', async function () {
    const m = await torch.jit.load(file('net.pt'));
    assert.deepStrictEqual(Object.keys(m.stateDict()), e.net_keys);
    assert.deepStrictEqual([...m.namedParameters()].map(([n]) => n), e.net_params);
    assert.deepStrictEqual([...m.namedBuffers()].map(([n]) => n), e.net_buffers);
    assert.deepStrictEqual([...m.namedModules()].map(([n]) => n), e.net_modules);
    const seq = (m as unknown as { seq: nn.Module[] }).seq;
    assert.ok(seq[0] instanceof torch.jit.ScriptModule);
    const lin = m.getSubmodule('sub.lin') as unknown as { weight: nn.Parameter; bias: nn.Parameter };
    assert.ok(lin.weight instanceof nn.Parameter);
    assert.strictEqual(lin.weight.requiresGrad, true);
    assert.strictEqual(m.toString().split('\n')[1].trim(), 'original_name=Net');
    // Writing into the parameter changes what TorchScript computes: they share the at::Tensor.
    m.eval();
    const before = m.forward(await x()) as Tensor;
    torch.noGrad(() => lin.bias.add_(1));
    assert.ok(!torch.allclose(before, m.forward(await x()) as Tensor));
    // Assignments reach TorchScript; its type check stays.
    const w = new nn.Parameter(torch.zeros([2, 3]));
    lin.weight = w;
    assert.strictEqual(lin.weight, w);
    torch.noGrad(() => lin.bias.zero_());
    const z = m.callMethod('forward', await x(), 0) as Tensor;
    const bn = m.getSubmodule('bn') as unknown as { running_mean: Tensor; running_var: Tensor; bias: Tensor };
    // Zero weights and bias: forward is bn(0) = bias - mean / sqrt(var + eps) * weight.
    const expect = torch.noGrad(() => bn.running_mean.neg().div(bn.running_var.add(1e-5).sqrt()).mul((m.getSubmodule('bn') as unknown as { weight: Tensor }).weight).add(bn.bias));
    assert.ok(z.allclose(expect.expand([4, 2]), { rtol: 1e-5, atol: 1e-6 }));
    assert.throws(() => ((m as unknown as { seq: nn.Module }).seq = new nn.Linear(2, 2)), TypeError);
    assert.throws(() => ((m as unknown as { extra: nn.Parameter }).extra = new nn.Parameter(torch.zeros([1]))), TypeError);
    assert.throws(() => ((m as unknown as { sub: nn.Module }).sub = seq[0]), torch.TorchError);
  });

  it('to(float64) keeps parameter identity and TorchScript runs in float64; requiresGrad_ reaches TorchScript', async function () {
    const m = await torch.jit.load(file('net.pt'));
    const params = [...m.parameters()];
    m.double();
    m.eval();
    assert.deepStrictEqual([...m.parameters()], params);
    assert.ok(params.every((p) => p.dtype === 'float64'));
    const out = m.forward((await x()).double()) as Tensor;
    assertClose(out, e.net_double);
    m.requiresGrad_(false);
    assert.strictEqual((m.forward((await x()).double()) as Tensor).requiresGrad, false);
  });

  it('a scripted resnet18 gives Python outputs in eval and train mode (BatchNorm statistics included)', async function () {
    let m = await torch.jit.load(file('r18s.pt'));
    assert.deepStrictEqual(Object.keys(m.stateDict()), e.r_keys);
    m.eval();
    const im = await img();
    assertClose(torch.noGrad(() => m.forward(im)) as Tensor, e.r_eval, { rtol: 1e-4, atol: 1e-5 });
    m = await torch.jit.load(file('r18s.pt'));
    m.train();
    assertClose(m.forward(await img()) as Tensor, e.r_train, { rtol: 1e-4, atol: 1e-5 });
    assertClose(m.getBuffer('bn1.running_mean'), e.r_train_rm, { rtol: 1e-4, atol: 1e-6 });
    assertClose(m.getBuffer('layer4.1.bn2.num_batches_tracked'), e.r_train_nbt);
  });

  it('a traced resnet18 gives Python output', async function () {
    const m = await torch.jit.load(file('r18t.pt'));
    assertClose(m.forward(await img()) as Tensor, e.t_eval, { rtol: 1e-4, atol: 1e-5 });
  });

  it('gradients equal Python\'s and one SGD step over m.parameters() gives Python\'s new weights', async function () {
    const m = await torch.jit.load(file('r18s.pt'));
    m.train();
    const opt = new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9, weightDecay: 1e-4 });
    opt.zeroGrad();
    const loss = nn.functional.crossEntropy(m.forward(await img()) as Tensor, torch.tensor([1n, 7n]));
    assertClose(loss, e.r_loss, { rtol: 1e-5 });
    loss.backward();
    const p = (name: string) => m.getParameter(name);
    assertClose(p('conv1.weight').grad as Tensor, e.g_conv1, { rtol: 1e-3, atol: 1e-6 });
    assertClose(p('layer4.1.bn2.weight').grad as Tensor, e.g_bn, { rtol: 1e-3, atol: 1e-6 });
    assertClose(p('fc.weight').grad as Tensor, e.g_fc, { rtol: 1e-3, atol: 1e-6 });
    opt.step();
    assertClose(p('conv1.weight'), e.w_conv1, { rtol: 1e-5, atol: 1e-6 });
    assertClose(p('fc.weight'), e.w_fc, { rtol: 1e-5, atol: 1e-6 });
    assertClose(p('fc.bias'), e.w_fcb, { rtol: 1e-5, atol: 1e-6 });
    // The step reached TorchScript: the module computes with the new weights (checked against Python below).
    m.eval();
    const im = await img();
    const out = torch.noGrad(() => m.forward(im)) as Tensor;
    await torch.jit.save(m, file('trained.pt'));
    await torch.save(out, file('trained_out.pt'));
    const r = py(`
m = torch.jit.load(${q('trained.pt')})
emit('training', m.training)
emit('out', m(torch.load(${q('img.pt')})))
emit('fcb', m.fc.bias)
`);
    assert.strictEqual(r.training, false);
    assertClose(out, r.out, { rtol: 1e-5, atol: 1e-6 });
    assertClose(p('fc.bias'), r.fcb, { rtol: 0, atol: 0 });
  });

  it('scripts/export-torchvision: a placeholder export is tiny, takes a torchvision state dict and gives torchvision\'s output', async function () {
    this.timeout(300000);
    const script = path.join(__dirname, '..', '..', 'scripts', 'export-torchvision');
    const out = file('export');
    const run = spawnSync(PYTHON, [script, '--models', 'resnet18', '--out', out], { encoding: 'utf8' });
    assert.strictEqual(run.status, 0, run.stderr);
    const index = JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8')) as { models: Record<string, { file: string; bytes: number }> };
    const f = path.join(out, index.models.resnet18.file);
    assert.ok(fs.statSync(f).size < 200000, `the export is ${fs.statSync(f).size} bytes`);
    const r = py(`
import torchvision
torch.manual_seed(2)
m = torchvision.models.resnet18()
with torch.no_grad():
    for b in m.buffers():
        if b.dtype.is_floating_point: b.uniform_(0.5, 1.5)
torch.save(m.state_dict(), ${q('tv.pth')})
m.eval()
emit('out', m(torch.load(${q('img.pt')})))
`);
    const m = await torch.jit.load(f);
    assert.ok(m.getParameter('conv1.weight').stride().every((s) => s === 0));
    const tree = m as unknown as { conv1: { bias: unknown }; layer1: nn.Module[] };
    assert.strictEqual(tree.conv1.bias, null);
    assert.ok(tree.layer1[0] instanceof torch.jit.ScriptModule);
    assert.deepStrictEqual(m.getParameter('fc.weight').shape, [1000, 512]);
    m.loadStateDict(await torch.load<Record<string, Tensor>>(file('tv.pth')));
    assert.ok(!m.getParameter('conv1.weight').stride().every((s) => s === 0));
    assert.strictEqual(m.getParameter('conv1.weight').requiresGrad, true);
    m.eval();
    const im = await img();
    // A child runs on its own, with the weights it was given.
    const block = tree.layer1[0].forward(torch.randn([1, 64, 8, 8])) as Tensor;
    assert.deepStrictEqual(block.shape, [1, 64, 8, 8]);
    assertClose(torch.noGrad(() => m.forward(im)) as Tensor, r.out, { rtol: 1e-4, atol: 1e-5 });
  });

  it('@gpu loads onto CUDA with mapLocation and moves there with to(), keeping parameter identity', async function () {
    if (!torch.cuda.isAvailable()) {
      if (process.env.REQUIRE_CUDA) throw new Error('REQUIRE_CUDA is set but no CUDA device is available');
      this.skip();
    }
    const cpu = await torch.jit.load(file('net.pt'));
    cpu.eval();
    const xv = await x();
    const want = cpu.forward(xv) as Tensor;
    const g = await torch.jit.load(file('net.pt'), { mapLocation: 'cuda' });
    g.eval();
    assert.strictEqual(g.getParameter('sub.lin.weight').device.type, 'cuda');
    assert.ok((g.forward(xv.to('cuda')) as Tensor).to('cpu').allclose(want, { rtol: 1e-4, atol: 1e-5 }));
    const params = [...cpu.parameters()];
    cpu.to('cuda');
    assert.deepStrictEqual([...cpu.parameters()], params);
    assert.ok((cpu.forward(xv.to('cuda')) as Tensor).to('cpu').allclose(want, { rtol: 1e-4, atol: 1e-5 }));
  });

  it('missing, corrupt and foreign files are TorchErrors naming the file; bad arguments are TypeErrors', async function () {
    const missing = file('nope.pt');
    await assert.rejects(torch.jit.load(missing), (err: Error) => err instanceof torch.TorchError && err.message.includes(missing));
    fs.writeFileSync(file('corrupt.pt'), Buffer.from('PK\x03\x04 this is not a zip archive at all'));
    await assert.rejects(torch.jit.load(file('corrupt.pt')), (err: Error) => err instanceof torch.TorchError && err.message.includes(file('corrupt.pt')));
    const truncated = fs.readFileSync(file('net.pt')).subarray(0, 2000);
    fs.writeFileSync(file('truncated.pt'), truncated);
    await assert.rejects(torch.jit.load(file('truncated.pt')), (err: Error) => err instanceof torch.TorchError && err.message.includes(file('truncated.pt')));
    await assert.rejects(torch.jit.load(file('x.pt')), (err: Error) => err instanceof torch.TorchError && err.message.includes(file('x.pt')) && /torch\.load/.test(err.message));
    await assert.rejects(torch.jit.load(42 as unknown as string), TypeError);
    await assert.rejects(torch.jit.load(file('net.pt'), { map_location: 'cpu' } as unknown as torch.jit.JitLoadOptions), TypeError);
    await assert.rejects(torch.jit.save(new nn.Linear(2, 2) as unknown as torch.jit.ScriptModule, file('l.pt')), TypeError);
    const m = await torch.jit.load(fs.readFileSync(file('net.pt')), { mapLocation: 'cpu' });
    assert.throws(() => m.forward('x'), (err: Error) => err instanceof TypeError && /argument 'x' must be a Tensor/.test(err.message));
    assert.throws(() => m.forward(3), TypeError);
    assert.throws(() => m.forward(), (err: Error) => err instanceof TypeError && /missing required argument 'x'/.test(err.message));
    assert.throws(() => m.forward(torch.ones([4, 3]), 'two'), TypeError);
    assert.throws(() => m.forward(torch.ones([4, 3]), { nope: 1 }), (err: Error) => err instanceof TypeError && /unexpected keyword argument 'nope'/.test(err.message));
    assert.throws(() => m.callMethod('nope'), TypeError);
    assert.throws(() => m.callMethod('many', [1], {}, true, 'a'), TypeError);
    assert.throws(() => m.forward(torch.ones([4, 5])), torch.TorchError);
    await assert.rejects(torch.jit.save(m, path.join(dir, 'no', 'such', 'dir', 'm.pt')), (err: Error) => err instanceof torch.TorchError && err.message.includes('m.pt'));
  });
});

describe('torch.jit: a file exported by torch 1.13', function () {
  this.timeout(120000);
  // Checked in (test/fixtures/scripted_1_13.py made it): on a LibTorch 2.x this proves that 1.13 exports load.
  const fixture = path.join(__dirname, '..', '..', 'test', 'fixtures', 'scripted_1_13.pt');

  it('loads and runs every method as Python does on the same file', async function () {
    requirePython(this);
    const m = await torch.jit.load(fixture);
    m.eval();
    assert.deepStrictEqual(m.methods().sort(), ['combine', 'forward', 'maybe']);
    const x = torch.arange(6, { dtype: 'float32' }).reshape([2, 3]);
    const out = m.forward(x, 0.5) as Tensor;
    const [sum, tag] = m.callMethod('combine', [x, x.mul(2)], { '1': 0.25 }, 'tag', 3) as [Tensor, string];
    const e = py(`
m = torch.jit.load(${JSON.stringify(fixture)}); m.eval()
x = torch.arange(6.).reshape(2, 3)
emit('out', m(x, 0.5)); emit('sum', m.combine([x, x * 2], {'1': 0.25}, 'tag', 3)[0]); emit('keys', list(m.state_dict().keys()))`);
    assertClose(out, e.out);
    assertClose(sum, e.sum);
    assert.strictEqual(tag, 'tag!');
    assert.strictEqual(m.callMethod('maybe', null), null);
    assert.deepStrictEqual((m.callMethod('maybe', x) as Tensor).tolist(), [[3, 4, 5], [0, 1, 2]]);
    assert.deepStrictEqual(Object.keys(m.stateDict()), e.keys);
  });
});
