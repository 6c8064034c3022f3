// torch.nn.parallel.DistributedDataParallel: data parallelism across processes over c10d. Gradients are
// all-reduced (averaged) by c10d's own Reducer, which hooks the parameters' gradient accumulators and reduces
// buckets of gradients while backward is still running, exactly as in PyTorch.
import { DistHandle } from '../../native';
import { Tensor } from '../../tensor';
import { TorchError } from '../../errors';
import { describe } from '../../dtype';
import { isGradEnabled } from '../../autograd';
import { Module } from '../module';
import { ProcessGroup, defaultGroup } from '../../distributed/distributed_c10d';
import { c10d } from '../../distributed/store';

/** Options of DistributedDataParallel. */
export interface DistributedDataParallelOptions {
  /** For a module on one CUDA device: that device ([rank] with one process per GPU); none for CPU modules. */
  deviceIds?: (number | string)[] | null;
  /** The group to reduce over (default WORLD). */
  processGroup?: ProcessGroup;
  /** Broadcast rank 0's buffers (e.g. BatchNorm statistics) before each forward (default true). */
  broadcastBuffers?: boolean;
  /** Bucket size in MiB for the gradient all-reduce (default 25). */
  bucketCapMb?: number;
  /** Find parameters the forward did not use, so that backward does not wait for them (default false). */
  findUnusedParameters?: boolean;
}

// torch.nn.parallel.distributed's sizes: module states are broadcast in 250 MiB buffers.
const BROADCAST_BUCKET_BYTES = 250 * 1024 * 1024;
const MIB = 1024 * 1024;

function collectTensors(x: unknown, out: Tensor[], seen: Set<unknown>): Tensor[] {
  if (x instanceof Tensor) out.push(x);
  else if (x !== null && typeof x === 'object' && !seen.has(x)) {
    seen.add(x);
    for (const v of x instanceof Map ? x.values() : Object.values(x)) collectTensors(v, out, seen);
  }
  return out;
}

/**
 * Wraps `module` for data-parallel training: every process (rank) runs the same model on its own part of the
 * data; at construction rank 0's parameters and buffers are copied to all ranks, and after each backward every
 * rank holds the average of all ranks' gradients, so that the optimizers take the same step everywhere.
 * Parameters that do not require gradients are left out of the reduction. The wrapped module is `module` (state
 * dict keys start with `module.`, as in PyTorch).
 */
export class DistributedDataParallel<M extends Module = Module> extends Module {
  /** The wrapped module. */
  declare module: M;
  /** Whether backward all-reduces gradients (false inside `noSync`). */
  requireBackwardGradSync = true;
  /** @internal */
  declare readonly _reducer: DistHandle;
  /** @internal */
  declare readonly _group: ProcessGroup;
  /** @internal */
  declare readonly _syncedBuffers: Tensor[];
  /** @internal */
  declare readonly _opts: Required<Pick<DistributedDataParallelOptions, 'broadcastBuffers' | 'findUnusedParameters'>>;
  /** @internal Whether the last forward armed the reducer (buffers are synchronised only then). */
  declare _forwardParamSync: boolean;

  constructor(module: M, opts: DistributedDataParallelOptions = {}) {
    super();
    if (!(module instanceof Module)) throw new TypeError(`DistributedDataParallel: module must be an nn.Module, but received ${describe(module)}`);
    const group = opts.processGroup ?? defaultGroup();
    const bucketCapMb = opts.bucketCapMb ?? 25;
    if (typeof bucketCapMb !== 'number' || !(bucketCapMb > 0)) throw new RangeError(`DistributedDataParallel: bucketCapMb must be positive, but received ${describe(bucketCapMb)}`);
    const named = [...module.namedParameters()];
    const trained = named.filter(([, p]) => p.requiresGrad);
    if (trained.length === 0) {
      throw new TorchError("DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient.");
    }
    const devices = new Set(named.map(([, p]) => p.device.toString()));
    const deviceIds = opts.deviceIds ?? null;
    const onCpu = [...devices].every((d) => d === 'cpu');
    if (devices.size > 1 && deviceIds !== null) {
      throw new TorchError(`DistributedDataParallel's deviceIds only work with single-device modules, but the module's parameters are on ${[...devices].join(', ')}.`);
    }
    if (deviceIds !== null && (onCpu || deviceIds.length !== 1)) {
      throw new TorchError(
        `DistributedDataParallel deviceIds argument only works with single-device GPU modules or CPU modules, but got deviceIds [${deviceIds.join(', ')}] and module parameters on ${[...devices].join(', ')}.`,
      );
    }
    const buffers = [...module.namedBuffers()].map(([, b]) => b);
    const d = c10d();
    // Every rank starts from rank 0's state.
    d.distBroadcastCoalesced(group._handle, [...named.map(([, p]) => p.handle), ...buffers.map((b) => b.handle)], BROADCAST_BUCKET_BYTES, 0);
    const reducer = d.distReducerNew(
      group._handle,
      trained.map(([, p]) => p.handle),
      trained.map(([n]) => n),
      Math.floor(bucketCapMb * MIB),
      opts.findUnusedParameters ?? false,
    );
    this.module = module;
    const internal: Record<string, unknown> = {
      _reducer: reducer,
      _group: group,
      _syncedBuffers: buffers,
      _opts: { broadcastBuffers: opts.broadcastBuffers ?? true, findUnusedParameters: opts.findUnusedParameters ?? false },
      _forwardParamSync: true,
    };
    for (const [k, v] of Object.entries(internal)) Object.defineProperty(this, k, { value: v, writable: true, enumerable: false, configurable: true });
  }

  /** Runs the wrapped module's forward, arming the gradient reduction of the next backward. */
  override forward(...inputs: unknown[]): unknown {
    const d = c10d();
    const grad = isGradEnabled();
    const sync = grad && this.requireBackwardGradSync;
    try {
      if (grad) d.distReducerRebuildBuckets(this._reducer);
      if (sync) d.distReducerPrepareForward(this._reducer);
    } catch (e) {
      if (e instanceof TorchError && e.message.includes('find_unused_parameters')) {
        throw new TorchError(`${e.message}\ntorch-node: pass { findUnusedParameters: true } to nn.parallel.DistributedDataParallel.`);
      }
      throw e;
    }
    if (this._opts.broadcastBuffers && this._forwardParamSync && this._syncedBuffers.length > 0) {
      d.distBroadcastCoalesced(this._group._handle, this._syncedBuffers.map((b) => b.handle), BROADCAST_BUCKET_BYTES, 0);
    }
    const out = this.module.forward(...inputs);
    if (sync) {
      this._forwardParamSync = true;
      const outputs = this._opts.findUnusedParameters ? collectTensors(out, [], new Set()).map((t) => t.handle) : [];
      d.distReducerPrepareBackward(this._reducer, outputs);
    } else {
      this._forwardParamSync = false;
    }
    return out;
  }

  /**
   * Runs `fn` without gradient synchronisation (gradients accumulate locally; the first backward after it
   * reduces everything accumulated), as PyTorch's `with ddp.no_sync():`. `fn` may be async.
   */
  noSync<T>(fn: () => T): T {
    const before = this.requireBackwardGradSync;
    this.requireBackwardGradSync = false;
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.requireBackwardGradSync = before;
      throw e;
    }
    if (result instanceof Promise) {
      return result.finally(() => {
        this.requireBackwardGradSync = before;
      }) as T;
    }
    this.requireBackwardGradSync = before;
    return result;
  }

  override extraRepr(): string {
    return '';
  }
}


