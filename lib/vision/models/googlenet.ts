// GoogLeNet (Inception v1), as torchvision/models/googlenet.py: BasicConv2d stem, Inception blocks
// (`inception3a`..`inception5b`), optional auxiliary classifiers `aux1`/`aux2` (used in training) and `fc`.
import { Tensor } from '../../tensor';
import { cat } from '../../functions';
import { Module, markPureForward } from '../../nn/module';
import { Sequential } from '../../nn/container';
import { Conv2d, ConvOptions } from '../../nn/conv';
import { BatchNorm2d } from '../../nn/batchnorm';
import { Dropout } from '../../nn/dropout';
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/pooling';
import { Linear } from '../../nn/linear';
import * as F from '../../nn/functional';
import * as init from '../../nn/init';
import { ModelOptions, buildModel, overwriteNamedParam, registerModel, weightsEnum, WeightsName } from './_api';
import { IMAGENET_CATEGORIES } from './_meta';
import { catBranches, isPure, run, runOwned, release } from './_utils';

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

/** An Inception block: 1x1, 1x1-3x3, 1x1-3x3 and pool-1x1 branches, concatenated. */
export class Inception extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare branch1: Module;
  declare branch2: Sequential;
  declare branch3: Sequential;
  declare branch4: Sequential;

  constructor(inChannels: number, ch1x1: number, ch3x3red: number, ch3x3: number, ch5x5red: number, ch5x5: number, poolProj: number, convBlock: typeof BasicConv2d = BasicConv2d) {
    super();
    this.branch1 = new convBlock(inChannels, ch1x1, 1);
    this.branch2 = new Sequential(new convBlock(inChannels, ch3x3red, 1), new convBlock(ch3x3red, ch3x3, 3, { padding: 1 }));
    this.branch3 = new Sequential(new convBlock(inChannels, ch5x5red, 1), new convBlock(ch5x5red, ch5x5, 3, { padding: 1 }));
    this.branch4 = new Sequential(new MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }), new convBlock(inChannels, poolProj, 1));
  }

  override forward(x: Tensor): Tensor {
    return catBranches(x, [[this.branch1], [this.branch2], [this.branch3], [this.branch4]]);
  }
}

/** The auxiliary classifier attached to inception4a and inception4d during training. */
export class InceptionAux extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  declare conv: Module;
  declare fc1: Linear;
  declare fc2: Linear;
  declare dropout: Module;

  constructor(inChannels: number, numClasses: number, convBlock: typeof BasicConv2d = BasicConv2d, dropout = 0.7) {
    super();
    this.conv = new convBlock(inChannels, 128, 1);
    this.fc1 = new Linear(2048, 1024);
    this.fc2 = new Linear(1024, numClasses);
    this.dropout = new Dropout(dropout);
  }

  override forward(x: Tensor): Tensor {
    return run(x, [(t) => F.adaptiveAvgPool2d(t, [4, 4]), this.conv, (t) => t.flatten(1), this.fc1, (t) => F.relu(t, true), this.dropout, this.fc2]);
  }
}
markPureForward(BasicConv2d, Inception, InceptionAux);

/** What GoogLeNet returns in training with auxiliary classifiers (torchvision's GoogLeNetOutputs). */
export class GoogLeNetOutputs {
  constructor(
    /** The main classifier's output. */
    readonly logits: Tensor,
    /** Named as in torchvision, which fills it with aux1's output (after inception4a). */
    readonly auxLogits2: Tensor | null,
    /** Named as in torchvision, which fills it with aux2's output (after inception4d). */
    readonly auxLogits1: Tensor | null,
  ) {}

  *[Symbol.iterator](): Iterator<Tensor | null> {
    yield this.logits;
    yield this.auxLogits2;
    yield this.auxLogits1;
  }
}

/** Shifts ImageNet-normalized input to the [-1, 1] scaling the original weights expect. */
export function transformInput(x: Tensor): Tensor {
  const chans = [[0.229, 0.485], [0.224, 0.456], [0.225, 0.406]].map(([std, mean], c) => {
    const ch = x.select(1, c);
    const u = ch.unsqueeze(1);
    ch.dispose();
    const scaled = u.mul(std / 0.5);
    u.dispose();
    const out = scaled.add((mean - 0.5) / 0.5);
    scaled.dispose();
    return out;
  });
  const out = cat(chans, 1);
  for (const t of chans) t.dispose();
  return out;
}

