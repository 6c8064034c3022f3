// Swin Transformer V1 and V2, as torchvision/models/swin_transformer.py: `features` (patch embedding, stages of
// SwinTransformerBlock(V2), PatchMerging(V2) between them), `norm`, `permute`, `avgpool`, `flatten` and
// `head`, with torchvision's names, buffers (relative position index and coordinates) and initialisation.
import { Tensor, tidy } from '../../tensor';
import { callOp } from '../../dispatch';
import { cat, stack, meshgrid } from '../../functions';
import { zeros, ones, arange, tensor } from '../../creation';
import { Module, markPureForward } from '../../nn/module';
import { Parameter, ownedParameter } from '../../nn/parameter';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { LayerNorm } from '../../nn/normalization';
import { GELU, ReLU } from '../../nn/activation';
import { Flatten } from '../../nn/flatten';
import { AdaptiveAvgPool2d } from '../../nn/pooling';
import { Linear } from '../../nn/linear';
import { noGrad } from '../../autograd';
import * as F from '../../nn/functional';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, registerModel, weightsEnum, WeightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { MLP, Permute, StochasticDepth, NormLayer } from './_ops';
import { isPure, run, runOwned, release } from './_utils';

function slice(x: Tensor, dim: number, start: number, step: number): Tensor {
  return callOp('slice', [x, dim, start, null, step]) as Tensor;
}

/** Pads H and W of [..., H, W, C] to even sizes and stacks the four 2x2 neighbours along C: [..., H/2, W/2, 4C]. */
export function patchMergingPad(x: Tensor): Tensor {
  return tidy(() => {
    const [h, w] = x.shape.slice(-3, -1);
    const p = F.pad(x, [0, 0, 0, w % 2, 0, h % 2]);
    const part = (i: number, j: number) => slice(slice(p, -3, i, 2), -2, j, 2);
    return cat([part(0, 0), part(1, 0), part(0, 1), part(1, 1)], -1);
  });
}

/** Patch merging: 2x2 neighbours concatenated, normalized, then projected from 4C to 2C. */
export class PatchMerging extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  dim: number;
  declare reduction: Linear;
  declare norm: Module;

  constructor(dim: number, normLayer: NormLayer = (n) => new LayerNorm(n)) {
    super();
    this.dim = dim;
    this.reduction = new Linear(4 * dim, 2 * dim, { bias: false });
    this.norm = normLayer(4 * dim);
  }

  override forward(x: Tensor): Tensor {
    return run(patchMergingPad(x), [this.norm, this.reduction], true);
  }
}

/** Patch merging of Swin V2: projected first, then normalized (over 2C). */
export class PatchMergingV2 extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  dim: number;
  declare reduction: Linear;
  declare norm: Module;

  constructor(dim: number, normLayer: NormLayer = (n) => new LayerNorm(n)) {
    super();
    this.dim = dim;
    this.reduction = new Linear(4 * dim, 2 * dim, { bias: false });
    this.norm = normLayer(2 * dim);
  }

  override forward(x: Tensor): Tensor {
    return run(patchMergingPad(x), [this.reduction, this.norm], true);
  }
}

/** Gathers the relative position bias of a window: [1, heads, N, N] from the table by the index. */
export function getRelativePositionBias(table: Tensor, index: Tensor, windowSize: number[]): Tensor {
  return tidy(() => {
    const n = windowSize[0] * windowSize[1];
    const b = table.index([index]).view([n, n, -1]);
    return b.permute(2, 0, 1).contiguous().unsqueeze(0);
  });
}

/** Python's slice bounds on a dimension of `size`: negative from the end, null for the end. */
function bounds(start: number, stop: number | null, size: number): [number, number] {
  const norm = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  return [norm(start), stop === null ? size : norm(stop)];
}

/** Options of shiftedWindowAttention. */
export interface ShiftedWindowAttentionOptions {
  attentionDropout?: number;
  dropout?: number;
  qkvBias?: Tensor | null;
  projBias?: Tensor | null;
  /** Swin V2's per-head logit scale (cosine attention). */
  logitScale?: Tensor | null;
}

