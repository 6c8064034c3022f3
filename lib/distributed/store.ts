// torch.distributed's key-value stores: how ranks find each other (TCPStore, FileStore).
import { N, DistHandle } from '../native';
import { TorchError } from '../errors';

/** c10d's native distributed functions, or a clear error where the addon was built without them. */
export function c10d(): Required<Pick<typeof N, DistFunction>> {
  if (!N.distNewGroup) {
    throw new TorchError(
      'torch.distributed is not available: the addon was built without c10d (on Debian, install libgloo-dev and rebuild)',
    );
  }
  return N as Required<Pick<typeof N, DistFunction>>;
}
type DistFunction = Extract<keyof typeof N, `dist${string}`>;

/** A key-value store shared by the ranks of a job, as `torch.distributed.Store`. */
export class Store {
  /** @internal */
  constructor(readonly _handle: DistHandle) {}

  /** Sets `key` to `value`. */
  set(key: string, value: string): void {
    c10d().distStoreSet(this._handle, key, value);
  }

  /** The value of `key`, waiting for another rank to set it (up to the store's timeout). */
  get(key: string): Promise<string> {
    return c10d().distStoreGet(this._handle, key);
  }

  /** Frees the store now (a TCP server stops listening). */
  close(): void {
    c10d().distRelease(this._handle);
  }
}

/** Options of `TCPStore.create`. */
export interface TCPStoreOptions {
  /** Whether this process runs the server (rank 0 does). */
  isMaster: boolean;
  /** The number of processes that will use the store. */
  worldSize?: number;
  /** How long to keep trying to connect, and to wait for a key, in milliseconds (default 30 minutes). */
  timeout?: number;
}

/** A store served over TCP by one process (rank 0) at host:port. */
export class TCPStore extends Store {
  /** Connects to (or, for the master, starts) the store at host:port. */
  static async create(host: string, port: number, opts: TCPStoreOptions): Promise<TCPStore> {
    if (typeof host !== 'string' || host === '') throw new TypeError(`TCPStore: host must be a non-empty string, but received ${String(host)}`);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`TCPStore: port must be an integer in 0..65535, but received ${String(port)}`);
    const timeout = opts.timeout ?? DEFAULT_TIMEOUT_MS;
    return new TCPStore(await c10d().distTcpStore(host, port, opts.isMaster, opts.worldSize ?? -1, timeout));
  }
}

/** A store in a file on a file system all processes share. */
export class FileStore extends Store {
  /** Opens (or creates) the store in `path` for `worldSize` processes. */
  constructor(path: string, worldSize = -1) {
    if (typeof path !== 'string' || path === '') throw new TypeError(`FileStore: path must be a non-empty string, but received ${String(path)}`);
    super(c10d().distFileStore(path, worldSize));
  }
}

/** torch.distributed's default timeout for the rendezvous and collectives: 30 minutes. */
export const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;
