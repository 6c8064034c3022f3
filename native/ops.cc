// One generic path to every operator registered with the dispatcher (looked up by name, arguments converted
// from the schema, called boxed so that autograd runs), plus direct entry points for the few operators a
// benchmark shows to be hot.
#include "common.h"
#include "ivalue.h"
#include "op_checks.h"

#include <ATen/CPUFunctions.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/EmptyTensor.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace tn {
namespace {

struct OpRegistry {
  std::vector<c10::OperatorHandle> ops;
  std::unordered_map<std::string, std::vector<int32_t>> byName;  // "aten::add" -> ids of its overloads
  std::vector<CallCheck> checks;                                  // by id: what to check before a call (op_checks.h)
};

const OpRegistry& registry() {
  static OpRegistry* reg = [] {
    auto* r = new OpRegistry();
    auto& d = c10::Dispatcher::singleton();
    for (const c10::OperatorName& name : d.getAllOpNames()) {
      auto handle = d.findOp(name);
      if (!handle || !handle->hasSchema()) continue;
      r->byName[name.name].push_back(static_cast<int32_t>(r->ops.size()));
      r->ops.push_back(*handle);
      r->checks.push_back(checkFor(handle->schema()));
    }
    return r;
  }();
  return *reg;
}

const c10::OperatorHandle& opById(int32_t id) {
  const auto& ops = registry().ops;
  if (id < 0 || static_cast<size_t>(id) >= ops.size()) typeError("unknown operator id");
  return ops[id];
}

// The schema's type in the few words the TypeScript side resolves overloads with.
std::string typeName(const c10::TypePtr& t) {
  switch (t->kind()) {
    case c10::TypeKind::OptionalType:
      return typeName(t->castRaw<c10::OptionalType>()->getElementType()) + "?";
    case c10::TypeKind::ListType:
      return typeName(t->castRaw<c10::ListType>()->getElementType()) + "[]";
    case c10::TypeKind::TensorType: return "Tensor";
    case c10::TypeKind::IntType: return "int";
    case c10::TypeKind::SymIntType: return "int";
    case c10::TypeKind::FloatType: return "float";
    case c10::TypeKind::BoolType: return "bool";
    case c10::TypeKind::NumberType: return "Scalar";
    case c10::TypeKind::StringType: return "str";
    case c10::TypeKind::DeviceObjType: return "Device";
    case c10::TypeKind::ScalarTypeType: return "ScalarType";
    case c10::TypeKind::LayoutType: return "Layout";
    case c10::TypeKind::MemoryFormatType: return "MemoryFormat";
    case c10::TypeKind::GeneratorType: return "Generator";
    default: return t->str();
  }
}

// Index of the argument a return value writes into (in-place and out= variants), or -1.
int writtenAliasOf(const c10::FunctionSchema& s, const c10::Argument& ret) {
  const auto* ra = ret.alias_info();
  if (!ra || !ra->isWrite()) return -1;
  for (size_t i = 0; i < s.arguments().size(); i++) {
    const auto* aa = s.arguments()[i].alias_info();
    if (aa && aa->isWrite() && aa->beforeSets() == ra->beforeSets()) return static_cast<int>(i);
  }
  return -1;
}

Napi::Value OpSchemas(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = argString(info, 0);
  Napi::Array out = Napi::Array::New(env);
  const auto& reg = registry();
  auto it = reg.byName.find(name);
  if (it == reg.byName.end()) return out;
  uint32_t k = 0;
  for (int32_t id : it->second) {
    const c10::FunctionSchema& s = reg.ops[id].schema();
    Napi::Object o = Napi::Object::New(env);
    o.Set("id", id);
    o.Set("overload", s.overload_name());
    std::ostringstream text;
    text << s;
    o.Set("text", text.str());
    Napi::Array args = Napi::Array::New(env, s.arguments().size());
    for (size_t i = 0; i < s.arguments().size(); i++) {
      const c10::Argument& a = s.arguments()[i];
      Napi::Object ao = Napi::Object::New(env);
      ao.Set("name", a.name());
      ao.Set("type", typeName(a.real_type()));
      ao.Set("kwargOnly", a.kwarg_only());
      ao.Set("hasDefault", a.default_value().has_value());
      if (a.N()) ao.Set("n", static_cast<double>(*a.N()));
      ao.Set("written", a.alias_info() != nullptr && a.alias_info()->isWrite());
      args.Set(static_cast<uint32_t>(i), ao);
    }
    o.Set("args", args);
    Napi::Array rets = Napi::Array::New(env, s.returns().size());
    for (size_t i = 0; i < s.returns().size(); i++) {
      Napi::Object ro = Napi::Object::New(env);
      ro.Set("type", typeName(s.returns()[i].real_type()));
      ro.Set("aliasOf", writtenAliasOf(s, s.returns()[i]));
      rets.Set(static_cast<uint32_t>(i), ro);
    }
    o.Set("returns", rets);
    out.Set(k++, o);
  }
  return out;
}

bool isGenerator(const c10::TypePtr& t) {
  if (t->kind() == c10::TypeKind::OptionalType) return isGenerator(t->castRaw<c10::OptionalType>()->getElementType());
  return t->kind() == c10::TypeKind::GeneratorType;
}

// A CPU generator set to a state in the layout of its get_state() (a torch.Generator's, from lib/generator.ts).
at::Generator generatorFromState(const Napi::TypedArray& bytes) {
  if (bytes.TypedArrayType() != napi_uint8_array) typeError("a generator's state must be a Uint8Array");
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>();
  at::Tensor state = at::empty({static_cast<int64_t>(bytes.ByteLength())}, at::kByte);
  std::memcpy(state.data_ptr(), bytes.As<Napi::Uint8Array>().Data(), bytes.ByteLength());
  gen.set_state(state);  // checks the size (the legacy layout or the current one)
  return gen;
}

// callOp(id, args): args are in schema order; undefined takes the schema's default; a generator comes as its state
// (a Uint8Array), which the call advances in place.
Napi::Value CallOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t id = argHandle(info, 0);
  const c10::OperatorHandle& op = opById(id);
  if (!info[1].IsArray()) typeError("callOp expects an array of arguments");
  Napi::Array jsArgs = info[1].As<Napi::Array>();
  const c10::FunctionSchema& schema = op.schema();
  const auto& formals = schema.arguments();
  if (jsArgs.Length() > formals.size()) typeError(schema.name() + "() takes " + std::to_string(formals.size()) + " arguments");
  TensorTable& table = data(info).table;

