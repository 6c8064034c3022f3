// Shared helpers of the addon: per-instance data, the tensor handle table, argument readers and the one
// wrapper that turns C++ exceptions into JavaScript errors.
#pragma once
#include "torch_includes.h"
#include "wrapped_numbers.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tn {

// Tensors live in a per-instance table; JavaScript holds integer handles into it (see ARCHITECTURE.md,
// "Tensor handles"). Native bytes are reported to V8 in batches so that the GC runs often enough.
class TensorTable {
 public:
  explicit TensorTable(napi_env env) : env_(env) {}
  ~TensorTable() = default;

  int32_t put(at::Tensor&& t);
  int32_t put(const at::Tensor& t) { return put(at::Tensor(t)); }
  const at::Tensor& get(int32_t h) const;
  // Frees the tensor and its slot. `report`: tell V8 of the freed bytes now if due (not inside the GC).
  void release(int32_t h, bool report = true);
  // Frees the tensor; the slot stays reserved (not reusable) until release().
  void drop(int32_t h, bool report = true);
  size_t live() const { return live_; }
  // Tensors whose memory the garbage collector has freed so far (not those disposed before).
  size_t collected() const { return collected_total_; }

  // Releases slot h when the garbage collector collects `owner` (its Tensor object, tracked once). The release
  // runs inside the GC (the addon is built with Node-API's GC-time finalizers), so a loop that never yields
  // stays flat too.
  void track(napi_env env, napi_value owner, int32_t h);
  // Releases what the GC collected during the native calls that just returned.
  void releaseCollected();
  // The addon instance is going away: frees every tensor; the table itself lives on until the last tracked
  // object's finalizer has run (Node-API does not order those against the instance data's).
  void detach();

 private:
  static void onCollected(node_api_basic_env env, void* slot, void* table);
  void releaseCollected(int32_t h, bool report);
  void account(int64_t delta, bool report = true);
  napi_env env_;
  std::vector<at::Tensor> slots_;
  std::vector<int64_t> bytes_;
  std::vector<int32_t> free_;
  std::vector<uint8_t> reserved_;  // 1 while a slot is in use (holding a tensor or dropped)
  std::vector<int32_t> collected_;  // collected by the GC inside a native call: released when it returns
  int64_t pending_ = 0;
  size_t live_ = 0;
  size_t tracked_ = 0;
  size_t collected_total_ = 0;
  bool detached_ = false;
};

// Native calls in progress on this thread (each addon instance has its own thread). While one runs, slots the
// GC collects are released only when it returns: a handle it is using stays valid even if V8 collects inside it.
struct NativeCall {
  NativeCall() { ++depth; }
  ~NativeCall() {
    if (--depth == 0 && collected) {
      TensorTable* t = collected;
      collected = nullptr;
      t->releaseCollected();
    }
  }
  NativeCall(const NativeCall&) = delete;
  NativeCall& operator=(const NativeCall&) = delete;
  static thread_local int depth;
  static thread_local TensorTable* collected;  // the table with releases waiting, if any
};

struct FunctionNodes;  // native/custom_function.cc
struct AddonData;
// The instance is going away: its custom-function nodes can no longer call JavaScript.
void forgetFunctionNodes(AddonData& d);

struct AddonData {
  explicit AddonData(napi_env env) : table(*new TensorTable(env)) {}
  ~AddonData() {
    forgetFunctionNodes(*this);
    table.detach();
  }
  AddonData(const AddonData&) = delete;
  AddonData& operator=(const AddonData&) = delete;
  TensorTable& table;
  WrappedNumbers wrappedNumbers;
  Napi::FunctionReference torchError;  // lib's TorchError class, set by setup()
  Napi::FunctionReference functionBackward;  // runs a torch.autograd.Function's backward (setFunctionBackward)
  std::shared_ptr<FunctionNodes> functionNodes;
};

inline AddonData& data(const Napi::CallbackInfo& info) {
  return *info.Env().GetInstanceData<AddonData>();
}

// Thrown inside entry points for bad arguments; becomes a JavaScript TypeError / RangeError. A std::exception, so
// that code which only knows those (LibTorch's autograd engine, around a custom function's backward) handles it.
struct ArgError : std::runtime_error {
  ArgError(bool range, const std::string& message) : std::runtime_error(message), range(range) {}
  bool range;
};
[[noreturn]] inline void typeError(const std::string& msg) { throw ArgError(false, msg); }
[[noreturn]] inline void rangeError(const std::string& msg) { throw ArgError(true, msg); }

