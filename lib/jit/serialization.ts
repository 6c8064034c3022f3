// torch.jit.load and torch.jit.save: TorchScript archives, read and written by LibTorch itself (so files go both
// ways with Python's torch.jit); errors name the file, and saving is atomic as torch.save is.
import { N } from '../native';
import { TorchError } from '../errors';
import { describe } from '../dtype';
import { Device, DeviceLike, toDeviceString } from '../device';
import { ByteSource, PathLike, bufferSource, checkPath, fileError, fileSource, pathName } from '../serialization/source';
import { ZipReader } from '../serialization/zip';
import { atomicWrite } from '../serialization/atomic';
import { ScriptModule } from './script_module';

/** Options of `torch.jit.load`. */
export interface JitLoadOptions {
  /** Where every tensor goes (`'cpu'`, `'cuda:0'`, a Device); by default where it was saved from. */
  mapLocation?: DeviceLike;
}

function checkOptions(opts: unknown): JitLoadOptions {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw new TypeError(`torch.jit.load(): options must be an object, but received ${describe(opts)}`);
  for (const k of Object.keys(opts)) {
    if (k !== 'mapLocation') throw new TypeError(`torch.jit.load(): unknown option '${k}'; the option is mapLocation`);
  }
  const m = (opts as JitLoadOptions).mapLocation as unknown;
  if (!(m === undefined || m === null || typeof m === 'string' || m instanceof Device)) {
    throw new TypeError(`torch.jit.load(): mapLocation must be a device, but received ${describe(m)}`);
  }
  return opts as JitLoadOptions;
}

/**
 * LibTorch trusts the records of a TorchScript archive: one flipped bit in a compressed code record can crash it
 * (Python's torch.jit.load too). So each record is read and its CRC-32 checked first. A file that is not a zip
 * archive is left to LibTorch, whose error says so.
 */
async function checkRecords(source: ByteSource, what: string): Promise<void> {
  const zip = await ZipReader.open(source, what);
  if (zip === null) return;
  for (const entry of zip.entries.values()) await zip.read(entry);
}

/**
 * Loads a TorchScript module saved by Python's `torch.jit.save` (or `scriptModule.save`) or by
 * `torch.jit.save` here, from a file or its bytes, as `torch.jit.load(f, map_location=...)`. The result is a
 * ScriptModule: an nn.Module that trains. Missing, corrupt and foreign files (a `torch.save` checkpoint is not
 * TorchScript: load it with `torch.load`) are a TorchError that names the file.
 */
export async function load(f: PathLike | Uint8Array, opts?: JitLoadOptions): Promise<ScriptModule> {
  const what = 'torch.jit.load';
  const o = checkOptions(opts);
  const device = o.mapLocation === undefined || o.mapLocation === null ? null : toDeviceString(o.mapLocation);
  let name = '<buffer>';
  let src: string | Uint8Array;
  if (f instanceof Uint8Array) {
    src = f;
    await checkRecords(bufferSource(f), what);
  } else {
    name = pathName(checkPath(f, what));
    // Missing files, folders and permissions: the same messages as torch.load.
    const source = await fileSource(name, what);
    try {
      await checkRecords(source, what);
    } finally {
      await source.close();
    }
    src = name;
  }
  let c;
  try {
    c = await N.jitLoad(src, device);
  } catch (err) {
    if (!(err instanceof TorchError)) throw err;
    const hint = /constants\.pkl|archive\/data\.pkl/.test(err.message) ? ' (not a TorchScript archive: files written by torch.save load with torch.load)' : '';
    throw fileError(what, name, err.message.split('\n')[0] + hint);
  }
  return new ScriptModule(c);
}

/**
 * Saves a ScriptModule in TorchScript's format, with its current parameters and buffers, as
 * `torch.jit.save(m, f)`: Python's `torch.jit.load` runs the file. The file is written under a temporary name and
 * renamed when complete.
 */
export async function save(m: ScriptModule, f: PathLike): Promise<void> {
  const what = 'torch.jit.save';
  if (!(m instanceof ScriptModule)) throw new TypeError(`${what}(): expected a ScriptModule (from torch.jit.load), but received ${describe(m)}`);
  const path = checkPath(f, what);
  let bytes: Uint8Array;
  try {
    bytes = N.jitSave(m._c);
  } catch (err) {
    if (err instanceof TorchError) throw fileError(what, pathName(path), err.message);
    throw err;
  }
  await atomicWrite(path, what, async (handle) => {
    await handle.writeFile(bytes);
  });
}
