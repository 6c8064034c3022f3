// One rank of the collectives test (started by `torch-node run`): runs each collective on rank-dependent inputs
// and prints what it ended with as one JSON line.
import * as torch from '../../lib';
const dist = torch.distributed;
const vals = (t: torch.Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);

async function main(): Promise<void> {
  await dist.initProcessGroup({ backend: 'gloo', timeout: 30000 });
  const rank = dist.getRank();
  const n = dist.getWorldSize();
  const out: Record<string, unknown> = { rank, worldSize: n, localRank: Number(process.env.LOCAL_RANK) };
  const base = (): torch.Tensor => torch.tensor([1, 2, 3, 4]).add(rank * 10);
  for (const op of ['sum', 'avg', 'max', 'min', 'product'] as const) {
    const t = base();
    await dist.allReduce(t, { op });
    out[`allReduce_${op}`] = vals(t);
  }
  const ints = torch.tensor([7n, 8n, 9n]).add(rank);
  await dist.allReduce(ints, { op: dist.ReduceOp.AVG });
  out.allReduce_avg_int = vals(ints);

  const b = torch.full([3], rank + 1);
  await dist.broadcast(b, 1);
  out.broadcast = vals(b);

  const gathered = Array.from({ length: n }, () => torch.zeros([2]));
  await dist.allGather(gathered, torch.tensor([rank, rank * 2]));
  out.allGather = gathered.map((g) => vals(g));

  const inputs = Array.from({ length: n }, (_, i) => torch.tensor([[i, rank], [rank * i, 1]]));
  for (const op of ['sum', 'max'] as const) {
    const o = torch.zeros([2, 2]);
    await dist.reduceScatter(o, inputs, { op });
    out[`reduceScatter_${op}`] = vals(o);
  }

  if (rank === 0) await dist.send(torch.tensor([42, 43]), 1, { tag: 3 });
  else if (rank === 1) {
    const r = torch.zeros([2]);
    await dist.recv(r, 0, { tag: 3 });
    out.recv = vals(r);
  }
  // Several collectives in flight at once pair up in program order on every rank.
  const many = Array.from({ length: 8 }, (_, i) => torch.tensor([i * 10 + rank]));
  await Promise.all(many.map((t) => dist.allReduce(t)));
  out.concurrent = many.map((t) => vals(t)[0]);

  await dist.barrier();
  dist.destroyProcessGroup();
  out.initializedAfterDestroy = dist.isInitialized();
  console.log(`RESULT ${JSON.stringify(out)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
