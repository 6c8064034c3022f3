// torch.autograd.Function: operations with a backward written in JavaScript. The graph node is native
// (native/custom_function.cc); this side runs forward and backward and keeps each node's ctx until the node is
// freed.
import { N, Handle } from './native';
import { Tensor, wrap } from './tensor';
import { describe } from './dtype';
import { typename } from './format';

/**
 * PyTorch's `ctx`: what `forward` and `backward` of a {@link Function} share. Tensors go through
 * `saveForBackward` (which keeps them without holding the graph alive); anything else can be set as an
 * attribute (`ctx.constant = 3`).
 */
export class FunctionCtx {
  /** For each forward argument: whether it is a tensor that requires grad. */
  readonly needsInputGrad: boolean[];
  /** Attributes set in `forward` for `backward`. */
  [attribute: string]: unknown;

  /** @internal */ _id: number;
  /** @internal */ _toSave: (Tensor | null)[] = [];
  /** @internal */ _dirty: Tensor[] = [];
  /** @internal */ _nonDifferentiable: Tensor[] = [];
  /** @internal */ _materializeGrads = true;

  /** @internal Made by `Function.apply`. */
  constructor(id: number, needsInputGrad: boolean[]) {
    this._id = id;
    this.needsInputGrad = needsInputGrad;
  }

  /** `ctx.save_for_backward(*tensors)`: tensors `backward` reads back from `savedTensors` (call it in forward). */
  saveForBackward(...tensors: Tensor[]): void {
    this._toSave = tensors.map((t, i) => checkTensor(t, 'saveForBackward', i, true));
  }

  /** `ctx.saved_tensors`: the tensors given to `saveForBackward`, in backward. */
  get savedTensors(): Tensor[] {
    return N.functionSavedTensors(this._id).map((h) => (h === null ? (null as unknown as Tensor) : wrap(h)));
  }

  /** `ctx.mark_dirty(*tensors)`: inputs that forward modified in place (and returns). */
  markDirty(...tensors: Tensor[]): void {
    this._dirty = tensors.map((t, i) => checkTensor(t, 'markDirty', i, false) as Tensor);
  }

  /** `ctx.mark_non_differentiable(*tensors)`: outputs that have no gradient (their grad in backward is zeros). */
  markNonDifferentiable(...tensors: Tensor[]): void {
    this._nonDifferentiable = tensors.map((t, i) => checkTensor(t, 'markNonDifferentiable', i, false) as Tensor);
  }

  /** `ctx.set_materialize_grads(value)`: with false, backward gets null instead of zeros for unused outputs. */
  setMaterializeGrads(value: boolean): void {
    if (typeof value !== 'boolean') throw new TypeError(`setMaterializeGrads(): expected a boolean, but received ${describe(value)}`);
    this._materializeGrads = value;
  }
}

function checkTensor(t: unknown, method: string, i: number, allowNull: boolean): Tensor | null {
  if (t instanceof Tensor) return t;
  if (allowNull && (t === null || t === undefined)) return null;
  throw new TypeError(`${method}(): argument ${i} must be a Tensor${allowNull ? ' or null' : ''}, but received ${describe(t)}`);
}

/** The static side of a {@link Function} subclass. */
export interface FunctionClass {
  readonly name: string;
  forward(ctx: FunctionCtx, ...args: never[]): unknown;
  backward(ctx: FunctionCtx, ...gradOutputs: never[]): unknown;
}

/** The arguments `apply` takes: those of `forward` after `ctx`. */
export type FunctionArgs<F> = F extends { forward(ctx: FunctionCtx, ...args: infer A): unknown } ? A : never;
/** What `apply` returns: what `forward` returns. */
export type FunctionResult<F> = F extends { forward(ctx: FunctionCtx, ...args: never[]): infer R } ? R : never;

interface Applied {
  cls: FunctionClass;
  ctx: FunctionCtx;
}

// The ctx of every node still in a graph, by node id; a node's entry goes when the addon reports it freed.
const applied = new Map<number, Applied>();

function forgetFreed(): void {
  for (const id of N.functionFreed()) applied.delete(id);
}

