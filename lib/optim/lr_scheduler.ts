// Learning-rate schedulers (torch.optim.lr_scheduler). They share one base class: subclasses compute
// getLr() in PyTorch's chainable form (from the groups' current lr) and, where PyTorch has one, a closed form
// used when step() is given an epoch. Arithmetic follows Python's expressions term by term.
import { Tensor } from '../tensor';
import { describe } from '../dtype';
import { Optimizer, ParamGroup, snakeCase, camelCase, bindOptions, OptionArgs, OptionArgsRequired } from './optimizer';

const EPOCH_DEPRECATION_WARNING =
  'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use ' +
  '`scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from null, the closed form ' +
  'is used instead of the new chainable form, where available.';

const warned = new Set<string>();

/** Set while SequentialLR jumps a scheduler to epoch 0 at a milestone: that use of step(epoch) is intended. */
let internalEpochStep = false;

/** Emits a warning once per process and message, as Python's default warning filter does. */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, 'UserWarning');
}

/** Python's `%` on numbers: the result has the sign of the divisor. */
function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** Python's `bisect.bisect_right`. */
function bisectRight(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < sorted[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Python's `'{:.4e}'.format(v)`. */
function formatE4(v: number): string {
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

const SPECIAL_NAMES: Record<string, string> = { TMax: 'T_max', T0: 'T_0', TI: 'T_i', TMult: 'T_mult', TCur: 'T_cur' };
const SPECIAL_FIELDS: Record<string, string> = Object.fromEntries(Object.entries(SPECIAL_NAMES).map(([k, v]) => [v, k]));

/** The Python attribute name of a scheduler field: `baseLrs` -> `base_lrs`, `_stepCount` -> `_step_count`. */
function pyName(field: string): string {
  return SPECIAL_NAMES[field] ?? field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The field of a Python attribute name (the inverse of pyName). */
function fieldName(name: string): string {
  if (SPECIAL_FIELDS[name] !== undefined) return SPECIAL_FIELDS[name];
  const lead = /^_*/.exec(name)?.[0] ?? '';
  return lead + name.slice(lead.length).replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function copyValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyValue);
  if (v instanceof Map) return new Map(v);
  if (v !== null && typeof v === 'object' && !(v instanceof Tensor)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copyValue(x);
    return out;
  }
  return v;
}

/** A scheduler's state: its attributes under Python's names (`last_epoch`, `base_lrs`, `_last_lr`, ...). */
export type SchedulerStateDict = Record<string, unknown>;

/** The state of a scheduler's data fields (everything but the optimizer and functions), under Python's names. */
function fieldsState(obj: object, skip: readonly string[]): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'optimizer' || skip.includes(k) || typeof v === 'function' || v === undefined) continue;
    out[pyName(k)] = copyValue(v);
  }
  return out;
}

function loadFields(obj: object, state: SchedulerStateDict, skip: readonly string[]): void {
  if (state === null || typeof state !== 'object') throw new TypeError(`loadStateDict(): expected a scheduler state dict, but received ${describe(state)}`);
  const target = obj as Record<string, unknown>;
  for (const [k, v] of Object.entries(state)) {
    const field = fieldName(k);
    if (skip.includes(field) || typeof target[field] === 'function') continue;
    target[field] = copyValue(v);
  }
}

function checkOptimizer(optimizer: unknown): asserts optimizer is Optimizer {
  if (!(optimizer instanceof Optimizer)) {
    const name = optimizer !== null && typeof optimizer === 'object' ? optimizer.constructor.name : describe(optimizer);
    throw new TypeError(`${name} is not an Optimizer`);
  }
}

const WITH_COUNTER = Symbol('withCounter');
type StepFn = ((...args: unknown[]) => unknown) & { [WITH_COUNTER]?: true };

/** Options every scheduler takes. */
export interface SchedulerOptions {
  /** The index of the last epoch when resuming (default -1: start from the beginning). */
  lastEpoch?: number;
  /** Print a message at every update. */
  verbose?: boolean;
}

/**
 * The base class of learning-rate schedulers (`torch.optim.lr_scheduler.LRScheduler`). A subclass sets its
 * fields, then calls `this._initialStep()`; it implements getLr() (the chainable form, from the groups' current
 * lr) and, where it exists, `_getClosedFormLr()` (from `baseLrs` and `lastEpoch`).
 */
export abstract class LRScheduler {
  /** The wrapped optimizer. */
  optimizer: Optimizer;
  /** Each group's initial learning rate. */
  baseLrs: number[];
  /** The index of the last epoch (step) taken. */
  lastEpoch: number;
  /** Whether each update prints a message. */
  verbose: boolean;
  /** @internal How many times step() was called. */
  _stepCount = 0;
  /** @internal Set while step() runs, to tell getLr() calls from users apart. */
  _getLrCalledWithinStep = false;
  /** @internal The learning rates the last step() set. */
  _lastLr: number[] = [];

