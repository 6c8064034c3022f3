// torch.load refuses what would run code and survives anything else: malicious pickles, truncated, bit-flipped
// and foreign files all give a TorchError that names the file. torch.save never leaves a half-written file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { ZipWriter } from '../lib/serialization/zip';
import { py, requirePython } from './helpers/python';

let dir: string;
const file = (name: string) => path.join(dir, name);
const q = (s: string) => JSON.stringify(s);

/** A TorchError whose message names `name` and matches `re`. */
const namesFile = (name: string, re: RegExp = /./) => (e: unknown) => {
  assert.ok(e instanceof torch.TorchError, `expected a TorchError, got ${String(e)}`);
  assert.ok(e.message.includes(`'${name}'`), `the message names the file: ${e.message}`);
  assert.match(e.message, re);
  return true;
};

/** A checkpoint zip with a handmade data.pkl (and optional storage records), written by our zip writer. */
async function handmade(name: string, pickle: number[] | Uint8Array, records: Record<string, Uint8Array> = {}): Promise<string> {
  const p = file(name);
  const handle = await fs.promises.open(p, 'w');
  const zip = new ZipWriter(handle);
  await zip.add('archive/data.pkl', Uint8Array.from(pickle));
  for (const [k, v] of Object.entries(records)) await zip.add(`archive/data/${k}`, v);
  await zip.add('archive/version', new TextEncoder().encode('3\n'));
  await zip.finish();
  await handle.close();
  return p;
}

const enc = (s: string) => Array.from(Buffer.from(s, 'latin1'));
const PROTO = [0x80, 0x02];
const STOP = [0x2e];
const GLOBAL = (m: string, n: string) => [0x63, ...enc(`${m}\n${n}\n`)];
const STR = (s: string) => {
  const b = Buffer.from(s, 'utf8');
  return [0x58, b.length & 0xff, (b.length >> 8) & 0xff, 0, 0, ...b];
};
const INT = (v: number) => [0x4a, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];

