// AutoAugment, RandAugment and TrivialAugmentWide (torchvision.transforms.autoaugment): learned or uniform
// policies over the same set of image operations, drawn with torch's calls.
import { describe } from '../../dtype';
import { linspace, arange } from '../../creation';
import * as F from './functional';
import type { ImageLike, Fill, Interpolation } from './functional';
import * as R from './_random';
import { Transform } from './transforms';

/** The datasets AutoAugment's policies were learned on. */
export const AutoAugmentPolicy = { IMAGENET: 'imagenet', CIFAR10: 'cifar10', SVHN: 'svhn' } as const;
/** One of AutoAugmentPolicy's values. */
export type AutoAugmentPolicy = (typeof AutoAugmentPolicy)[keyof typeof AutoAugmentPolicy];

type OpName = 'Identity' | 'ShearX' | 'ShearY' | 'TranslateX' | 'TranslateY' | 'Rotate' | 'Brightness' | 'Color' | 'Contrast' | 'Sharpness' | 'Posterize' | 'Solarize' | 'AutoContrast' | 'Equalize' | 'Invert';
type Space = [OpName, number[] | null, boolean][];

function lin(start: number, end: number, steps: number): number[] {
  const t = linspace(start, end, steps);
  const v = Array.from(t.dataSync() as Float32Array);
  t.dispose();
  return v;
}

function posterizeBins(numBins: number, div: number): number[] {
  const t = arange(numBins).div((numBins - 1) / div).round();
  const v = Array.from(t.dataSync() as Float32Array, (x) => 8 - Math.trunc(x));
  t.dispose();
  return v;
}

function applyOp<T extends ImageLike>(img: T, op: OpName, magnitude: number, interpolation: Interpolation, fill: Fill | null): T {
  const deg = (x: number) => (x * 180) / Math.PI;
  switch (op) {
    case 'ShearX':
      return F.affine(img, 0, [0, 0], 1, [deg(Math.atan(magnitude)), 0], interpolation, fill, [0, 0]);
    case 'ShearY':
      return F.affine(img, 0, [0, 0], 1, [0, deg(Math.atan(magnitude))], interpolation, fill, [0, 0]);
    case 'TranslateX':
      return F.affine(img, 0, [Math.trunc(magnitude), 0], 1, [0, 0], interpolation, fill);
    case 'TranslateY':
      return F.affine(img, 0, [0, Math.trunc(magnitude)], 1, [0, 0], interpolation, fill);
    case 'Rotate':
      return F.rotate(img, magnitude, interpolation, false, null, fill);
    case 'Brightness':
      return F.adjustBrightness(img, 1 + magnitude);
    case 'Color':
      return F.adjustSaturation(img, 1 + magnitude);
    case 'Contrast':
      return F.adjustContrast(img, 1 + magnitude);
    case 'Sharpness':
      return F.adjustSharpness(img, 1 + magnitude);
    case 'Posterize':
      return F.posterize(img, Math.trunc(magnitude));
    case 'Solarize':
      return F.solarize(img, magnitude);
    case 'AutoContrast':
      return F.autocontrast(img);
    case 'Equalize':
      return F.equalize(img);
    case 'Invert':
      return F.invert(img);
    case 'Identity':
      return img;
  }
}

function fillFor(img: ImageLike, fill: Fill | null): Fill | null {
  if (fill === null) return null;
  const [c] = F.getDimensions(img);
  return typeof fill === 'number' ? Array(c).fill(fill) : fill;
}

type Policy = [[OpName, number, number | null], [OpName, number, number | null]][];

