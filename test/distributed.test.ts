// torch.distributed over c10d (Gloo on loopback): collectives across two processes, DistributedDataParallel
// against one process on the combined batches, DistributedSampler against PyTorch's, failures (a rank that throws,
// is killed or never answers) and the launcher. The two-rank tests start processes (about 10-20 s each here).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, SpawnOptions } from 'child_process';
import * as torch from '../lib';
import { DistributedSampler } from '../lib/data';
import { parseRunArgs } from '../cli/run';
import { UsageError } from '../cli/errors';
import { py, requirePython, hasPython, PYTHON } from './helpers/python';

/** The same collectives as collectives_rank.ts, in Python over Gloo (which has no AVG and no reduce-scatter). */
const PY_COLLECTIVES = `
import json, torch, torch.distributed as dist
dist.init_process_group('gloo')
rank, n = dist.get_rank(), dist.get_world_size()
out = {'rank': rank}
for op in ['SUM', 'MAX', 'MIN', 'PRODUCT']:
    t = torch.tensor([1., 2, 3, 4]) + rank * 10
    dist.all_reduce(t, op=getattr(dist.ReduceOp, op))
    out['allReduce_' + op.lower()] = t.tolist()
b = torch.full((3,), float(rank + 1))
dist.broadcast(b, 1)
out['broadcast'] = b.tolist()
g = [torch.zeros(2) for _ in range(n)]
dist.all_gather(g, torch.tensor([float(rank), rank * 2.]))
out['allGather'] = [x.tolist() for x in g]
if rank == 0:
    dist.send(torch.tensor([42., 43.]), 1, tag=3)
else:
    r = torch.zeros(2)
    dist.recv(r, 0, tag=3)
    out['recv'] = r.tolist()
print('RESULT ' + json.dumps(out))
`;

const dist = torch.distributed;
const bin = path.join(__dirname, '..', '..', 'bin', 'torch-node.js');
const rankScript = (name: string): string => path.join(__dirname, 'distributed', `${name}.js`);

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runProcess(args: string[], opts: SpawnOptions = {}, onStdout?: (s: string) => void): Promise<Ran> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(stdout);
    });
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

function results(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('RESULT '))
    .map((l) => JSON.parse(l.slice(7)) as Record<string, unknown>);
}

let nextPort = 30000 + Math.floor(Math.random() * 20000);