Napi::Error makeTorchError(Napi::Env env, const std::string& message);

// Throws make()'s error in JavaScript. While a worker is being terminated nothing can be thrown (node-addon-api
// would then throw a C++ exception out of its callback, which aborts the process): the error is dropped, and
// nothing escapes to N-API.
template <typename Make>
Napi::Value throwJs(Napi::Env env, Make make) {
  try {
    bool pending = false;
    if (napi_is_exception_pending(env, &pending) != napi_ok || pending) return Napi::Value();
    Napi::Error e = make();
    napi_throw(env, e.Value());
  } catch (...) {
  }
  return Napi::Value();
}

// Every exported function goes through this wrapper: nothing thrown in C++ may reach N-API.
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  NativeCall call;
  try {
    return F(info);
  } catch (const Napi::Error& e) {
    return throwJs(env, [&] { return e; });
  } catch (const ArgError& e) {
    return throwJs(env, [&]() -> Napi::Error {
      if (e.range) return Napi::RangeError::New(env, e.what());
      return Napi::TypeError::New(env, e.what());
    });
  } catch (const c10::Error& e) {
    return throwJs(env, [&] { return makeTorchError(env, e.what_without_backtrace()); });
  } catch (const std::bad_alloc&) {
    return throwJs(env, [&] { return makeTorchError(env, "out of memory: the allocation could not be satisfied"); });
  } catch (const std::exception& e) {
    return throwJs(env, [&] { return makeTorchError(env, e.what()); });
  } catch (...) {
    return throwJs(env, [&] { return makeTorchError(env, "unknown native error"); });
  }
}

template <Napi::Value (*F)(const Napi::CallbackInfo&)>
void exportFn(Napi::Env env, Napi::Object exports, const char* name) {
  exports.Set(name, Napi::Function::New<guarded<F>>(env, name));
}

// Argument readers. The TypeScript layer validates user input; these only keep the addon safe.
int32_t argHandle(const Napi::CallbackInfo& info, size_t i);
const at::Tensor& argTensor(const Napi::CallbackInfo& info, size_t i);
double argNumber(const Napi::CallbackInfo& info, size_t i);
int64_t argInt(const Napi::CallbackInfo& info, size_t i);
bool argBool(const Napi::CallbackInfo& info, size_t i);
std::string argString(const Napi::CallbackInfo& info, size_t i);
std::vector<int64_t> argInts(const Napi::CallbackInfo& info, size_t i);
// An array of tensor handles (`what` names it in the error); with allowNull, null and undefined entries are
// undefined tensors.
std::vector<at::Tensor> argTensors(const Napi::CallbackInfo& info, size_t i, const char* what, bool allowNull = false);
// Tensors as an array of handles (null for undefined tensors), put into the table.
Napi::Array handleArray(Napi::Env env, TensorTable& table, std::vector<at::Tensor>&& tensors);

at::ScalarType parseDtype(const std::string& name);
const char* dtypeName(at::ScalarType t);
at::Device parseDevice(const std::string& spec);
std::string deviceName(const at::Device& d);
at::MemoryFormat parseMemoryFormat(const std::string& name);

inline Napi::Value handleValue(Napi::Env env, int32_t h) { return Napi::Number::New(env, h); }
Napi::Value newHandle(const Napi::CallbackInfo& info, at::Tensor&& t);

// Registration of each area's functions (one per source file).
void initTensor(Napi::Env env, Napi::Object exports);
void initOps(Napi::Env env, Napi::Object exports);
void initAutograd(Napi::Env env, Napi::Object exports);
void initCuda(Napi::Env env, Napi::Object exports);
void initOptim(Napi::Env env, Napi::Object exports);
void initImage(Napi::Env env, Napi::Object exports);
void initJit(Napi::Env env, Napi::Object exports);
void initDistributed(Napi::Env env, Napi::Object exports);
void initCustomFunction(Napi::Env env, Napi::Object exports);
// Installs the CPU allocation guard (native/allocator.cc) once per process.
void installAllocatorGuard();

}  // namespace tn