describe('serialization: malicious, corrupt and foreign files; atomic writes', function () {
  this.timeout(120000);

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-ser-err-'));
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('refusing code', function () {
    before(function () {
      requirePython(this);
    });

    it('refuses a torch.save file whose pickle calls os.system, naming the file and the global', async function () {
      const p = file('evil.pt');
      const marker = file('pwned');
      py(`
import os
class Evil:
    def __reduce__(self): return (os.system, (${q(`touch ${marker}`)},))
torch.save({'w': torch.ones(2), 'evil': Evil()}, ${q(p)})
`);
      await assert.rejects(torch.load(p), namesFile(p, /refused to load the global 'posix\.system'/));
      // With weightsOnly false it is an inert description; nothing runs.
      const o = await torch.load<{ w: torch.Tensor; evil: torch.PickledObject }>(p, { weightsOnly: false });
      assert.ok(o.evil instanceof torch.PickledObject);
      assert.strictEqual(o.evil.qualifiedName, 'posix.system');
      assert.deepStrictEqual(o.evil.args, [`touch ${marker}`]);
      assert.deepStrictEqual(o.w.tolist(), [1, 1]);
      assert.ok(!fs.existsSync(marker));
    });

    it('says what to do with a whole pickled nn.Module or optimizer', async function () {
      const p = file('module.pt');
      py(`torch.save(torch.nn.Linear(2, 2), ${q(p)})`);
      await assert.rejects(torch.load(p), namesFile(p, /torch\.nn\.modules\.linear\.Linear'.*save model\.state_dict\(\) instead/s));
      const o = await torch.load<torch.PickledObject>(p, { weightsOnly: false });
      assert.strictEqual(o.qualifiedName, 'torch.nn.modules.linear.Linear');
      assert.ok(o.state !== undefined);
    });

    it('refuses other ways to run code: arbitrary globals, INST/OBJ/EXT opcodes, calls of data', async function () {
      const cases: [string, number[], RegExp][] = [
        ['eval.pt', [...PROTO, ...GLOBAL('builtins', 'eval'), ...STR('1+1'), 0x85, 0x52, ...STOP], /refused to load the global 'builtins\.eval'/],
        ['py2eval.pt', [...PROTO, ...GLOBAL('__builtin__', 'getattr'), ...STOP], /refused to load the global 'builtins\.getattr'/],
        ['subprocess.pt', [...PROTO, 0x8c, 10, ...enc('subprocess'), 0x8c, 5, ...enc('Popen'), 0x93, ...STOP], /refused to load the global 'subprocess\.Popen'/],
        ['inst.pt', [...PROTO, 0x28, 0x69, ...enc('os\nsystem\n'), ...STOP], /opcode INST is not allowed/],
        ['obj.pt', [...PROTO, 0x28, 0x6f, ...STOP], /opcode OBJ is not allowed/],
        ['ext.pt', [...PROTO, 0x82, 1, ...STOP], /opcode EXT1 is not allowed/],
        ['calldict.pt', [...PROTO, 0x7d, 0x29, 0x52, ...STOP], /cannot call a dict/],
        ['buildlist.pt', [...PROTO, 0x5d, 0x7d, 0x62, ...STOP], /can only build dicts, tensors and parameters/],
        ['sparse.pt', [...PROTO, ...GLOBAL('torch._utils', '_rebuild_sparse_tensor'), ...STOP], /sparse tensors .* are not supported/],
      ];
      for (const [name, bytes, re] of cases) {
        const p = await handmade(name, bytes);
        await assert.rejects(torch.load(p), namesFile(p, re), name);
      }
    });
  });

  describe('malformed pickles', function () {
    const storage = (key: string, numel: number) => [0x28, ...STR('storage'), ...GLOBAL('torch', 'FloatStorage'), ...STR(key), ...STR('cpu'), ...INT(numel), 0x74, 0x51];
    const tensorPickle = (numel: number, offset: number, size: number[], stride: number[]) => [
      ...PROTO, ...GLOBAL('torch._utils', '_rebuild_tensor_v2'), 0x28, ...storage('0', numel), ...INT(offset),
      0x28, ...size.flatMap(INT), 0x74, 0x28, ...stride.flatMap(INT), 0x74, 0x89, 0x4e, 0x74, 0x52, ...STOP,
    ];

    it('rejects geometry outside the storage instead of growing it', async function () {
      const four = new Uint8Array(16);
      const ok = await handmade('ok.pt', tensorPickle(4, 1, [3], [1]), { '0': four });
      assert.deepStrictEqual((await torch.load<torch.Tensor>(ok)).tolist(), [0, 0, 0]);
      const past = await handmade('past.pt', tensorPickle(4, 1, [4], [1]), { '0': four });
      await assert.rejects(torch.load(past), namesFile(past, /reaches past its storage of 4 elements/));
      const huge = await handmade('huge.pt', tensorPickle(4, 0, [2 ** 30, 2 ** 30], [1, 1]), { '0': four });
      await assert.rejects(torch.load(huge), namesFile(huge, /reaches past its storage/));
      const short = await handmade('short.pt', tensorPickle(8, 0, [4], [1]), { '0': four });
      await assert.rejects(torch.load(short), namesFile(short, /needs 32 bytes, but its record has 16/));
      const missing = await handmade('missing.pt', tensorPickle(4, 0, [4], [1]));
      await assert.rejects(torch.load(missing), namesFile(missing, /record 'archive\/data\/0' of a storage is missing/));
    });

    it('rejects stack and memo errors, absurd lengths and runaway nesting without crashing or hanging', async function () {
      const deep = 100000;
      const cases: [string, number[], RegExp][] = [
        ['empty_stack.pt', [...PROTO, ...STOP], /stack underflow/],
        ['no_mark.pt', [...PROTO, 0x74, ...STOP], /no MARK/],
        ['memo.pt', [...PROTO, 0x68, 7, ...STOP], /memo entry 7 is missing/],
        ['long_str.pt', [...PROTO, 0x58, 0xf0, 0xff, 0xff, 0xff, 0x61], /truncated pickle data/],
        ['long8.pt', [...PROTO, 0x8d, 0, 0, 0, 0, 0, 0, 0, 0x40], /truncated pickle data/],
        ['no_stop.pt', [...PROTO, 0x4e], /truncated pickle data/],
        ['bad_op.pt', [...PROTO, 0xff], /invalid pickle opcode 0xff/],
        ['proto.pt', [0x80, 9, ...STOP], /unsupported pickle protocol 9/],
        ['utf8.pt', [...PROTO, 0x58, 2, 0, 0, 0, 0xc3, 0x28, ...STOP], /invalid UTF-8/],
        ['deep.pt', [...PROTO, ...new Array(deep).fill(0x5d), ...new Array(deep - 1).fill(0x61), ...STOP], /nested more than 1000 levels deep/],
        ['deep_key.pt', [...PROTO, 0x7d, 0x29, ...new Array(deep).fill(0x85), 0x4e, 0x73, ...STOP], /nested more than 1000 levels deep/],
        ['long4.pt', [...PROTO, 0x8b, 0, 0, 0x10, 0, ...new Array(1 << 20).fill(0x7f), ...STOP], /an integer of 1048576 bytes at offset 2 is too large/],
      ];
      for (const [name, bytes, re] of cases) {
        const p = await handmade(name, bytes);
        await assert.rejects(torch.load(p), namesFile(p, re), name);
      }
    });
  });

  describe('corrupt and foreign files', function () {
    let good: Uint8Array;
    const p0 = () => file('good.pt');

    before(async function () {
      await torch.save({ w: torch.arange(5, { dtype: 'float32' }), b: [torch.tensor(3), 'x'], n: 7 }, p0());
      good = await fs.promises.readFile(p0());
    });

    it('rejects every truncation of a checkpoint with a TorchError that names it', async function () {
      for (let n = 0; n < good.length; n++) {
        await assert.rejects(torch.load(good.subarray(0, n)), namesFile('<buffer>'), `truncated to ${n} bytes`);
      }
      const p = file('truncated.pt');
      fs.writeFileSync(p, good.subarray(0, good.length - 30));
      await assert.rejects(torch.load(p), namesFile(p, /truncated or corrupt zip archive/));
    });

    it('survives a flipped bit anywhere: a TorchError naming the file, or the same values', async function () {
      const bad: number[] = [];
      for (let i = 0; i < good.length; i++) {
        const b = Uint8Array.from(good);
        b[i] ^= 1 << (i % 8);
        try {
          const o = await torch.load<{ w: torch.Tensor; b: [torch.Tensor, string]; n: number }>(b);
          // A bit in a field nobody reads (a timestamp, padding): the data must be intact.
          assert.deepStrictEqual(o.w.tolist(), [0, 1, 2, 3, 4]);
          assert.strictEqual(o.b[0].item(), 3);
          assert.strictEqual(o.n, 7);
        } catch (e) {
          if (!(e instanceof torch.TorchError) || !e.message.includes("'<buffer>'")) bad.push(i);
        }
      }
      assert.deepStrictEqual(bad, []);
      // A flip inside tensor data is caught by the record's CRC-32.
      const p = file('flipped.pt');
      const b = Uint8Array.from(good);
      const at = Buffer.from(b).indexOf(Buffer.from(new Float32Array([0, 1, 2, 3, 4]).buffer));
      b[at + 6] ^= 0x10;
      fs.writeFileSync(p, b);
      await assert.rejects(torch.load(p), namesFile(p, /corrupt file: the CRC-32 of the record 'archive\/data\/0'/));
    });

    it('names foreign files for what they are: empty, text, PNG, a directory, missing, safetensors, TorchScript, pickles', async function () {
      requirePython(this);
      const write = (name: string, data: Uint8Array | string) => {
        fs.writeFileSync(file(name), data);
        return file(name);
      };
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
      const tar = new Uint8Array(1024);
      tar.set(Buffer.from('ustar'), 257);
      const cases: [string, RegExp][] = [
        [write('empty.pt', ''), /the file is empty/],
        [write('text.pt', 'hello, this is not a checkpoint\n'), /not a PyTorch checkpoint \(it looks like text\)/],
        [write('image.png', png), /not a PyTorch checkpoint \(it is a PNG image\)/],
        [write('random.pt', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)), /not a PyTorch checkpoint/],
        [write('old.tar', tar), /tar format of PyTorch before 0\.4/],
        [dir, /is a directory/],
        [file('does-not-exist.pt'), /no such file or directory/],
      ];
      const st = file('weights.safetensors');
      await torch.saveSafetensors({ a: torch.ones([2]) }, st);
      cases.push([st, /safetensors file: read it with torch\.loadSafetensors\(\)/]);
      const script = file('script.pt');
      const plain = file('plain.pkl');
      py(`
import pickle
torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), ${q(script)})
with open(${q(plain)}, 'wb') as f: pickle.dump({'a': 1}, f, protocol=2)
`);
      cases.push([script, /TorchScript archive .* load it with torch\.jit\.load\(\)/]);
      cases.push([plain, /a Python pickle, but not a PyTorch checkpoint/]);
      for (const [p, re] of cases) await assert.rejects(torch.load(p), namesFile(p, re), p);
    });
  });

  describe('atomic writes', function () {
    const listing = () => fs.readdirSync(dir).filter((n) => n.startsWith('.')).sort();

    it('leaves the previous file untouched and no temporary file when writing fails midway', async function () {
      const p = file('atomic.pt');
      await torch.save({ old: torch.ones([3]) }, p);
      const before = fs.readFileSync(p);
      // A meta tensor has no data: the failure comes while the archive is being written, after other records.
      // 'a' (8 MB) reaches the disk before the meta tensor fails.
      const meta = torch.empty([1000], { device: 'meta' });
      await assert.rejects(torch.save({ a: torch.randn([2_000_000]), b: meta }, p), namesFile(p, /meta/));
      assert.deepStrictEqual(fs.readFileSync(p), before);
      assert.deepStrictEqual(listing(), []);
      assert.deepStrictEqual((await torch.load<{ old: torch.Tensor }>(p)).old.tolist(), [1, 1, 1]);
    });

    it('refuses values it cannot save with a TypeError that says where, before touching the file', async function () {
      const p = file('atomic.pt');
      const before = fs.readFileSync(p);
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = cyclic;
      class Foo {}
      const disposed = torch.ones([1]);
      disposed.dispose();
      const cases: [unknown, RegExp][] = [
        [{ fn: () => 1 }, /cannot save 'fn': values of type function cannot be saved/],
        [{ list: [1, new Foo()] }, /cannot save 'list\[1\]': objects of type Foo cannot be saved/],
        [cyclic, /cannot save 'self': it contains itself/],
        [{ t: disposed }, /cannot save 't': the tensor has been disposed/],
        [{ m: new Map([[{}, 1]]) }, /a Map key must be/],
        [Symbol('s'), /values of type symbol/],
      ];
      for (const [value, re] of cases) await assert.rejects(torch.save(value, p), (e: unknown) => e instanceof TypeError && re.test((e as Error).message));
      await assert.rejects(torch.save({}, 42 as unknown as string), TypeError);
      assert.deepStrictEqual(fs.readFileSync(p), before);
      assert.deepStrictEqual(listing(), []);
    });

    it('names the path when the folder is missing or the path is a folder', async function () {
      const missing = path.join(dir, 'no-such-dir', 'x.pt');
      await assert.rejects(torch.save({ a: 1 }, missing), namesFile(missing, /no such file or directory/));
      await assert.rejects(torch.save({ a: 1 }, dir), namesFile(dir, /is a directory/));
    });

    it('keeps a complete file when saves race to the same path', async function () {
      const p = file('race.pt');
      const values = Array.from({ length: 6 }, (_, i) => torch.full([2000], i));
      await Promise.all(values.map((v) => torch.save({ v }, p)));
      const got = (await torch.load<{ v: torch.Tensor }>(p)).v;
      const first = got.index([0]).item();
      assert.ok(Number.isInteger(first) && first >= 0 && first < 6);
      assert.strictEqual(got.eq(first).all().item(), true);
      assert.deepStrictEqual(listing(), []);
    });
  });
});
