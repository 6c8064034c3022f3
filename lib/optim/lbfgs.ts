// L-BFGS with an optional strong-Wolfe line search (torch.optim.LBFGS). The algorithm interleaves closure
// calls with scalar decisions, so it runs here, over flat vectors the addon gathers and applies in one call
// each. Where Python mixes floats and 0-dim tensors, the same mix is kept (see `Num`), so that every rounding
// matches PyTorch's.
import { N } from '../native';
import { Tensor, wrap, keep } from '../tensor';
import { callOp } from '../dispatch';
import { noGrad } from '../autograd';
import { describe } from '../dtype';
import { Optimizer, ParamGroup, ParamsInput, Closure, StateValue, bindOptions, OptionArgs, handles } from './optimizer';

/** Options of LBFGS (PyTorch's defaults: lr 1, maxIter 20, maxEval maxIter * 1.25, historySize 100). */
export interface LBFGSOptions {
  lr?: number;
  /** Iterations per step(). */
  maxIter?: number;
  /** Function evaluations per step() (default `Math.floor(maxIter * 5 / 4)`). */
  maxEval?: number | null;
  /** Stop when the largest gradient entry is at most this. */
  toleranceGrad?: number;
  /** Stop when the function value or parameters change less than this. */
  toleranceChange?: number;
  historySize?: number;
  /** 'strong_wolfe' or null (fixed step). */
  lineSearchFn?: 'strong_wolfe' | null;
}

/** The parameter group of LBFGS (it supports exactly one). */
export interface LBFGSParamGroup extends ParamGroup {
  maxIter: number;
  maxEval: number;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
  lineSearchFn: string | null;
}

const OPTIONS = ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn'] as const;

/** A Python number in L-BFGS's arithmetic: a float, or a 0-dim tensor (computed in the tensor's dtype). */
type Num = number | Tensor;

/**
 * Arithmetic with Python's semantics over `Num`: float with float stays a double; anything with a tensor is a
 * tensor op (`float - t` is `rsub`, `float / t` is `t.reciprocal() * float`, as Python's dunders do), and
 * comparisons with a tensor compare in the tensor's dtype. Every tensor made is recorded for disposal.
 */
class PyMath {
  readonly made: Tensor[] = [];
  t<T extends Tensor>(x: T): T {
    this.made.push(x);
    return x;
  }
  add(a: Num, b: Num): Num {
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    return this.t(a instanceof Tensor ? a.add(b) : (b as Tensor).add(a));
  }
  sub(a: Num, b: Num): Num {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (a instanceof Tensor) return this.t(a.sub(b));
    return this.t(callOp('rsub', [b, a]) as Tensor);
  }
  mul(a: Num, b: Num): Num {
    if (typeof a === 'number' && typeof b === 'number') return a * b;
    return this.t(a instanceof Tensor ? a.mul(b) : (b as Tensor).mul(a));
  }
  div(a: Num, b: Num): Num {
    if (typeof a === 'number' && typeof b === 'number') return a / b;
    if (a instanceof Tensor) return this.t(a.div(b));
    return this.t(this.t((b as Tensor).reciprocal()).mul(a));
  }
  neg(a: Num): Num {
    return typeof a === 'number' ? -a : this.t(a.neg());
  }
  abs(a: Num): Num {
    return typeof a === 'number' ? Math.abs(a) : this.t(a.abs());
  }
  private cmp(a: Num, b: Num, op: 'lt' | 'le' | 'gt' | 'ge', flipped: 'lt' | 'le' | 'gt' | 'ge', js: (x: number, y: number) => boolean): boolean {
    if (typeof a === 'number' && typeof b === 'number') return js(a, b);
    const r = this.t(a instanceof Tensor ? (a[op](b) as Tensor) : ((b as Tensor)[flipped](a) as Tensor));
    return Boolean(r.item());
  }
  lt(a: Num, b: Num): boolean {
    return this.cmp(a, b, 'lt', 'gt', (x, y) => x < y);
  }
  le(a: Num, b: Num): boolean {
    return this.cmp(a, b, 'le', 'ge', (x, y) => x <= y);
  }
  gt(a: Num, b: Num): boolean {
    return this.cmp(a, b, 'gt', 'lt', (x, y) => x > y);
  }
  ge(a: Num, b: Num): boolean {
    return this.cmp(a, b, 'ge', 'le', (x, y) => x >= y);
  }
  /** Python's min(): the first of the smallest. */
  min(...xs: Num[]): Num {
    let m = xs[0];
    for (let i = 1; i < xs.length; i++) if (this.lt(xs[i], m)) m = xs[i];
    return m;
  }
  /** Python's max(): the first of the largest. */
  max(...xs: Num[]): Num {
    let m = xs[0];
    for (let i = 1; i < xs.length; i++) if (this.gt(xs[i], m)) m = xs[i];
    return m;
  }
  sqrt(a: Num): Num {
    return typeof a === 'number' ? Math.sqrt(a) : this.t(a.sqrt());
  }
  pow2(a: Num): Num {
    return typeof a === 'number' ? a ** 2 : this.t(a.pow(2));
  }
}

