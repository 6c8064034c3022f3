// torchvision.models: the image classification architectures with torchvision's module trees, their weights
// (official checkpoints, cached where Python caches them) and the registry of builders. Each family is also a
// namespace (`models.resnet.BasicBlock`, `models.mobilenetv3.InvertedResidual`), as torchvision's submodules.
export {
  Weights, WeightsEnum, weightsEnum, registerModel, listModels, getModel, getModelBuilder, getModelWeights, getWeight,
} from './_api';
export type { WeightsMeta, WeightsSpec, WeightsEnumOf, WeightsName, WeightsArg, WeightsOptions, ModelOptions, ModelBuilder } from './_api';
export { ImageClassification } from './_presets';
export type { ImageClassificationOptions } from './_presets';
export { IMAGENET_CATEGORIES } from './_meta';
export { makeDivisible } from './_utils';
export { Conv2dNormActivation, SqueezeExcitation, MLP, Permute, StochasticDepth, stochasticDepth } from './_ops';
export type { NormLayer, ActivationLayer, Conv2dNormActivationOptions, SqueezeExcitationOptions, MLPOptions } from './_ops';
export * as hub from './_hub';

export * from './resnet';
export * from './vgg';
export * from './alexnet';
export { MobileNetV2, MobileNet_V2_Weights, mobilenet_v2 } from './mobilenetv2';
export type { MobileNetV2Options, MobileNetV2BuilderOptions, MobileNetV2Classifier } from './mobilenetv2';
export { MobileNetV3, MobileNet_V3_Large_Weights, MobileNet_V3_Small_Weights, mobilenet_v3_large, mobilenet_v3_small } from './mobilenetv3';
export type { MobileNetV3Options, MobileNetV3BuilderOptions, MobileNetV3Classifier } from './mobilenetv3';
export * from './efficientnet';
export * from './densenet';
export * from './convnext';
export * from './vision_transformer';
export * from './squeezenet';
export { ShuffleNetV2, channelShuffle, ShuffleNet_V2_X0_5_Weights, ShuffleNet_V2_X1_0_Weights, ShuffleNet_V2_X1_5_Weights, ShuffleNet_V2_X2_0_Weights } from './shufflenetv2';
export { shufflenet_v2_x0_5, shufflenet_v2_x1_0, shufflenet_v2_x1_5, shufflenet_v2_x2_0 } from './shufflenetv2';
export * from './mnasnet';
export { GoogLeNet, GoogLeNetOutputs, GoogLeNet_Weights, googlenet } from './googlenet';
export type { GoogLeNetOptions, GoogLeNetBuilderOptions } from './googlenet';
export { Inception3, InceptionOutputs, Inception_V3_Weights, inception_v3 } from './inception';
export type { Inception3Options, Inception3BuilderOptions } from './inception';
export * from './regnet';
export * from './swin_transformer';

export * as resnet from './resnet';
export * as vgg from './vgg';
export * as mobilenetv2 from './mobilenetv2';
export * as mobilenetv3 from './mobilenetv3';
export * as efficientnet from './efficientnet';
export * as densenet from './densenet';
export * as convnext from './convnext';
export * as vision_transformer from './vision_transformer';
export * as squeezenet from './squeezenet';
export * as shufflenetv2 from './shufflenetv2';
export * as mnasnet from './mnasnet';
export * as googlenet_ from './googlenet';
export * as inception from './inception';
export * as regnet from './regnet';
export * as swin_transformer from './swin_transformer';
