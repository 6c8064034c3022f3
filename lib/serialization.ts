// torch.save and torch.load: PyTorch's checkpoint format, in TypeScript. A checkpoint is a zip archive holding
// `data.pkl` (the object, pickled with protocol 2, each tensor's storage a persistent id), one record per
// storage under `data/<key>` (raw bytes, 64-byte aligned) and `version`/`byteorder`. Files written here load in
// Python's `torch.load` (state dicts as OrderedDicts, so `model.load_state_dict` takes them), and files Python
// wrote load here, including `model.state_dict()` and optimizer state dicts. Loading accepts only the data
// subset of pickle and refuses anything that would run code, as `weights_only=True` does; the pre-1.6 format
// loads too. safetensors read and write is beside it (serialization/safetensors.ts).
import { Tensor } from './tensor';
import { Device } from './device';
import { TorchError } from './errors';
import { describe } from './dtype';
import { PickleError, unpickle } from './serialization/pickle';
import { PickledObject, TorchUnpicklePolicy, pickleForSave, toJs, StorageRef } from './serialization/torch_pickle';
import { CorruptError, MapLocation, storageTensor, swapBytes, tensorBytes } from './serialization/storage';
import { collectRecords, materialize } from './serialization/rebuild';
import { ZipReader, ZipWriter } from './serialization/zip';
import { ByteSource, PathLike, bufferSource, checkPath, fileError, fileSource } from './serialization/source';
import { atomicWrite } from './serialization/atomic';
import { loadLegacy, looksLegacy } from './serialization/legacy';
import { looksSafetensors } from './serialization/safetensors';

export { PickledObject } from './serialization/torch_pickle';
export type { MapLocation } from './serialization/storage';
export type { PathLike } from './serialization/source';
export { loadSafetensors, saveSafetensors, safetensorsMetadata, safetensors } from './serialization/safetensors';
export type { SafetensorsLoadOptions, SafetensorsSaveOptions } from './serialization/safetensors';

/**
 * What `load` can return: tensors (and nn.Parameters), numbers (integers beyond 2^53 as bigint), strings,
 * booleans, null (None), Uint8Arrays (bytes), Devices, arrays (lists and tuples), Sets, plain objects (dicts
 * whose keys are all strings, in order; a state dict keeps its `_metadata` as a non-enumerable property) and
 * Maps (dicts with other keys, e.g. the integer keys of an optimizer's `state`, or keys like '0' that an object
 * would reorder). With `weightsOnly: false`, PickledObjects for anything else.
 */
export type Loaded =
  | Tensor
  | number
  | bigint
  | string
  | boolean
  | null
  | Uint8Array
  | Device
  | PickledObject
  | Loaded[]
  | Set<Loaded>
  | Map<Loaded, Loaded>
  | { [key: string]: Loaded };

/** Options of `load`. */
export interface LoadOptions {
  /**
   * Where storages go: `'cpu'`, `'cuda'`, a Device, a table `{ 'cuda:1': 'cuda:0' }`, or a function
   * `(storage, location) => Tensor | null` (see MapLocation). By default each goes back where it was saved from.
   */
  mapLocation?: MapLocation;
  /**
   * Accept only tensors, state dicts and plain data (default true, like PyTorch's `weights_only=True`). With
   * false, other Python objects load as inert PickledObject values; nothing is ever executed either way.
   */
  weightsOnly?: boolean;
}

const LOAD_OPTIONS = new Set(['mapLocation', 'weightsOnly']);

function checkLoadOptions(opts: unknown): LoadOptions {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw new TypeError(`torch.load(): options must be an object, but received ${describe(opts)}`);
  for (const k of Object.keys(opts)) {
    if (LOAD_OPTIONS.has(k)) continue;
    const camel = k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const hint = LOAD_OPTIONS.has(camel) ? ` (did you mean '${camel}'?)` : '';
    throw new TypeError(`torch.load(): unknown option '${k}'${hint}; the options are mapLocation and weightsOnly`);
  }
  const o = opts as LoadOptions;
  if (o.weightsOnly !== undefined && typeof o.weightsOnly !== 'boolean') throw new TypeError(`torch.load(): weightsOnly must be a boolean, but received ${describe(o.weightsOnly)}`);
  const m = o.mapLocation as unknown;
  if (!(m === undefined || m === null || typeof m === 'string' || typeof m === 'function' || m instanceof Device || (typeof m === 'object' && Object.values(m as object).every((v) => typeof v === 'string' || v instanceof Device)))) {
    throw new TypeError(`torch.load(): mapLocation must be a device, a table of devices or a function, but received ${describe(m)}`);
  }
  return { mapLocation: m === null ? undefined : o.mapLocation, weightsOnly: o.weightsOnly };
}

/**
 * Saves an object to a file in PyTorch's format, as `torch.save(obj, f)`: tensors, state dicts
 * (`model.stateDict()`, `optimizer.stateDict()`), and nested arrays, Maps, Sets and plain objects of tensors,
 * numbers, strings, booleans and null. Python's `torch.load` reads the file. The file is written under a
 * temporary name and renamed when complete, so a failure leaves any previous file untouched.
 *
 * Each tensor is saved as its own contiguous storage (views of one storage are not kept as views); integral
 * numbers are saved as Python ints, others as floats.
 */
export async function save(obj: unknown, f: PathLike): Promise<void> {
  const what = 'torch.save';
  const path = checkPath(f, what);
  const { pickle, tensors } = pickleForSave(obj, what);
  await atomicWrite(path, what, async (handle) => {
    const zip = new ZipWriter(handle);
    await zip.add('archive/data.pkl', pickle);
    await zip.add('archive/byteorder', new TextEncoder().encode(nativeByteOrder()));
    for (let i = 0; i < tensors.length; i++) await zip.add(`archive/data/${i}`, await tensorBytes(tensors[i]));
    await zip.add('archive/version', new TextEncoder().encode('3\n'));
    await zip.finish();
  });
}

