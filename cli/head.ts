// The classifier head of a torchvision model, found by torchvision's attribute names, and freezing policies.
import { nn } from '../lib';
import { UsageError } from './errors';

type Slot = { parent: nn.Module; key: string | number; linear: nn.Linear };

function child(m: nn.Module, key: string | number): unknown {
  return (m as unknown as Record<string | number, unknown>)[key];
}

/** Where the final Linear sits: `fc`, `classifier`, `classifier[last]`, `heads.head`, `head`. */
export function findHead(model: nn.Module): Slot {
  for (const name of ['fc', 'classifier', 'head']) {
    const c = child(model, name);
    if (c instanceof nn.Linear) return { parent: model, key: name, linear: c };
    if (c instanceof nn.Sequential) {
      for (let i = c.length - 1; i >= 0; i--) {
        const last = child(c, i);
        if (last instanceof nn.Linear) return { parent: c, key: i, linear: last };
      }
    }
  }
  const heads = child(model, 'heads');
  if (heads instanceof nn.Module && child(heads, 'head') instanceof nn.Linear) {
    return { parent: heads, key: 'head', linear: child(heads, 'head') as nn.Linear };
  }
  throw new UsageError('this model has no classifier head that torch-node knows how to replace (fc, classifier, heads.head)');
}

/** Replaces the head with a new Linear for `numClasses` classes (the seed's step 2); returns the new head. */
export function replaceHead(model: nn.Module, numClasses: number): nn.Linear {
  const slot = findHead(model);
  const linear = new nn.Linear(slot.linear.inFeatures, numClasses);
  (slot.parent as unknown as Record<string | number, unknown>)[slot.key] = linear;
  return linear;
}

/** How much of the model trains: `head-only`, `none` (everything trains), `until:LAYER` (freeze before LAYER). */
export function applyFreeze(model: nn.Module, head: nn.Linear, policy: string): void {
  if (policy === 'none') {
    model.requiresGrad_(true);
    return;
  }
  if (policy === 'head-only') {
    model.requiresGrad_(false);
    head.requiresGrad_(true);
    return;
  }
  const m = /^until:(.+)$/.exec(policy);
  if (!m) throw new UsageError(`--freeze must be head-only, none or until:LAYER, not '${policy}'`);
  const layer = m[1];
  const names = [...model.namedParameters()].map(([n]) => n);
  const first = names.findIndex((n) => n === layer || n.startsWith(`${layer}.`));
  if (first < 0) throw new UsageError(`--freeze until:${layer}: the model has no parameters under '${layer}'`);
  let i = 0;
  for (const [, p] of model.namedParameters()) p.requiresGrad = i++ >= first;
}
