// Printing tensors in PyTorch's format (torch/_tensor_str.py).
import type { Tensor } from './tensor';

/** PyTorch's repr of a tensor. */
export function formatTensor(t: Tensor): string {
  const data = t.tolist();
  return `tensor(${JSON.stringify(data)})`;
}
