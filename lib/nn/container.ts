// Containers, as torch/nn/modules/container.py: Sequential, ModuleList, ModuleDict, ParameterList,
// ParameterDict. The list-like ones index their entries by number (`seq[6]`, `seq[6] = m`, `delete seq[0]`),
// which Module's Proxy routes to _getItem/_setItem/_delItem.
import { Tensor } from '../tensor';
import { Module, markPureForward, isPureForward, setAttribute, deleteAttribute, getAttribute } from './module';
import { Parameter } from './parameter';
import { typename } from './common';

function absIndex(idx: number, size: number): number {
  if (!Number.isInteger(idx)) throw new TypeError(`index must be an integer, but received ${idx}`);
  if (idx < -size || idx >= size) throw new RangeError(`index ${idx} is out of range`);
  return idx < 0 ? idx + size : idx;
}

function sliceRange(size: number, start?: number, stop?: number, step = 1): number[] {
  if (step === 0) throw new RangeError('slice step cannot be zero');
  const norm = (v: number | undefined, dflt: number): number => {
    if (v === undefined || v === null) return dflt;
    if (v < 0) return Math.max(step < 0 ? -1 : 0, v + size);
    return Math.min(v, step < 0 ? size - 1 : size);
  };
  const out: number[] = [];
  if (step > 0) for (let i = norm(start, 0); i < norm(stop, size); i += step) out.push(i);
  else for (let i = norm(start, size - 1); i > norm(stop, -1); i += step) out.push(i);
  return out;
}

/** Renames a module's children to '0', '1', ... keeping their order (after a deletion, as PyTorch does). */
function renumber(m: Module): void {
  const entries = [...m._modules.entries()];
  for (const [k] of entries) deleteAttribute(m, k);
  entries.forEach(([, v], i) => setAttribute(m, String(i), v));
}

function checkModule(m: unknown, where: string): Module {
  if (!(m instanceof Module)) throw new TypeError(`${where}: ${typename(m)} is not a Module subclass`);
  return m;
}

/**
 * A sequence of modules applied in order: `new nn.Sequential(conv, relu, pool)` names them '0', '1', '2';
 * `new nn.Sequential(new Map([['conv', conv], ...]))` (or a plain object) keeps the given names. Indexable by
 * number (`seq[0]`, `seq[-1]`, `seq[6] = new nn.Linear(...)`, `delete seq[0]`), iterable, with `length`.
 * Intermediate outputs of library layers are freed as soon as the next layer has consumed them.
 */
export class Sequential extends Module {
  [index: number]: Module;
  /** @internal Sequential is pure when its children are. */
  static readonly _pureIfChildrenAre = true;

  constructor(...modules: Module[]);
  constructor(modules: Map<string, Module> | Record<string, Module>);
  constructor(...args: unknown[]) {
    super();
    const first = args[0];
    if (args.length === 1 && !(first instanceof Module) && typeof first === 'object' && first !== null) {
      const entries = first instanceof Map ? [...(first as Map<string, Module>)] : Object.entries(first as Record<string, Module>);
      for (const [k, m] of entries) this.addModule(k, checkModule(m, 'Sequential'));
    } else {
      args.forEach((m, i) => this.addModule(String(i), checkModule(m, 'Sequential')));
    }
  }

  /** The number of modules. */
  get length(): number {
    return this._modules.size;
  }

  /** @internal */
  _getItem(idx: number): Module {
    const values = [...this._modules.values()];
    return values[absIndex(idx, values.length)] as Module;
  }

  /** @internal */
  _setItem(idx: number, module: unknown): void {
    const keys = [...this._modules.keys()];
    setAttribute(this, keys[absIndex(idx, keys.length)], module);
  }

  /** @internal */
  _delItem(idx: number): void {
    const keys = [...this._modules.keys()];
    deleteAttribute(this, keys[absIndex(idx, keys.length)]);
    renumber(this);
  }

