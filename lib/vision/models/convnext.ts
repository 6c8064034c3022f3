// ConvNeXt, as torchvision/models/convnext.py: `features` (a patchify stem, stages of CNBlock, downsampling
// layers), `avgpool` and `classifier` (LayerNorm2d, Flatten, Linear), with torchvision's names, layer scale,
// stochastic depth schedule and truncated-normal initialisation.
import { Tensor } from '../../tensor';
import { ones } from '../../creation';
import { Module, markPureForward } from '../../nn/module';
import { Parameter, ownedParameter } from '../../nn/parameter';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { LayerNorm } from '../../nn/normalization';
import { GELU } from '../../nn/activation';
import { Flatten } from '../../nn/flatten';
import { AdaptiveAvgPool2d } from '../../nn/pooling';
import { Linear } from '../../nn/linear';
import * as F from '../../nn/functional';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, registerModel, weightsEnum, WeightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { Conv2dNormActivation, Permute, StochasticDepth, NormLayer } from './_ops';
import { run, runOwned, release } from './_utils';

/** LayerNorm over the channels of an (N, C, H, W) tensor. */
export class LayerNorm2d extends LayerNorm {
  override forward(x: Tensor): Tensor {
    const nhwc = x.permute(0, 2, 3, 1);
    const normed = F.layerNorm(nhwc, this.normalizedShape, this.weight, this.bias, this.eps);
    nhwc.dispose();
    const out = normed.permute(0, 3, 1, 2);
    normed.dispose();
    return out;
  }
}

/** ConvNeXt's block: 7x7 depthwise convolution, LayerNorm, MLP with GELU, layer scale, stochastic depth, shortcut. */
export class CNBlock extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare block: Sequential;
  declare layer_scale: Parameter;
  declare stochastic_depth: StochasticDepth;

  constructor(dim: number, layerScale: number, stochasticDepthProb: number, normLayer: NormLayer | null = null) {
    super();
    const norm = normLayer ?? ((n: number) => new LayerNorm(n, { eps: 1e-6 }));
    this.block = new Sequential(
      new Conv2d(dim, dim, 7, { padding: 3, groups: dim, bias: true }),
      new Permute([0, 2, 3, 1]),
      norm(dim),
      new Linear(dim, 4 * dim, { bias: true }),
      new GELU(),
      new Linear(4 * dim, dim, { bias: true }),
      new Permute([0, 3, 1, 2]),
    );
    const scale = ones([dim, 1, 1]);
    this.layer_scale = ownedParameter(scale.mul(layerScale));
    scale.dispose();
    this.stochastic_depth = new StochasticDepth(stochasticDepthProb, 'row');
  }

  override forward(input: Tensor): Tensor {
    const [branch, owned] = runOwned(input, [this.block]);
    const scaled = this.layer_scale.mul(branch);
    release(branch, owned, input);
    const [result] = runOwned(scaled, [this.stochastic_depth], true);
    result.add_(input);
    return result;
  }
}
markPureForward(LayerNorm2d, CNBlock);

/** A ConvNeXt stage: its channels, the channels of the downsampling after it (null for none) and its depth. */
export class CNBlockConfig {
  constructor(
    public inputChannels: number,
    public outChannels: number | null,
    public numLayers: number,
  ) {}

  toString(): string {
    return `CNBlockConfig(input_channels=${this.inputChannels}, out_channels=${this.outChannels ?? 'None'}, num_layers=${this.numLayers})`;
  }
}

/** ConvNeXt's classifier: `classifier[2]` reads as the Linear it is built with and accepts any module. */
export interface ConvNeXtClassifier extends Sequential {
  get 2(): Linear;
  set 2(m: Module);
}

/** Options of the ConvNeXt constructor. */
export interface ConvNeXtOptions {
  /** The largest stochastic depth probability, reached by the last block (default 0). */
  stochasticDepthProb?: number;
  /** Initial layer scale (default 1e-6). */
  layerScale?: number;
  numClasses?: number;
  /** The block class (default CNBlock). */
  block?: new (dim: number, layerScale: number, stochasticDepthProb: number) => Module;
  /** The norm of the stem, downsampling layers and classifier (default LayerNorm2d with eps 1e-6). */
  normLayer?: NormLayer | null;
}

/** ConvNeXt ("A ConvNet for the 2020s") from its stage configurations. */
export class ConvNeXt extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare features: Sequential;
  declare avgpool: Module;
  declare classifier: ConvNeXtClassifier;

  constructor(blockSetting: CNBlockConfig[], opts: ConvNeXtOptions = {}) {
    super();
    if (!Array.isArray(blockSetting) || blockSetting.length === 0) throw new RangeError('The block_setting should not be empty');
    if (!blockSetting.every((s) => s instanceof CNBlockConfig)) throw new TypeError('The block_setting should be List[CNBlockConfig]');
    const block = opts.block ?? CNBlock;
    const norm: NormLayer = opts.normLayer ?? ((n) => new LayerNorm2d(n, { eps: 1e-6 }));
    const sdProb = opts.stochasticDepthProb ?? 0.0;
    const layerScale = opts.layerScale ?? 1e-6;
    const layers: Module[] = [
      new Conv2dNormActivation(3, blockSetting[0].inputChannels, { kernelSize: 4, stride: 4, padding: 0, normLayer: norm, activationLayer: null, bias: true }),
    ];
    const total = blockSetting.reduce((a, c) => a + c.numLayers, 0);
    let id = 0;
    for (const cnf of blockSetting) {
      const stage: Module[] = [];
      for (let i = 0; i < cnf.numLayers; i++) {
        stage.push(new block(cnf.inputChannels, layerScale, (sdProb * id) / (total - 1.0)));
        id++;
      }
      layers.push(new Sequential(...stage));
      if (cnf.outChannels !== null) layers.push(new Sequential(norm(cnf.inputChannels), new Conv2d(cnf.inputChannels, cnf.outChannels, 2, { stride: 2 })));
    }
    this.features = new Sequential(...layers);
    this.avgpool = new AdaptiveAvgPool2d(1);
    const last = blockSetting[blockSetting.length - 1];
    const lastOut = last.outChannels ?? last.inputChannels;
    this.classifier = new Sequential(norm(lastOut), new Flatten(1), new Linear(lastOut, opts.numClasses ?? 1000)) as ConvNeXtClassifier;
    for (const m of this.modules()) {
      if (m instanceof Conv2d || m instanceof Linear) {
        init.truncNormal_(m.weight, 0, 0.02);
        if (m.bias !== null) init.zeros_(m.bias);
      }
    }
  }

  override forward(x: Tensor): Tensor {
    return run(x, [this.features, this.avgpool, this.classifier]);
  }
}
markPureForward(ConvNeXt);

