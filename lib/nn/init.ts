// torch.nn.init: in-place initialisation of tensors without recording autograd. Bounds are computed with the
// same floating point expressions as PyTorch and drawn with the same ATen calls (uniform_, normal_, ...), so
// the same seed gives the same numbers as in Python.
import { Tensor, tidy } from '../tensor';
import '../tensor_ops';
import { callOp } from '../dispatch';
import { noGrad } from '../autograd';
import { tensor as makeTensor } from '../creation';
import { checkTensor } from './common';

/** Nonlinearities calculateGain knows. */
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** Fan mode of the Kaiming initialisations. */
export type FanMode = 'fan_in' | 'fan_out';

const LINEAR = new Set(['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d']);

/** The recommended gain for a nonlinearity (`param`: leaky_relu's negative slope, default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  if (LINEAR.has(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5.0 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2.0);
  if (nonlinearity === 'leaky_relu') {
    let slope: number;
    if (param === undefined || param === null) slope = 0.01;
    else if (typeof param === 'number') slope = param;
    else throw new RangeError(`negative_slope ${String(param)} not a valid number`);
    // slope * slope, not slope ** 2: the same correctly rounded square Python's float ** 2 gives.
    return Math.sqrt(2.0 / (1 + slope * slope));
  }
  if (nonlinearity === 'selu') return 3.0 / 4;
  throw new RangeError(`Unsupported nonlinearity ${String(nonlinearity)}`);
}

/** Fan-in and fan-out of a weight of at least 2 dimensions: (dim 1, dim 0) times the receptive field. */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  const shape = checkTensor(tensor, 'calculate_fan_in_and_fan_out', 'tensor').shape;
  if (shape.length < 2) throw new RangeError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  let receptive = 1;
  for (const s of shape.slice(2)) receptive *= s;
  return [shape[1] * receptive, shape[0] * receptive];
}

function correctFan(tensor: Tensor, mode: string): number {
  const m = mode.toLowerCase();
  if (m !== 'fan_in' && m !== 'fan_out') throw new RangeError(`Mode ${mode} not supported, please use one of fan_in, fan_out`);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return m === 'fan_in' ? fanIn : fanOut;
}

function inPlace<T extends Tensor>(tensor: T, fn: (t: T) => void): T {
  checkTensor(tensor, 'init', 'tensor');
  noGrad(() => fn(tensor));
  return tensor;
}

/** Fills with samples of U(a, b). */
export function uniform_<T extends Tensor>(tensor: T, a = 0.0, b = 1.0): T {
  return inPlace(tensor, (t) => callOp('uniform_', [t, a, b]));
}

/** Fills with samples of N(mean, std²). */
export function normal_<T extends Tensor>(tensor: T, mean = 0.0, std = 1.0): T {
  return inPlace(tensor, (t) => callOp('normal_', [t, mean, std]));
}

function erf(x: number): number {
  // The C library's erf, as Python's math.erf uses, through a float64 tensor.
  return tidy(() => makeTensor([x], { dtype: 'float64' }).erf().item());
}

/** Fills with a normal distribution truncated to [a, b] (inverse-CDF method, as PyTorch). */
export function truncNormal_<T extends Tensor>(tensor: T, mean = 0.0, std = 1.0, a = -2.0, b = 2.0): T {
  const normCdf = (x: number) => (1.0 + erf(x / Math.sqrt(2.0))) / 2.0;
  if (mean < a - 2 * std || mean > b + 2 * std) {
    process.emitWarning('mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.', 'UserWarning');
  }
  const l = normCdf((a - mean) / std);
  const u = normCdf((b - mean) / std);
  return inPlace(tensor, (t) => {
    callOp('uniform_', [t, 2 * l - 1, 2 * u - 1]);
    callOp('erfinv_', [t]);
    callOp('mul_', [t, std * Math.sqrt(2.0)]);
    callOp('add_', [t, mean]);
    callOp('clamp_', [t, a, b]);
  });
}

/** Fills with `val`. */
export function constant_<T extends Tensor>(tensor: T, val: number): T {
  return inPlace(tensor, (t) => callOp('fill_', [t, val]));
}

/** Fills with 1. */
export function ones_<T extends Tensor>(tensor: T): T {
  return inPlace(tensor, (t) => callOp('fill_', [t, 1.0]));
}

/** Fills with 0. */
export function zeros_<T extends Tensor>(tensor: T): T {
  return inPlace(tensor, (t) => callOp('zero_', [t]));
}

/** Fills a 2-D tensor with the identity matrix. */
export function eye_<T extends Tensor>(tensor: T): T {
  if (checkTensor(tensor, 'eye_', 'tensor').dim() !== 2) throw new RangeError('Only tensors with 2 dimensions are supported');
  const [n, m] = tensor.shape;
  return inPlace(tensor, (t) => callOp('eye', [n, m], { out: t }));
}

