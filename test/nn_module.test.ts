// nn.Module semantics against PyTorch: registration by assignment (in order, replacement in place), the
// named views, state dicts and their loading errors, hooks, conversion in place, containers and printing.
import * as assert from 'assert';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { tensorCount } from './helpers/tensor_count';
import { py, requirePython, assertClose } from './helpers/python';

const F = nn.functional;

class Block extends nn.Module {
  conv = new nn.Conv2d(3, 4, 3, { padding: 1, bias: false });
  bn = new nn.BatchNorm2d(4);
  declare scale: nn.Parameter;
  constructor() {
    super();
    this.scale = new nn.Parameter(torch.ones([1]));
    this.registerBuffer('step', torch.zeros([1]), false);
  }
  override forward(x: Tensor): Tensor {
    return F.relu(this.bn.forward(this.conv.forward(x))).mul(this.scale);
  }
}

class Net extends nn.Module {
  block = new Block();
  head: nn.Sequential;
  fc!: nn.Linear;
  constructor() {
    super();
    this.head = new nn.Sequential(new nn.Flatten(), new nn.Dropout(0.2));
    this.fc = new nn.Linear(4 * 2 * 2, 3);
  }
  override forward(x: Tensor): Tensor {
    return this.fc.forward(this.head.forward(F.adaptiveAvgPool2d(this.block.forward(x), 2)));
  }
}

const PY_NET = `
import torch.nn as nn
import torch.nn.functional as F
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(4)
        self.scale = nn.Parameter(torch.ones(1))
        self.register_buffer('step', torch.zeros(1), persistent=False)
    def forward(self, x):
        return F.relu(self.bn(self.conv(x))) * self.scale
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.2))
        self.fc = nn.Linear(4 * 2 * 2, 3)
    def forward(self, x):
        return self.fc(self.head(F.adaptive_avg_pool2d(self.block(x), 2)))
`;

