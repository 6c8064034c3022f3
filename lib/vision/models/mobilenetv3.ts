// MobileNetV3 (large and small), as torchvision/models/mobilenetv3.py: `features` (Conv2dNormActivation and
// InvertedResidual blocks with squeeze-and-excitation and hard-swish), `avgpool`, `classifier` (Linear,
// Hardswish, Dropout, Linear), with torchvision's names and initialisation.
import { Tensor } from '../../tensor';
import { Module, markPureForward } from '../../nn/module';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { BatchNorm2d } from '../../nn/batchnorm';
import { GroupNorm } from '../../nn/normalization';
import { Hardswish, Hardsigmoid } from '../../nn/activation';
import { Dropout } from '../../nn/dropout';
import { AdaptiveAvgPool2d } from '../../nn/pooling';
import { Linear } from '../../nn/linear';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, registerModel, weightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { Conv2dNormActivation, SqueezeExcitation, NormLayer, ActivationLayer, relu } from './_ops';
import { makeDivisible, run, runOwned } from './_utils';

const hardswish: ActivationLayer = (inplace) => new Hardswish(inplace ?? false);

/** The configuration of one MobileNetV3 block (channels already scaled by the width multiplier). */
export class InvertedResidualConfig {
  inputChannels: number;
  kernel: number;
  expandedChannels: number;
  outChannels: number;
  useSe: boolean;
  /** Hard-swish ('HS') rather than ReLU ('RE'). */
  useHs: boolean;
  stride: number;
  dilation: number;

  constructor(inputChannels: number, kernel: number, expandedChannels: number, outChannels: number, useSe: boolean, activation: 'HS' | 'RE', stride: number, dilation: number, widthMult: number) {
    this.inputChannels = InvertedResidualConfig.adjustChannels(inputChannels, widthMult);
    this.kernel = kernel;
    this.expandedChannels = InvertedResidualConfig.adjustChannels(expandedChannels, widthMult);
    this.outChannels = InvertedResidualConfig.adjustChannels(outChannels, widthMult);
    this.useSe = useSe;
    this.useHs = activation === 'HS';
    this.stride = stride;
    this.dilation = dilation;
  }

  /** Channels times the width multiplier, rounded to a multiple of 8. */
  static adjustChannels(channels: number, widthMult: number): number {
    return makeDivisible(channels * widthMult, 8);
  }
}

/** Makes the squeeze-and-excitation layer of a block (default: SqueezeExcitation gated by Hardsigmoid). */
export type SELayer = (inputChannels: number, squeezeChannels: number) => Module;

const defaultSe: SELayer = (c, s) => new SqueezeExcitation(c, s, { scaleActivation: (inplace) => new Hardsigmoid(inplace ?? false) });

/** MobileNetV3's block: expansion, depthwise convolution, optional squeeze-and-excitation, projection. */
export class InvertedResidual extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  /** Whether the input is added to the output. */
  useResConnect: boolean;
  declare block: Sequential;
  outChannels: number;
  /** @internal */
  _isCn: boolean;

  constructor(cnf: InvertedResidualConfig, normLayer: NormLayer, seLayer: SELayer = defaultSe) {
    super();
    if (!(cnf.stride >= 1 && cnf.stride <= 2)) throw new RangeError('illegal stride value');
    this.useResConnect = cnf.stride === 1 && cnf.inputChannels === cnf.outChannels;
    const layers: Module[] = [];
    const act = cnf.useHs ? hardswish : relu;
    if (cnf.expandedChannels !== cnf.inputChannels) {
      layers.push(new Conv2dNormActivation(cnf.inputChannels, cnf.expandedChannels, { kernelSize: 1, normLayer, activationLayer: act }));
    }
    const stride = cnf.dilation > 1 ? 1 : cnf.stride;
    layers.push(new Conv2dNormActivation(cnf.expandedChannels, cnf.expandedChannels, {
      kernelSize: cnf.kernel, stride, dilation: cnf.dilation, groups: cnf.expandedChannels, normLayer, activationLayer: act,
    }));
    if (cnf.useSe) layers.push(seLayer(cnf.expandedChannels, makeDivisible(Math.floor(cnf.expandedChannels / 4), 8)));
    layers.push(new Conv2dNormActivation(cnf.expandedChannels, cnf.outChannels, { kernelSize: 1, normLayer, activationLayer: null }));
    this.block = new Sequential(...layers);
    this.outChannels = cnf.outChannels;
    this._isCn = cnf.stride > 1;
  }

  override forward(input: Tensor): Tensor {
    const [result] = runOwned(input, [this.block]);
    if (this.useResConnect) result.add_(input);
    return result;
  }
}
markPureForward(InvertedResidual);

