// Vision Transformer, as torchvision/models/vision_transformer.py: `conv_proj` (patch embedding),
// `class_token`, `encoder` (`pos_embedding`, `layers.encoder_layer_N` of EncoderBlock, `ln`) and `heads`
// (`heads.head`, the classifier to replace), with torchvision's names and initialisation.
import { Tensor } from '../../tensor';
import { callOp } from '../../dispatch';
import { cat } from '../../functions';
import { zeros, empty } from '../../creation';
import { Module, markPureForward } from '../../nn/module';
import { Parameter, ownedParameter } from '../../nn/parameter';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { LayerNorm } from '../../nn/normalization';
import { GELU, MultiheadAttention, Tanh } from '../../nn/activation';
import { Dropout } from '../../nn/dropout';
import { Linear } from '../../nn/linear';
import * as init from '../../nn/init';
import { ModelOptions, ResolvedWeights, buildModel, overwriteNamedParam, registerModel, weightsEnum, WeightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { Conv2dNormActivation, MLP, NormLayer, ActivationLayer, batchNorm2d, relu } from './_ops';
import { isPure, run, runOwned, release } from './_utils';

const layerNorm6: NormLayer = (n) => new LayerNorm(n, { eps: 1e-6 });

/** The configuration of one convolution of a convolutional stem (instead of the patchify convolution). */
export interface ConvStemConfig {
  outChannels: number;
  kernelSize: number;
  stride: number;
  /** Default BatchNorm2d. */
  normLayer?: NormLayer;
  /** Default ReLU. */
  activationLayer?: ActivationLayer;
}

/** The transformer MLP: Linear, GELU, Dropout, Linear, Dropout, initialised Xavier-uniform with tiny biases. */
export class MLPBlock extends MLP {
  constructor(inDim: number, mlpDim: number, dropout: number) {
    super(inDim, [mlpDim, inDim], { activationLayer: () => new GELU(), inplace: null, dropout });
    for (const m of this.modules()) {
      if (m instanceof Linear) {
        init.xavierUniform_(m.weight);
        if (m.bias !== null) init.normal_(m.bias, 0, 1e-6);
      }
    }
  }

  /** Checkpoints of torchvision < 0.14 name the two Linear layers `linear_1` and `linear_2`: renamed to '0' and '3'. */
  protected override _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, strict: boolean, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[]): void {
    for (let i = 0; i < 2; i++) {
      for (const type of ['weight', 'bias']) {
        const oldKey = `${prefix}linear_${i + 1}.${type}`;
        if (stateDict.has(oldKey)) {
          stateDict.set(`${prefix}${3 * i}.${type}`, stateDict.get(oldKey));
          stateDict.delete(oldKey);
        }
      }
    }
    super._loadFromStateDict(stateDict, prefix, strict, missingKeys, unexpectedKeys, errorMsgs);
  }
}

/** A transformer encoder block: pre-norm self-attention and pre-norm MLP, each with a residual connection. */
export class EncoderBlock extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  numHeads: number;
  declare ln_1: Module;
  declare self_attention: MultiheadAttention;
  declare dropout: Module;
  declare ln_2: Module;
  declare mlp: Module;

  constructor(numHeads: number, hiddenDim: number, mlpDim: number, dropout: number, attentionDropout: number, normLayer: NormLayer = layerNorm6) {
    super();
    this.numHeads = numHeads;
    this.ln_1 = normLayer(hiddenDim);
    this.self_attention = new MultiheadAttention(hiddenDim, numHeads, { dropout: attentionDropout, batchFirst: true });
    this.dropout = new Dropout(dropout);
    this.ln_2 = normLayer(hiddenDim);
    this.mlp = new MLPBlock(hiddenDim, mlpDim, dropout);
  }

  override forward(input: Tensor): Tensor {
    if (input.dim() !== 3) throw new RangeError(`Expected (batch_size, seq_length, hidden_dim) got [${input.shape.join(', ')}]`);
    const [normed, nOwned] = runOwned(input, [this.ln_1]);
    const [attn] = this.self_attention.forward(normed, normed, normed, { needWeights: false });
    release(normed, nOwned && isPure(this.self_attention), input, attn);
    const [dropped, dOwned] = runOwned(attn, [this.dropout], isPure(this.self_attention));
    const x = dropped.add(input);
    release(dropped, dOwned, input);
    const [y, yOwned] = runOwned(x, [this.ln_2, this.mlp]);
    const out = x.add(y);
    release(y, yOwned, x);
    release(x, isPure(this.ln_2) && isPure(this.mlp), out);
    return out;
  }
}

