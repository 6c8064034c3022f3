// MNASNet, as torchvision/models/mnasnet.py: `layers` (stem, stacks of _InvertedResidual, head convolution) and
// `classifier` (Dropout, Linear), with torchvision's names and initialisation. Checkpoints of the first version
// (a fixed 32/16-channel stem for every width, as the official mnasnet0_5 weights) load as torchvision loads them.
import { Tensor } from '../../tensor';
import { Module, markPureForward } from '../../nn/module';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { BatchNorm2d } from '../../nn/batchnorm';
import { ReLU } from '../../nn/activation';
import { Dropout } from '../../nn/dropout';
import { Linear } from '../../nn/linear';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, registerModel, weightsEnum, WeightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { run, runOwned } from './_utils';

/** The BatchNorm momentum MNASNet uses (TensorFlow's decay 0.9997). */
const BN_MOMENTUM = 1 - 0.9997;

/** MNASNet's inverted residual: 1x1 expansion, depthwise 3x3/5x5, 1x1 projection, shortcut when shapes allow. */
export class _InvertedResidual extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  applyResidual: boolean;
  declare layers: Sequential;

  constructor(inCh: number, outCh: number, kernelSize: number, stride: number, expansionFactor: number, bnMomentum = 0.1) {
    super();
    if (stride !== 1 && stride !== 2) throw new RangeError(`stride should be 1 or 2 instead of ${stride}`);
    if (kernelSize !== 3 && kernelSize !== 5) throw new RangeError(`kernel_size should be 3 or 5 instead of ${kernelSize}`);
    const mid = inCh * expansionFactor;
    this.applyResidual = inCh === outCh && stride === 1;
    this.layers = new Sequential(
      new Conv2d(inCh, mid, 1, { bias: false }), new BatchNorm2d(mid, { momentum: bnMomentum }), new ReLU(true),
      new Conv2d(mid, mid, kernelSize, { padding: Math.floor(kernelSize / 2), stride, groups: mid, bias: false }), new BatchNorm2d(mid, { momentum: bnMomentum }), new ReLU(true),
      new Conv2d(mid, outCh, 1, { bias: false }), new BatchNorm2d(outCh, { momentum: bnMomentum }),
    );
  }

  override forward(input: Tensor): Tensor {
    if (!this.applyResidual) return this.layers.forward(input);
    const [y, owned] = runOwned(input, [this.layers]);
    const out = y.add(input);
    if (owned && y !== input) y.dispose();
    return out;
  }
}
markPureForward(_InvertedResidual);

function stack(inCh: number, outCh: number, kernelSize: number, stride: number, expFactor: number, repeats: number, bnMomentum: number): Sequential {
  if (repeats < 1) throw new RangeError(`repeats should be >= 1, instead got ${repeats}`);
  const blocks: Module[] = [new _InvertedResidual(inCh, outCh, kernelSize, stride, expFactor, bnMomentum)];
  for (let i = 1; i < repeats; i++) blocks.push(new _InvertedResidual(outCh, outCh, kernelSize, 1, expFactor, bnMomentum));
  return new Sequential(...blocks);
}

/** Rounds to a multiple of `divisor`, rounding up unless that is more than 10% above `val`. */
function roundToMultipleOf(val: number, divisor: number, roundUpBias = 0.9): number {
  if (!(roundUpBias > 0.0 && roundUpBias < 1.0)) throw new RangeError(`round_up_bias should be greater than 0.0 and smaller than 1.0 instead of ${roundUpBias}`);
  const newVal = Math.max(divisor, Math.floor(Math.trunc(val + divisor / 2) / divisor) * divisor);
  return newVal >= roundUpBias * val ? newVal : newVal + divisor;
}

function getDepths(alpha: number): number[] {
  return [32, 16, 24, 40, 80, 96, 192, 320].map((d) => roundToMultipleOf(d * alpha, 8));
}

