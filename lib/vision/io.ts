// vision.io: reading, decoding, encoding and writing images as uint8 CHW tensors (torchvision.io), and the
// lazy Image that datasets load and transforms work on (what PIL.Image is to torchvision). Decoding and
// encoding run in sharp (libvips) on libuv's thread pool, never on the main thread; a JPEG that is resized
// (and then cropped), as Resize + CenterCrop do, is decoded by the addon's libjpeg fast path instead (./_jpeg).
import { promises as fsp } from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { Sharp, KernelEnum, OutputInfo } from 'sharp';
import { Tensor } from '../tensor';
import { describe } from '../dtype';
import { fromBuffer } from '../creation';
import { cat } from '../functions';
import { PendingImageTensor } from '../data/collate';
import { jpegFastPlan, decodeJpegFast } from './_jpeg';

/** How readImage/decodeImage convert channels (torchvision's ImageReadMode). */
export const ImageReadMode = {
  /** Keep the file's channels. */
  UNCHANGED: 'UNCHANGED',
  /** One channel. */
  GRAY: 'GRAY',
  /** Gray plus alpha. */
  GRAY_ALPHA: 'GRAY_ALPHA',
  /** Three channels. */
  RGB: 'RGB',
  /** Three channels plus alpha. */
  RGB_ALPHA: 'RGB_ALPHA',
} as const;
/** One of ImageReadMode's values. */
export type ImageReadMode = (typeof ImageReadMode)[keyof typeof ImageReadMode];

/** The pixel layout of an Image, as PIL names it: 'L' (gray), 'LA', 'RGB', 'RGBA'. */
export type ImageMode = 'L' | 'LA' | 'RGB' | 'RGBA';

const MODE_CHANNELS: Record<ImageMode, number> = { L: 1, LA: 2, RGB: 3, RGBA: 4 };
const CHANNEL_MODES: ImageMode[] = ['L', 'LA', 'RGB', 'RGBA'];

/** Resampling filters, as torchvision's InterpolationMode values. */
export type Interpolation = 'nearest' | 'bilinear' | 'bicubic' | 'box' | 'hamming' | 'lanczos';

/**
 * @internal One recorded operation of an Image. `sharp` describes it for the decoding pipeline when it can
 * run there; `tensor` applies it to a uint8 CHW tensor (used once an earlier operation could not run in sharp).
 */
export interface ImageOp {
  sharp?:
    | { kind: 'crop'; left: number; top: number; width: number; height: number }
    | { kind: 'resize'; width: number; height: number; interpolation: Interpolation }
    | { kind: 'flip'; horizontal: boolean };
  /** Set on a mode conversion (the mode converted to). */
  convert?: ImageMode;
  tensor: (t: Tensor) => Tensor;
}

type Source = { kind: 'encoded'; data: Buffer; format: string; channels: number; components?: number } | { kind: 'raw'; data: Buffer; channels: number };

/** What an encoded image's header says, read without decoding. */
interface Header {
  format: string;
  width: number;
  height: number;
  channels: number;
  /** A JPEG's number of color components (1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK). */
  components?: number;
}

/** Reads the size and channels of JPEG and (non-palette) PNG files from their headers; null for others. */
function probe(buf: Buffer): Header | null {
  if (buf.length > 24 && buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47) {
    const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[buf[25]];
    if (channels === undefined) return null;
    return { format: 'png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), channels };
  }
  if (buf.length > 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    let i = 2;
    while (i + 9 < buf.length) {
      if (buf[i] !== 0xff) return null;
      const marker = buf[i + 1];
      if (marker === 0xff) {
        i++;
        continue;
      }
      if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        i += 2;
        continue;
      }
      const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isSof) {
        const comps = buf[i + 9];
        return { format: 'jpeg', height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7), channels: comps === 1 ? 1 : 3, components: comps };
      }
      i += 2 + buf.readUInt16BE(i + 2);
    }
  }
  return null;
}

/** Decoded pixels (HWC uint8). */
interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

