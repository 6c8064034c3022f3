// torch.autograd.Function: custom operations with a backward written in JavaScript, against PyTorch.
import * as assert from 'assert';
import * as path from 'path';
import { Worker } from 'worker_threads';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { FunctionCtx } from '../lib/autograd';
import { py, requirePython, assertClose } from './helpers/python';

const gradOf = (t: Tensor): Tensor => t.grad as Tensor;

// "Learning PyTorch with Examples": PyTorch: Defining new autograd functions.
class LegendrePolynomial3 extends torch.autograd.Function {
  static forward(ctx: FunctionCtx, input: Tensor): Tensor {
    ctx.saveForBackward(input);
    return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5);
  }
  static backward(ctx: FunctionCtx, gradOutput: Tensor): Tensor {
    const [input] = ctx.savedTensors;
    return gradOutput.mul(input.pow(2).mul(15).sub(3).mul(1.5 / 3));
  }
}

const PY_LEGENDRE = `
class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)
    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)
`;

const needsInputGradSeen: boolean[][] = [];

// A forward argument that is not a tensor, kept on ctx (the PyTorch docs' MulConstant).
class MulConstant extends torch.autograd.Function {
  static forward(ctx: FunctionCtx, tensor: Tensor, constant: number): Tensor {
    ctx.constant = constant;
    needsInputGradSeen.push([...ctx.needsInputGrad]);
    return tensor.mul(constant);
  }
  static backward(ctx: FunctionCtx, gradOutput: Tensor): [Tensor, null] {
    return [gradOutput.mul(ctx.constant as number), null];
  }
}

// Two outputs, one not differentiable.
class SortWithIndices extends torch.autograd.Function {
  static forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    const [values, indices] = x.sort();
    ctx.markNonDifferentiable(indices);
    ctx.saveForBackward(indices);
    return [values, indices];
  }
  static backward(ctx: FunctionCtx, gValues: Tensor, gIndices: Tensor | null): Tensor {
    const [indices] = ctx.savedTensors;
    ctx.gIndices = gIndices;
    return torch.zerosLike(gValues).scatter(0, indices, gValues);
  }
}