/**
 * Window multi-head self-attention with relative position bias, shifted or not (W-MSA / SW-MSA), on [N, H, W, C]
 * inputs, as torchvision's shifted_window_attention (dropouts apply whatever the mode, as there).
 */
export function shiftedWindowAttention(
  input: Tensor, qkvWeight: Tensor, projWeight: Tensor, relativePositionBias: Tensor, windowSize: number[], numHeads: number, shiftSize: number[],
  opts: ShiftedWindowAttentionOptions = {},
): Tensor {
  return tidy(() => {
    const [B, H, W, C] = input.shape;
    const [ws0, ws1] = windowSize;
    const padR = (ws1 - (W % ws1)) % ws1;
    const padB = (ws0 - (H % ws0)) % ws0;
    let x = F.pad(input, [0, 0, 0, padR, 0, padB]);
    const [, pH, pW] = x.shape;
    const shift = [...shiftSize];
    if (ws0 >= pH) shift[0] = 0;
    if (ws1 >= pW) shift[1] = 0;
    const shifted = shift[0] + shift[1] > 0;
    if (shifted) x = callOp('roll', [x, [-shift[0], -shift[1]], [1, 2]]) as Tensor;
    const numWindows = Math.floor(pH / ws0) * Math.floor(pW / ws1);
    x = x.view([B, Math.floor(pH / ws0), ws0, Math.floor(pW / ws1), ws1, C]).permute(0, 1, 3, 2, 4, 5).reshape([B * numWindows, ws0 * ws1, C]);
    let qkvBias = opts.qkvBias ?? null;
    const logitScale = opts.logitScale ?? null;
    if (logitScale !== null && qkvBias !== null) {
      qkvBias = qkvBias.clone();
      const length = Math.floor(qkvBias.numel() / 3);
      qkvBias.narrow(0, length, length).zero_();
    }
    const [n0, n1] = [x.size(0), x.size(1)];
    const qkv = F.linear(x, qkvWeight, qkvBias).reshape([n0, n1, 3, numHeads, Math.floor(C / numHeads)]).permute(2, 0, 3, 1, 4);
    let q = qkv.select(0, 0);
    const k = qkv.select(0, 1);
    const v = qkv.select(0, 2);
    let attn: Tensor;
    if (logitScale !== null) {
      attn = F.normalize(q, { dim: -1 }).matmul(F.normalize(k, { dim: -1 }).transpose(-2, -1));
      const scale = (callOp('clamp', [logitScale, null, Math.log(100.0)]) as Tensor).exp();
      attn = attn.mul(scale);
    } else {
      q = q.mul(Math.pow(Math.floor(C / numHeads), -0.5));
      attn = q.matmul(k.transpose(-2, -1));
    }
    attn = attn.add(relativePositionBias);
    if (shifted) {
      const mask = callOp('new_zeros', [x, [pH, pW]]) as Tensor;
      const hs: [number, number | null][] = [[0, -ws0], [-ws0, -shift[0]], [-shift[0], null]];
      const wsl: [number, number | null][] = [[0, -ws1], [-ws1, -shift[1]], [-shift[1], null]];
      let count = 0;
      noGrad(() => {
        for (const h of hs) {
          for (const w of wsl) {
            const [h0, h1] = bounds(h[0], h[1], pH);
            const [w0, w1] = bounds(w[0], w[1], pW);
            if (h1 > h0 && w1 > w0) mask.narrow(0, h0, h1 - h0).narrow(1, w0, w1 - w0).fill_(count);
            count++;
          }
        }
      });
      let m = mask.view([Math.floor(pH / ws0), ws0, Math.floor(pW / ws1), ws1]).permute(0, 2, 1, 3).reshape([numWindows, ws0 * ws1]);
      m = m.unsqueeze(1).sub(m.unsqueeze(2));
      m = m.maskedFill(m.ne(0), -100.0).maskedFill(m.eq(0), 0.0);
      attn = attn.view([Math.floor(n0 / numWindows), numWindows, numHeads, n1, n1]).add(m.unsqueeze(1).unsqueeze(0)).view([-1, numHeads, n1, n1]);
    }
    attn = F.softmax(attn, { dim: -1 });
    attn = F.dropout(attn, opts.attentionDropout ?? 0.0);
    let out = attn.matmul(v).transpose(1, 2).reshape([n0, n1, C]);
    out = F.linear(out, projWeight, opts.projBias ?? null);
    out = F.dropout(out, opts.dropout ?? 0.0);
    out = out.view([B, Math.floor(pH / ws0), Math.floor(pW / ws1), ws0, ws1, C]).permute(0, 1, 3, 2, 4, 5).reshape([B, pH, pW, C]);
    if (shifted) out = callOp('roll', [out, [shift[0], shift[1]], [1, 2]]) as Tensor;
    return out.narrow(1, 0, H).narrow(2, 0, W).contiguous();
  });
}

