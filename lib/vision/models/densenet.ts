// DenseNet-BC, as torchvision/models/densenet.py: `features` (conv0, norm0, relu0, pool0, then denseblockN of
// _DenseLayer and transitionN, then norm5) and `classifier` (a Linear), with torchvision's names and
// initialisation. Official checkpoints use the old key names (`norm.1.weight`); they are renamed on load as
// torchvision does.
import { Tensor } from '../../tensor';
import { cat } from '../../functions';
import { Module, markPureForward } from '../../nn/module';
import { Sequential, ModuleDict } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { BatchNorm2d } from '../../nn/batchnorm';
import { ReLU } from '../../nn/activation';
import { MaxPool2d, AvgPool2d } from '../../nn/pooling';
import { Linear } from '../../nn/linear';
import * as F from '../../nn/functional';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, modelKwargs, registerModel, weightsEnum, WeightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { isPure, run, runOwned } from './_utils';

/** One layer of a dense block: BN-ReLU-Conv1x1 over the concatenated earlier features, then BN-ReLU-Conv3x3. */
export class _DenseLayer extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare norm1: BatchNorm2d;
  declare relu1: Module;
  declare conv1: Conv2d;
  declare norm2: BatchNorm2d;
  declare relu2: Module;
  declare conv2: Conv2d;
  dropRate: number;
  memoryEfficient: boolean;

  constructor(numInputFeatures: number, growthRate: number, bnSize: number, dropRate: number, memoryEfficient = false) {
    super();
    if (memoryEfficient) throw new RangeError('DenseNet: memoryEfficient (gradient checkpointing) is not supported');
    this.norm1 = new BatchNorm2d(numInputFeatures);
    this.relu1 = new ReLU(true);
    this.conv1 = new Conv2d(numInputFeatures, bnSize * growthRate, 1, { stride: 1, bias: false });
    this.norm2 = new BatchNorm2d(bnSize * growthRate);
    this.relu2 = new ReLU(true);
    this.conv2 = new Conv2d(bnSize * growthRate, growthRate, 3, { stride: 1, padding: 1, bias: false });
    this.dropRate = dropRate;
    this.memoryEfficient = memoryEfficient;
  }

  /** The bottleneck: conv1(relu1(norm1(cat(inputs, 1)))). */
  bnFunction(inputs: Tensor[]): Tensor {
    return this.bottleneck(inputs)[0];
  }

  private bottleneck(inputs: Tensor[]): [Tensor, boolean] {
    const concated = cat(inputs, 1);
    const [out, owned] = runOwned(concated, [this.norm1, this.relu1, this.conv1], true);
    return [out, owned && !inputs.includes(out)];
  }

  /** The new features from one tensor or the list of all earlier features. */
  override forward(input: Tensor | Tensor[]): Tensor {
    const prev = input instanceof Tensor ? [input] : input;
    const [bottleneck, bOwned] = this.bottleneck(prev);
    const [out, owned] = runOwned(bottleneck, [this.norm2, this.relu2, this.conv2], bOwned);
    if (this.dropRate > 0) {
      const dropped = F.dropout(out, this.dropRate, this.training);
      if (owned && dropped !== out) out.dispose();
      return dropped;
    }
    return out;
  }
}

/** A dense block: each layer sees the concatenation of the block's input and every earlier layer's output. */
export class _DenseBlock extends ModuleDict {
  /** @internal */
  static readonly _pureIfChildrenAre = true;

  constructor(numLayers: number, numInputFeatures: number, bnSize: number, growthRate: number, dropRate: number, memoryEfficient = false) {
    super();
    for (let i = 0; i < numLayers; i++) {
      this.addModule(`denselayer${i + 1}`, new _DenseLayer(numInputFeatures + i * growthRate, growthRate, bnSize, dropRate, memoryEfficient));
    }
  }