  torch::jit::Stack stack;
  stack.reserve(formals.size());
  std::vector<std::pair<at::Generator, Napi::Uint8Array>> generators;
  for (size_t i = 0; i < formals.size(); i++) {
    const c10::Argument& a = formals[i];
    Napi::Value v = i < jsArgs.Length() ? jsArgs.Get(static_cast<uint32_t>(i)) : env.Undefined();
    if (v.IsTypedArray() && isGenerator(a.real_type())) {
      generators.emplace_back(generatorFromState(v.As<Napi::TypedArray>()), v.As<Napi::Uint8Array>());
      stack.emplace_back(generators.back().first);
      continue;
    }
    if (v.IsUndefined()) {
      if (a.default_value()) {
        stack.push_back(*a.default_value());
        continue;
      }
      if (a.real_type()->kind() == c10::TypeKind::OptionalType) {
        stack.emplace_back();
        continue;
      }
      typeError(schema.name() + "() missing required argument '" + a.name() + "'");
    }
    stack.push_back(toIValue(table, v, a.real_type(), a));
  }
  if (CallCheck check = registry().checks[id]) check(schema, stack);
  // A generator advances by what the operator drew, even when it then fails (as PyTorch's does).
  auto writeBack = [&] {
    for (auto& [gen, state] : generators) {
      at::Tensor s = gen.get_state();
      std::memcpy(state.Data(), s.data_ptr(), std::min<size_t>(state.ByteLength(), s.nbytes()));
    }
  };
  try {
    op.callBoxed(&stack);
  } catch (...) {
    writeBack();
    throw;
  }
  writeBack();

  const auto& rets = schema.returns();
  auto result = [&](size_t i) -> Napi::Value {
    if (i < rets.size()) {
      if (writtenAliasOf(schema, rets[i]) >= 0) return env.Null();
      // A dtype travels as ATen's enum number; JavaScript knows dtypes by name.
      if (rets[i].real_type()->kind() == c10::TypeKind::ScalarTypeType && stack[i].isInt()) {
        return Napi::String::New(env, dtypeName(static_cast<at::ScalarType>(stack[i].toInt())));
      }
    }
    return fromIValue(env, table, stack[i]);
  };
  if (rets.size() == 1) return result(0);
  Napi::Array out = Napi::Array::New(env, stack.size());
  for (size_t i = 0; i < stack.size(); i++) out.Set(static_cast<uint32_t>(i), result(i));
  return out;
}