/** The relative position index of a window: for each pair of positions, its row in the bias table. */
function relativePositionIndex(windowSize: number[]): Tensor {
  const [wh, ww] = windowSize;
  const n = wh * ww;
  const idx = new BigInt64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dh = Math.floor(i / ww) - Math.floor(j / ww) + wh - 1;
      const dw = (i % ww) - (j % ww) + ww - 1;
      idx[i * n + j] = BigInt(dh * (2 * ww - 1) + dw);
    }
  }
  return tensor(idx);
}

/** Shifted window attention with a learned relative position bias table (Swin V1). */
export class ShiftedWindowAttention extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  windowSize: number[];
  shiftSize: number[];
  numHeads: number;
  attentionDropout: number;
  dropout: number;
  declare qkv: Linear;
  declare proj: Linear;
  declare relative_position_bias_table: Parameter;
  declare relative_position_index: Tensor;

  constructor(dim: number, windowSize: number[], shiftSize: number[], numHeads: number, opts: { qkvBias?: boolean; projBias?: boolean; attentionDropout?: number; dropout?: number } = {}) {
    super();
    if (windowSize.length !== 2 || shiftSize.length !== 2) throw new RangeError('window_size and shift_size must be of length 2');
    this.windowSize = windowSize;
    this.shiftSize = shiftSize;
    this.numHeads = numHeads;
    this.attentionDropout = opts.attentionDropout ?? 0.0;
    this.dropout = opts.dropout ?? 0.0;
    this.qkv = new Linear(dim, dim * 3, { bias: opts.qkvBias ?? true });
    this.proj = new Linear(dim, dim, { bias: opts.projBias ?? true });
    this.defineRelativePositionBiasTable();
    this.defineRelativePositionIndex();
  }

  /** Registers `relative_position_bias_table` ((2Wh-1)(2Ww-1) x heads, truncated normal with std 0.02). */
  defineRelativePositionBiasTable(): void {
    this.relative_position_bias_table = ownedParameter(zeros([(2 * this.windowSize[0] - 1) * (2 * this.windowSize[1] - 1), this.numHeads]));
    init.truncNormal_(this.relative_position_bias_table, 0, 0.02);
  }

  /** Registers the `relative_position_index` buffer. */
  defineRelativePositionIndex(): void {
    this.registerBuffer('relative_position_index', relativePositionIndex(this.windowSize));
  }

  /** The bias added to the attention logits: [1, heads, N, N]. */
  getRelativePositionBias(): Tensor {
    return getRelativePositionBias(this.relative_position_bias_table, this.relative_position_index, this.windowSize);
  }

  override forward(x: Tensor): Tensor {
    const bias = this.getRelativePositionBias();
    const out = shiftedWindowAttention(x, this.qkv.weight, this.proj.weight, bias, this.windowSize, this.numHeads, this.shiftSize, {
      attentionDropout: this.attentionDropout, dropout: this.dropout, qkvBias: this.qkv.bias, projBias: this.proj.bias,
    });
    bias.dispose();
    return out;
  }
}

