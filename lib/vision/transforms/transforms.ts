// torchvision.transforms: classes that hold parameters, draw their randomness in a static getParams (from
// the loading sample's generator or torch's global one), and call the functions of ./functional.
import { Tensor } from '../../tensor';
import { describe } from '../../dtype';
import { tensor } from '../../creation';
import { Image, ImageMode } from '../io';
import { PendingImageTensor } from '../../data/collate';
import * as F from './functional';
import type { ImageLike, Fill, PaddingMode, Interpolation } from './functional';
import * as R from './_random';

/** Anything a transform pipeline can call: a Transform, an object with `forward`, or a function. */
export type TransformLike = { forward(input: never): unknown } | ((input: never) => unknown);

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function';
}

/** @internal Calls a transform-like on a value. */
export function applyTransform(t: TransformLike, x: unknown): unknown {
  if (typeof t === 'function') return (t as (i: unknown) => unknown)(x);
  return (t as { forward(i: unknown): unknown }).forward(x);
}

function checkTransform(t: unknown, who: string): TransformLike {
  if (typeof t === 'function' || (t !== null && typeof t === 'object' && typeof (t as { forward?: unknown }).forward === 'function')) return t as TransformLike;
  throw new TypeError(`${who}: expected a transform (an object with forward() or a function), but received ${describe(t)}`);
}

function fmt(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `(${v.map(fmt).join(', ')}${v.length === 1 ? ',' : ''})`;
  if (typeof v === 'function') return '<function>';
  return String(v);
}

/** The base class of transforms: `forward(input)` and a Python-like `toString()`. */
export abstract class Transform {
  /** Applies the transform. */
  abstract forward(input: unknown): unknown;

  /** The constructor arguments shown by toString(), as `name=value` pairs. */
  protected extraRepr(): string {
    return '';
  }

  toString(): string {
    return `${this.constructor.name}(${this.extraRepr()})`;
  }
}

/**
 * Applies transforms in order. When a step returns a Promise (ToTensor on an Image decodes off the main
 * thread) the rest runs when it resolves and forward() returns a Promise; on tensors it stays synchronous.
 */
export class Compose extends Transform {
  /** The steps. */
  readonly transforms: TransformLike[];

  constructor(transforms: TransformLike[]) {
    super();
    if (!Array.isArray(transforms)) throw new TypeError(`Compose(): expected an array of transforms, but received ${describe(transforms)}`);
    this.transforms = transforms.map((t, i) => checkTransform(t, `Compose(): transforms[${i}]`));
  }

  forward(input: unknown): unknown {
    return this.run(input, false);
  }

  /** @internal forward() whose last step, if ToTensor/PILToTensor on an Image, leaves the pixels for the batch collate. */
  _forwardDeferred(input: unknown): unknown {
    return this.run(input, true);
  }

  private run(input: unknown, deferred: boolean): unknown {
    let x = input;
    const n = this.transforms.length;
    for (let i = 0; i < n; i++) {
      if (isThenable(x)) return this.runAsync(x, i, deferred);
      x = step(this.transforms[i], x, deferred);
    }
    return x;
  }

  private async runAsync(pending: PromiseLike<unknown>, from: number, deferred: boolean): Promise<unknown> {
    let x = await pending;
    for (let i = from; i < this.transforms.length; i++) x = await step(this.transforms[i], x, deferred);
    return x;
  }

  override toString(): string {
    const lines = this.transforms.map((t) => `    ${String(t).split('\n').join('\n    ')}`);
    return `Compose(\n${lines.join('\n')}\n)`;
  }
}

/** One step of a Compose: decoded pixels waiting for the batch stay so through Normalize, else become a tensor. */
function step(t: TransformLike, x: unknown, deferred: boolean): unknown {
  if (x instanceof PendingImageTensor) {
    if (t instanceof Normalize && x.canNormalize(t.mean, t.std)) return x.normalized(t.mean, t.std);
    x = x.toTensor();
  }
  return deferred ? applyDeferred(t, x) : applyTransform(t, x);
}

/**
 * @internal Applies a transform for a dataset that feeds the default collate: a final ToTensor/PILToTensor on
 * an Image returns the decoded pixels (PendingImageTensor), which the collate turns into a batch in one pass.
 */
