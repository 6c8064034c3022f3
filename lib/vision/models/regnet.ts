// RegNet X and Y, as torchvision/models/regnet.py: `stem`, `trunk_output` (`blockN` stages of `blockN-i`
// ResBottleneckBlocks with optional squeeze-and-excitation), `avgpool` and `fc`. Stage widths and depths are
// computed from the RegNet parameters with the same float32 tensor arithmetic as torchvision.
import { Tensor, tidy } from '../../tensor';
import { callOp } from '../../dispatch';
import { arange } from '../../creation';
import { Module, markPureForward } from '../../nn/module';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { BatchNorm2d } from '../../nn/batchnorm';
import { ReLU } from '../../nn/activation';
import { AdaptiveAvgPool2d } from '../../nn/pooling';
import { Linear } from '../../nn/linear';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, registerModel, weightsEnum, WeightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { Conv2dNormActivation, SqueezeExcitation, NormLayer, ActivationLayer } from './_ops';
import { makeDivisible, pyRound, run, runOwned, release } from './_utils';

/** The stem: a stride-2 3x3 Conv2dNormActivation. */
export class SimpleStemIN extends Conv2dNormActivation {
  constructor(widthIn: number, widthOut: number, normLayer: NormLayer, activationLayer: ActivationLayer) {
    super(widthIn, widthOut, { kernelSize: 3, stride: 2, normLayer, activationLayer });
  }
}

/** The residual branch: 1x1 (`a`), grouped 3x3 (`b`), optional squeeze-and-excitation (`se`), 1x1 (`c`). */
export class BottleneckTransform extends Sequential {
  constructor(widthIn: number, widthOut: number, stride: number, normLayer: NormLayer, activationLayer: ActivationLayer, groupWidth: number, bottleneckMultiplier: number, seRatio: number | null) {
    const wb = pyRound(widthOut * bottleneckMultiplier);
    const g = Math.floor(wb / groupWidth);
    const layers = new Map<string, Module>();
    layers.set('a', new Conv2dNormActivation(widthIn, wb, { kernelSize: 1, stride: 1, normLayer, activationLayer }));
    layers.set('b', new Conv2dNormActivation(wb, wb, { kernelSize: 3, stride, groups: g, normLayer, activationLayer }));
    if (seRatio) layers.set('se', new SqueezeExcitation(wb, pyRound(seRatio * widthIn), { activation: activationLayer }));
    layers.set('c', new Conv2dNormActivation(wb, widthOut, { kernelSize: 1, stride: 1, normLayer, activationLayer: null }));
    super(layers);
  }
}

/** The RegNet block: the bottleneck branch plus the input (projected when the shape changes), then the activation. */
export class ResBottleneckBlock extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare proj: Module | null;
  declare f: BottleneckTransform;
  declare activation: Module;

  constructor(widthIn: number, widthOut: number, stride: number, normLayer: NormLayer, activationLayer: ActivationLayer, groupWidth = 1, bottleneckMultiplier = 1.0, seRatio: number | null = null) {
    super();
    this.proj = null;
    if (widthIn !== widthOut || stride !== 1) {
      this.proj = new Conv2dNormActivation(widthIn, widthOut, { kernelSize: 1, stride, normLayer, activationLayer: null });
    }
    this.f = new BottleneckTransform(widthIn, widthOut, stride, normLayer, activationLayer, groupWidth, bottleneckMultiplier, seRatio);
    this.activation = activationLayer(true);
  }

  override forward(x: Tensor): Tensor {
    const [fx, fOwned] = runOwned(x, [this.f]);
    const [px, pOwned] = this.proj !== null ? runOwned(x, [this.proj]) : [x, false];
    const sum = px.add(fx);
    release(fx, fOwned, x);
    release(px, pOwned, x);
    return run(sum, [this.activation], true);
  }
}

/** A stage: `depth` blocks named `block{stageIndex}-{i}`, the first with the stride. */
export class AnyStage extends Sequential {
  constructor(
    widthIn: number, widthOut: number, stride: number, depth: number, blockConstructor: typeof ResBottleneckBlock, normLayer: NormLayer,
    activationLayer: ActivationLayer, groupWidth: number, bottleneckMultiplier: number, seRatio: number | null = null, stageIndex = 0,
  ) {
    super();
    for (let i = 0; i < depth; i++) {
      this.addModule(`block${stageIndex}-${i}`, new blockConstructor(i === 0 ? widthIn : widthOut, widthOut, i === 0 ? stride : 1, normLayer, activationLayer, groupWidth, bottleneckMultiplier, seRatio));
    }
  }
}
markPureForward(SimpleStemIN, BottleneckTransform, ResBottleneckBlock, AnyStage);