/** Shifted window attention of Swin V2: cosine attention with a logit scale and a continuous position bias MLP. */
export class ShiftedWindowAttentionV2 extends ShiftedWindowAttention {
  declare logit_scale: Parameter;
  declare cpb_mlp: Sequential;
  declare relative_coords_table: Tensor;

  constructor(dim: number, windowSize: number[], shiftSize: number[], numHeads: number, opts: { qkvBias?: boolean; projBias?: boolean; attentionDropout?: number; dropout?: number } = {}) {
    super(dim, windowSize, shiftSize, numHeads, opts);
    this.logit_scale = ownedParameter(tidy(() => ones([numHeads, 1, 1]).mul(10).log()));
    this.cpb_mlp = new Sequential(new Linear(2, 512, { bias: true }), new ReLU(true), new Linear(512, numHeads, { bias: false }));
    if (opts.qkvBias ?? true) {
      const bias = this.qkv.bias as Tensor;
      const length = Math.floor(bias.numel() / 3);
      noGrad(() => bias.narrow(0, length, length).zero_());
    }
  }

  /** Registers the `relative_coords_table` buffer: log-spaced relative coordinates in [-8, 8] / 3. */
  override defineRelativePositionBiasTable(): void {
    const table = tidy(() => {
      const [wh, ww] = this.windowSize;
      const h = arange(-(wh - 1), wh, { dtype: 'float32' });
      const w = arange(-(ww - 1), ww, { dtype: 'float32' });
      const t = stack(meshgrid([h, w], { indexing: 'ij' })).permute(1, 2, 0).contiguous().unsqueeze(0);
      t.select(3, 0).div_(wh - 1);
      t.select(3, 1).div_(ww - 1);
      t.mul_(8);
      return t.sign().mul(t.abs().add(1.0).log2()).div(3.0);
    });
    this.registerBuffer('relative_coords_table', table);
  }

  override getRelativePositionBias(): Tensor {
    const [raw, owned] = runOwned(this.relative_coords_table, [this.cpb_mlp]);
    const table = raw.view([-1, this.numHeads]);
    release(raw, owned, this.relative_coords_table);
    const bias = getRelativePositionBias(table, this.relative_position_index, this.windowSize);
    table.dispose();
    const out = tidy(() => bias.sigmoid().mul(16));
    bias.dispose();
    return out;
  }

  override forward(x: Tensor): Tensor {
    const bias = this.getRelativePositionBias();
    const out = shiftedWindowAttention(x, this.qkv.weight, this.proj.weight, bias, this.windowSize, this.numHeads, this.shiftSize, {
      attentionDropout: this.attentionDropout, dropout: this.dropout, qkvBias: this.qkv.bias, projBias: this.proj.bias, logitScale: this.logit_scale,
    });
    bias.dispose();
    return out;
  }
}

/** Options of the Swin blocks. */
export interface SwinTransformerBlockOptions {
  mlpRatio?: number;
  dropout?: number;
  attentionDropout?: number;
  stochasticDepthProb?: number;
  normLayer?: NormLayer;
  attnLayer?: typeof ShiftedWindowAttention;
}

