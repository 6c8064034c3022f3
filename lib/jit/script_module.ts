// torch.jit.ScriptModule: a TorchScript module seen as an nn.Module. Its parameters, buffers and submodules are
// registered in the Module tables under TorchScript's names, and they are the module's own tensors (a handle to
// the same at::Tensor, not a copy or a detached alias): gradients computed through `forward` land on them,
// optimizers update the TorchScript module in place, and `to()` moves them with set_data as for any Module.
// Assignments go to TorchScript too (`_willAssign`), which checks their types as Python's setattr does.
import { N, Handle, JitModuleHandle } from '../native';
import { Tensor, keep, wrap } from '../tensor';
import { callOp } from '../dispatch';
import { noGrad } from '../autograd';
import { empty } from '../creation';
import { Module } from '../nn/module';
import { Parameter } from '../nn/parameter';
import { typename } from '../nn/common';
import { describe } from '../dtype';
import { save } from './serialization';

/** What one load shares between its modules: a tensor or submodule reachable twice becomes one object. */
interface Shared {
  tensors: Map<number, Tensor>;
  modules: Map<number, ScriptModule>;
}

/** The TorchScript module's own tensor as a Parameter object (Parameter's constructor would make an alias). */
function wrapParameter(h: Handle): Parameter {
  return keep(Reflect.construct(Tensor, [h], Parameter) as Parameter);
}

function sharedTensor(shared: Shared, h: Handle, id: number, parameter: boolean): Tensor {
  const known = shared.tensors.get(id);
  if (known !== undefined) {
    N.dispose(h);
    return known;
  }
  const t = parameter ? wrapParameter(h) : keep(wrap(h));
  shared.tensors.set(id, t);
  return t;
}

