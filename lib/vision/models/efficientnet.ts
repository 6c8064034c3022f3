// EfficientNet B0-B7 and EfficientNetV2 S/M/L, as torchvision/models/efficientnet.py: `features` (a stem, one
// Sequential of MBConv/FusedMBConv blocks per stage, a 1x1 head convolution), `avgpool` and `classifier`
// (Dropout, Linear), with torchvision's names, stochastic depth schedule and initialisation.
import { Tensor } from '../../tensor';
import { Module, markPureForward } from '../../nn/module';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { BatchNorm2d } from '../../nn/batchnorm';
import { GroupNorm } from '../../nn/normalization';
import { SiLU } from '../../nn/activation';
import { Dropout } from '../../nn/dropout';
import { AdaptiveAvgPool2d } from '../../nn/pooling';
import { Linear } from '../../nn/linear';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, registerModel, weightsEnum, WeightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { Conv2dNormActivation, SqueezeExcitation, StochasticDepth, NormLayer, ActivationLayer, batchNorm2d } from './_ops';
import { makeDivisible, run, runOwned } from './_utils';

const silu: ActivationLayer = (inplace) => new SiLU(inplace ?? false);

/** Makes the block of a stage from its configuration, its stochastic depth probability and the norm layer. */
export type MBBlock = new (cnf: _MBConvConfig, stochasticDepthProb: number, normLayer: NormLayer) => Module;

/** The common part of the stage configurations: expansion, kernel, stride, channels, depth, block class. */
export abstract class _MBConvConfig {
  constructor(
    public expandRatio: number,
    public kernel: number,
    public stride: number,
    public inputChannels: number,
    public outChannels: number,
    public numLayers: number,
    public block: MBBlock,
  ) {}

  /** Channels times the width multiplier, rounded to a multiple of 8. */
  static adjustChannels(channels: number, widthMult: number, minValue: number | null = null): number {
    return makeDivisible(channels * widthMult, 8, minValue);
  }

  /** @internal A copy for one block of the stage. */
  abstract copy(): _MBConvConfig;
}

/** A stage of MBConv blocks, channels and depth scaled by the width and depth multipliers. */
export class MBConvConfig extends _MBConvConfig {
  constructor(expandRatio: number, kernel: number, stride: number, inputChannels: number, outChannels: number, numLayers: number, widthMult = 1.0, depthMult = 1.0, block: MBBlock | null = null) {
    super(
      expandRatio, kernel, stride, _MBConvConfig.adjustChannels(inputChannels, widthMult), _MBConvConfig.adjustChannels(outChannels, widthMult),
      MBConvConfig.adjustDepth(numLayers, depthMult), block ?? MBConv,
    );
  }

  /** The number of blocks times the depth multiplier, rounded up. */
  static adjustDepth(numLayers: number, depthMult: number): number {
    return Math.ceil(numLayers * depthMult);
  }

  /** @internal */
  copy(): MBConvConfig {
    return Object.assign(Object.create(MBConvConfig.prototype) as MBConvConfig, this);
  }
}

/** A stage of FusedMBConv blocks (EfficientNetV2). */
export class FusedMBConvConfig extends _MBConvConfig {
  constructor(expandRatio: number, kernel: number, stride: number, inputChannels: number, outChannels: number, numLayers: number, block: MBBlock | null = null) {
    super(expandRatio, kernel, stride, inputChannels, outChannels, numLayers, block ?? FusedMBConv);
  }

  /** @internal */
  copy(): FusedMBConvConfig {
    return Object.assign(Object.create(FusedMBConvConfig.prototype) as FusedMBConvConfig, this);
  }
}

/** Adds the input to the block's output (after stochastic depth) when shapes allow, freeing what the block made. */
function residual(input: Tensor, block: Module, useRes: boolean, sd: Module): Tensor {
  const [result, owned] = runOwned(input, [block]);
  if (!useRes) return result;
  const [out] = runOwned(result, [sd], owned && result !== input);
  out.add_(input);
  return out;
}