/** The Swin block: pre-norm shifted window attention and pre-norm MLP, each with stochastic depth and a shortcut. */
export class SwinTransformerBlock extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare norm1: Module;
  declare attn: Module;
  declare stochastic_depth: StochasticDepth;
  declare norm2: Module;
  declare mlp: MLP;

  constructor(dim: number, numHeads: number, windowSize: number[], shiftSize: number[], opts: SwinTransformerBlockOptions = {}) {
    super();
    const norm = opts.normLayer ?? ((n: number) => new LayerNorm(n));
    const dropout = opts.dropout ?? 0.0;
    this.norm1 = norm(dim);
    this.attn = new (opts.attnLayer ?? ShiftedWindowAttention)(dim, windowSize, shiftSize, numHeads, { attentionDropout: opts.attentionDropout ?? 0.0, dropout });
    this.stochastic_depth = new StochasticDepth(opts.stochasticDepthProb ?? 0.0, 'row');
    this.norm2 = norm(dim);
    this.mlp = new MLP(dim, [Math.trunc(dim * (opts.mlpRatio ?? 4.0)), dim], { activationLayer: () => new GELU(), inplace: null, dropout });
    for (const m of this.mlp.modules()) {
      if (m instanceof Linear) {
        init.xavierUniform_(m.weight);
        if (m.bias !== null) init.normal_(m.bias, 0, 1e-6);
      }
    }
  }

  /** @internal x + stochastic_depth(steps(x)), freeing what the steps made. */
  protected residual(x: Tensor, steps: Module[], xOwned: boolean): Tensor {
    const [y, owned] = runOwned(x, [...steps, this.stochastic_depth]);
    const out = x.add(y);
    release(y, owned, x);
    if (xOwned && steps.every(isPure) && isPure(this.stochastic_depth)) x.dispose();
    return out;
  }

  override forward(x: Tensor): Tensor {
    const a = this.residual(x, [this.norm1, this.attn], false);
    return this.residual(a, [this.norm2, this.mlp], true);
  }
}

/** The Swin V2 block: post-norm (attention and MLP outputs are normalized before the shortcut). */
export class SwinTransformerBlockV2 extends SwinTransformerBlock {
  constructor(dim: number, numHeads: number, windowSize: number[], shiftSize: number[], opts: SwinTransformerBlockOptions = {}) {
    super(dim, numHeads, windowSize, shiftSize, { ...opts, attnLayer: opts.attnLayer ?? ShiftedWindowAttentionV2 });
  }

  override forward(x: Tensor): Tensor {
    const a = this.residual(x, [this.attn, this.norm1], false);
    return this.residual(a, [this.mlp, this.norm2], true);
  }
}
markPureForward(PatchMerging, PatchMergingV2, ShiftedWindowAttention, ShiftedWindowAttentionV2, SwinTransformerBlock, SwinTransformerBlockV2);

/** Options of the SwinTransformer constructor (torchvision's keyword arguments). */
export interface SwinTransformerOptions {
  patchSize: number[];
  embedDim: number;
  depths: number[];
  numHeads: number[];
  windowSize: number[];
  mlpRatio?: number;
  dropout?: number;
  attentionDropout?: number;
  /** The largest stochastic depth probability, reached by the last block (default 0.1). */
  stochasticDepthProb?: number;
  numClasses?: number;
  /** Default LayerNorm with eps 1e-5. */
  normLayer?: NormLayer | null;
  block?: typeof SwinTransformerBlock | null;
  downsampleLayer?: typeof PatchMerging | typeof PatchMergingV2;
}

