// Padding layers, as torch/nn/modules/padding.py: constant (and zero), reflection and replication padding.
import { Tensor } from '../tensor';
import { Module, markPureForward } from './module';
import { IntOrTuple, ntuple, pyTuple } from './common';
import * as F from './functional';

function padding(v: IntOrTuple, n: number, name: string): number[] {
  const p = ntuple(v, n);
  if (p.length !== n || !p.every(Number.isInteger)) throw new TypeError(`${name}: padding must be an int or ${n} ints`);
  return p;
}

/** Pads with a constant value (PyTorch's `_ConstantPadNd`). */
export abstract class _ConstantPadNd extends Module {
  padding: number[];
  value: number;

  protected constructor(pad: IntOrTuple, value: number, n: number) {
    super();
    this.padding = padding(pad, n, new.target.name);
    this.value = value;
  }

  override forward(input: Tensor): Tensor {
    return F.pad(input, this.padding, 'constant', this.value);
  }

  override extraRepr(): string {
    return `padding=${pyTuple(this.padding)}, value=${this.value}`;
  }
}

/** Pads the last dimension (left, right) with `value`. */
export class ConstantPad1d extends _ConstantPadNd {
  constructor(padding: IntOrTuple, value: number) {
    super(padding, value, 2);
  }
}
/** Pads the last two dimensions (left, right, top, bottom) with `value`. */
export class ConstantPad2d extends _ConstantPadNd {
  constructor(padding: IntOrTuple, value: number) {
    super(padding, value, 4);
  }
}
/** Pads the last three dimensions with `value`. */
export class ConstantPad3d extends _ConstantPadNd {
  constructor(padding: IntOrTuple, value: number) {
    super(padding, value, 6);
  }
}

/** Pads the last two dimensions with zeros. */
export class ZeroPad2d extends ConstantPad2d {
  constructor(padding: IntOrTuple) {
    super(padding, 0.0);
  }
  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/** Pads by reflection or replication of the border (PyTorch's `_ReflectionPadNd`/`_ReplicationPadNd`). */
export abstract class _PadNd extends Module {
  padding: number[];

  protected constructor(pad: IntOrTuple, n: number, private readonly mode: F.PadMode) {
    super();
    this.padding = padding(pad, n, new.target.name);
  }

  override forward(input: Tensor): Tensor {
    return F.pad(input, this.padding, this.mode);
  }

  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/** Reflection padding of the last dimension. */
export class ReflectionPad1d extends _PadNd {
  constructor(padding: IntOrTuple) {
    super(padding, 2, 'reflect');
  }
}
/** Reflection padding of the last two dimensions. */
export class ReflectionPad2d extends _PadNd {
  constructor(padding: IntOrTuple) {
    super(padding, 4, 'reflect');
  }
}
/** Reflection padding of the last three dimensions. */
export class ReflectionPad3d extends _PadNd {
  constructor(padding: IntOrTuple) {
    super(padding, 6, 'reflect');
  }
}
/** Replication padding of the last dimension. */
export class ReplicationPad1d extends _PadNd {
  constructor(padding: IntOrTuple) {
    super(padding, 2, 'replicate');
  }
}
/** Replication padding of the last two dimensions. */
export class ReplicationPad2d extends _PadNd {
  constructor(padding: IntOrTuple) {
    super(padding, 4, 'replicate');
  }
}
/** Replication padding of the last three dimensions. */
export class ReplicationPad3d extends _PadNd {
  constructor(padding: IntOrTuple) {
    super(padding, 6, 'replicate');
  }
}

markPureForward(ConstantPad1d, ConstantPad2d, ConstantPad3d, ZeroPad2d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d);
