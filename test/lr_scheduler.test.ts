// Every learning-rate scheduler against torch.optim.lr_scheduler: the same training problem for 50 steps,
// the same learning rates (and cycled momenta), the same parameter trajectories, and a resume through the
// optimizer's and the scheduler's state dicts in the middle.
import * as assert from 'assert';
import * as torch from '../lib';
import { optim, Tensor } from '../lib';
import { py, requirePython } from './helpers/python';
import { PY_PROBLEM, Problem, assertTrajectory } from './optim_helpers';

const S = optim.lrScheduler;

interface Scheduler {
  step(...args: number[]): void;
  getLastLr(): number[];
  stateDict(): Record<string, unknown>;
  loadStateDict(s: Record<string, unknown>): void;
}

interface Case {
  name: string;
  /** Python's scheduler, over the optimizer `opt`. */
  py: string;
  ts: (opt: optim.Optimizer) => Scheduler;
  /** Adam instead of SGD with momentum (for OneCycleLR's beta1 cycling). */
  adam?: boolean;
  /** ReduceLROnPlateau's metric for step s, in Python and in TypeScript. */
  metric?: [string, (s: number) => number];
}

const PY_SGD = "torch.optim.SGD([{'params': p[:2], 'lr': 0.05}, {'params': p[2:]}], lr=0.1, momentum=0.9)";
const PY_ADAM = "torch.optim.Adam([{'params': p[:2], 'lr': 0.005}, {'params': p[2:]}], lr=0.01)";
const tsOptimizer = (p: Tensor[], adam?: boolean): optim.Optimizer =>
  adam
    ? new optim.Adam([{ params: p.slice(0, 2), lr: 0.005 }, { params: p.slice(2) }], { lr: 0.01 })
    : new optim.SGD([{ params: p.slice(0, 2), lr: 0.05 }, { params: p.slice(2) }], { lr: 0.1, momentum: 0.9 });

const L = 'torch.optim.lr_scheduler';

