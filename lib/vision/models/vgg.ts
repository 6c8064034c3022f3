// VGG, as torchvision/models/vgg.py: `features` (convolutions, optionally with BatchNorm, and max pools),
// `avgpool` to 7x7 and `classifier` (three Linear layers with ReLU and Dropout), with torchvision's names and
// initialisation. `vgg.classifier[6]` is the last layer: replace it with any module.
import { Tensor } from '../../tensor';
import { Module, markPureForward } from '../../nn/module';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { BatchNorm2d } from '../../nn/batchnorm';
import { ReLU } from '../../nn/activation';
import { Dropout } from '../../nn/dropout';
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/pooling';
import { Linear } from '../../nn/linear';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, registerModel, weightsEnum, WeightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { run } from './_utils';

/** VGG's classifier: `classifier[6]` reads as the Linear it is built with and accepts any module. */
export interface VGGClassifier extends Sequential {
  get 6(): Linear;
  set 6(m: Module);
}

/** Options of the VGG constructor. */
export interface VGGOptions {
  /** Classes of the last Linear (default 1000). */
  numClasses?: number;
  /** Initialise as torchvision does (default true; false when weights are loaded anyway). */
  initWeights?: boolean;
  /** Dropout probability of the classifier (default 0.5). */
  dropout?: number;
}

/** VGG ("Very Deep Convolutional Networks for Large-Scale Image Recognition") over the given `features`. */
export class VGG extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare features: Sequential;
  declare avgpool: Module;
  declare classifier: VGGClassifier;

  constructor(features: Module, opts: VGGOptions = {}) {
    super();
    const dropout = opts.dropout ?? 0.5;
    this.features = features as Sequential;
    this.avgpool = new AdaptiveAvgPool2d([7, 7]);
    this.classifier = new Sequential(
      new Linear(512 * 7 * 7, 4096), new ReLU(true), new Dropout(dropout),
      new Linear(4096, 4096), new ReLU(true), new Dropout(dropout),
      new Linear(4096, opts.numClasses ?? 1000),
    ) as VGGClassifier;
    if (opts.initWeights ?? true) {
      for (const m of this.modules()) {
        if (m instanceof Conv2d) {
          init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
          if (m.bias !== null) init.constant_(m.bias, 0);
        } else if (m instanceof BatchNorm2d) {
          init.constant_(m.weight as Tensor, 1);
          init.constant_(m.bias as Tensor, 0);
        } else if (m instanceof Linear) {
          init.normal_(m.weight, 0, 0.01);
          init.constant_(m.bias as Tensor, 0);
        }
      }
    }
  }

  override forward(x: Tensor): Tensor {
    return run(x, [this.features, this.avgpool, (t) => t.flatten(1), this.classifier]);
  }
}
markPureForward(VGG);

/** The layers of a VGG configuration: numbers are 3x3 convolutions of that many channels, 'M' a 2x2 max pool. */
export function makeLayers(cfg: readonly (number | 'M')[], batchNorm = false): Sequential {
  const layers: Module[] = [];
  let inChannels = 3;
  for (const v of cfg) {
    if (v === 'M') {
      layers.push(new MaxPool2d(2, { stride: 2 }));
    } else {
      const conv = new Conv2d(inChannels, v, 3, { padding: 1 });
      if (batchNorm) layers.push(conv, new BatchNorm2d(v), new ReLU(true));
      else layers.push(conv, new ReLU(true));
      inChannels = v;
    }
  }
  return new Sequential(...layers);
}

/** The configurations of VGG-11 (A), -13 (B), -16 (D) and -19 (E). */
export const cfgs: Readonly<Record<'A' | 'B' | 'D' | 'E', readonly (number | 'M')[]>> = {
  A: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  B: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  D: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  E: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};

// ---------------------------------------------------------------------------------------------- weights

