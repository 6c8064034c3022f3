// Shared by the optimizer and scheduler tests: one small problem (a two-layer network as raw tensors, fixed
// data and initial weights) defined identically in Python and here, and the bridge that carries state dicts
// between the two.
import * as assert from 'assert';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { PyTensor } from './helpers/python';

/**
 * Python side of the problem: X, Y, the initial weights INIT, `make_params()`, `loss_fn(p)`, `flat(p)` and
 * `train(...)`, which runs steps the way the TypeScript `train` below does (zero grads, backward, step; at
 * step 10 the first group's lr is halved, as a user would do by hand).
 */
export const PY_PROBLEM = `
import json
torch.manual_seed(0)
X = torch.randn(8, 3)
Y = torch.randn(8, 2)
INIT = [torch.randn(4, 3) * 0.5, torch.randn(4) * 0.1, torch.randn(2, 4) * 0.5, torch.randn(2) * 0.1,
        1 + torch.randn(4) * 0.1, torch.randn(3)]
def make_params():
    return [t.clone().requires_grad_(True) for t in INIT]
def loss_fn(p):
    h = torch.tanh(X @ p[0].t() + p[1]) * p[4]
    return ((h @ p[2].t() + p[3] - Y) ** 2).mean()
def flat(p):
    return torch.cat([q.detach().reshape(-1) for q in p])
def train(p, opt, steps, closure=False, start=0, add_at=None, sched=None, metric=None):
    out = []
    lrs = []
    for s in range(start, start + steps):
        if s == 10:
            opt.param_groups[0]['lr'] *= 0.5
        if add_at is not None and s == add_at:
            opt.add_param_group({'params': [p[4]], 'lr': 0.05})
        def c():
            opt.zero_grad()
            l = loss_fn(p)
            l.backward()
            return l
        if closure:
            opt.step(c)
        else:
            c()
            opt.step()
        if sched is not None:
            if metric is not None:
                sched.step(metric(s))
            else:
                sched.step()
            lrs.append(list(sched._last_lr) + [g.get('momentum', g.get('betas', [None])[0]) for g in opt.param_groups])
        out.append(flat(p))
    return out, lrs
def _dec(v):
    if isinstance(v, dict):
        if v.get('__tensor__'):
            return torch.tensor(v['data'], dtype=getattr(torch, v['dtype'])).reshape(v['shape'])
        if v.get('__map__'):
            return {int(k): _dec(x) for k, x in v['entries']}
        return {k: _dec(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_dec(x) for x in v]
    return v
emit('X', X)
emit('Y', Y)
emit('init', INIT)
emit('version', torch.__version__)
`;

/** The same problem in TypeScript, built from the tensors Python emitted. */
export class Problem {
  readonly X: Tensor;
  readonly Y: Tensor;
  readonly init: Tensor[];

  constructor(ref: Record<string, unknown>) {
    this.X = fromPy(ref.X) as Tensor;
    this.Y = fromPy(ref.Y) as Tensor;
    this.init = (ref.init as unknown[]).map((t) => fromPy(t) as Tensor);
  }

  makeParams(from: Tensor[] = this.init): Tensor[] {
    return from.map((t) => t.detach().clone().requiresGrad_(true));
  }

  loss(p: Tensor[]): Tensor {
    const h = torch.tanh(this.X.matmul(p[0].t()).add(p[1])).mul(p[4]);
    return h.matmul(p[2].t()).add(p[3]).sub(this.Y).pow(2).mean();
  }

