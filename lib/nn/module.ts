// nn.Module: the base class of every layer and model. As in PyTorch (torch/nn/modules/module.py), a module
// keeps three ordered tables — parameters, buffers and child modules — filled by plain attribute assignment:
// the constructor returns a Proxy whose set/defineProperty traps sort each assigned value by type, so
// `this.fc = new nn.Linear(...)`, class fields and `model.fc = ...` all register in assignment order. Registered
// values are also stored as ordinary own properties, so reading `model.fc` costs no trap.
import { Tensor, keep, MemoryFormat } from '../tensor';
import { callOp } from '../dispatch';
import { noGrad } from '../autograd';
import { zeroGrads } from '../grads';
import { TorchError } from '../errors';
import { DType, DTypeLike, toDType, isFloatingPoint, isComplex, describe } from '../dtype';
import { DeviceLike, device as toDevice } from '../device';
import { Parameter } from './parameter';
import { typename, sizeStr, isOptions } from './common';

/** A state dict: parameter and persistent buffer tensors by their dotted path, in registration order. */
export type StateDict = Record<string, Tensor>;

/** What `loadStateDict` returns: the keys that did not match (both empty under strict loading). */
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** A forward pre-hook: sees the positional inputs; returning a value (an array for several) replaces them. */
export type ForwardPreHook = (module: Module, inputs: unknown[]) => unknown;
/** A forward hook: sees the inputs and the output; returning a value other than undefined replaces the output. */
export type ForwardHook = (module: Module, inputs: unknown[], output: unknown) => unknown;

/** A handle returned by hook registration: `remove()` unregisters the hook. */
export class RemovableHandle {
  private static nextId = 0;
  /** A number unique to this registration. */
  readonly id: number;
  private removed = false;

  /** @internal */
  constructor(private readonly onRemove: (id: number) => void) {
    this.id = RemovableHandle.nextId++;
  }

  /** Unregisters the hook (a second call does nothing). */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    this.onRemove(this.id);
  }

  [Symbol.dispose](): void {
    this.remove();
  }
}

/** Options of `stateDict()`. */
export interface StateDictOptions {
  /** Prepended to every key. */
  prefix?: string;
  /** Return the parameters and buffers themselves instead of detached aliases. */
  keepVars?: boolean;
}

/** Options of `Module.to(...)`. */
export interface ModuleToOptions {
  device?: DeviceLike;
  dtype?: DTypeLike;
  nonBlocking?: boolean;
  /** The layout of 4-d (`channels_last`) or 5-d (`channels_last_3d`) parameters and buffers. */
  memoryFormat?: MemoryFormat;
}

type Internal = Module & {
  _forwardHooks: Map<number, ForwardHook>;
  _forwardPreHooks: Map<number, ForwardPreHook>;
  _ownForward: ((...args: unknown[]) => unknown) | null;
  _proxy: Module;
  _willAssign(kind: 'parameter' | 'buffer' | 'module', name: string, value: unknown): void;
};

function defineOwn(target: object, name: string, value: unknown): void {
  Reflect.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
}

function hasOwn(o: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, name);
}

/** Whether a setter for `name` exists on the prototype chain (a TypeScript `set x(v)` on a subclass). */
const setterCache = new WeakMap<object, Map<string, boolean>>();
function hasSetter(target: object, name: string): boolean {
  if (hasOwn(target, name)) return false;
  const proto = Object.getPrototypeOf(target) as object;
  let cache = setterCache.get(proto);
  if (!cache) setterCache.set(proto, (cache = new Map()));
  let found = cache.get(name);
  if (found === undefined) {
    found = false;
    for (let p: object | null = proto; p; p = Object.getPrototypeOf(p) as object | null) {
      const d = Object.getOwnPropertyDescriptor(p, name);
      if (d) {
        found = typeof d.set === 'function';
        break;
      }
    }
    cache.set(name, found);
  }
  return found;
}

