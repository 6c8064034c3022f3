// Inception v3, as torchvision/models/inception.py: the `Conv2d_1a_3x3`..`Conv2d_4a_3x3` stem, the `Mixed_5b`..
// `Mixed_7c` blocks (InceptionA-E), the optional `AuxLogits` classifier (used in training) and `fc`. Expects
// 299x299 inputs.
import { Tensor } from '../../tensor';
import { Module, markPureForward } from '../../nn/module';
import { Conv2d, ConvOptions } from '../../nn/conv';
import { BatchNorm2d } from '../../nn/batchnorm';
import { Dropout } from '../../nn/dropout';
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/pooling';
import { Linear } from '../../nn/linear';
import * as F from '../../nn/functional';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, registerModel, weightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { transformInput, auxiliaryHeadOptions } from './googlenet';
import { allPure, catBranches, isPure, run, runOwned, release } from './_utils';

/** Convolution (no bias), BatchNorm (eps 0.001) and ReLU. */
export class BasicConv2d extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare conv: Conv2d;
  declare bn: BatchNorm2d;

  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], opts: Omit<ConvOptions, 'bias'> = {}) {
    super();
    this.conv = new Conv2d(inChannels, outChannels, kernelSize, { ...opts, bias: false });
    this.bn = new BatchNorm2d(outChannels, { eps: 0.001 });
  }

  override forward(x: Tensor): Tensor {
    return run(x, [this.conv, this.bn, (t) => F.relu(t, true)]);
  }
}

type ConvBlock = typeof BasicConv2d;
const avgPool3 = (t: Tensor) => F.avgPool2d(t, 3, { stride: 1, padding: 1 });
const maxPool3s2 = (t: Tensor) => F.maxPool2d(t, 3, { stride: 2 });

/** Inception module A (35x35): 1x1, 5x5, double 3x3 and pool branches. */
export class InceptionA extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare branch1x1: Module;
  declare branch5x5_1: Module;
  declare branch5x5_2: Module;
  declare branch3x3dbl_1: Module;
  declare branch3x3dbl_2: Module;
  declare branch3x3dbl_3: Module;
  declare branch_pool: Module;

  constructor(inChannels: number, poolFeatures: number, convBlock: ConvBlock = BasicConv2d) {
    super();
    this.branch1x1 = new convBlock(inChannels, 64, 1);
    this.branch5x5_1 = new convBlock(inChannels, 48, 1);
    this.branch5x5_2 = new convBlock(48, 64, 5, { padding: 2 });
    this.branch3x3dbl_1 = new convBlock(inChannels, 64, 1);
    this.branch3x3dbl_2 = new convBlock(64, 96, 3, { padding: 1 });
    this.branch3x3dbl_3 = new convBlock(96, 96, 3, { padding: 1 });
    this.branch_pool = new convBlock(inChannels, poolFeatures, 1);
  }

  override forward(x: Tensor): Tensor {
    return catBranches(x, [
      [this.branch1x1], [this.branch5x5_1, this.branch5x5_2], [this.branch3x3dbl_1, this.branch3x3dbl_2, this.branch3x3dbl_3], [avgPool3, this.branch_pool],
    ]);
  }
}

/** Inception module B (grid reduction 35 → 17). */
export class InceptionB extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare branch3x3: Module;
  declare branch3x3dbl_1: Module;
  declare branch3x3dbl_2: Module;
  declare branch3x3dbl_3: Module;

  constructor(inChannels: number, convBlock: ConvBlock = BasicConv2d) {
    super();
    this.branch3x3 = new convBlock(inChannels, 384, 3, { stride: 2 });
    this.branch3x3dbl_1 = new convBlock(inChannels, 64, 1);
    this.branch3x3dbl_2 = new convBlock(64, 96, 3, { padding: 1 });
    this.branch3x3dbl_3 = new convBlock(96, 96, 3, { stride: 2 });
  }

  override forward(x: Tensor): Tensor {
    return catBranches(x, [[this.branch3x3], [this.branch3x3dbl_1, this.branch3x3dbl_2, this.branch3x3dbl_3], [maxPool3s2]]);
  }
}

