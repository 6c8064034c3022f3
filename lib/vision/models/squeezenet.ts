// SqueezeNet 1.0 and 1.1, as torchvision/models/squeezenet.py: `features` (Fire modules and max pools) and
// `classifier` (Dropout, a 1x1 convolution to the classes, ReLU, global average pooling).
import { Tensor } from '../../tensor';
import { cat } from '../../functions';
import { Module, markPureForward } from '../../nn/module';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { ReLU } from '../../nn/activation';
import { Dropout } from '../../nn/dropout';
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/pooling';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, registerModel, weightsEnum, WeightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { run, runOwned, release } from './_utils';

/** The Fire module: a 1x1 squeeze, then 1x1 and 3x3 expansions concatenated. */
export class Fire extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  inplanes: number;
  declare squeeze: Conv2d;
  declare squeeze_activation: Module;
  declare expand1x1: Conv2d;
  declare expand1x1_activation: Module;
  declare expand3x3: Conv2d;
  declare expand3x3_activation: Module;

  constructor(inplanes: number, squeezePlanes: number, expand1x1Planes: number, expand3x3Planes: number) {
    super();
    this.inplanes = inplanes;
    this.squeeze = new Conv2d(inplanes, squeezePlanes, 1);
    this.squeeze_activation = new ReLU(true);
    this.expand1x1 = new Conv2d(squeezePlanes, expand1x1Planes, 1);
    this.expand1x1_activation = new ReLU(true);
    this.expand3x3 = new Conv2d(squeezePlanes, expand3x3Planes, 3, { padding: 1 });
    this.expand3x3_activation = new ReLU(true);
  }

  override forward(x: Tensor): Tensor {
    const [s, sOwned] = runOwned(x, [this.squeeze, this.squeeze_activation]);
    const [a, aOwned] = runOwned(s, [this.expand1x1, this.expand1x1_activation]);
    const [b, bOwned] = runOwned(s, [this.expand3x3, this.expand3x3_activation]);
    const out = cat([a, b], 1);
    release(a, aOwned, x, s);
    release(b, bOwned, x, s);
    release(s, sOwned, x);
    return out;
  }
}
markPureForward(Fire);

/** SqueezeNet's classifier: `classifier[1]` is the convolution to the classes (replace it for other classes). */
export interface SqueezeNetClassifier extends Sequential {
  get 1(): Conv2d;
  set 1(m: Module);
}

/** SqueezeNet ("SqueezeNet: AlexNet-level accuracy with 50x fewer parameters"), version '1_0' or '1_1'. */
export class SqueezeNet extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  numClasses: number;
  declare features: Sequential;
  declare classifier: SqueezeNetClassifier;

  constructor(version: '1_0' | '1_1' = '1_0', opts: { numClasses?: number; dropout?: number } = {}) {
    super();
    this.numClasses = opts.numClasses ?? 1000;
    const pool = () => new MaxPool2d(3, { stride: 2, ceilMode: true });
    if (version === '1_0') {
      this.features = new Sequential(
        new Conv2d(3, 96, 7, { stride: 2 }), new ReLU(true), pool(),
        new Fire(96, 16, 64, 64), new Fire(128, 16, 64, 64), new Fire(128, 32, 128, 128), pool(),
        new Fire(256, 32, 128, 128), new Fire(256, 48, 192, 192), new Fire(384, 48, 192, 192), new Fire(384, 64, 256, 256), pool(),
        new Fire(512, 64, 256, 256),
      );
    } else if (version === '1_1') {
      this.features = new Sequential(
        new Conv2d(3, 64, 3, { stride: 2 }), new ReLU(true), pool(),
        new Fire(64, 16, 64, 64), new Fire(128, 16, 64, 64), pool(),
        new Fire(128, 32, 128, 128), new Fire(256, 32, 128, 128), pool(),
        new Fire(256, 48, 192, 192), new Fire(384, 48, 192, 192), new Fire(384, 64, 256, 256), new Fire(512, 64, 256, 256),
      );
    } else {
      throw new RangeError(`Unsupported SqueezeNet version ${String(version)}: 1_0 or 1_1 expected`);
    }
    const finalConv = new Conv2d(512, this.numClasses, 1);
    this.classifier = new Sequential(new Dropout(opts.dropout ?? 0.5), finalConv, new ReLU(true), new AdaptiveAvgPool2d([1, 1])) as SqueezeNetClassifier;
    for (const m of this.modules()) {
      if (m instanceof Conv2d) {
        if (m === finalConv) init.normal_(m.weight, 0.0, 0.01);
        else init.kaimingUniform_(m.weight);
        if (m.bias !== null) init.constant_(m.bias, 0);
      }
    }
  }

  override forward(x: Tensor): Tensor {
    return run(x, [this.features, this.classifier, (t) => t.flatten(1)]);
  }
}
markPureForward(SqueezeNet);

/** The weights of squeezenet1_0. */
export const SqueezeNet1_0_Weights = weightsEnum('SqueezeNet1_0_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/squeezenet1_0-b66bff10.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 1248424, min_size: [21, 21],
      recipe: 'https://github.com/pytorch/vision/pull/49#issuecomment-277560717',
      _metrics: { 'ImageNet-1K': { 'acc@1': 58.092, 'acc@5': 80.42 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of squeezenet1_1. */
export const SqueezeNet1_1_Weights = weightsEnum('SqueezeNet1_1_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/squeezenet1_1-b8a52dc0.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 1235496, min_size: [17, 17],
      recipe: 'https://github.com/pytorch/vision/pull/49#issuecomment-277560717',
      _metrics: { 'ImageNet-1K': { 'acc@1': 58.178, 'acc@5': 80.624 } },
    },
  },
}, 'IMAGENET1K_V1');
/** Options of the SqueezeNet builders. */
export interface SqueezeNetBuilderOptions<K extends string = string> extends ModelOptions<K> {
  /** Dropout before the final convolution (default 0.5). */
  dropout?: number;
}

function squeezenet(name: string, weights: WeightsEnum, version: '1_0' | '1_1', opts: SqueezeNetBuilderOptions | undefined): Promise<SqueezeNet> {
  return buildModel(name, weights, opts, (numClasses) => new SqueezeNet(version, { numClasses, dropout: opts?.dropout }), { options: ['dropout'] });
}

/** SqueezeNet 1.0. */
export const squeezenet1_0 = registerModel(
  'squeezenet1_0', (opts?: SqueezeNetBuilderOptions<WeightsName<typeof SqueezeNet1_0_Weights>>) => squeezenet('squeezenet1_0', SqueezeNet1_0_Weights, '1_0', opts), SqueezeNet1_0_Weights,
);
/** SqueezeNet 1.1 (2.4x less computation than 1.0, same accuracy). */
export const squeezenet1_1 = registerModel(
  'squeezenet1_1', (opts?: SqueezeNetBuilderOptions<WeightsName<typeof SqueezeNet1_1_Weights>>) => squeezenet('squeezenet1_1', SqueezeNet1_1_Weights, '1_1', opts), SqueezeNet1_1_Weights,
);
