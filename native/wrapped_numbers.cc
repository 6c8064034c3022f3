#include "wrapped_numbers.h"

#include <cstring>

namespace tn {

namespace {
at::Tensor makeWrapped(const at::Scalar& s, at::ScalarType dtype) {
  at::Tensor t = at::detail::scalar_tensor_static(s, dtype, at::kCPU);
  t.unsafeGetTensorImpl()->set_wrapped_number(true);
  return t;
}

uint64_t bitsOf(double v) {
  uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}
}  // namespace

at::Tensor WrappedNumbers::get(const at::Scalar& s, at::ScalarType like) {
  if (s.isComplex()) return makeWrapped(s, at::kComplexDouble);  // rare enough to make each time
  at::ScalarType dtype;
  at::Scalar value = s;
  uint64_t bits;
  if ((like == at::kFloat || like == at::kDouble) && !s.isBoolean()) {
    double v = s.toDouble();
    if (like == at::kFloat) v = static_cast<float>(v);
    dtype = like;
    value = at::Scalar(v);
    bits = bitsOf(v);
  } else if (s.isFloatingPoint()) {
    dtype = at::kDouble;
    bits = bitsOf(s.toDouble());
  } else if (s.isBoolean()) {
    dtype = at::kBool;
    bits = s.toBool() ? 1 : 0;
  } else {
    dtype = at::kLong;
    bits = static_cast<uint64_t>(s.toLong());
  }
  for (const Entry& e : entries_) {
    if (e.dtype == dtype && e.bits == bits) return e.tensor;
  }
  Entry& slot = entries_[next_];
  next_ = (next_ + 1) % entries_.size();
  slot = Entry{dtype, bits, makeWrapped(value, dtype)};
  return slot.tensor;
}

}  // namespace tn
