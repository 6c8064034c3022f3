// Autograd: requires_grad, .grad, grad_fn, backward, torch.autograd.grad and the grad mode.
#include "common.h"

namespace tn {
namespace {

Napi::Value RequiresGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), argTensor(info, 0).requires_grad());
}

Napi::Value SetRequiresGrad(const Napi::CallbackInfo& info) {
  at::Tensor t = argTensor(info, 0);
  t.set_requires_grad(argBool(info, 1));
  return info.Env().Undefined();
}

Napi::Value IsLeaf(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), argTensor(info, 0).is_leaf());
}

Napi::Value Grad(const Napi::CallbackInfo& info) {
  const at::Tensor& g = argTensor(info, 0).grad();
  if (!g.defined()) return info.Env().Null();
  return newHandle(info, at::Tensor(g));
}

Napi::Value SetGrad(const Napi::CallbackInfo& info) {
  at::Tensor t = argTensor(info, 0);
  if (info[1].IsNull() || info[1].IsUndefined()) {
    t.mutable_grad() = at::Tensor();
  } else {
    const at::Tensor& g = argTensor(info, 1);
    // The checks and their order of PyTorch's `.grad` setter (python_variable.cpp).
    TORCH_CHECK(!g.is_same(t), "can't assign Variable as its own grad");
    TORCH_CHECK(g.scalar_type() == t.scalar_type() && g.device().type() == t.device().type() && g.layout() == t.layout(),
                "assigned grad has data of a different type");
    TORCH_CHECK(g.device() == t.device(), "assigned grad has data located on a different device");
    TORCH_CHECK(g.sizes() == t.sizes(), "assigned grad has data of a different size");
    t.mutable_grad() = g;
  }
  return info.Env().Undefined();
}

Napi::Value GradFn(const Napi::CallbackInfo& info) {
  const auto& fn = argTensor(info, 0).grad_fn();
  if (!fn) return info.Env().Null();
  std::string name = fn->name();
  // LibTorch names nodes with their C++ namespace ("torch::autograd::AddBackward0"); Python shows the bare name.
  auto pos = name.rfind("::");
  if (pos != std::string::npos) name = name.substr(pos + 2);
  return Napi::String::New(info.Env(), name);
}

Napi::Value RetainGrad(const Napi::CallbackInfo& info) {
  argTensor(info, 0).retain_grad();
  return info.Env().Undefined();
}

Napi::Value RetainsGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), argTensor(info, 0).retains_grad());
}

// backward(tensors, gradTensors, retainGraph, createGraph, inputs)
Napi::Value Backward(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> outputs = argTensors(info, 0, "outputs");
  std::vector<at::Tensor> grads = argTensors(info, 1, "grad_tensors", true);
  bool createGraph = argBool(info, 3);
  c10::optional<bool> retain;
  if (info[2].IsBoolean()) retain = info[2].As<Napi::Boolean>().Value();
  std::vector<at::Tensor> inputs = info.Length() > 4 && info[4].IsArray() ? argTensors(info, 4, "inputs") : std::vector<at::Tensor>{};
  torch::autograd::backward(outputs, grads, retain, createGraph, inputs);
  return info.Env().Undefined();
}

// grad(outputs, inputs, gradOutputs, retainGraph, createGraph, allowUnused)
Napi::Value AutogradGrad(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> outputs = argTensors(info, 0, "outputs");
  std::vector<at::Tensor> inputs = argTensors(info, 1, "inputs");
  std::vector<at::Tensor> grads = argTensors(info, 2, "grad_outputs", true);
  c10::optional<bool> retain;
  if (info[3].IsBoolean()) retain = info[3].As<Napi::Boolean>().Value();
  bool createGraph = argBool(info, 4);
  bool allowUnused = argBool(info, 5);
  return handleArray(info.Env(), data(info).table, torch::autograd::grad(outputs, inputs, grads, retain, createGraph, allowUnused));
}

Napi::Value IsGradEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), c10::GradMode::is_enabled());
}

Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  c10::GradMode::set_enabled(argBool(info, 0));
  return info.Env().Undefined();
}

Napi::Value IsAnomalyEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), torch::autograd::AnomalyMode::is_enabled());
}

Napi::Value IsAnomalyCheckNanEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), torch::autograd::AnomalyMode::should_check_nan());
}

// setAnomalyEnabled(enabled, checkNan = true): process-wide, as in PyTorch (workers share it).
Napi::Value SetAnomalyEnabled(const Napi::CallbackInfo& info) {
  bool checkNan = info.Length() > 1 && !info[1].IsUndefined() ? argBool(info, 1) : true;
  torch::autograd::AnomalyMode::set_enabled(argBool(info, 0), checkNan);
  return info.Env().Undefined();
}

}  // namespace

void initAutograd(Napi::Env env, Napi::Object exports) {
  exportFn<RequiresGrad>(env, exports, "requiresGrad");
  exportFn<SetRequiresGrad>(env, exports, "setRequiresGrad");
  exportFn<IsLeaf>(env, exports, "isLeaf");
  exportFn<Grad>(env, exports, "grad");
  exportFn<SetGrad>(env, exports, "setGrad");
  exportFn<GradFn>(env, exports, "gradFn");
  exportFn<RetainGrad>(env, exports, "retainGrad");
  exportFn<RetainsGrad>(env, exports, "retainsGrad");
  exportFn<Backward>(env, exports, "backward");
  exportFn<AutogradGrad>(env, exports, "autogradGrad");
  exportFn<IsGradEnabled>(env, exports, "isGradEnabled");
  exportFn<SetGradEnabled>(env, exports, "setGradEnabled");
  exportFn<IsAnomalyEnabled>(env, exports, "isAnomalyEnabled");
  exportFn<SetAnomalyEnabled>(env, exports, "setAnomalyEnabled");
  exportFn<IsAnomalyCheckNanEnabled>(env, exports, "isAnomalyCheckNanEnabled");
}

}  // namespace tn
