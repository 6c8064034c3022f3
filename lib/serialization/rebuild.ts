// Builds the tensors an unpickled checkpoint describes: each storage is read once, placed (mapLocation), and
// every tensor and parameter over it becomes a tensor sharing its memory, with its offset and strides.
import { Tensor, isDifferentiable } from '../tensor';
import { callOp } from '../dispatch';
import { Parameter } from '../nn/parameter';
import { PickleError } from './pickle';
import { MapLocation, placeStorage, tensorOnStorage } from './storage';
import { ParameterRecord, StorageRef, TensorRecord } from './torch_pickle';

/** Every tensor and parameter record reachable from `root`, without repeating shared ones. */
export function collectRecords(root: unknown): (TensorRecord | ParameterRecord)[] {
  const out: (TensorRecord | ParameterRecord)[] = [];
  const seen = new Set<unknown>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof TensorRecord || v instanceof ParameterRecord) {
      out.push(v);
      continue;
    }
    for (const child of children(v)) stack.push(child);
  }
  return out;
}

function children(v: object): unknown[] {
  if (Array.isArray(v)) return v;
  const o = v as { items?: unknown; entries?: unknown; attrs?: unknown; args?: unknown; state?: unknown };
  const out: unknown[] = [];
  if (Array.isArray(o.items)) out.push(...o.items);
  if (Array.isArray(o.entries)) for (const e of o.entries) if (Array.isArray(e)) out.push(...e);
  if (o.attrs instanceof Map) out.push(...o.attrs.values());
  if (Array.isArray(o.args)) out.push(...o.args);
  if (o.state !== undefined) out.push(o.state);
  return out;
}

/**
 * Materializes the records: storages are read one at a time, in order of first use, by `readStorage` (which
 * returns a 1-D CPU tensor of the storage's dtype), placed by `mapLocation`, and released once their tensors
 * exist. On failure every tensor made so far is freed.
 */
export async function materialize(
  records: (TensorRecord | ParameterRecord)[],
  readStorage: (ref: StorageRef) => Promise<Tensor>,
  mapLocation: MapLocation | undefined,
): Promise<Map<TensorRecord | ParameterRecord, Tensor>> {
  const byKey = new Map<string, (TensorRecord | ParameterRecord)[]>();
  const meta: (TensorRecord | ParameterRecord)[] = [];
  for (const r of records) {
    const storage = r instanceof ParameterRecord ? r.data.storage : r.storage;
    if (storage === null) {
      meta.push(r);
      continue;
    }
    const list = byKey.get(storage.key);
    if (list) list.push(r);
    else byKey.set(storage.key, [r]);
  }
  const made = new Map<TensorRecord | ParameterRecord, Tensor>();
  const built = new Map<TensorRecord, Tensor>();
  try {
    for (const [, list] of byKey) {
      const first = list[0];
      const ref = (first instanceof ParameterRecord ? first.data.storage : first.storage) as StorageRef;
      const raw = await readStorage(ref);
      let placed: Tensor;
      try {
        placed = placeStorage(raw, ref.location, mapLocation);
      } catch (err) {
        raw.dispose();
        throw err;
      }
      try {
        for (const r of list) made.set(r, build(r, built, (rec) => tensorOnStorage(placed, rec.offset, rec.size, rec.stride)));
      } finally {
        if (placed !== raw) placed.dispose();
        raw.dispose();
      }
    }
    for (const r of meta) {
      made.set(r, build(r, built, (rec) => callOp('empty_strided', [rec.size, rec.stride], { dtype: rec.dtype, device: 'meta' }) as Tensor));
    }
  } catch (err) {
    for (const t of made.values()) t.dispose();
    for (const t of built.values()) t.dispose();
    throw err;
  }
  return made;
}

function build(r: TensorRecord | ParameterRecord, built: Map<TensorRecord, Tensor>, make: (rec: TensorRecord) => Tensor): Tensor {
  if (r instanceof ParameterRecord) {
    // The parameter aliases the tensor built for its data; that tensor is kept only if the file also uses it.
    const data = built.get(r.data) ?? make(r.data);
    if (r.requiresGrad && !isDifferentiable(data.dtype)) badGrad(data);
    const p = new Parameter(data, r.requiresGrad);
    if (!built.has(r.data)) data.dispose();
    return p;
  }
  const existing = built.get(r);
  if (existing) return existing;
  const t = make(r);
  if (r.requiresGrad) {
    if (!isDifferentiable(t.dtype)) badGrad(t);
    t.requiresGrad = true;
  }
  built.set(r, t);
  return t;
}

function badGrad(t: Tensor): never {
  const dtype = t.dtype;
  t.dispose();
  throw new PickleError(`a ${dtype} tensor is marked as requiring grad (only floating point and complex tensors can)`);
}