/** The encoder: position embedding, dropout, the blocks (`layers.encoder_layer_N`) and a final norm. */
export class Encoder extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare pos_embedding: Parameter;
  declare dropout: Module;
  declare layers: Sequential;
  declare ln: Module;

  constructor(seqLength: number, numLayers: number, numHeads: number, hiddenDim: number, mlpDim: number, dropout: number, attentionDropout: number, normLayer: NormLayer = layerNorm6) {
    super();
    this.pos_embedding = ownedParameter(init.normal_(empty([1, seqLength, hiddenDim]), 0, 0.02));
    this.dropout = new Dropout(dropout);
    const layers = new Map<string, Module>();
    for (let i = 0; i < numLayers; i++) layers.set(`encoder_layer_${i}`, new EncoderBlock(numHeads, hiddenDim, mlpDim, dropout, attentionDropout, normLayer));
    this.layers = new Sequential(layers);
    this.ln = normLayer(hiddenDim);
  }

  override forward(input: Tensor): Tensor {
    if (input.dim() !== 3) throw new RangeError(`Expected (batch_size, seq_length, hidden_dim) got [${input.shape.join(', ')}]`);
    const x = input.add(this.pos_embedding);
    return run(x, [this.dropout, this.layers, this.ln], true);
  }
}
markPureForward(MLPBlock, EncoderBlock, Encoder);

/** The heads of a VisionTransformer: `heads.head` reads as the Linear it is built with and accepts any module. */
export interface VisionTransformerHeads extends Sequential {
  get head(): Linear;
  set head(m: Module);
}

/** Options of the VisionTransformer constructor (torchvision's keyword arguments). */
export interface VisionTransformerOptions {
  imageSize: number;
  patchSize: number;
  numLayers: number;
  numHeads: number;
  hiddenDim: number;
  mlpDim: number;
  dropout?: number;
  attentionDropout?: number;
  numClasses?: number;
  /** A hidden Linear + Tanh before the head (`heads.pre_logits`). */
  representationSize?: number | null;
  /** Default LayerNorm with eps 1e-6. */
  normLayer?: NormLayer;
  /** A convolutional stem instead of the patchify convolution. */
  convStemConfigs?: ConvStemConfig[] | null;
}