/** Starts rank 0 and rank 1 of `script` directly (no launcher), with torchrun's variables; `kill(r)` kills rank r. */
function twoRanks(script: string, args: string[], extraEnv: Record<string, string>, onStdout: (rank: number, out: string, kill: (rank: number) => void) => void, command = process.execPath): Promise<Ran[]> {
  const port = String(nextPort++);
  const children: ReturnType<typeof spawn>[] = [];
  const kill = (rank: number): void => void children[rank].kill('SIGKILL');
  return Promise.all(
    [0, 1].map(
      (rank) =>
        new Promise<Ran>((resolve) => {
          const env = { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: port, RANK: String(rank), WORLD_SIZE: '2', OMP_NUM_THREADS: '1', ...extraEnv };
          const started = Date.now();
          const child = spawn(command, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
          children[rank] = child;
          let stdout = '';
          let stderr = '';
          child.stdout!.on('data', (c: Buffer) => {
            stdout += c.toString();
            onStdout(rank, stdout, kill);
          });
          child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
          child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
        }),
    ),
  );
}

describe('distributed: one process (world size 1)', function () {
  this.timeout(30000);
  let storeFile: string;
  beforeEach(() => {
    storeFile = path.join(os.tmpdir(), `tn-dist-store-${process.pid}-${Date.now()}`);
  });
  afterEach(() => {
    if (dist.isInitialized()) dist.destroyProcessGroup();
    fs.rmSync(storeFile, { force: true });
  });

  it('is available, and reports the missing default group in PyTorch words', () => {
    assert.strictEqual(dist.isAvailable(), true);
    assert.strictEqual(dist.isInitialized(), false);
    assert.throws(() => dist.getRank(), (e: Error) => e instanceof torch.TorchError && /Default process group has not been initialized/.test(e.message));
    assert.throws(() => dist.allReduce(torch.ones([1])), torch.TorchError);
    assert.throws(() => new torch.nn.parallel.DistributedDataParallel(new torch.nn.Linear(2, 2)), torch.TorchError);
  });

  it('rejects bad init arguments before touching the network', async () => {
    const saved = { ...process.env };
    try {
      delete process.env.MASTER_ADDR;
      await assert.rejects(dist.initProcessGroup({ rank: 0, worldSize: 1 }), (e: Error) => e instanceof TypeError && /env:\/\/ rendezvous: environment variable MASTER_ADDR expected/.test(e.message));
      delete process.env.RANK;
      await assert.rejects(dist.initProcessGroup({ worldSize: 1 }), /environment variable RANK expected, but not set/);
      await assert.rejects(dist.initProcessGroup({ initMethod: 'tcp://127.0.0.1:1', worldSize: 1 }), /tcp:\/\/ rendezvous: rank parameter missing/);
      await assert.rejects(dist.initProcessGroup({ initMethod: 'file:///tmp/x', rank: 2, worldSize: 2 }), /Invalid rank 2, rank should be in the interval \[0, 1\]/);
      await assert.rejects(dist.initProcessGroup({ initMethod: 'udp://x' }), /No rendezvous handler for udp:\/\//);
      await assert.rejects(dist.initProcessGroup({ backend: 'mpi' as 'gloo', initMethod: 'file:///tmp/x', rank: 0, worldSize: 1 }), /Invalid backend: 'mpi'/);
      await assert.rejects(dist.initProcessGroup({ backend: 'nccl', initMethod: `file://${storeFile}`, rank: 0, worldSize: 1 }), torch.TorchError);
      assert.strictEqual(dist.isInitialized(), false);
    } finally {
      process.env = saved;
    }
  });

  it('rejects within the timeout when the other ranks never come, and frees the port', async () => {
    const port = nextPort++;
    const started = Date.now();
    await assert.rejects(dist.initProcessGroup({ initMethod: `tcp://127.0.0.1:${port}`, rank: 0, worldSize: 2, timeout: 1500 }), (e: Error) =>
      e instanceof torch.TorchError && /^initProcessGroup\(\): rank 0 of 2 could not meet the other ranks within 1500 ms: /.test(e.message));
    assert.ok(Date.now() - started < 10000);
    assert.strictEqual(dist.isInitialized(), false);
    // The failed attempt's store no longer holds the port.
    await dist.initProcessGroup({ initMethod: `tcp://127.0.0.1:${port}`, rank: 0, worldSize: 1, timeout: 5000 });
    assert.strictEqual(dist.getWorldSize(), 1);
  });

  it('runs collectives, DDP and destroy in a group of one', async () => {
    await dist.initProcessGroup({ backend: 'gloo', initMethod: `file://${storeFile}`, rank: 0, worldSize: 1, timeout: 10000 });
    assert.strictEqual(dist.isInitialized(), true);
    assert.deepStrictEqual([dist.getRank(), dist.getWorldSize(), dist.getBackend()], [0, 1, 'gloo']);
    await assert.rejects(dist.initProcessGroup({ initMethod: `file://${storeFile}`, rank: 0, worldSize: 1 }), /initialize the default process group twice/);
    const t = torch.tensor([1, 2, 3]);
    await dist.allReduce(t, { op: dist.ReduceOp.AVG });
    assert.deepStrictEqual(Array.from(t.dataSync() as Float32Array), [1, 2, 3]);
    assert.throws(() => dist.allReduce(t, { op: 'mean' as 'sum' }), TypeError);
    assert.throws(() => dist.allGather([torch.zeros([3]), torch.zeros([3])], t), /one tensor per rank \(1\), but holds 2/);
    assert.throws(() => dist.broadcast(t, 1), /src must be a rank in 0..0/);
    assert.throws(() => dist.send(t, 0), /Invalid destination rank/);
    // A PyTorch error inside a collective rejects with a TorchError.
    await assert.rejects(dist.allGather([torch.zeros([2])], t), torch.TorchError);

    // DDP: state dict keys under `module.`, forward delegates, one-rank gradients unchanged.
    const lin = new torch.nn.Linear(3, 2);
    const frozen = new torch.nn.Linear(2, 2);
    frozen.requiresGrad_(false);
    const seq = new torch.nn.Sequential(lin, frozen);
    const ddp = new torch.nn.parallel.DistributedDataParallel(seq);
    assert.deepStrictEqual(Object.keys(ddp.stateDict()), ['module.0.weight', 'module.0.bias', 'module.1.weight', 'module.1.bias']);
    assert.strictEqual(ddp.module, seq);
    const x = torch.randn([4, 3]);
    const out = ddp.forward(x) as torch.Tensor;
    assert.deepStrictEqual(Array.from(out.dataSync() as Float32Array), Array.from((seq.forward(x) as torch.Tensor).dataSync() as Float32Array));
    out.sum().backward();
    assert.ok(lin.weight.grad);
    assert.strictEqual(frozen.weight.grad, null);
    // noSync restores synchronisation after fn, also when it throws or is async.
    assert.throws(() => ddp.noSync(() => { throw new Error('inner'); }), /inner/);
    assert.strictEqual(ddp.requireBackwardGradSync, true);
    const p = ddp.noSync(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return ddp.requireBackwardGradSync;
    });
    assert.strictEqual(ddp.requireBackwardGradSync, false);
    assert.strictEqual(await p, false);
    assert.strictEqual(ddp.requireBackwardGradSync, true);

    // A parameter the forward does not use: PyTorch's error on the next iteration, unless findUnusedParameters.
    class TwoHeads extends torch.nn.Module {
      a = new torch.nn.Linear(3, 2);
      b = new torch.nn.Linear(3, 2);
      override forward(x: torch.Tensor): torch.Tensor {
        return this.a.forward(x);
      }
    }
    const twice = (m: torch.nn.Module): void => {
      for (let i = 0; i < 2; i++) (m.forward(torch.ones([2, 3])) as torch.Tensor).sum().backward();
    };
    assert.throws(() => twice(new torch.nn.parallel.DistributedDataParallel(new TwoHeads())), (e: Error) =>
      e instanceof torch.TorchError && /Expected to have finished reduction in the prior iteration/.test(e.message) && /findUnusedParameters: true/.test(e.message));
    const found = new TwoHeads();
    twice(new torch.nn.parallel.DistributedDataParallel(found, { findUnusedParameters: true }));
    assert.ok(found.a.weight.grad);

    const noTrainable = new torch.nn.Linear(2, 2);
    noTrainable.requiresGrad_(false);
    assert.throws(() => new torch.nn.parallel.DistributedDataParallel(noTrainable), /doesn't have any parameter that requires a gradient/);
    assert.throws(() => new torch.nn.parallel.DistributedDataParallel(new torch.nn.Linear(2, 2), { deviceIds: [0] }), /deviceIds argument only works with single-device GPU modules/);

    dist.destroyProcessGroup();
    assert.strictEqual(dist.isInitialized(), false);
    assert.throws(() => dist.barrier(), /has not been initialized/);
  });
});

describe('distributed: NCCL (CUDA builds with a GPU)', function () {
  this.timeout(60000);

  it('initialises a group of one, all-reduces a CUDA tensor and trains a DDP step', async function () {
    if (!torch.cuda.isAvailable()) this.skip();
    const storeFile = path.join(os.tmpdir(), `tn-nccl-store-${process.pid}-${Date.now()}`);
    try {
      await dist.initProcessGroup({ backend: 'nccl', initMethod: `file://${storeFile}`, rank: 0, worldSize: 1, timeout: 30000 });
      assert.strictEqual(dist.getBackend(), 'nccl');
      const t = torch.tensor([1, 2, 3]).cuda();
      await dist.allReduce(t, { op: dist.ReduceOp.AVG });
      assert.deepStrictEqual(Array.from(t.cpu().dataSync() as Float32Array), [1, 2, 3]);
      const lin = new torch.nn.Linear(3, 2).cuda();
      const ddp = new torch.nn.parallel.DistributedDataParallel(lin, { deviceIds: [0] });
      (ddp.forward(torch.ones([4, 3]).cuda()) as torch.Tensor).sum().backward();
      assert.deepStrictEqual(Array.from((lin.weight.grad as torch.Tensor).cpu().dataSync() as Float32Array), [4, 4, 4, 4, 4, 4]);
      await dist.barrier();
    } finally {
      if (dist.isInitialized()) dist.destroyProcessGroup();
      fs.rmSync(storeFile, { force: true });
    }
  });
});

describe('distributed: DistributedSampler against PyTorch', () => {
  it('gives every rank the same indices as torch.utils.data.DistributedSampler', function () {
    requirePython(this);
    const configs = [
      { n: 10, numReplicas: 3, shuffle: true, seed: 5, dropLast: false, epoch: 2 },
      { n: 10, numReplicas: 3, shuffle: true, seed: 5, dropLast: true, epoch: 0 },
      { n: 10, numReplicas: 3, shuffle: false, seed: 0, dropLast: false, epoch: 0 },
      { n: 2, numReplicas: 5, shuffle: true, seed: 1, dropLast: false, epoch: 1 },
      { n: 37, numReplicas: 4, shuffle: true, seed: 0, dropLast: true, epoch: 7 },
    ];
    const expected = py(`
from torch.utils.data.distributed import DistributedSampler
cfgs = ${JSON.stringify(configs).replace(/true/g, 'True').replace(/false/g, 'False')}
res = []
for c in cfgs:
    per = []
    for r in range(c['numReplicas']):
        s = DistributedSampler(range(c['n']), num_replicas=c['numReplicas'], rank=r, shuffle=c['shuffle'], seed=c['seed'], drop_last=c['dropLast'])
        s.set_epoch(c['epoch'])
        per.append([list(s), len(s)])
    res.append(per)
emit('res', res)
`).res as [number[], number][][];
    configs.forEach((c, i) => {
      for (let r = 0; r < c.numReplicas; r++) {
        const s = new DistributedSampler({ length: c.n }, { numReplicas: c.numReplicas, rank: r, shuffle: c.shuffle, seed: c.seed, dropLast: c.dropLast });
        s.setEpoch(c.epoch);
        assert.deepStrictEqual([[...s], s.length], expected[i][r], `config ${i}, rank ${r}`);
      }
    });
  });

  it('checks its arguments', () => {
    assert.throws(() => new DistributedSampler({ length: 4 }, { numReplicas: 2, rank: 2 }), /Invalid rank 2, rank should be in the interval \[0, 1\]/);
    assert.throws(() => new DistributedSampler({ length: 4 }, { numReplicas: 0, rank: 0 }), RangeError);
    assert.throws(() => new DistributedSampler({ length: 4 }), /Default process group has not been initialized/);
  });
});

describe('distributed: two ranks over Gloo', function () {
  this.timeout(180000);

  it('collectives give PyTorch results on every rank (started by the launcher)', async () => {
    const r = await runProcess([bin, 'run', '--nproc-per-node', '2', rankScript('collectives_rank')]);
    assert.strictEqual(r.code, 0, r.stderr);
    const byRank = results(r.stdout).sort((a, b) => (a.rank as number) - (b.rank as number));
    assert.strictEqual(byRank.length, 2);
    // Rank r starts allReduce from [1, 2, 3, 4] + 10 r.
    const x = [0, 1].map((rank) => [1, 2, 3, 4].map((v) => v + 10 * rank));
    const zip = (f: (a: number, b: number) => number): number[] => x[0].map((v, i) => f(v, x[1][i]));
    for (const [rank, o] of byRank.entries()) {
      assert.deepStrictEqual([o.worldSize, o.localRank], [2, rank]);
      assert.deepStrictEqual(o.allReduce_sum, zip((a, b) => a + b));
      assert.deepStrictEqual(o.allReduce_avg, zip((a, b) => (a + b) / 2));
      assert.deepStrictEqual(o.allReduce_max, zip(Math.max));
      assert.deepStrictEqual(o.allReduce_min, zip(Math.min));
      assert.deepStrictEqual(o.allReduce_product, zip((a, b) => a * b));
      // Integer averages truncate: (7 + 8) / 2 -> 7.
      assert.deepStrictEqual(o.allReduce_avg_int, [7, 8, 9]);
      assert.deepStrictEqual(o.broadcast, [2, 2, 2]);
      assert.deepStrictEqual(o.allGather, [[0, 0], [1, 2]]);
      // inputList[i] on rank q is [[i, q], [q i, 1]]; rank r receives the reduction of inputList[r].
      const inputs = [0, 1].map((q) => [rank, q, q * rank, 1]);
      assert.deepStrictEqual(o.reduceScatter_sum, inputs[0].map((v, i) => v + inputs[1][i]));
      assert.deepStrictEqual(o.reduceScatter_max, inputs[0].map((v, i) => Math.max(v, inputs[1][i])));
      assert.deepStrictEqual(o.concurrent, [0, 1, 2, 3, 4, 5, 6, 7].map((i) => 20 * i + 1));
      assert.strictEqual(o.initializedAfterDestroy, false);
    }
    assert.deepStrictEqual(byRank[1].recv, [42, 43]);

    // The same collectives in Python PyTorch over Gloo give the same values.
    if (hasPython()) {
      const ran = await twoRanks('-c', [PY_COLLECTIVES], {}, () => undefined, PYTHON);
      for (const [rank, r] of ran.entries()) {
        assert.strictEqual(r.code, 0, r.stderr);
        const [oracle] = results(r.stdout);
        for (const [k, v] of Object.entries(oracle)) assert.deepStrictEqual(byRank[rank][k], v, `${k} on rank ${rank}`);
      }
    }
  });

  it('DDP with DistributedSampler ends with the weights of one process training on the combined batches', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-ddp-'));
    try {
      const [ddp, single] = await Promise.all([
        runProcess([bin, 'run', '--nproc-per-node', '2', rankScript('train_rank'), 'ddp', path.join(dir, 'ddp_RANK.json')]),
        runProcess([rankScript('train_rank'), 'single', path.join(dir, 'single_RANK.json')], { env: { ...process.env, OMP_NUM_THREADS: '1' } }),
      ]);
      assert.strictEqual(ddp.code, 0, ddp.stderr);
      assert.strictEqual(single.code, 0, single.stderr);
      const read = (f: string): Record<string, number[]> => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      const [r0, r1, one] = [read('ddp_0.json'), read('ddp_1.json'), read('single_0.json')];
      const init = '(initial fc.weight)';
      // The ranks started from different weights, and training moved them.
      assert.notDeepStrictEqual(r0[init], r1[init]);
      assert.deepStrictEqual(r0[init], one[init]);
      assert.ok(r0['module.fc.weight'].some((v, i) => Math.abs(v - r0[init][i]) > 1e-3));
      assert.deepStrictEqual(Object.keys(r0).filter((k) => k !== init), Object.keys(one).filter((k) => k !== init).map((k) => `module.${k}`));
      for (const k of Object.keys(one)) {
        if (k === init) continue;
        const a = r0[`module.${k}`];
        assert.deepStrictEqual(a, r1[`module.${k}`], `${k}: the two ranks differ`);
        const diff = Math.max(...a.map((v, i) => Math.abs(v - one[k][i])));
        assert.ok(diff < 1e-5, `${k}: DDP and one process differ by ${diff}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a killed rank makes the other fail at once with a TorchError', async () => {
    const [r0, r1] = await twoRanks(rankScript('fail_rank'), ['kill'], { TIMEOUT: '60000' }, (rank, out, kill) => {
      if (rank === 1 && out.includes('READY')) kill(1);
    });
    assert.strictEqual(r1.code, null);
    assert.strictEqual(r0.code, 0, r0.stderr);
    const [res] = results(r0.stdout);
    assert.strictEqual(res.isTorchError, true);
    assert.match(res.message as string, /Connection closed by peer|Connection reset/);
    assert.ok((res.ms as number) < 20000, `took ${res.ms} ms`);
  });

  it('a rank that never answers makes the other fail when the timeout passes', async () => {
    const [r0] = await twoRanks(rankScript('fail_rank'), ['silent'], { TIMEOUT: '3000' }, (rank, out, kill) => {
      // Rank 0 reported: stop the silent rank rather than wait for it.
      if (rank === 0 && out.includes('RESULT')) kill(1);
    });
    assert.strictEqual(r0.code, 0, r0.stderr);
    const [res] = results(r0.stdout);
    assert.strictEqual(res.isTorchError, true);
    assert.match(res.message as string, /Timed out waiting 3000ms/);
    assert.ok((res.ms as number) >= 2900 && (res.ms as number) < 15000, `took ${res.ms} ms`);
  });
});

describe('distributed: examples/ddp.js', function () {
  this.timeout(180000);

  it('runs the seed tutorial as a two-rank DDP job on the CPU', async function () {
    if (!fs.existsSync('/usr/share/datasets/fashion-mnist')) this.skip();
    const example = path.join(__dirname, '..', '..', 'examples', 'ddp.js');
    const r = await runProcess([bin, 'run', '--nproc-per-node', '2', example, '--backend', 'gloo', '--weights', 'none', '--epochs', '2', '--limit', '64', '--image-size', '64', '--batch-size', '8']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /^2 processes \(gloo\), 64 images of 10 classes, 4 batches of 8 per process and epoch$/m);
    const losses = [...r.stdout.matchAll(/^Epoch (\d), Loss: ([\d.]+)/gm)].map((m) => Number(m[2]));
    assert.strictEqual(losses.length, 2, r.stdout);
    assert.ok(losses.every(Number.isFinite));
  });
});

describe('distributed: the launcher', function () {
  this.timeout(120000);

  it('stops the other ranks when one fails, shows its error and exits non-zero', async () => {
    // Rank 1 throws before the rendezvous, where rank 0 would otherwise wait for a minute.
    const r = await runProcess([bin, 'run', '--nproc-per-node', '2', rankScript('fail_rank'), 'early']);
    assert.notStrictEqual(r.code, 0);
    assert.match(r.stderr, /torch-node run: rank 1 \(local rank 1\) exited with code 1; the other ranks were stopped/);
    assert.match(r.stderr, /last lines of its error output ---\nError: boom from rank 1 before the rendezvous/);
    assert.ok(r.ms < 45000, `took ${r.ms} ms`);
  });

  it('joins the ranks of several nodes (two launchers on this machine, --nnodes 2)', async () => {
    const port = String(nextPort++);
    const node = (r: number): Promise<Ran> =>
      runProcess([bin, 'run', '--nnodes', '2', '--node-rank', String(r), '--nproc-per-node', '1', '--master-addr', '127.0.0.1', '--master-port', port, rankScript('collectives_rank')]);
    const ran = await Promise.all([node(0), node(1)]);
    for (const [r, out] of ran.entries()) {
      assert.strictEqual(out.code, 0, out.stderr);
      const [res] = results(out.stdout);
      assert.deepStrictEqual([res.rank, res.worldSize, res.localRank], [r, 2, 0]);
      assert.deepStrictEqual(res.allReduce_sum, [12, 14, 16, 18]);
    }
  });

  it('forwards SIGTERM to the ranks and exits with 128 + 15 once they stopped', async () => {
    // Rank 1 prints READY and sleeps; rank 0 waits for it in an all-reduce (timeout one minute).
    const child = spawn(process.execPath, [bin, 'run', '--nproc-per-node', '2', rankScript('fail_rank'), 'kill'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const started = Date.now();
    child.stdout!.on('data', (c: Buffer) => {
      if (c.toString().includes('READY')) child.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.strictEqual(code, 143);
    assert.ok(Date.now() - started < 45000, `took ${Date.now() - started} ms`);
  });

  it('parses torchrun-style options', () => {
    assert.deepStrictEqual(parseRunArgs(['train.js', '--lr', '1']), {
      nprocPerNode: 1, nnodes: 1, nodeRank: 0, masterAddr: '127.0.0.1', masterPort: null, script: 'train.js', args: ['--lr', '1'],
    });
    const o = parseRunArgs(['--nproc_per_node=4', '--nnodes', '2', '--node-rank', '1', '--master-addr', '10.0.0.1', '--master-port=1234', 'a.js']);
    assert.deepStrictEqual([o.nprocPerNode, o.nnodes, o.nodeRank, o.masterAddr, o.masterPort, o.script], [4, 2, 1, '10.0.0.1', 1234, 'a.js']);
    assert.throws(() => parseRunArgs(['--nproc', '2', 'a.js']), (e: Error) => e instanceof UsageError && /unknown option --nproc/.test(e.message));
    assert.throws(() => parseRunArgs(['--nproc-per-node', '0', 'a.js']), /--nproc-per-node must be an integer >= 1, but received '0'/);
    assert.throws(() => parseRunArgs(['--nproc-per-node', '2']), /no script given/);
    assert.throws(() => parseRunArgs(['--nnodes', '2', '--node-rank', '2', '--master-port', '1', 'a.js']), /--node-rank must be less than --nnodes/);
    assert.throws(() => parseRunArgs(['--nnodes', '2', 'a.js']), /--master-port is required/);
  });
});