/** Decodes the formats sharp's libvips lacks (BMP, binary PPM/PGM) in JavaScript; null for other formats. */
function decodeSimple(buf: Buffer, name: string): Raw | null {
  if (buf.length > 2 && buf[0] === 0x42 && buf[1] === 0x4d) return decodeBmp(buf, name);
  if (buf.length > 2 && buf[0] === 0x50 && (buf[1] === 0x35 || buf[1] === 0x36)) return decodePnm(buf, name);
  return null;
}

function decodeBmp(buf: Buffer, name: string): Raw {
  const fail = (why: string) => new Error(`cannot decode BMP image ${name}: ${why}`);
  if (buf.length < 54) throw fail('file too short');
  const offset = buf.readUInt32LE(10);
  const dib = buf.readUInt32LE(14);
  const width = buf.readInt32LE(18);
  const rawHeight = buf.readInt32LE(22);
  const bpp = buf.readUInt16LE(28);
  const compression = buf.readUInt32LE(30);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) throw fail(`bad size ${width}x${rawHeight}`);
  if (!(compression === 0 || (compression === 3 && bpp === 32))) throw fail(`compression ${compression} is not supported`);
  if (![8, 24, 32].includes(bpp)) throw fail(`${bpp} bits per pixel is not supported`);
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (offset + stride * height > buf.length) throw fail('truncated pixel data');
  const colors = bpp === 8 ? buf.readUInt32LE(46) || 256 : 0;
  const palette = 14 + dib;
  const out = Buffer.allocUnsafe(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = offset + (rawHeight > 0 ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (bpp === 8) {
        const idx = buf[row + x];
        if (idx >= colors) throw fail(`palette index ${idx} out of range`);
        const p = palette + idx * 4;
        out[o] = buf[p + 2];
        out[o + 1] = buf[p + 1];
        out[o + 2] = buf[p];
      } else {
        const p = row + x * (bpp / 8);
        out[o] = buf[p + 2];
        out[o + 1] = buf[p + 1];
        out[o + 2] = buf[p];
      }
    }
  }
  return { data: out, width, height, channels: 3 };
}

function decodePnm(buf: Buffer, name: string): Raw {
  const fields: number[] = [];
  let i = 2;
  while (fields.length < 3 && i < buf.length) {
    const c = buf[i];
    if (c === 0x23) {
      while (i < buf.length && buf[i] !== 0x0a) i++;
    } else if (c >= 0x30 && c <= 0x39) {
      let v = 0;
      while (i < buf.length && buf[i] >= 0x30 && buf[i] <= 0x39) v = v * 10 + buf[i++] - 0x30;
      fields.push(v);
      continue;
    }
    i++;
  }
  const [width, height, maxval] = fields;
  const channels = buf[1] === 0x35 ? 1 : 3;
  if (!(width > 0 && height > 0) || maxval === undefined) throw new Error(`cannot decode PNM image ${name}: bad header`);
  if (maxval > 255) throw new Error(`cannot decode PNM image ${name}: 16-bit samples are not supported`);
  const start = i + 1; // one whitespace byte follows maxval
  const size = width * height * channels;
  if (start + size > buf.length) throw new Error(`cannot decode PNM image ${name}: truncated pixel data`);
  let data = buf.subarray(start, start + size);
  if (maxval !== 255) data = Buffer.from(data.map((v) => Math.round((v * 255) / maxval)));
  return { data, width, height, channels };
}

async function header(buf: Buffer, name: string): Promise<Header> {
  const h = probe(buf);
  if (h && h.width > 0 && h.height > 0) return h;
  try {
    const m = await sharp(buf).metadata();
    if (!m.width || !m.height || !m.format) throw new Error('no image size in the header');
    const channels = m.channels ?? 3;
    return { format: m.format, width: m.width, height: m.pageHeight && m.pages && m.pages > 1 ? m.pageHeight : m.height, channels: channels > 4 ? 3 : channels };
  } catch (err) {
    throw imageError(`cannot identify image file ${name}`, err);
  }
}

function imageError(message: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`${message}: ${reason}`, { cause });
}

function checkMode(mode: unknown, who: string): ImageMode {
  if (typeof mode === 'string' && mode in MODE_CHANNELS) return mode as ImageMode;
  throw new TypeError(`${who}: mode must be one of 'L', 'LA', 'RGB', 'RGBA', but received ${describe(mode)}`);
}