  constructor(optimizer: Optimizer, lastEpoch = -1, verbose = false) {
    checkOptimizer(optimizer);
    if (!Number.isInteger(lastEpoch)) throw new TypeError(`lastEpoch must be an integer, but received ${describe(lastEpoch)}`);
    this.optimizer = optimizer;
    if (lastEpoch === -1) {
      for (const group of optimizer.paramGroups) if (!('initialLr' in group) || group.initialLr === undefined) group.initialLr = group.lr;
    } else {
      optimizer.paramGroups.forEach((group, i) => {
        if (group.initialLr === undefined) {
          throw new RangeError(`param 'initial_lr' is not specified in paramGroups[${i}] when resuming an optimizer`);
        }
      });
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    // Count optimizer.step() calls, to warn when the scheduler is stepped first.
    const opt = optimizer as unknown as { step: StepFn; _stepCount: number };
    if (!opt.step[WITH_COUNTER]) {
      const original = opt.step;
      const wrapper: StepFn = (...args: unknown[]) => {
        opt._stepCount += 1;
        return original.apply(optimizer, args);
      };
      wrapper[WITH_COUNTER] = true;
      opt.step = wrapper;
    }
    this.verbose = verbose;
  }

  /**
   * Resets the step counts and takes the first step. A subclass's constructor ends with this call, once its
   * own fields are set (PyTorch's base constructor makes it, which TypeScript's initialization order forbids).
   */
  _initialStep(): void {
    this.optimizer._stepCount = 0;
    this._stepCount = 0;
    this.step();
  }

  /** The learning rates computed by the last step(), one per parameter group. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** The learning rates of the next step, computed from the groups' current ones (the chainable form). */
  abstract getLr(): number[];

  /** @internal The learning rates at `lastEpoch` from `baseLrs` alone, where the schedule has a closed form. */
  _getClosedFormLr?(): number[];

  /** @internal Warns when getLr() is called from outside step(). */
  protected _warnGetLr(): void {
    if (!this._getLrCalledWithinStep) warnOnce('To get the last learning rate computed by the scheduler, please use `getLastLr()`.');
  }

  /** Prints the new learning rate of a group when `verbose`. */
  printLr(isVerbose: boolean, group: number, lr: number, epoch?: number): void {
    if (!isVerbose) return;
    if (epoch === undefined) {
      console.log(`Adjusting learning rate of group ${group} to ${formatE4(lr)}.`);
    } else {
      const epochStr = Number.isInteger(epoch) ? String(epoch).padStart(5, '0') : epoch.toFixed(2);
      console.log(`Epoch ${epochStr}: adjusting learning rate of group ${group} to ${formatE4(lr)}.`);
    }
  }

  /**
   * Advances the schedule by one step (call it after `optimizer.step()`). Passing `epoch` (deprecated in
   * PyTorch) jumps there, using the closed form where the schedule has one.
   */
  step(epoch?: number): void {
    if (this._stepCount === 1) {
      const opt = this.optimizer as unknown as { step: StepFn };
      if (!opt.step[WITH_COUNTER]) {
        warnOnce(
          'Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. Please, make sure to call ' +
            '`optimizer.step()` before `lrScheduler.step()`.',
        );
      } else if (this.optimizer._stepCount < 1) {
        warnOnce(
          'Detected call of `lrScheduler.step()` before `optimizer.step()`. You should call them in the opposite order: ' +
            '`optimizer.step()` before `lrScheduler.step()`. Failure to do this will result in skipping the first value of ' +
            'the learning rate schedule.',
        );
      }
    }
    this._stepCount += 1;
    let values: number[];
    this._getLrCalledWithinStep = true;
    try {
      if (epoch === undefined) {
        this.lastEpoch += 1;
        values = this.getLr();
      } else {
        if (!internalEpochStep) warnOnce(EPOCH_DEPRECATION_WARNING);
        this.lastEpoch = epoch;
        values = this._getClosedFormLr ? this._getClosedFormLr() : this.getLr();
      }
    } finally {
      this._getLrCalledWithinStep = false;
    }
    this.optimizer.paramGroups.forEach((group, i) => {
      if (i >= values.length) return;
      group.lr = values[i];
      this.printLr(this.verbose, i, values[i], epoch);
    });
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The scheduler's state: every attribute but the optimizer, under Python's names (`last_epoch`, ...). */
  stateDict(): SchedulerStateDict {
    return fieldsState(this, []);
  }

  /** Restores a state from stateDict(). */
  loadStateDict(stateDict: SchedulerStateDict): void {
    loadFields(this, stateDict, []);
  }

  /** The groups of the wrapped optimizer. */
  protected get groups(): ParamGroup[] {
    return this.optimizer.paramGroups;
  }
}

/** A learning-rate factor function of the epoch, or one per parameter group. */
export type LrLambda = (epoch: number) => number;

function lambdas(optimizer: Optimizer, lrLambda: LrLambda | LrLambda[]): LrLambda[] {
  checkOptimizer(optimizer);
  if (!Array.isArray(lrLambda)) {
    if (typeof lrLambda !== 'function') throw new TypeError(`lrLambda must be a function or an array of functions, but received ${describe(lrLambda)}`);
    return optimizer.paramGroups.map(() => lrLambda);
  }
  if (lrLambda.length !== optimizer.paramGroups.length) {
    throw new RangeError(`Expected ${optimizer.paramGroups.length} lr_lambdas, but got ${lrLambda.length}`);
  }
  return [...lrLambda];
}

/** The arguments of LambdaLR and MultiplicativeLR after the optimizer, as one options object. */
export type LambdaLRArgs = SchedulerOptions & { lrLambda: LrLambda | LrLambda[] };
const LAMBDA_LR_ARGS = ['lrLambda', 'lastEpoch', 'verbose'] as const;

/** Sets each group's lr to its initial lr times `lrLambda(epoch)` (`LambdaLR`). */
export class LambdaLR extends LRScheduler {
  /** One factor function per group. */
  lrLambdas: LrLambda[];

  constructor(optimizer: Optimizer, ...args: OptionArgsRequired<LambdaLRArgs, typeof LAMBDA_LR_ARGS>) {
    const { lrLambda, ...opts } = bindOptions<LambdaLRArgs>('LambdaLR', args, LAMBDA_LR_ARGS, [], 1);
    const fns = lambdas(optimizer, lrLambda);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.lrLambdas = fns;
    this._initialStep();
  }

  getLr(): number[] {
    this._warnGetLr();
    return this.baseLrs.map((baseLr, i) => baseLr * this.lrLambdas[i](this.lastEpoch));
  }

  /** The state without the functions (saved as null, as PyTorch saves plain functions). */
  override stateDict(): SchedulerStateDict {
    const s = fieldsState(this, ['lrLambdas']);
    s.lr_lambdas = this.lrLambdas.map(() => null);
    return s;
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    loadFields(this, stateDict, ['lrLambdas']);
  }
}

/** Multiplies each group's lr by `lrLambda(epoch)` at every step (`MultiplicativeLR`). */
export class MultiplicativeLR extends LRScheduler {
  /** One factor function per group. */
  lrLambdas: LrLambda[];

  constructor(optimizer: Optimizer, ...args: OptionArgsRequired<LambdaLRArgs, typeof LAMBDA_LR_ARGS>) {
    const { lrLambda, ...opts } = bindOptions<LambdaLRArgs>('MultiplicativeLR', args, LAMBDA_LR_ARGS, [], 1);
    const fns = lambdas(optimizer, lrLambda);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.lrLambdas = fns;
    this._initialStep();
  }

  getLr(): number[] {
    this._warnGetLr();
    if (this.lastEpoch > 0) return this.groups.map((g, i) => g.lr * this.lrLambdas[i](this.lastEpoch));
    return this.groups.map((g) => g.lr);
  }

  /** The state without the functions (saved as null, as PyTorch saves plain functions). */
  override stateDict(): SchedulerStateDict {
    const s = fieldsState(this, ['lrLambdas']);
    s.lr_lambdas = this.lrLambdas.map(() => null);
    return s;
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    loadFields(this, stateDict, ['lrLambdas']);
  }
}

/** Options of StepLR and MultiStepLR. */
export interface StepLROptions extends SchedulerOptions {
  /** The factor of each decay (default 0.1). */
  gamma?: number;
}

/** The arguments of StepLR after the optimizer, as one options object. */
export type StepLRArgs = StepLROptions & { stepSize: number };
const STEP_LR_ARGS = ['stepSize', 'gamma', 'lastEpoch', 'verbose'] as const;

/** Decays each group's lr by `gamma` every `stepSize` epochs (`StepLR`). */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: Optimizer, ...args: OptionArgsRequired<StepLRArgs, typeof STEP_LR_ARGS>) {
    const { stepSize, ...opts } = bindOptions<StepLRArgs>('StepLR', args, STEP_LR_ARGS, [], 1);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.stepSize = stepSize;
    this.gamma = opts.gamma ?? 0.1;
    this._initialStep();
  }