/** The one place where names of parameters, buffers and modules are checked, as PyTorch does. */
function checkName(t: Internal, name: unknown, kind: 'parameter' | 'buffer' | 'module', table: Map<string, unknown>): void {
  if (typeof name !== 'string') throw new TypeError(`${kind} name should be a string. Got ${typename(name)}`);
  if (name.includes('.')) throw new RangeError(kind === 'module' ? `module name can't contain ".", got: ${name}` : `${kind} name can't contain "."`);
  if (name === '') throw new RangeError(`${kind} name can't be empty string ""`);
  // An own attribute still holding `undefined` is a declared class field not yet assigned: not an attribute yet.
  const exists = hasOwn(t, name) ? (t as unknown as Record<string, unknown>)[name] !== undefined : name in t;
  if (exists && !table.has(name)) throw new RangeError(`attribute '${name}' already exists`);
}

function removeFrom(t: Internal, name: string, params: boolean, buffers: boolean, modules: boolean): void {
  if (params) t._parameters.delete(name);
  if (buffers) {
    t._buffers.delete(name);
    t._nonPersistentBuffers.delete(name);
  }
  if (modules) t._modules.delete(name);
}

function putParameter(t: Internal, name: string, param: Parameter | null): void {
  if (param !== null && param.gradFn !== null) {
    throw new RangeError(
      `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' ` +
        'as a function of another Tensor, compute the value in the forward() method.',
    );
  }
  t._parameters.set(name, param);
  defineOwn(t, name, param);
}

/** Python's `Module.__setattr__`: sorts an assigned value into parameters, modules, buffers or plain attributes. */
function setAttr(t: Internal, name: string, value: unknown, receiver: unknown): boolean {
  if (value instanceof Parameter) {
    // As PyTorch: drop the name from the other tables and plain attributes, then register_parameter's checks.
    const wasMember = t._buffers.has(name) || t._modules.has(name) || (hasOwn(t, name) && !t._parameters.has(name));
    t._willAssign('parameter', name, value);
    removeFrom(t, name, false, true, true);
    if (wasMember) Reflect.deleteProperty(t, name);
    checkName(t, name, 'parameter', t._parameters);
    putParameter(t, name, value);
  } else if (t._parameters.has(name)) {
    if (value !== null && value !== undefined) {
      throw new TypeError(`cannot assign '${typename(value)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
    }
    t._willAssign('parameter', name, null);
    putParameter(t, name, null);
  } else if (value instanceof Module) {
    t._willAssign('module', name, value);
    removeFrom(t, name, true, true, false);
    t._modules.set(name, value);
    defineOwn(t, name, value);
  } else if (t._modules.has(name)) {
    if (value !== null && value !== undefined) {
      throw new TypeError(`cannot assign '${typename(value)}' as child module '${name}' (torch.nn.Module or None expected)`);
    }
    t._willAssign('module', name, null);
    t._modules.set(name, null);
    defineOwn(t, name, null);
  } else if (t._buffers.has(name)) {
    if (value !== null && value !== undefined && !(value instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typename(value)}' as buffer '${name}' (torch.Tensor or None expected)`);
    }
    const buf = (value ?? null) as Tensor | null;
    t._willAssign('buffer', name, buf);
    if (buf) keep(buf);
    t._buffers.set(name, buf);
    defineOwn(t, name, buf);
  } else if (hasSetter(t, name)) {
    return Reflect.set(t, name, value, receiver);
  } else {
    return Reflect.set(t, name, value);
  }
  return true;
}

function delAttr(t: Internal, name: string): void {
  if (t._parameters.has(name)) t._parameters.delete(name);
  else if (t._buffers.has(name)) removeFrom(t, name, false, true, false);
  else if (t._modules.has(name)) t._modules.delete(name);
}

/**
 * @internal Assigns an attribute as `module[name] = value` would, registering parameters, buffers and
 * modules (containers use it for numeric names, which their own traps reserve for indexing).
 */
export function setAttribute(module: Module, name: string, value: unknown): void {
  const t = (module as unknown as { _target: Internal })._target;
  setAttr(t, name, value, t._proxy);
}

/** @internal Deletes an attribute as `delete module[name]` would. */
export function deleteAttribute(module: Module, name: string): void {
  const t = (module as unknown as { _target: Internal })._target;
  delAttr(t, name);
  Reflect.deleteProperty(t, name);
}

/** @internal Reads an own attribute without the containers' index traps. */
export function getAttribute(module: Module, name: string): unknown {
  return Reflect.get((module as unknown as { _target: Internal })._target, name);
}

const INDEX = /^-?\d+$/;

