// The zip container of PyTorch's checkpoints. PyTorch stores its records uncompressed, each record's data
// starting at a multiple of 64 bytes (the local header carries an extra field 'FB' of padding), with zip64
// structures when the archive outgrows 4 GiB. The reader takes any zip a user may have repacked (deflated
// records, zip64, data descriptors) and checks every record's CRC-32, so a flipped bit is an error, not a
// silently different tensor.
import * as zlib from 'zlib';
import { promisify } from 'util';
import type { FileHandle } from 'fs/promises';
import { ByteSource, fileError } from './source';

const inflateRaw = promisify(zlib.inflateRaw) as (buf: Uint8Array, opts: zlib.ZlibOptions) => Promise<Buffer>;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

const WRITE_CHUNK = 4 << 20;

/** The alignment of record data in PyTorch's archives. */
export const ALIGNMENT = 64;

let crcTable: Int32Array | undefined;

/** The CRC-32 of zip (zlib's when Node has it). */
export function crc32(data: Uint8Array): number {
  const native = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
  if (native) return native(data) >>> 0;
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = -1;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** One record of an archive, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** The length of the name in bytes. */
  nameLength: number;
}

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function u64(view: DataView, at: number): number {
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  return Number(v);
}

/** Reads the records of a zip archive. */
export class ZipReader {
  private constructor(
    private readonly source: ByteSource,
    private readonly what: string,
    /** Every record by name, in central-directory order. */
    readonly entries: Map<string, ZipEntry>,
  ) {}

  private static fail(source: ByteSource, what: string, message: string): Error {
    return fileError(what, source.name, message);
  }

