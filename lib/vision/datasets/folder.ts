// DatasetFolder and ImageFolder (torchvision.datasets.folder): samples arranged as root/<class>/**/<file>,
// classes discovered as the sorted folder names.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor';
import { describe } from '../../dtype';
import { Dataset, kGetBatchable } from '../../data/dataset';
import { Image } from '../io';
import { TransformLike, applyTransform, applyDeferred } from '../transforms/transforms';

/** The extensions ImageFolder accepts by default, as torchvision's IMG_EXTENSIONS. */
export const IMG_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'] as const;

/** Whether a file name ends with one of the extensions (case-insensitive). */
export function hasFileAllowedExtension(filename: string, extensions: readonly string[]): boolean {
  const lower = filename.toLowerCase();
  return extensions.some((e) => lower.endsWith(e.toLowerCase()));
}

/** Whether a file name has an image extension. */
export function isImageFile(filename: string): boolean {
  return hasFileAllowedExtension(filename, IMG_EXTENSIONS);
}

/** The class folders of `directory`, sorted, and their indices. */
export function findClasses(directory: string): [string[], Record<string, number>] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch (err) {
    throw new Error(`Couldn't read the dataset folder ${directory}: ${(err as Error).message}`, { cause: err });
  }
  const classes = entries
    .filter((e) => e.isDirectory() || (e.isSymbolicLink() && fs.statSync(path.join(directory, e.name)).isDirectory()))
    .map((e) => e.name)
    .sort();
  if (classes.length === 0) throw new Error(`Couldn't find any class folder in ${directory}.`);
  const classToIdx: Record<string, number> = {};
  classes.forEach((c, i) => (classToIdx[c] = i));
  return [classes, classToIdx];
}

function walk(dir: string, out: string[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  const files: string[] = [];
  const dirs: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    const isDir = e.isDirectory() || (e.isSymbolicLink() && fs.statSync(full).isDirectory());
    (isDir ? dirs : files).push(e.name);
  }
  for (const f of files.sort()) out.push(path.join(dir, f));
  for (const d of dirs.sort()) walk(path.join(dir, d), out);
}

/**
 * The [path, classIndex] pairs under `directory`: every file of each class folder (recursively, sorted) that
 * has one of `extensions` or passes `isValidFile` (exactly one of the two). A class folder without a valid
 * file is an error, as in torchvision.
 */
export function makeDataset(directory: string, classToIdx?: Record<string, number>, extensions?: readonly string[] | null, isValidFile?: ((path: string) => boolean) | null): [string, number][] {
  const mapping = classToIdx ?? findClasses(directory)[1];
  if (Object.keys(mapping).length === 0) throw new RangeError("'classToIdx' must have at least one entry to collect any samples.");
  const hasExt = extensions !== undefined && extensions !== null;
  const hasFn = isValidFile !== undefined && isValidFile !== null;
  if (hasExt === hasFn) throw new TypeError('Both extensions and isValidFile cannot be null or not null at the same time');
  const valid = hasExt ? (p: string) => hasFileAllowedExtension(p, extensions as readonly string[]) : (isValidFile as (p: string) => boolean);
  const instances: [string, number][] = [];
  const available = new Set<string>();
  for (const cls of Object.keys(mapping).sort()) {
    const target = path.join(directory, cls);
    if (!fs.existsSync(target) || !fs.statSync(target).isDirectory()) continue;
    const files: string[] = [];
    walk(target, files);
    for (const file of files) {
      if (valid(file)) {
        instances.push([file, mapping[cls]]);
        available.add(cls);
      }
    }
  }
  const empty = Object.keys(mapping).filter((c) => !available.has(c)).sort();
  if (empty.length > 0) {
    let msg = `Found no valid file for the classes ${empty.join(', ')} in ${directory}. `;
    if (hasExt) msg += `Supported extensions are: ${(extensions as readonly string[]).join(', ')}`;
    throw new Error(msg);
  }
  return instances;
}

/** Loads a sample from a path (may return a Promise). */
export type Loader<S> = (path: string) => S | Promise<S>;

/** Opens an image lazily in RGB, as torchvision's default_loader (pil_loader) does. */
export async function defaultLoader(file: string): Promise<Image> {
  return (await Image.open(file)).convert('RGB');
}