/** The mobile inverted bottleneck with squeeze-and-excitation (EfficientNet's block). */
export class MBConv extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  /** Whether the input is added to the output. */
  useResConnect: boolean;
  declare block: Sequential;
  declare stochastic_depth: StochasticDepth;
  outChannels: number;

  constructor(cnf: _MBConvConfig, stochasticDepthProb: number, normLayer: NormLayer, seLayer: (c: number, s: number, act: ActivationLayer) => Module = (c, s, act) => new SqueezeExcitation(c, s, { activation: act })) {
    super();
    if (!(cnf.stride >= 1 && cnf.stride <= 2)) throw new RangeError('illegal stride value');
    this.useResConnect = cnf.stride === 1 && cnf.inputChannels === cnf.outChannels;
    const layers: Module[] = [];
    const expanded = _MBConvConfig.adjustChannels(cnf.inputChannels, cnf.expandRatio);
    if (expanded !== cnf.inputChannels) layers.push(new Conv2dNormActivation(cnf.inputChannels, expanded, { kernelSize: 1, normLayer, activationLayer: silu }));
    layers.push(new Conv2dNormActivation(expanded, expanded, { kernelSize: cnf.kernel, stride: cnf.stride, groups: expanded, normLayer, activationLayer: silu }));
    const squeeze = Math.max(1, Math.floor(cnf.inputChannels / 4));
    layers.push(seLayer(expanded, squeeze, () => new SiLU(true)));
    layers.push(new Conv2dNormActivation(expanded, cnf.outChannels, { kernelSize: 1, normLayer, activationLayer: null }));
    this.block = new Sequential(...layers);
    this.stochastic_depth = new StochasticDepth(stochasticDepthProb, 'row');
    this.outChannels = cnf.outChannels;
  }

  override forward(input: Tensor): Tensor {
    return residual(input, this.block, this.useResConnect, this.stochastic_depth);
  }
}

/** The fused block of EfficientNetV2: one full convolution instead of expansion plus depthwise. */
export class FusedMBConv extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  /** Whether the input is added to the output. */
  useResConnect: boolean;
  declare block: Sequential;
  declare stochastic_depth: StochasticDepth;
  outChannels: number;

  constructor(cnf: _MBConvConfig, stochasticDepthProb: number, normLayer: NormLayer) {
    super();
    if (!(cnf.stride >= 1 && cnf.stride <= 2)) throw new RangeError('illegal stride value');
    this.useResConnect = cnf.stride === 1 && cnf.inputChannels === cnf.outChannels;
    const layers: Module[] = [];
    const expanded = _MBConvConfig.adjustChannels(cnf.inputChannels, cnf.expandRatio);
    if (expanded !== cnf.inputChannels) {
      layers.push(new Conv2dNormActivation(cnf.inputChannels, expanded, { kernelSize: cnf.kernel, stride: cnf.stride, normLayer, activationLayer: silu }));
      layers.push(new Conv2dNormActivation(expanded, cnf.outChannels, { kernelSize: 1, normLayer, activationLayer: null }));
    } else {
      layers.push(new Conv2dNormActivation(cnf.inputChannels, cnf.outChannels, { kernelSize: cnf.kernel, stride: cnf.stride, normLayer, activationLayer: silu }));
    }
    this.block = new Sequential(...layers);
    this.stochastic_depth = new StochasticDepth(stochasticDepthProb, 'row');
    this.outChannels = cnf.outChannels;
  }

  override forward(input: Tensor): Tensor {
    return residual(input, this.block, this.useResConnect, this.stochastic_depth);
  }
}
markPureForward(MBConv, FusedMBConv);

/** EfficientNet's classifier: `classifier[1]` reads as the Linear it is built with and accepts any module. */
export interface EfficientNetClassifier extends Sequential {
  get 1(): Linear;
  set 1(m: Module);
}

