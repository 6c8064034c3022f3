// MNIST and FashionMNIST (torchvision.datasets.mnist) read from IDX files, gzipped or not.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as https from 'https';
import { Tensor } from '../../tensor';
import { describe } from '../../dtype';
import { fromBuffer } from '../../creation';
import { Dataset, kGetBatchable } from '../../data/dataset';
import { Image } from '../io';
import { TransformLike, applyTransform, applyDeferred } from '../transforms/transforms';

/** Options of MNIST and FashionMNIST. */
export interface MNISTOptions {
  /** The training set (default) or the test set. */
  train?: boolean;
  transform?: TransformLike | null;
  targetTransform?: TransformLike | null;
  /** Must be false here: constructors cannot wait; use `await FashionMNIST.download(root)` first. */
  download?: boolean;
}

/** Reads an IDX file (gzip or raw): its dimensions and its bytes after the header. */
export function readIdx(file: string): { shape: number[]; data: Buffer } {
  let buf = fs.readFileSync(file);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new Error(`${file} is not an IDX file (bad magic number)`);
  if (buf[2] !== 0x08) throw new Error(`${file}: only unsigned byte IDX files are supported (type 0x${buf[2].toString(16)})`);
  const ndim = buf[3];
  const shape = Array.from({ length: ndim }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const data = buf.subarray(4 + 4 * ndim);
  const expected = shape.reduce((a, b) => a * b, 1);
  if (data.length !== expected) throw new Error(`${file} is truncated: expected ${expected} bytes of data, found ${data.length}`);
  return { shape, data };
}

const MIRRORS: Record<string, string[]> = {
  MNIST: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
  FashionMNIST: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
};

function fetchTo(url: string, dest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? https.get : // eslint-disable-next-line @typescript-eslint/no-var-requires
      (require('http') as typeof import('http')).get;
    const req = get(url, { timeout: 30000 }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`HTTP ${res.statusCode}`));
        return;
      }
      const out = fs.createWriteStream(dest);
      res.pipe(out);
      out.on('finish', () => resolve());
      out.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** The MNIST digits: 28x28 gray images, labels 0-9. */
export class MNIST<S = Tensor, Y = number> extends Dataset<[S, Y]> {
  /** The class names. */
  static readonly classes: string[] = ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine'];
  /** Where the files are looked for when no root is given (null: a root is required). */
  static readonly defaultRoot: string | null = null;

  /** The folder the files were read from. */
  readonly rawFolder: string;
  /** Training or test split. */
  readonly train: boolean;
  /** The sample transform. */
  transform: TransformLike | null;
  /** The target transform. */
  targetTransform: TransformLike | null;
  /** The labels, as numbers. */
  readonly targetList: number[];
  private readonly pixels: Buffer;
  private readonly count: number;
  private readonly rows: number;
  private readonly cols: number;
  private dataTensor?: Tensor;
  private targetsTensor?: Tensor;

  /**
   * Reads `root` (default: the class's defaultRoot). The IDX files are looked for in root/<Name>/raw (as
   * torchvision lays them out) and in root itself, each gzipped or not.
   */
  constructor(root?: string | null, opts: MNISTOptions = {}) {
    super();
    const cls = new.target as unknown as typeof MNIST;
    const name = cls.name;
    const base = root ?? cls.defaultRoot;
    if (base === null || base === undefined) throw new TypeError(`${name}(): a root folder is required`);
    if (typeof base !== 'string') throw new TypeError(`${name}(): root must be a folder path, but received ${describe(root)}`);
    this.train = opts.train ?? true;
    this.transform = opts.transform ?? null;
    this.targetTransform = opts.targetTransform ?? null;
    const prefix = this.train ? 'train' : 't10k';
    const folders = [path.join(base, name, 'raw'), base];
    const find = (stem: string): string | null => {
      for (const dir of folders) for (const f of [stem, `${stem}.gz`]) if (fs.existsSync(path.join(dir, f))) return path.join(dir, f);
      return null;
    };
    const imagesFile = find(`${prefix}-images-idx3-ubyte`);
    const labelsFile = find(`${prefix}-labels-idx1-ubyte`);
    if (!imagesFile || !labelsFile) {
      const hint = opts.download
        ? `download: true cannot wait in a constructor; run \`await datasets.${name}.download(${JSON.stringify(base)})\` first`
        : `pass download: true after \`await datasets.${name}.download(root)\`${name === 'FashionMNIST' ? ', or on Debian/Ubuntu install the package dataset-fashion-mnist' : ''}`;
      throw new Error(`Dataset not found: no ${prefix}-images-idx3-ubyte[.gz] and ${prefix}-labels-idx1-ubyte[.gz] in ${folders.join(' or ')}. Possible solutions: ${hint}`);
    }
    this.rawFolder = path.dirname(imagesFile);
    const images = readIdx(imagesFile);
    const labels = readIdx(labelsFile);
    if (images.shape.length !== 3) throw new Error(`${imagesFile}: expected 3 dimensions, found ${images.shape.length}`);
    if (labels.shape.length !== 1 || labels.shape[0] !== images.shape[0]) throw new Error(`${labelsFile}: ${labels.shape[0]} labels for ${images.shape[0]} images`);
    [this.count, this.rows, this.cols] = images.shape;
    this.pixels = images.data;
    this.targetList = Array.from(labels.data);
  }

