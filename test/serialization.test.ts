// torch.save / torch.load against real PyTorch: files Python writes load here with the same keys, order,
// dtypes, shapes, values and storage sharing; files written here load in Python (state dicts into the same
// model with load_state_dict, optimizer state dicts into the same optimizer).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { callOp } from '../lib/dispatch';
import { N } from '../lib/native';
import { Parameter } from '../lib/nn/parameter';
import { ZipWriter } from '../lib/serialization/zip';
import { pickleForSave } from '../lib/serialization/torch_pickle';
import { tensorBytes } from '../lib/serialization/storage';
import { py, requirePython, assertClose, PyTensor } from './helpers/python';

let dir: string;
const file = (name: string) => path.join(dir, name);
const q = (s: string) => JSON.stringify(s);

/** The raw bits of a tensor (float16/bfloat16 as int16), as numbers or strings for int64. */
function bits(t: torch.Tensor): (number | string | boolean)[] {
  const c = t.contiguous();
  const v = t.dtype === 'float16' || t.dtype === 'bfloat16' ? (callOp('view', [c, 'int16']) as torch.Tensor) : c;
  const data = Array.from(v.dataSync() as ArrayLike<number | bigint>);
  if (t.dtype === 'int64') return data.map((x) => String(x));
  if (t.dtype === 'bool') return data.map((x) => x !== 0);
  return data.map(Number);
}

const PY_BITS = `
def bits(t):
    t = t.detach().contiguous()
    if t.dtype in (torch.float16, torch.bfloat16): t = t.view(torch.int16)
    if t.dtype in (torch.complex64, torch.complex128): t = torch.view_as_real(t)
    v = t.reshape(-1).tolist()
    if t.dtype == torch.int64: return [str(x) for x in v]
    if t.dtype.is_floating_point: return [None if x != x else ('inf' if x == float('inf') else ('-inf' if x == float('-inf') else x)) for x in v]
    return v
def meta(t): return {'shape': list(t.shape), 'dtype': str(t.dtype).replace('torch.', ''), 'stride': list(t.stride()), 'bits': bits(t), 'rg': t.requires_grad}
`;

function jsBits(t: torch.Tensor): (number | string | boolean | null)[] {
  if (t.dtype === 'complex64' || t.dtype === 'complex128') {
    const real = callOp('view_as_real', [t.contiguous()]) as torch.Tensor;
    return Array.from(real.dataSync() as Float32Array).map((x) => (Number.isNaN(x) ? null : x));
  }
  return bits(t).map((x) => (typeof x === 'number' && Number.isNaN(x) ? null : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : x));
}

interface PyMeta {
  shape: number[];
  dtype: string;
  stride: number[];
  bits: (number | string | boolean | null)[];
  rg: boolean;
}

function assertSame(t: unknown, m: PyMeta, what: string, opts: { stride?: boolean } = {}): void {
  assert.ok(t instanceof torch.Tensor, `${what} is a tensor`);
  assert.deepStrictEqual(t.shape, m.shape, `${what}: shape`);
  assert.strictEqual(t.dtype, m.dtype, `${what}: dtype`);
  if (opts.stride !== false) assert.deepStrictEqual(t.stride(), m.stride, `${what}: stride`);
  assert.deepStrictEqual(jsBits(t), m.bits, `${what}: values`);
  assert.strictEqual(t.requiresGrad, m.rg, `${what}: requires_grad`);
}

const MODEL = `
import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.layer1 = nn.Sequential(nn.Conv2d(4, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU())
        self.fc = nn.Linear(4, 5)
    def forward(self, x):
        x = self.layer1(torch.relu(self.bn1(self.conv1(x))))
        return self.fc(x.mean((2, 3)))
def trained_net():
    torch.manual_seed(0)
    net = Net()
    net.train()
    for _ in range(3): net(torch.randn(2, 3, 8, 8))
    return net
`;

