// Counting the tensors code leaves behind. The GC may free tensors at any allocation, so a difference of
// liveTensors() alone would also count older garbage freed meanwhile; tensors the GC freed are added back.
import { N } from '../../lib/native';

/**
 * Starts counting: the returned function gives the number of tensors made since that are still alive or were
 * left to the garbage collector (and freed by it since), which is what a leaked intermediate shows.
 */
export function tensorCount(): () => number {
  const live = N.liveTensors();
  const collected = N.collectedTensors();
  return () => N.liveTensors() - live + (N.collectedTensors() - collected);
}