/** The per-stage settings of a RegNet. */
export class BlockParams {
  constructor(
    public depths: number[],
    public widths: number[],
    public groupWidths: number[],
    public bottleneckMultipliers: number[],
    public strides: number[],
    public seRatio: number | null = null,
  ) {}

  /** The stage settings from RegNet's parameters (initial width w0, slope wa, log-step wm, depth, group width). */
  static fromInitParams(opts: { depth: number; w0: number; wa: number; wm: number; groupWidth: number; bottleneckMultiplier?: number; seRatio?: number | null }): BlockParams {
    const { depth, w0, wa, wm, groupWidth } = opts;
    const QUANT = 8;
    const STRIDE = 2;
    if (wa < 0 || w0 <= 0 || wm <= 1 || w0 % 8 !== 0) throw new RangeError('Invalid RegNet settings');
    const blockWidths = tidy(() => {
      const widthsCont = arange(depth).mul(wa).add(w0);
      const capacity = widthsCont.div(w0).log().div(Math.log(wm)).round();
      const pow = callOp('pow', [wm, capacity]) as Tensor;
      return pow.mul(w0).div(QUANT).round().mul(QUANT).int().tolist() as number[];
    });
    const numStages = new Set(blockWidths).size;
    const a = [...blockWidths, 0];
    const b = [0, ...blockWidths];
    const splits = a.map((w, i) => w !== b[i]);
    const stageWidths = blockWidths.filter((_, i) => splits[i]);
    const splitIdx = splits.map((t, i) => (t ? i : -1)).filter((i) => i >= 0);
    const stageDepths = splitIdx.slice(1).map((d, i) => d - splitIdx[i]);
    const bm = new Array<number>(numStages).fill(opts.bottleneckMultiplier ?? 1.0);
    const [widths, groupWidths] = BlockParams.adjustWidthsGroupsCompatibility(stageWidths, bm, new Array<number>(numStages).fill(groupWidth));
    return new BlockParams(stageDepths, widths, groupWidths, bm, new Array<number>(numStages).fill(STRIDE), opts.seRatio ?? null);
  }

  /** Stage widths and group widths made compatible with the bottleneck ratios. */
  static adjustWidthsGroupsCompatibility(stageWidths: number[], bottleneckRatios: number[], groupWidths: number[]): [number[], number[]] {
    const widths = stageWidths.map((w, i) => Math.trunc(w * bottleneckRatios[i]));
    const gMin = groupWidths.map((g, i) => Math.min(g, widths[i]));
    const wsBot = widths.map((w, i) => makeDivisible(w, gMin[i]));
    return [wsBot.map((w, i) => Math.trunc(w / bottleneckRatios[i])), gMin];
  }

  /** @internal [width, stride, depth, group width, bottleneck multiplier] per stage. */
  _expanded(): [number, number, number, number, number][] {
    return this.widths.map((w, i) => [w, this.strides[i], this.depths[i], this.groupWidths[i], this.bottleneckMultipliers[i]]);
  }
}

/** Options of the RegNet constructor. */
export interface RegNetOptions {
  numClasses?: number;
  stemWidth?: number;
  stemType?: new (widthIn: number, widthOut: number, normLayer: NormLayer, activationLayer: ActivationLayer) => Module;
  blockType?: typeof ResBottleneckBlock;
  normLayer?: NormLayer | null;
  activation?: ActivationLayer | null;
}

