// The differences between the LibTorch versions torch-node builds against (Debian's 1.13, 2.x from pip or the
// official archives), kept in one place.
#pragma once
#include "torch_includes.h"

#include <ATen/autocast_mode.h>
#include <torch/csrc/autograd/custom_function.h>

#include <unordered_set>

#define TORCH_NODE_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace tn::compat {

// Autocast state per device type (CUDA or CPU); 2.4 made these functions take the device type.
inline void setAutocastEnabled(at::DeviceType d, bool enabled) {
#if TORCH_NODE_AT_LEAST(2, 4)
  at::autocast::set_autocast_enabled(d, enabled);
#else
  if (d == at::kCPU) at::autocast::set_cpu_enabled(enabled);
  else at::autocast::set_enabled(enabled);
#endif
}

inline bool isAutocastEnabled(at::DeviceType d) {
#if TORCH_NODE_AT_LEAST(2, 4)
  return at::autocast::is_autocast_enabled(d);
#else
  return d == at::kCPU ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled();
#endif
}

inline void setAutocastDtype(at::DeviceType d, at::ScalarType dtype) {
#if TORCH_NODE_AT_LEAST(2, 4)
  at::autocast::set_autocast_dtype(d, dtype);
#else
  if (d == at::kCPU) at::autocast::set_autocast_cpu_dtype(dtype);
  else at::autocast::set_autocast_gpu_dtype(dtype);
#endif
}

inline at::ScalarType autocastDtype(at::DeviceType d) {
#if TORCH_NODE_AT_LEAST(2, 4)
  return at::autocast::get_autocast_dtype(d);
#else
  return d == at::kCPU ? at::autocast::get_autocast_cpu_dtype() : at::autocast::get_autocast_gpu_dtype();
#endif
}

namespace detail {
// Overload priority: when several compile, the most derived tag (First) wins.
struct Third {};
struct Second : Third {};
struct First : Second {};

inline at::Tensor viewAsSelf(const at::Tensor& x) { return x.view_as(x); }

template <typename... A>
auto wrapOutputs(First, A&&... a) -> decltype(torch::autograd::_wrap_outputs(std::forward<A>(a)...)) {
  return torch::autograd::_wrap_outputs(std::forward<A>(a)...);
}
template <typename... A>
auto wrapOutputs(Second, A&&... a)
    -> decltype(torch::autograd::_wrap_outputs(std::forward<A>(a)..., std::unordered_set<at::TensorImpl*>())) {
  return torch::autograd::_wrap_outputs(std::forward<A>(a)..., std::unordered_set<at::TensorImpl*>());
}
template <typename... A>
auto wrapOutputs(Third, A&&... a)
    -> decltype(torch::autograd::_wrap_outputs(std::forward<A>(a)..., std::unordered_set<at::TensorImpl*>(), viewAsSelf)) {
  return torch::autograd::_wrap_outputs(std::forward<A>(a)..., std::unordered_set<at::TensorImpl*>(), viewAsSelf);
}
}  // namespace detail

// LibTorch's _wrap_outputs (what custom autograd functions' outputs go through). 2.x added arguments: the tensors
// saved in setup_context, then a function that makes an input returned as-is a view of itself. The 2.x release
// that added each is not pinned down here, so the call that compiles is picked; the extra arguments get what
// LibTorch's own C++ custom functions pass (none saved in setup_context; view_as).
template <typename... A>
auto wrapOutputs(A&&... a) {
  return detail::wrapOutputs(detail::First{}, std::forward<A>(a)...);
}

}  // namespace tn::compat
