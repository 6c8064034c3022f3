// vision.transforms: torchvision.transforms, on Images (lazy, decoded off the main thread) and tensors.
//
// Where results differ from torchvision:
// - On Images, crop/resize/flip run inside the decoding pipeline (libvips). Its antialiased bilinear, bicubic
//   and lanczos filters are PIL's; Resize(256) + CenterCrop(224) + ToTensor on photos is within about 0.001
//   mean absolute difference of torchvision with PIL (single values within 2/255), from libjpeg's rounding
//   and libvips' fixed-point resampling. Large shrinks (3x and more) decode JPEGs at a reduced scale
//   (shrink-on-load), which differs a little more.
// - Other operations on Images (rotate, affine, color, blur, padding, equalize, ...) run on the decoded uint8
//   pixels with torchvision's tensor implementations: their results are torchvision's for tensors, which
//   differ slightly from its PIL code paths. Mode 'L' uses PIL's integer luma formula.
// - Resize on tensors antialiases by default (torchvision 0.17's default; 0.14 did not); pass antialias false.
// - RandomChoice and RandomOrder draw from torch's generator, not Python's `random`.
// - Inside a DataLoader, transforms draw from a per-sample generator (see DataLoader); elsewhere from torch's
//   global generator with torchvision's calls, so torch.manualSeed(s) gives torchvision's parameters.
export * from './transforms';
export * from './autoaugment';
export { InterpolationMode } from './functional';
export type { ImageLike, Fill, PaddingMode, Interpolation } from './functional';
export * as functional from './functional';
