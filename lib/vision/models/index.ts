// torchvision.models: the image classification architectures with torchvision's module trees, their weights
// (official checkpoints, cached where Python caches them) and the registry of builders.
export {
  Weights, WeightsEnum, weightsEnum, registerModel, listModels, getModel, getModelBuilder, getModelWeights, getWeight,
} from './_api';
export type { WeightsMeta, WeightsSpec, WeightsEnumOf, WeightsName, WeightsArg, WeightsOptions, ModelOptions, ModelBuilder } from './_api';
export { ImageClassification } from './_presets';
export type { ImageClassificationOptions } from './_presets';
export { IMAGENET_CATEGORIES } from './_meta';
export { makeDivisible } from './_utils';
export * as hub from './_hub';
export * from './resnet';
