// Downloading and caching checkpoints, as torch.hub's load_state_dict_from_url: files live in
// `$TORCH_HOME/hub/checkpoints` (default `~/.cache/torch/hub/checkpoints`), the same folder and file names Python
// uses, so a checkpoint Python downloaded is found here offline and the other way round. A download goes to a
// temporary file in that folder and is renamed when complete (and, when asked, when its SHA-256 starts with the
// hash in its name), so an interrupted download never leaves a broken checkpoint behind.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash, randomBytes } from 'crypto';
import { load, Loaded, MapLocation } from '../../serialization';

/** torch.hub's pattern for the hash in a checkpoint's file name: `resnet18-f37072fd.pth` holds `f37072fd`. */
const HASH_REGEX = /-([a-f0-9]*)\./;

function expandUser(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** PyTorch's home folder: `$TORCH_HOME`, else `$XDG_CACHE_HOME/torch`, else `~/.cache/torch`. */
export function getTorchHome(): string {
  const env = process.env.TORCH_HOME;
  if (env) return expandUser(env);
  return expandUser(path.join(process.env.XDG_CACHE_HOME || '~/.cache', 'torch'));
}

/** The hub folder, `<torch home>/hub`, as `torch.hub.get_dir()`. */
export function getDir(): string {
  return path.join(getTorchHome(), 'hub');
}

/** The file name a URL is cached under: the last part of its path, as Python's `os.path.basename(urlparse(url).path)`. */
export function urlFileName(url: string): string {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    throw new TypeError(`Invalid URL '${url}'`);
  }
  const name = decodeURIComponent(pathname.slice(pathname.lastIndexOf('/') + 1));
  if (name === '') throw new TypeError(`The URL '${url}' does not end with a file name`);
  return name;
}

/** Where a checkpoint downloaded from `url` is cached: `<torch home>/hub/checkpoints/<file name>`. */
export function cachedCheckpointPath(url: string, modelDir?: string, fileName?: string): string {
  return path.join(modelDir ?? path.join(getDir(), 'checkpoints'), fileName ?? urlFileName(url));
}

