// The tensor implementations of the image functions (torchvision.transforms.functional_tensor): images are
// tensors [..., C, H, W], uint8 or floating point in [0, 1]. Every intermediate is freed before returning.
import { Tensor, tidy } from '../../tensor';
import { callOp } from '../../dispatch';
import { describe, isFloatingPoint } from '../../dtype';
import { tensor, zerosLike, onesLike, linspace, empty, arange } from '../../creation';
import { stack, cat } from '../../functions';
import type { Interpolation } from '../io';

/** How pad() fills the border. */
export type PaddingMode = 'constant' | 'edge' | 'reflect' | 'symmetric';

/** A fill value for one channel or for each channel. */
export type Fill = number | number[];

function op(name: string, args: unknown[], kwargs?: Record<string, unknown>): Tensor {
  return callOp(name, args, kwargs) as Tensor;
}

/** Throws unless `img` is a tensor image with at least 2 dimensions. */
export function assertImageTensor(img: unknown, who: string): asserts img is Tensor {
  if (!(img instanceof Tensor)) throw new TypeError(`${who}: img should be a Tensor or an Image, but received ${describe(img)}`);
  if (img.dim() < 2) throw new TypeError(`${who}: tensor is not a torch image (expected at least 2 dimensions, got ${img.dim()})`);
}

/** [channels, height, width] of a tensor image. */
export function getDimensions(img: Tensor): [number, number, number] {
  const s = img.shape;
  const c = s.length === 2 ? 1 : s[s.length - 3];
  return [c, s[s.length - 2], s[s.length - 1]];
}

/** The largest value of the dtype's image range: 255 for uint8, 1 for floats. */
export function maxValue(dtype: string): number {
  switch (dtype) {
    case 'uint8': return 255;
    case 'int8': return 127;
    case 'int16': return 32767;
    case 'int32': return 2147483647;
    case 'int64': return 9223372036854775807;
    default: return 1;
  }
}

/** Runs `fn` on a float, 4-D view of `img` and casts back (rounding for integer dtypes), as torchvision does. */
function castSqueeze(img: Tensor, fn: (x: Tensor) => Tensor, floatDtype: 'float32' | 'float64' = 'float32'): Tensor {
  return tidy(() => {
    const squeeze = img.dim() < 4;
    let x = squeeze ? img.unsqueeze(0) : img;
    const cast = !isFloatingPoint(img.dtype);
    if (cast) x = x.to(floatDtype);
    let y = fn(x);
    if (squeeze) y = y.squeeze(0);
    if (cast) y = y.round().to(img.dtype);
    return y;
  });
}

/** Resizes to [h, w]; `antialias` low-pass filters when shrinking (as PIL does). */
export function resize(img: Tensor, size: [number, number], interpolation: Interpolation = 'bilinear', antialias = true): Tensor {
  const [h, w] = size;
  const [, ih, iw] = getDimensions(img);
  if (ih === h && iw === w) return img;
  return castSqueeze(img, (x) => {
    switch (interpolation) {
      case 'nearest':
        return op('upsample_nearest2d', [x, [h, w]]);
      case 'bilinear':
        return antialias ? op('_upsample_bilinear2d_aa', [x, [h, w], false]) : op('upsample_bilinear2d', [x, [h, w], false]);
      case 'bicubic': {
        const y = antialias ? op('_upsample_bicubic2d_aa', [x, [h, w], false]) : op('upsample_bicubic2d', [x, [h, w], false]);
        return isFloatingPoint(img.dtype) ? y : y.clamp(0, 255);
      }
      default:
        throw new TypeError(`resize(): interpolation ${interpolation} is not supported for tensors (use nearest, bilinear or bicubic)`);
    }
  });
}