/** Inception module C (17x17) with factorized 7x7 convolutions. */
export class InceptionC extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare branch1x1: Module;
  declare branch7x7_1: Module;
  declare branch7x7_2: Module;
  declare branch7x7_3: Module;
  declare branch7x7dbl_1: Module;
  declare branch7x7dbl_2: Module;
  declare branch7x7dbl_3: Module;
  declare branch7x7dbl_4: Module;
  declare branch7x7dbl_5: Module;
  declare branch_pool: Module;

  constructor(inChannels: number, channels7x7: number, convBlock: ConvBlock = BasicConv2d) {
    super();
    const c7 = channels7x7;
    const row = { padding: [0, 3] };
    const col = { padding: [3, 0] };
    this.branch1x1 = new convBlock(inChannels, 192, 1);
    this.branch7x7_1 = new convBlock(inChannels, c7, 1);
    this.branch7x7_2 = new convBlock(c7, c7, [1, 7], row);
    this.branch7x7_3 = new convBlock(c7, 192, [7, 1], col);
    this.branch7x7dbl_1 = new convBlock(inChannels, c7, 1);
    this.branch7x7dbl_2 = new convBlock(c7, c7, [7, 1], col);
    this.branch7x7dbl_3 = new convBlock(c7, c7, [1, 7], row);
    this.branch7x7dbl_4 = new convBlock(c7, c7, [7, 1], col);
    this.branch7x7dbl_5 = new convBlock(c7, 192, [1, 7], row);
    this.branch_pool = new convBlock(inChannels, 192, 1);
  }

  override forward(x: Tensor): Tensor {
    return catBranches(x, [
      [this.branch1x1],
      [this.branch7x7_1, this.branch7x7_2, this.branch7x7_3],
      [this.branch7x7dbl_1, this.branch7x7dbl_2, this.branch7x7dbl_3, this.branch7x7dbl_4, this.branch7x7dbl_5],
      [avgPool3, this.branch_pool],
    ]);
  }
}

/** Inception module D (grid reduction 17 → 8). */
export class InceptionD extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare branch3x3_1: Module;
  declare branch3x3_2: Module;
  declare branch7x7x3_1: Module;
  declare branch7x7x3_2: Module;
  declare branch7x7x3_3: Module;
  declare branch7x7x3_4: Module;

  constructor(inChannels: number, convBlock: ConvBlock = BasicConv2d) {
    super();
    this.branch3x3_1 = new convBlock(inChannels, 192, 1);
    this.branch3x3_2 = new convBlock(192, 320, 3, { stride: 2 });
    this.branch7x7x3_1 = new convBlock(inChannels, 192, 1);
    this.branch7x7x3_2 = new convBlock(192, 192, [1, 7], { padding: [0, 3] });
    this.branch7x7x3_3 = new convBlock(192, 192, [7, 1], { padding: [3, 0] });
    this.branch7x7x3_4 = new convBlock(192, 192, 3, { stride: 2 });
  }

  override forward(x: Tensor): Tensor {
    return catBranches(x, [[this.branch3x3_1, this.branch3x3_2], [this.branch7x7x3_1, this.branch7x7x3_2, this.branch7x7x3_3, this.branch7x7x3_4], [maxPool3s2]]);
  }
}

/** Inception module E (8x8) with expanded filter banks. */
export class InceptionE extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare branch1x1: Module;
  declare branch3x3_1: Module;
  declare branch3x3_2a: Module;
  declare branch3x3_2b: Module;
  declare branch3x3dbl_1: Module;
  declare branch3x3dbl_2: Module;
  declare branch3x3dbl_3a: Module;
  declare branch3x3dbl_3b: Module;
  declare branch_pool: Module;

  constructor(inChannels: number, convBlock: ConvBlock = BasicConv2d) {
    super();
    this.branch1x1 = new convBlock(inChannels, 320, 1);
    this.branch3x3_1 = new convBlock(inChannels, 384, 1);
    this.branch3x3_2a = new convBlock(384, 384, [1, 3], { padding: [0, 1] });
    this.branch3x3_2b = new convBlock(384, 384, [3, 1], { padding: [1, 0] });
    this.branch3x3dbl_1 = new convBlock(inChannels, 448, 1);
    this.branch3x3dbl_2 = new convBlock(448, 384, 3, { padding: 1 });
    this.branch3x3dbl_3a = new convBlock(384, 384, [1, 3], { padding: [0, 1] });
    this.branch3x3dbl_3b = new convBlock(384, 384, [3, 1], { padding: [1, 0] });
    this.branch_pool = new convBlock(inChannels, 192, 1);
  }

  private split(x: Tensor, stem: Module[], a: Module, b: Module): Tensor {
    const [s, owned] = runOwned(x, stem);
    const out = catBranches(s, [[a], [b]]);
    release(s, owned && allPure(a, b), x, out);
    return out;
  }

  override forward(x: Tensor): Tensor {
    return catBranches(x, [
      [this.branch1x1],
      [(t) => this.split(t, [this.branch3x3_1], this.branch3x3_2a, this.branch3x3_2b)],
      [(t) => this.split(t, [this.branch3x3dbl_1, this.branch3x3dbl_2], this.branch3x3dbl_3a, this.branch3x3dbl_3b)],
      [avgPool3, this.branch_pool],
    ]);
  }
}

