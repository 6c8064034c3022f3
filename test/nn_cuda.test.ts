// nn on a CUDA device (tagged @gpu: skipped without one, run by the GPU check): modules move in place keeping
// parameter identity, and give the CPU's outputs and gradients there.
import * as assert from 'assert';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';

function requireGpu(ctx: Mocha.Context): void {
  if (torch.cuda.isAvailable()) return;
  if (process.env.REQUIRE_CUDA) throw new Error('REQUIRE_CUDA is set but no CUDA device is available');
  ctx.skip();
}

function model(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(true), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Dropout(0.0), new nn.Linear(8 * 4 * 4, 5),
  );
}

describe('nn @gpu', function () {
  this.timeout(600_000);
  before(function () {
    requireGpu(this);
  });

  it('@gpu moves a module in place: the same Parameter objects, buffers and grads on the device', function () {
    const m = model();
    const params = [...m.parameters()];
    m.forward(torch.randn([2, 3, 8, 8])).sum().backward();
    m.cuda();
    const after = [...m.parameters()];
    assert.ok(params.every((p, i) => p === after[i] && p.device.type === 'cuda' && p.requiresGrad));
    assert.ok(params.every((p) => (p.grad as Tensor).device.type === 'cuda'));
    assert.ok([...m.buffers()].every((b) => b.device.type === 'cuda'));
    m.to('cpu');
    assert.ok(params.every((p) => p.device.type === 'cpu'));
  });

  it('@gpu gives the CPU outputs, gradients and running stats', function () {
    torch.manualSeed(0);
    const cpu = model();
    const gpu = model();
    gpu.loadStateDict(cpu.stateDict());
    gpu.to('cuda');
    const x = torch.randn([4, 3, 8, 8]);
    const y = torch.tensor([0n, 3n, 1n, 4n]);
    const loss = new nn.CrossEntropyLoss();
    loss.forward(cpu.forward(x), y).backward();
    const lg = loss.forward(gpu.forward(x.cuda()), y.cuda());
    assert.strictEqual(lg.device.type, 'cuda');
    lg.backward();
    const gp = [...gpu.namedParameters()];
    for (const [name, p] of cpu.namedParameters()) {
      const q = gp.find(([n]) => n === name)?.[1] as nn.Parameter;
      assert.ok((p.grad as Tensor).allclose((q.grad as Tensor).cpu(), { rtol: 1e-3, atol: 1e-4 }), name);
    }
    const gs = gpu.stateDict();
    for (const [k, v] of Object.entries(cpu.stateDict())) assert.ok(v.allclose(gs[k].cpu(), { rtol: 1e-4, atol: 1e-5 }), k);
    cpu.eval();
    gpu.eval();
    const o = torch.noGrad(() => gpu.forward(x.cuda())).cpu();
    assert.ok(torch.noGrad(() => cpu.forward(x)).allclose(o, { rtol: 1e-3, atol: 1e-4 }));
  });

  it('@gpu runs attention and a transformer layer on the device', function () {
    torch.manualSeed(1);
    const layer = new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, dropout: 0.0, batchFirst: true });
    const x = torch.randn([2, 5, 16]);
    const cpu = layer.forward(x);
    layer.cuda();
    const gpu = layer.forward(x.cuda());
    assert.ok(cpu.allclose(gpu.cpu(), { rtol: 1e-3, atol: 1e-4 }));
  });
});
