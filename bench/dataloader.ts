// The seed's input pipeline: ImageFolder of ~600 JPEGs (400-640 px) with Resize(256) + CenterCrop(224) +
// ToTensor, batch 32, shuffled: torch-node's DataLoader against torchvision's ImageFolder + DataLoader with
// num_workers=2, alternating in one run on one machine.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PYTHON, runPython, Row } from './harness';
import { DataLoader } from '../lib/data';
import { datasets, transforms } from '../lib/vision';

export const title = 'ImageFolder + DataLoader, Resize(256)+CenterCrop(224)+ToTensor on 600 JPEGs, batch 32, shuffled';

const IMAGES = 600;
const EPOCHS = 3;

/** Makes the JPEGs once (smooth random images with mild texture, PIL quality 90) and returns their root. */
function imageRoot(): string {
  const root = process.env.TORCH_NODE_BENCH_IMAGES || path.join(os.tmpdir(), 'torch-node-bench-jpegs-v1');
  if (fs.existsSync(path.join(root, 'DONE'))) return root;
  const code = `
import os, sys, numpy as np
from PIL import Image
root = sys.argv[1]
rng = np.random.default_rng(0)
for i in range(${IMAGES}):
    d = os.path.join(root, 'class%d' % (i % 10)); os.makedirs(d, exist_ok=True)
    w, h = (int(v) for v in rng.integers(400, 641, size=2))
    base = Image.fromarray(rng.integers(0, 256, size=(h // 24 + 2, w // 24 + 2, 3), dtype=np.uint8)).resize((w, h), Image.BICUBIC)
    arr = np.asarray(base).astype(np.int16) + rng.integers(-3, 4, size=(h, w, 3))
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(os.path.join(d, 'img%04d.jpg' % i), quality=90)
open(os.path.join(root, 'DONE'), 'w').write('ok')
`;
  const r = spawnSync(PYTHON, ['-c', code, root], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`making the benchmark JPEGs failed:\n${r.stderr}`);
  return root;
}

interface Measured {
  imagesPerSecond: number;
  cpuMsPerImage: number;
}

async function nodeEpochs(root: string): Promise<Measured> {
  const transform = new transforms.Compose([new transforms.Resize(256), new transforms.CenterCrop(224), new transforms.ToTensor()]);
  const dataset = new datasets.ImageFolder(root, { transform });
  const loader = new DataLoader(dataset, { batchSize: 32, shuffle: true });
  let best = 0;
  let cpu = Infinity;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let n = 0;
    for await (const [inputs] of loader) n += inputs.shape[0];
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    best = Math.max(best, n / seconds);
    cpu = Math.min(cpu, (c.user + c.system) / 1000 / n);
  }
  return { imagesPerSecond: best, cpuMsPerImage: cpu };
}

function pythonEpochs(root: string): Measured {
  const r = runPython(`
import resource
from torchvision import datasets, transforms
from torch.utils.data import DataLoader
tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder(${JSON.stringify(root)}, transform=tf), batch_size=32, shuffle=True, num_workers=2)
def cpu():
    a = resource.getrusage(resource.RUSAGE_SELF); b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
best, cpu_ms = 0.0, float('inf')
for epoch in range(${EPOCHS}):
    c0 = cpu(); t0 = time.perf_counter(); n = 0
    for inputs, labels in loader: n += inputs.shape[0]
    best = max(best, n / (time.perf_counter() - t0))
    cpu_ms = min(cpu_ms, (cpu() - c0) * 1000 / n)
print(json.dumps({'imagesPerSecond': best, 'cpuMsPerImage': cpu_ms}))
`);
  return r as unknown as Measured;
}

export async function run(): Promise<Row[]> {
  const root = imageRoot();
  // Alternate the two sides so that a busy moment on the machine hurts both alike; keep each side's best.
  const node: Measured[] = [];
  const python: Measured[] = [];
  for (let round = 0; round < 2; round++) {
    node.push(await nodeEpochs(root));
    python.push(pythonEpochs(root));
  }
  const bestRate = (ms: Measured[]) => Math.max(...ms.map((m) => m.imagesPerSecond));
  const bestCpu = (ms: Measured[]) => Math.min(...ms.map((m) => m.cpuMsPerImage));
  return [
    { name: 'images/s (torchvision num_workers=2)', unit: 'images/s', python: bestRate(python), node: bestRate(node), higherIsBetter: true, target: 2 },
    { name: 'CPU time per image (all processes)', unit: 'ms', python: bestCpu(python), node: bestCpu(node), higherIsBetter: false },
  ];
}
