// Full fine-tuning of torchvision's resnet18 on a CUDA GPU: 224x224, batch 128, synthetic data, SGD with
// momentum, CrossEntropyLoss; in fp32 and in AMP bfloat16 with channels_last. The same steps in Python torch
// and torchvision on the same GPU, in one run. Without a GPU it reports nothing.
import * as torch from '../lib';
import { nn, optim, vision, Tensor } from '../lib';
import { runPython, Row } from './harness';

/** What this benchmark measures. */
export const title = 'resnet18 training step on CUDA, 224x224, batch 128, SGD, images/s';

const BATCH = 128;
const SIZE = 224;
const WARMUP = 5;
const STEPS = 30;

interface Mode {
  name: string;
  amp: boolean;
}

const MODES: Mode[] = [
  { name: 'fp32', amp: false },
  { name: 'AMP bf16 + channels_last', amp: true },
];

const PYTHON = `
import torchvision
def run(amp):
    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None).cuda()
    x = torch.randn(${BATCH}, 3, ${SIZE}, ${SIZE}, device='cuda')
    if amp:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 1000, (${BATCH},), device='cuda')
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    def step():
        opt.zero_grad()
        with torch.autocast('cuda', dtype=torch.bfloat16, enabled=amp):
            loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    for _ in range(${WARMUP}): step()
    torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(${STEPS}): step()
    torch.cuda.synchronize()
    return ${BATCH} * ${STEPS} / (time.perf_counter() - t)
torch.backends.cudnn.benchmark = True
print(json.dumps({'fp32': run(False), 'amp': run(True)}))
`;

async function runNode(mode: Mode): Promise<number> {
  torch.manualSeed(0);
  const model = await vision.models.resnet18({ weights: null });
  model.cuda();
  let x = torch.randn([BATCH, 3, SIZE, SIZE], { device: 'cuda' });
  if (mode.amp) {
    model.to({ memoryFormat: torch.channelsLast });
    x = x.contiguous({ memoryFormat: torch.channelsLast });
  }
  const y = torch.randint(0, 1000, [BATCH], { device: 'cuda' });
  const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const lossFn = new nn.CrossEntropyLoss();
  const step = () =>
    torch.tidy(() => {
      opt.zeroGrad();
      const loss = torch.autocast('cuda', { dtype: torch.bfloat16, enabled: mode.amp }, (): Tensor => lossFn.forward(model.forward(x), y));
      loss.backward();
      opt.step();
    });
  for (let i = 0; i < WARMUP; i++) step();
  torch.cuda.synchronize();
  const t = process.hrtime.bigint();
  for (let i = 0; i < STEPS; i++) step();
  torch.cuda.synchronize();
  return (BATCH * STEPS) / (Number(process.hrtime.bigint() - t) / 1e9);
}

/** Runs both sides on the GPU and returns the rows (none without CUDA). */
export async function run(): Promise<Row[]> {
  if (!torch.cuda.isAvailable()) {
    console.log('gpu: no CUDA device, skipped');
    return [];
  }
  console.log(`gpu: ${torch.cuda.getDeviceName()}`);
  torch.backends.cudnn.benchmark = true;
  const py = runPython(PYTHON);
  const rows: Row[] = [];
  for (const mode of MODES) {
    const node = await runNode(mode);
    torch.cuda.emptyCache();
    rows.push({ name: `resnet18 ${mode.name}`, unit: 'images/s', python: mode.amp ? py.amp : py.fp32, node, higherIsBetter: true, target: 0.97 });
  }
  return rows;
}