function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)}${units[i]}`;
}

/** A tqdm-like progress bar on stderr (redrawn in place on a terminal, printed once at the end otherwise). */
class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private readonly start = Date.now();
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly total: number | null) {}

  update(n: number): void {
    this.done += n;
    const now = Date.now();
    if (this.tty && now - this.lastDraw >= 100) {
      this.lastDraw = now;
      process.stderr.write(`\r${this.line()}`);
    }
  }

  close(): void {
    process.stderr.write(`${this.tty ? '\r' : ''}${this.line()}\n`);
  }

  private line(): string {
    const secs = Math.max((Date.now() - this.start) / 1000, 1e-3);
    const rate = `${formatBytes(this.done / secs)}/s`;
    if (this.total === null || this.total <= 0) return `${formatBytes(this.done)} [${secs.toFixed(0)}s, ${rate}]`;
    const frac = Math.min(this.done / this.total, 1);
    const width = 30;
    const filled = Math.round(frac * width);
    const bar = '█'.repeat(filled) + ' '.repeat(width - filled);
    return `${(frac * 100).toFixed(0).padStart(3)}%|${bar}| ${formatBytes(this.done)}/${formatBytes(this.total)} [${secs.toFixed(0)}s, ${rate}]`;
  }
}

/** Options of `downloadUrlToFile`. */
export interface DownloadOptions {
  /** If given, the SHA-256 of the downloaded bytes must start with it. */
  hashPrefix?: string | null;
  /** Show a progress bar on stderr (default true). */
  progress?: boolean;
}

/** The error of a download that could not be made (no network, an HTTP error): it names the URL and where the file goes. */
export class DownloadError extends Error {
  /** The URL that could not be fetched. */
  readonly url: string;
  /** The path the file is expected at. */
  readonly path: string;

  constructor(url: string, dst: string, reason: string, cause?: unknown) {
    super(
      `Could not download ${url} (${reason}).\n` +
        `The file is looked for at ${dst} (PyTorch's checkpoint cache: set TORCH_HOME to move it; a file Python's ` +
        'torch.hub downloaded there is used as is). To use it offline, download it on a machine with network access ' +
        `and put it at exactly that path, e.g.:\n  curl -L -o '${dst}' '${url}'`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'DownloadError';
    this.url = url;
    this.path = dst;
  }
}

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) return `${err.message}: ${cause.message}`;
  return err.message;
}

/**
 * Downloads `url` to the file `dst`, as `torch.hub.download_url_to_file`: into a temporary file beside `dst`,
 * renamed to `dst` once complete and, with `hashPrefix`, once the SHA-256 of its bytes starts with it.
 */
export async function downloadUrlToFile(url: string, dst: string, opts: DownloadOptions = {}): Promise<void> {
  const dir = path.dirname(dst);
  await fs.promises.mkdir(dir, { recursive: true });
  let res: Response;
  try {
    res = await fetch(url, { headers: { 'User-Agent': 'torch.hub' } });
  } catch (err) {
    throw new DownloadError(url, dst, reasonOf(err), err);
  }
  if (!res.ok || res.body === null) throw new DownloadError(url, dst, `HTTP ${res.status} ${res.statusText}`.trim());
  const length = Number(res.headers.get('content-length'));
  const tmp = path.join(dir, `.${path.basename(dst)}.${randomBytes(6).toString('hex')}.partial`);
  const handle = await fs.promises.open(tmp, 'wx');
  const sha = opts.hashPrefix ? createHash('sha256') : null;
  const bar = opts.progress ?? true ? new ProgressBar(Number.isFinite(length) && length > 0 ? length : null) : null;
  let moved = false;
  try {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        await handle.write(chunk);
        sha?.update(chunk);
        bar?.update(chunk.byteLength);
      }
    } catch (err) {
      throw new DownloadError(url, dst, `the download was interrupted: ${reasonOf(err)}`, err);
    }
    await handle.close();
    bar?.close();
    if (sha && opts.hashPrefix) {
      const digest = sha.digest('hex');
      if (!digest.startsWith(opts.hashPrefix)) throw new Error(`invalid hash value (expected "${opts.hashPrefix}", got "${digest}") for ${url}`);
    }
    await fs.promises.rename(tmp, dst);
    moved = true;
  } finally {
    await handle.close().catch(() => undefined);
    if (!moved) await fs.promises.rm(tmp, { force: true });
  }
}

/** Options of `loadStateDictFromUrl`. */
export interface LoadStateDictFromUrlOptions {
  /** The folder of cached checkpoints (default `<torch home>/hub/checkpoints`). */
  modelDir?: string;
  /** Where the tensors go (see torch.load); default: where they were saved from. */
  mapLocation?: MapLocation;
  /** Show a progress bar while downloading (default true). */
  progress?: boolean;
  /** Check a download against the hash in its file name (`name-<sha256 prefix>.ext`); default false. */
  checkHash?: boolean;
  /** The cached file's name (default: the URL's). */
  fileName?: string;
}

/**
 * Loads the checkpoint at `url`, as `torch.hub.load_state_dict_from_url`: from the cache when the file is there
 * (it is not re-checked), otherwise downloaded into the cache first.
 */
export async function loadStateDictFromUrl(url: string, opts: LoadStateDictFromUrlOptions = {}): Promise<Loaded> {
  const cached = cachedCheckpointPath(url, opts.modelDir, opts.fileName);
  if (!fs.existsSync(cached)) {
    if (opts.progress ?? true) process.stderr.write(`Downloading: "${url}" to ${cached}\n`);
    let hashPrefix: string | null = null;
    if (opts.checkHash) hashPrefix = HASH_REGEX.exec(path.basename(cached))?.[1] || null;
    await downloadUrlToFile(url, cached, { hashPrefix, progress: opts.progress });
  }
  return load(cached, { mapLocation: opts.mapLocation });
}