const POLICIES: Record<AutoAugmentPolicy, Policy> = {
  imagenet: [
    [['Posterize', 0.4, 8], ['Rotate', 0.6, 9]], [['Solarize', 0.6, 5], ['AutoContrast', 0.6, null]],
    [['Equalize', 0.8, null], ['Equalize', 0.6, null]], [['Posterize', 0.6, 7], ['Posterize', 0.6, 6]],
    [['Equalize', 0.4, null], ['Solarize', 0.2, 4]], [['Equalize', 0.4, null], ['Rotate', 0.8, 8]],
    [['Solarize', 0.6, 3], ['Equalize', 0.6, null]], [['Posterize', 0.8, 5], ['Equalize', 1.0, null]],
    [['Rotate', 0.2, 3], ['Solarize', 0.6, 8]], [['Equalize', 0.6, null], ['Posterize', 0.4, 6]],
    [['Rotate', 0.8, 8], ['Color', 0.4, 0]], [['Rotate', 0.4, 9], ['Equalize', 0.6, null]],
    [['Equalize', 0.0, null], ['Equalize', 0.8, null]], [['Invert', 0.6, null], ['Equalize', 1.0, null]],
    [['Color', 0.6, 4], ['Contrast', 1.0, 8]], [['Rotate', 0.8, 8], ['Color', 1.0, 2]],
    [['Color', 0.8, 8], ['Solarize', 0.8, 7]], [['Sharpness', 0.4, 7], ['Invert', 0.6, null]],
    [['ShearX', 0.6, 5], ['Equalize', 1.0, null]], [['Color', 0.4, 0], ['Equalize', 0.6, null]],
    [['Equalize', 0.4, null], ['Solarize', 0.2, 4]], [['Solarize', 0.6, 5], ['AutoContrast', 0.6, null]],
    [['Invert', 0.6, null], ['Equalize', 1.0, null]], [['Color', 0.6, 4], ['Contrast', 1.0, 8]],
    [['Equalize', 0.8, null], ['Equalize', 0.6, null]],
  ],
  cifar10: [
    [['Invert', 0.1, null], ['Contrast', 0.2, 6]], [['Rotate', 0.7, 2], ['TranslateX', 0.3, 9]],
    [['Sharpness', 0.8, 1], ['Sharpness', 0.9, 3]], [['ShearY', 0.5, 8], ['TranslateY', 0.7, 9]],
    [['AutoContrast', 0.5, null], ['Equalize', 0.9, null]], [['ShearY', 0.2, 7], ['Posterize', 0.3, 7]],
    [['Color', 0.4, 3], ['Brightness', 0.6, 7]], [['Sharpness', 0.3, 9], ['Brightness', 0.7, 9]],
    [['Equalize', 0.6, null], ['Equalize', 0.5, null]], [['Contrast', 0.6, 7], ['Sharpness', 0.6, 5]],
    [['Color', 0.7, 7], ['TranslateX', 0.5, 8]], [['Equalize', 0.3, null], ['AutoContrast', 0.4, null]],
    [['TranslateY', 0.4, 3], ['Sharpness', 0.2, 6]], [['Brightness', 0.9, 6], ['Color', 0.2, 8]],
    [['Solarize', 0.5, 2], ['Invert', 0.0, null]], [['Equalize', 0.2, null], ['AutoContrast', 0.6, null]],
    [['Equalize', 0.2, null], ['Equalize', 0.6, null]], [['Color', 0.9, 9], ['Equalize', 0.6, null]],
    [['AutoContrast', 0.8, null], ['Solarize', 0.2, 8]], [['Brightness', 0.1, 3], ['Color', 0.7, 0]],
    [['Solarize', 0.4, 5], ['AutoContrast', 0.9, null]], [['TranslateY', 0.9, 9], ['TranslateY', 0.7, 9]],
    [['AutoContrast', 0.9, null], ['Solarize', 0.8, 3]], [['Equalize', 0.8, null], ['Invert', 0.1, null]],
    [['TranslateY', 0.7, 9], ['AutoContrast', 0.9, null]],
  ],
  svhn: [
    [['ShearX', 0.9, 4], ['Invert', 0.2, null]], [['ShearY', 0.9, 8], ['Invert', 0.7, null]],
    [['Equalize', 0.6, null], ['Solarize', 0.6, 6]], [['Invert', 0.9, null], ['Equalize', 0.6, null]],
    [['Equalize', 0.6, null], ['Rotate', 0.9, 3]], [['ShearX', 0.9, 4], ['AutoContrast', 0.8, null]],
    [['ShearY', 0.9, 8], ['Invert', 0.4, null]], [['ShearY', 0.9, 5], ['Solarize', 0.2, 6]],
    [['Invert', 0.9, null], ['AutoContrast', 0.8, null]], [['Equalize', 0.6, null], ['Rotate', 0.9, 3]],
    [['ShearX', 0.9, 4], ['Solarize', 0.3, 3]], [['ShearY', 0.8, 8], ['Invert', 0.7, null]],
    [['Equalize', 0.9, null], ['TranslateY', 0.6, 6]], [['Invert', 0.9, null], ['Equalize', 0.6, null]],
    [['Contrast', 0.3, 3], ['Rotate', 0.8, 4]], [['Invert', 0.8, null], ['TranslateY', 0.0, 2]],
    [['ShearY', 0.7, 6], ['Solarize', 0.4, 8]], [['Invert', 0.6, null], ['Rotate', 0.8, 4]],
    [['ShearY', 0.3, 7], ['TranslateX', 0.9, 3]], [['ShearX', 0.1, 6], ['Invert', 0.6, null]],
    [['Solarize', 0.7, 2], ['TranslateY', 0.6, 7]], [['ShearY', 0.8, 4], ['Invert', 0.8, null]],
    [['ShearX', 0.7, 9], ['TranslateY', 0.8, 3]], [['ShearY', 0.8, 5], ['AutoContrast', 0.7, null]],
    [['ShearX', 0.7, 2], ['Invert', 0.1, null]],
  ],
};

