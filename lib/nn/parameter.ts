// nn.Parameter: a Tensor that a Module registers as a learnable parameter when it is assigned to an attribute.
import { N } from '../native';
import { Tensor, keep } from '../tensor';
import { resolve } from '../dispatch';
import { empty } from '../creation';
import { describe } from '../dtype';

/**
 * A kind of Tensor that is a module parameter: assigned to a Module attribute it is registered in
 * `parameters()`. `new nn.Parameter(data, requiresGrad = true)` shares `data`'s memory (a detached alias), as
 * PyTorch's does. Parameters are module state: a `tidy()` scope never frees them.
 */
export class Parameter extends Tensor {
  constructor(data?: Tensor | null, requiresGrad = true) {
    const src = data === undefined || data === null ? empty(0) : data;
    if (!(src instanceof Tensor)) throw new TypeError(`Parameter(): data must be a Tensor, but received ${describe(src)}`);
    if (typeof requiresGrad !== 'boolean') throw new TypeError(`Parameter(): requiresGrad must be a boolean, but received ${describe(requiresGrad)}`);
    // A detached alias with a handle of its own (sharing storage and version counter, as Python's _make_subclass).
    const bound = resolve('detach', [src]);
    super(N.callOp(bound.schema.id, [src.handle]) as number);
    keep(this);
    if (requiresGrad) this.requiresGrad = true;
    if (src !== data) src.dispose();
  }

  /** `Parameter containing:` followed by the tensor, as PyTorch prints it. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/** @internal A Parameter made from a fresh tensor, whose own handle is released at once. */
export function ownedParameter(t: Tensor, requiresGrad = true): Parameter {
  const p = new Parameter(t, requiresGrad);
  t.dispose();
  return p;
}
