// Tensors as bytes and back: PyTorch's storage classes per dtype, the raw bytes of a tensor, tensors rebuilt
// over a loaded storage with an offset and strides (so views that shared a storage in Python share it here),
// and where loaded storages go (`mapLocation`).
import { N } from '../native';
import { Tensor } from '../tensor';
import { callOp } from '../dispatch';
import { DType, elementSize } from '../dtype';
import { Device, DeviceLike, device as toDevice } from '../device';
import { TorchError } from '../errors';

/** PyTorch's legacy storage class names (`torch.FloatStorage`) by dtype. */
export const STORAGE_CLASSES: Record<DType, string> = {
  float32: 'FloatStorage',
  float64: 'DoubleStorage',
  float16: 'HalfStorage',
  bfloat16: 'BFloat16Storage',
  int8: 'CharStorage',
  int16: 'ShortStorage',
  int32: 'IntStorage',
  int64: 'LongStorage',
  uint8: 'ByteStorage',
  bool: 'BoolStorage',
  complex64: 'ComplexFloatStorage',
  complex128: 'ComplexDoubleStorage',
};

/** The dtype of each storage class a checkpoint may name (`UntypedStorage` holds bytes). */
export const STORAGE_DTYPES: Map<string, DType> = new Map([
  ...Object.entries(STORAGE_CLASSES).map(([d, c]) => [c, d as DType] as [string, DType]),
  ['UntypedStorage', 'uint8'],
]);

/**
 * Where loaded storages go: a device for all of them (`'cpu'`), a table from saved location to device
 * (`{ 'cuda:1': 'cuda:0' }`), or a function that gets each storage (a 1-D CPU tensor of its dtype) and the
 * location it was saved from (`'cpu'`, `'cuda:0'`) and returns the tensor to use, or null/undefined for the
 * default (the saved location).
 */
export type MapLocation = DeviceLike | Record<string, DeviceLike> | ((storage: Tensor, location: string) => Tensor | null | undefined);

/** Strides of a contiguous tensor of this shape (as PyTorch computes them, empty dimensions counting as 1). */
export function contiguousStrides(shape: number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i], 1);
  }
  return strides;
}

/** The bytes of a tensor in row-major order, native byte order, copied off the main thread. */
export async function tensorBytes(t: Tensor): Promise<Uint8Array> {
  // Small CPU tensors are copied at once (a trip through the thread pool costs more than the copy).
  const copy = async (x: Tensor) =>
    new Uint8Array(x.numel() * elementSize(x.dtype) < 1 << 20 && !x.isCuda ? N.toBuffer(x.handle) : await N.toBufferAsync(x.handle));
  if (t.dtype !== 'float16' && t.dtype !== 'bfloat16') return copy(t);
  // The addon widens 16-bit floats to float32 on the way out: take their bits as int16 instead.
  const detached = callOp('detach', [t]) as Tensor;
  const bits = callOp('view', [detached, 'int16']) as Tensor;
  try {
    return await copy(bits);
  } finally {
    bits.dispose();
    detached.dispose();
  }
}

/** Swaps the byte order of each element in place (for archives written on a big-endian machine). */
export function swapBytes(bytes: Uint8Array, dtype: DType): void {
  const size = dtype === 'complex64' ? 4 : dtype === 'complex128' ? 8 : elementSize(dtype);
  if (size === 1) return;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 2) b.swap16();
  else if (size === 4) b.swap32();
  else b.swap64();
}

/** Raised for a file whose contents contradict themselves; the caller adds the file name. */
export class CorruptError extends Error {}

/** A 1-D CPU tensor over a copy of a storage's bytes. */
export function storageTensor(bytes: Uint8Array, dtype: DType, numel: number): Tensor {
  const need = numel * elementSize(dtype);
  if (bytes.length !== need) {
    throw new CorruptError(`a storage of ${numel} ${dtype} elements needs ${need} bytes, but its record has ${bytes.length}`);
  }
  return new Tensor(N.fromBuffer(bytes, dtype, [numel]));
}

/**
 * A tensor over `storage` (a 1-D tensor) with the given offset, size and stride, sharing its memory, as
 * PyTorch's `_rebuild_tensor` does with `set_`. Out-of-range geometry is a CorruptError, never a resize.
 */
export function tensorOnStorage(storage: Tensor, offset: number, size: number[], stride: number[]): Tensor {
  const numel = storage.shape[0];
  if (size.length !== stride.length) throw new CorruptError(`a tensor has ${size.length} sizes but ${stride.length} strides`);
  let extent = offset;
  let empty = false;
  for (let i = 0; i < size.length; i++) {
    if (size[i] === 0) empty = true;
    extent += (size[i] - 1) * stride[i];
  }
  if (!empty && (offset < 0 || extent >= numel)) {
    throw new CorruptError(`a tensor of size [${size}] with stride [${stride}] at offset ${offset} reaches past its storage of ${numel} elements`);
  }
  if (empty && (offset < 0 || offset > numel)) throw new CorruptError(`an empty tensor's offset ${offset} is past its storage of ${numel} elements`);
  const t = callOp('empty', [[0]], { dtype: storage.dtype, device: storage.device }) as Tensor;
  try {
    callOp('set_', [t, storage, offset, size, stride]);
  } catch (err) {
    t.dispose();
    throw err;
  }
  return t;
}

/** Resolves `mapLocation` for one storage: the tensor to build views on (possibly `storage` itself). */
export function placeStorage(storage: Tensor, location: string, mapLocation: MapLocation | undefined): Tensor {
  if (typeof mapLocation === 'function') {
    const moved = mapLocation(storage, location);
    if (moved !== null && moved !== undefined) {
      if (!(moved instanceof Tensor)) throw new TypeError(`mapLocation returned ${typeof moved}; expected a Tensor, null or undefined`);
      if (moved.dtype !== storage.dtype || moved.shape.length !== 1 || moved.shape[0] !== storage.shape[0]) {
        throw new TypeError(`mapLocation must return a 1-D tensor of ${storage.shape[0]} ${storage.dtype} elements (the storage it was given, moved), but returned one of shape [${moved.shape}] and dtype ${moved.dtype}`);
      }
      return moved;
    }
    return restore(storage, location);
  }
  if (mapLocation === undefined) return restore(storage, location);
  if (typeof mapLocation === 'string' || mapLocation instanceof Device) return moveTo(storage, toDevice(mapLocation));
  const target = Object.prototype.hasOwnProperty.call(mapLocation, location) ? mapLocation[location] : undefined;
  return target === undefined ? restore(storage, location) : moveTo(storage, toDevice(target));
}

function moveTo(storage: Tensor, dev: Device): Tensor {
  if (dev.type === 'cpu') return storage;
  return storage.to(dev);
}

// The default: the device the storage was saved from, as Python's default_restore_location.
function restore(storage: Tensor, location: string): Tensor {
  let dev: Device;
  try {
    dev = toDevice(location);
  } catch {
    throw new TorchError(`don't know how to restore data location '${location}' (pass mapLocation to choose a device)`);
  }
  if (dev.type === 'cuda' && !N.version().cuda) {
    throw new TorchError(
      "Attempting to deserialize object on a CUDA device but CUDA is not available (torch-node runs on a CPU-only LibTorch). If you are running on a CPU-only machine, please use torch.load with { mapLocation: 'cpu' } to map your storages to the CPU.",
    );
  }
  return moveTo(storage, dev);
}