/** RegNet ("Designing Network Design Spaces"). */
export class RegNet extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare stem: Module;
  declare trunk_output: Sequential;
  declare avgpool: Module;

  constructor(blockParams: BlockParams, opts: RegNetOptions = {}) {
    super();
    const stemType = opts.stemType ?? SimpleStemIN;
    const norm = opts.normLayer ?? ((n: number) => new BatchNorm2d(n));
    const blockType = opts.blockType ?? ResBottleneckBlock;
    const act: ActivationLayer = opts.activation ?? ((inplace) => new ReLU(inplace ?? false));
    const stemWidth = opts.stemWidth ?? 32;
    this.stem = new stemType(3, stemWidth, norm, act);
    let current = stemWidth;
    const blocks = new Map<string, Module>();
    blockParams._expanded().forEach(([widthOut, stride, depth, groupWidth, bm], i) => {
      blocks.set(`block${i + 1}`, new AnyStage(current, widthOut, stride, depth, blockType, norm, act, groupWidth, bm, blockParams.seRatio, i + 1));
      current = widthOut;
    });
    this.trunk_output = new Sequential(blocks);
    this.avgpool = new AdaptiveAvgPool2d([1, 1]);
    this.fc = new Linear(current, opts.numClasses ?? 1000);
    for (const m of this.modules()) {
      if (m instanceof Conv2d) {
        const fanOut = m.kernelSize[0] * m.kernelSize[1] * m.outChannels;
        init.normal_(m.weight, 0.0, Math.sqrt(2.0 / fanOut));
      } else if (m instanceof BatchNorm2d) {
        init.ones_(m.weight as Tensor);
        init.zeros_(m.bias as Tensor);
      } else if (m instanceof Linear) {
        init.normal_(m.weight, 0.0, 0.01);
        init.zeros_(m.bias as Tensor);
      }
    }
  }

  override forward(x: Tensor): Tensor {
    return run(x, [this.stem, this.trunk_output, this.avgpool, (t) => t.flatten(1), this.fc]);
  }
}
// The classifier slot reads as the Linear it is built with and accepts any module.
export interface RegNet {
  get fc(): Linear;
  set fc(m: Module);
}
markPureForward(RegNet);

