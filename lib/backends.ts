// torch.backends: cuDNN and CUDA matmul flags, as properties like PyTorch's.
import { N } from './native';

function flag(name: string) {
  return {
    get: () => N.getBackendFlag(name),
    set: (v: boolean) => {
      if (typeof v !== 'boolean') throw new TypeError(`torch.backends.${name} must be a boolean`);
      N.setBackendFlag(name, v);
    },
    enumerable: true,
  };
}

/** `torch.backends.cudnn`: benchmark, deterministic, enabled, allowTf32. */
export const cudnn = Object.defineProperties({} as { benchmark: boolean; deterministic: boolean; enabled: boolean; allowTf32: boolean; isAvailable(): boolean }, {
  benchmark: flag('cudnn.benchmark'),
  deterministic: flag('cudnn.deterministic'),
  enabled: flag('cudnn.enabled'),
  allowTf32: flag('cudnn.allowTf32'),
  isAvailable: { value: () => N.cudaInfo().cudnn, enumerable: true },
});

/** `torch.backends.cuda.matmul.allowTf32`. */
export const cuda = {
  matmul: Object.defineProperties({} as { allowTf32: boolean }, { allowTf32: flag('cuda.matmul.allowTf32') }),
};