const SHARP_KERNEL: Record<Interpolation, keyof KernelEnum> = {
  nearest: 'nearest',
  bilinear: 'linear',
  bicubic: 'cubic',
  box: 'nearest',
  hamming: 'linear',
  lanczos: 'lanczos3',
};

/**
 * A decoded image, as PIL's Image is to torchvision: its size and mode are known at once, its pixels are
 * decoded when needed. Transforms applied to an Image are recorded and run together with the decoding in one
 * sharp pipeline where they can (crop, resize, flip: JPEG shrink-on-load applies), and as tensor operations
 * otherwise. `await image.toTensor()` gives its pixels as a uint8 CHW tensor.
 *
 * A JPEG (gray or YCbCr) whose operations are a bilinear resize, optionally followed by a crop inside it (and
 * conversions to its own mode or RGB), is decoded natively when the addon was built with libjpeg: at the
 * smallest scale M/8 whose size is still at least the resize target, then resized with PIL's antialiased
 * bilinear filter and cropped. How that differs from PIL, which decodes at full size: the M/8 decode is a
 * DCT-domain downscale, not a triangle filter, so pixels differ by about 0.01 on average in [0, 1] units (up
 * to 0.1 at sharp edges); at full scale (M = 8, e.g. upscaling) the resize matches PIL's to within rounding.
 */
export class Image {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** The pixel layout. */
  readonly mode: ImageMode;
  /** The file it was read from, if any. */
  readonly filename?: string;
  /** @internal */
  readonly _source: Source;
  /** @internal The size of the source before any operation. */
  readonly _sourceSize: [number, number];
  /** @internal Operations to apply after decoding, in order. */
  readonly _ops: readonly ImageOp[];

  /** @internal Images are made by openImage(), Image.fromTensor() and transforms. */
  constructor(source: Source, sourceSize: [number, number], mode: ImageMode, size: [number, number], ops: readonly ImageOp[], filename?: string) {
    this._source = source;
    this._sourceSize = sourceSize;
    this.mode = mode;
    [this.width, this.height] = size;
    this._ops = ops;
    this.filename = filename;
  }

  /** [width, height], as PIL's `image.size`. */
  get size(): [number, number] {
    return [this.width, this.height];
  }

  /** The number of channels of the mode. */
  get channels(): number {
    return MODE_CHANNELS[this.mode];
  }

  /** Reads an image file's header (the pixels are decoded later, off the main thread), as `PIL.Image.open`. */
  static async open(file: string): Promise<Image> {
    if (typeof file !== 'string') throw new TypeError(`Image.open(): expected a file path, but received ${describe(file)}`);
    let data: Buffer;
    try {
      data = await fsp.readFile(file);
    } catch (err) {
      throw imageError(`cannot read image file ${file}`, err);
    }
    return Image.fromEncoded(data, file);
  }

  /** An image from the bytes of an encoded file (JPEG, PNG, WebP, GIF, BMP, TIFF, ...). */
  static async fromEncoded(data: Buffer | Uint8Array, filename?: string): Promise<Image> {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const simple = decodeSimple(buf, filename ?? '(from a buffer)');
    if (simple) {
      const { width, height, channels } = simple;
      return new Image({ kind: 'raw', data: simple.data, channels }, [width, height], CHANNEL_MODES[channels - 1], [width, height], [], filename);
    }
    const h = await header(buf, filename ?? 'from a buffer');
    const mode = CHANNEL_MODES[h.channels - 1];
    return new Image({ kind: 'encoded', data: buf, format: h.format, channels: h.channels, components: h.components }, [h.width, h.height], mode, [h.width, h.height], [], filename);
  }

