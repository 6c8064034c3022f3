// TorchScript: loading and saving torch::jit::Modules, their parameters, buffers and submodules (the same
// at::Tensors the module runs with, so autograd and in-place updates reach it), the training flag, attribute
// assignment and method calls. Modules travel to JavaScript as type-tagged externals.
#include "common.h"
#include "promise_worker.h"
#include "ivalue.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/serialization/import.h>

#include <cstdint>
#include <optional>
#include <sstream>

namespace tn {
namespace {

using JitModule = torch::jit::Module;

constexpr napi_type_tag kModuleTag = {0x7f3c1a5e2b9d4c61ULL, 0x8e0a6d2f5b1c4e93ULL};

Napi::Value wrapModule(Napi::Env env, JitModule m) {
  auto ext = Napi::External<JitModule>::New(env, new JitModule(std::move(m)), [](Napi::Env, JitModule* p) { delete p; });
  ext.TypeTag(&kModuleTag);
  return ext;
}

JitModule& argModule(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsExternal() || !info[i].As<Napi::External<JitModule>>().CheckTypeTag(&kModuleTag)) {
    typeError("expected a TorchScript module");
  }
  return *info[i].As<Napi::External<JitModule>>().Data();
}

// Reads the file (or the bytes) off the main thread.
class LoadWorker : public PromiseWorker {
 public:
  LoadWorker(Napi::Env env, std::string path, std::optional<std::string> bytes, std::optional<at::Device> device)
      : PromiseWorker(env, "torch-node:jit.load"), path_(std::move(path)), bytes_(std::move(bytes)), device_(device) {}

 private:
  void run() override {
    c10::optional<at::Device> device;
    if (device_) device = *device_;
    if (bytes_) {
      std::istringstream in(*bytes_);
      module_ = torch::jit::load(in, device);
    } else {
      module_ = torch::jit::load(path_, device);
    }
  }

  Napi::Value result(Napi::Env env) override { return wrapModule(env, std::move(*module_)); }

