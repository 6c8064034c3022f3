// Printing tensors exactly as PyTorch does (the semantics of torch/_tensor_str.py): the same number formats
// (fixed, integer-valued and scientific, chosen from the data), the same widths, line wrapping at `linewidth`,
// summarization with '...' above `threshold` elements, and the same suffixes (dtype, device, grad_fn).
import { N } from './native';
import { Tensor, wrap, tidy } from './tensor';
import { callOp } from './dispatch';
import { DType, describe, getDefaultDtype } from './dtype';

/** Printing options, as `torch.set_printoptions` takes them. */
export interface PrintOptions {
  /** Digits after the decimal point (default 4). */
  precision?: number;
  /** Above this many elements a tensor is summarized with '...' (default 1000). */
  threshold?: number;
  /** Items shown at each end of a summarized dimension (default 3). */
  edgeitems?: number;
  /** Characters per line before wrapping (default 80). */
  linewidth?: number;
  /** 'default', 'short' (precision 2, edgeitems 2) or 'full' (never summarize); the other options override it. */
  profile?: 'default' | 'short' | 'full';
  /** Force (true) or forbid (false) scientific notation; null or omitted lets the data decide. */
  sciMode?: boolean | null;
}

interface Options {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  sciMode: boolean | null;
}

const opts: Options = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };

function checkCount(v: unknown, name: string, allowInfinity = false): number {
  if (typeof v === 'number' && ((Number.isInteger(v) && v >= 0) || (allowInfinity && v === Infinity))) return v;
  throw new TypeError(`setPrintoptions(): ${name} must be a non-negative integer, but received ${describe(v)}`);
}

// ---- Python's formatting of values, for reprs and error messages ----

/** Python's `repr(float)`: `1e-05`, `0.1`, `1.0`. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const [mant, expStr] = x.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/** Python's `repr` of a tuple of ints: `(3,)`, `(3, 3)`. */
export function pyTuple(v: readonly (number | null)[]): string {
  const items = v.map((x) => (x === null ? 'None' : String(x)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** Python's `str` of a value as it appears in a module repr: ints as is, arrays as tuples, booleans, None. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return pyTuple(v as number[]);
  return String(v);
}

/** A float that may be None. */
export function pyOptFloat(v: number | null | undefined): string {
  return v === null || v === undefined ? 'None' : pyFloat(v);
}

/** `torch.Size([2, 3])`, as PyTorch's messages print shapes. */
export function sizeStr(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/**
 * Sets how tensors print, as `torch.set_printoptions(...)`: `setPrintoptions({ precision: 2 })`,
 * `setPrintoptions({ profile: 'default' })`. Like PyTorch, `sciMode` is reset to automatic unless given.
 */
export function setPrintoptions(options: PrintOptions = {}): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`setPrintoptions(): expected an options object, but received ${describe(options)}`);
  }
  const { profile } = options;
  if (profile !== undefined) {
    if (profile === 'default') Object.assign(opts, { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 });
    else if (profile === 'short') Object.assign(opts, { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 });
    else if (profile === 'full') Object.assign(opts, { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 });
    else throw new TypeError(`setPrintoptions(): profile must be 'default', 'short' or 'full', but received ${describe(profile)}`);
  }
  if (options.precision !== undefined) opts.precision = checkCount(options.precision, 'precision');
  if (options.threshold !== undefined) opts.threshold = checkCount(options.threshold, 'threshold', true);
  if (options.edgeitems !== undefined) opts.edgeitems = checkCount(options.edgeitems, 'edgeitems');
  if (options.linewidth !== undefined) opts.linewidth = checkCount(options.linewidth, 'linewidth');
  if (options.sciMode !== undefined && options.sciMode !== null && typeof options.sciMode !== 'boolean') {
    throw new TypeError(`setPrintoptions(): sciMode must be a boolean or null, but received ${describe(options.sciMode)}`);
  }
  opts.sciMode = options.sciMode ?? null;
}