  /** Downloads the four IDX files into root/<Name>/raw (needs network access). */
  static async download(root: string): Promise<void> {
    const name = this.name;
    const dir = path.join(root, name, 'raw');
    fs.mkdirSync(dir, { recursive: true });
    for (const stem of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      const dest = path.join(dir, `${stem}.gz`);
      if (fs.existsSync(dest)) continue;
      const failures: string[] = [];
      let ok = false;
      for (const mirror of MIRRORS[name] ?? []) {
        try {
          await fetchTo(`${mirror}${stem}.gz`, `${dest}.part`);
          fs.renameSync(`${dest}.part`, dest);
          ok = true;
          break;
        } catch (err) {
          failures.push(`${mirror}${stem}.gz: ${(err as Error).message}`);
          fs.rmSync(`${dest}.part`, { force: true });
        }
      }
      if (!ok) throw new Error(`${name}.download(): could not download ${stem}.gz (${failures.join('; ')}). Copy the IDX files into ${dir} yourself.`);
    }
  }

  /** The class names. */
  get classes(): string[] {
    return (this.constructor as typeof MNIST).classes;
  }

  /** Class name to index. */
  get classToIdx(): Record<string, number> {
    return Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }

  /** All images as a uint8 tensor [N, 28, 28]. */
  get data(): Tensor {
    this.dataTensor ??= fromBuffer(this.pixels, { dtype: 'uint8', shape: [this.count, this.rows, this.cols] });
    return this.dataTensor;
  }

  /** All labels as an int64 tensor [N]. */
  get targets(): Tensor {
    this.targetsTensor ??= fromBuffer(BigInt64Array.from(this.targetList, BigInt), { dtype: 'int64', shape: [this.count] });
    return this.targetsTensor;
  }

  get length(): number {
    return this.count;
  }

  /** [transform(image), targetTransform(label)]: the image is a gray Image, as PIL's mode 'L'. */
  async getItem(index: number): Promise<[S, Y]> {
    const i = this.checkIndex(index);
    const img = this.image(i);
    const x = this.transform ? await applyTransform(this.transform, img) : img;
    const y = this.targetTransform ? await applyTransform(this.targetTransform, this.targetList[i]) : this.targetList[i];
    return [x as S, y as Y];
  }

  /** @internal getItem whose final ToTensor (and Normalize) leave the pixels to the default collate. */
  async [kGetBatchable](index: number): Promise<[S, Y]> {
    const i = this.checkIndex(index);
    const img = this.image(i);
    const x = this.transform ? await applyDeferred(this.transform, img) : img;
    const y = this.targetTransform ? await applyTransform(this.targetTransform, this.targetList[i]) : this.targetList[i];
    return [x as S, y as Y];
  }

  private image(i: number): Image {
    const size = this.rows * this.cols;
    return new Image({ kind: 'raw', data: this.pixels.subarray(i * size, (i + 1) * size), channels: 1 }, [this.cols, this.rows], 'L', [this.cols, this.rows], []);
  }

  override toString(): string {
    return `Dataset ${this.constructor.name}\n    Number of datapoints: ${this.length}\n    Root location: ${this.rawFolder}\n    Split: ${this.train ? 'Train' : 'Test'}`;
  }
}

/** Fashion-MNIST: 28x28 gray images of 10 kinds of clothing. With no root, Debian's copy is used when installed. */
export class FashionMNIST<S = Tensor, Y = number> extends MNIST<S, Y> {
  static override readonly classes: string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  static override readonly defaultRoot: string | null = fs.existsSync('/usr/share/datasets/fashion-mnist') ? '/usr/share/datasets/fashion-mnist' : null;
}
