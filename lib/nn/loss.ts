// Loss modules, as torch/nn/modules/loss.py. Each holds its options (and weight buffers) and calls the
// functional form in forward(input, target).
import { Tensor } from '../tensor';
import { Module, markPureForward } from './module';
import { PyArgs, parseArgs } from './common';
import * as F from './functional';

/** The common base of losses (PyTorch's `_Loss`): the reduction. */
export abstract class _Loss extends Module {
  reduction: F.Reduction;
  constructor(reduction: F.Reduction = 'mean') {
    super();
    if (reduction !== 'none' && reduction !== 'mean' && reduction !== 'sum') throw new RangeError(`${String(reduction)} is not a valid value for reduction`);
    this.reduction = reduction;
  }
}

/** The common base of losses with per-class weights (PyTorch's `_WeightedLoss`): `weight` is a buffer. */
export abstract class _WeightedLoss extends _Loss {
  declare weight: Tensor | null;
  constructor(weight: Tensor | null = null, reduction: F.Reduction = 'mean') {
    super(reduction);
    this.registerBuffer('weight', weight);
  }
}

/** Mean absolute error. */
export class L1Loss extends _Loss {
  constructor(opts: F.ReductionOptions = {}) {
    super(parseArgs<F.ReductionOptions>('L1Loss', [opts], [], ['reduction']).reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Mean squared error. */
export class MSELoss extends _Loss {
  constructor(opts: F.ReductionOptions = {}) {
    super(parseArgs<F.ReductionOptions>('MSELoss', [opts], [], ['reduction']).reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Smooth L1: quadratic below `beta` (default 1), linear above. */
export class SmoothL1Loss extends _Loss {
  beta: number;
  constructor(opts: F.ReductionOptions & { beta?: number } = {}) {
    const o = parseArgs<F.ReductionOptions & { beta?: number }>('SmoothL1Loss', [opts], [], ['reduction', 'beta']);
    super(o.reduction);
    this.beta = o.beta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Huber loss: quadratic below `delta` (default 1), linear above. */
export class HuberLoss extends _Loss {
  delta: number;
  constructor(...args: PyArgs<[reduction?: F.Reduction, delta?: number], F.ReductionOptions & { delta?: number }>) {
    const o = parseArgs<F.ReductionOptions & { delta?: number }>('HuberLoss', args, ['reduction', 'delta']);
    super(o.reduction);
    this.delta = o.delta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/** Keyword arguments of CrossEntropyLoss. */
export interface CrossEntropyLossOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: F.Reduction;
  labelSmoothing?: number;
}

/**
 * Cross entropy between logits and class indices (or class probabilities): `new nn.CrossEntropyLoss()`,
 * `new nn.CrossEntropyLoss({ weight, ignoreIndex, reduction, labelSmoothing })`.
 */
export class CrossEntropyLoss extends _WeightedLoss {
  ignoreIndex: number;
  labelSmoothing: number;
  constructor(...args: PyArgs<[weight?: Tensor | null], CrossEntropyLossOptions>) {
    const o = parseArgs<CrossEntropyLossOptions>('CrossEntropyLoss', args, ['weight'], ['ignoreIndex', 'reduction', 'labelSmoothing']);
    super(o.weight ?? null, o.reduction);
    this.ignoreIndex = o.ignoreIndex ?? -100;
    this.labelSmoothing = o.labelSmoothing ?? 0.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing });
  }
}

/** Negative log likelihood of log-probabilities at the target classes. */
export class NLLLoss extends _WeightedLoss {
  ignoreIndex: number;
  constructor(...args: PyArgs<[weight?: Tensor | null], Omit<CrossEntropyLossOptions, 'labelSmoothing'>>) {
    const o = parseArgs<CrossEntropyLossOptions>('NLLLoss', args, ['weight'], ['ignoreIndex', 'reduction']);
    super(o.weight ?? null, o.reduction);
    this.ignoreIndex = o.ignoreIndex ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** Binary cross entropy between probabilities and targets. */
export class BCELoss extends _WeightedLoss {
  constructor(...args: PyArgs<[weight?: Tensor | null], F.BCEOptions>) {
    const o = parseArgs<F.BCEOptions>('BCELoss', args, ['weight'], ['reduction']);
    super(o.weight ?? null, o.reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** Sigmoid plus binary cross entropy, numerically stable; `posWeight` weighs positive examples per class. */
export class BCEWithLogitsLoss extends _Loss {
  declare weight: Tensor | null;
  declare pos_weight: Tensor | null;
  constructor(...args: PyArgs<[weight?: Tensor | null], F.BCEWithLogitsOptions>) {
    const o = parseArgs<F.BCEWithLogitsOptions>('BCEWithLogitsLoss', args, ['weight'], ['reduction', 'posWeight']);
    super(o.reduction);
    this.registerBuffer('weight', o.weight ?? null);
    this.registerBuffer('pos_weight', o.posWeight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.pos_weight, reduction: this.reduction });
  }
}

/** Kullback-Leibler divergence of log-probabilities `input` from `target`. */
export class KLDivLoss extends Module {
  reduction: F.Reduction | 'batchmean';
  logTarget: boolean;
  constructor(opts: F.KLDivOptions = {}) {
    super();
    const o = parseArgs<F.KLDivOptions>('KLDivLoss', [opts], [], ['reduction', 'logTarget']);
    this.reduction = o.reduction ?? 'mean';
    this.logTarget = o.logTarget ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}

/** Cosine embedding loss for pairs labelled 1 or -1. */
export class CosineEmbeddingLoss extends _Loss {
  margin: number;
  constructor(...args: PyArgs<[margin?: number], F.MarginOptions>) {
    const o = parseArgs<F.MarginOptions>('CosineEmbeddingLoss', args, ['margin'], ['reduction']);
    super(o.reduction);
    this.margin = o.margin ?? 0.0;
  }
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.cosineEmbeddingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** Ranking loss `max(0, -y * (x1 - x2) + margin)`. */
export class MarginRankingLoss extends _Loss {
  margin: number;
  constructor(...args: PyArgs<[margin?: number], F.MarginOptions>) {
    const o = parseArgs<F.MarginOptions>('MarginRankingLoss', args, ['margin'], ['reduction']);
    super(o.reduction);
    this.margin = o.margin ?? 0.0;
  }
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.marginRankingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** Hinge embedding loss for labels 1 / -1. */
export class HingeEmbeddingLoss extends _Loss {
  margin: number;
  constructor(...args: PyArgs<[margin?: number], F.MarginOptions>) {
    const o = parseArgs<F.MarginOptions>('HingeEmbeddingLoss', args, ['margin'], ['reduction']);
    super(o.reduction);
    this.margin = o.margin ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** Two-class logistic loss for labels 1 / -1. */
export class SoftMarginLoss extends _Loss {
  constructor(opts: F.ReductionOptions = {}) {
    super(parseArgs<F.ReductionOptions>('SoftMarginLoss', [opts], [], ['reduction']).reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.softMarginLoss(input, target, { reduction: this.reduction });
  }
}

markPureForward(
  L1Loss, MSELoss, SmoothL1Loss, HuberLoss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss, CosineEmbeddingLoss,
  MarginRankingLoss, HingeEmbeddingLoss, SoftMarginLoss,
);