/** Options of the GoogLeNet constructor (torchvision's keyword arguments). */
export interface GoogLeNetOptions {
  numClasses?: number;
  /** Build aux1 and aux2 (default true); training then returns GoogLeNetOutputs. */
  auxLogits?: boolean;
  /** Rescale ImageNet-normalized input as the original weights expect (default false). */
  transformInput?: boolean;
  /** Initialise with truncated normals (default true). */
  initWeights?: boolean | null;
  /** The blocks: [BasicConv2d, Inception, InceptionAux] or subclasses. */
  blocks?: [typeof BasicConv2d, typeof Inception, typeof InceptionAux] | null;
  dropout?: number;
  dropoutAux?: number;
}

/** GoogLeNet ("Going Deeper with Convolutions"). */
export class GoogLeNet extends Module {
  /** @internal */
  static readonly _pureIfChildrenAre = true;
  auxLogits: boolean;
  transformInput: boolean;
  declare conv1: Module;
  declare maxpool1: Module;
  declare conv2: Module;
  declare conv3: Module;
  declare maxpool2: Module;
  declare inception3a: Module;
  declare inception3b: Module;
  declare maxpool3: Module;
  declare inception4a: Module;
  declare inception4b: Module;
  declare inception4c: Module;
  declare inception4d: Module;
  declare inception4e: Module;
  declare maxpool4: Module;
  declare inception5a: Module;
  declare inception5b: Module;
  declare aux1: Module | null;
  declare aux2: Module | null;
  declare avgpool: Module;
  declare dropout: Module;

  constructor(opts: GoogLeNetOptions = {}) {
    super();
    const numClasses = opts.numClasses ?? 1000;
    const [convBlock, inceptionBlock, auxBlock] = opts.blocks ?? [BasicConv2d, Inception, InceptionAux];
    this.auxLogits = opts.auxLogits ?? true;
    this.transformInput = opts.transformInput ?? false;
    const pool = (k: number) => new MaxPool2d(k, { stride: 2, ceilMode: true });
    this.conv1 = new convBlock(3, 64, 7, { stride: 2, padding: 3 });
    this.maxpool1 = pool(3);
    this.conv2 = new convBlock(64, 64, 1);
    this.conv3 = new convBlock(64, 192, 3, { padding: 1 });
    this.maxpool2 = pool(3);
    this.inception3a = new inceptionBlock(192, 64, 96, 128, 16, 32, 32);
    this.inception3b = new inceptionBlock(256, 128, 128, 192, 32, 96, 64);
    this.maxpool3 = pool(3);
    this.inception4a = new inceptionBlock(480, 192, 96, 208, 16, 48, 64);
    this.inception4b = new inceptionBlock(512, 160, 112, 224, 24, 64, 64);
    this.inception4c = new inceptionBlock(512, 128, 128, 256, 24, 64, 64);
    this.inception4d = new inceptionBlock(512, 112, 144, 288, 32, 64, 64);
    this.inception4e = new inceptionBlock(528, 256, 160, 320, 32, 128, 128);
    this.maxpool4 = pool(2);
    this.inception5a = new inceptionBlock(832, 256, 160, 320, 32, 128, 128);
    this.inception5b = new inceptionBlock(832, 384, 192, 384, 48, 128, 128);
    if (this.auxLogits) {
      this.aux1 = new auxBlock(512, numClasses, BasicConv2d, opts.dropoutAux ?? 0.7);
      this.aux2 = new auxBlock(528, numClasses, BasicConv2d, opts.dropoutAux ?? 0.7);
    } else {
      this.aux1 = null;
      this.aux2 = null;
    }
    this.avgpool = new AdaptiveAvgPool2d([1, 1]);
    this.dropout = new Dropout(opts.dropout ?? 0.2);
    this.fc = new Linear(1024, numClasses);
    if (opts.initWeights ?? true) {
      for (const m of this.modules()) {
        if (m instanceof Conv2d || m instanceof Linear) {
          init.truncNormal_(m.weight, 0.0, 0.01, -2, 2);
        } else if (m instanceof BatchNorm2d) {
          init.constant_(m.weight as Tensor, 1);
          init.constant_(m.bias as Tensor, 0);
        }
      }
    }
  }

