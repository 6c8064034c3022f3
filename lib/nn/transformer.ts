// The Transformer encoder layer, as torch/nn/modules/transformer.py (torchvision's ViT builds on
// MultiheadAttention directly; this is the standard post/pre-norm encoder block).
import { Tensor, tidy } from '../tensor';
import '../tensor_ops';
import { Module, markPureForward, isPureForward } from './module';
import { PyArgs, CtorArgs, requiredArgs, parseArgs, FactoryOptions } from './common';
import { Linear } from './linear';
import { Dropout } from './dropout';
import { LayerNorm } from './normalization';
import { MultiheadAttention } from './activation';
import * as F from './functional';

/** The activation of the feed-forward block: 'relu', 'gelu', a function or a module. */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor) | Module;

/** Keyword arguments of TransformerEncoderLayer. */
export interface TransformerEncoderLayerOptions extends FactoryOptions {
  dimFeedforward?: number;
  dropout?: number;
  activation?: TransformerActivation;
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
}

/** Keyword arguments of TransformerEncoderLayer.forward. */
export interface TransformerEncoderLayerForwardOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}

const reluFn = (x: Tensor): Tensor => F.relu(x);
const geluFn = (x: Tensor): Tensor => F.gelu(x);

/** Self-attention followed by a feed-forward network, each with a residual connection and LayerNorm. */
export class TransformerEncoderLayer extends Module {
  /** @internal Pure (frees nothing a caller sees) when its children are. */
  static readonly _pureIfChildrenAre = true;
  declare self_attn: MultiheadAttention;
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  normFirst: boolean;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  /** The feed-forward activation: a function, or a module registered as a child. */
  activation: ((x: Tensor) => Tensor) | Module;

  constructor(
    ...all: CtorArgs<
      [['dModel', number], ['nhead', number]],
      [dimFeedforward?: number, dropout?: number, activation?: TransformerActivation, layerNormEps?: number, batchFirst?: boolean, normFirst?: boolean],
      TransformerEncoderLayerOptions
    >
  ) {
    super();
    const [[dModel, nhead], args] = requiredArgs('TransformerEncoderLayer', ['dModel', 'nhead'], all) as [[number, number], unknown[]];
    const o = parseArgs<TransformerEncoderLayerOptions>('TransformerEncoderLayer', args, ['dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst'], ['device', 'dtype']);
    const f = { device: o.device, dtype: o.dtype };
    const dropout = o.dropout ?? 0.1;
    const dimFeedforward = o.dimFeedforward ?? 2048;
    const eps = o.layerNormEps ?? 1e-5;
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst: o.batchFirst ?? false, ...f });
    this.linear1 = new Linear(dModel, dimFeedforward, f);
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel, f);
    this.normFirst = o.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, { eps, ...f });
    this.norm2 = new LayerNorm(dModel, { eps, ...f });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    const act = o.activation ?? 'relu';
    if (act === 'relu') this.activation = reluFn;
    else if (act === 'gelu') this.activation = geluFn;
    else if (typeof act === 'function' || act instanceof Module) this.activation = act;
    else throw new RangeError(`activation should be relu/gelu, not ${String(act)}`);
  }

  private act(x: Tensor): Tensor {
    const a = this.activation;
    return a instanceof Module ? (a.forward(x) as Tensor) : a(x);
  }

  private saBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [y] = this.self_attn.forward(x, x, x, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout1.forward(y);
  }

  private ffBlock(x: Tensor): Tensor {
    return this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.act(this.linear1.forward(x)))));
  }

  override forward(src: Tensor, ...args: PyArgs<[srcMask?: Tensor | null, srcKeyPaddingMask?: Tensor | null], TransformerEncoderLayerForwardOptions>): Tensor {
    const o = parseArgs<TransformerEncoderLayerForwardOptions>('TransformerEncoderLayer.forward', args, ['srcMask', 'srcKeyPaddingMask']);
    const mask = o.srcMask ?? null;
    const kpm = o.srcKeyPaddingMask ?? null;
    if (kpm !== null && kpm.dtype !== 'bool' && !kpm.isFloatingPoint()) throw new TypeError('only bool and floating types of key_padding_mask are supported');
    const run = (): Tensor => {
      let x = src;
      if (this.normFirst) {
        x = x.add(this.saBlock(this.norm1.forward(x), mask, kpm));
        x = x.add(this.ffBlock(this.norm2.forward(x)));
      } else {
        x = this.norm1.forward(x.add(this.saBlock(x, mask, kpm)));
        x = this.norm2.forward(x.add(this.ffBlock(x)));
      }
      return x;
    };
    // Intermediates never reach the caller unless a hook (or a custom activation) could see them.
    const canFree = [...this.children()].every(isPureForward) && (this.activation === reluFn || this.activation === geluFn || this.activation instanceof Module);
    return canFree ? tidy(run) : run();
  }
}

markPureForward(TransformerEncoderLayer);
