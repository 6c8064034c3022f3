// The differences between the LibTorch versions torch-node builds against (Debian's 1.13, 2.x from pip or the
// official archives), kept in one place.
#pragma once
#include "torch_includes.h"

#include <ATen/autocast_mode.h>

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

}  // namespace tn::compat
