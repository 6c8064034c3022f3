import { N } from './native';
/** A tensor element type, named as in PyTorch without the `torch.` prefix. */
export type DType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'bfloat16'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'bool'
  | 'complex64'
  | 'complex128';

/** PyTorch's aliases (`torch.float`, `torch.long`, ...) mapped to canonical names. */
const ALIASES: Record<string, DType> = {
  float: 'float32',
  double: 'float64',
  half: 'float16',
  long: 'int64',
  int: 'int32',
  short: 'int16',
  cfloat: 'complex64',
  cdouble: 'complex128',
};

const CANONICAL = new Set<string>([
  'float32', 'float64', 'float16', 'bfloat16', 'int8', 'int16', 'int32', 'int64', 'uint8', 'bool', 'complex64', 'complex128',
]);

/** Anything the API accepts as a dtype: `torch.float32`, `'float32'`, `'float'`, `'torch.float32'`. */
export type DTypeLike = DType | keyof typeof ALIASES | `torch.${string}`;

/** Resolves a dtype name or alias; throws a TypeError for anything else. */
export function toDType(d: unknown, what = 'dtype'): DType {
  if (typeof d === 'string') {
    const name = d.startsWith('torch.') ? d.slice(6) : d;
    if (CANONICAL.has(name)) return name as DType;
    if (name in ALIASES) return ALIASES[name];
  }
  throw new TypeError(`${what} must be a torch dtype such as torch.float32 or 'int64', but received ${describe(d)}`);
}

/** Anything with a dtype, such as a Tensor (checked structurally: this module cannot import tensor.ts). */
export interface HasDType {
  readonly dtype: DType;
}

function dtypeOf(x: unknown, fn: string): DType {
  if (typeof x === 'string') return toDType(x);
  if (typeof x === 'object' && x !== null && 'dtype' in x) return toDType((x as HasDType).dtype);
  throw new TypeError(`${fn}(): argument 'input' must be a Tensor or a dtype, but received ${describe(x)}`);
}

/**
 * Whether a tensor's dtype is a floating point type (float16, bfloat16, float32, float64), as
 * `torch.is_floating_point(x)`; a dtype is accepted too: `isFloatingPoint(torch.float16)`.
 */
export function isFloatingPoint(x: DTypeLike | HasDType): boolean {
  const d = dtypeOf(x, 'isFloatingPoint');
  return d === 'float32' || d === 'float64' || d === 'float16' || d === 'bfloat16';
}

/** Whether a tensor's dtype (or a dtype) is complex, as `torch.is_complex(x)`. */
export function isComplex(x: DTypeLike | HasDType): boolean {
  const d = dtypeOf(x, 'isComplex');
  return d === 'complex64' || d === 'complex128';
}

/** The numerical properties of a floating point dtype, as `torch.finfo(dtype)` gives them. */
export interface FInfo {
  /** Bits per element. */
  readonly bits: number;
  /** The smallest `x` with `1 + x !== 1`. */
  readonly eps: number;
  /** The largest finite value. */
  readonly max: number;
  /** The most negative finite value (`-max`). */
  readonly min: number;
  /** The smallest positive normal value. */
  readonly tiny: number;
  /** The same as `tiny`. */
  readonly smallestNormal: number;
  /** The approximate decimal resolution, `10 ** -precision`. */
  readonly resolution: number;
  /** The dtype these describe (complex dtypes give their real part's). */
  readonly dtype: DType;
}

/** The range of an integer dtype, as `torch.iinfo(dtype)` gives it. */
export interface IInfo {
  /** Bits per element. */
  readonly bits: number;
  /** The largest value: a number, except for int64, whose bounds pass 2^53 and are bigints. */
  readonly max: number | bigint;
  /** The smallest value: a number, except for int64 (a bigint). */
  readonly min: number | bigint;
  /** The dtype this describes. */
  readonly dtype: DType;
}

function fInfo(dtype: DType, bits: number, eps: number, max: number, tiny: number, resolution: number): FInfo {
  return Object.freeze({ bits, eps, max, min: -max, tiny, smallestNormal: tiny, resolution, dtype });
}

