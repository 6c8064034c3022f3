/**
 * An error raised inside LibTorch, carrying PyTorch's own message (shape mismatches, dtype and device errors,
 * out-of-memory). Bad JavaScript arguments raise `TypeError` or `RangeError` instead.
 */
export class TorchError extends Error {
  constructor(message: string) {
    message = pythonTypeNames(message);
    super(/out of memory/i.test(message) && !message.includes(OOM_HINT) ? `${message}\n${OOM_HINT}` : message);
    this.name = 'TorchError';
  }
}

/** What to do after an out-of-memory error; PyTorch's own message already says what is allocated and reserved. */
const OOM_HINT =
  'torch-node: try a smaller batch, free tensors sooner (torch.tidy, dispose, or awaiting between steps so the ' +
  'garbage collector can run), or release cached blocks with torch.cuda.emptyCache().';

/**
 * ATen's type names in a message as Python's PyTorch shows them (`CPUFloatType` is `torch.FloatTensor`,
 * `Variable[SparseCUDALongType]` is `torch.cuda.sparse.LongTensor`): the names PyTorch's own error translation
 * knows, and only those (bfloat16 and complex types keep ATen's names there too).
 */
function pythonTypeNames(message: string): string {
  return message.replace(
    /Variable\[(Sparse)?(CPU|CUDA)(Byte|Char|Double|Float|Int|Long|Short|Half)Type\]|(Sparse)?(CPU|CUDA)(Byte|Char|Double|Float|Int|Long|Short|Half)Type/g,
    (_m, s1?: string, d1?: string, t1?: string, s2?: string, d2?: string, t2?: string) =>
      `torch.${(d1 ?? d2) === 'CUDA' ? 'cuda.' : ''}${s1 ?? s2 ? 'sparse.' : ''}${t1 ?? t2}Tensor`,
  );
}