describe('torch.autograd.Function', function () {
  before(function () {
    requirePython(this);
  });

  it('fits the tutorial\'s Legendre polynomial model as PyTorch does (2000 steps)', function () {
    this.timeout(60000);
    const ref = py(`${PY_LEGENDRE}
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
a = torch.full((), 0.0, requires_grad=True)
b = torch.full((), -1.0, requires_grad=True)
c = torch.full((), 0.0, requires_grad=True)
d = torch.full((), 0.3, requires_grad=True)
lr = 5e-6
P3 = LegendrePolynomial3.apply
for t in range(2000):
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    if t == 0: emit('loss0', loss.item())
    loss.backward()
    with torch.no_grad():
        a -= lr * a.grad; b -= lr * b.grad; c -= lr * c.grad; d -= lr * d.grad
        a.grad = None; b.grad = None; c.grad = None; d.grad = None
emit('loss', loss.item()); emit('abcd', torch.stack([a, b, c, d]))
`);
    const x = torch.linspace(-Math.PI, Math.PI, 2000);
    const y = torch.sin(x);
    const a = torch.full([], 0.0, { requiresGrad: true });
    const b = torch.full([], -1.0, { requiresGrad: true });
    const c = torch.full([], 0.0, { requiresGrad: true });
    const d = torch.full([], 0.3, { requiresGrad: true });
    const lr = 5e-6;
    const P3 = (t: Tensor) => LegendrePolynomial3.apply(t);
    let loss = 0;
    for (let t = 0; t < 2000; t++) {
      torch.tidy(() => {
        const yPred = a.add(b.mul(P3(c.add(d.mul(x)))));
        const l = yPred.sub(y).pow(2).sum();
        if (t === 0) assert.ok(Math.abs(l.item() - (ref.loss0 as number)) < 1e-3 * (ref.loss0 as number));
        l.backward();
        loss = l.item();
        torch.noGrad(() => {
          for (const p of [a, b, c, d]) {
            p.sub_(gradOf(p).mul(lr));
            p.grad = null;
          }
        });
      });
    }
    assert.ok(Math.abs(loss - (ref.loss as number)) < 1e-3 * (ref.loss as number), `loss ${loss} against ${ref.loss}`);
    assertClose(torch.stack([a, b, c, d]), ref.abcd, { rtol: 1e-4, atol: 1e-5 });
  });

  it('names its node after the class, as Python does, and records nothing when no input requires grad', function () {
    const x = torch.tensor([0.5, -1, 2], { requiresGrad: true });
    const y = LegendrePolynomial3.apply(x);
    assert.strictEqual(y.gradFn?.name(), 'LegendrePolynomial3Backward');
    assert.strictEqual(y.requiresGrad, true);
    assert.strictEqual(LegendrePolynomial3.apply(torch.tensor([1, 2])).gradFn, null);
    // `const P3 = LegendrePolynomial3.apply`, as the tutorial writes it, works in JavaScript.
    const detached = LegendrePolynomial3.apply as unknown as (t: Tensor) => Tensor;
    assert.strictEqual(detached(x).gradFn?.name(), 'LegendrePolynomial3Backward');
    const z = torch.noGrad(() => LegendrePolynomial3.apply(x));
    assert.strictEqual(z.gradFn, null);
    assert.strictEqual(z.requiresGrad, false);
  });

  it('passes non-tensor arguments through, with needsInputGrad and ctx attributes, as PyTorch does', function () {
    const ref = py(`
class MulConstant(torch.autograd.Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        ctx.seen = list(ctx.needs_input_grad)
        return tensor * constant
    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = MulConstant.apply(x, 2.5)
(y * y).sum().backward()
emit('y', y); emit('g', x.grad); emit('seen', y.grad_fn.seen)
`);
    const x = torch.tensor([1.0, -2.0, 3.0], { requiresGrad: true });
    const y = MulConstant.apply(x, 2.5);
    y.mul(y).sum().backward();
    assertClose(y, ref.y);
    assertClose(gradOf(x), ref.g);
    assert.deepStrictEqual(needsInputGradSeen.at(-1), ref.seen);
  });

  it('gives non-differentiable outputs zeros in backward, or null without materialized grads', function () {
    const ref = py(`
class SortWithIndices(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        values, indices = x.sort()
        ctx.mark_non_differentiable(indices)
        ctx.save_for_backward(indices)
        return values, indices
    @staticmethod
    def backward(ctx, g_values, g_indices):
        indices, = ctx.saved_tensors
        return torch.zeros_like(g_values).scatter(0, indices, g_values)
x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, i = SortWithIndices.apply(x)
(v * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
emit('v', v); emit('i', i); emit('g', x.grad); emit('rg', [v.requires_grad, i.requires_grad])
`);
    const x = torch.tensor([3.0, 1.0, 2.0], { requiresGrad: true });
    const [v, i] = SortWithIndices.apply(x);
    v.mul(torch.tensor([1, 10, 100])).sum().backward();
    assertClose(v, ref.v);
    assertClose(i, ref.i);
    assertClose(gradOf(x), ref.g);
    assert.deepStrictEqual([v.requiresGrad, i.requiresGrad], ref.rg);

    // The grad of the unused output: zeros by default, null once materialization is off.
    const seen: (Tensor | null)[] = [];
    const keepBackward = (ctx: FunctionCtx, gValues: Tensor | null, gIndices: Tensor | null): Tensor | null => {
      seen.push(gIndices);
      return gValues;
    };
    class Keep extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
        return SortWithIndices.forward(ctx, x);
      }
      static backward = keepBackward;
    }
    const [v2] = Keep.apply(x);
    v2.sum().backward();
    assert.deepStrictEqual((seen[0] as Tensor).tolist(), [0, 0, 0]);
    class NoMaterialize extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
        ctx.setMaterializeGrads(false);
        return SortWithIndices.forward(ctx, x);
      }
      static backward = keepBackward;
    }
    const [v3] = NoMaterialize.apply(x);
    v3.sum().backward();
    assert.strictEqual(seen[1], null);
  });

  it('handles inputs modified in place (markDirty) and inputs returned as they are, as PyTorch does', function () {
    const ref = py(`
class Double(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        a.mul_(2); ctx.mark_dirty(a); return a
    @staticmethod
    def backward(ctx, g): return g * 2
class Ident(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a): return a
    @staticmethod
    def backward(ctx, g): return g * 3
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
h = x * 1
p = h.pow(2)
o = Double.apply(h)
emit('fn', [o.grad_fn.name(), h.grad_fn.name()]); emit('o', o)
emit('stale', err(lambda: p.sum().backward()))
o.sum().backward(); emit('g', x.grad)
emit('leaf', err(lambda: Double.apply(x)))
x.grad = None
i = Ident.apply(x)
emit('ifn', [i.grad_fn.name(), x.grad_fn])
i.sum().backward(); emit('ig', x.grad)
`);
    class Double extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        a.mul_(2);
        ctx.markDirty(a);
        return a;
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(2);
      }
    }
    class Ident extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        return a;
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(3);
      }
    }
    const x = torch.tensor([0.5, -1.0, 2.0], { requiresGrad: true });
    const h = x.mul(1);
    const p = h.pow(2);
    const o = Double.apply(h);
    assert.deepStrictEqual([o.gradFn?.name(), h.gradFn?.name()], ref.fn);
    assertClose(o, ref.o);
    // pow saved h at version 0; markDirty and mul_ each bumped it, which PyTorch's message spells out.
    assert.throws(() => p.sum().backward(), (e: unknown) => e instanceof torch.TorchError && e.message === ref.stale);
    o.sum().backward();
    assertClose(gradOf(x), ref.g);
    assert.throws(() => Double.apply(x), (e: unknown) => e instanceof torch.TorchError && e.message === ref.leaf);
    x.grad = null;
    const i = Ident.apply(x);
    assert.deepStrictEqual([i.gradFn?.name(), x.gradFn], ref.ifn);
    i.sum().backward();
    assertClose(gradOf(x), ref.ig);
  });

  it('joins the graph at its inputs as they were before forward modified them, as Python does', function () {
    const ref = py(`
class Scale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        a.mul_(2)
        return a * 3
    @staticmethod
    def backward(ctx, g): return g * 3
x = torch.tensor([1.0, 2.0], requires_grad=True)
u = (x * 1).unbind(0)
Scale.apply(u[0]).backward()
emit('g', x.grad)
`);
    class Scale extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        a.mul_(2);
        return a.mul(3);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(3);
      }
    }
    const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
    const u = x.mul(1).unbind(0);
    Scale.apply(u[0]).backward();
    assertClose(gradOf(x), ref.g);
  });

  it('differentiates twice when its backward is made of differentiable operations', function () {
    const ref = py(`${PY_LEGENDRE}
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = LegendrePolynomial3.apply(x).sum()
g, = torch.autograd.grad(y, x, create_graph=True)
g.sum().backward()
emit('g', g); emit('gg', x.grad)
`);
    const x = torch.tensor([0.5, -1.0, 2.0], { requiresGrad: true });
    const y = LegendrePolynomial3.apply(x).sum();
    const [g] = torch.autograd.grad(y, x, { createGraph: true });
    (g as Tensor).sum().backward();
    assertClose(g as Tensor, ref.g);
    assertClose(gradOf(x), ref.gg);
  });

  it('raises PyTorch\'s errors for wrong gradients and a second backward, and the backward\'s own exception', function () {
    const ref = py(`
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
class TooFew(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b): return a * b
    @staticmethod
    def backward(ctx, g): return g
class NotNone(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, k): return a * k
    @staticmethod
    def backward(ctx, g): return g, g
class WrongShape(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a): return a * 2
    @staticmethod
    def backward(ctx, g): return torch.ones(4)
${PY_LEGENDRE}
y = LegendrePolynomial3.apply(x).sum()
y.backward()
emit('twice', err(lambda: y.backward()))
emit('few', err(lambda: TooFew.apply(x, x).sum().backward()))
emit('none', err(lambda: NotNone.apply(x, 2).sum().backward()))
emit('shape', err(lambda: WrongShape.apply(x).sum().backward()))
class TooMany(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a): return a * 2
    @staticmethod
    def backward(ctx, g): return g, 5
emit('many', err(lambda: TooMany.apply(x).sum().backward()))
class NotATensor(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a): return a * 2
    @staticmethod
    def backward(ctx, g): return 3
emit('type', err(lambda: NotATensor.apply(x).sum().backward()))
`);
    const x = torch.tensor([0.5, -1.0, 2.0], { requiresGrad: true });
    const is = (message: unknown) => (e: unknown) => e instanceof torch.TorchError && e.message === message;
    const y = LegendrePolynomial3.apply(x).sum();
    y.backward();
    assert.throws(() => y.backward(), is(ref.twice));
    class TooFew extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor, b: Tensor): Tensor {
        return a.mul(b);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g;
      }
    }
    class NotNone extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor, k: number): Tensor {
        return a.mul(k);
      }
      static backward(ctx: FunctionCtx, g: Tensor): [Tensor, Tensor] {
        return [g, g];
      }
    }
    class WrongShape extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        return a.mul(2);
      }
      static backward(): Tensor {
        return torch.ones(4);
      }
    }
    assert.throws(() => TooFew.apply(x, x).sum().backward(), is(ref.few));
    assert.throws(() => NotNone.apply(x, 2).sum().backward(), is(ref.none));
    assert.throws(() => WrongShape.apply(x).sum().backward(), is(ref.shape));

    // What backward throws reaches the caller of backward() as it was thrown.
    const mine = new RangeError('from backward');
    class Throws extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        return a.mul(2);
      }
      static backward(): Tensor {
        throw mine;
      }
    }
    assert.throws(() => Throws.apply(x).sum().backward(), (e: unknown) => e === mine);
    class NotATensor extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        return a.mul(2);
      }
      static backward(): unknown {
        return 3;
      }
    }
    // After the count check (as TooMany below shows: two for one input), with Python's type names.
    assert.throws(() => NotATensor.apply(x).sum().backward(), is(ref.type));
    class TooMany extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        return a.mul(2);
      }
      static backward(ctx: FunctionCtx, g: Tensor): unknown[] {
        return [g, 5];
      }
    }
    assert.throws(() => TooMany.apply(x).sum().backward(), is(ref.many));
    // null and undefined thrown by backward reach the caller as thrown, too.
    class ThrowsNull extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        return a.mul(2);
      }
      static backward(): Tensor {
        throw null;
      }
    }
    assert.throws(() => ThrowsNull.apply(x).sum().backward(), (e: unknown) => e === null);
    assert.throws(() => torch.autograd.grad(ThrowsNull.apply(x).sum(), x), (e: unknown) => e === null);
    // Read after the graph has gone, or from a function applied without a graph: Python's message.
    let kept: FunctionCtx | undefined;
    class Keeps extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        ctx.saveForBackward(a);
        kept = ctx;
        return a.mul(2);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g;
      }
    }
    torch.noGrad(() => Keeps.apply(x));
    assert.throws(() => (kept as FunctionCtx).savedTensors, is(ref.twice));
    // An argument error inside the engine (a disposed gradient) is a TypeError, and the engine is left clean.
    class ReturnsDisposed extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        return a.mul(2);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        const d = g.mul(1);
        d.dispose();
        return d;
      }
    }
    assert.throws(() => ReturnsDisposed.apply(x).sum().backward(), (e: unknown) => e instanceof TypeError && /disposed/.test(e.message));
    // The graph still works after all of that.
    x.grad = null;
    LegendrePolynomial3.apply(x).sum().backward();
    assert.strictEqual(gradOf(x).shape.length, 1);
  });

  it('rejects a forward that throws or awaits, and bad ctx arguments, without a graph', function () {
    const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
    const oops = new Error('forward failed');
    class Throws extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        throw oops;
      }
      static backward(): null {
        return null;
      }
    }
    assert.throws(() => Throws.apply(x), (e: unknown) => e === oops);
    class Async extends torch.autograd.Function {
      static async forward(ctx: FunctionCtx, a: Tensor): Promise<Tensor> {
        return a;
      }
      static backward(): null {
        return null;
      }
    }
    assert.throws(() => Async.apply(x), /Async.forward must return its outputs, not a Promise/);
    class BadSave extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        ctx.saveForBackward(3 as unknown as Tensor);
        return a;
      }
      static backward(): null {
        return null;
      }
    }
    assert.throws(() => BadSave.apply(x), /saveForBackward\(\): argument 0 must be a Tensor or null, but received 3/);
    class ReturnsDisposed extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        const y = a.mul(2);
        y.dispose();
        return y;
      }
      static backward(): null {
        return null;
      }
    }
    assert.throws(() => ReturnsDisposed.apply(x), /the tensor has been disposed/);
    assert.strictEqual(torch.isGradEnabled(), true);
    class Plain extends torch.autograd.Function {}
    assert.throws(() => (Plain as unknown as typeof LegendrePolynomial3).apply(x), TypeError);
  });

  it('runs forward without recording and reads nothing saved during forward, as Python does', function () {
    const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
    const during: unknown[] = [];
    class Probe extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        ctx.saveForBackward(a);
        during.push(torch.isGradEnabled(), ctx.savedTensors.length, a.mul(2).requiresGrad);
        return a.mul(2);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g;
      }
    }
    Probe.apply(x);
    assert.deepStrictEqual(during, [false, 0, false]);
  });

  it('lets its ctx and graph go once the graph is freed, in a loop that awaits, whatever it saved', async function () {
    this.timeout(60000);
    const gc = (global as unknown as { gc: () => void }).gc;
    const contexts: WeakRef<FunctionCtx>[] = [];
    // Saves its output (whose grad_fn is the function's own node) and marks an input dirty: neither may make a
    // cycle that keeps the ctx and the graph alive.
    class SavesOutput extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        contexts.push(new WeakRef(ctx));
        const y = a.exp();
        ctx.saveForBackward(y);
        ctx.big = new Float64Array(1 << 14);
        return y;
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        const [y] = ctx.savedTensors;
        return g.mul(y);
      }
    }
    class Doubles extends torch.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        contexts.push(new WeakRef(ctx));
        a.mul_(2);
        ctx.markDirty(a);
        return a;
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(2);
      }
    }
    const x = torch.randn([64, 64], { requiresGrad: true });
    for (let i = 0; i < 2000; i++) {
      SavesOutput.apply(x).sum().backward();
      Doubles.apply(x.mul(1)).sum().backward();
      if (i % 100 === 99) await new Promise(setImmediate);
    }
    for (let k = 0; k < 3; k++) {
      gc();
      await new Promise(setImmediate);
      SavesOutput.apply(x); // drops the ctx of the nodes freed so far
    }
    gc();
    const alive = contexts.slice(0, 3800).filter((r) => r.deref() !== undefined).length;
    assert.ok(alive < 100, `${alive} of 3800 contexts of freed graphs are still alive`);
  });

  it('works in a worker thread', async function () {
    const script = `
const { parentPort, workerData } = require('worker_threads');
const torch = require(workerData.lib);
class Square extends torch.autograd.Function {
  static forward(ctx, a) { ctx.saveForBackward(a); return a.mul(a); }
  static backward(ctx, g) { const [a] = ctx.savedTensors; return g.mul(a).mul(2); }
}
const x = torch.tensor([1, -2, 3], { requiresGrad: true });
Square.apply(x).sum().backward();
parentPort.postMessage(x.grad.tolist());
`;
    const grad = await new Promise((resolve, reject) => {
      const w = new Worker(script, { eval: true, workerData: { lib: path.join(__dirname, '..', 'lib', 'index.js') } });
      w.once('message', resolve);
      w.once('error', reject);
    });
    assert.deepStrictEqual(grad, [2, -4, 6]);
  });
});