describe('nn.Module', function () {
  let ref: Record<string, unknown>;
  before(function () {
    requirePython(this);
    ref = py(`${PY_NET}
net = Net()
emit('params', [n for n, _ in net.named_parameters()])
emit('buffers', [n for n, _ in net.named_buffers()])
emit('modules', [n for n, _ in net.named_modules()])
emit('children', [n for n, _ in net.named_children()])
emit('state', list(net.state_dict().keys()))
emit('repr', str(net))
net.fc = nn.Linear(16, 5)
net.block = None
emit('replaced', [n for n, _ in net.named_children()])
emit('replaced_repr', str(net))
net2 = Net()
sd = net2.state_dict()
sd['fc.weight'] = torch.zeros(3, 15)
sd['block.bn.running_var'] = torch.zeros(5)
del sd['block.scale']
sd['extra.weight'] = torch.zeros(1)
try:
    Net().load_state_dict(sd)
except RuntimeError as e:
    emit('load_error', str(e))
r = Net().load_state_dict({k: v for k, v in Net().state_dict().items() if k != 'fc.bias'}, strict=False)
emit('non_strict', [r.missing_keys, r.unexpected_keys])
lin = nn.Linear(512, 10)
try:
    lin(torch.randn(2, 3))
except RuntimeError as e:
    emit('linear_error', str(e))
conv = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
try:
    conv(torch.randn(1, 4, 32, 32))
except RuntimeError as e:
    emit('conv_error', str(e))
`);
  });

  it('registers parameters, buffers and children by assignment and class fields, in order', function () {
    const net = new Net();
    assert.deepStrictEqual([...net.namedParameters()].map(([n]) => n), ref.params);
    assert.deepStrictEqual([...net.namedBuffers()].map(([n]) => n), ref.buffers);
    assert.deepStrictEqual([...net.namedModules()].map(([n]) => n), ref.modules);
    assert.deepStrictEqual([...net.namedChildren()].map(([n]) => n), ref.children);
    assert.deepStrictEqual(Object.keys(net.stateDict()), ref.state);
    assert.strictEqual(net.toString(), ref.repr);
    assert.ok(net.block.scale instanceof nn.Parameter);
    assert.strictEqual([...net.parameters()].length, (ref.params as string[]).length);
    assert.deepStrictEqual([...net.parameters(false)], []);
    assert.deepStrictEqual([...net.block.namedParameters('pre', false)].map(([n]) => n), ['pre.scale']);
    assert.deepStrictEqual([...net.children()], [net.block, net.head, net.fc]);
    assert.strictEqual([...net.modules()].length, (ref.modules as string[]).length);
  });

  it('replaces a child in place and unregisters with null', function () {
    const net = new Net();
    net.fc = new nn.Linear(16, 5);
    (net as unknown as { block: null }).block = null;
    assert.deepStrictEqual([...net.namedChildren()].map(([n]) => n), ref.replaced);
    assert.strictEqual(net.toString(), ref.replaced_repr);
    assert.deepStrictEqual([...net.namedParameters()].map(([n]) => n), ['fc.weight', 'fc.bias']);
    delete (net as Partial<Net>).head;
    assert.deepStrictEqual([...net.namedChildren()].map(([n]) => n), ['fc']);
  });

  it('sorts assigned values by type and checks names in one place, as PyTorch', function () {
    const m = new nn.Linear(2, 3);
    assert.throws(() => { (m as unknown as { weight: Tensor }).weight = torch.ones([3, 2]); },
      (e: Error) => e instanceof TypeError && e.message === "cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)");
    assert.throws(() => m.registerBuffer('weight', torch.ones([1])), (e: Error) => e instanceof RangeError && e.message === "attribute 'weight' already exists");
    assert.throws(() => m.registerBuffer('a.b', torch.ones([1])), (e: Error) => e instanceof RangeError && e.message === 'buffer name can\'t contain "."');
    assert.throws(() => m.addModule('', new nn.ReLU()), (e: Error) => e instanceof RangeError && e.message === 'module name can\'t be empty string ""');
    assert.throws(() => m.registerParameter('forward', null), /attribute 'forward' already exists/);
    assert.throws(() => { (m as unknown as { x: unknown }).x = 1; (m as unknown as { x: Tensor }).x = new nn.Parameter(torch.ones([1])); (m as unknown as { x: number }).x = 2; },
      /cannot assign 'int' as parameter 'x'/);
    const s = new nn.Sequential(new nn.ReLU());
    assert.throws(() => { (s as unknown as { '0': number })['0'] = 3; }, /cannot assign 'int' as child module '0'/);
    // a parameter assigned over a plain attribute becomes a parameter; a plain tensor stays an attribute
    const k = new nn.Module() as nn.Module & Record<string, unknown>;
    k.t = torch.ones([2]);
    k.p = new nn.Parameter(torch.ones([2]));
    k.registerBuffer('b', torch.ones([2]));
    k.b = torch.zeros([3]);
    assert.deepStrictEqual([...k.namedParameters()].map(([n]) => n), ['p']);
    assert.deepStrictEqual([...k.namedBuffers()].map(([n]) => n), ['b']);
    assert.deepStrictEqual((k.b as Tensor).shape, [3]);
    assert.throws(() => { k.b = 'x'; }, /cannot assign 'str' as buffer 'b' \(torch.Tensor or None expected\)/);
    assert.throws(() => k.registerParameter('q', torch.ones([1]) as nn.Parameter), /cannot assign 'torch.FloatTensor' object to parameter 'q'/);
  });

  it('finds submodules, parameters and buffers by path', function () {
    const net = new Net();
    assert.strictEqual(net.getSubmodule('block.bn'), net.block.bn);
    assert.strictEqual(net.getSubmodule('head.1'), net.head[1]);
    assert.strictEqual(net.getParameter('block.conv.weight'), net.block.conv.weight);
    assert.strictEqual(net.getBuffer('block.bn.running_mean'), net.block.bn.running_mean);
    assert.throws(() => net.getSubmodule('block.foo'), (e: Error) => e.message === 'Block has no attribute `foo`');
    assert.throws(() => net.getSubmodule('block.scale'), (e: Error) => e.message === '`scale` is not an nn.Module');
  });

  it('keeps non-persistent buffers out of the state dict', function () {
    const net = new Net();
    assert.ok([...net.namedBuffers()].some(([n]) => n === 'block.step'));
    assert.ok(!('block.step' in net.stateDict()));
  });

  it('loads a state dict, and throws once listing every missing, unexpected and mismatched key', function () {
    const src = new Net();
    const sd = src.stateDict();
    const dst = new Net();
    dst.loadStateDict(sd);
    for (const [k, v] of Object.entries(dst.stateDict())) assert.ok(v.equal(sd[k]), k);
    const bad = { ...sd };
    bad['fc.weight'] = torch.zeros([3, 15]);
    bad['block.bn.running_var'] = torch.zeros([5]);
    delete bad['block.scale'];
    bad['extra.weight'] = torch.zeros([1]);
    assert.throws(() => new Net().loadStateDict(bad), (e: Error) => e instanceof torch.TorchError && e.message === ref.load_error);
    const partial = { ...new Net().stateDict() };
    delete partial['fc.bias'];
    const r = new Net().loadStateDict(partial, { strict: false });
    assert.deepStrictEqual([r.missingKeys, r.unexpectedKeys], ref.non_strict);
    assert.deepStrictEqual(new Net().loadStateDict(new Map(Object.entries(sd))), { missingKeys: [], unexpectedKeys: [] });
  });

  it('stateDict entries are detached aliases; keepVars gives the parameters themselves', function () {
    const net = new Net();
    const sd = net.stateDict();
    assert.strictEqual(sd['fc.weight'].requiresGrad, false);
    torch.noGrad(() => net.fc.weight.fill_(2));
    assert.strictEqual(sd['fc.weight'].max().item(), 2);
    assert.strictEqual(net.stateDict({ keepVars: true })['fc.weight'], net.fc.weight);
    assert.deepStrictEqual(Object.keys(net.stateDict({ prefix: 'model.' })).slice(0, 2), ['model.block.scale', 'model.block.conv.weight']);
  });

  it('names the layer and both shapes in Linear and Conv2d shape errors, keeping PyTorch\'s text', function () {
    const lin = new nn.Linear(512, 10);
    assert.throws(() => lin.forward(torch.randn([2, 3])), (e: Error) => e instanceof torch.TorchError &&
      e.message === `Linear(in_features=512, out_features=10, bias=True): input of shape [2, 3] does not match weight of shape [10, 512]: ${ref.linear_error}`);
    const conv = new nn.Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false });
    assert.throws(() => conv.forward(torch.randn([1, 4, 32, 32])), (e: Error) => e instanceof torch.TorchError &&
      e.message === `Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False): input of shape [1, 4, 32, 32] does not match weight of shape [64, 3, 7, 7]: ${ref.conv_error}`);
    assert.throws(() => lin.forward('x' as unknown as Tensor), TypeError);
  });

  it('train()/eval() set the mode everywhere; requiresGrad_ and zeroGrad act on every parameter', function () {
    const net = new Net();
    net.eval();
    assert.ok([...net.modules()].every((m) => m.training === false));
    net.train();
    assert.ok([...net.modules()].every((m) => m.training === true));
    assert.throws(() => net.train('yes' as unknown as boolean), /training mode is expected to be boolean/);
    net.block.requiresGrad_(false);
    assert.deepStrictEqual([...net.namedParameters()].filter(([, p]) => p.requiresGrad).map(([n]) => n), ['fc.weight', 'fc.bias']);
    net.requiresGrad_();
    net.forward(torch.randn([2, 3, 4, 4])).sum().backward();
    assert.ok([...net.parameters()].every((p) => p.grad !== null));
    net.zeroGrad(false);
    assert.ok([...net.parameters()].every((p) => p.grad !== null && p.grad.abs().sum().item() === 0));
    net.zeroGrad({ setToNone: true });
    assert.ok([...net.parameters()].every((p) => p.grad === null));
  });

  it('apply() visits children first, then the module', function () {
    const net = new Net();
    const seen: string[] = [];
    net.apply((m) => seen.push(m.constructor.name));
    assert.deepStrictEqual(seen, ['Conv2d', 'BatchNorm2d', 'Block', 'Flatten', 'Dropout', 'Sequential', 'Linear', 'Net']);
  });

  it('to()/double()/float() convert parameters in place, keeping identity, grads and requiresGrad', function () {
    const net = new Net();
    const w = net.fc.weight;
    const held = [...net.parameters()];
    net.forward(torch.randn([2, 3, 4, 4])).sum().backward();
    net.fc.weight.requiresGrad = false;
    net.double();
    assert.strictEqual(net.fc.weight, w);
    assert.strictEqual(w.dtype, 'float64');
    assert.ok(held.every((p) => p.dtype === 'float64'));
    assert.strictEqual(net.block.conv.weight.grad?.dtype, 'float64');
    assert.strictEqual(w.requiresGrad, false);
    assert.strictEqual(net.block.conv.weight.requiresGrad, true);
    assert.strictEqual(net.block.bn.running_mean?.dtype, 'float64');
    assert.strictEqual(net.block.bn.num_batches_tracked?.dtype, 'int64');
    net.to(torch.float32);
    assert.strictEqual(w.dtype, 'float32');
    net.to('cpu', 'float64');
    assert.strictEqual(w.dtype, 'float64');
    net.to({ dtype: 'float32', device: 'cpu' });
    assert.strictEqual(net.block.bn.running_var?.dtype, 'float32');
    assert.throws(() => net.to('int64'), /nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64/);
    const out = net.forward(torch.randn([2, 3, 4, 4]));
    assert.strictEqual(out.dtype, 'float32');
  });

  it('converts 4-d parameters to channels_last in place, as Python does', function () {
    requirePython(this);
    const conv = new nn.Conv2d(3, 4, 3);
    const w = conv.weight;
    conv.to({ memoryFormat: torch.channelsLast });
    assert.strictEqual(conv.weight, w, 'the parameter object is kept');
    assert.ok(w.isContiguous({ memoryFormat: torch.channelsLast }));
    assert.ok(!w.isContiguous());
    assert.ok((conv.bias as Tensor).isContiguous(), '1-d tensors are left alone');
    const expected = py(`
conv = torch.nn.Conv2d(3, 4, 3).to(memory_format=torch.channels_last)
emit('stride', list(conv.weight.stride())); emit('bias', list(conv.bias.stride()))`);
    assert.deepStrictEqual(w.stride(), expected.stride);
    assert.deepStrictEqual((conv.bias as Tensor).stride(), expected.bias);
    const x = torch.randn([1, 3, 5, 5]).contiguous({ memoryFormat: torch.channelsLast });
    assert.ok(conv.forward(x).isContiguous({ memoryFormat: torch.channelsLast }));
    conv.to({ memoryFormat: torch.contiguousFormat });
    assert.ok(w.isContiguous());
  });

  it('runs forward pre-hooks and hooks with removable handles', function () {
    const lin = new nn.Linear(2, 2);
    const calls: string[] = [];
    const h1 = lin.registerForwardPreHook((m, inputs) => {
      calls.push(`pre ${m === lin}`);
      return (inputs[0] as Tensor).mul(0);
    });
    const h2 = lin.registerForwardHook((m, inputs, out) => {
      calls.push(`post ${(inputs[0] as Tensor).abs().sum().item()}`);
      return (out as Tensor).add(1);
    });
    const y = lin.forward(torch.ones([1, 2]));
    assert.deepStrictEqual(calls, ['pre true', 'post 0']);
    assertClose(y, { __tensor__: true, shape: [1, 2], dtype: 'float32', data: (lin.bias as Tensor).add(1).tolist() as number[] });
    h1.remove();
    h2.remove();
    h2.remove();
    const z = lin.forward(torch.ones([1, 2]));
    assert.strictEqual(calls.length, 2);
    assert.ok(z.equal(F.linear(torch.ones([1, 2]), lin.weight, lin.bias)));
    assert.ok(!Object.prototype.hasOwnProperty.call(lin, 'forward'));
  });

  it('Parameter: a Tensor requiring grad that shares data and survives tidy()', function () {
    const t = torch.zeros([3]);
    const p = new nn.Parameter(t);
    assert.ok(p instanceof Tensor);
    assert.strictEqual(p.requiresGrad, true);
    assert.strictEqual(new nn.Parameter(t, false).requiresGrad, false);
    t.fill_(5);
    assert.deepStrictEqual(p.tolist(), [5, 5, 5]);
    assert.strictEqual(p.toString(), 'Parameter containing:\ntensor([5., 5., 5.], requires_grad=True)');
    const lin = torch.tidy(() => new nn.Linear(2, 2));
    assert.strictEqual(lin.weight.isDisposed, false);
    assert.deepStrictEqual(new nn.Parameter().shape, [0]);
  });
});

