#include "wrapped_numbers.h"

#include <cstring>

namespace tn {

namespace {
uint64_t bitsOf(double v) {
  uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}
}  // namespace

at::Tensor WrappedNumbers::get(const at::Scalar& s, const at::Tensor& like) {
  const at::ScalarType likeType = like.scalar_type();
  at::ScalarType dtype;
  at::Scalar value = s;
  uint64_t bits;
  if ((likeType == at::kFloat || likeType == at::kDouble) && (s.isFloatingPoint() || s.isIntegral(false))) {
    double v = s.toDouble();
    if (likeType == at::kFloat) v = static_cast<float>(v);
    dtype = likeType;
    value = at::Scalar(v);
    bits = bitsOf(v);
  } else if (s.isFloatingPoint()) {
    dtype = at::kDouble;
    bits = bitsOf(s.toDouble());
  } else if (s.isBoolean()) {
    dtype = at::kBool;
    bits = s.toBool() ? 1 : 0;
  } else if (s.isIntegral(false)) {
    dtype = at::kLong;
    bits = static_cast<uint64_t>(s.toLong());
  } else {  // complex: rare enough to make each time
    at::Tensor t = c10::scalar_to_tensor(s);
    t.unsafeGetTensorImpl()->set_wrapped_number(true);
    return t;
  }
  for (const Entry& e : entries_) {
    if (e.dtype == dtype && e.bits == bits) return e.tensor;
  }
  at::Tensor t = at::detail::scalar_tensor_static(value, dtype, at::kCPU);
  t.unsafeGetTensorImpl()->set_wrapped_number(true);
  Entry& slot = entries_[next_];
  next_ = (next_ + 1) % entries_.size();
  slot = Entry{dtype, bits, t};
  return t;
}

}  // namespace tn
