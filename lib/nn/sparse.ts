// Embedding, as torch/nn/modules/sparse.py.
import { Tensor } from '../tensor';
import '../tensor_ops';
import { noGrad } from '../autograd';
import { Module, markPureForward } from './module';
import { Parameter } from './parameter';
import { CtorArgs, requiredArgs, parseArgs, pyFloat, FactoryOptions, newParameter } from './common';
import * as F from './functional';
import * as init from './init';

/** Keyword arguments of Embedding. */
export interface EmbeddingOptions extends FactoryOptions {
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
  /** Use this tensor as the weight instead of a N(0, 1) initialisation. */
  _weight?: Tensor | null;
}

/** A lookup table of `numEmbeddings` vectors of size `embeddingDim`, indexed by int64 tensors. */
export class Embedding extends Module {
  numEmbeddings: number;
  embeddingDim: number;
  paddingIdx: number | null;
  maxNorm: number | null;
  normType: number;
  scaleGradByFreq: boolean;
  sparse: boolean;
  declare weight: Parameter;

  constructor(
    ...all: CtorArgs<
      [['numEmbeddings', number], ['embeddingDim', number]],
      [paddingIdx?: number | null, maxNorm?: number | null, normType?: number, scaleGradByFreq?: boolean, sparse?: boolean, _weight?: Tensor | null],
      EmbeddingOptions
    >
  ) {
    super();
    const [[numEmbeddings, embeddingDim], args] = requiredArgs('Embedding', ['numEmbeddings', 'embeddingDim'], all) as [[number, number], unknown[]];
    const o = parseArgs<EmbeddingOptions>('Embedding', args, ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse', '_weight'], ['device', 'dtype']);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let paddingIdx = o.paddingIdx ?? null;
    if (paddingIdx !== null) {
      if (paddingIdx > 0 && paddingIdx >= numEmbeddings) throw new RangeError('Padding_idx must be within num_embeddings');
      if (paddingIdx < 0) {
        if (paddingIdx < -numEmbeddings) throw new RangeError('Padding_idx must be within num_embeddings');
        paddingIdx = numEmbeddings + paddingIdx;
      }
    }
    this.paddingIdx = paddingIdx;
    this.maxNorm = o.maxNorm ?? null;
    this.normType = o.normType ?? 2.0;
    this.scaleGradByFreq = o.scaleGradByFreq ?? false;
    this.sparse = o.sparse ?? false;
    const given = o._weight ?? null;
    if (given === null) {
      this.weight = newParameter([numEmbeddings, embeddingDim], o);
      this.resetParameters();
    } else {
      const s = given.shape;
      if (s.length !== 2 || s[0] !== numEmbeddings || s[1] !== embeddingDim) throw new RangeError('Shape of weight does not match num_embeddings and embedding_dim');
      this.weight = new Parameter(given);
    }
  }

  /** Re-initialises the weight from N(0, 1) (the padding row to zeros). */
  resetParameters(): void {
    init.normal_(this.weight);
    this.fillPaddingIdxWithZero();
  }

  private fillPaddingIdxWithZero(): void {
    if (this.paddingIdx !== null) {
      const idx = this.paddingIdx;
      noGrad(() => this.weight.indexPut_(idx, 0));
    }
  }

  override forward(input: Tensor): Tensor {
    return F.embedding(input, this.weight, this.paddingIdx, this.maxNorm, this.normType, this.scaleGradByFreq, this.sparse);
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ', scale_grad_by_freq=True';
    if (this.sparse) s += ', sparse=True';
    return s;
  }

  /** An Embedding over the rows of a 2-D tensor; `freeze` (default true) stops its training. */
  static fromPretrained(
    embeddings: Tensor,
    opts: { freeze?: boolean; paddingIdx?: number | null; maxNorm?: number | null; normType?: number; scaleGradByFreq?: boolean; sparse?: boolean } = {},
  ): Embedding {
    if (embeddings.dim() !== 2) throw new RangeError('Embeddings parameter is expected to be 2-dimensional');
    const [rows, cols] = embeddings.shape;
    const e = new Embedding(rows, cols, {
      _weight: embeddings, paddingIdx: opts.paddingIdx, maxNorm: opts.maxNorm, normType: opts.normType, scaleGradByFreq: opts.scaleGradByFreq, sparse: opts.sparse,
    });
    e.weight.requiresGrad = !(opts.freeze ?? true);
    return e;
  }
}

markPureForward(Embedding);
