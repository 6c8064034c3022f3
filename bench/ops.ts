// Per-op overhead on small (4-element) CPU tensors: `a.add(b)` and `w.mul(2)` with requiresGrad, in PyTorch
// and in torch-node with each way of releasing results (GC while awaiting, tidy, using).
import * as torch from '../lib';
import { PythonSession, interleaved, onOneCpu, Row } from './harness';

/** What this benchmark measures. */
export const title = 'per-op time on 4-element CPU tensors (µs/op), 1 thread each side, both on one CPU';

const N_OPS = 200_000;
const YIELD_EVERY = 1000;
// Runs of each side per row, alternating; the best of each side counts. Each side's best run moves by a few percent
// from one benchmark to the next on a shared machine: more runs narrow it, for both sides alike.
const ROUNDS = 11;

/** Runs both sides, on the same CPU, and returns the rows. */
export function run(): Promise<Row[]> {
  return onOneCpu(measure);
}

async function measure(): Promise<Row[]> {
  // Python's runs alternate with torch-node's (see PythonSession).
  const py = new PythonSession(
    `
a = torch.tensor([1., 2., 3., 4.]); b = torch.tensor([1., 2., 3., 4.])
w = torch.tensor([1., 2., 3., 4.], requires_grad=True)
def add(n):
    for _ in range(n): a.add(b)
def mul(n):
    for _ in range(n): w.mul(2)
`,
    1,
  );
  const threads = torch.getNumThreads();
  torch.setNumThreads(1);
  const a = torch.tensor([1, 2, 3, 4]);
  const b = torch.tensor([1, 2, 3, 4]);
  const w = torch.tensor([1, 2, 3, 4], { requiresGrad: true });

  // Results left to the garbage collector, in a loop that awaits now and then (as `for await` over a loader does).
  const gc = (f: () => torch.Tensor) => async (n: number) => {
    for (let i = 0; i < n; i++) {
      f();
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise(setImmediate);
    }
  };
  // A synchronous loop in tidy() scopes.
  const tidy = (f: () => torch.Tensor) => (n: number) => {
    for (let i = 0; i < n; i += YIELD_EVERY) torch.tidy(() => {
      for (let j = 0; j < YIELD_EVERY; j++) f();
    });
  };
  // Each result released at once with `using`.
  const using_ = (f: () => torch.Tensor) => (n: number) => {
    for (let i = 0; i < n; i++) {
      using _r = f();
    }
  };
  const add = () => a.add(b);
  const mul = () => w.mul(2);
  const rows: Row[] = [];
  try {
    for (const [name, f, pyName] of [['a.add(b)', add, 'add'], ['w.mul(2) requiresGrad', mul, 'mul']] as const) {
      for (const [mode, wrapf] of [['gc+await', gc], ['tidy', tidy], ['using', using_]] as const) {
        const t = await interleaved(py, pyName, wrapf(f), N_OPS, ROUNDS);
        rows.push({ name: `${name} [${mode}]`, unit: 'µs/op', python: t.python * 1e6, node: t.node * 1e6, higherIsBetter: false, target: 1.0 });
      }
    }
  } finally {
    py.close();
    torch.setNumThreads(threads);
  }
  return rows;
}
