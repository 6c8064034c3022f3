// The base class of every optimizer: parameter groups, per-parameter state, zeroGrad and the state dict in
// PyTorch's checkpoint format. Subclasses gather each group's tensors and hand them to one native update.
import { N, Handle } from '../native';
import { Tensor, keep } from '../tensor';
import { enableGrad } from '../autograd';
import { zeroGrads } from '../grads';
import { describe, isPythonInt } from '../dtype';
import { snakeCase, camelCase, splitOptions } from '../args';
import { pyFloat, pyStr } from '../format';
import { tensor as makeTensor, zerosLike } from '../creation';

/** A value kept in an optimizer's per-parameter state: tensors, counters and (for LBFGS) lists of them. */
export type StateValue = Tensor | number | boolean | string | null | StateValue[];

/** The state of one parameter, under PyTorch's key names (`momentum_buffer`, `exp_avg`, `step`, ...). */
export type ParamState = Record<string, StateValue>;

/** One parameter group as the optimizer keeps it: the parameters and every option, in camelCase. */
export interface ParamGroup {
  params: Tensor[];
  lr: number;
  /** Set by learning-rate schedulers: the lr the schedule starts from. */
  initialLr?: number;
  [option: string]: unknown;
}

/**
 * A parameter group as given to a constructor or `addParamGroup`: `{ params, lr: 1e-4, ... }`. Keys that are
 * not options are kept in the group, as Python keeps them (`name: 'backbone'`).
 */
export type ParamGroupInput<O = Record<string, unknown>> = O & { params: Tensor | Iterable<Tensor>; [key: string]: unknown };

/** What an optimizer is constructed from: parameters (one group) or parameter groups. */
export type ParamsInput<O = Record<string, unknown>> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/** A closure that re-evaluates the model and returns the loss (run with autograd on). */
export type Closure = () => Tensor | number;

/**
 * An optimizer's state dict, in the structure of PyTorch's `optimizer.state_dict()`: `state` maps a parameter's
 * index (its position across all groups) to its state; `param_groups` holds each group's options under Python's
 * snake_case names and `params`, the list of its parameters' indices. Tensors are shared, not copied.
 */
export interface OptimizerStateDict {
  state: Map<number, ParamState>;
  param_groups: Record<string, unknown>[];
}

/** Marks an option with no default that every parameter group must then give (SGD's `lr`). */
export const required: unique symbol = Symbol('required');

export { snakeCase, camelCase } from '../args';

/** Python's `str` of an option value: ints as ints, floats as Python writes them (1e-08), True/False/None, tuples. */
function pyValue(v: unknown): string {
  if (typeof v === 'number') return isPythonInt(v) ? String(v) : pyFloat(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${pyValue(v[0])},)` : `(${v.map(pyValue).join(', ')})`;
  return typeof v === 'boolean' || v === null || v === undefined ? pyStr(v) : String(v);
}

/** @internal Formats a number in the messages PyTorch writes ("Invalid learning rate: -1"). */
export function fmt(v: unknown): string {
  if (Array.isArray(v)) return `(${v.map(fmt).join(', ')})`;
  return String(v);
}

/** @internal Throws PyTorch's "Invalid ..." error unless `ok`. */
export function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

/** The types of the options `K` of `O`, in order (required: a positional argument is a value). */
type Values<O, K extends readonly unknown[]> = { -readonly [I in keyof K]: K[I] extends keyof O ? Exclude<O[K[I]], undefined> : never };
/** Every non-empty prefix of T, each followed by an optional options object. */
type Prefixed<T extends unknown[], O> = T extends [...infer Init, unknown] ? [...T, Partial<O>?] | Prefixed<Init, O> : never;

/**
 * The arguments after a constructor's first, as Python takes them: every option by name in one options object,
 * or the first few positionally in Python's order (`K`) and the rest by name: `new optim.SGD(params, 0.1)`,
 * `new optim.SGD(params, 0.1, 0.9, { nesterov: true })`, `new optim.SGD(params, { lr: 0.1 })`.
 */
export type OptionArgs<O, K extends readonly (keyof O)[]> = [opts?: O] | Prefixed<Values<O, K>, O>;
/** OptionArgs of a constructor with required arguments (a scheduler's `stepSize`): the options object is then required. */
export type OptionArgsRequired<O, K extends readonly (keyof O)[]> = [opts: O] | Prefixed<Values<O, K>, O>;

/**
 * @internal Binds OptionArgs as Python binds arguments: `positional` in order, then the options object, whose keys
 * must be among `positional` and `known`; the first `required` positional names must be given one way or the
 * other. `new StepLR(opt, { stepSize: 7, gamma: 0.1 })`, the translation of `StepLR(opt, step_size=7, gamma=0.1)`,
 * is then the same as `new StepLR(opt, 7, { gamma: 0.1 })`.
 */
export function bindOptions<O extends object>(what: string, args: readonly unknown[], positional: readonly string[], known: readonly string[] = [], required = 0): O {
  // The options object is the last argument that is an object (a class instance too), not a value: no option
  // value is an object other than an array or a function.
  const isOptions = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor);
  const { pos, opts } = splitOptions(args, isOptions);
  if (pos.some(isOptions)) throw new TypeError(`${what}: the options object must come last, after the positional arguments (${positional.join(', ')})`);
  const named = opts ?? {};
  checkOptions(what, named, [...positional, ...known.filter((k) => !positional.includes(k))]);
  if (pos.length > positional.length) {
    throw new TypeError(`${what}: takes at most ${positional.length} positional arguments after the first (${positional.join(', ')}), but ${pos.length} were given`);
  }
  const out: Record<string, unknown> = { ...named };
  pos.forEach((v, i) => {
    if (v === undefined) return;
    if (named[positional[i]] !== undefined) throw new TypeError(`${what}: got multiple values for argument '${positional[i]}'`);
    out[positional[i]] = v;
  });
  const missing = positional.slice(0, required).filter((k) => out[k] === undefined);
  if (missing.length > 0) {
    throw new TypeError(`${what}: missing ${missing.length} required argument${missing.length > 1 ? 's' : ''}: ${missing.map((k) => `'${k}'`).join(' and ')}`);
  }
  return out as O;
}

/** @internal Checks that the constructor options are all known, catching snake_case spellings. */
export function checkOptions(what: string, opts: object, known: readonly string[]): void {
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${what}: options must be an object, but received ${describe(opts)}`);
  for (const key of Object.keys(opts)) {
    if (known.includes(key)) continue;
    const camel = camelCase(key);
    const hint = known.includes(camel) ? ` (did you mean '${camel}'?)` : ` (known options: ${known.join(', ')})`;
    throw new TypeError(`${what}: unknown option '${key}'${hint}`);
  }
}

