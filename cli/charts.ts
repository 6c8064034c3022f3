// Training curves and the confusion matrix as images: a small SVG (axes, ticks, legend, labels) rasterized to
// PNG by sharp, so that no plotting library is needed.
import * as fs from 'fs';
import sharp from 'sharp';

/** One line of a chart: a name for the legend, a colour, and the y value at x = 1, 2, ... */
export interface Series {
  name: string;
  color: string;
  values: number[];
}

/** A panel of a line chart. */
export interface LinePanel {
  title: string;
  yLabel: string;
  xLabel: string;
  series: Series[];
  /** Fixed y range (e.g. [0, 1] for accuracy); otherwise from the data. */
  yRange?: [number, number];
  /** Formats a tick value on the y axis. */
  yFormat?: (y: number) => string;
  /** Where the legend goes: the top right corner (default) or the bottom right, away from rising lines. */
  legend?: 'top' | 'bottom';
}

const FONT = 'font-family="DejaVu Sans, Arial, Helvetica, sans-serif"';
/** The colours of training and validation lines. */
export const TRAIN_COLOR = '#1f77b4';
export const VAL_COLOR = '#ff7f0e';

/** Escapes text for SVG. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** About `count` round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) as number) * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/** The SVG body of one panel at (ox, oy) of size w x h. */
function panelSvg(p: LinePanel, ox: number, oy: number, w: number, h: number): string {
  const m = { left: 62, right: 16, top: 34, bottom: 48 };
  const pw = w - m.left - m.right;
  const ph = h - m.top - m.bottom;
  const all = p.series.flatMap((s) => s.values).filter(Number.isFinite);
  const n = Math.max(1, ...p.series.map((s) => s.values.length));
  let [y0, y1] = p.yRange ?? [Math.min(...all, Infinity), Math.max(...all, -Infinity)];
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  if (!p.yRange) {
    const pad = (y1 - y0) * 0.05;
    [y0, y1] = [Math.max(0, y0 - pad), y1 + pad];
  }
  const yTicks = niceTicks(y0, y1).filter((t) => t >= y0 - 1e-9 && t <= y1 + 1e-9);
  const xTicks = n <= 10 ? Array.from({ length: n }, (_, i) => i + 1) : niceTicks(1, n).filter((t) => t >= 1 && Number.isInteger(t));
  const X = (x: number) => ox + m.left + (n === 1 ? pw / 2 : ((x - 1) / (n - 1)) * pw);
  const Y = (y: number) => oy + m.top + ph - ((y - y0) / (y1 - y0)) * ph;
  const yf = p.yFormat ?? fmt;
  const out: string[] = [];
  out.push(`<text x="${ox + w / 2}" y="${oy + 22}" text-anchor="middle" font-size="15" font-weight="bold" ${FONT}>${escapeXml(p.title)}</text>`);
  for (const t of yTicks) {
    out.push(`<line x1="${ox + m.left}" x2="${ox + m.left + pw}" y1="${Y(t)}" y2="${Y(t)}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${ox + m.left - 6}" y="${Y(t) + 4}" text-anchor="end" font-size="11" ${FONT}>${escapeXml(yf(t))}</text>`);
  }
  for (const t of xTicks) {
    out.push(`<line x1="${X(t)}" x2="${X(t)}" y1="${oy + m.top + ph}" y2="${oy + m.top + ph + 5}" stroke="#333"/>`);
    out.push(`<text x="${X(t)}" y="${oy + m.top + ph + 18}" text-anchor="middle" font-size="11" ${FONT}>${t}</text>`);
  }
  out.push(`<rect x="${ox + m.left}" y="${oy + m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${ox + m.left + pw / 2}" y="${oy + h - 10}" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(p.xLabel)}</text>`);
  out.push(`<text transform="translate(${ox + 16} ${oy + m.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(p.yLabel)}</text>`);
  for (const s of p.series) {
    const pts = s.values.map((v, i) => [X(i + 1), Y(Math.min(Math.max(v, y0), y1))] as const).filter((_, i) => Number.isFinite(s.values[i]));
    if (pts.length > 1) out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2.5" points="${pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of pts) out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="${s.color}"/>`);
  }
  const lx = ox + m.left + pw - 116;
  const ly0 = p.legend === 'bottom' ? oy + m.top + ph - 14 - (p.series.length - 1) * 18 : oy + m.top + 14;
  if (p.series.length > 0) out.push(`<rect x="${lx - 6}" y="${ly0 - 11}" width="112" height="${p.series.length * 18 + 4}" fill="white" fill-opacity="0.85" stroke="#ccc"/>`);
  p.series.forEach((s, i) => {
    const ly = ly0 + i * 18;
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 28}" y="${ly + 4}" font-size="12" ${FONT}>${escapeXml(s.name)}</text>`);
  });
  return out.join('\n');
}