  std::string path_;
  std::optional<std::string> bytes_;
  std::optional<at::Device> device_;
  std::optional<JitModule> module_;
};

// jitLoad(pathOrBytes, device | null): Promise<module>
Napi::Value JitLoad(const Napi::CallbackInfo& info) {
  std::optional<at::Device> device;
  if (!info[1].IsNull() && !info[1].IsUndefined()) device = parseDevice(argString(info, 1));
  LoadWorker* w;
  if (info[0].IsTypedArray()) {
    auto a = info[0].As<Napi::TypedArray>();
    auto buf = a.ArrayBuffer();
    std::string bytes(static_cast<const char*>(buf.Data()) + a.ByteOffset(), a.ByteLength());
    w = new LoadWorker(info.Env(), "", std::move(bytes), device);
  } else {
    w = new LoadWorker(info.Env(), argString(info, 0), std::nullopt, device);
  }
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

// jitSave(module): the bytes of the TorchScript archive (the TypeScript side writes them atomically).
Napi::Value JitSave(const Napi::CallbackInfo& info) {
  std::ostringstream out;
  argModule(info, 0).save(out);
  std::string s = out.str();
  return Napi::Buffer<char>::Copy(info.Env(), s.data(), s.size());
}

double identity(const void* p) { return static_cast<double>(reinterpret_cast<uintptr_t>(p)); }

// jitInfo(module): the module's own members, in TorchScript's (= registration) order. Tensors come as
// [name, handle, id] where id identifies the TensorImpl (a tensor shared by two modules has one id).
Napi::Value JitInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const JitModule& m = argModule(info, 0);
  TensorTable& table = data(info).table;
  Napi::Object o = Napi::Object::New(env);
  const auto& name = m.type()->name();
  o.Set("typeName", name ? name->name() : std::string("ScriptModule"));
  o.Set("qualifiedName", name ? name->qualifiedName() : std::string(""));
  o.Set("id", identity(m._ivalue().get()));
  auto tensors = [&](auto list) {
    Napi::Array out = Napi::Array::New(env);
    uint32_t k = 0;
    for (const auto& item : list) {
      Napi::Array e = Napi::Array::New(env, 3);
      e.Set(0u, item.name);
      e.Set(1u, table.put(item.value));
      e.Set(2u, identity(item.value.unsafeGetTensorImpl()));
      out.Set(k++, e);
    }
    return out;
  };
  // Parameters by slot, so that one registered as None (`bias` of a layer without one) is listed too.
  Napi::Array params = Napi::Array::New(env);
  const c10::ClassTypePtr& type = m.type();
  uint32_t np = 0;
  for (size_t i = 0; i < type->numAttributes(); i++) {
    if (!type->is_parameter(i)) continue;
    const c10::IValue& v = m._ivalue()->getSlot(i);
    if (!v.isTensor() && !v.isNone()) continue;
    Napi::Array e = Napi::Array::New(env, 3);
    e.Set(0u, type->getAttributeName(i));
    e.Set(1u, v.isTensor() ? Napi::Value(Napi::Number::New(env, table.put(v.toTensor()))) : env.Null());
    e.Set(2u, v.isTensor() ? identity(v.toTensor().unsafeGetTensorImpl()) : 0.0);
    params.Set(np++, e);
  }
  o.Set("parameters", params);
  o.Set("buffers", tensors(m.named_buffers(/*recurse=*/false)));
  Napi::Array children = Napi::Array::New(env);
  uint32_t k = 0;
  for (const auto& c : m.named_children()) {
    Napi::Array e = Napi::Array::New(env, 3);
    e.Set(0u, c.name);
    e.Set(1u, wrapModule(env, c.value));
    e.Set(2u, identity(c.value._ivalue().get()));
    children.Set(k++, e);
  }
  o.Set("children", children);
  Napi::Array methods = Napi::Array::New(env);
  k = 0;
  for (const auto& meth : m.get_methods()) methods.Set(k++, meth.name());
  o.Set("methods", methods);
  return o;
}

// The module's own `training` attribute (null if it has none); setting it does not recurse.
Napi::Value JitTraining(const Napi::CallbackInfo& info) {
  const JitModule& m = argModule(info, 0);
  c10::IValue v = m.attr("training", c10::IValue());
  if (!v.isBool()) return info.Env().Null();
  return Napi::Boolean::New(info.Env(), v.toBool());
}

Napi::Value JitSetTraining(const Napi::CallbackInfo& info) {
  JitModule& m = argModule(info, 0);
  bool on = argBool(info, 1);
  if (m.hasattr("training")) m.setattr("training", on);
  return info.Env().Undefined();
}

Napi::Value JitHasAttr(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), argModule(info, 0).hasattr(argString(info, 1)));
}

// jitSetAttr(module, name, value): value is a tensor handle, a module, or null (None). TorchScript checks the
// type against the attribute's declared one.
Napi::Value JitSetAttr(const Napi::CallbackInfo& info) {
  JitModule& m = argModule(info, 0);
  std::string name = argString(info, 1);
  c10::IValue v;
  if (info[2].IsNumber()) {
    v = argTensor(info, 2);
  } else if (info[2].IsExternal()) {
    v = argModule(info, 2)._ivalue();
  } else if (!info[2].IsNull() && !info[2].IsUndefined()) {
    typeError("expected a tensor handle, a module or null");
  }
  m.setattr(name, std::move(v));
  return info.Env().Undefined();
}

// jitMethodArgs(module, name): the method's schema as text and its arguments after self (whether each is a
// dict, so that a trailing object can be told apart from keyword arguments), or null when there is none.
Napi::Value JitMethodArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const JitModule& m = argModule(info, 0);
  auto method = m.find_method(argString(info, 1));
  if (!method) return env.Null();
  const c10::FunctionSchema& schema = method->function().getSchema();
  Napi::Object o = Napi::Object::New(env);
  std::ostringstream text;
  text << schema;
  o.Set("schema", text.str());
  Napi::Array args = Napi::Array::New(env);
  for (size_t i = 1; i < schema.arguments().size(); i++) {
    const c10::Argument& a = schema.arguments()[i];
    c10::TypePtr t = a.type();
    if (t->kind() == c10::TypeKind::OptionalType) t = t->castRaw<c10::OptionalType>()->getElementType();
    Napi::Object ao = Napi::Object::New(env);
    ao.Set("name", a.name());
    ao.Set("dict", t->kind() == c10::TypeKind::DictType || t->kind() == c10::TypeKind::AnyType);
    args.Set(static_cast<uint32_t>(i - 1), ao);
  }
  o.Set("args", args);
  return o;
}

