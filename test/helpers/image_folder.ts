// A small synthetic ImageFolder for tests of training tools: two classes that a small network tells apart.
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../../lib';
import { writePng } from '../../lib/vision/io';

/** Writes `perClass` 32x32 PNGs per class: `top` (bright top half) and `bottom` (bright bottom half), with noise. */
export async function makeTwoClassFolder(root: string, perClass: number, seed: number): Promise<void> {
  torch.manualSeed(seed);
  for (const [name, top] of [['top', true], ['bottom', false]] as const) {
    fs.mkdirSync(path.join(root, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const img = torch.tidy(() => {
        const noise = torch.rand([3, 32, 32]).mul(80);
        const mask = torch.zeros([3, 32, 32]);
        mask.indexPut_([':', top ? '0:16' : '16:32'], 170);
        return noise.add(mask).clamp(0, 255).to('uint8');
      });
      await writePng(img, path.join(root, name, `${i}.png`));
    }
  }
}
