// ResNet, ResNeXt and Wide ResNet, as torchvision/models/resnet.py: the same module tree (`conv1`, `bn1`,
// `layer1`..`layer4` of BasicBlock/Bottleneck, `fc`), so state-dict keys are torchvision's and its checkpoints
// load; the same initialisation calls in the same order, so the same seed gives the same weights.
import { Tensor } from '../../tensor';
import { Module, markPureForward } from '../../nn/module';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { BatchNorm2d } from '../../nn/batchnorm';
import { GroupNorm } from '../../nn/normalization';
import { ReLU } from '../../nn/activation';
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/pooling';
import { Linear } from '../../nn/linear';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, overwriteNamedParam, registerModel, weightsEnum, WeightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { run, runOwned, isPure, release } from './_utils';
import { NormLayer, batchNorm2d } from './_ops';


/** A 3x3 convolution with padding, no bias. */
export function conv3x3(inPlanes: number, outPlanes: number, stride = 1, groups = 1, dilation = 1): Conv2d {
  return new Conv2d(inPlanes, outPlanes, 3, { stride, padding: dilation, groups, bias: false, dilation });
}

/** A 1x1 convolution, no bias. */
export function conv1x1(inPlanes: number, outPlanes: number, stride = 1): Conv2d {
  return new Conv2d(inPlanes, outPlanes, 1, { stride, bias: false });
}

/** Adds the shortcut to the residual branch in place and applies the final ReLU, freeing what the block made. */
function residualTail(out: Tensor, outFreeable: boolean, x: Tensor, downsample: Module | null, relu: Module): Tensor {
  const identity = downsample ? (downsample.forward(x) as Tensor) : x;
  out.add_(identity);
  if (downsample) release(identity, isPure(downsample), x, out);
  return run(out, [relu], outFreeable);
}

/** The two-convolution residual block of ResNet-18/34 (expansion 1). */
export class BasicBlock extends Module {
  /** Output channels per `planes`. */
  static readonly expansion: number = 1;
  /** @internal Its forward frees only what it made, when its children are library modules. */
  static readonly _pureIfChildrenAre = true;
  declare conv1: Conv2d;
  declare bn1: Module;
  declare relu: Module;
  declare conv2: Conv2d;
  declare bn2: Module;
  declare downsample: Module | null;
  stride: number;

  constructor(inplanes: number, planes: number, stride = 1, downsample: Module | null = null, groups = 1, baseWidth = 64, dilation = 1, normLayer: NormLayer | null = null) {
    super();
    const norm = normLayer ?? batchNorm2d;
    if (groups !== 1 || baseWidth !== 64) throw new RangeError('BasicBlock only supports groups=1 and base_width=64');
    if (dilation > 1) throw new RangeError('Dilation > 1 not supported in BasicBlock');
    this.conv1 = conv3x3(inplanes, planes, stride);
    this.bn1 = norm(planes);
    this.relu = new ReLU(true);
    this.conv2 = conv3x3(planes, planes);
    this.bn2 = norm(planes);
    this.downsample = downsample;
    this.stride = stride;
  }

  override forward(x: Tensor): Tensor {
    const [out, freeable] = runOwned(x, [this.conv1, this.bn1, this.relu, this.conv2, this.bn2]);
    return residualTail(out, freeable && out !== x, x, this.downsample, this.relu);
  }
}

/**
 * The bottleneck block of ResNet-50 and deeper (expansion 4), with the stride on the 3x3 convolution
 * (ResNet V1.5, as torchvision).
 */
export class Bottleneck extends Module {
  /** Output channels per `planes`. */
  static readonly expansion: number = 4;
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare conv1: Conv2d;
  declare bn1: Module;
  declare conv2: Conv2d;
  declare bn2: Module;
  declare conv3: Conv2d;
  declare bn3: Module;
  declare relu: Module;
  declare downsample: Module | null;
  stride: number;