  getLr(): number[] {
    this._warnGetLr();
    if (this.lastEpoch === 0 || pyMod(this.lastEpoch, this.stepSize) !== 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }

  override _getClosedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/** The arguments of MultiStepLR after the optimizer, as one options object. */
export type MultiStepLRArgs = StepLROptions & { milestones: number[] };
const MULTI_STEP_LR_ARGS = ['milestones', 'gamma', 'lastEpoch', 'verbose'] as const;

/** Decays each group's lr by `gamma` at each milestone epoch (`MultiStepLR`). */
export class MultiStepLR extends LRScheduler {
  /** Milestone epoch -> how many times it was given (Python's Counter). */
  milestones: Map<number, number>;
  gamma: number;

  constructor(optimizer: Optimizer, ...args: OptionArgsRequired<MultiStepLRArgs, typeof MULTI_STEP_LR_ARGS>) {
    const { milestones, ...opts } = bindOptions<MultiStepLRArgs>('MultiStepLR', args, MULTI_STEP_LR_ARGS, [], 1);
    super(optimizer, opts.lastEpoch, opts.verbose);
    if (!Array.isArray(milestones)) throw new TypeError(`milestones must be an array of integers, but received ${describe(milestones)}`);
    this.milestones = new Map();
    for (const m of milestones) this.milestones.set(m, (this.milestones.get(m) ?? 0) + 1);
    this.gamma = opts.gamma ?? 0.1;
    this._initialStep();
  }

  getLr(): number[] {
    this._warnGetLr();
    const count = this.milestones.get(this.lastEpoch);
    if (count === undefined) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma ** count);
  }

  override _getClosedFormLr(): number[] {
    const sorted: number[] = [];
    for (const [m, n] of this.milestones) for (let i = 0; i < n; i++) sorted.push(m);
    sorted.sort((a, b) => a - b);
    return this.baseLrs.map((b) => b * this.gamma ** bisectRight(sorted, this.lastEpoch));
  }
}

/** Options of ConstantLR. */
export interface ConstantLROptions extends SchedulerOptions {
  /** The factor applied until `totalIters` (default 1/3). */
  factor?: number;
  /** How many steps the factor lasts (default 5). */
  totalIters?: number;
}

const CONSTANT_LR_ARGS = ['factor', 'totalIters', 'lastEpoch', 'verbose'] as const;

/** Multiplies each group's lr by a constant `factor` until `totalIters` steps have passed (`ConstantLR`). */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: Optimizer, ...args: OptionArgs<ConstantLROptions, typeof CONSTANT_LR_ARGS>) {
    const opts = bindOptions<ConstantLROptions>('ConstantLR', args, CONSTANT_LR_ARGS);
    const factor = opts.factor ?? 1.0 / 3;
    if (factor > 1.0 || factor < 0) throw new RangeError('Constant multiplicative factor expected to be between 0 and 1.');
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.factor = factor;
    this.totalIters = opts.totalIters ?? 5;
    this._initialStep();
  }

  getLr(): number[] {
    this._warnGetLr();
    if (this.lastEpoch === 0) return this.groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch > this.totalIters || this.lastEpoch !== this.totalIters) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1.0 / this.factor));
  }

  override _getClosedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 : 0) * (1 - this.factor)));
  }
}

/** Options of LinearLR. */
export interface LinearLROptions extends SchedulerOptions {
  /** The factor at the first step (default 1/3). */
  startFactor?: number;
  /** The factor reached after `totalIters` steps (default 1). */
  endFactor?: number;
  totalIters?: number;
}

const LINEAR_LR_ARGS = ['startFactor', 'endFactor', 'totalIters', 'lastEpoch', 'verbose'] as const;