/** The region [top, top + height) x [left, left + width); parts outside the image are zeros. */
export function crop(img: Tensor, top: number, left: number, height: number, width: number): Tensor {
  const [, h, w] = getDimensions(img);
  const right = left + width;
  const bottom = top + height;
  if (left < 0 || top < 0 || right > w || bottom > h) {
    return tidy(() => {
      const t0 = Math.max(top, 0);
      const l0 = Math.max(left, 0);
      const inner = img.narrow(-2, t0, Math.max(Math.min(bottom, h) - t0, 0)).narrow(-1, l0, Math.max(Math.min(right, w) - l0, 0));
      const padding: [number, number, number, number] = [
        Math.max(-left + Math.min(0, right), 0),
        Math.max(-top + Math.min(0, bottom), 0),
        Math.max(right - Math.max(w, left), 0),
        Math.max(bottom - Math.max(h, top), 0),
      ];
      return pad(inner, padding, 0, 'constant');
    });
  }
  return img.narrow(-2, top, height).narrow(-1, left, width);
}

/** Mirrors left-right. */
export function hflip(img: Tensor): Tensor {
  return img.flip(-1);
}

/** Mirrors top-bottom. */
export function vflip(img: Tensor): Tensor {
  return img.flip(-2);
}

/** Pads [left, top, right, bottom] with a constant, the edge values, or a reflection (symmetric repeats the edge). */
export function pad(img: Tensor, padding: [number, number, number, number], fill: Fill = 0, mode: PaddingMode = 'constant'): Tensor {
  const [l, t, r, b] = padding;
  if (mode === 'constant') {
    if (Array.isArray(fill) && fill.length > 1) {
      // One value per channel: pad each channel with its own value.
      return tidy(() => {
        const chans = img.unbind(-3);
        return stack(chans.map((c, i) => op('constant_pad_nd', [c, [l, r, t, b], fill[i] ?? 0])), -3);
      });
    }
    const v = Array.isArray(fill) ? fill[0] ?? 0 : fill;
    return op('constant_pad_nd', [img, [l, r, t, b], v]);
  }
  if (mode === 'symmetric') return padSymmetric(img, padding);
  const name = mode === 'edge' ? 'replication_pad2d' : 'reflection_pad2d';
  return castSqueeze(img, (x) => op(name, [x, [l, r, t, b]]));
}

function padSymmetric(img: Tensor, [l, t, r, b]: [number, number, number, number]): Tensor {
  return tidy(() => {
    const [, h, w] = getDimensions(img);
    const indexFor = (n: number, before: number, after: number) => {
      const idx: number[] = [];
      for (let i = -before; i < n + after; i++) {
        let j = i;
        while (j < 0 || j >= n) j = j < 0 ? -j - 1 : 2 * n - j - 1;
        idx.push(j);
      }
      return tensor(BigInt64Array.from(idx, BigInt));
    };
    const rows = img.indexSelect(-2, indexFor(h, t, b));
    return rows.indexSelect(-1, indexFor(w, l, r));
  });
}

/** ITU-R 601-2 luma: 0.2989 R + 0.587 G + 0.114 B, truncated for integer images (torchvision's tensor rule). */
export function rgbToGrayscale(img: Tensor, numOutputChannels: 1 | 3 = 1): Tensor {
  const [c] = getDimensions(img);
  if (c !== 1 && c !== 3) throw new TypeError(`rgbToGrayscale(): input image tensor should have 1 or 3 channels, but found ${c}`);
  if (c === 1) return numOutputChannels === 3 ? img.expand([...img.shape.slice(0, -3), 3, ...img.shape.slice(-2)]) : img;
  return tidy(() => {
    const [r, g, b] = img.unbind(-3);
    const l = r.mul(0.2989).add(g.mul(0.587)).add(b.mul(0.114)).to(img.dtype).unsqueeze(-3);
    return numOutputChannels === 3 ? l.expand(img.shape).contiguous() : l;
  });
}

function blend(img1: Tensor, img2: Tensor, ratio: number): Tensor {
  return tidy(() => img1.mul(ratio).add(img2.mul(1 - ratio)).clamp(0, maxValue(img1.dtype)).to(img1.dtype));
}

/** Multiplies brightness by `factor` (0 gives black). */
export function adjustBrightness(img: Tensor, factor: number): Tensor {
  if (!(factor >= 0)) throw new RangeError(`brightness factor (${factor}) is not non-negative.`);
  return tidy(() => blend(img, zerosLike(img), factor));
}