/** Options of the EfficientNet constructor. */
export interface EfficientNetOptions {
  /** The largest stochastic depth probability, reached by the last block (default 0.2). */
  stochasticDepthProb?: number;
  numClasses?: number;
  /** Default BatchNorm2d. */
  normLayer?: NormLayer | null;
  /** Channels of the last convolution (default 4 times the last stage's). */
  lastChannel?: number | null;
}

/** EfficientNet ("EfficientNet: Rethinking Model Scaling for CNNs") and EfficientNetV2, from stage configurations. */
export class EfficientNet extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare features: Sequential;
  declare avgpool: Module;
  declare classifier: EfficientNetClassifier;

  constructor(invertedResidualSetting: _MBConvConfig[], dropout: number, opts: EfficientNetOptions = {}) {
    super();
    if (!Array.isArray(invertedResidualSetting) || invertedResidualSetting.length === 0) throw new RangeError('The inverted_residual_setting should not be empty');
    if (!invertedResidualSetting.every((s) => s instanceof _MBConvConfig)) throw new TypeError('The inverted_residual_setting should be List[MBConvConfig]');
    const norm = opts.normLayer ?? batchNorm2d;
    const sdProb = opts.stochasticDepthProb ?? 0.2;
    const layers: Module[] = [new Conv2dNormActivation(3, invertedResidualSetting[0].inputChannels, { kernelSize: 3, stride: 2, normLayer: norm, activationLayer: silu })];
    const totalStageBlocks = invertedResidualSetting.reduce((a, c) => a + c.numLayers, 0);
    let stageBlockId = 0;
    for (const cnf of invertedResidualSetting) {
      const stage: Module[] = [];
      for (let i = 0; i < cnf.numLayers; i++) {
        const blockCnf = cnf.copy();
        if (stage.length > 0) {
          blockCnf.inputChannels = blockCnf.outChannels;
          blockCnf.stride = 1;
        }
        const p = (sdProb * stageBlockId) / totalStageBlocks;
        stage.push(new blockCnf.block(blockCnf, p, norm));
        stageBlockId++;
      }
      layers.push(new Sequential(...stage));
    }
    const lastIn = invertedResidualSetting[invertedResidualSetting.length - 1].outChannels;
    const lastOut = opts.lastChannel ?? 4 * lastIn;
    layers.push(new Conv2dNormActivation(lastIn, lastOut, { kernelSize: 1, normLayer: norm, activationLayer: silu }));
    this.features = new Sequential(...layers);
    this.avgpool = new AdaptiveAvgPool2d(1);
    this.classifier = new Sequential(new Dropout(dropout, true), new Linear(lastOut, opts.numClasses ?? 1000)) as EfficientNetClassifier;
    for (const m of this.modules()) {
      if (m instanceof Conv2d) {
        init.kaimingNormal_(m.weight, { mode: 'fan_out' });
        if (m.bias !== null) init.zeros_(m.bias);
      } else if (m instanceof BatchNorm2d || m instanceof GroupNorm) {
        init.ones_(m.weight as Tensor);
        init.zeros_(m.bias as Tensor);
      } else if (m instanceof Linear) {
        const range = 1.0 / Math.sqrt(m.outFeatures);
        init.uniform_(m.weight, -range, range);
        init.zeros_(m.bias as Tensor);
      }
    }
  }

  override forward(x: Tensor): Tensor {
    return run(x, [this.features, this.avgpool, (t) => t.flatten(1), this.classifier]);
  }
}
markPureForward(EfficientNet);

