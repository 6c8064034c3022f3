// The finetune output's images: training curves and the confusion matrix, rendered from SVG to PNG by sharp.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { trainingCurvesSvg, confusionSvg, writeSvgAsPng, confusionLayout, cellColor, niceTicks, TRAIN_COLOR, VAL_COLOR } from '../cli/charts';

async function decode(file: string) {
  const meta = await sharp(file).metadata();
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): [number, number, number] => {
    const i = (Math.round(y) * info.width + Math.round(x)) * 3;
    return [data[i], data[i + 1], data[i + 2]];
  };
  const count = (rgb: [number, number, number], tol = 24) => {
    let n = 0;
    for (let i = 0; i < data.length; i += 3) {
      if (Math.abs(data[i] - rgb[0]) <= tol && Math.abs(data[i + 1] - rgb[1]) <= tol && Math.abs(data[i + 2] - rgb[2]) <= tol) n++;
    }
    return n;
  };
  return { meta, at, count };
}

function hex(c: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number];
}

function near(a: number[], b: number[], tol: number): boolean {
  return a.every((v, i) => Math.abs(v - b[i]) <= tol);
}

describe('cli charts', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-charts-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ticks are round numbers covering the range', function () {
    assert.deepStrictEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepStrictEqual(niceTicks(0.37, 2.2), [0.5, 1, 1.5, 2]);
    assert.deepStrictEqual(niceTicks(1, 1), [1]);
  });

  it('draws the training curves with both lines, axes and legend', async function () {
    const history = [
      { trainLoss: 2.1, valLoss: 1.9, trainAcc: 0.3, valAcc: 0.35 },
      { trainLoss: 1.2, valLoss: 1.1, trainAcc: 0.6, valAcc: 0.62 },
      { trainLoss: 0.7, valLoss: 0.8, trainAcc: 0.8, valAcc: 0.78 },
    ];
    const svg = trainingCurvesSvg(history);
    for (const text of ['Loss', 'Accuracy', 'epoch', 'train', 'validation', '>100%<', '>2<']) assert.ok(svg.includes(text), `the SVG lacks ${text}`);
    const file = path.join(dir, 'curves.png');
    await writeSvgAsPng(svg, file);
    const { meta, count } = await decode(file);
    assert.strictEqual(meta.format, 'png');
    assert.deepStrictEqual([meta.width, meta.height], [960, 340]);
    assert.ok(meta.channels === 3 || meta.channels === 4);
    // Two series in two panels: many pixels of each line colour; none when there is no data.
    assert.ok(count(hex(TRAIN_COLOR)) > 300, `train line pixels: ${count(hex(TRAIN_COLOR))}`);
    assert.ok(count(hex(VAL_COLOR)) > 300, `val line pixels: ${count(hex(VAL_COLOR))}`);
    const empty = path.join(dir, 'empty.png');
    await writeSvgAsPng(trainingCurvesSvg([]), empty);
    const e = await decode(empty);
    // Only the legend's short strokes remain.
    assert.ok(e.count(hex(TRAIN_COLOR)) < 150, `an empty chart has ${e.count(hex(TRAIN_COLOR))} line pixels`);
    assert.ok(!fs.readdirSync(dir).some((f) => f.includes('.tmp-')), 'a temporary file was left behind');
  });

  it('draws the confusion matrix with labelled classes, shaded cells and their counts', async function () {
    const classes = ['cat', 'dog', 'bird & fish'];
    const matrix = [
      [10, 0, 0],
      [5, 5, 0],
      [1, 2, 7],
    ];
    const svg = confusionSvg(classes, matrix);
    assert.ok(svg.includes('bird &amp; fish'), 'class names are escaped and shown');
    assert.ok(svg.includes('accuracy 73.3%'), 'the title gives the accuracy');
    for (const n of ['>10<', '>5<', '>7<', '>2<']) assert.ok(svg.includes(n), `the count ${n} is missing`);
    const file = path.join(dir, 'confusion.png');
    await writeSvgAsPng(svg, file);
    const { meta, at } = await decode(file);
    const L = confusionLayout(3);
    assert.deepStrictEqual([meta.width, meta.height], [L.width, L.height]);
    // Sample each cell near its corner (away from the count's digits): its shade is its share of the row.
    const px = (i: number, j: number) => at(L.left + j * L.cell + 4, L.top + i * L.cell + 4);
    for (let i = 0; i < 3; i++) {
      const rowSum = matrix[i].reduce((a, b) => a + b, 0);
      for (let j = 0; j < 3; j++) {
        assert.ok(near(px(i, j), cellColor(matrix[i][j] / rowSum), 6), `cell ${i},${j}: ${px(i, j)} vs ${cellColor(matrix[i][j] / rowSum)}`);
      }
    }
    // A full row is dark, an empty cell white, a half cell in between.
    assert.ok(px(0, 0)[0] < 30 && px(0, 1)[0] > 240 && px(1, 0)[0] > 100 && px(1, 0)[0] < 150);
  });
});