/** Moves pixels toward (or away from) the mean gray level by `factor`. */
export function adjustContrast(img: Tensor, factor: number): Tensor {
  if (!(factor >= 0)) throw new RangeError(`contrast factor (${factor}) is not non-negative.`);
  return tidy(() => {
    const [c] = getDimensions(img);
    const dtype = isFloatingPoint(img.dtype) ? img.dtype : 'float32';
    const gray = c === 3 ? rgbToGrayscale(img) : img;
    const mean = gray.to(dtype).mean([-3, -2, -1], true);
    return blend(img, mean, factor);
  });
}

/** Moves colors toward (or away from) gray by `factor` (0 gives grayscale). */
export function adjustSaturation(img: Tensor, factor: number): Tensor {
  if (!(factor >= 0)) throw new RangeError(`saturation factor (${factor}) is not non-negative.`);
  const [c] = getDimensions(img);
  if (c === 1) return img;
  return tidy(() => blend(img, rgbToGrayscale(img), factor));
}

/** Converts between uint8 and float images (float = uint8 / 255; back: x * 255.999, truncated). */
export function convertImageDtype(img: Tensor, dtype: 'float32' | 'float64' | 'float16' | 'uint8' = 'float32'): Tensor {
  if (img.dtype === dtype) return img;
  return tidy(() => {
    if (isFloatingPoint(img.dtype)) {
      if (isFloatingPoint(dtype)) return img.to(dtype);
      return img.mul(maxValue(dtype) + 1 - 1e-3).to(dtype);
    }
    if (isFloatingPoint(dtype)) return img.to(dtype).div(maxValue(img.dtype));
    throw new TypeError(`convertImageDtype(): conversion from ${img.dtype} to ${dtype} is not supported`);
  });
}

function rgb2hsv(img: Tensor): Tensor {
  const [r, g, b] = img.unbind(-3);
  const maxc = img.amax(-3);
  const minc = img.amin(-3);
  const eqc = maxc.eq(minc);
  const cr = maxc.sub(minc);
  const ones = onesLike(maxc);
  const s = cr.div(ones.where(eqc, maxc));
  const crDivisor = ones.where(eqc, cr);
  const rc = maxc.sub(r).div(crDivisor);
  const gc = maxc.sub(g).div(crDivisor);
  const bc = maxc.sub(b).div(crDivisor);
  const hr = maxc.eq(r).mul(bc.sub(gc));
  const hg = maxc.eq(g).logicalAnd(maxc.ne(r)).mul(rc.sub(bc).add(2));
  const hb = maxc.ne(g).logicalAnd(maxc.ne(r)).mul(gc.sub(rc).add(4));
  const h = hr.add(hg).add(hb).div(6).add(1).fmod(1);
  return stack([h, s, maxc], -3);
}

function hsv2rgb(img: Tensor): Tensor {
  const [h, s, v] = img.unbind(-3);
  const h6 = h.mul(6);
  const iF = h6.floor();
  const f = h6.sub(iF);
  const i = iF.to('int32').remainder(6);
  const p = v.mul(s.neg().add(1)).clamp(0, 1);
  const q = v.mul(s.mul(f).neg().add(1)).clamp(0, 1);
  const t = v.mul(s.mul(f.neg().add(1)).neg().add(1)).clamp(0, 1);
  const mask = i.unsqueeze(-3).eq(arange(6).view(-1, 1, 1)).to(img.dtype);
  const a1 = stack([v, q, p, p, t, v], -3);
  const a2 = stack([t, v, v, q, p, p], -3);
  const a3 = stack([p, p, t, v, v, q], -3);
  const a4 = stack([a1, a2, a3], -4);
  return op('einsum', ['...ijk, ...xijk -> ...xjk', [mask, a4]]);
}

