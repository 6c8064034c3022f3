// torch.cuda, backends, autocast and GradScaler. Tests tagged @gpu need a CUDA device: without one they skip,
// unless REQUIRE_CUDA is set (as the GPU check script does), where a missing GPU fails them.
import * as assert from 'assert';
import * as torch from '../lib';

function requireGpu(ctx: Mocha.Context): void {
  if (torch.cuda.isAvailable()) return;
  if (process.env.REQUIRE_CUDA) throw new Error('REQUIRE_CUDA is set but no CUDA device is available');
  ctx.skip();
}

describe('cuda without a GPU', function () {
  before(function () {
    if (torch.cuda.isAvailable()) this.skip();
  });

  it('answers queries as PyTorch does', function () {
    assert.strictEqual(torch.cuda.isAvailable(), false);
    assert.strictEqual(torch.cuda.deviceCount(), 0);
    torch.cuda.emptyCache();
  });

  it('throws a TorchError that says what is missing', function () {
    const missing = torch.cuda.isBuilt() ? /No CUDA GPUs are available/ : /no CUDA build of LibTorch is present/;
    for (const f of [() => torch.cuda.memoryAllocated(), () => torch.cuda.currentDevice(), () => torch.cuda.synchronize(), () => new torch.cuda.Event()]) {
      assert.throws(f, (e: unknown) => e instanceof torch.TorchError && missing.test((e as Error).message));
    }
    assert.throws(() => torch.ones([1]).cuda(), (e: unknown) => e instanceof torch.TorchError);
  });
});

describe('backends', function () {
  it('gets and sets cuDNN and TF32 flags', function () {
    const prev = torch.backends.cudnn.benchmark;
    torch.backends.cudnn.benchmark = true;
    assert.strictEqual(torch.backends.cudnn.benchmark, true);
    torch.backends.cudnn.benchmark = prev;
    const tf32 = torch.backends.cuda.matmul.allowTf32;
    torch.backends.cuda.matmul.allowTf32 = !tf32;
    assert.strictEqual(torch.backends.cuda.matmul.allowTf32, !tf32);
    torch.backends.cuda.matmul.allowTf32 = tf32;
    assert.throws(() => { torch.backends.cudnn.deterministic = 1 as unknown as boolean; }, TypeError);
  });
});

describe('autocast', function () {
  it('runs matmul in bfloat16 on the CPU and restores the state', function () {
    const a = torch.randn([4, 4]);
    const y = torch.autocast('cpu', { dtype: torch.bfloat16 }, () => a.matmul(a));
    assert.strictEqual(y.dtype, 'bfloat16');
    assert.strictEqual(a.matmul(a).dtype, 'float32');
    const off = torch.autocast('cpu', { enabled: false }, () => a.matmul(a));
    assert.strictEqual(off.dtype, 'float32');
    assert.throws(() => torch.autocast('cpu', { dtype: torch.float64 }, () => a), TypeError);
    assert.throws(() => torch.autocast('cpu', () => { throw new Error('inner'); }), /inner/);
    assert.strictEqual(a.matmul(a).dtype, 'float32');
  });
});

describe('GradScaler', function () {
  function setup() {
    const p = torch.tensor([1, 2, 3], { requiresGrad: true });
    const steps: number[] = [];
    const opt = { paramGroups: [{ params: [p] }], step: () => { steps.push(1); torch.noGrad(() => p.sub_((p.grad as torch.Tensor).mul(0.1))); } };
    return { p, opt, steps };
  }

  it('scales the loss, unscales gradients and steps', function () {
    const { p, opt, steps } = setup();
    const scaler = new torch.amp.GradScaler({ initScale: 1024 });
    const loss = p.mul(p).sum();
    const scaled = scaler.scale(loss);
    assert.strictEqual(scaled.item(), 14 * 1024);
    scaled.backward();
    scaler.step(opt);
    assert.deepStrictEqual(steps.length, 1);
    const pv = p.tolist() as number[];
    assert.deepStrictEqual(pv.map((v) => Math.round(v * 1e5) / 1e5), [0.8, 1.6, 2.4]);
    scaler.update();
    assert.strictEqual(scaler.getScale(), 1024);
  });

  it('skips a step with inf gradients, backs off, and grows after growthInterval', function () {
    const { p, opt, steps } = setup();
    const scaler = new torch.amp.GradScaler({ initScale: 8, growthInterval: 2 });
    p.grad = torch.tensor([Infinity, 1, 1]);
    scaler.step(opt);
    scaler.update();
    assert.strictEqual(steps.length, 0);
    assert.strictEqual(scaler.getScale(), 4);
    for (let i = 0; i < 2; i++) {
      p.grad = torch.tensor([1, 1, 1]);
      scaler.step(opt);
      scaler.update();
    }
    assert.strictEqual(steps.length, 2);
    assert.strictEqual(scaler.getScale(), 8);
    assert.deepStrictEqual(scaler.stateDict(), { scale: 8, growth_factor: 2, backoff_factor: 0.5, growth_interval: 2, _growth_tracker: 0 });
    assert.throws(() => { scaler.unscale_(opt); scaler.unscale_(opt); }, /already been called/);
  });
});

