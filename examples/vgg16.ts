// The seed's exercise 1: fine-tune a different pretrained model, VGG-16. Its head is the last layer of
// `classifier` (a Sequential indexed by number, as in Python); the convolutional `features` are frozen.
// Run: `node examples/vgg16.js TRAIN_DIR [VAL_DIR] [--epochs 5] [--no-pretrained]`.
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { models } from '../lib/vision';
import { exampleArgs, exampleData, loader, trainEpoch, evaluate } from './common';

async function main(): Promise<void> {
  const args = exampleArgs('node examples/vgg16.js', { epochs: 5 });
  const { train, val, classes } = exampleData(args);
  const numClasses = classes.length;

  // Load a pre-trained VGG16 model
  const model = await models.vgg16({ pretrained: args.pretrained });
  // Modify the final layer
  model.classifier[6] = new nn.Linear(model.classifier[6].inFeatures, numClasses);
  // Freeze layers (optional)
  for (const param of model.features.parameters()) param.requiresGrad = false;

  const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';
  model.to(device);
  const trainable = [...model.parameters()].filter((p) => p.requiresGrad);
  const optimizer = new optim.SGD(trainable, { lr: 0.001, momentum: 0.9 });
  console.log(`vgg16: ${numClasses} classes, ${train.length} training and ${val.length} validation images, training ${trainable.reduce((n, p) => n + p.numel(), 0)} parameters on ${device}`);
  for (let epoch = 0; epoch < args.epochs; epoch++) {
    const trainLoss = await trainEpoch(model, loader(train, args.batchSize, true, epoch), optimizer, device);
    const v = await evaluate(model, loader(val, args.batchSize, false), device);
    console.log(`Epoch ${epoch + 1}, Loss: ${trainLoss.toFixed(4)}, val loss ${v.loss.toFixed(4)}, val accuracy ${(v.acc * 100).toFixed(1)}%`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
