// The seed tutorial, "Fine-Tuning CNNs", as in PyTorch: fine-tune a pretrained ResNet-18 on a folder of images
// (one sub-folder per class). Run: `node examples/finetune.js path/to/train [--epochs 10] [--no-pretrained]`.
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { models, datasets, transforms } from '../lib/vision';
import { DataLoader } from '../lib/data';
import { exampleArgs } from './common';

async function main(): Promise<void> {
  const args = exampleArgs('node examples/finetune.js', { epochs: 10 });

  // Step 1: load a pre-trained model
  const model = await models.resnet18({ pretrained: args.pretrained });

  // Step 2: replace the final layer
  const numClasses = 10;
  model.fc = new nn.Linear(model.fc.inFeatures, numClasses);

  // Step 3: freeze all layers but the final one
  for (const param of model.parameters()) param.requiresGrad = false;
  for (const param of model.fc.parameters()) param.requiresGrad = true;

  // Step 4: train
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.SGD(model.fc.parameters(), { lr: 0.001, momentum: 0.9 });
  const transform = new transforms.Compose([
    new transforms.Resize(Math.round((args.imageSize * 256) / 224)), new transforms.CenterCrop(args.imageSize), new transforms.ToTensor(),
  ]);
  const trainDataset = new datasets.ImageFolder(args.train, { transform });
  const trainLoader = new DataLoader(trainDataset, { batchSize: args.batchSize, shuffle: true });

  const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';
  model.to(device);
  model.train();
  for (let epoch = 0; epoch < args.epochs; epoch++) {
    let runningLoss = 0;
    for await (const [inputs, labels] of trainLoader) {
      optimizer.zeroGrad();
      const outputs = model.forward(inputs.to(device));
      const loss = criterion.forward(outputs, labels.to(device));
      loss.backward();
      optimizer.step();
      runningLoss += loss.item();
    }
    console.log(`Epoch ${epoch + 1}, Loss: ${runningLoss / trainLoader.length}`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
