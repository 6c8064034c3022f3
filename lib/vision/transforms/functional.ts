// torchvision.transforms.functional: each function takes an Image or a tensor image. On an Image it records
// the operation (geometry runs in the decoding pipeline where it can, the rest as tensor operations on the
// decoded uint8 pixels); on a tensor it computes at once with the tensor implementation.
import { Tensor } from '../../tensor';
import { describe } from '../../dtype';
import { Image, ImageMode, Interpolation, convertTensor } from '../io';
import * as FT from './functional_tensor';
import type { Fill, PaddingMode } from './functional_tensor';

export type { Fill, PaddingMode } from './functional_tensor';
export { Interpolation };

/** torchvision's InterpolationMode, as string values. */
export const InterpolationMode = {
  NEAREST: 'nearest',
  BILINEAR: 'bilinear',
  BICUBIC: 'bicubic',
  BOX: 'box',
  HAMMING: 'hamming',
  LANCZOS: 'lanczos',
} as const;

/** What the functions accept: a (lazy) Image or a tensor image [..., C, H, W]. */
export type ImageLike = Image | Tensor;

function check(img: unknown, who: string): asserts img is ImageLike {
  if (img instanceof Image) return;
  FT.assertImageTensor(img, who);
}

function checkInterpolation(v: unknown, who: string): Interpolation {
  if (typeof v === 'string' && (Object.values(InterpolationMode) as string[]).includes(v)) return v as Interpolation;
  throw new TypeError(`${who}: interpolation must be one of ${Object.values(InterpolationMode).join(', ')}, but received ${describe(v)}`);
}

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** [channels, height, width]. */
export function getDimensions(img: ImageLike): [number, number, number] {
  check(img, 'getDimensions()');
  if (img instanceof Image) return [img.channels, img.height, img.width];
  return FT.getDimensions(img);
}

/** [width, height], as torchvision's get_image_size. */
export function getImageSize(img: ImageLike): [number, number] {
  const [, h, w] = getDimensions(img);
  return [w, h];
}

/** The number of channels. */
export function getImageNumChannels(img: ImageLike): number {
  return getDimensions(img)[0];
}

/** Records a tensor-only operation on an Image, or applies it to a tensor. */
function tensorOp<T extends ImageLike>(img: T, fn: (t: Tensor) => Tensor, size?: [number, number], mode?: ImageMode): T {
  if (img instanceof Image) return img._then({ tensor: fn }, size ?? img.size, mode) as T;
  return fn(img as Tensor) as T;
}

/** An Image's pixels as a float32 tensor [C, H, W] in [0, 1] (decoded off the main thread); uint8 tensors are scaled. */
export async function toTensor(pic: ImageLike): Promise<Tensor> {
  check(pic, 'toTensor()');
  if (pic instanceof Image) {
    const p = await pic._materialize(true);
    return p instanceof Tensor ? p : p.toTensor();
  }
  return FT.convertImageDtype(pic, 'float32');
}

/** An Image's pixels as a uint8 tensor [C, H, W]. */
export async function pilToTensor(pic: ImageLike): Promise<Tensor> {
  check(pic, 'pilToTensor()');
  if (pic instanceof Image) return pic.toTensor();
  return pic;
}

/** A tensor [C, H, W] (uint8, or float in [0, 1]) as an Image. */
export function toPilImage(pic: Tensor | Image, mode?: ImageMode): Image {
  if (pic instanceof Image) return mode ? pic.convert(mode) : pic;
  return Image.fromTensor(pic, mode);
}

/** Converts between uint8 and floating point images. */
export function convertImageDtype(img: Tensor, dtype: 'float32' | 'float64' | 'float16' | 'uint8' = 'float32'): Tensor {
  FT.assertImageTensor(img, 'convertImageDtype()');
  return FT.convertImageDtype(img, dtype);
}

/** (img - mean) / std per channel (float tensors). */
export function normalize(img: Tensor, mean: number[], std: number[], inplace = false): Tensor {
  if (!(img instanceof Tensor)) throw new TypeError(`img should be Tensor Image. Got ${describe(img)}`);
  return FT.normalize(img, mean, std, inplace);
}

