// The evaluation preset of the classification weights, as torchvision's transforms/_presets.py
// ImageClassification: resize the shorter edge, crop the center, scale to [0, 1], normalize. `weights.transforms()`
// builds one. It is a Compose of the library transforms, so on an Image inside a dataset it takes the decoding
// pipeline's fast path; on a tensor it runs at once and synchronously.
import { Tensor } from '../../tensor';
import { Image } from '../io';
import { Compose, Resize, CenterCrop, ToTensor, Normalize } from '../transforms/transforms';
import * as F from '../transforms/functional';
import type { Interpolation } from '../transforms/functional';

/** Options of ImageClassification (torchvision's keyword arguments, camelCased). */
export interface ImageClassificationOptions {
  /** The side of the square center crop. */
  cropSize: number;
  /** The shorter edge after resizing (default 256). */
  resizeSize?: number;
  /** Per-channel mean (default ImageNet's). */
  mean?: readonly number[];
  /** Per-channel standard deviation (default ImageNet's). */
  std?: readonly number[];
  /** Resize interpolation (default 'bilinear'). */
  interpolation?: Interpolation;
  /**
   * Antialiased resizing (default true: what torchvision does on PIL images, and on tensors from torchvision 0.17;
   * torchvision 0.14 resized tensors without antialiasing).
   */
  antialias?: boolean;
}

function pyList(v: readonly number[]): string {
  return `[${v.map(String).join(', ')}]`;
}

/**
 * torchvision's ImageClassification preset: `Resize(resizeSize)`, `CenterCrop(cropSize)`, scaling to float in
 * [0, 1] and `Normalize(mean, std)`. `forward(tensor)` returns a tensor (uint8 or float images, [C, H, W] or
 * batched); `forward(image)` returns a Promise of one.
 */
export class ImageClassification extends Compose {
  /** [crop size], as torchvision stores it. */
  readonly cropSize: number[];
  /** [resize size]. */
  readonly resizeSize: number[];
  readonly mean: number[];
  readonly std: number[];
  readonly interpolation: Interpolation;
  readonly antialias: boolean;

  constructor(opts: ImageClassificationOptions) {
    const o = opts ?? ({} as ImageClassificationOptions);
    if (!Number.isInteger(o.cropSize) || o.cropSize <= 0) throw new TypeError(`ImageClassification(): cropSize must be a positive integer, but received ${String(o.cropSize)}`);
    const resize = o.resizeSize ?? 256;
    const mean = [...(o.mean ?? [0.485, 0.456, 0.406])];
    const std = [...(o.std ?? [0.229, 0.224, 0.225])];
    const interpolation = o.interpolation ?? 'bilinear';
    const antialias = o.antialias ?? true;
    super([new Resize(resize, interpolation, { antialias }), new CenterCrop(o.cropSize), new ToTensor(), new Normalize(mean, std)]);
    this.cropSize = [o.cropSize];
    this.resizeSize = [resize];
    this.mean = mean;
    this.std = std;
    this.interpolation = interpolation;
    this.antialias = antialias;
  }

  /** The preprocessed image: synchronous on a tensor, a Promise on an Image (decoding happens off the main thread). */
  override forward(img: Tensor): Tensor;
  override forward(img: Image): Promise<Tensor>;
  override forward(img: unknown): unknown;
  override forward(img: unknown): unknown {
    if (!(img instanceof Tensor)) return super.forward(img);
    const resized = F.resize(img, this.resizeSize, this.interpolation, null, this.antialias);
    const cropped = F.centerCrop(resized, this.cropSize);
    if (resized !== img && resized !== cropped) resized.dispose();
    const scaled = F.convertImageDtype(cropped, 'float32');
    if (cropped !== img && cropped !== scaled) cropped.dispose();
    const out = F.normalize(scaled, this.mean, this.std);
    if (scaled !== img && scaled !== out) scaled.dispose();
    return out;
  }

  override toString(): string {
    const interp = `InterpolationMode.${this.interpolation.toUpperCase()}`;
    return (
      `ImageClassification(\n    crop_size=${pyList(this.cropSize)}\n    resize_size=${pyList(this.resizeSize)}\n    mean=${pyList(this.mean)}\n` +
      `    std=${pyList(this.std)}\n    interpolation=${interp}\n)`
    );
  }

  /** A sentence saying what the preset does, as torchvision's `describe()`. */
  describe(): string {
    return (
      'Accepts Images, batched (B, C, H, W) and single (C, H, W) image tensors. ' +
      `The images are resized to resize_size=${pyList(this.resizeSize)} using interpolation=InterpolationMode.${this.interpolation.toUpperCase()}, ` +
      `followed by a central crop of crop_size=${pyList(this.cropSize)}. Finally the values are first rescaled to [0.0, 1.0] and then normalized ` +
      `using mean=${pyList(this.mean)} and std=${pyList(this.std)}.`
    );
  }
}