/** Changes each group's lr linearly by a factor from `startFactor` to `endFactor` over `totalIters` (`LinearLR`). */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: Optimizer, ...args: OptionArgs<LinearLROptions, typeof LINEAR_LR_ARGS>) {
    const opts = bindOptions<LinearLROptions>('LinearLR', args, LINEAR_LR_ARGS);
    const startFactor = opts.startFactor ?? 1.0 / 3;
    const endFactor = opts.endFactor ?? 1.0;
    if (startFactor > 1.0 || startFactor < 0) throw new RangeError('Starting multiplicative factor expected to be between 0 and 1.');
    if (endFactor > 1.0 || endFactor < 0) throw new RangeError('Ending multiplicative factor expected to be between 0 and 1.');
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = opts.totalIters ?? 5;
    this._initialStep();
  }

  getLr(): number[] {
    this._warnGetLr();
    if (this.lastEpoch === 0) return this.groups.map((g) => g.lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return this.groups.map((g) => g.lr);
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    return this.groups.map((g) => g.lr * (1 + (e - s) / (n * s + (this.lastEpoch - 1) * (e - s))));
  }

  override _getClosedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    return this.baseLrs.map((b) => b * (s + ((e - s) * Math.min(n, this.lastEpoch)) / n));
  }
}

/** The arguments of ExponentialLR after the optimizer, as one options object. */
export type ExponentialLRArgs = SchedulerOptions & { gamma: number };
const EXPONENTIAL_LR_ARGS = ['gamma', 'lastEpoch', 'verbose'] as const;

/** Decays each group's lr by `gamma` every epoch (`ExponentialLR`). */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: Optimizer, ...args: OptionArgsRequired<ExponentialLRArgs, typeof EXPONENTIAL_LR_ARGS>) {
    const { gamma, ...opts } = bindOptions<ExponentialLRArgs>('ExponentialLR', args, EXPONENTIAL_LR_ARGS, [], 1);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.gamma = gamma;
    this._initialStep();
  }

  getLr(): number[] {
    this._warnGetLr();
    if (this.lastEpoch === 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }

  override _getClosedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}

/** Options of PolynomialLR. */
export interface PolynomialLROptions extends SchedulerOptions {
  /** Steps until the lr reaches 0 (default 5). */
  totalIters?: number;
  /** The power of the polynomial (default 1). */
  power?: number;
}

const POLYNOMIAL_LR_ARGS = ['totalIters', 'power', 'lastEpoch', 'verbose'] as const;

/** Decays each group's lr polynomially to 0 over `totalIters` steps (`PolynomialLR`). */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(optimizer: Optimizer, ...args: OptionArgs<PolynomialLROptions, typeof POLYNOMIAL_LR_ARGS>) {
    const opts = bindOptions<PolynomialLROptions>('PolynomialLR', args, POLYNOMIAL_LR_ARGS);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.totalIters = opts.totalIters ?? 5;
    this.power = opts.power ?? 1.0;
    this._initialStep();
  }

  getLr(): number[] {
    this._warnGetLr();
    if (this.lastEpoch === 0 || this.lastEpoch > this.totalIters) return this.groups.map((g) => g.lr);
    const decay = ((1.0 - this.lastEpoch / this.totalIters) / (1.0 - (this.lastEpoch - 1) / this.totalIters)) ** this.power;
    return this.groups.map((g) => g.lr * decay);
  }

  override _getClosedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (1.0 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }
}

/** Options of the cosine schedules. */
export interface CosineOptions extends SchedulerOptions {
  /** The minimum learning rate (default 0). */
  etaMin?: number;
}

/** The arguments of CosineAnnealingLR after the optimizer, as one options object. */
export type CosineAnnealingLRArgs = CosineOptions & { TMax: number };
const COSINE_ANNEALING_LR_ARGS = ['TMax', 'etaMin', 'lastEpoch', 'verbose'] as const;

/** Anneals each group's lr along a cosine from its initial value to `etaMin` over `TMax` steps (`CosineAnnealingLR`). */
export class CosineAnnealingLR extends LRScheduler {
  TMax: number;
  etaMin: number;

  constructor(optimizer: Optimizer, ...args: OptionArgsRequired<CosineAnnealingLRArgs, typeof COSINE_ANNEALING_LR_ARGS>) {
    const { TMax, ...opts } = bindOptions<CosineAnnealingLRArgs>('CosineAnnealingLR', args, COSINE_ANNEALING_LR_ARGS, [], 1);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.TMax = TMax;
    this.etaMin = opts.etaMin ?? 0;
    this._initialStep();
  }

  getLr(): number[] {
    this._warnGetLr();
    const { TMax, etaMin, lastEpoch } = this;
    if (lastEpoch === 0) return this.groups.map((g) => g.lr);
    if (this._stepCount === 1 && lastEpoch > 0) {
      return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((lastEpoch * Math.PI) / TMax))) / 2);
    }
    if (pyMod(lastEpoch - 1 - TMax, 2 * TMax) === 0) {
      return this.groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / TMax))) / 2);
    }
    return this.groups.map(
      (g) => ((1 + Math.cos((Math.PI * lastEpoch) / TMax)) / (1 + Math.cos((Math.PI * (lastEpoch - 1)) / TMax))) * (g.lr - etaMin) + etaMin,
    );
  }

  override _getClosedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.TMax))) / 2);
  }
}

/** Options of CosineAnnealingWarmRestarts. */
export interface WarmRestartsOptions extends CosineOptions {
  /** The factor by which the period grows after each restart (an integer, default 1). */
  TMult?: number;
}

/** The arguments of CosineAnnealingWarmRestarts after the optimizer, as one options object. */
export type CosineAnnealingWarmRestartsArgs = WarmRestartsOptions & { T0: number };
const COSINE_ANNEALING_WARM_RESTARTS_ARGS = ['T0', 'TMult', 'etaMin', 'lastEpoch', 'verbose'] as const;

