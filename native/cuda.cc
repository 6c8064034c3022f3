// torch.cuda: devices, memory statistics, synchronisation, events, autocast and backend flags. What needs the
// CUDA headers is compiled only against a CUDA LibTorch (TORCH_NODE_WITH_CUDA); elsewhere the same functions
// answer as PyTorch does without a GPU.
#include "common.h"
#include "compat.h"

#include <ATen/detail/CUDAHooksInterface.h>

#ifdef TORCH_NODE_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

#ifdef TORCH_NODE_WITH_CUDA
#define TORCH_NODE_CUDA_BUILD true
#else
#define TORCH_NODE_CUDA_BUILD false
#endif

namespace tn {
namespace {

int deviceCount() { return at::detail::getCUDAHooks().getNumGPUs(); }

Napi::Value CudaInfo(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("built", at::hasCUDA() || TORCH_NODE_CUDA_BUILD);
  o.Set("deviceCount", deviceCount());
  o.Set("cudnn", at::globalContext().hasCuDNN());
  return o;
}

[[noreturn]] void noCuda() {
  if (!TORCH_NODE_CUDA_BUILD) TORCH_CHECK(false, "Torch not compiled with CUDA enabled");
  TORCH_CHECK(false, "No CUDA GPUs are available");
}

int deviceArg(const Napi::CallbackInfo& info, size_t i) {
  if (deviceCount() == 0) noCuda();
  int64_t d = info.Length() > i && !info[i].IsUndefined() && !info[i].IsNull() ? argInt(info, i) : -1;
#ifdef TORCH_NODE_WITH_CUDA
  if (d < 0) d = c10::cuda::current_device();
#else
  if (d < 0) d = 0;
#endif
  if (d >= deviceCount()) rangeError("invalid device ordinal " + std::to_string(d));
  return static_cast<int>(d);
}

Napi::Value Synchronize(const Napi::CallbackInfo& info) {
  at::detail::getCUDAHooks().deviceSynchronize(deviceArg(info, 0));
  return info.Env().Undefined();
}

#ifdef TORCH_NODE_WITH_CUDA
Napi::Value CurrentDevice(const Napi::CallbackInfo& info) {
  if (deviceCount() == 0) noCuda();
  return Napi::Number::New(info.Env(), c10::cuda::current_device());
}

Napi::Value SetDevice(const Napi::CallbackInfo& info) {
  c10::cuda::set_device(static_cast<c10::DeviceIndex>(deviceArg(info, 0)));
  return info.Env().Undefined();
}

Napi::Value DeviceProperties(const Napi::CallbackInfo& info) {
  const cudaDeviceProp* p = at::cuda::getDeviceProperties(deviceArg(info, 0));
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("name", std::string(p->name));
  o.Set("major", p->major);
  o.Set("minor", p->minor);
  o.Set("totalMemory", static_cast<double>(p->totalGlobalMem));
  o.Set("multiProcessorCount", p->multiProcessorCount);
  return o;
}

Napi::Value MemoryStats(const Napi::CallbackInfo& info) {
  auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(deviceArg(info, 0));
  Napi::Object o = Napi::Object::New(info.Env());
  // Index 0 of each stat array is the aggregate over pool kinds, in every LibTorch version.
  o.Set("allocated", static_cast<double>(stats.allocated_bytes[0].current));
  o.Set("maxAllocated", static_cast<double>(stats.allocated_bytes[0].peak));
  o.Set("reserved", static_cast<double>(stats.reserved_bytes[0].current));
  o.Set("maxReserved", static_cast<double>(stats.reserved_bytes[0].peak));
  o.Set("numAllocRetries", static_cast<double>(stats.num_alloc_retries));
  o.Set("numOoms", static_cast<double>(stats.num_ooms));
  return o;
}

Napi::Value ResetPeakMemoryStats(const Napi::CallbackInfo& info) {
  c10::cuda::CUDACachingAllocator::resetPeakStats(deviceArg(info, 0));
  return info.Env().Undefined();
}

Napi::Value EmptyCache(const Napi::CallbackInfo& info) {
  if (deviceCount() > 0) c10::cuda::CUDACachingAllocator::emptyCache();
  return info.Env().Undefined();
}

// Events for timing: created, recorded on the current stream, synchronised, compared.
struct EventBox {
  at::cuda::CUDAEvent event;
  explicit EventBox(unsigned int flags) : event(flags) {}
};

void deleteEvent(Napi::Env, EventBox* e) { delete e; }

Napi::Value EventCreate(const Napi::CallbackInfo& info) {
  bool timing = info.Length() > 0 && info[0].IsBoolean() && info[0].As<Napi::Boolean>().Value();
  if (deviceCount() == 0) noCuda();
  auto* box = new EventBox(timing ? cudaEventDefault : cudaEventDisableTiming);
  return Napi::External<EventBox>::New(info.Env(), box, deleteEvent);
}

EventBox* eventArg(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsExternal()) typeError("expected a CUDA event");
  return info[i].As<Napi::External<EventBox>>().Data();
}

Napi::Value EventRecord(const Napi::CallbackInfo& info) {
  eventArg(info, 0)->event.record();
  return info.Env().Undefined();
}

Napi::Value EventSynchronize(const Napi::CallbackInfo& info) {
  eventArg(info, 0)->event.synchronize();
  return info.Env().Undefined();
}

Napi::Value EventQuery(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), eventArg(info, 0)->event.query());
}