export function applyDeferred(t: TransformLike, x: unknown): unknown {
  if (x instanceof Image && (t instanceof ToTensor || t instanceof PILToTensor)) return x._materialize(t instanceof ToTensor);
  if (t instanceof Compose) return t._forwardDeferred(x);
  return applyTransform(t, x);
}

/** An Image (or uint8 tensor) to a float32 tensor [C, H, W] in [0, 1]; on an Image it returns a Promise. */
export class ToTensor extends Transform {
  forward(pic: Image): Promise<Tensor>;
  forward(pic: Tensor): Promise<Tensor>;
  forward(pic: ImageLike): Promise<Tensor> {
    return F.toTensor(pic);
  }
}

/** An Image to a uint8 tensor [C, H, W] (a Promise). */
export class PILToTensor extends Transform {
  forward(pic: ImageLike): Promise<Tensor> {
    return F.pilToTensor(pic);
  }
}

/** A tensor [C, H, W] to an Image. */
export class ToPILImage extends Transform {
  constructor(readonly mode?: ImageMode) {
    super();
  }

  forward(pic: Tensor | Image): Image {
    return F.toPilImage(pic, this.mode);
  }

  protected override extraRepr(): string {
    return this.mode ? `mode=${this.mode}` : '';
  }
}

/** Converts a tensor image's dtype (uint8 <-> float, scaling values). */
export class ConvertImageDtype extends Transform {
  constructor(readonly dtype: 'float32' | 'float64' | 'float16' | 'uint8') {
    super();
  }

  forward(img: Tensor): Tensor {
    return F.convertImageDtype(img, this.dtype);
  }
}

/** (x - mean) / std per channel. */
export class Normalize extends Transform {
  constructor(
    readonly mean: number[],
    readonly std: number[],
    readonly inplace = false,
  ) {
    super();
    if (!Array.isArray(mean) || !Array.isArray(std)) throw new TypeError('Normalize(): mean and std must be arrays of numbers');
  }

  forward(img: Tensor): Tensor {
    return F.normalize(img, this.mean, this.std, this.inplace);
  }

  protected override extraRepr(): string {
    return `mean=${fmt(this.mean)}, std=${fmt(this.std)}`;
  }
}

/** Options of Resize. */
export interface ResizeOptions {
  maxSize?: number | null;
  antialias?: boolean | null;
}

/** Resizes: an int sizes the shorter edge, [h, w] both. */
export class Resize extends Transform {
  readonly size: number | number[];
  readonly interpolation: Interpolation;
  readonly maxSize: number | null;
  readonly antialias: boolean | null;

  constructor(size: number | number[], interpolation: Interpolation = 'bilinear', opts: ResizeOptions = {}) {
    super();
    if (!(typeof size === 'number' || (Array.isArray(size) && (size.length === 1 || size.length === 2)))) throw new TypeError(`Size should be int or sequence. Got ${describe(size)}`);
    this.size = size;
    this.interpolation = interpolation;
    this.maxSize = opts.maxSize ?? null;
    this.antialias = opts.antialias ?? null;
  }

  forward<T extends ImageLike>(img: T): T {
    return F.resize(img, this.size, this.interpolation, this.maxSize, this.antialias ?? true);
  }

  protected override extraRepr(): string {
    return `size=${fmt(this.size)}, interpolation=${this.interpolation}, max_size=${fmt(this.maxSize)}, antialias=${fmt(this.antialias)}`;
  }
}

function sizePair(size: number | number[], who: string): [number, number] {
  if (typeof size === 'number') return [size, size];
  if (Array.isArray(size) && size.length === 1) return [size[0], size[0]];
  if (Array.isArray(size) && size.length === 2) return [size[0], size[1]];
  throw new TypeError(`${who}: Please provide only two dimensions (h, w) for size.`);
}

/** Crops the center [h, w]. */
export class CenterCrop extends Transform {
  readonly size: [number, number];

  constructor(size: number | number[]) {
    super();
    this.size = sizePair(size, 'CenterCrop()');
  }

  forward<T extends ImageLike>(img: T): T {
    return F.centerCrop(img, this.size);
  }

  protected override extraRepr(): string {
    return `size=${fmt(this.size)}`;
  }
}