/** Cosine annealing with warm restarts every `T0` (then `T0 * TMult`, ...) steps (`CosineAnnealingWarmRestarts`). */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  T0: number;
  TI: number;
  TMult: number;
  etaMin: number;
  TCur: number;

  constructor(optimizer: Optimizer, ...args: OptionArgsRequired<CosineAnnealingWarmRestartsArgs, typeof COSINE_ANNEALING_WARM_RESTARTS_ARGS>) {
    const { T0, ...opts } = bindOptions<CosineAnnealingWarmRestartsArgs>('CosineAnnealingWarmRestarts', args, COSINE_ANNEALING_WARM_RESTARTS_ARGS, [], 1);
    const TMult = opts.TMult ?? 1;
    if (!Number.isInteger(T0) || T0 <= 0) throw new RangeError(`Expected positive integer T_0, but got ${T0}`);
    if (!Number.isInteger(TMult) || TMult < 1) throw new RangeError(`Expected integer T_mult >= 1, but got ${TMult}`);
    const lastEpoch = opts.lastEpoch ?? -1;
    super(optimizer, lastEpoch, opts.verbose);
    this.T0 = T0;
    this.TI = T0;
    this.TMult = TMult;
    this.etaMin = opts.etaMin ?? 0;
    this.TCur = lastEpoch;
    this._initialStep();
  }

  getLr(): number[] {
    this._warnGetLr();
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.TCur) / this.TI))) / 2);
  }

  /** Steps once, or jumps to `epoch` (which may be fractional, e.g. `epoch + i / iters` within an epoch). */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.TCur = this.TCur + 1;
      if (this.TCur >= this.TI) {
        this.TCur = this.TCur - this.TI;
        this.TI = this.TI * this.TMult;
      }
    } else {
      if (epoch < 0) throw new RangeError(`Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.T0) {
        if (this.TMult === 1) {
          this.TCur = pyMod(epoch, this.T0);
        } else {
          const n = Math.trunc(Math.log((epoch / this.T0) * (this.TMult - 1) + 1) / Math.log(this.TMult));
          this.TCur = epoch - (this.T0 * (this.TMult ** n - 1)) / (this.TMult - 1);
          this.TI = this.T0 * this.TMult ** n;
        }
      } else {
        this.TI = this.T0;
        this.TCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this._getLrCalledWithinStep = true;
    try {
      const lrs = this.getLr();
      this.groups.forEach((g, i) => {
        g.lr = lrs[i];
        this.printLr(this.verbose, i, lrs[i], epoch);
      });
    } finally {
      this._getLrCalledWithinStep = false;
    }
    this._lastLr = this.groups.map((g) => g.lr);
  }
}

/** A value per parameter group, or one for all. */
export type PerGroup = number | number[];

function formatParam(name: string, optimizer: Optimizer, param: PerGroup): number[] {
  if (Array.isArray(param)) {
    if (param.length !== optimizer.paramGroups.length) {
      throw new RangeError(`expected ${optimizer.paramGroups.length} values for ${name}, got ${param.length}`);
    }
    return [...param];
  }
  return optimizer.paramGroups.map(() => param);
}

/** Options of CyclicLR. */
export interface CyclicLROptions extends SchedulerOptions {
  /** Steps in the increasing half of a cycle (default 2000). */
  stepSizeUp?: number;
  /** Steps in the decreasing half (default stepSizeUp). */
  stepSizeDown?: number | null;
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  /** The base of 'exp_range' scaling (default 1). */
  gamma?: number;
  /** A custom scaling function (0 <= scaleFn(x) <= 1); overrides `mode`. */
  scaleFn?: ((x: number) => number) | null;
  /** Whether scaleFn takes the cycle number or the iteration (default 'cycle'). */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle momentum inversely to the lr (default true; the optimizer needs a `momentum` option). */
  cycleMomentum?: boolean;
  baseMomentum?: PerGroup;
  maxMomentum?: PerGroup;
}

/** The arguments of CyclicLR after the optimizer, as one options object. */
export type CyclicLRArgs = CyclicLROptions & { baseLr: PerGroup; maxLr: PerGroup };
const CYCLIC_LR_ARGS = ['baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma', 'scaleFn', 'scaleMode', 'cycleMomentum', 'baseMomentum', 'maxMomentum', 'lastEpoch', 'verbose'] as const;

/** Cycles each group's lr between `baseLr` and `maxLr` (`CyclicLR`, the CLR policy); step it after every batch. */
export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: string;
  gamma: number;
  scaleMode: string;
  cycleMomentum: boolean;
  /** The momentum bounds of each group (only when cycling momentum). */
  baseMomentums?: number[];
  maxMomentums?: number[];
  private readonly _scaleFnCustom: ((x: number) => number) | null;

  constructor(optimizer: Optimizer, ...args: OptionArgsRequired<CyclicLRArgs, typeof CYCLIC_LR_ARGS>) {
    const { baseLr, maxLr, ...opts } = bindOptions<CyclicLRArgs>('CyclicLR', args, CYCLIC_LR_ARGS, [], 2);
    checkOptimizer(optimizer);
    const lastEpoch = opts.lastEpoch ?? -1;
    const baseLrs = formatParam('base_lr', optimizer, baseLr);
    if (lastEpoch === -1) optimizer.paramGroups.forEach((g, i) => (g.lr = baseLrs[i]));
    const maxLrs = formatParam('max_lr', optimizer, maxLr);
    const stepSizeUp = opts.stepSizeUp ?? 2000;
    const stepSizeDown = opts.stepSizeDown ?? stepSizeUp;
    const mode = opts.mode ?? 'triangular';
    const scaleFn = opts.scaleFn ?? null;
    if (!['triangular', 'triangular2', 'exp_range'].includes(mode) && scaleFn === null) throw new RangeError('mode is invalid and scale_fn is None');
    const cycleMomentum = opts.cycleMomentum ?? true;
    let baseMomentums: number[] = [];
    let maxMomentums: number[] = [];
    if (cycleMomentum) {
      if (!('momentum' in optimizer.defaults)) throw new RangeError('optimizer must support momentum with `cycle_momentum` option enabled');
      const bm = formatParam('base_momentum', optimizer, opts.baseMomentum ?? 0.8);
      if (lastEpoch === -1) optimizer.paramGroups.forEach((g, i) => (g.momentum = bm[i]));
      baseMomentums = optimizer.paramGroups.map((g) => g.momentum as number);
      maxMomentums = formatParam('max_momentum', optimizer, opts.maxMomentum ?? 0.9);
    }
    super(optimizer, lastEpoch, opts.verbose);
    this.maxLrs = maxLrs;
    this.totalSize = stepSizeUp + stepSizeDown;
    this.stepRatio = stepSizeUp / this.totalSize;
    this.mode = mode;
    this.gamma = opts.gamma ?? 1.0;
    this._scaleFnCustom = scaleFn;
    this.scaleMode = scaleFn !== null ? opts.scaleMode ?? 'cycle' : mode === 'exp_range' ? 'iterations' : 'cycle';
    this.cycleMomentum = cycleMomentum;
    if (cycleMomentum) {
      this.baseMomentums = baseMomentums;
      this.maxMomentums = maxMomentums;
    }
    this._initialStep();
    this.baseLrs = baseLrs;
  }

  /** The amplitude scaling at `x` (the cycle number or the iteration, per scaleMode). */
  scaleFn(x: number): number {
    if (this._scaleFnCustom !== null) return this._scaleFnCustom(x);
    if (this.mode === 'triangular') return 1.0;
    if (this.mode === 'triangular2') return 1 / 2.0 ** (x - 1);
    return this.gamma ** x;
  }

  getLr(): number[] {
    this._warnGetLr();
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1.0 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const at = this.scaleMode === 'cycle' ? cycle : this.lastEpoch;
    const lrs = this.baseLrs.map((baseLr, i) => baseLr + (this.maxLrs[i] - baseLr) * scaleFactor * this.scaleFn(at));
    if (this.cycleMomentum) {
      const maxMomentums = this.maxMomentums as number[];
      const momentums = (this.baseMomentums as number[]).map((bm, i) => maxMomentums[i] - (maxMomentums[i] - bm) * scaleFactor * this.scaleFn(at));
      this.groups.forEach((g, i) => (g.momentum = momentums[i]));
    }
    return lrs;
  }

  override stateDict(): SchedulerStateDict {
    // Python keeps the scaling function as a reference; functions are not state, so both are saved empty.
    const s = fieldsState(this, ['_scaleFnCustom']);
    s._scale_fn_ref = null;
    s._scale_fn_custom = null;
    return s;
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    loadFields(this, stateDict, ['_scaleFnCustom', '_scaleFnRef']);
  }
}

/** Options of OneCycleLR. */
export interface OneCycleLROptions extends SchedulerOptions {
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number | null;
  epochs?: number | null;
  stepsPerEpoch?: number | null;
  /** The fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: PerGroup;
  maxMomentum?: PerGroup;
  /** initialLr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Use the paper's three phases instead of fastai's two. */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/** The arguments of OneCycleLR after the optimizer, as one options object. */
export type OneCycleLRArgs = OneCycleLROptions & { maxLr: PerGroup };
const ONE_CYCLE_LR_ARGS = ['maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch', 'verbose'] as const;

/** The 1cycle policy: warm up to `maxLr`, then anneal far below the start (`OneCycleLR`); step after every batch. */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  cycleMomentum: boolean;
  useBeta1 = false;
  annealStrategy: 'cos' | 'linear';
  private _schedulePhases: Phase[];

  constructor(optimizer: Optimizer, ...args: OptionArgsRequired<OneCycleLRArgs, typeof ONE_CYCLE_LR_ARGS>) {
    const { maxLr, ...opts } = bindOptions<OneCycleLRArgs>('OneCycleLR', args, ONE_CYCLE_LR_ARGS, [], 1);
    checkOptimizer(optimizer);
    const { totalSteps = null, epochs = null, stepsPerEpoch = null } = opts;
    let total: number;
    if (totalSteps === null && epochs === null && stepsPerEpoch === null) {
      throw new RangeError('You must define either totalSteps OR (epochs AND stepsPerEpoch)');
    } else if (totalSteps !== null) {
      if (!Number.isInteger(totalSteps) || totalSteps <= 0) throw new RangeError(`Expected positive integer total_steps, but got ${totalSteps}`);
      total = totalSteps;
    } else {
      if (epochs === null || !Number.isInteger(epochs) || epochs <= 0) throw new RangeError(`Expected positive integer epochs, but got ${epochs}`);
      if (stepsPerEpoch === null || !Number.isInteger(stepsPerEpoch) || stepsPerEpoch <= 0) {
        throw new RangeError(`Expected positive integer steps_per_epoch, but got ${stepsPerEpoch}`);
      }
      total = epochs * stepsPerEpoch;
    }
    const pctStart = opts.pctStart ?? 0.3;
    const phases: Phase[] = opts.threePhase
      ? [
          { endStep: pctStart * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * pctStart * total - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: total - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: pctStart * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: total - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    if (typeof pctStart !== 'number' || pctStart < 0 || pctStart > 1) throw new RangeError(`Expected float between 0 and 1 pct_start, but got ${pctStart}`);
    const annealStrategy = opts.annealStrategy ?? 'cos';
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new RangeError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${String(annealStrategy)}`);
    }
    const lastEpoch = opts.lastEpoch ?? -1;
    const divFactor = opts.divFactor ?? 25;
    const finalDivFactor = opts.finalDivFactor ?? 1e4;
    const maxLrs = formatParam('max_lr', optimizer, maxLr);
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = g.initialLr / finalDivFactor;
      });
    }
    const cycleMomentum = opts.cycleMomentum ?? true;
    let useBeta1 = false;
    if (cycleMomentum) {
      if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
        throw new RangeError('optimizer must support momentum with `cycle_momentum` option enabled');
      }
      useBeta1 = 'betas' in optimizer.defaults;
      const maxMomentums = formatParam('max_momentum', optimizer, opts.maxMomentum ?? 0.95);
      const baseMomentums = formatParam('base_momentum', optimizer, opts.baseMomentum ?? 0.85);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxMomentums[i], ...(g.betas as number[]).slice(1)];
          else g.momentum = maxMomentums[i];
          g.maxMomentum = maxMomentums[i];
          g.baseMomentum = baseMomentums[i];
        });
      }
    }
    super(optimizer, lastEpoch, opts.verbose);
    this.totalSteps = total;
    this._schedulePhases = phases;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this._initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'cos') {
      const cosOut = Math.cos(Math.PI * pct) + 1;
      return end + ((start - end) / 2.0) * cosOut;
    }
    return (end - start) * pct + start;
  }

  getLr(): number[] {
    this._warnGetLr();
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new RangeError(`Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`);
    }
    return this.groups.map((group) => {
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      const phases = this._schedulePhases;
      for (let i = 0; i < phases.length; i++) {
        const endStep = phases[i].endStep;
        if (stepNum <= endStep || i === phases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          lr = this.anneal(group[phases[i].startLr] as number, group[phases[i].endLr] as number, pct);
          if (this.cycleMomentum) momentum = this.anneal(group[phases[i].startMomentum] as number, group[phases[i].endMomentum] as number, pct);
          break;
        }
        startStep = phases[i].endStep;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) group.betas = [momentum, ...(group.betas as number[]).slice(1)];
        else group.momentum = momentum;
      }
      return lr;
    });
  }

  /** The state; the phases name the groups' keys as Python does (`'initial_lr'`). */
  override stateDict(): SchedulerStateDict {
    const s = fieldsState(this, ['_schedulePhases']);
    s._schedule_phases = this._schedulePhases.map((ph) => ({
      end_step: ph.endStep, start_lr: snakeCase(ph.startLr), end_lr: snakeCase(ph.endLr),
      start_momentum: snakeCase(ph.startMomentum), end_momentum: snakeCase(ph.endMomentum),
    }));
    return s;
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    loadFields(this, stateDict, ['_schedulePhases']);
    const phases = stateDict._schedule_phases as Record<string, number | string>[] | undefined;
    if (Array.isArray(phases)) {
      this._schedulePhases = phases.map((ph) => ({
        endStep: ph.end_step as number, startLr: camelCase(ph.start_lr as string), endLr: camelCase(ph.end_lr as string),
        startMomentum: camelCase(ph.start_momentum as string), endMomentum: camelCase(ph.end_momentum as string),
      }));
    }
  }
}

