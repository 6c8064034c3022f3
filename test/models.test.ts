// vision.models: builders, weights enums, registry, the checkpoint cache and download, initialisation under a seed
// against torchvision, slots that take any module, and memory of the forward pass.
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim, Tensor } from '../lib';
import { tensorCount } from './helpers/tensor_count';
import { models } from '../lib/vision';
import { py, requirePython, assertClose } from './helpers/python';

function assertSameState(actual: Record<string, Tensor>, expected: Record<string, Tensor>, what: string, tol = 0): void {
  assert.deepStrictEqual(Object.keys(actual), Object.keys(expected), `${what}: keys`);
  for (const [k, v] of Object.entries(expected)) {
    const a = actual[k];
    assert.deepStrictEqual(a.shape, v.shape, `${what}: shape of ${k}`);
    assert.strictEqual(a.dtype, v.dtype, `${what}: dtype of ${k}`);
    const diff = torch.tidy(() => (a.numel() === 0 ? 0 : a.to('float64').sub(v.to('float64')).abs().max().item()));
    assert.ok(diff <= tol, `${what}: ${k} differs by ${diff}`);
  }
}

/** Temporarily replaces the global fetch (the network is never used by these tests). */
async function withFetch<T>(fake: typeof fetch, fn: () => Promise<T>): Promise<T> {
  const saved = globalThis.fetch;
  globalThis.fetch = fake;
  try {
    return await fn();
  } finally {
    globalThis.fetch = saved;
  }
}

const offline: typeof fetch = async () => {
  throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND download.pytorch.org') });
};

function serving(bytes: Uint8Array): typeof fetch {
  return async () => new Response(bytes, { status: 200, headers: { 'content-length': String(bytes.byteLength) } });
}

