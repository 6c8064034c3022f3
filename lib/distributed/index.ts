// torch.distributed: process groups, collectives and stores over c10d (Gloo on CPUs, NCCL on CUDA builds).
export {
  ReduceOp, ProcessGroup, initProcessGroup, isAvailable, isInitialized, isNcclAvailable, isGlooAvailable,
  destroyProcessGroup, getRank, getWorldSize, getBackend, allReduce, broadcast, allGather, reduceScatter, barrier,
  send, recv,
} from './distributed_c10d';
export type { Backend, InitProcessGroupOptions, ReduceOpOptions, GroupOptions, P2POptions } from './distributed_c10d';
export { Store, TCPStore, FileStore } from './store';
export type { TCPStoreOptions } from './store';