function apply<F extends FunctionClass>(cls: F, args: unknown[]): unknown {
  if (typeof cls?.forward !== 'function' || typeof cls.backward !== 'function') {
    throw new TypeError('apply(): a torch.autograd.Function subclass must define static forward(ctx, ...args) and backward(ctx, ...gradOutputs)');
  }
  forgetFreed();
  const id = N.functionNode(`${cls.name}Backward`, args.map((a) => (a instanceof Tensor ? a.handle : null)));
  const ctx = new FunctionCtx(
    id,
    args.map((a) => a instanceof Tensor && a.requiresGrad),
  );
  let out: unknown;
  const gradMode = N.isGradEnabled();
  N.setGradEnabled(false);
  try {
    out = cls.forward(ctx, ...(args as never[]));
    if (out instanceof Promise) {
      out.catch(() => undefined);
      throw new TypeError(`${cls.name}.forward must return its outputs, not a Promise: forward cannot await`);
    }
  } catch (err) {
    N.functionDiscard(id);
    throw err;
  } finally {
    N.setGradEnabled(gradMode);
  }
  const outs = Array.isArray(out) ? out : [out];
  let wrapped: (Handle | null)[];
  try {
    wrapped = N.functionWrap(
      id,
      outs.map((o) => (o instanceof Tensor ? o.handle : null)),
      ctx._nonDifferentiable.map((t) => t.handle),
      ctx._dirty.map((t) => t.handle),
      ctx._toSave.map((t) => (t === null ? null : t.handle)),
      ctx._materializeGrads,
    );
  } catch (err) {
    N.functionDiscard(id); // a disposed tensor among them: the node was never wrapped
    throw err;
  }
  // What ctx held for the node is the node's now; holding the tensors here too would keep the graph alive (an
  // output's grad_fn is the node, which keeps ctx in `applied`).
  ctx._toSave = [];
  ctx._dirty = [];
  ctx._nonDifferentiable = [];
  applied.set(id, { cls, ctx });
  const result = outs.map((o, i) => {
    const h = wrapped[i];
    return h === null ? o : wrap(h);
  });
  return Array.isArray(out) ? result : result[0];
}

function runBackward(id: number, gradHandles: (Handle | null)[]): (Handle | null)[] {
  const grads = gradHandles.map((h) => (h === null ? null : wrap(h)));
  const entry = applied.get(id);
  if (entry === undefined) throw new Error(`internal error: no ctx for custom function node ${id}`);
  const { cls, ctx } = entry;
  let r: unknown;
  try {
    r = cls.backward(ctx, ...(grads as never[]));
  } catch (err) {
    // Any other value reaches the caller of backward() through the addon as it was thrown; these cannot.
    if (err === null || err === undefined) throw new ThrownInBackward(err);
    throw err;
  }
  if (r instanceof Promise) {
    r.catch(() => undefined);
    throw new TypeError(`${cls.name}.backward must return its gradients, not a Promise: backward cannot await`);
  }
  const list: unknown[] = Array.isArray(r) ? r : [r];
  // The addon checks these as Python does: their number first, then what each is (a non-tensor by its type name).
  return list.map((g) => (g === null || g === undefined ? null : g instanceof Tensor ? g.handle : typename(g))) as (Handle | null)[];
}

/** A backward that threw null or undefined, which cannot cross the addon as such. */
class ThrownInBackward extends Error {
  constructor(readonly value: unknown) {
    super(`a backward function threw ${String(value)}`);
  }
}

/** @internal Runs a backward pass (`fn`), rethrowing what a custom function's backward threw as it was thrown. */
export function runningBackward<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ThrownInBackward) throw err.value;
    throw err;
  }
}

N.setFunctionBackward(runBackward);

/**
 * `torch.autograd.Function`: an operation whose gradient you write yourself. Subclass it with static
 * `forward(ctx, ...args)` (runs without recording, returns a tensor or an array) and
 * `backward(ctx, ...gradOutputs)` (one gradient per output in, one per forward argument out: a tensor, or null
 * for arguments that need none), then call `MyFn.apply(...args)`:
 *
 * ```ts
 * class Exp extends torch.autograd.Function {
 *   static forward(ctx: FunctionCtx, x: Tensor): Tensor {
 *     const y = x.exp();
 *     ctx.saveForBackward(y);
 *     return y;
 *   }
 *   static backward(ctx: FunctionCtx, gradOutput: Tensor): Tensor {
 *     const [y] = ctx.savedTensors;
 *     return gradOutput.mul(y);
 *   }
 * }
 * const y = Exp.apply(x);
 * ```
 *
 * `const exp = Exp.apply` works too, as in Python. Backward runs on the JavaScript thread, so the gradients of
 * a custom function must be CPU tensors (LibTorch computes CUDA gradients on its own threads). Tensors kept for
 * backward belong in `saveForBackward`: a tensor output set as a ctx attribute keeps its graph alive.
 */
export class AutogradFunction {
  /** `MyFn.apply(*args)`: runs `forward` and records the operation for autograd. */
  declare static apply: <F extends FunctionClass>(this: F, ...args: FunctionArgs<F>) => FunctionResult<F>;
}

// `apply` is bound to the class it is read from (`const exp = Exp.apply` works, as Python's classmethod does).
const boundApply = new WeakMap<FunctionClass, (...args: unknown[]) => unknown>();
Object.defineProperty(AutogradFunction, 'apply', {
  get(this: FunctionClass) {
    let f = boundApply.get(this);
    if (f === undefined) {
      const cls = this;
      f = (...args: unknown[]) => apply(cls, args);
      boundApply.set(this, f);
    }
    return f;
  },
});
