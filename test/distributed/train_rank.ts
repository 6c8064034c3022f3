// One rank of the DDP test: fine-tunes a small CNN on a fixed synthetic dataset with DistributedSampler, then
// writes its final weights as JSON. `single` runs the same training in one process on the combined batches
// (twice the batch size), which DDP over two ranks must reproduce.
//   node train_rank.js ddp|single OUT.json
import * as fs from 'fs';
import * as torch from '../../lib';
import { DataLoader, DistributedSampler, TensorDataset } from '../../lib/data';
const { nn, optim } = torch;
const F = nn.functional;

class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 4, 3);
  conv2 = new nn.Conv2d(4, 8, 3);
  fc = new nn.Linear(8, 3);
  override forward(x: torch.Tensor): torch.Tensor {
    const h = F.relu(this.conv2.forward(F.relu(this.conv1.forward(x))));
    return this.fc.forward(h.mean([2, 3]));
  }
}

const PER_RANK_BATCH = 4;

async function main(): Promise<void> {
  const [mode, outFile] = process.argv.slice(2);
  const ddp = mode === 'ddp';
  if (ddp) await torch.distributed.initProcessGroup({ backend: 'gloo', timeout: 60000 });
  const rank = ddp ? torch.distributed.getRank() : 0;
  const worldSize = ddp ? torch.distributed.getWorldSize() : 2;

  torch.manualSeed(1234);
  const images = torch.randn([40, 1, 8, 8]);
  const labels = torch.randint(0, 3, [40]);
  const dataset = new TensorDataset(images, labels);

  // Each rank starts from different weights: DDP must copy rank 0's to everyone.
  torch.manualSeed(7 + rank);
  const net = new Net();
  const init = Array.from(net.fc.weight.dataSync() as Float32Array);
  // A frozen layer stays out of the gradient reduction.
  net.conv1.requiresGrad_(false);
  const model: torch.nn.Module = ddp ? new nn.parallel.DistributedDataParallel(net) : net;
  const opt = new optim.SGD(
    [...net.parameters()].filter((p) => p.requiresGrad),
    { lr: 0.1, momentum: 0.9 },
  );
  const sampler = new DistributedSampler(dataset, { numReplicas: ddp ? worldSize : 1, rank: ddp ? rank : 0, seed: 3 });
  const batchSize = ddp ? PER_RANK_BATCH : PER_RANK_BATCH * worldSize;
  const loader = new DataLoader(dataset, { batchSize, sampler });
  for (let epoch = 0; epoch < 2; epoch++) {
    sampler.setEpoch(epoch);
    const batches: [torch.Tensor, torch.Tensor][] = [];
    for await (const [x, y] of loader as AsyncIterable<[torch.Tensor, torch.Tensor]>) batches.push([x, y]);
    if (epoch === 0) {
      for (const [x, y] of batches) {
        opt.zeroGrad();
        F.crossEntropy(model.forward(x) as torch.Tensor, y).backward();
        opt.step();
      }
    } else {
      // Gradient accumulation over pairs of batches: the first of each pair without synchronisation.
      for (let i = 0; i + 1 < batches.length; i += 2) {
        opt.zeroGrad();
        const first = (): void => F.crossEntropy(model.forward(batches[i][0]) as torch.Tensor, batches[i][1]).backward();
        if (model instanceof nn.parallel.DistributedDataParallel) model.noSync(first);
        else first();
        F.crossEntropy(model.forward(batches[i + 1][0]) as torch.Tensor, batches[i + 1][1]).backward();
        opt.step();
      }
    }
  }
  const state = model.stateDict();
  const out: Record<string, number[]> = { '(initial fc.weight)': init };
  for (const [k, v] of Object.entries(state)) out[k] = Array.from((v as torch.Tensor).dataSync() as Float32Array);
  fs.writeFileSync(outFile.replace('RANK', String(rank)), JSON.stringify(out));
  if (ddp) torch.distributed.destroyProcessGroup();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
