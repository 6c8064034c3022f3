// Upsampling layers, as torch/nn/modules/upsampling.py.
import { Tensor } from '../tensor';
import { Module, markPureForward } from './module';
import { PyArgs, parseArgs, pyFloat } from './common';
import * as F from './functional';

/** Keyword arguments of Upsample. */
export interface UpsampleOptions {
  size?: number | number[] | null;
  scaleFactor?: number | number[] | null;
  mode?: F.InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
}

/** Resizes to `size` or by `scaleFactor` (modes as F.interpolate; default 'nearest'). */
export class Upsample extends Module {
  size: number | number[] | null;
  scaleFactor: number | number[] | null;
  mode: F.InterpolateMode;
  alignCorners: boolean | null;
  recomputeScaleFactor: boolean | null;

  constructor(
    ...args: PyArgs<[size?: number | number[] | null, scaleFactor?: number | number[] | null, mode?: F.InterpolateMode, alignCorners?: boolean | null, recomputeScaleFactor?: boolean | null], UpsampleOptions>
  ) {
    super();
    const o = parseArgs<UpsampleOptions>(new.target.name, args, ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor']);
    this.size = o.size ?? null;
    this.scaleFactor = o.scaleFactor ?? null;
    this.mode = o.mode ?? 'nearest';
    this.alignCorners = o.alignCorners ?? null;
    this.recomputeScaleFactor = o.recomputeScaleFactor ?? null;
  }

  override forward(input: Tensor): Tensor {
    return F.interpolate(input, this.size, this.scaleFactor, this.mode, this.alignCorners, this.recomputeScaleFactor);
  }

  override extraRepr(): string {
    const s = this.scaleFactor;
    const info = s !== null ? `scale_factor=${Array.isArray(s) ? `(${s.map(pyFloat).join(', ')})` : pyFloat(s)}` : `size=${Array.isArray(this.size) ? `(${this.size.join(', ')})` : String(this.size)}`;
    return `${info}, mode=${this.mode}`;
  }
}

/** Nearest-neighbour 2-D upsampling. */
export class UpsamplingNearest2d extends Upsample {
  constructor(...args: PyArgs<[size?: number | number[] | null, scaleFactor?: number | number[] | null], { size?: number | number[] | null; scaleFactor?: number | number[] | null }>) {
    const o = parseArgs<UpsampleOptions>('UpsamplingNearest2d', args, ['size', 'scaleFactor']);
    super(o.size ?? null, o.scaleFactor ?? null, 'nearest');
  }
}

/** Bilinear 2-D upsampling with aligned corners. */
export class UpsamplingBilinear2d extends Upsample {
  constructor(...args: PyArgs<[size?: number | number[] | null, scaleFactor?: number | number[] | null], { size?: number | number[] | null; scaleFactor?: number | number[] | null }>) {
    const o = parseArgs<UpsampleOptions>('UpsamplingBilinear2d', args, ['size', 'scaleFactor']);
    super(o.size ?? null, o.scaleFactor ?? null, 'bilinear', true);
  }
}

markPureForward(Upsample, UpsamplingNearest2d, UpsamplingBilinear2d);
