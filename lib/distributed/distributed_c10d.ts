// torch.distributed's process groups and collectives over c10d. Collectives return Promises: the wait runs off the
// JavaScript thread, so the event loop stays alive; a Promise is what `async_op=True` gives in Python (await it
// where Python calls `work.wait()`). The tensors passed must not be used until it settles.
import { N, DistHandle, DistReduceOp } from '../native';
import { Tensor } from '../tensor';
import { TorchError } from '../errors';
import { describe } from '../dtype';
import { cat } from '../functions';
import { noGrad } from '../autograd';
import { c10d, Store, DEFAULT_TIMEOUT_MS } from './store';
import { rendezvous } from './rendezvous';

/** The reduction of `allReduce` and `reduceScatter`, as `torch.distributed.ReduceOp`. */
export const ReduceOp = Object.freeze({
  SUM: 'sum',
  AVG: 'avg',
  PRODUCT: 'product',
  MIN: 'min',
  MAX: 'max',
  BAND: 'band',
  BOR: 'bor',
  BXOR: 'bxor',
} as const);
/** One of `ReduceOp`'s values. */
export type ReduceOp = DistReduceOp;

/** The communication backends: Gloo (CPU tensors) and NCCL (CUDA tensors, on a CUDA build). */
export type Backend = 'gloo' | 'nccl';

/** A group of processes that run collectives together; `initProcessGroup` makes the default one (WORLD). */
export class ProcessGroup {
  /** @internal */
  constructor(
    readonly _handle: DistHandle,
    private readonly rank: number,
    private readonly worldSize: number,
    /** The backend the group runs on. */
    readonly backend: Backend,
    /** @internal The store the group was made with (freed with it). */
    readonly _store: Store | null,
  ) {}

  /** This process's rank in the group. */
  getRank(): number {
    return this.rank;
  }

  /** The number of processes in the group. */
  size(): number {
    return this.worldSize;
  }
}

let world: ProcessGroup | null = null;

/** Options of `initProcessGroup`. */
export interface InitProcessGroupOptions {
  /** 'gloo' (CPU) or 'nccl' (CUDA); default: 'nccl' when CUDA is available, else 'gloo'. */
  backend?: Backend;
  /** 'env://' (default), 'tcp://host:port' or 'file://path'; exclusive with `store`. */
  initMethod?: string;
  /** A store all ranks share, instead of `initMethod`. */
  store?: Store;
  /** The number of processes (default: WORLD_SIZE with 'env://'). */
  worldSize?: number;
  /** This process's rank, 0..worldSize-1 (default: RANK with 'env://'). */
  rank?: number;
  /** How long the rendezvous and each collective may wait for the other ranks, in milliseconds (default 30 min). */
  timeout?: number;
}

/** Whether torch-node was built with torch.distributed (c10d). */
export function isAvailable(): boolean {
  return N.distNewGroup !== undefined;
}

/** Whether the default process group has been initialized. */
export function isInitialized(): boolean {
  return world !== null;
}

/** Whether the NCCL backend is available (a CUDA build). */
export function isNcclAvailable(): boolean {
  return isAvailable() && N.version().cuda;
}

/** Whether the Gloo backend is available. */
export function isGlooAvailable(): boolean {
  return isAvailable();
}

/**
 * Initializes the default process group: every rank calls it with the same init method and world size; it settles
 * once all ranks have joined (or rejects when `timeout` passes first).
 */
