// Rendezvous: from an init method ('env://', 'tcp://host:port', 'file://path') to a store, a rank and a world size,
// as torch.distributed.rendezvous does.
import * as net from 'net';
import { Store, TCPStore, FileStore } from './store';

/** What a rendezvous settles. */
export interface Rendezvous {
  store: Store;
  rank: number;
  worldSize: number;
}

function fail(scheme: string, what: string): never {
  throw new TypeError(`Error initializing torch.distributed using ${scheme}:// rendezvous: ${what}`);
}

function envInt(scheme: string, name: string, given: number | undefined, what: string): number {
  if (given !== undefined && given !== -1) return given;
  const v = process.env[name];
  if (v === undefined || v === '') fail(scheme, `environment variable ${name} expected, but not set`);
  const n = Number(v);
  if (!Number.isInteger(n)) fail(scheme, `environment variable ${name} must be an integer (the ${what}), but is '${v}'`);
  return n;
}

function checkRank(rank: number, worldSize: number): void {
  if (!Number.isInteger(worldSize) || worldSize < 1) throw new RangeError(`worldSize must be a positive integer, but received ${worldSize}`);
  if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize) {
    throw new RangeError(`Invalid rank ${rank}, rank should be in the interval [0, ${worldSize - 1}]`);
  }
}

/**
 * Resolves `initMethod`. `env://` reads MASTER_ADDR, MASTER_PORT and, unless given, RANK and WORLD_SIZE (what the
 * launcher sets); `tcp://host:port` and `file://path` need rank and worldSize (given, or as `?rank=&world_size=`).
 */
export async function rendezvous(initMethod: string, rank: number | undefined, worldSize: number | undefined, timeout: number): Promise<Rendezvous> {
  const m = /^([a-z]+):\/\/(.*)$/.exec(initMethod);
  if (!m) throw new TypeError(`initMethod must be 'env://', 'tcp://host:port' or 'file://path', but received '${initMethod}'`);
  const [, scheme, rest] = m;
  if (scheme !== 'env' && scheme !== 'tcp' && scheme !== 'file') throw new TypeError(`No rendezvous handler for ${scheme}://`);
  const [where, query] = rest.split('?', 2) as [string, string | undefined];
  const params = new URLSearchParams(query ?? '');
  const fromQuery = (name: string): number | undefined => (params.has(name) ? Number(params.get(name)) : undefined);
  rank = rank ?? fromQuery('rank');
  worldSize = worldSize ?? fromQuery('world_size');
  if (scheme === 'env') {
    rank = envInt(scheme, 'RANK', rank, 'rank');
    worldSize = envInt(scheme, 'WORLD_SIZE', worldSize, 'world size');
    checkRank(rank, worldSize);
    const addr = process.env.MASTER_ADDR;
    if (!addr) fail(scheme, 'environment variable MASTER_ADDR expected, but not set');
    const port = envInt(scheme, 'MASTER_PORT', undefined, 'port');
    return { store: await TCPStore.create(addr, port, { isMaster: rank === 0, worldSize, timeout }), rank, worldSize };
  }
  if (rank === undefined) fail(scheme, 'rank parameter missing');
  if (worldSize === undefined) fail(scheme, 'world size parameter missing');
  checkRank(rank, worldSize);
  if (scheme === 'tcp') {
    const hp = /^\[?([^\]]*?)\]?:(\d+)$/.exec(where);
    if (!hp) fail(scheme, `port number missing in '${initMethod}'`);
    return { store: await TCPStore.create(hp[1], Number(hp[2]), { isMaster: rank === 0, worldSize, timeout }), rank, worldSize };
  }
  if (!where) fail(scheme, 'path missing');
  return { store: new FileStore(where, worldSize), rank, worldSize };
}

/** @internal A TCP port free on the loopback interface now, for a master address the launcher picks. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