/** The output [h, w] of torchvision's resize rule: an int sizes the shorter edge (long edge truncated). */
export function resizedOutputSize(h: number, w: number, size: number | number[], maxSize?: number | null): [number, number] {
  const sizes = typeof size === 'number' ? [size] : size;
  if (!Array.isArray(sizes) || sizes.length < 1 || sizes.length > 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new TypeError(`resize(): size should be a positive int or a sequence of 1 or 2 positive ints, but received ${describe(size)}`);
  }
  if (sizes.length === 2) {
    if (maxSize !== undefined && maxSize !== null) throw new RangeError(`maxSize should only be passed if size specifies the length of the smaller edge, i.e. size should be an int or a sequence of length 1 in torchscript mode.`);
    return [sizes[0], sizes[1]];
  }
  const [short, long] = w <= h ? [w, h] : [h, w];
  let newShort = sizes[0];
  let newLong = Math.trunc((newShort * long) / short);
  if (maxSize !== undefined && maxSize !== null) {
    if (maxSize <= newShort) throw new RangeError(`maxSize = ${maxSize} must be strictly greater than the requested size for the smaller edge size = ${newShort}`);
    if (newLong > maxSize) {
      newShort = Math.trunc((maxSize * newShort) / newLong);
      newLong = maxSize;
    }
  }
  return w <= h ? [newLong, newShort] : [newShort, newLong];
}

/**
 * Resizes: an int sizes the shorter edge (keeping the aspect ratio), [h, w] sets both. Images resample with
 * antialiasing as PIL does (in libvips); tensors with antialias (default true, torchvision >= 0.17's default).
 */
export function resize<T extends ImageLike>(img: T, size: number | number[], interpolation: Interpolation = 'bilinear', maxSize?: number | null, antialias = true): T {
  check(img, 'resize()');
  checkInterpolation(interpolation, 'resize()');
  const [, h, w] = getDimensions(img);
  const [oh, ow] = resizedOutputSize(h, w, size, maxSize);
  if (oh === h && ow === w) return img;
  if (img instanceof Image) {
    return img._then({ sharp: { kind: 'resize', width: ow, height: oh, interpolation }, tensor: (t) => FT.resize(t, [oh, ow], interpolation === 'nearest' ? 'nearest' : interpolation === 'bicubic' ? 'bicubic' : 'bilinear', true) }, [ow, oh]) as T;
  }
  return FT.resize(img as Tensor, [oh, ow], interpolation, antialias) as T;
}

/** The region at (top, left) of size (height, width); outside the image is filled with zeros. */
export function crop<T extends ImageLike>(img: T, top: number, left: number, height: number, width: number): T {
  check(img, 'crop()');
  for (const [k, v] of Object.entries({ top, left, height, width })) {
    if (!Number.isInteger(v)) throw new TypeError(`crop(): ${k} must be an integer, but received ${describe(v)}`);
  }
  if (img instanceof Image) {
    return img._then({ sharp: { kind: 'crop', left, top, width, height }, tensor: (t) => FT.crop(t, top, left, height, width) }, [width, height]) as T;
  }
  return FT.crop(img as Tensor, top, left, height, width) as T;
}

function pairOf(size: number | number[], who: string): [number, number] {
  if (typeof size === 'number') return [size, size];
  if (Array.isArray(size) && size.length === 1) return [size[0], size[0]];
  if (Array.isArray(size) && size.length === 2) return [size[0], size[1]];
  throw new TypeError(`${who}: size should be an int or a sequence of 1 or 2 ints, but received ${describe(size)}`);
}

/** The centered [h, w] region (padding with zeros when the image is smaller). */
export function centerCrop<T extends ImageLike>(img: T, outputSize: number | number[]): T {
  check(img, 'centerCrop()');
  const [ch, cw] = pairOf(outputSize, 'centerCrop()');
  let [, h, w] = getDimensions(img);
  let out: ImageLike = img;
  if (cw > w || ch > h) {
    const padding: [number, number, number, number] = [
      cw > w ? Math.floor((cw - w) / 2) : 0,
      ch > h ? Math.floor((ch - h) / 2) : 0,
      cw > w ? Math.floor((cw - w + 1) / 2) : 0,
      ch > h ? Math.floor((ch - h + 1) / 2) : 0,
    ];
    out = pad(out, padding, 0);
    [, h, w] = getDimensions(out);
    if (cw === w && ch === h) return out as T;
  }
  const top = roundHalfEven((h - ch) / 2);
  const left = roundHalfEven((w - cw) / 2);
  return crop(out, top, left, ch, cw) as T;
}

/** crop() then resize() to `size`, as RandomResizedCrop uses. */
export function resizedCrop<T extends ImageLike>(img: T, top: number, left: number, height: number, width: number, size: number | number[], interpolation: Interpolation = 'bilinear', antialias = true): T {
  return resize(crop(img, top, left, height, width), size, interpolation, null, antialias);
}

/** Mirrors left-right. */
export function hflip<T extends ImageLike>(img: T): T {
  check(img, 'hflip()');
  if (img instanceof Image) return img._then({ sharp: { kind: 'flip', horizontal: true }, tensor: FT.hflip }, img.size) as T;
  return FT.hflip(img as Tensor) as T;
}

/** Mirrors top-bottom. */
export function vflip<T extends ImageLike>(img: T): T {
  check(img, 'vflip()');
  if (img instanceof Image) return img._then({ sharp: { kind: 'flip', horizontal: false }, tensor: FT.vflip }, img.size) as T;
  return FT.vflip(img as Tensor) as T;
}