  /** An image from a uint8 tensor of shape [C, H, W] (C = 1 to 4) or [H, W] (as ToPILImage). */
  static fromTensor(t: Tensor, mode?: ImageMode): Image {
    if (!(t instanceof Tensor)) throw new TypeError(`Image.fromTensor(): expected a Tensor, but received ${describe(t)}`);
    let img = t;
    if (img.dim() === 2) img = img.unsqueeze(0);
    if (img.dim() !== 3 || img.shape[0] < 1 || img.shape[0] > 4) throw new RangeError(`Image.fromTensor(): expected a [C, H, W] tensor with 1 to 4 channels, but got shape [${t.shape.join(', ')}]`);
    if (img.dtype !== 'uint8') {
      const scaled = img.isFloatingPoint() ? img.mul(255) : img;
      const u8 = scaled.to('uint8');
      if (scaled !== img) scaled.dispose();
      if (img !== t) img.dispose();
      img = u8;
    }
    const [c, h, w] = img.shape;
    const hwc = img.permute([1, 2, 0]).contiguous();
    const data = Buffer.from((hwc.dataSync() as Uint8Array).buffer);
    hwc.dispose();
    if (img !== t) img.dispose();
    const m = mode ? checkMode(mode, 'Image.fromTensor()') : CHANNEL_MODES[c - 1];
    if (MODE_CHANNELS[m] !== c) throw new RangeError(`Image.fromTensor(): mode ${m} needs ${MODE_CHANNELS[m]} channels, but the tensor has ${c}`);
    return new Image({ kind: 'raw', data, channels: c }, [w, h], m, [w, h], []);
  }

  /** @internal This image with one more operation that gives `size` and `mode`. */
  _then(op: ImageOp, size: [number, number], mode: ImageMode = this.mode): Image {
    return new Image(this._source, this._sourceSize, mode, size, [...this._ops, op], this.filename);
  }

  /** The image converted to another mode (lazy): 'L' uses PIL's weights (0.299, 0.587, 0.114). */
  convert(mode: ImageMode): Image {
    const to = checkMode(mode, 'Image.convert()');
    if (to === this.mode) return this;
    return this._then({ convert: to, tensor: (t) => convertTensor(t, to) }, this.size, to);
  }

  /** The pixels as a uint8 tensor [C, H, W], decoded off the main thread. */
  async toTensor(): Promise<Tensor> {
    const p = await this._materialize(false);
    return p instanceof Tensor ? p : p.toTensor();
  }

  /**
   * @internal Runs the decoding pipeline: the pixels as a PendingImageTensor when every operation ran in
   * sharp, or as a tensor (uint8, or float32 in [0, 1] when `scale`) when some ran as tensor operations.
   */
  async _materialize(scale: boolean): Promise<PendingImageTensor | Tensor> {
    const ops = this._ops;
    const src0 = this._source;
    if (src0.kind === 'raw' && ops.length === 0 && CHANNEL_MODES[src0.channels - 1] === this.mode) {
      // Pixels already in memory and nothing to do: no decoding pipeline needed.
      return new PendingImageTensor(src0.data, this.height, this.width, src0.channels, scale);
    }
    // JPEG + resize (+ crop): the native fast path, when the addon has it.
    const plan = jpegFastPlan(this);
    if (plan) {
      const pixels = await decodeJpegFast(plan);
      return new PendingImageTensor(pixels, plan.cropH, plan.cropW, plan.channels, scale);
    }
    let pipeline: Sharp;
    const src = this._source;
    const [sw, sh] = this._sourceSize;
    pipeline =
      src.kind === 'raw'
        ? sharp(src.data, { raw: { width: sw, height: sh, channels: src.channels as 1 | 2 | 3 | 4 } })
        : sharp(src.data, { sequentialRead: true });
    // Group the leading operations that fit sharp's order: crop, resize, crop, flips.
    let k = 0;
    let stage = 0; // 0: nothing yet, 1: pre-crop done, 2: resize done, 3: post-crop done
    let flipH = false;
    let flipV = false;
    let [w, h] = [sw, sh];
    for (; k < ops.length; k++) {
      const s = ops[k].sharp;
      if (!s) break;
      if (s.kind === 'flip') {
        if (s.horizontal) flipH = !flipH;
        else flipV = !flipV;
        continue;
      }
      if (flipH || flipV) break;
      if (s.kind === 'crop') {
        const inside = s.left >= 0 && s.top >= 0 && s.left + s.width <= w && s.top + s.height <= h && s.width > 0 && s.height > 0;
        if (!inside || stage === 1 || stage === 3) break;
        pipeline = pipeline.extract({ left: s.left, top: s.top, width: s.width, height: s.height });
        stage = stage === 0 ? 1 : 3;
        [w, h] = [s.width, s.height];
      } else {
        if (stage >= 2) break;
        if (s.width !== w || s.height !== h) {
          pipeline = pipeline.resize(s.width, s.height, { fit: 'fill', kernel: SHARP_KERNEL[s.interpolation], fastShrinkOnLoad: true });
        }
        stage = 2;
        [w, h] = [s.width, s.height];
      }
    }
    if (flipV) pipeline = pipeline.flip();
    if (flipH) pipeline = pipeline.flop();
    // The decoded channels: the source's (gray stays gray, alpha is kept), 8 bits each.
    const channels = src.channels;
    pipeline = channels <= 2 ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb');
    if (channels === 1 || channels === 3) pipeline = pipeline.removeAlpha();
    else pipeline = pipeline.ensureAlpha();
    let out: { data: Buffer; info: OutputInfo };
    try {
      out = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    } catch (err) {
      throw imageError(`cannot decode image ${this.filename ?? '(from a buffer)'}`, err);
    }
    const { data, info } = out;
    if (info.channels !== channels || info.width !== w || info.height !== h) {
      throw new Error(`decoding ${this.filename ?? 'an image'} gave ${info.width}x${info.height}x${info.channels} pixels, expected ${w}x${h}x${channels}`);
    }
    const rest = ops.slice(k);
    const nativeMode = CHANNEL_MODES[channels - 1];
    if (rest.length === 0 && nativeMode === this.mode) return new PendingImageTensor(data, h, w, channels, scale);
    let t = new PendingImageTensor(data, h, w, channels, false).toTensor();
    // The mode the source decodes to may differ from the first recorded conversion's input: none is recorded
    // for it, so ops see the native channels; convert() ops carry explicit target modes.
    for (const op of rest) {
      const next = op.tensor(t);
      if (next !== t) t.dispose();
      t = next;
    }
    if (t.shape[0] !== MODE_CHANNELS[this.mode]) {
      const c = convertTensor(t, this.mode);
      if (c !== t) t.dispose();
      t = c;
    }
    if (!scale) return t;
    const f = t.to('float32');
    t.dispose();
    f.div_(255);
    return f;
  }