describe('cuda @gpu', function () {
  this.timeout(600_000);
  before(function () {
    requireGpu(this);
  });

  it('@gpu reports the device', function () {
    assert.ok(torch.cuda.deviceCount() >= 1);
    assert.ok(torch.cuda.getDeviceName().length > 0);
    assert.strictEqual(torch.cuda.getDeviceCapability().length, 2);
  });

  it('@gpu gives the CPU results for each op family', function () {
    torch.manualSeed(0);
    const a = torch.randn([64, 32]);
    const b = torch.randn([32, 16]);
    const cases: [string, (x: torch.Tensor, y: torch.Tensor) => torch.Tensor][] = [
      ['matmul', (x, y) => x.matmul(y)],
      ['elementwise', (x) => x.mul(2).add(1).exp().log().sigmoid()],
      ['reductions', (x) => torch.stack([x.sum(), x.mean(), x.std(), x.max(), x.min()])],
      ['dim reductions', (x) => x.sum(1).add(x.amax(1))],
      ['softmax', (x) => x.logSoftmax(1)],
      ['indexing', (x) => x.index([torch.tensor([0, 5, 7], { dtype: 'int64' }), '2:9'])],
      ['shape', (x) => x.t().reshape([16, 128]).permute(1, 0).contiguous()],
      ['comparison', (x) => x.gt(0).float()],
    ];
    for (const [name, f] of cases) {
      const cpu = f(a, b);
      const gpu = f(a.cuda(), b.cuda()).cpu();
      assert.ok(cpu.allclose(gpu, { rtol: 1e-4, atol: 1e-4 }), name);
    }
  });

  it('@gpu runs autograd on the device', function () {
    const w = torch.randn([8, 8], { device: 'cuda', requiresGrad: true });
    w.matmul(w).tanh().sum().backward();
    assert.strictEqual((w.grad as torch.Tensor).device.type, 'cuda');
    const wc = w.detach().cpu().requiresGrad_();
    wc.matmul(wc).tanh().sum().backward();
    assert.ok((w.grad as torch.Tensor).cpu().allclose(wc.grad as torch.Tensor, { rtol: 1e-4, atol: 1e-5 }));
  });

  it('@gpu trains with autocast and GradScaler and lowers the loss', function () {
    torch.manualSeed(0);
    const w = torch.randn([32, 4], { device: 'cuda' }).mul(0.1).requiresGrad_();
    const x = torch.randn([256, 32], { device: 'cuda' });
    const y = x.index([':', '0:4']).argmax(1);
    const opt = { paramGroups: [{ params: [w] }], step: () => torch.noGrad(() => w.sub_((w.grad as torch.Tensor).mul(0.5))) };
    const scaler = new torch.amp.GradScaler();
    let first = 0;
    let last = 0;
    for (let i = 0; i < 100; i++) {
      torch.tidy(() => {
        w.grad = null;
        const loss = torch.autocast('cuda', { dtype: torch.float16 }, () => {
          const logits = x.matmul(w);
          assert.strictEqual(logits.dtype, 'float16');
          return logits.float().logSoftmax(1).gather(1, y.unsqueeze(1)).mean().neg();
        });
        scaler.scale(loss).backward();
        scaler.step(opt);
        scaler.update();
        if (i === 0) first = loss.item();
        last = loss.item();
      });
    }
    assert.ok(last < first * 0.7, `loss ${first} -> ${last}`);
  });

  it('@gpu holds flat GPU memory over 2,000 awaited training steps with no explicit frees', async function () {
    torch.manualSeed(0);
    const w = torch.randn([512, 512], { device: 'cuda' }).mul(0.01).requiresGrad_();
    const x = torch.randn([256, 512], { device: 'cuda' });
    let base = 0;
    let peak = 0;
    for (let i = 0; i < 2000; i++) {
      const loss = x.matmul(w).relu().pow(2).mean();
      loss.backward();
      torch.noGrad(() => w.sub_((w.grad as torch.Tensor).mul(0.01)));
      w.grad = null;
      if (i % 10 === 9) await new Promise(setImmediate);
      if (i === 100) base = torch.cuda.memoryAllocated();
      if (i > 100) peak = Math.max(peak, torch.cuda.memoryAllocated());
    }
    assert.ok(peak - base < 256 << 20, `GPU memory grew by ${((peak - base) / (1 << 20)).toFixed(0)} MiB`);
  });

  it('@gpu runs the seed tutorial: resnet18 with a new head, pinned DataLoader batches, the loss falls', async function () {
    torch.manualSeed(0);
    const model = await torch.vision.models.resnet18({ weights: null });
    model.fc = new torch.nn.Linear(model.fc.inFeatures, 4);
    for (const p of model.parameters()) p.requiresGrad = false;
    for (const p of model.fc.parameters()) p.requiresGrad = true;
    const images = torch.randn([64, 3, 64, 64]);
    const labels = torch.randint(0, 4, [64]);
    const loader = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(images, labels), { batchSize: 16, shuffle: true, pinMemory: true });
    const criterion = new torch.nn.CrossEntropyLoss();
    const optimizer = new torch.optim.SGD(model.fc.parameters(), { lr: 0.05, momentum: 0.9 });
    model.to('cuda');
    model.train();
    const epochLoss: number[] = [];
    for (let epoch = 0; epoch < 6; epoch++) {
      let running = 0;
      for await (const [inputs, targets] of loader) {
        assert.ok(inputs.isPinned(), 'pinMemory gives pinned batches');
        optimizer.zeroGrad();
        const outputs = model.forward(inputs.to('cuda', { nonBlocking: true }));
        const loss = criterion.forward(outputs, targets.to('cuda', { nonBlocking: true }));
        loss.backward();
        optimizer.step();
        running += loss.item();
      }
      epochLoss.push(running / loader.length);
    }
    assert.strictEqual(model.fc.weight.device.type, 'cuda');
    assert.ok(epochLoss[5] < epochLoss[0], `loss ${epochLoss.join(' -> ')}`);
  });

  it('@gpu gives the same outputs in channels_last as in the default layout', async function () {
    torch.manualSeed(0);
    const model = (await torch.vision.models.resnet18({ weights: null })).cuda().eval();
    const x = torch.randn([2, 3, 64, 64], { device: 'cuda' });
    const ref = torch.noGrad(() => model.forward(x));
    model.to({ memoryFormat: torch.channelsLast });
    assert.ok(model.conv1.weight.isContiguous({ memoryFormat: torch.channelsLast }));
    const out = torch.noGrad(() => model.forward(x.contiguous({ memoryFormat: torch.channelsLast })));
    assert.ok(out.allclose(ref, { rtol: 1e-3, atol: 1e-3 }));
  });

  it('@gpu makes out-of-memory a catchable TorchError and goes on', function () {
    assert.throws(() => torch.empty([1 << 20, 1 << 20, 64], { device: 'cuda' }), (e: unknown) => e instanceof torch.TorchError && /out of memory/i.test((e as Error).message));
    assert.strictEqual(torch.ones([4], { device: 'cuda' }).sum().item(), 4);
  });

  it('@gpu times work with events', function () {
    const start = new torch.cuda.Event({ enableTiming: true });
    const end = new torch.cuda.Event({ enableTiming: true });
    start.record();
    torch.randn([1024, 1024], { device: 'cuda' }).matmul(torch.randn([1024, 1024], { device: 'cuda' }));
    end.record();
    end.synchronize();
    assert.ok(start.elapsedTime(end) >= 0);
  });
});