const CASES: Case[] = [
  { name: 'LambdaLR', py: `${L}.LambdaLR(opt, lambda e: 0.95 ** e)`, ts: (o) => new S.LambdaLR(o, (e) => 0.95 ** e) },
  {
    name: 'LambdaLR per group',
    py: `${L}.LambdaLR(opt, [lambda e: 0.9 ** e, lambda e: 1 / (1 + e)])`,
    ts: (o) => new S.LambdaLR(o, [(e) => 0.9 ** e, (e) => 1 / (1 + e)]),
  },
  { name: 'MultiplicativeLR', py: `${L}.MultiplicativeLR(opt, lambda e: 0.97)`, ts: (o) => new S.MultiplicativeLR(o, () => 0.97) },
  { name: 'StepLR', py: `${L}.StepLR(opt, 7, gamma=0.5)`, ts: (o) => new S.StepLR(o, 7, { gamma: 0.5 }) },
  // PyTorch's tutorials give required arguments by name (`StepLR(opt, step_size=7, gamma=0.1)`); optional ones may
  // come by position.
  { name: 'StepLR by name', py: `${L}.StepLR(opt, step_size=7, gamma=0.5)`, ts: (o) => new S.StepLR(o, { stepSize: 7, gamma: 0.5 }) },
  { name: 'StepLR by position', py: `${L}.StepLR(opt, 7, 0.5)`, ts: (o) => new S.StepLR(o, 7, 0.5) },
  { name: 'MultiStepLR', py: `${L}.MultiStepLR(opt, [5, 15, 15, 30], gamma=0.5)`, ts: (o) => new S.MultiStepLR(o, [5, 15, 15, 30], { gamma: 0.5 }) },
  { name: 'ConstantLR', py: `${L}.ConstantLR(opt, factor=0.5, total_iters=10)`, ts: (o) => new S.ConstantLR(o, { factor: 0.5, totalIters: 10 }) },
  {
    name: 'LinearLR',
    py: `${L}.LinearLR(opt, start_factor=0.2, end_factor=0.9, total_iters=20)`,
    ts: (o) => new S.LinearLR(o, { startFactor: 0.2, endFactor: 0.9, totalIters: 20 }),
  },
  { name: 'ExponentialLR', py: `${L}.ExponentialLR(opt, 0.95)`, ts: (o) => new S.ExponentialLR(o, 0.95) },
  { name: 'ExponentialLR by name', py: `${L}.ExponentialLR(opt, gamma=0.9)`, ts: (o) => new S.ExponentialLR(o, { gamma: 0.9 }) },
  { name: 'PolynomialLR', py: `${L}.PolynomialLR(opt, total_iters=30, power=2.0)`, ts: (o) => new S.PolynomialLR(o, { totalIters: 30, power: 2.0 }) },
  { name: 'CosineAnnealingLR', py: `${L}.CosineAnnealingLR(opt, 10, eta_min=0.001)`, ts: (o) => new S.CosineAnnealingLR(o, 10, { etaMin: 0.001 }) },
  { name: 'CosineAnnealingLR by name', py: `${L}.CosineAnnealingLR(opt, T_max=4, eta_min=0.01)`, ts: (o) => new S.CosineAnnealingLR(o, { TMax: 4, etaMin: 0.01 }) },
  {
    name: 'CosineAnnealingWarmRestarts',
    py: `${L}.CosineAnnealingWarmRestarts(opt, 5, T_mult=2, eta_min=0.001)`,
    ts: (o) => new S.CosineAnnealingWarmRestarts(o, 5, { TMult: 2, etaMin: 0.001 }),
  },
  {
    name: 'CyclicLR triangular2',
    py: `${L}.CyclicLR(opt, 0.01, 0.1, step_size_up=5, mode='triangular2')`,
    ts: (o) => new S.CyclicLR(o, 0.01, 0.1, { stepSizeUp: 5, mode: 'triangular2' }),
  },
  {
    name: 'CyclicLR exp_range',
    py: `${L}.CyclicLR(opt, [0.01, 0.02], 0.1, step_size_up=4, step_size_down=3, mode='exp_range', gamma=0.9, base_momentum=0.7, max_momentum=0.95)`,
    ts: (o) => new S.CyclicLR(o, [0.01, 0.02], 0.1, { stepSizeUp: 4, stepSizeDown: 3, mode: 'exp_range', gamma: 0.9, baseMomentum: 0.7, maxMomentum: 0.95 }),
  },
  {
    name: 'CyclicLR custom scale function',
    py: `${L}.CyclicLR(opt, 0.01, 0.1, step_size_up=6, scale_fn=lambda x: 0.5 ** x, scale_mode='iterations', cycle_momentum=False)`,
    ts: (o) => new S.CyclicLR(o, 0.01, 0.1, { stepSizeUp: 6, scaleFn: (x) => 0.5 ** x, scaleMode: 'iterations', cycleMomentum: false }),
  },
  { name: 'OneCycleLR', py: `${L}.OneCycleLR(opt, [0.1, 0.05], total_steps=50)`, ts: (o) => new S.OneCycleLR(o, [0.1, 0.05], { totalSteps: 50 }) },
  { name: 'OneCycleLR by name', py: `${L}.OneCycleLR(opt, max_lr=0.1, total_steps=50)`, ts: (o) => new S.OneCycleLR(o, { maxLr: 0.1, totalSteps: 50 }) },
  {
    name: 'OneCycleLR three phases, linear, Adam betas',
    py: `${L}.OneCycleLR(opt, 0.02, epochs=5, steps_per_epoch=10, three_phase=True, anneal_strategy='linear', pct_start=0.25)`,
    ts: (o) => new S.OneCycleLR(o, 0.02, { epochs: 5, stepsPerEpoch: 10, threePhase: true, annealStrategy: 'linear', pctStart: 0.25 }),
    adam: true,
  },
  {
    name: 'ReduceLROnPlateau',
    py: `${L}.ReduceLROnPlateau(opt, patience=2, factor=0.5, cooldown=1)`,
    ts: (o) => new S.ReduceLROnPlateau(o, { patience: 2, factor: 0.5, cooldown: 1 }),
    metric: ['lambda s: 1.0 / (1 + s // 8)', (s) => 1.0 / (1 + Math.floor(s / 8))],
  },
  {
    name: 'ReduceLROnPlateau by position',
    py: `${L}.ReduceLROnPlateau(opt, 'max', 0.5, 1)`,
    ts: (o) => new S.ReduceLROnPlateau(o, 'max', 0.5, 1),
    metric: ['lambda s: (s % 5) / 5', (s) => (s % 5) / 5],
  },
  {
    name: 'ReduceLROnPlateau max, abs, min lrs',
    py: `${L}.ReduceLROnPlateau(opt, mode='max', threshold_mode='abs', threshold=0.01, patience=1, min_lr=[0.01, 0.02])`,
    ts: (o) => new S.ReduceLROnPlateau(o, { mode: 'max', thresholdMode: 'abs', threshold: 0.01, patience: 1, minLr: [0.01, 0.02] }),
    metric: ['lambda s: (s % 7) / 7', (s) => (s % 7) / 7],
  },
  {
    name: 'SequentialLR',
    py: `${L}.SequentialLR(opt, [${L}.ConstantLR(opt, factor=0.1, total_iters=2), ${L}.ExponentialLR(opt, 0.9)], milestones=[5])`,
    ts: (o) => new S.SequentialLR(o, [new S.ConstantLR(o, { factor: 0.1, totalIters: 2 }), new S.ExponentialLR(o, 0.9)], [5]),
  },
  {
    name: 'SequentialLR warm-up then cosine',
    py: `${L}.SequentialLR(opt, [${L}.LinearLR(opt, start_factor=0.1, total_iters=5), ${L}.CosineAnnealingLR(opt, 20)], milestones=[5])`,
    ts: (o) => new S.SequentialLR(o, [new S.LinearLR(o, { startFactor: 0.1, totalIters: 5 }), new S.CosineAnnealingLR(o, 20)], [5]),
  },
  {
    name: 'ChainedScheduler',
    py: `${L}.ChainedScheduler([${L}.ConstantLR(opt, factor=0.1, total_iters=2), ${L}.ExponentialLR(opt, 0.9)])`,
    ts: (o) => new S.ChainedScheduler([new S.ConstantLR(o, { factor: 0.1, totalIters: 2 }), new S.ExponentialLR(o, 0.9)]),
  },
];