function nativeByteOrder(): 'little' | 'big' {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little' : 'big';
}

/**
 * Loads an object saved by `torch.save` (here or in Python) from a file or its bytes, as
 * `torch.load(f, map_location=..., weights_only=True)`. See `Loaded` for what the values become:
 * `model.loadStateDict(await torch.load('model.pt'))` and `optimizer.loadStateDict(await torch.load('opt.pt'))`
 * work as in Python. Truncated, corrupt and foreign files are a TorchError that names the file.
 */
export async function load<T = Loaded>(f: PathLike | Uint8Array, opts?: LoadOptions): Promise<T> {
  const what = 'torch.load';
  const o = checkLoadOptions(opts);
  const src = f instanceof Uint8Array ? bufferSource(f) : await fileSource(checkPath(f, what), what);
  try {
    return (await loadFrom(src, o.weightsOnly ?? true, o.mapLocation, what)) as T;
  } catch (err) {
    if (err instanceof PickleError || err instanceof CorruptError) throw fileError(what, src.name, err.message);
    // Exhausted stacks or impossible sizes out of corrupt data.
    if (err instanceof RangeError) throw fileError(what, src.name, `corrupt file (${err.message})`);
    if (err instanceof TorchError && !err.message.startsWith(`${what}(`)) throw fileError(what, src.name, err.message);
    throw err;
  } finally {
    await src.close();
  }
}

async function loadFrom(src: ByteSource, weightsOnly: boolean, mapLocation: MapLocation | undefined, what: string): Promise<unknown> {
  if (src.size === 0) throw new CorruptError('the file is empty (0 bytes), not a PyTorch checkpoint');
  const zip = await ZipReader.open(src, what);
  if (zip) return loadZip(zip, weightsOnly, mapLocation);
  const head = await src.read(0, Math.min(src.size, 512));
  if (looksLegacy(head)) return loadLegacy(await src.read(0, src.size), weightsOnly, mapLocation);
  throw new CorruptError(foreign(head));
}

// Why a file without a zip directory is not a checkpoint, as precisely as its first bytes tell.
function foreign(head: Uint8Array): string {
  const starts = (...b: number[]) => b.every((x, i) => head[i] === x);
  const ascii = (at: number, s: string) => s.split('').every((c, i) => head[at + i] === c.charCodeAt(0));
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'truncated or corrupt zip archive (its end-of-central-directory record is missing)';
  if (ascii(257, 'ustar')) return 'this is a checkpoint in the tar format of PyTorch before 0.4, which torch-node cannot read; load it in Python and save it again';
  if (looksSafetensors(head)) return 'this is a safetensors file: read it with torch.loadSafetensors()';
  if (head[0] === 0x80) return 'this is a Python pickle, but not a PyTorch checkpoint (PyTorch\'s header is missing)';
  let kind = '';
  if (starts(0x89, 0x50, 0x4e, 0x47)) kind = ' (it is a PNG image)';
  else if (starts(0xff, 0xd8, 0xff)) kind = ' (it is a JPEG image)';
  else if (starts(0x1f, 0x8b)) kind = ' (it is gzip-compressed)';
  else if (ascii(0, '\x93NUMPY')) kind = ' (it is a NumPy .npy file)';
  else if (head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0x80)) kind = ' (it looks like text)';
  return `not a PyTorch checkpoint${kind}: expected a zip archive (torch.save) or a legacy PyTorch pickle`;
}

async function loadZip(zip: ZipReader, weightsOnly: boolean, mapLocation: MapLocation | undefined): Promise<unknown> {
  let prefix: string | null = null;
  for (const name of zip.entries.keys()) {
    const m = /^(?:([^/]*)\/)?data\.pkl$/.exec(name);
    if (m) {
      prefix = m[1] === undefined ? '' : `${m[1]}/`;
      break;
    }
  }
  const names = [...zip.entries.keys()];
  if (names.some((n) => /^([^/]*\/)?constants\.pkl$/.test(n) || /^([^/]*\/)?code\//.test(n))) {
    throw new CorruptError('this is a TorchScript archive (torch.jit.save); load it with torch.jit.load()');
  }
  if (prefix === null) throw new CorruptError('this zip archive is not a PyTorch checkpoint (it has no data.pkl)');
  const pkl = await zip.read(zip.entries.get(`${prefix}data.pkl`) as NonNullable<ReturnType<typeof zip.entries.get>>);
  let swap = false;
  const order = zip.entries.get(`${prefix}byteorder`);
  if (order) {
    const text = new TextDecoder().decode(await zip.read(order)).trim();
    if (text !== 'little' && text !== 'big') throw new CorruptError(`unknown byte order '${text.slice(0, 20)}'`);
    swap = text !== nativeByteOrder();
  }
  const policy = new TorchUnpicklePolicy(weightsOnly);
  const { value: root } = unpickle(pkl, policy);
  const tensors = await materialize(
    collectRecords(root),
    async (ref: StorageRef): Promise<Tensor> => {
      const entry = zip.entries.get(`${prefix}data/${ref.key}`);
      if (!entry) throw new CorruptError(`the record '${prefix}data/${ref.key}' of a storage is missing`);
      let bytes = await zip.read(entry);
      if (swap) {
        bytes = bytes.slice();
        swapBytes(bytes, ref.dtype);
      }
      return storageTensor(bytes, ref.dtype, ref.numel);
    },
    mapLocation,
  );
  return toJs(root, tensors);
}