/** The current printing options. */
export function getPrintoptions(): Required<Omit<PrintOptions, 'profile'>> {
  return { precision: opts.precision, threshold: opts.threshold, edgeitems: opts.edgeitems, linewidth: opts.linewidth, sciMode: opts.sciMode };
}

// ---- exact decimal formatting (Python's '{:.Nf}' and '{:.Ne}': correctly rounded, ties to even) ----

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** A finite non-negative double as mantissa * 2^exponent, exactly. */
function decompose(a: number): { m: bigint; e: number } {
  F64[0] = a;
  const bits = U64[0];
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  if (biased === 0) return { m: frac, e: -1074 };
  return { m: frac | 0x10000000000000n, e: biased - 1075 };
}

function pow10(k: number): bigint {
  return 10n ** BigInt(k);
}

/** round(num / den), halves to even. */
function roundDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num - q * den) * 2n;
  return r2 > den || (r2 === den && (q & 1n) === 1n) ? q + 1n : q;
}

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** Python's `'{:.{p}f}'.format(x)`. */
export function formatFixed(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const { m, e } = decompose(Math.abs(x));
  const n = e >= 0 ? (m << BigInt(e)) * pow10(p) : roundDiv(m * pow10(p), 1n << BigInt(-e));
  const s = n.toString().padStart(p + 1, '0');
  const sign = isNegative(x) ? '-' : '';
  return p === 0 ? sign + s : `${sign}${s.slice(0, s.length - p)}.${s.slice(s.length - p)}`;
}