/** `float(x)`: a Python float from a number or a one-element tensor. */
function toFloat(x: unknown, what: string): number {
  if (typeof x === 'number') return x;
  if (x instanceof Tensor) return Number(x.item());
  throw new TypeError(`${what} must return a number or a one-element Tensor, but returned ${describe(x)}`);
}

function cubicInterpolate(m: PyMath, x1: Num, f1: Num, g1: Num, x2: Num, f2: Num, g2: Num, bounds?: [Num, Num]): Num {
  let xminBound: Num;
  let xmaxBound: Num;
  if (bounds !== undefined) [xminBound, xmaxBound] = bounds;
  else [xminBound, xmaxBound] = m.le(x1, x2) ? [x1, x2] : [x2, x1];
  // d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
  const d1 = m.sub(m.add(g1, g2), m.div(m.mul(3, m.sub(f1, f2)), m.sub(x1, x2)));
  const d2Square = m.sub(m.pow2(d1), m.mul(g1, g2));
  if (m.ge(d2Square, 0)) {
    const d2 = m.sqrt(d2Square);
    let minPos: Num;
    if (m.le(x1, x2)) {
      minPos = m.sub(x2, m.mul(m.sub(x2, x1), m.div(m.sub(m.add(g2, d2), d1), m.add(m.sub(g2, g1), m.mul(2, d2)))));
    } else {
      minPos = m.sub(x1, m.mul(m.sub(x1, x2), m.div(m.sub(m.add(g1, d2), d1), m.add(m.sub(g1, g2), m.mul(2, d2)))));
    }
    return m.min(m.max(minPos, xminBound), xmaxBound);
  }
  return m.div(m.add(xminBound, xmaxBound), 2);
}

type ObjFunc = (x: Tensor[], t: Num, d: Tensor) => [number, Tensor];