describe('serialization: torch.save / torch.load against PyTorch', function () {
  this.timeout(60000);

  before(function () {
    requirePython(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-ser-'));
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("loads a model's state_dict() with BatchNorm buffers: keys, order, dtypes, values and _metadata", async function () {
    const p = file('net.pt');
    const ref = py(`${MODEL}${PY_BITS}
net = trained_net()
sd = net.state_dict()
torch.save(sd, ${q(p)})
emit('keys', list(sd.keys()))
emit('meta', {k: meta(v) for k, v in sd.items()})
emit('md', {k: dict(v) for k, v in sd._metadata.items()})
`);
    const sd = await torch.load<Record<string, torch.Tensor>>(p);
    assert.deepStrictEqual(Object.keys(sd), ref.keys);
    const metas = ref.meta as Record<string, PyMeta>;
    for (const k of ref.keys as string[]) assertSame(sd[k], metas[k], k);
    assert.strictEqual(sd['bn1.num_batches_tracked'].dtype, 'int64');
    assert.strictEqual(sd['bn1.num_batches_tracked'].item(), 3);
    // _metadata rides along as a non-enumerable property, like Python's attribute.
    const md = (sd as unknown as { _metadata: Record<string, Record<string, number>> })._metadata;
    assert.deepStrictEqual(Object.keys(md), Object.keys(ref.md as object));
    assert.deepStrictEqual({ ...md }, ref.md);
    assert.ok(!Object.keys(sd).includes('_metadata'));
  });

  it('loads optimizer state dicts (int keys, lists, tuples, floats) that optimizers resume from', async function () {
    const p = file('opt.pt');
    const ref = py(`${MODEL}${PY_BITS}
net = trained_net()
opt = torch.optim.Adam([{'params': net.fc.parameters(), 'lr': 0.01}, {'params': net.conv1.parameters()}], lr=1e-3, betas=(0.8, 0.99), weight_decay=1e-4)
for _ in range(2):
    opt.zero_grad(); net(torch.randn(2, 3, 8, 8)).sum().backward(); opt.step()
sd = opt.state_dict()
torch.save(sd, ${q(p)})
emit('groups', sd['param_groups'])
emit('state', {str(k): {n: meta(t) for n, t in v.items()} for k, v in sd['state'].items()})
`);
    const sd = await torch.load<{ state: Map<number, Record<string, torch.Tensor>>; param_groups: Record<string, unknown>[] }>(p);
    assert.deepStrictEqual(Object.keys(sd), ['state', 'param_groups']);
    assert.ok(sd.state instanceof Map);
    assert.deepStrictEqual([...sd.state.keys()], [0, 1, 2]);
    const state = ref.state as Record<string, Record<string, PyMeta>>;
    for (const [k, v] of sd.state) {
      assert.deepStrictEqual(Object.keys(v), Object.keys(state[String(k)]));
      for (const [n, t] of Object.entries(v)) assertSame(t, state[String(k)][n], `state[${k}].${n}`);
    }
    assert.deepStrictEqual(sd.param_groups, ref.groups);
    assert.deepStrictEqual(sd.param_groups[0].betas, [0.8, 0.99]);
    assert.strictEqual(sd.param_groups[1].lr, 1e-3);
    assert.strictEqual(sd.param_groups[0].foreach, null);
  });

  it('loads tensors of every dtype bit for bit, 0-dim and empty tensors, parameters and requires_grad', async function () {
    const p = file('dtypes.pt');
    const ref = py(`${PY_BITS}
torch.manual_seed(0)
d = {
  'f32': torch.tensor([1.5, -0.0, float('nan'), float('inf'), -float('inf'), 3.4e38, 1e-45]),
  'f64': torch.tensor([1/3, -2.5e-300, float('nan')], dtype=torch.float64),
  'f16': torch.tensor([0.1, 65504, -6e-8, float('inf'), float('nan')], dtype=torch.float16),
  'bf16': torch.tensor([0.1, 3e38, -1e-38, 7.0], dtype=torch.bfloat16),
  'i64': torch.tensor([2**63 - 1, -2**63, 2**53 + 1, -5]),
  'i32': torch.tensor([2**31 - 1, -2**31], dtype=torch.int32),
  'i16': torch.tensor([32767, -32768], dtype=torch.int16),
  'i8': torch.tensor([127, -128], dtype=torch.int8),
  'u8': torch.tensor([0, 255], dtype=torch.uint8),
  'b': torch.tensor([[True, False], [False, True]]),
  'c64': torch.tensor([1+2j, -3.5j], dtype=torch.complex64),
  'c128': torch.tensor([1e-300+2j], dtype=torch.complex128),
  'scalar': torch.tensor(2.5),
  'scalar_i': torch.tensor(7),
  'empty': torch.zeros(0),
  'empty3': torch.zeros(2, 0, 3, dtype=torch.int64),
  'param': torch.nn.Parameter(torch.randn(2, 3)),
  'frozen': torch.nn.Parameter(torch.randn(2), requires_grad=False),
  'rg': torch.randn(3).requires_grad_(),
}
torch.save(d, ${q(p)})
emit('keys', list(d.keys()))
emit('meta', {k: meta(v) for k, v in d.items()})
`);
    const d = await torch.load<Record<string, torch.Tensor>>(p);
    assert.deepStrictEqual(Object.keys(d), ref.keys);
    const metas = ref.meta as Record<string, PyMeta>;
    for (const k of ref.keys as string[]) assertSame(d[k], metas[k], k);
    assert.ok(d.param instanceof Parameter && d.param.requiresGrad);
    assert.ok(d.frozen instanceof Parameter && !d.frozen.requiresGrad);
    assert.ok(!(d.rg instanceof Parameter) && d.rg.requiresGrad && d.rg.isLeaf);
    assert.strictEqual((d.i64.dataSync() as BigInt64Array)[0], 2n ** 63n - 1n);
  });

  it('reads every pickle protocol torch.save can write (1 to 5), and meta tensors', async function () {
    const ps = [1, 3, 4, 5].map((v) => file(`proto${v}.pt`));
    py(`
import collections
obj = {'t': torch.arange(4).view(2, 2).t(), 'f': 0.25, 'big': 2**40, 's': 'ünï', 'l': [None, True, (1, 2)],
       'od': collections.OrderedDict(a=1), 'b': b'xy', 'set': {3}, 'meta': torch.empty(3, 2, device='meta')}
for v, p in zip([1, 3, 4, 5], ${JSON.stringify(ps)}): torch.save(obj, p, pickle_protocol=v)
`);
    for (const p of ps) {
      const o = await torch.load<Record<string, unknown>>(p);
      const t = o.t as torch.Tensor;
      assert.deepStrictEqual(t.tolist(), [[0, 2], [1, 3]], p);
      assert.deepStrictEqual(t.stride(), [1, 2], p);
      assert.deepStrictEqual([o.f, o.big, o.s, o.l, o.od, o.b, o.set], [0.25, 2 ** 40, 'ünï', [null, true, [1, 2]], { a: 1 }, new Uint8Array([120, 121]), new Set([3])], p);
      const meta = o.meta as torch.Tensor;
      assert.deepStrictEqual([meta.shape, meta.device.type, meta.stride()], [[3, 2], 'meta', [2, 1]], p);
    }
  });

  it('rebuilds non-contiguous views that share a storage, with their offsets and strides', async function () {
    const p = file('views.pt');
    const ref = py(`${PY_BITS}
base = torch.arange(24, dtype=torch.float32)
a = base.view(4, 6)
d = {'base': base, 't': a.t(), 'slice': a[1:3, 2:5], 'tail': base[5:], 'step': base[::4], 'expand': base[3:4].expand(3, 2)}
torch.save(d, ${q(p)})
emit('meta', {k: meta(v) for k, v in d.items()})
`);
    const d = await torch.load<Record<string, torch.Tensor>>(p);
    const metas = ref.meta as Record<string, PyMeta>;
    for (const k of Object.keys(metas)) assertSame(d[k], metas[k], k);
    assert.ok(!d.t.isContiguous());
    assert.deepStrictEqual(d.expand.stride(), [0, 0]);
    // They share memory as in Python: writing the base shows through every view.
    d.base.mul_(-1);
    assert.deepStrictEqual(d.slice.tolist(), [[-8, -9, -10], [-14, -15, -16]]);
    assert.strictEqual((d.tail.tolist() as number[])[0], -5);
    assert.deepStrictEqual(d.expand.tolist(), [[-3, -3], [-3, -3], [-3, -3]]);
  });

  it('loads nested containers: lists, tuples, dicts with non-string keys, sets, bytes, None, big ints, devices, dtypes', async function () {
    const p = file('nested.pt');
    py(`
import collections
t = torch.arange(3)
obj = {
  'list': [1, 2.5, 'three', None, True, False, [t, (t, 4)]],
  'tuple': (1, (2, 3), ()),
  'ints': {0: 'a', 10: 'b', -1: 'c'},
  'index_like': {'1': 'x', '0': 'y'},
  'mixed': {(1, 2): 'tuple key', 2.5: 'float key', None: 'none key'},
  'od': collections.OrderedDict([('z', 1), ('a', 2)]),
  'floats': [float('inf'), -float('inf'), 1e-310, -0.0],
  'big': [2**70, -2**64, 2**53],
  'text': 'héllo ✓ \\U0001F600',
  'bytes': b'\\x00\\xffabc',
  'empty_bytes': b'',
  'set': {1, 2, 3},
  'frozenset': frozenset(['q']),
  'device': torch.device('cpu'),
  'cuda_device': torch.device('cuda', 1),
  'size': torch.Size([2, 3]),
  'dtype': torch.float16,
  'same': [t, t],
}
torch.save(obj, ${q(p)})
`);
    const o = await torch.load<Record<string, unknown>>(p);
    const list = o.list as unknown[];
    assert.deepStrictEqual(list.slice(0, 6), [1, 2.5, 'three', null, true, false]);
    const inner = list[6] as [torch.Tensor, [torch.Tensor, number]];
    assert.deepStrictEqual(inner[0].tolist(), [0, 1, 2]);
    assert.strictEqual(inner[1][0], inner[0], 'the same tensor object twice stays one tensor');
    assert.strictEqual(inner[1][1], 4);
    assert.deepStrictEqual(o.tuple, [1, [2, 3], []]);
    assert.deepStrictEqual(o.ints, new Map([[0, 'a'], [10, 'b'], [-1, 'c']]));
    assert.deepStrictEqual(o.index_like, new Map([['1', 'x'], ['0', 'y']]));
    assert.deepStrictEqual(o.mixed, new Map<unknown, string>([[[1, 2], 'tuple key'], [2.5, 'float key'], [null, 'none key']]));
    assert.deepStrictEqual(Object.entries(o.od as object), [['z', 1], ['a', 2]]);
    const floats = o.floats as number[];
    assert.deepStrictEqual(floats.slice(0, 3), [Infinity, -Infinity, 1e-310]);
    assert.ok(Object.is(floats[3], -0));
    // Integers a number holds exactly (up to 2^53 - 1) are numbers; larger ones are bigints.
    assert.deepStrictEqual(o.big, [2n ** 70n, -(2n ** 64n), 2n ** 53n]);
    assert.strictEqual(o.text, 'héllo ✓ \u{1F600}');
    assert.deepStrictEqual(o.bytes, new Uint8Array([0, 255, 97, 98, 99]));
    assert.deepStrictEqual(o.empty_bytes, new Uint8Array(0));
    assert.deepStrictEqual(o.set, new Set([1, 2, 3]));
    assert.deepStrictEqual(o.frozenset, new Set(['q']));
    assert.ok(o.device instanceof torch.Device && o.device.toString() === 'cpu');
    assert.strictEqual(String(o.cuda_device), 'cuda:1');
    assert.deepStrictEqual(o.size, [2, 3]);
    assert.strictEqual(o.dtype, 'float16');
    const same = o.same as torch.Tensor[];
    assert.strictEqual(same[0], same[1]);
  });

  it('writes files Python loads: a state dict as an OrderedDict that load_state_dict takes, values bit for bit', async function () {
    // Weights made here, with the shapes of the Python model.
    const shapes = py(`${MODEL}
sd = trained_net().state_dict()
emit('shapes', [[k, list(v.shape), str(v.dtype).replace('torch.', '')] for k, v in sd.items()])
`).shapes as [string, number[], string][];
    torch.manualSeed(1);
    const sd: Record<string, torch.Tensor> = {};
    for (const [k, shape, dtype] of shapes) {
      sd[k] = dtype === 'int64' ? torch.tensor(BigInt64Array.from([42n])).reshape(shape) : torch.randn(shape);
    }
    // A transposed (non-contiguous) source is saved by value.
    sd['fc.weight'] = torch.randn([4, 5]).t();
    const p = file('ours_sd.pt');
    await torch.save(sd, p);
    const got = py(`${MODEL}${PY_BITS}
sd = torch.load(${q(p)})
emit('type', type(sd).__name__)
emit('weights_only', list(torch.load(${q(p)}, weights_only=True).keys()) == list(sd.keys()))
emit('keys', list(sd.keys()))
emit('meta', {k: meta(v) for k, v in sd.items()})
net = Net()
emit('load', str(net.load_state_dict(sd, strict=True)))
emit('nbt', net.bn1.num_batches_tracked.item())
emit('fc', net.fc.weight)
`);
    assert.strictEqual(got.type, 'OrderedDict');
    assert.strictEqual(got.weights_only, true, "Python's weights_only loader accepts the file");
    assert.deepStrictEqual(got.keys, Object.keys(sd));
    assert.strictEqual(got.load, '<All keys matched successfully>');
    assert.strictEqual(got.nbt, 42);
    const metas = got.meta as Record<string, PyMeta>;
    for (const k of Object.keys(sd)) assertSame(sd[k], metas[k], k, { stride: false });
    assertClose(sd['fc.weight'], got.fc, { rtol: 0, atol: 0 });
  });

  it('writes every dtype, 0-dim, empty, parameters, requires_grad and nested containers that Python reads back', async function () {
    const p = file('ours_nested.pt');
    const t = torch.arange(6).reshape([2, 3]);
    const obj = {
      f16: torch.tensor([0.1, 65504, -6e-8], { dtype: 'float16' }),
      bf16: torch.tensor([0.1, 3e38, 7], { dtype: 'bfloat16' }),
      f64: torch.tensor([1 / 3], { dtype: 'float64' }),
      i64: torch.tensor(BigInt64Array.from([2n ** 63n - 1n, -(2n ** 63n)])),
      i32: torch.tensor([-7], { dtype: 'int32' }),
      i16: torch.tensor([-300], { dtype: 'int16' }),
      i8: torch.tensor([-128], { dtype: 'int8' }),
      u8: torch.tensor([255], { dtype: 'uint8' }),
      b: torch.tensor([true, false]),
      c64: callOp('complex', [torch.tensor([1, 2]), torch.tensor([3, -4])]) as torch.Tensor,
      scalar: torch.tensor(3.25),
      empty: torch.zeros([2, 0]),
      param: new Parameter(torch.ones([2])),
      frozen: new Parameter(torch.ones([1]), false),
      rg: torch.ones([2]).requiresGrad_(),
      list: [1, 2.5, -0, 'str', null, true, [t, t]],
      map: new Map<unknown, unknown>([[0, 'zero'], [1.5, 'x'], ['k', [1, 2]], [[1, 2], 'tuple']]),
      set: new Set([1, 'a']),
      bytes: new Uint8Array([0, 200, 65]),
      noBytes: new Uint8Array(0),
      big: 2n ** 80n,
      nums: [2 ** 53, 2 ** 31, -(2 ** 31) - 1, 1e300, NaN, Infinity],
      device: torch.device('cpu'),
      nothing: undefined,
    };
    await torch.save(obj, p);
    const got = py(`${PY_BITS}
o = torch.load(${q(p)})
emit('tensors', {k: meta(v) for k, v in o.items() if isinstance(v, torch.Tensor)})
emit('param', [type(o['param']).__name__, o['param'].requires_grad, type(o['frozen']).__name__, o['frozen'].requires_grad])
emit('list', repr(o['list'][:6]))
emit('shared', o['list'][6][0] is o['list'][6][1])
emit('map', repr(o['map']))
emit('set', repr(sorted(o['set'], key=str)))
emit('bytes', repr(o['bytes']) + repr(o['noBytes']))
emit('big', str(o['big']))
emit('nums', repr(o['nums']))
emit('device', repr(o['device']))
emit('nothing', repr(o['nothing']))
emit('type', type(o).__name__)
`);
    const metas = got.tensors as Record<string, PyMeta>;
    for (const k of ['f16', 'bf16', 'f64', 'i64', 'i32', 'i16', 'i8', 'u8', 'b', 'c64', 'scalar', 'empty', 'rg']) {
      assertSame((obj as Record<string, unknown>)[k], metas[k], k, { stride: false });
    }
    assert.deepStrictEqual(got.param, ['Parameter', true, 'Parameter', false]);
    assert.strictEqual(got.list, "[1, 2.5, -0.0, 'str', None, True]");
    assert.strictEqual(got.shared, true);
    assert.strictEqual(got.map, "{0: 'zero', 1.5: 'x', 'k': [1, 2], (1, 2): 'tuple'}");
    assert.strictEqual(got.set, "[1, 'a']");
    assert.strictEqual(got.bytes, "b'\\x00\\xc8A'b''");
    assert.strictEqual(got.big, String(2n ** 80n));
    // Numbers that are safe integers are ints; the others (2^53 included) are floats.
    assert.strictEqual(got.nums, '[9007199254740992.0, 2147483648, -2147483649, 1e+300, nan, inf]');
    assert.strictEqual(got.device, "device(type='cpu')");
    assert.strictEqual(got.nothing, 'None');
    assert.strictEqual(got.type, 'dict');
  });

  it('round-trips a Python state dict through torch-node unchanged, _metadata included', async function () {
    const p = file('py_sd.pt');
    const p2 = file('py_sd_again.pt');
    py(`${MODEL}
torch.save(trained_net().state_dict(), ${q(p)})
`);
    await torch.save(await torch.load(p), p2);
    const got = py(`${MODEL}
a = torch.load(${q(p)}); b = torch.load(${q(p2)})
emit('same', list(a.keys()) == list(b.keys()) and all(torch.equal(a[k], b[k]) and a[k].dtype == b[k].dtype for k in a))
emit('metadata', a._metadata == b._metadata)
net = Net(); net.load_state_dict(b)
emit('out', torch.allclose(net.eval()(torch.ones(1, 3, 8, 8)), trained_net().eval()(torch.ones(1, 3, 8, 8))))
`);
    assert.deepStrictEqual(got, { same: true, metadata: true, out: true });
  });

  it("round-trips an optimizer state dict that Python's optimizer resumes from exactly", async function () {
    const p = file('py_opt.pt');
    const p2 = file('py_opt_again.pt');
    const setup = `${MODEL}
def run(load_from=None):
    net = trained_net()
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3)
    torch.manual_seed(5)
    for _ in range(2):
        opt.zero_grad(); net(torch.randn(2, 3, 8, 8)).sum().backward(); opt.step()
    if load_from is not None: opt.load_state_dict(torch.load(load_from))
    else: torch.save(opt.state_dict(), ${q(p)})
    opt.zero_grad(); net(torch.ones(2, 3, 8, 8)).sum().backward(); opt.step()
    return net.fc.weight.detach().clone()
`;
    py(`${setup}\nrun()`);
    await torch.save(await torch.load(p), p2);
    const got = py(`${setup}
emit('same', torch.equal(run(), run(${q(p2)})))
a = torch.load(${q(p)}); b = torch.load(${q(p2)})
emit('groups', a['param_groups'] == b['param_groups'])
emit('keys', list(a['state'].keys()) == list(b['state'].keys()))
`);
    assert.deepStrictEqual(got, { same: true, groups: true, keys: true });
  });

  it('reads the legacy (pre-1.6) format, views and storage sharing included', async function () {
    const p = file('legacy.pt');
    const ref = py(`${PY_BITS}
base = torch.arange(12, dtype=torch.float64)
d = {'base': base, 'view': base.view(3, 4)[:, 1:3], 'half': torch.tensor([1.5, -2], dtype=torch.float16), 'p': torch.nn.Parameter(torch.ones(2)), 'n': 3}
torch.save(d, ${q(p)}, _use_new_zipfile_serialization=False)
emit('meta', {k: meta(v) for k, v in d.items() if isinstance(v, torch.Tensor)})
`);
    const d = await torch.load<Record<string, torch.Tensor | number>>(p);
    const metas = ref.meta as Record<string, PyMeta>;
    for (const k of Object.keys(metas)) assertSame(d[k], metas[k], k);
    assert.strictEqual(d.n, 3);
    (d.base as torch.Tensor).add_(100);
    assert.deepStrictEqual((d.view as torch.Tensor).tolist(), [[101, 102], [105, 106], [109, 110]]);
  });

  it('reads archives re-packed with deflate, and zip64 archives in both directions', async function () {
    const p = file('deflated.pt');
    const ref = py(`
import zipfile, io
buf = io.BytesIO()
torch.save({'w': torch.arange(1000.0)}, buf)
src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
with zipfile.ZipFile(${q(p)}, 'w', zipfile.ZIP_DEFLATED) as z:
    for info in src.infolist(): z.writestr(info.filename, src.read(info.filename))
emit('methods', [i.compress_type for i in zipfile.ZipFile(${q(p)}).infolist()])
`);
    assert.ok((ref.methods as number[]).includes(8));
    const d = await torch.load<{ w: torch.Tensor }>(p);
    assert.strictEqual(d.w.sum().item(), 499500);

    // zip64 structures (used past 4 GiB) written small: Python's zipfile and torch.load read them, and so do we.
    const p64 = file('zip64.pt');
    const value = { a: torch.arange(10), b: [torch.ones([2, 2]), 'x'] };
    const { pickle, tensors } = pickleForSave(value, 'test');
    const handle = await fs.promises.open(p64, 'w');
    const zip = new ZipWriter(handle, true);
    await zip.add('archive/data.pkl', pickle);
    for (let i = 0; i < tensors.length; i++) await zip.add(`archive/data/${i}`, await tensorBytes(tensors[i]));
    await zip.add('archive/version', new TextEncoder().encode('3\n'));
    await zip.finish();
    await handle.close();
    const got = py(`
import zipfile
z = zipfile.ZipFile(${q(p64)})
emit('test', z.testzip())
emit('aligned', all(z.open(i).__enter__() and True for i in z.infolist()))
o = torch.load(${q(p64)})
emit('a', o['a']); emit('b', o['b'][0]); emit('x', o['b'][1])
`);
    assert.strictEqual(got.test, null);
    assertClose(value.a, got.a);
    assertClose(value.b[0] as torch.Tensor, got.b);
    assert.strictEqual(got.x, 'x');
    const back = await torch.load<{ a: torch.Tensor }>(p64);
    assert.deepStrictEqual(back.a.tolist(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('aligns every storage record to 64 bytes, as PyTorch does', async function () {
    const p = file('aligned.pt');
    await torch.save({ a: torch.ones([3]), b: torch.zeros([5], { dtype: 'float64' }), c: torch.tensor(1) }, p);
    const got = py(`
import zipfile
z = zipfile.ZipFile(${q(p)})
offs = {}
with open(${q(p)}, 'rb') as f:
    raw = f.read()
for i in z.infolist():
    n = int.from_bytes(raw[i.header_offset + 26:i.header_offset + 28], 'little')
    e = int.from_bytes(raw[i.header_offset + 28:i.header_offset + 30], 'little')
    offs[i.filename] = (i.header_offset + 30 + n + e) % 64
emit('offs', offs)
emit('names', z.namelist())
`);
    assert.deepStrictEqual(Object.values(got.offs as object), [0, 0, 0, 0, 0, 0]);
    assert.deepStrictEqual(got.names, ['archive/data.pkl', 'archive/byteorder', 'archive/data/0', 'archive/data/1', 'archive/data/2', 'archive/version']);
  });

  it('maps locations: a device, a table, a function, and a clear error for CUDA storages without CUDA', async function () {
    // A checkpoint whose storages say 'cuda:0', made from a CPU one by rewriting the location in data.pkl.
    const p = file('cuda.pt');
    py(`
import zipfile, io
buf = io.BytesIO()
w = torch.arange(4.0)
torch.save({'w': w, 'v': w[1:]}, buf)
src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
with zipfile.ZipFile(${q(p)}, 'w') as z:
    for info in src.infolist():
        data = src.read(info.filename)
        if info.filename.endswith('data.pkl'): data = data.replace(b'X\\x03\\x00\\x00\\x00cpu', b'X\\x06\\x00\\x00\\x00cuda:0')
        z.writestr(info.filename, data)
`);
    if (!N.version().cuda) {
      await assert.rejects(torch.load(p), (e: unknown) => e instanceof torch.TorchError && e.message.includes(p) && /CUDA/.test(e.message) && /mapLocation/.test(e.message));
    }
    const a = await torch.load<Record<string, torch.Tensor>>(p, { mapLocation: 'cpu' });
    assert.deepStrictEqual(a.v.tolist(), [1, 2, 3]);
    assert.strictEqual(a.w.device.type, 'cpu');
    const b = await torch.load<Record<string, torch.Tensor>>(p, { mapLocation: torch.device('cpu') });
    assert.deepStrictEqual(b.w.tolist(), [0, 1, 2, 3]);
    const c = await torch.load<Record<string, torch.Tensor>>(p, { mapLocation: { 'cuda:0': 'cpu' } });
    assert.deepStrictEqual(c.w.tolist(), [0, 1, 2, 3]);
    const seen: string[] = [];
    const e = await torch.load<Record<string, torch.Tensor>>(p, {
      mapLocation: (storage, location) => {
        seen.push(`${location}:${storage.shape}`);
        return storage.mul(10);
      },
    });
    assert.deepStrictEqual(seen, ['cuda:0:4']);
    assert.deepStrictEqual(e.v.tolist(), [10, 20, 30]);
    e.w.add_(1);
    assert.deepStrictEqual(e.v.tolist(), [11, 21, 31], 'views still share the mapped storage');
    await assert.rejects(torch.load(p, { map_location: 'cpu' } as unknown as torch.LoadOptions), /unknown option 'map_location' \(did you mean 'mapLocation'\?\)/);
  });

  it('moves training between torch-node and Python: model and optimizer state dicts, both ways', async function () {
    const pm = file('ts_model.pt');
    const po = file('ts_opt.pt');
    const pyModel = file('py_model.pt');
    const pyOpt = file('py_opt.pt');
    const build = () => new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.BatchNorm1d(4), new torch.nn.ReLU(), new torch.nn.Linear(4, 2));
    const input = (i: number) => torch.arange(24, { dtype: 'float32' }).reshape([8, 3]).mul(0.1 * (i + 1)).sub(1);
    const step = (model: torch.nn.Module, opt: torch.optim.Optimizer, i: number) => {
      opt.zeroGrad();
      (model.forward(input(i)) as torch.Tensor).pow(2).mean().backward();
      opt.step();
    };
    const PY = `
import torch.nn as nn
def build(): return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
def inp(i): return torch.arange(24, dtype=torch.float32).reshape(8, 3) * (0.1 * (i + 1)) - 1
def step(model, opt, i):
    opt.zero_grad(); (model(inp(i)) ** 2).mean().backward(); opt.step()
`;
    // torch-node trains two steps and saves; Python resumes for a third, as torch-node does.
    torch.manualSeed(0);
    const model = build();
    const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01, weightDecay: 0.1 });
    step(model, opt, 0);
    step(model, opt, 1);
    await torch.save(model.stateDict(), pm);
    await torch.save(opt.stateDict(), po);
    step(model, opt, 2);
    const got = py(`${PY}
model = build(); model.load_state_dict(torch.load(${q(pm)}))
opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=0.1); opt.load_state_dict(torch.load(${q(po)}))
step(model, opt, 2)
emit('sd', dict(model.state_dict()))
`).sd as Record<string, PyTensor>;
    for (const [k, v] of Object.entries(model.stateDict())) assertClose(v, got[k], { rtol: 1e-5, atol: 1e-6 });

    // And the reverse: Python trains and saves, torch-node loads and resumes.
    const ref = py(`${PY}
torch.manual_seed(1)
model = build(); opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=0.1)
step(model, opt, 0); step(model, opt, 1)
torch.save(model.state_dict(), ${q(pyModel)}); torch.save(opt.state_dict(), ${q(pyOpt)})
step(model, opt, 2)
emit('sd', dict(model.state_dict()))
`).sd as Record<string, PyTensor>;
    const model2 = build();
    const result = model2.loadStateDict(await torch.load(pyModel));
    assert.deepStrictEqual(result, { missingKeys: [], unexpectedKeys: [] });
    const opt2 = new torch.optim.Adam(model2.parameters(), { lr: 0.01, weightDecay: 0.1 });
    opt2.loadStateDict(await torch.load(pyOpt));
    step(model2, opt2, 2);
    for (const [k, v] of Object.entries(model2.stateDict())) assertClose(v, ref[k], { rtol: 1e-5, atol: 1e-6 });
  });

  it('loads from bytes in memory and types load() for loadStateDict-style use', async function () {
    const p = file('bytes.pt');
    await torch.save({ w: torch.ones([2]) }, p);
    const bytes = await fs.promises.readFile(p);
    const sd = await torch.load<Record<string, torch.Tensor>>(bytes);
    assert.deepStrictEqual(sd.w.tolist(), [1, 1]);
    const takesStateDict = (s: Record<string, torch.Tensor>) => Object.keys(s);
    assert.deepStrictEqual(takesStateDict(await torch.load(p)), ['w']);
  });
});
