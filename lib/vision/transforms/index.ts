// vision.transforms: torchvision.transforms, on Images (lazy, decoded off the main thread) and tensors.
export * from './transforms';
export * from './autoaugment';
export { InterpolationMode } from './functional';
export type { ImageLike, Fill, PaddingMode, Interpolation } from './functional';
export * as functional from './functional';
