// ShuffleNetV2, as torchvision/models/shufflenetv2.py: `conv1`, `maxpool`, `stage2`..`stage4` of
// InvertedResidual units with channel shuffle, `conv5` and `fc` (replace it for other classes).
import { Tensor } from '../../tensor';
import { cat } from '../../functions';
import { Module, markPureForward } from '../../nn/module';
import { Sequential } from '../../nn/container';
import { Conv2d } from '../../nn/conv';
import { BatchNorm2d } from '../../nn/batchnorm';
import { ReLU } from '../../nn/activation';
import { MaxPool2d } from '../../nn/pooling';
import { Linear } from '../../nn/linear';
import { ModelOptions, buildModel, registerModel, weightsEnum, WeightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { isPure, run, runOwned, release } from './_utils';

/** Interleaves the channels of `groups` groups: (N, g*c, H, W) viewed as (N, g, c, H, W), transposed, flattened. */
export function channelShuffle(x: Tensor, groups: number): Tensor {
  const [b, c, h, w] = x.shape;
  const v = x.view([b, groups, Math.floor(c / groups), h, w]);
  const t = v.transpose(1, 2);
  v.dispose();
  const contiguous = t.contiguous();
  t.dispose();
  const out = contiguous.view([b, -1, h, w]);
  contiguous.dispose();
  return out;
}

/** ShuffleNetV2's unit: split (or, when striding, duplicate) the channels, transform one half, concatenate, shuffle. */
export class InvertedResidual extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  stride: number;
  declare branch1: Sequential;
  declare branch2: Sequential;

  constructor(inp: number, oup: number, stride: number) {
    super();
    if (!(stride >= 1 && stride <= 3)) throw new RangeError('illegal stride value');
    this.stride = stride;
    const bf = Math.floor(oup / 2);
    if (stride === 1 && inp !== bf << 1) {
      throw new RangeError(`Invalid combination of stride ${stride}, inp ${inp} and oup ${oup} values. If stride == 1 then inp should be equal to oup // 2 << 1.`);
    }
    if (stride > 1) {
      this.branch1 = new Sequential(
        InvertedResidual.depthwiseConv(inp, inp, 3, stride, 1), new BatchNorm2d(inp),
        new Conv2d(inp, bf, 1, { stride: 1, padding: 0, bias: false }), new BatchNorm2d(bf), new ReLU(true),
      );
    } else {
      this.branch1 = new Sequential();
    }
    this.branch2 = new Sequential(
      new Conv2d(stride > 1 ? inp : bf, bf, 1, { stride: 1, padding: 0, bias: false }), new BatchNorm2d(bf), new ReLU(true),
      InvertedResidual.depthwiseConv(bf, bf, 3, stride, 1), new BatchNorm2d(bf),
      new Conv2d(bf, bf, 1, { stride: 1, padding: 0, bias: false }), new BatchNorm2d(bf), new ReLU(true),
    );
  }

  /** A depthwise convolution (groups = input channels). */
  static depthwiseConv(i: number, o: number, kernelSize: number, stride = 1, padding = 0, bias = false): Conv2d {
    return new Conv2d(i, o, kernelSize, { stride, padding, bias, groups: i });
  }

  override forward(x: Tensor): Tensor {
    let out: Tensor;
    if (this.stride === 1) {
      const [x1, x2] = x.chunk(2, 1);
      const [y2, owned] = runOwned(x2, [this.branch2]);
      out = cat([x1, y2], 1);
      release(y2, owned, x);
      x1.dispose();
      release(x2, isPure(this.branch2), y2);
    } else {
      const [y1, o1] = runOwned(x, [this.branch1]);
      const [y2, o2] = runOwned(x, [this.branch2]);
      out = cat([y1, y2], 1);
      release(y1, o1, x);
      release(y2, o2, x);
    }
    const shuffled = channelShuffle(out, 2);
    out.dispose();
    return shuffled;
  }
}
markPureForward(InvertedResidual);

/** ShuffleNetV2 ("ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design"). */
export class ShuffleNetV2 extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  /** @internal */
  _stageOutChannels: number[];
  declare conv1: Sequential;
  declare maxpool: Module;
  declare stage2: Sequential;
  declare stage3: Sequential;
  declare stage4: Sequential;
  declare conv5: Sequential;

  constructor(stagesRepeats: number[], stagesOutChannels: number[], opts: { numClasses?: number; invertedResidual?: new (inp: number, oup: number, stride: number) => Module } = {}) {
    super();
    if (stagesRepeats.length !== 3) throw new RangeError('expected stages_repeats as list of 3 positive ints');
    if (stagesOutChannels.length !== 5) throw new RangeError('expected stages_out_channels as list of 5 positive ints');
    const unit = opts.invertedResidual ?? InvertedResidual;
    this._stageOutChannels = stagesOutChannels;
    let input = 3;
    let output = stagesOutChannels[0];
    this.conv1 = new Sequential(new Conv2d(input, output, 3, { stride: 2, padding: 1, bias: false }), new BatchNorm2d(output), new ReLU(true));
    input = output;
    this.maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });
    ['stage2', 'stage3', 'stage4'].forEach((name, i) => {
      output = stagesOutChannels[i + 1];
      const seq: Module[] = [new unit(input, output, 2)];
      for (let r = 0; r < stagesRepeats[i] - 1; r++) seq.push(new unit(output, output, 1));
      (this as unknown as Record<string, Module>)[name] = new Sequential(...seq);
      input = output;
    });
    output = stagesOutChannels[4];
    this.conv5 = new Sequential(new Conv2d(input, output, 1, { stride: 1, padding: 0, bias: false }), new BatchNorm2d(output), new ReLU(true));
    this.fc = new Linear(output, opts.numClasses ?? 1000);
  }

  override forward(x: Tensor): Tensor {
    return run(x, [this.conv1, this.maxpool, this.stage2, this.stage3, this.stage4, this.conv5, (t) => t.mean([2, 3]), this.fc]);
  }
}
// The classifier slot reads as the Linear it is built with and accepts any module.
export interface ShuffleNetV2 {
  get fc(): Linear;
  set fc(m: Module);
}
markPureForward(ShuffleNetV2);

