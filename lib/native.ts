// The only door to the addon: loads the one that fits the resolved LibTorch and types what it exports.
import * as path from 'path';
import { TorchError } from './errors';

/** A handle into the addon's tensor table. */
export type Handle = number;

/** An argument or return description from an operator's schema. */
export interface SchemaArg {
  name: string;
  type: string;
  kwargOnly: boolean;
  hasDefault: boolean;
  n?: number;
  written: boolean;
}

/** One overload of an operator, as the dispatcher registers it. */
export interface Schema {
  id: number;
  overload: string;
  text: string;
  args: SchemaArg[];
  returns: { type: string; aliasOf: number }[];
}

/** Byte counts of the CUDA caching allocator for one device. */
export interface CudaMemoryStats {
  allocated: number;
  maxAllocated: number;
  reserved: number;
  maxReserved: number;
  numAllocRetries: number;
  numOoms: number;
}

/** An opaque native CUDA event. */
export type CudaEventHandle = { readonly __cudaEvent: unique symbol };

/**
 * One image of `decodeJpegResized`: JPEG bytes decoded with `channels` (1: gray, 3: RGB), resized (PIL's
 * antialiased bilinear) to resizeW x resizeH, of which the crop [cropLeft, cropTop, cropW, cropH] is written.
 */
export interface JpegResizeJob {
  data: Uint8Array;
  /** Named in errors (the file). */
  name: string;
  channels: 1 | 3;
  resizeW: number;
  resizeH: number;
  cropLeft: number;
  cropTop: number;
  cropW: number;
  cropH: number;
}

/** An opaque TorchScript module (a torch::jit::Module) held by the addon. */
export type JitModuleHandle = { readonly __jitModule: unique symbol };

/** A TorchScript module's own members; each tensor as [name, handle, identity of its TensorImpl] (a parameter set to None: null). */
export interface JitModuleInfo {
  typeName: string;
  qualifiedName: string;
  id: number;
  parameters: [string, Handle | null, number][];
  buffers: [string, Handle, number][];
  children: [string, JitModuleHandle, number][];
  methods: string[];
}

/** An opaque native c10d object: a store, a process group or DDP's Reducer. */
export type DistHandle = { readonly __dist: unique symbol };

/** c10d's reduce operations by name. */
export type DistReduceOp = 'sum' | 'avg' | 'product' | 'min' | 'max' | 'band' | 'bor' | 'bxor';

/** What the addon exports; every function validates its arguments and throws, never crashes. */
export interface Native {
  setup(torchError: typeof TorchError): void;
  version(): { libtorch: string; cuda: boolean };
  setNumThreads(n: number): void;
  getNumThreads(): number;
  manualSeed(seed: number): void;
  getRngState(): Handle;
  setRngState(state: Handle): void;
  getDefaultDtype(): string;
  setDefaultDtype(dtype: string): void;
  liveTensors(): number;
  collectedTensors(): number;

  fromBuffer(data: ArrayBufferView | ArrayBuffer, dtype: string, shape: number[]): Handle;
  scalarTensor(value: number | boolean, dtype: string, wrapped?: boolean): Handle;
  dispose(h: Handle): void;
  drop(h: Handle): void;
  track(owner: object, h: Handle): void;
  shape(h: Handle): number[];
  stride(h: Handle): number[];
  storageOffset(h: Handle): number;
  dtype(h: Handle): string;
  device(h: Handle): string;
  dim(h: Handle): number;
  numel(h: Handle): number;
  isContiguous(h: Handle, memoryFormat?: string): boolean;
  isPinned(h: Handle): boolean;
  toBuffer(h: Handle): ArrayBuffer;
  toBufferAsync(h: Handle): Promise<ArrayBuffer>;
  /** A one-element tensor's value; an integer beyond 2^53 as a bigint. */
  item(h: Handle): number | boolean | bigint;

  opSchemas(name: string): Schema[];
  callOp(id: number, args: unknown[]): unknown;
  addTT(a: Handle, b: Handle, owner?: object): Handle;
  subTT(a: Handle, b: Handle, owner?: object): Handle;
  mulTT(a: Handle, b: Handle, owner?: object): Handle;
  divTT(a: Handle, b: Handle, owner?: object): Handle;
  addTS(a: Handle, b: number | boolean, owner?: object): Handle;
  subTS(a: Handle, b: number | boolean, owner?: object): Handle;
  mulTS(a: Handle, b: number | boolean, owner?: object): Handle;
  divTS(a: Handle, b: number | boolean, owner?: object): Handle;