  /** A Sequential of the modules in `[start, stop)` with step (Python's `seq[start:stop:step]`), keeping names. */
  slice(start?: number, stop?: number, step = 1): Sequential {
    const entries = [...this._modules.entries()];
    const picked = new Map<string, Module>();
    for (const i of sliceRange(entries.length, start, stop, step)) picked.set(entries[i][0], entries[i][1] as Module);
    return new Sequential(picked);
  }

  *[Symbol.iterator](): Iterator<Module> {
    for (const m of this._modules.values()) if (m !== null) yield m;
  }

  /** Appends a module at the end. */
  append(module: Module): this {
    this.addModule(String(this.length), checkModule(module, 'Sequential.append'));
    return this;
  }

  /** Inserts a module before position `index`. */
  insert(index: number, module: Module): this {
    checkModule(module, 'Sequential.insert');
    const n = this._modules.size;
    if (!(-n <= index && index <= n)) throw new RangeError(`Index out of range: ${index}`);
    const at = index < 0 ? index + n : index;
    const values = [...this._modules.values()];
    values.splice(at, 0, module);
    for (const k of [...this._modules.keys()]) deleteAttribute(this, k);
    values.forEach((m, i) => setAttribute(this, String(i), m));
    return this;
  }

  /** Appends every module of another Sequential (or iterable). */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Removes and returns the module at `index`. */
  pop(index: number): Module {
    const m = this._getItem(index);
    this._delItem(index);
    return m;
  }

  /** Applies the modules in order. */
  override forward(input: Tensor): Tensor {
    let x: unknown = input;
    let prev: Module | null = null;
    let prevPure = false;
    for (const m of this._modules.values()) {
      if (m === null) continue;
      const pure = isPureForward(m);
      const y = m.forward(x);
      // The previous output reached only `m`: free it unless it is the input, the new output, or hooks saw it.
      if (prev !== null && prevPure && pure && x !== input && x !== y && x instanceof Tensor) x.dispose();
      x = y;
      prev = m;
      prevPure = pure;
    }
    return x as Tensor;
  }
}
markPureForward(Sequential);

/** A list of modules, registered as children '0', '1', ...: indexable, iterable, with `length`. */
export class ModuleList extends Module {
  [index: number]: Module;

  constructor(modules?: Iterable<Module>) {
    super();
    if (modules !== undefined && modules !== null) this.extend(modules);
  }

  /** The number of modules. */
  get length(): number {
    return this._modules.size;
  }

  /** @internal */
  _getItem(idx: number): Module {
    return getAttribute(this, String(absIndex(idx, this.length))) as Module;
  }

  /** @internal */
  _setItem(idx: number, module: unknown): void {
    setAttribute(this, String(absIndex(idx, this.length)), module);
  }

  /** @internal */
  _delItem(idx: number): void {
    deleteAttribute(this, String(absIndex(idx, this.length)));
    renumber(this);
  }

  /** A ModuleList of the modules in `[start, stop)` with step. */
  slice(start?: number, stop?: number, step = 1): ModuleList {
    const values = [...this._modules.values()] as Module[];
    return new ModuleList(sliceRange(values.length, start, stop, step).map((i) => values[i]));
  }

  *[Symbol.iterator](): Iterator<Module> {
    for (const m of this._modules.values()) if (m !== null) yield m;
  }

  /** Appends a module. */
  append(module: Module): this {
    this.addModule(String(this.length), module);
    return this;
  }

  /** Appends modules from an iterable. */
  extend(modules: Iterable<Module>): this {
    if (modules === null || typeof modules !== 'object' || typeof (modules as Iterable<Module>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`ModuleList.extend should be called with an iterable, but got ${typename(modules)}`);
    }
    for (const m of [...modules]) this.append(m);
    return this;
  }

  /** Inserts a module before position `index`. */
  insert(index: number, module: Module): void {
    const n = this.length;
    const at = index < 0 ? Math.max(0, index + n) : Math.min(index, n);
    const values = [...this._modules.values()];
    values.splice(at, 0, module);
    for (const k of [...this._modules.keys()]) deleteAttribute(this, k);
    values.forEach((m, i) => setAttribute(this, String(i), m));
  }