/** Swin Transformer ("Swin Transformer: Hierarchical Vision Transformer using Shifted Windows"), V1 or V2. */
export class SwinTransformer extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  numClasses: number;
  declare features: Sequential;
  declare norm: Module;
  declare permute: Module;
  declare avgpool: Module;
  declare flatten: Module;

  constructor(opts: SwinTransformerOptions) {
    super();
    this.numClasses = opts.numClasses ?? 1000;
    const block = opts.block ?? SwinTransformerBlock;
    const norm: NormLayer = opts.normLayer ?? ((n) => new LayerNorm(n, { eps: 1e-5 }));
    const downsample = opts.downsampleLayer ?? PatchMerging;
    const { patchSize, embedDim, depths, numHeads, windowSize } = opts;
    const sdProb = opts.stochasticDepthProb ?? 0.1;
    const layers: Module[] = [
      new Sequential(new Conv2d(3, embedDim, [patchSize[0], patchSize[1]], { stride: [patchSize[0], patchSize[1]] }), new Permute([0, 2, 3, 1]), norm(embedDim)),
    ];
    const total = depths.reduce((a, b) => a + b, 0);
    let id = 0;
    depths.forEach((depth, iStage) => {
      const stage: Module[] = [];
      const dim = embedDim * 2 ** iStage;
      for (let i = 0; i < depth; i++) {
        stage.push(new block(dim, numHeads[iStage], windowSize, windowSize.map((w) => (i % 2 === 0 ? 0 : Math.floor(w / 2))), {
          mlpRatio: opts.mlpRatio ?? 4.0, dropout: opts.dropout ?? 0.0, attentionDropout: opts.attentionDropout ?? 0.0,
          stochasticDepthProb: (sdProb * id) / (total - 1), normLayer: norm,
        }));
        id++;
      }
      layers.push(new Sequential(...stage));
      if (iStage < depths.length - 1) layers.push(new downsample(dim, norm));
    });
    this.features = new Sequential(...layers);
    const numFeatures = embedDim * 2 ** (depths.length - 1);
    this.norm = norm(numFeatures);
    this.permute = new Permute([0, 3, 1, 2]);
    this.avgpool = new AdaptiveAvgPool2d(1);
    this.flatten = new Flatten(1);
    this.head = new Linear(numFeatures, this.numClasses);
    for (const m of this.modules()) {
      if (m instanceof Linear) {
        init.truncNormal_(m.weight, 0, 0.02);
        if (m.bias !== null) init.zeros_(m.bias);
      }
    }
  }

  override forward(x: Tensor): Tensor {
    return run(x, [this.features, this.norm, this.permute, this.avgpool, this.flatten, this.head]);
  }
}
// The classifier slot reads as the Linear it is built with and accepts any module.
export interface SwinTransformer {
  get head(): Linear;
  set head(m: Module);
}
markPureForward(SwinTransformer);

