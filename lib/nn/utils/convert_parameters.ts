// Parameters as one flat vector and back (torch.nn.utils.parameters_to_vector / vector_to_parameters).
import { N } from '../../native';
import { Tensor, wrap } from '../../tensor';
import { describe } from '../../dtype';
import { tensorList } from './clip_grad';

/** The parameters flattened and concatenated into one vector (autograd records it, as torch.cat of views). */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  return wrap(N.parametersToVector(tensorList(parameters, 'parametersToVector').map((p) => p.handle)));
}

/**
 * Makes each parameter's data its slice of `vec` (in order, shaped like the parameter), as
 * `torch.nn.utils.vector_to_parameters`: the parameters then share `vec`'s memory.
 */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) throw new TypeError(`expected torch.Tensor, but got: ${describe(vec)}`);
  const params = tensorList(parameters, 'vectorToParameters');
  N.vectorToParameters(vec.handle, params.map((p) => p.handle));
}
