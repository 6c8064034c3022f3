// torch.autocast and torch.amp.GradScaler: mixed precision training.
import { N } from './native';
import { Tensor, tidy } from './tensor';
import './tensor_ops';
import { DTypeLike, toDType, describe } from './dtype';
import { callOp } from './dispatch';

/** Options of autocast. */
export interface AutocastOptions {
  /** float16 or bfloat16 (default: float16 on CUDA, bfloat16 on CPU). */
  dtype?: DTypeLike;
  enabled?: boolean;
}

/**
 * `with torch.autocast('cuda', dtype=torch.bfloat16):` — runs `fn` with eligible ops (matmul, conv, ...) in
 * lower precision, and returns its value. The state is restored when `fn` returns or throws.
 */
export function autocast<T>(deviceType: 'cuda' | 'cpu', opts: AutocastOptions, fn: () => T): T;
export function autocast<T>(deviceType: 'cuda' | 'cpu', fn: () => T): T;
export function autocast<T>(deviceType: 'cuda' | 'cpu', optsOrFn: AutocastOptions | (() => T), maybeFn?: () => T): T {
  const fn = typeof optsOrFn === 'function' ? optsOrFn : maybeFn;
  const opts = typeof optsOrFn === 'function' ? {} : optsOrFn;
  if (typeof fn !== 'function') throw new TypeError(`autocast expects a function, but received ${describe(fn)}`);
  const dtype = opts.dtype === undefined ? (deviceType === 'cpu' ? 'bfloat16' : 'float16') : toDType(opts.dtype);
  if (dtype !== 'float16' && dtype !== 'bfloat16') throw new TypeError(`autocast supports float16 and bfloat16, not ${dtype}`);
  const prev = N.autocastEnter(deviceType, opts.enabled ?? true, dtype);
  try {
    const result = fn();
    if (result instanceof Promise) throw new TypeError('autocast() cannot be used with an async function');
    return result;
  } finally {
    N.autocastExit(deviceType, prev.enabled, prev.dtype);
  }
}

/** What GradScaler needs of an optimizer. */
export interface ScalableOptimizer {
  paramGroups: { params: Tensor[] }[];
  step(closure?: () => unknown): unknown;
}

/** Options of GradScaler, with PyTorch's defaults. */
export interface GradScalerOptions {
  initScale?: number;
  growthFactor?: number;
  backoffFactor?: number;
  growthInterval?: number;
  enabled?: boolean;
}

/** GradScaler's state dict, with PyTorch's keys. */
export interface GradScalerState {
  scale: number;
  growth_factor: number;
  backoff_factor: number;
  growth_interval: number;
  _growth_tracker: number;
}

type Stage = 'ready' | 'unscaled' | 'stepped';

/**
 * Loss scaling for float16 training (`torch.amp.GradScaler`): scale(loss).backward(), step(optimizer),
 * update(). Steps with non-finite gradients are skipped and the scale backs off; after `growthInterval`
 * finite steps it grows.
 */
export class GradScaler {
  private scaleValue: number;
  private growthTracker = 0;
  private readonly growthFactor: number;
  private readonly backoffFactor: number;
  private readonly growthInterval: number;
  private readonly enabled: boolean;
  private perOptimizer = new WeakMap<ScalableOptimizer, { stage: Stage; foundInf: boolean }>();
  private foundInfThisStep = false;

  constructor(opts: GradScalerOptions = {}) {
    this.scaleValue = opts.initScale ?? 2 ** 16;
    this.growthFactor = opts.growthFactor ?? 2;
    this.backoffFactor = opts.backoffFactor ?? 0.5;
    this.growthInterval = opts.growthInterval ?? 2000;
    this.enabled = opts.enabled ?? true;
    if (!(this.growthFactor > 1)) throw new RangeError('The growth factor must be > 1.0.');
    if (!(this.backoffFactor < 1)) throw new RangeError('The backoff factor must be < 1.0.');
  }

