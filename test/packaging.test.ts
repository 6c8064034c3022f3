// The published package: `npm pack`, then `npm install` of the tarball into a new project with an empty HOME
// and its own npm cache (registry only), where the seed tutorial runs from ESM and CommonJS, TypeScript
// type-checks against the shipped declarations, and `torch-node doctor` reports each offline LibTorch route and
// diagnoses broken setups. The package is packed from a staging copy holding a prebuild for the current
// sources (made from the current build when prebuilds/ has none), so the install compiles nothing.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync, SpawnSyncReturns } from 'child_process';

const root = path.join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const build = require(path.join(root, 'scripts', 'build.js')) as {
  fittingPrebuild(): { file: string } | null;
  buildIsStale(): boolean;
  addonPath: string;
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const prebuild = require(path.join(root, 'scripts', 'prebuild.js')) as { writePrebuild(outDir: string, record: unknown): string };
// eslint-disable-next-line @typescript-eslint/no-var-requires
const addon = require(path.join(root, 'scripts', 'addon.js')) as { readRecord(root: string): { version: string; libDir: string; torchDir: string } | null; PLATFORM: string };

interface Run {
  stdout: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  ms: number;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeout = 600_000): Run {
  const t0 = Date.now();
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  return { stdout: r.stdout ?? '', status: r.status, signal: r.signal, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`, ms: Date.now() - t0 };
}

function ok(r: Run, what: string): Run {
  assert.strictEqual(r.status, 0, `${what} failed (status ${r.status}, signal ${r.signal}):\n${r.out.slice(-4000)}`);
  return r;
}

/** Writes a binary PPM image of smooth colours. */
function writePpm(file: string, w: number, h: number, seed: number): void {
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    px[i * 3] = ((i % w) * 7 + seed * 31) % 256;
    px[i * 3 + 1] = (Math.floor(i / w) * 5 + seed * 17) % 256;
    px[i * 3 + 2] = (i * 3 + seed * 11) % 256;
  }
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`P6\n${w} ${h}\n255\n`, 'ascii'), px]));
}

// The seed tutorial (README), with weights: null, two tiny images per class and one optimizer step.
const TUTORIAL_BODY = `
const model = await models.resnet18({ weights: null });
model.fc = new nn.Linear(model.fc.inFeatures, 2);
for (const param of model.parameters()) param.requiresGrad = false;
for (const param of model.fc.parameters()) param.requiresGrad = true;

const criterion = new nn.CrossEntropyLoss();
const optimizer = new optim.SGD(model.fc.parameters(), { lr: 0.001, momentum: 0.9 });
const transform = new transforms.Compose([new transforms.Resize(256), new transforms.CenterCrop(224), new transforms.ToTensor()]);
const trainLoader = new DataLoader(new datasets.ImageFolder(process.argv[2], { transform }), { batchSize: 4, shuffle: true });

const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';
model.to(device);
model.train();
const before = model.fc.weight.clone();
for await (const [inputs, labels] of trainLoader) {
  optimizer.zeroGrad();
  const loss = criterion.forward(model.forward(inputs.to(device)), labels.to(device));
  loss.backward();
  optimizer.step();
  const moved = model.fc.weight.sub(before).abs().max().item();
  console.log(\`one step: loss \${loss.item().toFixed(4)}, fc moved \${moved > 0}, LibTorch \${torch.__libtorchVersion}\`);
  break;
}
`;

const ESM_TUTORIAL = `import torchDefault from 'torch-node';
import * as torch from 'torch-node';
import { nn, optim } from 'torch-node';
import { models, datasets, transforms } from 'torch-node/vision';
import { DataLoader } from 'torch-node/data';
if (torchDefault.nn !== nn || torch.nn !== nn) throw new Error('default, namespace and named imports differ');
${TUTORIAL_BODY}`;

const CJS_TUTORIAL = `const torch = require('torch-node');
const { nn, optim } = require('torch-node');
const { models, datasets, transforms } = require('torch-node/vision');
const { DataLoader } = require('torch-node/data');
(async () => {
${TUTORIAL_BODY}
})().catch((err) => { console.error(err); process.exit(1); });`;

const TS_ESM = `import torch from 'torch-node';
import * as ns from 'torch-node';
import { nn, optim, Tensor } from 'torch-node';
import { models, transforms } from 'torch-node/vision';
import { DataLoader } from 'torch-node/data';
const model: models.ResNet = await models.resnet18({ weights: null });
const head: nn.Linear = new nn.Linear(model.fc.inFeatures, 2);
const opt: optim.SGD = new optim.SGD(head.parameters(), { lr: 0.1 });
const t: Tensor = ns.randn([2, 3]).add(torch.ones([2, 3]));
const size: number[] = t.shape;
const resize = new transforms.Resize(8);
const loader: DataLoader<[Tensor, Tensor]> | undefined = undefined;
export { opt, size, resize, loader };
`;

const TS_CJS = `import torch = require('torch-node');
const n: number = torch.getNumThreads();
export = n;
`;

// Must not type-check: proves the declarations are read (not `any`).
const TS_BAD = `import * as torch from 'torch-node';
const wrong: string = torch.getNumThreads();
export { wrong };
`;

describe('packaging: npm pack and install', function () {
  this.timeout(20 * 60_000);
  let tmp: string;
  let app: string;
  let env: NodeJS.ProcessEnv;
  let tarball: string;
  let packed: string[];
  let installLog: string;
  const pkg = () => path.join(app, 'node_modules', 'torch-node');
  const node = (args: string[], extra: NodeJS.ProcessEnv = {}) => run(process.execPath, args, app, { ...env, ...extra });
  const doctor = (extra: NodeJS.ProcessEnv = {}) => node([path.join(app, 'node_modules', '.bin', 'torch-node'), 'doctor'], extra);
  const npm = (args: string[], extra: NodeJS.ProcessEnv = {}) => run('npm', args, app, { ...env, ...extra });

  before(function () {
    const record = addon.readRecord(root);
    if (!record) throw new Error('no libtorch.json: run `npm install` (or node scripts/fetch-libtorch) first');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-pack-'));
    const home = path.join(tmp, 'home');
    app = path.join(tmp, 'app');
    fs.mkdirSync(home);
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(home, '.npmrc'), '');
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(npm_|TORCH_NODE_|LIBTORCH$|XDG_CACHE_HOME$|TORCH_HOME$|INIT_CWD$)/i.test(k)),
    );
    env = {
      ...inherited,
      HOME: home,
      npm_config_cache: path.join(tmp, 'npm-cache'),
      npm_config_userconfig: path.join(home, '.npmrc'),
      npm_config_registry: 'https://registry.npmjs.org/',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      TORCH_NODE_NO_DOWNLOAD: '1',
      TORCH_NODE_NO_APT: '1',
    };

    // Stage exactly what `npm pack` would take, plus a prebuild for the current sources.
    const list = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], root, env);
    ok(list, 'npm pack --dry-run');
    packed = (JSON.parse(list.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    const stage = path.join(tmp, 'stage');
    for (const rel of packed) {
      fs.mkdirSync(path.dirname(path.join(stage, rel)), { recursive: true });
      fs.copyFileSync(path.join(root, rel), path.join(stage, rel));
    }
    if (!build.fittingPrebuild()) {
      if (!fs.existsSync(build.addonPath) || build.buildIsStale()) throw new Error('no prebuild fits these sources and build/ is stale: run `npm run build:native`');
      prebuild.writePrebuild(path.join(stage, 'prebuilds'), record);
    }
    const pack = ok(run('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], stage, env), 'npm pack');
    tarball = path.join(tmp, pack.stdout.trim().split('\n').pop() as string);

    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    const install = ok(npm(['install', '--no-audit', '--no-fund', '--foreground-scripts', tarball]), 'npm install of the tarball');
    installLog = install.out;
    console.log(`      (npm pack + install: ${((Date.now() - fs.statSync(tmp).birthtimeMs) / 1000).toFixed(0)} s; install alone ${(install.ms / 1000).toFixed(0)} s)`);

    for (const [c, cls] of ['ants', 'bees'].entries()) {
      fs.mkdirSync(path.join(app, 'data', cls), { recursive: true });
      for (let i = 0; i < 2; i++) writePpm(path.join(app, 'data', cls, `img${i}.ppm`), 64 + 8 * i, 72 - 4 * i, c * 10 + i);
    }
  });

  after(function () {
    if (tmp && !process.env.KEEP_PACKAGING_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('packs only what the package needs', function () {
    for (const must of ['package.json', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/vision/index.d.ts', 'dist/cli/main.js', 'bin/torch-node.js', 'scripts/install.js', 'scripts/fetch-libtorch', 'native/addon.cc', 'CMakeLists.txt']) {
      assert.ok(packed.includes(must), `${must} is missing from the package`);
    }
    const unwanted = packed.filter((p) => /^(test|bench|examples|build|node_modules|dist\/(test|bench|examples))\/|\.map$|^libtorch\.json$|\.tgz$|gpu-/.test(p));
    assert.deepStrictEqual(unwanted, []);
    const tar = run('tar', ['-tzf', tarball], tmp, env);
    assert.match(tar.out, new RegExp(`package/prebuilds/${addon.PLATFORM}/torch_node\\.libtorch-[0-9_]+\\.cpu\\.napi\\.glibc\\.node`));
  });

  it('installs with the prebuilt addon: nothing compiled', function () {
    assert.match(installLog, /using the prebuilt addon prebuilds\/linux-x64\/torch_node\.libtorch-/);
    assert.ok(!fs.existsSync(path.join(pkg(), 'build')), 'a build folder was made');
    assert.ok(fs.existsSync(path.join(pkg(), 'libtorch.json')));
  });

  it('runs the seed tutorial from an ES module', function () {
    fs.writeFileSync(path.join(app, 'tutorial.mjs'), ESM_TUTORIAL);
    const r = ok(node(['tutorial.mjs', path.join(app, 'data')]), 'the ESM tutorial');
    assert.match(r.out, /one step: loss \d+\.\d{4}, fc moved true, LibTorch \d+\.\d+\.\d+/);
  });

  it('runs the seed tutorial from CommonJS', function () {
    fs.writeFileSync(path.join(app, 'tutorial.cjs'), CJS_TUTORIAL);
    const r = ok(node(['tutorial.cjs', path.join(app, 'data')]), 'the CommonJS tutorial');
    assert.match(r.out, /one step: loss \d+\.\d{4}, fc moved true, LibTorch \d+\.\d+\.\d+/);
  });

  it('type-checks TypeScript (ESM and CommonJS) against the shipped declarations', function () {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const compilerOptions = {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'ES2022',
      lib: ['ES2022', 'ESNext.Disposable'],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      typeRoots: [path.join(root, 'node_modules', '@types')],
      types: ['node'],
    };
    fs.writeFileSync(path.join(app, 'esm.mts'), TS_ESM);
    fs.writeFileSync(path.join(app, 'cjs.cts'), TS_CJS);
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['esm.mts', 'cjs.cts'] }));
    ok(node([tsc, '-p', 'tsconfig.json']), 'tsc on the shipped declarations');
    fs.writeFileSync(path.join(app, 'bad.mts'), TS_BAD);
    fs.writeFileSync(path.join(app, 'tsconfig.bad.json'), JSON.stringify({ compilerOptions, files: ['bad.mts'] }));
    const bad = node([tsc, '-p', 'tsconfig.bad.json']);
    assert.notStrictEqual(bad.status, 0);
    assert.match(bad.out, /bad\.mts.*error TS2322: Type 'number' is not assignable to type 'string'/);
  });

  it('doctor reports the installation', function () {
    const r = ok(doctor(), 'doctor');
    assert.match(r.out, /LibTorch:\s+1\.13\.0 \(cpu\) from system/);
    assert.match(r.out, /addon:\s+\S+node_modules\/torch-node\/prebuilds\/linux-x64\/torch_node\.libtorch-1_13_0\.cpu\.napi\.glibc\.node/);
    assert.match(r.out, /prebuilt for LibTorch 1\.13\.0 \(cpu\)/);
    assert.match(r.out, /loaded:\s+LibTorch 1\.13\.0, \d+ threads/);
    assert.match(r.out, /No problems found/);
  });

  describe('each offline LibTorch route, then doctor', function () {
    let farm: string;
    let hardLinks = true;
    before(function () {
      const record = addon.readRecord(root) as { libDir: string; torchDir: string };
      // A LibTorch folder in the official layout made of links to the system's one: hard links where the file
      // system allows, so that the libraries loaded show under the farm's path.
      farm = path.join(tmp, 'libtorch-farm');
      fs.mkdirSync(path.join(farm, 'lib'), { recursive: true });
      fs.mkdirSync(path.join(farm, 'share', 'cmake'), { recursive: true });
      fs.symlinkSync(record.torchDir, path.join(farm, 'share', 'cmake', 'Torch'));
      fs.symlinkSync('/usr/include', path.join(farm, 'include'));
      for (const n of fs.readdirSync(record.libDir)) {
        if (!/^lib(c10|torch|shm)/.test(n)) continue;
        const from = fs.realpathSync(path.join(record.libDir, n));
        try {
          fs.linkSync(from, path.join(farm, 'lib', n));
        } catch {
          hardLinks = false;
          fs.symlinkSync(from, path.join(farm, 'lib', n));
        }
      }
    });
    after(function () {
      ok(npm(['rebuild', 'torch-node', '--foreground-scripts']), 'npm rebuild (back to the default route)');
    });

    it('LIBTORCH', function () {
      const r = ok(npm(['rebuild', 'torch-node', '--foreground-scripts'], { LIBTORCH: farm }), 'npm rebuild with LIBTORCH');
      assert.match(r.out, /using LibTorch 1\.13\.0 \(cpu\) from LIBTORCH/);
      assert.match(r.out, /using the prebuilt addon/);
      const d = ok(doctor({ LIBTORCH: farm }), 'doctor');
      assert.match(d.out, /LibTorch:\s+1\.13\.0 \(cpu\) from LIBTORCH/);
      assert.match(d.out, new RegExp(`libraries in ${farm}/lib`));
      assert.match(d.out, /loaded:\s+LibTorch 1\.13\.0/);
      assert.match(d.out, /No problems found/);
      if (hardLinks) {
        // The prebuild's rpath names the system folder; LibTorch must still come from LIBTORCH's.
        const maps = ok(node(['-e', "require('torch-node'); console.log(require('fs').readFileSync('/proc/self/maps', 'utf8'))"], { LIBTORCH: farm }), 'load');
        const libc10 = [...new Set(maps.out.split('\n').filter((l) => /libc10\.so/.test(l)).map((l) => l.split(/\s+/).pop()))];
        assert.deepStrictEqual(libc10.map((f) => path.dirname(f as string)), [path.join(farm, 'lib')]);
      }
    });

    it('system', function () {
      const r = ok(npm(['rebuild', 'torch-node', '--foreground-scripts']), 'npm rebuild');
      assert.match(r.out, /from system/);
      const d = ok(doctor(), 'doctor');
      assert.match(d.out, /LibTorch:\s+1\.13\.0 \(cpu\) from system/);
      assert.match(d.out, /No problems found/);
    });

    it("Python torch (Debian's python3-torch: libraries only, enough for the prebuild)", function () {
      const py = '/usr/bin/python3';
      if (run(py, ['-c', 'import torch'], app, env).status !== 0) this.skip();
      const r = ok(npm(['rebuild', 'torch-node', '--foreground-scripts'], { TORCH_NODE_PYTHON: py }), 'npm rebuild with TORCH_NODE_PYTHON');
      assert.match(r.out, /from Python torch \(\/usr\/bin\/python3\)/);
      assert.match(r.out, /using the prebuilt addon/);
      const d = ok(doctor(), 'doctor');
      assert.match(d.out, /LibTorch:\s+1\.13\.0 \(cpu\) from Python torch \(\/usr\/bin\/python3\)/);
      assert.match(d.out, /no CMake files: runs a prebuilt addon, cannot build one/);
      assert.match(d.out, /No problems found/);
    });
  });

  describe('broken setups are diagnosed in words, with no crash', function () {
    let recordFile: string;
    let savedRecord: string;
    before(function () {
      recordFile = path.join(pkg(), 'libtorch.json');
      savedRecord = fs.readFileSync(recordFile, 'utf8');
    });
    afterEach(function () {
      fs.writeFileSync(recordFile, savedRecord);
    });

    it('a LibTorch folder missing libc10', function () {
      const record = JSON.parse(savedRecord) as { libDir: string };
      const broken = path.join(tmp, 'libtorch-broken');
      fs.mkdirSync(path.join(broken, 'lib'), { recursive: true });
      fs.mkdirSync(path.join(broken, 'share', 'cmake'), { recursive: true });
      fs.symlinkSync(path.join(tmp, 'libtorch-farm', 'share', 'cmake', 'Torch'), path.join(broken, 'share', 'cmake', 'Torch'));
      fs.symlinkSync('/usr/include', path.join(broken, 'include'));
      for (const n of fs.readdirSync(record.libDir)) {
        if (/^lib(torch|shm)/.test(n)) fs.symlinkSync(path.join(record.libDir, n), path.join(broken, 'lib', n));
      }
      // Installing against it stops at once, naming the library.
      const r = npm(['rebuild', 'torch-node', '--foreground-scripts'], { LIBTORCH: broken });
      assert.notStrictEqual(r.status, 0);
      assert.strictEqual(r.signal, null);
      assert.match(r.out, /the LibTorch found \(LIBTORCH\) lacks libc10\.so in \S+libtorch-broken\/lib/);
      assert.strictEqual(fs.readFileSync(recordFile, 'utf8'), savedRecord, 'libtorch.json was rewritten');
      // A LibTorch that lost the library after installing: doctor and the library say so, before dlopen.
      fs.writeFileSync(recordFile, JSON.stringify({ ...JSON.parse(savedRecord), source: 'LIBTORCH', root: broken, libDir: path.join(broken, 'lib') }));
      const d = doctor();
      assert.strictEqual(d.status, 1, d.out);
      assert.match(d.out, /the LibTorch folder \S+libtorch-broken\/lib lacks libc10\.so\.[\d.]+, which the addon needs: reinstall/);
      const use = node(['-e', "require('torch-node')"]);
      assert.strictEqual(use.signal, null);
      assert.notStrictEqual(use.status, 0);
      assert.match(use.out, /the native addon could not be loaded: the LibTorch folder \S+ lacks libc10\.so/);
    });

    it('no prebuild fits and no compiler: the install says what is missing and how to get it', function () {
      // A PATH with node and sh only.
      const bin = path.join(tmp, 'bare-bin');
      fs.mkdirSync(bin, { recursive: true });
      for (const [name, target] of [['node', process.execPath], ['sh', '/bin/sh']]) {
        if (!fs.existsSync(path.join(bin, name))) fs.symlinkSync(target, path.join(bin, name));
      }
      const prebuilds = path.join(pkg(), 'prebuilds');
      fs.renameSync(prebuilds, `${prebuilds}.off`);
      let r: Run;
      try {
        r = run(process.execPath, [path.join(pkg(), 'scripts', 'install.js')], app, { ...env, PATH: bin });
      } finally {
        fs.renameSync(`${prebuilds}.off`, prebuilds);
      }
      assert.strictEqual(r.status, 1, r.out);
      assert.match(r.out, /no prebuilt addon fits this LibTorch, and building one from source needs cmake and g\+\+: install them \(Debian\/Ubuntu: sudo apt-get install cmake g\+\+/);
      assert.ok(!fs.existsSync(path.join(pkg(), 'build')), 'a build folder was made');
    });

    it('a prebuild for another LibTorch version', function () {
      fs.writeFileSync(recordFile, JSON.stringify({ ...JSON.parse(savedRecord), version: '2.11.0', flavour: 'cu130' }));
      const d = doctor();
      assert.strictEqual(d.status, 1, d.out);
      assert.strictEqual(d.signal, null);
      assert.match(d.out, /no addon fits LibTorch 2\.11\.0 \(cu13x\)/);
      assert.match(d.out, /it was built for LibTorch 1\.13\.0 \(cpu\), but the LibTorch resolved is 2\.11\.0 \(cu13x\)/);
      assert.match(d.out, /npm rebuild torch-node/);
      const use = node(['-e', "require('torch-node')"]);
      assert.strictEqual(use.signal, null);
      assert.notStrictEqual(use.status, 0);
      assert.match(use.out, /built for LibTorch 1\.13\.0 \(cpu\), but the LibTorch resolved is 2\.11\.0 \(cu13x\)/);
    });
  });
});
