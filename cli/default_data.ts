// The main job's default data: Fashion-MNIST from Debian's dataset-fashion-mnist package, written once as a
// small ImageFolder (300 training and 50 validation images per class) in a cache folder.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { Dataset, Subset } from '../lib/data';
import { FashionMNIST, saveImageFolder } from '../lib/vision/datasets';
import { UsageError } from './errors';

const PER_CLASS = { train: 300, val: 50 };
const DEBIAN_ROOT = '/usr/share/datasets/fashion-mnist';

/** Where the ImageFolder copy lives: `$TORCH_NODE_CACHE` or `~/.cache/torch-node`. */
export function defaultDataRoot(): string {
  const base = process.env.TORCH_NODE_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'torch-node');
  return path.join(base, 'datasets', 'fashion-mnist-imagefolder');
}

/** The first `n` indices of each class, in dataset order: a balanced, deterministic subset. */
function balanced(targets: number[], n: number): number[] {
  const counts = new Map<number, number>();
  const out: number[] = [];
  targets.forEach((y, i) => {
    const c = counts.get(y) ?? 0;
    if (c < n) {
      out.push(i);
      counts.set(y, c + 1);
    }
  });
  return out;
}

/** Makes (once) and returns the train and val folders of the default data. */
export async function prepareDefaultData(log: (line: string) => void): Promise<{ train: string; val: string }> {
  const root = defaultDataRoot();
  const done = path.join(root, '.complete');
  const folders = { train: path.join(root, 'train'), val: path.join(root, 'val') };
  if (fs.existsSync(done)) return folders;
  if (!fs.existsSync(DEBIAN_ROOT)) {
    throw new UsageError(
      `no --data folder was given and the default data is missing: install it with \`apt-get install dataset-fashion-mnist\` ` +
        `(it provides ${DEBIAN_ROOT}), or pass --data DIR with one sub-folder of images per class`,
    );
  }
  log(`preparing the default data (Fashion-MNIST, ${PER_CLASS.train} training and ${PER_CLASS.val} validation images per class) in ${root}`);
  fs.rmSync(root, { recursive: true, force: true });
  for (const [split, train] of [['train', true], ['val', false]] as const) {
    const ds = new FashionMNIST(DEBIAN_ROOT, { train });
    const targets = ds.targets.tolist() as number[];
    const subset = new Subset(ds as Dataset<[torch.Tensor, number]>, balanced(targets, PER_CLASS[split]));
    await saveImageFolder(subset, folders[split], { classes: ds.classes });
  }
  fs.writeFileSync(done, '');
  return folders;
}