function space(numBins: number, h: number, w: number, wide: boolean, withIdentity: boolean, withInvert: boolean): Space {
  const s: Space = [];
  if (withIdentity) s.push(['Identity', null, false]);
  const shear = wide ? 0.99 : 0.3;
  const color = wide ? 0.99 : 0.9;
  s.push(['ShearX', lin(0, shear, numBins), true], ['ShearY', lin(0, shear, numBins), true]);
  s.push(['TranslateX', lin(0, wide ? 32 : (150 / 331) * w, numBins), true], ['TranslateY', lin(0, wide ? 32 : (150 / 331) * h, numBins), true]);
  s.push(['Rotate', lin(0, wide ? 135 : 30, numBins), true]);
  for (const name of ['Brightness', 'Color', 'Contrast', 'Sharpness'] as OpName[]) s.push([name, lin(0, color, numBins), true]);
  s.push(['Posterize', posterizeBins(numBins, wide ? 6 : 4), false], ['Solarize', lin(255, 0, numBins), false]);
  s.push(['AutoContrast', null, false], ['Equalize', null, false]);
  if (withInvert) s.push(['Invert', null, false]);
  return s;
}

/** Options shared by the automatic augmentations. */
export interface AutoAugmentOptions {
  interpolation?: Interpolation;
  fill?: Fill | null;
}

/** AutoAugment with a policy learned on ImageNet, CIFAR10 or SVHN. */
export class AutoAugment extends Transform {
  readonly interpolation: Interpolation;
  readonly fill: Fill | null;
  private readonly policies: Policy;

  constructor(
    readonly policy: AutoAugmentPolicy = 'imagenet',
    opts: AutoAugmentOptions = {},
  ) {
    super();
    if (!(policy in POLICIES)) throw new TypeError(`The provided policy ${describe(policy)} is not recognized.`);
    this.policies = POLICIES[policy];
    this.interpolation = opts.interpolation ?? 'nearest';
    this.fill = opts.fill ?? null;
  }

  /** [policy index, two probabilities, two signs]. */
  static getParams(transformNum: number): [number, number[], number[]] {
    return [R.randint(0, transformNum), R.randMany(2), R.randintMany(0, 2, 2)];
  }

