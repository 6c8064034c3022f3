/**
 * An error raised inside LibTorch, carrying PyTorch's own message (shape mismatches, dtype and device errors,
 * out-of-memory). Bad JavaScript arguments raise `TypeError` or `RangeError` instead.
 */
export class TorchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TorchError';
  }
}
