// Nothing half-written: a file is written under a temporary name in its own folder, flushed, and renamed over
// the target only once complete. A failure leaves the previous file as it was and removes the temporary one.
import { promises as fs } from 'fs';
import type { FileHandle } from 'fs/promises';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { TorchError } from '../errors';
import { PathLike, fileError, ioReason, pathName } from './source';

/** Writes `target` atomically with `write`; errors are TorchErrors that name the file (TypeErrors pass through). */
export async function atomicWrite(target: PathLike, what: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  const file = path.resolve(pathName(target));
  const name = pathName(target);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | null;
  try {
    const st = await fs.stat(file).catch(() => null);
    if (st?.isDirectory()) throw new TorchError('is a directory, not a file');
    handle = await fs.open(tmp, 'wx');
  } catch (err) {
    throw fileError(what, name, ioReason(err));
  }
  try {
    await write(handle);
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.rename(tmp, file);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.unlink(tmp).catch(() => undefined);
    if (err instanceof TypeError || err instanceof RangeError) throw err;
    throw fileError(what, name, ioReason(err));
  }
  await removeOrphans(file);
}

/** Removes the temporary files of writers of `file` that were killed (their process is gone); best effort. */
async function removeOrphans(file: string): Promise<void> {
  const prefix = `.${path.basename(file)}.`;
  const names = await fs.readdir(path.dirname(file)).catch(() => [] as string[]);
  for (const n of names) {
    const m = n.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(n.slice(prefix.length)) : null;
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    await fs.unlink(path.join(path.dirname(file), n)).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