function strongWolfe(
  m: PyMath, objFunc: ObjFunc, x: Tensor[], t: Num, d: Tensor, f: number, g: Tensor, gtd: Tensor,
  c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25,
): [number, Tensor, Num, number] {
  const dNorm = m.t(m.t(d.abs()).max());
  g = m.t(g.clone({ memoryFormat: 'contiguous_format' }));
  let [fNew, gNew] = objFunc(x, t, d);
  let lsFuncEvals = 1;
  let gtdNew: Num = m.t(gNew.dot(d));
  let tPrev: Num = 0;
  let fPrev: number = f;
  let gPrev: Tensor = g;
  let gtdPrev: Num = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: Num[] = [];
  let bracketF: number[] = [];
  let bracketG: Tensor[] = [];
  let bracketGtd: Num[] = [];
  while (lsIter < maxLs) {
    if (m.gt(fNew, m.add(f, m.mul(m.mul(c1, t), gtd))) || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, m.t(gNew.clone({ memoryFormat: 'contiguous_format' }))];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (m.le(m.abs(gtdNew), m.mul(-c2, gtd))) {
      bracket = [t];
      bracketF = [fNew];
      bracketG = [gNew];
      done = true;
      break;
    }
    if (m.ge(gtdNew, 0)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, m.t(gNew.clone({ memoryFormat: 'contiguous_format' }))];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    const minStep = m.add(t, m.mul(0.01, m.sub(t, tPrev)));
    const maxStep = m.mul(t, 10);
    const tmp = t;
    t = cubicInterpolate(m, tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = m.t(gNew.clone({ memoryFormat: 'contiguous_format' }));
    gtdPrev = gtdNew;
    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals += 1;
    gtdNew = m.t(gNew.dot(d));
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    bracket = [0, t];
    bracketF = [f, fNew];
    bracketG = [g, gNew];
  }
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (m.lt(m.mul(m.abs(m.sub(bracket[1], bracket[0])), dNorm), toleranceChange)) break;
    t = cubicInterpolate(m, bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    const hi = m.max(...bracket);
    const lo = m.min(...bracket);
    const eps = m.mul(0.1, m.sub(hi, lo));
    if (m.lt(m.min(m.sub(hi, t), m.sub(t, lo)), eps)) {
      if (insufProgress || m.ge(t, hi) || m.le(t, lo)) {
        if (m.lt(m.abs(m.sub(t, hi)), m.abs(m.sub(t, lo)))) t = m.sub(hi, eps);
        else t = m.add(lo, eps);
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals += 1;
    gtdNew = m.t(gNew.dot(d));
    lsIter += 1;
    if (m.gt(fNew, m.add(f, m.mul(m.mul(c1, t), gtd))) || fNew >= bracketF[lowPos]) {
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = m.t(gNew.clone({ memoryFormat: 'contiguous_format' }));
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (m.le(m.abs(gtdNew), m.mul(-c2, gtd))) {
        done = true;
      } else if (m.ge(m.mul(gtdNew, m.sub(bracket[highPos], bracket[lowPos])), 0)) {
        bracket[highPos] = bracket[lowPos];
        bracketF[highPos] = bracketF[lowPos];
        bracketG[highPos] = bracketG[lowPos];
        bracketGtd[highPos] = bracketGtd[lowPos];
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = m.t(gNew.clone({ memoryFormat: 'contiguous_format' }));
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos], bracketG[lowPos], bracket[lowPos], lsFuncEvals];
}

// Python's positional order of the options.
const POSITIONAL = ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn'] as const;

/**
 * Implements L-BFGS, as `torch.optim.LBFGS` (one parameter group; `step(closure)` needs the closure, which
 * it calls several times). Its state lives under the first parameter, with PyTorch's keys.
 */
export class LBFGS extends Optimizer<LBFGSParamGroup> {
  private readonly _params: Tensor[];

  constructor(params: ParamsInput<LBFGSOptions>, ...args: OptionArgs<LBFGSOptions, typeof POSITIONAL>) {
    const opts = bindOptions<LBFGSOptions>('LBFGS', args, POSITIONAL, OPTIONS);
    const { lr = 1, maxIter = 20, toleranceGrad = 1e-7, toleranceChange = 1e-9, historySize = 100, lineSearchFn = null } = opts;
    const maxEval = opts.maxEval ?? Math.floor((maxIter * 5) / 4);
    super(params as ParamsInput, { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn });
    if (this.paramGroups.length !== 1) throw new RangeError("LBFGS doesn't support per-parameter options (parameter groups)");
    this._params = this.paramGroups[0].params;
  }

  private gatherFlatGrad(m: PyMath): Tensor {
    return m.t(wrap(N.optimFlatGrad(handles(this._params))));
  }

  private addGrad(stepSize: Num, update: Tensor): void {
    N.optimAddFlat(handles(this._params), update.handle, toFloat(stepSize, 'step size'));
  }

  /** Performs one step: up to maxIter iterations, calling `closure` to re-evaluate the loss. */
  step(closure?: Closure): Tensor | number {
    if (typeof closure !== 'function') throw new TypeError('LBFGS.step() requires a closure that re-evaluates the model and returns the loss');
    if (this.paramGroups.length !== 1) throw new RangeError("LBFGS doesn't support per-parameter options (parameter groups)");
    const m = new PyMath();
    try {
      return noGrad(() => this.iterate(closure, m));
    } finally {
      // Free what this step made, except what the state keeps (PyMath records only our own tensors).
      const kept = new Set<Tensor>();
      const visit = (v: unknown): void => {
        if (v instanceof Tensor) kept.add(v);
        else if (Array.isArray(v)) v.forEach(visit);
      };
      for (const s of this.state.values()) Object.values(s).forEach(visit);
      for (const t of m.made) if (!kept.has(t)) t.dispose();
      for (const t of kept) keep(t);
    }
  }

  private iterate(closure: Closure, m: PyMath): Tensor | number {
    const group = this.paramGroups[0];
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const state = this._stateOf(this._params[0]);
    if (!('func_evals' in state)) state.func_evals = 0;
    if (!('n_iter' in state)) state.n_iter = 0;

    const origLoss = this.evaluate(closure) as Tensor | number;
    let loss = toFloat(origLoss, 'the closure');
    let currentEvals = 1;
    state.func_evals = (state.func_evals as number) + 1;

    let flatGrad = this.gatherFlatGrad(m);
    let optCond = m.le(m.t(m.t(flatGrad.abs()).max()), toleranceGrad);
    if (optCond) return origLoss;

    let d = state.d as Tensor | undefined;
    let t = state.t as Num | undefined;
    let oldDirs = state.old_dirs as Tensor[] | undefined;
    let oldStps = state.old_stps as Tensor[] | undefined;
    let ro = state.ro as Num[] | undefined;
    let hDiag = state.H_diag as Num | undefined;
    let prevFlatGrad = state.prev_flat_grad as Tensor | undefined;
    let prevLoss = state.prev_loss as number | undefined;

    let nIter = 0;
    while (nIter < maxIter) {
      nIter += 1;
      state.n_iter = (state.n_iter as number) + 1;
      if (state.n_iter === 1) {
        d = m.t(flatGrad.neg());
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        const y = m.t(flatGrad.sub(prevFlatGrad as Tensor));
        const s = m.t((d as Tensor).mul(t as Num));
        const ys = m.t(y.dot(s));
        if (m.gt(ys, 1e-10)) {
          if ((oldDirs as Tensor[]).length === historySize) {
            (oldDirs as Tensor[]).shift();
            (oldStps as Tensor[]).shift();
            (ro as Num[]).shift();
          }
          (oldDirs as Tensor[]).push(y);
          (oldStps as Tensor[]).push(s);
          (ro as Num[]).push(m.div(1, ys));
          hDiag = m.div(ys, m.t(y.dot(y)));
        }
        const numOld = (oldDirs as Tensor[]).length;
        if (!('al' in state)) state.al = new Array<StateValue>(historySize).fill(null);
        const al = state.al as Num[];
        const q = m.t(flatGrad.neg());
        for (let i = numOld - 1; i >= 0; i--) {
          al[i] = m.mul(m.t((oldStps as Tensor[])[i].dot(q)), (ro as Num[])[i]);
          q.add_((oldDirs as Tensor[])[i], { alpha: toFloat(m.neg(al[i]), 'alpha') });
        }
        const r = m.t(q.mul(hDiag as Num));
        d = r;
        for (let i = 0; i < numOld; i++) {
          const beI = m.mul(m.t((oldDirs as Tensor[])[i].dot(r)), (ro as Num[])[i]);
          r.add_((oldStps as Tensor[])[i], { alpha: toFloat(m.sub(al[i], beI), 'alpha') });
        }
      }
      if (prevFlatGrad === undefined || prevFlatGrad === null) prevFlatGrad = m.t(flatGrad.clone({ memoryFormat: 'contiguous_format' }));
      else prevFlatGrad.copy_(flatGrad);
      prevLoss = loss;

      if (state.n_iter === 1) t = m.mul(m.min(1, m.div(1, m.t(m.t(flatGrad.abs()).sum()))), lr);
      else t = lr;

      const gtd = m.t(flatGrad.dot(d as Tensor));
      if (m.gt(gtd, -toleranceChange)) break;

      let lsFuncEvals = 0;
      if (lineSearchFn !== null && lineSearchFn !== undefined) {
        if (lineSearchFn !== 'strong_wolfe') throw new RangeError("only 'strong_wolfe' is supported");
        const xInit = this._params.map((p) => m.t(p.clone({ memoryFormat: 'contiguous_format' })));
        const objFunc: ObjFunc = (x, step, dir) => this.directionalEvaluate(closure, x, step, dir, m);
        [loss, flatGrad, t, lsFuncEvals] = strongWolfe(m, objFunc, xInit, t as Num, d as Tensor, loss, flatGrad, gtd);
        this.addGrad(t, d as Tensor);
        optCond = m.le(m.t(m.t(flatGrad.abs()).max()), toleranceGrad);
      } else {
        this.addGrad(t as Num, d as Tensor);
        if (nIter !== maxIter) {
          loss = toFloat(this.evaluate(closure), 'the closure');
          flatGrad = this.gatherFlatGrad(m);
          optCond = m.le(m.t(m.t(flatGrad.abs()).max()), toleranceGrad);
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state.func_evals = (state.func_evals as number) + lsFuncEvals;

      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (m.le(m.t(m.t(m.t((d as Tensor).mul(t as Num)).abs()).max()), toleranceChange)) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }

    state.d = d as Tensor;
    state.t = t as Num;
    state.old_dirs = oldDirs as Tensor[];
    state.old_stps = oldStps as Tensor[];
    state.ro = ro as Num[];
    state.H_diag = hDiag as Num;
    state.prev_flat_grad = prevFlatGrad as Tensor;
    state.prev_loss = prevLoss as number;
    return origLoss;
  }

  private directionalEvaluate(closure: Closure, x: Tensor[], t: Num, d: Tensor, m: PyMath): [number, Tensor] {
    this.addGrad(t, d);
    const loss = toFloat(this.evaluate(closure), 'the closure');
    const flatGrad = this.gatherFlatGrad(m);
    this._params.forEach((p, i) => p.copy_(x[i]));
    return [loss, flatGrad];
  }
}