/** Shifts the hue by `factor` (in [-0.5, 0.5]) turns of the color wheel. */
export function adjustHue(img: Tensor, factor: number): Tensor {
  if (!(factor >= -0.5 && factor <= 0.5)) throw new RangeError(`hue_factor (${factor}) is not in [-0.5, 0.5].`);
  const [c] = getDimensions(img);
  if (c === 1) return img;
  return tidy(() => {
    const dtype = img.dtype;
    const f = convertImageDtype(img, 'float32');
    const hsv = rgb2hsv(f);
    const [h, s, v] = hsv.unbind(-3);
    const shifted = stack([h.add(factor).remainder(1), s, v], -3);
    return convertImageDtype(hsv2rgb(shifted), dtype as 'uint8');
  });
}

/** Gamma correction: 255 * gain * (x / 255) ** gamma. */
export function adjustGamma(img: Tensor, gamma: number, gain = 1): Tensor {
  if (!(gamma >= 0)) throw new RangeError('Gamma should be a non-negative real number');
  return tidy(() => {
    const f = isFloatingPoint(img.dtype) ? img : convertImageDtype(img, 'float32');
    const out = f.pow(gamma).mul(gain).clamp(0, 1);
    return convertImageDtype(out, img.dtype as 'uint8');
  });
}

/** max - img. */
export function invert(img: Tensor): Tensor {
  return tidy(() => img.neg().add(maxValue(img.dtype)).to(img.dtype));
}

/** Keeps the `bits` high bits of each channel (uint8 images). */
export function posterize(img: Tensor, bits: number): Tensor {
  if (img.dtype !== 'uint8') throw new TypeError(`posterize(): only uint8 tensors are supported, got ${img.dtype}`);
  const mask = -(2 ** (8 - bits));
  return op('bitwise_and', [img, mask]);
}

/** Inverts the pixels at or above `threshold`. */
export function solarize(img: Tensor, threshold: number): Tensor {
  if (threshold > maxValue(img.dtype)) throw new RangeError('Threshold should be less than bound of img.');
  return tidy(() => invert(img).where(img.ge(threshold), img));
}

function blurredDegenerate(img: Tensor): Tensor {
  return tidy(() => {
    const dtype = isFloatingPoint(img.dtype) ? img.dtype : 'float32';
    const k = tensor([[1, 1, 1], [1, 5, 1], [1, 1, 1]], { dtype }).div(13);
    const [c] = getDimensions(img);
    const kernel = k.expand([c, 1, 3, 3]);
    const tmp = castSqueeze(img, (x) => op('conv2d', [x, kernel], { groups: c }));
    const result = img.clone();
    const [, h, w] = getDimensions(img);
    result.narrow(-2, 1, h - 2).narrow(-1, 1, w - 2).copy_(tmp);
    return result;
  });
}

/** Sharpens (factor > 1) or blurs (factor < 1) with PIL's smoothing kernel. */
export function adjustSharpness(img: Tensor, factor: number): Tensor {
  if (!(factor >= 0)) throw new RangeError(`sharpness_factor (${factor}) is not non-negative.`);
  const [, h, w] = getDimensions(img);
  if (h <= 2 || w <= 2) return img;
  return tidy(() => blend(img, blurredDegenerate(img), factor));
}

/** Stretches each channel to the full range. */
export function autocontrast(img: Tensor): Tensor {
  return tidy(() => {
    const bound = maxValue(img.dtype);
    const dtype = isFloatingPoint(img.dtype) ? img.dtype : 'float32';
    let minimum = img.amin([-2, -1], true).to(dtype);
    const maximum = img.amax([-2, -1], true).to(dtype);
    let scale = maximum.sub(minimum).reciprocal().mul(bound);
    const bad = scale.isfinite().logicalNot();
    minimum = minimum.maskedFill(bad, 0);
    scale = scale.maskedFill(bad, 1);
    return img.sub(minimum).mul(scale).clamp(0, bound).to(img.dtype);
  });
}

