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

/** Whether the dtype is a floating point type (the ones that can require gradients). */
export function isFloatingPoint(d: DType): boolean {
  return d === 'float32' || d === 'float64' || d === 'float16' || d === 'bfloat16';
}

/** Whether the dtype is complex. */
export function isComplex(d: DType): boolean {
  return d === 'complex64' || d === 'complex128';
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