/** Fills a 3-, 4- or 5-D tensor with the Dirac delta (identity-preserving convolution), per group. */
export function dirac_<T extends Tensor>(tensor: T, groups = 1): T {
  const dims = checkTensor(tensor, 'dirac_', 'tensor').dim();
  if (dims < 3 || dims > 5) throw new RangeError('Only tensors with 3, 4, or 5 dimensions are supported');
  const sizes = tensor.shape;
  if (sizes[0] % groups !== 0) throw new RangeError('dim 0 must be divisible by groups');
  const outPerGroup = sizes[0] / groups;
  const minDim = Math.min(outPerGroup, sizes[1]);
  return inPlace(tensor, (t) => {
    callOp('zero_', [t]);
    for (let g = 0; g < groups; g++) {
      for (let d = 0; d < minDim; d++) {
        const index: number[] = [g * outPerGroup + d, d, ...sizes.slice(2).map((s) => Math.floor(s / 2))];
        t.indexPut_(index, 1);
      }
    }
  });
}

/** Xavier/Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)). */
export function xavierUniform_<T extends Tensor>(tensor: T, gain = 1.0): T {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(tensor, -a, a);
}

/** Xavier/Glorot normal: N(0, std²) with std = gain * sqrt(2 / (fan_in + fan_out)). */
export function xavierNormal_<T extends Tensor>(tensor: T, gain = 1.0): T {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  return normal_(tensor, 0.0, std);
}

/** Keyword arguments of the Kaiming initialisations. */
export interface KaimingOptions {
  /** The negative slope of the rectifier after this layer (leaky_relu only). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingArgs(aOrOpts: number | KaimingOptions | undefined, mode: FanMode | undefined, nonlinearity: Nonlinearity | undefined): Required<KaimingOptions> {
  const o: KaimingOptions = typeof aOrOpts === 'object' && aOrOpts !== null ? aOrOpts : { a: aOrOpts, mode, nonlinearity };
  return { a: o.a ?? 0, mode: o.mode ?? 'fan_in', nonlinearity: o.nonlinearity ?? 'leaky_relu' };
}

/**
 * Kaiming/He uniform: U(-bound, bound) with bound = gain * sqrt(3 / fan). `kaimingUniform_(w, Math.sqrt(5))`
 * is what Linear and Conv layers use; options: `{ a, mode, nonlinearity }`.
 */
export function kaimingUniform_<T extends Tensor>(tensor: T, a?: number | KaimingOptions, mode?: FanMode, nonlinearity?: Nonlinearity): T {
  const o = kaimingArgs(a, mode, nonlinearity);
  if (checkTensor(tensor, 'kaiming_uniform_', 'tensor').shape.includes(0)) {
    process.emitWarning('Initializing zero-element tensors is a no-op', 'UserWarning');
    return tensor;
  }
  const fan = correctFan(tensor, o.mode);
  const gain = calculateGain(o.nonlinearity, o.a);
  const std = gain / Math.sqrt(fan);
  const bound = Math.sqrt(3.0) * std;
  return uniform_(tensor, -bound, bound);
}

/** Kaiming/He normal: N(0, std²) with std = gain / sqrt(fan); options: `{ a, mode, nonlinearity }`. */
export function kaimingNormal_<T extends Tensor>(tensor: T, a?: number | KaimingOptions, mode?: FanMode, nonlinearity?: Nonlinearity): T {
  const o = kaimingArgs(a, mode, nonlinearity);
  if (checkTensor(tensor, 'kaiming_normal_', 'tensor').shape.includes(0)) {
    process.emitWarning('Initializing zero-element tensors is a no-op', 'UserWarning');
    return tensor;
  }
  const fan = correctFan(tensor, o.mode);
  const gain = calculateGain(o.nonlinearity, o.a);
  const std = gain / Math.sqrt(fan);
  return normal_(tensor, 0, std);
}

/** A (semi-)orthogonal matrix from the QR decomposition of a normal sample, scaled by `gain`. */
export function orthogonal_<T extends Tensor>(tensor: T, gain = 1): T {
  if (checkTensor(tensor, 'orthogonal_', 'tensor').dim() < 2) throw new RangeError('Only tensors with 2 or more dimensions are supported');
  if (tensor.numel() === 0) return tensor;
  const rows = tensor.size(0);
  const cols = tensor.numel() / rows;
  tidy(() => {
    let flat = callOp('new_empty', [tensor, [rows, cols]]) as Tensor;
    callOp('normal_', [flat, 0, 1]);
    if (rows < cols) flat = flat.t();
    let [q, r] = callOp('linalg_qr', [flat]) as [Tensor, Tensor];
    const ph = (callOp('diag', [r, 0]) as Tensor).sign();
    q = q.mul(ph);
    if (rows < cols) q = q.t();
    noGrad(() => {
      (tensor.viewAs(q) as Tensor).copy_(q);
      callOp('mul_', [tensor, gain]);
    });
    void r;
  });
  return tensor;
}

/** A sparse matrix: N(0, std²) with a fraction `sparsity` of each column set to zero. */
export function sparse_<T extends Tensor>(tensor: T, sparsity: number, std = 0.01): T {
  if (checkTensor(tensor, 'sparse_', 'tensor').dim() !== 2) throw new RangeError('Only tensors with 2 dimensions are supported');
  const [rows, cols] = tensor.shape;
  const numZeros = Math.ceil(sparsity * rows);
  return inPlace(tensor, (t) => {
    callOp('normal_', [t, 0, std]);
    for (let c = 0; c < cols; c++) {
      tidy(() => {
        const perm = callOp('randperm', [rows]) as Tensor;
        const zeroIdx = perm.index({ start: 0, stop: numZeros });
        t.indexPut_([zeroIdx, c], 0);
      });
    }
  });
}