describe('nn containers', function () {
  let ref: Record<string, unknown>;
  before(function () {
    requirePython(this);
    ref = py(`
import torch.nn as nn
from collections import OrderedDict
s = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 4), nn.Tanh())
s[2] = nn.Linear(3, 5)
emit('seq_set', str(s))
del s[1]
emit('seq_del', [str(s), [n for n, _ in s.named_parameters()]])
emit('seq_slice', str(s[0:3:2]))
s.append(nn.Sigmoid()); s.insert(1, nn.ReLU6())
emit('seq_grow', str(s))
o = nn.Sequential(OrderedDict([('conv', nn.Conv2d(1, 2, 3)), ('act', nn.ReLU(inplace=True))]))
emit('ordered', [str(o), str(o[1:]), list(o.state_dict().keys())])
ml = nn.ModuleList([nn.Linear(1, 1), nn.Linear(1, 2)])
ml.append(nn.ReLU()); ml.insert(0, nn.Tanh()); ml.extend([nn.Sigmoid()])
emit('modulelist', [str(ml), [n for n, _ in ml.named_parameters()]])
md = nn.ModuleDict({'b': nn.Linear(1, 2), 'a': nn.ReLU()})
md['c'] = nn.Tanh()
emit('moduledict', [str(md), list(md.keys())])
pl = nn.ParameterList([nn.Parameter(torch.ones(2, 3)), torch.zeros(4)])
emit('paramlist', [str(pl), [n for n, _ in pl.named_parameters()]])
pd = nn.ParameterDict({'w': nn.Parameter(torch.ones(2, 3)), 'b': torch.zeros(4)})
emit('paramdict', [str(pd), [n for n, _ in pd.named_parameters()]])
`);
  });

  it('Sequential: numeric get/set/delete, slicing, growth, like PyTorch', function () {
    const s = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 4), new nn.Tanh());
    s[2] = new nn.Linear(3, 5);
    assert.strictEqual(s.toString(), ref.seq_set);
    assert.strictEqual(s[-1].constructor.name, 'Tanh');
    assert.strictEqual((s[2] as nn.Linear).outFeatures, 5);
    assert.throws(() => s[4], (e: Error) => e instanceof RangeError && e.message === 'index 4 is out of range');
    delete s[1];
    const [delRepr, delNames] = ref.seq_del as [string, string[]];
    assert.strictEqual(s.toString(), delRepr);
    assert.deepStrictEqual([...s.namedParameters()].map(([n]) => n), delNames);
    assert.strictEqual(s.slice(0, 3, 2).toString(), ref.seq_slice);
    s.append(new nn.Sigmoid());
    s.insert(1, new nn.ReLU6());
    assert.strictEqual(s.toString(), ref.seq_grow);
    assert.strictEqual(s.length, 5);
    assert.deepStrictEqual([...s].map((m) => m.constructor.name), ['Linear', 'ReLU6', 'Linear', 'Tanh', 'Sigmoid']);
    const popped = s.pop(-1);
    assert.strictEqual(popped.constructor.name, 'Sigmoid');
    assert.strictEqual(s.length, 4);
  });

  it('Sequential from a Map keeps the names; slices keep them too', function () {
    const o = new nn.Sequential(new Map<string, nn.Module>([['conv', new nn.Conv2d(1, 2, 3)], ['act', new nn.ReLU(true)]]));
    const [repr, sliced, keys] = ref.ordered as [string, string, string[]];
    assert.strictEqual(o.toString(), repr);
    assert.strictEqual(o.slice(1).toString(), sliced);
    assert.deepStrictEqual(Object.keys(o.stateDict()), keys);
    assert.strictEqual((o as nn.Sequential & { conv: nn.Conv2d }).conv, o[0]);
  });

  it('ModuleList, ModuleDict, ParameterList, ParameterDict', function () {
    const ml = new nn.ModuleList([new nn.Linear(1, 1), new nn.Linear(1, 2)]);
    ml.append(new nn.ReLU());
    ml.insert(0, new nn.Tanh());
    ml.extend([new nn.Sigmoid()]);
    const [mlRepr, mlNames] = ref.modulelist as [string, string[]];
    assert.strictEqual(ml.toString(), mlRepr);
    assert.deepStrictEqual([...ml.namedParameters()].map(([n]) => n), mlNames);
    assert.strictEqual(ml.length, 5);
    assert.strictEqual(ml[1].constructor.name, 'Linear');
    const md = new nn.ModuleDict({ b: new nn.Linear(1, 2), a: new nn.ReLU() });
    md.set('c', new nn.Tanh());
    const [mdRepr, mdKeys] = ref.moduledict as [string, string[]];
    assert.strictEqual(md.toString(), mdRepr);
    assert.deepStrictEqual(md.keys(), mdKeys);
    assert.deepStrictEqual([...md], mdKeys);
    assert.strictEqual(md.get('a').constructor.name, 'ReLU');
    const pl = new nn.ParameterList([new nn.Parameter(torch.ones([2, 3])), torch.zeros([4])]);
    const [plRepr, plNames] = ref.paramlist as [string, string[]];
    assert.strictEqual(pl.toString(), plRepr);
    assert.deepStrictEqual([...pl.namedParameters()].map(([n]) => n), plNames);
    assert.ok(pl[1] instanceof nn.Parameter);
    const pd = new nn.ParameterDict({ w: new nn.Parameter(torch.ones([2, 3])), b: torch.zeros([4]) });
    const [pdRepr, pdNames] = ref.paramdict as [string, string[]];
    assert.strictEqual(pd.toString(), pdRepr);
    assert.deepStrictEqual([...pd.namedParameters()].map(([n]) => n), pdNames);
    assert.ok(pd.get('b') instanceof nn.Parameter);
  });

  it('Sequential frees intermediates of library layers, but not the input or what a hook saw', function () {
    const s = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 8), new nn.Tanh(), new nn.Linear(8, 2));
    const x = torch.randn([3, 4]);
    torch.noGrad(() => s.forward(x)).dispose();
    const left = tensorCount();
    const y = torch.noGrad(() => s.forward(x));
    assert.strictEqual(left(), 1, 'only the output stays alive');
    y.dispose();
    let seen: Tensor | null = null;
    const h = s[1].registerForwardHook((_m, _i, out) => {
      seen = out as Tensor;
    });
    const z = torch.noGrad(() => s.forward(x));
    assert.ok(seen !== null && !(seen as Tensor).isDisposed, 'the hooked output is kept');
    h.remove();
    assert.ok(!x.isDisposed);
    // training still works: autograd keeps what it saved
    const w = s.forward(x.requiresGrad_());
    w.sum().backward();
    assert.ok(x.grad !== null && [...s.parameters()].every((p) => p.grad !== null));
    z.dispose();
  });
});