/** MNASNet's classifier: `classifier[1]` reads as the Linear it is built with and accepts any module. */
export interface MNASNetClassifier extends Sequential {
  get 1(): Linear;
  set 1(m: Module);
}

/** MNASNet ("MnasNet: Platform-Aware Neural Architecture Search for Mobile"), B1 variant, width multiplier `alpha`. */
export class MNASNet extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  alpha: number;
  numClasses: number;
  /** @internal The checkpoint version the stem follows (1: fixed stem of the first release). */
  _version = 2;
  declare layers: Sequential;
  declare classifier: MNASNetClassifier;

  constructor(alpha: number, opts: { numClasses?: number; dropout?: number } = {}) {
    super();
    if (!(alpha > 0.0)) throw new RangeError(`alpha should be greater than 0.0 instead of ${alpha}`);
    this.alpha = alpha;
    this.numClasses = opts.numClasses ?? 1000;
    const d = getDepths(alpha);
    const m = BN_MOMENTUM;
    this.layers = new Sequential(
      new Conv2d(3, d[0], 3, { padding: 1, stride: 2, bias: false }), new BatchNorm2d(d[0], { momentum: m }), new ReLU(true),
      new Conv2d(d[0], d[0], 3, { padding: 1, stride: 1, groups: d[0], bias: false }), new BatchNorm2d(d[0], { momentum: m }), new ReLU(true),
      new Conv2d(d[0], d[1], 1, { padding: 0, stride: 1, bias: false }), new BatchNorm2d(d[1], { momentum: m }),
      stack(d[1], d[2], 3, 2, 3, 3, m), stack(d[2], d[3], 5, 2, 3, 3, m), stack(d[3], d[4], 5, 2, 6, 3, m),
      stack(d[4], d[5], 3, 1, 6, 2, m), stack(d[5], d[6], 5, 2, 6, 4, m), stack(d[6], d[7], 3, 1, 6, 1, m),
      new Conv2d(d[7], 1280, 1, { padding: 0, stride: 1, bias: false }), new BatchNorm2d(1280, { momentum: m }), new ReLU(true),
    );
    this.classifier = new Sequential(new Dropout(opts.dropout ?? 0.2, true), new Linear(1280, this.numClasses)) as MNASNetClassifier;
    for (const mod of this.modules()) {
      if (mod instanceof Conv2d) {
        init.kaimingNormal_(mod.weight, { mode: 'fan_out', nonlinearity: 'relu' });
        if (mod.bias !== null) init.zeros_(mod.bias);
      } else if (mod instanceof BatchNorm2d) {
        init.ones_(mod.weight as Tensor);
        init.zeros_(mod.bias as Tensor);
      } else if (mod instanceof Linear) {
        init.kaimingUniform_(mod.weight, { mode: 'fan_out', nonlinearity: 'sigmoid' });
        init.zeros_(mod.bias as Tensor);
      }
    }
  }

  override forward(x: Tensor): Tensor {
    return run(x, [this.layers, (t) => t.mean([2, 3]), this.classifier]);
  }

  /** A first-version checkpoint (its stem has 32 and 16 channels whatever alpha) gets the first version's stem. */
  protected override _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, strict: boolean, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[]): void {
    const stem = stateDict.get(`${prefix}layers.0.weight`);
    const d = getDepths(this.alpha);
    if (this.alpha !== 1.0 && stem instanceof Tensor && stem.size(0) === 32 && d[0] !== 32) {
      const m = BN_MOMENTUM;
      const v1: Module[] = [
        new Conv2d(3, 32, 3, { padding: 1, stride: 2, bias: false }), new BatchNorm2d(32, { momentum: m }), new ReLU(true),
        new Conv2d(32, 32, 3, { padding: 1, stride: 1, groups: 32, bias: false }), new BatchNorm2d(32, { momentum: m }), new ReLU(true),
        new Conv2d(32, 16, 1, { padding: 0, stride: 1, bias: false }), new BatchNorm2d(16, { momentum: m }),
        stack(16, d[2], 3, 2, 3, 3, m),
      ];
      v1.forEach((layer, i) => {
        this.layers[i] = layer;
      });
      this._version = 1;
      process.emitWarning(
        'A new version of MNASNet model has been implemented. Your checkpoint was saved using the previous version. This checkpoint will load ' +
          'and work as before, but you may want to upgrade by training a newer model or transfer learning from an updated ImageNet checkpoint.',
        'UserWarning',
      );
    }
    super._loadFromStateDict(stateDict, prefix, strict, missingKeys, unexpectedKeys, errorMsgs);
  }
}
markPureForward(MNASNet);