  /** Writes the image to a file; the format follows the extension (.png, .jpg/.jpeg, .webp). */
  async save(file: string, opts: { quality?: number; compressionLevel?: number } = {}): Promise<void> {
    const t = await this.toTensor();
    try {
      await writeImage(t, file, opts);
    } finally {
      t.dispose();
    }
  }

  toString(): string {
    return `<Image mode=${this.mode} size=${this.width}x${this.height}${this.filename ? ` file=${this.filename}` : ''}>`;
  }
}

/** Converts a uint8 [C, H, W] tensor between modes with PIL's rules (drop/add alpha, ITU-R 601-2 luma). */
export function convertTensor(t: Tensor, mode: ImageMode): Tensor {
  const c = t.shape[t.dim() - 3];
  const want = MODE_CHANNELS[mode];
  if (c === want) return t;
  const color = c >= 3 ? t.narrow(-3, 0, 3) : t.narrow(-3, 0, 1);
  const alpha = c === 2 || c === 4 ? t.narrow(-3, c - 1, 1) : null;
  let base: Tensor;
  if (want <= 2 && c >= 3) {
    // L = (R * 19595 + G * 38470 + B * 7471 + 0x8000) >> 16, as PIL computes it.
    const wide = color.to('int32');
    const r = wide.narrow(-3, 0, 1).mul(19595);
    const g = wide.narrow(-3, 1, 1).mul(38470);
    const b = wide.narrow(-3, 2, 1).mul(7471);
    const sum = r.add(g).add_(b).add_(0x8000);
    base = sum.div(65536, { roundingMode: 'floor' }).to('uint8');
    [wide, r, g, b, sum].forEach((x) => x.dispose());
  } else if (want >= 3 && c <= 2) {
    base = color.expand([...color.shape.slice(0, -3), 3, ...color.shape.slice(-2)]);
  } else {
    base = color;
  }
  const parts = [base];
  if (want === 2 || want === 4) {
    if (alpha) parts.push(alpha);
    else {
      const opaque = base.narrow(-3, 0, 1).clone().fill_(255);
      parts.push(opaque);
    }
  }
  return parts.length === 1 ? base.contiguous() : cat(parts, -3);
}