  /** Whether scaling is on. */
  isEnabled(): boolean {
    return this.enabled;
  }

  /** Multiplies a loss (or losses) by the current scale. */
  scale(outputs: Tensor): Tensor;
  scale(outputs: Tensor[]): Tensor[];
  scale(outputs: Tensor | Tensor[]): Tensor | Tensor[] {
    if (!this.enabled) return outputs;
    if (Array.isArray(outputs)) return outputs.map((o) => o.mul(this.scaleValue));
    return outputs.mul(this.scaleValue);
  }

  private state(optimizer: ScalableOptimizer) {
    let s = this.perOptimizer.get(optimizer);
    if (!s) {
      s = { stage: 'ready', foundInf: false };
      this.perOptimizer.set(optimizer, s);
    }
    return s;
  }

  /** Divides the optimizer's gradients by the scale (in place) and records whether any is inf or NaN. */
  unscale_(optimizer: ScalableOptimizer): void {
    if (!this.enabled) return;
    const s = this.state(optimizer);
    if (s.stage === 'unscaled') throw new Error('unscale_() has already been called on this optimizer since the last update().');
    if (s.stage === 'stepped') throw new Error('unscale_() is being called after step().');
    const grads: Tensor[] = [];
    for (const g of optimizer.paramGroups) for (const p of g.params) {
      const grad = p.grad;
      if (grad) grads.push(grad);
    }
    const inv = 1 / this.scaleValue;
    s.foundInf = tidy(() => {
      let found = false;
      for (const g of grads) {
        if (!found && g.isfinite().all().logicalNot().item()) found = true;
        callOp('mul_', [g, inv]);
      }
      return found;
    });
    s.stage = 'unscaled';
  }

  /** Unscales if needed, then runs optimizer.step() unless a gradient was inf or NaN. */
  step(optimizer: ScalableOptimizer, closure?: () => unknown): unknown {
    if (!this.enabled) return optimizer.step(closure);
    if (closure) throw new Error('Closure use is not currently supported if GradScaler is enabled.');
    const s = this.state(optimizer);
    if (s.stage === 'stepped') throw new Error('step() has already been called since the last update().');
    if (s.stage === 'ready') this.unscale_(optimizer);
    s.stage = 'stepped';
    if (s.foundInf) {
      this.foundInfThisStep = true;
      return undefined;
    }
    return optimizer.step();
  }

  /** Updates the scale: backs off after a skipped step, grows after growthInterval good ones. */
  update(newScale?: number): void {
    if (!this.enabled) return;
    if (newScale !== undefined) {
      if (!(newScale > 0)) throw new RangeError(`new scale must be positive, got ${newScale}`);
      this.scaleValue = newScale;
    } else if (this.foundInfThisStep) {
      this.scaleValue *= this.backoffFactor;
      this.growthTracker = 0;
    } else if (++this.growthTracker === this.growthInterval) {
      this.scaleValue *= this.growthFactor;
      this.growthTracker = 0;
    }
    this.foundInfThisStep = false;
    this.perOptimizer = new WeakMap();
  }

  /** The current scale. */
  getScale(): number {
    return this.enabled ? this.scaleValue : 1;
  }

  /** The state to save with a checkpoint, keyed as PyTorch's. */
  stateDict(): GradScalerState {
    return {
      scale: this.scaleValue,
      growth_factor: this.growthFactor,
      backoff_factor: this.backoffFactor,
      growth_interval: this.growthInterval,
      _growth_tracker: this.growthTracker,
    };
  }

  /** Restores the scale and growth tracker. */
  loadStateDict(state: GradScalerState): void {
    if (typeof state?.scale !== 'number') throw new TypeError('GradScaler.loadStateDict: the state has no numeric scale');
    this.scaleValue = state.scale;
    this.growthTracker = state._growth_tracker ?? 0;
  }
}