/** Normalizes torchvision's padding forms (int, [lr, tb], [l, t, r, b]) to [l, t, r, b]. */
export function paddingLTRB(padding: number | number[], who = 'pad()'): [number, number, number, number] {
  const p = typeof padding === 'number' ? [padding] : padding;
  if (!Array.isArray(p) || !p.every(Number.isInteger)) throw new TypeError(`${who}: padding must be an int or a sequence of ints, but received ${describe(padding)}`);
  if (p.length === 1) return [p[0], p[0], p[0], p[0]];
  if (p.length === 2) return [p[0], p[1], p[0], p[1]];
  if (p.length === 4) return [p[0], p[1], p[2], p[3]];
  throw new RangeError(`Padding must be an int or a 1, 2, or 4 element tuple, not a ${p.length} element tuple`);
}

/** Pads the borders: constant fill, 'edge', 'reflect' or 'symmetric'. */
export function pad<T extends ImageLike>(img: T, padding: number | number[], fill: Fill = 0, paddingMode: PaddingMode = 'constant'): T {
  check(img, 'pad()');
  if (!['constant', 'edge', 'reflect', 'symmetric'].includes(paddingMode)) throw new TypeError(`Padding mode should be either constant, edge, reflect or symmetric, but received ${describe(paddingMode)}`);
  const p = paddingLTRB(padding);
  const [, h, w] = getDimensions(img);
  return tensorOp(img, (t) => FT.pad(t, p, fill, paddingMode), [w + p[0] + p[2], h + p[1] + p[3]]);
}

/** The four corners and the center crop, in that order: [tl, tr, bl, br, center]. */
export function fiveCrop<T extends ImageLike>(img: T, size: number | number[]): [T, T, T, T, T] {
  check(img, 'fiveCrop()');
  const [ch, cw] = pairOf(size, 'fiveCrop()');
  const [, h, w] = getDimensions(img);
  if (cw > w || ch > h) throw new RangeError(`Requested crop size [${ch}, ${cw}] is bigger than input size [${h}, ${w}]`);
  return [crop(img, 0, 0, ch, cw), crop(img, 0, w - cw, ch, cw), crop(img, h - ch, 0, ch, cw), crop(img, h - ch, w - cw, ch, cw), centerCrop(img, [ch, cw])];
}

/** fiveCrop of the image and of its flipped version (horizontal, or vertical with verticalFlip). */
export function tenCrop<T extends ImageLike>(img: T, size: number | number[], verticalFlip = false): T[] {
  const first = fiveCrop(img, size);
  const flipped = verticalFlip ? vflip(img) : hflip(img);
  return [...first, ...fiveCrop(flipped, size)];
}

/** Rotates by `angle` degrees counter-clockwise about `center` (default: the image center). */
export function rotate<T extends ImageLike>(img: T, angle: number, interpolation: Interpolation = 'nearest', expand = false, center: [number, number] | null = null, fill: Fill | null = null): T {
  check(img, 'rotate()');
  if (typeof angle !== 'number') throw new TypeError(`rotate(): argument angle should be a number, but received ${describe(angle)}`);
  checkInterpolation(interpolation, 'rotate()');
  const [, h, w] = getDimensions(img);
  const centerF: [number, number] = center ? [center[0] - w * 0.5, center[1] - h * 0.5] : [0, 0];
  const matrix = FT.inverseAffineMatrix(centerF, -angle, [0, 0], 1, [0, 0]);
  const [ow, oh] = expand ? FT.affineOutputSize(matrix, w, h) : [w, h];
  return tensorOp(img, (t) => FT.applyAffine(t, matrix, interpolation, fill, [ow, oh]), [ow, oh]);
}

/** Affine transform keeping the center fixed: rotation (degrees), translation (pixels), scale and shear (degrees). */
export function affine<T extends ImageLike>(img: T, angle: number, translate: [number, number], scale: number, shear: number | number[], interpolation: Interpolation = 'nearest', fill: Fill | null = null, center: [number, number] | null = null): T {
  check(img, 'affine()');
  if (!(scale > 0)) throw new RangeError('Argument scale should be positive');
  const sh: [number, number] = typeof shear === 'number' ? [shear, 0] : shear.length === 1 ? [shear[0], shear[0]] : [shear[0], shear[1]];
  const [, h, w] = getDimensions(img);
  const centerF: [number, number] = center ? [center[0] - w * 0.5, center[1] - h * 0.5] : [0, 0];
  const matrix = FT.inverseAffineMatrix(centerF, angle, translate, scale, sh);
  return tensorOp(img, (t) => FT.applyAffine(t, matrix, interpolation, fill));
}