/** The weights of mnasnet0_5. */
export const MNASNet0_5_Weights = weightsEnum('MNASNet0_5_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/mnasnet0.5_top1_67.823-3ffadce67e.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 2218512, min_size: [1, 1],
      recipe: 'https://github.com/1e100/mnasnet_trainer',
      _metrics: { 'ImageNet-1K': { 'acc@1': 67.734, 'acc@5': 87.49 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of mnasnet0_75. */
export const MNASNet0_75_Weights = weightsEnum('MNASNet0_75_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/mnasnet0_75-7090bc5f.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 3170208, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/pull/6019',
      _metrics: { 'ImageNet-1K': { 'acc@1': 71.18, 'acc@5': 90.496 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of mnasnet1_0. */
export const MNASNet1_0_Weights = weightsEnum('MNASNet1_0_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/mnasnet1.0_top1_73.512-f206786ef8.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 4383312, min_size: [1, 1],
      recipe: 'https://github.com/1e100/mnasnet_trainer',
      _metrics: { 'ImageNet-1K': { 'acc@1': 73.456, 'acc@5': 91.51 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of mnasnet1_3. */
export const MNASNet1_3_Weights = weightsEnum('MNASNet1_3_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/mnasnet1_3-a4c69d6f.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 6282256, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/pull/6019',
      _metrics: { 'ImageNet-1K': { 'acc@1': 76.506, 'acc@5': 93.522 } },
    },
  },
}, 'IMAGENET1K_V1');
/** Options of the MNASNet builders. */
export interface MNASNetBuilderOptions<K extends string = string> extends ModelOptions<K> {
  /** Dropout before the classifier (default 0.2). */
  dropout?: number;
}

function mnasnet(name: string, weights: WeightsEnum, alpha: number, opts: MNASNetBuilderOptions | undefined): Promise<MNASNet> {
  return buildModel(name, weights, opts, (numClasses) => new MNASNet(alpha, { numClasses, dropout: opts?.dropout }), { options: ['dropout'] });
}

type Opts<E> = MNASNetBuilderOptions<WeightsName<E>>;

/** MNASNet with depth multiplier 0.5. */
export const mnasnet0_5 = registerModel('mnasnet0_5', (opts?: Opts<typeof MNASNet0_5_Weights>) => mnasnet('mnasnet0_5', MNASNet0_5_Weights, 0.5, opts), MNASNet0_5_Weights);
/** MNASNet with depth multiplier 0.75. */
export const mnasnet0_75 = registerModel('mnasnet0_75', (opts?: Opts<typeof MNASNet0_75_Weights>) => mnasnet('mnasnet0_75', MNASNet0_75_Weights, 0.75, opts), MNASNet0_75_Weights);
/** MNASNet with depth multiplier 1.0. */
export const mnasnet1_0 = registerModel('mnasnet1_0', (opts?: Opts<typeof MNASNet1_0_Weights>) => mnasnet('mnasnet1_0', MNASNet1_0_Weights, 1.0, opts), MNASNet1_0_Weights);
/** MNASNet with depth multiplier 1.3. */
export const mnasnet1_3 = registerModel('mnasnet1_3', (opts?: Opts<typeof MNASNet1_3_Weights>) => mnasnet('mnasnet1_3', MNASNet1_3_Weights, 1.3, opts), MNASNet1_3_Weights);
