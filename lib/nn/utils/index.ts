// torch.nn.utils: gradient clipping and parameter/vector conversion.
export { clipGradNorm_, clipGradValue_ } from './clip_grad';
export type { ClipGradNormOptions } from './clip_grad';
export { parametersToVector, vectorToParameters } from './convert_parameters';