/** Containers that index their entries by number (`seq[6]`) implement these. */
interface Indexable {
  _getItem(index: number): unknown;
  _setItem(index: number, value: unknown): void;
  _delItem(index: number): void;
}

function isIndexable(t: object): t is Indexable {
  return typeof (t as Partial<Indexable>)._getItem === 'function';
}

const handler: ProxyHandler<Internal> = {
  set(target, prop, value, receiver) {
    if (typeof prop !== 'string') return Reflect.set(target, prop, value);
    return setAttr(target, prop, value, receiver);
  },
  defineProperty(target, prop, desc) {
    // Class fields are defined (not assigned) on the instance: treat them as assignments.
    if (typeof prop === 'string' && 'value' in desc && desc.enumerable && desc.writable && desc.configurable) {
      return setAttr(target, prop, desc.value, target);
    }
    return Reflect.defineProperty(target, prop, desc);
  },
  deleteProperty(target, prop) {
    if (typeof prop === 'string') delAttr(target, prop);
    return Reflect.deleteProperty(target, prop);
  },
};

const indexedHandler: ProxyHandler<Internal> = {
  get(target, prop, receiver) {
    if (typeof prop === 'string' && INDEX.test(prop)) return (target._proxy as unknown as Indexable)._getItem(Number(prop));
    return Reflect.get(target, prop, receiver);
  },
  set(target, prop, value, receiver) {
    if (typeof prop === 'string' && INDEX.test(prop)) {
      (target._proxy as unknown as Indexable)._setItem(Number(prop), value);
      return true;
    }
    return handler.set!(target, prop, value, receiver);
  },
  defineProperty: handler.defineProperty,
  deleteProperty(target, prop) {
    if (typeof prop === 'string' && INDEX.test(prop)) {
      (target._proxy as unknown as Indexable)._delItem(Number(prop));
      return true;
    }
    return handler.deleteProperty!(target, prop);
  },
};

function addIndent(s: string, spaces: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const first = lines.shift() as string;
  return [first, ...lines.map((l) => ' '.repeat(spaces) + l)].join('\n');
}

/** Classes whose forward keeps no reference to its inputs or outputs (see `markPureForward`). */
const pureClasses = new WeakSet<object>();

/**
 * @internal Declares that instances of these classes keep no reference to the tensors they receive or return
 * (library layers do not), which lets containers free intermediates that never reach user code.
 */
export function markPureForward(...classes: { prototype: Module }[]): void {
  for (const c of classes) pureClasses.add(c);
}

/**
 * @internal Whether `m`'s forward is a library one that keeps no tensor it sees and has no hooks (hooks are
 * installed as an own `forward`): its inputs and outputs may be freed by the container that owns them.
 */
export function isPureForward(m: Module): boolean {
  if (hasOwn(m, 'forward')) return false;
  const ctor = Object.getPrototypeOf(m).constructor as object;
  if (!pureClasses.has(ctor)) return false;
  const pureIfChildrenAre = (ctor as { _pureIfChildrenAre?: boolean })._pureIfChildrenAre === true;
  if (pureIfChildrenAre) {
    for (const c of (m as Internal)._modules.values()) if (c !== null && !isPureForward(c)) return false;
  }
  return true;
}

