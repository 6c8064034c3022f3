// torch.autograd.Function: a node of the autograd graph whose backward is a JavaScript function. The node does
// what Python's (PyNode) and LibTorch's own (CppNode) custom-function nodes do: its outputs are wrapped by
// LibTorch's _wrap_outputs, the tensors saved for backward are SavedVariables, and its backward materializes
// missing gradients and checks what the user returns. The JavaScript side (lib/autograd_function.ts) keeps each
// node's ctx by id; the backward is one callback per addon instance, called with the id.
#include "common.h"
#include "compat.h"

#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/autograd/saved_variable.h>

#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace tn {

using torch::autograd::Node;
using torch::autograd::SavedVariable;
using torch::autograd::variable_list;
using torch::autograd::VariableInfo;

struct JsNode;

// An addon instance's custom-function nodes. Nodes are freed wherever their graph is (inside the GC, on other
// threads, after the instance has gone), so a freed node only leaves its id here for JavaScript to collect.
struct FunctionNodes {
  std::mutex mutex;
  std::unordered_map<int64_t, std::weak_ptr<JsNode>> live;
  std::unordered_map<int64_t, std::shared_ptr<JsNode>> pending;  // made by apply(), forward not yet wrapped
  std::vector<int64_t> freed;
  int64_t next = 0;
  bool alive = true;  // false once the instance is gone: backward can no longer call JavaScript
};

struct JsNode : Node {
  JsNode(std::shared_ptr<FunctionNodes> nodes, int64_t id, std::string name, napi_env env)
      : nodes(std::move(nodes)), id(id), name_(std::move(name)), env(env), thread(std::this_thread::get_id()) {}

  ~JsNode() override {
    std::lock_guard<std::mutex> lock(nodes->mutex);
    nodes->live.erase(id);
    if (nodes->alive) nodes->freed.push_back(id);
  }

  std::string name() const override { return name_; }

  void release_variables() override {
    std::lock_guard<std::mutex> lock(mutex_);
    saved.clear();
    freedBuffers = true;
  }

  variable_list apply(variable_list&& grads) override;

  variable_list savedTensors() {
    std::lock_guard<std::mutex> lock(mutex_);
    TORCH_CHECK(!freedBuffers, torch::autograd::ERR_BACKWARD_TWICE);
    variable_list out;
    out.reserve(saved.size());
    auto self = shared_from_this();
    for (SavedVariable& s : saved) out.push_back(s.unpack(self));
    return out;
  }

  std::shared_ptr<FunctionNodes> nodes;
  int64_t id;
  std::string name_;
  napi_env env;
  std::thread::id thread;
  std::vector<bool> isTensorInput;  // per forward argument
  bool executable = false;          // an input requires grad and grad mode was on: the node joins the graph
  variable_list inputs;             // the tensor arguments, until the outputs are wrapped
  std::vector<VariableInfo> outputInfo;
  std::vector<SavedVariable> saved;
  bool materializeGrads = true;
  bool freedBuffers = false;
};

variable_list JsNode::apply(variable_list&& grads) {
  // LibTorch runs a graph's CPU nodes on the thread that called backward(); CUDA nodes run on its device
  // threads, and a backward() nested deeper than the engine's reentrant limit on a pool thread: no JavaScript
  // can run there.
  TORCH_CHECK(std::this_thread::get_id() == thread, "the backward of ", name_,
              " (a torch.autograd.Function written in JavaScript) can only run on the JavaScript thread that applied "
              "it, and LibTorch ran it on one of its own threads: CUDA gradients are computed on LibTorch's device "
              "threads, and backward() calls nested more than 60 deep inside backward functions on a pool thread");
  {
    std::lock_guard<std::mutex> lock(nodes->mutex);
    TORCH_CHECK(nodes->alive, "the backward of ", name_, " cannot run: its JavaScript thread has ended");
  }
  Napi::Env e(env);
  AddonData& d = *e.GetInstanceData<AddonData>();
  TORCH_CHECK(!d.functionBackward.IsEmpty(), "no backward callback is registered for custom functions");
  at::OptionalDeviceGuard deviceGuard;
  for (size_t i = 0; i < grads.size(); i++) {
    if (!grads[i].defined() && materializeGrads && i < outputInfo.size()) grads[i] = outputInfo[i].zeros(deviceGuard);
  }

  Napi::HandleScope scope(e);
  Napi::Array jsGrads = handleArray(e, d.table, std::move(grads));
  // A JavaScript exception leaves here as a Napi::Error, which LibTorch's engine carries to the backward() call.
  Napi::Value r = d.functionBackward.Call({Napi::Number::New(e, static_cast<double>(id)), jsGrads});
  if (!r.IsArray()) typeError("the backward callback must return an array of tensor handles");
  // Each entry: a tensor handle, null, or the type name of anything else the backward returned.
  Napi::Array jsOut = r.As<Napi::Array>();
  std::vector<Napi::Value> out;
  for (uint32_t i = 0; i < jsOut.Length(); i++) out.push_back(jsOut.Get(i));
  auto isNone = [](const Napi::Value& v) { return v.IsNull() || v.IsUndefined(); };

  // What Python's PyNode::apply checks, in its order, with its messages.
  size_t numForwardInputs = isTensorInput.size();
  if (out.size() > numForwardInputs) {
    bool allNone = true;
    for (size_t i = numForwardInputs; i < out.size(); i++) allNone &= isNone(out[i]);
    if (allNone) out.resize(numForwardInputs);
  }
  if (out.size() != numForwardInputs) {
    throw std::runtime_error("function " + name_ + " returned an incorrect number of gradients (expected " +
                             std::to_string(numForwardInputs) + ", got " + std::to_string(out.size()) + ")");
  }
  variable_list results;
  for (size_t i = 0; i < out.size(); i++) {
    if (!isTensorInput[i]) {
      if (!isNone(out[i])) {
        throw std::runtime_error("function " + name_ + " returned a gradient different than None at position " +
                                 std::to_string(i + 1) + ", but the corresponding forward input was not a Variable");
      }
      continue;
    }
    if (isNone(out[i])) {
      results.emplace_back();
    } else if (out[i].IsNumber()) {
      results.push_back(d.table.get(out[i].As<Napi::Number>().Int32Value()));
    } else {
      throw std::runtime_error("expected Variable or None (got " + out[i].ToString().Utf8Value() + ")");
    }
  }
  return results;
}

