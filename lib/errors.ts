/**
 * An error raised inside LibTorch, carrying PyTorch's own message (shape mismatches, dtype and device errors,
 * out-of-memory). Bad JavaScript arguments raise `TypeError` or `RangeError` instead.
 */
export class TorchError extends Error {
  constructor(message: string) {
    super(/out of memory/i.test(message) && !message.includes(OOM_HINT) ? `${message}\n${OOM_HINT}` : message);
    this.name = 'TorchError';
  }
}

/** What to do after an out-of-memory error; PyTorch's own message already says what is allocated and reserved. */
const OOM_HINT =
  'torch-node: try a smaller batch, free tensors sooner (torch.tidy, dispose, or awaiting between steps so the ' +
  'garbage collector can run), or release cached blocks with torch.cuda.emptyCache().';
