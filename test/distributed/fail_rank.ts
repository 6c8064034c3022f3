// One rank of the failure tests, by mode:
//   early:   rank 1 throws before the rendezvous, where rank 0 would wait TIMEOUT (the launcher must stop rank 0);
//   throw:   rank 1 throws after the rendezvous while rank 0 waits in a barrier;
//   kill:    rank 1 prints READY and waits to be killed while rank 0 is in an all-reduce (rank 0 must fail with a
//            clear error at once);
//   silent:  rank 1 stays alive but never joins rank 0's all-reduce (rank 0 must time out after TIMEOUT ms).
import * as torch from '../../lib';
const dist = torch.distributed;

async function main(): Promise<void> {
  const mode = process.argv[2];
  const timeout = Number(process.env.TIMEOUT ?? 60000);
  if (mode === 'early' && process.env.RANK === '1') throw new Error('boom from rank 1 before the rendezvous');
  await dist.initProcessGroup({ backend: 'gloo', timeout });
  const rank = dist.getRank();
  await dist.barrier();
  if (rank === 1) {
    if (mode === 'throw') throw new Error('boom from rank 1');
    if (mode === 'kill') console.log('READY');
    await new Promise((r) => setTimeout(r, 3 * timeout));
    return;
  }
  const started = Date.now();
  try {
    if (mode === 'throw' || mode === 'early') await dist.barrier();
    else await dist.allReduce(torch.ones([1000]));
    console.log('RESULT {"completed":true}');
  } catch (e) {
    const err = e as Error;
    console.log(`RESULT ${JSON.stringify({ name: err.name, message: err.message, isTorchError: e instanceof torch.TorchError, ms: Date.now() - started })}`);
    process.exit(0);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