export async function initProcessGroup(opts: InitProcessGroupOptions = {}): Promise<void> {
  if (world) throw new TorchError('trying to initialize the default process group twice!');
  if (opts.store !== undefined && opts.initMethod !== undefined) throw new TypeError('Cannot specify both initMethod and store.');
  const backend = opts.backend ?? (isNcclAvailable() ? 'nccl' : 'gloo');
  if (backend !== 'gloo' && backend !== 'nccl') throw new TypeError(`Invalid backend: '${String(backend)}' (expected 'gloo' or 'nccl')`);
  const timeout = opts.timeout ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeout !== 'number' || !(timeout > 0)) throw new RangeError(`timeout must be a positive number of milliseconds, but received ${describe(timeout)}`);
  const ms = Math.ceil(timeout);
  let store: Store;
  let rank: number;
  let worldSize: number;
  if (opts.store !== undefined) {
    if (!(opts.store instanceof Store)) throw new TypeError(`store must be a distributed.Store, but received ${describe(opts.store)}`);
    if (opts.rank === undefined || opts.worldSize === undefined) throw new TypeError('rank and worldSize are required with store');
    ({ store, rank, worldSize } = { store: opts.store, rank: opts.rank, worldSize: opts.worldSize });
  } else {
    const initMethod = opts.initMethod ?? 'env://';
    try {
      ({ store, rank, worldSize } = await rendezvous(initMethod, opts.rank, opts.worldSize, ms));
    } catch (e) {
      throw rendezvousError(e, opts.rank, opts.worldSize, ms);
    }
  }
  let handle: DistHandle;
  try {
    handle = await c10d().distNewGroup(store._handle, rank, worldSize, backend, ms);
  } catch (e) {
    // A store made here (a TCP server on rank 0) is freed now, not at the next GC.
    if (opts.store === undefined) store.close();
    throw rendezvousError(e, rank, worldSize, ms);
  }
  if (world) {
    c10d().distRelease(handle);
    throw new TorchError('trying to initialize the default process group twice!');
  }
  world = new ProcessGroup(handle, rank, worldSize, backend, opts.store === undefined ? store : null);
}

// c10d's rendezvous errors are terse ("Socket Timeout"): say what was being waited for.
function rendezvousError(e: unknown, rank: number | undefined, worldSize: number | undefined, ms: number): unknown {
  if (!(e instanceof TorchError)) return e;
  const who = rank === undefined ? 'this rank' : `rank ${rank}${worldSize === undefined ? '' : ` of ${worldSize}`}`;
  return new TorchError(`initProcessGroup(): ${who} could not meet the other ranks within ${ms} ms: ${e.message}`);
}

/** The default process group; throws if none was initialized. */
export function defaultGroup(): ProcessGroup {
  if (!world) throw new TorchError('Default process group has not been initialized, please make sure to call initProcessGroup.');
  return world;
}

/** Frees the default process group (and the store it made); collectives after it throw. */
export function destroyProcessGroup(): void {
  const g = defaultGroup();
  world = null;
  c10d().distRelease(g._handle);
  g._store?.close();
}

/** This process's rank in `group` (default WORLD). */
export function getRank(group?: ProcessGroup): number {
  return (group ?? defaultGroup()).getRank();
}

/** The number of processes in `group` (default WORLD). */
export function getWorldSize(group?: ProcessGroup): number {
  return (group ?? defaultGroup()).size();
}

/** The backend of `group` (default WORLD). */
export function getBackend(group?: ProcessGroup): Backend {
  return (group ?? defaultGroup()).backend;
}

function checkTensor(t: unknown, who: string, name = 'tensor'): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${who}: ${name} must be a Tensor, but received ${describe(t)}`);
  return t;
}

function checkTensors(ts: unknown, who: string, name: string, n?: number): Tensor[] {
  if (!Array.isArray(ts)) throw new TypeError(`${who}: ${name} must be an array of Tensors, but received ${describe(ts)}`);
  ts.forEach((t, i) => checkTensor(t, who, `${name}[${i}]`));
  if (n !== undefined && ts.length !== n) throw new RangeError(`${who}: ${name} must hold one tensor per rank (${n}), but holds ${ts.length}`);
  return ts as Tensor[];
}

function checkRankArg(r: unknown, g: ProcessGroup, who: string, name: string): number {
  if (!Number.isInteger(r) || (r as number) < 0 || (r as number) >= g.size()) {
    throw new RangeError(`${who}: ${name} must be a rank in 0..${g.size() - 1}, but received ${describe(r)}`);
  }
  return r as number;
}

function checkOp(op: unknown, who: string): ReduceOp {
  if (!Object.values(ReduceOp).includes(op as ReduceOp)) throw new TypeError(`${who}: op must be one of distributed.ReduceOp's values, but received ${describe(op)}`);
  return op as ReduceOp;
}

/** Options of `allReduce` and `reduceScatter`. */
export interface ReduceOpOptions {
  /** The reduction (default ReduceOp.SUM). */
  op?: ReduceOp;
  /** The group (default WORLD). */
  group?: ProcessGroup;
}

/** Options of collectives that only take a group. */
export interface GroupOptions {
  /** The group (default WORLD). */
  group?: ProcessGroup;
}

/** Options of `send` and `recv`. */
export interface P2POptions extends GroupOptions {
  /** Matches a send with a recv (default 0). */
  tag?: number;
}