/** Options of DatasetFolder. */
export interface DatasetFolderOptions {
  /** File extensions to accept (exclusive with isValidFile). */
  extensions?: readonly string[] | null;
  /** Applied to each loaded sample. */
  transform?: TransformLike | null;
  /** Applied to each class index. */
  targetTransform?: TransformLike | null;
  /** Which files are samples (exclusive with extensions); others are skipped. */
  isValidFile?: ((path: string) => boolean) | null;
}

/**
 * A dataset of files arranged root/<class>/**, loaded by `loader`: `getItem(i)` is a Promise of
 * [transform(loader(path)), targetTransform(classIndex)].
 */
export class DatasetFolder<S = Tensor, Y = number> extends Dataset<[S, Y]> {
  /** The root folder. */
  readonly root: string;
  /** Loads one sample. */
  readonly loader: Loader<unknown>;
  /** The accepted extensions, or null. */
  readonly extensions: readonly string[] | null;
  /** The class names (sorted folder names). */
  readonly classes: string[];
  /** Class name to index. */
  readonly classToIdx: Record<string, number>;
  /** [path, classIndex] of every sample. */
  readonly samples: [string, number][];
  /** The class index of every sample. */
  readonly targets: number[];
  /** The sample transform, or null. */
  transform: TransformLike | null;
  /** The target transform, or null. */
  targetTransform: TransformLike | null;

  constructor(root: string, loader: Loader<unknown>, opts: DatasetFolderOptions = {}) {
    super();
    if (typeof root !== 'string') throw new TypeError(`${new.target.name}(): root must be a folder path, but received ${describe(root)}`);
    if (typeof loader !== 'function') throw new TypeError(`${new.target.name}(): loader must be a function, but received ${describe(loader)}`);
    this.root = root;
    this.loader = loader;
    this.extensions = opts.extensions ?? null;
    this.transform = opts.transform ?? null;
    this.targetTransform = opts.targetTransform ?? null;
    [this.classes, this.classToIdx] = this.findClasses(root);
    this.samples = makeDataset(root, this.classToIdx, this.extensions, opts.isValidFile ?? null);
    this.targets = this.samples.map((s) => s[1]);
  }

  /** The class folders (override to change class discovery). */
  findClasses(directory: string): [string[], Record<string, number>] {
    return findClasses(directory);
  }

  get length(): number {
    return this.samples.length;
  }

  getItem(index: number): Promise<[S, Y]> {
    return this.load(index, false);
  }

  /** @internal getItem whose final ToTensor leaves the pixels to the default collate (see DataLoader). */
  [kGetBatchable](index: number): Promise<[S, Y]> {
    return this.load(index, true);
  }

  private async load(index: number, deferred: boolean): Promise<[S, Y]> {
    const [file, target] = this.samples[this.checkIndex(index)];
    try {
      let sample: unknown = await this.loader(file);
      if (this.transform) sample = await (deferred ? applyDeferred(this.transform, sample) : applyTransform(this.transform, sample));
      const y = this.targetTransform ? await applyTransform(this.targetTransform, target) : target;
      return [sample as S, y as Y];
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (reason.includes(file)) throw err;
      throw new Error(`${file}: ${reason}`, { cause: err });
    }
  }

  override toString(): string {
    return `Dataset ${this.constructor.name}\n    Number of datapoints: ${this.length}\n    Root location: ${this.root}${this.transform ? `\n    Transform: ${String(this.transform)}` : ''}`;
  }
}

/** Options of ImageFolder. */
export interface ImageFolderOptions {
  transform?: TransformLike | null;
  targetTransform?: TransformLike | null;
  /** Loads an image (default: an RGB Image, decoded when a transform needs its pixels). */
  loader?: Loader<unknown>;
  /** Which files are samples (default: files with an image extension). */
  isValidFile?: ((path: string) => boolean) | null;
}

/** A DatasetFolder of images (JPEG, PNG, WebP, BMP, TIFF, ...) loaded as RGB Images. */
export class ImageFolder<S = Tensor, Y = number> extends DatasetFolder<S, Y> {
  /** [path, classIndex] of every image (the same as samples). */
  get imgs(): [string, number][] {
    return this.samples;
  }

  constructor(root: string, opts: ImageFolderOptions = {}) {
    const isValidFile = opts.isValidFile ?? null;
    super(root, opts.loader ?? defaultLoader, {
      extensions: isValidFile ? null : IMG_EXTENSIONS,
      transform: opts.transform,
      targetTransform: opts.targetTransform,
      isValidFile,
    });
  }
}