  /**
   * Reads the central directory; null when the source has no end-of-central-directory record (not a zip, or
   * a zip cut short). Malformed directories are errors that name the file.
   */
  static async open(source: ByteSource, what: string): Promise<ZipReader | null> {
    const fail = (m: string) => ZipReader.fail(source, what, `corrupt zip archive: ${m}`);
    const tailLen = Math.min(source.size, 22 + MAX16 + 20);
    if (tailLen < 22) return null;
    const tailStart = source.size - tailLen;
    const tail = await source.read(tailStart, tailLen);
    const tv = dv(tail);
    let end = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tv.getUint32(i, true) === SIG_END && i + 22 + tv.getUint16(i + 20, true) <= tail.length) {
        end = i;
        break;
      }
    }
    if (end < 0) return null;
    let count = tv.getUint16(end + 10, true);
    let cdSize = tv.getUint32(end + 12, true);
    let cdOffset = tv.getUint32(end + 16, true);
    let cdLimit = tailStart + end;
    if (count === MAX16 || cdSize === MAX32 || cdOffset === MAX32) {
      if (end < 20 || tv.getUint32(end - 20, true) !== SIG_LOCATOR64) throw fail('zip64 end-of-directory locator is missing');
      const at = u64(tv, end - 12);
      if (at + 56 > tailStart + end - 20) throw fail('zip64 end-of-directory record is out of bounds');
      const rec = dv(await source.read(at, 56));
      if (rec.getUint32(0, true) !== SIG_END64) throw fail('zip64 end-of-directory record has a bad signature');
      count = u64(rec, 32);
      cdSize = u64(rec, 40);
      cdOffset = u64(rec, 48);
      cdLimit = at;
    }
    if (cdOffset + cdSize > cdLimit) throw fail(`central directory (${cdSize} bytes at ${cdOffset}) is out of bounds`);
    if (count * 46 > cdSize) throw fail(`central directory of ${cdSize} bytes cannot hold ${count} records`);
    const cd = await source.read(cdOffset, cdSize);
    const v = dv(cd);
    const entries = new Map<string, ZipEntry>();
    const names = new TextDecoder('utf-8');
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || v.getUint32(p, true) !== SIG_CENTRAL) throw fail(`central directory record ${i} is malformed`);
      const flags = v.getUint16(p + 8, true);
      const method = v.getUint16(p + 10, true);
      const crc = v.getUint32(p + 16, true);
      let compressedSize = v.getUint32(p + 20, true);
      let size = v.getUint32(p + 24, true);
      const nameLen = v.getUint16(p + 28, true);
      const extraLen = v.getUint16(p + 30, true);
      const commentLen = v.getUint16(p + 32, true);
      let localOffset = v.getUint32(p + 42, true);
      const next = p + 46 + nameLen + extraLen + commentLen;
      if (next > cd.length) throw fail(`central directory record ${i} is truncated`);
      const name = names.decode(cd.subarray(p + 46, p + 46 + nameLen));
      if (flags & 1) throw ZipReader.fail(source, what, `the record '${name}' is encrypted`);
      // zip64: the fields that overflowed, in this order, in extra field 0x0001.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = v.getUint16(e, true);
        const len = v.getUint16(e + 2, true);
        if (e + 4 + len > extraEnd) throw fail(`extra field of '${name}' is truncated`);
        if (id === 0x0001) {
          let q = e + 4;
          const take = (): number => {
            if (q + 8 > e + 4 + len) throw fail(`zip64 extra field of '${name}' is too short`);
            const x = u64(v, q);
            q += 8;
            return x;
          };
          if (size === MAX32) size = take();
          if (compressedSize === MAX32) compressedSize = take();
          if (localOffset === MAX32) localOffset = take();
        }
        e += 4 + len;
      }
      if (localOffset + 30 + compressedSize > cdOffset) throw fail(`record '${name}' (${compressedSize} bytes at ${localOffset}) is out of bounds`);
      if (!entries.has(name)) entries.set(name, { name, method, crc, compressedSize, size, localOffset, nameLength: nameLen });
      p = next;
    }
    return new ZipReader(source, what, entries);
  }

  /** The data of a record, inflated if needed and checked against its CRC-32. */
  async read(entry: ZipEntry): Promise<Uint8Array> {
    const fail = (m: string) => ZipReader.fail(this.source, this.what, m);
    // One read for the local header and the data, guessing the header's length (PyTorch's padding is at most
    // 63 bytes); a second read only when the guess was short.
    const guess = Math.min(this.source.size - entry.localOffset, 30 + entry.nameLength + 64 + 24 + entry.compressedSize);
    if (guess < 30) throw fail(`truncated file: the local header of '${entry.name}' is past the end of the file`);
    const chunk = await this.source.read(entry.localOffset, guess);
    const header = dv(chunk.subarray(0, 30));
    if (header.getUint32(0, true) !== SIG_LOCAL) throw fail(`corrupt zip archive: the local header of '${entry.name}' has a bad signature`);
    const skip = 30 + header.getUint16(26, true) + header.getUint16(28, true);
    const start = entry.localOffset + skip;
    if (start + entry.compressedSize > this.source.size) throw fail(`truncated file: the record '${entry.name}' ends past the end of the file`);
    const raw = skip + entry.compressedSize <= chunk.length ? chunk.subarray(skip, skip + entry.compressedSize) : await this.source.read(start, entry.compressedSize);
    let data: Uint8Array;
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.size) throw fail(`corrupt zip archive: the stored record '${entry.name}' has two different sizes`);
      data = raw;
    } else if (entry.method === 8) {
      try {
        data = await inflateRaw(raw, { maxOutputLength: Math.max(entry.size, 1) });
      } catch (err) {
        throw fail(`corrupt zip archive: the record '${entry.name}' cannot be inflated (${(err as Error).message})`);
      }
      if (data.length !== entry.size) throw fail(`corrupt zip archive: the record '${entry.name}' inflates to ${data.length} bytes, not ${entry.size}`);
    } else {
      throw fail(`the record '${entry.name}' uses zip compression method ${entry.method}; only stored and deflated records can be read`);
    }
    const crc = crc32(data);
    if (crc !== entry.crc) {
      throw fail(`corrupt file: the CRC-32 of the record '${entry.name}' is ${hex(crc)}, but the archive says ${hex(entry.crc)}`);
    }
    return data;
  }
}