/** @internal The handles of a list of tensors. */
export function handles(ts: readonly Tensor[]): Handle[] {
  const out = new Array<Handle>(ts.length);
  for (let i = 0; i < ts.length; i++) out[i] = ts[i].handle;
  return out;
}

/** @internal A state tensor the optimizer owns from now on: kept out of any enclosing tidy() scope. */
export function own<T extends Tensor>(t: T): T {
  return keep(t);
}

/** @internal A 0-dim tensor of the default dtype, as Python's `torch.tensor(0.)` state counters. */
export function scalarState(v: number): Tensor {
  return own(makeTensor(v));
}

/** @internal Counts one more step in a state whose `step` is a plain number (Adadelta, RMSprop). */
export function countStep(state: ParamState): void {
  state.step = (state.step as number) + 1;
}

function isTensorIterable(v: unknown): v is Iterable<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

function deepCopyValue(v: unknown): unknown {
  if (v instanceof Tensor) return v;
  if (Array.isArray(v)) return v.map(deepCopyValue);
  if (v instanceof Map) return new Map(Array.from(v, ([k, x]) => [k, deepCopyValue(x)]));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepCopyValue(x);
    return out;
  }
  return v;
}

/**
 * The base class of all optimizers (`torch.optim.Optimizer`). Holds `paramGroups` (live: changing
 * `group.lr` takes effect at the next step), the per-parameter `state`, and the `defaults` every group
 * falls back to. Subclasses implement `step()`.
 */
export abstract class Optimizer<G extends ParamGroup = ParamGroup> {
  /** The default options, under the camelCase names groups use. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** The parameter groups, each with its parameters and every option. */
  paramGroups: G[] = [];
  /** Per-parameter state (keyed by the parameter tensor), under PyTorch's key names. */
  state: Map<Tensor, ParamState> = new Map();
  /** State keys that PyTorch keeps as 0-dim float tensors (numbers in older checkpoints are converted). */
  protected static readonly tensorStateKeys: readonly string[] = [];

  /** @internal Counts step() calls for the learning-rate schedulers' order check. */
  _stepCount = 0;