/** The image in gray (1 or 3 channels): ITU-R 601-2 luma. */
export function rgbToGrayscale<T extends ImageLike>(img: T, numOutputChannels: 1 | 3 = 1): T {
  check(img, 'rgbToGrayscale()');
  if (img instanceof Image) {
    const gray = img.convert('L');
    return (numOutputChannels === 3 ? gray.convert('RGB') : gray) as T;
  }
  return FT.rgbToGrayscale(img as Tensor, numOutputChannels) as T;
}

/** Alias of rgbToGrayscale (torchvision's to_grayscale for PIL images). */
export const toGrayscale = rgbToGrayscale;

/** Brightness times `factor`. */
export function adjustBrightness<T extends ImageLike>(img: T, factor: number): T {
  check(img, 'adjustBrightness()');
  return tensorOp(img, (t) => FT.adjustBrightness(t, factor));
}

/** Contrast times `factor`. */
export function adjustContrast<T extends ImageLike>(img: T, factor: number): T {
  check(img, 'adjustContrast()');
  return tensorOp(img, (t) => FT.adjustContrast(t, factor));
}

/** Saturation times `factor`. */
export function adjustSaturation<T extends ImageLike>(img: T, factor: number): T {
  check(img, 'adjustSaturation()');
  return tensorOp(img, (t) => FT.adjustSaturation(t, factor));
}

/** Hue shifted by `factor` turns. */
export function adjustHue<T extends ImageLike>(img: T, factor: number): T {
  check(img, 'adjustHue()');
  if (!(factor >= -0.5 && factor <= 0.5)) throw new RangeError(`hue_factor (${factor}) is not in [-0.5, 0.5].`);
  return tensorOp(img, (t) => FT.adjustHue(t, factor));
}

/** Gamma correction. */
export function adjustGamma<T extends ImageLike>(img: T, gamma: number, gain = 1): T {
  check(img, 'adjustGamma()');
  return tensorOp(img, (t) => FT.adjustGamma(t, gamma, gain));
}

/** Sharpness times `factor`. */
export function adjustSharpness<T extends ImageLike>(img: T, factor: number): T {
  check(img, 'adjustSharpness()');
  return tensorOp(img, (t) => FT.adjustSharpness(t, factor));
}

/** Gaussian blur; kernel sizes must be odd and positive. */
export function gaussianBlur<T extends ImageLike>(img: T, kernelSize: number | number[], sigma?: number | number[] | null): T {
  check(img, 'gaussianBlur()');
  const k = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize.length === 1 ? [kernelSize[0], kernelSize[0]] : kernelSize;
  if (k.length !== 2 || !k.every((v) => Number.isInteger(v) && v > 0 && v % 2 === 1)) throw new RangeError(`kernel_size should have odd and positive integers. Got ${describe(kernelSize)}`);
  const s = sigma === undefined || sigma === null ? k.map((v) => v * 0.15 + 0.35) : typeof sigma === 'number' ? [sigma, sigma] : sigma.length === 1 ? [sigma[0], sigma[0]] : sigma;
  if (!s.every((v) => v > 0)) throw new RangeError(`sigma should have positive values. Got ${describe(sigma)}`);
  const kk: [number, number] = [k[0], k[1]];
  const ss: [number, number] = [s[0], s[1]];
  return tensorOp(img, (t) => FT.gaussianBlur(t, kk, ss));
}

/** Inverts the colors. */
export function invert<T extends ImageLike>(img: T): T {
  check(img, 'invert()');
  return tensorOp(img, FT.invert);
}

/** Keeps the high `bits` bits of each channel. */
export function posterize<T extends ImageLike>(img: T, bits: number): T {
  check(img, 'posterize()');
  return tensorOp(img, (t) => FT.posterize(t, bits));
}

/** Inverts the pixels at or above `threshold`. */
export function solarize<T extends ImageLike>(img: T, threshold: number): T {
  check(img, 'solarize()');
  return tensorOp(img, (t) => FT.solarize(t, threshold));
}

/** Stretches each channel to the full range. */
export function autocontrast<T extends ImageLike>(img: T): T {
  check(img, 'autocontrast()');
  return tensorOp(img, FT.autocontrast);
}

/** Equalizes the histogram of each channel. */
export function equalize<T extends ImageLike>(img: T): T {
  check(img, 'equalize()');
  return tensorOp(img, FT.equalize);
}

/** Sets a region of a tensor image to `v`. */
export function erase(img: Tensor, i: number, j: number, h: number, w: number, v: Tensor | number, inplace = false): Tensor {
  if (!(img instanceof Tensor)) throw new TypeError(`img should be Tensor Image. Got ${describe(img)}`);
  return FT.erase(img, i, j, h, w, v, inplace);
}

/** @internal Mode conversion of tensor pixels with PIL's rules. */
export { convertTensor };