/** The auxiliary classifier on Mixed_6e, used in training. */
export class InceptionAux extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare conv0: Module;
  declare conv1: Module;
  declare fc: Linear;

  constructor(inChannels: number, numClasses: number, convBlock: ConvBlock = BasicConv2d) {
    super();
    this.conv0 = new convBlock(inChannels, 128, 1);
    this.conv1 = new convBlock(128, 768, 5);
    (this.conv1 as Module & { stddev?: number }).stddev = 0.01;
    this.fc = new Linear(768, numClasses);
    (this.fc as Module & { stddev?: number }).stddev = 0.001;
  }

  override forward(x: Tensor): Tensor {
    return run(x, [(t) => F.avgPool2d(t, 5, { stride: 3 }), this.conv0, this.conv1, (t) => F.adaptiveAvgPool2d(t, [1, 1]), (t) => t.flatten(1), this.fc]);
  }
}
markPureForward(BasicConv2d, InceptionA, InceptionB, InceptionC, InceptionD, InceptionE, InceptionAux);

/** What Inception3 returns in training with the auxiliary classifier (torchvision's InceptionOutputs). */
export class InceptionOutputs {
  constructor(
    /** The main classifier's output. */
    readonly logits: Tensor,
    /** The auxiliary classifier's output. */
    readonly auxLogits: Tensor | null,
  ) {}

  *[Symbol.iterator](): Iterator<Tensor | null> {
    yield this.logits;
    yield this.auxLogits;
  }
}

/** Options of the Inception3 constructor (torchvision's keyword arguments). */
export interface Inception3Options {
  numClasses?: number;
  /** Build AuxLogits (default true); training then returns InceptionOutputs. */
  auxLogits?: boolean;
  /** Rescale ImageNet-normalized input as the original weights expect (default false). */
  transformInput?: boolean;
  /** The blocks: [BasicConv2d, InceptionA, B, C, D, E, InceptionAux] or subclasses. */
  inceptionBlocks?: [ConvBlock, typeof InceptionA, typeof InceptionB, typeof InceptionC, typeof InceptionD, typeof InceptionE, typeof InceptionAux] | null;
  /** Initialise with truncated normals (default true). */
  initWeights?: boolean | null;
  dropout?: number;
}