/** A tensor whose elements share memory, as a placeholder export's `zeros(()).expand(shape)`. */
function isExpanded(t: Tensor): boolean {
  const shape = t.shape;
  return t.stride().some((s, d) => s === 0 && shape[d] > 1);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

type MethodArgs = { schema: string; args: { name: string; dict: boolean }[] } | null;

/**
 * A TorchScript module, as `torch.jit.ScriptModule` (made by `torch.jit.load`). It is an `nn.Module`:
 * `m.fc.weight`, `m.layer1[0]`, `namedParameters()`, `stateDict()`/`loadStateDict()` (Python's keys),
 * `train()`/`eval()`, `to()`, `requiresGrad_()`, hooks; `forward(...)` runs TorchScript's forward with autograd,
 * and every other method runs with `callMethod(name, ...)` or as a property of the same name
 * (`m.encode(x)` for a method `encode` that does not clash with a Module member).
 *
 * Arguments and results may be tensors, numbers, booleans, strings, null (None), arrays (lists and tuples),
 * plain objects (dicts with string keys) and Maps (other dicts). Keyword arguments go in a plain object after
 * the positional ones (`m.forward(x, { scale: 2 })`) unless that argument's own type is a dict.
 */
export class ScriptModule extends Module {
  /** @internal The torch::jit::Module. */
  declare readonly _c: JitModuleHandle;
  /** The TorchScript class's name (`'ResNet'`), Python's `original_name`. */
  declare readonly originalName: string;
  /** The TorchScript class's qualified name (`'__torch__.torchvision.models.resnet.ResNet'`). */
  declare readonly qualifiedName: string;
  /** @internal False while the constructor fills the tables from TorchScript. */
  declare readonly _ready: boolean;
  /** @internal */
  declare readonly _methodNames: string[];
  /** @internal Each method's schema and which arguments are dicts (a trailing object is a dict or keywords). */
  declare readonly _methodArgs: Map<string, MethodArgs>;

  /** @internal Made by `torch.jit.load`. */
  constructor(c: JitModuleHandle, shared: Shared = { tensors: new Map(), modules: new Map() }) {
    super();
    const target = (this as unknown as { _target: object })._target;
    const hidden = (name: string, value: unknown): void => {
      Object.defineProperty(target, name, { value, writable: true, enumerable: false, configurable: true });
    };
    const info = N.jitInfo(c);
    hidden('_c', c);
    hidden('_ready', false);
    hidden('originalName', info.typeName);
    hidden('qualifiedName', info.qualifiedName);
    hidden('_methodNames', info.methods);
    hidden('_methodArgs', new Map());
    shared.modules.set(info.id, this);
    // `training` is TorchScript's attribute (forward reads it there); a module without one keeps its own.
    let ownTraining = true;
    Object.defineProperty(target, 'training', {
      get: () => N.jitTraining(c) ?? ownTraining,
      set: (v: boolean) => {
        if (typeof v !== 'boolean') throw new TypeError(`training must be a boolean, but received ${describe(v)}`);
        if (N.jitTraining(c) === null) ownTraining = v;
        else N.jitSetTraining(c, v);
      },
      enumerable: true,
      configurable: true,
    });
    for (const [name, h, id] of info.parameters) {
      if (h === null) {
        this.registerParameter(name, null);
        continue;
      }
      const p = sharedTensor(shared, h, id, true);
      if (!(p instanceof Parameter)) throw new TypeError(`'${name}' is both a parameter and a buffer of the TorchScript module`);
      this.registerParameter(name, p);
    }
    for (const [name, h, id] of info.buffers) this.registerBuffer(name, sharedTensor(shared, h, id, false));
    for (const [name, child, id] of info.children) this.addModule(name, shared.modules.get(id) ?? new ScriptModule(child, shared));
    // Python exposes every method as an attribute; so do we where the name is free.
    for (const name of info.methods) {
      if (name === 'forward' || name in this) continue;
      hidden(name, (...args: unknown[]) => this.callMethod(name, ...args));
    }
    hidden('_ready', true);
  }

  /** Runs TorchScript's `forward` (with autograd when enabled, as any forward). */
  override forward(...inputs: unknown[]): unknown {
    return this.callMethod('forward', ...inputs);
  }

  /** Runs the TorchScript method `name` with positional arguments, then optionally a plain object of keyword ones. */
  callMethod(name: string, ...args: unknown[]): unknown {
    if (typeof name !== 'string') throw new TypeError(`callMethod(): the method name must be a string, but received ${describe(name)}`);
    const sig = this.methodInfo(name);
    if (sig === null) throw new TypeError(`'${this.originalName}' has no method '${name}' (its methods: ${this._methodNames.join(', ')})`);
    let kwargs: Record<string, unknown> | null = null;
    const last = args.length - 1;
    if (last >= 0 && isPlainObject(args[last]) && (last >= sig.args.length || !sig.args[last].dict)) {
      kwargs = args[last] as Record<string, unknown>;
      args = args.slice(0, last);
    }
    return N.jitCall(this._c, name, args, kwargs, Tensor, wrap);
  }

  /** The names of the TorchScript methods (`forward` and the others `callMethod` runs). */
  methods(): string[] {
    return [...this._methodNames];
  }

  /** A method's TorchScript schema, as Python's `m.forward.schema` prints (`forward(__torch__.Net self, Tensor x) -> Tensor`). */
  methodSchema(name: string): string {
    const sig = this.methodInfo(name);
    if (sig === null) throw new TypeError(`'${this.originalName}' has no method '${name}'`);
    return sig.schema;
  }

  private methodInfo(name: string): MethodArgs {
    let sig = this._methodArgs.get(name);
    if (sig === undefined) this._methodArgs.set(name, (sig = N.jitMethodArgs(this._c, name)));
    return sig;
  }

  /**
   * Saves the module in TorchScript's format (Python's `torch.jit.load` runs it), with its current parameters
   * and buffers, as `torch.jit.save(this, f)`.
   */
  async save(f: string | URL): Promise<void> {
    await save(this, f);
  }

  /** @internal Mirrors assignments into TorchScript, which only accepts existing attributes of a matching type. */
  override _willAssign(kind: 'parameter' | 'buffer' | 'module', name: string, value: unknown): void {
    if (!this._ready) return;
    if (!N.jitHasAttr(this._c, name)) {
      throw new TypeError(`cannot add the ${kind} '${name}' to the ScriptModule '${this.originalName}': the attributes of a TorchScript module are fixed when it is compiled`);
    }
    let v: Handle | JitModuleHandle | null = null;
    if (kind === 'module') {
      if (value !== null && !(value instanceof ScriptModule)) {
        throw new TypeError(`cannot assign '${typename(value)}' as child module '${name}' of the ScriptModule '${this.originalName}': TorchScript runs only a ScriptModule of the same type there`);
      }
      v = value === null ? null : value._c;
    } else if (value !== null) {
      v = (value as Tensor).handle;
    }
    N.jitSetAttr(this._c, name, v);
  }

  /** Buffers converted by `to()`/`float()`... are new tensors: TorchScript gets them too. */
  protected override _apply(fn: (t: Tensor) => Tensor): this {
    super._apply(fn);
    for (const [name, b] of this._buffers) if (b !== null) N.jitSetAttr(this._c, name, b.handle);
    return this;
  }

  /**
   * Placeholder tensors (a shipped architecture whose every element shares one value, see
   * scripts/export-torchvision) get memory of their own before the state dict is copied in.
   */
  protected override _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, strict: boolean, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[]): void {
    for (const table of [this._parameters, this._buffers]) {
      for (const [name, t] of table) {
        if (t === null || !stateDict.has(prefix + name) || !isExpanded(t)) continue;
        const fresh = empty(t.shape, { dtype: t.dtype, device: t.device });
        noGrad(() => callOp('set_data', [t, fresh]));
        fresh.dispose();
      }
    }
    super._loadFromStateDict(stateDict, prefix, strict, missingKeys, unexpectedKeys, errorMsgs);
  }

  protected override _getName(): string {
    return 'RecursiveScriptModule';
  }

  /** `original_name=ResNet`, as Python prints a loaded module. */
  override extraRepr(): string {
    return `original_name=${this.originalName}`;
  }
}