/** Pads the borders. */
export class Pad extends Transform {
  constructor(
    readonly padding: number | number[],
    readonly fill: Fill = 0,
    readonly paddingMode: PaddingMode = 'constant',
  ) {
    super();
    F.paddingLTRB(padding, 'Pad()');
  }

  forward<T extends ImageLike>(img: T): T {
    return F.pad(img, this.padding, this.fill, this.paddingMode);
  }

  protected override extraRepr(): string {
    return `padding=${fmt(this.padding)}, fill=${fmt(this.fill)}, padding_mode=${this.paddingMode}`;
  }
}

/** A user function as a transform. */
export class Lambda extends Transform {
  constructor(readonly lambd: (input: never) => unknown) {
    super();
    if (typeof lambd !== 'function') throw new TypeError(`Argument lambd should be callable, got ${describe(lambd)}`);
  }

  forward(input: unknown): unknown {
    return (this.lambd as (i: unknown) => unknown)(input);
  }
}

/** Applies the transforms (in order) with probability p. */
export class RandomApply extends Transform {
  readonly transforms: TransformLike[];

  constructor(
    transforms: TransformLike[],
    readonly p = 0.5,
  ) {
    super();
    this.transforms = transforms.map((t, i) => checkTransform(t, `RandomApply(): transforms[${i}]`));
  }

  forward(img: unknown): unknown {
    if (this.p < R.rand()) return img;
    return new Compose(this.transforms).forward(img);
  }

  protected override extraRepr(): string {
    return `p=${this.p}, transforms=[${this.transforms.map(String).join(', ')}]`;
  }
}

/** Applies one transform picked at random (weights p, default uniform). */
export class RandomChoice extends Transform {
  readonly transforms: TransformLike[];
  readonly p: number[] | null;

  constructor(transforms: TransformLike[], p: number[] | null = null) {
    super();
    this.transforms = transforms.map((t, i) => checkTransform(t, `RandomChoice(): transforms[${i}]`));
    if (p !== null && (!Array.isArray(p) || p.length !== transforms.length)) throw new RangeError(`Length of p doesn't match the number of transforms: ${p?.length} != ${transforms.length}`);
    this.p = p;
  }

  forward(img: unknown): unknown {
    const weights = this.p ?? this.transforms.map(() => 1);
    const total = weights.reduce((a, b) => a + b, 0);
    let u = R.rand() * total;
    let i = 0;
    while (i < weights.length - 1 && u >= weights[i]) u -= weights[i++];
    return applyTransform(this.transforms[i], img);
  }

  protected override extraRepr(): string {
    return `transforms=[${this.transforms.map(String).join(', ')}], p=${fmt(this.p)}`;
  }
}

/** Applies the transforms in a random order. */
export class RandomOrder extends Transform {
  readonly transforms: TransformLike[];

  constructor(transforms: TransformLike[]) {
    super();
    this.transforms = transforms.map((t, i) => checkTransform(t, `RandomOrder(): transforms[${i}]`));
  }

  forward(img: unknown): unknown {
    return new Compose(R.randperm(this.transforms.length).map((i) => this.transforms[i])).forward(img);
  }
}

/** Options of RandomCrop. */
export interface RandomCropOptions {
  padding?: number | number[] | null;
  padIfNeeded?: boolean;
  fill?: Fill;
  paddingMode?: PaddingMode;
}

/** Crops a random [h, w] region, optionally padding first. */
export class RandomCrop extends Transform {
  readonly size: [number, number];
  readonly padding: number | number[] | null;
  readonly padIfNeeded: boolean;
  readonly fill: Fill;
  readonly paddingMode: PaddingMode;

  constructor(size: number | number[], opts: RandomCropOptions = {}) {
    super();
    this.size = sizePair(size, 'RandomCrop()');
    this.padding = opts.padding ?? null;
    this.padIfNeeded = opts.padIfNeeded ?? false;
    this.fill = opts.fill ?? 0;
    this.paddingMode = opts.paddingMode ?? 'constant';
  }

  /** [top, left, h, w] of a random crop of `outputSize` [h, w]. */
  static getParams(img: ImageLike, outputSize: [number, number]): [number, number, number, number] {
    const [, h, w] = F.getDimensions(img);
    const [th, tw] = outputSize;
    if (h + 1 < th || w + 1 < tw) throw new RangeError(`Required crop size (${th}, ${tw}) is larger than input image size (${h}, ${w})`);
    if (w === tw && h === th) return [0, 0, h, w];
    const i = R.randint(0, h - th + 1);
    const j = R.randint(0, w - tw + 1);
    return [i, j, th, tw];
  }