  constructor(params: ParamsInput, defaults: Record<string, unknown>) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError('params argument given to the optimizer should be an iterable of Tensors or dicts, but got Tensor');
    }
    if (!isTensorIterable(params)) {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${describe(params)}`);
    }
    let groups = Array.from(params as Iterable<unknown>);
    if (groups.length === 0) throw new RangeError('optimizer got an empty parameter list');
    // As Python: parameter groups are dicts; anything else is a list of parameters (checked one by one).
    const first = groups[0];
    if (first === null || typeof first !== 'object' || first instanceof Tensor || Array.isArray(first)) groups = [{ params: groups }];
    for (const g of groups) this.addParamGroup(g as ParamGroupInput);
  }

  /**
   * Adds a parameter group (fine-tuning: unfreeze layers and give them their own options). Options the group
   * does not set come from `defaults`.
   */
  addParamGroup(paramGroup: ParamGroupInput): void {
    if (paramGroup === null || typeof paramGroup !== 'object' || paramGroup instanceof Tensor || Array.isArray(paramGroup)) {
      throw new TypeError(`param group must be an object like { params, lr }, but received ${describe(paramGroup)}`);
    }
    const input = paramGroup as Record<string, unknown>;
    const raw = input.params;
    let params: unknown[];
    if (raw instanceof Tensor) params = [raw];
    else if (raw instanceof Set) {
      throw new TypeError('optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.');
    } else if (isTensorIterable(raw)) params = Array.from(raw);
    else throw new TypeError(`param group 'params' must be a Tensor or an iterable of Tensors, but received ${describe(raw)}`);
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${describe(p)}`);
      if (!(p.isLeaf || p.retainsGrad)) throw new RangeError("can't optimize a non-leaf Tensor");
    }
    const group: Record<string, unknown> = { params };
    for (const [key, value] of Object.entries(input)) {
      if (key === 'params') continue;
      if (!(key in this.defaults) && camelCase(key) in this.defaults) {
        throw new TypeError(`param group option '${key}' should be spelled '${camelCase(key)}'`);
      }
      group[key] = Array.isArray(value) ? [...value] : value;
    }
    for (const [name, def] of Object.entries(this.defaults)) {
      if (def === required && !(name in group)) {
        throw new RangeError(`parameter group didn't specify a value of required optimization parameter ${name}`);
      }
      if (!(name in group)) group[name] = Array.isArray(def) ? [...def] : def;
      else if (typeof def === 'number' && typeof group[name] !== 'number') {
        throw new TypeError(`param group option '${name}' must be a number, but received ${describe(group[name])}`);
      }
    }
    if (new Set(params).size !== params.length) {
      process.emitWarning(
        'optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information',
      );
    }
    const existing = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) existing.add(p);
    if ((params as Tensor[]).some((p) => existing.has(p))) throw new RangeError('some parameters appear in more than one parameter group');
    this.paramGroups.push(group as G);
  }

  /**
   * `zero_grad(set_to_none)`: clears the gradients of every optimized tensor, setting them to null or zeroing them
   * in place: `zeroGrad()`, `zeroGrad(false)`, `zeroGrad({ setToNone: true })`. The default is that of the PyTorch
   * of the LibTorch in use (1.13: zeroes; 2.x: null). `step()` skips parameters whose grad is null.
   */
  zeroGrad(setToNone?: boolean | { setToNone?: boolean }): void;
  zeroGrad(...args: unknown[]): void {
    zeroGrads('zeroGrad', this.paramGroups.flatMap((g) => g.params), args);
  }


  /** Performs one optimization step; `closure` re-evaluates the model and returns the loss. */
  abstract step(closure?: Closure): Tensor | number | undefined;

  /** Runs the closure (with autograd on), as every step() does first. */
  protected evaluate(closure: Closure | undefined): Tensor | number | undefined {
    if (closure === undefined) return undefined;
    if (typeof closure !== 'function') throw new TypeError(`step(): closure must be a function, but received ${describe(closure)}`);
    const loss = enableGrad(closure);
    if (loss instanceof Promise) throw new TypeError('step(): the closure must be synchronous (it returned a Promise)');
    return loss;
  }

  /** @internal The group's parameters that have a gradient (one native query for the whole group). */
  _withGrad(group: ParamGroup): Tensor[] {
    const mask = N.optimGradMask(handles(group.params));
    const out: Tensor[] = [];
    for (let i = 0; i < mask.length; i++) if (mask[i]) out.push(group.params[i]);
    return out;
  }

  /** @internal The state of `p`, created empty on first use (as Python's defaultdict). */
  _stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /**
   * @internal The handles of the named state tensors of `params`, one list per name, in order. A parameter's
   * state is made by `init` on its first step; a name it lacks then (an option turned on later, as PyTorch
   * allows) starts as zeros like the parameter. `visit` sees each parameter's state on the way (to count a step
   * kept as a number).
   */
  _stateHandles<K extends string>(
    params: Tensor[],
    init: (p: Tensor) => ParamState,
    names: readonly K[],
    visit?: (state: ParamState) => void,
  ): Record<K, Handle[]> {
    const out = {} as Record<K, Handle[]>;
    for (const name of names) out[name] = [];
    for (const p of params) {
      const state = this._stateOf(p);
      if (Object.keys(state).length === 0) Object.assign(state, init(p));
      visit?.(state);
      for (const name of names) {
        if (!(state[name] instanceof Tensor)) state[name] = own(zerosLike(p));
        out[name].push((state[name] as Tensor).handle);
      }
    }
    return out;
  }

  /**
   * The optimizer's state in PyTorch's structure (see OptimizerStateDict): a later torch.save of it writes
   * what Python's `optimizer.load_state_dict` accepts, and `loadStateDict` resumes training bit for bit.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    let next = 0;
    const paramGroups = this.paramGroups.map((group) => {
      const packed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(group)) {
        if (k !== 'params') packed[snakeCase(k)] = deepCopyValue(v);
      }
      for (const p of group.params) if (!index.has(p)) index.set(p, next++);
      packed.params = group.params.map((p) => index.get(p) as number);
      return packed;
    });
    const state = new Map<number, ParamState>();
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state.set(i, deepCopyValue(s) as ParamState);
    }
    return { state, param_groups: paramGroups };
  }

  /**
   * Loads a state dict made by `stateDict()` (here or in Python): the groups' options and every parameter's
   * state. Tensors are copied, and cast to the parameter's dtype and device (except `step` counters).
   */
  loadStateDict(stateDict: OptimizerStateDict | { state: Record<string, ParamState> | Map<number, ParamState>; param_groups: Record<string, unknown>[] }): void {
    if (stateDict === null || typeof stateDict !== 'object' || !Array.isArray(stateDict.param_groups)) {
      throw new TypeError(`loadStateDict(): expected an optimizer state dict ({ state, param_groups }), but received ${describe(stateDict)}`);
    }
    const groups = this.paramGroups;
    const saved = stateDict.param_groups;
    if (groups.length !== saved.length) throw new RangeError('loaded state dict has a different number of parameter groups');
    for (let i = 0; i < groups.length; i++) {
      const ids = saved[i].params;
      if (!Array.isArray(ids) || ids.length !== groups[i].params.length) {
        throw new RangeError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    }
    const idMap = new Map<number, Tensor>();
    for (let i = 0; i < groups.length; i++) {
      const ids = saved[i].params as unknown[];
      ids.forEach((id, j) => idMap.set(Number(id), groups[i].params[j]));
    }
    const entries: [number, ParamState][] =
      stateDict.state instanceof Map ? Array.from(stateDict.state) : Object.entries(stateDict.state ?? {}).map(([k, v]) => [Number(k), v]);
    const tensorKeys = (this.constructor as typeof Optimizer).tensorStateKeys;
    const state = new Map<Tensor, ParamState>();
    for (const [id, value] of entries) {
      const param = idMap.get(id);
      if (param === undefined) continue;
      const s: ParamState = {};
      for (const [k, v] of Object.entries(value)) {
        s[k] = tensorKeys.includes(k) && typeof v === 'number' ? scalarState(v) : castState(param, v, k);
      }
      state.set(param, s);
    }
    const newGroups = groups.map((group, i) => {
      const g: Record<string, unknown> = { params: group.params };
      for (const [k, v] of Object.entries(saved[i])) if (k !== 'params') g[camelCase(k)] = deepCopyValue(v);
      for (const [name, def] of Object.entries(this.defaults)) if (!(name in g) && def !== required) g[name] = deepCopyValue(def);
      return g as G;
    });
    this.state = state;
    this.paramGroups = newGroups;
  }

  /** PyTorch's printout: the class name and each group's options. */
  toString(): string {
    let s = `${this.constructor.name} (`;
    this.paramGroups.forEach((group, i) => {
      s += `\nParameter Group ${i}\n`;
      // Python's names and values (the group's keys are PyTorch's, in camelCase), sorted as Python sorts them
      const entries = Object.keys(group).filter((k) => k !== 'params').map((k) => [snakeCase(k), pyValue(group[k])]);
      for (const [key, value] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) s += `    ${key}: ${value}\n`;
    });
    return `${s})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** A deep copy of a state value; tensors copied and cast to the parameter's dtype (if floating) and device. */
function castState(param: Tensor, value: unknown, key?: string): StateValue {
  if (value instanceof Tensor) {
    let t = value.clone();
    if (key !== 'step') {
      // Floating-point state is assumed to match the parameter's dtype (PyTorch's rule).
      const target = param.isFloatingPoint() ? param.dtype : value.dtype;
      const device = param.device.toString();
      if (target !== t.dtype || device !== t.device.toString()) {
        const moved = t.to({ dtype: target, device });
        t.dispose();
        t = moved;
      }
    }
    return own(t);
  }
  if (Array.isArray(value)) return value.map((v) => castState(param, v));
  return value as StateValue;
}