// jitCall(module, method, args, kwargs | null, Tensor, wrap): runs a method with autograd as it stands.
Napi::Value JitCall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  JitModule& m = argModule(info, 0);
  std::string name = argString(info, 1);
  if (!info[2].IsArray()) typeError("jitCall expects an array of arguments");
  if (!info[4].IsFunction() || !info[5].IsFunction()) typeError("jitCall expects the Tensor class and a wrapper");
  JsTensors js{info[4].As<Napi::Function>(), info[5].As<Napi::Function>()};
  TensorTable& table = data(info).table;
  auto method = m.find_method(name);
  if (!method) typeError("'" + m.type()->repr_str() + "' has no method '" + name + "'");
  const c10::FunctionSchema& schema = method->function().getSchema();
  const auto& formals = schema.arguments();  // formals[0] is self
  Napi::Array args = info[2].As<Napi::Array>();
  size_t nFormal = formals.empty() ? 0 : formals.size() - 1;
  if (args.Length() > nFormal) {
    typeError(name + "() takes " + std::to_string(nFormal) + " positional arguments but " + std::to_string(args.Length()) + " were given");
  }
  std::vector<bool> given(nFormal, false);
  std::vector<c10::IValue> stack;
  stack.reserve(nFormal);
  torch::jit::Kwargs kwargs;
  try {
    for (uint32_t i = 0; i < args.Length(); i++) {
      const c10::Argument& a = formals[i + 1];
      Napi::Value v = args.Get(i);
      if (v.IsUndefined() && a.default_value()) {
        stack.push_back(*a.default_value());
      } else {
        stack.push_back(toIValue(table, v, a.type(), a, &js));
      }
      given[i] = true;
    }
    if (info[3].IsObject()) {
      Napi::Object kw = info[3].As<Napi::Object>();
      Napi::Array keys = kw.GetPropertyNames();
      for (uint32_t i = 0; i < keys.Length(); i++) {
        std::string key = keys.Get(i).As<Napi::String>().Utf8Value();
        size_t j = 1;
        while (j < formals.size() && formals[j].name() != key) j++;
        if (j == formals.size()) typeError(name + "() got an unexpected keyword argument '" + key + "'");
        if (given[j - 1]) typeError(name + "() got multiple values for argument '" + key + "'");
        given[j - 1] = true;
        Napi::Value v = kw.Get(key);
        if (v.IsUndefined() && formals[j].default_value()) continue;
        kwargs.emplace(key, toIValue(table, v, formals[j].type(), formals[j], &js));
      }
    }
    for (size_t i = 0; i < nFormal; i++) {
      const c10::Argument& a = formals[i + 1];
      if (!given[i] && !a.default_value()) typeError(name + "() missing required argument '" + a.name() + "'");
    }
  } catch (const ArgError& e) {
    if (std::string(e.what()).rfind(name + "(", 0) == 0) throw;
    throw ArgError(e.range, name + "(): " + e.what());
  }
  c10::IValue out = (*method)(std::move(stack), kwargs);
  return fromIValue(env, table, out, &js);
}

}  // namespace

void initJit(Napi::Env env, Napi::Object exports) {
  exportFn<JitLoad>(env, exports, "jitLoad");
  exportFn<JitSave>(env, exports, "jitSave");
  exportFn<JitInfo>(env, exports, "jitInfo");
  exportFn<JitTraining>(env, exports, "jitTraining");
  exportFn<JitSetTraining>(env, exports, "jitSetTraining");
  exportFn<JitHasAttr>(env, exports, "jitHasAttr");
  exportFn<JitSetAttr>(env, exports, "jitSetAttr");
  exportFn<JitMethodArgs>(env, exports, "jitMethodArgs");
  exportFn<JitCall>(env, exports, "jitCall");
}

}  // namespace tn