function parseTo(args: unknown[]): { device?: string; dtype?: DType; nonBlocking: boolean; memoryFormat?: MemoryFormat } {
  let device: string | undefined;
  let dtype: DType | undefined;
  let nonBlocking = false;
  let memoryFormat: MemoryFormat | undefined;
  const asDtype = (v: unknown): DType | undefined => {
    try {
      return toDType(v);
    } catch {
      return undefined;
    }
  };
  for (const a of args) {
    if (a === undefined || a === null) continue;
    if (a instanceof Tensor) {
      device = a.device.toString();
      dtype = a.dtype;
    } else if (typeof a === 'string') {
      const d = asDtype(a);
      if (d !== undefined) dtype = d;
      else device = toDevice(a).toString();
    } else if (typeof a === 'number') {
      device = `cuda:${a}`;
    } else if (isOptions(a)) {
      const o = a as ModuleToOptions;
      if (o.device !== undefined) device = toDevice(o.device).toString();
      if (o.dtype !== undefined) dtype = toDType(o.dtype);
      if (o.nonBlocking !== undefined) nonBlocking = o.nonBlocking;
      if (o.memoryFormat !== undefined) memoryFormat = o.memoryFormat;
    } else if (typeof a === 'boolean') {
      nonBlocking = a;
    } else {
      device = toDevice(a as DeviceLike).toString();
    }
  }
  if (dtype !== undefined && !isFloatingPoint(dtype) && !isComplex(dtype)) {
    throw new TypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.${dtype}`);
  }
  return { device, dtype, nonBlocking, memoryFormat };
}

/**
 * Base class for all neural network modules, as `torch.nn.Module`. Subclasses assign parameters, buffers and
 * submodules as attributes in their constructor and define `forward`; users call `model.forward(x)`.
 *
 * ```ts
 * class Net extends nn.Module {
 *   conv = new nn.Conv2d(1, 20, 5);
 *   fc = new nn.Linear(20, 10);
 *   forward(x: Tensor): Tensor { return this.fc.forward(F.relu(this.conv.forward(x)).mean([2, 3])); }
 * }
 * ```
 */
export class Module {
  /** Whether the module is in training mode (see train()/eval()). */
  training = true;
  /** @internal The parameters registered on this module, in registration order (null: registered as None). */
  declare readonly _parameters: Map<string, Parameter | null>;
  /** @internal The buffers, in registration order. */
  declare readonly _buffers: Map<string, Tensor | null>;
  /** @internal Names of buffers left out of the state dict. */
  declare readonly _nonPersistentBuffers: Set<string>;
  /** @internal The child modules, in registration order. */
  declare readonly _modules: Map<string, Module | null>;

  constructor() {
    const internal: Record<string, unknown> = {
      _parameters: new Map(),
      _buffers: new Map(),
      _nonPersistentBuffers: new Set(),
      _modules: new Map(),
      _forwardHooks: new Map(),
      _forwardPreHooks: new Map(),
      _ownForward: null,
      _target: this,
    };
    for (const [k, v] of Object.entries(internal)) Object.defineProperty(this, k, { value: v, writable: true, enumerable: false, configurable: true });
    const proxy = new Proxy(this as unknown as Internal, isIndexable(this) ? indexedHandler : handler);
    Object.defineProperty(this, '_proxy', { value: proxy, writable: false, enumerable: false, configurable: false });
    return proxy;
  }

  /** The raw instance behind the Proxy: internal bookkeeping writes there without going through the traps. */
  private get _i(): Internal {
    return (this as unknown as { _target: Internal })._target;
  }

  /**
   * The computation of the module. Subclasses override it; calling it runs forward pre-hooks and hooks when
   * any are registered.
   */
  forward(...inputs: unknown[]): unknown {
    void inputs;
    throw new TypeError(`Module [${this._getName()}] is missing the required "forward" function`);
  }

  // ---- registration ----

  /**
   * @internal Called before a parameter, buffer or child module slot is assigned (by attribute assignment or
   * the register functions). A module that mirrors another tree (a TorchScript module) updates it here, or
   * refuses the assignment by throwing. Does nothing by default.
   */
  _willAssign(kind: 'parameter' | 'buffer' | 'module', name: string, value: unknown): void {
    void kind;
    void name;
    void value;
  }

  /**
   * Adds a buffer: state that is not a parameter (BatchNorm's `running_mean`). Persistent buffers are part of
   * stateDict(); `null` registers the name without a tensor.
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent: boolean | { persistent?: boolean } = true): void {
    const t = this._i;
    const keepIt = typeof persistent === 'boolean' ? persistent : persistent.persistent ?? true;
    checkName(t, name, 'buffer', t._buffers);
    if (tensor !== null && tensor !== undefined && !(tensor instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typename(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    const buf = tensor ?? null;
    t._willAssign('buffer', name, buf);
    if (buf) keep(buf);
    t._buffers.set(name, buf);
    if (keepIt) t._nonPersistentBuffers.delete(name);
    else t._nonPersistentBuffers.add(name);
    defineOwn(t, name, buf);
  }

  /** Adds a parameter (or registers the name with `null`, as `bias` of a layer built with `bias: false`). */
  registerParameter(name: string, param: Parameter | null): void {
    const t = this._i;
    checkName(t, name, 'parameter', t._parameters);
    if (param !== null && param !== undefined && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign '${typename(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    t._willAssign('parameter', name, param ?? null);
    putParameter(t, name, param ?? null);
  }

  /** Adds a child module, reachable as an attribute of the given name. */
  addModule(name: string, module: Module | null): void {
    const t = this._i;
    if (module !== null && !(module instanceof Module)) throw new TypeError(`${typename(module)} is not a Module subclass`);
    if (typeof name !== 'string') throw new TypeError(`module name should be a string. Got ${typename(name)}`);
    checkName(t, name, 'module', t._modules);
    t._willAssign('module', name, module);
    t._modules.set(name, module);
    defineOwn(t, name, module);
  }

  /** Alias of addModule. */
  registerModule(name: string, module: Module | null): void {
    this.addModule(name, module);
  }

  /** The submodule at a dotted path (`'layer1.0.conv1'`); '' is this module. */
  getSubmodule(target: string): Module {
    if (target === '') return this;
    let mod: Module = this;
    for (const item of target.split('.')) {
      const child = (mod as unknown as Record<string, unknown>)[item];
      if (!(item in mod) || child === undefined) throw new RangeError(`${mod._getName()} has no attribute \`${item}\``);
      if (!(child instanceof Module)) throw new TypeError(`\`${item}\` is not an nn.Module`);
      mod = child;
    }
    return mod;
  }

  /** The parameter at a dotted path (`'layer1.0.conv1.weight'`). */
  getParameter(target: string): Parameter {
    const i = target.lastIndexOf('.');
    const mod = this.getSubmodule(i < 0 ? '' : target.slice(0, i));
    const name = target.slice(i + 1);
    if (!(name in mod)) throw new RangeError(`${mod._getName()} has no attribute \`${name}\``);
    const p = (mod as unknown as Record<string, unknown>)[name];
    if (!(p instanceof Parameter)) throw new TypeError(`\`${name}\` is not an nn.Parameter`);
    return p;
  }

  /** The buffer at a dotted path (`'bn1.running_mean'`). */
  getBuffer(target: string): Tensor {
    const i = target.lastIndexOf('.');
    const mod = this.getSubmodule(i < 0 ? '' : target.slice(0, i));
    const name = target.slice(i + 1);
    if (!(name in mod)) throw new RangeError(`${mod._getName()} has no attribute \`${name}\``);
    const b = (mod as unknown as Internal)._buffers.get(name);
    if (!b) throw new TypeError(`\`${name}\` is not a buffer`);
    return b;
  }

  // ---- iteration ----

  /** This module and all below it with their dotted names, each once (shared modules are not repeated). */
  *namedModules(memo: Set<Module> = new Set(), prefix = '', removeDuplicate = true): Generator<[string, Module]> {
    if (memo.has(this)) return;
    if (removeDuplicate) memo.add(this);
    yield [prefix, this];
    for (const [name, m] of this._i._modules) {
      if (m === null) continue;
      yield* m.namedModules(memo, prefix + (prefix ? '.' : '') + name, removeDuplicate);
    }
  }

  /** This module and all below it. */
  *modules(): Generator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** The direct children with their names. */
  *namedChildren(): Generator<[string, Module]> {
    const memo = new Set<Module>();
    for (const [name, m] of this._i._modules) {
      if (m !== null && !memo.has(m)) {
        memo.add(m);
        yield [name, m];
      }
    }
  }

  /** The direct children. */
  *children(): Generator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  private *namedMembers<T>(get: (m: Internal) => Iterable<[string, T | null]>, prefix: string, recurse: boolean): Generator<[string, T]> {
    const memo = new Set<T>();
    const mods: Iterable<[string, Module]> = recurse ? this.namedModules(new Set(), prefix) : [[prefix, this]];
    for (const [modPrefix, m] of mods) {
      for (const [k, v] of get(m as Internal)) {
        if (v === null || memo.has(v)) continue;
        memo.add(v);
        yield [modPrefix + (modPrefix ? '.' : '') + k, v];
      }
    }
  }

  /** The parameters with their dotted names (`'layer1.0.conv1.weight'`), each once. */
  namedParameters(prefix = '', recurse = true): Generator<[string, Parameter]> {
    return this.namedMembers((m) => m._parameters, prefix, recurse);
  }

  /** The parameters (of submodules too unless `recurse` is false), to hand to an optimizer. */
  *parameters(recurse = true): Generator<Parameter> {
    for (const [, p] of this.namedParameters('', recurse)) yield p;
  }

  /** The buffers with their dotted names. */
  namedBuffers(prefix = '', recurse = true): Generator<[string, Tensor]> {
    return this.namedMembers((m) => m._buffers, prefix, recurse);
  }

  /** The buffers. */
  *buffers(recurse = true): Generator<Tensor> {
    for (const [, b] of this.namedBuffers('', recurse)) yield b;
  }

  // ---- modes and in-place updates ----

  /** Sets training mode on this module and all below it (Dropout and BatchNorm behave differently). */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError('training mode is expected to be boolean');
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Sets requiresGrad on every parameter (to freeze or unfreeze a block). */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * `zero_grad(set_to_none)`: sets every parameter's gradient to null or zeroes it in place, as
   * `optimizer.zeroGrad()` does (the same default, that of the PyTorch of the LibTorch in use).
   */
  zeroGrad(setToNone?: boolean | { setToNone?: boolean }): void;
  zeroGrad(...args: unknown[]): void {
    zeroGrads('zeroGrad', this.parameters(), args);
  }


  /** Calls `fn` on every submodule (children first) and on this module: `model.apply(initWeights)`. */
  apply(fn: (module: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Applies `fn` to every parameter, gradient and buffer. Parameters are converted in place, keeping their
   * identity (PyTorch's `param.data = fn(param)`): the new data is installed in the same tensor with ATen's
   * `set_data`, so optimizers holding the parameters keep working. Buffers are replaced.
   */
  protected _apply(fn: (t: Tensor) => Tensor): this {
    for (const m of this.children()) m._apply(fn);
    const t = this._i;
    for (const param of t._parameters.values()) {
      if (param === null) continue;
      const applied = noGrad(() => fn(param));
      if (applied !== param) {
        callOp('set_data', [param, applied]);
        applied.dispose();
      }
      const grad = param.grad;
      if (grad !== null) {
        const g = noGrad(() => fn(grad));
        if (g !== grad) {
          callOp('set_data', [grad, g]);
          g.dispose();
        }
        grad.dispose();
      }
    }
    for (const [name, buf] of t._buffers) {
      if (buf === null) continue;
      const applied = fn(buf);
      if (applied !== buf) {
        keep(applied);
        t._buffers.set(name, applied);
        defineOwn(t, name, applied);
      }
    }
    return this;
  }

  /**
   * Moves and/or casts parameters and buffers in place: `model.to('cuda')`, `model.to(torch.float64)`,
   * `model.to('cuda', torch.float16)`, `model.to(tensor)`, `model.to({ device, dtype })`,
   * `model.to({ memoryFormat: torch.channelsLast })`. Only floating point tensors change dtype.
   */
  to(...args: (DeviceLike | DTypeLike | Tensor | ModuleToOptions | number | boolean)[]): this {
    const { device, dtype, nonBlocking, memoryFormat } = parseTo(args);
    return this._apply((t) => {
      const castDtype = dtype !== undefined && (t.isFloatingPoint() || isComplex(t.dtype)) ? dtype : undefined;
      const sameDevice = device === undefined || t.device.toString() === device || (device === 'cuda' && t.device.type === 'cuda' && t.device.index === 0);
      // As in PyTorch, a memory format applies to 4-d and 5-d tensors only.
      const format = memoryFormat !== undefined && (t.dim() === 4 || t.dim() === 5) ? memoryFormat : undefined;
      const sameFormat = format === undefined || t.isContiguous({ memoryFormat: format });
      if (sameDevice && sameFormat && (castDtype === undefined || castDtype === t.dtype)) return t;
      return t.to({ device, dtype: castDtype, nonBlocking, memoryFormat: format });
    });
  }

  /** Moves everything to a CUDA device. */
  cuda(device?: number | string): this {
    return this.to(device === undefined ? 'cuda' : typeof device === 'number' ? `cuda:${device}` : device);
  }

  /** Moves everything to the CPU. */
  cpu(): this {
    return this.to('cpu');
  }

  private castFloating(dtype: DType): this {
    return this._apply((t) => (t.isFloatingPoint() && t.dtype !== dtype ? t.to(dtype) : t));
  }

  /** Casts floating point parameters and buffers to float32. */
  float(): this {
    return this.castFloating('float32');
  }

  /** Casts floating point parameters and buffers to float64. */
  double(): this {
    return this.castFloating('float64');
  }

  /** Casts floating point parameters and buffers to float16. */
  half(): this {
    return this.castFloating('float16');
  }

  /** Casts floating point parameters and buffers to bfloat16. */
  bfloat16(): this {
    return this.castFloating('bfloat16');
  }

  // ---- state dict ----

  /** @internal Saves this module's own parameters and persistent buffers into `dest`. */
  protected _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void {
    const t = this._i;
    for (const [name, p] of t._parameters) if (p !== null) dest[prefix + name] = keepVars ? p : p.detach();
    for (const [name, b] of t._buffers) {
      if (b !== null && !t._nonPersistentBuffers.has(name)) dest[prefix + name] = keepVars ? b : b.detach();
    }
  }

  /**
   * The module's state: parameters and persistent buffers by dotted name (`'layer1.0.bn1.running_mean'`), in
   * the order PyTorch gives, as detached tensors sharing memory with the module.
   */
  stateDict(opts: StateDictOptions = {}): StateDict {
    const dest: StateDict = {};
    this.collectState(dest, opts.prefix ?? '', opts.keepVars ?? false);
    return dest;
  }

  private collectState(dest: StateDict, prefix: string, keepVars: boolean): void {
    this._saveToStateDict(dest, prefix, keepVars);
    for (const [name, m] of this._i._modules) if (m !== null) m.collectState(dest, `${prefix}${name}.`, keepVars);
  }

  /**
   * @internal Copies this module's own entries from `stateDict` (keys with `prefix`), recording missing and
   * unexpected keys and errors, as PyTorch's `_load_from_state_dict`. Subclasses may adjust `stateDict` first.
   */
  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, strict: boolean, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[]): void {
    const t = this._i;
    const local = new Map<string, Tensor>();
    for (const [k, v] of t._parameters) if (v !== null) local.set(k, v);
    for (const [k, v] of t._buffers) if (v !== null && !t._nonPersistentBuffers.has(k)) local.set(k, v);
    for (const [name, param] of local) {
      const key = prefix + name;
      if (!stateDict.has(key)) {
        if (strict) missingKeys.push(key);
        continue;
      }
      const given = stateDict.get(key);
      if (!(given instanceof Tensor)) {
        errorMsgs.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${describe(given)}`);
        continue;
      }
      let input: Tensor = given;
      let temp: Tensor | null = null;
      if (param.dim() === 0 && input.dim() === 1) input = temp = input.index(0);
      const want = param.shape;
      const got = input.shape;
      if (want.length !== got.length || want.some((s, i) => s !== got[i])) {
        errorMsgs.push(`size mismatch for ${key}: copying a param with shape ${sizeStr(got)} from checkpoint, the shape in current model is ${sizeStr(want)}.`);
        temp?.dispose();
        continue;
      }
      try {
        const src = input;
        noGrad(() => param.copy_(src));
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        errorMsgs.push(
          `While copying the parameter named "${key}", whose dimensions in the model are ${sizeStr(want)} and whose dimensions in the checkpoint are ${sizeStr(got)}, an exception occurred : ('${msg}',).`,
        );
      }
      temp?.dispose();
    }
    if (strict) {
      for (const key of stateDict.keys()) {
        if (!key.startsWith(prefix)) continue;
        const first = key.slice(prefix.length).split('.', 1)[0];
        if (!t._modules.has(first) && !local.has(first)) unexpectedKeys.push(key);
      }
    }
  }

  /**
   * Copies parameters and buffers from a state dict (an object or a Map of tensors by dotted name). With
   * `strict` (default) every key must match: otherwise it throws once, listing all missing and unexpected keys
   * and every shape mismatch in PyTorch's words. Returns the keys that did not match.
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, strict: boolean | { strict?: boolean } = true): IncompatibleKeys {
    const isStrict = typeof strict === 'boolean' ? strict : strict.strict ?? true;
    if (!(stateDict instanceof Map) && (typeof stateDict !== 'object' || stateDict === null || Array.isArray(stateDict))) {
      throw new TypeError(`Expected state_dict to be dict-like, got ${describe(stateDict)}.`);
    }
    const all = new Map<string, unknown>(stateDict instanceof Map ? stateDict : Object.entries(stateDict));
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const errorMsgs: string[] = [];
    const load = (m: Module, local: Map<string, unknown>, prefix: string): void => {
      m._loadFromStateDict(local, prefix, true, missingKeys, unexpectedKeys, errorMsgs);
      for (const [name, child] of (m as Internal)._modules) {
        if (child === null) continue;
        const childPrefix = `${prefix}${name}.`;
        const sub = new Map<string, unknown>();
        for (const [k, v] of local) if (k.startsWith(childPrefix)) sub.set(k, v);
        load(child, sub, childPrefix);
      }
    };
    load(this, all, '');
    if (isStrict) {
      if (unexpectedKeys.length > 0) errorMsgs.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
      if (missingKeys.length > 0) errorMsgs.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errorMsgs.length > 0) throw new TorchError(`Error(s) in loading state_dict for ${this._getName()}:\n\t${errorMsgs.join('\n\t')}`);
    return { missingKeys, unexpectedKeys };
  }

  // ---- hooks ----

  /**
   * Registers a hook called before every forward with `(module, inputs)`; a returned value replaces the inputs
   * (an array stands for several). Returns a handle whose `remove()` unregisters it.
   */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError(`registerForwardPreHook(): hook must be a function, but received ${describe(hook)}`);
    const t = this._i;
    const h = new RemovableHandle((id) => {
      t._forwardPreHooks.delete(id);
      this.syncHookedForward();
    });
    t._forwardPreHooks.set(h.id, hook);
    this.syncHookedForward();
    return h;
  }

  /**
   * Registers a hook called after every forward with `(module, inputs, output)`; a returned value other than
   * undefined replaces the output. Returns a handle whose `remove()` unregisters it.
   */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError(`registerForwardHook(): hook must be a function, but received ${describe(hook)}`);
    const t = this._i;
    const h = new RemovableHandle((id) => {
      t._forwardHooks.delete(id);
      this.syncHookedForward();
    });
    t._forwardHooks.set(h.id, hook);
    this.syncHookedForward();
    return h;
  }

  /**
   * Hooks run because `forward` is then an own property of the instance wrapping the class's forward; without
   * hooks there is none, and calling forward costs nothing extra.
   */
  private syncHookedForward(): void {
    const t = this._i;
    const wanted = t._forwardHooks.size + t._forwardPreHooks.size > 0;
    const desc = Object.getOwnPropertyDescriptor(t, 'forward');
    const installed = desc !== undefined && (desc.value as { _hooked?: boolean })._hooked === true;
    if (wanted && !installed) {
      t._ownForward = desc ? (desc.value as (...args: unknown[]) => unknown) : null;
      const self = this;
      const hooked = function (...args: unknown[]): unknown {
        return self.callWithHooks(args);
      };
      (hooked as { _hooked?: boolean })._hooked = true;
      Object.defineProperty(t, 'forward', { value: hooked, writable: true, enumerable: false, configurable: true });
    } else if (!wanted && installed) {
      if (t._ownForward) Object.defineProperty(t, 'forward', { value: t._ownForward, writable: true, enumerable: false, configurable: true });
      else Reflect.deleteProperty(t, 'forward');
      t._ownForward = null;
    }
  }

  private callWithHooks(args: unknown[]): unknown {
    const t = this._i;
    let inputs = args;
    for (const hook of [...t._forwardPreHooks.values()]) {
      const r = hook(this, inputs);
      if (r !== undefined && r !== null) inputs = Array.isArray(r) ? r : [r];
    }
    const fwd = t._ownForward ?? (Object.getPrototypeOf(t) as Module).forward;
    let result = fwd.apply(this, inputs);
    for (const hook of [...t._forwardHooks.values()]) {
      const r = hook(this, inputs, result);
      if (r !== undefined) result = r;
    }
    return result;
  }

  // ---- printing ----

  /** The class name, as printed. */
  protected _getName(): string {
    return this.constructor.name;
  }

  /** The module's own settings as printed between the parentheses (`in_features=2, out_features=3, bias=True`). */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's print format: the name, extraRepr(), and each child indented on its own line. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines: string[] = [];
    for (const [key, m] of this._i._modules) childLines.push(`(${key}): ${addIndent(m === null ? 'None' : m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let main = `${this._getName()}(`;
    if (lines.length > 0) {
      if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0];
      else main += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${main})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