/** The weights of swin_t. */
export const Swin_T_Weights = weightsEnum('Swin_T_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/swin_t-704ceda3.pth',
    transforms: { cropSize: 224, resizeSize: 232, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 28288354, min_size: [224, 224],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#swintransformer',
      _metrics: { 'ImageNet-1K': { 'acc@1': 81.474, 'acc@5': 95.776 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of swin_s. */
export const Swin_S_Weights = weightsEnum('Swin_S_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/swin_s-5e29d889.pth',
    transforms: { cropSize: 224, resizeSize: 246, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 49606258, min_size: [224, 224],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#swintransformer',
      _metrics: { 'ImageNet-1K': { 'acc@1': 83.196, 'acc@5': 96.36 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of swin_b. */
export const Swin_B_Weights = weightsEnum('Swin_B_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/swin_b-68c6b09e.pth',
    transforms: { cropSize: 224, resizeSize: 238, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 87768224, min_size: [224, 224],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#swintransformer',
      _metrics: { 'ImageNet-1K': { 'acc@1': 83.582, 'acc@5': 96.64 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of swin_v2_t. */
export const Swin_V2_T_Weights = weightsEnum('Swin_V2_T_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/swin_v2_t-b137f0e2.pth',
    transforms: { cropSize: 256, resizeSize: 260, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 28351570, min_size: [256, 256],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#swintransformer-v2',
      _metrics: { 'ImageNet-1K': { 'acc@1': 82.072, 'acc@5': 96.132 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of swin_v2_s. */
export const Swin_V2_S_Weights = weightsEnum('Swin_V2_S_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/swin_v2_s-637d8ceb.pth',
    transforms: { cropSize: 256, resizeSize: 260, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 49737442, min_size: [256, 256],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#swintransformer-v2',
      _metrics: { 'ImageNet-1K': { 'acc@1': 83.712, 'acc@5': 96.816 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of swin_v2_b. */
export const Swin_V2_B_Weights = weightsEnum('Swin_V2_B_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/swin_v2_b-781e5279.pth',
    transforms: { cropSize: 256, resizeSize: 272, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 87930848, min_size: [256, 256],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#swintransformer-v2',
      _metrics: { 'ImageNet-1K': { 'acc@1': 84.112, 'acc@5': 96.864 } },
    },
  },
}, 'IMAGENET1K_V1');
/** Options of the Swin builders. */
export interface SwinBuilderOptions<K extends string = string> extends ModelOptions<K> {
  mlpRatio?: number;
  dropout?: number;
  attentionDropout?: number;
  /** The largest stochastic depth probability (default 0.2 for T, 0.3 for S, 0.5 for B). */
  stochasticDepthProb?: number;
  normLayer?: NormLayer | null;
}

function swin(name: string, weights: WeightsEnum, cfg: Omit<SwinTransformerOptions, 'numClasses'>, opts: SwinBuilderOptions | undefined): Promise<SwinTransformer> {
  const o = opts ?? {};
  return buildModel(name, weights, o, (numClasses) => new SwinTransformer({
    ...cfg, numClasses, mlpRatio: o.mlpRatio, dropout: o.dropout, attentionDropout: o.attentionDropout,
    stochasticDepthProb: o.stochasticDepthProb ?? cfg.stochasticDepthProb, normLayer: o.normLayer,
  }), { options: ['mlpRatio', 'dropout', 'attentionDropout', 'stochasticDepthProb', 'normLayer'] });
}

type Opts<E> = SwinBuilderOptions<WeightsName<E>>;
const T = { patchSize: [4, 4], embedDim: 96, depths: [2, 2, 6, 2], numHeads: [3, 6, 12, 24] };
const S = { patchSize: [4, 4], embedDim: 96, depths: [2, 2, 18, 2], numHeads: [3, 6, 12, 24] };
const B = { patchSize: [4, 4], embedDim: 128, depths: [2, 2, 18, 2], numHeads: [4, 8, 16, 32] };
const V2 = { block: SwinTransformerBlockV2, downsampleLayer: PatchMergingV2 };

/** Swin-T. */
export const swin_t = registerModel('swin_t', (opts?: Opts<typeof Swin_T_Weights>) => swin('swin_t', Swin_T_Weights, { ...T, windowSize: [7, 7], stochasticDepthProb: 0.2 }, opts), Swin_T_Weights);
/** Swin-S. */
export const swin_s = registerModel('swin_s', (opts?: Opts<typeof Swin_S_Weights>) => swin('swin_s', Swin_S_Weights, { ...S, windowSize: [7, 7], stochasticDepthProb: 0.3 }, opts), Swin_S_Weights);
/** Swin-B. */
export const swin_b = registerModel('swin_b', (opts?: Opts<typeof Swin_B_Weights>) => swin('swin_b', Swin_B_Weights, { ...B, windowSize: [7, 7], stochasticDepthProb: 0.5 }, opts), Swin_B_Weights);
/** Swin V2-T ("Swin Transformer V2: Scaling Up Capacity and Resolution"). */
export const swin_v2_t = registerModel('swin_v2_t', (opts?: Opts<typeof Swin_V2_T_Weights>) => swin('swin_v2_t', Swin_V2_T_Weights, { ...T, ...V2, windowSize: [8, 8], stochasticDepthProb: 0.2 }, opts), Swin_V2_T_Weights);
/** Swin V2-S. */
export const swin_v2_s = registerModel('swin_v2_s', (opts?: Opts<typeof Swin_V2_S_Weights>) => swin('swin_v2_s', Swin_V2_S_Weights, { ...S, ...V2, windowSize: [8, 8], stochasticDepthProb: 0.3 }, opts), Swin_V2_S_Weights);
/** Swin V2-B. */
export const swin_v2_b = registerModel('swin_v2_b', (opts?: Opts<typeof Swin_V2_B_Weights>) => swin('swin_v2_b', Swin_V2_B_Weights, { ...B, ...V2, windowSize: [8, 8], stochasticDepthProb: 0.5 }, opts), Swin_V2_B_Weights);