  constructor(inplanes: number, planes: number, stride = 1, downsample: Module | null = null, groups = 1, baseWidth = 64, dilation = 1, normLayer: NormLayer | null = null) {
    super();
    const norm = normLayer ?? batchNorm2d;
    const width = Math.trunc(planes * (baseWidth / 64.0)) * groups;
    this.conv1 = conv1x1(inplanes, width);
    this.bn1 = norm(width);
    this.conv2 = conv3x3(width, width, stride, groups, dilation);
    this.bn2 = norm(width);
    this.conv3 = conv1x1(width, planes * Bottleneck.expansion);
    this.bn3 = norm(planes * Bottleneck.expansion);
    this.relu = new ReLU(true);
    this.downsample = downsample;
    this.stride = stride;
  }

  override forward(x: Tensor): Tensor {
    const [out, freeable] = runOwned(x, [this.conv1, this.bn1, this.relu, this.conv2, this.bn2, this.relu, this.conv3, this.bn3]);
    return residualTail(out, freeable && out !== x, x, this.downsample, this.relu);
  }
}
markPureForward(BasicBlock, Bottleneck);

/** BasicBlock or Bottleneck (or a subclass with the same constructor). */
export type ResNetBlock = (new (inplanes: number, planes: number, stride?: number, downsample?: Module | null, groups?: number, baseWidth?: number, dilation?: number, normLayer?: NormLayer | null) => Module) & { expansion: number };

/** Options of the ResNet constructor (torchvision's keyword arguments). */
export interface ResNetOptions {
  /** Classes of `fc` (default 1000). */
  numClasses?: number;
  /** Start each residual branch's last BatchNorm at zero weight, so blocks start as identities. */
  zeroInitResidual?: boolean;
  /** Groups of the 3x3 convolutions (ResNeXt). */
  groups?: number;
  /** Base width of the bottleneck (Wide ResNet: 128). */
  widthPerGroup?: number;
  /** For layer2..layer4: replace the stride 2 with a dilated convolution. */
  replaceStrideWithDilation?: [boolean, boolean, boolean] | null;
  /** The normalization layer (default BatchNorm2d). */
  normLayer?: NormLayer | null;
}

/**
 * ResNet ("Deep Residual Learning for Image Recognition"): `new ResNet(Bottleneck, [3, 4, 6, 3])` is ResNet-50.
 * `model.fc` is the classifier: replace it with any module (`model.fc = new nn.Linear(model.fc.inFeatures, 10)`).
 */