function hex(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

interface Written {
  name: Uint8Array;
  crc: number;
  size: number;
  offset: number;
}

/** Writes a zip archive the way PyTorch does: stored records with data aligned to 64 bytes. */
export class ZipWriter {
  private offset = 0;
  private readonly written: Written[] = [];
  private readonly encoder = new TextEncoder();

  /** @param forceZip64 write zip64 structures even for small archives (tests use it). */
  constructor(
    private readonly handle: FileHandle,
    private readonly forceZip64 = false,
  ) {}

  // Small pieces are gathered and written together: one system call per few MiB, not two per record.
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private flushedTo = 0;

  private async write(data: Uint8Array): Promise<void> {
    if (data.length < WRITE_CHUNK) {
      this.pending.push(data);
      this.pendingBytes += data.length;
      this.offset += data.length;
      if (this.pendingBytes >= WRITE_CHUNK) await this.flush();
      return;
    }
    await this.flush();
    await this.writeAt(data, this.offset);
    this.offset += data.length;
    this.flushedTo = this.offset;
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.writeAt(all, this.flushedTo);
    this.flushedTo += all.length;
  }

  private async writeAt(data: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, position + done);
      done += bytesWritten;
    }
  }

  /** Adds a stored record whose data starts at a multiple of 64 bytes. */
  async add(name: string, data: Uint8Array): Promise<void> {
    const nameBytes = this.encoder.encode(name);
    const zip64 = this.forceZip64 || data.length >= MAX32;
    const zip64Len = zip64 ? 20 : 0;
    const fixed = 30 + nameBytes.length + zip64Len + 4;
    const pad = (ALIGNMENT - ((this.offset + fixed) % ALIGNMENT)) % ALIGNMENT;
    const header = new Uint8Array(fixed + pad);
    const v = dv(header);
    const crc = crc32(data);
    v.setUint32(0, SIG_LOCAL, true);
    v.setUint16(4, zip64 ? 45 : 20, true); // version needed
    v.setUint16(6, 0, true); // flags
    v.setUint16(8, 0, true); // stored
    v.setUint16(10, 0, true); // time
    v.setUint16(12, 0x21, true); // date: 1980-01-01
    v.setUint32(14, crc, true);
    v.setUint32(18, zip64 ? MAX32 : data.length, true);
    v.setUint32(22, zip64 ? MAX32 : data.length, true);
    v.setUint16(26, nameBytes.length, true);
    v.setUint16(28, zip64Len + 4 + pad, true);
    header.set(nameBytes, 30);
    let e = 30 + nameBytes.length;
    if (zip64) {
      v.setUint16(e, 0x0001, true);
      v.setUint16(e + 2, 16, true);
      v.setBigUint64(e + 4, BigInt(data.length), true);
      v.setBigUint64(e + 12, BigInt(data.length), true);
      e += 20;
    }
    v.setUint16(e, 0x4246, true); // 'FB': PyTorch's padding field
    v.setUint16(e + 2, pad, true);
    header.fill(0x5a, e + 4); // 'Z'
    const offset = this.offset;
    await this.write(header);
    await this.write(data);
    this.written.push({ name: nameBytes, crc, size: data.length, offset });
  }

  /** Writes the central directory and the end records. */
  async finish(): Promise<void> {
    const cdOffset = this.offset;
    const parts: Uint8Array[] = [];
    for (const w of this.written) {
      const big = this.forceZip64 || w.size >= MAX32 || w.offset >= MAX32;
      const extra = big ? 28 : 0;
      const rec = new Uint8Array(46 + w.name.length + extra);
      const v = dv(rec);
      v.setUint32(0, SIG_CENTRAL, true);
      v.setUint16(4, big ? 45 : 20, true); // version made by
      v.setUint16(6, big ? 45 : 20, true); // version needed
      v.setUint16(12, 0, true);
      v.setUint16(14, 0x21, true);
      v.setUint32(16, w.crc, true);
      v.setUint32(20, big ? MAX32 : w.size, true);
      v.setUint32(24, big ? MAX32 : w.size, true);
      v.setUint16(28, w.name.length, true);
      v.setUint16(30, extra, true);
      v.setUint32(42, big ? MAX32 : w.offset, true);
      rec.set(w.name, 46);
      if (big) {
        const e = 46 + w.name.length;
        v.setUint16(e, 0x0001, true);
        v.setUint16(e + 2, 24, true);
        v.setBigUint64(e + 4, BigInt(w.size), true);
        v.setBigUint64(e + 12, BigInt(w.size), true);
        v.setBigUint64(e + 20, BigInt(w.offset), true);
      }
      parts.push(rec);
    }
    const cdSize = parts.reduce((n, p) => n + p.length, 0);
    const count = this.written.length;
    const big = this.forceZip64 || count >= MAX16 || cdOffset >= MAX32 || cdSize >= MAX32;
    const endLen = (big ? 56 + 20 : 0) + 22;
    const end = new Uint8Array(endLen);
    const v = dv(end);
    let p = 0;
    if (big) {
      const at = cdOffset + cdSize;
      v.setUint32(0, SIG_END64, true);
      v.setBigUint64(4, 44n, true);
      v.setUint16(12, 45, true);
      v.setUint16(14, 45, true);
      v.setBigUint64(24, BigInt(count), true);
      v.setBigUint64(32, BigInt(count), true);
      v.setBigUint64(40, BigInt(cdSize), true);
      v.setBigUint64(48, BigInt(cdOffset), true);
      v.setUint32(56, SIG_LOCATOR64, true);
      v.setBigUint64(64, BigInt(at), true);
      v.setUint32(72, 1, true);
      p = 76;
    }
    v.setUint32(p, SIG_END, true);
    v.setUint16(p + 8, big ? MAX16 : count, true);
    v.setUint16(p + 10, big ? MAX16 : count, true);
    v.setUint32(p + 12, big ? MAX32 : cdSize, true);
    v.setUint32(p + 16, big ? MAX32 : cdOffset, true);
    const all = new Uint8Array(cdSize + endLen);
    let q = 0;
    for (const part of parts) {
      all.set(part, q);
      q += part.length;
    }
    all.set(end, q);
    await this.write(all);
    await this.flush();
  }
}
