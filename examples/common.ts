// What the fine-tuning examples share: their command line, the data, and a validation pass.
import { parseArgs } from 'util';
import * as torch from '../lib';
import { nn } from '../lib';
import { datasets, transforms } from '../lib/vision';
import { DataLoader, Dataset, Generator, Subset, randomSplit } from '../lib/data';

/** The command line of an example: `TRAIN_DIR [VAL_DIR] [--epochs N] [--image-size N] [--batch-size N] [--no-pretrained]`. */
export interface ExampleArgs {
  train: string;
  val: string | null;
  epochs: number;
  imageSize: number;
  batchSize: number;
  /** false with --no-pretrained: random initial weights instead of ImageNet's (no download). */
  pretrained: boolean;
}

/** Parses the example's command line; prints `usage` and exits with code 2 when it is wrong. */
export function exampleArgs(usage: string, defaults: { epochs: number }): ExampleArgs {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { epochs: { type: 'string' }, 'image-size': { type: 'string' }, 'batch-size': { type: 'string' }, 'no-pretrained': { type: 'boolean' } },
    });
    const int = (v: string | undefined, fallback: number, name: string) => {
      const x = v === undefined ? fallback : Number(v);
      if (!Number.isInteger(x) || x <= 0) throw new Error(`--${name} must be a positive integer`);
      return x;
    };
    if (positionals.length < 1 || positionals.length > 2) throw new Error('expected a training folder and optionally a validation folder');
    return {
      train: positionals[0],
      val: positionals[1] ?? null,
      epochs: int(values.epochs, defaults.epochs, 'epochs'),
      imageSize: int(values['image-size'], 224, 'image-size'),
      batchSize: int(values['batch-size'], 32, 'batch-size'),
      pretrained: !values['no-pretrained'],
    };
  } catch (err) {
    console.error(`${(err as Error).message}\nusage: ${usage} TRAIN_DIR [VAL_DIR] [--epochs N] [--image-size 224] [--batch-size 32] [--no-pretrained]`);
    process.exit(2);
  }
}

type Sample = [torch.Tensor, number];

/**
 * The training and validation sets: the two folders, or the training folder split 80/20 with a fixed seed.
 * Images are resized as the seed does (Resize(256), CenterCrop(224), scaled to the image size) and normalized
 * with ImageNet's statistics, which pretrained backbones expect.
 */
export function exampleData(args: ExampleArgs): { train: Dataset<Sample>; val: Dataset<Sample>; classes: string[] } {
  const transform = new transforms.Compose([
    new transforms.Resize(Math.round((args.imageSize * 256) / 224)),
    new transforms.CenterCrop(args.imageSize),
    new transforms.ToTensor(),
    new transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
  ]);
  const train = new datasets.ImageFolder(args.train, { transform });
  if (args.val !== null) return { train, val: new datasets.ImageFolder(args.val, { transform }), classes: train.classes };
  const nVal = Math.max(1, Math.round(train.length * 0.2));
  const [tr, va] = randomSplit<Sample>(train, [train.length - nVal, nVal], { generator: new Generator().manualSeed(0) });
  return { train: tr as Subset<Sample>, val: va as Subset<Sample>, classes: train.classes };
}

/** A data loader over `ds`: for training shuffled (seeded, so that runs repeat) without a last partial batch (BatchNorm cannot train on a batch of one). */
export function loader(ds: Dataset<Sample>, batchSize: number, shuffle: boolean, seed = 0): DataLoader<Sample, [torch.Tensor, torch.Tensor]> {
  return new DataLoader(ds, { batchSize, shuffle, seed, dropLast: shuffle }) as unknown as DataLoader<Sample, [torch.Tensor, torch.Tensor]>;
}

/** Mean cross-entropy loss and accuracy of `model` over `data`, in eval mode without autograd. */
export async function evaluate(model: nn.Module, data: DataLoader<Sample, [torch.Tensor, torch.Tensor]>, device: string): Promise<{ loss: number; acc: number }> {
  const criterion = new nn.CrossEntropyLoss({ reduction: 'sum' });
  model.eval();
  let loss = 0;
  let correct = 0;
  let n = 0;
  for await (const [inputs, labels] of data) {
    torch.noGrad(() =>
      torch.tidy(() => {
        const outputs = model.forward(inputs.to(device)) as torch.Tensor;
        const y = labels.to(device);
        loss += criterion.forward(outputs, y).item();
        correct += outputs.argmax(1).eq(y).sum().item();
        n += labels.shape[0];
      }),
    );
  }
  return { loss: loss / Math.max(n, 1), acc: correct / Math.max(n, 1) };
}

/** Trains `model` for one epoch with cross-entropy; returns the mean training loss. */
export async function trainEpoch(model: nn.Module, data: DataLoader<Sample, [torch.Tensor, torch.Tensor]>, optimizer: { zeroGrad(): void; step(): unknown }, device: string): Promise<number> {
  const criterion = new nn.CrossEntropyLoss();
  model.train();
  let runningLoss = 0;
  for await (const [inputs, labels] of data) {
    optimizer.zeroGrad();
    const outputs = model.forward(inputs.to(device)) as torch.Tensor;
    const loss = criterion.forward(outputs, labels.to(device));
    loss.backward();
    optimizer.step();
    runningLoss += loss.item();
  }
  return runningLoss / Math.max(data.length, 1);
}
