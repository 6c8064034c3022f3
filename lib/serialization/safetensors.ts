// safetensors (huggingface/safetensors): an 8-byte little-endian header length, a JSON header mapping each
// tensor's name to its dtype ('F32', 'BF16', 'I64', ...), shape and [begin, end) byte offsets in the data that
// follows, and an optional "__metadata__" of string pairs. No code, no pickle: the safe format to exchange
// weights. Files written here follow the Python library's layout (tensors ordered by decreasing element size so
// each is aligned, header padded with spaces to 8 bytes) and files are checked as strictly as it checks them.
import { Tensor } from '../tensor';
import { DType, describe, elementSize } from '../dtype';
import { DeviceLike, device as toDevice } from '../device';
import { N } from '../native';
import { TorchError } from '../errors';
import { atomicWrite } from './atomic';
import { ByteSource, PathLike, bufferSource, checkPath, fileError, fileSource } from './source';
import { CorruptError, tensorBytes } from './storage';

const NAMES: Record<DType, string | null> = {
  float32: 'F32',
  float64: 'F64',
  float16: 'F16',
  bfloat16: 'BF16',
  int8: 'I8',
  int16: 'I16',
  int32: 'I32',
  int64: 'I64',
  uint8: 'U8',
  bool: 'BOOL',
  complex64: 'C64',
  complex128: null,
};