// ---- Hot paths: the arithmetic that small-tensor loops are made of ----

at::Scalar scalarArg(const Napi::CallbackInfo& info, size_t i) {
  napi_value v = info[i];
  double d;
  if (napi_get_value_double(info.Env(), v, &d) != napi_ok) {
    if (info[i].IsBoolean()) return at::Scalar(info[i].As<Napi::Boolean>().Value());
    typeError("expected a number");
  }
  return isIntegral(d) ? at::Scalar(static_cast<int64_t>(d)) : at::Scalar(d);
}

// Whether autograd can have nothing to record for t: no autograd metadata means it never required grad and has
// no forward gradient. Ops on such tensors only then run below the autograd layer, as ATen's own composite
// kernels call each other; the result is the same tensor, without the layer's bookkeeping.
inline bool outsideAutograd(const at::Tensor& t) { return t.unsafeGetTensorImpl()->autograd_meta() == nullptr; }

// Whether the dispatcher would send a call on a and b, both outside autograd, straight to the CPU kernel: both
// are plain dense CPU tensors (no conjugate, negative or zero-tensor bit) and no thread-local mode (autocast, a
// dispatch guard) is on. The kernel is then called directly (at::cpu::), as the dispatcher would call it.
bool reachesCpuKernel(const at::Tensor& a, const at::Tensor& b) {
  static const c10::DispatchKeySet plain = at::empty({0}, at::kFloat).key_set();
  if (a.key_set() != plain || b.key_set() != plain) return false;
  c10::impl::LocalDispatchKeySet tls = c10::impl::tls_local_dispatch_key_set();
  return tls.included_ == c10::default_included_set && tls.excluded_ == c10::default_excluded_set;
}

// Whether t's strides are those a new tensor of its sizes gets (row-major, a size-0 or size-1 dim counting as 1).
bool rowMajor(const at::Tensor& t) {
  c10::IntArrayRef sizes = t.sizes(), strides = t.strides();
  int64_t expected = 1;
  for (size_t d = sizes.size(); d-- > 0;) {
    if (strides[d] != expected) return false;
    expected *= std::max<int64_t>(sizes[d], 1);
  }
  return true;
}

// Tensors of at most this many elements count as small (see smallFloating).
constexpr int64_t kSmall = 256;

template <typename T, typename Op>
void elementwise(const T* a, const T* b, T* out, int64_t n, bool aScalar, bool bScalar, Op op) {
  if (aScalar && !bScalar) {
    for (int64_t i = 0; i < n; i++) out[i] = op(*a, b[i]);
  } else if (bScalar && !aScalar) {
    for (int64_t i = 0; i < n; i++) out[i] = op(a[i], *b);
  } else {
    for (int64_t i = 0; i < n; i++) out[i] = op(a[i], b[i]);
  }
}

// `op` on two small float32 or float64 tensors of one dtype, row-major, of one shape or one of them 0-dim, computed
// here instead of through a TensorIterator, whose setup costs more than such a small op. The result is the
// kernel's own: each element is the one IEEE operation the ATen kernel does (its `a + alpha * b` with alpha 1 for
// add and sub is exact; which NaN of two NaN operands comes out is the instruction's choice, which ATen's own
// vector and scalar loops do not agree on either), and the result is the row-major tensor of that dtype and shape
// that the iterator would allocate. Undefined when the case is any other.
template <template <typename> class Op>
at::Tensor smallFloating(const at::Tensor& a, const at::Tensor& b) {
  at::ScalarType dtype = a.scalar_type();
  if ((dtype != at::kFloat && dtype != at::kDouble) || b.scalar_type() != dtype) return {};
  bool aScalar = a.dim() == 0, bScalar = b.dim() == 0;
  const at::Tensor& shaped = aScalar ? b : a;
  if (!aScalar && !bScalar && a.sizes() != b.sizes()) return {};
  int64_t n = shaped.numel();
  // (An empty result broadcast from a 0-dim side gets other strides from the iterator.)
  if (n == 0 || n > kSmall || !rowMajor(a) || !rowMajor(b)) return {};
  at::Tensor out(at::detail::empty_cpu(shaped.sizes(), dtype, false, c10::nullopt));
  if (dtype == at::kFloat) {
    elementwise(a.data_ptr<float>(), b.data_ptr<float>(), out.data_ptr<float>(), n, aScalar, bScalar, Op<float>());
  } else {
    elementwise(a.data_ptr<double>(), b.data_ptr<double>(), out.data_ptr<double>(), n, aScalar, bScalar, Op<double>());
  }
  return out;
}