/** The arguments of SequentialLR after the optimizer, as one options object. */
export type SequentialLRArgs = SchedulerOptions & { schedulers: LRScheduler[]; milestones: number[] };
const SEQUENTIAL_LR_ARGS = ['schedulers', 'milestones', 'lastEpoch', 'verbose'] as const;

/** Runs `schedulers` one after another, switching at each milestone (`SequentialLR`). */
export class SequentialLR extends LRScheduler {
  private readonly _schedulers: LRScheduler[];
  private readonly _milestones: number[];

  constructor(optimizer: Optimizer, ...args: OptionArgsRequired<SequentialLRArgs, typeof SEQUENTIAL_LR_ARGS>) {
    const { schedulers, milestones, ...opts } = bindOptions<SequentialLRArgs>('SequentialLR', args, SEQUENTIAL_LR_ARGS, [], 2);
    checkOptimizer(optimizer);
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new RangeError(
          `Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${i} to be different than the optimizer passed in.`,
        );
      }
    });
    if (milestones.length !== schedulers.length - 1) {
      throw new RangeError(
        'Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got ' +
          `number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`,
      );
    }
    super(optimizer, opts.lastEpoch, opts.verbose);
    this._schedulers = [...schedulers];
    this._milestones = [...milestones];
    this.lastEpoch = (opts.lastEpoch ?? -1) + 1;
    // Reset learning rates back to initial values, undo the other schedulers' initial steps, and take the
    // first scheduler's initial step alone.
    for (const g of this.groups) g.lr = g.initialLr as number;
    for (const s of this._schedulers) s.lastEpoch -= 1;
    this._schedulers[0]._initialStep();
    this._lastLr = this._schedulers[0].getLastLr();
  }

  getLr(): number[] {
    return this.getLastLr();
  }

  override step(): void {
    this.lastEpoch += 1;
    const idx = bisectRight(this._milestones, this.lastEpoch);
    const scheduler = this._schedulers[idx];
    if (idx > 0 && this._milestones[idx - 1] === this.lastEpoch) {
      internalEpochStep = true;
      try {
        scheduler.step(0);
      } finally {
        internalEpochStep = false;
      }
    } else {
      scheduler.step();
    }
    this._lastLr = scheduler.getLastLr();
  }

  /** The state, with each wrapped scheduler's state under `_schedulers`. */
  override stateDict(): SchedulerStateDict {
    return {
      _milestones: [...this._milestones], last_epoch: this.lastEpoch, _last_lr: [...this._lastLr],
      _schedulers: this._schedulers.map((x) => x.stateDict()),
    };
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    loadFields(this, stateDict, ['_schedulers', '_milestones']);
    const inner = stateDict._schedulers as SchedulerStateDict[] | undefined;
    inner?.forEach((s, i) => this._schedulers[i].loadStateDict(s));
  }
}