/** MobileNetV3's classifier: `classifier[3]` reads as the Linear it is built with and accepts any module. */
export interface MobileNetV3Classifier extends Sequential {
  get 3(): Linear;
  set 3(m: Module);
}

/** Options of the MobileNetV3 constructor. */
export interface MobileNetV3Options {
  numClasses?: number;
  /** The block class (default InvertedResidual). */
  block?: new (cnf: InvertedResidualConfig, normLayer: NormLayer) => Module;
  /** Default BatchNorm2d with eps 0.001 and momentum 0.01. */
  normLayer?: NormLayer | null;
  /** Dropout before the last Linear (default 0.2). */
  dropout?: number;
}

/** MobileNetV3 ("Searching for MobileNetV3") from its block configurations. */
export class MobileNetV3 extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare features: Sequential;
  declare avgpool: Module;
  declare classifier: MobileNetV3Classifier;

  constructor(invertedResidualSetting: InvertedResidualConfig[], lastChannel: number, opts: MobileNetV3Options = {}) {
    super();
    if (!Array.isArray(invertedResidualSetting) || invertedResidualSetting.length === 0) throw new RangeError('The inverted_residual_setting should not be empty');
    if (!invertedResidualSetting.every((s) => s instanceof InvertedResidualConfig)) throw new TypeError('The inverted_residual_setting should be List[InvertedResidualConfig]');
    const block = opts.block ?? InvertedResidual;
    const norm: NormLayer = opts.normLayer ?? ((n) => new BatchNorm2d(n, { eps: 0.001, momentum: 0.01 }));
    const layers: Module[] = [];
    const firstOut = invertedResidualSetting[0].inputChannels;
    layers.push(new Conv2dNormActivation(3, firstOut, { kernelSize: 3, stride: 2, normLayer: norm, activationLayer: hardswish }));
    for (const cnf of invertedResidualSetting) layers.push(new block(cnf, norm));
    const lastIn = invertedResidualSetting[invertedResidualSetting.length - 1].outChannels;
    const lastOut = 6 * lastIn;
    layers.push(new Conv2dNormActivation(lastIn, lastOut, { kernelSize: 1, normLayer: norm, activationLayer: hardswish }));
    this.features = new Sequential(...layers);
    this.avgpool = new AdaptiveAvgPool2d(1);
    this.classifier = new Sequential(
      new Linear(lastOut, lastChannel), new Hardswish(true), new Dropout(opts.dropout ?? 0.2, true), new Linear(lastChannel, opts.numClasses ?? 1000),
    ) as MobileNetV3Classifier;
    for (const m of this.modules()) {
      if (m instanceof Conv2d) {
        init.kaimingNormal_(m.weight, { mode: 'fan_out' });
        if (m.bias !== null) init.zeros_(m.bias);
      } else if (m instanceof BatchNorm2d || m instanceof GroupNorm) {
        init.ones_(m.weight as Tensor);
        init.zeros_(m.bias as Tensor);
      } else if (m instanceof Linear) {
        init.normal_(m.weight, 0, 0.01);
        init.zeros_(m.bias as Tensor);
      }
    }
  }

  override forward(x: Tensor): Tensor {
    return run(x, [this.features, this.avgpool, (t) => t.flatten(1), this.classifier]);
  }
}
markPureForward(MobileNetV3);

/** Options of the MobileNetV3 configurations. */
export interface MobileNetV3ConfOptions {
  /** Multiplies the channels (default 1.0). */
  widthMult?: number;
  /** Halve the channels of the last stages (default false). */
  reducedTail?: boolean;
  /** Dilate the last stage instead of striding it (default false). */
  dilated?: boolean;
}