using BinaryFn = at::Tensor (*)(const at::Tensor&, const at::Tensor&);

// F through the dispatcher, Cpu its CPU kernel, Op the elementwise operation for small floating tensors.
template <BinaryFn F, BinaryFn Cpu, template <typename> class Op>
at::Tensor callBinary(const at::Tensor& a, const at::Tensor& b) {
  if (outsideAutograd(a) && outsideAutograd(b)) {
    if (reachesCpuKernel(a, b)) {
      if (at::Tensor small = smallFloating<Op>(a, b); small.defined()) return small;
      return Cpu(a, b);
    }
    at::AutoDispatchBelowADInplaceOrView belowAutograd;
    return F(a, b);
  }
  return F(a, b);
}

// The handle of a result; an object as argument `i` (its Tensor, made before the call) is tracked for the GC.
Napi::Value result(const Napi::CallbackInfo& info, TensorTable& table, at::Tensor&& t, size_t i) {
  int32_t h = table.put(std::move(t));
  if (info.Length() > i && info[i].IsObject()) table.track(info.Env(), info[i], h);
  return Napi::Number::New(info.Env(), h);
}

template <BinaryFn F, BinaryFn Cpu, template <typename> class Op>
Napi::Value BinaryTT(const Napi::CallbackInfo& info) {
  TensorTable& table = data(info).table;
  const at::Tensor& a = table.get(argHandle(info, 0));
  const at::Tensor& b = table.get(argHandle(info, 1));
  return result(info, table, callBinary<F, Cpu, Op>(a, b), 2);
}

template <BinaryFn F, BinaryFn Cpu, template <typename> class Op>
Napi::Value BinaryTS(const Napi::CallbackInfo& info) {
  AddonData& d = data(info);
  const at::Tensor& a = d.table.get(argHandle(info, 0));
  return result(info, d.table, callBinary<F, Cpu, Op>(a, d.wrappedNumbers.get(scalarArg(info, 1), a.scalar_type())), 2);
}

at::Tensor addTT(const at::Tensor& a, const at::Tensor& b) { return at::add(a, b); }
at::Tensor subTT(const at::Tensor& a, const at::Tensor& b) { return at::sub(a, b); }
at::Tensor mulTT(const at::Tensor& a, const at::Tensor& b) { return at::mul(a, b); }
at::Tensor divTT(const at::Tensor& a, const at::Tensor& b) { return at::div(a, b); }
at::Tensor addCpu(const at::Tensor& a, const at::Tensor& b) { return at::cpu::add(a, b); }
at::Tensor subCpu(const at::Tensor& a, const at::Tensor& b) { return at::cpu::sub(a, b); }
at::Tensor mulCpu(const at::Tensor& a, const at::Tensor& b) { return at::cpu::mul(a, b); }
at::Tensor divCpu(const at::Tensor& a, const at::Tensor& b) { return at::cpu::div(a, b); }

}  // namespace

void initOps(Napi::Env env, Napi::Object exports) {
  exportFn<OpSchemas>(env, exports, "opSchemas");
  exportFn<CallOp>(env, exports, "callOp");
  exportFn<BinaryTT<addTT, addCpu, std::plus>>(env, exports, "addTT");
  exportFn<BinaryTT<subTT, subCpu, std::minus>>(env, exports, "subTT");
  exportFn<BinaryTT<mulTT, mulCpu, std::multiplies>>(env, exports, "mulTT");
  exportFn<BinaryTT<divTT, divCpu, std::divides>>(env, exports, "divTT");
  exportFn<BinaryTS<addTT, addCpu, std::plus>>(env, exports, "addTS");
  exportFn<BinaryTS<subTT, subCpu, std::minus>>(env, exports, "subTS");
  exportFn<BinaryTS<mulTT, mulCpu, std::multiplies>>(env, exports, "mulTS");
  exportFn<BinaryTS<divTT, divCpu, std::divides>>(env, exports, "divTS");
}

}  // namespace tn
