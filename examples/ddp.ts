// The seed tutorial (fine-tuning a pre-trained ResNet-18's last layer) as a data-parallel job: one process per
// CPU share or GPU, each training on its own shard of the data, gradients averaged by DistributedDataParallel.
//
//   npx torch-node run --nproc-per-node 2 examples/ddp.js --backend gloo [--data ROOT] [--weights none]
//   npx torch-node run --nproc-per-node 4 examples/ddp.js --backend nccl --data ROOT      (one process per GPU)
//
// ROOT is an ImageFolder (one sub-folder per class) or a folder holding `train/`; without --data, a small
// Fashion-MNIST ImageFolder is made from Debian's dataset-fashion-mnist. Options: --epochs 10 --batch-size 32
// (per process) --lr 0.001 --image-size 224 --limit N (use N images spread over the classes) --weights DEFAULT|none.
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { models, datasets, transforms } from '../lib/vision';
import { DataLoader, DistributedSampler, Subset, Dataset } from '../lib/data';
import { prepareDefaultData } from '../cli/default_data';

const dist = torch.distributed;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const backend = option('backend', 'gloo') as torch.distributed.Backend;
  const epochs = Number(option('epochs', '10'));
  const batchSize = Number(option('batch-size', '32'));
  const lr = Number(option('lr', '0.001'));
  const imageSize = Number(option('image-size', '224'));
  const limit = Number(option('limit', '0'));
  const weights = option('weights', 'DEFAULT');

  // The launcher sets MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE and LOCAL_RANK.
  await dist.initProcessGroup({ backend });
  const rank = dist.getRank();
  const localRank = Number(process.env.LOCAL_RANK ?? 0);
  const log = (line: string): void => {
    if (rank === 0) console.log(line);
  };
  const device = backend === 'nccl' ? `cuda:${localRank}` : 'cpu';
  if (backend === 'nccl') torch.cuda.setDevice(localRank);

  // The data: rank 0 prepares the default folder once while the others wait.
  let root = option('data', '');
  if (!root) {
    if (rank === 0) await prepareDefaultData(log);
    await dist.barrier();
    root = (await prepareDefaultData(() => undefined)).train;
  } else if (fs.existsSync(path.join(root, 'train'))) root = path.join(root, 'train');

  // Step 1: load a pre-trained model
  const model = await models.resnet18(weights === 'none' ? { weights: null } : { pretrained: true });

  // Step 2: replace the final layer
  const transform = new transforms.Compose([
    new transforms.Resize(Math.round((imageSize * 256) / 224)), new transforms.CenterCrop(imageSize), new transforms.ToTensor(),
  ]);
  const folder = new datasets.ImageFolder(root, { transform });
  const numClasses = folder.classes.length;
  // Every rank must start from the same new layer: DDP copies rank 0's weights at wrap time.
  model.fc = new nn.Linear(model.fc.inFeatures, numClasses);

  // Step 3: freeze all layers but the final one
  for (const param of model.parameters()) param.requiresGrad = false;
  for (const param of model.fc.parameters()) param.requiresGrad = true;

  // Step 4: train, each rank on its own shard
  model.to(device);
  const ddp = new nn.parallel.DistributedDataParallel(model, { deviceIds: backend === 'nccl' ? [localRank] : null });
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.SGD(model.fc.parameters(), { lr, momentum: 0.9 });
  // --limit keeps N images spread over the folder (so over all classes).
  const step = limit > 0 ? folder.length / Math.min(limit, folder.length) : 1;
  const trainDataset: Dataset<[torch.Tensor, number]> = limit > 0 ? new Subset(folder, Array.from({ length: Math.min(limit, folder.length) }, (_, i) => Math.floor(i * step))) : folder;
  const sampler = new DistributedSampler(trainDataset, { shuffle: true, seed: 0 });
  const trainLoader = new DataLoader(trainDataset, { batchSize, sampler });
  log(`${dist.getWorldSize()} processes (${backend}), ${trainDataset.length} images of ${numClasses} classes, ${trainLoader.length} batches of ${batchSize} per process and epoch`);

  ddp.train();
  for (let epoch = 0; epoch < epochs; epoch++) {
    sampler.setEpoch(epoch);
    const started = Date.now();
    let runningLoss = 0;
    for await (const [inputs, labels] of trainLoader) {
      optimizer.zeroGrad();
      const outputs = ddp.forward(inputs.to(device)) as torch.Tensor;
      const loss = criterion.forward(outputs, labels.to(device));
      loss.backward();
      optimizer.step();
      runningLoss += loss.item();
    }
    // The mean loss over all ranks.
    const mean = torch.tensor([runningLoss / trainLoader.length]).to(device);
    await dist.allReduce(mean, { op: dist.ReduceOp.AVG });
    const seconds = (Date.now() - started) / 1000;
    log(`Epoch ${epoch + 1}, Loss: ${mean.item().toFixed(4)}, ${((trainDataset.length / seconds) | 0)} images/s`);
  }
  if (rank === 0 && process.env.DDP_SAVE) torch.save(model.stateDict(), process.env.DDP_SAVE);
  dist.destroyProcessGroup();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
