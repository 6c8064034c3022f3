// Per-op overhead on small (4-element) CPU tensors: `a.add(b)` and `w.mul(2)` with requiresGrad, in PyTorch
// and in torch-node with each way of releasing results (GC while awaiting, tidy, using).
import * as torch from '../lib';
import { runPython, best, Row } from './harness';

/** What this benchmark measures. */
export const title = 'per-op time on 4-element CPU tensors (µs/op), 1 thread each side';

const N_OPS = 200_000;
const YIELD_EVERY = 1000;

/** Runs both sides and returns the rows. */
export async function run(): Promise<Row[]> {
  const py = runPython(
    `
a = torch.tensor([1., 2., 3., 4.]); b = torch.tensor([1., 2., 3., 4.])
w = torch.tensor([1., 2., 3., 4.], requires_grad=True)
def add(n):
    for _ in range(n): a.add(b)
def mul(n):
    for _ in range(n): w.mul(2)
print(json.dumps({'add': best(add, ${N_OPS}), 'mul': best(mul, ${N_OPS})}))
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
  for (const [name, f, pyTime] of [['a.add(b)', add, py.add], ['w.mul(2) requiresGrad', mul, py.mul]] as const) {
    for (const [mode, wrapf] of [['gc+await', gc], ['tidy', tidy], ['using', using_]] as const) {
      const t = await best(wrapf(f), N_OPS);
      rows.push({ name: `${name} [${mode}]`, unit: 'µs/op', python: pyTime * 1e6, node: t * 1e6, higherIsBetter: false, target: 1.0 });
    }
  }
  torch.setNumThreads(threads);
  return rows;
}
