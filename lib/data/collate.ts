// default_collate: merges a list of samples into a batch (tensors stacked, numbers into tensors, arrays and
// objects collated field by field), as torch.utils.data.default_collate.
import { Tensor } from '../tensor';
import { describe } from '../dtype';
import { tensor, fromBuffer } from '../creation';
import { stack } from '../functions';

let scratchBuffer = new ArrayBuffer(0);

function toCHWFloat(items: PendingImageTensor[], dst: Float32Array, plane: number, channels: number): Float32Array {
  const size = plane * channels;
  const norm = items[0].normalize;
  const f = Math.fround;
  for (let b = 0; b < items.length; b++) {
    const src = items[b].data;
    for (let c = 0; c < channels; c++) {
      const o = b * size + c * plane;
      if (norm) {
        // torchvision: x.to(float32).div(255), then sub_(mean).div_(std), each rounded to float32.
        const m = norm.mean[c];
        const sd = norm.std[c];
        for (let i = 0, j = c; i < plane; i++, j += channels) dst[o + i] = f(f(src[j] / 255) - m) / sd;
      } else {
        for (let i = 0, j = c; i < plane; i++, j += channels) dst[o + i] = src[j] / 255;
      }
    }
  }
  return dst;
}

function toCHWByte(items: PendingImageTensor[], dst: Uint8Array, plane: number, channels: number): Uint8Array {
  const size = plane * channels;
  for (let b = 0; b < items.length; b++) {
    const src = items[b].data;
    for (let c = 0; c < channels; c++) {
      const o = b * size + c * plane;
      for (let i = 0, j = c; i < plane; i++, j += channels) dst[o + i] = src[j];
    }
  }
  return dst;
}

/** A reusable buffer of at least `bytes` (fromBuffer copies out of it, so it is free again at once). */
function scratch(bytes: number): ArrayBuffer {
  if (scratchBuffer.byteLength < bytes) scratchBuffer = new ArrayBuffer(bytes);
  return scratchBuffer;
}

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
    /** Per-channel mean and std of a Normalize folded into the conversion (float32 only). */
    readonly normalize: { mean: number[]; std: number[] } | null = null,
  ) {}

  /** Whether a Normalize(mean, std) can be folded into the conversion. */
  canNormalize(mean: number[], std: number[]): boolean {
    const ok = (v: number[]) => Array.isArray(v) && (v.length === 1 || v.length === this.channels) && v.every((x) => typeof x === 'number');
    return this.scale && this.normalize === null && ok(mean) && ok(std) && std.every((x) => Math.fround(x) !== 0);
  }

  /** The same pixels with (x - mean) / std applied after scaling. */
  normalized(mean: number[], std: number[]): PendingImageTensor {
    const per = (v: number[]) => Array.from({ length: this.channels }, (_, c) => Math.fround(v.length === 1 ? v[0] : v[c]));
    return new PendingImageTensor(this.data, this.height, this.width, this.channels, this.scale, { mean: per(mean), std: per(std) });
  }

  /** The CHW tensor of this one image. */
  toTensor(): Tensor {
    return PendingImageTensor.batch([this], false);
  }

  /** @internal One [B, C, H, W] tensor (or [C, H, W] when `stacked` is false) of same-sized images. */
  static batch(items: PendingImageTensor[], stacked = true): Tensor {
    const { height, width, channels, scale, normalize } = items[0];
    const sameNorm = (a: PendingImageTensor['normalize']) => (a === null && normalize === null) || (a !== null && normalize !== null && a.mean.every((m, i) => m === normalize.mean[i]) && a.std.every((v, i) => v === normalize.std[i]));
    for (const it of items) {
      if (!sameNorm(it.normalize)) throw new RangeError('defaultCollate(): images of one batch were normalized differently');
      if (it.height !== height || it.width !== width || it.channels !== channels || it.scale !== scale) {
        throw new RangeError(`stack expects each tensor to be equal size, but got [${channels}, ${height}, ${width}] at entry 0 and [${it.channels}, ${it.height}, ${it.width}] at another entry`);
      }
    }
    // One pass in JavaScript from HWC uint8 to CHW (float32 / 255, as torch's `x.to(float32).div(255)`: the
    // division in double then rounded to float32 gives the same value). Single-threaded on purpose: LibTorch's
    // OpenMP kernels stall badly when the decoding threads keep every core busy.
    const plane = height * width;
    const size = plane * channels;
    const n = items.length;
    const out = scratch(scale ? 4 * size * n : size * n);
    const dst = scale ? toCHWFloat(items, new Float32Array(out, 0, size * n), plane, channels) : toCHWByte(items, new Uint8Array(out, 0, size * n), plane, channels);
    const out4 = fromBuffer(dst, { dtype: scale ? 'float32' : 'uint8', shape: [n, channels, height, width] });
    if (!stacked) {
      const one = out4.select(0, 0);
      out4.dispose();
      return one;
    }
    return out4;
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