/** Inception v3 ("Rethinking the Inception Architecture for Computer Vision"). */
export class Inception3 extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  auxLogits: boolean;
  transformInput: boolean;
  declare Conv2d_1a_3x3: Module;
  declare Conv2d_2a_3x3: Module;
  declare Conv2d_2b_3x3: Module;
  declare maxpool1: Module;
  declare Conv2d_3b_1x1: Module;
  declare Conv2d_4a_3x3: Module;
  declare maxpool2: Module;
  declare Mixed_5b: Module;
  declare Mixed_5c: Module;
  declare Mixed_5d: Module;
  declare Mixed_6a: Module;
  declare Mixed_6b: Module;
  declare Mixed_6c: Module;
  declare Mixed_6d: Module;
  declare Mixed_6e: Module;
  declare AuxLogits: Module | null;
  declare Mixed_7a: Module;
  declare Mixed_7b: Module;
  declare Mixed_7c: Module;
  declare avgpool: Module;
  declare dropout: Module;

  constructor(opts: Inception3Options = {}) {
    super();
    const numClasses = opts.numClasses ?? 1000;
    const blocks = opts.inceptionBlocks ?? [BasicConv2d, InceptionA, InceptionB, InceptionC, InceptionD, InceptionE, InceptionAux];
    if (blocks.length !== 7) throw new RangeError(`lenght of inception_blocks should be 7 instead of ${blocks.length}`);
    const [conv, A, B, C, D, E, Aux] = blocks;
    this.auxLogits = opts.auxLogits ?? true;
    this.transformInput = opts.transformInput ?? false;
    this.Conv2d_1a_3x3 = new conv(3, 32, 3, { stride: 2 });
    this.Conv2d_2a_3x3 = new conv(32, 32, 3);
    this.Conv2d_2b_3x3 = new conv(32, 64, 3, { padding: 1 });
    this.maxpool1 = new MaxPool2d(3, { stride: 2 });
    this.Conv2d_3b_1x1 = new conv(64, 80, 1);
    this.Conv2d_4a_3x3 = new conv(80, 192, 3);
    this.maxpool2 = new MaxPool2d(3, { stride: 2 });
    this.Mixed_5b = new A(192, 32);
    this.Mixed_5c = new A(256, 64);
    this.Mixed_5d = new A(288, 64);
    this.Mixed_6a = new B(288);
    this.Mixed_6b = new C(768, 128);
    this.Mixed_6c = new C(768, 160);
    this.Mixed_6d = new C(768, 160);
    this.Mixed_6e = new C(768, 192);
    this.AuxLogits = null;
    if (this.auxLogits) this.AuxLogits = new Aux(768, numClasses);
    this.Mixed_7a = new D(768);
    this.Mixed_7b = new E(1280);
    this.Mixed_7c = new E(2048);
    this.avgpool = new AdaptiveAvgPool2d([1, 1]);
    this.dropout = new Dropout(opts.dropout ?? 0.5);
    this.fc = new Linear(2048, numClasses);
    if (opts.initWeights ?? true) {
      for (const m of this.modules()) {
        if (m instanceof Conv2d || m instanceof Linear) {
          const stddev = (m as Module & { stddev?: number }).stddev ?? 0.1;
          init.truncNormal_(m.weight, 0.0, stddev, -2, 2);
        } else if (m instanceof BatchNorm2d) {
          init.constant_(m.weight as Tensor, 1);
          init.constant_(m.bias as Tensor, 0);
        }
      }
    }
  }

  /** The logits, or in training with the auxiliary classifier InceptionOutputs (logits, auxLogits). */
  override forward(input: Tensor): Tensor | InceptionOutputs {
    const x0 = this.transformInput ? transformInput(input) : input;
    const [x, owned] = runOwned(x0, [
      this.Conv2d_1a_3x3, this.Conv2d_2a_3x3, this.Conv2d_2b_3x3, this.maxpool1, this.Conv2d_3b_1x1, this.Conv2d_4a_3x3, this.maxpool2,
      this.Mixed_5b, this.Mixed_5c, this.Mixed_5d, this.Mixed_6a, this.Mixed_6b, this.Mixed_6c, this.Mixed_6d, this.Mixed_6e,
    ], x0 !== input);
    let aux: Tensor | null = null;
    if (this.AuxLogits !== null && this.training) aux = this.AuxLogits.forward(x) as Tensor;
    const logits = run(x, [this.Mixed_7a, this.Mixed_7b, this.Mixed_7c, this.avgpool, this.dropout, (t) => t.flatten(1), this.fc], owned && (aux === null || isPure(this.AuxLogits)));
    if (this.training && this.auxLogits) return new InceptionOutputs(logits, aux);
    release(aux, isPure(this.AuxLogits));
    return logits;
  }
}
// The classifier slot reads as the Linear it is built with and accepts any module.
export interface Inception3 {
  get fc(): Linear;
  set fc(m: Module);
}
markPureForward(Inception3);

/** The weights of inception_v3. */
export const Inception_V3_Weights = weightsEnum('Inception_V3_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/inception_v3_google-0cc3c7bd.pth',
    transforms: { cropSize: 299, resizeSize: 342 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 27161264, min_size: [75, 75],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#inception-v3',
      _metrics: { 'ImageNet-1K': { 'acc@1': 77.294, 'acc@5': 93.45 } },
    },
  },
}, 'IMAGENET1K_V1');
/** Options of the inception_v3 builder. */
export interface Inception3BuilderOptions<K extends string = string> extends ModelOptions<K>, Omit<Inception3Options, 'numClasses'> {}

/** Inception v3 (299x299 inputs). With named weights transformInput defaults to true. */
export const inception_v3 = registerModel(
  'inception_v3',
  (opts?: Inception3BuilderOptions<WeightsName<typeof Inception_V3_Weights>>) => {
    const o = opts ?? {};
    return buildModel('inception_v3', Inception_V3_Weights, o, (numClasses, w) => new Inception3({ ...o, numClasses, ...auxiliaryHeadOptions(o, w?.kind === 'enum') }), {
      options: ['auxLogits', 'transformInput', 'inceptionBlocks', 'initWeights', 'dropout'],
      after: (model, w) => {
        if (w.kind === 'enum' && o.auxLogits === false) {
          model.auxLogits = false;
          model.AuxLogits = null;
        }
      },
    });
  },
  Inception_V3_Weights,
);
