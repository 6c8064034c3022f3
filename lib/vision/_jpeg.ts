// The native JPEG fast path of Image materialization: a JPEG whose recorded operations are a (bilinear) resize
// and optionally a crop of the result (Resize + CenterCrop, mode conversions to RGB aside) is decoded at a
// reduced DCT scale, resized with PIL's antialiased bilinear filter and cropped in one native call on libuv's
// pool. Anything else, or an addon built without libjpeg, keeps the sharp pipeline.
import { N, JpegResizeJob } from '../native';
import type { Image } from './io';

let enabled = typeof N.decodeJpegResized === 'function';

/** @internal Whether the addon has the JPEG fast path. */
export function hasJpegFastPath(): boolean {
  return typeof N.decodeJpegResized === 'function';
}

/** @internal Turns the fast path off (tests compare it with sharp) or back on; returns the previous state. */
export function setJpegFastPath(on: boolean): boolean {
  const was = enabled;
  enabled = on && hasJpegFastPath();
  return was;
}

/** @internal The native job that gives `img`'s pixels, or null when the fast path does not apply. */
export function jpegFastPlan(img: Image): JpegResizeJob | null {
  if (!enabled) return null;
  const src = img._source;
  if (src.kind !== 'encoded' || src.format !== 'jpeg' || !(src.components === 1 || src.components === 3)) return null;
  let channels: 1 | 3;
  if (img.mode === 'RGB') channels = 3;
  else if (img.mode === 'L' && src.components === 1) channels = 1;
  else return null;
  let resize: { width: number; height: number } | null = null;
  let crop: { left: number; top: number; width: number; height: number } | null = null;
  for (const op of img._ops) {
    if (op.convert !== undefined) continue; // the final mode is decoded directly (gray to RGB replicates)
    const s = op.sharp;
    if (!s || crop) return null;
    if (s.kind === 'resize' && !resize && s.interpolation === 'bilinear') resize = s;
    else if (s.kind === 'crop' && resize) crop = s;
    else return null;
  }
  if (!resize) return null;
  const c = crop ?? { left: 0, top: 0, width: resize.width, height: resize.height };
  if (c.left < 0 || c.top < 0 || c.width < 1 || c.height < 1 || c.left + c.width > resize.width || c.top + c.height > resize.height) return null;
  return {
    data: src.data,
    name: img.filename ?? '(from a buffer)',
    channels,
    resizeW: resize.width,
    resizeH: resize.height,
    cropLeft: c.left,
    cropTop: c.top,
    cropW: c.width,
    cropH: c.height,
  };
}

/** @internal Runs one job: its pixels, HWC uint8. */
export async function decodeJpegFast(job: JpegResizeJob): Promise<Buffer> {
  const out = Buffer.allocUnsafeSlow(job.cropW * job.cropH * job.channels);
  await (N.decodeJpegResized as NonNullable<typeof N.decodeJpegResized>)([job], out, 'hwc');
  return out;
}
