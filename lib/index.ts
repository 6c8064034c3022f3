// torch-node: the public surface, shaped like `import torch`.
import { N } from './native';
import './tensor_ops';

export { TorchError } from './errors';
export { Tensor, GradFn, tidy, keep, contiguousFormat, channelsLast, channelsLast3d, preserveFormat } from './tensor';
export type { TensorOrScalar, NestedArray, TypedArray, ToOptions, MemoryFormat, BackwardOptions, IndexItem, Slice } from './tensor';
export type { ReduceOptions, VarOptions, ValuesIndices, MinMax, MultinomialOptions, GeneratorOptions } from './tensor_ops';
export type { OpPacket, OpNamespace } from './dispatch';
export * from './dtype';
export { Device, device } from './device';
export { Generator } from './generator';
export type { DeviceLike } from './device';
export * from './creation';
export * from './functions';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd';
export * as autograd from './autograd';
export { opsNamespaces as ops } from './dispatch';
export * as vision from './vision';
export * as utils from './utils';
export * as cuda from './cuda';
export * as backends from './backends';
export * as amp from './amp';
export { autocast } from './amp';

/** The LibTorch version torch-node runs on, e.g. '1.13.0'. */
export const __libtorchVersion: string = N.version().libtorch;

/** Sets the number of threads LibTorch uses for intra-op parallelism (default: all cores). */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads(): expected a positive integer, but received ${n}`);
  N.setNumThreads(n);
}

/** The number of threads LibTorch uses for intra-op parallelism. */
export function getNumThreads(): number {
  return N.getNumThreads();
}

/** A slice for `tensor.index([...])`: `slice(1, 3)` is Python's `1:3`. */
export function slice(start: number | null = null, stop: number | null = null, step: number | null = null): { start: number | null; stop: number | null; step: number | null } {
  return { start, stop, step };
}
export * as nn from './nn';
export * as optim from './optim';
export * as jit from './jit';
export {
  save, load, loadSafetensors, saveSafetensors, safetensorsMetadata, safetensors, PickledObject,
  type Loaded, type LoadOptions, type MapLocation, type SafetensorsLoadOptions, type SafetensorsSaveOptions,
} from './serialization';
export * as distributed from './distributed';