describe('vision.models: initialisation under a seed equals torchvision', function () {
  this.timeout(300000);
  let dir: string;
  const names = [
    'resnet18', 'mobilenet_v3_small', 'efficientnet_b0', 'densenet121', 'convnext_tiny', 'mobilenet_v2', 'resnext50_32x4d', 'efficientnet_v2_s',
    'squeezenet1_1', 'shufflenet_v2_x0_5', 'mnasnet0_5', 'regnet_y_400mf', 'googlenet', 'inception_v3', 'swin_t', 'swin_v2_t', 'vit_b_32',
  ];

  before(function () {
    requirePython(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-models-init-'));
    py(`
import torchvision
for name in ${JSON.stringify(names)}:
    torch.manual_seed(0)
    m = getattr(torchvision.models, name)()
    torch.save(m.state_dict(), ${JSON.stringify(dir)} + '/' + name + '.pth')
`);
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const name of names) {
    it(`${name}: torch.manualSeed(0) then the builder gives torchvision's parameters and buffers`, async function () {
      torch.manualSeed(0);
      const m = await models.getModel(name);
      const expected = await torch.load<Record<string, Tensor>>(path.join(dir, `${name}.pth`));
      assertSameState(m.stateDict(), expected, name, 1e-6);
    });
  }
});

describe('vision.models: weights enums and the registry', function () {
  it('carries torchvision data: URL, meta (categories, num_params, _metrics) and DEFAULT', function () {
    const w = models.ResNet18_Weights.IMAGENET1K_V1;
    assert.strictEqual(w.url, 'https://download.pytorch.org/models/resnet18-f37072fd.pth');
    assert.strictEqual(w.meta.num_params, 11689512);
    assert.strictEqual(w.meta._metrics['ImageNet-1K']['acc@1'], 69.758);
    assert.strictEqual(w.meta._metrics['ImageNet-1K']['acc@5'], 89.078);
    assert.strictEqual(w.meta.categories?.length, 1000);
    assert.strictEqual(w.meta.categories?.[0], 'tench');
    assert.strictEqual(w.meta.categories?.[999], 'toilet tissue');
    assert.strictEqual(models.ResNet18_Weights.DEFAULT, w);
    assert.strictEqual(String(w), 'ResNet18_Weights.IMAGENET1K_V1');
    assert.strictEqual(models.ResNet50_Weights.DEFAULT, models.ResNet50_Weights.IMAGENET1K_V2);
    assert.deepStrictEqual(models.ResNet50_Weights.keys(), ['IMAGENET1K_V1', 'IMAGENET1K_V2']);
    assert.deepStrictEqual([...models.ResNet50_Weights].map(String), ['ResNet50_Weights.IMAGENET1K_V1', 'ResNet50_Weights.IMAGENET1K_V2']);
    assert.strictEqual(models.getWeight('ResNet50_Weights.IMAGENET1K_V2'), models.ResNet50_Weights.IMAGENET1K_V2);
    assert.strictEqual(models.getModelWeights('vgg16'), models.VGG16_Weights);
    assert.strictEqual(models.getModelWeights(models.vgg16), models.VGG16_Weights);
    assert.strictEqual(models.VGG16_Weights.IMAGENET1K_FEATURES.meta.categories, null);
  });

  it('has the same weights, URLs, presets and metrics as torchvision for every model it registers', function () {
    requirePython(this);
    const r = py(`
import torchvision
from torchvision.models._api import BUILTIN_MODELS, get_model_weights
out = {}
for name in ${JSON.stringify(models.listModels())}:
    e = get_model_weights(name)
    ents = {}
    for k, w in e.__members__.items():
        t = w.transforms()
        metrics = {ds: {k2: (None if v2 != v2 else v2) for k2, v2 in mm.items()} for ds, mm in w.meta['_metrics'].items()}
        ents[k] = [w.name, w.url, w.meta['num_params'], list(w.meta['min_size']), metrics, len(w.meta['categories'] or []),
                   t.crop_size, t.resize_size, [round(x, 6) for x in t.mean], [round(x, 6) for x in t.std], str(t.interpolation).split('.')[1].lower()]
    out[name] = [e.__name__, ents]
emit('out', out)
`);
    const out = r.out as Record<string, [string, Record<string, unknown[]>]>;
    for (const name of models.listModels()) {
      const e = models.getModelWeights(name);
      const [enumName, ents] = out[name];
      assert.strictEqual(e.name, enumName, name);
      const mine: Record<string, unknown[]> = {};
      for (const k of [...e.keys(), 'DEFAULT']) {
        const w = e.fromStr(k);
        const t = w.transforms();
        mine[k] = [w.name, w.url, w.meta.num_params, [...w.meta.min_size], w.meta._metrics, w.meta.categories?.length ?? 0, t.cropSize, t.resizeSize,
          t.mean.map((x) => Math.round(x * 1e6) / 1e6), t.std.map((x) => Math.round(x * 1e6) / 1e6), t.interpolation];
      }
      // JSON turns NaN (VGG16's features-only weights have no accuracy) into null, as the Python side does.
      assert.deepStrictEqual(JSON.parse(JSON.stringify(mine)), ents, name);
    }
  });

  it('lists and builds registered models by name', async function () {
    const names = models.listModels();
    for (const n of ['alexnet', 'resnet18', 'resnet152', 'resnext50_32x4d', 'resnext101_32x8d', 'wide_resnet50_2', 'wide_resnet101_2', 'vgg11', 'vgg19_bn',
      'mobilenet_v2', 'mobilenet_v3_small', 'mobilenet_v3_large', 'densenet121', 'densenet201', 'efficientnet_b0', 'efficientnet_b7',
      'efficientnet_v2_s', 'convnext_tiny', 'convnext_large', 'vit_b_16', 'vit_l_32']) {
      assert.ok(names.includes(n), n);
    }
    assert.deepStrictEqual(names, [...names].sort());
    const m = await models.getModel('ResNet18', { numClasses: 7 });
    assert.ok(m instanceof models.ResNet);
    assert.strictEqual((m as models.ResNet).fc.outFeatures, 7);
    assert.throws(() => models.getModelBuilder('resnet19'), /Unknown model resnet19/);
  });

  it('builds the preset transform of the weights, as torchvision prints it', function () {
    const t = models.EfficientNet_B0_Weights.DEFAULT.transforms();
    assert.ok(t instanceof models.ImageClassification);
    assert.strictEqual(
      t.toString(),
      'ImageClassification(\n    crop_size=[224]\n    resize_size=[256]\n    mean=[0.485, 0.456, 0.406]\n    std=[0.229, 0.224, 0.225]\n    interpolation=InterpolationMode.BICUBIC\n)',
    );
    assert.notStrictEqual(models.EfficientNet_B0_Weights.DEFAULT.transforms(), t);
  });

  it("the preset on a uint8 tensor gives torchvision's resize, crop, scale and normalize", function () {
    requirePython(this);
    const r = py(`
import torchvision.transforms.functional as F
g = torch.Generator().manual_seed(3)
img = torch.randint(0, 256, (3, 300, 400), dtype=torch.uint8, generator=g)
emit('img', img)
x = F.resize(img, [232], antialias=True)
x = F.center_crop(x, [224])
x = F.convert_image_dtype(x, torch.float)
emit('out', F.normalize(x, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]))
`);
    const e = r.img as { shape: number[]; data: number[] };
    const img = torch.tensor(Uint8Array.from(e.data)).reshape(e.shape);
    const out = models.ResNet50_Weights.IMAGENET1K_V2.transforms().forward(img);
    assertClose(out, r.out, { atol: 2e-2, rtol: 0 });
    // Mostly exact: the antialiased resize rounds a few pixels differently at most.
    const r2 = r.out as { data: number[] };
    const got = out.reshape([-1]).tolist() as number[];
    const close = got.filter((v, i) => Math.abs(v - r2.data[i]) < 1e-4).length;
    assert.ok(close / got.length > 0.99, `${close} of ${got.length} close`);
  });

  it('refuses unknown weights, wrong enums, options and numClasses that contradict the weights', async function () {
    await assert.rejects(models.resnet18({ weights: 'IMAGENET1K_V3' }), /Unknown weights 'IMAGENET1K_V3' for ResNet18_Weights; the entries are 'IMAGENET1K_V1', 'DEFAULT'/);
    await assert.rejects(models.resnet18({ weights: models.ResNet34_Weights.DEFAULT }), (e: Error) => e instanceof TypeError && /expected ResNet18_Weights but received ResNet34_Weights/.test(e.message));
    await assert.rejects(
      models.resnet18({ weights: 'DEFAULT', numClasses: 10 }),
      (e: Error) => e instanceof RangeError && e.message.startsWith("The parameter 'numClasses' expected value 1000 but got 10 instead"),
    );
    await assert.rejects(models.resnet18({ pretrained: true, weights: 'DEFAULT' }), /either 'pretrained' or 'weights'/);
    await assert.rejects(models.resnet18({ num_classes: 10 } as never), /unknown option 'num_classes' \(did you mean 'numClasses'\?\)/);
    await assert.rejects(models.resnet18({ weights: path.join(os.tmpdir(), 'no-such-dir', 'w.pth') }), /does not exist/);
    await assert.rejects(models.resnext50_32x4d({ groups: 8 }), /The parameter 'groups' expected value 32 but got 8 instead/);
    await assert.rejects(models.vit_b_16({ weights: 'DEFAULT', imageSize: 64 }), /The parameter 'imageSize' expected value 224 but got 64 instead/);
  });
});

describe('vision.models: the checkpoint cache and downloads', function () {
  this.timeout(300000);
  let home: string;
  let savedHome: string | undefined;
  let ref: Record<string, Tensor>;
  const official = 'resnet18-f37072fd.pth';

  before(async function () {
    requirePython(this);
    savedHome = process.env.TORCH_HOME;
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-home-'));
    const ckpt = path.join(home, 'hub', 'checkpoints');
    fs.mkdirSync(ckpt, { recursive: true });
    // A checkpoint Python wrote under the official file name: what torch.hub leaves in the cache.
    py(`
import torchvision
torch.manual_seed(7)
m = torchvision.models.resnet18()
torch.save(m.state_dict(), ${JSON.stringify(path.join(ckpt, official))})
`);
    ref = await torch.load<Record<string, Tensor>>(path.join(ckpt, official));
  });

  beforeEach(function () {
    process.env.TORCH_HOME = home;
  });

  after(function () {
    if (savedHome === undefined) delete process.env.TORCH_HOME;
    else process.env.TORCH_HOME = savedHome;
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('finds the cache where Python puts it ($TORCH_HOME/hub/checkpoints, else $XDG_CACHE_HOME/torch, else ~/.cache/torch)', function () {
    assert.strictEqual(models.hub.cachedCheckpointPath(models.ResNet18_Weights.DEFAULT.url), path.join(home, 'hub', 'checkpoints', official));
    delete process.env.TORCH_HOME;
    const xdg = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = '/var/cache/x';
    assert.strictEqual(models.hub.getDir(), '/var/cache/x/torch/hub');
    delete process.env.XDG_CACHE_HOME;
    assert.strictEqual(models.hub.getDir(), path.join(os.homedir(), '.cache', 'torch', 'hub'));
    if (xdg !== undefined) process.env.XDG_CACHE_HOME = xdg;
  });

  it('{ pretrained: true } and { weights: "IMAGENET1K_V1" } load the cached official file without the network', async function () {
    await withFetch(offline, async () => {
      const a = await models.resnet18({ pretrained: true });
      assertSameState(a.stateDict(), ref, 'pretrained');
      const b = await models.resnet18({ weights: 'IMAGENET1K_V1', progress: false });
      assertSameState(b.stateDict(), ref, 'IMAGENET1K_V1');
      const c = await models.getModel('resnet18', { weights: models.ResNet18_Weights.DEFAULT });
      assertSameState(c.stateDict(), ref, 'enum entry');
    });
  });

  it('offline with no cached file: an error that names the URL and the exact path to put the file at', async function () {
    const url = models.ResNet34_Weights.DEFAULT.url;
    const where = path.join(home, 'hub', 'checkpoints', 'resnet34-b627a593.pth');
    await withFetch(offline, async () => {
      await assert.rejects(models.resnet34({ pretrained: true, progress: false }), (e: Error) => {
        assert.ok(e instanceof models.hub.DownloadError, String(e));
        assert.ok(e.message.includes(url), e.message);
        assert.ok(e.message.includes(`put it at exactly that path`), e.message);
        assert.ok(e.message.includes(where), e.message);
        assert.ok(e.message.includes('ENOTFOUND'), e.message);
        return true;
      });
    });
    assert.deepStrictEqual(fs.readdirSync(path.join(home, 'hub', 'checkpoints')), [official]);
  });

  it('downloads into the cache (temporary file, then rename) and checks the hash in the file name', async function () {
    const bytes = fs.readFileSync(path.join(home, 'hub', 'checkpoints', official));
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    const dir = path.join(home, 'other');
    // A wrong hash: nothing is left behind.
    await withFetch(serving(bytes), async () => {
      await assert.rejects(
        models.hub.loadStateDictFromUrl('https://example.org/m/net-0123abcd.pth', { modelDir: dir, checkHash: true, progress: false }),
        /invalid hash value \(expected "0123abcd", got "[0-9a-f]{64}"\)/,
      );
    });
    assert.deepStrictEqual(fs.readdirSync(dir), []);
    // The right hash: cached under the URL's name and loaded; the second call does not fetch.
    const url = `https://example.org/m/net-${sha.slice(0, 10)}.pth`;
    let calls = 0;
    const counting: typeof fetch = async (...args) => {
      calls++;
      return serving(bytes)(...args);
    };
    await withFetch(counting, async () => {
      const sd = (await models.hub.loadStateDictFromUrl(url, { modelDir: dir, checkHash: true, progress: false })) as Record<string, Tensor>;
      assertSameState(sd, ref, 'downloaded');
      await models.hub.loadStateDictFromUrl(url, { modelDir: dir, checkHash: true, progress: false });
    });
    assert.strictEqual(calls, 1);
    assert.deepStrictEqual(fs.readdirSync(dir), [`net-${sha.slice(0, 10)}.pth`]);
    // An HTTP error is a DownloadError too.
    await withFetch(async () => new Response('nope', { status: 404, statusText: 'Not Found' }), async () => {
      await assert.rejects(models.resnet18({ weights: 'https://example.org/m/missing.pth', progress: false }), /HTTP 404 Not Found/);
    });
    // A URL given as weights is cached under its own name.
    await withFetch(serving(bytes), async () => {
      const m = await models.resnet18({ weights: new URL('https://example.org/m/mine.pth'), progress: false });
      assertSameState(m.stateDict(), ref, 'URL weights');
    });
    assert.ok(fs.existsSync(path.join(home, 'hub', 'checkpoints', 'mine.pth')));
  });

  it('a file that is not a state dict is refused with a message saying what it holds', async function () {
    const f = path.join(home, 'ckpt.pth');
    await torch.save({ epoch: 3, model: { 'fc.weight': torch.zeros([2, 2]) } }, f);
    await assert.rejects(models.resnet18({ weights: f }), /does not hold a state dict: the entry 'epoch' is .*the state dict may be under 'model'/);
  });
});

describe('vision.models: the module tree takes any module in any slot', function () {
  this.timeout(120000);

  it('model.fc = Sequential(Dropout, Linear); layer4.requiresGrad_(true) unfreezes one block; stateDict keys follow', async function () {
    const model = await models.resnet18();
    const inFeatures: number = model.fc.inFeatures;
    assert.strictEqual(inFeatures, 512);
    model.fc = new nn.Sequential(new nn.Dropout(0.2), new nn.Linear(512, 10));
    const keys = Object.keys(model.stateDict());
    assert.deepStrictEqual(keys.slice(-2), ['fc.1.weight', 'fc.1.bias']);
    for (const p of model.parameters()) p.requiresGrad = false;
    model.layer4.requiresGrad_(true);
    const trainable = [...model.namedParameters()].filter(([, p]) => p.requiresGrad).map(([k]) => k);
    assert.ok(trainable.length > 0 && trainable.every((k) => k.startsWith('layer4.')), trainable.join());
    model.fc.requiresGrad_(true);
    const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
    model.train();
    const x = torch.randn([2, 3, 32, 32]);
    const before = (model.layer3[0] as models.BasicBlock).conv1.weight.clone();
    const layer4Before = (model.layer4[1] as models.BasicBlock).conv2.weight.clone();
    const loss = new nn.CrossEntropyLoss().forward(model.forward(x), torch.tensor([1n, 2n]));
    loss.backward();
    opt.step();
    assert.ok(torch.equal((model.layer3[0] as models.BasicBlock).conv1.weight, before), 'frozen layer3 unchanged');
    assert.ok(!torch.equal((model.layer4[1] as models.BasicBlock).conv2.weight, layer4Before), 'layer4 trained');
  });

  it('vgg.classifier[6] = new Linear(...) (the seed exercise) and features.0/features.1 frozen by name', async function () {
    const vgg = await models.vgg11({ dropout: 0 });
    vgg.classifier[6] = new nn.Linear(vgg.classifier[6].inFeatures, 10);
    for (const [name, param] of vgg.namedParameters()) param.requiresGrad = !(name.includes('features.0') || name.includes('features.1'));
    const frozen = [...vgg.namedParameters()].filter(([, p]) => !p.requiresGrad).map(([k]) => k);
    // As in Python, 'features.1' also matches features.11, .13, .16 and .18.
    assert.deepStrictEqual(frozen, ['features.0', 'features.11', 'features.13', 'features.16', 'features.18'].flatMap((k) => [`${k}.weight`, `${k}.bias`]));
    assert.deepStrictEqual(Object.keys(vgg.stateDict()).slice(-2), ['classifier.6.weight', 'classifier.6.bias']);
    const out = torch.noGrad(() => vgg.eval().forward(torch.randn([1, 3, 32, 32])));
    assert.deepStrictEqual(out.shape, [1, 10]);
  });

  it('a replaced head of another kind: vit.heads.head, efficientnet.classifier[1], densenet.classifier', async function () {
    const vit = await models.vit_b_32({ imageSize: 64 });
    vit.heads.head = new nn.Linear(vit.heads.head.inFeatures, 3);
    assert.deepStrictEqual(torch.noGrad(() => vit.eval().forward(torch.randn([1, 3, 64, 64]))).shape, [1, 3]);
    const eff = await models.efficientnet_b0();
    eff.classifier[1] = new nn.Sequential(new nn.Linear(eff.classifier[1].inFeatures, 8), new nn.ReLU(), new nn.Linear(8, 2));
    assert.deepStrictEqual(torch.noGrad(() => eff.eval().forward(torch.randn([1, 3, 32, 32]))).shape, [1, 2]);
    const dn = await models.densenet121();
    dn.classifier = new nn.Linear(dn.classifier.inFeatures, 4);
    assert.deepStrictEqual(torch.noGrad(() => dn.eval().forward(torch.randn([1, 3, 32, 32]))).shape, [1, 4]);
  });

  it('prints like torchvision', async function () {
    requirePython(this);
    const r = py(`
import torchvision
emit('resnet', str(torchvision.models.resnet18()))
emit('mnv3', str(torchvision.models.mobilenet_v3_small()))
emit('convnext', str(torchvision.models.convnext_tiny()))
`);
    assert.strictEqual((await models.resnet18()).toString(), r.resnet);
    // torch.nn.Hardswish and Hardsigmoid print no `inplace=True` in PyTorch; torch-node's nn layers do.
    const plain = (s: string) => s.replace(/(Hardswish|Hardsigmoid)\(inplace=True\)/g, '$1()');
    assert.strictEqual(plain((await models.mobilenet_v3_small()).toString()), r.mnv3);
    assert.strictEqual((await models.convnext_tiny()).toString(), r.convnext);
  });
});

describe('vision.models: forward passes free what they make', function () {
  this.timeout(120000);

  const cases: [string, number, Record<string, unknown>, number][] = [
    ['resnet18', 64, {}, 1], ['resnet50', 64, {}, 1], ['mobilenet_v3_small', 64, {}, 1], ['efficientnet_b0', 64, {}, 1], ['densenet121', 64, {}, 1],
    ['convnext_tiny', 64, {}, 1], ['shufflenet_v2_x0_5', 64, {}, 1], ['regnet_y_400mf', 64, {}, 1], ['swin_v2_t', 72, {}, 1],
    ['vit_b_32', 64, { imageSize: 64 }, 1], ['googlenet', 64, {}, 3],
  ];
  for (const [name, size, opts, outputs] of cases) {
    it(`${name}: an eval forward leaves only its output; a training step only its outputs, loss and gradients`, async function () {
      const m = await models.getModel(name, opts);
      const x = torch.randn([2, 3, size, size]);
      m.eval();
      const evalLeft = tensorCount();
      const y = torch.noGrad(() => m.forward(x) as Tensor);
      assert.strictEqual(evalLeft(), 1, 'eval: tensors left besides the output');
      y.dispose();
      m.train();
      const params = [...m.parameters()];
      const trainLeft = tensorCount();
      const result = m.forward(x) as Tensor | models.GoogLeNetOutputs;
      const out = result instanceof Tensor ? result : result.logits;
      assert.strictEqual(trainLeft(), outputs, 'train: tensors left besides the outputs');
      const loss = out.sum();
      loss.backward();
      const grads = params.filter((p) => p.grad !== null).length;
      assert.ok(trainLeft() <= outputs + 1 + grads, `train: ${trainLeft()} tensors left for ${grads} gradients`);
    });
  }

  it('never frees what a hook saw: outputs kept by forward hooks inside blocks stay usable, results unchanged', async function () {
    torch.manualSeed(1);
    const m = await models.resnet18();
    m.eval();
    const x = torch.randn([1, 3, 32, 32]);
    const plain = torch.noGrad(() => m.forward(x));
    const seen: Tensor[] = [];
    const hooks = [
      m.layer1.registerForwardHook((_mod, _inputs, out) => void seen.push(out as Tensor)),
      (m.layer2[0] as models.BasicBlock).bn1.registerForwardHook((_mod, inputs, out) => void seen.push(inputs[0] as Tensor, out as Tensor)),
      m.avgpool.registerForwardHook((_mod, inputs) => void seen.push(inputs[0] as Tensor)),
    ];
    const hooked = torch.noGrad(() => m.forward(x));
    assert.strictEqual(seen.length, 4);
    for (const t of seen) assert.ok(!t.isDisposed && Number.isFinite(t.sum().item()), 'a tensor a hook kept was freed');
    assert.ok(torch.equal(hooked, plain));
    for (const h of hooks) h.remove();
  });
});
