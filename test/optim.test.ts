// Every optimizer against torch.optim: the same problem, the same initial weights, 50 steps, the same
// parameter trajectories; with weight decay, frozen parameters (no grad), parameter groups, a live lr change,
// a group added mid-training, and state dicts carried both ways between Python and torch-node.
import * as assert from 'assert';
import * as torch from '../lib';
import { optim, Tensor } from '../lib';
import { py, requirePython, assertClose } from './helpers/python';
import { PY_PROBLEM, Problem, fromPy, toPyJson, assertTrajectory, countDifferences, flatValues } from './optim_helpers';

interface Case {
  name: string;
  /** The Python constructor, over the parameter list `p` (p[5] never gets a gradient). */
  py: string;
  ts: (p: Tensor[]) => optim.Optimizer;
  closure?: boolean;
  /** Step at which p[4] joins as a new parameter group (it is left out of the constructor). */
  addAt?: number;
}

// Two groups: the first layer with its own options, the rest (with the frozen p[5]) on the defaults.
const G = (first: string) => `[{'params': p[:2]${first}}, {'params': p[2:]}]`;
const g = (p: Tensor[], first: Record<string, unknown> = {}) => [{ params: p.slice(0, 2), ...first }, { params: p.slice(2) }];

const CASES: Case[] = [
  { name: 'SGD', py: 'torch.optim.SGD(p, lr=0.1)', ts: (p) => new optim.SGD(p, { lr: 0.1 }) },
  {
    name: 'SGD momentum, dampening, weight decay, groups',
    py: `torch.optim.SGD(${G(", 'lr': 0.05, 'momentum': 0.5")}, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)`,
    ts: (p) => new optim.SGD(g(p, { lr: 0.05, momentum: 0.5 }), { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }),
  },
  {
    name: 'SGD nesterov',
    py: 'torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001)',
    ts: (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.001 }),
  },
  {
    name: 'SGD maximize',
    py: 'torch.optim.SGD(p, lr=0.001, momentum=0.5, maximize=True)',
    ts: (p) => new optim.SGD(p, { lr: 0.001, momentum: 0.5, maximize: true }),
  },
  {
    name: 'SGD with a group added at step 20',
    py: 'torch.optim.SGD(p[:4] + p[5:], lr=0.1, momentum=0.9)',
    ts: (p) => new optim.SGD([...p.slice(0, 4), p[5]], { lr: 0.1, momentum: 0.9 }),
    addAt: 20,
  },
  {
    name: 'SGD with its options by position',
    py: 'torch.optim.SGD(p, 0.05, 0.9, 0.1, weight_decay=0.01)',
    ts: (p) => new optim.SGD(p, 0.05, 0.9, 0.1, { weightDecay: 0.01 }),
  },
  { name: 'Adam', py: 'torch.optim.Adam(p, lr=0.01)', ts: (p) => new optim.Adam(p, { lr: 0.01 }) },
  { name: 'Adam with its options by position', py: 'torch.optim.Adam(p, 0.02, (0.8, 0.99), 1e-6)', ts: (p) => new optim.Adam(p, 0.02, [0.8, 0.99], 1e-6) },
  {
    name: 'Adam amsgrad, weight decay, groups',
    py: `torch.optim.Adam(${G(", 'lr': 0.02, 'betas': (0.8, 0.99)")}, lr=0.01, amsgrad=True, weight_decay=0.01)`,
    ts: (p) => new optim.Adam(g(p, { lr: 0.02, betas: [0.8, 0.99] }), { lr: 0.01, amsgrad: true, weightDecay: 0.01 }),
  },
  {
    name: 'Adam maximize',
    py: 'torch.optim.Adam(p, lr=0.005, maximize=True, eps=1e-6)',
    ts: (p) => new optim.Adam(p, { lr: 0.005, maximize: true, eps: 1e-6 }),
  },
  { name: 'AdamW', py: 'torch.optim.AdamW(p, lr=0.01)', ts: (p) => new optim.AdamW(p, { lr: 0.01 }) },
  {
    name: 'AdamW amsgrad, groups',
    py: `torch.optim.AdamW(${G(", 'weight_decay': 0.1")}, lr=0.01, amsgrad=True)`,
    ts: (p) => new optim.AdamW(g(p, { weightDecay: 0.1 }), { lr: 0.01, amsgrad: true }),
  },
  { name: 'RMSprop', py: 'torch.optim.RMSprop(p, lr=0.01)', ts: (p) => new optim.RMSprop(p, { lr: 0.01 }) },
  {
    name: 'RMSprop centered, momentum, weight decay, groups',
    py: `torch.optim.RMSprop(${G(", 'centered': False, 'momentum': 0")}, lr=0.005, alpha=0.9, centered=True, momentum=0.9, weight_decay=0.01)`,
    ts: (p) => new optim.RMSprop(g(p, { centered: false, momentum: 0 }), { lr: 0.005, alpha: 0.9, centered: true, momentum: 0.9, weightDecay: 0.01 }),
  },
  {
    name: 'RMSprop maximize',
    py: 'torch.optim.RMSprop(p, lr=0.001, maximize=True)',
    ts: (p) => new optim.RMSprop(p, { lr: 0.001, maximize: true }),
  },
  {
    name: 'Adagrad lr decay, weight decay, initial accumulator',
    py: 'torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1)',
    ts: (p) => new optim.Adagrad(p, { lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1 }),
  },
  {
    name: 'Adagrad maximize, groups',
    py: `torch.optim.Adagrad(${G(", 'lr': 0.05")}, lr=0.01, maximize=True)`,
    ts: (p) => new optim.Adagrad(g(p, { lr: 0.05 }), { lr: 0.01, maximize: true }),
  },
  { name: 'Adadelta', py: 'torch.optim.Adadelta(p)', ts: (p) => new optim.Adadelta(p) },
  {
    name: 'Adadelta weight decay, maximize',
    py: 'torch.optim.Adadelta(p, lr=0.5, rho=0.8, weight_decay=0.01, maximize=True)',
    ts: (p) => new optim.Adadelta(p, { lr: 0.5, rho: 0.8, weightDecay: 0.01, maximize: true }),
  },
  {
    name: 'Adamax weight decay, groups',
    py: `torch.optim.Adamax(${G(", 'lr': 0.005")}, lr=0.01, weight_decay=0.01)`,
    ts: (p) => new optim.Adamax(g(p, { lr: 0.005 }), { lr: 0.01, weightDecay: 0.01 }),
  },
  { name: 'Adamax maximize', py: 'torch.optim.Adamax(p, maximize=True)', ts: (p) => new optim.Adamax(p, { maximize: true }) },
  { name: 'NAdam', py: 'torch.optim.NAdam(p, lr=0.01)', ts: (p) => new optim.NAdam(p, { lr: 0.01 }) },
  {
    name: 'NAdam weight decay, momentum decay, groups',
    py: `torch.optim.NAdam(${G(", 'momentum_decay': 0.01")}, lr=0.01, weight_decay=0.01)`,
    ts: (p) => new optim.NAdam(g(p, { momentumDecay: 0.01 }), { lr: 0.01, weightDecay: 0.01 }),
  },
  { name: 'RAdam', py: 'torch.optim.RAdam(p, lr=0.01)', ts: (p) => new optim.RAdam(p, { lr: 0.01 }) },
  {
    name: 'RAdam weight decay, groups',
    py: `torch.optim.RAdam(${G(", 'betas': (0.9, 0.99)")}, lr=0.01, weight_decay=0.01)`,
    ts: (p) => new optim.RAdam(g(p, { betas: [0.9, 0.99] }), { lr: 0.01, weightDecay: 0.01 }),
  },
  {
    name: 'LBFGS',
    py: 'torch.optim.LBFGS(p, lr=0.5, max_iter=4, history_size=5)',
    ts: (p) => new optim.LBFGS(p, { lr: 0.5, maxIter: 4, historySize: 5 }),
    closure: true,
  },
  {
    name: 'LBFGS strong Wolfe',
    py: "torch.optim.LBFGS(p, lr=1, max_iter=3, history_size=4, line_search_fn='strong_wolfe')",
    ts: (p) => new optim.LBFGS(p, { lr: 1, maxIter: 3, historySize: 4, lineSearchFn: 'strong_wolfe' }),
    closure: true,
  },
];