  requiresGrad(h: Handle): boolean;
  setRequiresGrad(h: Handle, value: boolean): void;
  isLeaf(h: Handle): boolean;
  grad(h: Handle): Handle | null;
  setGrad(h: Handle, g: Handle | null): void;
  gradFn(h: Handle): string | null;
  retainGrad(h: Handle): void;
  retainsGrad(h: Handle): boolean;
  backward(tensors: Handle[], grads: (Handle | null)[], retainGraph: boolean | undefined, createGraph: boolean, inputs?: Handle[]): void;
  autogradGrad(
    outputs: Handle[],
    inputs: Handle[],
    grads: (Handle | null)[],
    retainGraph: boolean | undefined,
    createGraph: boolean,
    allowUnused: boolean,
  ): (Handle | null)[];
  isGradEnabled(): boolean;
  setGradEnabled(value: boolean): void;
  // torch.autograd.Function (native/custom_function.cc); null marks a non-tensor argument or output.
  functionNode(name: string, args: (Handle | null)[]): number;
  functionWrap(id: number, outputs: (Handle | null)[], nonDifferentiable: Handle[], dirty: Handle[], toSave: (Handle | null)[], materializeGrads: boolean): (Handle | null)[];
  functionDiscard(id: number): void;
  functionSavedTensors(id: number): (Handle | null)[];
  functionFreed(): number[];
  setFunctionBackward(fn: (id: number, grads: (Handle | null)[]) => (Handle | null)[]): void;
  isAnomalyEnabled(): boolean;
  setAnomalyEnabled(value: boolean, checkNan?: boolean): void;
  isAnomalyCheckNanEnabled(): boolean;

  cudaInfo(): { built: boolean; deviceCount: number; cudnn: boolean };
  cudaSynchronize(device?: number): void;
  setBackendFlag(name: string, value: boolean): void;
  getBackendFlag(name: string): boolean;
  autocastEnter(deviceType: string, enabled: boolean, dtype: string): { enabled: boolean; dtype: string };
  autocastExit(deviceType: string, enabled: boolean, dtype: string): void;
  // Present only in an addon built against a CUDA LibTorch.
  cudaCurrentDevice?(): number;
  cudaSetDevice?(device: number): void;
  cudaDeviceProperties?(device?: number): { name: string; major: number; minor: number; totalMemory: number; multiProcessorCount: number };
  cudaMemoryStats?(device?: number): CudaMemoryStats;
  cudaResetPeakMemoryStats?(device?: number): void;
  cudaEmptyCache?(): void;
  cudaEventCreate?(enableTiming: boolean): CudaEventHandle;
  cudaEventRecord?(e: CudaEventHandle): void;
  cudaEventSynchronize?(e: CudaEventHandle): void;
  cudaEventQuery?(e: CudaEventHandle): boolean;
  cudaEventElapsed?(a: CudaEventHandle, b: CudaEventHandle): number;

