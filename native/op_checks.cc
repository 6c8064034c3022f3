// See op_checks.h. Each check covers one operator family whose kernel lacks the check PyTorch's Python-facing
// entry point (or a later release) makes.
#include "op_checks.h"
#include "common.h"

#include <limits>
#include <string>
#include <unordered_map>

namespace tn {
namespace {

const c10::IValue* arg(const c10::FunctionSchema& schema, const torch::jit::Stack& stack, const char* name) {
  auto i = schema.argumentIndexWithName(name);
  return i && *i < stack.size() ? &stack[*i] : nullptr;
}

// A scalar operand's value once converted to the common dtype (as the kernel converts it); nullopt for a tensor.
c10::optional<int64_t> scalarIn(const c10::IValue& v, at::ScalarType common) {
  if (v.isTensor()) return c10::nullopt;
  int64_t x = v.toScalar().toLong();
  return common == at::kInt ? static_cast<int32_t>(x) : x;
}

// The value a dividend or divisor has once converted to the common dtype.
at::Tensor inCommonType(const c10::IValue& v, at::ScalarType common) {
  if (auto x = scalarIn(v, common)) return at::scalar_tensor(*x, at::kLong);
  return v.toTensor().to(common);
}

// CPU kernels divide integers with the machine's division, which traps (SIGFPE) for the type's minimum divided
// by -1, also when an operand only becomes that value once converted to the common dtype.
void integerDivision(const c10::FunctionSchema& schema, const torch::jit::Stack& stack) {
  if (stack.size() < 2) return;
  const c10::IValue& a = stack[0];
  const c10::IValue& b = stack[1];
  at::ScalarType common;
  if (a.isTensor() && b.isTensor()) {
    common = at::result_type(a.toTensor(), b.toTensor());
  } else if (a.isTensor() && b.isScalar()) {
    common = at::result_type(a.toTensor(), b.toScalar());
  } else if (a.isScalar() && b.isTensor()) {
    common = at::result_type(a.toScalar(), b.toTensor());
  } else {
    return;
  }
  if (common != at::kInt && common != at::kLong) return;
  if ((a.isTensor() && !a.toTensor().is_cpu()) || (b.isTensor() && !b.toTensor().is_cpu())) return;
  int64_t min = common == at::kInt ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int64_t>::min();
  // A scalar operand that cannot be the trapping value settles it without a pass over the tensor.
  c10::optional<int64_t> sa = scalarIn(a, common);
  c10::optional<int64_t> sb = scalarIn(b, common);
  if ((sa && *sa != min) || (sb && *sb != -1)) return;
  at::NoGradGuard noGrad;
  bool traps = inCommonType(a, common).eq(min).logical_and(inCommonType(b, common).eq(-1)).any().item<bool>();
  TORCH_CHECK(!traps, "integer overflow: ", min, " (the ", dtypeName(common), " minimum) divided by -1 is out of range");
}

// div divides integers only with a rounding mode; without one it computes in floating point.
void divisionWithMode(const c10::FunctionSchema& schema, const torch::jit::Stack& stack) {
  const c10::IValue* mode = arg(schema, stack, "rounding_mode");
  if (mode != nullptr && !mode->isNone()) integerDivision(schema, stack);
}

// native_channel_shuffle divides by groups unchecked; channel_shuffle checks first.
void channelShuffle(const c10::FunctionSchema& schema, const torch::jit::Stack& stack) {
  const c10::IValue* groups = arg(schema, stack, "groups");
  if (groups && groups->isInt()) {
    TORCH_CHECK(groups->toInt() > 0, "Number of groups to divide channels in must be positive. Value of groups:", groups->toInt());
  }
}

// fractional_max_pool reads random_samples[n][c][0..d) for every batch and channel without checking its shape.
void fractionalMaxPool(const c10::FunctionSchema& schema, const torch::jit::Stack& stack, int64_t d) {
  const c10::IValue* self = arg(schema, stack, "self");
  const c10::IValue* samples = arg(schema, stack, "random_samples");
  if (!self || !samples || !self->isTensor() || !samples->isTensor()) return;
  const at::Tensor& x = self->toTensor();
  const at::Tensor& r = samples->toTensor();
  bool batched = x.dim() == d + 2;
  int64_t n = batched ? x.size(0) : 1;
  int64_t c = x.dim() >= d + 1 ? x.size(batched ? 1 : 0) : 0;
  TORCH_CHECK(r.dim() == 3 && r.size(0) >= n && r.size(1) >= c && r.size(2) == d, "fractional_max_pool", d,
              "d(): expected random_samples of shape (", n, ", ", c, ", ", d, "), but got ", r.sizes());
}

// _local_scalar_dense reads one element without checking that there is one (item() checks first).
void localScalarDense(const c10::FunctionSchema& schema, const torch::jit::Stack& stack) {
  const c10::IValue* self = arg(schema, stack, "self");
  if (self && self->isTensor()) {
    TORCH_CHECK(self->toTensor().numel() == 1, "a Tensor with ", self->toTensor().numel(), " elements cannot be converted to Scalar");
  }
}

void fractionalMaxPool2d(const c10::FunctionSchema& schema, const torch::jit::Stack& stack) {
  fractionalMaxPool(schema, stack, 2);
}

void fractionalMaxPool3d(const c10::FunctionSchema& schema, const torch::jit::Stack& stack) {
  fractionalMaxPool(schema, stack, 3);
}

// These build tensors from raw parts without PyTorch's invariant checks (a later read goes out of bounds).
void unchecked(const c10::FunctionSchema& schema, const torch::jit::Stack&) {
  TORCH_CHECK(false, schema.name(), " skips PyTorch's argument checks and is not available in torch-node; use the checked operator");
}

}  // namespace

CallCheck checkFor(const c10::FunctionSchema& schema) {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string, CallCheck>();
    for (const char* name : {"aten::div", "aten::div_", "aten::divide", "aten::divide_"}) (*t)[name] = divisionWithMode;
    for (const char* name : {"aten::floor_divide", "aten::floor_divide_", "aten::remainder", "aten::remainder_",
                             "aten::fmod", "aten::fmod_"}) {
      (*t)[name] = integerDivision;
    }
    (*t)["aten::native_channel_shuffle"] = channelShuffle;
    (*t)["aten::fractional_max_pool2d"] = fractionalMaxPool2d;
    (*t)["aten::fractional_max_pool3d"] = fractionalMaxPool3d;
    (*t)["aten::_local_scalar_dense"] = localScalarDense;
    return t;
  }();
  const std::string& name = schema.name();
  if (name.size() >= 7 && name.compare(name.size() - 7, 7, "_unsafe") == 0) return unchecked;
  auto it = table->find(name);
  return it == table->end() ? nullptr : it->second;
}

}  // namespace tn