/** The weights of convnext_tiny. */
export const ConvNeXt_Tiny_Weights = weightsEnum('ConvNeXt_Tiny_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/convnext_tiny-983f1562.pth',
    transforms: { cropSize: 224, resizeSize: 236 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 28589128, min_size: [32, 32],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#convnext',
      _metrics: { 'ImageNet-1K': { 'acc@1': 82.52, 'acc@5': 96.146 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of convnext_small. */
export const ConvNeXt_Small_Weights = weightsEnum('ConvNeXt_Small_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/convnext_small-0c510722.pth',
    transforms: { cropSize: 224, resizeSize: 230 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 50223688, min_size: [32, 32],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#convnext',
      _metrics: { 'ImageNet-1K': { 'acc@1': 83.616, 'acc@5': 96.65 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of convnext_base. */
export const ConvNeXt_Base_Weights = weightsEnum('ConvNeXt_Base_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/convnext_base-6075fbad.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 88591464, min_size: [32, 32],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#convnext',
      _metrics: { 'ImageNet-1K': { 'acc@1': 84.062, 'acc@5': 96.87 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of convnext_large. */
export const ConvNeXt_Large_Weights = weightsEnum('ConvNeXt_Large_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/convnext_large-ea097f82.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 197767336, min_size: [32, 32],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#convnext',
      _metrics: { 'ImageNet-1K': { 'acc@1': 84.414, 'acc@5': 96.976 } },
    },
  },
}, 'IMAGENET1K_V1');
/** Options of the ConvNeXt builders. */
export interface ConvNeXtBuilderOptions<K extends string = string> extends ModelOptions<K> {
  /** The largest stochastic depth probability (default 0.1 tiny, 0.4 small, 0.5 base and large). */
  stochasticDepthProb?: number;
  layerScale?: number;
  block?: ConvNeXtOptions['block'];
  normLayer?: NormLayer | null;
}

function convnext(name: string, weights: WeightsEnum, setting: [number, number | null, number][], sdProb: number, opts: ConvNeXtBuilderOptions | undefined): Promise<ConvNeXt> {
  const o = opts ?? {};
  return buildModel(name, weights, o, (numClasses) => new ConvNeXt(setting.map(([i, out, n]) => new CNBlockConfig(i, out, n)), {
    numClasses, stochasticDepthProb: o.stochasticDepthProb ?? sdProb, layerScale: o.layerScale, block: o.block, normLayer: o.normLayer,
  }), { options: ['stochasticDepthProb', 'layerScale', 'block', 'normLayer'] });
}

type Opts<E> = ConvNeXtBuilderOptions<WeightsName<E>>;

/** ConvNeXt-Tiny. */
export const convnext_tiny = registerModel(
  'convnext_tiny',
  (opts?: Opts<typeof ConvNeXt_Tiny_Weights>) => convnext('convnext_tiny', ConvNeXt_Tiny_Weights, [[96, 192, 3], [192, 384, 3], [384, 768, 9], [768, null, 3]], 0.1, opts),
  ConvNeXt_Tiny_Weights,
);
/** ConvNeXt-Small. */
export const convnext_small = registerModel(
  'convnext_small',
  (opts?: Opts<typeof ConvNeXt_Small_Weights>) => convnext('convnext_small', ConvNeXt_Small_Weights, [[96, 192, 3], [192, 384, 3], [384, 768, 27], [768, null, 3]], 0.4, opts),
  ConvNeXt_Small_Weights,
);
/** ConvNeXt-Base. */
export const convnext_base = registerModel(
  'convnext_base',
  (opts?: Opts<typeof ConvNeXt_Base_Weights>) => convnext('convnext_base', ConvNeXt_Base_Weights, [[128, 256, 3], [256, 512, 3], [512, 1024, 27], [1024, null, 3]], 0.5, opts),
  ConvNeXt_Base_Weights,
);
/** ConvNeXt-Large. */
export const convnext_large = registerModel(
  'convnext_large',
  (opts?: Opts<typeof ConvNeXt_Large_Weights>) => convnext('convnext_large', ConvNeXt_Large_Weights, [[192, 384, 3], [384, 768, 3], [768, 1536, 27], [1536, null, 3]], 0.5, opts),
  ConvNeXt_Large_Weights,
);