const DTYPES = new Map<string, DType>(Object.entries(NAMES).filter(([, n]) => n !== null).map(([d, n]) => [n as string, d as DType]));
const KNOWN_UNSUPPORTED = new Set(['U16', 'U32', 'U64', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F4', 'F6_E2M3', 'F6_E3M2', 'C128']);
const MAX_HEADER = 100_000_000;

/** Options of `loadSafetensors`. */
export interface SafetensorsLoadOptions {
  /** Where the tensors go (default 'cpu'). */
  device?: DeviceLike;
}

/** Options of `saveSafetensors`. */
export interface SafetensorsSaveOptions {
  /** Free-form string pairs stored under "__metadata__" (e.g. `{ format: 'pt' }`). */
  metadata?: Record<string, string> | null;
}

/** A safetensors file: its tensors by name (in file order) and its metadata. */
interface Parsed {
  entries: { name: string; dtype: DType; shape: number[]; begin: number; end: number }[];
  metadata: Record<string, string> | null;
  dataStart: number;
}

async function parseHeader(src: ByteSource): Promise<Parsed> {
  if (src.size === 0) throw new CorruptError('the file is empty');
  if (src.size < 8) throw new CorruptError(`truncated file (${src.size} bytes; a safetensors file starts with an 8-byte header length)`);
  const lenBytes = await src.read(0, 8);
  const len = new DataView(lenBytes.buffer, lenBytes.byteOffset, 8).getBigUint64(0, true);
  if (len > BigInt(MAX_HEADER)) throw new CorruptError(`not a safetensors file (its header would be ${len} bytes)`);
  const n = Number(len);
  if (8 + n > src.size) throw new CorruptError(`truncated file (the header of ${n} bytes ends past the end of the file, ${src.size} bytes)`);
  const headerBytes = await src.read(8, n);
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
    if (!text.startsWith('{')) throw new Error('the header does not start with {');
    header = JSON.parse(text);
  } catch (err) {
    throw new CorruptError(`not a safetensors file, or a corrupt one (its header is not JSON: ${(err as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new CorruptError('the header is not a JSON object');
  const dataStart = 8 + n;
  const dataSize = src.size - dataStart;
  let metadata: Record<string, string> | null = null;
  const entries: Parsed['entries'] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (info === null || typeof info !== 'object' || Array.isArray(info) || !Object.values(info).every((v) => typeof v === 'string')) {
        throw new CorruptError('"__metadata__" must map strings to strings');
      }
      metadata = Object.create(null) as Record<string, string>;
      for (const [k, v] of Object.entries(info as Record<string, string>)) Object.defineProperty(metadata, k, { value: v, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const o = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (o === null || typeof o !== 'object') throw new CorruptError(`the entry of '${name}' is not an object`);
    if (typeof o.dtype !== 'string') throw new CorruptError(`'${name}' has no dtype`);
    const dtype = DTYPES.get(o.dtype);
    if (dtype === undefined) {
      if (KNOWN_UNSUPPORTED.has(o.dtype)) throw new TorchError(`the tensor '${name}' has dtype ${o.dtype}, which torch-node does not support`);
      throw new CorruptError(`'${name}' has an unknown dtype '${o.dtype}'`);
    }
    const shape = o.shape;
    if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && s >= 0)) throw new CorruptError(`the shape of '${name}' is not a list of non-negative integers`);
    const offs = o.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((s) => Number.isSafeInteger(s) && s >= 0) || offs[1] < offs[0]) {
      throw new CorruptError(`the data_offsets of '${name}' are not a pair [begin, end]`);
    }
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    if (offs[1] - offs[0] !== numel * elementSize(dtype)) {
      throw new CorruptError(`'${name}' of shape [${shape}] and dtype ${o.dtype} needs ${numel * elementSize(dtype)} bytes, but its data_offsets span ${offs[1] - offs[0]}`);
    }
    entries.push({ name, dtype, shape: shape as number[], begin: offs[0], end: offs[1] });
  }
  // The data must be exactly covered, without holes or overlaps, as the Python library requires.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin !== at) throw new CorruptError(`the data of '${e.name}' starts at ${e.begin}, expected ${at} (holes or overlapping tensors)`);
    at = e.end;
  }
  if (at !== dataSize) throw new CorruptError(`the tensors cover ${at} bytes of data, but the file holds ${dataSize} (truncated, or extra bytes)`);
  return { entries: sorted, metadata, dataStart };
}

async function withSource<T>(f: PathLike | Uint8Array, what: string, fn: (src: ByteSource) => Promise<T>): Promise<T> {
  const src = f instanceof Uint8Array ? bufferSource(f) : await fileSource(checkPath(f, what), what);
  try {
    return await fn(src);
  } catch (err) {
    if (err instanceof CorruptError) throw fileError(what, src.name, err.message);
    if (err instanceof TorchError && !err.message.startsWith(`${what}(`)) throw fileError(what, src.name, err.message);
    throw err;
  } finally {
    await src.close();
  }
}

/**
 * Reads a safetensors file (or its bytes): the tensors by name, in the file's order, on `device`. The same as
 * Python's `safetensors.torch.load_file(path, device)`.
 */
export async function loadSafetensors(f: PathLike | Uint8Array, opts: SafetensorsLoadOptions = {}): Promise<Record<string, Tensor>> {
  const dev = opts.device === undefined ? null : toDevice(opts.device);
  return withSource(f, 'loadSafetensors', async (src) => {
    const { entries, dataStart } = await parseHeader(src);
    const out: Record<string, Tensor> = {};
    try {
      for (const e of entries) {
        const bytes = await src.read(dataStart + e.begin, e.end - e.begin);
        let t = new Tensor(N.fromBuffer(bytes, e.dtype, e.shape));
        if (dev !== null && dev.type !== 'cpu') {
          const moved = t.to(dev);
          t.dispose();
          t = moved;
        }
        Object.defineProperty(out, e.name, { value: t, enumerable: true, writable: true, configurable: true });
      }
    } catch (err) {
      for (const t of Object.values(out)) t.dispose();
      throw err;
    }
    return out;
  });
}

/** The "__metadata__" of a safetensors file (or its bytes), or null when it has none. */
export async function safetensorsMetadata(f: PathLike | Uint8Array): Promise<Record<string, string> | null> {
  return withSource(f, 'safetensorsMetadata', async (src) => (await parseHeader(src)).metadata);
}

function entriesOf(tensors: unknown, what: string): [string, Tensor][] {
  let entries: [unknown, unknown][];
  if (tensors instanceof Map) entries = Array.from(tensors.entries());
  else if (tensors !== null && typeof tensors === 'object' && !Array.isArray(tensors) && !(tensors instanceof Tensor)) entries = Object.entries(tensors);
  else throw new TypeError(`${what}(): expected a Map or an object of tensors by name, but received ${describe(tensors)}`);
  for (const [k, v] of entries) {
    if (typeof k !== 'string') throw new TypeError(`${what}(): tensor names must be strings, but received ${describe(k)}`);
    if (k === '__metadata__') throw new TypeError(`${what}(): '__metadata__' is reserved and cannot name a tensor`);
    if (!(v instanceof Tensor)) throw new TypeError(`${what}(): '${k}' must be a Tensor, but received ${describe(v)}`);
    if (v.isDisposed) throw new TypeError(`${what}(): the tensor '${k}' has been disposed`);
    if (NAMES[v.dtype] === null) throw new TypeError(`${what}(): '${k}' has dtype ${v.dtype}, which safetensors cannot store`);
  }
  return entries as [string, Tensor][];
}

function checkMetadata(m: unknown, what: string): Record<string, string> | null {
  if (m === undefined || m === null) return null;
  if (typeof m !== 'object' || Array.isArray(m) || !Object.values(m).every((v) => typeof v === 'string')) {
    throw new TypeError(`${what}(): metadata must be an object of strings, but received ${describe(m)}`);
  }
  return m as Record<string, string>;
}

/** The header and the order of the data for these tensors. */
function layout(entries: [string, Tensor][], metadata: Record<string, string> | null): { header: Uint8Array; order: [string, Tensor][]; dataSize: number } {
  // Larger elements first (a stable sort keeps the caller's order otherwise), so that every tensor is aligned.
  const order = entries.map((e, i) => [e, i] as const).sort((a, b) => elementSize(b[0][1].dtype) - elementSize(a[0][1].dtype) || a[1] - b[1]).map(([e]) => e);
  const json: Record<string, unknown> = {};
  if (metadata !== null) json.__metadata__ = metadata;
  let at = 0;
  for (const [name, t] of order) {
    const shape = t.shape;
    const nbytes = shape.reduce((a, b) => a * b, 1) * elementSize(t.dtype);
    Object.defineProperty(json, name, { value: { dtype: NAMES[t.dtype], shape, data_offsets: [at, at + nbytes] }, enumerable: true, writable: true, configurable: true });
    at += nbytes;
  }
  let text = JSON.stringify(json);
  const encoded = new TextEncoder().encode(text);
  const padded = Math.ceil(encoded.length / 8) * 8;
  text += ' '.repeat(padded - encoded.length);
  const header = new Uint8Array(8 + padded);
  new DataView(header.buffer).setBigUint64(0, BigInt(padded), true);
  header.set(new TextEncoder().encode(text), 8);
  return { header, order, dataSize: at };
}

/**
 * Writes tensors to a safetensors file, atomically; the same as Python's
 * `safetensors.torch.save_file(tensors, path, metadata)`. Tensors may be on any device and non-contiguous.
 */
export async function saveSafetensors(tensors: Record<string, Tensor> | Map<string, Tensor>, f: PathLike, opts: SafetensorsSaveOptions = {}): Promise<void> {
  const what = 'saveSafetensors';
  const path = checkPath(f, what);
  const entries = entriesOf(tensors, what);
  const { header, order } = layout(entries, checkMetadata(opts.metadata, what));
  await atomicWrite(path, what, async (handle) => {
    let offset = 0;
    const write = async (b: Uint8Array) => {
      let done = 0;
      while (done < b.length) done += (await handle.write(b, done, b.length - done, offset + done)).bytesWritten;
      offset += b.length;
    };
    await write(header);
    for (const [, t] of order) await write(await tensorBytes(t));
  });
}

/** The bytes of a safetensors file holding these tensors (Python's `safetensors.torch.save`). */
export async function serializeSafetensors(tensors: Record<string, Tensor> | Map<string, Tensor>, opts: SafetensorsSaveOptions = {}): Promise<Uint8Array> {
  const what = 'safetensors.save';
  const entries = entriesOf(tensors, what);
  const { header, order, dataSize } = layout(entries, checkMetadata(opts.metadata, what));
  const out = new Uint8Array(header.length + dataSize);
  out.set(header, 0);
  let at = header.length;
  for (const [, t] of order) {
    const b = await tensorBytes(t);
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Python's `safetensors.torch` functions: `loadFile`, `saveFile`, `load` (bytes), `save` (to bytes), `metadata`. */
export const safetensors = {
  loadFile: async (path: PathLike, opts?: SafetensorsLoadOptions): Promise<Record<string, Tensor>> => loadSafetensors(checkPath(path, 'safetensors.loadFile'), opts),
  saveFile: saveSafetensors,
  load: async (bytes: Uint8Array, opts?: SafetensorsLoadOptions): Promise<Record<string, Tensor>> => {
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`safetensors.load(): expected a Uint8Array, but received ${describe(bytes)}`);
    return loadSafetensors(bytes, opts);
  },
  save: serializeSafetensors,
  metadata: safetensorsMetadata,
};

/** @internal For messages elsewhere: whether bytes look like the start of a safetensors file. */
export function looksSafetensors(head: Uint8Array): boolean {
  if (head.length < 9) return false;
  const n = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
  return n > 1n && n < BigInt(MAX_HEADER) && head[8] === 0x7b;
}