function svgDocument(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
}

/** Per-epoch numbers that the curves show. */
export interface CurvePoint {
  trainLoss: number;
  valLoss: number;
  trainAcc: number;
  valAcc: number;
}

/** The training curves: loss (left) and accuracy (right) per epoch, training and validation. */
export function trainingCurvesSvg(history: CurvePoint[]): string {
  const w = 480;
  const h = 340;
  const loss: LinePanel = {
    title: 'Loss',
    xLabel: 'epoch',
    yLabel: 'cross-entropy loss',
    series: [
      { name: 'train', color: TRAIN_COLOR, values: history.map((e) => e.trainLoss) },
      { name: 'validation', color: VAL_COLOR, values: history.map((e) => e.valLoss) },
    ],
  };
  const acc: LinePanel = {
    title: 'Accuracy',
    xLabel: 'epoch',
    yLabel: 'accuracy',
    yRange: [0, 1],
    yFormat: (y) => `${Math.round(y * 100)}%`,
    legend: 'bottom',
    series: [
      { name: 'train', color: TRAIN_COLOR, values: history.map((e) => e.trainAcc) },
      { name: 'validation', color: VAL_COLOR, values: history.map((e) => e.valAcc) },
    ],
  };
  return svgDocument(2 * w, h, `${panelSvg(loss, 0, 0, w, h)}\n${panelSvg(acc, w, 0, w, h)}`);
}

/** The fill of a confusion-matrix cell holding fraction `f` (0..1) of its row: white to dark blue. */
export function cellColor(f: number): [number, number, number] {
  const t = Math.min(Math.max(f, 0), 1);
  const lerp = (a: number, b: number) => Math.round(a + (b - a) * t);
  return [lerp(247, 8), lerp(251, 48), lerp(255, 107)];
}

/** The layout of the confusion matrix image, for callers that read cells back. */
export function confusionLayout(numClasses: number): { left: number; top: number; cell: number; width: number; height: number } {
  const cell = Math.max(26, Math.min(56, Math.floor(560 / Math.max(numClasses, 1))));
  const left = 150;
  const top = 60;
  return { left, top, cell, width: left + cell * numClasses + 30, height: top + cell * numClasses + 110 };
}

/**
 * The confusion matrix (rows: true class, columns: predicted class): each cell shaded by its share of the
 * row, with its count written in it.
 */
export function confusionSvg(classes: string[], matrix: number[][], title = 'Confusion matrix (validation)'): string {
  const k = classes.length;
  const { left, top, cell, width, height } = confusionLayout(k);
  const total = matrix.reduce((a, row) => a + row.reduce((b, c) => b + c, 0), 0);
  const correct = matrix.reduce((a, row, i) => a + row[i], 0);
  const out: string[] = [];
  const acc = total > 0 ? ` — accuracy ${((100 * correct) / total).toFixed(1)}%` : '';
  out.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold" ${FONT}>${escapeXml(title + acc)}</text>`);
  const fontSize = Math.max(9, Math.min(14, Math.floor(cell / 3)));
  for (let i = 0; i < k; i++) {
    const rowSum = matrix[i].reduce((a, b) => a + b, 0);
    for (let j = 0; j < k; j++) {
      const count = matrix[i][j];
      const f = rowSum > 0 ? count / rowSum : 0;
      const [r, g, b] = cellColor(f);
      const x = left + j * cell;
      const y = top + i * cell;
      out.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgb(${r},${g},${b})" stroke="#ffffff" stroke-width="1"/>`);
      out.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + fontSize / 3}" text-anchor="middle" font-size="${fontSize}" fill="${f > 0.5 ? 'white' : 'black'}" ${FONT}>${count}</text>`);
    }
    out.push(`<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" font-size="11" ${FONT}>${escapeXml(classes[i])}</text>`);
  }
  for (let j = 0; j < k; j++) {
    const x = left + j * cell + cell / 2;
    const y = top + k * cell + 8;
    out.push(`<text transform="translate(${x} ${y}) rotate(45)" font-size="11" ${FONT}>${escapeXml(classes[j])}</text>`);
  }
  out.push(`<rect x="${left}" y="${top}" width="${cell * k}" height="${cell * k}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${left + (cell * k) / 2}" y="${height - 8}" text-anchor="middle" font-size="12" ${FONT}>predicted class</text>`);
  out.push(`<text transform="translate(16 ${top + (cell * k) / 2}) rotate(-90)" text-anchor="middle" font-size="12" ${FONT}>true class</text>`);
  return svgDocument(width, height, out.join('\n'));
}

/** Rasterizes `svg` to a PNG file, atomically (a temporary file in the same folder, then a rename). */
export async function writeSvgAsPng(svg: string, file: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}.png`;
  try {
    await sharp(Buffer.from(svg)).png().toFile(tmp);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