/** The weights of shufflenet_v2_x0_5. */
export const ShuffleNet_V2_X0_5_Weights = weightsEnum('ShuffleNet_V2_X0_5_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/shufflenetv2_x0.5-f707e7126e.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 1366792, min_size: [1, 1],
      recipe: 'https://github.com/ericsun99/Shufflenet-v2-Pytorch',
      _metrics: { 'ImageNet-1K': { 'acc@1': 60.552, 'acc@5': 81.746 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of shufflenet_v2_x1_0. */
export const ShuffleNet_V2_X1_0_Weights = weightsEnum('ShuffleNet_V2_X1_0_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/shufflenetv2_x1-5666bf0f80.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 2278604, min_size: [1, 1],
      recipe: 'https://github.com/ericsun99/Shufflenet-v2-Pytorch',
      _metrics: { 'ImageNet-1K': { 'acc@1': 69.362, 'acc@5': 88.316 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of shufflenet_v2_x1_5. */
export const ShuffleNet_V2_X1_5_Weights = weightsEnum('ShuffleNet_V2_X1_5_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/shufflenetv2_x1_5-3c479a10.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 3503624, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/pull/5906',
      _metrics: { 'ImageNet-1K': { 'acc@1': 72.996, 'acc@5': 91.086 } },
    },
  },
}, 'IMAGENET1K_V1');

/** The weights of shufflenet_v2_x2_0. */
export const ShuffleNet_V2_X2_0_Weights = weightsEnum('ShuffleNet_V2_X2_0_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/shufflenetv2_x2_0-8be3c8ee.pth',
    transforms: { cropSize: 224, resizeSize: 232 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 7393996, min_size: [1, 1],
      recipe: 'https://github.com/pytorch/vision/pull/5906',
      _metrics: { 'ImageNet-1K': { 'acc@1': 76.23, 'acc@5': 93.006 } },
    },
  },
}, 'IMAGENET1K_V1');
function shufflenet(name: string, weights: WeightsEnum, outChannels: number[], opts: ModelOptions | undefined): Promise<ShuffleNetV2> {
  return buildModel(name, weights, opts, (numClasses) => new ShuffleNetV2([4, 8, 4], outChannels, { numClasses }));
}

type Opts<E> = ModelOptions<WeightsName<E>>;

/** ShuffleNetV2 with 0.5x output channels. */
export const shufflenet_v2_x0_5 = registerModel('shufflenet_v2_x0_5', (opts?: Opts<typeof ShuffleNet_V2_X0_5_Weights>) => shufflenet('shufflenet_v2_x0_5', ShuffleNet_V2_X0_5_Weights, [24, 48, 96, 192, 1024], opts), ShuffleNet_V2_X0_5_Weights);
/** ShuffleNetV2 with 1.0x output channels. */
export const shufflenet_v2_x1_0 = registerModel('shufflenet_v2_x1_0', (opts?: Opts<typeof ShuffleNet_V2_X1_0_Weights>) => shufflenet('shufflenet_v2_x1_0', ShuffleNet_V2_X1_0_Weights, [24, 116, 232, 464, 1024], opts), ShuffleNet_V2_X1_0_Weights);
/** ShuffleNetV2 with 1.5x output channels. */
export const shufflenet_v2_x1_5 = registerModel('shufflenet_v2_x1_5', (opts?: Opts<typeof ShuffleNet_V2_X1_5_Weights>) => shufflenet('shufflenet_v2_x1_5', ShuffleNet_V2_X1_5_Weights, [24, 176, 352, 704, 1024], opts), ShuffleNet_V2_X1_5_Weights);
/** ShuffleNetV2 with 2.0x output channels. */
export const shufflenet_v2_x2_0 = registerModel('shufflenet_v2_x2_0', (opts?: Opts<typeof ShuffleNet_V2_X2_0_Weights>) => shufflenet('shufflenet_v2_x2_0', ShuffleNet_V2_X2_0_Weights, [24, 244, 488, 976, 2048], opts), ShuffleNet_V2_X2_0_Weights);
