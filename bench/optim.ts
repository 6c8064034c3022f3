// Optimizer step time for a resnet18-sized parameter set (resnet18's 62 parameter shapes, 11.7M values) with
// SGD + momentum and AdamW, against torch.optim in Python (PyTorch's default implementation, foreach=None).
import * as os from 'os';
import * as torch from '../lib';
import { optim, Tensor } from '../lib';
import { Row, runPython, best, onOneCpu } from './harness';

/** What this benchmark measures. */
export const title = 'optimizer step, resnet18 parameters (62 tensors, 11.7M values)';

/** resnet18's parameter shapes, in its parameters() order. */
export function resnet18Shapes(): number[][] {
  const shapes: number[][] = [[64, 3, 7, 7], [64], [64]];
  const bn = (c: number) => [[c], [c]];
  let inplanes = 64;
  for (const planes of [64, 128, 256, 512]) {
    for (let block = 0; block < 2; block++) {
      const stride2 = block === 0 && planes !== 64;
      shapes.push([planes, inplanes, 3, 3], ...bn(planes), [planes, planes, 3, 3], ...bn(planes));
      if (stride2) shapes.push([planes, inplanes, 1, 1], ...bn(planes));
      inplanes = planes;
    }
  }
  shapes.push([1000, 512], [1000]);
  return shapes;
}

const STEPS = 10;
const REPEAT = 5;

const CASES: { name: string; py: string; make: (p: Tensor[]) => optim.Optimizer }[] = [
  { name: 'SGD momentum', py: 'torch.optim.SGD(params, lr=0.01, momentum=0.9)', make: (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.9 }) },
  { name: 'AdamW', py: 'torch.optim.AdamW(params, lr=1e-3)', make: (p) => new optim.AdamW(p, { lr: 1e-3 }) },
];

function parameters(shapes: number[][]): Tensor[] {
  return shapes.map((s) => {
    const p = torch.randn(s).requiresGrad_(true);
    p.grad = torch.randn(s).mul(0.01);
    return p;
  });
}

/** Best seconds per step of each case on each side, alternating Python and torch-node `rounds` times. */
async function measure(shapes: number[][], threads: number, rounds: number, steps: number, repeat: number): Promise<{ python: number[]; node: number[] }> {
  const pyCode = `
shapes = ${JSON.stringify(shapes)}
try:
    import torchvision
    assert [list(p.shape) for p in torchvision.models.resnet18().parameters()] == shapes, 'resnet18 shapes differ'
except ImportError:
    pass
# Keep this order: SGD's tensors, freed when AdamW's case replaces them, put glibc in the state of a process that
# has freed large blocks before (as any training process has). Python's AdamW allocates large temporaries every
# step; in a process that has freed none yet, each is mapped fresh and faults in (measured here: 0.15 s per
# AdamW step, against 0.013 after the SGD case).
out = {}
for name, make in [${CASES.map((c) => `(${JSON.stringify(c.name)}, lambda params: ${c.py})`).join(', ')}]:
    torch.manual_seed(0)
    params = [torch.randn(s).requires_grad_(True) for s in shapes]
    for p in params:
        p.grad = torch.randn(p.shape) * 0.01
    opt = make(params)
    opt.step()
    def steps(n):
        for _ in range(n):
            opt.step()
    out[name] = best(steps, ${steps}, ${repeat})
print(json.dumps(out))
`;
  const previous = torch.getNumThreads();
  torch.setNumThreads(threads);
  try {
    const optimizers = CASES.map((c) => {
      torch.manualSeed(0);
      const opt = c.make(parameters(shapes));
      opt.step();
      return opt;
    });
    const python = CASES.map(() => Infinity);
    const node = CASES.map(() => Infinity);
    for (let round = 0; round < rounds; round++) {
      const py = runPython(pyCode, threads);
      for (let i = 0; i < CASES.length; i++) {
        python[i] = Math.min(python[i], py[CASES[i].name]);
        const opt = optimizers[i];
        const t = await best((n) => {
          for (let k = 0; k < n; k++) opt.step();
        }, steps, repeat);
        node[i] = Math.min(node[i], t);
      }
    }
    return { python, node };
  } finally {
    torch.setNumThreads(previous);
  }
}

/**
 * Runs both optimizers in Python and in torch-node with all cores (PyTorch's default), alternating three times,
 * as this machine is shared: the best of each side counts. One-thread rows show the arithmetic alone, both
 * sides on one CPU.
 */
export async function run(): Promise<Row[]> {
  const shapes = resnet18Shapes();
  const numel = shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
  if (shapes.length !== 62 || numel !== 11689512) throw new Error(`resnet18 has 62 tensors and 11689512 values, not ${shapes.length} and ${numel}`);
  const cores = os.cpus().length;
  const all = await measure(shapes, cores, 3, STEPS, REPEAT);
  const one = await onOneCpu(() => measure(shapes, 1, 2, 5, 3));
  return [
    ...CASES.map((c, i) => ({
      name: `${c.name} step (${cores} threads)`, unit: 's/step', python: all.python[i], node: all.node[i], higherIsBetter: false, target: 1.0,
    })),
    ...CASES.map((c, i) => ({ name: `${c.name} step (1 thread)`, unit: 's/step', python: one.python[i], node: one.node[i], higherIsBetter: false })),
  ];
}