/** Steps several schedulers together at every step() (`ChainedScheduler`). */
export class ChainedScheduler extends LRScheduler {
  private readonly _schedulers: LRScheduler[];

  constructor(schedulers: LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0 || !schedulers.every((s) => s instanceof LRScheduler)) {
      throw new TypeError('ChainedScheduler expects a non-empty array of schedulers');
    }
    for (let i = 1; i < schedulers.length; i++) {
      if (schedulers[i].optimizer !== schedulers[0].optimizer) {
        throw new RangeError(
          `ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different`,
        );
      }
    }
    super(schedulers[0].optimizer);
    this._schedulers = [...schedulers];
    this._lastLr = this.groups.map((g) => g.lr);
  }

  getLr(): number[] {
    return this.getLastLr();
  }

  /** Steps every chained scheduler, in order. */
  override step(): void {
    for (const s of this._schedulers) s.step();
    this._lastLr = this.groups.map((g) => g.lr);
  }

  /** The state, with each chained scheduler's state under `_schedulers`. */
  override stateDict(): SchedulerStateDict {
    return { _last_lr: [...this._lastLr], _schedulers: this._schedulers.map((x) => x.stateDict()) };
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    loadFields(this, stateDict, ['_schedulers']);
    const inner = stateDict._schedulers as SchedulerStateDict[] | undefined;
    inner?.forEach((s, i) => this._schedulers[i].loadStateDict(s));
  }
}