function scaleChannel(chan: Tensor): Tensor {
  const hist = op('bincount', [chan.reshape(-1)], { minlength: 256 });
  const counts = Array.from(hist.dataSync() as BigInt64Array, Number);
  const nonzero = counts.filter((c) => c !== 0);
  const step = Math.floor(nonzero.slice(0, -1).reduce((a, b) => a + b, 0) / 255);
  if (step === 0) return chan;
  const lut = new Uint8Array(256);
  let cum = 0;
  for (let i = 0; i < 256; i++) {
    lut[i] = Math.min(255, Math.max(0, Math.floor((cum + Math.floor(step / 2)) / step)));
    cum += counts[i];
  }
  return tensor(lut).index([chan.to('int64')]);
}

/** Equalizes each channel's histogram (uint8 images). */
export function equalize(img: Tensor): Tensor {
  if (img.dtype !== 'uint8') throw new TypeError(`equalize(): only uint8 tensors are supported, got ${img.dtype}`);
  return tidy(() => {
    if (img.dim() === 3) return stack(img.unbind(0).map(scaleChannel), 0);
    const flat = img.reshape([-1, ...img.shape.slice(-3)]);
    return stack(flat.unbind(0).map((im) => stack(im.unbind(0).map(scaleChannel), 0)), 0).reshape(img.shape);
  });
}

function gaussianKernel1d(size: number, sigma: number, dtype: string): Tensor {
  const half = (size - 1) * 0.5;
  const x = linspace(-half, half, size);
  const pdf = x.div(sigma).pow(2).mul(-0.5).exp();
  return pdf.div(pdf.sum()).to(dtype);
}

/** Blurs with a Gaussian kernel [kx, ky] of standard deviations [sx, sy] (reflect padding). */
export function gaussianBlur(img: Tensor, kernelSize: [number, number], sigma: [number, number]): Tensor {
  return tidy(() => {
    const dtype = isFloatingPoint(img.dtype) ? img.dtype : 'float32';
    const kx = gaussianKernel1d(kernelSize[0], sigma[0], dtype);
    const ky = gaussianKernel1d(kernelSize[1], sigma[1], dtype);
    const k2 = ky.unsqueeze(1).mm(kx.unsqueeze(0));
    const [c] = getDimensions(img);
    const kernel = k2.expand([c, 1, kernelSize[1], kernelSize[0]]);
    const px = Math.floor(kernelSize[0] / 2);
    const py = Math.floor(kernelSize[1] / 2);
    return castSqueeze(img, (x) => op('conv2d', [op('reflection_pad2d', [x, [px, px, py, py]]), kernel], { groups: c }));
  });
}

/** (img - mean) / std per channel, for float tensors. */
export function normalize(img: Tensor, mean: number[], std: number[], inplace = false): Tensor {
  if (!isFloatingPoint(img.dtype)) throw new TypeError(`Input tensor should be a float tensor. Got ${img.dtype}.`);
  if (img.dim() < 3) throw new RangeError(`Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = [${img.shape.join(', ')}]`);
  return tidy(() => {
    const m = tensor(mean, { dtype: img.dtype }).view(-1, 1, 1);
    const s = tensor(std, { dtype: img.dtype }).view(-1, 1, 1);
    if (s.eq(0).any().item()) throw new RangeError(`std evaluated to zero after conversion to ${img.dtype}, leading to division by zero.`);
    const out = inplace ? img : img.clone();
    return out.sub_(m).div_(s);
  });
}

/** Sets the region [i, i + h) x [j, j + w) to `v` (a tensor broadcast to it, or a number). */
export function erase(img: Tensor, i: number, j: number, h: number, w: number, v: Tensor | number, inplace = false): Tensor {
  const out = inplace ? img : img.clone();
  tidy(() => {
    const region = out.narrow(-2, i, h).narrow(-1, j, w);
    if (typeof v === 'number') region.fill_(v);
    else region.copy_(v.expand(region.shape));
  });
  return out;
}