  forward<T extends ImageLike>(img: T): T {
    const [, h, w] = F.getDimensions(img);
    const fill = fillFor(img, this.fill);
    const [id, probs, signs] = AutoAugment.getParams(this.policies.length);
    const meta = new Map(space(10, h, w, false, false, true).map(([n, m, s]) => [n, { m, s }]));
    let x = img;
    this.policies[id].forEach(([name, p, magId], i) => {
      if (probs[i] <= p) {
        const { m, s } = meta.get(name) as { m: number[] | null; s: boolean };
        let magnitude = magId !== null && m ? m[magId] : 0;
        if (s && signs[i] === 0) magnitude = -magnitude;
        x = applyOp(x, name, magnitude, this.interpolation, fill);
      }
    });
    return x;
  }

  protected override extraRepr(): string {
    return `policy=${this.policy}, fill=${this.fill ?? 'None'}`;
  }
}

/** Options of RandAugment. */
export interface RandAugmentOptions extends AutoAugmentOptions {
  numOps?: number;
  magnitude?: number;
  numMagnitudeBins?: number;
}

/** RandAugment: numOps operations picked uniformly, all at one magnitude. */
export class RandAugment extends Transform {
  readonly numOps: number;
  readonly magnitude: number;
  readonly numMagnitudeBins: number;
  readonly interpolation: Interpolation;
  readonly fill: Fill | null;

  constructor(opts: RandAugmentOptions = {}) {
    super();
    this.numOps = opts.numOps ?? 2;
    this.magnitude = opts.magnitude ?? 9;
    this.numMagnitudeBins = opts.numMagnitudeBins ?? 31;
    this.interpolation = opts.interpolation ?? 'nearest';
    this.fill = opts.fill ?? null;
  }

  forward<T extends ImageLike>(img: T): T {
    const [, h, w] = F.getDimensions(img);
    const fill = fillFor(img, this.fill);
    const meta = space(this.numMagnitudeBins, h, w, false, true, false);
    let x = img;
    for (let k = 0; k < this.numOps; k++) {
      const [name, m, signed] = meta[R.randint(0, meta.length)];
      let magnitude = m ? m[this.magnitude] : 0;
      if (signed && R.randint(0, 2)) magnitude = -magnitude;
      x = applyOp(x, name, magnitude, this.interpolation, fill);
    }
    return x;
  }

  protected override extraRepr(): string {
    return `num_ops=${this.numOps}, magnitude=${this.magnitude}, num_magnitude_bins=${this.numMagnitudeBins}, interpolation=${this.interpolation}, fill=${this.fill ?? 'None'}`;
  }
}

/** TrivialAugmentWide: one operation at a random magnitude. */
export class TrivialAugmentWide extends Transform {
  readonly numMagnitudeBins: number;
  readonly interpolation: Interpolation;
  readonly fill: Fill | null;

  constructor(opts: { numMagnitudeBins?: number } & AutoAugmentOptions = {}) {
    super();
    this.numMagnitudeBins = opts.numMagnitudeBins ?? 31;
    this.interpolation = opts.interpolation ?? 'nearest';
    this.fill = opts.fill ?? null;
  }

  forward<T extends ImageLike>(img: T): T {
    const fill = fillFor(img, this.fill);
    const meta = space(this.numMagnitudeBins, 0, 0, true, true, false);
    const [name, m, signed] = meta[R.randint(0, meta.length)];
    let magnitude = m ? m[R.randint(0, m.length)] : 0;
    if (signed && R.randint(0, 2)) magnitude = -magnitude;
    return applyOp(img, name, magnitude, this.interpolation, fill);
  }

  protected override extraRepr(): string {
    return `num_magnitude_bins=${this.numMagnitudeBins}, interpolation=${this.interpolation}, fill=${this.fill ?? 'None'}`;
  }
}