export class ResNet extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare conv1: Conv2d;
  declare bn1: Module;
  declare relu: Module;
  declare maxpool: Module;
  declare layer1: Sequential;
  declare layer2: Sequential;
  declare layer3: Sequential;
  declare layer4: Sequential;
  declare avgpool: Module;
  /** @internal */
  _normLayer: NormLayer;
  inplanes: number;
  dilation: number;
  groups: number;
  baseWidth: number;

  constructor(block: ResNetBlock, layers: number[], opts: ResNetOptions = {}) {
    super();
    const norm = opts.normLayer ?? batchNorm2d;
    this._normLayer = norm;
    this.inplanes = 64;
    this.dilation = 1;
    const replace = opts.replaceStrideWithDilation ?? [false, false, false];
    if (!Array.isArray(replace) || replace.length !== 3) {
      throw new RangeError(`replace_stride_with_dilation should be None or a 3-element tuple, got ${String(replace)}`);
    }
    if (!Array.isArray(layers) || layers.length !== 4) throw new RangeError(`layers must be 4 block counts, got ${String(layers)}`);
    this.groups = opts.groups ?? 1;
    this.baseWidth = opts.widthPerGroup ?? 64;
    this.conv1 = new Conv2d(3, this.inplanes, 7, { stride: 2, padding: 3, bias: false });
    this.bn1 = norm(this.inplanes);
    this.relu = new ReLU(true);
    this.maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });
    this.layer1 = this._makeLayer(block, 64, layers[0]);
    this.layer2 = this._makeLayer(block, 128, layers[1], 2, replace[0]);
    this.layer3 = this._makeLayer(block, 256, layers[2], 2, replace[1]);
    this.layer4 = this._makeLayer(block, 512, layers[3], 2, replace[2]);
    this.avgpool = new AdaptiveAvgPool2d([1, 1]);
    this.fc = new Linear(512 * block.expansion, opts.numClasses ?? 1000);

    for (const m of this.modules()) {
      if (m instanceof Conv2d) {
        init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
      } else if (m instanceof BatchNorm2d || m instanceof GroupNorm) {
        init.constant_(m.weight as Tensor, 1);
        init.constant_(m.bias as Tensor, 0);
      }
    }
    if (opts.zeroInitResidual) {
      for (const m of this.modules()) {
        if (m instanceof Bottleneck && (m.bn3 as BatchNorm2d).weight) init.constant_((m.bn3 as BatchNorm2d).weight as Tensor, 0);
        else if (m instanceof BasicBlock && (m.bn2 as BatchNorm2d).weight) init.constant_((m.bn2 as BatchNorm2d).weight as Tensor, 0);
      }
    }
  }

  /** @internal Builds `layerN`: `blocks` blocks, the first with the stride and the shortcut projection. */
  _makeLayer(block: ResNetBlock, planes: number, blocks: number, stride = 1, dilate = false): Sequential {
    const norm = this._normLayer;
    let downsample: Module | null = null;
    const previousDilation = this.dilation;
    if (dilate) {
      this.dilation *= stride;
      stride = 1;
    }
    if (stride !== 1 || this.inplanes !== planes * block.expansion) {
      downsample = new Sequential(conv1x1(this.inplanes, planes * block.expansion, stride), norm(planes * block.expansion));
    }
    const layers: Module[] = [new block(this.inplanes, planes, stride, downsample, this.groups, this.baseWidth, previousDilation, norm)];
    this.inplanes = planes * block.expansion;
    for (let i = 1; i < blocks; i++) layers.push(new block(this.inplanes, planes, 1, null, this.groups, this.baseWidth, this.dilation, norm));
    return new Sequential(...layers);
  }

  override forward(x: Tensor): Tensor {
    return run(x, [
      this.conv1, this.bn1, this.relu, this.maxpool, this.layer1, this.layer2, this.layer3, this.layer4, this.avgpool,
      (t) => t.flatten(1), this.fc,
    ]);
  }
}
// The classifier slot reads as the Linear it is built with and accepts any module (`model.fc = new nn.Sequential(...)`).
export interface ResNet {
  get fc(): Linear;
  set fc(m: Module);
}
markPureForward(ResNet);

// ---------------------------------------------------------------------------------------------- weights

