// safetensors against the format's specification, with files written and read by hand in Python (struct +
// json, no safetensors package), and round trips.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { callOp } from '../lib/dispatch';
import { py, requirePython } from './helpers/python';

let dir: string;
const file = (name: string) => path.join(dir, name);
const q = (s: string) => JSON.stringify(s);

const PY_ST = `
import struct, json
NAMES = {torch.float32: 'F32', torch.float64: 'F64', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.int64: 'I64',
         torch.int32: 'I32', torch.int16: 'I16', torch.int8: 'I8', torch.uint8: 'U8', torch.bool: 'BOOL', torch.complex64: 'C64'}
DTYPES = {v: k for k, v in NAMES.items()}
def raw(t):
    t = t.detach().contiguous().reshape(-1)
    if t.dtype == torch.complex64: t = torch.view_as_real(t).reshape(-1)
    return bytes(t.view(torch.uint8).tolist()) if t.numel() else b''
def write_st(path, tensors, metadata=None):
    header, blobs, at = {}, [], 0
    if metadata is not None: header['__metadata__'] = metadata
    for name, t in tensors.items():
        b = raw(t)
        header[name] = {'dtype': NAMES[t.dtype], 'shape': list(t.shape), 'data_offsets': [at, at + len(b)]}
        at += len(b); blobs.append(b)
    h = json.dumps(header).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f: f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))
def read_st(path):
    data = open(path, 'rb').read()
    n = struct.unpack('<Q', data[:8])[0]
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    meta = header.pop('__metadata__', None)
    out, spans = {}, []
    for name, info in header.items():
        b, e = info['data_offsets']
        dt = DTYPES[info['dtype']]
        size = torch.empty((), dtype=dt).element_size()
        assert b % size == 0, ('misaligned', name)
        spans.append((b, e))
        if e == b: out[name] = torch.empty(info['shape'], dtype=dt)
        else: out[name] = torch.frombuffer(bytearray(body[b:e]), dtype=dt).reshape(info['shape'])
    spans.sort()
    at = 0
    for b, e in spans:
        assert b == at, 'hole or overlap'
        at = e
    assert at == len(body), 'data not covered exactly'
    return {'n': n, 'meta': meta, 'order': list(header.keys()), 'tensors': out}
def bits(t):
    t = t.contiguous()
    if t.dtype in (torch.float16, torch.bfloat16): t = t.view(torch.int16)
    if t.dtype == torch.complex64: t = torch.view_as_real(t)
    v = t.reshape(-1).tolist()
    if t.dtype == torch.int64: return [str(x) for x in v]
    if t.dtype.is_floating_point: return [None if x != x else x for x in v]
    return v
`;

function bits(t: torch.Tensor): unknown[] {
  let c = t.contiguous();
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') c = callOp('view', [c, 'int16']) as torch.Tensor;
  if (t.dtype === 'complex64') c = callOp('view_as_real', [c]) as torch.Tensor;
  const data = Array.from(c.dataSync() as ArrayLike<number | bigint>);
  if (t.dtype === 'int64') return data.map(String);
  if (t.dtype === 'bool') return data.map((x) => x !== 0);
  return data.map((x) => (typeof x === 'number' && Number.isNaN(x) ? null : x));
}