  // Optimizer updates (native/optim.cc): one call per parameter group and step, every parameter passed
  // having a gradient; state lists hold one tensor per parameter ([] where the option does not use them).
  optimGradMask(params: Handle[]): boolean[];
  optimSgd(
    params: Handle[],
    momentumBuffers: (Handle | null)[],
    o: { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean; maximize: boolean },
  ): (Handle | null)[];
  optimAdam(
    params: Handle[],
    expAvgs: Handle[],
    expAvgSqs: Handle[],
    maxExpAvgSqs: Handle[],
    steps: Handle[],
    o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; amsgrad: boolean; maximize: boolean; decoupled: boolean },
  ): void;
  optimRmsprop(
    params: Handle[],
    squareAvgs: Handle[],
    gradAvgs: Handle[],
    momentumBuffers: Handle[],
    o: { lr: number; alpha: number; eps: number; weightDecay: number; momentum: number; centered: boolean; maximize: boolean },
  ): void;
  optimAdagrad(params: Handle[], sums: Handle[], steps: Handle[], o: { lr: number; lrDecay: number; eps: number; weightDecay: number; maximize: boolean }): void;
  optimAdadelta(params: Handle[], squareAvgs: Handle[], accDeltas: Handle[], o: { lr: number; rho: number; eps: number; weightDecay: number; maximize: boolean }): void;
  optimAdamax(
    params: Handle[],
    expAvgs: Handle[],
    expInfs: Handle[],
    steps: Handle[],
    o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; maximize: boolean },
  ): void;
  optimNadam(
    params: Handle[],
    expAvgs: Handle[],
    expAvgSqs: Handle[],
    muProducts: Handle[],
    steps: Handle[],
    o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; momentumDecay: number },
  ): void;
  optimRadam(params: Handle[], expAvgs: Handle[], expAvgSqs: Handle[], steps: Handle[], o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number }): void;
  optimFlatGrad(params: Handle[]): Handle;
  optimAddFlat(params: Handle[], update: Handle, alpha: number): void;
  clipGradNorm(params: Handle[], maxNorm: number, normType: number, errorIfNonfinite: boolean): Handle;
  clipGradValue(params: Handle[], clipValue: number): void;
  parametersToVector(params: Handle[]): Handle;
  vectorToParameters(vec: Handle, params: Handle[]): void;

  // TorchScript (native/jit.cc). jitCall takes and returns tensors as Tensor objects, made by `wrap`.
  jitLoad(src: string | Uint8Array, device: string | null): Promise<JitModuleHandle>;
  jitSave(m: JitModuleHandle): Uint8Array;
  jitInfo(m: JitModuleHandle): JitModuleInfo;
  jitTraining(m: JitModuleHandle): boolean | null;
  jitSetTraining(m: JitModuleHandle, on: boolean): void;
  jitHasAttr(m: JitModuleHandle, name: string): boolean;
  jitSetAttr(m: JitModuleHandle, name: string, value: Handle | JitModuleHandle | null): void;
  jitMethodArgs(m: JitModuleHandle, name: string): { schema: string; args: { name: string; dict: boolean }[] } | null;
  jitCall(m: JitModuleHandle, name: string, args: unknown[], kwargs: Record<string, unknown> | null, tensorClass: abstract new (...a: never[]) => unknown, wrap: (h: Handle) => unknown): unknown;

  /**
   * The JPEG fast path (only when the addon was built with libjpeg): decodes each job at a reduced DCT scale,
   * resizes and crops it on libuv's pool, and writes the images one after another into `out` (Uint8Array in
   * 'hwc' or 'chw' layout, or Float32Array / 255 in 'chw'). `out` must not be touched until the Promise settles;
   * a corrupt or truncated file rejects with a TorchError naming it.
   */
  // torch.distributed (native/distributed.cc), present when the addon was built with c10d. What blocks
  // (connecting, the rendezvous, collectives) settles a Promise; tensors passed to a collective must not be
  // touched until it settles.
  distTcpStore?(host: string, port: number, isServer: boolean, worldSize: number, timeoutMs: number): Promise<DistHandle>;
  distFileStore?(path: string, worldSize: number): DistHandle;
  distStoreSet?(store: DistHandle, key: string, value: string): void;
  distStoreGet?(store: DistHandle, key: string): Promise<string>;
  distNewGroup?(store: DistHandle, rank: number, size: number, backend: string, timeoutMs: number): Promise<DistHandle>;
  distRelease?(o: DistHandle): void;
  distAllReduce?(group: DistHandle, tensors: Handle[], op: DistReduceOp): Promise<void>;
  distBroadcast?(group: DistHandle, tensors: Handle[], root: number): Promise<void>;
  distAllGather?(group: DistHandle, outputs: Handle[], input: Handle): Promise<void>;
  distReduceScatter?(group: DistHandle, output: Handle, inputs: Handle[], op: DistReduceOp): Promise<void>;
  distBarrier?(group: DistHandle): Promise<void>;
  distSend?(group: DistHandle, tensor: Handle, dst: number, tag: number): Promise<void>;
  distRecv?(group: DistHandle, tensor: Handle, src: number, tag: number): Promise<void>;
  /** Synchronous: broadcasts the tensors from `root` in flattened buffers of up to `bufferBytes`. */
  distBroadcastCoalesced?(group: DistHandle, tensors: Handle[], bufferBytes: number, root: number): void;
  distReducerNew?(group: DistHandle, params: Handle[], names: string[], bucketCapBytes: number, findUnusedParameters: boolean): DistHandle;
  distReducerRebuildBuckets?(reducer: DistHandle): boolean;
  distReducerPrepareForward?(reducer: DistHandle): void;
  distReducerPrepareBackward?(reducer: DistHandle, outputs: Handle[]): void;

  decodeJpegResized?(jobs: JpegResizeJob[], out: Uint8Array | Float32Array, layout: 'hwc' | 'chw'): Promise<void>;
}

interface AddonLoader {
  loadAddon(root: string): { addon: unknown };
}

function load(): Native {
  const root = path.join(__dirname, '..', '..');
  // The choice (the addon that fits the resolved LibTorch, checked before dlopen) is shared with the install
  // scripts and the doctor, which run before any TypeScript is compiled.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const loader = require(path.join(root, 'scripts', 'addon.js')) as AddonLoader;
  let addon: Native;
  try {
    addon = loader.loadAddon(root).addon as Native;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`torch-node: the native addon could not be loaded: ${reason}\nFor a full diagnosis: npx torch-node doctor`);
  }
  addon.setup(TorchError);
  return addon;
}

/** The addon, loaded once per thread (it keeps per-instance state, so worker_threads each get their own). */
export const N: Native = load();
