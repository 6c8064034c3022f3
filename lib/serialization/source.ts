// Where serialized bytes come from (a file read piece by piece, or bytes in memory) and the one way errors
// about them are reported: a TorchError that names the file.
import { promises as fs } from 'fs';
import { fileURLToPath } from 'url';
import { constants as bufferConstants } from 'buffer';
import { TorchError } from '../errors';
import { describe } from '../dtype';

/** A path to a file, as Node's fs takes it. */
export type PathLike = string | URL;

/** Random access to the bytes of a file or a buffer. */
export interface ByteSource {
  /** How errors name it: the path, or '<buffer>'. */
  readonly name: string;
  readonly size: number;
  /** Exactly `length` bytes from `offset`; a read past the end is an error that names the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A TorchError about a file: `<what>('<file>'): <message>`. */
export function fileError(what: string, name: string, message: string): TorchError {
  return new TorchError(`${what}('${name}'): ${message}`);
}

/** The file name a path stands for in messages. */
export function pathName(p: PathLike): string {
  return p instanceof URL ? fileURLToPath(p) : p;
}

/** Checks a path argument: a non-empty string or a file: URL. */
export function checkPath(p: unknown, what: string): PathLike {
  if (typeof p === 'string' && p.length > 0) return p;
  if (p instanceof URL && p.protocol === 'file:') return p;
  throw new TypeError(`${what}(): expected a file path (a string or a file: URL), but received ${describe(p)}`);
}

/** A source over bytes already in memory. */
export function bufferSource(bytes: Uint8Array, name = '<buffer>'): ByteSource {
  return {
    name,
    size: bytes.length,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (offset < 0 || length < 0 || offset + length > bytes.length) throw new RangeError(`read past the end of ${name}`);
      return bytes.subarray(offset, offset + length);
    },
    async close(): Promise<void> {},
  };
}

/** Opens a file for random reads; a missing or unreadable file is a TorchError naming it. */
export async function fileSource(p: PathLike, what: string): Promise<ByteSource> {
  const name = pathName(p);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(p, 'r');
  } catch (err) {
    throw fileError(what, name, ioReason(err));
  }
  let size: number;
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new TorchError('is a directory, not a file');
    size = st.size;
  } catch (err) {
    await handle.close();
    throw fileError(what, name, ioReason(err));
  }
  return {
    name,
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (offset < 0 || length < 0 || offset + length > size) throw fileError(what, name, `truncated file (a read of ${length} bytes at offset ${offset} is past its end, ${size} bytes)`);
      if (length > bufferConstants.MAX_LENGTH) throw fileError(what, name, `a record of ${length} bytes is larger than the largest buffer Node can allocate`);
      const buf = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) throw fileError(what, name, `the file ended early (it changed while being read?) at offset ${offset + done}`);
        done += bytesRead;
      }
      return buf;
    },
    async close(): Promise<void> {
      await handle.close();
    },
  };
}

/** The reason of an I/O error, without the duplicated path Node puts in its messages. */
export function ioReason(err: unknown): string {
  if (err instanceof TorchError) return err.message;
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory, not a file';
    case 'ENOTDIR': return 'a component of the path is not a directory';
    case 'ENOSPC': return 'no space left on the device';
    default: return e?.message ?? String(err);
  }
}