// Cases whose state dicts travel between Python and torch-node in the middle of training.
const RESUME = ['SGD momentum, dampening, weight decay, groups', 'Adam amsgrad, weight decay, groups', 'RMSprop centered, momentum, weight decay, groups',
  'Adagrad maximize, groups', 'Adadelta', 'Adamax weight decay, groups', 'NAdam', 'RAdam weight decay, groups', 'AdamW', 'LBFGS strong Wolfe'];

const pyCase = (c: Case) => `p = make_params()\nopt = ${c.py}`;

describe('optim: optimizers against PyTorch', function () {
  let ref: Record<string, unknown>;
  let problem: Problem;
  let is113: boolean;

  before(function () {
    requirePython(this);
    let code = PY_PROBLEM;
    for (const c of CASES) {
      const opts = `closure=${c.closure ? 'True' : 'False'}, add_at=${c.addAt ?? 'None'}`;
      code += `
${pyCase(c)}
traj, _ = train(p, opt, 50, ${opts})
emit(${JSON.stringify(c.name)}, torch.stack(traj))
emit(${JSON.stringify(c.name + ':sd')}, opt.state_dict())
`;
      if (RESUME.includes(c.name)) {
        code += `
${pyCase(c)}
train(p, opt, 25, ${opts})
emit(${JSON.stringify(c.name + ':mid')}, opt.state_dict())
emit(${JSON.stringify(c.name + ':midp')}, [q.detach() for q in p])
`;
      }
    }
    ref = py(code);
    problem = new Problem(ref);
    is113 = String(ref.version).startsWith('1.13');
  });

  for (const c of CASES) {
    it(`${c.name}: 50 steps follow PyTorch's trajectory`, function () {
      const p = problem.makeParams();
      const opt = c.ts(p);
      const { traj } = problem.train(p, opt, 50, { closure: c.closure, addAt: c.addAt });
      assertTrajectory(traj, ref[c.name], c.name);
      // The frozen parameter (never a gradient) is untouched and has no state.
      assert.deepStrictEqual(flatValues([p[5]]), flatValues([problem.init[5]]));
      if (!c.name.startsWith('Adagrad') && !c.name.startsWith('LBFGS')) assert.strictEqual(opt.state.get(p[5]), undefined);
      // With the same ATen kernels, the update is PyTorch 1.13's bit for bit.
      if (is113) assert.strictEqual(countDifferences(traj, ref[c.name]), 0, 'bit-identical to PyTorch 1.13');
    });
  }

  it("stateDict() has PyTorch's structure and values", function () {
    for (const c of CASES) {
      const p = problem.makeParams();
      const opt = c.ts(p);
      problem.train(p, opt, 50, { closure: c.closure, addAt: c.addAt });
      const sd = opt.stateDict();
      const want = ref[`${c.name}:sd`] as { state: Record<string, Record<string, unknown>>; param_groups: Record<string, unknown>[] };
      assert.strictEqual(sd.param_groups.length, want.param_groups.length, c.name);
      sd.param_groups.forEach((group, i) => {
        const w = want.param_groups[i];
        if (is113) assert.deepStrictEqual(Object.keys(group).sort(), Object.keys(w).sort(), `${c.name}: group ${i} keys`);
        for (const [k, v] of Object.entries(w)) {
          if (!(k in group)) continue;
          const mine = group[k];
          if (typeof v === 'number') assert.ok(Math.abs((mine as number) - v) <= 1e-12 * Math.abs(v), `${c.name}: ${k}`);
          else assert.deepStrictEqual(mine, v, `${c.name}: group ${i} ${k}`);
        }
      });
      assert.deepStrictEqual(Array.from(sd.state.keys()).map(String).sort(), Object.keys(want.state).sort(), `${c.name}: state keys`);
      for (const [index, s] of sd.state) {
        const w = want.state[String(index)];
        if (is113) assert.deepStrictEqual(Object.keys(s).sort(), Object.keys(w).sort(), `${c.name}: state ${index} keys`);
        for (const [k, v] of Object.entries(w)) {
          const mine = s[k];
          if (mine instanceof Tensor) {
            const got = Array.from(mine.to('float64').dataSync() as Float64Array);
            const exp = (v as { data: number[] }).data;
            got.forEach((x, j) => assert.ok(Math.abs(x - exp[j]) <= 1e-6 + 1e-4 * Math.abs(exp[j]), `${c.name}: state ${index}.${k}[${j}]`));
          } else if (typeof mine === 'number' && typeof v === 'number') {
            assert.ok(Math.abs(mine - v) <= 1e-6 * Math.abs(v) + 1e-12, `${c.name}: state ${index}.${k}`);
          } else if (mine === null || typeof mine !== 'object') {
            assert.deepStrictEqual(mine, v, `${c.name}: state ${index}.${k}`);
          }
        }
      }
    }
  });

  it("resumes from PyTorch's state dict in the middle of training", function () {
    for (const name of RESUME) {
      const c = CASES.find((x) => x.name === name) as Case;
      const mid = fromPy(ref[`${name}:midp`]) as Tensor[];
      const p = problem.makeParams(mid);
      const opt = c.ts(p);
      opt.loadStateDict(fromPy(ref[`${name}:mid`]) as optim.OptimizerStateDict);
      const { traj } = problem.train(p, opt, 25, { closure: c.closure, start: 25 });
      const full = ref[name] as { shape: number[]; data: number[] };
      const tail = { __tensor__: true, shape: [25, full.shape[1]], dtype: 'float32', data: full.data.slice(25 * full.shape[1]) };
      assertTrajectory(traj, tail, `${name} resumed`);
    }
  });

  it('resumes bit for bit from its own state dict (stateDict -> new optimizer -> loadStateDict)', function () {
    for (const name of RESUME) {
      const c = CASES.find((x) => x.name === name) as Case;
      const p1 = problem.makeParams();
      const o1 = c.ts(p1);
      const straight = problem.train(p1, o1, 50, { closure: c.closure }).traj;
      const p2 = problem.makeParams();
      const o2 = c.ts(p2);
      const first = problem.train(p2, o2, 25, { closure: c.closure }).traj;
      const sd = o2.stateDict();
      const p3 = problem.makeParams(p2);
      const o3 = c.ts(p3);
      o3.loadStateDict(sd);
      const second = problem.train(p3, o3, 25, { closure: c.closure, start: 25 }).traj;
      assert.deepStrictEqual([...first, ...second], straight, name);
    }
  });

  it('PyTorch resumes from our state dict (load_state_dict accepts its structure)', function () {
    let code = PY_PROBLEM;
    const expected: Record<string, number[][]> = {};
    for (const name of RESUME) {
      const c = CASES.find((x) => x.name === name) as Case;
      const p = problem.makeParams();
      const opt = c.ts(p);
      problem.train(p, opt, 25, { closure: c.closure });
      expected[name] = problem.train(p, opt, 25, { closure: c.closure, start: 25 }).traj;
      const p2 = problem.makeParams();
      const o2 = c.ts(p2);
      problem.train(p2, o2, 25, { closure: c.closure });
      code += `
p = [t.clone().requires_grad_(True) for t in _dec(json.loads(${JSON.stringify(toPyJson(p2))}))]
opt = ${c.py}
opt.load_state_dict(_dec(json.loads(${JSON.stringify(toPyJson(o2.stateDict()))})))
traj, _ = train(p, opt, 25, closure=${c.closure ? 'True' : 'False'}, start=25)
emit(${JSON.stringify(name)}, torch.stack(traj))
`;
    }
    const back = py(code);
    for (const name of RESUME) assertTrajectory(expected[name], back[name], `${name} resumed in Python`);
  });
});

