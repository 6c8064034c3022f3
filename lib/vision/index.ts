// torch-node/vision: torchvision's io, transforms and datasets.
export * as io from './io';
export * as transforms from './transforms';
export * as datasets from './datasets';
export * as models from './models';