/** Python's `'{:.{p}e}'.format(x)`. */
export function formatExp(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const sign = isNegative(x) ? '-' : '';
  const a = Math.abs(x);
  let digits: string;
  let exp = 0;
  if (a === 0) {
    digits = '0'.repeat(p + 1);
  } else {
    const { m, e } = decompose(a);
    const lo = pow10(p);
    const hi = pow10(p + 1);
    exp = Math.floor(Math.log10(a));
    for (;;) {
      // round(a / 10^(exp - p)) as an integer of p + 1 digits
      const k = exp - p;
      let num = m;
      let den = 1n;
      if (e >= 0) num <<= BigInt(e);
      else den <<= BigInt(-e);
      if (k >= 0) den *= pow10(k);
      else num *= pow10(-k);
      const n = roundDiv(num, den);
      if (n >= hi) exp++;
      else if (n < lo) exp--;
      else {
        digits = n.toString();
        break;
      }
    }
  }
  const mantissa = p === 0 ? digits[0] : `${digits[0]}.${digits.slice(1)}`;
  const absExp = Math.abs(exp);
  return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${absExp < 10 ? '0' : ''}${absExp}`;
}

// ---- the element formatter (PyTorch's _Formatter) ----

interface Formatter {
  width: number;
  format(v: number | string): string;
}

function pad(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

/** For integer and bool tensors the elements are already strings: the width is the longest. */
function textFormatter(strs: string[]): Formatter {
  let width = 1;
  for (const s of strs) width = Math.max(width, s.length);
  return { width, format: (v) => pad(String(v), width) };
}

/** For floating tensors: chooses integer, fixed or scientific format from the nonzero finite values. */
function floatFormatter(values: ArrayLike<number>): Formatter {
  const p = opts.precision;
  let intMode = true;
  let sciMode = false;
  let width = 1;
  let min = Infinity;
  let max = 0;
  let any = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v === 0) continue;
    any = true;
    const a = Math.abs(v);
    if (a < min) min = a;
    if (a > max) max = a;
    if (v !== Math.ceil(v)) intMode = false;
  }
  if (any) {
    const each = (f: (v: number) => number) => {
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (Number.isFinite(v) && v !== 0) width = Math.max(width, f(v));
      }
    };
    if (intMode) {
      if (max / min > 1000 || max > 1e8) {
        sciMode = true;
        each((v) => formatExp(v, p).length);
      } else {
        each((v) => formatFixed(v, 0).length + 1);
      }
    } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
      sciMode = true;
      each((v) => formatExp(v, p).length);
    } else {
      each((v) => formatFixed(v, p).length);
    }
  }
  if (opts.sciMode !== null) sciMode = opts.sciMode;
  const fmt = (v: number): string => {
    if (sciMode) return formatExp(v, p);
    if (intMode) return Number.isFinite(v) ? `${formatFixed(v, 0)}.` : nonFinite(v);
    return formatFixed(v, p);
  };
  return { width, format: (v) => pad(fmt(v as number), width) };
}

// ---- layout ----

/** The elements to show, flat and row-major, and which dimensions are cut in the middle. */
interface Shown {
  shape: number[];
  cut: boolean[];
  /** One formatted string per element. */
  strs: string[];
  width: number;
}

function complexJoin(re: string, im: string): string {
  const imag = `${im}j`.trimStart();
  return imag[0] === '+' || imag[0] === '-' ? re + imag : `${re}+${imag}`;
}

/** Formats every shown element; for complex tensors `width` covers both parts as PyTorch counts it. */
function formatElements(dtype: DType, buf: ArrayBuffer): { strs: string[]; width: number } {
  switch (dtype) {
    case 'float32': case 'float16': case 'bfloat16': case 'float64': {
      const vals = dtype === 'float64' ? new Float64Array(buf) : new Float32Array(buf);
      const f = floatFormatter(vals);
      return { strs: Array.from(vals, (v) => f.format(v)), width: f.width };
    }
    case 'complex64': case 'complex128': {
      const all = dtype === 'complex128' ? new Float64Array(buf) : new Float32Array(buf);
      const re = all.filter((_v, i) => i % 2 === 0);
      const im = all.filter((_v, i) => i % 2 === 1);
      const f1 = floatFormatter(re);
      const f2 = floatFormatter(im);
      const strs = Array.from(re, (r, i) => complexJoin(f1.format(r), f2.format(im[i])));
      return { strs, width: f1.width + f2.width + 1 };
    }
    default: {
      const raw = dtype === 'bool' ? Array.from(new Uint8Array(buf), (b) => (b !== 0 ? 'True' : 'False')) : readInts(dtype, buf);
      const f = textFormatter(raw);
      return { strs: raw.map((s) => f.format(s)), width: f.width };
    }
  }
}

function readInts(dtype: DType, buf: ArrayBuffer): string[] {
  switch (dtype) {
    case 'int64': return Array.from(new BigInt64Array(buf), String);
    case 'int32': return Array.from(new Int32Array(buf), String);
    case 'int16': return Array.from(new Int16Array(buf), String);
    case 'int8': return Array.from(new Int8Array(buf), String);
    case 'uint8': return Array.from(new Uint8Array(buf), String);
    default: throw new TypeError(`printing tensors of dtype ${dtype} is not supported`);
  }
}

/** Cuts the middle out of each long dimension of a summarized tensor (PyTorch's get_summarized_data). */
function shownElements(t: Tensor, summarize: boolean): Shown {
  const shape = t.shape;
  const edge = opts.edgeitems;
  const cut = shape.map((s) => summarize && s > 2 * edge);
  let cur = t;
  try {
    for (let d = 0; d < shape.length; d++) {
      if (!cut[d]) continue;
      const idx = new BigInt64Array(2 * edge);
      for (let i = 0; i < edge; i++) {
        idx[i] = BigInt(i);
        idx[edge + i] = BigInt(shape[d] - edge + i);
      }
      const next = tidy(() => {
        let index = wrap(N.fromBuffer(idx, 'int64', [2 * edge]));
        if (t.device.type !== 'cpu') index = callOp('to', [index], { device: t.device.toString() }) as Tensor;
        return callOp('index_select', [callOp('detach', [cur]), d, index]) as Tensor;
      });
      if (cur !== t) cur.dispose();
      cur = next;
    }
    const { strs, width } = formatElements(t.dtype, N.toBuffer(cur.handle));
    return { shape: shape.map((s, d) => (cut[d] ? 2 * edge : s)), cut, strs, width };
  } finally {
    if (cur !== t) cur.dispose();
  }
}

function vectorStr(shown: Shown, offset: number, indent: number, cut: boolean): string {
  const n = shown.shape[shown.shape.length - 1];
  const perLine = Math.max(1, Math.floor((opts.linewidth - indent) / (shown.width + 2)));
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    if (cut && i === opts.edgeitems) items.push(' ...');
    items.push(shown.strs[offset + i]);
  }
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

function blockStr(shown: Shown, d: number, offset: number, indent: number): string {
  const ndim = shown.shape.length;
  if (d === ndim - 1) return vectorStr(shown, offset, indent, shown.cut[d]);
  let block = 1;
  for (let k = d + 1; k < ndim; k++) block *= shown.shape[k];
  const parts: string[] = [];
  for (let i = 0; i < shown.shape[d]; i++) {
    if (shown.cut[d] && i === opts.edgeitems) parts.push('...');
    parts.push(blockStr(shown, d + 1, offset + i * block, indent + 1));
  }
  const rest = ndim - d;
  return `[${parts.join(`,${'\n'.repeat(rest - 1)}${' '.repeat(indent + 1)}`)}]`;
}

/** The data part of the repr: `[[1., 2.],\n        [3., 4.]]`, or `3.5000` for 0-dim tensors. */
function dataStr(t: Tensor, indent: number): string {
  if (t.numel() === 0) return '[]';
  const shown = shownElements(t, t.numel() > opts.threshold);
  if (shown.shape.length === 0) return shown.strs[0];
  return blockStr(shown, 0, 0, indent);
}

/** Appends suffixes, wrapping to a new line (indented under the data) when the line would pass linewidth. */
function addSuffixes(text: string, suffixes: string[], indent: number): string {
  const out = [text];
  // PyTorch's count: characters after the last newline, plus 2 (rfind returns -1 without a newline).
  let lastLineLen = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > opts.linewidth) {
      out.push(`,\n${' '.repeat(indent)}${suffix}`);
      lastLineLen = indent + suffix.length;
    } else {
      out.push(`, ${suffix}`);
      lastLineLen += suffix.length + 2;
    }
  }
  out.push(')');
  return out.join('');
}

/** The dtypes whose tensors print no `dtype=`: the default dtype, its complex counterpart, int64 and bool. */
function defaultDtypes(defaultDtype: DType): DType[] {
  return [defaultDtype, defaultDtype === 'float64' ? 'complex128' : 'complex64', 'int64', 'bool'];
}

/** PyTorch's repr of a tensor: `tensor([1., 2.], dtype=torch.float64, requires_grad=True)`. */
export function formatTensor(t: Tensor, prefix = 'tensor('): string {
  const indent = prefix.length;
  const suffixes: string[] = [];
  const device = t.device;
  if (device.type !== 'cpu') suffixes.push(`device='${device.toString()}'`);
  const dtype = t.dtype;
  const defaultDtype = getDefaultDtype();
  let body: string;
  if (device.type === 'meta') {
    // a meta tensor has no data to show
    suffixes.push(`size=${pyTuple(t.shape)}`);
    if (dtype !== defaultDtype) suffixes.push(`dtype=torch.${dtype}`);
    body = '...';
  } else if (t.numel() === 0) {
    if (t.dim() !== 1) suffixes.push(`size=${pyTuple(t.shape)}`);
    if (dtype !== defaultDtype) suffixes.push(`dtype=torch.${dtype}`);
    body = '[]';
  } else {
    if (!defaultDtypes(defaultDtype).includes(dtype)) suffixes.push(`dtype=torch.${dtype}`);
    body = dataStr(t, indent);
  }
  const gradFn = t.gradFn;
  if (gradFn !== null) suffixes.push(`grad_fn=<${gradFn.name()}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, indent);
}

/** `torch.typename(v)`: a tensor's `type()` ('torch.FloatTensor'), Python's name of a value's type ('int', 'str'), or the class name. */
export function typename(v: unknown): string {
  if (v instanceof Tensor) return v.type();
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'function') return 'function';
  return (v as object).constructor?.name ?? 'object';
}