/** The inverse affine matrix (output to input pixel coordinates) of torchvision's affine parameterization. */
export function inverseAffineMatrix(center: [number, number], angle: number, translate: [number, number], scale: number, shear: [number, number]): number[] {
  const rad = (d: number) => (d * Math.PI) / 180;
  const rot = rad(angle);
  const sx = rad(shear[0]);
  const sy = rad(shear[1]);
  const [cx, cy] = center;
  const [tx, ty] = translate;
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = (-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = (-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot);
  const m = [d, -b, 0, -c, a, 0].map((x) => x / scale);
  m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
  m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
  m[2] += cx;
  m[5] += cy;
  return m;
}

/** The size [w, h] that holds the whole image after the affine `matrix` (rotate with expand). */
export function affineOutputSize(matrix: number[], w: number, h: number): [number, number] {
  const f = Math.fround;
  const pts = [[-0.5 * w, -0.5 * h], [-0.5 * w, 0.5 * h], [0.5 * w, 0.5 * h], [0.5 * w, -0.5 * h]];
  const m = matrix.map(f);
  const xs = pts.map(([x, y]) => f(f(f(x * m[0]) + f(y * m[1])) + m[2]));
  const ys = pts.map(([x, y]) => f(f(f(x * m[3]) + f(y * m[4])) + m[5]));
  const tol = f(1e-4);
  // Shifted to [0, w] x [0, h] and truncated to 1e-4 before ceil/floor, in float32 as torchvision does.
  const edge = (v: number, shift: number, round: (x: number) => number) => round(f(Math.trunc(f(f(v + f(shift)) / tol)) * tol));
  const size = (vals: number[], shift: number) => edge(Math.max(...vals), shift, Math.ceil) - edge(Math.min(...vals), shift, Math.floor);
  return [Math.trunc(size(xs, w * 0.5)), Math.trunc(size(ys, h * 0.5))];
}

/** Resamples the image through an affine `matrix` (see inverseAffineMatrix) into an [oh, ow] image. */
export function applyAffine(img: Tensor, matrix: number[], interpolation: Interpolation = 'nearest', fill: Fill | null = 0, outSize?: [number, number]): Tensor {
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') throw new TypeError(`affine(): interpolation ${interpolation} is not supported for tensors (use nearest or bilinear)`);
  const [c, h, w] = getDimensions(img);
  const [ow, oh] = outSize ?? [w, h];
  const dtype = isFloatingPoint(img.dtype) ? img.dtype : 'float32';
  return tidy(() => {
    const theta = tensor(matrix, { dtype }).reshape([1, 2, 3]);
    const base = empty([1, oh, ow, 3], { dtype });
    base.select(-1, 0).copy_(linspace(-ow * 0.5 + 0.5, ow * 0.5 + 0.5 - 1, ow, { dtype }));
    base.select(-1, 1).copy_(linspace(-oh * 0.5 + 0.5, oh * 0.5 + 0.5 - 1, oh, { dtype }).unsqueeze(-1));
    base.select(-1, 2).fill_(1);
    const rescaled = theta.transpose(1, 2).div(tensor([0.5 * w, 0.5 * h], { dtype }));
    const grid = base.view(1, oh * ow, 3).bmm(rescaled).view(1, oh, ow, 2);
    return castSqueeze(
      img,
      (x) => {
        const n = x.shape[0];
        const g = n > 1 ? grid.expand([n, oh, ow, 2]) : grid;
        let input = x;
        if (fill !== null) input = cat([x, onesLike(x.narrow(1, 0, 1))], 1);
        let out = op('grid_sampler', [input, g, interpolation === 'nearest' ? 1 : 0, 0, false]);
        if (fill !== null) {
          const mask = out.narrow(1, c, 1).expand([n, c, oh, ow]);
          out = out.narrow(1, 0, c);
          const fills = Array.isArray(fill) ? fill : [fill];
          const fillImg = tensor(fills, { dtype: x.dtype }).view(1, fills.length, 1, 1).expand(out.shape);
          if (interpolation === 'nearest') out = fillImg.where(mask.lt(0.5), out);
          else out = out.mul(mask).add(mask.neg().add(1).mul(fillImg));
        }
        return out;
      },
      dtype as 'float32',
    );
  });
}