// ---- torchvision.io functions over tensors ----

/** The bytes of a file as a uint8 tensor (torchvision.io.read_file). */
export async function readFile(file: string): Promise<Tensor> {
  if (typeof file !== 'string') throw new TypeError(`readFile(): expected a file path, but received ${describe(file)}`);
  let data: Buffer;
  try {
    data = await fsp.readFile(file);
  } catch (err) {
    throw imageError(`readFile(): cannot read ${file}`, err);
  }
  return fromBuffer(data, { dtype: 'uint8', shape: [data.length] });
}

/** Writes a uint8 tensor's bytes to a file (torchvision.io.write_file). */
export async function writeFile(file: string, data: Tensor): Promise<void> {
  if (!(data instanceof Tensor) || data.dtype !== 'uint8' || data.dim() !== 1) throw new TypeError(`writeFile(): expected a 1-D uint8 tensor, but received ${describe(data)}`);
  try {
    await fsp.writeFile(file, data.dataSync() as Uint8Array);
  } catch (err) {
    throw imageError(`writeFile(): cannot write ${file}`, err);
  }
}

function modeFor(read: ImageReadMode, native: ImageMode): ImageMode {
  switch (read) {
    case 'UNCHANGED': return native;
    case 'GRAY': return 'L';
    case 'GRAY_ALPHA': return 'LA';
    case 'RGB': return 'RGB';
    case 'RGB_ALPHA': return 'RGBA';
    default: throw new TypeError(`expected an ImageReadMode ('UNCHANGED', 'GRAY', 'GRAY_ALPHA', 'RGB', 'RGB_ALPHA'), but received ${describe(read)}`);
  }
}

function bytesOf(input: Tensor | Buffer | Uint8Array, who: string): Buffer {
  if (input instanceof Tensor) {
    if (input.dtype !== 'uint8' || input.dim() !== 1) throw new TypeError(`${who}: expected a 1-D uint8 tensor of encoded bytes, but got a ${input.dtype} tensor of shape [${input.shape.join(', ')}]`);
    return Buffer.from((input.dataSync() as Uint8Array).buffer);
  }
  if (input instanceof Uint8Array) return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError(`${who}: expected a uint8 tensor or a Buffer, but received ${describe(input)}`);
}

/**
 * Decodes a JPEG, PNG, WebP, GIF (first frame), BMP or TIFF image into a uint8 tensor [C, H, W]
 * (torchvision.io.decode_image); decoding runs on libuv's pool. GRAY from color uses PIL's luma weights.
 */
export async function decodeImage(input: Tensor | Buffer | Uint8Array, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  const buf = bytesOf(input, 'decodeImage()');
  const img = await Image.fromEncoded(buf);
  return img.convert(modeFor(mode, img.mode)).toTensor();
}

/** Decodes JPEG bytes (torchvision.io.decode_jpeg). */
export async function decodeJpeg(input: Tensor | Buffer | Uint8Array, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  const buf = bytesOf(input, 'decodeJpeg()');
  if (!(buf[0] === 0xff && buf[1] === 0xd8)) throw new Error('decodeJpeg(): the data is not a JPEG image (no SOI marker)');
  return decodeImage(buf, mode);
}

/** Decodes PNG bytes (torchvision.io.decode_png). */
export async function decodePng(input: Tensor | Buffer | Uint8Array, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  const buf = bytesOf(input, 'decodePng()');
  if (!(buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47)) throw new Error('decodePng(): the data is not a PNG image (bad signature)');
  return decodeImage(buf, mode);
}

/** Reads and decodes an image file into a uint8 tensor [C, H, W] (torchvision.io.read_image). */
export async function readImage(file: string, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  const img = await Image.open(file);
  try {
    return await img.convert(modeFor(mode, img.mode)).toTensor();
  } catch (err) {
    if (err instanceof Error && err.message.includes(file)) throw err;
    throw imageError(`readImage(): cannot decode ${file}`, err);
  }
}

