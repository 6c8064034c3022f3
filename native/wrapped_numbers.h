// Numbers passed where ATen takes a Tensor, made as Python makes them: 0-dim "wrapped number" tensors.
#pragma once
#include "torch_includes.h"

#include <array>
#include <cstdint>

namespace tn {

// A wrapped number takes part in type promotion as a scalar (and calling an op's Tensor overload this way is
// faster than its Scalar overload). The last few made are kept per addon instance and handed out again: ops never
// write to these inputs, and autograd saves one (MulBackward0 keeps `other`) only to read it, so a shared one is
// indistinguishable from a new one, and a loop like `x.mul(2)` allocates none. Only for out-of-place ops.
class WrappedNumbers {
 public:
  // `s` as a wrapped number for an op on a tensor of dtype `like`. With float32 or float64 the number is made in
  // that dtype: TensorIterator would cast it to the tensor's dtype anyway, with the same static_cast, but through
  // a copy that costs more than the op on small tensors. Otherwise it is Python's: float64, int64, bool, complex128.
  at::Tensor get(const at::Scalar& s, at::ScalarType like);

 private:
  struct Entry {
    at::ScalarType dtype = at::ScalarType::Undefined;
    uint64_t bits = 0;  // the value's bit pattern in `dtype`'s C++ type (widened): -0.0 and 0.0 differ
    at::Tensor tensor;
  };
  std::array<Entry, 8> entries_;
  size_t next_ = 0;  // the entry replaced next (round robin)
};

}  // namespace tn
