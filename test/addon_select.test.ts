// Which addon loads (scripts/addon.js): prebuilds chosen by the resolved LibTorch, refused by version, flavour,
// ABI and, in a checkout, by source hash; the ELF reader behind the sidecars. Works on a temporary copy of the
// package's layout; nothing here is dlopened.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

const root = path.join(__dirname, '..', '..');

interface Record {
  source: string;
  root: string;
  torchDir: string | null;
  libDir: string;
  version: string;
  flavour: string;
  cxx11abi: boolean | null;
}
interface Candidate {
  file: string;
  kind: string;
  meta: { libtorch: string; needed: string[] } | null;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const addon = require(path.join(root, 'scripts', 'addon.js')) as {
  PLATFORM: string;
  flavourTag(f: string): string;
  prebuildName(meta: { libtorch: string; flavour: string }): string;
  elfDynamic(file: string): { needed: string[]; runpath: string[]; soname: string | null };
  chooseAddon(root: string, record?: Record | null, opts?: { checkSources?: boolean }): Candidate;
  missingLibraries(meta: unknown, record: Record): string[];
  readRecord(root: string): Record | null;
  sourceHash(root: string): string | null;
};

describe('addon selection (scripts/addon.js)', function () {
  this.timeout(30_000);
  let pkg: string;
  let record: Record;
  let prebuildFile: string;

  before(function () {
    const real = addon.readRecord(root);
    const dir = path.join(root, 'prebuilds', addon.PLATFORM);
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.node')) : [];
    if (!real || files.length === 0) this.skip();
    record = real as Record;
    // A package layout: the prebuilds, the native sources, libtorch.json; tsconfig.json marks a checkout.
    pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-addon-'));
    fs.cpSync(path.join(root, 'prebuilds'), path.join(pkg, 'prebuilds'), { recursive: true });
    fs.cpSync(path.join(root, 'native'), path.join(pkg, 'native'), { recursive: true });
    fs.copyFileSync(path.join(root, 'CMakeLists.txt'), path.join(pkg, 'CMakeLists.txt'));
    fs.writeFileSync(path.join(pkg, 'tsconfig.json'), '{}');
    fs.writeFileSync(path.join(pkg, 'libtorch.json'), JSON.stringify(record));
    const fitting = files.find((n) => n.includes(`.libtorch-${record.version.replace(/\./g, '_')}.${addon.flavourTag(record.flavour)}.`));
    if (!fitting) this.skip();
    prebuildFile = path.join(pkg, 'prebuilds', addon.PLATFORM, fitting as string);
    // The logic under test, not the freshness of the committed prebuild: its sidecar gets these sources' hash.
    const sidecar = prebuildFile.replace(/\.node$/, '.json');
    fs.writeFileSync(sidecar, JSON.stringify({ ...JSON.parse(fs.readFileSync(sidecar, 'utf8')), sourceHash: addon.sourceHash(pkg) }));
  });
  after(() => pkg && fs.rmSync(pkg, { recursive: true, force: true }));

  it('names prebuilds by LibTorch version and flavour tag', function () {
    assert.strictEqual(addon.flavourTag('cpu'), 'cpu');
    assert.strictEqual(addon.flavourTag('cu130'), 'cu13x');
    assert.strictEqual(addon.flavourTag('cu128'), 'cu12x');
    assert.strictEqual(addon.prebuildName({ libtorch: '2.11.0', flavour: 'cu130' }), 'torch_node.libtorch-2_11_0.cu13x.napi.glibc');
  });

  it('reads NEEDED from the ELF file as readelf does', function () {
    const mine = addon.elfDynamic(prebuildFile).needed;
    const r = spawnSync('readelf', ['-d', prebuildFile], { encoding: 'utf8' });
    if (r.status !== 0) this.skip();
    const theirs = [...r.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
    assert.deepStrictEqual(mine, theirs);
    assert.ok(mine.some((n) => n.startsWith('libc10.so')));
  });

  it('chooses the prebuild that fits the resolved LibTorch', function () {
    const c = addon.chooseAddon(pkg);
    assert.strictEqual(c.kind, 'prebuild');
    assert.strictEqual(c.file, prebuildFile);
    assert.deepStrictEqual(addon.missingLibraries(c.meta, record), []);
  });

  it('refuses another version or flavour, naming both', function () {
    assert.throws(
      () => addon.chooseAddon(pkg, { ...record, version: '2.11.0' }),
      (e: Error) => e.message.includes(`it was built for LibTorch ${record.version} (${addon.flavourTag(record.flavour)}), but the LibTorch resolved is 2.11.0`) && /npm rebuild torch-node/.test(e.message),
    );
    assert.throws(() => addon.chooseAddon(pkg, { ...record, flavour: 'cu130' }), /but the LibTorch resolved is [\d.]+ \(cu13x\)/);
  });

  it('refuses another C++ ABI', function () {
    assert.throws(() => addon.chooseAddon(pkg, { ...record, cxx11abi: !record.cxx11abi }), /built with _GLIBCXX_USE_CXX11_ABI=\d, but the LibTorch resolved uses \d/);
  });

  it('in a checkout, refuses a prebuild made from other native sources; an installed package is not re-hashed', function () {
    const file = path.join(pkg, 'native', 'compat.h');
    const saved = fs.readFileSync(file);
    try {
      fs.appendFileSync(file, '\n// changed\n');
      assert.throws(() => addon.chooseAddon(pkg), /built from other native sources than these \(its source hash differs\)/);
      fs.rmSync(path.join(pkg, 'tsconfig.json'));
      assert.strictEqual(addon.chooseAddon(pkg).file, prebuildFile);
      assert.throws(() => addon.chooseAddon(pkg, undefined, { checkSources: true }), /its source hash differs/);
    } finally {
      fs.writeFileSync(file, saved);
      fs.writeFileSync(path.join(pkg, 'tsconfig.json'), '{}');
    }
  });

  it('names the libraries a LibTorch folder lacks', function () {
    const c = addon.chooseAddon(pkg);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-emptylib-'));
    try {
      const missing = addon.missingLibraries(c.meta, { ...record, libDir: empty });
      assert.ok(missing.length >= 3 && missing.every((n) => /^lib(c10|torch)/.test(n)), String(missing));
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });

  it('without libtorch.json and without a build, says to run the install', function () {
    fs.renameSync(path.join(pkg, 'libtorch.json'), path.join(pkg, 'libtorch.json.off'));
    try {
      assert.throws(() => addon.chooseAddon(pkg), /LibTorch was never resolved .*npm rebuild torch-node/);
    } finally {
      fs.renameSync(path.join(pkg, 'libtorch.json.off'), path.join(pkg, 'libtorch.json'));
    }
  });
});