function rawPipeline(t: Tensor, who: string): Sharp {
  if (!(t instanceof Tensor)) throw new TypeError(`${who}: expected a Tensor, but received ${describe(t)}`);
  if (t.dtype !== 'uint8') throw new TypeError(`${who}: expected a uint8 tensor, but got ${t.dtype}`);
  if (t.dim() !== 3 || t.shape[0] < 1 || t.shape[0] > 4) throw new RangeError(`${who}: expected a [C, H, W] tensor with 1 to 4 channels, but got shape [${t.shape.join(', ')}]`);
  const [c, h, w] = t.shape;
  const hwc = t.permute([1, 2, 0]).contiguous();
  const data = Buffer.from((hwc.dataSync() as Uint8Array).buffer);
  hwc.dispose();
  return sharp(data, { raw: { width: w, height: h, channels: c as 1 | 2 | 3 | 4 } });
}

async function encodeWith(p: Sharp, who: string): Promise<Tensor> {
  let out: Buffer;
  try {
    out = await p.toBuffer();
  } catch (err) {
    throw imageError(`${who}: encoding failed`, err);
  }
  return fromBuffer(out, { dtype: 'uint8', shape: [out.length] });
}

function checkQuality(quality: number, who: string): number {
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new RangeError(`${who}: image quality should be a positive number between 1 and 100, but received ${describe(quality)}`);
  return quality;
}

function checkLevel(level: number, who: string): number {
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new RangeError(`${who}: compressionLevel should be an integer between 0 and 9, but received ${describe(level)}`);
  return level;
}

/** Encodes a uint8 [C, H, W] tensor (C = 1 or 3) as JPEG bytes (torchvision.io.encode_jpeg; 4:2:0 chroma). */
export async function encodeJpeg(input: Tensor, quality = 75): Promise<Tensor> {
  checkQuality(quality, 'encodeJpeg()');
  if (input instanceof Tensor && input.dim() === 3 && input.shape[0] !== 1 && input.shape[0] !== 3) throw new RangeError(`encodeJpeg(): the number of channels should be 1 or 3, but got ${input.shape[0]}`);
  return encodeWith(rawPipeline(input, 'encodeJpeg()').jpeg({ quality, chromaSubsampling: '4:2:0' }), 'encodeJpeg()');
}

/** Encodes a uint8 [C, H, W] tensor as PNG bytes (torchvision.io.encode_png). */
export async function encodePng(input: Tensor, compressionLevel = 6): Promise<Tensor> {
  checkLevel(compressionLevel, 'encodePng()');
  return encodeWith(rawPipeline(input, 'encodePng()').png({ compressionLevel }), 'encodePng()');
}

/** Encodes and writes a JPEG file (torchvision.io.write_jpeg). */
export async function writeJpeg(input: Tensor, file: string, quality = 75): Promise<void> {
  const bytes = await encodeJpeg(input, quality);
  await writeFile(file, bytes).finally(() => bytes.dispose());
}

/** Encodes and writes a PNG file (torchvision.io.write_png). */
export async function writePng(input: Tensor, file: string, compressionLevel = 6): Promise<void> {
  const bytes = await encodePng(input, compressionLevel);
  await writeFile(file, bytes).finally(() => bytes.dispose());
}

/** Writes a uint8 [C, H, W] tensor as an image file, the format chosen by the extension (.png, .jpg, .jpeg, .webp). */
export async function writeImage(input: Tensor, file: string, opts: { quality?: number; compressionLevel?: number } = {}): Promise<void> {
  if (typeof file !== 'string') throw new TypeError(`writeImage(): expected a file path, but received ${describe(file)}`);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.png') return writePng(input, file, opts.compressionLevel ?? 6);
  if (ext === '.jpg' || ext === '.jpeg') return writeJpeg(input, file, opts.quality ?? 75);
  if (ext === '.webp') {
    const bytes = await encodeWith(rawPipeline(input, 'writeImage()').webp({ quality: checkQuality(opts.quality ?? 80, 'writeImage()') }), 'writeImage()');
    return writeFile(file, bytes).finally(() => bytes.dispose());
  }
  throw new TypeError(`writeImage(): cannot tell the image format of ${file} from its extension (use .png, .jpg, .jpeg or .webp)`);
}

/** Opens an image file lazily (header now, pixels later), as `PIL.Image.open(path)`. */
export function openImage(file: string): Promise<Image> {
  return Image.open(file);
}
