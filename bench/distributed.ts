// Data-parallel scaling on this machine: training steps of a small CNN (batch 32 per process, 32x32 images) in one
// process, and in two ranks with DistributedDataParallel over Gloo on loopback (each rank one thread), in images/s;
// the same jobs in Python PyTorch (torch.nn.parallel.DistributedDataParallel) for comparison.
import { spawn } from 'child_process';
import { freePort } from '../lib/distributed/rendezvous';
import * as torch from '../lib';
import { nn, optim, Tensor } from '../lib';
import { PYTHON, Row } from './harness';

/** What this benchmark measures. */
export const title = 'DDP scaling: small CNN training steps, batch 32 per process, 32x32, images/s (1 process vs 2 ranks over Gloo)';

const BATCH = 32;
const SIZE = 32;
const WARMUP = 3;
// Best of ROUNDS rounds of STEPS steps (the machine is shared; the best round is the least disturbed).
const ROUNDS = 4;
const STEPS = 5;

class Net extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(3, 32, 3, { padding: 1 }), new nn.ReLU(),
    new nn.Conv2d(32, 64, 3, { stride: 2, padding: 1 }), new nn.ReLU(),
    new nn.Conv2d(64, 128, 3, { stride: 2, padding: 1 }), new nn.ReLU(),
  );
  fc = new nn.Linear(128, 10);
  override forward(x: Tensor): Tensor {
    return this.fc.forward((this.features.forward(x) as Tensor).mean([2, 3]));
  }
}

/** One process of the job (`node bench/distributed.js --worker`): prints the images/s of all ranks together. */
async function worker(): Promise<void> {
  const ranks = Number(process.env.WORLD_SIZE ?? 1);
  if (ranks > 1) await torch.distributed.initProcessGroup({ backend: 'gloo' });
  torch.manualSeed(0);
  const net = new Net();
  const model: nn.Module = ranks > 1 ? new nn.parallel.DistributedDataParallel(net) : net;
  const opt = new optim.SGD(net.parameters(), { lr: 0.01, momentum: 0.9 });
  const x = torch.randn([BATCH, 3, SIZE, SIZE]);
  const y = torch.randint(0, 10, [BATCH]);
  const step = (): void =>
    torch.tidy(() => {
      opt.zeroGrad();
      nn.functional.crossEntropy(model.forward(x) as Tensor, y).backward();
      opt.step();
    });
  for (let i = 0; i < WARMUP; i++) step();
  let seconds = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    if (ranks > 1) await torch.distributed.barrier();
    const t = process.hrtime.bigint();
    for (let i = 0; i < STEPS; i++) step();
    if (ranks > 1) await torch.distributed.barrier();
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - t) / 1e9);
  }
  if ((process.env.RANK ?? '0') === '0') console.log(JSON.stringify({ imagesPerSecond: (ranks * BATCH * STEPS) / seconds }));
  if (ranks > 1) torch.distributed.destroyProcessGroup();
}

const PY_WORKER = `
import json, os, time, torch, torch.nn as nn, torch.distributed as dist
ranks = int(os.environ.get('WORLD_SIZE', '1'))
torch.set_num_threads(int(os.environ['OMP_NUM_THREADS']))
if ranks > 1: dist.init_process_group('gloo')
torch.manual_seed(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(64, 128, 3, stride=2, padding=1), nn.ReLU())
        self.fc = nn.Linear(128, 10)
    def forward(self, x): return self.fc(self.features(x).mean([2, 3]))
net = Net()
model = nn.parallel.DistributedDataParallel(net) if ranks > 1 else net
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
x = torch.randn(${BATCH}, 3, ${SIZE}, ${SIZE}); y = torch.randint(0, 10, (${BATCH},))
def step():
    opt.zero_grad(); nn.functional.cross_entropy(model(x), y).backward(); opt.step()
for _ in range(${WARMUP}): step()
s = float('inf')
for _ in range(${ROUNDS}):
    if ranks > 1: dist.barrier()
    t = time.perf_counter()
    for _ in range(${STEPS}): step()
    if ranks > 1: dist.barrier()
    s = min(s, time.perf_counter() - t)
if os.environ.get('RANK', '0') == '0': print(json.dumps({'imagesPerSecond': ranks * ${BATCH} * ${STEPS} / s}))
if ranks > 1: dist.destroy_process_group()
`;

/** Runs `ranks` processes of the job with `threads` threads each; the images/s rank 0 reported. */
async function job(python: boolean, ranks: number, threads: number): Promise<number> {
  const port = String(await freePort());
  const outs = await Promise.all(
    Array.from({ length: ranks }, (_, rank) => {
      const env = { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: port, RANK: String(rank), WORLD_SIZE: String(ranks), OMP_NUM_THREADS: String(threads) };
      const args = python ? ['-c', PY_WORKER] : [__filename, '--worker'];
      return new Promise<string>((resolve, reject) => {
        const child = spawn(python ? PYTHON : process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`rank ${rank} failed:\n${err}`))));
      });
    }),
  );
  return (JSON.parse(outs[0].trim().split('\n').pop() as string) as { imagesPerSecond: number }).imagesPerSecond;
}

/** The rows: one process with one and with all threads, two ranks of one thread; then the scaling ratio. */
export async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  const cases: [string, number, number][] = [
    ['1 process, 1 thread', 1, 1],
    ['1 process, 2 threads', 1, 2],
    ['2 ranks (DDP, Gloo), 1 thread each', 2, 1],
  ];
  for (const [name, ranks, threads] of cases) {
    rows.push({ name, unit: 'images/s', python: await job(true, ranks, threads), node: await job(false, ranks, threads), higherIsBetter: true });
  }
  const scaling = (r: Row, base: Row, k: 'python' | 'node'): string => (r[k] / base[k]).toFixed(2);
  console.log(
    `scaling, 2 ranks / 1 process of 1 thread: torch-node ${scaling(rows[2], rows[0], 'node')}x, PyTorch ${scaling(rows[2], rows[0], 'python')}x; ` +
      `2 ranks / 1 process of 2 threads: torch-node ${scaling(rows[2], rows[1], 'node')}x, PyTorch ${scaling(rows[2], rows[1], 'python')}x`,
  );
  return rows;
}

if (require.main === module && process.argv.includes('--worker')) {
  worker().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