/** The weights of regnet_y_400mf. */
export const RegNet_Y_400MF_Weights = weightsEnum('RegNet_Y_400MF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_400mf-c65dace8.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 4344144, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#small-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 74.046, 'acc@5': 91.716 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_y_400mf-e6988f5f.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 4344144, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 75.804, 'acc@5': 92.742 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_y_800mf. */
export const RegNet_Y_800MF_Weights = weightsEnum('RegNet_Y_800MF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_800mf-1b27b58c.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 6432512, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#small-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 76.42, 'acc@5': 93.136 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_y_800mf-58fc7688.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 6432512, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 78.828, 'acc@5': 94.502 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_y_1_6gf. */
export const RegNet_Y_1_6GF_Weights = weightsEnum('RegNet_Y_1_6GF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_1_6gf-b11a554e.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 11202430, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#small-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 77.95, 'acc@5': 93.966 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_y_1_6gf-0d7bc02a.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 11202430, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 80.876, 'acc@5': 95.444 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_y_3_2gf. */
export const RegNet_Y_3_2GF_Weights = weightsEnum('RegNet_Y_3_2GF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_3_2gf-b5a9779c.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 19436338, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#medium-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 78.948, 'acc@5': 94.576 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_y_3_2gf-9180c971.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 19436338, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 81.982, 'acc@5': 95.972 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_y_8gf. */
export const RegNet_Y_8GF_Weights = weightsEnum('RegNet_Y_8GF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_8gf-d0d0e4a8.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 39381472, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#medium-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 80.032, 'acc@5': 95.048 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_y_8gf-dc2b1b54.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 39381472, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 82.828, 'acc@5': 96.33 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_y_16gf. */
export const RegNet_Y_16GF_Weights = weightsEnum('RegNet_Y_16GF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_16gf-9e6ed7dd.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 83590140, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#large-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 80.424, 'acc@5': 95.24 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_y_16gf-3e4a00f9.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 83590140, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 82.886, 'acc@5': 96.328 } },
    },
  },
  IMAGENET1K_SWAG_E2E_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_16gf_swag-43afe44d.pth',
    transforms: { cropSize: 384, resizeSize: 384, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 83590140, min_size: [1, 1],
      recipe: 'https://github.com/facebookresearch/SWAG',
      license: 'https://github.com/facebookresearch/SWAG/blob/main/LICENSE',
      _metrics: { 'ImageNet-1K': { 'acc@1': 86.012, 'acc@5': 98.054 } },
    },
  },
  IMAGENET1K_SWAG_LINEAR_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_16gf_lc_swag-f3ec0043.pth',
    transforms: { cropSize: 224, resizeSize: 224, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 83590140, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/pull/5793',
      license: 'https://github.com/facebookresearch/SWAG/blob/main/LICENSE',
      _metrics: { 'ImageNet-1K': { 'acc@1': 83.976, 'acc@5': 97.244 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_y_32gf. */
export const RegNet_Y_32GF_Weights = weightsEnum('RegNet_Y_32GF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_32gf-4dee3f7a.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 145046770, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#large-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 80.878, 'acc@5': 95.34 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_y_32gf-8db6d4b5.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 145046770, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 83.368, 'acc@5': 96.498 } },
    },
  },
  IMAGENET1K_SWAG_E2E_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_32gf_swag-04fdfa75.pth',
    transforms: { cropSize: 384, resizeSize: 384, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 145046770, min_size: [1, 1],
      recipe: 'https://github.com/facebookresearch/SWAG',
      license: 'https://github.com/facebookresearch/SWAG/blob/main/LICENSE',
      _metrics: { 'ImageNet-1K': { 'acc@1': 86.838, 'acc@5': 98.362 } },
    },
  },
  IMAGENET1K_SWAG_LINEAR_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_32gf_lc_swag-e1583746.pth',
    transforms: { cropSize: 224, resizeSize: 224, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 145046770, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/pull/5793',
      license: 'https://github.com/facebookresearch/SWAG/blob/main/LICENSE',
      _metrics: { 'ImageNet-1K': { 'acc@1': 84.622, 'acc@5': 97.48 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_y_128gf. */
export const RegNet_Y_128GF_Weights = weightsEnum('RegNet_Y_128GF_Weights', {
  IMAGENET1K_SWAG_E2E_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_128gf_swag-c8ce3e52.pth',
    transforms: { cropSize: 384, resizeSize: 384, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 644812894, min_size: [1, 1],
      recipe: 'https://github.com/facebookresearch/SWAG',
      license: 'https://github.com/facebookresearch/SWAG/blob/main/LICENSE',
      _metrics: { 'ImageNet-1K': { 'acc@1': 88.228, 'acc@5': 98.682 } },
    },
  },
  IMAGENET1K_SWAG_LINEAR_V1: {
    url: 'https://download.pytorch.org/models/regnet_y_128gf_lc_swag-cbe8ce12.pth',
    transforms: { cropSize: 224, resizeSize: 224, interpolation: 'bicubic' },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 644812894, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/pull/5793',
      license: 'https://github.com/facebookresearch/SWAG/blob/main/LICENSE',
      _metrics: { 'ImageNet-1K': { 'acc@1': 86.068, 'acc@5': 97.844 } },
    },
  },
}, 'IMAGENET1K_SWAG_E2E_V1');

/** The weights of regnet_x_400mf. */
export const RegNet_X_400MF_Weights = weightsEnum('RegNet_X_400MF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_x_400mf-adf1edd5.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 5495976, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#small-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 72.834, 'acc@5': 90.95 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_x_400mf-62229a5f.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 5495976, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe-with-fixres',
      _metrics: { 'ImageNet-1K': { 'acc@1': 74.864, 'acc@5': 92.322 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_x_800mf. */
export const RegNet_X_800MF_Weights = weightsEnum('RegNet_X_800MF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_x_800mf-ad17e45c.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 7259656, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#small-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 75.212, 'acc@5': 92.348 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_x_800mf-94a99ebd.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 7259656, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe-with-fixres',
      _metrics: { 'ImageNet-1K': { 'acc@1': 77.522, 'acc@5': 93.826 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_x_1_6gf. */
export const RegNet_X_1_6GF_Weights = weightsEnum('RegNet_X_1_6GF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_x_1_6gf-e3633e7f.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 9190136, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#small-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 77.04, 'acc@5': 93.44 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_x_1_6gf-a12f2b72.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 9190136, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe-with-fixres',
      _metrics: { 'ImageNet-1K': { 'acc@1': 79.668, 'acc@5': 94.922 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_x_3_2gf. */
export const RegNet_X_3_2GF_Weights = weightsEnum('RegNet_X_3_2GF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_x_3_2gf-f342aeae.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 15296552, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#medium-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 78.364, 'acc@5': 93.992 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_x_3_2gf-7071aa85.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 15296552, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 81.196, 'acc@5': 95.43 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_x_8gf. */
export const RegNet_X_8GF_Weights = weightsEnum('RegNet_X_8GF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_x_8gf-03ceed89.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 39572648, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#medium-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 79.344, 'acc@5': 94.686 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_x_8gf-2b70d774.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 39572648, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 81.682, 'acc@5': 95.678 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_x_16gf. */
export const RegNet_X_16GF_Weights = weightsEnum('RegNet_X_16GF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_x_16gf-2007eb11.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 54278536, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#medium-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 80.058, 'acc@5': 94.944 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_x_16gf-ba3796d7.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 54278536, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 82.716, 'acc@5': 96.196 } },
    },
  },
}, 'IMAGENET1K_V2');

/** The weights of regnet_x_32gf. */
export const RegNet_X_32GF_Weights = weightsEnum('RegNet_X_32GF_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/regnet_x_32gf-9d47f8d0.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 107811560, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#large-models',
      _metrics: { 'ImageNet-1K': { 'acc@1': 80.622, 'acc@5': 95.248 } },
    },
  },
  IMAGENET1K_V2: {
    url: 'https://download.pytorch.org/models/regnet_x_32gf-6eb8fdc6.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 107811560, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/issues/3995#new-recipe',
      _metrics: { 'ImageNet-1K': { 'acc@1': 83.014, 'acc@5': 96.288 } },
    },
  },
}, 'IMAGENET1K_V2');
/** Options of the RegNet builders. */
export interface RegNetBuilderOptions<K extends string = string> extends ModelOptions<K>, Omit<RegNetOptions, 'numClasses'> {}

function regnet(name: string, weights: WeightsEnum, params: Parameters<typeof BlockParams.fromInitParams>[0], opts: RegNetBuilderOptions | undefined): Promise<RegNet> {
  const o = opts ?? {};
  return buildModel(name, weights, o, (numClasses) => new RegNet(BlockParams.fromInitParams(params), {
    numClasses, stemWidth: o.stemWidth, stemType: o.stemType, blockType: o.blockType, normLayer: o.normLayer ?? ((n) => new BatchNorm2d(n, { eps: 1e-5, momentum: 0.1 })), activation: o.activation,
  }), { options: ['stemWidth', 'stemType', 'blockType', 'normLayer', 'activation'] });
}

type Opts<E> = RegNetBuilderOptions<WeightsName<E>>;

/** RegNetY-400MF. */
export const regnet_y_400mf = registerModel('regnet_y_400mf', (opts?: Opts<typeof RegNet_Y_400MF_Weights>) => regnet('regnet_y_400mf', RegNet_Y_400MF_Weights, { depth: 16, w0: 48, wa: 27.89, wm: 2.09, groupWidth: 8, seRatio: 0.25 }, opts), RegNet_Y_400MF_Weights);
/** RegNetY-800MF. */
export const regnet_y_800mf = registerModel('regnet_y_800mf', (opts?: Opts<typeof RegNet_Y_800MF_Weights>) => regnet('regnet_y_800mf', RegNet_Y_800MF_Weights, { depth: 14, w0: 56, wa: 38.84, wm: 2.4, groupWidth: 16, seRatio: 0.25 }, opts), RegNet_Y_800MF_Weights);
/** RegNetY-1.6GF. */
export const regnet_y_1_6gf = registerModel('regnet_y_1_6gf', (opts?: Opts<typeof RegNet_Y_1_6GF_Weights>) => regnet('regnet_y_1_6gf', RegNet_Y_1_6GF_Weights, { depth: 27, w0: 48, wa: 20.71, wm: 2.65, groupWidth: 24, seRatio: 0.25 }, opts), RegNet_Y_1_6GF_Weights);
/** RegNetY-3.2GF. */
export const regnet_y_3_2gf = registerModel('regnet_y_3_2gf', (opts?: Opts<typeof RegNet_Y_3_2GF_Weights>) => regnet('regnet_y_3_2gf', RegNet_Y_3_2GF_Weights, { depth: 21, w0: 80, wa: 42.63, wm: 2.66, groupWidth: 24, seRatio: 0.25 }, opts), RegNet_Y_3_2GF_Weights);
/** RegNetY-8GF. */
export const regnet_y_8gf = registerModel('regnet_y_8gf', (opts?: Opts<typeof RegNet_Y_8GF_Weights>) => regnet('regnet_y_8gf', RegNet_Y_8GF_Weights, { depth: 17, w0: 192, wa: 76.82, wm: 2.19, groupWidth: 56, seRatio: 0.25 }, opts), RegNet_Y_8GF_Weights);
/** RegNetY-16GF. */
export const regnet_y_16gf = registerModel('regnet_y_16gf', (opts?: Opts<typeof RegNet_Y_16GF_Weights>) => regnet('regnet_y_16gf', RegNet_Y_16GF_Weights, { depth: 18, w0: 200, wa: 106.23, wm: 2.48, groupWidth: 112, seRatio: 0.25 }, opts), RegNet_Y_16GF_Weights);
/** RegNetY-32GF. */
export const regnet_y_32gf = registerModel('regnet_y_32gf', (opts?: Opts<typeof RegNet_Y_32GF_Weights>) => regnet('regnet_y_32gf', RegNet_Y_32GF_Weights, { depth: 20, w0: 232, wa: 115.89, wm: 2.53, groupWidth: 232, seRatio: 0.25 }, opts), RegNet_Y_32GF_Weights);
/** RegNetY-128GF. */
export const regnet_y_128gf = registerModel('regnet_y_128gf', (opts?: Opts<typeof RegNet_Y_128GF_Weights>) => regnet('regnet_y_128gf', RegNet_Y_128GF_Weights, { depth: 27, w0: 456, wa: 160.83, wm: 2.52, groupWidth: 264, seRatio: 0.25 }, opts), RegNet_Y_128GF_Weights);
/** RegNetX-400MF. */
export const regnet_x_400mf = registerModel('regnet_x_400mf', (opts?: Opts<typeof RegNet_X_400MF_Weights>) => regnet('regnet_x_400mf', RegNet_X_400MF_Weights, { depth: 22, w0: 24, wa: 24.48, wm: 2.54, groupWidth: 16 }, opts), RegNet_X_400MF_Weights);
/** RegNetX-800MF. */
export const regnet_x_800mf = registerModel('regnet_x_800mf', (opts?: Opts<typeof RegNet_X_800MF_Weights>) => regnet('regnet_x_800mf', RegNet_X_800MF_Weights, { depth: 16, w0: 56, wa: 35.73, wm: 2.28, groupWidth: 16 }, opts), RegNet_X_800MF_Weights);
/** RegNetX-1.6GF. */
export const regnet_x_1_6gf = registerModel('regnet_x_1_6gf', (opts?: Opts<typeof RegNet_X_1_6GF_Weights>) => regnet('regnet_x_1_6gf', RegNet_X_1_6GF_Weights, { depth: 18, w0: 80, wa: 34.01, wm: 2.25, groupWidth: 24 }, opts), RegNet_X_1_6GF_Weights);
/** RegNetX-3.2GF. */
export const regnet_x_3_2gf = registerModel('regnet_x_3_2gf', (opts?: Opts<typeof RegNet_X_3_2GF_Weights>) => regnet('regnet_x_3_2gf', RegNet_X_3_2GF_Weights, { depth: 25, w0: 88, wa: 26.31, wm: 2.25, groupWidth: 48 }, opts), RegNet_X_3_2GF_Weights);
/** RegNetX-8GF. */
export const regnet_x_8gf = registerModel('regnet_x_8gf', (opts?: Opts<typeof RegNet_X_8GF_Weights>) => regnet('regnet_x_8gf', RegNet_X_8GF_Weights, { depth: 23, w0: 80, wa: 49.56, wm: 2.88, groupWidth: 120 }, opts), RegNet_X_8GF_Weights);
/** RegNetX-16GF. */
export const regnet_x_16gf = registerModel('regnet_x_16gf', (opts?: Opts<typeof RegNet_X_16GF_Weights>) => regnet('regnet_x_16gf', RegNet_X_16GF_Weights, { depth: 22, w0: 216, wa: 55.59, wm: 2.1, groupWidth: 128 }, opts), RegNet_X_16GF_Weights);
/** RegNetX-32GF. */
export const regnet_x_32gf = registerModel('regnet_x_32gf', (opts?: Opts<typeof RegNet_X_32GF_Weights>) => regnet('regnet_x_32gf', RegNet_X_32GF_Weights, { depth: 23, w0: 320, wa: 69.86, wm: 2.0, groupWidth: 168 }, opts), RegNet_X_32GF_Weights);