describe('optim: large parameters (updated in pieces across threads)', function () {
  // 300007 values: cut into pieces of 131072 with a ragged end; a 600x512 matrix beside it.
  const LARGE: [string, string, (p: Tensor[]) => optim.Optimizer][] = [
    ['SGD nesterov', 'torch.optim.SGD(p, lr=0.001, momentum=0.9, nesterov=True, weight_decay=0.01)', (p) => new optim.SGD(p, { lr: 0.001, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
    ['SGD maximize', 'torch.optim.SGD(p, lr=0.0001, momentum=0.5, dampening=0.5, maximize=True)', (p) => new optim.SGD(p, { lr: 0.0001, momentum: 0.5, dampening: 0.5, maximize: true })],
    ['Adam', 'torch.optim.Adam(p, lr=0.01, amsgrad=True, weight_decay=0.1, maximize=True)', (p) => new optim.Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 0.1, maximize: true })],
    ['AdamW', 'torch.optim.AdamW(p, lr=0.01)', (p) => new optim.AdamW(p, { lr: 0.01 })],
    ['RMSprop', 'torch.optim.RMSprop(p, lr=0.01, centered=True, momentum=0.5, weight_decay=0.01)', (p) => new optim.RMSprop(p, { lr: 0.01, centered: true, momentum: 0.5, weightDecay: 0.01 })],
    ['Adagrad', 'torch.optim.Adagrad(p, lr=0.1, weight_decay=0.01, maximize=True)', (p) => new optim.Adagrad(p, { lr: 0.1, weightDecay: 0.01, maximize: true })],
    ['Adadelta', 'torch.optim.Adadelta(p, weight_decay=0.01)', (p) => new optim.Adadelta(p, { weightDecay: 0.01 })],
    ['Adamax', 'torch.optim.Adamax(p, weight_decay=0.01, maximize=True)', (p) => new optim.Adamax(p, { weightDecay: 0.01, maximize: true })],
    ['NAdam', 'torch.optim.NAdam(p, weight_decay=0.01)', (p) => new optim.NAdam(p, { weightDecay: 0.01 })],
    ['RAdam', 'torch.optim.RAdam(p, weight_decay=0.01)', (p) => new optim.RAdam(p, { weightDecay: 0.01 })],
  ];
  const STEPS = 5;
  let ref: Record<string, unknown>;
  const decode = (b64: unknown) => {
    const buf = Buffer.from(b64 as string, 'base64');
    return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  };

  before(function () {
    requirePython(this);
    let code = `
import base64
torch.set_num_threads(2)
torch.manual_seed(1)
init = [torch.randn(300007), torch.randn(600, 512) * 0.1]
target = [torch.randn(300007), torch.randn(600, 512)]
b64 = lambda t: base64.b64encode(t.detach().contiguous().numpy().tobytes()).decode()
emit('init', [b64(t) for t in init])
emit('target', [b64(t) for t in target])
emit('version', torch.__version__)
def loss(p):
    return sum(((q - t) ** 2 * (1 + q.abs())).sum() for q, t in zip(p, target))
`;
    for (const [name, pyOpt] of LARGE) {
      code += `
p = [t.clone().requires_grad_(True) for t in init]
opt = ${pyOpt}
for _ in range(${STEPS}):
    opt.zero_grad()
    loss(p).backward()
    opt.step()
emit(${JSON.stringify(name)}, [b64(q) for q in p])
`;
    }
    ref = py(code);
  });

  for (const [name, , make] of LARGE) {
    it(`${name} gives PyTorch's values (bit for bit against PyTorch 1.13)`, function () {
      const shapes = [[300007], [600, 512]];
      const init = (ref.init as string[]).map((b, i) => torch.tensor(decode(b)).reshape(shapes[i]));
      const target = (ref.target as string[]).map((b, i) => torch.tensor(decode(b)).reshape(shapes[i]));
      const p = init.map((t) => t.clone().requiresGrad_(true));
      const opt = make(p);
      for (let s = 0; s < STEPS; s++) {
        opt.zeroGrad();
        p.map((q, i) => q.sub(target[i]).pow(2).mul(q.abs().add(1)).sum()).reduce((a, b) => a.add(b)).backward();
        opt.step();
      }
      (ref[name] as string[]).forEach((b, i) => {
        const want = decode(b);
        const got = p[i].detach().reshape([-1]).dataSync() as Float32Array;
        assert.strictEqual(got.length, want.length);
        // PyTorch 2.x rewrote some updates (Adam uses lerp_): there, float tolerance.
        const exact = String(ref.version).startsWith('1.13');
        let differing = 0;
        let first = -1;
        for (let j = 0; j < got.length; j++) {
          const same = exact ? Object.is(got[j], want[j]) : Math.abs(got[j] - want[j]) <= 1e-5 + 1e-4 * Math.abs(want[j]);
          if (!same) {
            differing++;
            if (first < 0) first = j;
          }
        }
        assert.strictEqual(differing, 0, `${name}: parameter ${i} differs at ${differing} values (first at ${first}: ${got[first]} vs ${want[first]})`);
      });
    });
  }
});

describe('optim: Optimizer behaviour', function () {
  const params = () => [torch.tensor([1, 2], { requiresGrad: true }), torch.tensor([[3]], { requiresGrad: true })];

  it("validates hyperparameters with PyTorch's messages", function () {
    const p = params();
    assert.throws(() => new optim.SGD(p, { lr: -1 }), { name: 'RangeError', message: 'Invalid learning rate: -1' });
    assert.throws(() => new optim.SGD(p, { lr: 0.1, momentum: -0.5 }), { name: 'RangeError', message: 'Invalid momentum value: -0.5' });
    assert.throws(() => new optim.SGD(p, { lr: 0.1, weightDecay: -1 }), { message: 'Invalid weight_decay value: -1' });
    assert.throws(() => new optim.SGD(p, { lr: 0.1, nesterov: true }), { message: 'Nesterov momentum requires a momentum and zero dampening' });
    assert.throws(() => new optim.Adam(p, { betas: [1, 0.9] }), { message: 'Invalid beta parameter at index 0: 1' });
    assert.throws(() => new optim.Adam(p, { betas: [0.9, -0.1] }), { message: 'Invalid beta parameter at index 1: -0.1' });
    assert.throws(() => new optim.AdamW(p, { eps: -1 }), { message: 'Invalid epsilon value: -1' });
    assert.throws(() => new optim.RMSprop(p, { alpha: -1 }), { message: 'Invalid alpha value: -1' });
    assert.throws(() => new optim.Adagrad(p, { lrDecay: -1 }), { message: 'Invalid lr_decay value: -1' });
    assert.throws(() => new optim.Adagrad(p, { initialAccumulatorValue: -1 }), { message: 'Invalid initial_accumulator_value value: -1' });
    assert.throws(() => new optim.Adadelta(p, { rho: 1.5 }), { message: 'Invalid rho value: 1.5' });
    assert.throws(() => new optim.NAdam(p, { momentumDecay: -1 }), { message: 'Invalid momentum_decay value: -1' });
  });

  it('checks its parameters and groups', function () {
    const p = params();
    assert.throws(() => new optim.SGD([], { lr: 0.1 }), { name: 'RangeError', message: 'optimizer got an empty parameter list' });
    assert.throws(() => new optim.SGD(p[0] as unknown as Tensor[], { lr: 0.1 }), { name: 'TypeError', message: /iterable of Tensors or dicts, but got Tensor/ });
    assert.throws(() => new optim.SGD([p[0].mul(2)], { lr: 0.1 }), { name: 'RangeError', message: "can't optimize a non-leaf Tensor" });
    assert.throws(() => new optim.SGD([1, 2] as unknown as Tensor[], { lr: 0.1 }), { name: 'TypeError', message: /can only optimize Tensors/ });
    assert.throws(() => new optim.SGD([{ params: p }]), { message: "parameter group didn't specify a value of required optimization parameter lr" });
    assert.throws(() => new optim.SGD([{ params: p }, { params: [p[0]] }], { lr: 0.1 }), { message: 'some parameters appear in more than one parameter group' });
    assert.throws(() => new optim.SGD(p, { lr: 0.1, weight_decay: 0.1 } as unknown as optim.SGDOptions), { name: 'TypeError', message: /unknown option 'weight_decay' \(did you mean 'weightDecay'\?\)/ });
    assert.throws(() => new optim.SGD([{ params: p, weight_decay: 0.1 }] as unknown as Tensor[], { lr: 0.1 }), { name: 'TypeError', message: /'weight_decay' should be spelled 'weightDecay'/ });
    assert.throws(() => new optim.LBFGS([{ params: [p[0]] }, { params: [p[1]] }]), { message: "LBFGS doesn't support per-parameter options (parameter groups)" });
    assert.throws(() => new optim.LBFGS(p).step(), { name: 'TypeError', message: /requires a closure/ });
    // A group without an lr takes the default; one with its own keeps it; generators work as params.
    function* gen() {
      yield p[1];
    }
    const opt = new optim.SGD([{ params: [p[0]], lr: 0.5, name: 'head' }, { params: gen() }], { lr: 0.1, momentum: 0.9 });
    assert.deepStrictEqual(opt.paramGroups.map((x) => [x.lr, x.momentum, x.params.length]), [[0.5, 0.9, 1], [0.1, 0.9, 1]]);
    // Keys that are not options stay in the group and its state dict, as in Python.
    assert.strictEqual(opt.paramGroups[0].name, 'head');
    assert.strictEqual(opt.stateDict().param_groups[0].name, 'head');
  });

  it('zeroGrad zeroes in place or sets grads to null, by position or by keyword', function () {
    const [a, b] = params();
    const opt = new optim.SGD([a, b], { lr: 0.1 });
    a.mul(b.sum()).sum().backward();
    const ga = a.grad as Tensor;
    opt.zeroGrad(false);
    assert.deepStrictEqual(ga.tolist(), [0, 0], 'zeroed in place');
    assert.deepStrictEqual(a.grad?.tolist(), [0, 0]);
    opt.zeroGrad({ setToNone: true });
    assert.strictEqual(a.grad, null);
    assert.strictEqual(b.grad, null);
    a.sum().backward();
    opt.zeroGrad({ setToNone: false });
    assert.deepStrictEqual((a.grad as Tensor | null)?.tolist(), [0, 0], 'the options object is not read as a truthy setToNone');
    opt.zeroGrad(true);
    assert.throws(() => opt.zeroGrad({ set_to_none: true } as never), /unexpected keyword argument 'set_to_none' \(did you mean 'setToNone'\?\)/);
    // With no grads at all, step() changes nothing.
    opt.step();
    assert.deepStrictEqual(a.tolist(), [1, 2]);
  });

  it("zeroGrad() defaults as the PyTorch of this LibTorch: momentum then moves an unused parameter the same way", function () {
    // PyTorch < 2 zeroes (the zero gradient keeps momentum moving the parameter); 2.x sets None (it stays put).
    requirePython(this);
    const ref = py(`
u = torch.tensor([1., 2.], requires_grad=True); v = torch.tensor([3.], requires_grad=True)
opt = torch.optim.SGD([u, v], lr=0.1, momentum=0.9)
for k in range(4):
    opt.zero_grad()
    ((u * u).sum() if k < 2 else (v * v).sum()).backward()
    opt.step()
emit('u', u); emit('v', v); emit('none', u.grad is None)
`);
    const u = torch.tensor([1, 2], { requiresGrad: true });
    const v = torch.tensor([3], { requiresGrad: true });
    const opt = new optim.SGD([u, v], { lr: 0.1, momentum: 0.9 });
    for (let k = 0; k < 4; k++) {
      opt.zeroGrad();
      (k < 2 ? u.mul(u).sum() : v.mul(v).sum()).backward();
      opt.step();
    }
    assertClose(u, ref.u);
    assertClose(v, ref.v);
    assert.strictEqual(u.grad === null, ref.none);
  });

  it('keeps paramGroups live: changing lr takes effect at the next step', function () {
    const w = torch.tensor([1, 1], { requiresGrad: true });
    const opt = new optim.SGD([w], { lr: 0.1 });
    w.sum().backward();
    opt.step();
    opt.paramGroups[0].lr = 1;
    opt.step();
    assert.deepStrictEqual((w.tolist() as number[]).map((x) => Math.round(x * 1e6) / 1e6), [-0.1, -0.1]);
  });

  it('keeps its state alive across tidy() scopes', function () {
    const w = torch.tensor([1, -2, 3], { requiresGrad: true });
    const opt = new optim.Adam([w], { lr: 0.1 });
    for (let i = 0; i < 3; i++) {
      torch.tidy(() => {
        opt.zeroGrad();
        w.pow(2).sum().backward();
        opt.step();
      });
    }
    const s = opt.state.get(w) as optim.ParamState;
    assert.strictEqual((s.step as Tensor).item(), 3);
    assert.strictEqual((s.exp_avg as Tensor).isDisposed, false);
  });

  it('returns the closure loss from step()', function () {
    const w = torch.tensor([2], { requiresGrad: true });
    const opt = new optim.SGD([w], { lr: 0.25 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = w.pow(2).sum();
      l.backward();
      return l;
    });
    assert.strictEqual((loss as Tensor).item(), 4);
    assert.strictEqual(w.item(), 1);
  });

  it('Adagrad creates state for added groups; loadStateDict checks group sizes', function () {
    const [a, b] = params();
    const opt = new optim.Adagrad([a], { initialAccumulatorValue: 0.5 });
    opt.addParamGroup({ params: [b] });
    assert.deepStrictEqual((opt.state.get(b)?.sum as Tensor).tolist(), [[0.5]]);
    const other = new optim.Adagrad([a, b]);
    assert.throws(() => other.loadStateDict(opt.stateDict()), { message: 'loaded state dict has a different number of parameter groups' });
    const two = new optim.Adagrad([{ params: [a, b] }, { params: [torch.zeros([1], { requiresGrad: true })] }]);
    assert.throws(() => two.loadStateDict(opt.stateDict()), { message: "loaded state dict contains a parameter group that doesn't match the size of optimizer's group" });
  });

  it('prints like PyTorch', function () {
    requirePython(this);
    const ref = py(`
p = [torch.nn.Parameter(torch.ones(1))]
emit('s', [str(torch.optim.SGD(p, lr=0.1, momentum=0.9)), str(torch.optim.Adam(p, lr=0.001, betas=(0.9, 0.99))), str(torch.optim.AdamW(p))])
`);
    const p = [torch.ones([1], { requiresGrad: true })];
    assert.deepStrictEqual(
      [String(new optim.SGD(p, { lr: 0.1, momentum: 0.9 })), String(new optim.Adam(p, { lr: 0.001, betas: [0.9, 0.99] })), String(new optim.AdamW(p))],
      ref.s,
    );
  });
});
