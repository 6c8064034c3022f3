// MobileNetV2, as torchvision/models/mobilenetv2.py: `features` (Conv2dNormActivation and InvertedResidual
// blocks) and `classifier` (Dropout, Linear), with torchvision's names and initialisation.
import { Tensor } from '../../tensor';
import { Module, markPureForward } from '../../nn/module';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { BatchNorm2d } from '../../nn/batchnorm';
import { GroupNorm } from '../../nn/normalization';
import { ReLU6 } from '../../nn/activation';
import { Dropout } from '../../nn/dropout';
import { Linear } from '../../nn/linear';
import * as F from '../../nn/functional';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, modelKwargs, registerModel, weightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { Conv2dNormActivation, NormLayer, ActivationLayer, batchNorm2d } from './_ops';
import { makeDivisible, pyRound, run, runOwned } from './_utils';

const relu6: ActivationLayer = (inplace) => new ReLU6(inplace ?? false);

/** MobileNetV2's block: 1x1 expansion, 3x3 depthwise, 1x1 linear projection, with a shortcut when shapes allow. */
export class InvertedResidual extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  stride: number;
  /** Whether the input is added to the output. */
  useResConnect: boolean;
  declare conv: Sequential;
  outChannels: number;
  /** @internal */
  _isCn: boolean;

  constructor(inp: number, oup: number, stride: number, expandRatio: number, normLayer: NormLayer | null = null) {
    super();
    this.stride = stride;
    if (stride !== 1 && stride !== 2) throw new RangeError(`stride should be 1 or 2 insted of ${stride}`);
    const norm = normLayer ?? batchNorm2d;
    const hiddenDim = pyRound(inp * expandRatio);
    this.useResConnect = stride === 1 && inp === oup;
    const layers: Module[] = [];
    if (expandRatio !== 1) layers.push(new Conv2dNormActivation(inp, hiddenDim, { kernelSize: 1, normLayer: norm, activationLayer: relu6 }));
    layers.push(
      new Conv2dNormActivation(hiddenDim, hiddenDim, { stride, groups: hiddenDim, normLayer: norm, activationLayer: relu6 }),
      new Conv2d(hiddenDim, oup, 1, { stride: 1, padding: 0, bias: false }),
      norm(oup),
    );
    this.conv = new Sequential(...layers);
    this.outChannels = oup;
    this._isCn = stride > 1;
  }

  override forward(x: Tensor): Tensor {
    if (!this.useResConnect) return this.conv.forward(x);
    const [y, owned] = runOwned(x, [this.conv]);
    const out = x.add(y);
    if (owned && y !== x) y.dispose();
    return out;
  }
}
markPureForward(InvertedResidual);

/** MobileNetV2's classifier: `classifier[1]` reads as the Linear it is built with and accepts any module. */
export interface MobileNetV2Classifier extends Sequential {
  get 1(): Linear;
  set 1(m: Module);
}

/** Options of the MobileNetV2 constructor. */
export interface MobileNetV2Options {
  numClasses?: number;
  /** Multiplies the channels of every layer (default 1.0). */
  widthMult?: number;
  /** The stages as [expansion t, channels c, repeats n, stride s]. */
  invertedResidualSetting?: number[][] | null;
  /** Channels are rounded to multiples of this (default 8). */
  roundNearest?: number;
  /** The block class (default InvertedResidual). */
  block?: new (inp: number, oup: number, stride: number, expandRatio: number, normLayer: NormLayer | null) => Module;
  normLayer?: NormLayer | null;
  /** Dropout before the classifier (default 0.2). */
  dropout?: number;
}

/** MobileNetV2 ("MobileNetV2: Inverted Residuals and Linear Bottlenecks"). */
export class MobileNetV2 extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  lastChannel: number;
  declare features: Sequential;
  declare classifier: MobileNetV2Classifier;

  constructor(opts: MobileNetV2Options = {}) {
    super();
    const block = opts.block ?? InvertedResidual;
    const norm = opts.normLayer ?? batchNorm2d;
    const widthMult = opts.widthMult ?? 1.0;
    const roundNearest = opts.roundNearest ?? 8;
    const setting = opts.invertedResidualSetting ?? [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
    if (setting.length === 0 || setting[0].length !== 4) throw new RangeError(`inverted_residual_setting should be non-empty or a 4-element list, got ${JSON.stringify(setting)}`);
    let inputChannel = makeDivisible(32 * widthMult, roundNearest);
    this.lastChannel = makeDivisible(1280 * Math.max(1.0, widthMult), roundNearest);
    const features: Module[] = [new Conv2dNormActivation(3, inputChannel, { stride: 2, normLayer: norm, activationLayer: relu6 })];
    for (const [t, c, n, s] of setting) {
      const outputChannel = makeDivisible(c * widthMult, roundNearest);
      for (let i = 0; i < n; i++) {
        features.push(new block(inputChannel, outputChannel, i === 0 ? s : 1, t, norm));
        inputChannel = outputChannel;
      }
    }
    features.push(new Conv2dNormActivation(inputChannel, this.lastChannel, { kernelSize: 1, normLayer: norm, activationLayer: relu6 }));
    this.features = new Sequential(...features);
    this.classifier = new Sequential(new Dropout(opts.dropout ?? 0.2), new Linear(this.lastChannel, opts.numClasses ?? 1000)) as MobileNetV2Classifier;
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
    return run(x, [this.features, (t) => F.adaptiveAvgPool2d(t, [1, 1]), (t) => t.flatten(1), this.classifier]);
  }
}
markPureForward(MobileNetV2);

/** The weights of mobilenet_v2. */
export const MobileNet_V2_Weights = weightsEnum('MobileNet_V2_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/mobilenet_v2-b0353104.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 3504872, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#mobilenetv2',
      _metrics: { 'ImageNet-1K': { 'acc@1': 71.878, 'acc@5': 90.286 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/mobilenet_v2-7ebf99e0.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 3504872, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe-with-reg-tuning',
      _metrics: { 'ImageNet-1K': { 'acc@1': 72.154, 'acc@5': 90.822 } },
    },
  },
}, 'IMAGENET1K_V2');
/** Options of the mobilenet_v2 builder. */
export interface MobileNetV2BuilderOptions<K extends string = string> extends ModelOptions<K>, Omit<MobileNetV2Options, 'numClasses'> {}

/** MobileNetV2. */
export const mobilenet_v2 = registerModel(
  'mobilenet_v2',
  (opts?: MobileNetV2BuilderOptions<WeightsName<typeof MobileNet_V2_Weights>>) =>
    buildModel('mobilenet_v2', MobileNet_V2_Weights, opts, (numClasses) => new MobileNetV2({ ...modelKwargs(opts), numClasses }), {
      options: ['widthMult', 'invertedResidualSetting', 'roundNearest', 'block', 'normLayer', 'dropout'],
    }),
  MobileNet_V2_Weights,
);
