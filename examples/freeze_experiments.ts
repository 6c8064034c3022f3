// The seed's exercise 2 done properly: the same data, initial weights, seed and number of epochs for several
// choices of what to train, then a table of validation accuracy, loss and time per configuration.
// Run: `node examples/freeze-experiments.js TRAIN_DIR [VAL_DIR] [--epochs 3] [--no-pretrained]`.
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { models } from '../lib/vision';
import { exampleArgs, exampleData, loader, trainEpoch, evaluate } from './common';

/** A configuration: which parameters train, and with which learning rates (parameter groups). */
interface Config {
  name: string;
  groups(model: models.ResNet, lr: number): optim.ParamGroupInput[];
}

const backbone = (model: models.ResNet) => [...model.namedParameters()].filter(([name]) => !name.startsWith('fc.')).map(([, p]) => p);

const CONFIGS: Config[] = [
  { name: 'head only', groups: (m, lr) => [{ params: m.fc.parameters(), lr }] },
  { name: 'last block + head', groups: (m, lr) => [{ params: [...m.layer4.parameters(), ...m.fc.parameters()], lr }] },
  { name: 'all layers', groups: (m, lr) => [{ params: m.parameters(), lr }] },
  { name: 'all layers, backbone lr / 10', groups: (m, lr) => [{ params: backbone(m), lr: lr / 10 }, { params: m.fc.parameters(), lr }] },
];

async function main(): Promise<void> {
  const args = exampleArgs('node examples/freeze-experiments.js', { epochs: 3 });
  const { train, val, classes } = exampleData(args);
  const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';
  const lr = 0.01;
  console.log(`resnet18 on ${train.length} training and ${val.length} validation images of ${classes.length} classes, ${args.epochs} epochs each, SGD lr ${lr}, ${device}`);

  const rows: string[][] = [];
  for (const config of CONFIGS) {
    // The same start for every configuration: the same weights, and the same new head.
    torch.manualSeed(0);
    const model = await models.resnet18({ pretrained: args.pretrained });
    model.fc = new nn.Linear(model.fc.inFeatures, classes.length);
    const groups = config.groups(model, lr).map((g) => ({ ...g, params: [...(g.params as Iterable<torch.Tensor>)] }));
    const trainable = new Set(groups.flatMap((g) => g.params));
    for (const param of model.parameters()) param.requiresGrad = trainable.has(param);
    model.to(device);
    const optimizer = new optim.SGD(groups, { lr, momentum: 0.9 });

    const t0 = Date.now();
    for (let epoch = 0; epoch < args.epochs; epoch++) await trainEpoch(model, loader(train, args.batchSize, true, epoch), optimizer, device);
    const seconds = (Date.now() - t0) / 1000;
    const v = await evaluate(model, loader(val, args.batchSize, false), device);
    const count = [...trainable].reduce((n, p) => n + p.numel(), 0);
    console.log(`${config.name}: val accuracy ${(v.acc * 100).toFixed(1)}%, val loss ${v.loss.toFixed(4)}, ${seconds.toFixed(1)} s`);
    rows.push([config.name, count.toLocaleString('en-US'), `${(v.acc * 100).toFixed(1)}%`, v.loss.toFixed(4), `${seconds.toFixed(1)} s`]);
  }

  const header = ['configuration', 'trained parameters', 'val accuracy', 'val loss', 'training time'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(['', line(header), `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