describe('serialization: safetensors', function () {
  this.timeout(60000);

  before(function () {
    requirePython(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-st-'));
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a file written by hand to the specification: every dtype, 0-dim, empty, metadata, order', async function () {
    const p = file('py.safetensors');
    const ref = py(`${PY_ST}
torch.manual_seed(0)
t = {
  'w': torch.randn(3, 4), 'f64': torch.tensor([1/3, float('nan')], dtype=torch.float64),
  'f16': torch.tensor([0.1, -65504, float('inf')], dtype=torch.float16), 'bf16': torch.tensor([0.1, 3e38], dtype=torch.bfloat16),
  'i64': torch.tensor([2**63 - 1, -2**63]), 'i32': torch.tensor([-7], dtype=torch.int32), 'i16': torch.tensor([300], dtype=torch.int16),
  'i8': torch.tensor([-128], dtype=torch.int8), 'u8': torch.tensor([255], dtype=torch.uint8), 'b': torch.tensor([True, False, True]),
  'c64': torch.tensor([1 + 2j], dtype=torch.complex64), 'scalar': torch.tensor(2.5), 'empty': torch.zeros(0, 3),
}
write_st(${q(p)}, t, {'format': 'pt', 'note': 'héllo'})
emit('keys', list(t.keys()))
emit('bits', {k: bits(v) for k, v in t.items()})
emit('shapes', {k: list(v.shape) for k, v in t.items()})
`);
    const got = await torch.loadSafetensors(p);
    assert.deepStrictEqual(Object.keys(got), ref.keys);
    const b = ref.bits as Record<string, unknown[]>;
    const shapes = ref.shapes as Record<string, number[]>;
    const dtypes: Record<string, torch.DType> = { w: 'float32', f64: 'float64', f16: 'float16', bf16: 'bfloat16', i64: 'int64', i32: 'int32', i16: 'int16', i8: 'int8', u8: 'uint8', b: 'bool', c64: 'complex64', scalar: 'float32', empty: 'float32' };
    for (const k of ref.keys as string[]) {
      assert.strictEqual(got[k].dtype, dtypes[k], `${k}: dtype`);
      assert.deepStrictEqual(got[k].shape, shapes[k], `${k}: shape`);
      assert.deepStrictEqual(bits(got[k]), b[k], `${k}: values`);
    }
    assert.deepStrictEqual({ ...(await torch.safetensorsMetadata(p)) }, { format: 'pt', note: 'héllo' });
    const fromBytes = await torch.safetensors.load(await fs.promises.readFile(p));
    assert.deepStrictEqual(bits(fromBytes.w), b.w);
  });

  it('writes files that a by-hand reader accepts: aligned header and tensors, exact coverage, values bit for bit', async function () {
    const p = file('ours.safetensors');
    torch.manualSeed(3);
    const tensors: Record<string, torch.Tensor> = {
      'layer.weight': torch.randn([4, 3]).t(), // non-contiguous
      'layer.bias': torch.tensor([0.1, 0.2], { dtype: 'float16' }),
      bf: torch.tensor([1.5, -2], { dtype: 'bfloat16' }),
      steps: torch.tensor(BigInt64Array.from([2n ** 62n, -3n])),
      mask: torch.tensor([true, false, true]),
      u8: torch.tensor([1, 2, 3], { dtype: 'uint8' }),
      d: torch.tensor([Math.PI], { dtype: 'float64' }),
      scalar: torch.tensor(7, { dtype: 'int32' }),
      none: torch.zeros([0]),
    };
    await torch.saveSafetensors(tensors, p, { metadata: { format: 'pt' } });
    const got = py(`${PY_ST}
r = read_st(${q(p)})
emit('n8', r['n'] % 8)
emit('meta', r['meta'])
emit('order', r['order'])
emit('bits', {k: bits(v) for k, v in r['tensors'].items()})
emit('dtypes', {k: str(v.dtype).replace('torch.', '') for k, v in r['tensors'].items()})
emit('shapes', {k: list(v.shape) for k, v in r['tensors'].items()})
`);
    assert.strictEqual(got.n8, 0);
    assert.deepStrictEqual(got.meta, { format: 'pt' });
    // Larger elements first, the given order otherwise (so every tensor is aligned to its element size).
    assert.deepStrictEqual(got.order, ['steps', 'd', 'layer.weight', 'scalar', 'none', 'layer.bias', 'bf', 'mask', 'u8']);
    for (const [k, t] of Object.entries(tensors)) {
      assert.deepStrictEqual((got.bits as Record<string, unknown>)[k], bits(t), `${k}: values`);
      assert.strictEqual((got.dtypes as Record<string, string>)[k], t.dtype, `${k}: dtype`);
      assert.deepStrictEqual((got.shapes as Record<string, number[]>)[k], t.shape, `${k}: shape`);
    }
  });

  it('round-trips in torch-node, through files and bytes, with Maps too', async function () {
    const p = file('round.safetensors');
    const src = new Map<string, torch.Tensor>([
      ['b', torch.arange(6, { dtype: 'int16' }).reshape([2, 3])],
      ['a', torch.randn([5])],
    ]);
    await torch.saveSafetensors(src, p);
    const back = await torch.loadSafetensors(p, { device: 'cpu' });
    assert.deepStrictEqual(Object.keys(back).sort(), ['a', 'b']);
    for (const [k, t] of src) assert.deepStrictEqual(bits(back[k]), bits(t));
    assert.strictEqual(await torch.safetensorsMetadata(p), null);
    const bytes = await torch.safetensors.save(src, { metadata: { x: 'y' } });
    const again = await torch.safetensors.load(bytes);
    assert.deepStrictEqual(bits(again.b), bits(src.get('b') as torch.Tensor));
    assert.deepStrictEqual({ ...(await torch.safetensors.metadata(bytes)) }, { x: 'y' });
  });

  it('rejects corrupt files with a TorchError that names them, and bad arguments with a TypeError', async function () {
    const good = await torch.safetensors.save({ a: torch.ones([4]), b: torch.zeros([2], { dtype: 'int64' }) });
    const n = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(Buffer.from(good.subarray(8, 8 + n)).toString());
    const withHeader = (h: unknown, body = good.subarray(8 + n)) => {
      const text = Buffer.from(JSON.stringify(h));
      const out = Buffer.alloc(8 + text.length + body.length);
      out.writeBigUInt64LE(BigInt(text.length), 0);
      text.copy(out, 8);
      Buffer.from(body).copy(out, 8 + text.length);
      return out;
    };
    const cases: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(0), /the file is empty/],
      ['short', good.subarray(0, 5), /truncated file/],
      ['truncated header', good.subarray(0, 8 + n - 3), /truncated file/],
      ['truncated data', good.subarray(0, good.length - 1), /cover 32 bytes of data, but the file holds 31/],
      ['extra data', Buffer.concat([good, Buffer.from([0])]), /cover 32 bytes of data, but the file holds 33/],
      ['huge header', Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 1, 0x7b]), /not a safetensors file/],
      ['not json', withHeader('x').fill(0x41, 8, 9), /header is not JSON/],
      ['hole', withHeader({ ...header, a: { ...header.a, data_offsets: [17, 33] } }, Buffer.concat([good.subarray(8 + n), Buffer.alloc(1)])), /starts at 17, expected 16/],
      ['overlap', withHeader({ ...header, a: { ...header.a, data_offsets: [8, 24] } }), /holes or overlapping/],
      ['size', withHeader({ ...header, a: { ...header.a, shape: [5] } }), /needs 20 bytes, but its data_offsets span 16/],
      ['dtype', withHeader({ ...header, a: { ...header.a, dtype: 'X9' } }), /unknown dtype 'X9'/],
      ['unsupported', withHeader({ ...header, a: { ...header.a, dtype: 'U32' } }), /dtype U32, which torch-node does not support/],
      ['shape', withHeader({ ...header, a: { ...header.a, shape: [-4] } }), /shape of 'a' is not a list of non-negative integers/],
      ['metadata', withHeader({ ...header, __metadata__: { k: 1 } }), /"__metadata__" must map strings to strings/],
    ];
    for (const [what, bytes, re] of cases) {
      const p = file(`bad-${what.replace(/ /g, '-')}.safetensors`);
      fs.writeFileSync(p, bytes);
      await assert.rejects(
        torch.loadSafetensors(p),
        (e: unknown) => e instanceof torch.TorchError && e.message.includes(`'${p}'`) && re.test(e.message),
        what,
      );
    }
    await assert.rejects(torch.loadSafetensors(file('missing.safetensors')), /no such file or directory/);
    await assert.rejects(torch.saveSafetensors({ a: 1 } as unknown as Record<string, torch.Tensor>, file('x.safetensors')), /'a' must be a Tensor/);
    await assert.rejects(torch.saveSafetensors({ __metadata__: torch.ones([1]) }, file('x.safetensors')), /'__metadata__' is reserved/);
    await assert.rejects(torch.saveSafetensors({ c: torch.ones([1], { dtype: 'complex128' }) }, file('x.safetensors')), /complex128, which safetensors cannot store/);
    await assert.rejects(torch.saveSafetensors({ a: torch.ones([1]) }, file('x.safetensors'), { metadata: { k: 1 } as unknown as Record<string, string> }), /metadata must be an object of strings/);
    assert.ok(!fs.existsSync(file('x.safetensors')));
  });
});