Napi::Value EventElapsed(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), eventArg(info, 0)->event.elapsed_time(eventArg(info, 1)->event));
}
#endif

Napi::Value SetBackendFlag(const Napi::CallbackInfo& info) {
  std::string name = argString(info, 0);
  bool v = argBool(info, 1);
  auto& ctx = at::globalContext();
  if (name == "cudnn.benchmark") {
    ctx.setBenchmarkCuDNN(v);
  } else if (name == "cudnn.deterministic") {
    ctx.setDeterministicCuDNN(v);
  } else if (name == "cudnn.enabled") {
    ctx.setUserEnabledCuDNN(v);
  } else if (name == "cudnn.allowTf32") {
    ctx.setAllowTF32CuDNN(v);
  } else if (name == "cuda.matmul.allowTf32") {
    ctx.setAllowTF32CuBLAS(v);
  } else {
    typeError("unknown backend flag '" + name + "'");
  }
  return info.Env().Undefined();
}

Napi::Value GetBackendFlag(const Napi::CallbackInfo& info) {
  std::string name = argString(info, 0);
  auto& ctx = at::globalContext();
  bool v;
  if (name == "cudnn.benchmark") {
    v = ctx.benchmarkCuDNN();
  } else if (name == "cudnn.deterministic") {
    v = ctx.deterministicCuDNN();
  } else if (name == "cudnn.enabled") {
    v = ctx.userEnabledCuDNN();
  } else if (name == "cudnn.allowTf32") {
    v = ctx.allowTF32CuDNN();
  } else if (name == "cuda.matmul.allowTf32") {
    v = ctx.allowTF32CuBLAS();
  } else {
    typeError("unknown backend flag '" + name + "'");
  }
  return Napi::Boolean::New(info.Env(), v);
}

// Autocast: enter saves the state of the device type and sets it; exit restores it (and clears the cast
// cache at the outermost exit). autocastEnter(deviceType, enabled, dtype) -> previous { enabled, dtype }.
at::DeviceType autocastDevice(const std::string& name) {
  if (name == "cuda") return at::kCUDA;
  if (name == "cpu") return at::kCPU;
  typeError("autocast supports the device types 'cuda' and 'cpu', not '" + name + "'");
}

Napi::Value AutocastEnter(const Napi::CallbackInfo& info) {
  at::DeviceType d = autocastDevice(argString(info, 0));
  bool enabled = argBool(info, 1);
  at::ScalarType dtype = parseDtype(argString(info, 2));
  Napi::Object prev = Napi::Object::New(info.Env());
  prev.Set("enabled", compat::isAutocastEnabled(d));
  prev.Set("dtype", dtypeName(compat::autocastDtype(d)));
  compat::setAutocastEnabled(d, enabled);
  compat::setAutocastDtype(d, dtype);
  at::autocast::increment_nesting();
  return prev;
}

Napi::Value AutocastExit(const Napi::CallbackInfo& info) {
  at::DeviceType d = autocastDevice(argString(info, 0));
  bool enabled = argBool(info, 1);
  at::ScalarType dtype = parseDtype(argString(info, 2));
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  compat::setAutocastEnabled(d, enabled);
  compat::setAutocastDtype(d, dtype);
  return info.Env().Undefined();
}

}  // namespace

void initCuda(Napi::Env env, Napi::Object exports) {
  exportFn<CudaInfo>(env, exports, "cudaInfo");
  exportFn<Synchronize>(env, exports, "cudaSynchronize");
  exportFn<SetBackendFlag>(env, exports, "setBackendFlag");
  exportFn<GetBackendFlag>(env, exports, "getBackendFlag");
  exportFn<AutocastEnter>(env, exports, "autocastEnter");
  exportFn<AutocastExit>(env, exports, "autocastExit");
#ifdef TORCH_NODE_WITH_CUDA
  exportFn<CurrentDevice>(env, exports, "cudaCurrentDevice");
  exportFn<SetDevice>(env, exports, "cudaSetDevice");
  exportFn<DeviceProperties>(env, exports, "cudaDeviceProperties");
  exportFn<MemoryStats>(env, exports, "cudaMemoryStats");
  exportFn<ResetPeakMemoryStats>(env, exports, "cudaResetPeakMemoryStats");
  exportFn<EmptyCache>(env, exports, "cudaEmptyCache");
  exportFn<EventCreate>(env, exports, "cudaEventCreate");
  exportFn<EventRecord>(env, exports, "cudaEventRecord");
  exportFn<EventSynchronize>(env, exports, "cudaEventSynchronize");
  exportFn<EventQuery>(env, exports, "cudaEventQuery");
  exportFn<EventElapsed>(env, exports, "cudaEventElapsed");
#endif
}

}  // namespace tn