namespace {

std::shared_ptr<FunctionNodes>& nodesOf(AddonData& d) {
  if (!d.functionNodes) d.functionNodes = std::make_shared<FunctionNodes>();
  return d.functionNodes;
}

torch::autograd::variable_list noJvp(const variable_list&, const variable_list&) {
  TORCH_CHECK(false, "forward-mode AD (jvp) is not supported for a torch.autograd.Function written in JavaScript");
}

std::unordered_set<at::TensorImpl*> implsOf(const std::vector<at::Tensor>& ts) {
  std::unordered_set<at::TensorImpl*> out;
  for (const at::Tensor& t : ts) {
    if (t.defined()) out.insert(t.unsafeGetTensorImpl());
  }
  return out;
}

// Takes node `id` out of the pending ones (null if it is not there). The caller frees it, outside the lock.
std::shared_ptr<JsNode> takePending(AddonData& d, int64_t id) {
  auto& nodes = nodesOf(d);
  std::lock_guard<std::mutex> lock(nodes->mutex);
  auto it = nodes->pending.find(id);
  if (it == nodes->pending.end()) return nullptr;
  std::shared_ptr<JsNode> node = std::move(it->second);
  nodes->pending.erase(it);
  return node;
}

// functionNode(name, args: (handle | null)[]) -> id: the node of one apply(); null marks a non-tensor argument.
Napi::Value FunctionNode(const Napi::CallbackInfo& info) {
  AddonData& d = data(info);
  std::string name = argString(info, 0);
  std::vector<at::Tensor> args = argTensors(info, 1, "args", true);
  auto& nodes = nodesOf(d);
  int64_t id;
  {
    std::lock_guard<std::mutex> lock(nodes->mutex);
    id = nodes->next++;
  }
  std::shared_ptr<JsNode> node(new JsNode(nodes, id, std::move(name), info.Env()), torch::autograd::deleteNode);
  for (at::Tensor& t : args) {
    node->isTensorInput.push_back(t.defined());
    if (t.defined()) node->inputs.push_back(std::move(t));
  }
  // As Python does, before forward runs: forward may modify its inputs in place.
  node->executable = c10::GradMode::is_enabled() && torch::autograd::any_variable_requires_grad(node->inputs);
  if (node->executable) node->set_next_edges(torch::autograd::collect_next_edges(node->inputs));
  std::lock_guard<std::mutex> lock(nodes->mutex);
  nodes->pending.emplace(id, std::move(node));
  return Napi::Number::New(info.Env(), static_cast<double>(id));
}

// functionWrap(id, outputs, nonDifferentiable, dirty, toSave, materializeGrads) -> (handle | null)[]: the forward
// outputs joined to the graph (when an input requires grad and grad mode is on), the tensors to save saved.
Napi::Value FunctionWrap(const Napi::CallbackInfo& info) {
  AddonData& d = data(info);
  int64_t id = argInt(info, 0);
  std::shared_ptr<JsNode> node = takePending(d, id);
  if (!node) typeError("unknown or already applied custom function node");
  std::vector<at::Tensor> outs = argTensors(info, 1, "outputs", true);
  std::vector<at::Tensor> nonDifferentiable = argTensors(info, 2, "nonDifferentiable");
  std::vector<at::Tensor> dirty = argTensors(info, 3, "dirty");
  std::vector<at::Tensor> toSave = argTensors(info, 4, "toSave", true);
  node->materializeGrads = argBool(info, 5);

  bool executable = node->executable;
  for (const at::Tensor& t : dirty) torch::autograd::impl::bump_version(t);
  std::vector<c10::optional<at::Tensor>> raw;  // non-tensor outputs are undefined here, nullopt for LibTorch
  for (at::Tensor& t : outs) raw.push_back(t.defined() ? c10::optional<at::Tensor>(std::move(t)) : c10::nullopt);
  std::shared_ptr<Node> cdata = executable ? std::static_pointer_cast<Node>(node) : nullptr;
  auto wrapped = compat::wrapOutputs(node->inputs, implsOf(nonDifferentiable), implsOf(dirty), raw, cdata, noJvp);
  node->inputs.clear();

  std::vector<at::Tensor> results;
  for (auto& w : wrapped) {
    if (executable) node->outputInfo.emplace_back(w.has_value() ? VariableInfo(*w) : VariableInfo());
    results.push_back(w.has_value() ? std::move(*w) : at::Tensor());
  }
  Napi::Array result = handleArray(info.Env(), d.table, std::move(results));
  if (executable) {
    for (const at::Tensor& t : toSave) {
      if (t.defined()) node->saved.emplace_back(t, t.grad_fn().get() == node.get());
      else node->saved.emplace_back();
    }
    auto& nodes = nodesOf(d);
    std::lock_guard<std::mutex> lock(nodes->mutex);
    nodes->live.emplace(id, node);
  }
  return result;
}

// functionDiscard(id): the forward threw; its node is dropped.
Napi::Value FunctionDiscard(const Napi::CallbackInfo& info) {
  takePending(data(info), argInt(info, 0));  // freed here, outside the lock
  return info.Env().Undefined();
}

// functionSavedTensors(id) -> (handle | null)[]
Napi::Value FunctionSavedTensors(const Napi::CallbackInfo& info) {
  AddonData& d = data(info);
  std::shared_ptr<JsNode> node;
  {
    auto& nodes = nodesOf(d);
    std::lock_guard<std::mutex> lock(nodes->mutex);
    int64_t id = argInt(info, 0);
    if (nodes->pending.count(id)) return Napi::Array::New(info.Env());  // in forward: nothing saved yet, as in Python
    auto it = nodes->live.find(id);
    if (it != nodes->live.end()) node = it->second.lock();
  }
  // A ctx whose node is not in a graph (applied under noGrad, or freed): Python 1.13 gives this message too.
  TORCH_CHECK(node, torch::autograd::ERR_BACKWARD_TWICE);
  return handleArray(info.Env(), d.table, node->savedTensors());
}

// functionFreed() -> ids of the nodes freed since the last call (their ctx can go).
Napi::Value FunctionFreed(const Napi::CallbackInfo& info) {
  auto& nodes = nodesOf(data(info));
  std::vector<int64_t> freed;
  {
    std::lock_guard<std::mutex> lock(nodes->mutex);
    freed.swap(nodes->freed);
  }
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env, freed.size());
  for (size_t k = 0; k < freed.size(); k++) out.Set(static_cast<uint32_t>(k), Napi::Number::New(env, static_cast<double>(freed[k])));
  return out;
}

// setFunctionBackward(fn): fn(id, gradHandles) -> (handle | null)[] runs a node's JavaScript backward.
Napi::Value SetFunctionBackward(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) typeError("setFunctionBackward expects a function");
  data(info).functionBackward = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

}  // namespace

void forgetFunctionNodes(AddonData& d) {
  if (!d.functionNodes) return;
  std::unordered_map<int64_t, std::shared_ptr<JsNode>> pending;
  {
    std::lock_guard<std::mutex> lock(d.functionNodes->mutex);
    d.functionNodes->alive = false;
    d.functionNodes->freed.clear();
    pending.swap(d.functionNodes->pending);
  }
}

void initCustomFunction(Napi::Env env, Napi::Object exports) {
  exportFn<FunctionNode>(env, exports, "functionNode");
  exportFn<FunctionWrap>(env, exports, "functionWrap");
  exportFn<FunctionDiscard>(env, exports, "functionDiscard");
  exportFn<FunctionSavedTensors>(env, exports, "functionSavedTensors");
  exportFn<FunctionFreed>(env, exports, "functionFreed");
  exportFn<SetFunctionBackward>(env, exports, "setFunctionBackward");
}

}  // namespace tn