  override forward(initFeatures: Tensor): Tensor {
    const features = [initFeatures];
    const owned: boolean[] = [false];
    for (const [, layer] of this.items()) {
      features.push(layer.forward(features) as Tensor);
      owned.push(isPure(layer));
    }
    const out = cat(features, 1);
    features.forEach((t, i) => {
      if (owned[i] && t !== initFeatures) t.dispose();
    });
    return out;
  }
}

/** The transition between dense blocks: BN, ReLU, 1x1 convolution halving the channels, 2x2 average pooling. */
export class _Transition extends Sequential {
  declare norm: BatchNorm2d;
  declare relu: Module;
  declare conv: Conv2d;
  declare pool: Module;

  constructor(numInputFeatures: number, numOutputFeatures: number) {
    super();
    this.norm = new BatchNorm2d(numInputFeatures);
    this.relu = new ReLU(true);
    this.conv = new Conv2d(numInputFeatures, numOutputFeatures, 1, { stride: 1, bias: false });
    this.pool = new AvgPool2d(2, { stride: 2 });
  }
}
markPureForward(_DenseLayer, _DenseBlock, _Transition);

/** Options of the DenseNet constructor (torchvision's keyword arguments). */
export interface DenseNetOptions {
  /** Channels each layer adds (k in the paper; default 32). */
  growthRate?: number;
  /** Layers per dense block (default [6, 12, 24, 16]). */
  blockConfig?: number[];
  /** Channels of the first convolution (default 64). */
  numInitFeatures?: number;
  /** Bottleneck width as a multiple of growthRate (default 4). */
  bnSize?: number;
  /** Dropout after each dense layer (default 0). */
  dropRate?: number;
  numClasses?: number;
  /** Gradient checkpointing: not supported (must be false). */
  memoryEfficient?: boolean;
}

/** DenseNet-BC ("Densely Connected Convolutional Networks"). `model.classifier` is the Linear head. */
export class DenseNet extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare features: Sequential;

  constructor(opts: DenseNetOptions = {}) {
    super();
    const growthRate = opts.growthRate ?? 32;
    const blockConfig = opts.blockConfig ?? [6, 12, 24, 16];
    const numInit = opts.numInitFeatures ?? 64;
    const bnSize = opts.bnSize ?? 4;
    const dropRate = opts.dropRate ?? 0;
    this.features = new Sequential(new Map<string, Module>([
      ['conv0', new Conv2d(3, numInit, 7, { stride: 2, padding: 3, bias: false })],
      ['norm0', new BatchNorm2d(numInit)],
      ['relu0', new ReLU(true)],
      ['pool0', new MaxPool2d(3, { stride: 2, padding: 1 })],
    ]));
    let numFeatures = numInit;
    blockConfig.forEach((numLayers, i) => {
      this.features.addModule(`denseblock${i + 1}`, new _DenseBlock(numLayers, numFeatures, bnSize, growthRate, dropRate, opts.memoryEfficient ?? false));
      numFeatures += numLayers * growthRate;
      if (i !== blockConfig.length - 1) {
        this.features.addModule(`transition${i + 1}`, new _Transition(numFeatures, Math.floor(numFeatures / 2)));
        numFeatures = Math.floor(numFeatures / 2);
      }
    });
    this.features.addModule('norm5', new BatchNorm2d(numFeatures));
    this.classifier = new Linear(numFeatures, opts.numClasses ?? 1000);
    for (const m of this.modules()) {
      if (m instanceof Conv2d) {
        init.kaimingNormal_(m.weight);
      } else if (m instanceof BatchNorm2d) {
        init.constant_(m.weight as Tensor, 1);
        init.constant_(m.bias as Tensor, 0);
      } else if (m instanceof Linear) {
        init.constant_(m.bias as Tensor, 0);
      }
    }
  }

  override forward(x: Tensor): Tensor {
    return run(x, [this.features, (t) => F.relu(t, true), (t) => F.adaptiveAvgPool2d(t, [1, 1]), (t) => t.flatten(1), this.classifier]);
  }
}
// The classifier slot reads as the Linear it is built with and accepts any module.
export interface DenseNet {
  get classifier(): Linear;
  set classifier(m: Module);
}
markPureForward(DenseNet);

