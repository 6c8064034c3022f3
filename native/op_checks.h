// Checks made before the generic path calls an operator whose kernel would bring the process down on some inputs
// (PyTorch dies on them too): the call is refused with a TorchError instead.
#pragma once
#include "torch_includes.h"

namespace tn {

// Throws a c10::Error when calling the operator with `stack` would trap, read out of bounds or skip PyTorch's checks.
using CallCheck = void (*)(const c10::FunctionSchema& schema, const torch::jit::Stack& stack);

// The check to make before each call of `schema`'s operator, or null when it needs none. Looked up once per
// operator (native/ops.cc keeps it with the operator's handle), not per call.
CallCheck checkFor(const c10::FunctionSchema& schema);

}  // namespace tn
