// torch-node/data: datasets, samplers and the DataLoader (torch.utils.data).
export { Dataset, TensorDataset, Subset, ConcatDataset, randomSplit } from './dataset';
export { Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } from './sampler';
export type { Sized, RandomSamplerOptions } from './sampler';
export { DistributedSampler } from './distributed';
export type { DistributedSamplerOptions } from './distributed';
export { DataLoader } from './dataloader';
export type { DataLoaderOptions } from './dataloader';
export { defaultCollate } from './collate';
export type { Collated } from './collate';
export { Generator, withGenerator, currentGenerator } from './generator';
