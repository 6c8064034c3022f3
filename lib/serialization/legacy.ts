// The format of `torch.save` before PyTorch 1.6 (still written with `_use_new_zipfile_serialization=False`):
// five pickles in a row — a magic number, the protocol version, system information, the object (storages as
// persistent ids), the list of storage keys — then each storage as an int64 element count and its bytes,
// little-endian.
import { Tensor } from '../tensor';
import { elementSize } from '../dtype';
import { PickleError, PyDict, unpickle, UnpicklePolicy } from './pickle';
import { TorchUnpicklePolicy, StorageRef, toJs } from './torch_pickle';
import { CorruptError, MapLocation, storageTensor } from './storage';
import { collectRecords, materialize } from './rebuild';

const MAGIC = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;

/** Plain data only: what the header pickles hold. */
const headerPolicy: UnpicklePolicy = {
  findClass(module, name) {
    throw new PickleError(`unexpected global ${module}.${name} in the header of a legacy checkpoint`);
  },
  reduce() {
    throw new PickleError('unexpected call in the header of a legacy checkpoint');
  },
  newObj() {
    throw new PickleError('unexpected object in the header of a legacy checkpoint');
  },
  build() {
    throw new PickleError('unexpected BUILD in the header of a legacy checkpoint');
  },
  persistentLoad() {
    throw new PickleError('unexpected persistent id in the header of a legacy checkpoint');
  },
  append() {
    throw new PickleError('unexpected APPEND in the header of a legacy checkpoint');
  },
  setItems() {
    throw new PickleError('unexpected SETITEMS in the header of a legacy checkpoint');
  },
};

/** Whether the bytes start like a legacy checkpoint (a protocol-2+ pickle of a long integer). */
export function looksLegacy(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0x80 && head[1] >= 2 && head[1] <= 5 && head[2] === 0x8a;
}

/** Loads a whole legacy checkpoint held in `data`. */
export async function loadLegacy(data: Uint8Array, weightsOnly: boolean, mapLocation: MapLocation | undefined): Promise<unknown> {
  let pos = 0;
  const next = (policy: UnpicklePolicy): unknown => {
    const r = unpickle(data, policy, pos);
    pos = r.end;
    return r.value;
  };
  const magic = next(headerPolicy);
  if (magic !== MAGIC) throw new PickleError('this is a pickle, but not a PyTorch checkpoint (the magic number is wrong)');
  const version = next(headerPolicy);
  if (version !== PROTOCOL_VERSION) throw new PickleError(`unsupported legacy checkpoint version ${String(version)}`);
  const sysInfo = next(headerPolicy);
  if (!(sysInfo instanceof PyDict)) throw new PickleError('the system information of a legacy checkpoint is not a dict');
  const policy = new TorchUnpicklePolicy(weightsOnly, true);
  const root = next(policy);
  const keys = next(headerPolicy);
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new PickleError('the storage list of a legacy checkpoint is malformed');

  // Storages follow in the order of the key list, each an int64 count and the data.
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const where = new Map<string, { start: number; numel: number }>();
  for (const key of keys as string[]) {
    const ref = policy.storages.get(key);
    if (!ref) throw new CorruptError(`the storage '${key}' is listed but no tensor uses it`);
    if (pos + 8 > data.length) throw new CorruptError('truncated file: a storage header is missing');
    const count = view.getBigInt64(pos, true);
    if (count !== BigInt(ref.numel)) throw new CorruptError(`the storage '${key}' holds ${count} elements, but its tensors expect ${ref.numel}`);
    pos += 8;
    const nbytes = ref.numel * elementSize(ref.dtype);
    if (pos + nbytes > data.length) throw new CorruptError(`truncated file: the storage '${key}' ends past the end of the file`);
    where.set(key, { start: pos, numel: ref.numel });
    pos += nbytes;
  }
  const records = collectRecords(root);
  const tensors = await materialize(
    records,
    async (ref: StorageRef): Promise<Tensor> => {
      const at = where.get(ref.key);
      if (!at) throw new CorruptError(`the storage '${ref.key}' is missing`);
      const bytes = data.subarray(at.start, at.start + at.numel * elementSize(ref.dtype));
      return storageTensor(bytes, ref.dtype, ref.numel);
    },
    mapLocation,
  );
  return toJs(root, tensors);
}