/** The stage configurations and last channel count of an EfficientNet architecture. */
export function efficientnetConf(arch: string, widthMult = 1.0, depthMult = 1.0): [_MBConvConfig[], number | null] {
  if (arch.startsWith('efficientnet_b')) {
    const b = (e: number, k: number, s: number, i: number, o: number, n: number) => new MBConvConfig(e, k, s, i, o, n, widthMult, depthMult);
    return [[b(1, 3, 1, 32, 16, 1), b(6, 3, 2, 16, 24, 2), b(6, 5, 2, 24, 40, 2), b(6, 3, 2, 40, 80, 3), b(6, 5, 1, 80, 112, 3), b(6, 5, 2, 112, 192, 4), b(6, 3, 1, 192, 320, 1)], null];
  }
  const F = (e: number, k: number, s: number, i: number, o: number, n: number) => new FusedMBConvConfig(e, k, s, i, o, n);
  const M = (e: number, k: number, s: number, i: number, o: number, n: number) => new MBConvConfig(e, k, s, i, o, n);
  if (arch.startsWith('efficientnet_v2_s')) {
    return [[F(1, 3, 1, 24, 24, 2), F(4, 3, 2, 24, 48, 4), F(4, 3, 2, 48, 64, 4), M(4, 3, 2, 64, 128, 6), M(6, 3, 1, 128, 160, 9), M(6, 3, 2, 160, 256, 15)], 1280];
  }
  if (arch.startsWith('efficientnet_v2_m')) {
    return [[F(1, 3, 1, 24, 24, 3), F(4, 3, 2, 24, 48, 5), F(4, 3, 2, 48, 80, 5), M(4, 3, 2, 80, 160, 7), M(6, 3, 1, 160, 176, 14), M(6, 3, 2, 176, 304, 18), M(6, 3, 1, 304, 512, 5)], 1280];
  }
  if (arch.startsWith('efficientnet_v2_l')) {
    return [[F(1, 3, 1, 32, 32, 4), F(4, 3, 2, 32, 64, 7), F(4, 3, 2, 64, 96, 7), M(4, 3, 2, 96, 192, 10), M(6, 3, 1, 192, 224, 19), M(6, 3, 2, 224, 384, 25), M(6, 3, 1, 384, 640, 7)], 1280];
  }
  throw new RangeError(`Unsupported model type ${arch}`);
}

