// torch.cuda: devices, memory, synchronisation and timing events, with PyTorch's names. Without a GPU every
// query answers as PyTorch does (isAvailable() false, deviceCount() 0) and every action throws a TorchError
// that says whether CUDA is missing from the LibTorch build or just has no device.
import { N, CudaMemoryStats, CudaEventHandle } from './native';
import { TorchError } from './errors';
import { manualSeed as seedAll } from './creation';
import { DeviceLike, device as toDevice } from './device';

function info() {
  return N.cudaInfo();
}

function need<K extends keyof typeof N>(name: K): NonNullable<(typeof N)[K]> {
  const fn = N[name];
  if (typeof fn !== 'function' || info().deviceCount === 0) {
    throw new TorchError(
      info().built
        ? 'No CUDA GPUs are available'
        : `Torch not compiled with CUDA enabled: torch-node runs on a CPU-only LibTorch ${N.version().libtorch} (no CUDA build of LibTorch is present)`,
    );
  }
  return fn as NonNullable<(typeof N)[K]>;
}

function index(d?: DeviceLike | number | null): number | undefined {
  if (d === undefined || d === null) return undefined;
  if (typeof d === 'number') return d;
  const dev = toDevice(d);
  if (dev.type !== 'cuda') throw new TypeError(`expected a cuda device, but received '${dev}'`);
  return dev.index ?? undefined;
}

/** Whether a CUDA GPU can be used. */
export function isAvailable(): boolean {
  return info().deviceCount > 0;
}

/** Whether the LibTorch in use was built with CUDA. */
export function isBuilt(): boolean {
  return info().built;
}

/** The number of visible CUDA devices (0 without a GPU). */
export function deviceCount(): number {
  return info().deviceCount;
}

/** The index of the current device. */
export function currentDevice(): number {
  return need('cudaCurrentDevice')();
}

/** Selects the current device. */
export function setDevice(d: DeviceLike | number): void {
  need('cudaSetDevice')(index(d) ?? 0);
}

/** The device's name, e.g. 'NVIDIA H100 80GB HBM3'. */
export function getDeviceName(d?: DeviceLike | number): string {
  return need('cudaDeviceProperties')(index(d)).name;
}

/** The device's compute capability as [major, minor]. */
export function getDeviceCapability(d?: DeviceLike | number): [number, number] {
  const p = need('cudaDeviceProperties')(index(d));
  return [p.major, p.minor];
}

/** The device's properties: name, capability, total memory, multiprocessors. */
export function getDeviceProperties(d?: DeviceLike | number): { name: string; major: number; minor: number; totalMemory: number; multiProcessorCount: number } {
  return need('cudaDeviceProperties')(index(d));
}

/** Waits for all work on the device to finish. */
export function synchronize(d?: DeviceLike | number): void {
  need('cudaInfo');
  N.cudaSynchronize(index(d));
}

/** Seeds the CUDA generators (PyTorch's manual_seed seeds them all; so does this). */
export function manualSeed(seed: number): void {
  seedAll(seed);
}

/** Seeds every device's generator. */
export function manualSeedAll(seed: number): void {
  seedAll(seed);
}

function stats(d?: DeviceLike | number): CudaMemoryStats {
  return need('cudaMemoryStats')(index(d));
}

/** Bytes occupied by tensors on the device. */
export function memoryAllocated(d?: DeviceLike | number): number {
  return stats(d).allocated;
}

/** The peak of memoryAllocated since start or resetPeakMemoryStats(). */
export function maxMemoryAllocated(d?: DeviceLike | number): number {
  return stats(d).maxAllocated;
}

/** Bytes held by the caching allocator (allocated plus cached). */
export function memoryReserved(d?: DeviceLike | number): number {
  return stats(d).reserved;
}

/** The peak of memoryReserved. */
export function maxMemoryReserved(d?: DeviceLike | number): number {
  return stats(d).maxReserved;
}

/** Resets the peaks tracked by max* functions. */
export function resetPeakMemoryStats(d?: DeviceLike | number): void {
  need('cudaResetPeakMemoryStats')(index(d));
}

/** Returns cached, unused memory to the driver. */
export function emptyCache(): void {
  if (isAvailable() && N.cudaEmptyCache) N.cudaEmptyCache();
}

function mb(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}

/** A human-readable summary of the allocator's state, in the spirit of torch.cuda.memory_summary(). */
export function memorySummary(d?: DeviceLike | number): string {
  const s = stats(d);
  return [
    `CUDA memory summary, device ${index(d) ?? currentDevice()}`,
    `  allocated: ${mb(s.allocated)} (peak ${mb(s.maxAllocated)})`,
    `  reserved:  ${mb(s.reserved)} (peak ${mb(s.maxReserved)})`,
    `  allocation retries: ${s.numAllocRetries}, out-of-memory errors: ${s.numOoms}`,
  ].join('\n');
}

/** A CUDA event, for timing work on the GPU: record(), synchronize(), elapsedTime(end). */
export class Event {
  private readonly handle: CudaEventHandle;

  constructor(opts: { enableTiming?: boolean } = {}) {
    this.handle = need('cudaEventCreate')(opts.enableTiming ?? false);
  }

  /** Records the event on the current stream. */
  record(): void {
    need('cudaEventRecord')(this.handle);
  }

  /** Waits until the work before the event is done. */
  synchronize(): void {
    need('cudaEventSynchronize')(this.handle);
  }

  /** Whether the work before the event is done. */
  query(): boolean {
    return need('cudaEventQuery')(this.handle);
  }

  /** Milliseconds between this event and `end` (both recorded, created with enableTiming). */
  elapsedTime(end: Event): number {
    return need('cudaEventElapsed')(this.handle, end.handle);
  }
}