/** Vision Transformer ("An Image is Worth 16x16 Words"). */
export class VisionTransformer extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  imageSize: number;
  patchSize: number;
  hiddenDim: number;
  mlpDim: number;
  attentionDropout: number;
  dropout: number;
  numClasses: number;
  representationSize: number | null;
  normLayer: NormLayer;
  seqLength: number;
  declare conv_proj: Module;
  declare class_token: Parameter;
  declare encoder: Encoder;

  constructor(opts: VisionTransformerOptions) {
    super();
    const { imageSize, patchSize, hiddenDim } = opts;
    if (imageSize % patchSize !== 0) throw new RangeError('Input shape indivisible by patch size!');
    this.imageSize = imageSize;
    this.patchSize = patchSize;
    this.hiddenDim = hiddenDim;
    this.mlpDim = opts.mlpDim;
    this.attentionDropout = opts.attentionDropout ?? 0.0;
    this.dropout = opts.dropout ?? 0.0;
    this.numClasses = opts.numClasses ?? 1000;
    this.representationSize = opts.representationSize ?? null;
    this.normLayer = opts.normLayer ?? layerNorm6;
    if (opts.convStemConfigs) {
      const seqProj = new Sequential();
      let prev = 3;
      opts.convStemConfigs.forEach((c, i) => {
        seqProj.addModule(`conv_bn_relu_${i}`, new Conv2dNormActivation(prev, c.outChannels, {
          kernelSize: c.kernelSize, stride: c.stride, normLayer: c.normLayer ?? batchNorm2d, activationLayer: c.activationLayer ?? relu,
        }));
        prev = c.outChannels;
      });
      seqProj.addModule('conv_last', new Conv2d(prev, hiddenDim, 1));
      this.conv_proj = seqProj;
    } else {
      this.conv_proj = new Conv2d(3, hiddenDim, patchSize, { stride: patchSize });
    }
    let seqLength = Math.floor(imageSize / patchSize) ** 2;
    this.class_token = ownedParameter(zeros([1, 1, hiddenDim]));
    seqLength += 1;
    this.encoder = new Encoder(seqLength, opts.numLayers, opts.numHeads, hiddenDim, opts.mlpDim, this.dropout, this.attentionDropout, this.normLayer);
    this.seqLength = seqLength;
    const heads = new Map<string, Module>();
    if (this.representationSize === null) {
      heads.set('head', new Linear(hiddenDim, this.numClasses));
    } else {
      heads.set('pre_logits', new Linear(hiddenDim, this.representationSize));
      heads.set('act', new Tanh());
      heads.set('head', new Linear(this.representationSize, this.numClasses));
    }
    this.heads = new Sequential(heads) as VisionTransformerHeads;

    const proj = this.conv_proj;
    if (proj instanceof Conv2d) {
      const fanIn = proj.inChannels * proj.kernelSize[0] * proj.kernelSize[1];
      init.truncNormal_(proj.weight, 0, Math.sqrt(1 / fanIn));
      if (proj.bias !== null) init.zeros_(proj.bias);
    } else {
      const last = (proj as Sequential & { conv_last?: Module }).conv_last;
      if (last instanceof Conv2d) {
        init.normal_(last.weight, 0.0, Math.sqrt(2.0 / last.outChannels));
        if (last.bias !== null) init.zeros_(last.bias);
      }
    }
    const preLogits = (this.heads as Sequential & { pre_logits?: Module }).pre_logits;
    if (preLogits instanceof Linear) {
      init.truncNormal_(preLogits.weight, 0, Math.sqrt(1 / preLogits.inFeatures));
      init.zeros_(preLogits.bias as Tensor);
    }
    const head = this.heads.head as Module;
    if (head instanceof Linear) {
      init.zeros_(head.weight);
      init.zeros_(head.bias as Tensor);
    }
  }

  /** @internal The patch embeddings (N, seq, hidden) of an image batch. */
  _processInput(x: Tensor): [Tensor, boolean] {
    const [n, , h, w] = x.shape;
    const p = this.patchSize;
    if (h !== this.imageSize) throw new RangeError(`Wrong image height! Expected ${this.imageSize} but got ${h}!`);
    if (w !== this.imageSize) throw new RangeError(`Wrong image width! Expected ${this.imageSize} but got ${w}!`);
    const [proj, owned] = runOwned(x, [this.conv_proj]);
    const flat = proj.reshape([n, this.hiddenDim, Math.floor(h / p) * Math.floor(w / p)]);
    release(proj, owned && flat !== proj, x);
    const out = flat.permute(0, 2, 1);
    release(flat, owned, x);
    return [out, owned];
  }

  override forward(input: Tensor): Tensor {
    const [x, owned] = this._processInput(input);
    const n = x.size(0);
    const token = this.class_token.expand([n, -1, -1]);
    const seq = cat([token, x], 1);
    token.dispose();
    release(x, owned, input);
    const encoded = this.encoder.forward(seq);
    release(seq, isPure(this.encoder), encoded);
    const first = callOp('select', [encoded, 1, 0]) as Tensor;
    release(encoded, isPure(this.encoder), first);
    return run(first, [this.heads], true);
  }
}
// The heads slot accepts any module, as `heads` of torchvision.
export interface VisionTransformer {
  get heads(): VisionTransformerHeads;
  set heads(m: Module);
}
markPureForward(VisionTransformer);