const OLD_KEY = /^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$/;

/** Renames the keys of the original DenseNet checkpoints (`denselayer1.norm.1.weight` → `denselayer1.norm1.weight`). */
export function renameLegacyKeys(stateDict: Record<string, Tensor>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(stateDict)) {
    const m = OLD_KEY.exec(k);
    out[m ? m[1] + m[2] : k] = v;
  }
  return out;
}

/** The weights of densenet121. */
export const DenseNet121_Weights = weightsEnum('DenseNet121_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/densenet121-a639ec97.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 7978856, min_size: [29, 29],
      recipe: 'https://github.com/pytorch/vision/pull/116',
      _metrics: { 'ImageNet-1K': { 'acc@1': 74.434, 'acc@5': 91.972 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of densenet161. */
export const DenseNet161_Weights = weightsEnum('DenseNet161_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/densenet161-8d451a50.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 28681000, min_size: [29, 29],
      recipe: 'https://github.com/pytorch/vision/pull/116',
      _metrics: { 'ImageNet-1K': { 'acc@1': 77.138, 'acc@5': 93.56 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of densenet169. */
export const DenseNet169_Weights = weightsEnum('DenseNet169_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/densenet169-b2777c0a.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 14149480, min_size: [29, 29],
      recipe: 'https://github.com/pytorch/vision/pull/116',
      _metrics: { 'ImageNet-1K': { 'acc@1': 75.6, 'acc@5': 92.806 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of densenet201. */
export const DenseNet201_Weights = weightsEnum('DenseNet201_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/densenet201-c1103571.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 20013928, min_size: [29, 29],
      recipe: 'https://github.com/pytorch/vision/pull/116',
      _metrics: { 'ImageNet-1K': { 'acc@1': 76.896, 'acc@5': 93.37 } },
    },
  },
}, 'IMAGENET1K_V1');
/** Options of the DenseNet builders. */
export interface DenseNetBuilderOptions<K extends string = string> extends ModelOptions<K> {
  bnSize?: number;
  dropRate?: number;
  memoryEfficient?: boolean;
}

function densenet(name: string, weights: WeightsEnum, growthRate: number, blockConfig: number[], numInitFeatures: number, opts: DenseNetBuilderOptions | undefined): Promise<DenseNet> {
  return buildModel(name, weights, opts, (numClasses) => new DenseNet({ ...modelKwargs(opts), growthRate, blockConfig, numInitFeatures, numClasses }), {
    options: ['bnSize', 'dropRate', 'memoryEfficient'],
    adjust: renameLegacyKeys,
  });
}

type Opts<E> = DenseNetBuilderOptions<WeightsName<E>>;

/** DenseNet-121. */
export const densenet121 = registerModel('densenet121', (opts?: Opts<typeof DenseNet121_Weights>) => densenet('densenet121', DenseNet121_Weights, 32, [6, 12, 24, 16], 64, opts), DenseNet121_Weights);
/** DenseNet-161. */
export const densenet161 = registerModel('densenet161', (opts?: Opts<typeof DenseNet161_Weights>) => densenet('densenet161', DenseNet161_Weights, 48, [6, 12, 36, 24], 96, opts), DenseNet161_Weights);
/** DenseNet-169. */
export const densenet169 = registerModel('densenet169', (opts?: Opts<typeof DenseNet169_Weights>) => densenet('densenet169', DenseNet169_Weights, 32, [6, 12, 32, 32], 64, opts), DenseNet169_Weights);
/** DenseNet-201. */
export const densenet201 = registerModel('densenet201', (opts?: Opts<typeof DenseNet201_Weights>) => densenet('densenet201', DenseNet201_Weights, 32, [6, 12, 48, 32], 64, opts), DenseNet201_Weights);