/** The weights of efficientnet_b0. */
export const EfficientNet_B0_Weights = weightsEnum('EfficientNet_B0_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/efficientnet_b0_rwightman-3dd342df.pth',
    transforms: { cropSize: 224, resizeSize: 256, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 5288548, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#efficientnet-v1',
      _metrics: { 'ImageNet-1K': { 'acc@1': 77.692, 'acc@5': 93.532 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of efficientnet_b1. */
export const EfficientNet_B1_Weights = weightsEnum('EfficientNet_B1_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/efficientnet_b1_rwightman-533bc792.pth',
    transforms: { cropSize: 240, resizeSize: 256, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 7794184, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#efficientnet-v1',
      _metrics: { 'ImageNet-1K': { 'acc@1': 78.642, 'acc@5': 94.186 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/efficientnet_b1-c27df63c.pth',
    transforms: { cropSize: 240, resizeSize: 255, interpolation: 'bilinear' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 7794184, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe-with-lr-wd-crop-tuning',
      _metrics: { 'ImageNet-1K': { 'acc@1': 79.838, 'acc@5': 94.934 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of efficientnet_b2. */
export const EfficientNet_B2_Weights = weightsEnum('EfficientNet_B2_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/efficientnet_b2_rwightman-bcdf34b7.pth',
    transforms: { cropSize: 288, resizeSize: 288, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 9109994, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#efficientnet-v1',
      _metrics: { 'ImageNet-1K': { 'acc@1': 80.608, 'acc@5': 95.31 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of efficientnet_b3. */
export const EfficientNet_B3_Weights = weightsEnum('EfficientNet_B3_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/efficientnet_b3_rwightman-cf984f9c.pth',
    transforms: { cropSize: 300, resizeSize: 320, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 12233232, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#efficientnet-v1',
      _metrics: { 'ImageNet-1K': { 'acc@1': 82.008, 'acc@5': 96.054 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of efficientnet_b4. */
export const EfficientNet_B4_Weights = weightsEnum('EfficientNet_B4_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/efficientnet_b4_rwightman-7eb33cd5.pth',
    transforms: { cropSize: 380, resizeSize: 384, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 19341616, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#efficientnet-v1',
      _metrics: { 'ImageNet-1K': { 'acc@1': 83.384, 'acc@5': 96.594 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of efficientnet_b5. */
export const EfficientNet_B5_Weights = weightsEnum('EfficientNet_B5_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/efficientnet_b5_lukemelas-b6417697.pth',
    transforms: { cropSize: 456, resizeSize: 456, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 30389784, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#efficientnet-v1',
      _metrics: { 'ImageNet-1K': { 'acc@1': 83.444, 'acc@5': 96.628 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of efficientnet_b6. */
export const EfficientNet_B6_Weights = weightsEnum('EfficientNet_B6_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/efficientnet_b6_lukemelas-c76e70fd.pth',
    transforms: { cropSize: 528, resizeSize: 528, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 43040704, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#efficientnet-v1',
      _metrics: { 'ImageNet-1K': { 'acc@1': 84.008, 'acc@5': 96.916 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of efficientnet_b7. */
export const EfficientNet_B7_Weights = weightsEnum('EfficientNet_B7_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/efficientnet_b7_lukemelas-dcc49843.pth',
    transforms: { cropSize: 600, resizeSize: 600, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 66347960, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#efficientnet-v1',
      _metrics: { 'ImageNet-1K': { 'acc@1': 84.122, 'acc@5': 96.908 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of efficientnet_v2_s. */
export const EfficientNet_V2_S_Weights = weightsEnum('EfficientNet_V2_S_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/efficientnet_v2_s-dd5fe13b.pth',
    transforms: { cropSize: 384, resizeSize: 384, interpolation: 'bilinear' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 21458488, min_size: [33, 33],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#efficientnet-v2',
      _metrics: { 'ImageNet-1K': { 'acc@1': 84.228, 'acc@5': 96.878 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of efficientnet_v2_m. */
export const EfficientNet_V2_M_Weights = weightsEnum('EfficientNet_V2_M_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/efficientnet_v2_m-dc08266a.pth',
    transforms: { cropSize: 480, resizeSize: 480, interpolation: 'bilinear' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 54139356, min_size: [33, 33],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#efficientnet-v2',
      _metrics: { 'ImageNet-1K': { 'acc@1': 85.112, 'acc@5': 97.156 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of efficientnet_v2_l. */
export const EfficientNet_V2_L_Weights = weightsEnum('EfficientNet_V2_L_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/efficientnet_v2_l-59c71312.pth',
    transforms: { cropSize: 480, resizeSize: 480, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 118515272, min_size: [33, 33],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#efficientnet-v2',
      _metrics: { 'ImageNet-1K': { 'acc@1': 85.808, 'acc@5': 97.788 } },
    },
  },
}, 'IMAGENET1K_V1');
/** Options of the EfficientNet builders. */
export interface EfficientNetBuilderOptions<K extends string = string> extends ModelOptions<K> {
  /** The largest stochastic depth probability (default 0.2). */
  stochasticDepthProb?: number;
  /** Dropout before the classifier (default: the architecture's, 0.2 to 0.5). */
  dropout?: number;
}

const bnEps3Mom01: NormLayer = (n) => new BatchNorm2d(n, { eps: 0.001, momentum: 0.01 });
const bnEps3: NormLayer = (n) => new BatchNorm2d(n, { eps: 1e-3 });

function efficientnet(name: string, weights: WeightsEnum, dropout: number, widthMult: number, depthMult: number, normLayer: NormLayer | null, opts: EfficientNetBuilderOptions | undefined): Promise<EfficientNet> {
  const o = opts ?? {};
  return buildModel(name, weights, o, (numClasses) => {
    const [setting, lastChannel] = efficientnetConf(name, widthMult, depthMult);
    return new EfficientNet(setting, o.dropout ?? dropout, { numClasses, lastChannel, normLayer, stochasticDepthProb: o.stochasticDepthProb });
  }, { options: ['stochasticDepthProb', 'dropout'] });
}

type Opts<E> = EfficientNetBuilderOptions<WeightsName<E>>;

/** EfficientNet-B0. */
export const efficientnet_b0 = registerModel('efficientnet_b0', (opts?: Opts<typeof EfficientNet_B0_Weights>) => efficientnet('efficientnet_b0', EfficientNet_B0_Weights, 0.2, 1.0, 1.0, null, opts), EfficientNet_B0_Weights);
/** EfficientNet-B1. */
export const efficientnet_b1 = registerModel('efficientnet_b1', (opts?: Opts<typeof EfficientNet_B1_Weights>) => efficientnet('efficientnet_b1', EfficientNet_B1_Weights, 0.2, 1.0, 1.1, null, opts), EfficientNet_B1_Weights);
/** EfficientNet-B2. */
export const efficientnet_b2 = registerModel('efficientnet_b2', (opts?: Opts<typeof EfficientNet_B2_Weights>) => efficientnet('efficientnet_b2', EfficientNet_B2_Weights, 0.3, 1.1, 1.2, null, opts), EfficientNet_B2_Weights);
/** EfficientNet-B3. */
export const efficientnet_b3 = registerModel('efficientnet_b3', (opts?: Opts<typeof EfficientNet_B3_Weights>) => efficientnet('efficientnet_b3', EfficientNet_B3_Weights, 0.3, 1.2, 1.4, null, opts), EfficientNet_B3_Weights);
/** EfficientNet-B4. */
export const efficientnet_b4 = registerModel('efficientnet_b4', (opts?: Opts<typeof EfficientNet_B4_Weights>) => efficientnet('efficientnet_b4', EfficientNet_B4_Weights, 0.4, 1.4, 1.8, null, opts), EfficientNet_B4_Weights);
/** EfficientNet-B5. */
export const efficientnet_b5 = registerModel('efficientnet_b5', (opts?: Opts<typeof EfficientNet_B5_Weights>) => efficientnet('efficientnet_b5', EfficientNet_B5_Weights, 0.4, 1.6, 2.2, bnEps3Mom01, opts), EfficientNet_B5_Weights);
/** EfficientNet-B6. */
export const efficientnet_b6 = registerModel('efficientnet_b6', (opts?: Opts<typeof EfficientNet_B6_Weights>) => efficientnet('efficientnet_b6', EfficientNet_B6_Weights, 0.5, 1.8, 2.6, bnEps3Mom01, opts), EfficientNet_B6_Weights);
/** EfficientNet-B7. */
export const efficientnet_b7 = registerModel('efficientnet_b7', (opts?: Opts<typeof EfficientNet_B7_Weights>) => efficientnet('efficientnet_b7', EfficientNet_B7_Weights, 0.5, 2.0, 3.1, bnEps3Mom01, opts), EfficientNet_B7_Weights);
/** EfficientNetV2-S ("EfficientNetV2: Smaller Models and Faster Training"). */
export const efficientnet_v2_s = registerModel('efficientnet_v2_s', (opts?: Opts<typeof EfficientNet_V2_S_Weights>) => efficientnet('efficientnet_v2_s', EfficientNet_V2_S_Weights, 0.2, 1.0, 1.0, bnEps3, opts), EfficientNet_V2_S_Weights);
/** EfficientNetV2-M. */
export const efficientnet_v2_m = registerModel('efficientnet_v2_m', (opts?: Opts<typeof EfficientNet_V2_M_Weights>) => efficientnet('efficientnet_v2_m', EfficientNet_V2_M_Weights, 0.3, 1.0, 1.0, bnEps3, opts), EfficientNet_V2_M_Weights);
/** EfficientNetV2-L. */
export const efficientnet_v2_l = registerModel('efficientnet_v2_l', (opts?: Opts<typeof EfficientNet_V2_L_Weights>) => efficientnet('efficientnet_v2_l', EfficientNet_V2_L_Weights, 0.4, 1.0, 1.0, bnEps3, opts), EfficientNet_V2_L_Weights);