/** The weights of vit_b_16. */
export const ViT_B_16_Weights = weightsEnum('ViT_B_16_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/vit_b_16-c867db91.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 86567656, min_size: [224, 224],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#vit_b_16',
      _metrics: { 'ImageNet-1K': { 'acc@1': 81.072, 'acc@5': 95.318 } },
    },
  },
  IMAGENET1K_SWAG_E2E_V1: {
    url: 'https://download.pytorch.org/models/vit_b_16_swag-9ac1b537.pth',
    transforms: { cropSize: 384, resizeSize: 384, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 86859496, min_size: [384, 384],
      recipe: 'https://github.com/facebookresearch/SWAG',
      license: 'https://github.com/facebookresearch/SWAG/blob/main/LICENSE',
      _metrics: { 'ImageNet-1K': { 'acc@1': 85.304, 'acc@5': 97.65 } },
    },
  },
  IMAGENET1K_SWAG_LINEAR_V1: {
    url: 'https://download.pytorch.org/models/vit_b_16_lc_swag-4e70ced5.pth',
    transforms: { cropSize: 224, resizeSize: 224, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 86567656, min_size: [224, 224],
      recipe: 'https://github.com/pytorch/vision/pull/5793',
      license: 'https://github.com/facebookresearch/SWAG/blob/main/LICENSE',
      _metrics: { 'ImageNet-1K': { 'acc@1': 81.886, 'acc@5': 96.18 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of vit_b_32. */
export const ViT_B_32_Weights = weightsEnum('ViT_B_32_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/vit_b_32-d86f8d99.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 88224232, min_size: [224, 224],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#vit_b_32',
      _metrics: { 'ImageNet-1K': { 'acc@1': 75.912, 'acc@5': 92.466 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of vit_l_16. */
export const ViT_L_16_Weights = weightsEnum('ViT_L_16_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/vit_l_16-852ce7e3.pth',
    transforms: { cropSize: 224, resizeSize: 242 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 304326632, min_size: [224, 224],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#vit_l_16',
      _metrics: { 'ImageNet-1K': { 'acc@1': 79.662, 'acc@5': 94.638 } },
    },
  },
  IMAGENET1K_SWAG_E2E_V1: {
    url: 'https://download.pytorch.org/models/vit_l_16_swag-4f3808c9.pth',
    transforms: { cropSize: 512, resizeSize: 512, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 305174504, min_size: [512, 512],
      recipe: 'https://github.com/facebookresearch/SWAG',
      license: 'https://github.com/facebookresearch/SWAG/blob/main/LICENSE',
      _metrics: { 'ImageNet-1K': { 'acc@1': 88.064, 'acc@5': 98.512 } },
    },
  },
  IMAGENET1K_SWAG_LINEAR_V1: {
    url: 'https://download.pytorch.org/models/vit_l_16_lc_swag-4d563306.pth',
    transforms: { cropSize: 224, resizeSize: 224, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 304326632, min_size: [224, 224],
      recipe: 'https://github.com/pytorch/vision/pull/5793',
      license: 'https://github.com/facebookresearch/SWAG/blob/main/LICENSE',
      _metrics: { 'ImageNet-1K': { 'acc@1': 85.146, 'acc@5': 97.422 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of vit_l_32. */
export const ViT_L_32_Weights = weightsEnum('ViT_L_32_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/vit_l_32-c7638314.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 306535400, min_size: [224, 224],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#vit_l_32',
      _metrics: { 'ImageNet-1K': { 'acc@1': 76.972, 'acc@5': 93.07 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of vit_h_14. */
export const ViT_H_14_Weights = weightsEnum('ViT_H_14_Weights', {
  IMAGENET1K_SWAG_E2E_V1: {
    url: 'https://download.pytorch.org/models/vit_h_14_swag-80465313.pth',
    transforms: { cropSize: 518, resizeSize: 518, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 633470440, min_size: [518, 518],
      recipe: 'https://github.com/facebookresearch/SWAG',
      license: 'https://github.com/facebookresearch/SWAG/blob/main/LICENSE',
      _metrics: { 'ImageNet-1K': { 'acc@1': 88.552, 'acc@5': 98.694 } },
    },
  },
  IMAGENET1K_SWAG_LINEAR_V1: {
    url: 'https://download.pytorch.org/models/vit_h_14_lc_swag-c1eb923e.pth',
    transforms: { cropSize: 224, resizeSize: 224, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 632045800, min_size: [224, 224],
      recipe: 'https://github.com/pytorch/vision/pull/5793',
      license: 'https://github.com/facebookresearch/SWAG/blob/main/LICENSE',
      _metrics: { 'ImageNet-1K': { 'acc@1': 85.708, 'acc@5': 97.73 } },
    },
  },
}, 'IMAGENET1K_SWAG_E2E_V1');
/** Options of the ViT builders. */
export interface ViTBuilderOptions<K extends string = string> extends ModelOptions<K> {
  /** The input side (default 224; named weights fix it to their size). */
  imageSize?: number;
  dropout?: number;
  attentionDropout?: number;
  representationSize?: number | null;
  normLayer?: NormLayer;
  convStemConfigs?: ConvStemConfig[] | null;
}

function vit(name: string, weights: WeightsEnum, patchSize: number, numLayers: number, numHeads: number, hiddenDim: number, mlpDim: number, opts: ViTBuilderOptions | undefined): Promise<VisionTransformer> {
  const o = opts ?? {};
  return buildModel(name, weights, o, (numClasses, w: ResolvedWeights | null) => {
    let imageSize = o.imageSize ?? 224;
    if (w?.kind === 'enum') imageSize = overwriteNamedParam('imageSize', o.imageSize, w.weights.meta.min_size[0], `the weights ${w.weights} are for ${w.weights.meta.min_size[0]}x${w.weights.meta.min_size[0]} images`);
    return new VisionTransformer({
      imageSize, patchSize, numLayers, numHeads, hiddenDim, mlpDim, numClasses, dropout: o.dropout, attentionDropout: o.attentionDropout,
      representationSize: o.representationSize, normLayer: o.normLayer, convStemConfigs: o.convStemConfigs,
    });
  }, { options: ['imageSize', 'dropout', 'attentionDropout', 'representationSize', 'normLayer', 'convStemConfigs'] });
}

type Opts<E> = ViTBuilderOptions<WeightsName<E>>;

/** ViT-B/16. */
export const vit_b_16 = registerModel('vit_b_16', (opts?: Opts<typeof ViT_B_16_Weights>) => vit('vit_b_16', ViT_B_16_Weights, 16, 12, 12, 768, 3072, opts), ViT_B_16_Weights);
/** ViT-B/32. */
export const vit_b_32 = registerModel('vit_b_32', (opts?: Opts<typeof ViT_B_32_Weights>) => vit('vit_b_32', ViT_B_32_Weights, 32, 12, 12, 768, 3072, opts), ViT_B_32_Weights);
/** ViT-L/16. */
export const vit_l_16 = registerModel('vit_l_16', (opts?: Opts<typeof ViT_L_16_Weights>) => vit('vit_l_16', ViT_L_16_Weights, 16, 24, 16, 1024, 4096, opts), ViT_L_16_Weights);
/** ViT-L/32. */
export const vit_l_32 = registerModel('vit_l_32', (opts?: Opts<typeof ViT_L_32_Weights>) => vit('vit_l_32', ViT_L_32_Weights, 32, 24, 16, 1024, 4096, opts), ViT_L_32_Weights);
/** ViT-H/14. */
export const vit_h_14 = registerModel('vit_h_14', (opts?: Opts<typeof ViT_H_14_Weights>) => vit('vit_h_14', ViT_H_14_Weights, 14, 32, 16, 1280, 5120, opts), ViT_H_14_Weights);
