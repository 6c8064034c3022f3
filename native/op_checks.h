// Checks made before the generic path calls an operator whose kernel would bring the process down on some inputs
// (PyTorch dies on them too): the call is refused with a TorchError instead.
#pragma once
#include "torch_includes.h"

namespace tn {

// Throws a c10::Error when calling `schema` with `stack` would trap, read out of bounds or skip PyTorch's checks.
void checkBeforeCall(const c10::FunctionSchema& schema, const torch::jit::Stack& stack);

}  // namespace tn