  forward<T extends ImageLike>(img: T): T {
    let x: T = img;
    if (this.padding !== null) x = F.pad(x, this.padding, this.fill, this.paddingMode);
    const [, height, width] = F.getDimensions(x);
    if (this.padIfNeeded && width < this.size[1]) x = F.pad(x, [this.size[1] - width, 0], this.fill, this.paddingMode);
    const [, h2] = F.getDimensions(x);
    if (this.padIfNeeded && h2 < this.size[0]) x = F.pad(x, [0, this.size[0] - height], this.fill, this.paddingMode);
    const [i, j, h, w] = RandomCrop.getParams(x, this.size);
    return F.crop(x, i, j, h, w);
  }

  protected override extraRepr(): string {
    return `size=${fmt(this.size)}, padding=${fmt(this.padding)}`;
  }
}

/** Mirrors left-right with probability p. */
export class RandomHorizontalFlip extends Transform {
  constructor(readonly p = 0.5) {
    super();
  }

  forward<T extends ImageLike>(img: T): T {
    return R.rand() < this.p ? F.hflip(img) : img;
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Mirrors top-bottom with probability p. */
export class RandomVerticalFlip extends Transform {
  constructor(readonly p = 0.5) {
    super();
  }

  forward<T extends ImageLike>(img: T): T {
    return R.rand() < this.p ? F.vflip(img) : img;
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}

function roundPy(x: number): number {
  return F.roundHalfEven(x);
}

/** Options of RandomResizedCrop. */
export interface RandomResizedCropOptions {
  scale?: [number, number];
  ratio?: [number, number];
  interpolation?: Interpolation;
  antialias?: boolean | null;
}

/** Crops a random area (scale) of random aspect ratio (ratio), resized to `size`. */
export class RandomResizedCrop extends Transform {
  readonly size: [number, number];
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly interpolation: Interpolation;
  readonly antialias: boolean | null;

  constructor(size: number | number[], opts: RandomResizedCropOptions = {}) {
    super();
    this.size = sizePair(size, 'RandomResizedCrop()');
    this.scale = opts.scale ?? [0.08, 1.0];
    this.ratio = opts.ratio ?? [3 / 4, 4 / 3];
    this.interpolation = opts.interpolation ?? 'bilinear';
    this.antialias = opts.antialias ?? null;
  }

  /** [top, left, h, w] of a random crop, as torchvision draws it. */
  static getParams(img: ImageLike, scale: [number, number], ratio: [number, number]): [number, number, number, number] {
    const [, height, width] = F.getDimensions(img);
    const area = height * width;
    const f = Math.fround;
    const logRatio = [f(Math.log(f(ratio[0]))), f(Math.log(f(ratio[1])))];
    for (let attempt = 0; attempt < 10; attempt++) {
      const targetArea = area * R.uniform(scale[0], scale[1]);
      const aspect = f(Math.exp(R.uniform(logRatio[0], logRatio[1])));
      const w = roundPy(Math.sqrt(targetArea * aspect));
      const h = roundPy(Math.sqrt(targetArea / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        const i = R.randint(0, height - h + 1);
        const j = R.randint(0, width - w + 1);
        return [i, j, h, w];
      }
    }
    const inRatio = width / height;
    let w: number;
    let h: number;
    if (inRatio < Math.min(...ratio)) {
      w = width;
      h = roundPy(w / Math.min(...ratio));
    } else if (inRatio > Math.max(...ratio)) {
      h = height;
      w = roundPy(h * Math.max(...ratio));
    } else {
      w = width;
      h = height;
    }
    return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
  }

  forward<T extends ImageLike>(img: T): T {
    const [i, j, h, w] = RandomResizedCrop.getParams(img, this.scale, this.ratio);
    return F.resizedCrop(img, i, j, h, w, this.size, this.interpolation, this.antialias ?? true);
  }

  protected override extraRepr(): string {
    return `size=${fmt(this.size)}, scale=${fmt(this.scale)}, ratio=${fmt(this.ratio)}, interpolation=${this.interpolation}, antialias=${fmt(this.antialias)}`;
  }
}

/** The four corners and the center: an array of five images. */
export class FiveCrop extends Transform {
  readonly size: [number, number];

  constructor(size: number | number[]) {
    super();
    this.size = sizePair(size, 'FiveCrop()');
  }

  forward<T extends ImageLike>(img: T): T[] {
    return F.fiveCrop(img, this.size);
  }
}

/** FiveCrop of the image and of its mirror: an array of ten images. */
export class TenCrop extends Transform {
  readonly size: [number, number];

  constructor(
    size: number | number[],
    readonly verticalFlip = false,
  ) {
    super();
    this.size = sizePair(size, 'TenCrop()');
  }

  forward<T extends ImageLike>(img: T): T[] {
    return F.tenCrop(img, this.size, this.verticalFlip);
  }
}

function checkRange(value: number | [number, number], name: string, center = 1, bound: [number, number] = [0, Infinity], clipFirstOnZero = true): [number, number] | null {
  let v: [number, number];
  if (typeof value === 'number') {
    if (value < 0) throw new RangeError(`If ${name} is a single number, it must be non negative.`);
    v = [center - value, center + value];
    if (clipFirstOnZero) v[0] = Math.max(v[0], 0);
  } else if (Array.isArray(value) && value.length === 2) {
    v = [value[0], value[1]];
  } else {
    throw new TypeError(`${name} should be a single number or a list/tuple with length 2.`);
  }
  if (!(bound[0] <= v[0] && v[0] <= v[1] && v[1] <= bound[1])) throw new RangeError(`${name} values should be between (${bound[0]}, ${bound[1]}), but got [${v[0]}, ${v[1]}].`);
  if (v[0] === center && v[1] === center) return null;
  return v;
}

/** Options of ColorJitter. */
export interface ColorJitterOptions {
  brightness?: number | [number, number];
  contrast?: number | [number, number];
  saturation?: number | [number, number];
  hue?: number | [number, number];
}

/** Random brightness, contrast, saturation and hue changes, in a random order. */
export class ColorJitter extends Transform {
  readonly brightness: [number, number] | null;
  readonly contrast: [number, number] | null;
  readonly saturation: [number, number] | null;
  readonly hue: [number, number] | null;

  constructor(opts: ColorJitterOptions = {}) {
    super();
    this.brightness = checkRange(opts.brightness ?? 0, 'brightness');
    this.contrast = checkRange(opts.contrast ?? 0, 'contrast');
    this.saturation = checkRange(opts.saturation ?? 0, 'saturation');
    this.hue = checkRange(opts.hue ?? 0, 'hue', 0, [-0.5, 0.5], false);
  }

  /** The order of the four adjustments and their factors (null: not applied). */
  static getParams(brightness: [number, number] | null, contrast: [number, number] | null, saturation: [number, number] | null, hue: [number, number] | null): [number[], number | null, number | null, number | null, number | null] {
    const order = R.randperm(4);
    const b = brightness ? R.uniform(brightness[0], brightness[1]) : null;
    const c = contrast ? R.uniform(contrast[0], contrast[1]) : null;
    const s = saturation ? R.uniform(saturation[0], saturation[1]) : null;
    const h = hue ? R.uniform(hue[0], hue[1]) : null;
    return [order, b, c, s, h];
  }

  forward<T extends ImageLike>(img: T): T {
    const [order, b, c, s, h] = ColorJitter.getParams(this.brightness, this.contrast, this.saturation, this.hue);
    let x = img;
    for (const id of order) {
      if (id === 0 && b !== null) x = F.adjustBrightness(x, b);
      else if (id === 1 && c !== null) x = F.adjustContrast(x, c);
      else if (id === 2 && s !== null) x = F.adjustSaturation(x, s);
      else if (id === 3 && h !== null) x = F.adjustHue(x, h);
    }
    return x;
  }

  protected override extraRepr(): string {
    return `brightness=${fmt(this.brightness)}, contrast=${fmt(this.contrast)}, saturation=${fmt(this.saturation)}, hue=${fmt(this.hue)}`;
  }
}

function setupAngle(x: number | number[], name: string): [number, number] {
  if (typeof x === 'number') {
    if (x < 0) throw new RangeError(`If ${name} is a single number, it must be positive.`);
    return [-x, x];
  }
  if (!Array.isArray(x) || x.length !== 2) throw new TypeError(`${name} should be a sequence of length 2.`);
  return [x[0], x[1]];
}

function fillFor(img: ImageLike, fill: Fill): Fill {
  const [c] = F.getDimensions(img);
  return typeof fill === 'number' ? Array(c).fill(fill) : fill;
}

/** Options of RandomRotation. */
export interface RandomRotationOptions {
  interpolation?: Interpolation;
  expand?: boolean;
  center?: [number, number] | null;
  fill?: Fill;
}

/** Rotates by a random angle in [-degrees, degrees] (or [min, max]). */
export class RandomRotation extends Transform {
  readonly degrees: [number, number];
  readonly interpolation: Interpolation;
  readonly expand: boolean;
  readonly center: [number, number] | null;
  readonly fill: Fill;

  constructor(degrees: number | [number, number], opts: RandomRotationOptions = {}) {
    super();
    this.degrees = setupAngle(degrees, 'degrees');
    this.interpolation = opts.interpolation ?? 'nearest';
    this.expand = opts.expand ?? false;
    this.center = opts.center ?? null;
    this.fill = opts.fill ?? 0;
  }

  /** A random angle in degrees. */
  static getParams(degrees: [number, number]): number {
    return R.uniform(degrees[0], degrees[1]);
  }

  forward<T extends ImageLike>(img: T): T {
    const angle = RandomRotation.getParams(this.degrees);
    return F.rotate(img, angle, this.interpolation, this.expand, this.center, fillFor(img, this.fill));
  }

  protected override extraRepr(): string {
    return `degrees=${fmt(this.degrees)}, interpolation=${this.interpolation}, expand=${fmt(this.expand)}, fill=${fmt(this.fill)}`;
  }
}

/** Options of RandomAffine. */
export interface RandomAffineOptions {
  translate?: [number, number] | null;
  scale?: [number, number] | null;
  shear?: number | number[] | null;
  interpolation?: Interpolation;
  fill?: Fill;
  center?: [number, number] | null;
}

/** A random affine transform: rotation, translation (fractions of the size), scale and shear. */
export class RandomAffine extends Transform {
  readonly degrees: [number, number];
  readonly translate: [number, number] | null;
  readonly scale: [number, number] | null;
  readonly shear: number[] | null;
  readonly interpolation: Interpolation;
  readonly fill: Fill;
  readonly center: [number, number] | null;

  constructor(degrees: number | [number, number], opts: RandomAffineOptions = {}) {
    super();
    this.degrees = setupAngle(degrees, 'degrees');
    this.translate = opts.translate ?? null;
    if (this.translate && !this.translate.every((t) => t >= 0 && t <= 1)) throw new RangeError('translation values should be between 0 and 1');
    this.scale = opts.scale ?? null;
    if (this.scale && !this.scale.every((s) => s > 0)) throw new RangeError('scale values should be positive');
    const sh = opts.shear ?? null;
    this.shear = sh === null ? null : typeof sh === 'number' ? setupAngle(sh, 'shear') : sh.length === 2 || sh.length === 4 ? [...sh] : (() => { throw new TypeError('shear should be a sequence of length 2 or 4.'); })();
    this.interpolation = opts.interpolation ?? 'nearest';
    this.fill = opts.fill ?? 0;
    this.center = opts.center ?? null;
  }

  /** [angle, [tx, ty], scale, [shearX, shearY]], drawn as torchvision draws them. */
  static getParams(degrees: [number, number], translate: [number, number] | null, scaleRanges: [number, number] | null, shears: number[] | null, imgSize: [number, number]): [number, [number, number], number, [number, number]] {
    const angle = R.uniform(degrees[0], degrees[1]);
    let translations: [number, number] = [0, 0];
    if (translate) {
      const maxDx = translate[0] * imgSize[0];
      const maxDy = translate[1] * imgSize[1];
      translations = [roundPy(R.uniform(-maxDx, maxDx)), roundPy(R.uniform(-maxDy, maxDy))];
    }
    const scale = scaleRanges ? R.uniform(scaleRanges[0], scaleRanges[1]) : 1;
    let shear: [number, number] = [0, 0];
    if (shears) {
      shear = [R.uniform(shears[0], shears[1]), shears.length === 4 ? R.uniform(shears[2], shears[3]) : 0];
    }
    return [angle, translations, scale, shear];
  }

  forward<T extends ImageLike>(img: T): T {
    const [w, h] = F.getImageSize(img);
    const [angle, translate, scale, shear] = RandomAffine.getParams(this.degrees, this.translate, this.scale, this.shear, [w, h]);
    return F.affine(img, angle, translate, scale, shear, this.interpolation, fillFor(img, this.fill), this.center);
  }

  protected override extraRepr(): string {
    return `degrees=${fmt(this.degrees)}, translate=${fmt(this.translate)}, scale=${fmt(this.scale)}, shear=${fmt(this.shear)}`;
  }
}

/** To gray with 1 or 3 output channels. */
export class Grayscale extends Transform {
  constructor(readonly numOutputChannels: 1 | 3 = 1) {
    super();
    if (numOutputChannels !== 1 && numOutputChannels !== 3) throw new RangeError('num_output_channels should be either 1 or 3');
  }

  forward<T extends ImageLike>(img: T): T {
    return F.rgbToGrayscale(img, this.numOutputChannels);
  }

  protected override extraRepr(): string {
    return `num_output_channels=${this.numOutputChannels}`;
  }
}

/** To gray (keeping the channel count) with probability p. */
export class RandomGrayscale extends Transform {
  constructor(readonly p = 0.1) {
    super();
  }

  forward<T extends ImageLike>(img: T): T {
    const [c] = F.getDimensions(img);
    return R.rand() < this.p ? F.rgbToGrayscale(img, c === 3 ? 3 : 1) : img;
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Gaussian blur with a random sigma in [min, max]. */
export class GaussianBlur extends Transform {
  readonly kernelSize: [number, number];
  readonly sigma: [number, number];

  constructor(kernelSize: number | number[], sigma: number | [number, number] = [0.1, 2.0]) {
    super();
    this.kernelSize = sizePair(kernelSize, 'GaussianBlur()');
    if (!this.kernelSize.every((k) => k > 0 && k % 2 === 1)) throw new RangeError('Kernel size value should be an odd and positive number.');
    if (typeof sigma === 'number') {
      if (sigma <= 0) throw new RangeError('If sigma is a single number, it must be positive.');
      this.sigma = [sigma, sigma];
    } else {
      if (!(sigma.length === 2 && 0 < sigma[0] && sigma[0] <= sigma[1])) throw new RangeError('sigma values should be positive and of the form (min, max).');
      this.sigma = [sigma[0], sigma[1]];
    }
  }

  /** A random sigma. */
  static getParams(sigmaMin: number, sigmaMax: number): number {
    return R.uniform(sigmaMin, sigmaMax);
  }

  forward<T extends ImageLike>(img: T): T {
    const s = GaussianBlur.getParams(this.sigma[0], this.sigma[1]);
    return F.gaussianBlur(img, this.kernelSize, [s, s]);
  }

  protected override extraRepr(): string {
    return `kernel_size=${fmt(this.kernelSize)}, sigma=${fmt(this.sigma)}`;
  }
}

/** Options of RandomErasing. */
export interface RandomErasingOptions {
  p?: number;
  scale?: [number, number];
  ratio?: [number, number];
  /** A number, one per channel, or 'random' (normal noise). */
  value?: number | number[] | 'random';
  inplace?: boolean;
}

/** Erases a random rectangle of a tensor image with probability p. */
export class RandomErasing extends Transform {
  readonly p: number;
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly value: number | number[] | 'random';
  readonly inplace: boolean;

  constructor(opts: RandomErasingOptions = {}) {
    super();
    this.p = opts.p ?? 0.5;
    this.scale = opts.scale ?? [0.02, 0.33];
    this.ratio = opts.ratio ?? [0.3, 3.3];
    this.value = opts.value ?? 0;
    this.inplace = opts.inplace ?? false;
    if (typeof this.value === 'string' && this.value !== 'random') throw new TypeError(`If value is str, it should be 'random'`);
    if (this.scale[0] > this.scale[1] || this.ratio[0] > this.ratio[1]) throw new RangeError('Scale and ratio should be of kind (min, max)');
    if (this.scale[0] < 0 || this.scale[1] > 1) throw new RangeError('Scale should be between 0 and 1');
    if (this.p < 0 || this.p > 1) throw new RangeError('Random erasing probability should be between 0 and 1');
  }

  /** [i, j, h, w, v] of the erased region, or the whole image and itself when no region fits. */
  static getParams(img: Tensor, scale: [number, number], ratio: [number, number], value: number[] | null): [number, number, number, number, Tensor] {
    const [c, imgH, imgW] = F.getDimensions(img);
    const area = imgH * imgW;
    const f = Math.fround;
    const logRatio = [f(Math.log(f(ratio[0]))), f(Math.log(f(ratio[1])))];
    for (let attempt = 0; attempt < 10; attempt++) {
      const eraseArea = area * R.uniform(scale[0], scale[1]);
      const aspect = f(Math.exp(R.uniform(logRatio[0], logRatio[1])));
      const h = roundPy(Math.sqrt(eraseArea * aspect));
      const w = roundPy(Math.sqrt(eraseArea / aspect));
      if (!(h < imgH && w < imgW)) continue;
      const v = value === null ? R.normalTensor([c, h, w], 'float32') : tensor(value).view(-1, 1, 1);
      const i = R.randint(0, imgH - h + 1);
      const j = R.randint(0, imgW - w + 1);
      return [i, j, h, w, v];
    }
    return [0, 0, imgH, imgW, img];
  }

  forward(img: Tensor): Tensor {
    if (!(img instanceof Tensor)) throw new TypeError(`RandomErasing: img should be a Tensor (apply ToTensor first), but received ${describe(img)}`);
    if (R.rand() >= this.p) return img;
    const value = this.value === 'random' ? null : typeof this.value === 'number' ? [this.value] : this.value;
    const [c] = F.getDimensions(img);
    if (value !== null && !(value.length === 1 || value.length === c)) {
      throw new RangeError(`If value is a sequence, it should have either a single value or ${c} (number of input channels)`);
    }
    const [i, j, h, w, v] = RandomErasing.getParams(img, this.scale, this.ratio, value);
    if (v === img) return img;
    const out = F.erase(img, i, j, h, w, v.to(img.dtype), this.inplace);
    v.dispose();
    return out;
  }

  protected override extraRepr(): string {
    return `p=${this.p}, scale=${fmt(this.scale)}, ratio=${fmt(this.ratio)}, value=${fmt(this.value)}, inplace=${fmt(this.inplace)}`;
  }
}

abstract class RandomSimple extends Transform {
  constructor(readonly p = 0.5) {
    super();
  }

  protected abstract apply<T extends ImageLike>(img: T): T;

  forward<T extends ImageLike>(img: T): T {
    return R.rand() < this.p ? this.apply(img) : img;
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Inverts colors with probability p. */
export class RandomInvert extends RandomSimple {
  protected apply<T extends ImageLike>(img: T): T {
    return F.invert(img);
  }
}

/** Posterizes to `bits` bits with probability p. */
export class RandomPosterize extends RandomSimple {
  constructor(
    readonly bits: number,
    p = 0.5,
  ) {
    super(p);
  }

  protected apply<T extends ImageLike>(img: T): T {
    return F.posterize(img, this.bits);
  }
}

/** Solarizes above `threshold` with probability p. */
export class RandomSolarize extends RandomSimple {
  constructor(
    readonly threshold: number,
    p = 0.5,
  ) {
    super(p);
  }

  protected apply<T extends ImageLike>(img: T): T {
    return F.solarize(img, this.threshold);
  }
}

/** Adjusts sharpness by `sharpnessFactor` with probability p. */
export class RandomAdjustSharpness extends RandomSimple {
  constructor(
    readonly sharpnessFactor: number,
    p = 0.5,
  ) {
    super(p);
  }

  protected apply<T extends ImageLike>(img: T): T {
    return F.adjustSharpness(img, this.sharpnessFactor);
  }
}

/** Autocontrast with probability p. */
export class RandomAutocontrast extends RandomSimple {
  protected apply<T extends ImageLike>(img: T): T {
    return F.autocontrast(img);
  }
}

/** Histogram equalization with probability p. */
export class RandomEqualize extends RandomSimple {
  protected apply<T extends ImageLike>(img: T): T {
    return F.equalize(img);
  }
}
