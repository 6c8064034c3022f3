// Stand-in for distributed autograd's context header, used only where a LibTorch packaging ships c10d's
// reducer.hpp without it. reducer.hpp needs just these two names; ContextPtr is a shared_ptr as in
// LibTorch, so c10d::Reducer has the same layout as in the library.
#pragma once
#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>

namespace torch::distributed::autograd {

class DistAutogradContext {
 public:
  using GradCallback = std::function<bool(at::Tensor&)>;
};
using ContextPtr = std::shared_ptr<DistAutogradContext>;

}  // namespace torch::distributed::autograd
