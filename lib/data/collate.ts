// default_collate: merges a list of samples into a batch (tensors stacked, numbers into tensors, arrays and
// objects collated field by field), as torch.utils.data.default_collate.
import { Tensor } from '../tensor';
import { describe } from '../dtype';
import { tensor, fromBuffer, empty } from '../creation';
import { stack } from '../functions';

/**
 * @internal An image's pixels (HWC uint8, as a decoder returns them) waiting to become a CHW tensor. Image
 * datasets hand these to the default collate, which turns a whole batch into one tensor in one pass.
 */
export class PendingImageTensor {
  constructor(
    readonly data: Uint8Array,
    readonly height: number,
    readonly width: number,
    readonly channels: number,
    /** true: float32 in [0, 1] (ToTensor); false: uint8 (PILToTensor). */
    readonly scale: boolean,
  ) {}

  /** The CHW tensor of this one image. */
  toTensor(): Tensor {
    return PendingImageTensor.batch([this], false);
  }

  /** @internal One [B, C, H, W] tensor (or [C, H, W] when `stacked` is false) of same-sized images. */
  static batch(items: PendingImageTensor[], stacked = true): Tensor {
    const { height, width, channels, scale } = items[0];
    for (const it of items) {
      if (it.height !== height || it.width !== width || it.channels !== channels || it.scale !== scale) {
        throw new RangeError(`stack expects each tensor to be equal size, but got [${channels}, ${height}, ${width}] at entry 0 and [${it.channels}, ${it.height}, ${it.width}] at another entry`);
      }
    }
    const size = height * width * channels;
    const bytes = items.length === 1 ? items[0].data : Buffer.allocUnsafe(size * items.length);
    if (items.length > 1) items.forEach((it, i) => (bytes as Buffer).set(it.data, i * size));
    const hwc = fromBuffer(bytes, { dtype: 'uint8', shape: [items.length, height, width, channels] });
    const chw = hwc.permute([0, 3, 1, 2]);
    let out: Tensor;
    if (scale) {
      out = empty([items.length, channels, height, width]);
      out.copy_(chw);
      out.div_(255);
    } else {
      out = chw.contiguous();
    }
    chw.dispose();
    hwc.dispose();
    if (!stacked) {
      const one = out.select(0, 0);
      out.dispose();
      return one;
    }
    return out;
  }
}

/** The batch type the default collate makes of samples of type T. */
export type Collated<T> = T extends Tensor | PendingImageTensor
  ? Tensor
  : T extends number | boolean | bigint
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends Record<string, unknown>
          ? { [K in keyof T]: Collated<T[K]> }
          : T[];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Merges samples into a batch: tensors are stacked on a new first dimension; numbers become an int64 tensor
 * when all are integers and a float64 tensor otherwise (JavaScript has one number type; PyTorch goes by the
 * Python type); booleans a bool tensor; strings stay an array; arrays and plain objects are collated position
 * by position and key by key.
 */
export function defaultCollate<T>(batch: T[]): Collated<T> {
  return collate(batch as unknown[]) as Collated<T>;
}

function collate(batch: unknown[]): unknown {
  if (!Array.isArray(batch) || batch.length === 0) throw new TypeError('defaultCollate(): expected a non-empty array of samples');
  const first = batch[0];
  if (first instanceof PendingImageTensor) {
    if (batch.every((b) => b instanceof PendingImageTensor)) return PendingImageTensor.batch(batch as PendingImageTensor[]);
    return collate(batch.map((b) => (b instanceof PendingImageTensor ? b.toTensor() : b)));
  }
  if (first instanceof Tensor) {
    const items = batch.map((b) => (b instanceof PendingImageTensor ? b.toTensor() : b));
    if (!items.every((b) => b instanceof Tensor)) throw new TypeError(`defaultCollate(): a batch mixes tensors and ${describe(items.find((b) => !(b instanceof Tensor)))}`);
    return stack(items as Tensor[], 0);
  }
  if (typeof first === 'number') {
    if (!batch.every((b) => typeof b === 'number')) throw new TypeError('defaultCollate(): a batch mixes numbers and other types');
    const nums = batch as number[];
    if (nums.every(Number.isSafeInteger)) return tensor(BigInt64Array.from(nums, (v) => BigInt(v)));
    return tensor(Float64Array.from(nums));
  }
  if (typeof first === 'bigint') return tensor(BigInt64Array.from(batch as bigint[]));
  if (typeof first === 'boolean') return tensor(batch as boolean[]);
  if (typeof first === 'string') return [...batch];
  if (ArrayBuffer.isView(first) && !(first instanceof DataView)) {
    const ts = batch.map((b) => tensor(b as ArrayBufferView));
    const out = stack(ts, 0);
    ts.forEach((t) => t.dispose());
    return out;
  }
  if (Array.isArray(first)) {
    const n = first.length;
    if (!batch.every((b) => Array.isArray(b) && b.length === n)) throw new RangeError('each element in list of batch should be of equal size');
    return Array.from({ length: n }, (_, i) => collate(batch.map((b) => (b as unknown[])[i])));
  }
  if (isPlainObject(first)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) out[key] = collate(batch.map((b) => (b as Record<string, unknown>)[key]));
    return out;
  }
  if (first === null || first === undefined) return [...batch];
  throw new TypeError(`defaultCollate(): batch must contain tensors, numbers, booleans, strings, arrays or objects; found ${describe(first)}`);
}