/** Options of ReduceLROnPlateau. */
export interface ReduceLROnPlateauOptions {
  /** 'min': reduce when the metric stops decreasing; 'max': when it stops increasing. */
  mode?: 'min' | 'max';
  /** new lr = lr * factor (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** What counts as an improvement (default 1e-4). */
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction (default 0). */
  cooldown?: number;
  /** A lower bound on the lr, for all groups or each. */
  minLr?: PerGroup;
  /** Reductions smaller than this are ignored (default 1e-8). */
  eps?: number;
  verbose?: boolean;
}

const REDUCE_LR_ON_PLATEAU_ARGS = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps', 'verbose'] as const;

/** Reduces the learning rate when a metric has stopped improving (`ReduceLROnPlateau`). */
export class ReduceLROnPlateau {
  /** The wrapped optimizer. */
  readonly optimizer: Optimizer;
  factor: number;
  minLrs: number[];
  patience: number;
  verbose: boolean;
  cooldown: number;
  cooldownCounter = 0;
  mode: 'min' | 'max';
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  best = Infinity;
  numBadEpochs = 0;
  modeWorse = Infinity;
  eps: number;
  lastEpoch = 0;
  private _lastLr: number[];

  constructor(optimizer: Optimizer, ...args: OptionArgs<ReduceLROnPlateauOptions, typeof REDUCE_LR_ON_PLATEAU_ARGS>) {
    const opts = bindOptions<ReduceLROnPlateauOptions>('ReduceLROnPlateau', args, REDUCE_LR_ON_PLATEAU_ARGS);
    const factor = opts.factor ?? 0.1;
    if (factor >= 1.0) throw new RangeError('Factor should be < 1.0.');
    checkOptimizer(optimizer);
    this.factor = factor;
    this.optimizer = optimizer;
    const minLr = opts.minLr ?? 0;
    if (Array.isArray(minLr)) {
      if (minLr.length !== optimizer.paramGroups.length) throw new RangeError(`expected ${optimizer.paramGroups.length} min_lrs, got ${minLr.length}`);
      this.minLrs = [...minLr];
    } else {
      this.minLrs = optimizer.paramGroups.map(() => minLr);
    }
    this.patience = opts.patience ?? 10;
    this.verbose = opts.verbose ?? false;
    this.cooldown = opts.cooldown ?? 0;
    this.mode = opts.mode ?? 'min';
    this.threshold = opts.threshold ?? 1e-4;
    this.thresholdMode = opts.thresholdMode ?? 'rel';
    this.eps = opts.eps ?? 1e-8;
    this.initIsBetter(this.mode, this.thresholdMode);
    this.reset();
    this._lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private reset(): void {
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  /** Records `metrics` (a number or a one-element tensor) for this epoch, reducing the lr if it has plateaued. */
  step(metrics: number | Tensor, epoch?: number): void {
    const current = metrics instanceof Tensor ? Number(metrics.item()) : metrics;
    if (typeof current !== 'number') throw new TypeError(`ReduceLROnPlateau.step() expects a number or a Tensor, but received ${describe(metrics)}`);
    if (epoch === undefined) epoch = this.lastEpoch + 1;
    else warnOnce(EPOCH_DEPRECATION_WARNING);
    this.lastEpoch = epoch;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr(epoch);
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(epoch: number): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]);
      if (oldLr - newLr > this.eps) {
        group.lr = newLr;
        if (this.verbose) {
          const epochStr = Number.isInteger(epoch) ? String(epoch).padStart(5, '0') : epoch.toFixed(2);
          console.log(`Epoch ${epochStr}: reducing learning rate of group ${i} to ${formatE4(newLr)}.`);
        }
      }
    });
  }

  /** Whether the scheduler is waiting out its cooldown. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether metric `a` improves on `best` under the mode and threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1.0 - this.threshold);
    if (this.mode === 'min' && this.thresholdMode === 'abs') return a < best - this.threshold;
    if (this.mode === 'max' && this.thresholdMode === 'rel') return a > best * (this.threshold + 1.0);
    return a > best + this.threshold;
  }

  private initIsBetter(mode: string, thresholdMode: string): void {
    if (mode !== 'min' && mode !== 'max') throw new RangeError(`mode ${mode} is unknown!`);
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') throw new RangeError(`threshold mode ${thresholdMode} is unknown!`);
    this.modeWorse = mode === 'min' ? Infinity : -Infinity;
  }

  /** The learning rates after the last step(). */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** The state: every attribute but the optimizer, under Python's names. */
  stateDict(): SchedulerStateDict {
    return fieldsState(this, []);
  }

  /** Restores a state from stateDict(). */
  loadStateDict(stateDict: SchedulerStateDict): void {
    loadFields(this, stateDict, []);
    this.initIsBetter(this.mode, this.thresholdMode);
  }
}
