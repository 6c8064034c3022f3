// `torch-node predict` and `torch-node evaluate`: use the output folder of `finetune`.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import * as torch from '../lib';
import { nn } from '../lib';
import { DataLoader } from '../lib/data';
import { ImageFolder } from '../lib/vision/datasets';
import { Image } from '../lib/vision/io';
import * as T from '../lib/vision/transforms';
import { getModel } from '../lib/vision/models';
import { UsageError } from './errors';
import { replaceHead } from './head';
import { evaluateModel, transformsFor, FinetuneSettings } from './finetune';

interface Trained {
  model: nn.Module;
  classes: string[];
  settings: FinetuneSettings;
  transform: T.Compose;
  device: string;
}

/** Loads the model a `finetune` run left in `dir`. */
export async function loadTrained(dir: string): Promise<Trained> {
  const need = (f: string) => {
    const p = path.join(dir, f);
    if (!fs.existsSync(p)) throw new UsageError(`--model ${dir} is not a finetune output folder: ${f} is missing`);
    return p;
  };
  const settings = JSON.parse(fs.readFileSync(need('settings.json'), 'utf8')) as FinetuneSettings;
  const classes = JSON.parse(fs.readFileSync(need('classes.json'), 'utf8')) as string[];
  const model = await getModel(settings.model, { weights: null });
  replaceHead(model, classes.length);
  model.loadStateDict((await torch.load(need('model.pt'), { mapLocation: 'cpu' })) as Record<string, torch.Tensor>);
  const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';
  model.to(device).eval();
  const transform = transformsFor(settings).evalT;
  return { model, classes, settings, transform, device };
}

function parse(argv: string[], names: string[]): { values: Record<string, string | undefined>; positionals: string[] } {
  const options = Object.fromEntries(['model', ...names].map((n) => [n, { type: 'string' as const }]));
  try {
    const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options });
    return { values: values as Record<string, string | undefined>, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `predict --model OUT_DIR IMAGE...`: the top-k classes of each image with their probabilities. */
export async function predict(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parse(argv, ['topk']);
  if (!values.model) throw new UsageError('predict needs --model OUT_DIR (the folder finetune wrote)');
  if (positionals.length === 0) throw new UsageError('predict needs at least one image file');
  const k = values.topk === undefined ? 3 : Number(values.topk);
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`--topk must be a positive integer, not '${values.topk}'`);
  const t = await loadTrained(values.model);
  for (const file of positionals) {
    if (!fs.existsSync(file)) throw new UsageError(`${file}: no such file`);
    const img = await Image.open(file);
    const x = (await t.transform.forward(img)) as torch.Tensor;
    const probs = torch.noGrad(() => (t.model.forward(x.unsqueeze(0).to(t.device)) as torch.Tensor).softmax(1).index(0).cpu());
    const top = probs.topk(Math.min(k, t.classes.length));
    const p = top.values.tolist() as number[];
    const idx = top.indices.tolist() as number[];
    log(`${file}: ${idx.map((c, i) => `${t.classes[c]} ${(p[i] * 100).toFixed(1)}%`).join(', ')}`);
  }
  return 0;
}

/** `evaluate --model OUT_DIR --data DIR`: accuracy, per-class precision and recall, confusion matrix. */
export async function evaluate(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const { values } = parse(argv, ['data', 'batch-size']);
  if (!values.model || !values.data) throw new UsageError('evaluate needs --model OUT_DIR and --data DIR');
  const t = await loadTrained(values.model);
  if (!fs.existsSync(values.data)) throw new UsageError(`--data folder ${values.data} does not exist`);
  let ds: ImageFolder;
  try {
    ds = new ImageFolder(values.data, { transform: t.transform });
  } catch (err) {
    throw new UsageError(`--data folder ${values.data}: ${(err as Error).message}`);
  }
  if (ds.classes.join('\n') !== t.classes.join('\n')) throw new UsageError(`--data has classes ${ds.classes.join(', ')}, but the model was trained on ${t.classes.join(', ')}`);
  const loader = new DataLoader(ds, { batchSize: Number(values['batch-size'] ?? 64) }) as unknown as Parameters<typeof evaluateModel>[1];
  const r = await evaluateModel(t.model, loader, t.classes.length, t.device);
  log(`accuracy ${(r.acc * 100).toFixed(2)}% on ${ds.length} images (loss ${r.loss.toFixed(4)})`);
  const w = Math.max(...t.classes.map((c) => c.length), 5);
  log(`${'class'.padEnd(w)}  precision  recall`);
  t.classes.forEach((c, i) => {
    const tp = r.confusion[i][i];
    const predicted = r.confusion.reduce((a, row) => a + row[i], 0);
    const actual = r.confusion[i].reduce((a, v) => a + v, 0);
    log(`${c.padEnd(w)}  ${(predicted ? (100 * tp) / predicted : 0).toFixed(1).padStart(8)}%  ${(actual ? (100 * tp) / actual : 0).toFixed(1).padStart(5)}%`);
  });
  log('confusion matrix (rows: true class, columns: predicted):');
  for (const row of r.confusion) log(row.map((v) => String(v).padStart(5)).join(''));
  return 0;
}