  /** The logits, or in training with auxiliary classifiers GoogLeNetOutputs (logits, auxLogits2, auxLogits1). */
  override forward(input: Tensor): Tensor | GoogLeNetOutputs {
    const x0 = this.transformInput ? transformInput(input) : input;
    let [x, owned] = runOwned(x0, [this.conv1, this.maxpool1, this.conv2, this.conv3, this.maxpool2, this.inception3a, this.inception3b, this.maxpool3, this.inception4a], x0 !== input);
    let aux1: Tensor | null = null;
    if (this.aux1 !== null && this.training) aux1 = this.aux1.forward(x) as Tensor;
    [x, owned] = runOwned(x, [this.inception4b, this.inception4c, this.inception4d], owned && (aux1 === null || isPure(this.aux1)));
    let aux2: Tensor | null = null;
    if (this.aux2 !== null && this.training) aux2 = this.aux2.forward(x) as Tensor;
    const logits = run(x, [this.inception4e, this.maxpool4, this.inception5a, this.inception5b, this.avgpool, (t) => t.flatten(1), this.dropout, this.fc], owned && (aux2 === null || isPure(this.aux2)));
    // torchvision's forward swaps the two: its aux_logits2 holds aux1's output and aux_logits1 aux2's. Kept, so
    // that outputs[1] and outputs[2] are what Python code indexing the tuple gets.
    if (this.training && this.auxLogits) return new GoogLeNetOutputs(logits, aux1, aux2);
    release(aux1, isPure(this.aux1));
    release(aux2, isPure(this.aux2));
    return logits;
  }
}
// The classifier slot reads as the Linear it is built with and accepts any module.
export interface GoogLeNet {
  get fc(): Linear;
  set fc(m: Module);
}
markPureForward(GoogLeNet);

/** The options of a model with auxiliary classifiers (GoogLeNet, Inception v3) that named weights decide. */
interface AuxiliaryHeadOptions {
  auxLogits?: boolean;
  transformInput?: boolean;
  initWeights?: boolean | null;
}

/**
 * @internal As torchvision's builders: with named weights, transformInput defaults to true, initialisation is
 * skipped, and the auxiliary classifier is built so that the checkpoint (which has it) loads; the builder drops
 * it afterwards unless asked for.
 */
export function auxiliaryHeadOptions(o: AuxiliaryHeadOptions, namedWeights: boolean): AuxiliaryHeadOptions {
  if (!namedWeights) return { auxLogits: o.auxLogits, transformInput: o.transformInput, initWeights: o.initWeights };
  return { auxLogits: true, transformInput: o.transformInput ?? true, initWeights: overwriteNamedParam('initWeights', o.initWeights ?? undefined, false) };
}

/** The weights of googlenet. */
export const GoogLeNet_Weights = weightsEnum('GoogLeNet_Weights', {
  IMAGENET1K_V1: {
    url: 'https://download.pytorch.org/models/googlenet-1378be20.pth',
    transforms: { cropSize: 224 },
    meta: {
      categories: IMAGENET_CATEGORIES, num_params: 6624904, min_size: [15, 15],
      recipe: 'https://github.com/pytorch/vision/tree/main/references/classification#googlenet',
      _metrics: { 'ImageNet-1K': { 'acc@1': 69.778, 'acc@5': 89.53 } },
    },
  },
}, 'IMAGENET1K_V1');
/** Options of the googlenet builder. */
export interface GoogLeNetBuilderOptions<K extends string = string> extends ModelOptions<K>, Omit<GoogLeNetOptions, 'numClasses'> {}

/**
 * GoogLeNet. With named weights: transformInput defaults to true, and the auxiliary classifiers (not trained in
 * the official weights) are dropped unless `auxLogits: true`.
 */
export const googlenet = registerModel(
  'googlenet',
  (opts?: GoogLeNetBuilderOptions<WeightsName<typeof GoogLeNet_Weights>>) => {
    const o = opts ?? {};
    return buildModel('googlenet', GoogLeNet_Weights, o, (numClasses, w) => new GoogLeNet({ ...o, numClasses, ...auxiliaryHeadOptions(o, w?.kind === 'enum') }), {
      options: ['auxLogits', 'transformInput', 'initWeights', 'blocks', 'dropout', 'dropoutAux'],
      after: (model, w) => {
        if (w.kind !== 'enum') return;
        if (!o.auxLogits) {
          model.auxLogits = false;
          model.aux1 = null;
          model.aux2 = null;
        } else {
          process.emitWarning('auxiliary heads in the pretrained googlenet model are NOT pretrained, so make sure to train them', 'UserWarning');
        }
      },
    });
  },
  GoogLeNet_Weights,
);