/** The weights of vgg11. */
export const VGG11_Weights = weightsEnum('VGG11_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/vgg11-8a719046.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 132863336, min_size: [32, 32],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#alexnet-and-vgg',
      _metrics: { 'ImageNet-1K': { 'acc@1': 69.02, 'acc@5': 88.628 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of vgg11_bn. */
export const VGG11_BN_Weights = weightsEnum('VGG11_BN_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/vgg11_bn-6002323d.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 132868840, min_size: [32, 32],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#alexnet-and-vgg',
      _metrics: { 'ImageNet-1K': { 'acc@1': 70.37, 'acc@5': 89.81 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of vgg13. */
export const VGG13_Weights = weightsEnum('VGG13_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/vgg13-19584684.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 133047848, min_size: [32, 32],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#alexnet-and-vgg',
      _metrics: { 'ImageNet-1K': { 'acc@1': 69.928, 'acc@5': 89.246 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of vgg13_bn. */
export const VGG13_BN_Weights = weightsEnum('VGG13_BN_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/vgg13_bn-abd245e5.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 133053736, min_size: [32, 32],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#alexnet-and-vgg',
      _metrics: { 'ImageNet-1K': { 'acc@1': 71.586, 'acc@5': 90.374 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of vgg16. */
export const VGG16_Weights = weightsEnum('VGG16_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/vgg16-397923af.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 138357544, min_size: [32, 32],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#alexnet-and-vgg',
      _metrics: { 'ImageNet-1K': { 'acc@1': 71.592, 'acc@5': 90.382 } },
    },
  },
  IMAGENET1K_FEATURES: {
    url: 'https://download.pytorch.org/models/vgg16_features-amdegroot-88682ab5.pth',
    transforms: { cropSize: 224, mean: [0.48235, 0.45882, 0.40784], std: [0.00392156862745098, 0.00392156862745098, 0.00392156862745098] },
    meta: {
      categories: null, num_params: 138357544, min_size: [32, 32],
      recipe: 'https://github.com/amdegroot/ssd.pytorch#training-ssd',
      _metrics: { 'ImageNet-1K': { 'acc@1': NaN, 'acc@5': NaN } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of vgg16_bn. */
export const VGG16_BN_Weights = weightsEnum('VGG16_BN_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/vgg16_bn-6c64b313.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 138365992, min_size: [32, 32],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#alexnet-and-vgg',
      _metrics: { 'ImageNet-1K': { 'acc@1': 73.36, 'acc@5': 91.516 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of vgg19. */
export const VGG19_Weights = weightsEnum('VGG19_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 143667240, min_size: [32, 32],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#alexnet-and-vgg',
      _metrics: { 'ImageNet-1K': { 'acc@1': 72.376, 'acc@5': 90.876 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of vgg19_bn. */
export const VGG19_BN_Weights = weightsEnum('VGG19_BN_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/vgg19_bn-c79401a0.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 143678248, min_size: [32, 32],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#alexnet-and-vgg',
      _metrics: { 'ImageNet-1K': { 'acc@1': 74.218, 'acc@5': 91.842 } },
    },
  },
}, 'IMAGENET1K_V1');
// ---------------------------------------------------------------------------------------------- builders

/** Options of the VGG builders. */
export interface VGGBuilderOptions<K extends string = string> extends ModelOptions<K> {
  /** Dropout probability of the classifier (default 0.5). */
  dropout?: number;
}

function vgg(name: string, weights: WeightsEnum, cfg: keyof typeof cfgs, batchNorm: boolean, opts: VGGBuilderOptions | undefined): Promise<VGG> {
  const o = opts ?? {};
  return buildModel(name, weights, o, (numClasses, w) => new VGG(makeLayers(cfgs[cfg], batchNorm), { numClasses, initWeights: w === null, dropout: o.dropout }), {
    options: ['dropout'],
  });
}

type Opts<E> = VGGBuilderOptions<WeightsName<E>>;

/** VGG-11 (configuration A). */
export const vgg11 = registerModel('vgg11', (opts?: Opts<typeof VGG11_Weights>) => vgg('vgg11', VGG11_Weights, 'A', false, opts), VGG11_Weights);
/** VGG-11 with BatchNorm. */
export const vgg11_bn = registerModel('vgg11_bn', (opts?: Opts<typeof VGG11_BN_Weights>) => vgg('vgg11_bn', VGG11_BN_Weights, 'A', true, opts), VGG11_BN_Weights);
/** VGG-13 (configuration B). */
export const vgg13 = registerModel('vgg13', (opts?: Opts<typeof VGG13_Weights>) => vgg('vgg13', VGG13_Weights, 'B', false, opts), VGG13_Weights);
/** VGG-13 with BatchNorm. */
export const vgg13_bn = registerModel('vgg13_bn', (opts?: Opts<typeof VGG13_BN_Weights>) => vgg('vgg13_bn', VGG13_BN_Weights, 'B', true, opts), VGG13_BN_Weights);
/** VGG-16 (configuration D). */
export const vgg16 = registerModel('vgg16', (opts?: Opts<typeof VGG16_Weights>) => vgg('vgg16', VGG16_Weights, 'D', false, opts), VGG16_Weights);
/** VGG-16 with BatchNorm. */
export const vgg16_bn = registerModel('vgg16_bn', (opts?: Opts<typeof VGG16_BN_Weights>) => vgg('vgg16_bn', VGG16_BN_Weights, 'D', true, opts), VGG16_BN_Weights);
/** VGG-19 (configuration E). */
export const vgg19 = registerModel('vgg19', (opts?: Opts<typeof VGG19_Weights>) => vgg('vgg19', VGG19_Weights, 'E', false, opts), VGG19_Weights);
/** VGG-19 with BatchNorm. */
export const vgg19_bn = registerModel('vgg19_bn', (opts?: Opts<typeof VGG19_BN_Weights>) => vgg('vgg19_bn', VGG19_BN_Weights, 'E', true, opts), VGG19_BN_Weights);
