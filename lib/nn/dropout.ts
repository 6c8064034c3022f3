// Dropout layers, as torch/nn/modules/dropout.py. Active in training mode only.
import { Tensor } from '../tensor';
import { Module, markPureForward } from './module';
import { PyArgs, parseArgs, pyFloat } from './common';
import * as F from './functional';

/** Keyword arguments of the dropout layers. */
export interface DropoutOptions {
  p?: number;
  inplace?: boolean;
}
type DropoutArgs = PyArgs<[p?: number, inplace?: boolean], DropoutOptions>;

/** The common base of the dropout layers (PyTorch's `_DropoutNd`). */
export abstract class _DropoutNd extends Module {
  /** Probability of an element (or channel) to be zeroed. */
  p: number;
  inplace: boolean;

  constructor(...args: DropoutArgs) {
    super();
    const o = parseArgs<DropoutOptions>(new.target.name, args, ['p', 'inplace']);
    const p = o.p ?? 0.5;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = o.inplace ?? false;
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}

/** Zeroes elements with probability p during training and scales the rest by 1/(1-p). */
export class Dropout extends _DropoutNd {
  override forward(input: Tensor): Tensor {
    return F.dropout(input, this.p, this.training, this.inplace);
  }
}

/** Zeroes whole channels of (N, C, L) inputs. */
export class Dropout1d extends _DropoutNd {
  override forward(input: Tensor): Tensor {
    return F.dropout1d(input, this.p, this.training, this.inplace);
  }
}

/** Zeroes whole channels of (N, C, H, W) inputs. */
export class Dropout2d extends _DropoutNd {
  override forward(input: Tensor): Tensor {
    return F.dropout2d(input, this.p, this.training, this.inplace);
  }
}

/** Zeroes whole channels of (N, C, D, H, W) inputs. */
export class Dropout3d extends _DropoutNd {
  override forward(input: Tensor): Tensor {
    return F.dropout3d(input, this.p, this.training, this.inplace);
  }
}

/** Dropout that keeps zero mean and unit variance (for SELU networks). */
export class AlphaDropout extends _DropoutNd {
  override forward(input: Tensor): Tensor {
    return F.alphaDropout(input, this.p, this.training);
  }
}

/** Alpha dropout of whole channels. */
export class FeatureAlphaDropout extends _DropoutNd {
  override forward(input: Tensor): Tensor {
    return F.featureAlphaDropout(input, this.p, this.training);
  }
}

markPureForward(Dropout, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout);