  /** Removes and returns the module at `index`. */
  pop(index: number): Module {
    const m = this._getItem(index);
    this._delItem(index);
    return m;
  }
}

/** A dictionary of modules, registered as children under their keys (insertion order kept). */
export class ModuleDict extends Module {
  constructor(modules?: Map<string, Module> | Record<string, Module> | Iterable<[string, Module]>) {
    super();
    if (modules !== undefined && modules !== null) this.update(modules);
  }

  /** The number of modules. */
  get length(): number {
    return this._modules.size;
  }

  /** The module under `key` (Python's `d[key]`). */
  get(key: string): Module {
    const m = this._modules.get(key);
    if (m === undefined) throw new RangeError(`'${key}'`);
    return m as Module;
  }

  /** Sets the module under `key` (Python's `d[key] = m`). */
  set(key: string, module: Module): void {
    this.addModule(key, module);
  }

  /** Removes the module under `key` (Python's `del d[key]`). */
  delete(key: string): void {
    if (!this._modules.has(key)) throw new RangeError(`'${key}'`);
    deleteAttribute(this, key);
  }

  /** Whether a module is registered under `key`. */
  has(key: string): boolean {
    return this._modules.has(key);
  }

  /** Removes everything. */
  clear(): void {
    for (const k of [...this._modules.keys()]) deleteAttribute(this, k);
  }

  /** Removes and returns the module under `key`. */
  pop(key: string): Module {
    const m = this.get(key);
    this.delete(key);
    return m;
  }

  /** The keys, in order. */
  keys(): string[] {
    return [...this._modules.keys()];
  }

  /** The modules, in order. */
  values(): Module[] {
    return [...this._modules.values()] as Module[];
  }

  /** [key, module] pairs, in order. */
  items(): [string, Module][] {
    return [...this._modules.entries()] as [string, Module][];
  }

  /** Adds or replaces entries from a Map, an object or [key, module] pairs. */
  update(modules: Map<string, Module> | Record<string, Module> | Iterable<[string, Module]>): void {
    const entries: Iterable<[string, Module]> =
      modules instanceof Map || typeof (modules as Iterable<unknown>)[Symbol.iterator] === 'function'
        ? (modules as Iterable<[string, Module]>)
        : Object.entries(modules as Record<string, Module>);
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 2) throw new TypeError('ModuleDict.update: each entry must be a [key, module] pair');
      this.set(entry[0], entry[1]);
    }
  }

  /** Iterates over the keys, as Python does. */
  *[Symbol.iterator](): Iterator<string> {
    yield* this._modules.keys();
  }
}

function describeParam(p: unknown, legacyName: boolean): string {
  if (p instanceof Tensor) {
    const kind = p instanceof Parameter ? 'Parameter' : 'Tensor';
    const type = legacyName ? typename(p) : `torch.${p.dtype}`;
    const dev = p.isCuda ? ` (GPU ${p.device.index ?? 0})` : '';
    return `${kind} containing: [${type} of size ${p.shape.join('x')}${dev}]`;
  }
  return `Object of type: ${typename(p)}`;
}

/** A list of parameters (tensors are wrapped in Parameter), registered as '0', '1', ...: indexable, iterable. */
export class ParameterList extends Module {
  [index: number]: Parameter;
  private _size = 0;

  constructor(values?: Iterable<Tensor>) {
    super();
    if (values !== undefined && values !== null) this.extend(values);
  }

  /** The number of entries. */
  get length(): number {
    return this._size;
  }

  /** @internal */
  _getItem(idx: number): Parameter {
    return getAttribute(this, String(absIndex(idx, this._size))) as Parameter;
  }

  /** @internal */
  _setItem(idx: number, value: unknown): void {
    const key = String(absIndex(idx, this._size));
    setAttribute(this, key, value instanceof Tensor && !(value instanceof Parameter) ? new Parameter(value) : value);
  }

  /** @internal */
  _delItem(): void {
    throw new TypeError('ParameterList does not support deleting entries');
  }