describe('nn printing', function () {
  const cases: [string, () => nn.Module][] = [
    ['nn.Linear(3, 4, bias=False)', () => new nn.Linear(3, 4, false)],
    ['nn.Bilinear(2, 3, 4)', () => new nn.Bilinear(2, 3, 4)],
    ["nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)", () => new nn.Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false })],
    ["nn.Conv2d(4, 8, (3, 5), dilation=2, groups=4, padding_mode='reflect', padding=1)", () => new nn.Conv2d(4, 8, [3, 5], { dilation: 2, groups: 4, paddingMode: 'reflect', padding: 1 })],
    ["nn.Conv1d(2, 2, 3, padding='same')", () => new nn.Conv1d(2, 2, 3, { padding: 'same' })],
    ['nn.Conv3d(1, 2, 3)', () => new nn.Conv3d(1, 2, 3)],
    ['nn.ConvTranspose2d(4, 2, 3, stride=2, output_padding=1)', () => new nn.ConvTranspose2d(4, 2, 3, { stride: 2, outputPadding: 1 })],
    ['nn.BatchNorm2d(64)', () => new nn.BatchNorm2d(64)],
    ['nn.Hardswish(inplace=True)', () => new nn.Hardswish(true)],
    ['nn.Hardsigmoid(inplace=True)', () => new nn.Hardsigmoid({ inplace: true })],
    ['nn.SiLU(inplace=True)', () => new nn.SiLU(true)],
    ['nn.BatchNorm1d(8, eps=1e-3, momentum=None, affine=False)', () => new nn.BatchNorm1d(8, { eps: 1e-3, momentum: null, affine: false })],
    ['nn.InstanceNorm2d(3)', () => new nn.InstanceNorm2d(3)],
    ['nn.LayerNorm([4, 5], eps=1e-6)', () => new nn.LayerNorm([4, 5], { eps: 1e-6 })],
    ['nn.GroupNorm(2, 8)', () => new nn.GroupNorm(2, 8)],
    ['nn.LocalResponseNorm(5)', () => new nn.LocalResponseNorm(5)],
    ['nn.Dropout(p=0.25)', () => new nn.Dropout({ p: 0.25 })],
    ['nn.Dropout2d(inplace=True)', () => new nn.Dropout2d({ inplace: true })],
    ['nn.AlphaDropout(0.1)', () => new nn.AlphaDropout(0.1)],
    ['nn.ReLU(inplace=True)', () => new nn.ReLU(true)],
    ['nn.ReLU()', () => new nn.ReLU()],
    ['nn.ReLU6()', () => new nn.ReLU6()],
    ['nn.LeakyReLU(0.2, inplace=True)', () => new nn.LeakyReLU(0.2, true)],
    ['nn.PReLU(3)', () => new nn.PReLU(3)],
    ['nn.ELU()', () => new nn.ELU()],
    ['nn.GELU()', () => new nn.GELU()],
    ["nn.GELU(approximate='tanh')", () => new nn.GELU('tanh')],
    ['nn.Hardtanh(-2.0, 2.0)', () => new nn.Hardtanh(-2.0, 2.0)],
    ['nn.Softplus()', () => new nn.Softplus()],
    ['nn.Softmax(dim=1)', () => new nn.Softmax(1)],
    ['nn.LogSoftmax()', () => new nn.LogSoftmax()],
    ['nn.Threshold(0.1, 20)', () => new nn.Threshold(0.1, 20)],
    ['nn.Hardshrink()', () => new nn.Hardshrink()],
    ['nn.SiLU()', () => new nn.SiLU()],
    ['nn.MaxPool2d(3, 2, 1)', () => new nn.MaxPool2d(3, 2, 1)],
    ['nn.MaxPool2d((2, 3), ceil_mode=True)', () => new nn.MaxPool2d([2, 3], { ceilMode: true })],
    ['nn.AvgPool2d(2)', () => new nn.AvgPool2d(2)],
    ['nn.AvgPool1d(3)', () => new nn.AvgPool1d(3)],
    ['nn.AdaptiveAvgPool2d((1, 1))', () => new nn.AdaptiveAvgPool2d([1, 1])],
    ['nn.AdaptiveAvgPool2d(7)', () => new nn.AdaptiveAvgPool2d(7)],
    ['nn.AdaptiveMaxPool2d((2, None))', () => new nn.AdaptiveMaxPool2d([2, null])],
    ['nn.ZeroPad2d(2)', () => new nn.ZeroPad2d(2)],
    ['nn.ConstantPad2d((1, 2, 3, 4), 3.5)', () => new nn.ConstantPad2d([1, 2, 3, 4], 3.5)],
    ['nn.ReflectionPad2d(1)', () => new nn.ReflectionPad2d(1)],
    ['nn.Embedding(10, 3, padding_idx=0)', () => new nn.Embedding(10, 3, { paddingIdx: 0 })],
    ['nn.Embedding(10, 3, max_norm=2.0, sparse=True)', () => new nn.Embedding(10, 3, { maxNorm: 2.0, sparse: true })],
    ['nn.Upsample(scale_factor=2)', () => new nn.Upsample({ scaleFactor: 2 })],
    ["nn.Upsample(size=(4, 5), mode='bilinear')", () => new nn.Upsample([4, 5], null, 'bilinear')],
    ['nn.Flatten()', () => new nn.Flatten()],
    ['nn.Unflatten(1, (2, 5))', () => new nn.Unflatten(1, [2, 5])],
    ['nn.Identity()', () => new nn.Identity()],
    ['nn.MultiheadAttention(8, 2)', () => new nn.MultiheadAttention(8, 2)],
    ['nn.TransformerEncoderLayer(8, 2, 16)', () => new nn.TransformerEncoderLayer(8, 2, 16)],
    ["nn.TransformerEncoderLayer(8, 2, 16, activation=nn.GELU())", () => new nn.TransformerEncoderLayer(8, 2, 16, { activation: new nn.GELU() })],
    ['nn.CrossEntropyLoss()', () => new nn.CrossEntropyLoss()],
    // Required arguments given by name, as PyTorch's tutorials often write them.
    ['nn.Conv2d(3, 6, kernel_size=5)', () => new nn.Conv2d(3, 6, { kernelSize: 5 })],
    ['nn.Conv2d(in_channels=3, out_channels=6, kernel_size=3, stride=2)', () => new nn.Conv2d({ inChannels: 3, outChannels: 6, kernelSize: 3, stride: 2 })],
    ['nn.ConvTranspose2d(4, 2, kernel_size=2, stride=2)', () => new nn.ConvTranspose2d(4, 2, { kernelSize: 2, stride: 2 })],
    ['nn.MaxPool2d(kernel_size=2, stride=2)', () => new nn.MaxPool2d({ kernelSize: 2, stride: 2 })],
    ['nn.AvgPool2d(kernel_size=3, stride=1, padding=1)', () => new nn.AvgPool2d({ kernelSize: 3, stride: 1, padding: 1 })],
    ['nn.AvgPool1d(kernel_size=2)', () => new nn.AvgPool1d({ kernelSize: 2 })],
    ['nn.Linear(in_features=3, out_features=2)', () => new nn.Linear({ inFeatures: 3, outFeatures: 2 })],
    ['nn.Linear(3, out_features=2, bias=False)', () => new nn.Linear(3, { outFeatures: 2, bias: false })],
    ['nn.BatchNorm2d(num_features=4, momentum=0.2)', () => new nn.BatchNorm2d({ numFeatures: 4, momentum: 0.2 })],
    ['nn.InstanceNorm2d(num_features=4, affine=True)', () => new nn.InstanceNorm2d({ numFeatures: 4, affine: true })],
    ['nn.LayerNorm(normalized_shape=[4])', () => new nn.LayerNorm({ normalizedShape: [4] })],
    ['nn.GroupNorm(num_groups=2, num_channels=4)', () => new nn.GroupNorm({ numGroups: 2, numChannels: 4 })],
    ['nn.Embedding(num_embeddings=10, embedding_dim=3)', () => new nn.Embedding({ numEmbeddings: 10, embeddingDim: 3 })],
    ['nn.AdaptiveAvgPool2d(output_size=(1, 1))', () => new nn.AdaptiveAvgPool2d({ outputSize: [1, 1] })],
    ['nn.AdaptiveMaxPool2d(output_size=2)', () => new nn.AdaptiveMaxPool2d({ outputSize: 2 })],
    ['nn.MultiheadAttention(embed_dim=8, num_heads=2)', () => new nn.MultiheadAttention({ embedDim: 8, numHeads: 2 })],
    ['nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16)', () => new nn.TransformerEncoderLayer({ dModel: 8, nhead: 2, dimFeedforward: 16 })],
    ['nn.Sequential(nn.Sequential(nn.Linear(1, 2), nn.ReLU()), nn.Linear(2, 1))', () => new nn.Sequential(new nn.Sequential(new nn.Linear(1, 2), new nn.ReLU()), new nn.Linear(2, 1))],
  ];
  let reprs: string[];
  before(function () {
    requirePython(this);
    reprs = py(`import torch.nn as nn\nemit('r', [str(m) for m in [${cases.map(([p]) => p).join(', ')}]])`).r as string[];
  });
  cases.forEach(([p, make], i) => {
    it(`prints ${p} as PyTorch does`, function () {
      assert.strictEqual(make().toString(), reprs[i]);
    });
  });

  it('names a required argument given neither by position nor by name', function () {
    const untyped = nn as unknown as Record<string, new (...args: unknown[]) => nn.Module>;
    assert.throws(() => new untyped.Conv2d(3, 6), { name: 'TypeError', message: "Conv2d: missing required argument 'kernelSize'" });
    assert.throws(() => new untyped.Conv2d(3, { kernelSize: 3 }), { name: 'TypeError', message: "Conv2d: missing required argument 'outChannels'" });
    assert.throws(() => new untyped.Linear({ bias: false }), { name: 'TypeError', message: "Linear: missing required arguments 'inFeatures' and 'outFeatures'" });
    assert.throws(() => new untyped.MaxPool2d({ stride: 2 }), { name: 'TypeError', message: "MaxPool2d: missing required argument 'kernelSize'" });
    assert.throws(() => new untyped.BatchNorm2d({ numFeatures: 4 }, 0.1), { name: 'TypeError', message: 'BatchNorm2d: positional arguments cannot follow the options object' });
    assert.throws(() => new untyped.Conv2d(3, { inChannels: 3, outChannels: 6, kernelSize: 5 }), { name: 'TypeError', message: "Conv2d: got multiple values for argument 'inChannels'" });
  });
});
