// One training step (forward, CrossEntropyLoss, backward) of a ResNet-style CNN written with torch-node's nn
// modules, at batch 16 and 64x64 images, against the same model written with torch.nn in Python, in one run.
import * as os from 'os';
import { spawn, ChildProcessWithoutNullStreams } from 'child_process';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { PYTHON as PYTHON_BIN, Row } from './harness';

/** What this benchmark measures. */
export const title = 'ResNet-style CNN training step (forward + CrossEntropyLoss + backward), batch 16, 64x64, images/s';

const BATCH = 16;
const SIZE = 64;
const STEPS = 1;
const ROUNDS = 12;

/** torchvision's BasicBlock: two 3x3 convolutions with BatchNorm and a residual connection. */
export class BasicBlock extends nn.Module {
  conv1: nn.Conv2d;
  bn1: nn.BatchNorm2d;
  relu = new nn.ReLU(true);
  conv2: nn.Conv2d;
  bn2: nn.BatchNorm2d;
  downsample: nn.Sequential | null;

  constructor(inPlanes: number, planes: number, stride = 1) {
    super();
    this.conv1 = new nn.Conv2d(inPlanes, planes, 3, { stride, padding: 1, bias: false });
    this.bn1 = new nn.BatchNorm2d(planes);
    this.conv2 = new nn.Conv2d(planes, planes, 3, { padding: 1, bias: false });
    this.bn2 = new nn.BatchNorm2d(planes);
    this.downsample = stride !== 1 || inPlanes !== planes ? new nn.Sequential(new nn.Conv2d(inPlanes, planes, 1, { stride, bias: false }), new nn.BatchNorm2d(planes)) : null;
  }

  override forward(x: Tensor): Tensor {
    const identity = this.downsample ? this.downsample.forward(x) : x;
    let out = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    out = this.bn2.forward(this.conv2.forward(out));
    return this.relu.forward(out.add_(identity));
  }
}

/** A ResNet-18-shaped network: 7x7 stem, max pool, four stages of two BasicBlocks, average pool, linear head. */
export class ResNet extends nn.Module {
  conv1 = new nn.Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false });
  bn1 = new nn.BatchNorm2d(64);
  relu = new nn.ReLU(true);
  maxpool = new nn.MaxPool2d(3, 2, 1);
  layer1 = new nn.Sequential(new BasicBlock(64, 64), new BasicBlock(64, 64));
  layer2 = new nn.Sequential(new BasicBlock(64, 128, 2), new BasicBlock(128, 128));
  layer3 = new nn.Sequential(new BasicBlock(128, 256, 2), new BasicBlock(256, 256));
  layer4 = new nn.Sequential(new BasicBlock(256, 512, 2), new BasicBlock(512, 512));
  avgpool = new nn.AdaptiveAvgPool2d([1, 1]);
  fc = new nn.Linear(512, 10);

  override forward(x: Tensor): Tensor {
    x = this.maxpool.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x))));
    x = this.layer4.forward(this.layer3.forward(this.layer2.forward(this.layer1.forward(x))));
    return this.fc.forward(torch.flatten(this.avgpool.forward(x), 1));
  }
}

const PYTHON = `
import json, sys, time, torch
import torch.nn as nn
torch.set_num_threads(int(sys.argv[1]))
class BasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes)) if stride != 1 or inplanes != planes else None
    def forward(self, x):
        identity = self.downsample(x) if self.downsample is not None else x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += identity
        return self.relu(out)
class ResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = nn.Sequential(BasicBlock(64, 64), BasicBlock(64, 64))
        self.layer2 = nn.Sequential(BasicBlock(64, 128, 2), BasicBlock(128, 128))
        self.layer3 = nn.Sequential(BasicBlock(128, 256, 2), BasicBlock(256, 256))
        self.layer4 = nn.Sequential(BasicBlock(256, 512, 2), BasicBlock(512, 512))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512, 10)
    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))
torch.manual_seed(0)
model = ResNet().train()
criterion = nn.CrossEntropyLoss()
x = torch.randn(${BATCH}, 3, ${SIZE}, ${SIZE})
y = torch.randint(0, 10, (${BATCH},))
def step(n):
    for _ in range(n):
        model.zero_grad(set_to_none=True)
        loss = criterion(model(x), y)
        loss.backward()
step(2)
print('ready', flush=True)
for line in sys.stdin:
    n = int(line)
    t = time.perf_counter()
    step(n)
    print(json.dumps((time.perf_counter() - t) / n), flush=True)
`;

/** The Python side as a long-lived process that runs `n` steps on request and answers the seconds per step. */
class PythonSide {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiting: { resolve: (line: string) => void; reject: (err: Error) => void }[] = [];
  private stderr = '';

  constructor(threads: number) {
    this.proc = spawn(PYTHON_BIN, ['-c', PYTHON, String(threads)]);
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        this.waiting.shift()?.resolve(line);
      }
    });
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.proc.on('exit', (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`the Python side exited (${code}):\n${this.stderr}`));
    });
  }

  private next(): Promise<string> {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  ready(): Promise<string> {
    return this.next();
  }

  async steps(n: number): Promise<number> {
    const answer = this.next();
    this.proc.stdin.write(`${n}\n`);
    return JSON.parse(await answer) as number;
  }

  close(): void {
    this.proc.stdin.end();
  }
}

/**
 * Runs both sides and returns images/s. The two sides take turns (a few steps each, several rounds) and the best
 * round of each counts, so that load from elsewhere on a shared machine falls on both alike.
 */
export async function run(): Promise<Row[]> {
  const threads = os.cpus().length;
  const py = new PythonSide(threads);
  const previous = torch.getNumThreads();
  torch.setNumThreads(threads);
  try {
    torch.manualSeed(0);
    const model = new ResNet().train();
    const criterion = new nn.CrossEntropyLoss();
    const x = torch.randn([BATCH, 3, SIZE, SIZE]);
    const y = torch.randint(0, 10, [BATCH]);
    const step = (): void => {
      // A synchronous loop frees each step's tensors with tidy() (see API.md, Memory).
      torch.tidy(() => {
        model.zeroGrad();
        const loss = criterion.forward(model.forward(x), y);
        loss.backward();
      });
    };
    step();
    step();
    await py.ready();
    let bestPy = Infinity;
    let bestNode = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      bestPy = Math.min(bestPy, await py.steps(STEPS));
      await new Promise(setImmediate);
      const t = process.hrtime.bigint();
      for (let i = 0; i < STEPS; i++) step();
      bestNode = Math.min(bestNode, Number(process.hrtime.bigint() - t) / 1e9 / STEPS);
    }
    return [{ name: `train step b${BATCH} ${SIZE}px`, unit: 'images/s', python: BATCH / bestPy, node: BATCH / bestNode, higherIsBetter: true, target: 0.97 }];
  } finally {
    py.close();
    torch.setNumThreads(previous);
  }
}