function assertNumbers(actual: (number | null)[][], expected: unknown, what: string): void {
  const e = expected as (number | null)[][];
  assert.strictEqual(actual.length, e.length, `${what}: number of steps`);
  actual.forEach((row, s) => {
    assert.strictEqual(row.length, e[s].length, `${what}: step ${s} length`);
    row.forEach((v, j) => {
      const w = e[s][j];
      if (w === null || v === null) assert.strictEqual(v, w, `${what}: step ${s}, value ${j}`);
      else assert.ok(Math.abs(v - w) <= 1e-12 + 1e-10 * Math.abs(w), `${what}: step ${s}, value ${j}: expected ${w}, got ${v}`);
    });
  });
}

describe('optim.lrScheduler: schedulers against PyTorch', function () {
  let ref: Record<string, unknown>;
  let problem: Problem;
  let is113: boolean;

  before(function () {
    requirePython(this);
    let code = `${PY_PROBLEM}
def jsonable(sd):
    def fix(v):
        return str(v) if isinstance(v, float) and math.isinf(v) else v
    return {k: fix(v) for k, v in sd.items() if isinstance(v, (int, float, str, list, tuple, dict, bool, type(None)))}
`;
    for (const c of CASES) {
      const setup = `p = make_params()\nopt = ${c.adam ? PY_ADAM : PY_SGD}\nsched = ${c.py}`;
      const metric = c.metric ? c.metric[0] : 'None';
      code += `
${setup}
emit(${JSON.stringify(`${c.name}:init`)}, list(sched._last_lr if hasattr(sched, '_last_lr') else [g['lr'] for g in opt.param_groups]))
traj, lrs = train(p, opt, 50, sched=sched, metric=${metric})
emit(${JSON.stringify(c.name)}, torch.stack(traj))
emit(${JSON.stringify(`${c.name}:lrs`)}, lrs)
${setup}
train(p, opt, 25, sched=sched, metric=${metric})
emit(${JSON.stringify(`${c.name}:sd`)}, jsonable(sched.state_dict()))
`;
    }
    ref = py(code);
    problem = new Problem(ref);
    is113 = String(ref.version).startsWith('1.13');
  });

  for (const c of CASES) {
    it(`${c.name}: 50 steps give PyTorch's learning rates and trajectory`, function () {
      const p = problem.makeParams();
      const opt = tsOptimizer(p, c.adam);
      const sched = c.ts(opt);
      assertNumbers([sched.getLastLr()], [ref[`${c.name}:init`]], `${c.name} initial lr`);
      const { traj, lrs } = problem.train(p, opt, 50, { sched, metric: c.metric?.[1] });
      assertNumbers(lrs, ref[`${c.name}:lrs`], c.name);
      assertTrajectory(traj, ref[c.name], c.name);
    });
  }

  it('resume through stateDict: new optimizer and scheduler, loadStateDict, same schedule', function () {
    for (const c of CASES) {
      const p = problem.makeParams();
      const opt = tsOptimizer(p, c.adam);
      const sched = c.ts(opt);
      problem.train(p, opt, 25, { sched, metric: c.metric?.[1] });
      const optState = opt.stateDict();
      const schedState = sched.stateDict();
      // Python's state holds the same attributes (functions aside) under the same names.
      const want = ref[`${c.name}:sd`] as Record<string, unknown>;
      for (const key of Object.keys(want)) {
        if (key === '_schedulers') continue;
        assert.ok(key in schedState, `${c.name}: state key ${key}`);
        const v = want[key];
        if (typeof v === 'number') assert.ok(Math.abs((schedState[key] as number) - v) <= 1e-10 * Math.abs(v), `${c.name}: ${key}`);
      }
      if (is113) {
        const extra = Object.keys(schedState).filter((k) => !(k in want) && !['_scale_fn_custom', '_scale_fn_ref', 'anneal_strategy', 'lr_lambdas'].includes(k));
        assert.deepStrictEqual(extra, [], `${c.name}: keys Python does not have`);
      }
      const p2 = problem.makeParams(p);
      const opt2 = tsOptimizer(p2, c.adam);
      const sched2 = c.ts(opt2);
      opt2.loadStateDict(optState);
      sched2.loadStateDict(schedState);
      const { traj, lrs } = problem.train(p2, opt2, 25, { sched: sched2, metric: c.metric?.[1], start: 25 });
      assertNumbers(lrs, (ref[`${c.name}:lrs`] as unknown[]).slice(25), `${c.name} resumed`);
      const full = ref[c.name] as { shape: number[]; data: number[] };
      assertTrajectory(traj, { __tensor__: true, shape: [25, full.shape[1]], dtype: 'float32', data: full.data.slice(25 * full.shape[1]) }, `${c.name} resumed`);
    }
  });

  it('closed forms: step(epoch) jumps like PyTorch (with its deprecation warning)', function () {
    const epochs = [1, 2, 5, 3, 10, 20, 7];
    const closed: [string, string, (o: optim.Optimizer) => Scheduler][] = [
      ['StepLR', `${L}.StepLR(opt, 3, gamma=0.5)`, (o) => new S.StepLR(o, 3, { gamma: 0.5 })],
      ['MultiStepLR', `${L}.MultiStepLR(opt, [2, 4, 4, 9], gamma=0.5)`, (o) => new S.MultiStepLR(o, [2, 4, 4, 9], { gamma: 0.5 })],
      ['ConstantLR', `${L}.ConstantLR(opt, factor=0.25, total_iters=4)`, (o) => new S.ConstantLR(o, { factor: 0.25, totalIters: 4 })],
      ['LinearLR', `${L}.LinearLR(opt, start_factor=0.5, total_iters=8)`, (o) => new S.LinearLR(o, { startFactor: 0.5, totalIters: 8 })],
      ['ExponentialLR', `${L}.ExponentialLR(opt, 0.8)`, (o) => new S.ExponentialLR(o, 0.8)],
      ['PolynomialLR', `${L}.PolynomialLR(opt, total_iters=12, power=3.0)`, (o) => new S.PolynomialLR(o, { totalIters: 12, power: 3.0 })],
      ['CosineAnnealingLR', `${L}.CosineAnnealingLR(opt, 6, eta_min=0.01)`, (o) => new S.CosineAnnealingLR(o, 6, { etaMin: 0.01 })],
      ['LambdaLR', `${L}.LambdaLR(opt, lambda e: 1 / (e + 1))`, (o) => new S.LambdaLR(o, (e) => 1 / (e + 1))],
    ];
    let code = `${PY_PROBLEM}\nimport warnings\nwarnings.simplefilter('ignore')\n`;
    for (const [name, pyCode] of closed) {
      code += `p = make_params()\nopt = ${PY_SGD}\nsched = ${pyCode}\nout = []\nfor e in ${JSON.stringify(epochs)}:\n    opt.step()\n    sched.step(e)\n    out.append(sched.get_last_lr())\nemit(${JSON.stringify(name)}, out)\n`;
    }
    // Warm restarts stepped with fractional epochs inside each epoch, as its documentation shows.
    code += `p = make_params()\nopt = ${PY_SGD}\nsched = ${L}.CosineAnnealingWarmRestarts(opt, 3, T_mult=2)\nout = []\nfor epoch in range(8):\n    for i in range(4):\n        sched.step(epoch + i / 4)\n        out.append(sched.get_last_lr())\nemit('warm', out)\n`;
    const want = py(code);
    for (const [name, , make] of closed) {
      const opt = tsOptimizer(problem.makeParams());
      const sched = make(opt);
      const got = epochs.map((e) => {
        opt.step();
        (sched as optim.lrScheduler.LRScheduler).step(e);
        return sched.getLastLr();
      });
      assertNumbers(got, want[name], `${name} closed form`);
    }
    const opt = tsOptimizer(problem.makeParams());
    const warm = new S.CosineAnnealingWarmRestarts(opt, 3, { TMult: 2 });
    const got: number[][] = [];
    for (let epoch = 0; epoch < 8; epoch++) {
      for (let i = 0; i < 4; i++) {
        warm.step(epoch + i / 4);
        got.push(warm.getLastLr());
      }
    }
    assertNumbers(got, want.warm, 'CosineAnnealingWarmRestarts fractional epochs');
  });

  it("validates arguments with PyTorch's messages", function () {
    const opt = tsOptimizer(problem.makeParams());
    assert.throws(() => new S.StepLR({} as optim.Optimizer, 3), { name: 'TypeError', message: 'Object is not an Optimizer' });
    assert.throws(() => new S.ConstantLR(opt, { factor: 2 }), { message: 'Constant multiplicative factor expected to be between 0 and 1.' });
    assert.throws(() => new S.LinearLR(opt, { startFactor: -1 }), { message: 'Starting multiplicative factor expected to be between 0 and 1.' });
    assert.throws(() => new S.LambdaLR(opt, [(e) => e]), { message: 'Expected 2 lr_lambdas, but got 1' });
    assert.throws(() => new S.CosineAnnealingWarmRestarts(opt, 0), { message: 'Expected positive integer T_0, but got 0' });
    assert.throws(() => new S.CosineAnnealingWarmRestarts(opt, 2, { TMult: 0 }), { message: 'Expected integer T_mult >= 1, but got 0' });
    assert.throws(() => new S.OneCycleLR(opt, 0.1), { message: 'You must define either totalSteps OR (epochs AND stepsPerEpoch)' });
    assert.throws(() => new S.OneCycleLR(opt, 0.1, { totalSteps: 10, pctStart: 1.5 }), { message: 'Expected float between 0 and 1 pct_start, but got 1.5' });
    assert.throws(() => new S.ReduceLROnPlateau(opt, { factor: 1 }), { message: 'Factor should be < 1.0.' });
    assert.throws(() => new S.CosineAnnealingLR(opt, 10, { eta_min: 0.1 } as unknown as optim.lrScheduler.CosineOptions), {
      name: 'TypeError', message: "CosineAnnealingLR: unknown option 'eta_min' (did you mean 'etaMin'?)",
    });
    assert.throws(() => new S.ReduceLROnPlateau(opt, { minLr: [0.1] }), { message: 'expected 2 min_lrs, got 1' });
    // Arguments bound as Python binds them: by position, then by name, once each, the required ones given.
    const untyped = S as unknown as Record<string, new (...args: unknown[]) => unknown>;
    assert.throws(() => new untyped.StepLR(opt), { name: 'TypeError', message: "StepLR: missing 1 required argument: 'stepSize'" });
    assert.throws(() => new untyped.StepLR(opt, { gamma: 0.5 }), { name: 'TypeError', message: "StepLR: missing 1 required argument: 'stepSize'" });
    assert.throws(() => new untyped.StepLR(opt, 3, { stepSize: 4 }), { name: 'TypeError', message: "StepLR: got multiple values for argument 'stepSize'" });
    assert.throws(() => new untyped.StepLR(opt, { step_size: 4 }), { name: 'TypeError', message: "StepLR: unknown option 'step_size' (did you mean 'stepSize'?)" });
    assert.throws(() => new untyped.ExponentialLR(opt, 0.9, -1, false, 3), {
      name: 'TypeError', message: 'ExponentialLR: takes at most 3 positional arguments after the first (gamma, lastEpoch, verbose), but 4 were given',
    });
    assert.throws(() => new untyped.CyclicLR(opt, 0.01), { name: 'TypeError', message: "CyclicLR: missing 1 required argument: 'maxLr'" });
    assert.throws(() => new untyped.SequentialLR(opt), { name: 'TypeError', message: "SequentialLR: missing 2 required arguments: 'schedulers' and 'milestones'" });
    assert.throws(() => new (optim as unknown as Record<string, new (...args: unknown[]) => unknown>).SGD(problem.makeParams(), 0.1, { lr: 0.2 }), {
      name: 'TypeError', message: "SGD: got multiple values for argument 'lr'",
    });
    assert.throws(() => new untyped.StepLR(opt, { stepSize: 2 }, 0.5), {
      name: 'TypeError', message: 'StepLR: the options object must come last, after the positional arguments (stepSize, gamma, lastEpoch, verbose)',
    });
    // An options object may be any object, as before: a class instance too.
    class Config {
      factor = 0.5;
      totalIters = 2;
    }
    assert.deepStrictEqual(new S.ConstantLR(tsOptimizer(problem.makeParams()), new Config()).getLastLr(), [0.025, 0.05]);
    assert.throws(() => new S.StepLR(new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 1 }), 3, { lastEpoch: 4 }), {
      message: "param 'initial_lr' is not specified in paramGroups[0] when resuming an optimizer",
    });
    const adam = tsOptimizer(problem.makeParams(), true);
    assert.throws(() => new S.CyclicLR(adam, 0.01, 0.1), { message: 'optimizer must support momentum with `cycle_momentum` option enabled' });
    const oneOpt = tsOptimizer(problem.makeParams());
    const one = new S.OneCycleLR(oneOpt, 0.1, { totalSteps: 2 });
    for (let i = 0; i < 2; i++) {
      oneOpt.step();
      one.step();
    }
    assert.throws(() => one.step(), { message: 'Tried to step 4 times. The specified number of total steps is 2' });
  });

  it('sets initialLr in the groups and restores the order check of optimizer.step()', function () {
    const opt = tsOptimizer(problem.makeParams());
    const sched = new S.StepLR(opt, 2);
    assert.deepStrictEqual(opt.paramGroups.map((g) => g.initialLr), [0.05, 0.1]);
    assert.deepStrictEqual(sched.getLastLr(), [0.05, 0.1]);
    assert.strictEqual(opt._stepCount, 0);
    opt.step();
    assert.strictEqual(opt._stepCount, 1);
    assert.strictEqual(opt.stateDict().param_groups[0].initial_lr, 0.05);
  });
});