/**
 * `torch.get_default_dtype()`: the dtype of floating-point tensors made without one (float32 unless changed), which
 * also applies to numbers in `torch.tensor` (JavaScript's numbers are floats).
 */
export function getDefaultDtype(): DType {
  return N.getDefaultDtype() as DType;
}

const FINFO: Partial<Record<DType, FInfo>> = {
  float16: fInfo('float16', 16, 2 ** -10, 65504, 2 ** -14, 1e-3),
  bfloat16: fInfo('bfloat16', 16, 2 ** -7, 3.3895313892515355e38, 2 ** -126, 1e-2),
  float32: fInfo('float32', 32, 2 ** -23, 3.4028234663852886e38, 2 ** -126, 1e-6),
  float64: fInfo('float64', 64, Number.EPSILON, Number.MAX_VALUE, 2 ** -1022, 1e-15),
};

const IINFO: Partial<Record<DType, IInfo>> = {
  uint8: Object.freeze({ bits: 8, max: 255, min: 0, dtype: 'uint8' }),
  int8: Object.freeze({ bits: 8, max: 127, min: -128, dtype: 'int8' }),
  int16: Object.freeze({ bits: 16, max: 32767, min: -32768, dtype: 'int16' }),
  int32: Object.freeze({ bits: 32, max: 2147483647, min: -2147483648, dtype: 'int32' }),
  int64: Object.freeze({ bits: 64, max: 2n ** 63n - 1n, min: -(2n ** 63n), dtype: 'int64' }),
};

/** `torch.finfo(dtype)`: eps, max, min, tiny, resolution and bits of a floating point dtype (default: the default dtype). */
export function finfo(dtype?: DTypeLike): FInfo {
  const d = dtype === undefined ? getDefaultDtype() : toDType(dtype);
  const info = FINFO[d === 'complex64' ? 'float32' : d === 'complex128' ? 'float64' : d];
  if (!info) throw new TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'");
  return info;
}

/** `torch.iinfo(dtype)`: max, min and bits of an integer dtype (int64's bounds are bigints). */
export function iinfo(dtype: DTypeLike): IInfo {
  const d = toDType(dtype);
  if (d === 'bool') throw new TypeError('torch.bool is not supported by torch.iinfo');
  const info = IINFO[d];
  if (!info) throw new TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'");
  return info;
}

/** Bytes per element. */
export function elementSize(d: DType): number {
  switch (d) {
    case 'float64': case 'int64': case 'complex64': return 8;
    case 'complex128': return 16;
    case 'float32': case 'int32': return 4;
    case 'float16': case 'bfloat16': case 'int16': return 2;
    default: return 1;
  }
}

/**
 * @internal Whether a JavaScript number acts as a Python int: integral and in int64's range (as the addon
 * converts it), and not -0, which only a float holds.
 */
export function isPythonInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63 && !Object.is(v, -0);
}

/** A short description of a value for error messages: "spoons of type string". */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 40) + '...' : v}' of type string`;
  if (typeof v === 'object') return `an object of type ${(v as object).constructor?.name ?? 'Object'}`;
  return `${String(v)} of type ${typeof v}`;
}

export const float32: DType = 'float32';
export const float: DType = 'float32';
export const float64: DType = 'float64';
export const double: DType = 'float64';
export const float16: DType = 'float16';
export const half: DType = 'float16';
export const bfloat16: DType = 'bfloat16';
export const int8: DType = 'int8';
export const int16: DType = 'int16';
export const short: DType = 'int16';
export const int32: DType = 'int32';
export const int: DType = 'int32';
export const int64: DType = 'int64';
export const long: DType = 'int64';
export const uint8: DType = 'uint8';
export const bool: DType = 'bool';
export const complex64: DType = 'complex64';
export const complex128: DType = 'complex128';
/** `torch.cfloat`: complex64. */
export const cfloat: DType = 'complex64';
/** `torch.cdouble`: complex128. */
export const cdouble: DType = 'complex128';