  /**
   * Runs `steps` steps from `start`, as Python's train(): returns the flat parameters after each step and,
   * with a scheduler, its last lrs followed by each group's momentum (or beta1).
   */
  train(
    p: Tensor[],
    opt: torch.optim.Optimizer,
    steps: number,
    o: { closure?: boolean; start?: number; addAt?: number; sched?: { step(...args: number[]): void; getLastLr(): number[] }; metric?: (s: number) => number } = {},
  ): { traj: number[][]; lrs: (number | null)[][] } {
    const traj: number[][] = [];
    const lrs: (number | null)[][] = [];
    const start = o.start ?? 0;
    for (let s = start; s < start + steps; s++) {
      if (s === 10) opt.paramGroups[0].lr *= 0.5;
      if (o.addAt !== undefined && s === o.addAt) opt.addParamGroup({ params: [p[4]], lr: 0.05 });
      const c = (): Tensor => {
        opt.zeroGrad();
        const l = this.loss(p);
        l.backward();
        return l;
      };
      if (o.closure) {
        opt.step(c);
      } else {
        c();
        opt.step();
      }
      if (o.sched) {
        if (o.metric) o.sched.step(o.metric(s));
        else o.sched.step();
        const momenta = opt.paramGroups.map((g) => (g.momentum as number | undefined) ?? (g.betas as number[] | undefined)?.[0] ?? null);
        lrs.push([...o.sched.getLastLr(), ...momenta]);
      }
      traj.push(flatValues(p));
    }
    return { traj, lrs };
  }
}

/** The parameters' values, concatenated (as Python's flat(p)). */
export function flatValues(p: Tensor[]): number[] {
  const out: number[] = [];
  for (const q of p) out.push(...Array.from(q.detach().reshape([-1]).to('float64').dataSync() as Float64Array));
  return out;
}

/** A value emitted by Python with tensors made into torch-node tensors (dicts stay plain objects). */
export function fromPy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromPy);
  if (v !== null && typeof v === 'object') {
    const t = v as PyTensor;
    if (t.__tensor__) {
      const data = t.data.map((x) => Number(x));
      return torch.tensor(data, { dtype: t.dtype as torch.DType }).reshape(t.shape);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = fromPy(x);
    return out;
  }
  return v;
}

/** JSON for Python's `_dec`: tensors as {__tensor__}, Maps as {__map__} with integer keys. */
export function toPyJson(v: unknown): string {
  const enc = (x: unknown): unknown => {
    if (x instanceof Tensor) {
      return { __tensor__: true, dtype: x.dtype, shape: x.shape, data: Array.from(x.to('float64').dataSync() as Float64Array) };
    }
    if (x instanceof Map) return { __map__: true, entries: Array.from(x, ([k, y]) => [k, enc(y)]) };
    if (Array.isArray(x)) return x.map(enc);
    if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, enc(y)]));
    return x;
  };
  return JSON.stringify(enc(v));
}

/** Asserts two trajectories agree step by step within float tolerance. */
export function assertTrajectory(actual: number[][], expected: unknown, what: string, tol = { rtol: 1e-5, atol: 1e-6 }): void {
  const e = expected as PyTensor;
  const cols = e.shape[1];
  assert.strictEqual(actual.length, e.shape[0], `${what}: number of steps`);
  for (let s = 0; s < actual.length; s++) {
    for (let j = 0; j < cols; j++) {
      const raw = e.data[s * cols + j];
      assert.ok(typeof raw === 'number', `${what}: step ${s}, value ${j}: PyTorch's value is not finite (${String(raw)}); pick a stable problem`);
      const want = raw;
      const got = actual[s][j];
      assert.ok(
        Math.abs(got - want) <= tol.atol + tol.rtol * Math.abs(want),
        `${what}: step ${s}, value ${j}: expected ${want}, got ${got}`,
      );
    }
  }
}

/** How many values of a trajectory differ from Python's at all (0 when bit-identical). */
export function countDifferences(actual: number[][], expected: unknown): number {
  const e = expected as PyTensor;
  const cols = e.shape[1];
  let n = 0;
  for (let s = 0; s < actual.length; s++) for (let j = 0; j < cols; j++) if (actual[s][j] !== Number(e.data[s * cols + j])) n++;
  return n;
}
