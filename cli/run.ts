// `torch-node run`: starts the ranks of a distributed job on this node with torchrun's environment variables,
// forwards signals to them, and when one rank fails stops the others and shows that rank's error.
import { spawn, ChildProcess } from 'child_process';
import { freePort } from '../lib/distributed/rendezvous';
import { UsageError } from './errors';

export const RUN_USAGE = `usage: torch-node run [--nproc-per-node N] [--nnodes M --node-rank R] [--master-addr A]
                      [--master-port P] script.js [args...]

Starts N processes of script.js on this node (ranks R*N .. R*N+N-1 of M*N) with MASTER_ADDR, MASTER_PORT, RANK,
LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE and GROUP_RANK set, as torchrun does; the script calls
torch.distributed.initProcessGroup(). On one node without --master-port a free port is chosen. When a rank fails
the others are stopped, its error is shown, and the exit code is that rank's.`;

/** The launcher's settings. */
export interface RunOptions {
  nprocPerNode: number;
  nnodes: number;
  nodeRank: number;
  masterAddr: string;
  masterPort: number | null;
  script: string;
  args: string[];
}

const FLAGS: Record<string, keyof RunOptions> = {
  'nproc-per-node': 'nprocPerNode',
  nnodes: 'nnodes',
  'node-rank': 'nodeRank',
  'master-addr': 'masterAddr',
  'master-port': 'masterPort',
};

/** Parses the launcher's options (up to the script; what follows it belongs to the script). */
export function parseRunArgs(argv: string[]): RunOptions {
  const o: RunOptions = { nprocPerNode: 1, nnodes: 1, nodeRank: 0, masterAddr: '127.0.0.1', masterPort: null, script: '', args: [] };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('--'); i++) {
    let [name, value] = argv[i].slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    name = name.replace(/_/g, '-');
    const key = FLAGS[name];
    if (!key) throw new UsageError(`run: unknown option --${name}\n\n${RUN_USAGE}`);
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`run: --${name} needs a value`);
      value = argv[++i];
    }
    if (key === 'masterAddr') o.masterAddr = value;
    else {
      const n = Number(value);
      const min = key === 'nodeRank' || key === 'masterPort' ? 0 : 1;
      if (!Number.isInteger(n) || n < min || (key === 'masterPort' && n > 65535)) {
        throw new UsageError(`run: --${name} must be an integer${key === 'masterPort' ? ' in 0..65535' : ` >= ${min}`}, but received '${value}'`);
      }
      (o as unknown as Record<string, number>)[key] = n;
    }
  }
  if (i >= argv.length) throw new UsageError(`run: no script given\n\n${RUN_USAGE}`);
  o.script = argv[i];
  o.args = argv.slice(i + 1);
  if (o.nodeRank >= o.nnodes) throw new UsageError(`run: --node-rank must be less than --nnodes (${o.nnodes}), but received ${o.nodeRank}`);
  if (o.nnodes > 1 && o.masterPort === null) throw new UsageError('run: --master-port is required with --nnodes > 1');
  return o;
}

// What is kept of each rank's stderr to show when it fails.
const TAIL_LINES = 40;

interface Rank {
  rank: number;
  local: number;
  child: ChildProcess;
  tail: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the job; resolves with the exit code (0 when every rank succeeded). */
export async function launch(o: RunOptions): Promise<number> {
  const port = o.masterPort ?? (await freePort());
  const worldSize = o.nnodes * o.nprocPerNode;
  const ranks: Rank[] = [];
  for (let local = 0; local < o.nprocPerNode; local++) {
    const rank = o.nodeRank * o.nprocPerNode + local;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MASTER_ADDR: o.masterAddr,
      MASTER_PORT: String(port),
      RANK: String(rank),
      LOCAL_RANK: String(local),
      WORLD_SIZE: String(worldSize),
      LOCAL_WORLD_SIZE: String(o.nprocPerNode),
      GROUP_RANK: String(o.nodeRank),
    };
    // As torchrun: several ranks on one machine each get one intra-op thread unless told otherwise.
    if (o.nprocPerNode > 1 && env.OMP_NUM_THREADS === undefined) env.OMP_NUM_THREADS = '1';
    const child = spawn(process.execPath, [o.script, ...o.args], { env, stdio: ['inherit', 'inherit', 'pipe'] });
    const r: Rank = {
      rank,
      local,
      child,
      tail: [],
      exit: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    };
    child.once('error', (err) => r.tail.push(`cannot start: ${err.message}`));
    let partial = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      r.tail.push(...lines);
      if (r.tail.length > TAIL_LINES) r.tail.splice(0, r.tail.length - TAIL_LINES);
    });
    child.stderr!.once('end', () => partial && r.tail.push(partial));
    ranks.push(r);
  }

  let stopping = false;
  const stopAll = (signal: NodeJS.Signals): void => {
    for (const r of ranks) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill(signal);
  };
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    stopAll('SIGTERM');
    killTimer = setTimeout(() => stopAll('SIGKILL'), 5000);
    killTimer.unref();
  };
  const forwarded: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let interrupted: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted = signal;
    stopAll(signal);
  };
  for (const s of forwarded) process.on(s, onSignal);

  let failure: { r: Rank; code: number | null; signal: NodeJS.Signals | null } | null = null;
  await Promise.all(
    ranks.map(async (r) => {
      const { code, signal } = await r.exit;
      if ((code !== 0 || signal !== null) && !failure && !stopping && !interrupted) {
        failure = { r, code, signal };
        stop();
      }
    }),
  );
  for (const s of forwarded) process.off(s, onSignal);
  if (killTimer) clearTimeout(killTimer);

  if (interrupted) return 128 + (interrupted === 'SIGINT' ? 2 : interrupted === 'SIGTERM' ? 15 : 1);
  const f = failure as { r: Rank; code: number | null; signal: NodeJS.Signals | null } | null;
  if (!f) return 0;
  const how = f.signal ? `was killed by ${f.signal}` : `exited with code ${f.code}`;
  const lines = [`torch-node run: rank ${f.r.rank} (local rank ${f.r.local}) ${how}; the other ranks were stopped.`];
  if (f.r.tail.length) lines.push(`--- rank ${f.r.rank}: last lines of its error output ---`, ...f.r.tail);
  console.error(lines.join('\n'));
  return f.code && f.code > 0 ? f.code : 1;
}

/** `torch-node run ...`: returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  if (argv[0] === '-h' || argv[0] === '--help') {
    console.log(RUN_USAGE);
    return 0;
  }
  return launch(parseRunArgs(argv));
}