/** The block configurations and last channel count of 'mobilenet_v3_large' or 'mobilenet_v3_small'. */
export function mobilenetV3Conf(arch: 'mobilenet_v3_large' | 'mobilenet_v3_small', opts: MobileNetV3ConfOptions = {}): [InvertedResidualConfig[], number] {
  const widthMult = opts.widthMult ?? 1.0;
  const rd = opts.reducedTail ? 2 : 1;
  const dil = opts.dilated ? 2 : 1;
  const b = (i: number, k: number, e: number, o: number, se: boolean, act: 'HS' | 'RE', s: number, d: number) => new InvertedResidualConfig(i, k, e, o, se, act, s, d, widthMult);
  const div = (n: number) => Math.floor(n / rd);
  if (arch === 'mobilenet_v3_large') {
    return [[
      b(16, 3, 16, 16, false, 'RE', 1, 1), b(16, 3, 64, 24, false, 'RE', 2, 1), b(24, 3, 72, 24, false, 'RE', 1, 1),
      b(24, 5, 72, 40, true, 'RE', 2, 1), b(40, 5, 120, 40, true, 'RE', 1, 1), b(40, 5, 120, 40, true, 'RE', 1, 1),
      b(40, 3, 240, 80, false, 'HS', 2, 1), b(80, 3, 200, 80, false, 'HS', 1, 1), b(80, 3, 184, 80, false, 'HS', 1, 1),
      b(80, 3, 184, 80, false, 'HS', 1, 1), b(80, 3, 480, 112, true, 'HS', 1, 1), b(112, 3, 672, 112, true, 'HS', 1, 1),
      b(112, 5, 672, div(160), true, 'HS', 2, dil), b(div(160), 5, div(960), div(160), true, 'HS', 1, dil),
      b(div(160), 5, div(960), div(160), true, 'HS', 1, dil),
    ], InvertedResidualConfig.adjustChannels(div(1280), widthMult)];
  }
  if (arch === 'mobilenet_v3_small') {
    return [[
      b(16, 3, 16, 16, true, 'RE', 2, 1), b(16, 3, 72, 24, false, 'RE', 2, 1), b(24, 3, 88, 24, false, 'RE', 1, 1),
      b(24, 5, 96, 40, true, 'HS', 2, 1), b(40, 5, 240, 40, true, 'HS', 1, 1), b(40, 5, 240, 40, true, 'HS', 1, 1),
      b(40, 5, 120, 48, true, 'HS', 1, 1), b(48, 5, 144, 48, true, 'HS', 1, 1), b(48, 5, 288, div(96), true, 'HS', 2, dil),
      b(div(96), 5, div(576), div(96), true, 'HS', 1, dil), b(div(96), 5, div(576), div(96), true, 'HS', 1, dil),
    ], InvertedResidualConfig.adjustChannels(div(1024), widthMult)];
  }
  throw new RangeError(`Unsupported model type ${String(arch)}`);
}

/** The weights of mobilenet_v3_large. */
export const MobileNet_V3_Large_Weights = weightsEnum('MobileNet_V3_Large_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/mobilenet_v3_large-8738ca79.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 5483032, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#mobilenetv3-large--small',
      _metrics: { 'ImageNet-1K': { 'acc@1': 74.042, 'acc@5': 91.34 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/mobilenet_v3_large-5c1a4163.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 5483032, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe-with-reg-tuning',
      _metrics: { 'ImageNet-1K': { 'acc@1': 75.274, 'acc@5': 92.566 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of mobilenet_v3_small. */
export const MobileNet_V3_Small_Weights = weightsEnum('MobileNet_V3_Small_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/mobilenet_v3_small-047dcff4.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 2542856, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#mobilenetv3-large--small',
      _metrics: { 'ImageNet-1K': { 'acc@1': 67.668, 'acc@5': 87.402 } },
    },
  },
}, 'IMAGENET1K_V1');
/** Options of the MobileNetV3 builders. */
export interface MobileNetV3BuilderOptions<K extends string = string> extends ModelOptions<K>, MobileNetV3ConfOptions, Omit<MobileNetV3Options, 'numClasses'> {}

const V3_OPTIONS = ['widthMult', 'reducedTail', 'dilated', 'block', 'normLayer', 'dropout'];

function mobilenetV3(name: 'mobilenet_v3_large' | 'mobilenet_v3_small', weights: typeof MobileNet_V3_Large_Weights | typeof MobileNet_V3_Small_Weights, opts: MobileNetV3BuilderOptions | undefined): Promise<MobileNetV3> {
  const o = opts ?? {};
  return buildModel(name, weights, o, (numClasses) => {
    const [setting, lastChannel] = mobilenetV3Conf(name, o);
    return new MobileNetV3(setting, lastChannel, { numClasses, block: o.block, normLayer: o.normLayer, dropout: o.dropout });
  }, { options: V3_OPTIONS });
}

/** MobileNetV3 large. */
export const mobilenet_v3_large = registerModel(
  'mobilenet_v3_large',
  (opts?: MobileNetV3BuilderOptions<WeightsName<typeof MobileNet_V3_Large_Weights>>) => mobilenetV3('mobilenet_v3_large', MobileNet_V3_Large_Weights, opts),
  MobileNet_V3_Large_Weights,
);
/** MobileNetV3 small. */
export const mobilenet_v3_small = registerModel(
  'mobilenet_v3_small',
  (opts?: MobileNetV3BuilderOptions<WeightsName<typeof MobileNet_V3_Small_Weights>>) => mobilenetV3('mobilenet_v3_small', MobileNet_V3_Small_Weights, opts),
  MobileNet_V3_Small_Weights,
);
