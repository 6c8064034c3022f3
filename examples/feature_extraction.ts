// The seed's "feature extraction": the pretrained backbone is a fixed feature extractor. Its features are
// computed once for every image (eval mode, no autograd), then only a linear classifier is trained on them,
// which takes seconds instead of a pass through the network per step.
// Run: `node examples/feature-extraction.js TRAIN_DIR [VAL_DIR] [--epochs 30] [--no-pretrained]`.
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { models } from '../lib/vision';
import { Dataset, DataLoader, TensorDataset } from '../lib/data';
import { exampleArgs, exampleData, loader } from './common';

/** The backbone's output (512 features per image for ResNet-18) and the labels of every image of `ds`. */
async function extract(backbone: nn.Module, ds: Dataset<[torch.Tensor, number]>, batchSize: number, device: string): Promise<[torch.Tensor, torch.Tensor]> {
  const features: torch.Tensor[] = [];
  const labels: torch.Tensor[] = [];
  backbone.eval();
  for await (const [inputs, y] of loader(ds, batchSize, false)) {
    features.push(torch.noGrad(() => (backbone.forward(inputs.to(device)) as torch.Tensor).cpu()));
    labels.push(y);
  }
  return [torch.cat(features), torch.cat(labels)];
}

async function main(): Promise<void> {
  const args = exampleArgs('node examples/feature-extraction.js', { epochs: 30 });
  const { train, val, classes } = exampleData(args);
  const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';

  // The backbone: ResNet-18 without its classifier (the fc layer becomes the identity).
  const backbone = await models.resnet18({ pretrained: args.pretrained });
  const numFeatures = backbone.fc.inFeatures;
  backbone.fc = new nn.Identity();
  backbone.to(device);

  let t0 = Date.now();
  const [trainX, trainY] = await extract(backbone, train, args.batchSize, device);
  const [valX, valY] = await extract(backbone, val, args.batchSize, device);
  console.log(`features: ${trainX.shape.join('x')} for training, ${valX.shape.join('x')} for validation, computed once in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // A linear classifier on the features.
  torch.manualSeed(0);
  const classifier = new nn.Linear(numFeatures, classes.length);
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.Adam(classifier.parameters(), { lr: 0.001 });
  const batches = new DataLoader(new TensorDataset(trainX, trainY), { batchSize: args.batchSize, shuffle: true, seed: 0 });
  t0 = Date.now();
  for (let epoch = 0; epoch < args.epochs; epoch++) {
    let runningLoss = 0;
    for await (const [x, y] of batches) {
      optimizer.zeroGrad();
      const loss = criterion.forward(classifier.forward(x), y);
      loss.backward();
      optimizer.step();
      runningLoss += loss.item();
    }
    if ((epoch + 1) % Math.max(1, Math.floor(args.epochs / 5)) === 0 || epoch + 1 === args.epochs) {
      const [loss, acc] = torch.noGrad(() => {
        const out = classifier.forward(valX);
        return [criterion.forward(out, valY).item(), out.argmax(1).eq(valY).float().mean().item()];
      });
      console.log(`Epoch ${epoch + 1}, Loss: ${(runningLoss / batches.length).toFixed(4)}, val loss ${loss.toFixed(4)}, val accuracy ${(acc * 100).toFixed(1)}%`);
    }
  }
  console.log(`linear classifier trained in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