  *[Symbol.iterator](): Iterator<Parameter> {
    for (let i = 0; i < this._size; i++) yield this._getItem(i);
  }

  /** Appends a value (a Tensor becomes a Parameter). */
  append(value: Tensor): this {
    const i = this._size;
    this._size++;
    this._setItem(i, value);
    return this;
  }

  /** Appends values from an iterable. */
  extend(values: Iterable<Tensor>): this {
    if (values === null || values instanceof Tensor || typeof (values as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`ParameterList.extend should be called with an iterable, but got ${typename(values)}`);
    }
    for (const v of values) this.append(v);
    return this;
  }

  override extraRepr(): string {
    const lines: string[] = [];
    for (let i = 0; i < this._size; i++) lines.push(`  (${i}): ${describeParam(this._getItem(i), false)}`);
    return lines.join('\n');
  }

  override forward(): never {
    throw new TypeError('ParameterList should not be called.');
  }
}

/** A dictionary of parameters (tensors are wrapped in Parameter) under string keys, in insertion order. */
export class ParameterDict extends Module {
  private readonly _keys = new Set<string>();

  constructor(parameters?: Map<string, Tensor> | Record<string, Tensor> | Iterable<[string, Tensor]>) {
    super();
    if (parameters !== undefined && parameters !== null) this.update(parameters);
  }

  /** The number of entries. */
  get length(): number {
    return this._keys.size;
  }

  /** The parameter under `key`. */
  get(key: string): Parameter {
    if (!this._keys.has(key)) throw new RangeError(`'${key}'`);
    return getAttribute(this, key) as Parameter;
  }

  /** Sets the entry under `key` (a Tensor becomes a Parameter). */
  set(key: string, value: Tensor): void {
    if (typeof key !== 'string') {
      throw new TypeError(`Index given to ParameterDict cannot be used as a key as it is not a string (type is '${typename(key)}').`);
    }
    this._keys.add(key);
    setAttribute(this, key, value instanceof Tensor && !(value instanceof Parameter) ? new Parameter(value) : value);
  }

  /** Removes the entry under `key`. */
  delete(key: string): void {
    if (!this._keys.delete(key)) throw new RangeError(`'${key}'`);
    deleteAttribute(this, key);
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return this._keys.has(key);
  }

  /** Removes everything. */
  clear(): void {
    for (const k of [...this._keys]) this.delete(k);
  }

  /** Removes and returns the entry under `key`. */
  pop(key: string): Parameter {
    const v = this.get(key);
    this.delete(key);
    return v;
  }

  /** The keys, in order. */
  keys(): string[] {
    return [...this._keys];
  }

  /** The parameters, in order. */
  values(): Parameter[] {
    return this.keys().map((k) => this.get(k));
  }

  /** [key, parameter] pairs, in order. */
  items(): [string, Parameter][] {
    return this.keys().map((k) => [k, this.get(k)]);
  }

  /**
   * Adds or replaces entries. A Map, a ParameterDict or [key, tensor] pairs keep their order; a plain object is
   * taken in sorted key order, as PyTorch does with a dict.
   */
  update(parameters: Map<string, Tensor> | ParameterDict | Record<string, Tensor> | Iterable<[string, Tensor]>): void {
    let entries: Iterable<[string, Tensor]>;
    if (parameters instanceof ParameterDict) entries = parameters.items();
    else if (parameters instanceof Map || typeof (parameters as Iterable<unknown>)[Symbol.iterator] === 'function') entries = parameters as Iterable<[string, Tensor]>;
    else entries = Object.entries(parameters as Record<string, Tensor>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 2) throw new TypeError('ParameterDict.update: each entry must be a [key, tensor] pair');
      this.set(entry[0], entry[1]);
    }
  }

  /** Iterates over the keys, as Python does. */
  *[Symbol.iterator](): Iterator<string> {
    yield* this._keys;
  }

  override extraRepr(): string {
    return this.items().map(([k, p]) => `  (${k}): ${describeParam(p, true)}`).join('\n');
  }

  override forward(): never {
    throw new TypeError('ParameterDict should not be called.');
  }
}
