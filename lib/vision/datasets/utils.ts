// Writing a dataset out as an ImageFolder tree.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor';
import { describe } from '../../dtype';
import { Dataset } from '../../data/dataset';
import { Image, writePng } from '../io';

/** Options of saveImageFolder. */
export interface SaveImageFolderOptions {
  /** Folder names by class index (default: the dataset's `classes` if it has them, else the index). */
  classes?: string[];
  /** How many samples are written at once (default 8). */
  concurrency?: number;
}

function folderName(name: string): string {
  return name.replace(/[/\\:*?"<>|]/g, '_');
}

/**
 * Writes every [image, label] sample of `dataset` as root/<class>/<index>.png, so that `new ImageFolder(root)`
 * reads it back. Images may be Images or uint8/float tensors [C, H, W] or [H, W]. Returns the paths written.
 */
export async function saveImageFolder(dataset: Dataset<unknown>, root: string, opts: SaveImageFolderOptions = {}): Promise<string[]> {
  if (!(dataset instanceof Dataset)) throw new TypeError(`saveImageFolder(): dataset must be a Dataset, but received ${describe(dataset)}`);
  const names = opts.classes ?? (dataset as unknown as { classes?: string[] }).classes;
  const width = String(dataset.length - 1).length;
  const paths: string[] = new Array(dataset.length);
  let next = 0;
  const worker = async () => {
    while (next < dataset.length) {
      const i = next++;
      const item = await dataset.getItem(i);
      if (!Array.isArray(item) || item.length < 2) throw new TypeError(`saveImageFolder(): sample ${i} is not an [image, label] pair`);
      const [img, label] = item as [unknown, unknown];
      const y = label instanceof Tensor ? Number(label.item()) : Number(label);
      if (!Number.isInteger(y)) throw new TypeError(`saveImageFolder(): the label of sample ${i} is not an integer: ${describe(label)}`);
      const dir = path.join(root, folderName(names?.[y] ?? String(y)));
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${String(i).padStart(width, '0')}.png`);
      let t: Tensor;
      if (img instanceof Image) t = await img.toTensor();
      else if (img instanceof Tensor) {
        const chw = img.dim() === 2 ? img.unsqueeze(0) : img;
        t = chw.dtype === 'uint8' ? chw : chw.mul(255).round().clamp(0, 255).to('uint8');
      } else throw new TypeError(`saveImageFolder(): sample ${i} is not an image: ${describe(img)}`);
      await writePng(t, file);
      if (t !== img) t.dispose();
      paths[i] = file;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  return paths;
}