/** The weights of resnet18. */
export const ResNet18_Weights = weightsEnum('ResNet18_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/resnet18-f37072fd.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 11689512, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#resnet',
      _metrics: { 'ImageNet-1K': { 'acc@1': 69.758, 'acc@5': 89.078 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of resnet34. */
export const ResNet34_Weights = weightsEnum('ResNet34_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/resnet34-b627a593.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 21797672, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#resnet',
      _metrics: { 'ImageNet-1K': { 'acc@1': 73.314, 'acc@5': 91.42 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of resnet50. */
export const ResNet50_Weights = weightsEnum('ResNet50_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/resnet50-0676ba61.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 25557032, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#resnet',
      _metrics: { 'ImageNet-1K': { 'acc@1': 76.13, 'acc@5': 92.862 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/resnet50-11ad3fa6.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 25557032, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#issuecomment-1013906621',
      _metrics: { 'ImageNet-1K': { 'acc@1': 80.858, 'acc@5': 95.434 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of resnet101. */
export const ResNet101_Weights = weightsEnum('ResNet101_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/resnet101-63fe2227.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 44549160, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#resnet',
      _metrics: { 'ImageNet-1K': { 'acc@1': 77.374, 'acc@5': 93.546 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/resnet101-cd907fc2.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 44549160, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 81.886, 'acc@5': 95.78 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of resnet152. */
export const ResNet152_Weights = weightsEnum('ResNet152_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/resnet152-394f9c45.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 60192808, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#resnet',
      _metrics: { 'ImageNet-1K': { 'acc@1': 78.312, 'acc@5': 94.046 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/resnet152-f82ba261.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 60192808, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 82.284, 'acc@5': 96.002 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of resnext50_32x4d. */
export const ResNeXt50_32X4D_Weights = weightsEnum('ResNeXt50_32X4D_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/resnext50_32x4d-7cdf4587.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 25028904, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#resnext',
      _metrics: { 'ImageNet-1K': { 'acc@1': 77.618, 'acc@5': 93.698 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/resnext50_32x4d-1a0047aa.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 25028904, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 81.198, 'acc@5': 95.34 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of resnext101_32x8d. */
export const ResNeXt101_32X8D_Weights = weightsEnum('ResNeXt101_32X8D_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/resnext101_32x8d-8ba56ff5.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 88791336, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#resnext',
      _metrics: { 'ImageNet-1K': { 'acc@1': 79.312, 'acc@5': 94.526 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/resnext101_32x8d-110c445d.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 88791336, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe-with-fixres',
      _metrics: { 'ImageNet-1K': { 'acc@1': 82.834, 'acc@5': 96.228 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of resnext101_64x4d. */
export const ResNeXt101_64X4D_Weights = weightsEnum('ResNeXt101_64X4D_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/resnext101_64x4d-173b62eb.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 83455272, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/pull/5935',
      _metrics: { 'ImageNet-1K': { 'acc@1': 83.246, 'acc@5': 96.454 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of wide_resnet50_2. */
export const Wide_ResNet50_2_Weights = weightsEnum('Wide_ResNet50_2_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/wide_resnet50_2-95faca4d.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 68883240, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/pull/912#issue-445437439',
      _metrics: { 'ImageNet-1K': { 'acc@1': 78.468, 'acc@5': 94.086 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/wide_resnet50_2-9ba9bcbe.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 68883240, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe-with-fixres',
      _metrics: { 'ImageNet-1K': { 'acc@1': 81.602, 'acc@5': 95.758 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of wide_resnet101_2. */
export const Wide_ResNet101_2_Weights = weightsEnum('Wide_ResNet101_2_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/wide_resnet101_2-32ee1156.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 126886696, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/pull/912#issue-445437439',
      _metrics: { 'ImageNet-1K': { 'acc@1': 78.848, 'acc@5': 94.284 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/wide_resnet101_2-d733dc28.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 126886696, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 82.51, 'acc@5': 96.02 } },
    },
  },
}, 'IMAGENET1K_V2');

// ---------------------------------------------------------------------------------------------- builders

/** Options of the ResNet builders: the weights, and ResNet's own options. */
export interface ResNetBuilderOptions<K extends string = string> extends ModelOptions<K>, Omit<ResNetOptions, 'numClasses'> {}

const RESNET_OPTIONS = ['zeroInitResidual', 'groups', 'widthPerGroup', 'replaceStrideWithDilation', 'normLayer'];

function resnet(
  name: string, weights: WeightsEnum, block: ResNetBlock, layers: number[], opts: ResNetBuilderOptions | undefined,
  fixed: { groups?: number; widthPerGroup?: number } = {},
): Promise<ResNet> {
  const o = opts ?? {};
  const groups = fixed.groups === undefined ? o.groups : overwriteNamedParam('groups', o.groups, fixed.groups);
  const widthPerGroup = fixed.widthPerGroup === undefined ? o.widthPerGroup : overwriteNamedParam('widthPerGroup', o.widthPerGroup, fixed.widthPerGroup);
  const make = (numClasses: number) =>
    new ResNet(block, layers, {
      numClasses, zeroInitResidual: o.zeroInitResidual, groups, widthPerGroup, replaceStrideWithDilation: o.replaceStrideWithDilation, normLayer: o.normLayer,
    });
  return buildModel(name, weights, o, make, { options: RESNET_OPTIONS });
}

type Opts<E> = ResNetBuilderOptions<WeightsName<E>>;

/** ResNet-18 ("Deep Residual Learning for Image Recognition"). */
export const resnet18 = registerModel('resnet18', (opts?: Opts<typeof ResNet18_Weights>) => resnet('resnet18', ResNet18_Weights, BasicBlock, [2, 2, 2, 2], opts), ResNet18_Weights);
/** ResNet-34. */
export const resnet34 = registerModel('resnet34', (opts?: Opts<typeof ResNet34_Weights>) => resnet('resnet34', ResNet34_Weights, BasicBlock, [3, 4, 6, 3], opts), ResNet34_Weights);
/** ResNet-50. */
export const resnet50 = registerModel('resnet50', (opts?: Opts<typeof ResNet50_Weights>) => resnet('resnet50', ResNet50_Weights, Bottleneck, [3, 4, 6, 3], opts), ResNet50_Weights);
/** ResNet-101. */
export const resnet101 = registerModel('resnet101', (opts?: Opts<typeof ResNet101_Weights>) => resnet('resnet101', ResNet101_Weights, Bottleneck, [3, 4, 23, 3], opts), ResNet101_Weights);
/** ResNet-152. */
export const resnet152 = registerModel('resnet152', (opts?: Opts<typeof ResNet152_Weights>) => resnet('resnet152', ResNet152_Weights, Bottleneck, [3, 8, 36, 3], opts), ResNet152_Weights);
/** ResNeXt-50 32x4d ("Aggregated Residual Transformation for Deep Neural Networks"). */
export const resnext50_32x4d = registerModel(
  'resnext50_32x4d',
  (opts?: Opts<typeof ResNeXt50_32X4D_Weights>) => resnet('resnext50_32x4d', ResNeXt50_32X4D_Weights, Bottleneck, [3, 4, 6, 3], opts, { groups: 32, widthPerGroup: 4 }),
  ResNeXt50_32X4D_Weights,
);
/** ResNeXt-101 32x8d. */
export const resnext101_32x8d = registerModel(
  'resnext101_32x8d',
  (opts?: Opts<typeof ResNeXt101_32X8D_Weights>) => resnet('resnext101_32x8d', ResNeXt101_32X8D_Weights, Bottleneck, [3, 4, 23, 3], opts, { groups: 32, widthPerGroup: 8 }),
  ResNeXt101_32X8D_Weights,
);
/** ResNeXt-101 64x4d. */
export const resnext101_64x4d = registerModel(
  'resnext101_64x4d',
  (opts?: Opts<typeof ResNeXt101_64X4D_Weights>) => resnet('resnext101_64x4d', ResNeXt101_64X4D_Weights, Bottleneck, [3, 4, 23, 3], opts, { groups: 64, widthPerGroup: 4 }),
  ResNeXt101_64X4D_Weights,
);
/** Wide ResNet-50-2 ("Wide Residual Networks"): the bottleneck twice as wide. */
export const wide_resnet50_2 = registerModel(
  'wide_resnet50_2',
  (opts?: Opts<typeof Wide_ResNet50_2_Weights>) => resnet('wide_resnet50_2', Wide_ResNet50_2_Weights, Bottleneck, [3, 4, 6, 3], opts, { widthPerGroup: 128 }),
  Wide_ResNet50_2_Weights,
);
/** Wide ResNet-101-2. */
export const wide_resnet101_2 = registerModel(
  'wide_resnet101_2',
  (opts?: Opts<typeof Wide_ResNet101_2_Weights>) => resnet('wide_resnet101_2', Wide_ResNet101_2_Weights, Bottleneck, [3, 4, 23, 3], opts, { widthPerGroup: 128 }),
  Wide_ResNet101_2_Weights,
);
