// AlexNet, as torchvision/models/alexnet.py (the "one weird trick" variant): `features`, `avgpool` to 6x6 and
// `classifier`, whose last layer `classifier[6]` can be replaced by any module.
import { Tensor } from '../../tensor';
import { Module, markPureForward } from '../../nn/module';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { ReLU } from '../../nn/activation';
import { Dropout } from '../../nn/dropout';
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/pooling';
import { Linear } from '../../nn/linear';
import { ModelOptions, buildModel, registerModel, weightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { run } from './_utils';

/** AlexNet's classifier: `classifier[6]` reads as the Linear it is built with and accepts any module. */
export interface AlexNetClassifier extends Sequential {
  get 6(): Linear;
  set 6(m: Module);
}

/** AlexNet ("One weird trick for parallelizing convolutional neural networks"). */
export class AlexNet extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare features: Sequential;
  declare avgpool: Module;
  declare classifier: AlexNetClassifier;

  constructor(opts: { numClasses?: number; dropout?: number } = {}) {
    super();
    const dropout = opts.dropout ?? 0.5;
    this.features = new Sequential(
      new Conv2d(3, 64, 11, { stride: 4, padding: 2 }), new ReLU(true), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(64, 192, 5, { padding: 2 }), new ReLU(true), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(192, 384, 3, { padding: 1 }), new ReLU(true),
      new Conv2d(384, 256, 3, { padding: 1 }), new ReLU(true),
      new Conv2d(256, 256, 3, { padding: 1 }), new ReLU(true), new MaxPool2d(3, { stride: 2 }),
    );
    this.avgpool = new AdaptiveAvgPool2d([6, 6]);
    this.classifier = new Sequential(
      new Dropout(dropout), new Linear(256 * 6 * 6, 4096), new ReLU(true),
      new Dropout(dropout), new Linear(4096, 4096), new ReLU(true),
      new Linear(4096, opts.numClasses ?? 1000),
    ) as AlexNetClassifier;
  }

  override forward(x: Tensor): Tensor {
    return run(x, [this.features, this.avgpool, (t) => t.flatten(1), this.classifier]);
  }
}
markPureForward(AlexNet);

/** The weights of alexnet. */
export const AlexNet_Weights = weightsEnum('AlexNet_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/alexnet-owt-7be5be79.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 61100840, min_size: [63, 63],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#alexnet-and-vgg',
      _metrics: { 'ImageNet-1K': { 'acc@1': 56.522, 'acc@5': 79.066 } },
    },
  },
}, 'IMAGENET1K_V1');
/** Options of the AlexNet builder. */
export interface AlexNetBuilderOptions<K extends string = string> extends ModelOptions<K> {
  /** Dropout probability of the classifier (default 0.5). */
  dropout?: number;
}

/** AlexNet. */
export const alexnet = registerModel(
  'alexnet',
  (opts?: AlexNetBuilderOptions<WeightsName<typeof AlexNet_Weights>>) =>
    buildModel('alexnet', AlexNet_Weights, opts, (numClasses) => new AlexNet({ numClasses, dropout: opts?.dropout }), { options: ['dropout'] }),
  AlexNet_Weights,
);