async function allReduceIn(g: ProcessGroup, t: Tensor, op: ReduceOp): Promise<void> {
  // Gloo has no AVG: sum, then divide (integers truncate, as NCCL's average does).
  if (op === ReduceOp.AVG && g.backend === 'gloo') {
    await c10d().distAllReduce(g._handle, [t.handle], ReduceOp.SUM);
    noGrad(() => (t.isFloatingPoint() ? t.div_(g.size()) : t.div_(g.size(), { roundingMode: 'trunc' })));
    return;
  }
  await c10d().distAllReduce(g._handle, [t.handle], op);
}

/** Reduces `tensor` across all ranks in place: every rank ends with the same result. */
export function allReduce(tensor: Tensor, opts: ReduceOpOptions = {}): Promise<void> {
  const t = checkTensor(tensor, 'allReduce()');
  const op = checkOp(opts.op ?? ReduceOp.SUM, 'allReduce()');
  return allReduceIn(opts.group ?? defaultGroup(), t, op);
}

/** Copies `tensor` of rank `src` into `tensor` on every other rank. */
export function broadcast(tensor: Tensor, src: number, opts: GroupOptions = {}): Promise<void> {
  const g = opts.group ?? defaultGroup();
  const t = checkTensor(tensor, 'broadcast()');
  return c10d().distBroadcast(g._handle, [t.handle], checkRankArg(src, g, 'broadcast()', 'src'));
}

/** Gathers every rank's `tensor` into `tensorList` (one tensor per rank, in rank order) on every rank. */
export function allGather(tensorList: Tensor[], tensor: Tensor, opts: GroupOptions = {}): Promise<void> {
  const g = opts.group ?? defaultGroup();
  const outs = checkTensors(tensorList, 'allGather()', 'tensorList', g.size());
  const t = checkTensor(tensor, 'allGather()');
  return c10d().distAllGather(g._handle, outs.map((o) => o.handle), t.handle);
}

/**
 * Reduces `inputList[r]` across ranks into `output` on rank r. Gloo has no reduce-scatter: there it is an
 * all-reduce of the concatenated inputs, of which each rank keeps its own part (the same result, with world size
 * times the traffic).
 */
export async function reduceScatter(output: Tensor, inputList: Tensor[], opts: ReduceOpOptions = {}): Promise<void> {
  const g = opts.group ?? defaultGroup();
  const out = checkTensor(output, 'reduceScatter()', 'output');
  const ins = checkTensors(inputList, 'reduceScatter()', 'inputList', g.size());
  const op = checkOp(opts.op ?? ReduceOp.SUM, 'reduceScatter()');
  if (g.backend !== 'gloo') return c10d().distReduceScatter(g._handle, out.handle, ins.map((t) => t.handle), op);
  const flat = noGrad(() => cat(ins.map((t) => t.reshape(-1))));
  try {
    await allReduceIn(g, flat, op);
    const offset = ins.slice(0, g.getRank()).reduce((n, t) => n + t.numel(), 0);
    noGrad(() => {
      const part = flat.narrow(0, offset, ins[g.getRank()].numel());
      out.copy_(part.view(out.shape));
      part.dispose();
    });
  } finally {
    flat.dispose();
  }
}

/** Settles when every rank of the group has reached it. */
export function barrier(opts: GroupOptions = {}): Promise<void> {
  return c10d().distBarrier((opts.group ?? defaultGroup())._handle);
}

/** Sends `tensor` to rank `dst`, which receives it with `recv`. */
export function send(tensor: Tensor, dst: number, opts: P2POptions = {}): Promise<void> {
  const g = opts.group ?? defaultGroup();
  const t = checkTensor(tensor, 'send()');
  checkRankArg(dst, g, 'send()', 'dst');
  if (dst === g.getRank()) throw new RangeError('send(): Invalid destination rank: should not be the same as the rank of the current process.');
  return c10d().distSend(g._handle, t.handle, dst, opts.tag ?? 0);
}

/** Receives into `tensor` what rank `src` sent with `send`. */
export function recv(tensor: Tensor, src: number, opts: P2POptions = {}): Promise<void> {
  const g = opts.group ?? defaultGroup();
  const t = checkTensor(tensor, 'recv()');
  checkRankArg(src, g, 'recv()', 'src');
  if (src === g.getRank()) throw new RangeError('recv(): Invalid source rank: should not be the same as the rank of the current process.');
  return c10d().distRecv(g._handle, t.handle, src, opts.tag ?? 0);
}
